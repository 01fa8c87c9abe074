"""What the packager remembers between runs (build/cache/package/), so unchanged packages are skipped.

Per packages folder: for each package the input key it was built from and the digest of every
file written; the catalog fragment of each package (so the catalog is rebuilt by concatenation);
and, shared, the slugs of every department name seen (so an unchanged run need not load pypinyin).
Every entry is tied to a fingerprint of the packager's code: a code change rebuilds everything.
"""

from __future__ import annotations

import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks.digests import DigestIndex, folder_key, read_json, write_json
from ..fingerprint import code_fingerprint
from ..slug import department_slug, region_path, report_slug
from .report import Fragment

# Code whose change must rebuild every package (the cache key includes a hash of it).
PACKAGER_CODE = ("package", "checks", "slug.py", "classification.py", "record.py", "settings.py", "data")
CATALOG = "catalog"


@dataclass
class Written:
    """A package a worker just wrote: its pickled catalog fragment and, per file, stat + sha256."""

    fragment: bytes
    files: dict[str, list]


class PackageCache:
    """The packager's memory of one packages folder; `cache_dir` None keeps it in memory only."""

    def __init__(self, cache_dir: Path | None, packages_dir: Path):
        self.fingerprint = code_fingerprint(*PACKAGER_CODE)
        self.packages_dir = Path(packages_dir)
        self.cache_dir = cache_dir
        self.digests = DigestIndex(packages_dir, cache_dir)
        self.folder = cache_dir / "package" / folder_key(packages_dir) if cache_dir else None
        state = read_json(self.folder / "state.json") if self.folder else None
        ok = isinstance(state, dict) and state.get("fingerprint") == self.fingerprint
        self.state: dict[str, Any] = state["packages"] if ok and isinstance(state.get("packages"), dict) else {}
        self.new_state: dict[str, Any] = {}

    # -- names ---------------------------------------------------------------------------------
    def names(self, identities: list) -> dict[tuple, tuple[str, str, str]]:
        """(report slug, region path, department slug) per identity, from the shared memo when known."""
        path = self.cache_dir / "package" / "names.json" if self.cache_dir else None
        memo = read_json(path)
        known = memo.get("names", {}) if isinstance(memo, dict) and memo.get("fingerprint") == self.fingerprint \
            else {}
        out: dict[tuple, tuple[str, str, str]] = {}
        added = False
        for ident in identities:
            key = (ident.department, ident.province, ident.city, ident.district, ident.fiscal_year)
            if key in out:
                continue
            text = json.dumps(key, ensure_ascii=False)
            found = known.get(text)
            if not (isinstance(found, list) and len(found) == 3 and all(isinstance(x, str) for x in found)):
                found = [report_slug(*key), region_path(*key[1:4]), department_slug(*key[:4])]
                known[text] = found
                added = True
            out[key] = tuple(found)
        if added:
            write_json(path, {"fingerprint": self.fingerprint, "names": known})
        return out

    # -- report packages -----------------------------------------------------------------------
    def _on_disk(self, name: str, digests: dict[str, str]) -> bool:
        """True when packages_dir/name holds exactly the files written, unmodified since."""
        try:
            with os.scandir(self.packages_dir / name) as entries:
                found = {e.name: e.stat(follow_symlinks=False) for e in entries}
        except OSError:
            return False
        if set(found) != set(digests):
            return False
        for file_name, st in found.items():
            if self.digests.fresh(f"{name}/{file_name}", st) != digests[file_name]:
                return False
        return True

    def unchanged(self, name: str, key: str) -> bool:
        """True when the package was built from `key` and is intact on disk (safe in a worker)."""
        entry = self.state.get(name)
        return (self.folder is not None and isinstance(entry, dict) and entry.get("key") == key
                and isinstance(entry.get("files"), dict) and self._on_disk(name, entry["files"]))

    def fragment(self, name: str) -> Fragment | None:
        """The cached catalog fragment of an unchanged package (None when unreadable)."""
        try:
            fragment = pickle.loads((self.folder / "fragments" / f"{name}.pickle").read_bytes())
        except Exception:  # missing or unreadable: the caller builds the package again
            return None
        if not isinstance(fragment, Fragment) or fragment.name != name:
            return None
        self.new_state[name] = self.state[name]
        return fragment

    def forget(self, names: list[str]) -> None:
        for name in names:
            self.state.pop(name, None)

    def store_fragment(self, name: str, blob: bytes) -> None:
        """Save a fragment (called in the worker that built it)."""
        if self.folder is None:
            return
        try:
            folder = self.folder / "fragments"
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(blob)
            os.replace(tmp, folder / f"{name}.pickle")
        except OSError:
            pass

    def written(self, name: str, key: str, written: Written) -> Fragment:
        """Remember a package just written; return its fragment."""
        for file_name, entry in written.files.items():
            self.digests.entries[f"{name}/{file_name}"] = entry
        self.digests.changed = True
        self.new_state[name] = {"key": key, "files": {f: e[4] for f, e in sorted(written.files.items())}}
        return pickle.loads(written.fragment)

    # -- the catalog ---------------------------------------------------------------------------
    def catalog_unchanged(self, key: str) -> bool:
        """True when the catalog was last built from the same packages and build report, intact."""
        entry = self.state.get(CATALOG)
        if (self.folder is not None and isinstance(entry, dict) and entry.get("key") == key
                and isinstance(entry.get("files"), dict) and self._on_disk(CATALOG, entry["files"])):
            self.new_state[CATALOG] = entry
            return True
        return False

    def catalog_written(self, key: str, files: dict[str, bytes]) -> None:
        import hashlib

        digests = {}
        for file_name, data in sorted(files.items()):
            sha = hashlib.sha256(data).hexdigest()
            digests[file_name] = sha
            try:
                st = (self.packages_dir / CATALOG / file_name).stat()
            except OSError:
                continue
            self.digests.remember(f"{CATALOG}/{file_name}", st, sha)
        self.new_state[CATALOG] = {"key": key, "files": digests}

    def save(self, keep: set[str]) -> None:
        """Write the state and digests; drop fragments of packages that are gone."""
        self.digests.forget_missing(keep)
        self.digests.save()
        if self.folder is None:
            return
        write_json(self.folder / "state.json", {"fingerprint": self.fingerprint, "packages": self.new_state})
        try:
            for stale in (self.folder / "fragments").glob("*.pickle"):
                if stale.stem not in self.new_state:
                    stale.unlink()
        except OSError:
            pass
