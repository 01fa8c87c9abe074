"""The report's standard parts (第一部分 … 第五部分) and the template's sections inside them.

Parts are located by their headings. Inside the running text, each paragraph gets a topic
(e.g. "three_public", "assets") from the last section heading above it, so extractors can
tell which statement they are reading even when the wording alone is ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from ..read.document import Block, Document, Paragraph

PART_TITLES = {
    1: "部门概况",
    2: "决算情况说明",
    3: "名词解释",
    4: "附件",
    5: "附表",
}
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
PART_HEADING = re.compile(r"^\s*第\s*([一二三四五1-5])\s*部分\s*(.{0,40})$")

# A glossary entry: "1.财政拨款收入：指…" (the number's dot is sometimes lost: "2年初结转…").
GLOSSARY_ENTRY = re.compile(r"^\s*\d{1,2}\s*[.．、]?\s*[^，。：:]{2,60}?[：:,，]\s*(?:指|反映|为保障)")

# Parts whose paragraphs state the report's own figures (附件/附表 restate or detail them).
TEXT_PARTS = (0, 1, 2, 3)


@dataclass
class Part:
    number: int
    title: str  # heading text after 第X部分 (may be empty)
    heading_line: int | None  # None when the part was not announced by a heading
    blocks: list[Block] = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # text_paragraphs results


def split_parts(document: Document) -> dict[int, Part]:
    """Blocks grouped by part number; blocks before the first heading go to part 0.

    A heading counts only when its number is higher than the current part's, so a stray
    “第二部分” inside an attachment does not reorder the report. A 名词解释 printed without
    its 第三部分 heading (it then follows 第二部分 directly) becomes part 3 with no heading line.
    """
    parts: dict[int, Part] = {0: Part(0, "", None)}
    current = parts[0]
    for block in document.blocks:
        if isinstance(block, Paragraph):
            m = PART_HEADING.match(block.text)
            if m:
                number = _NUMERALS[m.group(1)]
                if number > current.number and number not in parts:
                    current = parts[number] = Part(number, m.group(2).strip(), block.line)
                    continue
        current.blocks.append(block)
    if 2 in parts and 3 not in parts:
        _split_unheaded_glossary(parts)
    return parts


def _split_unheaded_glossary(parts: dict[int, Part]) -> None:
    """Move a trailing run of glossary entries out of part 2 into a heading-less part 3."""
    blocks = parts[2].blocks
    for i, block in enumerate(blocks):
        if not (isinstance(block, Paragraph) and GLOSSARY_ENTRY.match(block.text)):
            continue
        if not re.match(r"^\s*1\s*[.．、]", block.text):
            continue
        following = [b for b in blocks[i + 1 : i + 4] if isinstance(b, Paragraph)]
        if following and sum(bool(GLOSSARY_ENTRY.match(b.text)) for b in following) >= min(2, len(following)):
            parts[3] = Part(3, PART_TITLES[3], None, blocks[i:])
            parts[2].blocks = blocks[:i]
            return


# Section headings of 第二部分 (and the overview of 第一部分), most specific first.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("three_public", r"三公"),
        ("gb_basic", r"一般公共预算财政拨款基本支出"),
        ("gb_structure", r"一般公共预算财政拨款支出决算结构"),
        ("gb_detail", r"一般公共预算财政拨款支出决算具体"),
        ("gb_overall", r"一般公共预算财政拨款支出决算"),
        ("fiscal", r"财政拨款收入支出决算总体"),
        ("fund", r"政府性基金预算(?:财政拨款)?(?:收入)?支出决算"),
        ("state_capital", r"国有资本经营预算(?:财政拨款)?(?:收入)?支出决算"),
        ("operating", r"机关运行经费"),
        ("procurement", r"政府采购"),
        ("assets", r"国有资产"),
        ("performance", r"预算绩效管理|绩效管理情况"),
        ("other", r"其他重要事项"),
        ("overall", r"收入支出决算总体"),
        ("income", r"收入决算情况"),
        ("expenditure", r"支出决算情况"),
        ("duties", r"部门职责|单位职责|职能简介|主要职[责能]"),
        ("organisation", r"机构设置"),
    )
)

# What a heading looks like: short, no amount, usually numbered (一、 1、 （一） 9、).
_HEADING_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)])")
_AMOUNT = re.compile(r"\d\s*(?:万元|元|%)")


def heading_topic(text: str) -> str | None:
    """The topic a section heading announces, or None when the text is not a heading."""
    text = text.strip()
    if not text or len(text) > 45:
        return None
    return _short_heading_topic(text)


@lru_cache(maxsize=8192)
def _short_heading_topic(text: str) -> str | None:
    """heading_topic of a short text (headings repeat across reports: the template's wording)."""
    if _AMOUNT.search(text):
        return None
    if not (_HEADING_NUMBER.match(text) or text.endswith(("说明", "情况", "情况。", "说明。"))):
        return None
    for key, pattern in TOPICS:
        if pattern.search(text):
            return key
    return None


@dataclass
class TextParagraph:
    """A paragraph of the running text with the topic of the section it sits in."""

    paragraph: Paragraph
    part: int
    topic: str | None
    is_heading: bool


def text_paragraphs(parts: dict[int, Part], numbers: tuple[int, ...] = TEXT_PARTS) -> list[TextParagraph]:
    """Paragraphs of the given parts in order, each with its section topic (computed once)."""
    cache = parts[min(parts)].cache if parts else {}
    if numbers not in cache:
        cache[numbers] = list(_text_paragraphs(parts, numbers))
    return cache[numbers]


def _text_paragraphs(parts: dict[int, Part], numbers: tuple[int, ...]) -> Iterator[TextParagraph]:
    for number in sorted(parts):
        if number not in numbers:
            continue
        topic: str | None = None
        for block in parts[number].blocks:
            if not isinstance(block, Paragraph):
                continue
            new = heading_topic(block.text)
            if new is not None:
                topic = new
            yield TextParagraph(block, number, topic, new is not None)


def topics_found(parts: dict[int, Part]) -> set[str]:
    return {tp.topic for tp in text_paragraphs(parts) if tp.is_heading and tp.topic}


# The template's standard sections: (topic, 中文 name, a phrase that shows the content is there).
STANDARD_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("overall", "收入支出决算总体情况说明", "收、支总计|收入、支出总计|收支总计"),
    ("income", "收入决算情况说明", "本年收入合计"),
    ("expenditure", "支出决算情况说明", "本年支出合计"),
    ("fiscal", "财政拨款收入支出决算总体情况说明", "财政拨款收、支总计|财政拨款收入、支出总计|财政拨款收支总计"),
    ("gb_overall", "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款支出"),
    ("gb_structure", "一般公共预算财政拨款支出决算结构情况", "主要用于以下方面"),
    ("gb_detail", "一般公共预算财政拨款支出决算具体情况", "（项）|（项目）"),
    ("gb_basic", "一般公共预算财政拨款基本支出决算情况说明", "一般公共预算财政拨款基本支出"),
    ("three_public", "财政拨款“三公”经费支出决算情况说明", "三公"),
    ("fund", "政府性基金预算支出决算情况说明", "政府性基金预算财政拨款支出"),
    ("state_capital", "国有资本经营预算支出决算情况说明", "国有资本经营预算财政拨款支出"),
    ("operating", "机关运行经费支出情况", "机关运行经费"),
    ("procurement", "政府采购支出情况", "政府采购支出"),
    ("assets", "国有资产占有使用情况", "共有车辆|单价\\s*\\d+\\s*万元"),
    ("performance", "预算绩效管理情况", "绩效"),
)


def missing_sections(parts: dict[int, Part]) -> list[tuple[str, int | None]]:
    """Standard parts and sections the report lacks: (message, line of the nearest evidence)."""
    found: list[tuple[str, int | None]] = []
    for number in (1, 2, 3, 4, 5):
        part = parts.get(number)
        name = f"第{'一二三四五'[number - 1]}部分 {PART_TITLES[number]}"
        if part is None:
            found.append((f"{name}: missing", None))
        elif part.heading_line is None:
            line = next((b.line for b in part.blocks if isinstance(b, Paragraph)), None)
            found.append((f"{name}: heading missing (content found without it)", line))
    headings = topics_found(parts)
    text = "\n".join(tp.paragraph.text for tp in text_paragraphs(parts))
    for topic, name, evidence in STANDARD_SECTIONS:
        if topic in headings:
            continue
        if re.search(evidence, text):
            found.append((f"{name}: heading missing (content found without it)", None))
        else:
            found.append((f"{name}: missing", None))
    return found
