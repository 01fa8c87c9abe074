"""Stage 1: report files → records. One broken report never stops the others."""

from __future__ import annotations

import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import JuesuanError, ReportError
from .manifest import ManifestEntry, find_manifest, load_manifest
from .record import Record
from .settings import REPORT_SUFFIXES


@dataclass
class Outcome:
    """What happened to one report file: a record, or the reason there is none."""

    path: str
    record: Record | None = None
    error: str | None = None  # one line, says what is wrong and what to do
    detail: str | None = None  # traceback for unexpected failures (shown with --debug)


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


def extract_many(
    paths: list[Path],
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Extract every report, in parallel across cores when there are many. Order is kept."""
    entries = manifest_for(paths)
    work = [(str(p), entries.get(Path(p).name)) for p in paths]
    jobs = jobs or min(len(work), os.cpu_count() or 1)
    outcomes: list[Outcome] = []
    if jobs <= 1 or len(work) < 8:
        for item in work:
            outcome = _extract_safe(item)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for outcome in pool.map(_extract_safe, work, chunksize=max(1, len(work) // (jobs * 8))):
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    return outcomes


def write_record(record: Record, out_dir: Path, stem: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(record.to_json(), encoding="utf-8")
    os.replace(tmp, target)
    return target
