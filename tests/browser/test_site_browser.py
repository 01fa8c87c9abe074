"""The built site in headless Chromium: charts, instant navigation, palette, search, downloads, phone.

Each session builds its own sites (tests/browser/conftest.py): the real datapackages/ when present
(else the fixture's reports) and the hostile fixture for the security checks.
"""

from __future__ import annotations

import csv
import io
import math

import pytest

from juesuan.site.load import load_packages, number
from juesuan.site.report_page import CARDS, EXPENDITURE_PARTS, INCOME_PARTS, THREE_PUBLIC

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

CHARTS_JS = """() => Array.from(document.querySelectorAll('.js-chart')).map(el => {
  const c = echarts.getInstanceByDom(el);
  if (!c) return {id: el.id, missing: true};
  const o = c.getOption();
  return {id: el.id, theme: el.dataset.theme, darkMode: o.darkMode || false, width: el.clientWidth,
          series: o.series.map(s => ({type: s.type, data: s.data}))};
})"""


def reports(site):
    return load_packages(site.packages).reports


def values(data):
    return [d["value"] if isinstance(d, dict) else d for d in data]


def leaves(data):
    out = []
    for d in data:
        out += leaves(d["children"]) if d.get("children") else [d["value"]]
    return out


def close(a, b):
    return len(a) == len(b) and all((x is None and y is None) or (x is not None and y is not None and math.isclose(x, y, abs_tol=1e-9))
                                    for x, y in zip(a, b))


def test_every_report_page_draws_its_figures(main_site, watch):
    page = watch.page(watch.new_context(viewport={"width": 1280, "height": 900}))
    pkgs = reports(main_site)
    assert pkgs
    for pkg in pkgs:
        page.goto(main_site.url + pkg.page_dir + "/")
        page.wait_for_function("document.querySelectorAll('.js-chart').length === 0 || "
                               "Array.from(document.querySelectorAll('.js-chart')).every(el => echarts.getInstanceByDom(el))")
        drawn = {c["id"].rsplit("-", 1)[-1] if not c["id"].endswith("three-public") else "three-public": c
                 for c in page.evaluate(CHARTS_JS)}
        assert not [c for c in drawn.values() if c.get("missing")], pkg.slug
        assert all(c["width"] > 100 and c["series"] for c in drawn.values()), pkg.slug

        income = [pkg.value(m) for m in INCOME_PARTS if (pkg.value(m) or 0) > 0]
        if income:
            assert close(values(drawn["income"]["series"][0]["data"]), income), pkg.slug
        spend = [pkg.value(m) for m in EXPENDITURE_PARTS if (pkg.value(m) or 0) > 0]
        if spend:
            assert close(values(drawn["expenditure"]["series"][0]["data"]), spend), pkg.slug
        tp = [pkg.figure(m) for m in THREE_PUBLIC if pkg.figure(m)]
        if tp:
            assert close(drawn["three-public"]["series"][0]["data"], [number(f["value"]) for f in tp]), pkg.slug
        fn = [number(r.get("amount")) for r in pkg.rows("spending_by_function") if number(r.get("amount")) is not None]
        if fn:
            assert math.isclose(sum(leaves(drawn["function"]["series"][0]["data"])), sum(fn), abs_tol=1e-6), pkg.slug
        # The key figures with a stated change: this year, and last year as value − change.
        cards = [next((pkg.figure(m) for m in ms if pkg.figure(m)), None) for _, ms in CARDS]
        cards = [f for f in cards if f and number(f.get("change")) is not None
                 and str(f.get("unit") or pkg.unit) == pkg.unit and pkg.unit in ("万元", "元")]
        assert ("totals" in drawn) == (len(cards) >= 2), pkg.slug
        if len(cards) >= 2:
            assert close(drawn["totals"]["series"][0]["data"], [number(f["value"]) for f in cards]), pkg.slug
            assert close(drawn["totals"]["series"][1]["data"],
                         [round(number(f["value"]) - number(f["change"]), 2) for f in cards]), pkg.slug
    watch.check()


def test_instant_navigation_keeps_charts(main_site, watch):
    page = watch.page(watch.new_context(viewport={"width": 1280, "height": 900}))
    spend = lambda p: [p.value(m) for m in EXPENDITURE_PARTS if (p.value(m) or 0) > 0]
    with_charts = [p for p in reports(main_site) if spend(p)]
    pkgs = with_charts[:1] + [p for p in with_charts[1:] if spend(p) != spend(with_charts[0])][:1]
    assert len(pkgs) == 2, "need two reports with different charts"
    page.goto(main_site.url + pkgs[0].page_dir + "/")
    page.wait_for_function("document.querySelector('.js-chart') && echarts.getInstanceByDom(document.querySelector('.js-chart'))")
    page.evaluate("window.__noReload = true")
    target = pkgs[1].page_dir + "/"
    page.evaluate("""(href) => { const a = document.createElement('a'); a.href = href; a.id = 'jump';
                      a.textContent = 'jump'; document.querySelector('article').appendChild(a); }""",
                  main_site.url + target)
    page.click("#jump")
    page.wait_for_function("(p) => location.pathname.endsWith(p)", arg="/" + target)
    page.wait_for_function("Array.from(document.querySelectorAll('.js-chart')).every(el => echarts.getInstanceByDom(el))")
    assert page.evaluate("window.__noReload === true"), "the page was reloaded: instant navigation is off"
    charts = page.evaluate(CHARTS_JS)
    assert all(c["series"] and c["series"][0]["data"] for c in charts)
    # The charts are the new page's, drawn afresh from its tables.
    (drawn,) = [c for c in charts if c["id"] == "jc-expenditure"]
    assert close(values(drawn["series"][0]["data"]), spend(pkgs[1]))


def test_dark_palette_rethemes_charts(main_site, watch):
    page = watch.page(watch.new_context(viewport={"width": 1280, "height": 900}))
    pkg = next(p for p in reports(main_site) if p.figure("expenditure_basic"))
    page.goto(main_site.url + pkg.page_dir + "/")
    page.wait_for_function("document.querySelector('.js-chart')?.dataset.theme")
    before = page.evaluate(CHARTS_JS)
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== '{scheme}'")
    want = "dark" if scheme == "default" else "light"
    page.wait_for_function(f"Array.from(document.querySelectorAll('.js-chart')).every(el => el.dataset.theme === '{want}')")
    after = page.evaluate(CHARTS_JS)
    assert [c["series"] for c in after] == [c["series"] for c in before]
    assert all(c["darkMode"] for c in (after if want == "dark" else before))


@pytest.mark.parametrize("query", ["三公经费", "市科技局", "科技成果转化与扩散"])
def test_search_finds_the_right_pages(main_site, watch, query):
    pkgs = reports(main_site)
    if query == "市科技局":
        expected = {p.page_dir + "/" for p in pkgs if query in (p.meta.get("short_names") or [])}
    elif query == "科技成果转化与扩散":
        expected = {p.page_dir + "/" for p in pkgs if any(r.get("xiang_name") == query for r in p.rows("spending_by_function"))}
    else:
        expected = {p.page_dir + "/" for p in pkgs if p.figure("three_public_total")} | {"compare/"}
    assert expected, f"no package has {query}"
    page = watch.page(watch.new_context(viewport={"width": 1280, "height": 900}))
    page.goto(main_site.url)
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "els => els.map(e => e.getAttribute('href'))")
    locs = [h.split("#")[0].split("?")[0].replace(main_site.url, "").lstrip("./") for h in hrefs]
    assert locs and locs[0] in expected, (query, locs[:5], expected)


def test_download_links_work(main_site, watch):
    ctx = watch.new_context()
    page = watch.page(ctx)
    pkg = reports(main_site)[0]
    page.goto(main_site.url + pkg.page_dir + "/")
    links = page.eval_on_selector_all("a[download]", "els => els.map(e => e.href)")
    assert any(h.endswith("figures.csv") for h in links) and not any(h.endswith(".zip") for h in links)
    for href in sorted(set(links)):
        r = ctx.request.get(href)
        assert r.status == 200, href
        if href.endswith(".csv"):
            text = r.body().decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            assert rows and all(len(row) == len(rows[0]) for row in rows), href


def test_phone_has_no_horizontal_scroll(main_site, watch):
    page = watch.page(watch.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True))
    for pkg in reports(main_site)[:3]:
        page.goto(main_site.url + pkg.page_dir + "/")
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, pkg.slug
        assert all(c["width"] <= 375 for c in page.evaluate(CHARTS_JS))


def test_hostile_report_executes_nothing(hostile_site, watch):
    page = watch.page(watch.new_context(viewport={"width": 1280, "height": 900}))
    page.add_init_script("window.__alerts = 0; window.alert = () => { window.__alerts++; };")
    for path in ["script/x-script-alert-1-script/2023/", "compare/", "", "departments/", "downloads/", "methodology/"]:
        page.goto(hostile_site.url + path)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__alerts") == 0, path
        assert page.evaluate("document.querySelectorAll('img[onerror], [onerror]').length") == 0, path
    # Visible as text on the report page.
    page.goto(hostile_site.url + "script/x-script-alert-1-script/2023/")
    assert "<script>alert(1)</script>" in page.inner_text("article h1")
    # And in search results.
    page.fill("input.md-search__input", "恶意局")
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.hover(".md-search-result__item")
    assert page.evaluate("window.__alerts") == 0
    # Chart tooltips show names as text (ECharts ≥ 6.1 escapes them).
    box = page.locator(".js-chart").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__alerts") == 0
    assert page.evaluate("document.querySelectorAll('.js-chart img').length") == 0


def test_screenshots(main_site, watch):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pkg = max(reports(main_site), key=lambda p: len(p.rows("figures")))
    pages = {"home": "", "report": pkg.page_dir + "/", "compare": "compare/"}
    for device, kw in {"desktop": {"viewport": {"width": 1280, "height": 900}},
                       "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
                                 "device_scale_factor": 1}}.items():
        for scheme in ("light", "dark"):
            ctx = watch.new_context(color_scheme=scheme, **kw)
            page = watch.page(ctx)
            for name, path in pages.items():
                page.goto(main_site.url + path)
                page.wait_for_timeout(400)
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}-{scheme}.png"), full_page=name != "report")
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 12
