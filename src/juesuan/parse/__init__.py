"""Stage 1b: `Document` → `Record`. Each module reads one kind of statement.

Every extractor has the same shape, `extract(document, parts, record) -> None`, and adds what
it read (with its source) and what it could not read (as warnings) to the record. Extractors
never guess: a value that cannot be read is left out and a warning says so.
"""

from __future__ import annotations

from pathlib import Path

from ..manifest import ManifestEntry
from ..read.document import Document
from ..record import Identity, Record, SourceFile
from . import glossary, identity, overview, performance, spending, tables, three_public, totals
from .sections import split_parts

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
    parts = split_parts(document)
    record.sections = [f"{n}:{p.title}" for n, p in sorted(parts.items()) if n]
    identity.apply_manifest(record, entry)
    for extract in EXTRACTORS:
        extract(document, parts, record)
    return record
