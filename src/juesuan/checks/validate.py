"""`juesuan validate`: frictionless validation of every package, and the reports' own findings.

Only frictionless errors count as failures (a package that does not match its schema is our bug);
the accounting findings are facts about the reports and are printed, never failed on.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .rules import SEVERITIES

PARALLEL_FROM = 16  # below this, starting workers (each imports frictionless) costs more than it saves
SEVERITY_MARK = {"error": "✗", "warning": "!", "note": "·"}


@dataclass
class PackageResult:
    name: str
    errors: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    title: str = ""


@dataclass
class ValidationResult:
    packages: list[PackageResult] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(len(p.errors) for p in self.packages)

    def findings(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for p in self.packages:
            for f in p.findings:
                out[f["severity"]] = out.get(f["severity"], 0) + 1
        return out

    def describe(self) -> str:
        f = self.findings()
        status = "valid" if not self.errors else f"{self.errors} frictionless errors"
        return (
            f"{len(self.packages)} packages: {status}; findings in the reports: "
            f"{f['error']} errors, {f['warning']} warnings, {f['note']} notes"
        )


def package_dirs(packages_dir: Path) -> list[Path]:
    """Package folders juesuan wrote (hidden temporary folders are skipped)."""
    if not packages_dir.is_dir():
        return []
    return sorted(p for p in packages_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "datapackage.json").is_file())


def frictionless_errors(folder: Path) -> list[str]:
    """Every frictionless error of one package, as 'resource: type: note' lines."""
    from frictionless import Package

    try:
        package = Package(str(folder / "datapackage.json"))
        report = package.validate()
    except Exception as e:  # a descriptor frictionless cannot even load
        return [f"datapackage.json: {type(e).__name__}: {e}"]
    lines = []
    for task in report.tasks:
        for error in task.errors:
            lines.append(f"{task.name}: {error.type}: {error.message}")
    for error in report.errors:
        lines.append(f"package: {error.type}: {error.message}")
    return lines


def _all_errors(folders: list[Path]):
    """frictionless errors per folder, in order; across processes when there are many packages."""
    if len(folders) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for folder in folders:
            yield frictionless_errors(folder)
        return
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        yield from pool.map(frictionless_errors, folders, chunksize=8)


def validate_packages(packages_dir: Path, echo: Callable[[str], None] | None = print) -> ValidationResult:
    """Validate every package in `packages_dir` and print its findings; see ValidationResult."""
    packages_dir = Path(packages_dir)
    result = ValidationResult()
    folders = package_dirs(packages_dir)
    if echo and not folders:
        echo(f"no data packages in {packages_dir}/; run `juesuan package` first")
    for folder, errors in zip(folders, _all_errors(folders)):
        pr = PackageResult(folder.name, errors)
        try:
            descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
            pr.title = descriptor.get("title", "")
            is_catalog = bool(descriptor.get("juesuan", {}).get("catalog"))
        except ValueError:
            is_catalog = False
        checks = folder / "checks.json"
        if checks.is_file() and not is_catalog:
            pr.findings = json.loads(checks.read_text(encoding="utf-8"))
        result.packages.append(pr)
        if echo:
            _show(pr, echo)
    if echo:
        echo(result.describe())
    return result


def _show(pr: PackageResult, echo: Callable[[str], None]) -> None:
    status = "valid" if not pr.errors else f"INVALID ({len(pr.errors)} errors)"
    counts = {s: sum(f["severity"] == s for f in pr.findings) for s in SEVERITIES}
    echo(f"{pr.name}  {pr.title}  frictionless: {status}  findings: "
         f"{counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes")
    for line in pr.errors[:50]:
        echo(f"    frictionless: {line}")
    if len(pr.errors) > 50:
        echo(f"    … {len(pr.errors) - 50} more frictionless errors")
    for f in pr.findings:
        lines = f" (行 {f['source_lines'].replace(';', ', ')})" if f.get("source_lines") else ""
        echo(f"  {SEVERITY_MARK.get(f['severity'], '?')} {f['severity']:<7} {f['rule']}: {f['message']}{lines}")
