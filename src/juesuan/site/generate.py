"""Everything the site adds to MkDocs from `datapackages/`: pages, data files, assets, nav, search words.

Used by the MkDocs hook (`mkdocs_hooks.py`); pages are generated in memory, never written
under docs/, so builds into different folders can run side by side.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import overview, report_page, safe, search_dict
from .html import stashing
from .load import Packages, _path_slug, load_packages

ASSETS = Path(__file__).parent / "assets"
DATA = Path(__file__).parent.parent / "data"
ECHARTS = Path("node_modules/echarts/dist/echarts.min.js")
GENERATED_PAGES = {"departments.md": "部门一览", "compare.md": "比较", "downloads.md": "下载数据",
                   "data-dictionary.md": "数据字典"}
KNOWN_DOCS = [("index.md", "首页"), ("departments.md", "部门一览"), ("compare.md", "比较"),
              ("downloads.md", "下载"), ("methodology.md", "方法"), ("metrics.md", "指标"),
              ("performance.md", "性能"), ("about.md", "关于")]


class SiteError(Exception):
    """The site cannot be built; the message says what to do."""


@dataclass
class Build:
    """State of one site build: the packages, generated pages and where temporary files live."""

    root: Path  # repository root (folder of mkdocs.yml)
    packages: Packages
    tmp: Path
    site_url: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # src_uri → markdown
    files: dict[str, Path] = field(default_factory=dict)  # site path → file on disk
    blocks: dict[str, str] = field(default_factory=dict)  # placeholder key → HTML put back after MkDocs


def echarts_path(root: Path) -> Path:
    p = root / ECHARTS
    if not p.is_file():
        raise SiteError(f"ECharts is missing ({p}): run `make install` (npm ci) in {root} first")
    return p


def _zip(folder: Path, dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f in sorted(folder.iterdir()):
            if f.is_file() and not f.is_symlink():
                z.write(f, f"{folder.name}/{f.name}")
    return dest


def prepare(root: Path, packages_dir: Path, site_url: str = "") -> Build:
    """Load the packages and generate every page and data file (in memory / a temp folder)."""
    pk = load_packages(packages_dir)
    b = Build(root=root, packages=pk, tmp=Path(tempfile.mkdtemp(prefix="juesuan-site-")), site_url=site_url)
    labels = DATA / "metrics.csv"
    if labels.is_file():
        with labels.open(encoding="utf-8-sig", newline="") as fh:
            report_page.METRIC_LABELS.update({r["metric"]: r["label"] for r in csv.DictReader(fh)})

    by_dept: dict[str, list] = {}
    with stashing(b.blocks):
        for p in pk.reports:
            b.pages[p.page_dir + "/index.md"] = report_page.report_page(p, site_url)
            by_dept.setdefault(p.department_dir, []).append(p)
        for d, reps in by_dept.items():
            b.pages[d + "/index.md"] = overview.department_page(reps, site_url)
        b.pages["departments.md"] = overview.departments_index(pk)
        b.pages["compare.md"] = overview.compare_page(pk)
        b.pages["downloads.md"] = overview.downloads_page(pk)
        b.pages["data-dictionary.md"] = overview.data_dictionary(pk)

    for p in pk.reports + ([pk.catalog] if pk.catalog else []):
        d = report_page.data_dir(p)
        b.files[d + "datapackage.json"] = p.path / "datapackage.json"
        for res in p.resources.values():
            for f in (res.csv_path, res.json_path):
                if f is not None:
                    b.files[d + report_page.file_name(f)] = f
        zname = report_page.zip_path(p)
        b.files[zname] = _zip(p.path, b.tmp / Path(zname).name)

    b.files["assets/javascripts/echarts.min.js"] = echarts_path(root)
    for f in ("juesuan.js", "juesuan.css"):
        b.files[f"assets/juesuan/{f}"] = ASSETS / f
    b.files["_jieba_dict.txt"] = search_dict.write(pk, b.tmp / "jieba_dict.txt", DATA / "classification.csv")
    del b.files["_jieba_dict.txt"]  # loaded by the search plugin, not published
    return b


def nav(b: Build, docs_dir: Path) -> list[Any]:
    """Explicit navigation: site pages first, then reports grouped region → department → year."""
    present = {p.name for p in docs_dir.glob("*.md")} | set(GENERATED_PAGES)
    out: list[Any] = []
    for name, title in KNOWN_DOCS:
        if name == "downloads.md":
            out.append({"下载": ["downloads.md", {"数据字典": "data-dictionary.md"}]})
        elif name in present:
            out.append({title: name})
    known = {n for n, _ in KNOWN_DOCS}
    extra = sorted(p for p in present if p not in known and p not in GENERATED_PAGES)
    out += [{Path(p).stem: p} for p in extra]
    dev = sorted(docs_dir.glob("developers/*.md"))
    if dev:
        out.append({"开发者": [{_doc_title(p): f"developers/{p.name}"} for p in dev]})
    if b.packages.reports:
        out.append({"报告": report_nav(b.packages.reports)})
    return out


def report_nav(reports: list) -> list[Any]:
    """报告 → province → city/district → department → years.

    With `navigation.prune` a page carries the provinces, their cities and only the open city's
    departments: one level per region part keeps that small at thousands of reports (a flat
    region level put every department of every region into every page).
    """
    tree: dict[str, dict[str, dict[str, list]]] = {}
    for p in reports:
        parts = p.region_parts or [p.region]
        tree.setdefault(parts[0], {}).setdefault(" ".join(parts[1:]), {}).setdefault(p.department_dir, []).append(p)

    def departments(depts: dict[str, list]) -> list[Any]:
        items = []
        for d, reps in depts.items():
            children: list[Any] = [f"{d}/index.md"]
            children += [{safe.title(f"{p.year or '年度未知'}年度"): p.page_dir + "/index.md"}
                         for p in sorted(reps, key=lambda p: p.year or 0, reverse=True)]
            items.append({safe.title(reps[0].department, 60): children})
        return items

    out: list[Any] = []
    for province, places in tree.items():
        items: list[Any] = []
        for place, depts in places.items():
            if place:
                items.append({safe.title(place, 60): departments(depts)})
            else:
                items += departments(depts)
        out.append({safe.title(province, 60): items})
    return out


def _doc_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return safe.title(line[2:], 60)
    return path.stem


def cleanup(b: Build) -> None:
    shutil.rmtree(b.tmp, ignore_errors=True)


def packages_dir_for(config: Any) -> Path:
    import os

    root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    v = (config.extra or {}).get("juesuan_packages_dir") or os.environ.get("JUESUAN_PACKAGES") or "datapackages"
    p = Path(v)
    return p if p.is_absolute() else root / p


__all__ = ["Build", "SiteError", "prepare", "nav", "cleanup", "packages_dir_for", "_path_slug"]
