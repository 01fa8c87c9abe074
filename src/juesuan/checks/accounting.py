"""Accounting identities of the 部门决算 template, checked over one Record.

Each function takes a Record and yields Findings. A gap within the rounding of the printed
numbers is a note; a gap beyond it gets the rule's severity. Nothing here changes a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..classification import class_key, clean
from ..classification import table as classification_table
from ..record import Figure, Record
from .labels import label, metrics
from .numbers import EPS, fmt, group_half_unit, half_unit, decimals, ratio_range
from .rules import Finding, rule

# total metric → (parts label, part metrics). Parts a report leaves out count as not stated.
SUMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "income-sum": ("income_total", "各项收入", (
        "income_general_budget", "income_government_fund", "income_state_capital", "income_higher_level_subsidy",
        "income_public_service", "income_business", "income_from_affiliates", "income_other")),
    "expenditure-sum": ("expenditure_total", "各项支出", (
        "expenditure_basic", "expenditure_project", "expenditure_to_higher_level", "expenditure_business",
        "expenditure_to_affiliates")),
    "basic-expenditure-sum": ("general_budget_basic_expenditure", "人员经费与公用经费", (
        "personnel_expenses", "public_expenses")),
    "three-public-sum": ("three_public_total", "“三公”经费各项", (
        "three_public_overseas", "three_public_vehicles", "three_public_reception")),
    "vehicle-costs-sum": ("three_public_vehicles", "购置费与运行维护费", ("vehicle_purchase", "vehicle_operation")),
    "reception-sum": ("three_public_reception", "国内与外事接待费", ("reception_domestic", "reception_foreign")),
    "procurement-sum": ("procurement_total", "货物、工程、服务采购", (
        "procurement_goods", "procurement_works", "procurement_services")),
}

# Totals stated with a breakdown “其中：…” whose parts share one metric id, told apart by qualifier.
BREAKDOWNS: list[tuple[str, str, str, str]] = [
    ("count-sum", "vehicles_held", "vehicles_held_by_type", "各车型"),
    ("count-sum", "vehicles_purchased", "vehicles_purchased_by_type", "各车型"),
    ("count-sum", "vehicles_total", "vehicles_by_use", "各用途车辆"),
    ("vehicle-purchase-sum", "vehicle_purchase", "vehicle_purchase_by_type", "各车型购置金额"),
]

# Two metrics that state the same thing in different sections.
SAME_THING: list[tuple[str, str]] = [
    ("vehicles_held", "vehicles_total"),  # 三公部分“单位共有公务用车” and 国有资产部分“共有车辆”
]
RESTATED = "restated"  # the parser's qualifier for a metric stated again in a later section

# share of a part → the total it is a share of.
SHARE_OF: dict[str, str] = {
    **{m: "income_total" for m in SUMS["income-sum"][2]},
    **{m: "expenditure_total" for m in SUMS["expenditure-sum"][2]},
    **{m: "three_public_total" for m in SUMS["three-public-sum"][2]},
    "general_budget_expenditure": "expenditure_total",
    "personnel_expenses": "general_budget_basic_expenditure",
    "public_expenses": "general_budget_basic_expenditure",
}


@dataclass
class Num:
    """A number taking part in a comparison, with what is needed to print and locate it."""

    label: str
    value: float
    text: str | None
    lines: list[int]

    @classmethod
    def of(cls, f: Figure, name: str | None = None) -> "Num":
        return cls(name or label(f.metric) or f.metric, f.value, f.text, _lines(f.source))


def _lines(source) -> list[int]:
    if source is None:
        return []
    lines = [source.line]
    if source.line_end and source.line_end != source.line:
        lines.append(source.line_end)
    return lines


def main(record: Record, metric: str) -> Figure | None:
    """The figure of a metric as first stated without a qualifier, else the first one at all."""
    plain = [f for f in record.figures if f.metric == metric and not f.qualifier]
    if plain:
        return plain[0]
    return record.figure(metric)


def shown(n: Num) -> str:
    return n.text if n.text else fmt(n.value)


def compare_sum(
    rule_id: str, total: Num, parts: list[Num], parts_label: str, unit: str | None,
    missing: list[str] | None = None, metric_ids: list[str] | None = None,
) -> Finding | None:
    """Finding when `parts` do not add up to `total` (note within rounding, rule severity beyond)."""
    h = group_half_unit([(n.text, n.value) for n in [total, *parts]], unit)
    actual = sum(p.value for p in parts)
    diff = actual - total.value
    if abs(diff) <= EPS:
        return None
    tolerance = h * (len(parts) + 1) + EPS
    digits = max([decimals(n.text, n.value) for n in [total, *parts]] + [2 if unit == "万元" else 0])
    u = unit or ""
    parts_text = " + ".join(f"{p.label} {shown(p)}" for p in parts) or "未列出"
    message = (
        f"{total.label} {shown(total)}{u} ≠ {parts_label}之和 {fmt(actual, digits)}{u}"
        f"（{parts_text}），相差 {fmt(abs(diff), digits)}{u}"
    )
    if abs(diff) <= tolerance:
        severity = "note"
        message += "，在印刷精度的四舍五入范围内"
    elif missing and diff < 0:
        severity = "note"
        message += f"；报告未说明 {'、'.join(missing)}，差额可能来自这些项目"
    else:
        severity = rule(rule_id).severity
    lines = [ln for n in [total, *parts] for ln in n.lines]
    return Finding(rule_id, severity, message, metric_ids or [], total.value, round(actual, 6),
                   round(diff, 6), lines)


def check_sums(record: Record) -> Iterator[Finding]:
    """Parts vs totals of the template (income, expenditure, basic expenditure, 三公)."""
    unit = record.identity.unit or "万元"
    for rule_id, (total_metric, parts_label, part_metrics) in SUMS.items():
        total = main(record, total_metric)
        if total is None:
            continue
        parts = [(m, main(record, m)) for m in part_metrics]
        present = [(m, f) for m, f in parts if f is not None]
        if not present:
            continue
        missing = [label(m) or m for m, f in parts if f is None]
        finding = compare_sum(
            rule_id, Num.of(total), [Num.of(f) for _, f in present], parts_label, total.unit or unit,
            missing, [total_metric] + [m for m, _ in present],
        )
        if finding:
            yield finding


def check_breakdowns(record: Record) -> Iterator[Finding]:
    """Totals vs their breakdown by qualifier (vehicles by type or use, purchase money by type)."""
    for rule_id, total_metric, part_metric, parts_label in BREAKDOWNS:
        total = main(record, total_metric)
        parts = [f for f in record.figures if f.metric == part_metric and f.qualifier]
        if total is None or not parts:
            continue
        nums = [Num(f"{f.qualifier}", f.value, f.text, _lines(f.source)) for f in parts]
        finding = compare_sum(rule_id, Num.of(total), nums, parts_label, total.unit, None,
                              [total_metric, part_metric])
        if finding:
            yield finding


def check_spending(record: Record) -> Iterator[Finding]:
    """Each 类 vs its 项, the 类 vs 一般公共预算财政拨款支出, the 项 vs the same."""
    unit = record.identity.unit or "万元"
    by_class: dict[str, list] = {}
    for item in record.line_items:
        by_class.setdefault(class_key(item.class_name), []).append(item)
    for cls in record.spending_by_class:
        items = by_class.get(class_key(cls.name))
        if not items:
            continue
        total = Num(f"{cls.name}（类）", cls.amount, cls.amount_text, _lines(cls.source))
        parts = [Num(clean(i.xiang_name) or clean(i.kuan_name) or "（项）", i.amount, i.amount_text, _lines(i.source))
                 for i in items]
        finding = compare_sum("class-items-sum", total, parts, "其下各项", cls.unit or unit)
        if finding:
            yield finding
    gbe = main(record, "general_budget_expenditure")
    if gbe is None:
        return
    if record.spending_by_class:
        parts = [Num(c.name, c.amount, c.amount_text, _lines(c.source)) for c in record.spending_by_class]
        finding = compare_sum("classes-total", Num.of(gbe), parts, "各类", gbe.unit or unit,
                              metric_ids=["general_budget_expenditure"])
        if finding:
            yield finding
    if record.line_items:
        parts = [Num(clean(i.xiang_name) or clean(i.kuan_name) or "（项）", i.amount, i.amount_text, _lines(i.source))
                 for i in record.line_items]
        finding = compare_sum("line-items-total", Num.of(gbe), parts, "各项", gbe.unit or unit,
                              metric_ids=["general_budget_expenditure"])
        if finding:
            yield finding


def _share_finding(part: Num, total: Num, stated: float, unit: str | None, metric_ids: list[str]) -> Finding | None:
    h = group_half_unit([(part.text, part.value), (total.text, total.value)], unit)
    bounds = ratio_range(part.value, total.value, h, h)
    if bounds is None:
        return None
    hs = half_unit(decimals(None, stated))
    lo, hi = bounds
    if lo - hs - EPS <= stated <= hi + hs + EPS:
        return None
    computed = part.value / total.value * 100
    gap = stated - computed
    severity = "note" if lo - 3 * hs - EPS <= stated <= hi + 3 * hs + EPS else rule("stated-share").severity
    message = (
        f"{part.label} {shown(part)} 占 {total.label} {shown(total)} 的 {fmt(computed)}%，"
        f"报告称占 {fmt(stated, 4)}%，相差 {fmt(abs(gap))} 个百分点"
    )
    return Finding("stated-share", severity, message, metric_ids, round(computed, 4), stated, round(gap, 4),
                   part.lines + total.lines)


def check_shares(record: Record) -> Iterator[Finding]:
    """Stated shares (“占X%”) vs part ÷ total."""
    unit = record.identity.unit or "万元"
    for f in record.figures:
        if f.share_pct is None or f.metric not in SHARE_OF:
            continue
        total = main(record, SHARE_OF[f.metric])
        if total is None:
            continue
        finding = _share_finding(Num.of(f), Num.of(total), f.share_pct, f.unit or unit, [f.metric, total.metric])
        if finding:
            yield finding
    gbe = main(record, "general_budget_expenditure")
    if gbe is None:
        return
    for c in record.spending_by_class:
        if c.share_pct is None:
            continue
        finding = _share_finding(Num(c.name, c.amount, c.amount_text, _lines(c.source)), Num.of(gbe),
                                 c.share_pct, c.unit or unit, ["general_budget_expenditure"])
        if finding:
            yield finding


def check_change_pct(record: Record) -> Iterator[Finding]:
    """Stated change % vs change ÷ (value − change)."""
    unit = record.identity.unit or "万元"
    for f in record.figures:
        if f.change is None or f.change_pct is None:
            continue
        prior = f.value - f.change
        h = group_half_unit([(f.text, f.value), (None, f.change)], f.unit or unit)
        # the prior year is value − change: its rounding is the sum of both
        bounds = ratio_range(f.change, prior, h, 2 * h)
        if bounds is None:
            continue
        hs = half_unit(decimals(None, f.change_pct))
        lo, hi = bounds
        if lo - hs - EPS <= f.change_pct <= hi + hs + EPS:
            continue
        computed = f.change / prior * 100
        gap = f.change_pct - computed
        near = lo - 3 * hs - EPS <= f.change_pct <= hi + 3 * hs + EPS
        message = (
            f"{label(f.metric) or f.metric} {shown(Num.of(f))}，比上年增减 {fmt(f.change)}，"
            f"按上年 {fmt(prior)} 计算为 {fmt(computed)}%，报告称 {fmt(f.change_pct, 4)}%"
        )
        yield Finding("stated-change-pct", "note" if near else rule("stated-change-pct").severity, message,
                      [f.metric], round(computed, 4), f.change_pct, round(gap, 4), _lines(f.source))


def _disagree(rule_id: str, a: Figure, b: Figure, name_a: str, name_b: str, unit: str) -> Finding | None:
    h = group_half_unit([(a.text, a.value), (b.text, b.value)], a.unit or unit)
    diff = b.value - a.value
    if abs(diff) <= EPS:
        return None
    message = (
        f"{name_a} 在第 {a.source.line} 行为 {shown(Num.of(a))}{a.unit}，"
        f"{name_b} 在第 {b.source.line} 行为 {shown(Num.of(b))}{b.unit}"
    )
    severity = "note" if abs(diff) <= 2 * h + EPS else rule(rule_id).severity
    return Finding(rule_id, severity, message, sorted({a.metric, b.metric}), a.value, b.value, round(diff, 6),
                   _lines(a.source) + _lines(b.source))


def check_repeats(record: Record) -> Iterator[Finding]:
    """A figure restated in another section with another value; two metrics for one thing that differ."""
    unit = record.identity.unit or "万元"
    for f in record.figures:
        if f.qualifier != RESTATED:
            continue
        base = next((g for g in record.figures if g.metric == f.metric and not g.qualifier), None)
        if base is not None:
            name = label(f.metric) or f.metric
            finding = _disagree("repeated-figure", base, f, name, "又", unit)
            if finding:
                yield finding
    pairs = list(SAME_THING)
    total, gbe = main(record, "expenditure_total"), main(record, "general_budget_expenditure")
    if total is not None and gbe is not None and abs(total.value - gbe.value) <= EPS:
        # all spending is 一般公共预算财政拨款: its 基本支出 is the 基本支出 of the 支出 section
        pairs.append(("expenditure_basic", "general_budget_basic_expenditure"))
    for a_metric, b_metric in pairs:
        a, b = main(record, a_metric), main(record, b_metric)
        if a is not None and b is not None:
            finding = _disagree("repeated-figure", a, b, label(a_metric) or a_metric, label(b_metric) or b_metric, unit)
            if finding:
                yield finding


def check_operating_costs(record: Record) -> Iterator[Finding]:
    """公用经费 vs 机关运行经费, only for a department with no sub-units (where they usually match)."""
    if record.subunits or (record.identity.subunit_count or 0) > 0:
        return
    public, operating = main(record, "public_expenses"), main(record, "operating_costs")
    if public is None or operating is None or abs(public.value - operating.value) <= EPS:
        return
    diff = operating.value - public.value
    message = f"公用经费 {shown(Num.of(public))} ≠ 机关运行经费 {shown(Num.of(operating))}，相差 {fmt(abs(diff))}"
    yield Finding("operating-costs", "note", message, ["public_expenses", "operating_costs"], public.value,
                  operating.value, round(diff, 6), _lines(public.source) + _lines(operating.source))


def check_subunits(record: Record) -> Iterator[Finding]:
    """Stated number of 二级预算单位 vs the units listed."""
    stated = record.identity.subunit_count
    if stated is None or not record.subunits or stated == len(record.subunits):
        return
    source = record.identity.sources.get("subunit_count")
    lines = _lines(source) + [s.source.line for s in record.subunits]
    message = f"说明二级预算单位 {stated} 个，实际列出 {len(record.subunits)} 个"
    yield Finding("subunit-count", rule("subunit-count").severity, message, [], float(stated),
                  float(len(record.subunits)), float(len(record.subunits) - stated), lines)


def check_classification(record: Record) -> Iterator[Finding]:
    """Line-item and 类 names that have no code in the bundled classification table."""
    table = classification_table()
    seen: set[tuple[str, str]] = set()
    chains = [(i.class_name, i.kuan_name, i.xiang_name, _lines(i.source)) for i in record.line_items]
    chains += [(c.name, None, None, _lines(c.source)) for c in record.spending_by_class]
    for class_name, kuan_name, xiang_name, lines in chains:
        for level, name, candidates in table.map(class_name, kuan_name, xiang_name).unmapped:
            where = "".join(f"{n}（{lv}）" for n, lv in ((class_name, "类"), (kuan_name, "款"), (xiang_name, "项")) if n)
            if (where, level) in seen:
                continue
            seen.add((where, level))
            close = "、".join(candidates) if candidates else "无相近名称"
            message = f"{where}：{level}“{clean(name)}”不在本项目收录的政府收支分类科目中（最接近：{close}）"
            yield Finding("classification-unmapped", "note", message, [], source_lines=lines)


def check_metric_ids(record: Record) -> Iterator[Finding]:
    """Figures whose metric id is not in data/metrics.csv."""
    known = metrics()
    # staff_* (编制/实有人数 by category) is an open family the parser names from the report's own categories
    for metric in sorted({f.metric for f in record.figures if not f.metric.startswith("staff_")} - set(known)):
        lines = [f.source.line for f in record.figures if f.metric == metric]
        yield Finding("metric-unknown", "warning", f"指标 {metric} 不在 data/metrics.csv 中", [metric],
                      source_lines=lines)
