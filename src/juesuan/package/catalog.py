"""The catalog package: all reports' main resources in one place, a report index and a build report.

Built by concatenating each report's Fragment (rows already encoded by the report packager), so a
rebuild after one report changed does not re-derive the other reports' rows.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..checks.rules import catalog_rows
from ..settings import LICENSE
from . import schema
from .report import COMBINED, CREATED, Fragment, resource
from .write import csv_bytes, csv_file, descriptor_bytes, json_bytes, json_file

CATALOG = "catalog"
COMBINED_TITLES = {
    "figures": ("全部报告的数字", "所有报告的 figures 资源合在一起，前四列标明报告。"),
    "spending_by_function": ("全部报告的支出明细", "所有报告的 spending_by_function 资源合在一起。"),
    "spending_by_class": ("全部报告的支出结构", "所有报告的 spending_by_class 资源合在一起。"),
    "performance_scores": ("全部报告的绩效自评得分", "所有报告的 performance_scores 资源合在一起。"),
    "checks": ("全部报告的核对发现", "所有报告的 checks 资源合在一起。"),
}


def _key_fields() -> list[dict]:
    return [f.descriptor() for f in schema.REPORT_KEYS]


def build_catalog(fragments: list[Fragment], build_rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """Files of datapackages/catalog/ from every published report's fragment."""
    fragments = sorted(fragments, key=lambda f: f.name)
    files: dict[str, bytes] = {}
    descriptors: list[dict] = []
    names = [f.name for f in fragments]

    report_rows = [f.report_row for f in fragments]
    _add(files, descriptors, resource("reports", schema.reports(), "报告目录",
                                      "每份已发布的报告一行：部门、地区、年度和关键数字。", ["package"]), report_rows)

    key_fk = [{"fields": ["package"], "reference": {"resource": "reports", "fields": ["package"]}}]
    for res in COMBINED:
        fields: list[dict] = fragments[0].combined[res][0] if fragments else _empty_fields(res)
        if res == "figures" and fragments:
            enum: list[str] = []
            seen: set[str] = set()
            for fragment in fragments:
                metric = next(f for f in fragment.combined[res][0] if f["name"] == "metric")
                for m in metric["constraints"]["enum"]:
                    if m not in seen:
                        seen.add(m)
                        enum.append(m)
            fields = [dict(f, constraints={**f["constraints"], "enum": enum}) if f["name"] == "metric" else f
                      for f in fields]
        # reports differ in money unit (万元/元): the catalog's unit is per row, in the unit column
        fields = [{k: v for k, v in f.items() if k != "unit" or v in ("%", "分")} for f in fields]
        title, description = COMBINED_TITLES[res]
        d = resource(res, [], title, description, ["package", "n"], key_fk if names else None)
        d["schema"]["fields"] = _key_fields() + list(fields)
        descriptors.append(d)
        csv_lines = [line for f in fragments for line in f.combined[res][1]]
        json_lines = [line for f in fragments for line in f.combined[res][2]]
        files[f"{res}.csv"] = csv_file(d["schema"]["fields"], csv_lines)
        files[f"{res}.json"] = json_file(json_lines)

    _add(files, descriptors, resource("rules", schema.rules(), "核对规则",
                                      "checks 资源中每条规则的 id、级别、标题、说明模板和说明。", ["id"]), catalog_rows())
    _add(files, descriptors, resource("build_report", schema.build_report(), "构建报告",
                                      "每个输入文件一行：是否已发布；未发布时写明原因和处理办法。", ["file"]),
         sorted(build_rows, key=lambda r: r["file"]))

    descriptor = {
        "name": CATALOG,
        "title": "决算数据目录：全部报告",
        "description": "所有已发布报告的数字、支出明细、绩效得分和核对发现合在一起，附报告目录和构建报告。",
        "version": __version__,
        "created": CREATED,
        "licenses": [dict(LICENSE)],
        "sources": [{"title": r["source_file"], **({"path": r["source_url"]} if r["source_url"] else {}),
                     "sha256": r["sha256"]} for r in report_rows],
        "resources": descriptors,
        "juesuan": {"catalog": True, "packages": names, "juesuan_version": __version__},
    }
    files["datapackage.json"] = descriptor_bytes(descriptor)
    return files


def _add(files: dict[str, bytes], descriptors: list[dict], d: dict, rows: list[dict]) -> None:
    descriptors.append(d)
    files[f"{d['name']}.csv"] = csv_bytes(d["schema"]["fields"], rows)
    files[f"{d['name']}.json"] = json_bytes(d["schema"]["fields"], rows)


def _empty_fields(res: str) -> list[dict]:
    from ..checks.rules import RULES
    from .report import metric_enum

    make = {
        "figures": lambda: schema.figures(metric_enum([]), None),
        "spending_by_function": lambda: schema.spending_by_function(None),
        "spending_by_class": lambda: schema.spending_by_class(None),
        "performance_scores": schema.performance_scores,
        "checks": lambda: schema.checks([r.id for r in RULES]),
    }[res]
    return [f.descriptor() for f in make()]
