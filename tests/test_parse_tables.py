"""Tables and 绩效自评表 indicators: golden values read by hand from the sample reports."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from juesuan.parse import tables
from juesuan.parse.sections import split_parts
from juesuan.read.document import Document, Paragraph, Table
from juesuan.read import read_report
from juesuan.parse import parse_document
from juesuan.record import Identity, Record, SourceFile

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "tables"
STEMS = sorted(p.stem for p in GOLDEN.glob("*.json"))


@lru_cache(maxsize=None)
def sample(stem: str) -> Record:
    return parse_document(read_report(ROOT / "reports" / f"{stem}.txt"))


def golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def test_every_sample_has_a_golden_file():
    assert len(STEMS) == 5


@pytest.mark.parametrize("stem", STEMS)
def test_every_attachment_table_is_present(stem):
    expected = golden(stem)["tables"]
    record = sample(stem)
    assert [t.title for t in record.tables] == [t["title"] for t in expected]
    assert [t.index for t in record.tables] == list(range(1, len(expected) + 1))


@pytest.mark.parametrize("stem", STEMS)
def test_table_shapes_and_cells(stem):
    record = sample(stem)
    for table, want in zip(record.tables, golden(stem)["tables"]):
        where = f"{stem} table {table.index}"
        assert table.kind == want["kind"], where
        assert len(table.header) == want["columns"], where
        assert all(len(r) == want["columns"] for r in table.rows), f"{where}: not rectangular"
        if "line" in want:
            assert table.source.line == want["line"], where
        if "rows" in want:
            assert len(table.rows) == want["rows"], where
        if "header" in want:
            assert table.header == want["header"], where
        if "first" in want:
            assert table.rows[0] == want["first"], where
        if "first_cells" in want:
            assert table.rows[0][: len(want["first_cells"])] == want["first_cells"], where
        if "last" in want:
            assert table.rows[-1] == want["last"], where
        for key, value in want.get("facts", {}).items():
            assert table.facts.get(key) == value, f"{where}: fact {key}"


@pytest.mark.parametrize("stem", STEMS)
def test_indicator_counts(stem):
    record = sample(stem)
    want = golden(stem)
    assert len(record.indicators) == want["indicators"]
    for table, t in zip(record.tables, want["tables"]):
        if "indicators" in t:
            assert sum(i.table_index == table.index for i in record.indicators) == t["indicators"], f"{stem} table {table.index}"


def _indicator(stem: str, table_index: int, level3: str):
    found = [i for i in sample(stem).indicators if i.table_index == table_index and i.level3 == level3]
    assert len(found) == 1, f"{stem} table {table_index}: {level3}"
    return found[0]


FULL_ROWS = [
    # seed 001, lines 225-231: the first indicator of 大众创业万众创新 (一级 “完成\n指标”).
    ("sichuan-panzhihua-xiqu-kejiju-2021", 1, "开展“双创”活动10余次",
     dict(subject="大众创业万众创新项目", level1="完成指标", level2="数量指标", target="开展活动10余次", actual="已完成",
          nature=None, unit=None, weight=None, score=None, deviation_reason=None)),
    # seed 001, lines 373-378: 可持续影响 — 一级 效益指标 carried down from line 359.
    ("sichuan-panzhihua-xiqu-kejiju-2021", 2, "提高农民技术水平",
     dict(level1="效益指标", level2="可持续影响指标", target="提高农民技术水平", actual="提高农民技术水平")),
    # seed 004, lines 345-353: 一级 产出指标 and 二级 质量指标 both carried down.
    ("sichuan-suining-kejiju-2024", 1, "全面完成政务考核目标",
     dict(subject="遂宁市科学技术局部门", level1="产出指标", level2="质量指标", nature="≥", target="95", unit="%", weight="5%", actual="95%")),
    # seed 004, lines 1397-1405: a “......” 二级 cell is printed text, not a merged cell.
    ("sichuan-suining-kejiju-2024", 5, "授课费",
     dict(subject="科技特派员团队建设", level1="成本指标", level2="......", nature="≤", target="1000", unit="人/元", weight="12", actual="1000")),
    # seed 004, lines 1582-1591.
    ("sichuan-suining-kejiju-2024", 6, "为企业解决技术难题满意率",
     dict(level1="满意度指标", level2="服务对象满意度指标", nature="≥", target="96", unit="百分比", weight="10", actual="满意")),
]


@pytest.mark.parametrize("stem,table_index,level3,fields", FULL_ROWS)
def test_indicator_rows_field_by_field(stem, table_index, level3, fields):
    indicator = _indicator(stem, table_index, level3)
    for name, value in fields.items():
        assert getattr(indicator, name) == value, name
    assert indicator.source.line > 0


def test_blank_and_placeholder_indicator_rows_are_skipped():
    # seed 004 table 3: rows of empty cells and a lone “......” (lines 812-830) are not indicators.
    levels3 = [i.level3 for i in sample("sichuan-suining-kejiju-2024").indicators if i.table_index == 3]
    assert None not in levels3 and "......" not in levels3


# --- synthetic cases, one per rule -------------------------------------------------------


def _run(blocks) -> Record:
    document = Document(path="x.txt", format="txt", sha256="", blocks=blocks)
    record = Record(source_file=SourceFile("x.txt", "x.txt", "", "txt", 0), identity=Identity())
    tables.extract(document, split_parts(document), record)
    return record


def _table(rows, line=10):
    return Table(rows=rows, line=line, row_lines=list(range(line, line + 2 * len(rows), 2)))


def test_header_spanning_columns_is_carried_across_and_levels_joined():
    record = _run([
        Paragraph("表3 收支对比", 9),
        _table([["项目", "本年", "", "上年", ""], ["", "预算", "决算", "预算", "决算"], ["收入", "1", "2", "3", "4"]]),
    ])
    (t,) = record.tables
    assert t.title == "表3 收支对比"
    assert t.header == ["项目", "本年/预算", "本年/决算", "上年/预算", "上年/决算"]
    assert t.rows == [["收入", "1", "2", "3", "4"]]


def test_short_header_row_last_heading_spans_the_rest():
    record = _run([_table([["甲", "乙"], ["1", "2", "3"], ["4", "5", "6"]])])
    assert record.tables[0].header == ["甲", "乙", "乙"]
    assert record.tables[0].title is None  # nothing plausible before it: no invented title


def test_body_cells_are_never_filled_from_above():
    record = _run([_table([["计划", "用途", "金额"], ["12", "培训费", "11.5"], ["", "资料费", "0.5"]])])
    assert record.tables[0].rows[1] == ["", "资料费", "0.5"]


def test_ragged_plain_table_is_padded_and_warned():
    record = _run([_table([["名称", "金额", "备注"], ["甲", "1", "x"], ["乙", "2"]])])
    assert record.tables[0].rows[1] == ["乙", "2", ""]
    assert [w.code for w in record.warnings] == ["table_shape"]


def test_one_reader_table_holding_two_printed_tables_is_split_at_the_title_row():
    record = _run([_table([
        ["甲项目绩效目标自评", ""], ["项目名称", "甲"], ["x", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
        ["", "产出指标", "数量指标", "培训", "3次", "3次"],
        ["乙项目绩效目标自评", ""], ["项目名称", "乙"], ["x", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
        ["", "产出指标", "数量指标", "宣传", "2次", "2次"],
    ])])
    assert [t.title for t in record.tables] == ["甲项目绩效目标自评", "乙项目绩效目标自评"]
    assert [i.subject for i in record.indicators] == ["甲", "乙"]
    assert [t.kind for t in record.tables] == ["performance_self_evaluation"] * 2


def test_one_cell_fragment_becomes_the_caption_of_the_next_table():
    record = _run([_table([["表5 设备清单"]], line=3), Paragraph("说明", 5), _table([["名称", "数量"], ["车", "1"]])])
    assert len(record.tables) == 1 and record.tables[0].title == "表5 设备清单"


def test_indicator_levels_are_carried_down_and_reset():
    header = ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "实际完成值", "得分", "偏差原因分析"]
    record = _run([_table([
        ["项目支出绩效自评表"], ["项目名称", "示例项目", "主管部门", "某局"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "10", "12", "11", "10", "91.67%", "9.2"],
        header,
        ["", "产出指标", "数量指标", "培训次数", "≥", "3", "次", "20", "4", "20", ""],
        ["", "", "", "培训人数", "≥", "100", "人", "20", "90", "18", "疫情影响"],
        ["", "", "质量指标", "合格率", "≥", "95", "%", "10", "96", "10", ""],
        ["", "效益指标", "", "带动就业", "定性", "明显", "", "10", "明显", "10", ""],
        ["", "", "", "", "", "", "", "", "", "", ""],
        ["", "总分", "", "", "", "", "", "100", "", "95", ""],
    ])])
    (t,) = record.tables
    assert t.title == "项目支出绩效自评表" and t.kind == "performance_self_evaluation"
    assert t.facts["项目名称"] == "示例项目" and t.facts["主管部门"] == "某局"
    assert t.facts["全年执行数"] == "11" and t.facts["执行率"] == "91.67%" and t.facts["得分"] == "9.2"
    rows = [(i.level1, i.level2, i.level3, i.actual, i.score, i.deviation_reason) for i in record.indicators]
    assert rows == [
        ("产出指标", "数量指标", "培训次数", "4", "20", None),
        ("产出指标", "数量指标", "培训人数", "90", "18", "疫情影响"),
        ("产出指标", "质量指标", "合格率", "96", "10", None),
        ("效益指标", None, "带动就业", "明显", "10", None),  # 二级 not carried across a new 一级
    ]
    assert all(i.subject == "示例项目" for i in record.indicators)
