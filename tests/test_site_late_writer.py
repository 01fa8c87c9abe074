"""A clean build with workers renders the pages across reports in a second process (the late writer).

What goes wrong there must fail the build as it would in MkDocs' own loop: a broken link in such
a page is a strict-mode warning, an exception is an error naming the page, and nothing is half-published
as a success.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan.site import SiteError, build_site, generate, overview

FIXTURE = Path(__file__).parent / "data" / "site" / "datapackages"


@pytest.fixture()
def nine_packages(tmp_path) -> Path:
    """Nine packages (the worker pool starts at eight): the fixture's, each also copied twice."""
    packages = tmp_path / "packages"
    for src in sorted(p for p in FIXTURE.iterdir() if p.is_dir()):
        for suffix in ("", "-copy-a", "-copy-b"):
            shutil.copytree(src, packages / (src.name + suffix))
    assert generate._pool(9) is not None
    return packages


def test_the_late_writer_renders_the_pages_across_reports(nine_packages, tmp_path, monkeypatch):
    import os

    record = tmp_path / "late.txt"
    real = generate.aggregate_and_save

    def spy(b):
        record.write_text(f"{os.getpid()} {b.late_apart}", encoding="utf-8")
        real(b)

    monkeypatch.setattr(generate, "aggregate_and_save", spy)
    site = tmp_path / "site"
    build_site(nine_packages, site, echo=lambda s: None, cache_dir=tmp_path / "cache")
    pid, apart = record.read_text(encoding="utf-8").split()
    assert int(pid) != os.getpid() and apart == "True"  # in the forked writer of the late pages
    assert "比较" in (site / "compare" / "index.html").read_text(encoding="utf-8")
    assert (site / "departments" / "index.html").is_file()


def test_a_broken_link_in_a_late_page_fails_the_strict_build(nine_packages, tmp_path, monkeypatch):
    real = overview.compare_page
    monkeypatch.setattr(overview, "compare_page", lambda pk: real(pk) + "\n\n[gone](no-such-page.md)\n")
    with pytest.raises(SiteError, match="no-such-page.md"):
        build_site(nine_packages, tmp_path / "site", echo=lambda s: None, cache_dir=tmp_path / "cache")


def test_an_error_in_the_late_writer_fails_the_build_with_its_reason(nine_packages, tmp_path, monkeypatch):
    def broken(pk):
        raise ValueError("the compare page cannot be made")

    monkeypatch.setattr(overview, "compare_page", broken)
    with pytest.raises(SiteError, match="the compare page cannot be made"):
        build_site(nine_packages, tmp_path / "site", echo=lambda s: None, cache_dir=tmp_path / "cache")
