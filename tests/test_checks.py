"""Accounting checks: each rule with a passing and a failing hand-built record.

Golden numbers are copied from the sample report sichuan-panzhihua-kejiju-2022.txt (lines
quoted beside them), not from the parser's output.
"""

from __future__ import annotations

import copy

import pytest

from juesuan.checks import RULES, count_by_severity, run_checks
from juesuan.checks.identity import is_short_for
from juesuan.record import ClassShare, Figure, Identity, LineItem, Record, Source, SourceFile, TextItem


def fig(metric: str, text: str, line: int, unit: str = "万元", **kw) -> Figure:
    return Figure(metric=metric, value=float(text), text=text, unit=unit, source=Source(line, f"line {line}"), **kw)


def record_000() -> Record:
    """The main figures of 攀枝花市科学技术局 2022 as printed (sichuan-panzhihua-kejiju-2022.txt)."""
    figures = [
        # L29 收、支总计1911.53万元 … 减少156.01万元，下降7.55%
        fig("grand_total_income", "1911.53", 29, change=-156.01, change_pct=-7.55),
        # L32 本年收入合计1853.47万元，其中：一般公共预算财政拨款收入1853.47万元，占100%；…其他收入0万元
        fig("income_total", "1853.47", 32),
        fig("income_general_budget", "1853.47", 32, share_pct=100.0),
        *[fig(m, "0", 32, share_pct=0.0) for m in (
            "income_government_fund", "income_state_capital", "income_higher_level_subsidy",
            "income_public_service", "income_business", "income_from_affiliates", "income_other")],
        # L36 本年支出合计1892.07万元，其中：基本支出1746.06万元，占92.28%；项目支出146.01万元，占7.72%
        fig("expenditure_total", "1892.07", 36),
        fig("expenditure_basic", "1746.06", 36, share_pct=92.28),
        fig("expenditure_project", "146.01", 36, share_pct=7.72),
        # L44 一般公共预算财政拨款支出1890.5万元 … 减少101.66万元，下降5.1%
        fig("general_budget_expenditure", "1890.5", 44, change=-101.66, change_pct=-5.1),
        # L62-64 基本支出1746.06万元 人员经费1597.05万元 公用经费149.01万元
        fig("general_budget_basic_expenditure", "1746.06", 62),
        fig("personnel_expenses", "1597.05", 63),
        fig("public_expenses", "149.01", 64),
        # L68 “三公”经费 7.39万元 … 减少2.39万元，下降24.44%
        fig("three_public_total", "7.39", 68, change=-2.39, change_pct=-24.44, budget_completion_pct=66.1),
        # L71 因公出国（境）费 0万元，占0%；公务用车购置及运行维护费 6.75万元，占91.34%；公务接待费 0.64万元，占8.66%
        fig("three_public_overseas", "0", 71, share_pct=0.0),
        fig("three_public_vehicles", "6.75", 71, share_pct=91.34),
        fig("three_public_reception", "0.64", 71, share_pct=8.66),
        # L86-87 公务用车购置支出0万元 … 运行维护费支出6.75万元
        fig("vehicle_purchase", "0", 86),
        fig("vehicle_operation", "6.75", 87),
        # L90-91 国内公务接待支出0.64万元 外事接待支出0万元
        fig("reception_domestic", "0.64", 90),
        fig("reception_foreign", "0", 91),
        # L99 机关运行经费支出86.64万元
        fig("operating_costs", "86.64", 99),
    ]
    # L48 一般公共服务支出7.62万元，占0.4%；科学技术支出1384.03万元，占73.21%；社会保障和就业支出380万元，占20.1%；
    #     卫生健康支出0.36万元，占0.02%；住房保障支出117.12万元，占6.2%；灾害防治及应急管理支出1.38万元，占0.07%
    classes = [
        ClassShare(name, float(t), t, "万元", Source(48, "L48"), share_pct=s)
        for name, t, s in (("一般公共服务支出", "7.62", 0.4), ("科学技术支出", "1384.03", 73.21),
                           ("社会保障和就业支出", "380", 20.1), ("卫生健康支出", "0.36", 0.02),
                           ("住房保障支出", "117.12", 6.2), ("灾害防治及应急管理支出", "1.38", 0.07))
    ]
    items = [
        LineItem("一般公共服务", "组织事务", "其他组织事务支出", 7.62, "7.62", "万元", Source(56, "L56")),
        LineItem("卫生健康", "其他卫生健康支出", "其他卫生健康支出", 0.36, "0.36", "万元", Source(59, "L59")),
        LineItem("住房保障支出", "住房改革支出", "住房公积金", 117.12, "117.12", "万元", Source(60, "L60")),
        LineItem("灾害防治及应急管理支出", "应急管理事务", "行政运行", 1.38, "1.38", "万元", Source(61, "L61")),
    ]
    return Record(
        source_file=SourceFile("r.txt", "r.txt", "0" * 64, "txt", 1),
        identity=Identity(department="攀枝花市科学技术局", short_names=["市科技局"], province="四川省",
                          city="攀枝花市", fiscal_year=2022, kind="部门决算", unit="万元"),
        figures=figures,
        spending_by_class=classes,
        line_items=items,
    )


def rules_of(record: Record, severity: str | None = None) -> list[str]:
    return [f.rule for f in run_checks(record) if severity is None or f.severity == severity]


def set_value(record: Record, metric: str, text: str) -> Record:
    record = copy.deepcopy(record)
    for f in record.figures:
        if f.metric == metric:
            f.value, f.text = float(text), text
    return record


def test_sample_000_main_figures_add_up():
    # the printed figures of report 000 are consistent except where the structure is partial:
    # only four 类 have their 项 in this fixture, so class-items/line-items do not apply to the rest.
    findings = [f for f in run_checks(record_000()) if f.rule not in ("classification-unmapped", "line-items-total")]
    assert [(f.rule, f.severity, f.message) for f in findings if f.severity != "note"] == []


def test_catalog_ids_unique_and_templates_present():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.severity in ("error", "warning", "note") and r.title and r.template for r in RULES)
