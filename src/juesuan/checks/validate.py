"""`juesuan validate`: frictionless validation of every package, and the reports' own findings.

Only frictionless errors count as failures (a package that does not match its schema is our bug);
the accounting findings are facts about the reports and are printed, never failed on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .digests import DEFAULT, resolve_cache_dir
from .rules import SEVERITIES
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
    with os.scandir(packages_dir) as entries:  # is_dir from the directory listing: one stat per package, not two
        return sorted(packages_dir / e.name for e in entries
                      if not e.name.startswith(".") and e.is_dir() and os.path.isfile(os.path.join(e.path, "datapackage.json")))


def frictionless_errors(folder: Path) -> list[str]:
    """Every frictionless error of one package, the plain way (one Package at a time): slow, since
    frictionless re-reads every descriptor, but independent of the batched checks below."""
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


def validate_packages(packages_dir: Path, echo: Callable[[str], None] | None = print,
                      cache_dir: Any = DEFAULT, jobs: int | None = None) -> ValidationResult:
    """Validate every package in `packages_dir` and print its findings; see ValidationResult.

    A package whose files (by content) and whose judging code are unchanged since it was last
    validated gets its earlier result from the cache (build/cache/validate/); the others are
    checked by frictionless in batches (see batch.py)."""
    from .batch import check_folders

    packages_dir = Path(packages_dir)
    cache_dir = resolve_cache_dir(cache_dir)
    result = ValidationResult()
    folders = package_dirs(packages_dir)
    if echo and not folders:
        echo(f"no data packages in {packages_dir}/; run `juesuan package` first")
    checked = check_folders(packages_dir, [f.name for f in folders], cache_dir, jobs, about=_about)
    for folder in folders:
        errors, about = checked.get(folder.name, ([], None))
        about = about if isinstance(about, dict) else _about(folder)
        pr = PackageResult(folder.name, errors, about.get("findings") or [], about.get("title") or "")
        result.packages.append(pr)
        if echo:
            _show(pr, echo)
    if echo:
        echo(result.describe())
    return result


def _about(folder: Path, descriptor: Any = None) -> dict[str, Any]:
    """A package's title and the reports' own findings (checks.json; none for the catalog).
    `descriptor`: its datapackage.json when already read (else read here)."""
    title, findings = "", []
    try:
        if descriptor is None:
            descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        title = descriptor.get("title", "") if isinstance(descriptor, dict) else ""
        is_catalog = isinstance(descriptor, dict) and bool((descriptor.get("juesuan") or {}).get("catalog"))
    except (OSError, ValueError, AttributeError):
        is_catalog = False
    checks = folder / "checks.json"
    if checks.is_file() and not is_catalog:
        try:
            loaded = json.loads(checks.read_text(encoding="utf-8"))
            findings = loaded if isinstance(loaded, list) else []
        except ValueError:
            findings = []
    return {"title": title if isinstance(title, str) else "", "findings": findings}


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
