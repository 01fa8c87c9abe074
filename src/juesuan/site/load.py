"""Read `datapackages/` (the only input of the site) into plain objects.

Reads each package's `datapackage.json` and the JSON twin of every resource (falling back to
the CSV). Fields the contract may not fill yet are read defensively: missing → not shown.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

CATALOG = "catalog"


@dataclass
class Resource:
    """One resource of a package: its descriptor, rows and files on disk."""

    name: str
    descriptor: dict[str, Any]
    rows: list[dict[str, Any]]
    csv_path: Path | None
    json_path: Path | None
    count: int | None = None  # number of rows when `rows` holds only some columns (a summary); -1: rows not read

    @property
    def n_rows(self) -> int:
        return self.count if self.count is not None else len(self.rows)


@dataclass
class Package:
    """One data package (a report, or the catalog)."""

    slug: str
    path: Path
    descriptor: dict[str, Any]
    resources: dict[str, Resource] = field(default_factory=dict)
    partial: bool = False  # restored from a summary: only what the pages across reports use
    _figures: dict[str, dict[str, Any] | None] | None = field(default=None, repr=False, compare=False)

    @property
    def meta(self) -> dict[str, Any]:
        m = self.descriptor.get("juesuan")
        return m if isinstance(m, dict) else {}

    def rows(self, name: str) -> list[dict[str, Any]]:
        r = self.resources.get(name)
        return r.rows if r else []

    # Identity, with fallbacks so a sparse package still gets a page.
    @property
    def department(self) -> str:
        return str(self.meta.get("department") or self.descriptor.get("title") or self.slug)

    @property
    def year(self) -> int | None:
        y = self.meta.get("fiscal_year")
        try:
            return int(y) if y is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def region_parts(self) -> list[str]:
        return [str(self.meta[k]) for k in ("province", "city", "district") if self.meta.get(k)]

    @property
    def region(self) -> str:
        return " ".join(self.region_parts) or "（地区未知）"

    @property
    def unit(self) -> str:
        return str(self.meta.get("unit") or "万元")

    @property
    def region_path(self) -> str:
        return self._dirs()[0]

    @property
    def department_slug(self) -> str:
        return self._dirs()[1]

    @property
    def department_dir(self) -> str:
        return self._dirs()[2]

    @property
    def page_dir(self) -> str:
        return self._dirs()[3]

    def _dirs(self) -> tuple[str, str, str, str]:
        m = self.meta
        args = (m.get("region_path"), m.get("department_slug"), self.slug, self.year)
        try:
            return _dirs(*args)
        except TypeError:  # an unhashable value in the metadata
            return _dirs.__wrapped__(*args)

    def figure(self, metric: str) -> dict[str, Any] | None:
        """The first row of `figures` for this metric, preferring rows without a qualifier."""
        if self._figures is None:
            first: dict[str, dict[str, Any]] = {}
            plain: dict[str, dict[str, Any]] = {}
            for r in self.rows("figures"):
                m = r.get("metric")
                if not isinstance(m, str) or number(r.get("value")) is None:
                    continue
                first.setdefault(m, r)
                if not r.get("qualifier"):
                    plain.setdefault(m, r)
            self._figures = {**first, **plain}
        return self._figures.get(metric)

    def value(self, metric: str) -> float | None:
        f = self.figure(metric)
        return number(f.get("value")) if f else None

    def value_wan(self, metric: str) -> float | None:
        """The value in 万元 (for comparisons across reports printed in different units)."""
        v = self.value(metric)
        f = self.figure(metric)
        if v is None or f is None:
            return None
        unit = str(f.get("unit") or self.unit)
        if unit == "元":
            return v / 10000
        if unit == "万元":
            return v
        return None

    @property
    def findings(self) -> dict[str, int]:
        f = self.meta.get("findings")
        out = {"error": 0, "warning": 0, "note": 0}
        if isinstance(f, dict):
            for k in out:
                out[k] = int(number(f.get(k)) or 0)
        elif self.rows("checks"):
            for r in self.rows("checks"):
                sev = str(r.get("severity") or "note")
                out[sev if sev in out else "note"] += 1
        return out


@lru_cache(maxsize=65536)  # the site asks for a page's folders tens of times
def _dirs(region_path: Any, department_slug: Any, slug: str, year: int | None) -> tuple[str, str, str, str]:
    """region_path, department_slug, department_dir and page_dir of a package."""
    region = _path_slug(region_path, "unknown-region", allow_slash=True)
    dept = _path_slug(department_slug, _path_slug(slug, "report"))
    ddir = f"{region}/{dept}"
    return region, dept, ddir, f"{ddir}/{year if year is not None else 'unknown-year'}"


def _path_slug(value: Any, default: str, allow_slash: bool = False) -> str:
    """A safe URL path piece: ASCII letters, digits, `-` `_` `.` (and `/` between pieces)."""
    if not value or not isinstance(value, str):
        return default
    return _path_slug_str(value, default, allow_slash)


@lru_cache(maxsize=65536)  # pages ask for their folder many times; the regex was a tenth of a rebuild
def _path_slug_str(value: str, default: str, allow_slash: bool) -> str:
    pieces = value.split("/") if allow_slash else [value]
    clean = []
    for p in pieces:
        p = re.sub(r"[^a-z0-9_.-]+", "-", p.lower()).strip("-.")
        if p:
            clean.append(p)
    return "/".join(clean) or default


def number(value: Any) -> float | None:
    """A float from a JSON number or CSV text; empty or unreadable → None."""
    # A page asks ~1,000 times: JSON's own floats and ints first, by exact type (bool is not int here).
    t = type(value)
    if t is float:
        return value
    if t is int:
        return float(value)
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def _read_json(path: Path) -> Any:
    """A UTF-8 JSON file, with or without a BOM (bytes to json.loads: ~3x faster than read_text's utf-8-sig codec)."""
    data = path.read_bytes()
    return json.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)


def _read_rows(json_path: Path | None, csv_path: Path | None) -> list[dict[str, Any]]:
    if json_path:
        data = _read_json(json_path)
        if isinstance(data, list):
            return [r for r in data if isinstance(r, dict)]
        if isinstance(data, dict) and isinstance(data.get("data"), list):
            return [r for r in data["data"] if isinstance(r, dict)]
        return []
    if csv_path:
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    return []


def _inside(path: Path, root: Path) -> bool:
    rel = path.relative_to(root) if path.is_relative_to(root) else None
    if rel is not None and ".." not in rel.parts and not path.is_symlink():
        return True  # the common case, without resolving every path (slow at thousands of files)
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def load_package(path: Path, rows_of: set[str] | None = None) -> Package:
    """Read one package folder (its datapackage.json and every resource, or only `rows_of` resources' rows)."""
    descriptor = _read_json(_child(path, "datapackage.json"))
    if not isinstance(descriptor, dict):
        raise ValueError(f"{path}/datapackage.json is not a JSON object")
    pkg = Package(slug=path.name, path=path, descriptor=descriptor)
    with os.scandir(path) as it:  # one listing instead of a few stats per resource
        plain = {e.name for e in it if e.is_file(follow_symlinks=False)}
    for res in descriptor.get("resources") or []:
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            continue
        rel = res.get("path")
        csv_path = json_path = None
        if isinstance(rel, str) and rel.endswith(".csv"):
            twin = rel[:-4] + ".json"
            if rel in plain:  # a plain file directly in the folder
                csv_path = _child(path, rel)
                json_path = _child(path, twin) if twin in plain else None
            else:  # a sub-folder or a symlink: only if it stays inside the package folder
                cand = path / rel
                if _inside(cand, path):
                    csv_path = cand if cand.is_file() else None
                    j = cand.with_suffix(".json")
                    json_path = j if j.is_file() and _inside(j, path) else None
        skip = rows_of is not None and res["name"] not in rows_of
        pkg.resources[res["name"]] = Resource(
            name=res["name"], descriptor=res, rows=[] if skip else _read_rows(json_path, csv_path),
            count=-1 if skip else None, csv_path=csv_path, json_path=json_path,
        )
    return pkg


def _child(folder: Path, name: str) -> Path:
    """`folder / name` for a file name listed in the folder, without pathlib parsing it again.

    Two jobs load every changed package, ~35 paths each, and a rebuild restores every unchanged
    package's summary (300,000 paths at 10,000 reports): `/` parsed each name (a tenth of loading
    besides the JSON, 2 s of a rebuild). `_make_child_relpath` is how pathlib itself makes a
    folder's children (iterdir); any other name, or a Python without it, takes the ordinary way.
    """
    make = getattr(folder, "_make_child_relpath", None)
    if make is None or "/" in name or name in ("", ".", ".."):
        return folder / name
    return make(name)


@dataclass
class Packages:
    """All packages of a build: the reports (sorted) and the catalog, if any."""

    root: Path
    reports: list[Package]
    catalog: Package | None


def load_packages(root: Path) -> Packages:
    """Every `<slug>/datapackage.json` under root; `catalog/` kept apart."""
    root = Path(root)
    if not root.is_dir():
        from ..errors import JuesuanError

        raise JuesuanError(f"no data packages folder at {root}/: run `juesuan package` (or `juesuan build`) first")
    reports: list[Package] = []
    catalog = None
    for d in sorted(p for p in root.iterdir() if (p / "datapackage.json").is_file()):
        pkg = load_package(d)
        if d.name == CATALOG:
            catalog = pkg
        else:
            reports.append(pkg)
    # Two packages claiming the same page: keep the first, the later one gets its slug as page.
    seen: set[str] = set()
    for p in reports:
        if p.page_dir in seen:
            p.descriptor.setdefault("juesuan", {})["department_slug"] = p.slug
        seen.add(p.page_dir)
    reports.sort(key=lambda p: (p.region_path, p.department_slug, p.year or 0))
    return Packages(root=root, reports=reports, catalog=catalog)
