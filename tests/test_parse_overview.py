"""第一部分 部门概况: golden lists read from the sample reports, plus synthetic rules."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from juesuan.parse import overview, parse_document
from juesuan.parse.sections import split_parts
from juesuan.read import read_report
from juesuan.read.document import Document, Paragraph
from juesuan.record import Identity, Record, SourceFile

REPORTS = Path(__file__).resolve().parent.parent / "reports"


@lru_cache(maxsize=None)
def sample(stem: str) -> Record:
    return parse_document(read_report(REPORTS / f"{stem}.txt"))


# Responsibilities: (count, first item's start, last item) as printed.
RESPONSIBILITIES = {
    "sichuan-panzhihua-kejiju-2022": (15, "拟订全市创新驱动发展战略以及科技发展", "完成市委、市政府交办的其他任务。"),
    "sichuan-panzhihua-xiqu-kejiju-2021": (15, "拟订全区创新驱动发展战略以及科技发展", "完成区委、区政府交办的其他任务。"),
    # one paragraph, duties separated by “；” (line 3)
    "sichuan-panzhihua-xiqu-jingxinju-2022": (17, "区经济和信息化局主要职责，即贯彻实施国家", "完成区委和区政府交办的其他任务。"),
    # item 10 is broken over lines 13-14 (“…社会公益性事” / “业。”)
    "sichuan-panzhihua-kexie-2022": (10, "密切联系科学技术工作者", "兴办符合攀枝花市科学技术协会宗旨的社会公益性事业。"),
    # one paragraph, duties separated by “；” (line 4); the last piece starts with 职能转变。
    "sichuan-suining-kejiju-2024": (12, "拟订全市创新驱动发展战略以及科技发展", None),
}

SUBUNITS = {
    "sichuan-panzhihua-kejiju-2022": ["攀枝花市生产力促进中心", "攀枝花市科技发展战略研究所", "攀枝花市科技基础条件平台服务中心",
                                       "攀枝花市决策咨询服务中心（隶属关系已调整为市政府办公室管理）"],
    "sichuan-panzhihua-xiqu-kejiju-2021": ["攀枝花市西区生产力促进中心"],
    "sichuan-panzhihua-xiqu-jingxinju-2022": ["西区信息产业发展中心", "西区企业服务中心"],
    "sichuan-panzhihua-kexie-2022": ["攀枝花市院士专家服务中心（攀枝花市科技创新转化服务中心）", "攀枝花市科技馆（攀枝花市青少年科技教育活动中心）"],
    "sichuan-suining-kejiju-2024": [],  # “无下属二级预算单位”
}

OFFICES = {
    # 第四部分 line 134
    "sichuan-panzhihua-kejiju-2022": ["办公室", "资源配置与政策法规科", "创新体系与科技人才科", "高新技术科", "农村与社会发展科技科", "成果转化与区域合作科", "人事科"],
    # 第四部分 line 135 “内设综合办公室1个”
    "sichuan-panzhihua-xiqu-kejiju-2021": ["综合办公室"],
    # 第四部分 line 119
    "sichuan-panzhihua-xiqu-jingxinju-2022": ["办公室", "工业经济运行股", "信息化股", "行业安全管理股", "企业股"],
    # 第四部分 line 103 “内设A、B、C、D4个职能机构” — “学会和企事业科协工作部” is one name
    "sichuan-panzhihua-kexie-2022": ["办公室", "学会和企事业科协工作部", "科学技术普及部", "科技创新发展服务部"],
    # 第一部分 line 7 “共５个科室，包含…”
    "sichuan-suining-kejiju-2024": ["办公室", "政策法规与资源配置科", "高新技术与成果转化科", "农村与社会发展科技科", "引智与交流合作科"],
}

STAFF = {
    # line 151: 行政编制21个，事业编制46个，工勤编制5个 … 现有职工人数66人 … 离休人员2人，退休66人
    "sichuan-panzhihua-kejiju-2022": {"staff_authorized_admin": ("21", "个"), "staff_authorized_institution": ("46", "个"),
                                      "staff_authorized_logistics": ("5", "个"), "staff_actual": ("66", "人"),
                                      "staff_retired_leave": ("2", "人"), "staff_retired": ("66", "人")},
    # line 154
    "sichuan-panzhihua-xiqu-kejiju-2021": {"staff_authorized_admin": ("3", "人"), "staff_authorized_institution": ("2", "人"),
                                          "staff_actual_admin": ("4", "人"), "staff_actual_institution": ("3", "人")},
    # line 123: 行政编制6名，实有6人；事业编制13人，实有12人。临聘编制10名，实有5人。
    "sichuan-panzhihua-xiqu-jingxinju-2022": {"staff_authorized_admin": ("6", "名"), "staff_actual_admin": ("6", "人"),
                                             "staff_authorized_institution": ("13", "人"), "staff_actual_institution": ("12", "人"),
                                             "staff_authorized_temporary": ("10", "名"), "staff_actual_temporary": ("5", "人")},
    # line 117
    "sichuan-panzhihua-kexie-2022": {"staff_authorized": ("22", "人"), "staff_actual": ("21", "人"), "staff_retired_total": ("25", "人")},
    # line 189
    "sichuan-suining-kejiju-2024": {"staff_actual": ("29", "人"), "staff_civil_servants": ("16", "人"), "staff_retired": ("30", "人")},
}


@pytest.mark.parametrize("stem", sorted(RESPONSIBILITIES))
def test_responsibilities(stem):
    count, first, last = RESPONSIBILITIES[stem]
    items = sample(stem).responsibilities
    assert len(items) == count
    assert items[0].text.startswith(first)
    if last:
        assert items[-1].text == last
    assert not any(i.text[:1].isdigit() for i in items), "numbering must be stripped"
    assert all(i.source.line > 0 for i in items)


def test_responsibility_split_on_semicolons_keeps_text():
    items = sample("sichuan-suining-kejiju-2024").responsibilities
    assert items[8].text == "负责全市科学技术奖励评审组织工作"
    assert items[-1].text.startswith("职能转变。围绕贯彻实施科教兴国战略")


@pytest.mark.parametrize("stem", sorted(SUBUNITS))
def test_subunits(stem):
    assert [s.text for s in sample(stem).subunits] == SUBUNITS[stem]


def test_subunit_count_slip_is_warned():
    # seed 000 line 20 says 3 二级预算单位 and lists 4.
    codes = [w.code for w in sample("sichuan-panzhihua-kejiju-2022").warnings]
    assert "subunit_count_mismatch" in codes


@pytest.mark.parametrize("stem", sorted(OFFICES))
def test_offices(stem):
    assert [s.text for s in sample(stem).offices] == OFFICES[stem]


@pytest.mark.parametrize("stem", sorted(STAFF))
def test_staff_counts(stem):
    got = {f.metric: (f.text, f.unit) for f in sample(stem).figures if f.metric.startswith("staff_")}
    assert got == STAFF[stem]


def _run(texts: list[str]) -> Record:
    blocks = [Paragraph(t, n) for n, t in enumerate(texts, start=1)]
    document = Document(path="x.txt", format="txt", sha256="", blocks=blocks)
    record = Record(source_file=SourceFile("x.txt", "x.txt", "", "txt", 0), identity=Identity())
    overview.extract(document, split_parts(document), record)
    return record


def test_inline_subunit_list_and_numbered_duties_with_continuation():
    record = _run([
        "第一部分 部门概况",
        "一、部门职责",
        "本局主要职责是：",
        "1．负责全县统计",
        "工作。",
        "（2）完成交办任务。",
        "二、机构设置",
        "纳入本部门决算编制范围的二级预算单位包括：县统计中心、县调查队。",
        "本局内设机构3个，包括：办公室、综合股和法规股。",
    ])
    assert [r.text for r in record.responsibilities] == ["负责全县统计工作。", "完成交办任务。"]
    assert record.responsibilities[0].source.line_end == 5
    assert [s.text for s in record.subunits] == ["县统计中心", "县调查队"]
    assert [o.text for o in record.offices] == ["办公室", "综合股", "法规股"]  # “A、B和C” with 3 stated
    assert not [w for w in record.warnings if w.code == "missing_section"]


def test_missing_sections_are_warned():
    record = _run(["第一部分 部门概况", "一、基本情况", "本局是政府工作部门。"])
    assert sorted(w.message[:11] for w in record.warnings if w.code == "missing_section") == sorted(
        ["第一部分缺少“部门职责", "第一部分缺少“机构设置"]
    )
