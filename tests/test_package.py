"""Data packages: reproducible bytes, atomic swaps, stale and duplicate reports, hostile text,
formula-safe CSV, and frictionless validity."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from juesuan.checks.validate import validate_packages
from juesuan.extract import Outcome
from juesuan.package import build_packages
from juesuan.record import Indicator, ReportTable, Source
from test_checks import record_000

ROOT = Path(__file__).resolve().parents[1]
SLUG_000 = "sichuan-panzhihua-kexuejishuju-2022"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Keep the packaging/validation caches of these tests out of the repository's build/cache/."""
    from juesuan import settings

    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path_factory.mktemp("cache"))


def rich_record():
    """record_000 plus a 附件 table and text cells a spreadsheet would run as formulas."""
    r = record_000()
    r.source_file.sha256 = "a" * 64
    r.tables = [ReportTable(
        1, "部门整体支出绩效自评表", ["指标", "年度目标", "实际完成", "备注"],
        [["=HYPERLINK(\"http://x\")", "100", "98.5", "+1"],
         ["", "", "", ""],
         ["@SUM(A1)", "1,200.00", "3", "-"],
         ["\tTAB", "2", "", "\rCR"]],
        Source(300, "table"), kind="performance_self_evaluation", facts={"主管部门": "攀枝花市科学技术局"})]
    r.indicators = [Indicator(1, "部门整体", "产出指标", "数量指标", "=1+1", Source(301, "row"), target="≥1")]
    r.figures[0].reason = "-主要原因是项目减少"
    return r


def other_record(department="攀枝花市西区科学技术局", year=2021, sha="b"):
    r = copy.deepcopy(record_000())
    r.identity.department, r.identity.district, r.identity.fiscal_year = department, "西区", year
    r.source_file.sha256 = sha * 64
    r.source_file.name = "other.txt"
    return r


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(outcomes, out: Path, **kw):
    return build_packages(outcomes, out, reports_root=Path("reports"), **kw)


def test_layout_bom_and_line_endings(tmp_path):
    build([Outcome("reports/a.txt", rich_record())], tmp_path)
    package = tmp_path / SLUG_000
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == SLUG_000 and descriptor["title"] == "攀枝花市科学技术局 2022年度部门决算"
    assert descriptor["juesuan"]["region_path"] == "sichuan/panzhihua"
    assert descriptor["juesuan"]["department_slug"] == "kexuejishuju"
    assert descriptor["sources"][0]["sha256"] == "a" * 64
    names = [r["name"] for r in descriptor["resources"]]
    for required in ("figures", "spending_by_function", "spending_by_class", "responsibilities", "subunits",
                     "glossary", "performance_scores", "performance_indicators", "tables", "warnings", "checks",
                     "table-01"):
        assert required in names
        raw = (package / f"{required}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw.replace(b"\r\n\"", b"")
        assert isinstance(json.loads((package / f"{required}.json").read_text(encoding="utf-8")), list)
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["metric"]["constraints"]["enum"][0] == "grand_total_income"
    assert all(f.get("title") and f.get("description") and f.get("type") for f in fields.values())


def test_formula_injection_escaped_in_csv_not_in_json(tmp_path):
    build([Outcome("reports/a.txt", rich_record())], tmp_path)
    package = tmp_path / SLUG_000
    table_csv = (package / "table-01.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in table_csv and "'@SUM(A1)" in table_csv and "'+1" in table_csv
    assert "'\tTAB" in table_csv and '"\'\rCR"' in table_csv and ",'-\n" in table_csv
    rows = json.loads((package / "table-01.json").read_text(encoding="utf-8"))
    assert rows[0]["col_1"] == '=HYPERLINK("http://x")' and rows[1]["col_1"] == "@SUM(A1)"
    assert len(rows) == 3  # the blank spacer row is dropped
    # whole-numeric columns are typed, numbers are never prefixed (1,200.00 keeps its group separator)
    schema = {r["name"]: r for r in json.loads((package / "datapackage.json").read_text())["resources"]}
    types = [f["type"] for f in schema["table-01"]["schema"]["fields"]]
    assert types == ["string", "number", "number", "string"]
    assert rows[1]["col_2"] == 1200.0
    figures_csv = (package / "figures.csv").read_text(encoding="utf-8-sig")
    assert ",-156.01," in figures_csv and "'-主要原因是项目减少" in figures_csv
    assert json.loads((package / "figures.json").read_text())[0]["reason"] == "-主要原因是项目减少"
    assert "'=1+1" in (package / "performance_indicators.csv").read_text(encoding="utf-8-sig")


def test_frictionless_validates_generated_packages(tmp_path):
    build([Outcome("reports/a.txt", rich_record()), Outcome("reports/b.txt", other_record())], tmp_path)
    result = validate_packages(tmp_path, echo=None)
    assert result.errors == 0, [p.errors for p in result.packages]
    assert {p.name for p in result.packages} == {"catalog", SLUG_000, "sichuan-panzhihua-xiqu-kexuejishuju-2021"}
    # and validation does catch a broken file (so 0 errors above means something)
    figures = tmp_path / SLUG_000 / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8-sig").replace(",1911.53,", ",many,"), encoding="utf-8-sig")
    assert validate_packages(tmp_path, echo=None).errors >= 1


def test_byte_identical_reruns(tmp_path):
    outcomes = [Outcome("reports/a.txt", rich_record()), Outcome("reports/b.txt", other_record()),
                Outcome("reports/c.txt", None, "empty file")]
    build(outcomes, tmp_path / "one")
    build(outcomes, tmp_path / "two")
    build(list(reversed(outcomes)), tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_failed_report_listed_and_others_packaged(tmp_path):
    summary = build([Outcome("reports/a.txt", rich_record()), Outcome("reports/bad.txt", None, "not a report")],
                    tmp_path)
    assert summary.written == [SLUG_000]
    rows = json.loads((tmp_path / "catalog" / "build_report.json").read_text())
    assert {(r["file"], r["status"], r["reason"]) for r in rows} == {
        ("a.txt", "ok", None), ("bad.txt", "failed", "not a report")}
    reports = json.loads((tmp_path / "catalog" / "reports.json").read_text())
    assert [r["package"] for r in reports] == [SLUG_000]
    assert reports[0]["expenditure_total"] == 1892.07 and reports[0]["three_public_total"] == 7.39


def test_unpublishable_record_is_listed_not_fatal(tmp_path):
    broken = other_record()
    broken.figures[0].value = float("nan")  # a parser bug: never published as a number
    summary = build([Outcome("reports/a.txt", rich_record()), Outcome("reports/b.txt", broken)], tmp_path)
    assert summary.written == [SLUG_000]
    rows = {r["file"]: r for r in json.loads((tmp_path / "catalog" / "build_report.json").read_text())}
    assert rows["b.txt"]["status"] == "failed" and "internal error while packaging" in rows["b.txt"]["reason"]


def test_duplicate_reports_name_both_files(tmp_path):
    twin = copy.deepcopy(rich_record())
    twin.source_file.sha256 = "c" * 64
    summary = build([Outcome("reports/a.txt", rich_record()), Outcome("reports/a-copy.txt", twin),
                     Outcome("reports/b.txt", other_record())], tmp_path)
    assert summary.written == ["sichuan-panzhihua-xiqu-kexuejishuju-2021"]
    rows = {r["file"]: r for r in json.loads((tmp_path / "catalog" / "build_report.json").read_text())}
    for name, other in (("a.txt", "a-copy.txt"), ("a-copy.txt", "a.txt")):
        assert rows[name]["status"] == "failed"
        assert name in rows[name]["reason"] and other in rows[name]["reason"]
    assert not (tmp_path / SLUG_000).exists()


def test_stale_packages_removed_only_if_ours(tmp_path):
    build([Outcome("reports/a.txt", rich_record()), Outcome("reports/b.txt", other_record())], tmp_path)
    (tmp_path / "my-notes").mkdir()
    (tmp_path / "my-notes" / "datapackage.json").write_text('{"name": "my-notes"}')
    summary = build([Outcome("reports/a.txt", rich_record())], tmp_path)
    assert summary.removed == ["sichuan-panzhihua-xiqu-kexuejishuju-2021"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "my-notes", SLUG_000]


def test_failure_mid_write_keeps_previous_version(tmp_path):
    build([Outcome("reports/a.txt", rich_record())], tmp_path)
    before = tree(tmp_path / SLUG_000)
    changed = rich_record()
    changed.figures[0].value, changed.figures[0].text = 9999.0, "9999"
    written = []

    def fail_after_three(name):
        written.append(name)
        if len(written) == 4:
            raise OSError("disk full")

    with pytest.raises(OSError):
        build([Outcome("reports/a.txt", changed)], tmp_path, before_file=fail_after_three)
    assert tree(tmp_path / SLUG_000) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", SLUG_000]


def test_kill_mid_write_keeps_previous_version(tmp_path):
    build([Outcome("reports/a.txt", rich_record())], tmp_path)
    before = tree(tmp_path / SLUG_000)
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from juesuan.extract import Outcome
        from juesuan.package import build_packages
        from test_package import rich_record
        r = rich_record()
        r.figures[0].value, r.figures[0].text = 9999.0, "9999"
        count = []
        def hook(name):
            count.append(name)
            if len(count) == 5:
                os.kill(os.getpid(), signal.SIGKILL)
        build_packages([Outcome("reports/a.txt", r)], Path({str(tmp_path)!r}), before_file=hook)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert tree(tmp_path / SLUG_000) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".juesuan-")]
    assert leftovers  # the killed run's temporary folder…
    build([Outcome("reports/a.txt", rich_record())], tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".juesuan-")]  # …is cleaned up next time
    assert tree(tmp_path / SLUG_000) == before


@pytest.mark.parametrize("department,district", [
    ("../../x", None), ("<script>alert(1)</script>", "/etc"), ("..", ".."), ("a/b\\c", "C:\\tmp"),
    ("\x00局", "区\n"), ("", None),
])
def test_hostile_names_stay_inside(tmp_path, department, district):
    outside = tmp_path / "outside"
    packages = tmp_path / "deep" / "packages"
    r = rich_record()
    r.identity.department, r.identity.district, r.identity.province = department, district, "../"
    summary = build([Outcome("reports/../../evil.txt", r)], packages)
    assert len(summary.written) == 1
    name = summary.written[0]
    assert all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in name)
    assert not outside.exists()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(packages in p.parents for p in files)


def test_hostile_text_still_validates(tmp_path):
    outcomes = []
    for n, name in enumerate(("../../x", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "a/b\\c", "\x00局")):
        r = rich_record()
        r.identity.department, r.identity.fiscal_year = name, 2000 + n
        r.source_file.sha256 = f"{n}" * 64
        r.identity.short_names = [name]
        outcomes.append(Outcome(f"reports/{n}.txt", r))
    summary = build(outcomes, tmp_path)
    assert len(summary.written) == 5
    assert validate_packages(tmp_path, echo=None).errors == 0
    reports = (tmp_path / "catalog" / "reports.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|" in reports


def test_committed_datapackages_are_current(tmp_path):
    """Fails when datapackages/ is stale against reports/: run `juesuan package` and commit."""
    committed = ROOT / "datapackages"
    assert committed.is_dir(), "datapackages/ is missing: run `juesuan package` and commit it"
    from juesuan.extract import extract_many, find_reports

    outcomes = extract_many(find_reports([ROOT / "reports"]), jobs=1)
    build_packages(outcomes, tmp_path, reports_root=ROOT / "reports")
    fresh, old = tree(tmp_path), tree(committed)
    stale = sorted(k for k in fresh.keys() | old.keys() if fresh.get(k) != old.get(k))
    assert not stale, f"datapackages/ is stale ({len(stale)} files differ, e.g. {stale[:5]}): run `juesuan package`"
