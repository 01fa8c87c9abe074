"""三公 counts (groups, people, batches, vehicles), 国有资产 counts, and the detail texts.

The 三公 money figures themselves are read with every other money metric in totals.py.
"""

from __future__ import annotations

import re

from ..read.document import Document
from ..record import Figure, Note, Record
from .numbers import MONEY_UNIT, NUM, to_float
from .sections import Part, TextParagraph, text_paragraphs
from .sink import add_figure, source_of

L, R = r"[（(]", r"[）)]"

OVERSEAS_GROUPS = re.compile(rf"团组\s*(?P<n>{NUM})\s*(?P<unit>个|次|批次?)")
OVERSEAS_PEOPLE = re.compile(rf"出国{L}境{R}\s*(?P<n>{NUM})\s*(?P<unit>人次|人)")
# “国内公务接待6批次，33人次” / “外事接待0批次，0人” / “共接待10批次，共计72人”
RECEPTION = re.compile(
    rf"(?P<who>国内公务接待|外事接待|公务接待|接待)(?:共)?\s*(?P<b>{NUM})\s*批次?(?:[，,、]\s*(?:共计|接待)?\s*(?P<p>{NUM})\s*(?P<pu>人次|人))?"
)
PURCHASED = re.compile(rf"购置公务用车\s*(?P<n>{NUM})\s*辆")
HELD = re.compile(rf"共有公务用车\s*(?P<n>{NUM})\s*辆")
ALL_VEHICLES = re.compile(rf"共有车辆\s*(?P<n>{NUM})\s*辆")
# One entry of a “其中：” list: 轿车3辆 / 轿车0辆、金额0万元 / 特种车辆1辆（科普大篷车）
VEHICLE_ITEM = re.compile(
    rf"(?P<name>[^\d、，,；;。：:（）()]{{1,16}}?)\s*(?P<n>{NUM})\s*辆(?:{L}[^）)]*{R})?"
    rf"(?:[、，,]\s*金额\s*(?P<amt>{NUM})\s*(?P<unit>{MONEY_UNIT})?)?"
)
EQUIPMENT = re.compile(
    rf"单价\s*(?P<threshold>50|100)\s*万元(?:{L}含{R})?以上(?P<kind>通用设备|专用设备|设备)(?:{L}不含车辆{R})?\s*(?P<n>{NUM})\s*台(?:{L}套{R})?"
)
EQUIPMENT_METRICS = {
    ("50", "通用设备"): "equipment_general_50w_count",
    ("100", "专用设备"): "equipment_special_100w_count",
    ("100", "设备"): "equipment_100w_count",
    ("50", "设备"): "equipment_50w_count",
    ("100", "通用设备"): "equipment_general_100w_count",
    ("50", "专用设备"): "equipment_special_50w_count",
}

NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*[.．、]\s*|^\s*[（(][一二三四五六七八九十\d]+[）)]\s*")
# Note topic by how the paragraph starts (after its numbering).
NOTE_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(p))
    for topic, p in (
        ("three_public_overseas", rf"^因公出国{L}境{R}"),
        ("three_public_vehicles", r"^公务用车购置及运行"),
        ("vehicle_purchase", r"^(?:其中[:：]\s*)?公务用车购置"),
        ("vehicle_operation", r"^公务用车运行"),
        ("three_public_reception", r"^公务接待费"),
        ("reception_domestic", r"^国内公务接待"),
        ("reception_foreign", r"^外事接待"),
        ("personnel_expenses", r"^人员经费"),
        ("public_expenses", r"^公用经费"),
    )
)
# The first characters those patterns allow: other paragraphs skip the nine tests.
_NOTE_FIRST = frozenset("因公其国外人")
TOPIC_NOTES = {"operating": "operating_costs", "procurement": "procurement", "assets": "assets"}


def _fig(metric: str, num: str, unit: str, tp: TextParagraph, qualifier: str | None = None) -> Figure:
    text = tp.paragraph.text
    return Figure(metric=metric, value=to_float(num), text=num, unit=unit, source=source_of(tp.paragraph, text), qualifier=qualifier)


def _clause(text: str, pos: int) -> str:
    """The clause (up to 。 or ；) that starts at pos."""
    m = re.search(r"[。；;]", text[pos:])
    return text[pos : pos + m.start()] if m else text[pos:]


def _list_after(text: str, pos: int) -> str:
    """The “其中：…” list following pos, up to the end of its sentence or clause."""
    m = re.match(r"[^。；;]{0,12}?其中[:：]", text[pos:])
    return _clause(text, pos + m.end()) if m else ""


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    money_unit = record.identity.unit or "万元"
    last_note: Note | None = None
    for tp in text_paragraphs(parts):
        text = tp.paragraph.text
        if tp.is_heading:
            last_note = None
            continue
        last_note = _notes(tp, record, last_note)
        if "辆" in text or "批次" in text or "团组" in text or "单价" in text:
            _counts(tp, record, money_unit)


def _notes(tp: TextParagraph, record: Record, last: Note | None) -> Note | None:
    """Detail texts kept as printed; an unnumbered follow-on line joins the note above it."""
    text = tp.paragraph.text
    body = NUMBERING.sub("", text)
    for topic, pattern in NOTE_STARTS if body[:1] in _NOTE_FIRST else ():
        if pattern.match(body) and (tp.topic in (None, "three_public", "gb_basic") or topic.endswith("expenses")):
            note = Note(topic=topic, text=text, source=source_of(tp.paragraph))
            record.notes.append(note)
            return note
    if tp.topic in TOPIC_NOTES:
        note = Note(topic=TOPIC_NOTES[tp.topic], text=text, source=source_of(tp.paragraph))
        record.notes.append(note)
        return note
    if last is not None and tp.topic == "three_public" and not NUMBERING.match(text) and body.startswith(("开支内容", "主要用于", "具体内容")):
        last.text += "\n" + text
        return last
    return None


def _counts(tp: TextParagraph, record: Record, money_unit: str) -> None:
    text = tp.paragraph.text
    for m in OVERSEAS_GROUPS.finditer(text):
        add_figure(record, _fig("overseas_groups", m.group("n"), m.group("unit"), tp))
    for m in OVERSEAS_PEOPLE.finditer(text):
        add_figure(record, _fig("overseas_people", m.group("n"), m.group("unit"), tp))
    lead = NUMBERING.sub("", text)
    for m in RECEPTION.finditer(text):
        who = m.group("who")
        if who == "国内公务接待" or (who in ("接待", "公务接待") and lead.startswith("国内公务接待")):
            prefix = "reception_domestic"
        elif who == "外事接待" or (who in ("接待", "公务接待") and lead.startswith("外事接待")):
            prefix = "reception_foreign"
        else:
            prefix = "reception"
        add_figure(record, _fig(f"{prefix}_batches", m.group("b"), "批次", tp))
        if m.group("p") is not None:
            add_figure(record, _fig(f"{prefix}_people", m.group("p"), m.group("pu"), tp))
    for pattern, total, by_type, amount in (
        (PURCHASED, "vehicles_purchased", "vehicles_purchased_by_type", "vehicle_purchase_by_type"),
        (HELD, "vehicles_held", "vehicles_held_by_type", None),
        (ALL_VEHICLES, "vehicles_total", "vehicles_by_use", None),
    ):
        for m in pattern.finditer(text):
            add_figure(record, _fig(total, m.group("n"), "辆", tp))
            _vehicle_list(tp, record, _list_after(text, m.end()), by_type, amount, money_unit)
    if tp.topic == "assets" and not ALL_VEHICLES.search(text):
        # 国有资产 sentence without a total: “截至…，其中：一般公务用车2辆、特种专业技术用车1辆”
        m = re.search(r"其中[:：]", text)
        if m:
            _vehicle_list(tp, record, _clause(text, m.end()), "vehicles_by_use", None, money_unit)
    for m in EQUIPMENT.finditer(text):
        metric = EQUIPMENT_METRICS[(m.group("threshold"), m.group("kind"))]
        add_figure(record, _fig(metric, m.group("n"), "台（套）", tp))


def _vehicle_list(tp: TextParagraph, record: Record, items: str, by_type: str, amount: str | None, money_unit: str) -> None:
    for m in VEHICLE_ITEM.finditer(items):
        name = m.group("name").strip(" 、，,")
        if not name or name.startswith("金额"):
            continue
        add_figure(record, _fig(by_type, m.group("n"), "辆", tp, qualifier=name))
        if amount and m.group("amt") is not None:
            add_figure(record, _fig(amount, m.group("amt"), m.group("unit") or money_unit, tp, qualifier=name))
