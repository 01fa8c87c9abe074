"""The catalog package: all reports' main resources in one place, a report index and a build report.

Built by concatenating each report's catalog part (rows already encoded by the report packager,
see state.Part), so a rebuild after one report changed does not re-derive the other reports'
rows; the big files are streamed to disk part by part, never held whole in memory.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterator

from .. import __version__
from ..checks.rules import catalog_rows
from ..settings import LICENSE
from . import schema
from .report import COMBINED, CREATED, resource
from .write import csv_bytes, csv_records, descriptor_bytes, json_bytes

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


class Stream:
    """A file's bytes produced piece by piece (see write_package_dir); its sha256 once written."""

    def __init__(self, pieces: Callable[[], Iterator[bytes]]):
        self._pieces = pieces
        self.sha256: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        h = hashlib.sha256()
        for piece in self._pieces():
            h.update(piece)
            yield piece
        self.sha256 = h.hexdigest()


def _csv_stream(fields: list[dict], parts: list, res: str) -> Stream:
    header = ("\ufeff" + csv_records([[f["name"] for f in fields]])[0]).encode("utf-8")

    def pieces() -> Iterator[bytes]:
        yield header
        for part in parts:
            if part.sizes[res][0]:
                yield part.chunk(res, 0)
    return Stream(pieces)


def _json_stream(parts: list, res: str) -> Stream:
    def pieces() -> Iterator[bytes]:
        first = True
        for part in parts:
            if part.sizes[res][1]:
                yield (b"[\n" if first else b",\n") + part.chunk(res, 1)
                first = False
        yield b"[]\n" if first else b"\n]\n"
    return Stream(pieces)


def build_catalog(parts: list, build_rows: list[dict[str, Any]]) -> dict[str, bytes | Stream]:
    """Files of datapackages/catalog/ from every published report's part (state.Part)."""
    parts = sorted(parts, key=lambda p: p.name)
    files: dict[str, bytes | Stream] = {}
    descriptors: list[dict] = []
    names = [p.name for p in parts]

    report_rows = [p.report_row for p in parts]
    _add(files, descriptors, resource("reports", schema.reports(), "报告目录",
                                      "每份已发布的报告一行：部门、地区、年度和关键数字。", ["package"]), report_rows)

    key_fk = [{"fields": ["package"], "reference": {"resource": "reports", "fields": ["package"]}}]
    for res in COMBINED:
        fields: list[dict] = parts[0].fields[res] if parts else _empty_fields(res)
        if res == "figures" and parts:
            enum: list[str] = []
            seen: set[str] = set()
            done: set[str] = set()  # field lists already merged (most reports share one)
            for part in parts:
                if part.field_ids[res] in done:
                    continue
                done.add(part.field_ids[res])
                metric = next(f for f in part.fields[res] if f["name"] == "metric")
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
        files[f"{res}.csv"] = _csv_stream(d["schema"]["fields"], parts, res)
        files[f"{res}.json"] = _json_stream(parts, res)

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
