"""Frictionless validation of many packages at once.

Validating one package at a time spent ~0.3 s per package re-reading descriptors (jsonschema,
deep copies, field objects per resource), not rows. Here:

- each distinct descriptor *shape* (free text — titles, descriptions, keywords, names that match
  the name pattern, sha256 values — replaced by placeholders) is checked by frictionless once;
- the rows of every resource that shares one Table Schema are validated by frictionless as one
  table, with two leading columns naming the package and the CSV row, so an error is reported
  against its own package and row (primary and foreign keys include the package column);
- the catalog's combined resources are not validated row by row a second time: see
  `_catalog_slice` for why a report's rows in the catalog are valid when they are the rows of its
  own, valid package, and what frictionless still checks there (the descriptor, the key columns,
  the foreign key to `reports`, and every row of any report that does not pass that test);
- packages with anything unusual (not CSV, not UTF-8, an unsafe path) get the plain one-package
  frictionless validation instead.
The file header and the UTF-8 decoding are checked here, before the rows go to frictionless.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from bisect import bisect_left
from concurrent.futures import ProcessPoolExecutor
from itertools import accumulate, islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from ..fingerprint import code_fingerprint
from .digests import DigestIndex, content_key, folder_key, read_cache, write_cache

FREE_TEXT = ("title", "description")
NAME = re.compile(r"^([-a-z0-9._/])+$")  # frictionless' name pattern
SHA = re.compile(r"^[0-9a-f]{64}$")
UNIT, ROW = "_package", "_row"
ROWS_PER_TASK = 6000  # rows per frictionless call: large enough to amortise, small enough to balance cores
PARALLEL_FROM = 20000  # rows to validate before worker processes pay off


def fingerprint() -> str:
    return code_fingerprint("checks", libraries=("frictionless",))


def validate_folders(packages_dir: Path, names: list[str], cache_dir: Path | None,
                     jobs: int | None = None) -> dict[str, list[str]]:
    """frictionless errors per package name; unchanged packages are answered from the cache."""
    return {name: errors for name, (errors, _) in check_folders(packages_dir, names, cache_dir, jobs).items()}


def check_folders(packages_dir: Path, names: list[str], cache_dir: Path | None, jobs: int | None = None,
                  about: Callable[[Path, dict | None], Any] | None = None) -> dict[str, tuple[list[str], Any]]:
    """(frictionless errors, about(folder, descriptor)) per package name; both are remembered with the
    package's content key, so an unchanged package is answered without opening any of its files.
    `about` gets the package's parsed datapackage.json (None when it could not be read as one)."""
    fp = fingerprint()
    index = DigestIndex(packages_dir, cache_dir)
    path = cache_dir / "validate" / f"{folder_key(packages_dir)}.marshal" if cache_dir else None
    cached = read_cache(path)
    if not (isinstance(cached, dict) and cached.get("fingerprint") == fp):
        cached = {}
    old_packages = cached.get("packages") if isinstance(cached.get("packages"), dict) else {}
    old_slices = cached.get("slices") if isinstance(cached.get("slices"), dict) else {}

    results: dict[str, list[str]] = {}
    abouts: dict[str, Any] = {}
    keys: dict[str, str] = {}
    files: dict[str, dict[str, str]] = {}  # package → file name → sha256
    todo = []
    for name in names:
        try:
            files[name] = index.folder(name)
            keys[name] = content_key(files[name], fp)
        except OSError as e:
            results[name] = [f"package: scheme-error: {e}"]
            continue
        hit = old_packages.get(name)
        if isinstance(hit, list) and len(hit) == 3 and hit[0] == keys[name] and isinstance(hit[1], list) \
                and (about is None or hit[2] is not None):
            results[name] = hit[1]
            abouts[name] = hit[2]
        else:
            todo.append(name)
    new_slices: dict[str, list[str]] = {}
    # report packages first: the catalog's check relies on their results (and on what their
    # check learnt: their schemas and row digests, see Facts), so a catalog met among them waits
    facts = Facts(about)
    facts.files = files
    for batch in (todo, facts.catalogs):
        if batch:
            results.update(_validate(Path(packages_dir), batch, fp, old_slices, new_slices, jobs, results, keys,
                                     facts))
            facts.defer_catalogs = False
    if about is not None:
        for name in todo:
            abouts[name] = facts.abouts[name] if name in facts.abouts else about(Path(packages_dir) / name, None)
    index.forget_missing(set(names))
    index.save()
    # a package changed on disk after hashing would carry a stale key: harmless, it is re-checked next time
    write_cache(path, {"fingerprint": fp,
                      "packages": {n: [keys[n], results[n], abouts.get(n)] for n in names
                                   if n in keys and n in results},
                      "slices": {**{k: v for k, v in old_slices.items()
                                    if k.startswith("shape:")
                                    or (k.startswith(("own:", "keys:", "seg:", "segs:", "whole:"))
                                        and not facts.catalogs)},
                                 **new_slices}})
    return {name: (results[name], abouts.get(name)) for name in names}


def _is_catalog(descriptor: Any) -> bool:
    """True for a descriptor that says it is the catalog (validated after the reports)."""
    return bool(isinstance(descriptor, dict) and isinstance(descriptor.get("juesuan"), dict)
                and descriptor["juesuan"].get("catalog"))


class Facts:
    """What the check of the report packages learns on the way, for the catalog's check after it
    and for the caller: each package's `about` (from the descriptor already read), the data schema
    of each of its plain resources, and a digest of each resource's rows (computed by the worker
    that read them for frictionless), so OwnRows need not read any report package again."""

    def __init__(self, about: Callable[[Path, dict | None], Any] | None):
        self.about = about
        self.abouts: dict[str, Any] = {}
        self.defer_catalogs = True
        self.catalogs: list[str] = []
        self.schemas: dict[tuple[str, Any], dict] = {}  # (package, resource name) → data schema
        self.digests: dict[tuple[str, Any], str] = {}  # (package, resource name) → rows_digest(rows)
        self.files: dict[str, dict[str, str]] = {}  # package → file name → sha256 (DigestIndex)


def rows_digest(rows: Any) -> str:
    """sha256 of a table's rows (lists of cells), unambiguous whatever the cells hold."""
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


# -- descriptors -------------------------------------------------------------------------------

def _canonical(value: Any, key: str | None = None) -> Any:
    """The descriptor with free text replaced by placeholders (frictionless only checks its type)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in FREE_TEXT and isinstance(v, str):
                out[k] = "-"
            elif k == "name" and isinstance(v, str) and NAME.match(v) and key == "package":
                out[k] = "x"
            elif k == "sha256" and isinstance(v, str) and SHA.match(v):
                out[k] = "0" * 64
            elif k == "juesuan" and isinstance(v, dict):
                out[k] = {}
            else:
                out[k] = _canonical(v, k)
        return out
    if isinstance(value, list):
        if key == "keywords":
            return ["-" if isinstance(v, str) else v for v in value]
        return [_canonical(v) for v in value]
    return value


def _shape_errors(kind: str, descriptor: dict, memo: dict, old: dict, new: dict) -> list[str]:
    text = json.dumps(descriptor, ensure_ascii=False, sort_keys=True)
    key = "shape:" + hashlib.sha256(f"{kind}\n{text}".encode("utf-8")).hexdigest()
    if key in memo:
        return memo[key]
    if isinstance(old.get(key), list):
        errors = old[key]
    else:
        from frictionless import Package, Resource

        cls = Package if kind == "package" else Resource
        try:
            errors = [f"{e.type}: {e.message}" for e in cls.metadata_validate(descriptor)]
        except Exception as e:  # frictionless raises for some invalid descriptors instead of listing them
            errors = [f"{type(e).__name__}: {e}"]
    memo[key] = new[key] = errors
    return errors


def _plain(resource: dict) -> bool:
    """A resource the batched path can take: a UTF-8 CSV file in the package folder with a schema."""
    path = resource.get("path")
    schema = resource.get("schema")
    return (isinstance(path, str) and "/" not in path and "\\" not in path and not path.startswith(".")
            and path.endswith(".csv") and resource.get("format", "csv") == "csv"
            and str(resource.get("encoding", "utf-8")).lower().replace("_", "-") in ("utf-8", "utf-8-sig")
            and resource.get("scheme", "file") == "file" and "dialect" not in resource
            and isinstance(schema, dict) and isinstance(schema.get("fields"), list)
            and all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema["fields"]))


def _data_schema(schema: dict) -> dict:
    """The schema as data validation sees it (titles and descriptions do not matter there)."""
    return {k: ([{a: b for a, b in f.items() if a not in FREE_TEXT} for f in v] if k == "fields" else v)
            for k, v in schema.items() if k not in FREE_TEXT}


# -- planning ----------------------------------------------------------------------------------

def _validate(root: Path, names: list[str], fp: str, old: dict, new: dict, jobs: int | None,
              known: dict[str, list[str]] | None = None, keys: dict[str, str] | None = None,
              facts: Facts | None = None) -> dict[str, list[str]]:
    """frictionless errors of `names`; `known` holds results (and `keys` content keys) of other packages;
    `facts` collects what the check learns (and, while `facts.defer_catalogs`, the catalogs it left out)."""
    facts = facts or Facts(None)
    results: dict[str, list[str]] = {name: [] for name in names}
    own = OwnRows(root, known or {}, keys or {}, old, new, facts)
    memo: dict[str, list[str]] = {}
    shapes: dict[str, tuple[bool, dict | None, str]] = {}  # resource descriptor text → (_plain, data schema, its text)
    groups: dict[Any, dict] = {}  # task key → {"schema", "ref", "sources": [...]}
    slices: dict[str, tuple[str, str]] = {}  # unit id → (owner package, slice cache key)
    plain_fallback = []
    batches = _Batches(groups, jobs)
    try:
        for name in names:
            try:
                descriptor = json.loads((root / name / "datapackage.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                if facts.about is not None:
                    facts.abouts[name] = facts.about(root / name, None)
                results[name].append(f"datapackage.json: {type(e).__name__}: {e}")
                continue
            if facts.about is not None:
                facts.abouts[name] = facts.about(root / name, descriptor)
            if facts.defer_catalogs and _is_catalog(descriptor):
                facts.catalogs.append(name)
                del results[name]
                continue
            resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
            if not isinstance(resources, list) or not resources or not all(isinstance(r, dict) for r in resources):
                results[name] = _plain_errors(root / name)
                continue
            shape = {}  # id(resource) → its entry in shapes (a resource's descriptor is dumped once)
            for r in resources:
                raw = json.dumps(r, ensure_ascii=False)
                if raw not in shapes:
                    if _plain(r):
                        schema = _data_schema(r["schema"])
                        shapes[raw] = (True, schema, json.dumps(schema, ensure_ascii=False))
                    else:
                        shapes[raw] = (False, None, raw)
                shape[id(r)] = (raw, shapes[raw])
            if not all(shape[id(r)][1][0] for r in resources):
                plain_fallback.append(name)
                continue
            shell = _canonical({**descriptor, "resources": [{"name": "r", "path": "r.csv"}]}, "package")
            results[name] += [f"package: {e}" for e in _shape_errors("package", shell, memo, old, new)]
            by_name: dict[str, dict] = {}
            for r in resources:
                rname = r.get("name")
                if rname in by_name:
                    results[name].append(f"package: package-error: resource name {rname!r} is used twice")
                by_name[rname] = r
            for r in resources:
                raw = "raw:" + shape[id(r)][0]
                errors = memo.get(raw)
                if errors is None:
                    errors = memo[raw] = _shape_errors("resource", _canonical(r), memo, old, new)
                results[name] += [f"{r.get('name')}: {e}" for e in errors]
                if errors:
                    continue
                _plan(root, name, r, by_name, groups, slices, fp, old, results, own,
                      lambda resource: shape[id(resource)][1][1:])
            batches.advance()
        for name in plain_fallback:
            results[name] = _plain_errors(root / name)
    except BaseException:
        batches.close()
        raise
    answers = batches.answers()
    slice_errors: dict[str, list[str]] = {key: [] for _, key in slices.values()}
    erred: set[str] = set()
    for answer, digests in answers:
        for unit, digest in digests.items():
            package, resource = unit.split("\x1f", 1)
            facts.digests[package, resource] = digest
        for unit, errors in answer.items():
            if errors:
                erred.add(unit)
            if unit in slices:
                owner, key = slices[unit]
                slice_errors[key] += errors
                results[owner] += errors
            elif unit.split("\x1f", 1)[0] in results:
                results[unit.split("\x1f", 1)[0]] += errors
    # only a clean verdict is remembered: an error seen in a batch may belong to its neighbours
    new.update({key: errors for key, errors in slice_errors.items() if not errors})
    for unit, verdict in own.whole:  # a table frictionless found clean, by the content it read
        if unit not in erred:
            new[verdict] = True
    for segment_key, keys_key in own.pending:  # a run judged clean whole: its rows and its key columns
        if new.get(keys_key) == []:
            new[segment_key] = True
    return results


def _plain_errors(folder: Path) -> list[str]:
    from .validate import frictionless_errors

    return frictionless_errors(folder)


def _read_rows(path: Path) -> tuple[list[str] | None, list[list[str]], str | None]:
    """(header, rows, error) of a package CSV: UTF-8 (BOM allowed), standard CSV dialect."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        return None, [], f"scheme-error: cannot read {path.name}: {e}"
    except UnicodeDecodeError as e:
        return None, [], f"encoding-error: {path.name} is not UTF-8: {e}"
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        return None, [], f"source-error: {path.name} is not valid CSV: {e}"
    if not records:
        return None, [], f"source-error: {path.name} is empty (no header row)"
    return records[0], records[1:], None


def _plan(root: Path, name: str, r: dict, by_name: dict, groups: dict, slices: dict, fp: str, old: dict,
          results: dict, own: "OwnRows", shape_of: Callable[[dict], tuple[dict, str]] | None = None) -> None:
    """Add one resource's rows (for the catalog: its key columns and rows not vouched for by OwnRows) to a batch.
    `shape_of(resource)` gives its data schema and that schema's JSON text (remembered per descriptor)."""
    if shape_of is None:
        def shape_of(resource: dict) -> tuple[dict, str]:
            data = _data_schema(resource["schema"])
            return data, json.dumps(data, ensure_ascii=False)
    schema, schema_json = shape_of(r)
    labels = [f["name"] for f in schema["fields"]]
    refs = []
    for fk in schema.get("foreignKeys") or []:
        target = (fk.get("reference") or {}).get("resource") if isinstance(fk, dict) else None
        if target and target != r.get("name") and target in by_name and _plain(by_name[target]):
            refs.append(target)
    ref_name = refs[0] if len(refs) == 1 else None
    ref = by_name.get(ref_name) if ref_name else None
    ref_schema, ref_json = shape_of(ref) if ref else (None, None)
    group = groups.setdefault((schema_json, ref_name, ref_json), {
        "resource": r.get("name"), "schema": schema, "ref_name": ref_name, "ref_schema": ref_schema, "sources": []})
    if isinstance(r.get("name"), str):
        own.facts.schemas[name, r["name"]] = schema
    ref_source = (root / name / ref["path"]) if ref else None
    pk = _as_list(schema.get("primaryKey") or [])
    sliced = labels[:len(KEYS)] == list(KEYS) and pk[:1] == ["package"] and len(pk) > 1
    if not sliced:
        # frictionless' verdict on a table rests on its schema, its bytes and those of the table its
        # foreign key refers to: a clean verdict is remembered by them (the catalog's tables that did
        # not change since are not judged again when others did)
        verdict = None
        mine = own.facts.files.get(name) or {}
        if r["path"] in mine and (ref is None or ref["path"] in mine):
            verdict = "whole:" + hashlib.sha256(json.dumps(
                [name, r.get("name"), schema_json, mine[r["path"]], ref_name, ref_json,
                 mine[ref["path"]] if ref else None], ensure_ascii=False).encode("utf-8")).hexdigest()
            if old.get(verdict) is True:
                own.new[verdict] = True
                return
        unit = f"{name}\x1f{r.get('name')}"
        group["sources"].append({"unit": unit, "path": root / name / r["path"],
                                 "labels": labels, "ref": ref_source, "rows": None})
        if verdict:
            own.whole.append((unit, verdict))
        return
    # the catalog: a report's rows that repeat its own valid package pass without a second
    # frictionless run (see OwnRows); frictionless checks their key columns and every other row
    path = root / name / r["path"]
    schema_text = json.dumps(schema, ensure_ascii=False, sort_keys=True)
    key_schema = {k: v for k, v in schema.items() if k not in ("fields", "primaryKey", "foreignKeys")}
    key_schema["fields"] = schema["fields"][:len(KEYS)]
    key_fks = [fk for fk in schema.get("foreignKeys") or []
               if isinstance(fk, dict) and set(_as_list(fk.get("fields"))) <= set(KEYS)]
    if key_fks:
        key_schema["foreignKeys"] = key_fks
    head = hashlib.sha256(json.dumps([key_schema, ref_name if key_fks else None, ref_schema if key_fks else None],
                                     ensure_ascii=False, sort_keys=True).encode("utf-8"))
    segments = Segments(own, f"{name}\x1f{r.get('name')}", schema_text, head.hexdigest(),
                        ref_source if key_fks else None)
    runs = segments.split(path, labels)
    if runs is None:  # not as last seen: read and group the whole file
        header, rows, error = _read_rows(path)
        if error or header != labels:
            group["sources"].append({"unit": f"{name}\x1f{r.get('name')}", "path": path,
                                     "labels": labels, "ref": ref_source, "rows": None})
            return
        by_value: dict[str, list[tuple[int, list[str]]]] = {}
        for n, row in enumerate(rows, start=2):
            by_value.setdefault(row[0] if row else "", []).append((n, row))
        runs = [(value, numbered, None) for value, numbered in by_value.items()]
    key_rows: dict[str, dict[tuple[str, ...], int]] = {}  # per report: distinct key cells of its passing rows
    for value, numbered, segment in runs:
        if numbered is None:  # a run of bytes judged before, whole (see Segments)
            continue
        if own.same_rows(value, r, schema, numbered, schema_text):
            mine = key_rows.setdefault(value, {})
            for n, row in numbered:
                mine.setdefault(tuple(row[:len(KEYS)]), n)
            continue
        segments.unclean(value)
        group["sources"].append({"unit": f"{name}\x1f{r.get('name')}\x1f{value}", "path": None, "labels": labels,
                                 "ref": ref_source, "rows": numbered, "ref_value": value})
    if not key_rows:
        segments.done({})
        return
    # The key columns of those rows, one unit per report (its rows and its own row of the referenced
    # table, nothing else): frictionless' verdict on a unit depends on nothing outside it, so it is
    # remembered by a digest of the unit's schema and rows, and a report whose keys were judged
    # before is not judged again.
    key_group = groups.setdefault(json.dumps(["keys", key_schema, ref_name, ref_schema], ensure_ascii=False), {
        "resource": r.get("name"), "schema": key_schema, "ref_name": ref_name if key_fks else None,
        "ref_schema": ref_schema, "sources": []})
    verdicts: dict[str, str] = {}  # report → the cache key of its key unit's verdict
    for value, mine in key_rows.items():
        unit = f"{name}\x1f{r.get('name')}\x1fkeys\x1f{value}"
        numbered = [(n, list(k)) for k, n in sorted(mine.items(), key=lambda x: x[1])]
        h = head.copy()
        for n, row in numbered:
            h.update(f"\x1e{n}\x1f{chr(31).join(row)}".encode("utf-8"))
        if key_fks and ref_source is not None:
            for n, row in own.ref_rows(ref_source).get(value, []):
                h.update(f"\x1d{n}\x1f{chr(31).join(row)}".encode("utf-8"))
        cache_key = "keys:" + h.hexdigest()
        verdicts[value] = cache_key
        if isinstance(old.get(cache_key), list):
            results[name] += old[cache_key]
            own.new[cache_key] = old[cache_key]
            continue
        slices[unit] = (name, cache_key)
        key_group["sources"].append({"unit": unit, "path": None, "labels": list(KEYS),
                                     "ref": ref_source if key_fks else None, "rows": numbered, "ref_value": value})
    segments.done(verdicts)


class Segments:
    """A catalog resource's CSV as runs of rows, one run per report, and the runs judged before.

    A report's run (its rows, contiguous, in the catalog CSV) is judged by OwnRows and by the
    frictionless check of its key columns. When both found it clean, its bytes' digest is
    remembered with everything that verdict rests on: the catalog's schema for the resource, the
    report package's content key (and that the package is valid in this run), and the report's
    row of the referenced table. On the next run the file is cut at the same places only where the
    bytes there have that digest: such a run is the same rows, judged the same, and is neither
    parsed nor judged again. Every other byte is parsed as CSV, from a record boundary, and its
    rows take the usual path. Cutting needs no trust in anything the packager wrote: a run is
    reused only when its bytes are the bytes judged, starting where the previous run (reused or
    parsed) ended, and every report appears in one run only (else the whole file is read as
    before), so the catalog's primary key stays unique across runs.
    """

    def __init__(self, own: "OwnRows", resource: str, schema_text: str, head: str, ref_source: Path | None):
        self.own, self.resource, self.head, self.ref_source = own, resource, head, ref_source
        self.schema_digest = hashlib.sha256(schema_text.encode("utf-8")).hexdigest()
        hints = own.old.get("segs:" + resource)
        self.hints: dict[str, list] = hints if isinstance(hints, dict) else {}
        self.found: dict[str, list] = {}  # report → [byte length, digest, rows] of its run in this file
        self.reused: set[str] = set()
        self.bad: set[str] = set()

    def _key(self, value: str, digest: str) -> str | None:
        """The cache key of a clean verdict on a run of `value`'s rows with these bytes (None: no verdict applies)."""
        own = self.own
        if own.known.get(value) != [] or value not in own.keys or not NAME.match(value) or value.startswith("."):
            return None
        ref = ""
        if self.ref_source is not None:  # the report's rows of the referenced table (the same for every resource)
            ref = own.ref_texts.get((self.ref_source, value))
            if ref is None:
                ref = own.ref_texts[self.ref_source, value] = "".join(
                    f"\x1d{chr(31).join(row)}" for _, row in own.ref_rows(self.ref_source).get(value, []))
        return "seg:" + hashlib.sha256(f"{self.resource}\n{self.schema_digest}\n{self.head}\n{own.keys[value]}\n"
                                       f"{value}\n{digest}{ref}".encode("utf-8")).hexdigest()

    def split(self, path: Path, labels: list[str]) -> list[tuple[str, list | None, Any]] | None:
        """(report, numbered rows or None for a reused run, its segment) per run, in file order; None
        when the file must be read whole instead (an unreadable file, a bad header, a report in two runs …)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        runs: list[tuple[str, list | None, Any]] = []
        seen: set[str] = set()
        try:
            lines = _Lines(data, pos)
            reader = csv.reader(lines, strict=True)
            if next(reader, None) != labels or data.find(b"\r", pos, lines.pos) >= 0:
                return None
            pos, n = lines.pos, 2
            view = memoryview(data)
            table: tuple[list[bytes], list[int]] | None = None  # the lines from the first row parsed on, their offsets
            chunks = _Chunks()
            while pos < len(data):
                # a run judged before, starting here?
                comma = data.find(b",", pos, pos + 300)
                value = data[pos:comma].decode("utf-8", "replace") if comma > pos else None
                hint = self.hints.get(value) if value is not None else None
                if isinstance(hint, list) and len(hint) == 3 and value not in seen:
                    size, digest, count = hint
                    if isinstance(size, int) and 0 < size <= len(data) - pos and data[pos + size - 1] == 10 \
                            and hashlib.sha256(view[pos:pos + size]).hexdigest() == digest:
                        key = self._key(value, digest)
                        if key is not None and self.own.old.get(key) is True:
                            self.own.new[key] = True
                            self.found[value] = hint
                            self.reused.add(value)
                            seen.add(value)
                            runs.append((value, None, hint))
                            pos, n = pos + size, n + count
                            continue
                # else parse the rows of one report from here, up to the first row of another
                if table is None:
                    lines_from = data[pos:].splitlines(keepends=True)  # as io.StringIO(newline="") splits
                    table = (lines_from, list(accumulate(map(len, lines_from), initial=pos)))
                i = bisect_left(table[1], pos)
                if i >= len(table[0]) or table[1][i] != pos:
                    return None
                start = pos
                found = chunks.run(table, i, n)
                if found is None:  # a record over several lines: one record at a time
                    rows = _records(table, i)
                    first = next(rows, None)
                    if first is None:
                        return None
                    row, _, end = first
                    value = row[0] if row else ""
                    numbered = [(n, row)]
                    for row, _, row_end in rows:
                        if (row[0] if row else "") != value:
                            break
                        numbered.append((n + len(numbered), row))
                        end = row_end
                else:
                    value, numbered, end = found
                n += len(numbered)
                if value in seen:
                    return None
                seen.add(value)
                if data.find(b"\r", start, end) >= 0:
                    return None  # a CR: let the plain reader decide how it splits lines
                self.found[value] = [end - start, hashlib.sha256(view[start:end]).hexdigest(), len(numbered)]
                runs.append((value, numbered, self.found[value]))
                pos = end
        except (csv.Error, UnicodeDecodeError):
            return None
        return runs

    def unclean(self, value: str) -> None:
        self.bad.add(value)

    def done(self, verdicts: dict[str, str]) -> None:
        """Remember the runs found (for cutting the next file) and, once the key units are answered
        (see _validate), which of the parsed runs were clean."""
        self.own.new["segs:" + self.resource] = self.found
        for value, (size, digest, count) in self.found.items():
            if value in self.reused or value in self.bad or value not in verdicts:
                continue
            key = self._key(value, digest)
            if key is not None:
                self.own.pending.append((key, verdicts[value]))


class _Chunks:
    """The catalog's rows parsed CHUNK lines at a time by csv.reader (in C), while every record is
    one line, so a run's rows are found without a Python step per record."""

    CHUNK = 4096

    def __init__(self):
        self.first, self.rows, self.keys = 0, [], []  # line index of rows[0]; rows; their first cells
        self.broken = False  # a chunk held a record over several lines: the rest is read record by record

    def run(self, table: tuple[list[bytes], list[int]], i: int, n: int) -> tuple[str, list, int] | None:
        """(report, numbered rows, end offset) of the run of rows from line i on; None when a chunk
        holds a record over several lines (or is not CSV): the caller then reads record by record."""
        lines, offsets = table
        value, numbered, k = None, [], i
        while k < len(lines) and not self.broken:
            if not self.first <= k < self.first + len(self.rows):
                j = min(len(lines), k + self.CHUNK)
                try:
                    rows = list(csv.reader(map(bytes.decode, lines[k:j]), strict=True))
                except csv.Error:
                    rows = []
                if len(rows) != j - k:
                    self.broken = True
                    return None
                self.first, self.rows, self.keys = k, rows, [r[0] if r else "" for r in rows]
            a = k - self.first
            keys = self.keys
            if value is None:
                value = keys[a]
            b, m = a, len(keys)
            while b < m and keys[b] == value:
                b += 1
            numbered.extend(zip(range(n + len(numbered), n + len(numbered) + b - a), self.rows[a:b]))
            k += b - a
            if b < m:
                break
        return (value, numbered, offsets[k]) if value is not None and not self.broken else None


def _records(table: tuple[list[bytes], list[int]], i: int):
    """(row, start, end) of each CSV record from line i on: csv.reader's line_num tells where a record ends."""
    lines, offsets = table
    reader = csv.reader(map(bytes.decode, islice(lines, i, None)), strict=True)
    before = i
    for row in reader:
        after = i + reader.line_num
        yield row, offsets[before], offsets[after]
        before = after


class _Lines:
    """The lines of a byte string from `pos` on, decoded, for csv.reader; `pos` follows what was read."""

    def __init__(self, data: bytes, pos: int):
        self.data, self.pos = data, pos

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        data, pos = self.data, self.pos
        if pos >= len(data):
            raise StopIteration
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end + 1
        self.pos = end
        return data[pos:end].decode("utf-8")


KEYS = ("package", "department", "region", "fiscal_year")  # the catalog's report columns


class OwnRows:
    """Tells whether a report's rows in the catalog are exactly the rows of its own valid package.

    Why that makes a second frictionless run over them unnecessary: frictionless judges a row by
    its cells, the field definitions and the table-wide keys. When (1) the report's package was
    validated by frictionless with no error, (2) the catalog rows carrying its name, minus the
    key columns in front, equal its CSV rows one for one, in order, (3) each catalog field after
    the keys is the package's field with the same name, type and format and no constraint the
    package lacks (an enum may list more values; `unit`, titles and descriptions do not affect
    validation), the schema's other properties (missing values …) are equal, and (4) the
    catalog's primary key is `package` followed by the package's primary key, then every such row
    passes the catalog's field checks because it passed the package's, and the key is unique
    because the package's key is unique and `package` is the same in all of them. What is new in
    the catalog — its descriptor, the key columns (their types and the foreign key to
    `reports`), rows that name no valid package or differ from it — still goes to frictionless.
    Any doubt (a field that differs, a package with errors, a foreign key on other columns)
    means the rows are validated by frictionless as before.
    """

    def __init__(self, root: Path, known: dict[str, list[str]], keys: dict[str, str], old: dict, new: dict,
                 facts: Facts | None = None):
        self.root = root
        self.facts = facts or Facts(None)
        self.known = known
        self.keys = keys  # content key per package: a comparison made before is remembered by it
        self.old, self.new = old, new
        self.descriptors: dict[str, dict | None] = {}
        self.looser: dict[tuple[int, int], tuple[dict, dict, bool]] = {}  # values keep the ids' objects alive
        self.refs: dict[Path, dict[str, list]] = {}
        self.ref_texts: dict[tuple[Path, str], str] = {}  # (referenced table, report) → its rows, for Segments
        self.whole: list[tuple[str, str]] = []  # (unit, verdict key) of tables sent whole to frictionless
        self.pending: list[tuple[str, str]] = []  # (Segments verdict key, the key unit's verdict key it needs)

    def ref_rows(self, path: Path) -> dict[str, list[tuple[int, list[str]]]]:
        """A referenced table's rows (with their CSV row numbers) by the value of its `package` column."""
        if path not in self.refs:
            header, rows, _ = _read_rows(path)
            i = header.index("package") if header and "package" in header else 0
            by_value: dict[str, list] = {}
            for n, row in enumerate(rows, start=2):
                by_value.setdefault(row[i] if len(row) > i else "", []).append((n, row))
            self.refs[path] = by_value
        return self.refs[path]

    def _resource(self, package: str, name: Any) -> dict | None:
        if package not in self.descriptors:
            try:
                d = json.loads((self.root / package / "datapackage.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                d = None
            self.descriptors[package] = d if isinstance(d, dict) and isinstance(d.get("resources"), list) else None
        d = self.descriptors[package]
        found = [r for r in (d or {}).get("resources", []) if isinstance(r, dict) and r.get("name") == name]
        return found[0] if len(found) == 1 and _plain(found[0]) else None

    def same_rows(self, package: str, r: dict, schema: dict, numbered: list[tuple[int, list[str]]],
                  schema_text: str) -> bool:
        if self.known.get(package) != [] or not NAME.match(package) or package.startswith("."):
            return False  # not a package validated clean in this run (or from the cache)
        key = None
        if package in self.keys:
            h = hashlib.sha256(f"{self.keys[package]}\n{package}\n{r.get('name')}\n{schema_text}".encode("utf-8"))
            h.update(rows_digest([row for _, row in numbered]).encode("utf-8"))  # unambiguous, whatever the cells hold
            key = "own:" + h.hexdigest()
            if self.old.get(key) is True:
                self.new[key] = True
                return True
        if self._compare(package, r, schema, numbered):
            if key:
                self.new[key] = True
            return True
        return False

    def _compare(self, package: str, r: dict, schema: dict, numbered: list[tuple[int, list[str]]]) -> bool:
        k = len(KEYS)
        # the package was checked in this run: its schema and a digest of the rows frictionless
        # saw (read by the worker, header equal to the schema's field names) are known
        found = (package, r.get("name"))
        if found in self.facts.digests and found in self.facts.schemas:
            return self._is_looser(schema, self.facts.schemas[found]) and \
                rows_digest([row[k:] for _, row in numbered]) == self.facts.digests[found]
        own = self._resource(package, r.get("name"))
        if own is None or not self._is_looser(schema, _data_schema(own["schema"])):
            return False
        header, rows, error = _read_rows(self.root / package / own["path"])
        if error or header != [f["name"] for f in own["schema"]["fields"]] or len(rows) != len(numbered):
            return False
        return all(row[k:] == mine for (_, row), mine in zip(numbered, rows))

    def _is_looser(self, catalog: dict, own: dict) -> bool:
        # the schemas are held (facts, groups) while this runs, so their ids name them
        memo_key = (id(catalog), id(own))
        if memo_key not in self.looser:
            self.looser[memo_key] = (catalog, own, _looser(catalog, own))
        return self.looser[memo_key][2]


def _looser(catalog: dict, own: dict) -> bool:
    """True when every row valid under `own` is valid under `catalog` after the key columns (OwnRows)."""
    k = len(KEYS)
    fields, own_fields = catalog.get("fields") or [], own.get("fields") or []
    if [f.get("name") for f in fields[:k]] != list(KEYS) or len(fields) != k + len(own_fields):
        return False
    rest = ("fields", "primaryKey", "foreignKeys")
    if {a: b for a, b in catalog.items() if a not in rest} != {a: b for a, b in own.items() if a not in rest}:
        return False
    if _as_list(catalog.get("primaryKey") or []) != ["package"] + _as_list(own.get("primaryKey") or []):
        return False
    if any(not (isinstance(fk, dict) and set(_as_list(fk.get("fields"))) <= set(KEYS))
           for fk in catalog.get("foreignKeys") or []):
        return False
    for mine, theirs in zip(fields[k:], own_fields):
        if {a: b for a, b in mine.items() if a not in ("constraints", "unit")} != \
                {a: b for a, b in theirs.items() if a not in ("constraints", "unit")}:
            return False
        c, own_c = mine.get("constraints") or {}, theirs.get("constraints") or {}
        for key, value in c.items():
            if key not in own_c:
                return False
            if key == "enum":
                if not (isinstance(value, list) and isinstance(own_c[key], list) and set(own_c[key]) <= set(value)):
                    return False
            elif value != own_c[key]:
                return False
    return True


class _Batches:
    """The groups' sources cut into tasks of about ROWS_PER_TASK rows (sources of one group never mix
    schemas), cut as the planning goes: once PARALLEL_FROM rows are cut, worker processes start on
    them while the remaining packages are planned. The tasks, and the order their answers are
    merged in, are those of cutting every group at the end (see answers)."""

    def __init__(self, groups: dict, jobs: int | None):
        self.groups = groups
        self.workers = min(jobs or os.cpu_count() or 1, os.cpu_count() or 1)
        self.cut: dict[int, list] = {}  # id(group) → [group index, sources cut so far, open task start, its rows, tasks]
        self.tasks: list[tuple[tuple[int, int], dict]] = []  # ((group index, task index), task)
        self.rows = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[int, Any] = {}  # id(task) → future

    def _advance(self, final: bool) -> None:
        for g in self.groups.values():
            state = self.cut.get(id(g))
            if state is None:
                state = self.cut[id(g)] = [len(self.cut), 0, 0, 0, 0, g]
            index, done, start, size, count, _ = state
            sources = g["sources"]
            for i in range(done, len(sources)):
                source = sources[i]
                n = len(source["rows"]) if source["rows"] is not None else _estimate(source["path"])
                if i > start and size + n > ROWS_PER_TASK:
                    self._emit(index, count, g, sources[start:i], size)
                    start, size, count = i, 0, count + 1
                size += n
            if final and len(sources) > start:
                self._emit(index, count, g, sources[start:], size)
                start, size, count = len(sources), 0, count + 1
            state[1:5] = [len(sources), start, size, count]

    def _emit(self, index: int, count: int, g: dict, sources: list, size: int) -> None:
        task = {**g, "sources": sources, "rows": size}
        self.tasks.append(((index, count), task))
        self.rows += size
        if self.pool is None and self.rows >= PARALLEL_FROM and self.workers > 1:
            _warm()  # (once, before the workers fork)
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
            for _, earlier in self.tasks:
                self.futures[id(earlier)] = self.pool.submit(_run_task, earlier)
        elif self.pool is not None:
            self.futures[id(task)] = self.pool.submit(_run_task, task)

    def advance(self) -> None:
        """Cut the tasks that are complete (a group's open task is complete once the next source would overflow it)."""
        self._advance(final=False)

    def answers(self) -> list[tuple[dict[str, list[str]], dict[str, str]]]:
        """Every task's answer: in the groups' order, or largest task first when run by workers."""
        self._advance(final=True)
        tasks = [task for _, task in sorted(self.tasks, key=lambda t: t[0])]
        if self.pool is None and self.rows >= PARALLEL_FROM and self.workers > 1 and len(tasks) > 1:
            _warm()
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
        if self.pool is None:
            return [_run_task(t) for t in tasks]
        try:
            ordered = sorted(tasks, key=lambda t: -t["rows"])
            for task in ordered:  # the ones not started yet, largest first
                if id(task) not in self.futures:
                    self.futures[id(task)] = self.pool.submit(_run_task, task)
            return [self.futures[id(task)].result() for task in ordered]
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _warm() -> None:
    """Import frictionless and let it load its plugins and field classes (lazily loaded on first
    use) in the main process, so forked workers inherit them instead of each loading them."""
    from frictionless import Schema, system

    system.methods  # noqa: B018
    Schema.from_descriptor({"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "number"},
                                       {"name": "c", "type": "string"}, {"name": "d", "type": "object"}]})


def _estimate(path: Path) -> int:
    try:
        return max(1, path.stat().st_size // 200)
    except OSError:
        return 1


# -- running (in a worker process) -------------------------------------------------------------

_SCHEMAS: dict[str, Any] = {}


def _schema(schema: dict, key_fields: list[str] | None) -> Any:
    """A frictionless Schema with the unit and row columns in front (built once per process)."""
    from frictionless import Schema

    text = json.dumps([schema, key_fields], sort_keys=True, ensure_ascii=False)
    found = _SCHEMAS.get(text)
    if found is None:
        d = dict(schema)
        d["fields"] = [{"name": UNIT, "type": "string"}, {"name": ROW, "type": "integer"}] + list(schema["fields"])
        if key_fields is not None:
            d["primaryKey"] = [UNIT] + list(key_fields)
        d["foreignKeys"] = [
            {"fields": [UNIT] + _as_list(fk["fields"]),
             "reference": {"resource": "ref", "fields": [UNIT] + _as_list(fk["reference"]["fields"])}}
            for fk in schema.get("foreignKeys") or []
            if isinstance(fk, dict) and (fk.get("reference") or {}).get("resource")
        ]
        if not d["foreignKeys"]:
            del d["foreignKeys"]
        found = _SCHEMAS[text] = Schema.from_descriptor(d)
    return found


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _csv_resource(name: str, rows: list[list[str]], schema: Any) -> Any:
    """An in-memory CSV resource (bytes: frictionless deep-copies inline row lists when it exports
    a descriptor, which cost more than validating them)."""
    from frictionless import Dialect, Resource, formats

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return Resource(name=name, data=buffer.getvalue().encode("utf-8"), format="csv", encoding="utf-8",
                    dialect=Dialect(controls=[formats.CsvControl(delimiter=",")]), schema=schema)


def _run_task(task: dict) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Validate one batch with frictionless: errors per unit (package, or catalog report group), and
    the rows_digest of each CSV read here whose header matched (what OwnRows compares the catalog with)."""
    from frictionless import Package

    out: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    resource = task["resource"]
    labels = [f["name"] for f in task["schema"]["fields"]]
    data = [[UNIT, ROW] + labels]
    ref_data = None
    if task["ref_name"]:
        ref_labels = [f["name"] for f in task["ref_schema"]["fields"]]
        ref_data = [[UNIT, ROW] + ref_labels]
    refs: dict[Path, tuple] = {}
    for source in task["sources"]:
        unit = source["unit"]
        if source["rows"] is None:
            header, rows, error = _read_rows(source["path"])
            if error:
                out.setdefault(unit, []).append(f"{resource}: {error}")
                continue
            if header != labels:
                out.setdefault(unit, []).append(
                    f"{resource}: label-error: the CSV header {header} does not match the schema's fields {labels}")
                continue
            numbered = list(enumerate(rows, start=2))
            digests[unit] = rows_digest(rows)
        else:
            numbered = source["rows"]
        data.extend([unit, str(n)] + row for n, row in numbered)
        if ref_data is not None and source["ref"] is not None:
            if source["ref"] not in refs:
                ref_header, ref_rows, _ = _read_rows(source["ref"])
                i = ref_header.index("package") if ref_header and "package" in ref_header else 0
                by_value: dict[str, list] = {}
                for n, row in enumerate(ref_rows, start=2):
                    by_value.setdefault(row[i] if len(row) > i else "", []).append((n, row))
                refs[source["ref"]] = (ref_header, ref_rows, by_value)
            ref_header, ref_rows, by_value = refs[source["ref"]]
            if ref_header == ref_labels:
                # a catalog group: only its own report's row can match
                numbered_refs = by_value.get(source["ref_value"], []) if "ref_value" in source \
                    else enumerate(ref_rows, start=2)
                ref_data.extend([unit, str(n)] + row for n, row in numbered_refs)
    if len(data) == 1:
        return out, digests
    pk = task["schema"].get("primaryKey")
    main = _csv_resource("main", data, _schema(task["schema"], _as_list(pk) if pk else None))
    if ref_data is not None:
        ref_pk = task["ref_schema"].get("primaryKey")
        ref = _csv_resource("ref", ref_data, _schema(task["ref_schema"], _as_list(ref_pk) if ref_pk else None))
        Package(resources=[main, ref])
    units = [s["unit"] for s in task["sources"]]
    try:
        report = main.validate()
    except Exception as e:  # pragma: no cover - frictionless failing outright
        for unit in units:
            out.setdefault(unit, []).append(f"{resource}: {type(e).__name__}: {e}")
        return out, digests
    for t in report.tasks:
        for error in t.errors:
            cells = getattr(error, "cells", None)
            if cells and len(cells) >= 2 and isinstance(cells[0], str) and cells[0] in set(units):
                where = f"row {cells[1]}"
                field = getattr(error, "field_name", None)
                if field:
                    where += f", field {field}"
                out.setdefault(cells[0], []).append(f"{resource}: {error.type}: {where}: {error.note}")
            else:
                for unit in units:
                    out.setdefault(unit, []).append(f"{resource}: {error.type}: {error.message}")
    for error in report.errors:
        for unit in units:
            out.setdefault(unit, []).append(f"{resource}: {error.type}: {error.message}")
    return out, digests
