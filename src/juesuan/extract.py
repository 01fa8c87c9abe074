"""Stage 1: report files → records. One broken report never stops the others.

Records are cached by (report bytes, manifest row, resolved path, code fingerprint) under
build/cache/records/, so a rebuild only re-reads the reports that changed. Failures are never
cached: a bad file is re-tried, and named, on every run.

An unchanged report costs a stat: an index beside the cache remembers, per report file, its stat
signature and digest (as git's index does: any write changes the ctime), the cache key and the
record's facts (identity, counts) and digest. Its record is decoded only when someone asks for
it (`Outcome.record` / `Outcome.load()`), so a rebuild after one change decodes one record.
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


@dataclass(frozen=True)
class Facts:
    """What later stages and progress lines need from a record, without decoding it."""

    department: str | None
    province: str | None
    city: str | None
    district: str | None
    fiscal_year: int | None
    sha256: str  # of the report file
    figures: int = 0
    line_items: int = 0
    tables: int = 0
    warnings: int = 0

    @classmethod
    def of(cls, record: Record) -> "Facts":
        ident = record.identity
        return cls(ident.department, ident.province, ident.city, ident.district, ident.fiscal_year,
                   record.source_file.sha256, len(record.figures), len(record.line_items), len(record.tables),
                   len(record.warnings))

    @classmethod
    def from_list(cls, values: Any) -> "Facts | None":
        if not (isinstance(values, list) and len(values) == 10 and isinstance(values[5], str)):
            return None
        return cls(*values)

    def to_list(self) -> list:
        return list(dataclasses.astuple(self))

    def identity_key(self) -> tuple:
        """(department, province, city, district, fiscal_year): what the package's names come from."""
        return (self.department, self.province, self.city, self.district, self.fiscal_year)


class Outcome:
    """What happened to one report file: a record, or the reason there is none.

    `record` is decoded from the cache on first use (and kept); `load()` gives it without keeping
    it, for callers that go through thousands. `ok`, `facts` and `digest` never decode it.
    """

    def __init__(self, path: str, record: Record | None = None, error: str | None = None,
                 detail: str | None = None, cached: bool = False, key: str | None = None,
                 digest: str | None = None, facts: Facts | None = None,
                 loader: Callable[[], Record] | None = None):
        self.path = path
        self.error = error  # one line, says what is wrong and what to do
        self.detail = detail  # traceback for unexpected failures (shown with --debug)
        self.cached = cached  # the record came from the record cache
        # The record cache key: a hash of everything the record is made from (report bytes, manifest
        # row, resolved path, code). Equal keys mean equal records; None when the cache was not used.
        self.key = key
        self._record = record
        self._digest = digest
        self._facts = facts
        self._loader = loader

    @property
    def ok(self) -> bool:
        return self._record is not None or self._loader is not None

    @property
    def record(self) -> Record | None:
        if self._record is None and self._loader is not None:
            self._record = self._loader()
        return self._record

    def load(self) -> Record | None:
        """The record, decoded afresh when it is not held (not kept: memory stays flat)."""
        if self._record is not None or self._loader is None:
            return self._record
        return self._loader()

    @property
    def facts(self) -> Facts | None:
        if self._facts is None and self.ok:
            self._facts = Facts.of(self.load())
        return self._facts

    @property
    def digest(self) -> str | None:
        """sha256 of the record's JSON as cached (the path in it resolved): equal digests, equal records."""
        if self._digest is None and self.ok:
            self._digest = record_digest(self.load())
        return self._digest

    def __repr__(self) -> str:
        return f"Outcome({self.path!r}, ok={self.ok}, error={self.error!r}, cached={self.cached})"


def record_digest(record: Record, path: str | None = None) -> str:
    """sha256 of the record's one-line JSON, with source_file.path set to `path` when given."""
    return hashlib.sha256(_cache_text(record, path).encode("utf-8")).hexdigest()


def _cache_text(record: Record, path: str | None) -> str:
    """The record's one-line JSON as cached: its path is the resolved one, however it was spelt."""
    given = record.source_file.path
    if path is not None:
        record.source_file.path = path
    try:
        return record_json(record, indent=False)
    finally:
        record.source_file.path = given


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
        return Outcome(path, extract_one(Path(path), entry))
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
# The record cache: one JSON file per record, named by its key, and an index of report files.


INDEX = "reports.index"  # in the version folder, beside the entries (not a .json: not an entry)


class RecordCache:
    """build/cache/records/<version>/<key>.json: {"sha256": <digest of the record JSON>, "record": <record JSON>}.

    Entries are written atomically and read defensively: the digest must match the record's
    bytes (so a truncated or edited entry is a miss, whatever it says), the record must decode,
    and it must be of this very file. A miss just means the report is read again.

    The index (`reports.index`) maps each resolved report path to [report stat signature, report
    sha256, key, entry stat signature, record digest, facts]: when the report and the entry are
    both unchanged since (same size, mtime, ctime, inode), the record is known without reading
    either. Anything that does not match is checked the long way.
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

    def put(self, key: str, text: str) -> str:
        """Store a record's JSON; return its digest. A cache that cannot be written never fails the extraction."""
        body = text.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        entry = self._HEAD + digest.encode("ascii") + self._MIDDLE + body + b"}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path(key)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(entry)
            os.replace(tmp, target)
        except OSError:
            pass
        return digest

    def entry_signature(self, key: str) -> list[int] | None:
        try:
            return _signature(os.stat(self.path(key)))
        except OSError:
            return None

    def read_index(self) -> dict[str, list]:
        try:
            data = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_index(self, index: dict[str, list]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / INDEX
            tmp = target.with_name(f".{INDEX}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class _CachedRecord:
    """Loads one cached record when asked (picklable, safe in forked workers).

    The entry is checked again as it is read; if it went bad since, the report is extracted
    afresh, so a record is never served from a damaged entry."""

    __slots__ = ("folder", "key", "sha256", "path", "entry")

    def __init__(self, folder: Path, key: str, sha256: str, path: str, entry: ManifestEntry | None):
        self.folder, self.key, self.sha256, self.path, self.entry = folder, key, sha256, path, entry

    def __call__(self) -> Record:
        found = RecordCache(self.folder).get(self.key, self.sha256)
        record = found[0] if found is not None else extract_one(Path(self.path), self.entry)
        record.source_file.path = self.path
        return record


class _TextRecord:
    """Decodes a record sent back as JSON text (no cache) when asked."""

    __slots__ = ("text", "path")

    def __init__(self, text: str, path: str):
        self.text, self.path = text, path

    def __call__(self) -> Record:
        record = record_from_json(self.text)
        record.source_file.path = self.path
        return record


@dataclass
class _Job:
    """One report to extract in a worker: what to read and where to store the result."""

    path: str  # as given
    entry: ManifestEntry | None
    real: str = ""  # resolved: the same file however it was spelt
    key: str | None = None
    sha: str | None = None  # of the report, as hashed for the key
    cache_dir: str | None = None
    indent: bool = False


@dataclass
class _Result:
    """A worker's answer, cheap to send back: no record objects, only text when nobody stores it."""

    path: str
    error: str | None = None
    detail: str | None = None
    digest: str | None = None
    facts: Facts | None = None
    text: str | None = None  # the one-line record JSON, when there is no cache to read it from
    indented: str | None = None  # the record's to_json() text, when `out` wants it


def _extract_job(job: _Job) -> tuple[_Result, Record | None]:
    """Extract one report here: what to send back, and the record itself."""
    outcome = _extract_safe((job.path, job.entry))
    record = outcome.record
    if record is None:
        return _Result(job.path, outcome.error, outcome.detail), None
    try:
        text = _cache_text(record, job.real or None)
        indented = record_json(record) if job.indent else None
    except Exception as e:  # a value JSON cannot hold is a parser bug: name the file, go on
        return _Result(job.path, f"internal error while saving the record ({type(e).__name__}: {e}); "
                                 "please report it with the file", traceback.format_exc()), None
    if job.key is not None and job.cache_dir is not None:
        digest = RecordCache(Path(job.cache_dir)).put(job.key, text)
        keep = None
    else:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        keep = text
    return _Result(job.path, digest=digest, facts=Facts.of(record), text=keep, indented=indented), record


def _run_job(job: _Job) -> _Result:
    """`_extract_job` in a worker: only the answer goes back."""
    return _extract_job(job)[0]


def _outcome(job: _Job, result: _Result, record: Record | None = None) -> Outcome:
    """An outcome for a fresh extraction: the record here, or decoded when first asked for."""
    if result.error is not None:
        return Outcome(job.path, error=result.error, detail=result.detail)
    if record is not None:
        loader = None
    elif result.text is not None:
        loader = _TextRecord(result.text, job.path)
    else:
        loader = _CachedRecord(Path(job.cache_dir), job.key, result.facts.sha256, job.path, job.entry)
    return Outcome(job.path, record, key=job.key, digest=result.digest, facts=result.facts, loader=loader)


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
    Records are not decoded here unless `out` or the caller asks (see Outcome).
    """
    from .fingerprint import file_sha256, record_fingerprint, record_key

    entries = manifest_for(paths)
    fingerprint = record_fingerprint() if cache_dir is not None else ""
    # One folder per code version: entries of older code can never be used again.
    cache = RecordCache(Path(cache_dir) / fingerprint[:16]) if cache_dir is not None else None
    index = cache.read_index() if cache is not None else {}
    new_index: dict[str, list] = {}
    want_indent = out is not None

    # Load inputs: which reports the cache already holds (known by stat, or checked now).
    known: dict[int, Outcome] = {}
    todo: list[_Job] = []
    for i, p in enumerate(paths):
        job = _Job(str(p), entries.get(Path(p).name), real=os.path.realpath(p), indent=want_indent)
        if cache is None:
            todo.append(job)
            continue
        st = _stat_or_none(Path(p))
        if st is None:  # not a readable file: the reader says why
            todo.append(job)
            continue
        row = index.get(job.real)
        row = row if isinstance(row, list) and len(row) == 6 else None
        signature = _signature(st)
        try:
            sha = row[1] if row is not None and row[0] == signature else file_sha256(Path(p))
        except OSError:
            todo.append(job)
            continue
        job.key, job.cache_dir, job.sha = record_key(sha, job.real, job.entry, fingerprint), str(cache.folder), sha
        entry_signature = cache.entry_signature(job.key)
        facts = Facts.from_list(row[5]) if row is not None else None
        if (row is not None and row[1] == sha and row[2] == job.key and entry_signature is not None
                and row[3] == entry_signature and isinstance(row[4], str) and facts is not None
                and facts.sha256 == sha):
            known[i] = Outcome(job.path, cached=True, key=job.key, digest=row[4], facts=facts,
                               loader=_CachedRecord(cache.folder, job.key, sha, job.path, job.entry))
            new_index[job.real] = [signature, *row[1:]]  # a touched but unchanged report: its new stat
            continue
        found = cache.get(job.key, sha) if entry_signature is not None else None
        if found is None:  # not cached, or a bad entry: extract it (which rewrites the entry)
            todo.append(job)
            continue
        record, text = found
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        facts = Facts.of(record)
        known[i] = Outcome(job.path, cached=True, key=job.key, digest=digest, facts=facts,
                           loader=_CachedRecord(cache.folder, job.key, sha, job.path, job.entry))
        new_index[job.real] = [signature, sha, job.key, entry_signature, digest, facts.to_list()]

    # Process data: the rest in worker processes (answers come back in order).
    results = _run_jobs(todo, jobs)
    pending = iter(todo)
    outcomes: list[Outcome] = []
    try:
        for i, p in enumerate(paths):
            if i in known:
                outcome = known[i]
                if out is not None:
                    _write_text(out, Path(outcome.path).stem, record_json(outcome.record))
            else:
                job = next(pending)
                result, record = next(results)
                outcome = _outcome(job, result, record)
                # the index learns the report only when the record is of the bytes the key was made from
                if cache is not None and outcome.ok and job.key is not None and result.facts.sha256 == job.sha:
                    st = _stat_or_none(Path(job.path))
                    entry_signature = cache.entry_signature(job.key)
                    if st is not None and entry_signature is not None:
                        new_index[job.real] = [_signature(st), job.sha, job.key, entry_signature,
                                               result.digest, result.facts.to_list()]
                # Save outputs.
                if out is not None and result.indented is not None:
                    _write_text(out, Path(outcome.path).stem, result.indented)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes now, not when the generator is collected
    if cache is not None:
        if new_index != index:
            cache.write_index({**{k: v for k, v in index.items() if k not in new_index and os.path.exists(k)},
                               **new_index})
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


def _stat_or_none(path: Path) -> os.stat_result | None:
    """The file's stat, or None when it cannot or should not be read (the reader says why)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    import stat

    return st if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_REPORT_BYTES else None


def _run_jobs(work: list[_Job], jobs: int | None) -> Iterator[tuple[_Result, Record | None]]:
    """(answer, record or None) for each job, in order; a process pool when there are several."""
    jobs = jobs or min(len(work), os.cpu_count() or 1)
    if jobs <= 1 or len(work) < 8:
        return map(_extract_job, work)
    _warm_up()
    pool = ProcessPoolExecutor(max_workers=jobs)
    # Small chunks keep progress lines flowing; larger ones save round trips on big corpora.
    results = pool.map(_run_job, work, chunksize=max(1, min(16, len(work) // (jobs * 8))))
    return _drain(pool, results)


def _drain(pool: ProcessPoolExecutor, results: Iterator) -> Iterator[tuple[_Result, Record | None]]:
    try:
        for result in results:
            yield result, None
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
