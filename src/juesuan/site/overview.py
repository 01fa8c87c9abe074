"""Pages across reports: home figures, departments index, department pages, compare, downloads."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

from . import charts, regions, safe
from .html import num, raw, rel, table
from .load import Package, Packages, number
from .report_page import THREE_PUBLIC, data_dir, file_name, zipped_only

INDEX_METRICS = [("本年支出合计", "expenditure_total"), ("一般公共预算财政拨款支出", "general_budget_expenditure"),
                 ("三公经费", "three_public_total")]
TREND_METRICS = [("收支总计", "grand_total_income"), ("本年收入合计", "income_total"),
                 ("本年支出合计", "expenditure_total"), ("一般公共预算财政拨款支出", "general_budget_expenditure"),
                 ("三公经费", "three_public_total"), ("机关运行经费", "operating_costs")]


def report_label(p: Package) -> str:
    return f"{p.department} {p.year or ''}".strip()


def filters(reports: list[Package], target: str) -> str:
    """Region and year <select>s that filter the rows (and charts) marked data-filter-target."""
    regions = sorted({p.region for p in reports})
    years = sorted({str(p.year) for p in reports if p.year}, reverse=True)
    opt = lambda vals: "".join(f'<option value="{safe.text(v)}">{safe.text(v)}</option>' for v in vals)
    return (f'<div class="js-filters" data-filter-target="{target}">'
            f'<label>地区 <select data-filter="region"><option value="">全部</option>{opt(regions)}</select></label> '
            f'<label>年度 <select data-filter="year"><option value="">全部</option>{opt(years)}</select></label> '
            f'<span class="js-filter-count"></span></div>')


def row_attrs(p: Package) -> str:
    return f'data-region="{safe.text(p.region)}" data-year="{safe.text(p.year or "")}"'


def sort_key(v: float | None) -> str:
    return "" if v is None else repr(v)


def money_cell(v: float | None) -> str:
    return f'<span data-sort="{sort_key(v)}">{num(v)}</span>'


def home_stats(pk: Packages, here: str = "") -> str:
    """Headline totals and the spending-by-department chart for the home page."""
    reports = pk.reports
    if not reports:
        return raw('<p class="js-empty">还没有数据包：运行 <code>juesuan build</code> 生成。</p>')
    depts = {p.department_dir for p in reports}
    regions = {p.region for p in reports}
    years = sorted({p.year for p in reports if p.year})
    total = [p.value_wan("expenditure_total") for p in reports]
    tp = [p.value_wan("three_public_total") for p in reports]
    stat = lambda label, value: f'<div class="js-card"><div class="js-card-label">{label}</div><div class="js-card-value">{value}</div></div>'
    cards = "".join([
        stat("报告", num(len(reports), 0)), stat("部门", num(len(depts), 0)), stat("地区", num(len(regions), 0)),
        stat("年度", safe.text("、".join(map(str, years)) if len(years) <= 4 else f"{years[0]}–{years[-1]}") if years else "—"),
        stat("本年支出合计（合计）", f"{num(sum(v for v in total if v is not None))} <small>万元</small>"),
        stat("三公经费（合计）", f"{num(sum(v for v in tp if v is not None))} <small>万元</small>"),
    ])
    ranked = sorted([p for p in reports if p.value_wan("expenditure_total") is not None],
                    key=lambda p: p.value_wan("expenditure_total"))[-40:]
    out = raw(f'<div class="js-cards">{cards}</div>'
              '<p class="js-note-small">合计按各报告所列数字相加（以“元”为单位的报告已换算为万元），'
              f'未列出的数字不计入。有 {sum(v is None for v in total)} 份报告未列出本年支出合计。</p>')
    if ranked:
        opt = charts.bars([report_label(p) for p in ranked], [("本年支出合计", [p.value_wan("expenditure_total") for p in ranked])],
                          horizontal=True)
        body = [[f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(report_label(p))}</a>',
                 money_cell(p.value_wan("expenditure_total"))] for p in reversed(ranked)]
        out += "### 各部门本年支出合计（万元）\n" + raw(charts.block(
            "jc-home-spending", "各部门本年支出", opt, "万元", table(["报告", "本年支出合计（万元）"], body, cls="js-sortable"),
            [("reports.csv", rel(here, "data/catalog/reports.csv"))] if pk.catalog else [],
            height=max(260, 28 * len(ranked) + 60)))
    return out


SPLIT_OVER = 300  # reports: above this, 部门一览/比较/下载 list regions, each region with a page of its own


def by_region(reports: list[Package]) -> dict[str, list[Package]]:
    """Reports grouped by the region they are published in (its own reports, not its sub-regions')."""
    out: dict[str, list[Package]] = {}
    for p in reports:
        out.setdefault(p.region_path, []).append(p)
    return dict(sorted(out.items()))


def split_pages(pk: Packages) -> dict[str, list[Package]]:
    """Sub-page path (without the 'departments/' etc. prefix) → its reports; empty when one page holds all."""
    return by_region(pk.reports) if len(pk.reports) > SPLIT_OVER else {}


def _region_index(groups: dict[str, list[Package]], here: str, prefix: str, intro: str) -> str:
    """One row per region, linking to its sub-page under `prefix`."""
    rows = [[f'<a href="{rel(here, prefix + rp + "/")}">{safe.text(reps[0].region)}</a>', num(len(reps), 0),
             num(len({p.department_dir for p in reps}), 0)] for rp, reps in groups.items()]
    return intro + raw(table(["地区", "报告数", "部门数"], rows, cls="js-sortable"))


def _listing(pk: Packages, kind: str, head: str, split_intro: str, body: Callable[[list[Package], str], str]) -> str:
    """A page over all reports at `kind`/: the reports themselves, or above SPLIT_OVER an index of regions."""
    groups = split_pages(pk)
    if groups:
        return head + _region_index(groups, f"{kind}/", f"{kind}/", split_intro)
    return head + body(pk.reports, f"{kind}/")


def departments_index(pk: Packages) -> str:
    return _listing(pk, "departments", "---\ntitle: 部门一览\n---\n\n# 部门一览\n\n",
                    f"共 {len(pk.reports)} 份报告，按发布地区分页（每页一个地区的全部报告，可排序、可按年度筛选）。"
                    "全部报告的关键数字也可下载为一个表格：见[下载](downloads.md)页的 reports.csv。\n\n", departments_table)


def departments_table(reports: list[Package], here: str) -> str:
    body, attrs = [], []
    for p in reports:
        f = p.findings
        cells = [f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(p.department)}</a>', safe.text(p.region),
                 f'<span data-sort="{p.year or ""}">{safe.text(p.year or "—")}</span>']
        cells += [money_cell(p.value_wan(m)) for _, m in INDEX_METRICS]
        n = f["error"] + f["warning"]
        cells.append(f'<span data-sort="{n}">{f["error"]} 错误 · {f["warning"]} 警告</span>')
        body.append(cells)
        attrs.append(row_attrs(p))
    heads = ["部门", "地区", "年度"] + [f"{t}（万元）" for t, _ in INDEX_METRICS] + ["检查发现"]
    return (f"共 {len(reports)} 份报告。点击表头排序；用下拉框按地区和年度筛选。金额以万元计（以“元”为单位的报告已换算）。\n"
            + raw(filters(reports, "departments") + '<div data-filter-scope="departments">'
                  + table(heads, body, cls="js-sortable", row_attrs=attrs) + "</div>"))


def region_subpage(kind: str, rp: str, reports: list[Package]) -> str:
    """departments/<region>/, compare/<region>/ or downloads/<region>/: one region's part of a split page."""
    here = f"{kind}/{rp}/"
    title = {"departments": "部门一览", "compare": "比较", "downloads": "下载数据"}[kind]
    name = reports[0].region
    front = f"---\ntitle: {safe.yaml_string(safe.title(f'{title}：{name}'))}\n---\n\n"
    crumbs = raw(f'<nav class="js-crumbs" aria-label="位置"><a href="{rel(here, kind + "/")}">{title}</a> › '
                 f'{safe.text(name)}</nav>')
    body = {"departments": lambda: departments_table(reports, here),
            "compare": lambda: compare_body(reports, here),
            "downloads": lambda: reports_downloads(reports, here)}[kind]()
    return front + crumbs + f"\n# {title}：{safe.text(name)} {{#title data-search-exclude=\"1\"}}\n\n" + body


def department_page(reports: list[Package], site_url: str = "") -> str:
    """A department's page: its years, key figures per year and a trend chart when there are several."""
    reports = sorted(reports, key=lambda p: p.year or 0)
    first = reports[-1]
    here = first.department_dir + "/"
    front = f"---\ntitle: {safe.yaml_string(safe.title(first.department))}\n---\n"
    out = [front, regions.breadcrumbs(first, here, department=False), f"# {safe.text(first.department)} {{#title data-search-exclude=\"1\"}}\n\n{safe.text(first.region)} · 共 {len(reports)} 个年度的决算报告\n"]
    heads = ["年度"] + [f"{t}（万元）" for t, _ in TREND_METRICS]
    body = [[f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(p.year or "未知")}年度 {safe.text(p.meta.get("kind") or "")}</a>']
            + [num(p.value_wan(m)) for _, m in TREND_METRICS] for p in reports]
    tbl = table(heads, body)
    years = [p for p in reports if p.year]
    if len(years) >= 2:
        series = [(t, [p.value_wan(m) for p in years]) for t, m in TREND_METRICS
                  if any(p.value_wan(m) is not None for p in years)]
        opt = charts.line([f"{p.year}" for p in years], series)
        cid = "jc-trend-" + re.sub(r"[^a-z0-9-]", "-", first.department_dir.lower())[-50:]
        out.append("## 历年变化 {#trend data-search-exclude=\"1\"}\n" + raw(charts.block(cid, "历年变化", opt, "万元", tbl, [])))
    else:
        out.append("## 年度 {#years data-search-exclude=\"1\"}\n" + raw(tbl))
    return "\n".join(out)


def compare_page(pk: Packages) -> str:
    return _listing(pk, "compare", "---\ntitle: 比较\n---\n\n# 比较各部门\n\n",
                    f"共 {len(pk.reports)} 份报告。按发布地区分页比较三公经费、机关运行经费、"
                    "基本支出与项目支出和按类支出（一页放下全部报告，手机无法打开）。\n\n", compare_body)


def compare_body(reports: list[Package], here: str) -> str:
    labels = [report_label(p) for p in reports]
    meta = [{"region": p.region, "year": str(p.year or "")} for p in reports]
    zoom = len(reports) > 25
    link = lambda p: f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(report_label(p))}</a>'
    attrs = [row_attrs(p) for p in reports]
    out = ["各报告并排比较。金额以万元计（以“元”为单位的报告已换算）；空白表示报告未列出，不是零。"
           "点击表头排序，用下拉框按地区和年度筛选（图表随之筛选）。\n",
           raw(filters(reports, "compare"))]

    def section(title: str, anchor: str, cid: str, opt: dict[str, Any], heads: list[str], body: list[list[str]],
                height: int = 380) -> None:
        block = charts.block(cid, title, opt, "万元", table(heads, body, cls="js-sortable", row_attrs=attrs), [], height)
        block = block.replace('class="js-chart-block"', f'class="js-chart-block js-compare" data-filter-scope="compare" '
                              f'data-meta="{safe.text(safe.script_json(meta))}"', 1)
        out.append(f"## {title} {{#{anchor}}}\n" + raw(block))

    tp_metrics = [("因公出国（境）费", "three_public_overseas"), ("公务用车购置及运行维护费", "three_public_vehicles"),
                  ("公务接待费", "three_public_reception")]
    series = [(t, [p.value_wan(m) for p in reports]) for t, m in tp_metrics]
    body = [[link(p)] + [money_cell(p.value_wan(m)) for _, m in tp_metrics] + [money_cell(p.value_wan("three_public_total"))]
            for p in reports]
    section("三公经费及其构成", "three-public", "jc-compare-three-public",
            charts.bars(labels, series, stack="three", zoom=zoom),
            ["报告"] + [f"{t}（万元）" for t, _ in tp_metrics] + ["三公经费合计（万元）"], body)

    body = [[link(p), money_cell(p.value_wan("operating_costs"))] for p in reports]
    section("机关运行经费", "operating-costs", "jc-compare-operating",
            charts.bars(labels, [("机关运行经费", [p.value_wan("operating_costs") for p in reports])], zoom=zoom),
            ["报告", "机关运行经费（万元）"], body)

    def share(p: Package, m: str) -> float | None:
        b, pr = p.value("expenditure_basic"), p.value("expenditure_project")
        if b is None or pr is None or b + pr == 0:
            return None
        return round(100 * (b if m == "basic" else pr) / (b + pr), 2)

    body = [[link(p), money_cell(p.value_wan("expenditure_basic")), money_cell(p.value_wan("expenditure_project")),
             money_cell(share(p, "basic")), money_cell(share(p, "project"))] for p in reports]
    section("基本支出与项目支出", "basic-project", "jc-compare-basic-project",
            charts.bars(labels, [("基本支出占比 %", [share(p, "basic") for p in reports]),
                                 ("项目支出占比 %", [share(p, "project") for p in reports])], stack="share", zoom=zoom),
            ["报告", "基本支出（万元）", "项目支出（万元）", "基本支出占比 %", "项目支出占比 %"], body)

    classes: Counter[str] = Counter()
    amounts: dict[int, dict[str, float]] = defaultdict(dict)
    for i, p in enumerate(reports):
        for r in p.rows("spending_by_class"):
            a = number(r.get("amount"))
            name = str(r.get("class_name") or "")
            if a is None or not name:
                continue
            a = a / 10000 if str(r.get("unit") or p.unit) == "元" else a
            amounts[i][name] = amounts[i].get(name, 0) + a
            classes[name] += a
    top = [c for c, _ in classes.most_common(12)]
    if top:
        series = [(c, [round(amounts[i].get(c), 2) if c in amounts[i] else None for i in range(len(reports))]) for c in top]
        body = [[link(p)] + [money_cell(amounts[i].get(c)) for c in top] for i, p in enumerate(reports)]
        section("一般公共预算财政拨款支出：按类", "by-class", "jc-compare-class",
                charts.bars(labels, series, stack="class", zoom=zoom),
                ["报告"] + [f"{safe.text(c)}（万元）" for c in top], body, height=440)
    return "\n".join(out)


def downloads_page(pk: Packages) -> str:
    here = "downloads/"
    out = ["---\ntitle: 下载\n---\n\n# 下载数据\n\n"
           "所有数据以 [Frictionless 数据包](https://datapackage.org/) 发布：每份报告一个数据包，外加汇总全部报告的目录包。"
           "CSV 为带 BOM 的 UTF-8（Excel 可直接打开），以 `= + - @` 开头的文字单元格前加了 `'`，JSON 保留原文。"
           "每份报告在本站发布它的 CSV；全部报告的 CSV、JSON 与 datapackage.json 在目录包（zip）中，"
           "每份报告的完整数据包（datapackage.json、CSV 与 JSON）在源代码仓库的 `datapackages/` 文件夹。"
           "字段说明见[数据字典](data-dictionary.md)。许可：CC BY 4.0。\n"]
    if pk.catalog:
        rows = []
        for name, res in pk.catalog.resources.items():
            links = []
            if res.csv_path and zipped_only(res.csv_path):
                links.append(f'<a href="{rel(here, "data/catalog/" + file_name(res.csv_path) + ".zip")}" download>CSV（zip）</a>'
                             '（JSON 见整个目录包）')
            elif res.csv_path:
                links.append(f'<a href="{rel(here, "data/catalog/" + file_name(res.csv_path))}" download>CSV</a>')
            if res.json_path and not zipped_only(res.csv_path or res.json_path):
                links.append(f'<a href="{rel(here, "data/catalog/" + file_name(res.json_path))}" download>JSON</a>')
            rows.append([f"<code>{safe.text(name)}</code>", safe.text(res.descriptor.get("title") or ""),
                         " · ".join(links), num(res.n_rows, 0)])
        out.append("## 目录包（全部报告） {#catalog}\n" + raw(
            f'<p class="js-downloads"><a href="{rel(here, "data/catalog.zip")}" download>整个目录包（zip）</a> · '
            f'<a href="{rel(here, "data/catalog/datapackage.json")}" download>datapackage.json</a></p>'
            + table(["资源", "说明", "下载", "行数"], rows)))
    groups = split_pages(pk)
    if groups:
        out.append("## 各报告数据包 {#reports}\n" + _region_index(groups, here, "downloads/", "按发布地区分页。\n\n"))
    else:
        out.append("## 各报告数据包 {#reports}\n" + reports_downloads(pk.reports, here))
    return "\n".join(out)


def reports_downloads(reports: list[Package], here: str) -> str:
    """Each report's zip and CSVs, filterable by region and year."""
    body = []
    for p in reports:
        d = data_dir(p)
        csvs = " ".join(f'<a href="{rel(here, d + file_name(r.csv_path))}" download>{safe.text(n)}</a>'
                        for n, r in p.resources.items() if r.csv_path)
        body.append([f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(report_label(p))}</a>', safe.text(p.region),
                     f'<span class="js-csv-list">{csvs}</span>'])
    return raw(filters(reports, "downloads") + '<div data-filter-scope="downloads">'
               + table(["报告", "地区", "CSV"], body, cls="js-sortable",
                       row_attrs=[row_attrs(p) for p in reports]) + "</div>")


def data_dictionary(pk: Packages) -> str:
    """Every field of every resource, from the packages' schemas (table-NN grouped as one)."""
    seen: dict[str, dict[str, dict[str, Any]]] = {}
    order: list[str] = []
    done: set[tuple[str, int]] = set()
    for p in ([pk.catalog] if pk.catalog else []) + pk.reports:
        for name, res in p.resources.items():
            key = "table-NN" if re.fullmatch(r"table-\d+", name) else name
            if key not in seen:
                seen[key] = {}
                order.append(key)
            schema = res.descriptor.get("schema") or {}
            if (key, id(schema)) in done:  # summaries share one schema object per distinct schema
                continue
            done.add((key, id(schema)))
            for f in schema.get("fields") or []:
                if isinstance(f, dict) and f.get("name") and (key != "table-NN" or not seen[key]):
                    seen[key].setdefault(str(f["name"]), f)
    out = ["---\ntitle: 数据字典\n---\n\n# 数据字典\n\n每个资源的字段，取自数据包的 schema。"
           "金额按报告原样（单位见 `unit` 字段或数据包的 `juesuan.unit`），从不换算；空值表示报告未列出，不是零。\n"]
    for key in order:
        rows = [[f"<code>{safe.text(n)}</code>", safe.text(f.get("title") or ""), safe.text(f.get("type") or ""),
                 safe.text(f.get("unit") or (f.get("constraints") or {}).get("unit") or ""), safe.text(f.get("description") or "")]
                for n, f in seen[key].items()]
        note = raw('<p>附件表格：每张表一个资源，列名为 col_1 … col_n，字段 title 为表头原文。</p>') if key == "table-NN" else ""
        out.append(f"## {safe.title(key)}\n" + note + raw(table(["字段", "标题", "类型", "单位", "说明"], rows)))
    return "\n".join(out)


def metrics_table(metrics_csv: Path) -> str:
    if not metrics_csv.is_file():
        return ""
    with metrics_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    body = [[f"<code>{safe.text(r.get('metric'))}</code>", safe.text(r.get("label")), safe.text(r.get("kind"))] for r in rows]
    return raw(table(["指标 id", "含义", "类型"], body))


def glossary_terms(pk: Packages, limit: int = 60) -> str:
    """The reports' own 名词解释: each term with its most common definition and how many reports define it."""
    defs: dict[str, Counter[str]] = defaultdict(Counter)
    for p in pk.reports:
        for r in p.rows("glossary"):
            t, d = str(r.get("term") or "").strip(), str(r.get("definition") or "").strip()
            if t and d and len(t) <= 40:
                defs[t][d] += 1
    ranked = sorted(defs.items(), key=lambda kv: -sum(kv[1].values()))[:limit]
    if not ranked:
        return raw("<p>数据包中还没有名词解释。</p>")
    items = "".join(f"<dt>{safe.text(t)} <small>（{sum(c.values())} 份报告）</small></dt><dd>{safe.multiline(c.most_common(1)[0][0])}</dd>"
                    for t, c in ranked)
    return raw(f'<dl class="js-glossary">{items}</dl>')


def check_rules() -> str:
    """Every check rule, from `juesuan.checks.rules` when that module exists."""
    try:
        from ..checks import rules as rules_mod  # type: ignore[attr-defined]
    except Exception:  # the checks stage may not exist yet in this checkout
        return raw("<p>本次构建没有可用的检查规则模块（<code>juesuan.checks.rules</code>），因此此处不列出规则。</p>")
    found = None
    for attr in ("RULES", "rules", "ALL_RULES", "CATALOG"):
        found = getattr(rules_mod, attr, None)
        if found:
            break
    if callable(found):
        found = found()
    if isinstance(found, dict):
        found = list(found.values())
    body = []
    for r in found or []:
        get = (lambda k, r=r: r.get(k) if isinstance(r, dict) else getattr(r, k, None))
        rid = get("id") or get("rule") or get("name") or getattr(r, "__name__", "")
        body.append([f"<code>{safe.text(rid)}</code>", safe.text(get("severity") or ""),
                     safe.text(get("title") or ""), safe.text(get("description") or get("template") or get("__doc__") or "")])
    if not body:
        return raw("<p><code>juesuan.checks.rules</code> 没有列出规则。</p>")
    return raw(table(["规则", "级别", "名称", "说明"], body))
