"""The report's standard parts (第一部分 … 第五部分) located by their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


@dataclass
class Part:
    number: int
    title: str  # heading text after 第X部分 (may be empty)
    heading_line: int | None  # None when the part was not announced by a heading
    blocks: list[Block] = field(default_factory=list)


def split_parts(document: Document) -> dict[int, Part]:
    """Blocks grouped by part number; blocks before the first heading go to part 0.

    A heading counts only when its number is higher than the current part's, so a stray
    “第二部分” inside an attachment does not reorder the report.
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
    return parts
