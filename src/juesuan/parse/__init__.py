"""Stage 1b: `Document` → `Record`. Each module reads one kind of statement.

Every extractor has the same shape, `extract(document, parts, record) -> None`, and adds what
it read (with its source) and what it could not read (as warnings) to the record. Extractors
never guess: a value that cannot be read is left out and a warning says so.
"""

from __future__ import annotations

from pathlib import Path

import re

from ..errors import ReportError
from ..manifest import ManifestEntry
from ..read.document import Document, Paragraph, Table
from ..record import Identity, Record, Source, SourceFile
from . import glossary, identity, overview, performance, spending, tables, three_public, totals
from .sections import missing_sections, split_parts
from .sink import warn

# Words only a final-accounts report uses, and the generic words it shares with other texts.
_MARKERS = ("决算", "财政拨款", "三公", "政府采购", "公务用车", "公务接待", "因公出国", "绩效自评", "机关运行经费")
_GENERIC = ("收入", "支出", "收、支", "预算", "总计", "合计")
_AMOUNT = re.compile(r"\d\s*(?:万元|元)")

# Order matters only for identity, which the others may read (e.g. the money unit).
EXTRACTORS = (
    identity.extract,
    overview.extract,
    totals.extract,
    spending.extract,
    three_public.extract,
    performance.extract,
    glossary.extract,
    tables.extract,
)


def parse_document(document: Document, entry: ManifestEntry | None = None) -> Record:
    path = Path(document.path)
    record = Record(
        source_file=SourceFile(
            path=str(document.path),
            name=path.name,
            sha256=document.sha256,
            format=document.format,
            size=path.stat().st_size if path.exists() else 0,
            encoding=document.encoding,
            pages=document.pages,
            source_url=entry.source_url if entry else None,
        ),
        identity=Identity(),
    )
    _check_is_report(document)
    parts = split_parts(document)
    record.sections = [f"{n}:{p.title}" for n, p in sorted(parts.items()) if n]
    identity.apply_manifest(record, entry)
    for extract in EXTRACTORS:
        extract(document, parts, record)
    for message, line in missing_sections(parts):
        warn(record, "missing_section", message, Source(line=line, text="") if line else None)
    return record


def _check_is_report(document: Document) -> None:
    """Refuse a text that is not a final-accounts report (no template words, no amounts)."""
    chunks: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            chunks.append(block.text)
        elif isinstance(block, Table):
            chunks.extend(cell for row in block.rows for cell in row)
    text = "\n".join(chunks)
    if not text.strip():
        raise ReportError(document.path, "not a final-accounts report: no text found; check the file is the report itself")
    specific = [w for w in _MARKERS if w in text]
    generic = [w for w in _GENERIC if w in text]
    if specific or (len(generic) >= 2 and _AMOUNT.search(text)):
        return
    raise ReportError(
        document.path,
        "not a final-accounts report: none of 决算/财政拨款/三公 and no 收入/支出 amounts found; "
        "give a 部门决算 or 单位决算 report",
    )
