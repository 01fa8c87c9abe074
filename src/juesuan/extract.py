"""Stage 1: report files → records. One broken report never stops the others.

Records are cached by (report bytes, manifest row, code fingerprint) under
build/cache/records/, so a rebuild only re-reads the reports that changed. Failures are never
cached: a bad file is re-tried, and named, on every run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import traceback
import typing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import JuesuanError, ReportError
from .manifest import ManifestEntry, find_manifest, load_manifest
from .record import Record
from .settings import MAX_REPORT_BYTES, REPORT_SUFFIXES


@dataclass
class Outcome:
    """What happened to one report file: a record, or the reason there is none."""

    path: str
    record: Record | None = None
    error: str | None = None  # one line, says what is wrong and what to do
    detail: str | None = None  # traceback for unexpected failures (shown with --debug)
    cached: bool = False  # the record came from the record cache
    # The record cache key: a hash of everything the record is made from (report bytes, manifest
    # row, path, code). Equal keys mean equal records; None when the cache was not used.
    key: str | None = None


def find_reports(paths: Iterable[Path]) -> list[Path]:
    """Report files among `paths` (folders are searched one level deep), sorted, no manifest."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in REPORT_SUFFIXES))
        else:
            found.append(p)
    return found


def extract_one(path: Path, entry: ManifestEntry | None = None) -> Record:
    """Read and parse one report. Raises ReportError when nothing could be read."""
    from .parse import parse_document
    from .read import read_report

    document = read_report(Path(path))
    return parse_document(document, entry)


def _extract_safe(args: tuple[str, ManifestEntry | None]) -> Outcome:
    path, entry = args
    try:
        return Outcome(path=path, record=extract_one(Path(path), entry))
    except ReportError as e:
        return Outcome(path=path, error=e.reason)
    except JuesuanError as e:
        return Outcome(path=path, error=str(e))
    except Exception as e:  # a parser bug must not take the batch down
        return Outcome(
            path=path,
            error=f"internal error while parsing ({type(e).__name__}: {e}); please report it with the file",
            detail=traceback.format_exc(),
        )


def manifest_for(paths: list[Path]) -> dict[str, ManifestEntry]:
    """Manifest entries from every folder the reports live in (file name → entry)."""
    entries: dict[str, ManifestEntry] = {}
    for folder in sorted({p.parent for p in paths}):
        entries.update(load_manifest(find_manifest(folder)))
    return entries


# ----------------------------------------------------------------------------------------------
# Records as JSON, fast: `dataclasses.asdict` deep-copies and `Record.from_dict` re-reads type
# hints for every object (~4 ms and ~45 ms per record); these give equal results in well under
# a millisecond, so cached records and records sent back by worker processes are cheap.


def record_to_dict(record: Record) -> dict[str, Any]:
    """The same dict as `dataclasses.asdict(record)`."""
    return _plain(record)


def record_json(record: Record, indent: bool = True) -> str:
    """`record.to_json()` (indent=True, byte for byte) or the same JSON on one line.

    On one line the C encoder asks `_fields_of` for each dataclass it meets (no dict copy is
    made first); indented output goes through Python's encoder, which is faster on plain dicts.
    """
    if indent:
        return json.dumps(_plain(record), ensure_ascii=False, indent=1, sort_keys=False)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_fields_of)


def _fields_of(obj: Any) -> dict[str, Any]:
    """A dataclass's fields in order: its own __dict__ when that holds exactly them."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
            raise TypeError(f"{cls.__name__} is not part of a record")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    data = getattr(obj, "__dict__", None)
    if data is not None and len(data) == len(names) and tuple(data) == names:
        return data
    return {name: getattr(obj, name) for name in names}


def record_from_dict(data: dict[str, Any]) -> Record:
    """The same record as `Record.from_dict(data)`; `data` is used up (its parts become the record)."""
    return _builder(Record)(data)


def record_from_json(text: str) -> Record:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a record is a JSON object")
    return record_from_dict(data)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    cls = type(obj)
    if cls is str or cls is int or cls is float or cls is bool or obj is None:
        return obj
    if cls is list:
        return [_plain(v) for v in obj]
    if cls is dict:
        return {k: _plain(v) for k, v in obj.items()}
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(obj):
            import copy

            return copy.deepcopy(obj) if not isinstance(obj, tuple) else cls(_plain(v) for v in obj)
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return {name: _plain(getattr(obj, name)) for name in names}


_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _builder(cls: type) -> Callable[[dict[str, Any]], Any]:
    """A function dict → cls, its per-field converters worked out once from the annotations.

    The record's dataclasses have no __post_init__ and no slots, so an object whose JSON has
    exactly its fields is made without calling __init__ (4x faster on 250 objects a record).
    """
    if cls in _BUILDERS:
        return _BUILDERS[cls]
    plan: list[tuple[str, Callable[[Any], Any]]] = []
    names: set[str] = set()
    new = object.__new__
    fast = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")

    def build(data: dict[str, Any]) -> Any:
        for name, convert in plan:
            value = data.get(name)
            if value is not None:
                data[name] = convert(value)
        if fast and data.keys() == names:
            obj = new(cls)
            obj.__dict__ = data
            return obj
        return cls(**{k: v for k, v in data.items() if k in names})

    _BUILDERS[cls] = build
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        names.add(f.name)
        convert = _converter(hints[f.name])
        if convert is not None:
            plan.append((f.name, convert))
    return build


def _converter(tp: Any) -> Callable[[Any], Any] | None:
    """How to rebuild a value of type `tp` from JSON (None: keep it as it is)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        non_none = [a for a in args if a is not type(None)]
        return _converter(non_none[0]) if len(non_none) == 1 else None
    if origin is list:
        inner = _converter(args[0])
        return None if inner is None else (lambda v: [None if x is None else inner(x) for x in v])
    if origin is dict:
        inner = _converter(args[1])
        return None if inner is None else (lambda v: {k: None if x is None else inner(x) for k, x in v.items()})
    if dataclasses.is_dataclass(tp):
        return _builder(tp)
    return None


# ----------------------------------------------------------------------------------------------
# The record cache: one JSON file per record, named by its key; no index to go stale.


class RecordCache:
    """build/cache/records/<key>.json: {"sha256": <digest of the record JSON>, "record": <record JSON>}.

    Entries are written atomically and read defensively: the digest must match the record's
    bytes (so a truncated or edited entry is a miss, whatever it says), the record must decode,
    and it must be of this very file. A miss just means the report is read again.
    """

    _HEAD = b'{"sha256":"'
    _MIDDLE = b'","record":'

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, sha256: str) -> tuple[Record, str] | None:
        """The cached record and its JSON text, or None when missing, damaged or not this file's."""
        try:
            data = self.path(key).read_bytes()
            start = len(self._HEAD) + 64 + len(self._MIDDLE)
            if not (data.startswith(self._HEAD) and data[start - len(self._MIDDLE) : start] == self._MIDDLE
                    and data.endswith(b"}")):
                return None
            body = data[start:-1]
            if hashlib.sha256(body).hexdigest().encode("ascii") != data[len(self._HEAD) : len(self._HEAD) + 64]:
                return None
            text = body.decode("utf-8")
            record = record_from_json(text)
            if record.source_file.sha256 != sha256:
                return None
            return record, text
        except Exception:  # unreadable, or a record this code cannot rebuild: just a miss
            return None

    def put(self, key: str, text: str) -> None:
        """Store a record's JSON; a cache that cannot be written never fails the extraction."""
        body = text.encode("utf-8")
        entry = self._HEAD + hashlib.sha256(body).hexdigest().encode("ascii") + self._MIDDLE + body + b"}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path(key)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(entry)
            os.replace(tmp, target)
        except OSError:
            pass


@dataclass
class _Job:
    """One report to extract in a worker: what to read and where to store the result."""

    path: str
    entry: ManifestEntry | None
    key: str | None = None
    cache_dir: str | None = None
    indent: bool = False


def _extract_job(job: _Job) -> tuple[Outcome, str | None]:
    """Extract one report here: its outcome, and the record's JSON when the cache or `out` wants it."""
    outcome = _extract_safe((job.path, job.entry))
    if outcome.record is None or not (job.indent or job.key):
        return outcome, None
    try:
        text = record_json(outcome.record, indent=job.indent)
    except Exception as e:  # a value JSON cannot hold is a parser bug: name the file, go on
        return Outcome(
            path=job.path,
            error=f"internal error while saving the record ({type(e).__name__}: {e}); please report it with the file",
            detail=traceback.format_exc(),
        ), None
    if job.key is not None and job.cache_dir is not None:
        RecordCache(Path(job.cache_dir)).put(job.key, text)
    return outcome, text


def _run_job(job: _Job) -> tuple[str, str | None, str | None, str | None]:
    """`_extract_job` in a worker: (path, record JSON, error, detail), cheap to send back."""
    outcome, text = _extract_job(job)
    if outcome.record is None:
        return job.path, None, outcome.error, outcome.detail
    if text is None:
        text = record_json(outcome.record, indent=False)
    return job.path, text, None, None


def _outcome(result: tuple[str, str | None, str | None, str | None]) -> tuple[Outcome, str | None]:
    """A worker's answer as an outcome (the record rebuilt from its JSON) and that JSON."""
    path, text, error, detail = result
    if text is None:
        return Outcome(path=path, error=error, detail=detail), None
    return Outcome(path=path, record=record_from_json(text)), text


def _warm_up() -> None:
    """Import the readers and parsers (and their tables) once, before worker processes fork."""
    from . import parse  # noqa: F401
    from .read import normalize, text  # noqa: F401

    normalize.has_traditional("")


def extract_many(
    paths: list[Path],
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    cache_dir: Path | None = None,
    out: Path | None = None,
) -> list[Outcome]:
    """Extract every report, in parallel across cores when there are many. Order is kept.

    With `cache_dir`, records of unchanged reports come from the cache and new ones are added
    to it (in a folder named for the code version; folders of other versions are removed).
    With `out`, each record is also written to <out>/<report file stem>.json.
    """
    from .fingerprint import file_sha256, record_fingerprint, record_key

    entries = manifest_for(paths)
    fingerprint = record_fingerprint() if cache_dir is not None else ""
    # One folder per code version: entries of older code can never be used again.
    cache = RecordCache(Path(cache_dir) / fingerprint[:16]) if cache_dir is not None else None
    want_indent = out is not None

    # Load inputs: which reports the cache may already hold (read later, while workers run).
    cached: dict[int, tuple[_Job, str]] = {}
    todo: list[_Job] = []
    for i, p in enumerate(paths):
        job = _Job(str(p), entries.get(Path(p).name), indent=want_indent)
        if cache is not None:
            sha = _sha_or_none(Path(p), file_sha256)
            if sha is not None:
                job.key, job.cache_dir = record_key(sha, job.path, job.entry, fingerprint), str(cache.folder)
                if cache.path(job.key).is_file():
                    cached[i] = (job, sha)
                    continue
        todo.append(job)

    # Process data: the rest in worker processes (results come back as JSON text, in order).
    results = _run_jobs(todo, jobs)
    pending = iter(todo)
    outcomes: list[Outcome] = []
    try:
        for i, p in enumerate(paths):
            if i in cached:
                job, sha = cached[i]
                found = cache.get(job.key, sha) if cache is not None else None
                if found is not None:
                    outcome, text = Outcome(path=job.path, record=found[0], cached=True), found[1]
                else:  # an unreadable entry: extract the report here, which rewrites the entry
                    outcome, text = _extract_job(job)
            else:
                job = next(pending)
                outcome, text = next(results)
            if outcome.record is not None:
                outcome.key = job.key
            # Save outputs.
            if out is not None and outcome.record is not None and text is not None:
                _write_text(out, Path(outcome.path).stem, text if text.startswith("{\n") else record_json(outcome.record))
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes now, not when the generator is collected
    if cache_dir is not None:
        _forget_other_versions(Path(cache_dir), fingerprint[:16])
    return outcomes


def _forget_other_versions(cache_dir: Path, current: str) -> None:
    """Delete the record folders of other code versions (they would only fill the disk)."""
    import re
    import shutil

    try:
        folders = [p for p in cache_dir.iterdir() if p.is_dir() and p.name != current and re.fullmatch(r"[0-9a-f]{16}", p.name)]
    except OSError:
        return
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _sha_or_none(path: Path, digest: Callable[[Path], str]) -> str | None:
    """The file's sha256, or None when it cannot or should not be read (the reader says why)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_REPORT_BYTES:
            return None
        return digest(path)
    except OSError:
        return None


def _run_jobs(work: list[_Job], jobs: int | None) -> Iterator[tuple[Outcome, str | None]]:
    """(outcome, record JSON or None) for each job, in order; a process pool when there are several.

    The pool starts at once, so workers extract while the caller loads cached records.
    """
    jobs = jobs or min(len(work), os.cpu_count() or 1)
    if jobs <= 1 or len(work) < 8:
        return map(_extract_job, work)
    _warm_up()
    pool = ProcessPoolExecutor(max_workers=jobs)
    # Small chunks keep progress lines flowing; larger ones save round trips on big corpora.
    results = pool.map(_run_job, work, chunksize=max(1, min(16, len(work) // (jobs * 8))))
    return _drain(pool, results)


def _drain(pool: ProcessPoolExecutor, results: Iterator) -> Iterator[tuple[Outcome, str | None]]:
    try:
        for result in results:
            yield _outcome(result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def write_record(record: Record, out_dir: Path, stem: str) -> Path:
    """Write <out_dir>/<stem>.json (the record's to_json text), atomically."""
    return _write_text(out_dir, stem, record_json(record))


def _write_text(out_dir: Path, stem: str, text: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target
