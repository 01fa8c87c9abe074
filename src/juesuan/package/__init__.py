"""Stage 2: records → Frictionless data packages (one per report) and the catalog.

`build_packages` writes datapackages/<slug>/ for every extracted report and datapackages/catalog/,
each folder swapped in atomically; it removes packages of reports that are gone and never lets a
failed or duplicate report stop the others (they are listed in the catalog's build_report).

Incremental: a package whose input (the record, its slug, and the packager's code) is unchanged
and whose files on disk are as written is left alone; its catalog rows come from the cache
(build/cache/package/). Many packages are built on all cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from ..checks import run_checks
from ..checks.digests import DEFAULT, resolve_cache_dir, stat_signature
from ..slug import dedupe, normalise
from .catalog import CATALOG, build_catalog
from .report import build_report_package
from .state import PackageCache, Part, Written
from .write import is_juesuan_package, recover_interrupted, write_package_dir

PARALLEL_FROM = 64  # packages to build before starting worker processes pays off


@dataclass
class Summary:
    packages_dir: Path
    written: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0  # packages left as they were (same input, intact on disk)
    findings: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "note": 0})

    def describe(self) -> str:
        lines = [
            f"{len(self.written)} packages + catalog → {self.packages_dir}/ "
            f"({len(self.failed)} reports not packaged"
            + (f", {len(self.removed)} stale packages removed" if self.removed else "")
            + ")",
            f"findings in the reports: {self.findings['error']} errors, {self.findings['warning']} warnings, "
            f"{self.findings['note']} notes (see checks.csv; run `juesuan validate` to list them)",
        ]
        lines += [f"  not packaged: {f}: {reason}" for f, reason in self.failed]
        return "\n".join(lines)


def _file_label(path: str, reports_root: Path | None, resolved: dict[str, Path] | None = None) -> str:
    """The report's path relative to the reports folder (both resolved), else its file name.
    `resolved` memoises resolved folders: a report that is not a symlink resolves to its resolved
    folder / its name, one lstat instead of one per path component."""
    path = os.fspath(path)
    if reports_root is not None:
        memo = {} if resolved is None else resolved
        if "\0" not in memo:
            memo["\0"] = Path(reports_root).resolve()
        root = memo["\0"]
        parent, base = os.path.split(path)
        if base in ("", ".", "..") or os.path.islink(path):
            full = Path(path).resolve()
        else:
            if parent not in memo:
                memo[parent] = Path(parent or ".").resolve()
            full = memo[parent] / base
        try:
            return full.relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(path).name


def _duplicates(items: list[tuple[str, Any]]) -> dict[str, str]:
    """file → reason, for reports describing the same department and year (or the same file twice)."""
    groups: dict[tuple, list[str]] = {}
    for label, outcome in items:
        facts = outcome.facts
        if facts.department:
            groups.setdefault(("dept", normalise(facts.department), facts.fiscal_year), []).append(label)
        groups.setdefault(("sha", facts.sha256), []).append(label)
    reasons: dict[str, str] = {}
    for key, labels in groups.items():
        labels = sorted(set(labels))
        if len(labels) < 2:
            continue
        what = "内容相同（同一个文件）" if key[0] == "sha" else f"同一部门同一年度（{key[1]} {key[2]}）"
        for label in labels:
            others = "、".join(x for x in labels if x != label)
            reasons.setdefault(
                label,
                f"duplicate report: {label} 与 {others} {what}；两份都未发布。请删除其中一份，"
                "或在 manifest.csv 中更正部门/年度",
            )
    return reasons


def build_packages(
    outcomes: list,
    packages_dir: Path,
    reports_root: Path | None = None,
    before_file: Callable[[str], None] | None = None,
    cache_dir: Any = DEFAULT,
    jobs: int | None = None,
) -> Summary:
    """Write every report's package and the catalog; return what happened.

    `cache_dir` (default settings.CACHE_DIR; None for no cache) remembers what each package was
    built from, so unchanged packages are not rewritten. `jobs` caps the worker processes.
    """
    packages_dir = Path(packages_dir)
    recover_interrupted(packages_dir)
    summary = Summary(packages_dir)
    build_rows: list[dict[str, Any]] = []

    ok: list[tuple[str, Any]] = []  # (label, outcome): records are decoded only for packages to build
    resolved: dict[str, Path] = {}
    for o in outcomes:
        label = _file_label(o.path, reports_root, resolved)
        if not o.ok:
            reason = o.error or "could not be read"
            summary.failed.append((label, reason))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": reason})
        else:
            ok.append((label, o))

    duplicates = _duplicates(ok)
    accepted = []
    for label, record in ok:
        if label in duplicates:
            summary.failed.append((label, duplicates[label]))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": duplicates[label]})
        else:
            accepted.append((label, record))

    cache = PackageCache(resolve_cache_dir(cache_dir), packages_dir)
    names = cache.names([o.facts.identity_key() for _, o in accepted])
    slugs = dedupe([(label, names[o.facts.identity_key()][0]) for label, o in accepted])
    jobs_list = sorted(((slugs[label], label, o, *names[o.facts.identity_key()][1:])
                        for label, o in accepted), key=lambda j: j[0])

    fragments: dict[str, Part] = {}
    keys: dict[str, str] = {}
    rebuild = []
    # packages whose input and files are as last built are told apart here (a stat per file), so
    # worker processes start only for packages to build
    settled, to_build = [], []
    for job in jobs_list:
        key = _input_key(cache.fingerprint, job[0], job[2].digest)
        if cache.unchanged(job[0], key):
            settled.append((job[0], job[1], key, UNCHANGED))
        else:
            to_build.append(job)
    for name, label, key, result in settled + list(_run_all(to_build, packages_dir, cache, before_file, jobs)):
        keys[name] = key
        if result is UNCHANGED:
            part = cache.part(name)
            if part is None:  # its cache entry is incomplete: build it again
                rebuild.append(name)
                continue
            fragments[name] = part
            summary.unchanged += 1
        elif isinstance(result, str):
            summary.failed.append((label, result))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": result})
        else:
            fragments[name] = cache.written(name, key, result)
    if rebuild:
        cache.forget(rebuild)
        again = [job for job in jobs_list if job[0] in rebuild]
        for name, label, key, result in _run_all(again, packages_dir, cache, before_file, 1):
            if isinstance(result, str):
                summary.failed.append((label, result))
                build_rows.append({"file": label, "status": "failed", "package": None, "reason": result})
            else:
                fragments[name] = cache.written(name, key, result)
    for name, label, *_ in jobs_list:
        if name in fragments:
            summary.written.append(name)
            for severity, n in fragments[name].findings.items():
                summary.findings[severity] += n
            build_rows.append({"file": label, "status": "ok", "package": name, "reason": None})

    catalog_key = hashlib.sha256(json.dumps(
        [cache.fingerprint, sorted(build_rows, key=lambda r: r["file"]), sorted((n, keys[n]) for n in fragments)],
        ensure_ascii=False).encode("utf-8")).hexdigest()
    if not cache.catalog_unchanged(catalog_key):
        catalog_files = build_catalog(list(fragments.values()), build_rows)
        write_package_dir(packages_dir, CATALOG, catalog_files, before_file)
        cache.catalog_written(catalog_key, catalog_files)

    keep = set(summary.written) | {CATALOG}
    for entry in sorted(packages_dir.iterdir()):
        if entry.name not in keep and entry.is_dir() and is_juesuan_package(entry):
            shutil.rmtree(entry)
            summary.removed.append(entry.name)
    cache.save(keep)
    return summary


def _input_key(fingerprint: str, name: str, digest: str) -> str:
    """What a report package is made of: the packager's code, the slug and the whole record (by the
    digest of its JSON, in which the report's path is resolved: the same however it was spelt)."""
    return hashlib.sha256(f"{fingerprint}\n{name}\n{digest}".encode("utf-8")).hexdigest()


UNCHANGED = None  # a worker's answer for a package whose input and files are as last built (survives pickling)

# Set in the parent just before the worker processes fork; workers read them instead of unpickling records.
_JOBS: list[tuple] = []
_CACHE: PackageCache | None = None


def _one(index: int, packages_dir: Path, before_file: Callable[[str], None] | None = None):
    """One report: (name, label, input key, UNCHANGED (None) | failure reason | Written)."""
    name, label, outcome, region, department = _JOBS[index]
    key = _input_key(_CACHE.fingerprint if _CACHE else "", name, outcome.digest)
    if _CACHE is not None and _CACHE.unchanged(name, key):
        return name, label, key, UNCHANGED
    try:
        record = outcome.load()  # decoded here, in the worker, and dropped after
        findings = run_checks(record)
        b = build_report_package(record, name, region, department, findings)
    except Exception as e:  # a record the packager cannot handle must not stop the others
        return name, label, key, (f"internal error while packaging ({type(e).__name__}: {e}); "
                                  "please report it with the file")
    folder = write_package_dir(packages_dir, name, b.files, before_file)
    files = {}
    for file_name, data in b.files.items():
        files[file_name] = stat_signature(os.stat(os.path.join(folder, file_name))) + \
            [hashlib.sha256(data).hexdigest()]
    part = Part.of(b.fragment, keep=_CACHE is None or _CACHE.folder is None)
    if _CACHE is not None:
        part = _CACHE.store_part(part, b.fragment)
    return name, label, key, Written(part, files)


def _run_all(jobs_list: list, packages_dir: Path, cache: PackageCache | None,
             before_file: Callable[[str], None] | None, jobs: int | None):
    """Every report's package (or UNCHANGED), across worker processes when there are many."""
    global _JOBS, _CACHE
    _JOBS, _CACHE = jobs_list, cache
    try:
        workers = min(jobs or os.cpu_count() or 1, os.cpu_count() or 1)
        if len(jobs_list) < PARALLEL_FROM or workers < 2 or before_file is not None:
            for i in range(len(jobs_list)):
                yield _one(i, packages_dir, before_file)
            return
        # fork: the workers inherit the records and the cache state instead of receiving them pickled
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            yield from pool.map(_one, range(len(jobs_list)), [packages_dir] * len(jobs_list),
                                chunksize=max(1, min(32, len(jobs_list) // (workers * 8))))
    finally:
        _JOBS, _CACHE = [], None


__all__ = ["build_packages", "Summary"]
