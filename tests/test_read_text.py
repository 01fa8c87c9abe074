"""The .txt reader on the sample exports: tables, continuation lines, positions, speed."""

from __future__ import annotations

import time

from juesuan.read import read_report
from juesuan.read.document import Paragraph, Table
from juesuan.read.text import parse_export


def _block_at(doc, line):
    return next(b for b in doc.blocks if b.line == line)


def test_table_rows_and_positions(sample_txt_paths):
    doc = read_report(sample_txt_paths["sichuan-panzhihua-kejiju-2022"])
    table = _block_at(doc, 257)  # 表1申报资金预算
    assert isinstance(table, Table)
    assert table.rows[0] == ["科目名称", "专项经费", "自筹经费", "合计"]
    assert table.rows[1] == ["间接费用", "5.2", "0", "5.2"]
    assert table.rows[-1] == ["其他费用", "0", "0", "0"]
    assert table.row_lines[:2] == [257, 262]
    assert _block_at(doc, 256).text == "表1申报资金预算"


def test_cell_continues_on_lines_without_tab(sample_txt_paths):
    doc = read_report(sample_txt_paths["sichuan-panzhihua-kejiju-2022"])
    table = _block_at(doc, 687)
    cell = table.rows[1][2]
    assert cell.startswith("1、共应兑付科技创新券补贴24.14万元")
    assert "。实际兑付23.45万元。" in cell and cell.endswith("两项合计使用资金24.30万元")
    doc21 = read_report(sample_txt_paths["sichuan-panzhihua-xiqu-kejiju-2021"])
    assert doc21.tables()[0].rows[2][0] == "项目预算执行情况（万元）"  # three lines of one cell


def test_indented_paragraph_is_not_a_table(sample_txt_paths):
    doc = read_report(sample_txt_paths["sichuan-panzhihua-kejiju-2022"])
    para = _block_at(doc, 604)  # "\t（一）资金计划、到位及使用情况。" followed by plain text
    assert isinstance(para, Paragraph) and para.text == "（一）资金计划、到位及使用情况。"
    assert isinstance(_block_at(doc, 605), Paragraph)
    assert _block_at(doc, 610).rows[0] == ["干部教育培训"]


def test_paragraph_right_after_last_row_ends_the_table(sample_txt_paths):
    doc21 = read_report(sample_txt_paths["sichuan-panzhihua-xiqu-kejiju-2021"])
    assert doc21.tables()[0].rows[-1][-1] == "95%以上"
    assert _block_at(doc21, 712).text == "第五部分附表"
    doc24 = read_report(sample_txt_paths["sichuan-suining-kejiju-2024"])
    assert _block_at(doc24, 651).text == "附件3"
    assert _block_at(doc24, 506).rows[-1][-1] == "企业满意度100%"


def test_markers_removed_and_marker_only_lines_skipped(sample_txt_paths):
    doc = read_report(sample_txt_paths["sichuan-panzhihua-kejiju-2022"])
    texts = [p.text for p in doc.paragraphs()]
    assert not any("[bookmark:" in t or "[image:" in t for t in texts)
    assert _block_at(doc, 33).text == "二、收入决算情况说明"
    assert not any(b.line == 36 for b in doc.blocks)  # "[image: 图片2]" alone


def test_merged_cells_are_empty_cells():
    blocks = parse_export("表\n\t科目\n\t金额\n\n\t\n\t5\n\n正文\n")
    assert blocks[1].rows == [["科目", "金额"], ["", "5"]]
    assert blocks[2].text == "正文"


def test_reading_all_samples_is_fast(sample_txt_paths):
    read_report(sample_txt_paths["sichuan-panzhihua-kexie-2022"])  # warm-up (OpenCC tables)
    start = time.perf_counter()
    for path in sample_txt_paths.values():
        assert read_report(path).encoding == "utf-8"
    assert time.perf_counter() - start < 0.5  # five reports; ≥100 reports/s needs < 10 ms each on average
