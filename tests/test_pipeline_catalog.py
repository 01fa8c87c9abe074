"""Rebuilds of the catalog: validation reuses what it judged before only where the bytes are the
bytes it judged, so a rebuild checks the changed report's rows, and anything tampered with is
still caught; the incremental catalog equals a clean one byte for byte."""

from __future__ import annotations

import pytest

from juesuan.checks.validate import validate_packages
from juesuan.package import build_packages
from test_package import SLUG_000, tree
from test_package_incremental import OTHER, outcomes


@pytest.fixture
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def _lines(out, resource="figures"):
    return (out / "catalog" / f"{resource}.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)


def _write(out, lines, resource="figures"):
    (out / "catalog" / f"{resource}.csv").write_text("".join(lines), encoding="utf-8-sig")


def _rebuilt(tmp_path, cache):
    """Packages built and validated, then rebuilt after OTHER changed (validated again)."""
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    build_packages(outcomes(changed=True), out, cache_dir=cache)
    return out


def _spy_rows(monkeypatch):
    """The reports whose catalog rows are compared with their package in this run."""
    import juesuan.checks.batch as batch

    compared: list[str] = []
    real = batch.OwnRows.same_rows

    def spy(self, package, *a):
        compared.append(package)
        return real(self, package, *a)

    monkeypatch.setattr(batch.OwnRows, "same_rows", spy)
    return compared


def test_a_rebuild_reads_only_the_changed_reports_catalog_rows(tmp_path, cache, monkeypatch):
    out = _rebuilt(tmp_path, cache)
    compared = _spy_rows(monkeypatch)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    assert compared and set(compared) == {OTHER}
    # and the incremental catalog is the clean build's, byte for byte
    fresh = tmp_path / "fresh"
    build_packages(outcomes(changed=True), fresh, cache_dir=None)
    assert tree(fresh / "catalog") == tree(out / "catalog")


@pytest.mark.parametrize("breakage", ["cell", "key", "run_twice", "row_twice", "build_report"])
def test_a_tampered_catalog_is_caught_after_a_rebuild(tmp_path, cache, breakage):
    """The unchanged report's rows were judged clean before; changed bytes there are judged again."""
    out = _rebuilt(tmp_path, cache)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    lines = _lines(out)
    mine = [i for i, line in enumerate(lines) if line.startswith(SLUG_000 + ",")]
    assert mine
    if breakage == "cell":  # a value that is not a number
        lines[mine[0]] = lines[mine[0]].replace(",1911.53,", ",lots,", 1)
        assert ",lots," in lines[mine[0]]
    elif breakage == "key":  # fiscal_year must be an integer
        lines[mine[0]] = lines[mine[0]].replace(",2022,", ",二〇二二,", 1)
    elif breakage == "run_twice":  # every row of the report again, at the end: (package, n) not unique
        lines += [lines[i] for i in mine]
    elif breakage == "row_twice":  # one row repeated inside its own run
        lines.insert(mine[0] + 1, lines[mine[0]])
    if breakage == "build_report":  # a table of the catalog's own, judged whole before
        rows = _lines(out, "build_report")
        rows[1] = rows[1].replace(",ok,", ",maybe,", 1)
        assert ",maybe," in rows[1]
        _write(out, rows, "build_report")
    else:
        _write(out, lines)
    errors = {p.name: p.errors for p in validate_packages(out, echo=None, cache_dir=cache).packages}
    assert errors["catalog"], errors
    assert not errors[SLUG_000] and not errors[OTHER]


def test_a_report_whose_row_count_changed_shifts_the_others_and_they_are_reused(tmp_path, cache, monkeypatch):
    out = tmp_path / "pk"
    build_packages(outcomes(), out, cache_dir=cache)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    # drop OTHER's rows from the catalog and put them back: every byte judged, only positions move
    lines = _lines(out)
    theirs = [line for line in lines if line.startswith(OTHER + ",")]
    rest = [line for line in lines if not line.startswith(OTHER + ",")]
    _write(out, rest[:1] + theirs + rest[1:])
    compared = _spy_rows(monkeypatch)
    assert validate_packages(out, echo=None, cache_dir=cache).errors == 0
    assert compared == []  # both runs of rows were recognised where they now are


@pytest.mark.parametrize("multiline", [False, True])
def test_cutting_a_catalog_csv_into_runs_reads_the_rows_the_plain_reader_reads(tmp_path, multiline):
    import csv
    import io

    import juesuan.checks.batch as batch

    class Nothing:  # no earlier verdicts: every run is parsed
        old, new, known, keys = {}, {}, {}, {}

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["package", "n", "text"])
    for p in range(30):
        for k in range(1 + p % 4):
            writer.writerow([f"report-{p}", k, f"第{k}行\n续" if multiline and p % 9 == 3 else f"值,{k}"])
    path = tmp_path / "figures.csv"
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    header, rows, error = batch._read_rows(path)
    assert error is None and len(rows) == sum(1 + p % 4 for p in range(30))
    runs = batch.Segments(Nothing(), "catalog\x1ffigures", "{}", "-", None).split(path, header)
    assert [value for value, _, _ in runs] == [f"report-{p}" for p in range(30)]
    assert [row for _, numbered, _ in runs for _, row in numbered] == rows
    assert [n for _, numbered, _ in runs for n, _ in numbered] == list(range(2, len(rows) + 2))
    # the runs' byte lengths add up to the file after its header
    assert sum(segment[0] for _, _, segment in runs) == len(path.read_bytes()) - len("\ufeffpackage,n,text\n".encode())
    # a report whose rows are not together is not cut into runs (its key could repeat unseen)
    path.write_bytes(path.read_bytes() + "report-0,9,x\n".encode("utf-8"))
    assert batch.Segments(Nothing(), "catalog\x1ffigures", "{}", "-", None).split(path, header) is None
