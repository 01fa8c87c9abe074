"""Stage 1a: a report file → `Document` (paragraphs and tables with their positions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ReportError
from ..settings import MAX_REPORT_BYTES
from .document import Block, Document, Paragraph, Table

__all__ = ["read_report", "Document", "Paragraph", "Table", "Block"]


def read_report(path: Path) -> Document:
    """Read a .txt, .docx or .pdf report. Raises ReportError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(str(path), "no such file")
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".docx", ".pdf"):
        raise ReportError(str(path), f"unsupported file type {suffix!r}; give a .txt, .docx or .pdf report")
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportError(str(path), f"file too large ({size // 2**20} MiB, limit {MAX_REPORT_BYTES // 2**20} MiB)")
    data = path.read_bytes()
    if not data:
        raise ReportError(str(path), "empty file: nothing to read")
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".txt":
        from .text import read_text

        return read_text(path, data, sha)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path, data, sha)
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path, data, sha)
    raise ReportError(str(path), f"unsupported file type {suffix!r}; give a .txt, .docx or .pdf report")
