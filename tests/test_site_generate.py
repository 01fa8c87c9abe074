"""Small parts of the site generator, checked against the plain way of doing the same."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from juesuan.site.generate import count_rows, publish_data

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


def test_squeeze_lines_is_the_newline_run_regex():
    """The line-by-line squeeze gives exactly what the regex it replaces gives, on every mix of whitespace."""
    import random

    from juesuan.site.html import _NEWLINE_RUN, _squeeze_lines

    alphabet = ["a", "中", " ", "\t", "\r", "\n", "\u3000", "\xa0", "\x1c", "\f", "\v", "\u2028", "<"]
    rng = random.Random(5)
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _squeeze_lines(text) == _NEWLINE_RUN.sub("\n", text), repr(text)


def test_squeeze_keeps_verbatim_blocks():
    from juesuan.site.html import squeeze

    page = "<div>\n    <p>a</p>\n\n  </div>\n<pre>  x\n\n  y</pre>\n   <script>\n  var a;\n</script>  \n  end"
    assert squeeze(page) == "<div>\n<p>a</p>\n</div>\n<pre>  x\n\n  y</pre>\n<script>\n  var a;\n</script>\nend"


def test_publish_data_copies_and_leaves_the_package_file_untouched(tmp_path):
    """A hard link would change the source's ctime, which the package and validation caches take
    for a possible edit (every rebuild then re-checked every package), and would let an edit of the
    site write into datapackages/."""
    src = tmp_path / "pk" / "a.csv"
    src.parent.mkdir()
    src.write_bytes(b"x\n1\n")
    before = src.stat()
    site = tmp_path / "site"
    assert publish_data(site, {"data/r/a.csv": src}) == 1
    dest = site / "data/r/a.csv"
    assert dest.read_bytes() == b"x\n1\n"
    after = src.stat()
    assert dest.stat().st_ino != after.st_ino and after.st_nlink == 1
    assert (after.st_ctime_ns, after.st_mtime_ns) == (before.st_ctime_ns, before.st_mtime_ns)
