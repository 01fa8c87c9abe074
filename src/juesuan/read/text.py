"""Plain-text exports of Word reports (see shared/seeds/README.md for the format).

Minimal first version: UTF-8 only. Table rows are runs of TAB-prefixed cell lines separated by
blank lines; everything else is a paragraph (one per line).
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import Document, Paragraph, Table

MARKER = re.compile(r"\[(?:bookmark|image): [^\]]*\]")


def read_text(path: Path, data: bytes, sha256: str) -> Document:
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    blocks: list = []
    table: Table | None = None
    row: list[str] | None = None
    for n, raw in enumerate(lines, start=1):
        line = MARKER.sub("", raw)
        if line.startswith("\t"):
            if table is None:
                table = Table(rows=[], line=n)
            if row is None:
                row = []
                table.rows.append(row)
                table.row_lines.append(n)
            row.append(line[1:].strip())
            continue
        if not line.strip():
            row = None
            continue
        if table is not None and row is not None:
            # a cell that spans several lines: continuation of the last cell
            row[-1] = (row[-1] + line.strip()) if row else line.strip()
            continue
        if table is not None:
            blocks.append(table)
            table = None
        blocks.append(Paragraph(text=line.strip(), line=n))
    if table is not None:
        blocks.append(table)
    return Document(path=str(path), format="txt", sha256=sha256, blocks=blocks, encoding="utf-8")
