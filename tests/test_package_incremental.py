"""Incremental packaging and cached validation: unchanged input rewrites nothing, one changed
record rewrites only its package and the catalog, and a tampered or broken package is always
re-validated and reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from juesuan.checks.validate import validate_packages
from juesuan.extract import Outcome
from juesuan.package import build_packages
from juesuan.package.write import descriptor_bytes
from test_package import SLUG_000, other_record, rich_record, tree

OTHER = "sichuan-panzhihua-xiqu-kexuejishuju-2021"


def stats(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def outcomes(changed: bool = False):
    other = other_record()
    if changed:
        other.figures[0].value, other.figures[0].text = 2000.5, "2000.5"
    return [Outcome("reports/a.txt", rich_record()), Outcome("reports/b.txt", other)]


def test_unchanged_input_rewrites_nothing(tmp_path, cache):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    before, times = tree(out), stats(out)
    summary = build_packages(outcomes(), out, cache_dir=cache)
    assert summary.unchanged == 2 and sorted(summary.written) == [SLUG_000, OTHER]
    assert tree(out) == before and stats(out) == times


def test_one_changed_record_rewrites_its_package_and_the_catalog_only(tmp_path, cache):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    before, times = tree(out), stats(out)
    summary = build_packages(outcomes(changed=True), out, cache_dir=cache)
    assert summary.unchanged == 1
    after, new_times = tree(out), stats(out)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed and {k.split("/")[0] for k in changed} == {OTHER, "catalog"}
    assert {k: v for k, v in new_times.items() if k.startswith(SLUG_000)} == \
        {k: v for k, v in times.items() if k.startswith(SLUG_000)}
    # and the result equals a clean build of the same input
    fresh = tmp_path / "fresh"
    build_packages(outcomes(changed=True), fresh, cache_dir=None)
    assert tree(fresh) == after


def test_tampered_package_is_rebuilt(tmp_path, cache):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    before = tree(out)
    figures = out / SLUG_000 / "figures.csv"
    st = figures.stat()
    figures.write_bytes(figures.read_bytes().replace(b"1911.53", b"1911.54"))
    os.utime(figures, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with its old mtime
    build_packages(outcomes(), out, cache_dir=cache)
    assert tree(out) == before


def test_a_package_file_whose_only_change_is_its_ctime_is_not_rewritten(tmp_path, cache, monkeypatch):
    """The site's downloads are hard links to package files: a link changes a file's ctime, not its
    bytes. The file is hashed again once (its bytes are the same: nothing is rewritten), then its
    new stat is remembered and the next run does not read it."""
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    before, inodes = tree(out), {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    figures = out / SLUG_000 / "figures.csv"
    ctime = figures.stat().st_ctime_ns
    os.link(figures, tmp_path / "published.csv")
    assert figures.stat().st_ctime_ns != ctime

    import juesuan.checks.digests as digests

    read = []
    real = digests.Path.read_bytes
    monkeypatch.setattr(digests.Path, "read_bytes", lambda self: (
        read.append(self.relative_to(out).as_posix()) if out in self.parents else None) or real(self))
    summary = build_packages(outcomes(), out, cache_dir=cache)
    assert read == [f"{SLUG_000}/figures.csv"]
    read.clear()
    build_packages(outcomes(), out, cache_dir=cache)
    assert read == []
    assert summary.unchanged == 2 and tree(out) == before
    assert {p: p.stat().st_ino for p in inodes} == inodes


def test_validation_cache_hit_and_tampered_file_revalidated(tmp_path, cache, monkeypatch):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    import juesuan.checks.batch as batch

    calls = []
    real = batch._validate
    monkeypatch.setattr(batch, "_validate", lambda root, names, *a: calls.append(names) or real(root, names, *a))
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    assert calls == []  # nothing changed: every result came from the cache
    figures = out / SLUG_000 / "figures.csv"
    st = figures.stat()
    figures.write_text(figures.read_text(encoding="utf-8-sig").replace(",1911.53,", ",many,"), encoding="utf-8-sig")
    os.utime(figures, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = validate_packages(out, echo=None, cache_dir=cache)
    assert calls == [[SLUG_000]]
    bad = {p.name: p.errors for p in result.packages}[SLUG_000]
    assert any("figures" in e and "type-error" in e and "field value" in e for e in bad), bad


@pytest.mark.parametrize("breakage", ["cell", "missing_file", "descriptor", "header", "duplicate_key",
                                      "catalog_cell"])
def test_broken_packages_fail_validation(tmp_path, cache, breakage):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    package = out / SLUG_000
    if breakage == "cell":
        path = package / "spending_by_class.csv"
        text = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        text[1] = text[1].replace(text[1].split(",")[0], "x", 1)  # n must be an integer
        path.write_text("".join(text), encoding="utf-8-sig")
    elif breakage == "missing_file":
        (package / "notes.csv").unlink()
    elif breakage == "descriptor":
        descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["resources"][0]["schema"]["fields"][0]["type"] = "nummber"
        (package / "datapackage.json").write_bytes(descriptor_bytes(descriptor))
    elif breakage == "header":
        path = package / "glossary.csv"
        path.write_text(path.read_text(encoding="utf-8-sig").replace("term", "word", 1), encoding="utf-8-sig")
    elif breakage == "duplicate_key":
        path = package / "figures.csv"
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        path.write_text("".join(lines + [lines[1]]), encoding="utf-8-sig")
    elif breakage == "catalog_cell":
        path = out / "catalog" / "figures.csv"
        path.write_text(path.read_text(encoding="utf-8-sig").replace(",1911.53,", ",lots,"), encoding="utf-8-sig")
        package = out / "catalog"
    result = validate_packages(out, echo=None, cache_dir=cache)
    errors = {p.name: p.errors for p in result.packages}
    assert errors[package.name], errors
    assert not errors[OTHER]
    # the plain one-package frictionless validation agrees that the package is broken
    from juesuan.checks.validate import frictionless_errors

    assert frictionless_errors(package)


def test_cli_validate_exits_1_on_a_broken_package(tmp_path, cache):
    from click.testing import CliRunner

    from juesuan import settings
    from juesuan.cli import cli

    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    (out / SLUG_000 / "checks.csv").write_text("n,rule\nx,y\n", encoding="utf-8")
    settings_cache = settings.CACHE_DIR
    try:
        settings.CACHE_DIR = cache
        result = CliRunner().invoke(cli, ["validate", "--packages", str(out)])
    finally:
        settings.CACHE_DIR = settings_cache
    assert result.exit_code == 1, result.output


def test_indented_matches_json_dumps():
    samples = [
        {}, [], {"a": []}, {"a": {}}, {"x": [1, 2.5, None, True, "中文\n\"q\""], "resources": [{"name": "r", "n": 1e20}]},
        {"resources": [{"schema": {"fields": [{"name": "n", "constraints": {"enum": ["a", "b"]}}]}}] * 2},
        [{"nested": [[1], [], [{}]]}],
    ]
    for sample in samples:
        assert descriptor_bytes(sample) == (json.dumps(sample, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _catalog_lines(out: Path, resource: str = "figures") -> list[str]:
    return (out / "catalog" / f"{resource}.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)


@pytest.mark.parametrize("breakage", ["key_type", "unknown_package", "duplicate_row", "dropped_row"])
def test_catalog_rows_are_checked_where_they_differ_from_their_package(tmp_path, cache, breakage):
    """Catalog rows that repeat a valid package skip a second frictionless run; anything else does not."""
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    lines = _catalog_lines(out)
    i = next(i for i, line in enumerate(lines) if line.startswith(SLUG_000 + ","))
    if breakage == "key_type":  # fiscal_year must be an integer ≥ 1900
        lines[i] = lines[i].replace(",2022,", ",二〇二二,", 1)
    elif breakage == "unknown_package":  # the foreign key to reports
        lines[i] = "no-such-report" + lines[i][len(SLUG_000):]
    elif breakage == "duplicate_row":  # (package, n) twice
        lines.append(lines[i])
    elif breakage == "dropped_row":  # the same values, but the cells shifted by one
        cells = lines[i].split(",")
        lines[i] = ",".join(cells[:6] + cells[7:])
    (out / "catalog" / "figures.csv").write_text("".join(lines), encoding="utf-8-sig")
    errors = {p.name: p.errors for p in validate_packages(out, echo=None, cache_dir=cache).packages}
    assert errors["catalog"], errors
    assert not errors[SLUG_000] and not errors[OTHER]


def test_catalog_rows_of_a_broken_package_are_validated_again(tmp_path, cache):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    for folder in (out / SLUG_000, out / "catalog"):
        path = folder / "figures.csv"
        path.write_text(path.read_text(encoding="utf-8-sig").replace(",1911.53,", ",lots,"), encoding="utf-8-sig")
    errors = {p.name: p.errors for p in validate_packages(out, echo=None, cache_dir=cache).packages}
    assert any("type-error" in e for e in errors[SLUG_000]), errors
    assert any("type-error" in e for e in errors["catalog"]), errors


def test_valid_catalog_rows_are_not_validated_twice(tmp_path, cache, monkeypatch):
    import juesuan.checks.batch as batch

    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    seen: list[tuple[str, str]] = []
    real = batch._run_task

    def spy(task):
        seen.extend((s["unit"], task["resource"]) for s in task["sources"])
        return real(task)

    monkeypatch.setattr(batch, "_run_task", spy)
    assert validate_packages(out, echo=None, cache_dir=None).errors == 0
    catalog_units = {unit for unit, _ in seen if unit.startswith("catalog\x1f")}
    # only the key columns of the combined resources (one unit per report), plus the catalog's own tables
    sliced = {u for u in catalog_units if u.count("\x1f") >= 2}
    assert sliced and all(u.split("\x1f")[2] == "keys" for u in sliced), sliced
    assert {f"catalog\x1f{res}\x1fkeys\x1f{package}" for res in ("figures", "spending_by_function")
            for package in (SLUG_000, OTHER)} <= sliced
    assert {u for u in catalog_units if u.count("\x1f") == 1} >= {"catalog\x1freports", "catalog\x1fbuild_report"}


def test_a_rebuild_judges_the_catalog_keys_of_the_changed_report_only(tmp_path, cache, monkeypatch):
    import juesuan.checks.batch as batch

    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    build_packages(outcomes(changed=True), out, cache_dir=cache)
    seen: list[str] = []
    real = batch._run_task
    monkeypatch.setattr(batch, "_run_task", lambda task: seen.extend(s["unit"] for s in task["sources"]) or real(task))
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    keys = {u.split("\x1f")[3] for u in seen if u.startswith("catalog\x1f") and u.count("\x1f") == 3}
    assert keys == {OTHER}
    # and a key that went bad is still caught, though the report's other keys were judged before
    lines = _catalog_lines(out)
    i = next(i for i, line in enumerate(lines) if line.startswith(SLUG_000 + ","))
    lines[i] = lines[i].replace(",2022,", ",二〇二二,", 1)
    (out / "catalog" / "figures.csv").write_text("".join(lines), encoding="utf-8-sig")
    errors = {p.name: p.errors for p in validate_packages(out, echo=None, cache_dir=cache).packages}
    assert any("fiscal_year" in e for e in errors["catalog"]), errors["catalog"]
