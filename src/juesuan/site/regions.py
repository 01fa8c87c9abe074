"""Region index pages (province → city → district) and the breadcrumbs of report pages.

Report and department pages stay out of MkDocs' nav (a nav holding every report made each page
carry thousands of links and most of the build's time); they are reached from these index
pages, which list them grouped by region, department and year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import safe
from .html import raw, rel, table
from .load import Package

REGIONS_PAGE = "regions.md"  # the 地区 overview, in the nav


@dataclass
class Region:
    """One node of the region tree: its site folder, printed name and what it holds."""

    path: str  # e.g. "sichuan/panzhihua"
    name: str  # e.g. "攀枝花市"
    children: dict[str, "Region"] = field(default_factory=dict)
    reports: list[Package] = field(default_factory=list)  # reports of this exact region

    def all_reports(self) -> list[Package]:
        out = list(self.reports)
        for c in self.children.values():
            out += c.all_reports()
        return out

    def walk(self):
        yield self
        for c in self.children.values():
            yield from c.walk()


def tree(reports: list[Package]) -> Region:
    """The region tree of the reports, keyed by the pieces of their region_path."""
    root = Region("", "全部地区")
    for p in reports:
        node = root
        for path, name in names(p):
            node = node.children.setdefault(path.rsplit("/", 1)[-1], Region(path, name))
        node.reports.append(p)
    return root


def page_paths(root: Region, taken: set[str]) -> dict[str, Region]:
    """Site folder → region, for every region whose folder is not a department's page."""
    return {r.path: r for r in root.walk() if r.path and r.path not in taken}


def names(pkg: Package) -> list[tuple[str, str]]:
    """(site folder, printed name) of each level of the package's region, from the package alone."""
    pieces = pkg.region_path.split("/")
    parts = pkg.region_parts
    labels = parts if len(parts) == len(pieces) else pieces[:-1] + [pkg.region]
    return [("/".join(pieces[: i + 1]), labels[i]) for i in range(len(pieces))]


def breadcrumbs(pkg: Package, here: str, *, department: bool = True) -> str:
    """地区 › 省 › 市 › 区 (› 部门) links for the top of a report or department page.

    Built from the package alone, so a report page does not change when other reports do.
    """
    parts = [f'<a href="{rel(here, "regions/")}">地区</a>']
    parts += [f'<a href="{rel(here, path + "/")}">{safe.text(name)}</a>' for path, name in names(pkg)]
    if department:
        parts.append(f'<a href="{rel(here, pkg.department_dir + "/")}">{safe.text(pkg.department)}</a>')
    return raw('<nav class="js-crumbs" aria-label="位置">' + " › ".join(parts) + "</nav>")


def _years(reports: list[Package], here: str) -> str:
    return " ".join(f'<a href="{rel(here, p.page_dir + "/")}">{safe.text(p.year or "年度未知")}</a>'
                    for p in sorted(reports, key=lambda p: p.year or 0, reverse=True))


def _departments(reports: list[Package], here: str) -> str:
    by_dept: dict[str, list[Package]] = {}
    for p in reports:
        by_dept.setdefault(p.department_dir, []).append(p)
    rows = [[f'<a href="{rel(here, d + "/")}">{safe.text(reps[0].department)}</a>', _years(reps, here)]
            for d, reps in sorted(by_dept.items(), key=lambda kv: kv[1][0].department)]
    return table(["部门", "年度（决算报告）"], rows)


def region_page(r: Region, regions: dict[str, Region]) -> str:
    """A region's page: its sub-regions, then every department with links to each year's report."""
    here = r.path + "/"
    pieces = r.path.split("/")
    crumbs = [f'<a href="{rel(here, "regions/")}">地区</a>']
    for i in range(len(pieces) - 1):
        up = regions.get("/".join(pieces[: i + 1]))
        if up is not None:
            crumbs.append(f'<a href="{rel(here, up.path + "/")}">{safe.text(up.name)}</a>')
    n = len(r.all_reports())
    out = [f"---\ntitle: {safe.yaml_string(safe.title(r.name))}\n---\n",
           raw('<nav class="js-crumbs" aria-label="位置">' + " › ".join(crumbs) + "</nav>"),
           f"# {safe.text(r.name)} {{#title data-search-exclude=\"1\"}}\n\n共 {n} 份决算报告。\n"]
    if r.children:
        rows = [[f'<a href="{rel(here, c.path + "/")}">{safe.text(c.name)}</a>' if c.path in regions else safe.text(c.name),
                 str(len(c.all_reports()))] for c in r.children.values()]
        out.append('## 下辖地区 {#sub data-search-exclude="1"}\n' + raw(table(["地区", "报告数"], rows)))
    if r.reports:
        out.append('## 本级部门 {#departments data-search-exclude="1"}\n' + raw(_departments(r.reports, here)))
    for c in r.children.values():
        if c.path not in regions:  # no page of its own (its folder is a department's): listed here
            out.append(f'## {safe.text(c.name)} {{data-search-exclude="1"}}\n' + raw(_departments(c.all_reports(), here)))
    return "\n".join(out)


def regions_overview(root: Region, regions: dict[str, Region]) -> str:
    """The 地区 page: every province, city and district with its number of reports."""
    here = "regions/"
    out = ["---\ntitle: 地区\n---\n\n# 地区\n\n按地区浏览全部决算报告：省 → 市 → 区县 → 部门 → 年度。\n"]
    rows = []
    for r in root.walk():
        if not r.path:
            continue
        depth = r.path.count("/")
        name = safe.text(r.name)
        cell = f'<a href="{rel(here, r.path + "/")}">{name}</a>' if r.path in regions else name
        rows.append([f'<span class="js-depth-{min(depth, 3)}">{cell}</span>', str(len(r.all_reports()))])
    out.append(raw(table(["地区", "报告数"], rows)))
    return "\n".join(out)


def nav(root: Region, regions: dict[str, Region]) -> list:
    """地区 in the nav: the overview page and one entry per province (deeper pages are linked from those)."""
    items: list = [REGIONS_PAGE]
    for r in root.children.values():
        if r.path in regions:
            items.append({safe.title(r.name, 60): r.path + "/index.md"})
    return items
