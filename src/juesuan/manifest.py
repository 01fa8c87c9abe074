"""reports/manifest.csv: what a user states about a report (overrides what the text says).

Columns (all optional but `file`): file, department, province, city, district, fiscal_year,
kind, source_url, note. A row applies to the report whose file name equals `file`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import ManifestError
from .settings import MANIFEST_NAMES

FIELDS = ("department", "province", "city", "district", "fiscal_year", "kind", "source_url", "note")


@dataclass
class ManifestEntry:
    file: str
    department: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    fiscal_year: int | None = None
    kind: str | None = None
    source_url: str | None = None
    note: str | None = None


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        p = Path(folder) / name
        if p.is_file():
            return p
    return None


def load_manifest(path: Path | None) -> dict[str, ManifestEntry]:
    """Entries by file name. A missing manifest is an empty one."""
    if path is None:
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ManifestError(f"{path}: not UTF-8 ({e}); save the manifest as UTF-8 CSV") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ManifestError(f"{path}: the first line must name the columns, including 'file'")
    unknown = [c for c in reader.fieldnames if c not in FIELDS and c != "file"]
    if unknown:
        raise ManifestError(f"{path}: unknown column(s) {', '.join(unknown)}; known: file, {', '.join(FIELDS)}")
    entries: dict[str, ManifestEntry] = {}
    for n, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}:{n}: empty 'file' cell")
        if name in entries:
            raise ManifestError(f"{path}:{n}: {name} is listed twice")
        values = {k: (row.get(k) or "").strip() or None for k in FIELDS}
        year = values.pop("fiscal_year")
        if year is not None:
            if not (year.isdigit() and len(year) == 4):
                raise ManifestError(f"{path}:{n}: fiscal_year {year!r} is not a four-digit year")
        kind = values.get("kind")
        if kind is not None and kind not in ("部门决算", "单位决算"):
            raise ManifestError(f"{path}:{n}: kind {kind!r} must be 部门决算 or 单位决算")
        entries[name] = ManifestEntry(file=name, fiscal_year=int(year) if year else None, **values)
    return entries
