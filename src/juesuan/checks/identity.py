"""Identity checks: the department names a report uses for itself should name one department."""

from __future__ import annotations

from typing import Iterator

from ..record import Record
from ..slug import normalise
from .rules import Finding, rule


def is_short_for(short: str, full: str) -> bool:
    """True when `short` reads as an abbreviation of `full` (its characters appear in order).

    市科技局 ⊂ 攀枝花市科学技术局 and 区经济和信息化局 ⊂ 攀枝花市西区经济和信息化局, but
    西区经济合作局 is not (合作 is not in the full name): that is another department's name.
    """
    short, full = normalise(short), normalise(full)
    if short.startswith("本"):
        short = short[1:]
    position = 0
    for char in short:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def _lines_mentioning(record: Record, name: str) -> list[int]:
    """Lines of the record's quoted sentences that contain `name` (the record keeps no line for names)."""
    sources = [f.source for f in record.figures] + [n.source for n in record.notes]
    sources += [t.source for t in (*record.responsibilities, *record.subunits, *record.offices)]
    sources += [g.source for g in record.glossary] + [p.source for p in record.performance_scores]
    sources += list(record.identity.sources.values())
    return sorted({s.line for s in sources if s is not None and s.text and name in s.text})


def check_names(record: Record) -> Iterator[Finding]:
    ident = record.identity
    if not ident.department:
        return
    seen: set[str] = set()
    for other in [*ident.short_names, *ident.other_names]:
        name = normalise(other)
        if not name or name in seen or name == normalise(ident.department):
            continue
        seen.add(name)
        if is_short_for(name, ident.department):
            continue
        lines = _lines_mentioning(record, other)
        message = f"部门全称为“{ident.department}”，报告中又称“{other}”，两者对不上"
        yield Finding("department-name", rule("department-name").severity, message, [], source_lines=lines)
