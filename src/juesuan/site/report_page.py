"""The page of one report: header, key figures, charts with tables, sections, findings, downloads."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from . import charts, regions, safe
from .html import num, printed, raw, rel, table
from .load import Package, _path_slug, number

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
TOPIC_LABELS = {"operating_costs": "机关运行经费", "procurement": "政府采购", "assets": "国有资产占有使用",
                "state_assets": "国有资产占有使用", "performance": "预算绩效管理"}
SEVERITY = {"error": "错误", "warning": "警告", "note": "提示"}
METRIC_LABELS: dict[str, str] = {}  # filled by the builder from juesuan's metrics.csv


def data_dir(pkg: Package) -> str:
    """Site folder of a package's downloads."""
    return f"data/{_path_slug(pkg.slug, 'package')}/"


def zip_path(pkg: Package) -> str:
    return data_dir(pkg).rstrip("/") + ".zip"


def file_name(path) -> str:
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
    return [r for r in pkg.rows("figures") if _three_public_metric(r.get("metric")) and number(r.get("value")) is not None]


THREE_PUBLIC_TOPICS = set(THREE_PUBLIC_ALL)


def _three_public_metric(m: Any) -> bool:
    return isinstance(m, str) and (m in THREE_PUBLIC_TOPICS or m.startswith("vehicles_"))


class Lines:
    """The page's source lines: each sentence printed once, and every '第N行' a link to it.

    A line whose text a section prints anyway (a duty, a note, a glossary entry) is anchored
    there (`id="LN"`); the sentences quoted by figures are listed in 原文出处, which holds only
    what no section prints. juesuan.js shows the sentence when a reference is hovered.
    """

    def __init__(self) -> None:
        self.text: dict[int, str] = {}  # line → the sentence quoted by a figure (first one wins)
        self.inline: dict[int, str] = {}  # line → the text a section prints in place, with the anchor
        self.shown: set[int] = set()  # id() of the figure rows already in a card or table of the page

    @staticmethod
    def _line(row: dict[str, Any]) -> tuple[int, int | None] | None:
        """(line, page or None) a row cites, or None when it cites no line (each read once per call)."""
        n = number(row.get("source_line"))
        if n is None:
            return None
        page = number(row.get("source_page"))
        return int(n), (int(page) if page is not None else None)

    @staticmethod
    def _label(n: int, page: int | None) -> str:
        return (f"第{page}页 " if page is not None else "") + f"第{n}行"

    def _quote(self, n: int, row: dict[str, Any], key: str) -> None:
        """Keep the row's sentence for line n (the first one quoted wins)."""
        t = row.get(key)
        if isinstance(t, str) and t.strip() and n not in self.text:
            self.text[n] = t

    def add(self, row: dict[str, Any], key: str = "source_text") -> None:
        w = self._line(row)
        if w is not None:
            self._quote(w[0], row, key)

    def ref(self, row: dict[str, Any], key: str = "source_text", short: bool = False) -> str:
        """'第N行' linking to the line's sentence (in its section or in 原文出处).

        short: just the number (and page), for a table column headed 原文行.
        """
        line = number(row.get("source_line"))  # `_line` and `_quote` written out: a page makes ~90 of these
        if line is None:
            return ""
        n = int(line)
        page = number(row.get("source_page"))
        if page is not None:
            page = int(page)
        if n not in self.text:
            t = row.get(key)
            if isinstance(t, str) and t.strip():
                self.text[n] = t
        if short:
            label = f"第{page}页 {n}" if page is not None else str(n)
        else:
            label = self._label(n, page)
        return f'<a href="#L{n}">{label}</a>'

    def here(self, row: dict[str, Any], key: str = "text") -> tuple[str, str]:
        """(id attribute, line label) for an element that prints its own source text.

        The first element of a line carries the anchor and a plain label; a second one from the
        same line links to the first.
        """
        w = self._line(row)
        t = row.get(key)
        if w is None:
            return "", ""
        n, page = w
        if n in self.inline or not isinstance(t, str) or not t.strip():
            return "", self.ref(row, key)
        self.inline[n] = t
        return f' id="L{n}"', f"<small>{self._label(n, page)}</small>"

    def link(self, n: int) -> str:
        if n in self.text or n in self.inline:
            return f'<a href="#L{n}">第{n}行</a>'
        return f"第{n}行"

    def listed(self) -> list[tuple[int, str, bool]]:
        """(line, sentence, anchored here) for 原文出处: the sentences no section prints in place."""
        out = []
        for n, t in sorted(self.text.items()):
            if n not in self.inline:
                out.append((n, t, True))
            elif _squash(t) not in _squash(self.inline[n]):
                out.append((n, t, False))  # the section prints another part of the line
        return out


_SPACES = re.compile(r"\s+")
_ANNEX_TABLE = re.compile(r"table-\d+")
_DIGITS = re.compile(r"\d+")


def _squash(s: str) -> str:
    return _SPACES.sub("", s)


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


def cards(pkg: Package, lines: Lines, cid: str) -> str:
    """The key figures, and the chart of those with a stated change: this year against last year.

    Cards with a change carry the chart's data (data-v, data-p) like the rows of a chart's table.
    """
    out = []
    for title, metrics in CARDS:
        row = next((pkg.figure(m) for m in metrics if pkg.figure(m)), None)
        if row is None:
            continue
        lines.shown.add(id(row))
        unit = str(row.get("unit") or pkg.unit)
        extra = ""
        ch = change_text(row, unit)
        if ch:
            extra += f"<div>{ch}</div>"
        bc = number(row.get("budget_completion_pct"))
        if bc is not None:
            extra += f"<div>完成预算 {num(bc)}%</div>"
        src = lines.ref(row)
        ly = last_year(row) if unit in ("万元", "元") and unit == pkg.unit else None
        data = " " + charts.data_attrs(number(row.get("value")), ly) if ly is not None else ""
        out.append(f'<div class="js-card"{data}><div>{safe.text(title)}</div><strong>{printed(row)} <small>{safe.text(unit)}</small>'
                   f'</strong>{extra}{f"<div>出处 {src}</div>" if src else ""}</div>')
    if not out:
        return '<p class="js-empty">报告未列出这些关键数字。</p>'
    html = f'<div class="js-cards">{"".join(out)}</div>'
    if sum(' data-p="' in c for c in out) >= 2:
        html = f'<div class="js-chart-block js-key">{html}{charts.chart(f"{cid}-totals", "yoy", "本年与上年", pkg.unit)}</div>'
    return html


def figure_rows(pkg: Package, metrics: list[str]) -> list[dict[str, Any]]:
    return [r for m in metrics for r in [pkg.figure(m)] if r is not None]


def last_year(r: dict[str, Any]) -> float | None:
    """Last year's value as the report implies it: this year's value less the stated change."""
    v, c = number(r.get("value")), number(r.get("change"))
    return round(v - c, 2) if v is not None and c is not None else None


def change_short(row: dict[str, Any], unit: str = "") -> str:
    """The stated change in a table cell: '−156.01，−7.55%' (unit in the column header unless given)."""
    c, p = number(row.get("change")), number(row.get("change_pct"))
    if c is None and p is None:
        return ""
    if c is not None and c == 0 and not p:
        return "持平"
    parts = []
    if c is not None:
        parts.append(f"{_sign(c)}{num(abs(c))}" + (f" {safe.text(unit)}" if unit else ""))
    if p is not None:
        parts.append(f"{_sign(p)}{num(abs(p))}%")
    return "，".join(parts)


def _sign(v: float) -> str:
    return "+" if v > 0 else "−" if v < 0 else ""


def merged_refs(refs: list[str]) -> list:
    """A table's 原文行 cells, a run of rows from the same line sharing one cell (rowspan)."""
    out: list = []
    i = 0
    while i < len(refs):
        j = i
        while j + 1 < len(refs) and refs[j + 1] == refs[i]:
            j += 1
        out.append((f'rowspan="{j - i + 1}"', refs[i]) if j > i else refs[i])
        out += [None] * (j - i)
        i = j + 1
    return out


def figures_table(pkg: Package, rows: list[dict[str, Any]], lines: Lines, *, with_last_year: bool = False,
                  plot: list[dict[str, Any]] | None = None) -> str:
    """Figures with amount, change and source line; `plot` rows carry their chart data (this year, last year).

    The unit goes in the header when every row has the same; rows quoting the same line share its cell.
    """
    default_unit = pkg.unit
    row_units = [str(r.get("unit") or default_unit) for r in rows]
    units = set(row_units)
    common = units.pop() if len(units) == 1 else None
    # Each row's " unit" after its numbers, when the header holds none.
    suffixes = [""] * len(rows) if common else [f" {safe.text(u)}" if u else "" for u in row_units]
    changes = [change_short(r, "" if common else u) for r, u in zip(rows, row_units)]
    any_change = any(changes)
    amount = f"金额（{safe.text(common)}）" if common else "金额"
    headers = (["项目", amount] + (["上年（推算）"] if with_last_year else []) + (["比上年"] if any_change else [])
               + ["原文行"])
    charted = {id(r) for r in plot or []}
    refs = merged_refs([lines.ref(r, short=True) for r in rows])
    body, attrs = [], []
    for r, ch, ref, suffix in zip(rows, changes, refs, suffixes):
        lines.shown.add(id(r))
        cells = [safe.text(label(r)), printed(r) + suffix]
        ly = last_year(r) if with_last_year else None
        if with_last_year:
            cells.append(num(ly) + suffix if ly is not None else "—")
        if any_change:
            cells.append(ch or "—")
        if ref is not None:
            cells.append(ref)
        body.append(cells)
        attrs.append(charts.data_attrs(number(r.get("value")), ly) if id(r) in charted else "")
    return table(headers, body, row_attrs=attrs)


def in_order(rows: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with the `wanted` ones (all among them) moved, within the places they hold, into `wanted`'s order.

    A chart draws its table's data rows in table order; this keeps that order the chart's.
    """
    ids = {id(r) for r in wanted}
    queue = iter(wanted)
    return [next(queue) if id(r) in ids else r for r in rows]


def function_rows(pkg: Package) -> list[dict[str, Any]]:
    return [r for r in pkg.rows("spending_by_function") if number(r.get("amount")) is not None]


def _csv_links(pkg: Package, here: str, *names: str) -> list[tuple[str, str]]:
    out = []
    for n in names:
        res = pkg.resources.get(n)
        if res and res.csv_path:
            out.append((f"{n}.csv", rel(here, data_dir(pkg) + file_name(res.csv_path))))
    return out


def chart_section(pkg: Package, here: str, lines: Lines, cid: str) -> str:
    """The report's charts, each drawn from the table beside it; only charts with stated data are drawn."""
    out = []
    unit = pkg.unit

    def add(title: str, kind: str, key: str, name: str, tbl: str, height: int = charts.DEFAULT_HEIGHT) -> None:
        # The section's first line links the CSVs of all its charts.
        out.append(f"<h3>{safe.text(title)}</h3>" + charts.table_block(f"{cid}-{key}", kind, name, unit, tbl, [], height))

    parts = [r for r in figure_rows(pkg, INCOME_PARTS) if (number(r.get("value")) or 0) > 0]
    if parts:
        add("收入结构", "pie", "income", "本年收入", figures_table(pkg, parts, lines, plot=parts))
    parts = [r for r in figure_rows(pkg, EXPENDITURE_PARTS) if (number(r.get("value")) or 0) > 0]
    if parts:
        add("支出结构：基本支出与项目支出", "pie", "expenditure", "本年支出", figures_table(pkg, parts, lines, plot=parts))

    fn = function_rows(pkg)
    if fn:
        body = [[safe.text(r.get("class_name") or ""), safe.text(r.get("kuan_name") or ""),
                 safe.text(r.get("xiang_name") or "")] for r in fn]
        for cells, r, ref in zip(body, fn, merged_refs([lines.ref(r, short=True) for r in fn])):
            cells.append(printed(r, "amount", "amount_text"))
            if ref is not None:
                cells.append(ref)
        tbl = table(["类", "款", "项", f"金额（{safe.text(unit)}）", "原文行"], body,
                    row_attrs=[charts.data_attrs(number(r["amount"])) for r in fn])
        add("一般公共预算财政拨款支出：按功能分类（类 → 款 → 项）", "tree", "function", "一般公共预算财政拨款支出", tbl,
            height=420)
    cls = [r for r in pkg.rows("spending_by_class") if number(r.get("amount")) is not None]
    if cls:
        body = [[safe.text(r.get("class_name") or ""), printed(r, "amount", "amount_text"),
                 num(number(r.get("share_pct"))) + "%" if number(r.get("share_pct")) is not None else "—"]
                + ([ref] if ref is not None else [])
                for r, ref in zip(cls, merged_refs([lines.ref(r, short=True) for r in cls]))]
        tbl = table(["类", f"金额（{safe.text(unit)}）", "占比", "原文行"], body,
                    row_attrs=[charts.data_attrs(number(r["amount"])) for r in cls])
        add("一般公共预算财政拨款支出结构（按类）", "hbar", "class", "金额", tbl, height=max(240, 40 * len(cls) + 60))

    tp = figure_rows(pkg, THREE_PUBLIC)
    if tp:
        # The chart's table is the 三公 detail table (every 三公 figure); the three items are its charted rows.
        rows = in_order(three_public_rows(pkg), tp)
        add("三公经费：本年与上年", "yoy", "three-public", "三公经费",
            figures_table(pkg, rows, lines, with_last_year=True, plot=tp))
    if not out:
        return ""
    links = " · ".join(f'<a href="{safe.text(h)}" download>{safe.text(n)}</a>'
                       for n, h in _csv_links(pkg, here, "figures", "spending_by_function", "spending_by_class"))
    return (f'<p class="js-downloads">每个图表画的是它旁边的表格（本年与上年的总量图在关键数字下）。下载数据：{links}</p>'
            if links else "") + "".join(out)


def text_list(pkg: Package, name: str, lines: Lines) -> str:
    items = []
    for r in pkg.rows(name):
        anchor, where = lines.here(r)
        items.append(f"<li{anchor}>{safe.multiline(r.get('text'))} {where}")
    return f'<ol class="js-list">{"".join(items)}</ol>' if items else ""


def notes_html(pkg: Package, lines: Lines, topics: set[str] | None = None, exclude: set[str] | None = None) -> str:
    """The report's notes on a topic, each under its topic and line (the note is the line's text, anchored here)."""
    out = []
    for r in pkg.rows("notes"):
        topic = str(r.get("topic"))
        if (topics is not None and topic not in topics) or (exclude and topic in exclude):
            continue
        anchor, where = lines.here(r)
        name = TOPIC_LABELS.get(topic) or METRIC_LABELS.get(topic) or r.get("topic") or ""
        out.append(f"<dt{anchor}>{safe.text(name)} {where}<dd>{safe.multiline(r.get('text'))}")
    return f'<dl class="js-notes">{"".join(out)}</dl>' if out else ""


def performance(pkg: Package, lines: Lines) -> str:
    out = []
    scores = pkg.rows("performance_scores")
    if scores:
        kinds = {"department": "部门整体", "project": "项目"}
        body = [[safe.text(r.get("subject")), safe.text(kinds.get(str(r.get("kind")), r.get("kind") or "")),
                 num(number(r.get("score"))), safe.multiline(r.get("summary")), lines.ref(r, short=True)] for r in scores]
        out.append(table(["对象", "类型", "自评得分", "综述", "原文行"], body))
    ind = pkg.rows("performance_indicators")
    if ind:
        keys = ["subject", "level1", "level2", "level3", "nature", "target", "unit", "weight", "actual", "score",
                "deviation_reason"]
        heads = ["项目", "一级指标", "二级指标", "三级指标", "性质", "指标值", "单位", "分值", "实际完成值", "得分", "偏差原因"]
        # Columns no indicator fills are left out (most reports state no 性质, 单位 or 偏差原因).
        used = [i for i, k in enumerate(keys) if any(str(r.get(k) or "").strip() for r in ind)]
        body = [[safe.text(r.get(keys[i])) for i in used] + [lines.ref(r, short=True)] for r in ind]
        out.append("<h3>绩效指标</h3>" + table([heads[i] for i in used] + ["原文行"], body))
    return "".join(out)


def glossary(pkg: Package, lines: Lines) -> str:
    items = []
    for r in pkg.rows("glossary"):
        anchor, where = lines.here(r, "definition")
        items.append(f"<dt{anchor}>{safe.text(r.get('term'))} {where}<dd>{safe.multiline(r.get('definition'))}")
    return f'<dl class="js-glossary">{"".join(items)}</dl>' if items else ""


def annex_tables(pkg: Package, lines: Lines) -> str:
    index = {str(r.get("resource")): r for r in pkg.rows("tables")}
    out = []
    for name, res in pkg.resources.items():
        if not _ANNEX_TABLE.fullmatch(name):
            continue
        fields = (res.descriptor.get("schema") or {}).get("fields") or []
        names = [f.get("name") for f in fields if isinstance(f, dict)] or (list(res.rows[0]) if res.rows else [])
        heads = [safe.text(f.get("title") or f.get("name")) for f in fields if isinstance(f, dict)] or [safe.text(n) for n in names]
        meta = index.get(name, {})
        title = meta.get("title") or res.descriptor.get("title") or name
        body = [[safe.multiline(r.get(n)) for n in names] for r in res.rows]
        cap = f"{safe.text(title)} {lines.ref(meta) if meta else ''}"
        out.append(table(heads, body, caption=cap))
    return "".join(out)


def findings(pkg: Package, lines: Lines) -> str:
    rows = pkg.rows("checks")
    if not rows:
        return '<p class="js-empty">自动检查未发现问题（或本报告未运行检查）。</p>'
    items = []
    for r in rows:
        sev = str(r.get("severity") or "note")
        refs = [int(n) for n in _DIGITS.findall(str(r.get("source_lines") or ""))][:12]
        where = "、".join(lines.link(n) for n in refs)
        nums = []
        for k, word in (("expected", "应为"), ("actual", "报告所列"), ("difference", "相差")):
            v = number(r.get(k))
            if v is not None:
                nums.append(f"{word} {num(v)}")
        items.append(f'<li class="js-sev-{safe.text(sev if sev in SEVERITY else "note")}">'
                     f'<strong>{safe.text(SEVERITY.get(sev, sev))}</strong> {safe.text(r.get("message"))}'
                     + (f'（{"，".join(nums)}）' if nums else "") + (f" — 见 {where}" if where else "")
                     + f' <small>规则 <code>{safe.text(r.get("rule"))}</code></small></li>')
    return f'<ul class="js-findings">{"".join(items)}</ul>'


def warnings(pkg: Package, lines: Lines) -> str:
    rows = pkg.rows("warnings")
    if not rows:
        return ""
    items = "".join(f"<li><code>{safe.text(r.get('code'))}</code> {safe.text(r.get('message'))} {lines.ref(r)}</li>"
                    for r in rows)
    return f'<ul class="js-warnings">{items}</ul>'


def downloads(pkg: Package, here: str, site_url: str) -> str:
    d = data_dir(pkg)
    items = [f'<a href="{safe.text(rel(here, d + file_name(res.csv_path)))}" download>{safe.text(name)}.csv</a>'
             f'（{num(res.n_rows, 0)} 行）' for name, res in pkg.resources.items() if res.csv_path and res.n_rows]
    return (f'<p class="js-downloads">CSV（UTF-8，Excel 可直接打开）：{" · ".join(items) if items else "无"}</p>'
            '<p class="js-dl">各表字段见<a href="' + safe.text(rel(here, "data-dictionary/")) + '">数据字典</a>；'
            '全部报告的 CSV、JSON 与 datapackage.json 见<a href="' + safe.text(rel(here, "downloads/"))
            + '#catalog">目录包</a>。</p>')


def cite(pkg: Package, here: str, site_url: str) -> str:
    page = (site_url.rstrip("/") + "/" + pkg.page_dir + "/") if site_url else pkg.page_dir + "/"
    m = pkg.meta
    text = (f"{pkg.department}：《{pkg.year or ''}年度{m.get('kind') or '决算'}》，原始文件 {m.get('source_file') or '未知'}"
            f"（sha256 {m.get('sha256') or '未知'}），经 juesuan {m.get('juesuan_version') or ''} 整理，{page}，CC BY 4.0。")
    return f'<p class="js-cite">{safe.text(text)}</p>'


def anchor(n: int) -> str:
    return f' id="L{n}"'


def source_lines(lines: Lines) -> str:
    """原文出处: one item per line, numbered by the line (CSS shows 第N行)."""
    items = "".join(f'<li{anchor(n) if anchored else ""} value="{n}">{safe.multiline(t)}</li>'
                    for n, t, anchored in lines.listed())
    return f'<ol class="js-source-lines">{items}</ol>' if items else ""


def header(pkg: Package, here: str) -> tuple[str, str]:
    """The page's h1 (Markdown, out of the search index) and its facts list (HTML)."""
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
    # The h1 stays Markdown (a page without one gets the theme's h1 from the nav title, "2023年度"),
    # and out of the search index: the page's one entry is the front matter's title and tags.
    return title_heading(pkg), f'<dl class="js-meta">{dl}</dl>'


def title_heading(pkg: Package) -> str:
    """The page's h1 (Markdown, out of the search index: the page's entry has title and tags)."""
    return (f'# {safe.text(pkg.department)} {safe.text(pkg.year or "")}年度{safe.text(pkg.meta.get("kind") or "决算")} '
            '{#title data-search-exclude="1"}\n')


def keywords(pkg: Package) -> list[str]:
    """What search must find this page by: names, short names, region, 三公经费, 类/款/项 names (each once)."""
    words = [pkg.department] + [s for s in (pkg.meta.get("short_names") or []) if isinstance(s, str)]
    words += pkg.region_parts
    if pkg.figure("three_public_total"):
        words.append("三公经费")
    for r in pkg.rows("spending_by_function"):
        words += [str(r.get(k) or "") for k in ("class_name", "kuan_name", "xiang_name")]
    words += [str(r.get("class_name") or "") for r in pkg.rows("spending_by_class")]
    out: dict[str, None] = {}  # insertion-ordered set
    for w in dict.fromkeys(words):  # 类/款 names repeat over the rows: each distinct word cleaned once
        w = _keyword(w)
        if len(w) >= 2 and w != "（无名称）":
            out[w] = None
    return list(out)


@lru_cache(maxsize=8192)  # the same 类/款/项 names come back in report after report (every report job uses them)
def _keyword(word: str) -> str:
    return safe.title(word, 40).replace(" ", "")


def search_tags(pkg: Package, limit: int = 80) -> list[str]:
    """The page's search tags (not shown): each keyword without its last character.

    Material's search segments a Chinese query greedily into indexed terms strictly shorter than
    the query and matches each by prefix: “市科技局” becomes “市科技*” when 市科技 is an indexed
    term (else “市* 科技*”, which ranks 市科协 first). So the term a query needs is the word less
    its last character, and that term also finds the word by prefix: the whole word adds nothing
    (the title holds the department's name whole anyway). Two-character words stay whole.
    """
    out = dict.fromkeys(w[:-1] if len(w) > 2 else w for w in keywords(pkg))  # each once, in order
    return list(out)[:limit]


def shown_by_line(pkg: Package, lines: Lines) -> dict[float, list[dict[str, Any]]]:
    """The figure rows the page shows already, by the line they cite (for `restates_a_change`)."""
    out: dict[float, list[dict[str, Any]]] = {}
    for r in pkg.rows("figures"):
        if id(r) in lines.shown:
            n = number(r.get("source_line"))
            if n is not None and n == n:  # NaN equals no line (a dict would match the same NaN object)
                out.setdefault(n, []).append(r)
    return out


def restates_a_change(row: dict[str, Any], shown: dict[float, list[dict[str, Any]]]) -> bool:
    """A '…比上年增减' figure whose number the page prints already, as the change of a figure from its line.

    `shown`: `shown_by_line` of the page, once all the sections that show figures are written.
    """
    m, n, v = str(row.get("metric") or ""), number(row.get("source_line")), number(row.get("value"))
    if not m.endswith(("_change", "_change_pct")) or n is None or v is None:
        return False
    key = "change_pct" if m.endswith("_pct") else "change"
    return any(number(r.get(key)) == v for r in shown.get(n, ()))


SECTIONS = [("key-figures", "关键数字"), ("charts", "图表"), ("responsibilities", "部门职责"), ("units", "机构设置与下属单位"),
            ("three-public", "三公经费明细"), ("other-matters", "其他重要事项"), ("performance", "预算绩效"),
            ("glossary", "名词解释"), ("annex", "附件表格"), ("findings", "检查发现"), ("all-figures", "其他数字"),
            ("downloads", "下载与引用"), ("source", "原文出处")]


def report_page(pkg: Package, site_url: str = "") -> str:
    """Markdown of a report page at `<region>/<dept>/<year>/index.md`: front matter, h1, and one HTML block.

    Everything below the h1 is HTML kept out of Markdown and of the search index (`raw`): the
    page's one search entry is its title and tags. The sections' h2 are in that HTML too, so
    the theme's table of contents stays empty (it is hidden) and a line of links leads to them.
    """
    if pkg.partial:
        raise ValueError(f"{pkg.slug}: a report page needs the whole package, not its summary")
    here = pkg.page_dir + "/"
    lines = Lines()
    cid = "jc"  # one report per page: ids jc-income, jc-function, … (tests and juesuan.js need no more)
    title = safe.yaml_string(safe.title(f"{pkg.department} {pkg.year or ''}"))
    front = ("---\n" f"title: {title}\n"
             "hide:\n  - toc\n"
             "tags:\n" + "".join(f"  - {safe.yaml_string(t)}\n" for t in search_tags(pkg)) + "---\n")
    h1, facts = header(pkg, here)
    body: dict[str, str] = {"key-figures": cards(pkg, lines, cid), "charts": chart_section(pkg, here, lines, cid)}
    tp_rows = three_public_rows(pkg)
    body.update({
        "responsibilities": text_list(pkg, "responsibilities", lines),
        "units": text_list(pkg, "subunits", lines) + text_list(pkg, "offices", lines),
        "three-public": ((figures_table(pkg, tp_rows, lines) if tp_rows and not figure_rows(pkg, THREE_PUBLIC) else "")
                         + notes_html(pkg, lines, topics=THREE_PUBLIC_TOPICS)),
        # 机关运行经费 and 政府采购 are key-figure cards: this section holds the report's notes on them.
        "other-matters": notes_html(pkg, lines, exclude=THREE_PUBLIC_TOPICS),
        "performance": performance(pkg, lines),
        "glossary": glossary(pkg, lines),
        "annex": annex_tables(pkg, lines),
    })
    shown = shown_by_line(pkg, lines)
    figs = [r for r in pkg.rows("figures") if id(r) not in lines.shown and not restates_a_change(r, shown)]
    if figs:
        # Only the figures no card or table above shows: each number is printed once per page.
        csv_link = "".join(f'（全部数字见 <a href="{safe.text(h)}" download>{safe.text(n)}</a>）'
                           for n, h in _csv_links(pkg, here, "figures"))
        body["all-figures"] = f'<p class="js-note-small">上文未列出的数字{csv_link}。</p>' + figures_table(pkg, figs, lines)
    # Findings link the lines every other section has quoted, so they are written after all of them.
    body["findings"] = findings(pkg, lines) + warnings(pkg, lines)
    body["downloads"] = downloads(pkg, here, site_url) + cite(pkg, here, site_url)
    body["source"] = source_lines(lines)
    shown = [(key, title) for key, title in SECTIONS if body.get(key, "").strip()]
    nav = " · ".join(f'<a href="#{key}">{title}</a>' for key, title in shown)
    html = facts + f'<nav class="js-toc" aria-label="本页内容">{nav}</nav>' + "".join(
        f'<h2 id="{key}">{title}</h2>{body[key]}' for key, title in shown)
    return "\n".join([front, regions.breadcrumbs(pkg, here), h1, raw(html)])
