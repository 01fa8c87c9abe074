"""Plain-text exports of Word reports (see shared/seeds/README.md for the format).

The export writes each paragraph on one line and each table row as TAB-prefixed cell lines
followed by a blank line; a cell holding several paragraphs continues on lines without a TAB;
merged cells are empty cells. Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Word's
"Unicode text"), GB18030/GBK — detected, never guessed into mojibake.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReportError
from .document import Block, Document, Paragraph, Table
from .normalize import MARKER, has_traditional, join_lines, normalize_text

NOT_TEXT = "not a text report (binary data); give the report as .txt, .docx or .pdf"

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control characters that never occur in a text report (TAB, LF, CR, FF, VT are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A line that opens a new part of the report is never the continuation of a table cell: the
# export writes no blank line between a table's last row and the paragraph that follows it, and
# it indents that paragraph by one space (seen after the last row of 2 of 15 sample tables).
_HEADING = re.compile(r"[ \u3000]|\s*(?:附件\s*\d*\s*$|附表|第[一二三四五六七八九十百零\d]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def decode_report(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Decode report bytes: BOM → strict UTF-8 → strict GB18030 → detector limited to those.

    Returns (text, encoding, warnings). Raises ReportError for empty or binary files.
    """
    warnings: list[str] = []
    if not data.strip():
        raise ReportError(path, "empty file: nothing to read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                raise ReportError(path, f"{NOT_TEXT} (it starts with a {encoding} byte-order mark but does not decode)") from None
            return _checked(text, path), encoding.replace("-le", "").replace("-be", ""), warnings
    if b"\x00" in data:
        raise ReportError(path, f"{NOT_TEXT} (it contains NUL bytes)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), path), encoding, warnings
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["utf_8", "gb18030"]).best()
    if best is None:
        raise ReportError(path, f"{NOT_TEXT} (it is neither UTF-8 nor GB18030/GBK text)")
    encoding = "gb18030" if "gb" in best.encoding.lower() else "utf-8"
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(8, len(text) // 1000):
        raise ReportError(path, f"{NOT_TEXT} ({bad} bytes are not valid {encoding})")
    warnings.append(f"{bad} undecodable byte(s) replaced with U+FFFD while reading as {encoding}")
    return _checked(text, path), encoding, warnings


def _checked(text: str, path: str) -> str:
    """The decoded text, unless control characters show it is binary data after all."""
    controls = len(_CONTROL.findall(text))
    if controls > max(4, len(text) // 200):
        raise ReportError(path, f"{NOT_TEXT} ({controls} control characters)")
    if not text.strip():
        raise ReportError(path, "empty file: nothing to read")
    return text


def parse_export(text: str, t2s: bool | None = None) -> list[Block]:
    """Paragraphs and tables of a Word text export, every text normalised."""
    if t2s is None:
        t2s = has_traditional(text)
    lines = text.splitlines()
    blocks: list[Block] = []
    table: Table | None = None
    row: list[str] | None = None
    parts: list[str] | None = None  # lines of the cell being read

    def end_cell() -> None:
        nonlocal parts
        if parts is not None and row is not None:
            row.append(normalize_text(join_lines(parts), t2s))
        parts = None

    def end_table() -> None:
        nonlocal table, row
        end_cell()
        if table is not None:
            blocks.append(table)
        table, row = None, None

    for n, raw in enumerate(lines, start=1):
        line = raw
        if "[" in raw:
            line = MARKER.sub("", raw)
            if line is not raw and raw.strip() and not line.strip():
                continue  # a line holding only export markers
        if line.startswith("\t"):
            if table is None and _indented_paragraph(lines, n):
                blocks.append(Paragraph(text=normalize_text(line, t2s), line=n))
                continue
            if table is None:
                table = Table(rows=[], line=n)
            if row is None:
                row = []
                table.rows.append(row)
                table.row_lines.append(n)
            end_cell()
            parts = [line[1:]]
            continue
        if not line.strip():
            end_cell()
            row = None
            continue
        if parts is not None and not _HEADING.match(line):
            parts.append(line)  # the cell goes on: another paragraph inside it
            continue
        if table is not None or parts is not None:
            end_table()
        text_n = normalize_text(line, t2s)
        if text_n:
            blocks.append(Paragraph(text=text_n, line=n))
    end_table()
    return blocks


def _indented_paragraph(lines: list[str], n: int) -> bool:
    """A TAB line outside a table followed directly by plain text is an indented paragraph."""
    if n >= len(lines):
        return True
    following = lines[n]
    return bool(following.strip()) and not following.startswith("\t")


def read_text(path: Path, data: bytes, sha256: str) -> Document:
    """Read a .txt export into a Document (encoding recorded, every text normalised)."""
    text, encoding, warnings = decode_report(data, str(path))
    blocks = parse_export(text)
    return Document(path=str(path), format="txt", sha256=sha256, blocks=blocks, encoding=encoding, warnings=warnings)
