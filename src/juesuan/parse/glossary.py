"""第三部分 名词解释: term / definition pairs, with or without the part's heading.

Without a 第三部分 heading the glossary is the run of numbered “1.财政拨款收入：指…” lines at the
end of 第二部分, after its 预算绩效管理 paragraph: it starts at the last numbered item 1 whose
definition begins with 指 / 反映 / 是指 and runs to the end of the part (第四部分 starts a new part).
An entry is “[n.] term：definition” (also “，” / “,” as separator, and terms carrying （类）（款）（项）
or （206类）-style codes); a line without a separator continues the previous definition. The
definition is kept as printed, “指…” included. Reading stops at a 附件 / 附表 line.
"""

from __future__ import annotations

import re

from ..read.document import Document, Paragraph
from ..record import GlossaryEntry, Record, Source
from .sections import Part

# n. term：definition — the number is optional; “2年初结转…” (no dot) occurs.
_ENTRY = re.compile(r"^\s*(?:(\d{1,2})(?!\d)\s*[.．、]?\s*)?(?P<term>[^：:，,。；\s][^：:，,。；]{0,79}?)\s*[：:，,]\s*(?P<def>\S.*)$")
_DEFINES = re.compile(r"^(?:指|是指|反映|系指|即)")
_STOP = re.compile(r"^\s*(?:附件|附表)")
_ANCHOR = re.compile("预算绩效管理")


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    """Append the glossary entries to `record.glossary`."""
    if 3 in parts:
        paragraphs = [b for b in parts[3].blocks if isinstance(b, Paragraph)]
    elif 2 in parts:
        paragraphs = _unheaded(parts[2])
    else:
        return
    entry: GlossaryEntry | None = None
    for p in paragraphs:
        text = p.text.strip()
        if not text:
            continue
        if _STOP.match(text):
            break
        m = _ENTRY.match(text)
        if m and (m.group(1) or _DEFINES.match(m.group("def")) or len(m.group("term")) <= 20):
            entry = GlossaryEntry(term=m.group("term").strip(), definition=m.group("def").strip(), source=Source(line=p.line, text=text, page=p.page))
            record.glossary.append(entry)
        elif entry is not None:
            entry.definition += text  # the definition goes on in the next paragraph
            entry.source.text += text
            entry.source.line_end = p.line_end or p.line


def _unheaded(part: Part) -> list[Paragraph]:
    """The glossary lines at the end of 第二部分 when the report prints no 第三部分 heading."""
    paragraphs = [b for b in part.blocks if isinstance(b, Paragraph)]
    start = 0
    for i, p in enumerate(paragraphs):
        if _ANCHOR.search(p.text) and len(p.text) <= 30:
            start = i + 1  # the 预算绩效管理 heading; the glossary comes after its paragraphs
    first = None
    for i in range(len(paragraphs) - 1, start - 1, -1):
        m = _ENTRY.match(paragraphs[i].text)
        if m and m.group(1) == "1" and _DEFINES.match(m.group("def")):
            first = i
            break
    return paragraphs[first:] if first is not None else []
