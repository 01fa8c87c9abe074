"""一般公共预算财政拨款支出: its structure by 类 (ClassShare) and its 项 line items (LineItem)."""

from __future__ import annotations

import re

from ..read.document import Document
from ..record import ClassShare, LineItem, Record
from .numbers import MONEY_UNIT, NUM, to_float
from .sections import Part, text_paragraphs
from .sink import source_of, warn

L, R = r"[（(]", r"[）)]"
MARK = {kind: re.compile(rf"{L}\d*{kind}{R}") for kind in ("类", "款", "项")}
XIANG_MARK = re.compile(rf"{L}\d*项(?:目)?{R}")

# 结构: “主要用于以下方面：一般公共服务支出7.62万元，占0.4%；…”
STRUCTURE_START = re.compile(r"主要用于(?:以下)?(?:几个)?方面\s*[:：]?")
CLASS_ITEM = re.compile(
    rf"(?P<name>[^\d；;。：:，,、]{{2,30}}?)(?:(?P<mark>{L}\d*类{R})\s*(?:支出)?)?\s*(?:决算)?(?:为)?\s*(?P<num>{NUM})\s*(?P<unit>{MONEY_UNIT})?"
    rf"(?:[，,]\s*占[^%；;。\d]{{0,10}}?(?P<pct>{NUM})\s*%)?"
)

# 具体情况: “…（项）：支出决算为7.62万元，完成预算100%，决算数等于预算数。”
ITEM_AMOUNT = re.compile(rf"(?P<pre>支出)?决算(?:数)?(?:为|是)\s*(?P<num>{NUM})\s*(?P<unit>{MONEY_UNIT})?")
COMPLETION = re.compile(rf"^\s*[，,]?\s*完成(?:年初)?预算\s*(?P<pct>{NUM})\s*%\s*")
BUDGET = re.compile(rf"预算(?:数)?(?:为)?\s*(?P<num>{NUM})\s*(?:{MONEY_UNIT})")
NUMBERING = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)])\s*")


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    unit = record.identity.unit or "万元"
    context: dict[str, str | None] = {"类": None, "款": None}
    for tp in text_paragraphs(parts, (0, 1, 2)):
        text = tp.paragraph.text
        if tp.is_heading:
            context = {"类": None, "款": None}
            continue
        s = STRUCTURE_START.search(text) if "主要用于" in text else None
        if s and not record.spending_by_class:
            _structure(tp, record, text[s.end() :], unit)
            continue
        if "决算" in text and ITEM_AMOUNT.search(text) and (XIANG_MARK.search(text) or MARK["款"].search(text) or tp.topic == "gb_detail"):
            _items(tp, record, text, unit, context)


def _structure(tp, record: Record, text: str, unit: str) -> None:
    for m in CLASS_ITEM.finditer(text):
        name = m.group("name").strip()
        if not m.group("mark"):
            name = re.sub(r"决算$", "", name)
        record.spending_by_class.append(
            ClassShare(
                name=name,
                amount=to_float(m.group("num")),
                amount_text=m.group("num"),
                unit=m.group("unit") or unit,
                source=source_of(tp.paragraph),
                share_pct=to_float(m.group("pct")) if m.group("pct") else None,
            )
        )


def _split_names(head: str, pre: str | None) -> tuple[str | None, str | None, str | None]:
    """类, 款, 项 names from the text before an amount (markers removed)."""
    head = NUMBERING.sub("", head).strip(" :：，,；;。")
    names: dict[str, str | None] = {"类": None, "款": None, "项": None}
    rest = head
    for kind in ("类", "款"):
        m = MARK[kind].search(rest)
        if m:
            names[kind] = rest[: m.start()].strip() or None
            rest = rest[m.end() :]
    m = XIANG_MARK.search(rest)
    if m:
        names["项"] = rest[: m.start()].strip() or None
    else:
        rest = rest.strip(" :：")
        # “其他卫生健康支出决算为…”: without its （项） marker the 支出 belongs to the name.
        names["项"] = (rest + (pre or "")).strip() or None if rest else None
    return names["类"], names["款"], names["项"]


def _items(tp, record: Record, text: str, unit: str, context: dict[str, str | None]) -> None:
    matches = list(ITEM_AMOUNT.finditer(text))
    start = 0
    for i, m in enumerate(matches):
        head = text[start : m.start()]
        after = text[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        # The explanation runs to the end of its clause; the next item's names follow.
        end = re.search(r"[；;。]", after)
        tail = after[: end.start()] if end else after
        start = m.end() + (end.end() if end else len(after))
        if not (MARK["类"].search(head) or MARK["款"].search(head) or XIANG_MARK.search(head) or head.strip(" :：")):
            continue
        if "一般公共预算" in head and not (MARK["款"].search(head) or XIANG_MARK.search(head)):
            continue  # “2022年一般公共预算支出决算数为…”: the total, read in totals.py
        lei, kuan, xiang = _split_names(head, m.group("pre"))
        if xiang is None:
            warn(record, "unread_figure", f"line item without a 项 name: “{head.strip()}”", source_of(tp.paragraph))
            continue
        if lei is not None:
            context["类"], context["款"] = lei, kuan
        elif kuan is not None:
            context["款"] = kuan
        c = COMPLETION.match(tail)
        explanation = tail[c.end() :] if c else tail
        explanation = explanation.strip(" ，,：:") or None
        budget = BUDGET.search(explanation) if explanation else None
        record.line_items.append(
            LineItem(
                class_name=lei or context["类"],
                kuan_name=kuan or context["款"],
                xiang_name=xiang,
                amount=to_float(m.group("num")),
                amount_text=m.group("num"),
                unit=m.group("unit") or unit,
                source=source_of(tp.paragraph, (head + m.group(0) + tail).strip(" ；;。")),
                budget_completion_pct=to_float(c.group("pct")) if c else None,
                budget=to_float(budget.group("num")) if budget and "预算数为" in explanation else None,
                explanation=explanation,
            )
        )
