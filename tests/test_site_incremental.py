"""Incremental site builds: after one package changes, the rebuilt site equals a clean build, byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from juesuan.site import build_site

FIXTURE = Path(__file__).parent / "data" / "site" / "datapackages"
CHANGED = "sichuan-panzhihua-kexuejishuju-2022"
CHANGED_PAGE = "sichuan/panzhihua/kexuejishuju/2022/index.html"
UNCHANGED_PAGE = "sichuan/panzhihua/kexuejishuju/2021/index.html"


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def set_expenditure_total(folder: Path, value: float) -> None:
    """Change 本年支出合计 in the package's JSON twin (the file the site reads), as a re-packaged report would."""
    path = folder / "figures.json"
    rows = json.loads(path.read_text(encoding="utf-8-sig"))
    for r in rows:
        if r.get("metric") == "expenditure_total":
            r["value"], r["value_text"] = value, f"{value:.2f}"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """A site built, one package changed, then rebuilt in place; and a clean build of the changed packages."""
    tmp = tmp_path_factory.mktemp("incremental")
    packages = tmp / "packages"
    shutil.copytree(FIXTURE, packages)
    site, cache = tmp / "site", tmp / "cache"
    said: list[str] = []
    build_site(packages, site, echo=said.append, cache_dir=cache)
    before = {p: (site / p).stat().st_mtime_ns for p in (CHANGED_PAGE, UNCHANGED_PAGE)}
    set_expenditure_total(packages / CHANGED, 1900.5)
    build_site(packages, site, echo=said.append, cache_dir=cache)
    clean = tmp / "clean"
    build_site(packages, clean, echo=lambda s: None, cache_dir=tmp / "clean-cache", incremental=False)
    return {"site": site, "clean": clean, "said": said, "before": before, "packages": packages, "cache": cache}


def test_rebuild_is_dirty_and_renders_only_changed_pages(rebuilt):
    site = rebuilt["site"]
    assert "all pages" in rebuilt["said"][0] and "dirty" in rebuilt["said"][1], rebuilt["said"]
    assert "1 packages changed" in rebuilt["said"][1]
    assert (site / UNCHANGED_PAGE).stat().st_mtime_ns == rebuilt["before"][UNCHANGED_PAGE], "unchanged page rendered again"
    assert (site / CHANGED_PAGE).stat().st_mtime_ns != rebuilt["before"][CHANGED_PAGE]
    assert "1900.50" in (site / CHANGED_PAGE).read_text(encoding="utf-8")


def test_rebuilt_site_equals_clean_build(rebuilt):
    built, clean = tree(rebuilt["site"]), tree(rebuilt["clean"])
    assert sorted(built) == sorted(clean)
    differ = [p for p in built if built[p] != clean[p]]
    assert not differ, differ[:10]
    # The department page and the indexes carry the new figure too.
    assert "1,900.5" in (rebuilt["site"] / "sichuan/panzhihua/kexuejishuju/index.html").read_text(encoding="utf-8") \
        or "1900.5" in (rebuilt["site"] / "sichuan/panzhihua/kexuejishuju/index.html").read_text(encoding="utf-8")
    index = json.loads((rebuilt["site"] / "search/search_index.json").read_text(encoding="utf-8"))
    assert {d["location"].split("#")[0] for d in index["docs"]} >= {"sichuan/panzhihua/kexuejishuju/2021/",
                                                                    "sichuan/panzhihua/kexuejishuju/2022/"}


def test_removed_package_leaves_no_page(rebuilt, tmp_path):
    packages, site = rebuilt["packages"], rebuilt["site"]
    shutil.rmtree(packages / "hostile-2023")
    said: list[str] = []
    build_site(packages, site, echo=said.append, cache_dir=rebuilt["cache"])
    assert "all pages" in said[0]  # a removal needs a clean build: a dirty one would leave the old page
    assert not (site / "script").exists()
