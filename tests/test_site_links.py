"""Every link of the built site leads somewhere, and the listing pages split by region at many reports.

The fixture has 6 report packages; lowering `overview.SPLIT_OVER` below that builds the site as it is
built for thousands of reports (部门一览, 比较 and 下载 list regions, each region gets its own page).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from juesuan.site import build_site, overview
from juesuan.site.load import load_packages

FIXTURE = Path(__file__).parent / "data" / "site" / "datapackages"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if tag in ("a", "link", "script", "img") and a.get(key):
                self.hrefs.append(a[key])


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) of every relative link in the site's pages that names no file of the site."""
    out = []
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                out.append((str(page.relative_to(site)), href))
    return out


def reports_linked(page: Path) -> set[str]:
    html = page.read_text(encoding="utf-8")
    return {(page.parent / h).resolve().as_posix() for h in re.findall(r'href="([^"#]+/20\d\d/)"', html)}


@pytest.fixture(scope="module")
def one_page_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(FIXTURE, out, echo=lambda s: None, cache_dir=tmp_path_factory.mktemp("cache"))
    return out


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("split")
    mp = pytest.MonkeyPatch()
    mp.setattr(overview, "SPLIT_OVER", 2)
    try:
        build_site(FIXTURE, out, echo=lambda s: None, cache_dir=tmp_path_factory.mktemp("cache"))
    finally:
        mp.undo()
    return out


def test_every_link_of_the_site_leads_to_a_file(one_page_site: Path):
    assert broken_links(one_page_site) == []


def test_listing_pages_link_every_report(one_page_site: Path):
    n = len(load_packages(FIXTURE).reports)
    for page in ["departments", "compare", "downloads"]:
        assert len(reports_linked(one_page_site / page / "index.html")) == n, page


def test_at_many_reports_listing_pages_split_by_region(split_site: Path):
    pk = load_packages(FIXTURE)
    regions = {p.region_path for p in pk.reports}
    assert len(regions) > 1
    for kind in ["departments", "compare", "downloads"]:
        index = (split_site / kind / "index.html").read_text(encoding="utf-8")
        # the index links each region's page and no report
        for rp in regions:
            assert (split_site / kind / rp / "index.html").is_file(), (kind, rp)
        assert not reports_linked(split_site / kind / "index.html"), kind
        # together the regions' pages link every report once
        linked = [r for rp in regions for r in reports_linked(split_site / kind / rp / "index.html")]
        assert len(linked) == len(set(linked)) == len(pk.reports), kind
        assert "报告数" in index
    assert broken_links(split_site) == []


def test_catalog_zip_holds_descriptor_csv_and_json(tmp_path):
    """The site's one zip: every report's rows as CSV and as JSON, with the catalog's descriptor."""
    import zipfile

    from juesuan.site.generate import _zip

    catalog = Path(__file__).parent.parent / "datapackages" / "catalog"
    _zip(catalog, tmp_path / "catalog.zip")
    names = set(zipfile.ZipFile(tmp_path / "catalog.zip").namelist())
    assert "catalog/datapackage.json" in names
    for f in catalog.glob("*.csv"):
        assert f"catalog/{f.name}" in names and f"catalog/{f.stem}.json" in names, f.name


def test_pages_made_beside_mkdocs_equal_pages_made_before_it(nine_packages, tmp_path, monkeypatch):
    """With worker processes, MkDocs reads each report page's Markdown first and its HTML is added while
    MkDocs writes; without them everything is written first. Both give the same site, byte for byte.

    Nine packages: enough for the worker pool, and the copies claim pages already taken (`nine_packages`).
    """
    import filecmp

    from juesuan.site import generate
    from juesuan.site.html import split_blocks
    from juesuan.site.load import load_package

    packages = nine_packages
    # The Markdown MkDocs reads first (in memory, from the report's job) is that of the page file the job writes.
    work = tmp_path / "job"
    for folder in sorted(packages.iterdir()):
        pkg = load_package(folder)
        summary, _, words, markdown = generate._report_job(str(folder), str(work), "", False)
        page = (work / "docs" / pkg.page_dir / "index.md").read_text(encoding="utf-8")
        assert split_blocks(page)[0] == markdown and split_blocks(page)[1], folder.name
        assert summary["slug"] == folder.name and words

    beside = tmp_path / "beside"
    build_site(packages, beside, echo=lambda s: None, cache_dir=tmp_path / "c1")
    monkeypatch.setattr(generate, "_pool", lambda n: None)
    before = tmp_path / "before"
    build_site(packages, before, echo=lambda s: None, cache_dir=tmp_path / "c2")

    def differences(cmp: filecmp.dircmp) -> list[str]:
        out = [f"{cmp.left}/{n}" for n in cmp.diff_files + cmp.left_only + cmp.right_only + cmp.funny_files]
        for sub in cmp.subdirs.values():
            out += differences(sub)
        return out

    filecmp.clear_cache()
    assert differences(filecmp.dircmp(beside, before)) == []
    for copy in sorted(p.name for p in packages.iterdir() if "-copy-" in p.name):  # each copy has a page of its own
        assert [p for p in beside.rglob(f"{copy}/*/index.html") if "data" not in p.parts], copy
