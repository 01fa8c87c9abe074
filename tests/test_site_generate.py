"""Small parts of the site generator, checked against the plain way of doing the same."""

from __future__ import annotations

import csv
import os
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


def _rewrite_as_the_packager_does(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(data)
    tmp.replace(path)


def test_publish_data_links_and_a_rewritten_package_leaves_the_site_file_alone(tmp_path):
    src = tmp_path / "pk" / "a.csv"
    src.parent.mkdir()
    src.write_bytes(b"x\n1\n")
    site = tmp_path / "site"
    assert publish_data(site, {"data/r/a.csv": src}) == 1
    dest = site / "data/r/a.csv"
    assert dest.read_bytes() == b"x\n1\n"
    assert dest.stat().st_ino == src.stat().st_ino  # a link, not a copy

    _rewrite_as_the_packager_does(src, b"x\n2\n")
    assert dest.read_bytes() == b"x\n1\n"  # the last build's site keeps its bytes
    assert publish_data(site, {"data/r/a.csv": src}, only=set()) == 0  # unchanged and present: left alone
    assert publish_data(site, {"data/r/a.csv": src}, only={"data/r/a.csv"}) == 1
    assert dest.read_bytes() == b"x\n2\n"
    assert dest.stat().st_ino == src.stat().st_ino


def test_publish_data_copies_where_links_fail_without_writing_into_the_old_link(tmp_path, monkeypatch):
    old = tmp_path / "pk" / "old.csv"
    old.parent.mkdir()
    old.write_bytes(b"old\n")
    site = tmp_path / "site"
    publish_data(site, {"d/a.csv": old})  # the site's file is a link to old.csv
    new = tmp_path / "pk" / "new.csv"
    new.write_bytes(b"new\n")

    def no_links(*a, **k):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    assert publish_data(site, {"d/a.csv": new, "d/b.csv": new}, only={"d/a.csv", "d/b.csv"}) == 2
    assert (site / "d/a.csv").read_bytes() == (site / "d/b.csv").read_bytes() == b"new\n"
    assert old.read_bytes() == b"old\n"  # the copy replaced the link instead of writing through it
    assert (site / "d/a.csv").stat().st_ino != new.stat().st_ino


@pytest.mark.parametrize("folder", sorted(p for p in PACKAGES.iterdir() if p.name != "catalog"), ids=lambda p: p.name)
def test_a_loaded_package_seen_as_a_summary_is_the_package_loaded_for_one(folder):
    """A report's job loads the whole package once and summarizes `summary.view` of it: the same
    resources, rows and counts as loading only the summary's rows, so the same summary and words."""
    from juesuan.site import search_dict, summary
    from juesuan.site.load import load_package

    seen, loaded = summary.view(load_package(folder)), load_package(folder, summary.ROWS_OF)
    assert list(seen.resources) == list(loaded.resources)
    for name, res in loaded.resources.items():
        other = seen.resources[name]
        assert (other.descriptor, other.rows, other.count, other.csv_path, other.json_path) == \
               (res.descriptor, res.rows, res.count, res.csv_path, res.json_path), name
    assert any(r.count == -1 for r in seen.resources.values()) and any(r.rows for r in seen.resources.values())
    a, b = {}, {}
    assert summary.summarize(seen, a) == summary.summarize(loaded, b) and a == b
    assert search_dict.package_words(seen) == search_dict.package_words(loaded)
