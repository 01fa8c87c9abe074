"""Content digests of package files and code fingerprints, for the packaging and validation caches.

A file's sha256 is remembered with its (size, mtime, ctime, inode), as git's index does, so an
unchanged file is not read again; any write to a file, even one that restores its mtime,
changes its ctime, so a tampered file is always hashed afresh. Caches live under
settings.CACHE_DIR (build/cache/), never in datapackages/ or the site.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from pathlib import Path
from typing import Any

from .. import settings


# What `cache_dir` means when a caller does not say: settings.CACHE_DIR, looked up at call time.
DEFAULT = object()


def resolve_cache_dir(cache_dir: Any) -> Path | None:
    """settings.CACHE_DIR for DEFAULT, None (no caching) for None, else the given folder."""
    if cache_dir is DEFAULT:
        return Path(settings.CACHE_DIR)
    return None if cache_dir is None else Path(cache_dir)


def folder_key(folder: Path) -> str:
    """A short name for a packages folder inside a cache (caches are kept per packages folder)."""
    return hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:16]


def stat_signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def read_json(path: Path | None) -> Any:
    """A cache file's content, or None when it is missing or unreadable (a cache is optional)."""
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path | None, data: Any) -> None:
    """Write a cache file atomically; a cache that cannot be written is skipped, never fatal."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def read_cache(path: Path | None) -> Any:
    """A large cache file's content (see write_cache), or None when missing or unreadable."""
    if path is None:
        return None
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_cache(path: Path | None, data: Any) -> None:
    """Write a large cache file atomically, as marshal (dicts, lists, str, int): it is read and
    written whole on every run, and marshal does that 5-10 times faster than JSON. A cache that
    cannot be written is skipped, never fatal."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


class DigestIndex:
    """sha256 of the files under one packages folder, remembered by stat signature."""

    def __init__(self, packages_dir: Path, cache_dir: Path | None):
        self.root = Path(packages_dir)
        self.path = cache_dir / "digests" / f"{folder_key(packages_dir)}.marshal" if cache_dir else None
        data = read_cache(self.path)
        self.entries: dict[str, list] = data if isinstance(data, dict) else {}
        self.changed = False

    def remember(self, rel: str, st: os.stat_result, sha: str) -> None:
        """Record the digest of a file just written (its bytes are known, no need to read it back)."""
        self.entries[rel] = stat_signature(st) + [sha]
        self.changed = True

    def fresh(self, rel: str, st: os.stat_result) -> str | None:
        """The remembered digest when the file looks unchanged since (same stat_signature), else None.

        Asked for every file of every package on each run (300,000 at 10,000 reports): the fields
        are compared one by one rather than through a new stat_signature list.
        """
        entry = self.entries.get(rel)
        if entry and len(entry) == 5 and entry[0] == st.st_size and entry[1] == st.st_mtime_ns \
                and entry[2] == st.st_ctime_ns and entry[3] == st.st_ino:
            return entry[4]
        return None

    def digest(self, rel: str, st: os.stat_result | None = None) -> str:
        """sha256 of root/rel, read only when the file changed since it was last hashed.

        An unchanged file costs a dict lookup and no path object (asked 300,000 times per run).
        """
        if st is None:
            st = os.stat(os.path.join(self.root, rel))
        sha = self.fresh(rel, st)
        if sha is None:
            sha = hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
            self.remember(rel, st, sha)
        return sha

    def folder(self, name: str) -> dict[str, str]:
        """file name → sha256 for every file in the package folder `name` (a stat each when unchanged)."""
        out = {}
        with os.scandir(os.path.join(self.root, name)) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    out[entry.name] = self.digest(f"{name}/{entry.name}", entry.stat(follow_symlinks=False))
        return dict(sorted(out.items()))

    def forget_missing(self, names: set[str]) -> None:
        """Drop entries of package folders that are gone, so the index does not grow forever."""
        keep = {k: v for k, v in self.entries.items() if k.split("/", 1)[0] in names}
        if len(keep) != len(self.entries):
            self.entries, self.changed = keep, True

    def save(self) -> None:
        if self.changed:
            write_cache(self.path, self.entries)
            self.changed = False


def content_key(digests: dict[str, str], fingerprint: str) -> str:
    """One key for a package's content (every file name and digest) and the code judging it."""
    h = hashlib.sha256(fingerprint.encode())
    for name, sha in sorted(digests.items()):
        h.update(f"\n{name}\t{sha}".encode("utf-8"))
    return h.hexdigest()
