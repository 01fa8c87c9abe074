"""A clean build with workers renders the pages across reports in a second process (the late writer).

What goes wrong there must fail the build as it would in MkDocs' own loop: a broken link in such
a page is a strict-mode warning, an exception is an error naming the page, and nothing is half-published
as a success.
"""

from __future__ import annotations

import pytest

from juesuan.site import SiteError, build_site, generate, late, overview


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


def test_the_late_pages_are_shared_out_each_to_one_process():
    share = late.Share(["a", "b", "c", "d", "e"])
    assert share.take() == 0 and share.take() == 1  # the aggregator starts
    assert not share.claim("a") and not share.claim("b")  # MkDocs' loop arrives: taken already
    assert share.claim("c")  # the next one: MkDocs' loop takes it
    assert share.take() == 3  # the aggregator goes on after it
    assert not share.claim("d") and share.claim("e")
    assert share.take() is None
    assert share.claimed == ["c", "e"]
    assert share.missed({"a", "b", "d"}) == [] and share.missed({"a", "b"}) == ["d"]


@pytest.mark.parametrize("who", ["main process", "late writer", "both"])
def test_the_late_pages_are_the_same_whichever_process_renders_them(nine_packages, files_of, tmp_path, monkeypatch, who):
    """MkDocs' loop renders every late page (the aggregator takes none), the aggregator renders them
    all, or it renders the first half and MkDocs' loop the rest (the overview pages there, the
    province pages here, whose nav shows the overview page's title): the site is byte for byte the
    one built without workers, where MkDocs reads every page before it renders any."""
    import time

    real_take, real_claim = late.Share.take, late.Share.claim

    def first_half(self):
        with self.next.get_lock():
            if self.next.value >= len(self.uris) // 2:
                return None
        return real_take(self)

    def second_half(self, uri):
        while self.next.value < len(self.uris) // 2:
            time.sleep(0.01)
        return real_claim(self, uri)

    # Set here, inherited by the forked aggregator.
    if who == "main process":
        monkeypatch.setattr(late.Share, "take", lambda self: None)
    elif who == "late writer":
        monkeypatch.setattr(late.Share, "claim", lambda self, uri: False)
    else:
        monkeypatch.setattr(late.Share, "take", first_half)
        monkeypatch.setattr(late.Share, "claim", second_half)
    shared = tmp_path / "shared"
    build_site(nine_packages, shared, echo=lambda s: None, cache_dir=tmp_path / "c1")
    monkeypatch.undo()
    monkeypatch.setattr(generate, "_pool", lambda n: None)
    plain = tmp_path / "plain"
    build_site(nine_packages, plain, echo=lambda s: None, cache_dir=tmp_path / "c2")
    a, b = files_of(shared), files_of(plain)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
