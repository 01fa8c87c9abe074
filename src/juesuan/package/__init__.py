"""Stage 2: records → Frictionless data packages (one per report) and the catalog.

`build_packages` writes datapackages/<slug>/ for every extracted report and datapackages/catalog/,
each folder swapped in atomically; it removes packages of reports that are gone and never lets a
failed or duplicate report stop the others (they are listed in the catalog's build_report).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..checks import count_by_severity, run_checks
from ..record import Record
from ..slug import dedupe, department_slug, normalise, region_path, report_slug
from .catalog import CATALOG, build_catalog
from .report import Built, build_report_package
from .write import is_juesuan_package, recover_interrupted, write_package_dir


@dataclass
class Summary:
    packages_dir: Path
    written: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    removed: list[str] = field(default_factory=list)
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


def _file_label(path: str, reports_root: Path | None) -> str:
    p = Path(path)
    if reports_root is not None:
        try:
            return p.resolve().relative_to(Path(reports_root).resolve()).as_posix()
        except ValueError:
            pass
    return p.name


def _duplicates(items: list[tuple[str, Record]]) -> dict[str, str]:
    """file → reason, for reports describing the same department and year (or the same file twice)."""
    groups: dict[tuple, list[str]] = {}
    for label, record in items:
        ident = record.identity
        if ident.department:
            groups.setdefault(("dept", normalise(ident.department), ident.fiscal_year), []).append(label)
        groups.setdefault(("sha", record.source_file.sha256), []).append(label)
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
) -> Summary:
    """Write every report's package and the catalog; return what happened."""
    packages_dir = Path(packages_dir)
    recover_interrupted(packages_dir)
    summary = Summary(packages_dir)
    build_rows: list[dict[str, Any]] = []

    ok: list[tuple[str, Record]] = []
    for o in outcomes:
        label = _file_label(o.path, reports_root)
        if o.record is None:
            reason = o.error or "could not be read"
            summary.failed.append((label, reason))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": reason})
        else:
            ok.append((label, o.record))

    duplicates = _duplicates(ok)
    accepted = []
    for label, record in ok:
        if label in duplicates:
            summary.failed.append((label, duplicates[label]))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": duplicates[label]})
        else:
            accepted.append((label, record))

    slugs = dedupe([
        (label, report_slug(r.identity.department, r.identity.province, r.identity.city, r.identity.district,
                            r.identity.fiscal_year))
        for label, r in accepted
    ])
    built: list[tuple[Built, Record]] = []
    for label, record in sorted(accepted, key=lambda lr: slugs[lr[0]]):
        ident = record.identity
        name = slugs[label]
        try:
            findings = run_checks(record)
            b = build_report_package(
                record, name, region_path(ident.province, ident.city, ident.district),
                department_slug(ident.department, ident.province, ident.city, ident.district), findings,
            )
        except Exception as e:  # a record the packager cannot handle must not stop the others
            reason = f"internal error while packaging ({type(e).__name__}: {e}); please report it with the file"
            summary.failed.append((label, reason))
            build_rows.append({"file": label, "status": "failed", "package": None, "reason": reason})
            continue
        write_package_dir(packages_dir, name, b.files, before_file)
        built.append((b, record))
        summary.written.append(name)
        for severity, n in count_by_severity(findings).items():
            summary.findings[severity] += n
        build_rows.append({"file": label, "status": "ok", "package": name, "reason": None})

    write_package_dir(packages_dir, CATALOG, build_catalog(built, build_rows), before_file)

    keep = set(summary.written) | {CATALOG}
    for entry in sorted(packages_dir.iterdir()):
        if entry.is_dir() and entry.name not in keep and is_juesuan_package(entry):
            shutil.rmtree(entry)
            summary.removed.append(entry.name)
    return summary


__all__ = ["build_packages", "Summary"]
