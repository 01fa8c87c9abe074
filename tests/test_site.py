"""Site stage: built from the hand-made fixture packages (tests/data/site/), incl. a hostile report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from juesuan.site import build_site, safe
from juesuan.site.html import rel

FIXTURE = Path(__file__).parent / "data" / "site" / "datapackages"
REPORT = "sichuan/panzhihua/kexuejishuju/2022/index.html"
HOSTILE_PAGE = "script/x-script-alert-1-script/2023/index.html"
CHART_SCRIPT = re.compile(r'^\(window\.JUESUAN_CHARTS=window\.JUESUAN_CHARTS\|\|\{\}\)\["(jc-[a-z0-9-]+)"\]=(.*);$', re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(FIXTURE, out, echo=lambda s: None, cache_dir=tmp_path_factory.mktemp("cache"))
    return out


class Scan(HTMLParser):
    """Collects what could execute: event attributes, script URLs, inline scripts, iframes."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.scripts: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"<{tag} {k}={v}>")
            if k in ("href", "src", "action", "formaction") and v and re.sub(r"\s", "", v).lower().startswith(("javascript:", "data:", "vbscript:")):
                self.bad.append(f"<{tag} {k}={v}>")
            if k == "href" and v:
                self.links.append(v)
        if tag in ("iframe", "object", "embed", "img") and any("alert" in (v or "") for _, v in attrs):
            self.bad.append(tag)
        if tag == "script":
            self._in_script = not any(k == "src" for k, _ in attrs)
            self._buf = []

    def handle_data(self, data):
        if self._in_script:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            self.scripts.append("".join(self._buf))
            self._in_script = False


def scan(path: Path) -> Scan:
    s = Scan()
    s.feed(path.read_text(encoding="utf-8"))
    return s


def chart_options(page: Path) -> dict[str, dict]:
    """Options of the charts that carry them (pages across reports)."""
    out = {}
    for body in scan(page).scripts:
        m = CHART_SCRIPT.match(body.strip())
        if m:
            out[m.group(1)] = json.loads(m.group(2))
    return out


class TableCharts(HTMLParser):
    """A report page's charts as juesuan.js reads them: chart id → kind and its table's data rows.

    A row is (cell texts, data-v, data-p): what the chart draws, taken from the table beside it.
    Cells and rows may leave out their end tags (a cell ends where the next one starts).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, dict] = {}
        self._chart: dict | None = None
        self._row: dict | None = None
        self._cell: list[str] | None = None

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row["cells"].append("".join(self._cell).strip())
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None and self._chart is not None:
            self._chart["rows"].append(self._row)
        self._row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "js-chart" in (a.get("class") or "").split() and a.get("data-kind"):
            self._chart = self.charts[a["id"]] = {"kind": a["data-kind"], "name": a.get("aria-label"), "rows": []}
        elif tag == "tr":
            self._end_row()
            if self._chart is not None and "data-v" in a:
                self._row = {"cells": [], "v": float(a["data-v"]), "p": float(a["data-p"]) if a.get("data-p") else None}
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is not None:
                self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "tbody", "table"):
            self._end_row()
            if tag == "table":
                self._chart = None


def table_charts(page: Path) -> dict[str, dict]:
    p = TableCharts()
    p.feed(page.read_text(encoding="utf-8"))
    return p.charts


def test_escaping_helpers():
    assert safe.text("<b>[x](javascript:alert(1))</b>") == "&lt;b&gt;&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;&lt;/b&gt;"
    assert safe.script_json({"a": "</script>\u2028'&"}) == '{"a":"\\u003c/script\\u003e\\u2028\\u0027\\u0026"}'
    assert "<" not in safe.title("<script>") and "&" not in safe.title("a&b")
    assert safe.http_url("javascript:alert(1)") is None
    assert safe.http_url("JaVaScRiPt:alert(1)") is None
    assert safe.http_url("https://x.gov.cn/a.docx") == "https://x.gov.cn/a.docx"
    assert safe.http_url('https://x/"onmouseover=1') is None
    assert safe.link("javascript:alert(1)", "x") == "x"
    assert rel("a/b/2022/", "data/x.csv") == "../../../data/x.csv"
    assert rel("", "a/b/") == "a/b/"
    assert rel("a/b/", "a/b/") == "./"


def test_pages_built(site: Path):
    for page in ["index.html", "departments/index.html", "compare/index.html", "downloads/index.html",
                 "data-dictionary/index.html", "methodology/index.html", "about/index.html", REPORT,
                 "sichuan/panzhihua/kexuejishuju/2021/index.html", "sichuan/panzhihua/kexuejishuju/index.html",
                 HOSTILE_PAGE]:
        assert (site / page).is_file(), page
    assert (site / "assets/javascripts/echarts.min.js").stat().st_size > 500_000
    assert not list(site.rglob("jieba_dict*")), "the jieba dictionary is a build input, not published"


def test_no_external_requests_in_html(site: Path):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        for m in re.finditer(r'<(script|link|img|iframe)\b[^>]*>', text):
            tag = m.group(0)
            if m.group(1) == "link" and re.search(r'rel="(canonical|alternate)"', tag):
                continue  # a URL, not a request
            assert not re.search(r'(?:src|href)="(https?:)?//', tag), f"{page}: external asset {tag}"


def test_hostile_report_renders_as_text(site: Path):
    for page in site.rglob("*.html"):
        s = scan(page)
        assert not s.bad, f"{page}: {s.bad[:3]}"
        for body in s.scripts:
            if "alert" in body:
                m = CHART_SCRIPT.match(body.strip())
                assert m, f"{page}: report text in a script that is not chart data: {body[:200]}"
                json.loads(m.group(2))  # data only
                assert "<" not in m.group(2) and "\u2028" not in m.group(2)
    html = (site / HOSTILE_PAGE).read_text(encoding="utf-8")
    # The text is visible, escaped: `<script>` shows as &lt;script&gt;.
    assert "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;" in html
    assert "&lt;img src&#61;x onerror&#61;alert&#40;1&#41;&gt;" in html
    outside_scripts = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert "{{ jinja }}" not in outside_scripts and "&#123;&#123; jinja &#125;&#125;" in html
    # The javascript: source URL is shown as text, never linked.
    assert 'href="javascript' not in html.lower()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "＜script＞" in title
    # The search index holds the text escaped.
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    docs = json.loads(index)["docs"]
    assert not any("<script>" in d["text"] or "<img" in d["text"] or "<script" in d["title"] for d in docs)


def test_report_charts_carry_package_figures(site: Path):
    charts = table_charts(site / REPORT)
    cid = "jc"
    assert {c["kind"] for c in charts.values()} <= {"pie", "tree", "hbar", "yoy"}
    # Values read from reports/sichuan-panzhihua-kejiju-2022.txt lines 38, 72–85.
    spend = charts[f"{cid}-expenditure"]
    assert spend["kind"] == "pie"
    assert [(r["cells"][0], r["v"]) for r in spend["rows"]] == [("基本支出", 1746.06), ("项目支出", 146.01)]
    tp = charts[f"{cid}-three-public"]
    assert [r["v"] for r in tp["rows"]] == [0, 6.75, 0.64]
    assert [r["p"] for r in tp["rows"]] == [0, 7.67, 2.1]  # last year = value − stated change
    # The 三公 table shows every 三公 figure; only the three items are charted.
    html = (site / REPORT).read_text(encoding="utf-8")
    block = html[html.index(f'id="{cid}-three-public"'):]
    block = block[:block.index("</table>")]
    assert block.count("<tr") - 1 > len(tp["rows"])
    tree = charts[f"{cid}-function"]
    assert tree["kind"] == "tree"
    leaf = [r for r in tree["rows"] if r["cells"][2] == "科技成果转化与扩散"]
    assert [(r["cells"][0], r["cells"][1], r["v"]) for r in leaf] == [("科学技术支出", "技术研究与开发", 19.42)]
    # No option JSON on a report page: the table is the chart's only copy of its numbers.
    assert not chart_options(site / REPORT)


def test_report_page_content(site: Path):
    html = (site / REPORT).read_text(encoding="utf-8")
    for text in ["1911.53", "比上年减少 156.01 万元，下降 7.55%", "sichuan-panzhihua-kejiju-2022.txt", "市科技局",
                 'id="L72"', 'href="#L72"', "“三公”经费三项之和与总数不一致", "如何引用" if False else "CC BY 4.0"]:
        assert text in html, text
    # The 三公 card links its line; the sentence is printed once, in 原文出处, under that anchor.
    card = html[html.index("<div>三公经费</div>"):]
    assert card[:card.index('</div></div>')].endswith('出处 <a href="#L72">第72行</a>')
    assert '<li id="L72" value="72">2022年“三公”经费财政拨款支出决算为7.39万元' in html
    assert html.count("2022年“三公”经费财政拨款支出决算为7.39万元") == 1
    # A line a section prints anyway (the note on 机关运行经费) is anchored there, not repeated in 原文出处.
    assert '<dt id="L97">机关运行经费 <small>第97行</small><dd>2022年，市科技局机关运行经费支出86.64万元' in html
    assert 'value="97"' not in html
    assert html.count("机关运行经费支出86.64万元，比2021年减少9.3万元") == 1
    # Every reference to a line leads to an element of the page, and each line is anchored once.
    ids = re.findall(r'\sid="(L\d+)"', html)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'href="#(L\d+)"', html)) <= set(ids)
    # Download links are relative and point at files that exist.
    page_dir = (site / REPORT).parent
    links = [h for h in scan(site / REPORT).links if h.endswith((".csv", ".json", ".zip"))]
    assert any(h.endswith("figures.csv") for h in links)
    for h in links:
        assert not h.startswith(("/", "http")), h
        assert (page_dir / h).resolve().is_file(), h
    # Each report's CSVs only: its descriptor and JSON are in the catalog's zip and in datapackages/.
    assert not any(h.endswith((".zip", ".json")) for h in links)


def test_department_page_has_trend(site: Path):
    opts = chart_options(site / "sichuan/panzhihua/kexuejishuju/index.html")
    (opt,) = opts.values()
    assert opt["xAxis"]["data"] == ["2021", "2022"]
    spend = next(s for s in opt["series"] if s["name"] == "本年支出合计")
    assert spend["data"] == [1990.0, 1892.07]


def test_search_index_one_entry_per_report(site: Path):
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    report_dirs = {str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")
                   if re.fullmatch(r"(19|20)\d\d", p.parent.name)}
    assert len(report_dirs) == 3
    for d in report_dirs:
        assert [e["location"] for e in docs if e["location"].startswith(d)] == [d], d
    (doc,) = [e for e in docs if e["location"] == "sichuan/panzhihua/kexuejishuju/2022/"]
    assert doc["text"] == "" and doc["tags"]
    # jieba with the generated dictionary keeps the department's name whole in the title (U+200B separates tokens).
    assert re.search("(^|\u200b)攀枝花市科学技术局(\u200b|\\s|$)", doc["title"])
    # Material segments a query into indexed terms shorter than the query: the tags are those terms,
    # each keyword (name, short name, region, 三公经费, 类/款/项) less its last character.
    for query in ["科技成果转化与扩散", "三公经费", "市科技局", "攀枝花市科学技术局", "攀枝花市", "四川省",
                  "技术研究与开发", "科学技术支出"]:
        assert query[:-1] in doc["tags"], query
    assert len(doc["tags"]) == len(set(doc["tags"]))


def test_search_dictionary_keeps_names_whole():
    from juesuan.site import search_dict
    from juesuan.site.load import load_packages

    words = search_dict.words(load_packages(FIXTURE))
    for word in ["科技成果转化与扩散", "三公经费", "攀枝花市科学技术局", "市科技局"]:
        assert word in words, word


def test_missing_echarts_says_what_to_do(monkeypatch, tmp_path):
    from juesuan.site import generate

    monkeypatch.setattr(generate, "ECHARTS", Path("no/such/echarts.min.js"))
    with pytest.raises(generate.SiteError, match="make install"):
        build_site(FIXTURE, tmp_path / "s", echo=lambda s: None, cache_dir=tmp_path / "cache")
