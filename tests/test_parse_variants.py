"""Phrasing variants of the template, each as a small synthetic report fragment."""

from __future__ import annotations

import pytest

from juesuan.errors import ReportError
from juesuan.parse import parse_document
from juesuan.read.document import Document, Paragraph
from juesuan.record import Record


def parse(*lines: str, normalise: bool = False) -> Record:
    if normalise:
        from juesuan.read.normalize import normalize_text

        lines = tuple(normalize_text(line) for line in lines)
    blocks = [Paragraph(text=line, line=n) for n, line in enumerate(lines, start=1)]
    return parse_document(Document(path="fragment.txt", format="txt", sha256="0" * 64, blocks=blocks))


def fig(record: Record, metric: str, qualifier: str | None = None):
    found = [f for f in record.figures if f.metric == metric and f.qualifier == qualifier]
    assert len(found) == 1, (metric, [(f.metric, f.qualifier, f.text) for f in record.figures])
    return found[0]


def test_one_total_for_income_and_expenditure():
    r = parse("2022年度收、支总计1911.53万元。与2021年相比，收、支总计各减少156.01万元，下降7.55%。主要变动原因是项目减少。")
    for metric in ("grand_total_income", "grand_total_expenditure"):
        f = fig(r, metric)
        assert (f.value, f.unit, f.change, f.change_pct) == (1911.53, "万元", -156.01, -7.55)
        assert f.reason == "主要变动原因是项目减少"
    assert fig(r, "grand_total_change").value == -156.01
    assert fig(r, "grand_total_change_pct").value == -7.55


def test_different_income_and_expenditure_totals():
    r = parse("2022年度收、支总计各是1911.53,1900.20万元。")
    assert fig(r, "grand_total_income").value == 1911.53
    assert fig(r, "grand_total_expenditure").value == 1900.20


def test_totals_stated_as_equal():
    r = parse("2024年度收入、支出总计均为1447.01万元。")
    assert fig(r, "grand_total_income").text == fig(r, "grand_total_expenditure").text == "1447.01"


def test_year_prefix_and_zero_written_with_decimals():
    r = parse("2024年度本年收入合计100.00万元，其中：一般公共预算财政拨款收入100.00万元，占100%；事业收入0.00万元，占0%。")
    assert fig(r, "income_total").text == "100.00"
    f = fig(r, "income_public_service")
    assert (f.text, f.value, f.share_pct) == ("0.00", 0.0, 0.0)


def test_only_nonzero_components_listed():
    r = parse("2021年本年收入合计254.38万元，其中：一般公共预算财政拨款收入236.58万元，占93%；政府性基金预算财政拨款收入17.80万元，占7%。")
    assert r.figure("income_other") is None
    assert fig(r, "income_government_fund").share_pct == 7


def test_number_without_unit_takes_the_report_unit():
    r = parse("2022年本年支出合计1892.07万元，其中：基本支出1746.06，占92.28%；项目支出146.01万元。")
    f = fig(r, "expenditure_basic")
    assert (f.value, f.unit, f.share_pct) == (1746.06, "万元", 92.28)


def test_half_width_punctuation_and_flat_change():
    r = parse("1.因公出国(境)经费支出0万元,完成预算0%。因公出国(境)支出决算与2021年持平。")
    f = fig(r, "three_public_overseas")
    assert (f.change, f.budget_completion_pct) == (0.0, 0.0)


def test_line_items_with_and_without_markers():
    r = parse(
        "（三）一般公共预算财政拨款支出决算具体情况",
        "1.科学技术（类）科学技术管理事务（款）行政运行（项）: 支出决算为72.74万元，完成预算100%；一般行政管理事务（项）：支出决算为5万元，完成预算100%。",
        "2.社会保障和就业（类）抚恤（款）死亡抚恤（项目）:支出决算为2.72万元，完成预算110%，决算数大于预算数的主要原因是追加。",
        "3.卫生健康支出（类）其他卫生健康支出（款）其他卫生健康支出决算为0.26万元，完成预算100%。",
    )
    items = [(i.class_name, i.kuan_name, i.xiang_name, i.amount_text, i.budget_completion_pct) for i in r.line_items]
    assert items == [
        ("科学技术", "科学技术管理事务", "行政运行", "72.74", 100.0),
        ("科学技术", "科学技术管理事务", "一般行政管理事务", "5", 100.0),
        ("社会保障和就业", "抚恤", "死亡抚恤", "2.72", 110.0),
        ("卫生健康支出", "其他卫生健康支出", "其他卫生健康支出", "0.26", 100.0),
    ]
    assert r.line_items[2].explanation == "决算数大于预算数的主要原因是追加"


def test_stray_number_is_flagged_and_not_read():
    r = parse("2022年财政拨款收、支总计1905.49万元。与2021年相比2003.94，财政拨款收、支总计各减少98.45万元，下降4.91%。")
    assert fig(r, "fiscal_grand_total").change == -98.45
    assert any(w.code == "stray_number" and "2003.94" in w.message for w in r.warnings)
    assert all(f.text != "2003.94" for f in r.figures)


def test_unsure_amount_is_left_out_with_a_warning():
    r = parse("一、收入支出决算总体情况说明", "2022年度结转资金另计12.5万元。")
    assert not r.figures
    assert any(w.code == "unread_figure" and "12.5万元" in w.message for w in r.warnings)


def test_repeated_unit_is_a_slip():
    r = parse("2022年，市科技局政府采购支出总额5.42万元万元。")
    assert fig(r, "procurement_total").text == "5.42"
    assert any(w.code == "unit_slip" for w in r.warnings)


def test_fragment_without_header_warns_but_reads():
    r = parse("2022年“三公”经费财政拨款支出决算为7.39万元，完成预算66.1%，较上年减少2.39万元，下降24.44%。")
    f = fig(r, "three_public_total")
    assert (f.budget_completion_pct, f.change, f.change_pct) == (66.1, -2.39, -24.44)
    assert any(w.code == "missing_identity" for w in r.warnings)
    assert any(w.code == "missing_section" for w in r.warnings)


def test_not_a_report_is_refused():
    with pytest.raises(ReportError, match="not a final-accounts report"):
        parse("今天天气很好，我们去公园散步。", "公园里有很多花。")


def test_identity_from_text():
    r = parse(
        "第二部分 2021年度单位决算情况说明",
        "攀枝花市西区某某局无下属二级预算单位。",
        "2021年，攀枝花市西区某某局机关运行经费支出9.35万元。",
    )
    ident = r.identity
    assert (ident.department, ident.city, ident.district, ident.fiscal_year, ident.kind, ident.unit, ident.subunit_count) == (
        "攀枝花市西区某某局", "攀枝花市", "西区", 2021, "单位决算", "万元", 0,
    )


def test_vehicles_and_counts():
    r = parse(
        "全年按规定更新购置公务用车1辆，其中：轿车1辆、金额20万元。截至2022年12月底，单位共有公务用车2辆，其中：轿车2辆。",
        "国内公务接待6批次，33人次（不包括陪同人员），共计支出0.64万元。",
        "全年安排因公出国（境）团组2次，出国（境）5人。",
    )
    assert fig(r, "vehicles_purchased").value == 1
    assert fig(r, "vehicle_purchase_by_type", "轿车").value == 20
    assert fig(r, "vehicles_held_by_type", "轿车").value == 2
    assert fig(r, "reception_domestic_people").unit == "人次"
    assert (fig(r, "overseas_groups").value, fig(r, "overseas_people").value) == (2, 5)


def test_performance_scores():
    r = parse(
        "组织对2022年度一般公共预算全面开展绩效自评，其中，某某局部门整体（含部门预算项目）绩效自评得分为98分，绩效自评综述：完成较好；“某项研究”专项预算项目绩效自评得分为95分，绩效自评综述：按计划推进。绩效自评报告详见附件。"
    )
    dept, project = r.performance_scores
    assert (dept.kind, dept.score, dept.summary) == ("department", 98.0, "完成较好")
    assert (project.kind, project.subject, project.score, project.summary) == ("project", "某项研究", 95.0, "按计划推进。")
    assert fig(r, "performance_self_score").value == 98


def test_traditional_and_full_width_input_parses_like_simplified():
    simplified = parse("２０２２年度收、支總計１，９１１．５３萬元。與2021年相比，收、支總計各減少156.01萬元，下降7.55％。", normalise=True)
    f = fig(simplified, "grand_total_income")
    assert (f.text, f.value, f.unit, f.change, f.change_pct) == ("1911.53", 1911.53, "万元", -156.01, -7.55)


def test_comma_that_may_be_a_thousands_separator_or_a_list_is_not_read():
    r = parse(
        "2022年度收、支总计各是120,130万元。",
        "2022年本年收入合计1,234万元，其中：一般公共预算财政拨款收入1,234万元，占100%。",
        normalise=True,
    )
    # “各是A,B” expects two amounts, so there the comma separates them
    assert (fig(r, "grand_total_income").value, fig(r, "grand_total_expenditure").value) == (120, 130)
    # “合计1,234万元” is ambiguous: neither 1 nor 234 nor 1234 is published
    assert r.figure("income_total") is None and r.figure("income_general_budget") is None
    unread = [w for w in r.warnings if w.code == "unread_figure"]
    assert any("1,234万元" in w.message and w.source.line == 2 for w in unread)


def test_thousands_separator_with_decimals_is_read():
    r = parse("2022年本年收入合计1,234.56万元，其中：一般公共预算财政拨款收入1,234.56万元，占100%。", normalise=True)
    assert fig(r, "income_total").value == 1234.56
    assert fig(r, "income_total").text == "1234.56"
