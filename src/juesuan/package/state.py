"""What the packager remembers between runs (build/cache/package/), so unchanged packages are skipped.

Per packages folder: for each package the input key it was built from, the digest of every file
written, and its share of the catalog — its `reports` row, findings, fields (kept once per
distinct field list) in state.marshal, and its catalog rows as bytes in fragments/<name>.bin — so
the catalog is rebuilt by streaming bytes, without touching unchanged packages or records.
Shared: the slugs of every department name seen (so an unchanged run need not load pypinyin).
Every entry is tied to a fingerprint of the packager's code: a code change rebuilds everything.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checks.digests import DigestIndex, folder_key, read_cache, read_json, write_cache, write_json
from ..fingerprint import code_fingerprint
from ..slug import department_slug, region_path, report_slug
from .report import COMBINED, Fragment

# Code whose change must rebuild every package (the cache key includes a hash of it).
PACKAGER_CODE = ("package", "checks", "slug.py", "classification.py", "record.py", "settings.py", "data")
CATALOG = "catalog"


@dataclass
class Part:
    """One report's share of the catalog: small facts here, its rows' bytes in memory or on disk.

    The bytes are, for each resource of COMBINED in order, its CSV records then its JSON objects
    (see Fragment), `sizes[res]` = [CSV length, JSON length]."""

    name: str
    report_row: dict[str, Any]
    findings: dict[str, int]
    fields: dict[str, list[dict]]
    sizes: dict[str, list[int]]
    field_ids: dict[str, str]  # res → an id of its field list (equal lists, equal ids)
    data: bytes | None = None  # the bytes, when there is no cache folder to keep them in
    path: Path | None = None  # else the file holding them

    @classmethod
    def of(cls, fragment: Fragment, keep: bool) -> "Part":
        fields = {res: fragment.combined[res][0] for res in COMBINED}
        return cls(fragment.name, fragment.report_row, fragment.findings, fields,
                   {res: [len(fragment.combined[res][1]), len(fragment.combined[res][2])] for res in COMBINED},
                   {res: field_id(value) for res, value in fields.items()}, blob(fragment) if keep else None)

    def size(self) -> int:
        return sum(a + b for a, b in self.sizes.values())

    def chunk(self, res: str, which: int) -> bytes:
        """One resource's CSV records (`which` 0) or JSON objects (1), read from where they are kept
        (one pread: the catalog reads every part's chunks, thousands of times per build)."""
        offset = 0
        for r in COMBINED:
            if r == res:
                break
            offset += self.sizes[r][0] + self.sizes[r][1]
        if which:
            offset += self.sizes[res][0]
        size = self.sizes[res][which]
        if self.data is not None:
            return self.data[offset:offset + size]
        fd = os.open(self.path, os.O_RDONLY)
        try:
            data = os.pread(fd, size, offset)
            while len(data) < size:  # a short read of a regular file: only at its end
                more = os.pread(fd, size - len(data), offset + len(data))
                if not more:
                    raise OSError(f"{self.path}: shorter than its catalog rows")
                data += more
        finally:
            os.close(fd)
        return data


def field_id(fields: list[dict]) -> str:
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def blob(fragment: Fragment) -> bytes:
    return b"".join(fragment.combined[res][1] + fragment.combined[res][2] for res in COMBINED)


@dataclass
class Written:
    """A package a worker just wrote: its catalog part (bytes saved in the cache, or carried here
    when there is none) and, per file, stat + sha256."""

    part: Part
    files: dict[str, list] = field(default_factory=dict)


class PackageCache:
    """The packager's memory of one packages folder; `cache_dir` None keeps it in memory only."""

    def __init__(self, cache_dir: Path | None, packages_dir: Path):
        self.fingerprint = code_fingerprint(*PACKAGER_CODE)
        self.packages_dir = Path(packages_dir)
        self.cache_dir = cache_dir
        self.digests = DigestIndex(packages_dir, cache_dir)
        self.folder = cache_dir / "package" / folder_key(packages_dir) if cache_dir else None
        state = read_cache(self.folder / "state.marshal") if self.folder else None
        ok = isinstance(state, dict) and state.get("fingerprint") == self.fingerprint
        self.state: dict[str, Any] = state["packages"] if ok and isinstance(state.get("packages"), dict) else {}
        fields = state.get("fields") if ok else None
        self.fields: dict[str, list] = fields if isinstance(fields, dict) else {}  # id → a field list
        self.new_state: dict[str, Any] = {}
        self.new_fields: dict[str, list] = {}

    # -- names ---------------------------------------------------------------------------------
    def names(self, identities: list[tuple]) -> dict[tuple, tuple[str, str, str]]:
        """(report slug, region path, department slug) per identity (department, province, city,
        district, fiscal_year), from the shared memo when known."""
        path = self.cache_dir / "package" / "names.json" if self.cache_dir else None
        memo = read_json(path)
        known = memo.get("names", {}) if isinstance(memo, dict) and memo.get("fingerprint") == self.fingerprint \
            else {}
        out: dict[tuple, tuple[str, str, str]] = {}
        added = False
        for key in identities:
            key = tuple(key)
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
        """True when packages_dir/name holds exactly the files written, with the same bytes.

        A stat per file of every package; a file whose stat changed is read and hashed again (as
        git does), so a file whose only change is its ctime, as when the site hard-links it as a
        download, still counts as unchanged, while an edit is caught whatever its mtime says.
        """
        seen = 0
        try:
            with os.scandir(os.path.join(self.packages_dir, name)) as entries:
                for e in entries:
                    expected = digests.get(e.name)
                    if expected is None or self.digests.digest(f"{name}/{e.name}", e.stat(follow_symlinks=False)) != expected:
                        return False
                    seen += 1
        except OSError:
            return False
        return seen == len(digests)

    def unchanged(self, name: str, key: str) -> bool:
        """True when the package was built from `key` and is intact on disk (safe in a worker)."""
        entry = self.state.get(name)
        return (self.folder is not None and isinstance(entry, dict) and entry.get("key") == key
                and isinstance(entry.get("files"), dict) and self._on_disk(name, entry["files"]))

    def part(self, name: str) -> Part | None:
        """The catalog part of an unchanged package (None when its cache entry is incomplete)."""
        entry = self.state.get(name)
        try:
            ids = entry["fields"]
            fields = {res: self.fields[fid] for res, fid in ids.items()}
            part = Part(name, entry["row"], entry["findings"], fields, entry["sizes"], ids,
                        path=self.folder / "fragments" / f"{name}.bin")
            if set(fields) != set(COMBINED) or os.stat(part.path).st_size != part.size():
                return None
        except (KeyError, TypeError, ValueError, AttributeError, OSError):
            return None
        self._keep(name, entry, part)
        return part

    def forget(self, names: list[str]) -> None:
        for name in names:
            self.state.pop(name, None)

    def store_part(self, part: Part, fragment: Fragment) -> Part:
        """Save a part's bytes (called in the worker that built it); drop them from the part."""
        if self.folder is None:
            return part
        try:
            folder = self.folder / "fragments"
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{part.name}.{os.getpid()}.tmp"
            tmp.write_bytes(blob(fragment))
            os.replace(tmp, folder / f"{part.name}.bin")
            part.path, part.data = folder / f"{part.name}.bin", None
        except OSError:
            part.data = blob(fragment)  # the cache cannot hold it: carry the bytes back
        return part

    def written(self, name: str, key: str, written: Written) -> Part:
        """Remember a package just written; return its catalog part."""
        for file_name, entry in written.files.items():
            self.digests.entries[f"{name}/{file_name}"] = entry
        self.digests.changed = True
        part = written.part
        entry = {"key": key, "files": {f: e[4] for f, e in sorted(written.files.items())}}
        if part.data is None:  # its bytes are in the cache: the next run can reuse it
            entry.update({"row": part.report_row, "findings": part.findings, "sizes": part.sizes,
                          "fields": part.field_ids})
        self._keep(name, entry, part)
        return part

    def _keep(self, name: str, entry: dict, part: Part) -> None:
        for res, fid in part.field_ids.items():
            if fid not in self.new_fields:
                self.new_fields[fid] = part.fields[res]
        self.new_state[name] = entry

    # -- the catalog ---------------------------------------------------------------------------
    def catalog_unchanged(self, key: str) -> bool:
        """True when the catalog was last built from the same packages and build report, intact."""
        entry = self.state.get(CATALOG)
        if (self.folder is not None and isinstance(entry, dict) and entry.get("key") == key
                and isinstance(entry.get("files"), dict) and self._on_disk(CATALOG, entry["files"])):
            self.new_state[CATALOG] = entry
            return True
        return False

    def catalog_written(self, key: str, files: dict[str, Any]) -> None:
        digests = {}
        for file_name, data in sorted(files.items()):
            sha = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data.sha256
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
        write_cache(self.folder / "state.marshal", {"fingerprint": self.fingerprint, "packages": self.new_state,
                                                "fields": self.new_fields})
        try:
            for stale in (self.folder / "fragments").iterdir():
                if stale.suffix != ".bin" or stale.stem not in self.new_state:
                    stale.unlink()
        except OSError:
            pass
