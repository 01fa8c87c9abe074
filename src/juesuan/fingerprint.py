"""Cache keys for extracted records: which file, which manifest row, which code made the record.

A record depends on the report's bytes, its manifest row, and the code that read and parsed
it (juesuan.read, juesuan.parse, the Record contract, the settings and data files, and the
libraries that decode .txt/.docx/.pdf). A change to any of them gives a different key, so a
stale record is never served: the old entry is simply not found.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__

PACKAGE_ROOT = Path(__file__).resolve().parent
# Source files and folders (relative to the package) whose code shapes a record.
CODE_PATHS = ("read", "parse", "record.py", "manifest.py", "settings.py", "extract.py", "fingerprint.py", "data")
# Libraries whose output ends up in a record (decoding, traditional → simplified, .docx, .pdf).
LIBRARIES = ("opencc", "charset-normalizer", "python-docx", "pdfplumber", "pdfminer.six")


@lru_cache(maxsize=None)
def code_fingerprint(*paths: str, libraries: tuple[str, ...] = ()) -> str:
    """Hash of the juesuan version, the given source files/folders (relative to the package) and
    library versions: part of every cache key (records, packages, validation), so a code change
    invalidates the entries that code made."""
    h = hashlib.sha256(f"juesuan {__version__}\n".encode())
    for name in paths:
        path = PACKAGE_ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for f in files:
            if f.suffix in (".pyc", ".tmp"):
                continue
            h.update(f"{f.relative_to(PACKAGE_ROOT).as_posix()}\n".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    for lib in libraries:
        h.update(f"{lib}=={_version(lib)}\n".encode())
    return h.hexdigest()


def record_fingerprint() -> str:
    """The fingerprint of the record-making code (CODE_PATHS and LIBRARIES)."""
    return code_fingerprint(*CODE_PATHS, libraries=LIBRARIES)


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "-"


def file_sha256(path: Path) -> str:
    """sha256 of a report file's bytes (the same digest the readers put into the record)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _as_dict(entry: object) -> dict:
    """`dataclasses.asdict(entry)` (which deep-copies every value: most of an unchanged report's
    cost) without copying when every field holds a plain value, as a manifest row's do."""
    row = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)}
    if all(v is None or isinstance(v, (str, int, float, bool)) for v in row.values()):
        return row
    return dataclasses.asdict(entry)


def record_key(file_sha: str, path: str, entry: object | None, fingerprint: str) -> str:
    """The cache key of one report's record.

    `path` is part of the key because the record names the file it came from; `entry` is the
    manifest row (a dataclass) or None.
    """
    row = _as_dict(entry) if dataclasses.is_dataclass(entry) else entry
    material = json.dumps([fingerprint, file_sha, path, row], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
