"""One test per rule of docs/developers/text-normalisation.md (juesuan.read.normalize)."""

from __future__ import annotations

import time

import pytest

from juesuan.read.normalize import has_traditional, join_lines, normalize_text


def test_rule1_traditional_to_simplified():
    assert normalize_text("一般公共預算財政撥款支出決算") == "一般公共预算财政拨款支出决算"
    # phrase-level conversion applies when the reader says the document is traditional
    assert normalize_text("乾燥", t2s=True) == "干燥"
    assert normalize_text("乾隆") == "乾隆"  # no traditional character: OpenCC is not called
    assert has_traditional("決算") and not has_traditional("决算")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("１２３．４５％", "123.45%"),
        ("ＡＢＣｘｙｚ", "ABCxyz"),
        ("１＋１＝２", "1+1=2"),
        ("－５", "-5"),
        ("收入\u3000合计", "收入合计"),
        ("a\u00a0b", "a b"),
    ],
)
def test_rule2_fullwidth_ascii_and_spaces(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("科学技术(类)", "科学技术（类）"),
        ("行政运行（项）:支出决算", "行政运行（项）：支出决算"),
        ("占0%;其他", "占0%；其他"),
        ("见 http://example.org/x", "见 http://example.org/x"),
        ("收入，支出。分别、“三公”", "收入，支出。分别、“三公”"),
        ("（一）评价：结论；", "（一）评价：结论；"),
    ],
)
def test_rule3_canonical_chinese_punctuation(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,234.56万元", "1234.56万元"),
        ("1,234,567元", "1234567元"),
        ("¥519,600.00", "¥519600.00"),
        ("1 911.53万元", "1911.53万元"),
        ("为1911. 53万元", "为1911.53万元"),
        # not thousands groups: left alone
        ("1,2345", "1,2345"),
        # a full-width comma separates list items in Chinese text (seed 004: 591 企业，230 高企)
        ("591，230", "591，230"),
        # one group without decimals is ambiguous (“各是A,B万元” lists two amounts): left alone
        ("各是120,130万元", "各是120,130万元"),
        ("收、支总计各是1911.53,1892.07万元", "收、支总计各是1911.53,1892.07万元"),
        ("表1 2022年", "表1 2022年"),
        ("1. 2022年收入", "1. 2022年收入"),
        ("共12个，3个", "共12个，3个"),
    ],
)
def test_rule4_numbers(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("收 入", "收入"),
        ("第五部分 附表", "第五部分附表"),
        ("  编制人数  22人 \t ", "编制人数 22人"),
        ("1300 MPa", "1300 MPa"),
        ("（一） 部门", "（一）部门"),
    ],
)
def test_rule5_spaces(raw, expected):
    assert normalize_text(raw) == expected


def test_rule6_export_markers():
    assert normalize_text("[bookmark: _Toc15396604][image: 图片1]二、收入决算情况说明") == "二、收入决算情况说明"


def test_rule7_join_lines_of_one_paragraph():
    assert join_lines(["支出决算为0.36万", "元，完成预算100%"]) == "支出决算为0.36万元，完成预算100%"
    assert join_lines(["1911.", "53万元"]) == "1911.53万元"
    assert join_lines(["强度达到1300", "MPa"]) == "强度达到1300 MPa"


def test_never_changes_digits_units_or_signs():
    text = "较上年减少-2.39万元，下降24.44%，0.00元"
    assert normalize_text(text) == text


def test_idempotent():
    for raw in ["1,234.56万元 (类): 收 入", "為1 911. 53萬元"]:
        once = normalize_text(raw)
        assert normalize_text(once) == once


def test_fast_enough():
    lines = ["2022年本年收入合计1853.47万元，其中：一般公共预算财政拨款收入1853.47万元，占100%；"] * 20000
    start = time.perf_counter()
    for line in lines:
        normalize_text(line)
    assert time.perf_counter() - start < 1.0  # ≈ 20,000 lines: far below 10 ms per report
