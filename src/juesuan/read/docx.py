"""Word reports (.docx): paragraphs and real tables in document order.

The zip is checked before python-docx sees it (python-docx reads members with no size cap and
lxml would follow a DOCTYPE): member count, declared uncompressed size, and no DOCTYPE/ENTITY
in any XML part. Tables come out like the Word text export: one cell per `w:tc` (a horizontally
merged cell once, not repeated), a vertically merged continuation as an empty cell.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ..errors import ReportError
from ..settings import DOCX_MAX_MEMBERS, DOCX_MAX_UNCOMPRESSED
from .document import Block, Document, Paragraph, Table
from .normalize import has_traditional, join_lines, normalize_text

CORRUPT = "truncated or corrupt .docx: re-download or re-save it in Word"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def check_docx(data: bytes, path: str) -> None:
    """Reject a .docx that is not a sound, reasonably sized Word zip, before parsing it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ReportError(path, CORRUPT) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > DOCX_MAX_MEMBERS:
            raise ReportError(path, f"refused: the .docx holds {len(infos)} files (limit {DOCX_MAX_MEMBERS}); it is not a normal Word file")
        total = sum(i.file_size for i in infos)
        if total > DOCX_MAX_UNCOMPRESSED:
            raise ReportError(
                path,
                f"refused: the .docx would unpack to {total // 2**20} MiB (limit {DOCX_MAX_UNCOMPRESSED // 2**20} MiB; "
                "a zip bomb or huge embedded media): save a copy without embedded media",
            )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise ReportError(path, "not a Word .docx (no word/document.xml): save the report as .docx in Word")
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            try:
                content = zf.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
                raise ReportError(path, CORRUPT) from None
            # NUL bytes removed so a UTF-16 encoded part cannot hide its DOCTYPE
            probe = content.replace(b"\x00", b"").upper() if b"\x00" in content else content.upper()
            if any(f in probe for f in _FORBIDDEN):
                raise ReportError(path, f"refused: {info.filename} declares a DOCTYPE/ENTITY (an XML entity attack); Word never writes one")


def _paragraph_text(p) -> str:
    """Text of a w:p: runs, tabs and breaks (python-docx's rules), without field codes."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    return DocxParagraph(p, None).text


def _cell_text(tc) -> str:
    """Text of a w:tc: its paragraphs (and any nested table's) joined like wrapped lines."""
    parts = [_paragraph_text(p) for p in tc.iter(f"{_W}p")]
    return join_lines(parts)


def _is_vmerge_continuation(tc) -> bool:
    tcPr = tc.find(f"{_W}tcPr")
    if tcPr is None:
        return False
    vmerge = tcPr.find(f"{_W}vMerge")
    return vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue")


def _body_items(body):
    """Body children in order, looking inside content controls (w:sdt) such as a TOC."""
    for child in body.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_items(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def read_docx(path: Path, data: bytes, sha256: str) -> Document:
    """Read a .docx into a Document; positions count every paragraph and table row once."""
    check_docx(data, str(path))
    import docx

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises assorted errors for broken parts
        raise ReportError(str(path), f"{CORRUPT} ({type(e).__name__})") from None
    raw: list[tuple[str, int, object]] = []  # ("p", line, text) or ("t", line, (rows, row_lines))
    line = 0
    for item in _body_items(word.element.body):
        if item.tag == f"{_W}p":
            line += 1
            raw.append(("p", line, _paragraph_text(item)))
            continue
        rows: list[list[str]] = []
        row_lines: list[int] = []
        for tr in item.iterchildren(f"{_W}tr"):
            line += 1
            cells = ["" if _is_vmerge_continuation(tc) else _cell_text(tc) for tc in tr.iterchildren(f"{_W}tc")]
            rows.append(cells)
            row_lines.append(line)
        if rows:
            raw.append(("t", row_lines[0], (rows, row_lines)))
    t2s = any(has_traditional(r[2]) if r[0] == "p" else any(has_traditional(c) for row in r[2][0] for c in row) for r in raw)
    blocks: list[Block] = []
    for kind, n, content in raw:
        if kind == "p":
            text = normalize_text(content, t2s)
            if text:
                blocks.append(Paragraph(text=text, line=n))
        else:
            rows, row_lines = content
            blocks.append(Table(rows=[[normalize_text(c, t2s) for c in row] for row in rows], line=n, row_lines=row_lines))
    return Document(path=str(path), format="docx", sha256=sha256, blocks=blocks)
