"""The page of one report: header, key figures, charts with tables, sections, findings, downloads."""

from __future__ import annotations

import re
from typing import Any

from . import charts, regions, safe
from .html import num, printed, raw, rel, table
from .load import Package, number

CARDS = [
    ("收支总计", ("grand_total_income", "grand_total_expenditure")),
    ("本年收入合计", ("income_total",)),
    ("本年支出合计", ("expenditure_total",)),
    ("财政拨款收支总计", ("fiscal_grand_total", "income_general_budget")),
    ("三公经费", ("three_public_total",)),
    ("机关运行经费", ("operating_costs",)),
    ("政府采购", ("procurement_total",)),
]
INCOME_PARTS = ["income_general_budget", "income_government_fund", "income_state_capital",
                "income_higher_level_subsidy", "income_public_service", "income_business",
                "income_from_affiliates", "income_other"]
EXPENDITURE_PARTS = ["expenditure_basic", "expenditure_project", "expenditure_to_higher_level",
                     "expenditure_business", "expenditure_to_affiliates"]
THREE_PUBLIC = ["three_public_overseas", "three_public_vehicles", "three_public_reception"]
THREE_PUBLIC_ALL = THREE_PUBLIC + ["three_public_total", "vehicle_purchase", "vehicle_operation",
                                   "reception_domestic", "reception_foreign"]
OTHER_MATTERS = ["operating_costs", "procurement_total"]
TOPIC_LABELS = {"operating_costs": "机关运行经费", "procurement": "政府采购", "assets": "国有资产占有使用",
                "state_assets": "国有资产占有使用", "performance": "预算绩效管理"}
SEVERITY = {"error": "错误", "warning": "警告", "note": "提示"}
METRIC_LABELS: dict[str, str] = {}  # filled by the builder from juesuan's metrics.csv


def data_dir(pkg: Package) -> str:
    """Site folder of a package's downloads."""
    from .load import _path_slug

    return f"data/{_path_slug(pkg.slug, 'package')}/"


def zip_path(pkg: Package) -> str:
    return data_dir(pkg).rstrip("/") + ".zip"


def file_name(path) -> str:
    from .load import _path_slug

    return _path_slug(path.name, "file")


BIG_CATALOG_FILE = 1_000_000  # bytes: larger catalog CSVs are published zipped, their JSON only in catalog.zip


def zipped_only(path) -> bool:
    """A catalog file too big to publish as is (it grows with every report; the site must fit 1 GB)."""
    return path is not None and path.stat().st_size > BIG_CATALOG_FILE


def label(row: dict[str, Any]) -> str:
    m = str(row.get("metric") or "")
    base = str(row.get("label") or METRIC_LABELS.get(m) or m)
    q = row.get("qualifier")
    q = QUALIFIER_LABELS.get(str(q), q) if q else q
    return f"{base}（{q}）" if q and str(q) not in base else base


QUALIFIER_LABELS = {"restated": "明细中所列"}


def three_public_rows(pkg: Package) -> list[dict[str, Any]]:
    """Every 三公 figure, qualified rows (vehicle types, restatements) included."""
    return [r for r in pkg.rows("figures") if number(r.get("value")) is not None and
            (r.get("metric") in THREE_PUBLIC_ALL or str(r.get("metric") or "").startswith("vehicles_"))]


THREE_PUBLIC_TOPICS = set(THREE_PUBLIC_ALL)


class Lines:
    """Source sentences of the page, by line number, for the 原文出处 section and its anchors."""

    def __init__(self) -> None:
        self.text: dict[int, str] = {}
        self.shown: set[int] = set()  # id() of the figure rows already in a card or table of the page

    def add(self, row: dict[str, Any], key: str = "source_text") -> None:
        n = number(row.get("source_line"))
        t = row.get(key)
        if n is not None and isinstance(t, str) and t.strip() and int(n) not in self.text:
            self.text[int(n)] = t

    def ref(self, row: dict[str, Any], key: str = "source_text") -> str:
        """'第N行' linking to the sentence in 原文出处; juesuan.js shows that sentence on hover.

        The sentence is printed once, in the source list, not again in a title attribute of
        every reference (that doubled the page's weight).
        """
        n = number(row.get("source_line"))
        if n is None:
            return ""
        self.add(row, key)
        page = number(row.get("source_page"))
        where = (f"第{int(page)}页 " if page is not None else "") + f"第{int(n)}行"
        return f'<a class="js-src" href="#L{int(n)}">{where}</a>'

    def link(self, n: int) -> str:
        if n in self.text:
            return f'<a class="js-src" href="#L{n}">第{n}行</a>'
        return f"第{n}行"


def change_text(row: dict[str, Any], unit: str) -> str:
    c, p = number(row.get("change")), number(row.get("change_pct"))
    if c is None and p is None:
        return ""
    if c is not None and c == 0 and not p:
        return "与上年持平"
    word = "增加" if (c if c is not None else p) > 0 else "减少"
    parts = []
    if c is not None:
        parts.append(f"{word} {num(abs(c))} {safe.text(unit)}")
    if p is not None:
        parts.append(f"{'增长' if p > 0 else '下降'} {num(abs(p))}%")
    return "比上年" + "，".join(parts)


def cards(pkg: Package, lines: Lines) -> str:
    out = ['<div class="js-cards">']
    for title, metrics in CARDS:
        row = next((pkg.figure(m) for m in metrics if pkg.figure(m)), None)
        if row is None:
            continue
        lines.shown.add(id(row))
        unit = str(row.get("unit") or pkg.unit)
        extra = []
        ch = change_text(row, unit)
        if ch:
            extra.append(f'<div class="js-card-change">{ch}</div>')
        bc = number(row.get("budget_completion_pct"))
        if bc is not None:
            extra.append(f'<div class="js-card-change">完成预算 {num(bc)}%</div>')
        src = row.get("source_text") or ""
        out.append(
            f'<div class="js-card" title="{safe.text(src)}"><div class="js-card-label">{safe.text(title)}</div>'
            f'<div class="js-card-value">{printed(row)} <small>{safe.text(unit)}</small></div>{"".join(extra)}'
            f'<details class="js-card-src"><summary>出处 {lines.ref(row)}</summary>{safe.multiline(src)}</details></div>'
        )
    out.append("</div>")
    return "".join(out) if len(out) > 2 else '<p class="js-empty">报告未列出这些关键数字。</p>'


def figure_rows(pkg: Package, metrics: list[str]) -> list[dict[str, Any]]:
    return [r for m in metrics for r in [pkg.figure(m)] if r is not None]


def figures_table(pkg: Package, rows: list[dict[str, Any]], lines: Lines, last_year: bool = False) -> str:
    headers = ["项目", f"金额"] + (["上年（推算）"] if last_year else []) + ["变动", "出处"]
    body = []
    for r in rows:
        lines.shown.add(id(r))
        unit = str(r.get("unit") or pkg.unit)
        cells = [safe.text(label(r)), f"{printed(r)} {safe.text(unit)}"]
        if last_year:
            v, c = number(r.get("value")), number(r.get("change"))
            cells.append(f"{num(v - c)} {safe.text(unit)}" if v is not None and c is not None else "—")
        cells += [change_text(r, unit) or "—", lines.ref(r)]
        body.append(cells)
    return table(headers, body)


def function_tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """类 → 款 → 项 nested for the treemap (values only on the leaves)."""
    tree: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        a = number(r.get("amount"))
        if a is None:
            continue
        c = str(r.get("class_name") or "（类未注明）")
        k = str(r.get("kuan_name") or "（款未注明）")
        x = str(r.get("xiang_name") or k)
        tree.setdefault(c, {}).setdefault(k, []).append({"name": x, "value": a})
    return [{"name": c, "children": [{"name": k, "children": leaves} for k, leaves in kuans.items()]}
            for c, kuans in tree.items()]


def _csv_links(pkg: Package, here: str, *names: str) -> list[tuple[str, str]]:
    out = []
    for n in names:
        res = pkg.resources.get(n)
        if res and res.csv_path:
            out.append((f"{n}.csv", rel(here, data_dir(pkg) + file_name(res.csv_path))))
    return out


def chart_section(pkg: Package, here: str, lines: Lines, cid: str) -> str:
    """The report's charts, each beside its table; only charts with stated data are drawn."""
    out = []
    unit = pkg.unit

    parts = [r for r in figure_rows(pkg, INCOME_PARTS) if (number(r.get("value")) or 0) > 0]
    if parts:
        opt = charts.pie("本年收入", [(label(r), number(r["value"])) for r in parts])
        out.append(heading(3, "收入结构") + raw(charts.block(f"{cid}-income", "收入结构", opt, unit,
                                                    figures_table(pkg, parts, lines), _csv_links(pkg, here, "figures"))))
    parts = [r for r in figure_rows(pkg, EXPENDITURE_PARTS) if (number(r.get("value")) or 0) > 0]
    if parts:
        opt = charts.pie("本年支出", [(label(r), number(r["value"])) for r in parts])
        out.append(heading(3, "支出结构：基本支出与项目支出") + raw(charts.block(
            f"{cid}-expenditure", "支出结构", opt, unit, figures_table(pkg, parts, lines), _csv_links(pkg, here, "figures"))))

    fn = [r for r in pkg.rows("spending_by_function") if number(r.get("amount")) is not None]
    if fn:
        opt = charts.treemap("一般公共预算财政拨款支出", function_tree(fn))
        body = [[safe.text(r.get("class_name") or ""), safe.text(r.get("kuan_name") or ""),
                 safe.text(r.get("xiang_name") or ""), f"{printed(r, 'amount', 'amount_text')}",
                 lines.ref(r)] for r in fn]
        tbl = table(["类", "款", "项", f"金额（{safe.text(unit)}）", "出处"], body)
        out.append(heading(3, "一般公共预算财政拨款支出：按功能分类（类 → 款 → 项）")
                   + raw(charts.block(f"{cid}-function", "按功能分类", opt, unit, tbl,
                                      _csv_links(pkg, here, "spending_by_function"), height=420)))
    cls = [r for r in pkg.rows("spending_by_class") if number(r.get("amount")) is not None]
    if cls:
        opt = charts.bars([str(r.get("class_name") or "") for r in cls], [("金额", [number(r["amount"]) for r in cls])],
                          horizontal=True)
        body = [[safe.text(r.get("class_name") or ""), printed(r, "amount", "amount_text"),
                 num(number(r.get("share_pct"))) + "%" if number(r.get("share_pct")) is not None else "—",
                 lines.ref(r)] for r in cls]
        tbl = table(["类", f"金额（{safe.text(unit)}）", "占比", "出处"], body)
        out.append(heading(3, "一般公共预算财政拨款支出结构（按类）")
                   + raw(charts.block(f"{cid}-class", "按类", opt, unit, tbl, _csv_links(pkg, here, "spending_by_class"),
                                      height=max(240, 40 * len(cls) + 60))))

    tp = figure_rows(pkg, THREE_PUBLIC)
    if tp:
        this = [number(r.get("value")) for r in tp]
        last = [(number(r.get("value")) - number(r.get("change"))) if number(r.get("change")) is not None else None
                for r in tp]
        last = [round(v, 2) if v is not None else None for v in last]
        opt = charts.bars([label(r) for r in tp], [("本年", this), ("上年（由所述增减推算）", last)])
        # The chart's table is the 三公 detail table (every 三公 figure), not a second copy of it.
        out.append(heading(3, "三公经费：本年与上年") + raw(charts.block(
            f"{cid}-three-public", "三公经费", opt, unit, figures_table(pkg, three_public_rows(pkg), lines, last_year=True),
            _csv_links(pkg, here, "figures"))))

    changed = [r for r in pkg.rows("figures") if number(r.get("change")) is not None
               and number(r.get("value")) is not None and str(r.get("unit") or pkg.unit) in ("万元", "元")
               and r.get("metric") not in THREE_PUBLIC and not r.get("qualifier")]
    seen: set[str] = set()
    changed = [r for r in changed if not (r.get("metric") in seen or seen.add(r.get("metric")))]
    if changed:
        this = [number(r["value"]) for r in changed]
        last = [round(number(r["value"]) - number(r["change"]), 2) for r in changed]
        opt = charts.bars([label(r) for r in changed], [("本年", this), ("上年（由所述增减推算）", last)])
        out.append(heading(3, "总量：本年与上年") + raw(charts.block(
            f"{cid}-totals", "本年与上年", opt, unit, figures_table(pkg, changed, lines, last_year=True),
            _csv_links(pkg, here, "figures"))))
    return "\n".join(out)


def text_list(pkg: Package, name: str, lines: Lines) -> str:
    rows = pkg.rows(name)
    if not rows:
        return ""
    items = "".join(f"<li>{safe.multiline(r.get('text'))} {lines.ref(r, 'text')}</li>" for r in rows)
    return raw(f'<ol class="js-list">{items}</ol>')


def notes_html(pkg: Package, lines: Lines, topics: set[str] | None = None, exclude: set[str] | None = None) -> str:
    rows = [r for r in pkg.rows("notes")
            if (topics is None or str(r.get("topic")) in topics) and not (exclude and str(r.get("topic")) in exclude)]
    out = "".join(f'<div class="js-note"><strong>{safe.text(TOPIC_LABELS.get(str(r.get("topic"))) or METRIC_LABELS.get(str(r.get("topic"))) or r.get("topic") or "")}</strong> '
                  f'{lines.ref(r, "text")}<p>{safe.multiline(r.get("text"))}</p></div>' for r in rows)
    return raw(out) if out else ""


def performance(pkg: Package, lines: Lines) -> str:
    out = []
    scores = pkg.rows("performance_scores")
    if scores:
        kinds = {"department": "部门整体", "project": "项目"}
        body = [[safe.text(r.get("subject")), safe.text(kinds.get(str(r.get("kind")), r.get("kind") or "")),
                 num(number(r.get("score"))), safe.multiline(r.get("summary")), lines.ref(r)] for r in scores]
        out.append(raw(table(["对象", "类型", "自评得分", "综述", "出处"], body)))
    ind = pkg.rows("performance_indicators")
    if ind:
        keys = ["subject", "level1", "level2", "level3", "nature", "target", "unit", "weight", "actual", "score",
                "deviation_reason"]
        heads = ["项目", "一级指标", "二级指标", "三级指标", "性质", "指标值", "单位", "分值", "实际完成值", "得分", "偏差原因"]
        body = [[safe.text(r.get(k)) for k in keys] + [lines.ref(r)] for r in ind]
        out.append(heading(4, "绩效指标") + raw(table(heads + ["出处"], body)))
    return "\n".join(out)


def glossary(pkg: Package, lines: Lines) -> str:
    rows = pkg.rows("glossary")
    if not rows:
        return ""
    items = "".join(f"<dt>{safe.text(r.get('term'))} {lines.ref(r, 'definition')}</dt><dd>{safe.multiline(r.get('definition'))}</dd>"
                    for r in rows)
    return raw(f'<dl class="js-glossary">{items}</dl>')


def annex_tables(pkg: Package, lines: Lines) -> str:
    index = {str(r.get("resource")): r for r in pkg.rows("tables")}
    out = []
    for name, res in pkg.resources.items():
        if not re.fullmatch(r"table-\d+", name):
            continue
        fields = (res.descriptor.get("schema") or {}).get("fields") or []
        names = [f.get("name") for f in fields if isinstance(f, dict)] or (list(res.rows[0]) if res.rows else [])
        heads = [safe.text(f.get("title") or f.get("name")) for f in fields if isinstance(f, dict)] or [safe.text(n) for n in names]
        meta = index.get(name, {})
        title = meta.get("title") or res.descriptor.get("title") or name
        body = [[safe.multiline(r.get(n)) for n in names] for r in res.rows]
        cap = f"{safe.text(title)} {lines.ref(meta) if meta else ''}"
        out.append(raw(table(heads, body, caption=cap)))
    return "\n".join(out)


def findings(pkg: Package, lines: Lines) -> str:
    rows = pkg.rows("checks")
    if not rows:
        return raw('<p class="js-empty">自动检查未发现问题（或本报告未运行检查）。</p>')
    items = []
    for r in rows:
        sev = str(r.get("severity") or "note")
        refs = [int(n) for n in re.findall(r"\d+", str(r.get("source_lines") or ""))][:12]
        where = "、".join(lines.link(n) for n in refs)
        nums = []
        for k, word in (("expected", "应为"), ("actual", "报告所列"), ("difference", "相差")):
            v = number(r.get(k))
            if v is not None:
                nums.append(f"{word} {num(v)}")
        items.append(f'<li class="js-finding js-sev-{safe.text(sev if sev in SEVERITY else "note")}">'
                     f'<strong>{safe.text(SEVERITY.get(sev, sev))}</strong> {safe.text(r.get("message"))}'
                     + (f'（{"，".join(nums)}）' if nums else "") + (f" — 见 {where}" if where else "")
                     + f' <small>规则 <code>{safe.text(r.get("rule"))}</code></small></li>')
    return raw(f'<ul class="js-findings">{"".join(items)}</ul>')


def warnings(pkg: Package, lines: Lines) -> str:
    rows = pkg.rows("warnings")
    if not rows:
        return ""
    items = "".join(f"<li><code>{safe.text(r.get('code'))}</code> {safe.text(r.get('message'))} {lines.ref(r)}</li>"
                    for r in rows)
    return raw(f'<ul class="js-warnings">{items}</ul>')


def downloads(pkg: Package, here: str, site_url: str) -> str:
    d = data_dir(pkg)
    rows = []
    for name, res in pkg.resources.items():
        links = []
        if res.csv_path:
            links.append(f'<a href="{safe.text(rel(here, d + file_name(res.csv_path)))}" download>CSV</a>')
        if links:
            title = res.descriptor.get("title") or ""
            rows.append([f"<code>{safe.text(name)}</code>", safe.text(title), " · ".join(links), num(res.n_rows, 0)])
    whole = (f'<p class="js-downloads"><a href="{safe.text(rel(here, zip_path(pkg)))}" download>整个数据包（zip）</a>'
             '：datapackage.json 与全部 CSV。JSON 格式见<a href="' + safe.text(rel(here, "downloads/")) + '#catalog">目录包</a>。</p>')
    return raw(whole + table(["资源", "说明", "下载", "行数"], rows))


def cite(pkg: Package, here: str, site_url: str) -> str:
    page = (site_url.rstrip("/") + "/" + pkg.page_dir + "/") if site_url else pkg.page_dir + "/"
    m = pkg.meta
    text = (f"{pkg.department}：《{pkg.year or ''}年度{m.get('kind') or '决算'}》，原始文件 {m.get('source_file') or '未知'}"
            f"（sha256 {m.get('sha256') or '未知'}），经 juesuan {m.get('juesuan_version') or ''} 整理，{page}，CC BY 4.0。")
    return raw(f'<p class="js-cite">{safe.text(text)}</p>')


def source_lines(lines: Lines) -> str:
    if not lines.text:
        return ""
    items = "".join(f'<li id="L{n}" value="{n}"><span class="js-line-no">第{n}行</span> {safe.multiline(t)}</li>'
                    for n, t in sorted(lines.text.items()))
    return raw(f'<ol class="js-source-lines">{items}</ol>')


def header(pkg: Package, here: str) -> str:
    m = pkg.meta
    f = pkg.findings
    url = safe.http_url(m.get("source_url"))
    src = safe.text(m.get("source_file") or "（未知）")
    src_html = f'<a href="{safe.text(url)}" rel="nofollow noopener">{src}</a>' if url else src
    if m.get("source_url") and not url:
        src_html += f'（来源地址：{safe.text(m.get("source_url"))}）'
    dept_dir = rel(here, pkg.department_dir + "/")
    short = "、".join(safe.text(s) for s in (m.get("short_names") or []) if isinstance(s, str))
    rows = [
        ("部门", f'<a href="{dept_dir}">{safe.text(pkg.department)}</a>' + (f"（简称：{short}）" if short else "")),
        ("地区", safe.text(pkg.region)),
        ("年度", safe.text(f"{pkg.year}年度" if pkg.year else "未知")),
        ("类型", safe.text(m.get("kind") or "决算")),
        ("金额单位", safe.text(pkg.unit)),
        ("原始文件", src_html),
        ("sha256", f'<code class="js-hash">{safe.text(m.get("sha256") or "—")}</code>'),
        ("检查发现", f'<a href="#findings">错误 {f["error"]} · 警告 {f["warning"]} · 提示 {f["note"]}</a>'),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    # The h1 stays Markdown: a page without one gets the theme's h1 from the nav title ("2023年度").
    return (f'# {safe.text(pkg.department)} {safe.text(pkg.year or "")}年度{safe.text(m.get("kind") or "决算")} {{#title}}\n'
            + raw(f'<dl class="js-meta">{dl}</dl>'))


def search_tags(pkg: Package, limit: int = 80) -> list[str]:
    """Search-only tags (not shown: the tags plugin is off): names, short names, 项 names, 三公经费.

    Material's search splits a Chinese query into the longest indexed terms shorter than the
    query, so each word also goes in without its last character: a query for 市科技局 then
    becomes 市科技* and finds the pages tagged with it, not every page with 市.
    """
    words = [pkg.department] + [s for s in (pkg.meta.get("short_names") or []) if isinstance(s, str)]
    words += [str(r.get("xiang_name") or "") for r in pkg.rows("spending_by_function")]
    if pkg.figure("three_public_total"):
        words.append("三公经费")
    out: list[str] = []
    for w in words:
        w = safe.title(w, 40).replace(" ", "")
        for t in (w, w[:-1]):
            if len(t) >= 2 and t not in out:
                out.append(t)
    return out[:limit]


def keywords(pkg: Package) -> list[str]:
    """What search needs to find this page: names, region, 三公经费, 类/款/项 names (each once)."""
    words = [pkg.department] + [s for s in (pkg.meta.get("short_names") or []) if isinstance(s, str)]
    words += pkg.region_parts
    if pkg.figure("three_public_total"):
        words.append("三公经费")
    for r in pkg.rows("spending_by_function"):
        words += [str(r.get(k) or "") for k in ("class_name", "kuan_name", "xiang_name")]
    words += [str(r.get("class_name") or "") for r in pkg.rows("spending_by_class")]
    out: list[str] = []
    for w in words:
        w = safe.title(w, 40).replace(" ", "")
        if len(w) >= 2 and w not in out and w != "（无名称）":
            out.append(w)
    return out


def heading(level: int, title: str, anchor: str | None = None) -> str:
    """A Markdown heading kept in the table of contents but out of the search index."""
    attrs = (f"#{anchor} " if anchor else "") + 'data-search-exclude="1"'
    return f'{"#" * level} {title} {{{attrs}}}\n'


def report_page(pkg: Package, site_url: str = "") -> str:
    """Markdown (mostly raw HTML blocks) of a report page at `<region>/<dept>/<year>/index.md`."""
    if pkg.partial:
        raise ValueError(f"{pkg.slug}: a report page needs the whole package, not its summary")
    here = pkg.page_dir + "/"
    lines = Lines()
    cid = "jc-" + re.sub(r"[^a-z0-9-]", "-", pkg.slug.lower())[:60]
    tags = search_tags(pkg)
    page_title = safe.yaml_string(safe.title(f"{pkg.department} {pkg.year or ''}"))
    front = ("---\n" f"title: {page_title}\n"
             "tags:\n" + "".join(f"  - {safe.yaml_string(t)}\n" for t in tags)
             + "---\n")
    kw = "、".join(safe.text(w) for w in keywords(pkg))
    parts = [front, regions.breadcrumbs(pkg, here), header(pkg, here), f"关键词：{kw}\n{{: .js-keywords }}\n" if kw else "",
             heading(2, "关键数字", "key-figures"), raw(cards(pkg, lines)), heading(2, "图表", "charts"),
             chart_section(pkg, here, lines, cid)]
    sections = [
        ("部门职责 {#responsibilities}", text_list(pkg, "responsibilities", lines)),
        ("机构设置与下属单位 {#units}", text_list(pkg, "subunits", lines) + text_list(pkg, "offices", lines)),
        ("三公经费明细 {#three-public}", (raw(figures_table(pkg, three_public_rows(pkg), lines))
                                          if three_public_rows(pkg) and not figure_rows(pkg, THREE_PUBLIC) else "")
         + notes_html(pkg, lines, topics=THREE_PUBLIC_TOPICS)),
        ("其他重要事项 {#other-matters}", (raw(figures_table(pkg, figure_rows(pkg, OTHER_MATTERS), lines)) if figure_rows(pkg, OTHER_MATTERS) else "")
         + notes_html(pkg, lines, exclude=THREE_PUBLIC_TOPICS)),
        ("预算绩效 {#performance}", performance(pkg, lines)),
        ("名词解释 {#glossary}", glossary(pkg, lines)),
        ("附件表格 {#annex}", annex_tables(pkg, lines)),
    ]
    for title, body in sections:
        if body.strip():
            name, anchor = title.split(" {#")
            parts.append(heading(2, name, anchor.rstrip("}")) + body)
    parts.append(heading(2, "检查发现", "findings") + findings(pkg, lines) + warnings(pkg, lines))
    figs = [r for r in pkg.rows("figures") if id(r) not in lines.shown]
    if figs:
        # Only the figures no card or table above shows: each number is printed once per page.
        csv_link = "".join(f'（全部数字见 <a href="{safe.text(h)}" download>{safe.text(n)}</a>）'
                           for n, h in _csv_links(pkg, here, "figures"))
        parts.append(heading(2, "其他数字", "all-figures")
                     + raw(f'<p class="js-note-small">上文未列出的数字{csv_link}。</p>' + figures_table(pkg, figs, lines)))
    parts.append(heading(2, "下载与引用", "downloads") + downloads(pkg, here, site_url) + cite(pkg, here, site_url))
    src = source_lines(lines)
    if src:
        parts.append(heading(2, "原文出处", "source") + src)
    return "\n".join(parts)
