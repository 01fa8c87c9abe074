"""Stage 1a: a report file → `Document` (paragraphs and tables with their positions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ReportError
from .document import Block, Document, Paragraph, Table

__all__ = ["read_report", "Document", "Paragraph", "Table", "Block"]


def read_report(path: Path) -> Document:
    """Read a .txt, .docx or .pdf report. Raises ReportError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(str(path), "no such file")
    suffix = path.suffix.lower()
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".txt":
        from .text import read_text

        return read_text(path, data, sha)
    raise ReportError(str(path), f"unsupported file type {suffix!r}; give a .txt, .docx or .pdf report")
