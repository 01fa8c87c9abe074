"""名词解释: golden term lists read from the sample reports, plus synthetic rules."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from juesuan.parse import glossary, parse_document
from juesuan.parse.sections import split_parts
from juesuan.read import read_report
from juesuan.read.document import Document, Paragraph
from juesuan.record import Identity, Record, SourceFile

REPORTS = Path(__file__).resolve().parent.parent / "reports"


@lru_cache(maxsize=None)
def sample(stem: str) -> Record:
    return parse_document(read_report(REPORTS / f"{stem}.txt"))


# (count, first term, last term, (0-based index, term, definition) of one entry in the middle) — read from each report's glossary.
GOLDEN = {
    # seed 000: no 第三部分 heading; lines 105-126 follow the 预算绩效管理 paragraph.
    "sichuan-panzhihua-kejiju-2022": (22, "财政拨款收入", "机关运行经费", (1, "年初结转和结余", "指以前年度尚未完成、结转到本年按有关规定继续使用的资金。")),
    # seed 001: lines 109-122.
    "sichuan-panzhihua-xiqu-kejiju-2021": (14, "财政拨款收入", "机关运行经费", (10, "项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")),
    # seed 002: lines 88-111; item 12 has no （项） marker on its last level.
    "sichuan-panzhihua-xiqu-jingxinju-2022": (24, "财政拨款收入", "机关运行经费", (11, "卫生健康支出支出（类）行政事业单位医疗支出（款）公务员医疗补助", None)),
    # seed 003: lines 84-97; items 3-10 separate term and definition with a comma.
    "sichuan-panzhihua-kexie-2022": (14, "财政拨款收入", "机关运行经费", (8, "社会保障和就业支出（208类）社会福利（10款）儿童福利（01项）", "指对儿童提供福利服务方面的支出。")),
    # seed 004: lines 137-166.
    "sichuan-suining-kejiju-2024": (30, "财政拨款收入", "机关运行经费", (16, "科学技术支出（类）科技重大项目（款）科技奖励（项）", "指用于科学技术奖励方面的支出。")),
}


@pytest.mark.parametrize("stem", sorted(GOLDEN))
def test_glossary_terms(stem):
    count, first, last, (k, term, definition) = GOLDEN[stem]
    entries = sample(stem).glossary
    assert len(entries) == count
    assert entries[0].term == first and entries[0].definition == "指单位从同级财政部门取得的财政预算资金。"
    assert entries[-1].term == last and entries[-1].definition.startswith("为保障行政单位（含参照公务员法管理的事业单位）运行")
    assert entries[k].term == term
    if definition:
        assert entries[k].definition == definition
    assert all(e.source.line > 0 and e.term in e.source.text for e in entries)


def _run(texts: list[str]) -> Record:
    blocks = [Paragraph(t, n) for n, t in enumerate(texts, start=1)]
    document = Document(path="x.txt", format="txt", sha256="", blocks=blocks)
    record = Record(source_file=SourceFile("x.txt", "x.txt", "", "txt", 0), identity=Identity())
    glossary.extract(document, split_parts(document), record)
    return record


def test_glossary_without_heading_after_performance_paragraph():
    record = _run([
        "第二部分 2023年度部门决算情况说明",
        "1.一般公共服务（类）行政运行（项）：支出决算为5万元，完成预算100%。",
        "（四）预算绩效管理情况",
        "根据预算绩效管理要求，本部门组织开展了绩效自评。",
        "1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
        "2年初结转和结余：指以前年度尚未完成的资金。",
        "基本支出：指为保障机构正常运转而发生的支出，",
        "包括人员支出和公用支出。",
        "第四部分 附件",
        "1.附件说明：不是名词解释",
    ])
    assert [(e.term, e.definition) for e in record.glossary] == [
        ("财政拨款收入", "指单位从同级财政部门取得的财政预算资金。"),
        ("年初结转和结余", "指以前年度尚未完成的资金。"),
        ("基本支出", "指为保障机构正常运转而发生的支出，包括人员支出和公用支出。"),
    ]
    assert record.glossary[2].source.line_end == 8


def test_glossary_with_heading_stops_at_attachment_line():
    record = _run([
        "第三部分 名词解释",
        "1.科学技术支出（206类）科学技术普及（07款）机构运行（01项），指科普事业单位的基本支出。",
        "2.机关运行经费：为保障行政单位运行用于购买货物和服务的各项资金。",
        "附件1",
        "3.不是：名词",
    ])
    assert [e.term for e in record.glossary] == ["科学技术支出（206类）科学技术普及（07款）机构运行（01项）", "机关运行经费"]
    assert record.glossary[0].definition == "指科普事业单位的基本支出。"


def test_no_glossary_when_part_two_has_only_line_items():
    record = _run(["第二部分 决算情况说明", "1.科学技术（类）行政运行（项）：支出决算为5万元。"])
    assert record.glossary == []
