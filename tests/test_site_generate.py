"""Small parts of the site generator, checked against the plain way of doing the same."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from juesuan.site.generate import count_rows

PACKAGES = Path(__file__).parent.parent / "datapackages"


def csv_records(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


@pytest.mark.parametrize("text, rows", [
    ("a,b\n1,2\n", 1),
    ("a,b\n1,2", 1),  # no line end after the last record
    ("a,b\r\n1,2\r\n3,4\r\n", 2),
    ('a,b\n"x\ny",2\n', 1),  # a line end inside a quoted field
    ('a,b\n"say ""hi""\n, then go",2\n"",3\n', 2),  # doubled quotes inside a field that spans lines
    ('a\n"""\n"""\n', 1),  # a field that is a quote, a line end and a quote
    ("a,b\n", 0),
    ("", 0),
])
def test_count_rows_counts_records_as_csv_reader_does(tmp_path, text, rows):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    assert count_rows(path) == rows == max(0, csv_records(path))


def test_count_rows_on_every_published_csv():
    paths = sorted(PACKAGES.rglob("*.csv"))
    assert paths
    for path in paths:
        assert count_rows(path) == csv_records(path), path
