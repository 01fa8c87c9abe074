"""Accounting checks: each rule with a passing and a failing hand-built record.

Golden numbers are copied from the sample report reports/sichuan-panzhihua-kejiju-2022.txt
(line numbers beside them), not from the parser's output. That report adds up (apart from a
0.01 rounding gap), so every rule passes on it; each failing case changes one printed number.
"""

from __future__ import annotations

import copy

import pytest

from juesuan.checks import RULES, run_checks
from juesuan.checks.identity import is_short_for
from juesuan.checks.numbers import decimals
from juesuan.checks.rules import BY_ID, catalog_rows
from juesuan.record import ClassShare, Figure, Identity, LineItem, Record, Source, SourceFile, TextItem


def fig(metric: str, text: str, line: int, unit: str = "万元", **kw) -> Figure:
    return Figure(metric=metric, value=float(text), text=text, unit=unit, source=Source(line, f"line {line}"), **kw)


ZERO_INCOME = ("income_government_fund", "income_state_capital", "income_higher_level_subsidy",
               "income_public_service", "income_business", "income_from_affiliates", "income_other")

# L60-65 一般公共预算财政拨款支出决算具体情况: (类, 款, 项, amount)
ITEMS_000 = [
    ("一般公共服务", "组织事务", "其他组织事务支出", "7.62"),
    ("科学技术", "科学技术管理事务", "行政运行", "546.92"),
    ("科学技术", "科学技术管理事务", "其他科学技术管理事务支出", "2.87"),
    ("科学技术", "技术研究与开发", "科技成果转化与扩散", "19.42"),
    ("科学技术", "科技条件与服务", "机构运行", "686.64"),
    ("科学技术", "其他科学技术支出", "其他科学技术支出", "128.18"),
    ("社会保障和就业", "人力资源和社会保障管理事务", "其他人力资源和社会保障管理事务支出", "0.23"),
    ("社会保障和就业", "行政事业单位养老支出", "行政单位离退休", "143.62"),
    ("社会保障和就业", "行政事业单位养老支出", "事业单位离退休", "132.59"),
    ("社会保障和就业", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "99.77"),
    ("社会保障和就业", "抚恤", "死亡抚恤", "2.72"),
    ("社会保障和就业", "社会福利", "儿童福利", "1.07"),
    ("卫生健康", "其他卫生健康支出", "其他卫生健康支出", "0.36"),
    ("住房保障支出", "住房改革支出", "住房公积金", "117.12"),
    ("灾害防治及应急管理支出", "应急管理事务", "行政运行", "1.38"),
]


def record_000() -> Record:
    """The main figures of 攀枝花市科学技术局 2022 as printed (sichuan-panzhihua-kejiju-2022.txt)."""
    figures = [
        # L31 收、支总计1911.53万元 … 各减少156.01万元，下降7.55%
        fig("grand_total_income", "1911.53", 31, change=-156.01, change_pct=-7.55),
        # L34 本年收入合计1853.47万元，其中：一般公共预算财政拨款收入1853.47万元，占100%；…其他收入0万元，占0%
        fig("income_total", "1853.47", 34),
        fig("income_general_budget", "1853.47", 34, share_pct=100.0),
        *[fig(m, "0", 34, share_pct=0.0) for m in ZERO_INCOME],
        # L38 本年支出合计1892.07万元，其中：基本支出1746.06万元，占92.28%；项目支出146.01万元，占7.72%；…0万元
        fig("expenditure_total", "1892.07", 38),
        fig("expenditure_basic", "1746.06", 38, share_pct=92.28),
        fig("expenditure_project", "146.01", 38, share_pct=7.72),
        fig("expenditure_to_higher_level", "0", 38, share_pct=0.0),
        fig("expenditure_business", "0", 38, share_pct=0.0),
        fig("expenditure_to_affiliates", "0", 38, share_pct=0.0),
        # L46 一般公共预算财政拨款支出1890.5万元，占本年支出合计的100% … 减少101.66万元，下降5.1%
        fig("general_budget_expenditure", "1890.5", 46, share_pct=100.0, change=-101.66, change_pct=-5.1),
        # L67-69 基本支出1746.06万元 人员经费1597.05万元 公用经费149.01万元
        fig("general_budget_basic_expenditure", "1746.06", 67),
        fig("personnel_expenses", "1597.05", 68),
        fig("public_expenses", "149.01", 69),
        # L72 “三公”经费 7.39万元，完成预算66.1%，较上年减少2.39万元，下降24.44%
        fig("three_public_total", "7.39", 72, change=-2.39, change_pct=-24.44, budget_completion_pct=66.1),
        # L74 因公出国（境）费 0万元，占0%；公务用车购置及运行维护费 6.75万元，占91.34%；公务接待费 0.64万元，占8.66%
        fig("three_public_overseas", "0", 74, share_pct=0.0),
        fig("three_public_vehicles", "6.75", 74, share_pct=91.34),
        fig("three_public_reception", "0.64", 74, share_pct=8.66),
        # L86-87 公务用车购置支出0万元 … 共有公务用车4辆，其中：轿车3辆、越野车1辆、载客汽车0辆 … 运行维护费6.75万元
        fig("vehicle_purchase", "0", 86),
        fig("vehicle_operation", "6.75", 87),
        fig("vehicles_held", "4", 86, unit="辆"),
        fig("vehicles_held_by_type", "3", 86, unit="辆", qualifier="轿车"),
        fig("vehicles_held_by_type", "1", 86, unit="辆", qualifier="越野车"),
        fig("vehicles_held_by_type", "0", 86, unit="辆", qualifier="载客汽车"),
        # L89-90 国内公务接待支出0.64万元 外事接待支出0万元
        fig("reception_domestic", "0.64", 89),
        fig("reception_foreign", "0", 90),
        # L97 机关运行经费支出86.64万元，比2021年减少9.3万元，下降9.69%
        fig("operating_costs", "86.64", 97, change=-9.3, change_pct=-9.69),
        # L99 政府采购支出总额5.42万元，其中：货物支出5.42万元、工程支出0万元、服务支出0万元
        fig("procurement_total", "5.42", 99),
        fig("procurement_goods", "5.42", 99),
        fig("procurement_works", "0", 99),
        fig("procurement_services", "0", 99),
        # L101 共有车辆4辆，其中：主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、其他用车4辆
        fig("vehicles_total", "4", 101, unit="辆"),
        *[fig("vehicles_by_use", t, 101, unit="辆", qualifier=q)
          for q, t in (("主要领导干部用车", "0"), ("机要通信用车", "0"), ("应急保障用车", "0"), ("其他用车", "4"))],
    ]
    # L50 一般公共服务支出7.62万元，占0.4%；科学技术支出1384.03万元，占73.21%；社会保障和就业支出380万元，占20.1%；
    #     卫生健康支出0.36万元，占0.02%；住房保障支出117.12万元，占6.2%；灾害防治及应急管理支出1.38万元，占0.07%
    classes = [
        ClassShare(name, float(t), t, "万元", Source(50, "L50"), share_pct=s)
        for name, t, s in (("一般公共服务支出", "7.62", 0.4), ("科学技术支出", "1384.03", 73.21),
                           ("社会保障和就业支出", "380", 20.1), ("卫生健康支出", "0.36", 0.02),
                           ("住房保障支出", "117.12", 6.2), ("灾害防治及应急管理支出", "1.38", 0.07))
    ]
    items = [LineItem(c, k, x, float(a), a, "万元", Source(60 + n // 3, "L60-65")) for n, (c, k, x, a) in
             enumerate(ITEMS_000)]
    # L20-25 下属二级预算单位3个 … 1.攀枝花市生产力促进中心 2.… 3.…（第 4 个已调整隶属关系，此处按 3 个）
    subunits = [TextItem(t, Source(22 + n, t)) for n, t in enumerate(
        ("攀枝花市生产力促进中心", "攀枝花市科技发展战略研究所", "攀枝花市科技基础条件平台服务中心"))]
    return Record(
        source_file=SourceFile("r.txt", "r.txt", "0" * 64, "txt", 1),
        identity=Identity(department="攀枝花市科学技术局", short_names=["市科技局"], province="四川省",
                          city="攀枝花市", fiscal_year=2022, kind="部门决算", unit="万元", subunit_count=3),
        figures=figures,
        spending_by_class=classes,
        line_items=items,
        subunits=subunits,
    )


def findings(record: Record, rule: str, severity: str | None = None):
    return [f for f in run_checks(record) if f.rule == rule and (severity is None or f.severity == severity)]


def with_value(record: Record, metric: str, text: str, qualifier: str | None = None) -> Record:
    record = copy.deepcopy(record)
    for f in record.figures:
        if f.metric == metric and (qualifier is None or f.qualifier == qualifier):
            f.value, f.text = float(text), text
            break
    else:
        raise AssertionError(f"no {metric} in fixture")
    return record


def test_sample_000_has_only_notes():
    # the report's figures agree; 各类之和 1890.51 vs 1890.5 is a rounding gap → a note, not an error
    found = run_checks(record_000())
    assert [(f.rule, f.message) for f in found if f.severity != "note"] == []
    rounding = [f for f in found if f.rule == "classes-total"]
    assert len(rounding) == 1 and rounding[0].severity == "note"
    assert "1890.5" in rounding[0].message and "1890.51" in rounding[0].message and "0.01" in rounding[0].message


# rule → (metric to change, new printed value): each breaks exactly that identity
SUM_CASES = {
    "income-sum": ("income_other", "12.5"),
    "expenditure-sum": ("expenditure_project", "156.01"),
    "basic-expenditure-sum": ("personnel_expenses", "1590.05"),
    "three-public-sum": ("three_public_overseas", "1.2"),
    "vehicle-costs-sum": ("vehicle_operation", "5.75"),
    "reception-sum": ("reception_foreign", "0.3"),
    "procurement-sum": ("procurement_services", "2"),
}


@pytest.mark.parametrize("rule_id", sorted(SUM_CASES))
def test_sum_rules(rule_id):
    assert findings(record_000(), rule_id) == []
    metric, text = SUM_CASES[rule_id]
    found = findings(with_value(record_000(), metric, text), rule_id, "error")
    assert len(found) == 1
    assert text in found[0].message and "≠" in found[0].message
    assert found[0].source_lines


def test_income_sum_message_names_figures_and_gap():
    found = findings(with_value(record_000(), "income_other", "12.5"), "income-sum")[0]
    assert found.message.startswith("本年收入合计 1853.47万元 ≠ 各项收入之和 1865.97万元")
    assert "其他收入 12.5" in found.message and "相差 12.5万元" in found.message
    assert found.expected == 1853.47 and found.difference == pytest.approx(12.5)


def test_rounding_gap_is_a_note():
    found = findings(with_value(record_000(), "personnel_expenses", "1597.06"), "basic-expenditure-sum")
    assert [f.severity for f in found] == ["note"]


def test_missing_parts_below_total_is_a_note_not_an_error():
    record = record_000()
    record.figures = [f for f in record.figures if f.metric != "income_general_budget"]
    found = findings(record, "income-sum")
    assert [f.severity for f in found] == ["note"] and "未说明 一般公共预算财政拨款收入" in found[0].message


def test_class_items_and_totals():
    assert findings(record_000(), "class-items-sum") == []
    assert findings(record_000(), "line-items-total", "error") == []
    record = copy.deepcopy(record_000())
    record.line_items = [i for i in record.line_items if i.xiang_name != "事业单位离退休"]  # 132.59
    found = findings(record, "class-items-sum", "error")
    assert len(found) == 1 and "社会保障和就业支出（类） 380万元" in found[0].message and "132.59" in found[0].message
    assert findings(record, "line-items-total", "error")


def test_classes_total():
    record = copy.deepcopy(record_000())
    record.spending_by_class[1].amount, record.spending_by_class[1].amount_text = 1284.03, "1284.03"
    assert findings(record, "classes-total", "error")


def test_vehicle_counts():
    assert findings(record_000(), "count-sum") == []
    # seed xiqu-jingxinju 2022 L65: 共有公务用车1辆，其中：轿车0辆、越野车0辆、载客汽车0辆
    record = with_value(record_000(), "vehicles_held_by_type", "2", qualifier="轿车")
    found = findings(record, "count-sum", "error")
    assert len(found) == 1 and "年末公务用车保有量 4辆" in found[0].message
    # counts are exact: a difference of one vehicle is never “rounding”
    record = with_value(record_000(), "vehicles_by_use", "3", qualifier="其他用车")
    assert [f.severity for f in findings(record, "count-sum")] == ["error"]


def test_vehicle_purchase_by_type():
    record = copy.deepcopy(record_000())
    record.figures.append(fig("vehicle_purchase_by_type", "0", 86, qualifier="轿车"))
    assert findings(record, "vehicle-purchase-sum") == []
    record.figures.append(fig("vehicle_purchase_by_type", "20.5", 86, qualifier="越野车"))
    assert findings(record, "vehicle-purchase-sum", "error")


def test_subunit_count():
    assert findings(record_000(), "subunit-count") == []
    record = copy.deepcopy(record_000())
    # L20-25: the report says 3 and lists 4 (the 4th moved to another department)
    record.subunits.append(TextItem("攀枝花市决策咨询服务中心", Source(25, "4.")))
    found = findings(record, "subunit-count", "warning")
    assert len(found) == 1 and "3 个" in found[0].message and "4 个" in found[0].message


def test_stated_share():
    assert findings(record_000(), "stated-share") == []
    record = copy.deepcopy(record_000())
    next(f for f in record.figures if f.metric == "expenditure_basic").share_pct = 82.28
    found = findings(record, "stated-share", "warning")
    assert len(found) == 1 and "92.28%" in found[0].message and "82.28%" in found[0].message
    # an integer share is compared at its printed precision: 37.5% printed as 37% is fine, as 35% is not
    record = copy.deepcopy(record_000())
    record.spending_by_class[2].share_pct = 20.0
    assert findings(record, "stated-share") == []
    record.spending_by_class[2].share_pct = 25.0
    assert findings(record, "stated-share", "warning")


def test_stated_change_pct():
    assert findings(record_000(), "stated-change-pct") == []
    # seed xiqu-kejiju 2021 L87: 机关运行经费支出9.35万元，比2020年增加1.19万元，增长0.59%（应为 14.58%）
    record = copy.deepcopy(record_000())
    f = next(f for f in record.figures if f.metric == "operating_costs")
    f.value, f.text, f.change, f.change_pct = 9.35, "9.35", 1.19, 0.59
    found = findings(record, "stated-change-pct", "warning")
    assert len(found) == 1 and "14.58%" in found[0].message and "0.59%" in found[0].message


def test_repeated_figure():
    record = copy.deepcopy(record_000())
    record.figures.append(fig("three_public_vehicles", "6.75", 80, qualifier="restated"))
    assert findings(record, "repeated-figure") == []
    record.figures[-1].value, record.figures[-1].text = 6.57, "6.57"
    found = findings(record, "repeated-figure", "warning")
    assert len(found) == 1 and "6.75" in found[0].message and "6.57" in found[0].message
    # 三公部分“共有公务用车” vs 国有资产部分“共有车辆” (seed xiqu-jingxinju: 1 vs 0)
    record = with_value(record_000(), "vehicles_total", "0")
    assert findings(record, "repeated-figure", "warning")


def test_basic_expenditure_stated_twice_when_all_spending_is_general_budget():
    record = with_value(record_000(), "general_budget_basic_expenditure", "1736.06")
    assert findings(record, "repeated-figure") == []  # 1892.07 ≠ 1890.5: other funds may differ
    record = with_value(record, "general_budget_expenditure", "1892.07")
    found = findings(record, "repeated-figure", "warning")
    assert len(found) == 1 and "1746.06" in found[0].message and "1736.06" in found[0].message


def test_operating_costs_only_without_subunits():
    assert findings(record_000(), "operating-costs") == []  # has sub-units: 149.01 ≠ 86.64 is expected
    record = copy.deepcopy(record_000())
    record.subunits, record.identity.subunit_count = [], 0
    assert [f.severity for f in findings(record, "operating-costs")] == ["note"]
    record = with_value(record, "operating_costs", "149.01")
    assert findings(record, "operating-costs") == []


def test_department_name():
    assert findings(record_000(), "department-name") == []
    record = copy.deepcopy(record_000())
    record.identity.department = "攀枝花市西区经济和信息化局"
    record.identity.short_names = ["区经济和信息化局"]
    assert findings(record, "department-name") == []
    record.identity.other_names = ["西区经济合作局"]  # seed xiqu-jingxinju 2022 calls itself this once
    found = findings(record, "department-name", "warning")
    assert len(found) == 1 and "西区经济合作局" in found[0].message


def test_is_short_for():
    assert is_short_for("市科技局", "攀枝花市科学技术局")
    assert is_short_for("区经济和信息化局", "攀枝花市西区经济和信息化局")
    assert not is_short_for("西区经济合作局", "攀枝花市西区经济和信息化局")
    assert not is_short_for("市教育局", "攀枝花市科学技术局")


def test_classification_unmapped():
    record = copy.deepcopy(record_000())
    record.line_items = [LineItem("住房保障支出", "住房改革支出", "住房公积金", 117.12, "117.12", "万元", Source(64, ""))]
    assert findings(record, "classification-unmapped") == []
    record.line_items.append(LineItem("住房保障支出", "住房改革支出", "住房公基金", 1.0, "1", "万元", Source(65, "")))
    found = findings(record, "classification-unmapped", "note")
    assert len(found) == 1 and "住房公基金" in found[0].message and "2210201 住房公积金" in found[0].message


def test_metric_unknown():
    assert findings(record_000(), "metric-unknown") == []
    record = copy.deepcopy(record_000())
    record.figures.append(fig("made_up_metric", "1", 3))
    assert [f.message for f in findings(record, "metric-unknown")] == ["指标 made_up_metric 不在 data/metrics.csv 中"]


def test_every_rule_has_a_test_here():
    tested = set(SUM_CASES) | {
        "class-items-sum", "classes-total", "line-items-total", "count-sum", "vehicle-purchase-sum", "subunit-count",
        "stated-share", "stated-change-pct", "repeated-figure", "operating-costs", "department-name",
        "classification-unmapped", "metric-unknown"}
    assert tested == set(BY_ID)


def test_catalog_ids_unique_and_complete():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.severity in ("error", "warning", "note") and r.title and r.template and r.description for r in RULES)
    assert [row["id"] for row in catalog_rows()] == ids


def test_printed_decimals():
    assert decimals("0.00") == 2 and decimals("1890.5") == 1 and decimals("380") == 0
    assert decimals(None, 86.0) == 0 and decimals(None, 92.28) == 2


# -- the catalog's "same rows as its own package" test (checks/batch.py, OwnRows) ------------------

def test_rows_digest_tells_apart_rows_that_join_alike():
    from juesuan.checks.batch import rows_digest

    assert rows_digest([["a\x1fb"]]) != rows_digest([["a", "b"]])
    assert rows_digest([[]]) != rows_digest([[""]])
    assert rows_digest([["a"], ["b"]]) != rows_digest([["a", "b"]])
    assert rows_digest([["1", "x"]]) == rows_digest([["1", "x"]])


def _spy_units(monkeypatch) -> list[str]:
    import juesuan.checks.batch as batch

    seen: list[str] = []
    real = batch._run_task
    monkeypatch.setattr(batch, "_run_task", lambda task: seen.extend(s["unit"] for s in task["sources"]) or real(task))
    return seen


def test_catalog_rows_are_compared_with_what_the_package_check_read(tmp_path, monkeypatch):
    """The report packages' schemas and row digests come from their own check in the same run: the
    catalog's check opens no report package again."""
    import juesuan.checks.batch as batch
    from juesuan.checks.validate import validate_packages
    from juesuan.package import build_packages
    from test_package_incremental import OTHER, SLUG_000, outcomes

    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=None)
    monkeypatch.setattr(batch.OwnRows, "_resource", lambda *a: pytest.fail("a report descriptor was read again"))
    seen = _spy_units(monkeypatch)
    assert validate_packages(out, echo=None, cache_dir=None).errors == 0
    assert not {u for u in seen if u.startswith("catalog\x1ffigures\x1f") and u.count("\x1f") == 2}, seen
    assert f"catalog\x1ffigures\x1fkeys\x1f{SLUG_000}" in seen and f"catalog\x1ffigures\x1fkeys\x1f{OTHER}" in seen


@pytest.mark.parametrize("where", ["package", "catalog"])
def test_a_valid_catalog_row_unlike_its_package_row_is_validated_in_full(tmp_path, monkeypatch, where):
    """A changed value that is still valid: no error anywhere, but the report's catalog rows no longer
    count as its package's rows, so frictionless reads them all again."""
    from juesuan.checks.validate import validate_packages
    from juesuan.package import build_packages
    from test_package_incremental import OTHER, SLUG_000, outcomes

    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=None)
    path = out / (SLUG_000 if where == "package" else "catalog") / "figures.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if ",1911.53," in line)
    assert where == "package" or lines[i].startswith(SLUG_000 + ",")
    lines[i] = lines[i].replace(",1911.53,", ",1911.54,")
    path.write_text("".join(lines), encoding="utf-8-sig")
    seen = _spy_units(monkeypatch)
    result = validate_packages(out, echo=None, cache_dir=None)
    assert result.errors == 0, [p.errors for p in result.packages]
    assert f"catalog\x1ffigures\x1f{SLUG_000}" in seen
    assert f"catalog\x1ffigures\x1f{OTHER}" not in seen
