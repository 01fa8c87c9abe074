"""第一部分 部门概况: 职责, 二级预算单位, 内设机构 and 人员概况 (staff counts).

- Sections are found by their short numbered headings (“一、部门职责”, “1、 部门职责”,
  “一、职能简介”, “三、机构设置情况”). Without a 第一部分 heading, the text before the first part
  heading is read instead.
- 职责: numbered items (“1.”, “1．”, “（1）”) with only the number stripped; an unnumbered line
  right after an item that does not end a sentence continues it (a line broken by the export);
  text before the first item is an introduction, not an item. Without numbers, each paragraph is
  an item, and a paragraph listing duties separated by “；” is split there.
- 二级预算单位: the list after “…二级预算单位包括：”, inline (split at “、” / “；”) or as the
  numbered lines that follow.
- 内设机构: “内设机构7个，包括：A、B”, “共5个科室，包含A、B”, “内设A、B4个职能机构” — in 第一部分,
  else in the 部门整体绩效 report of 第四部分 (its 机构组成 paragraph).
- 人员概况: staff counts in the sentence(s) of an 人员概况 section (第一部分, else 第四部分), as
  figures with `staff_*` metric ids and the unit printed (人, 名 or 个).
"""

from __future__ import annotations

import re

from ..read.document import Document, Paragraph
from ..record import Figure, Record, Source, TextItem, Warning
from .sections import Part

# “一、部门职责”, “1、 部门职责”, “（一）机构设置”; “1.” starts a list item, never a section.
_SECTION = re.compile(r"^\s*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.．]|\d{1,2}\s*、|（[一二三四五六七八九十]{1,2}）)\s*(?P<title>[^。；，]{2,24})$")
_RESPONSIBILITY = re.compile("职责|职能")
_ORGANISATION = re.compile("机构|设置|组成")
_STAFF_SECTION = re.compile("人员")
_ITEM = re.compile(r"^\s*(?:（(\d{1,2})）|\(\d{1,2}\)|(\d{1,2})\s*[.．、](?!\d))\s*(?P<text>\S.*)$")
_SENTENCE_END = re.compile(r"[。；;！？!?]$")
_LIST_INTRO = re.compile(r"^(?P<intro>[^；]{0,40}(?:职责|职能|任务)(?:是|为|如下|包括)?：)(?P<rest>.*)$")

_SUBUNITS = re.compile(r"(?:二级(?:预算)?单位|下属(?:事业)?单位|所属(?:事业)?单位)[^。：]{0,12}?(?:(?:包括|包含|分别是|分别为|如下)[：:]?|(?:有|为)[：:])(?P<list>[^。]*)")
_SUBUNIT_COUNT = re.compile(r"(?:二级(?:预算)?单位|下设二级单位|下属二级单位)\D{0,4}?(\d+)个")
_OFFICES = (
    re.compile(r"(?:内设机构|科室|职能机构|股室|处室|内设部门)\D{0,3}?(?P<n>\d+)个[，,]?\s*(?:包括|包含|分别是|分别为|为|即)[：:]?(?P<list>[^。；]+)"),
    re.compile(r"(?P<n>\d+)个(?:内设机构|科室|职能机构|股室|处室|内设部门)[，,：:]?\s*(?:包括|包含|分别是|分别为|为|即)[：:]?(?P<list>[^。；]+)"),
    re.compile(r"内设(?P<list>[^。；，\d]+?)(?P<n>\d+)个(?:职能机构|内设机构|科室|股室|处室|部门)?"),
)
_SPLIT = re.compile(r"[、；;]")

# Staff counts: label, number, unit. A bare “实有N人” takes the 编制 label printed just before it.
_STAFF = re.compile(r"(?P<label>[\u4e00-\u9fff（）]{0,12}?)\s*(?P<n>\d+)\s*(?P<unit>人|名|个)")
_STAFF_METRICS = (
    (re.compile(r"行政编制$"), "staff_authorized_admin"),
    (re.compile(r"事业编制$"), "staff_authorized_institution"),
    (re.compile(r"工勤编制$"), "staff_authorized_logistics"),
    (re.compile(r"临聘编制$"), "staff_authorized_temporary"),
    (re.compile(r"编制(?:人数|数)$"), "staff_authorized"),
    (re.compile(r"实有行政人员$"), "staff_actual_admin"),
    (re.compile(r"(?:实有)?事业编制人员$"), "staff_actual_institution"),
    (re.compile(r"(?:实有人数|在职人员|在职人数|现有职工人数|职工人数|实有人员)$"), "staff_actual"),
    (re.compile(r"公务员$"), "staff_civil_servants"),
    (re.compile(r"离退休人员$"), "staff_retired_total"),
    (re.compile(r"离休人员$"), "staff_retired_leave"),
    (re.compile(r"退休(?:人员)?$"), "staff_retired"),
)
_ACTUAL_OF = {
    "staff_authorized_admin": "staff_actual_admin",
    "staff_authorized_institution": "staff_actual_institution",
    "staff_authorized_temporary": "staff_actual_temporary",
    "staff_authorized": "staff_actual",
}


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    """Fill responsibilities, subunits, offices and staff counts; warn about missing sections."""
    part = parts.get(1) or parts.get(0)
    paragraphs = [b for b in part.blocks if isinstance(b, Paragraph)] if part else []
    sections = _sections(paragraphs)
    duties = sections.get("responsibilities")
    organisation = sections.get("organisation")
    if duties:
        record.responsibilities.extend(_responsibilities(duties))
    else:
        record.warnings.append(Warning(code="missing_section", message="第一部分缺少“部门职责”（未找到职责/职能小节）"))
    if organisation:
        _subunits(organisation, record)
    else:
        record.warnings.append(Warning(code="missing_section", message="第一部分缺少“机构设置”（未找到机构设置小节）"))
    attachment = [b for b in parts[4].blocks if isinstance(b, Paragraph)] if 4 in parts else []
    _offices(organisation or [], record) or _offices(_organisation_paragraphs(attachment), record)
    _staff(sections.get("staff") or [], record) or _staff(_staff_paragraphs(attachment), record)


def _sections(paragraphs: list[Paragraph]) -> dict[str, list[Paragraph]]:
    """Paragraphs of part 1 grouped under their section heading's topic."""
    out: dict[str, list[Paragraph]] = {}
    current: list[Paragraph] | None = None
    for p in paragraphs:
        m = _SECTION.match(p.text)
        if m:
            title = m.group("title")
            topic = None
            if _RESPONSIBILITY.search(title):
                topic = "responsibilities"
            elif _ORGANISATION.search(title):
                topic = "organisation"
            elif _STAFF_SECTION.search(title):
                topic = "staff"
            if topic and topic not in out:
                current = out[topic] = []
                continue
            if topic or m.group("cn"):
                current = None  # another section of part 1
                continue
        if current is not None:
            current.append(p)
    return out


def _source(p: Paragraph, text: str | None = None) -> Source:
    return Source(line=p.line, text=text if text is not None else p.text, page=p.page, line_end=p.line_end)


def _responsibilities(paragraphs: list[Paragraph]) -> list[TextItem]:
    numbered = any(_ITEM.match(p.text) for p in paragraphs)
    items: list[TextItem] = []
    for p in paragraphs:
        text = p.text.strip()
        if not text:
            continue
        if numbered:
            m = _ITEM.match(text)
            if m:
                items.append(TextItem(text=m.group("text").strip(), source=_source(p)))
            elif items and not _SENTENCE_END.search(items[-1].text):
                items[-1].text += text
                items[-1].source.text += text
                items[-1].source.line_end = p.line_end or p.line
            elif items:
                items.append(TextItem(text=text, source=_source(p)))
            continue
        intro = _LIST_INTRO.match(text)
        body = intro.group("rest") if intro else text
        pieces = [s.strip() for s in body.split("；")] if body.count("；") >= 2 else [body.strip()]
        items.extend(TextItem(text=s, source=_source(p)) for s in pieces if s)
    return items


def _split_list(text: str) -> list[str]:
    text = text.strip().rstrip("。；;，,")
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def _subunits(paragraphs: list[Paragraph], record: Record) -> None:
    stated: tuple[int, Paragraph] | None = None
    for i, p in enumerate(paragraphs):
        count = _SUBUNIT_COUNT.search(p.text)
        if count and stated is None:
            stated = (int(count.group(1)), p)
        m = _SUBUNITS.search(p.text)
        if not m:
            continue
        inline = _split_list(m.group("list"))
        if inline:
            record.subunits.extend(TextItem(text=s, source=_source(p)) for s in inline)
        else:
            for q in paragraphs[i + 1:]:
                item = _ITEM.match(q.text)
                if not item:
                    break
                record.subunits.append(TextItem(text=item.group("text").strip(), source=_source(q)))
        break
    if stated and record.subunits and stated[0] != len(record.subunits):
        record.warnings.append(
            Warning(
                code="subunit_count_mismatch",
                message=f"报告称二级预算单位{stated[0]}个，但列出了{len(record.subunits)}个",
                source=_source(stated[1]),
            )
        )


def _offices(paragraphs: list[Paragraph], record: Record) -> bool:
    for p in paragraphs:
        for pattern in _OFFICES:
            m = pattern.search(p.text)
            if not m:
                continue
            names = _split_list(m.group("list"))
            n = int(m.group("n"))
            if len(names) == n - 1 and names and names[-1].count("和") == 1:
                names[-1:] = names[-1].split("和")  # “A、B和C”
            record.offices.extend(TextItem(text=s, source=_source(p)) for s in names)
            return bool(names)
    return False


def _organisation_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The 机构组成 paragraph(s) of the 部门整体绩效 report in 第四部分 (first occurrence)."""
    for i, p in enumerate(paragraphs):
        if "机构组成" in p.text and len(p.text) <= 40 or p.text.lstrip().startswith("（一）机构组成"):
            return paragraphs[i:i + 3]
    return []


def _staff_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The sentence(s) under the 人员概况 headings of 第四部分 (a heading, or heading and text)."""
    out: list[Paragraph] = []
    for i, p in enumerate(paragraphs):
        if "人员概况" in p.text:
            out.extend(paragraphs[i:i + 3] if len(p.text) <= 20 else [p])
    return out


def _staff(paragraphs: list[Paragraph], record: Record) -> bool:
    found = False
    seen: set[str] = {f.metric for f in record.figures}
    for p in paragraphs:
        text = p.text
        if not re.search(r"编制|人员|实有|职工|在职|退休", text):
            continue
        previous: str | None = None
        for m in _STAFF.finditer(text):
            label = m.group("label")
            metric = next((mid for pattern, mid in _STAFF_METRICS if pattern.search(label)), None)
            if metric is None and label.endswith("实有") and previous in _ACTUAL_OF:
                metric = _ACTUAL_OF[previous]
            if metric is None:
                continue
            previous = metric
            if metric in seen:
                continue
            seen.add(metric)
            found = True
            record.figures.append(
                Figure(metric=metric, value=float(m.group("n")), text=m.group("n"), unit=m.group("unit"), source=_source(p, text))
            )
    return found
