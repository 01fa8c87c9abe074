"""One report's data package: datapackage.json plus a CSV and a JSON file per resource."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import __version__
from ..checks import Finding, count_by_severity
from ..checks.labels import metrics
from ..checks.rules import RULES
from ..record import Record
from ..settings import LICENSE
from . import resources as rows_of
from . import schema
from .write import cell_writers, csv_file, csv_records, descriptor_bytes, encode_rows, json_file, json_text, json_value

# Packages must be byte-identical for unchanged input, so `created` is not the build time but a
# fixed reproducible-build epoch; the content is identified by the sources' sha256.
CREATED = "1970-01-01T00:00:00Z"

TITLES = {
    "figures": ("数字", "报告所述的每一个数字，附原文行号和原句。"),
    "spending_by_function": ("一般公共预算财政拨款支出决算具体情况", "按类、款、项列出的支出，附政府收支分类科目编码（能核实时）。"),
    "spending_by_class": ("一般公共预算财政拨款支出决算结构", "各类支出的金额和所述占比。"),
    "responsibilities": ("部门职责", "部门概况中列出的职责。"),
    "subunits": ("二级预算单位", "纳入决算编制范围的下属单位。"),
    "offices": ("内设机构", "部门的内设机构。"),
    "notes": ("说明", "按主题保留的文字说明。"),
    "glossary": ("名词解释", "报告第三部分的名词解释。"),
    "performance_scores": ("绩效自评得分", "部门整体和项目的绩效自评得分。"),
    "performance_indicators": ("绩效自评指标", "绩效自评表的每一行指标。"),
    "tables": ("附件表格目录", "报告附件中的表格，每个表另存为 table-NN 资源。"),
    "warnings": ("提取提示", "未能读取或需要注意的内容：提取程序从不猜测数字。"),
    "checks": ("核对发现", "按决算模板的勾稽关系核对报告，列出对不上的地方；这是报告本身的问题，数字仍按原样发布。"),
}


# Resources the catalog combines across reports (see catalog.py).
COMBINED = ("figures", "spending_by_function", "spending_by_class", "performance_scores", "checks")


@dataclass
class Fragment:
    """What the catalog needs from one report, already encoded, so the catalog is a concatenation.

    `combined[res]` holds the resource's fields and its rows as catalog bytes: the CSV records
    (each ending in '\\n') and the JSON objects joined by ',\\n', the report keys package/department/
    region/fiscal_year already in front. The bytes are kept in the packager's cache between runs
    (see state.py) and streamed into the catalog, never held for every report at once.
    """

    name: str
    report_row: dict[str, Any]
    combined: dict[str, tuple[list[dict], bytes, bytes]]
    findings: dict[str, int]


@dataclass
class Built:
    """A package ready to write: its files, and what the catalog needs from it."""

    name: str
    files: dict[str, bytes]
    descriptor: dict[str, Any]
    fragment: Fragment
    findings: list[Finding]


def region_text(record: Record) -> str:
    ident = record.identity
    return " ".join(p for p in (ident.province, ident.city, ident.district) if p)


def title_of(record: Record) -> str:
    ident = record.identity
    year = f" {ident.fiscal_year}年度" if ident.fiscal_year else ""
    return f"{ident.department or record.source_file.name}{year}{ident.kind or '决算'}"


def metric_enum(records: list[Record]) -> list[str]:
    """Known metric ids plus any a record uses (unknown ones are flagged by the metric-unknown check)."""
    known = list(metrics())
    extra = sorted({f.metric for r in records for f in r.figures} - set(known))
    return known + extra


def resource(name: str, fields: list[schema.Field] | list[dict], title: str, description: str,
             primary_key: list[str] | None = None, foreign_keys: list[dict] | None = None) -> dict[str, Any]:
    """A tabular resource descriptor for `<name>.csv` (its JSON twin is `<name>.json`)."""
    table_schema: dict[str, Any] = {"fields": [f if isinstance(f, dict) else f.descriptor() for f in fields]}
    if primary_key:
        table_schema["primaryKey"] = primary_key
    if foreign_keys:
        table_schema["foreignKeys"] = foreign_keys
    return {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": f"{description} {schema.ESCAPE_NOTE} 同样的数据见 {name}.json。",
        "schema": table_schema,
    }


@lru_cache(maxsize=512)
def _fields(kind: str, *args: Any) -> list[dict[str, Any]]:
    """Field descriptors of a standard resource, built once per kind and arguments (read-only)."""
    make = getattr(schema, kind)
    return [f.descriptor() for f in make(*(list(a) if isinstance(a, tuple) else a for a in args))]


def key_prefixes(name: str, record: Record) -> tuple[str, str]:
    """The catalog's report columns (package, department, region, fiscal_year) as the start of a
    CSV record and of a JSON object, to put in front of the report's own rows."""
    ident = record.identity
    key_fields = [f.descriptor() for f in schema.REPORT_KEYS]
    values = [name, ident.department, region_text(record), ident.fiscal_year]
    cells = [write(v) for write, v in zip(cell_writers(key_fields), values)]
    line = csv_records([cells + ["x"]])[0]  # each cell is quoted on its own: the prefix is the line minus 'x\n'
    csv_prefix = line[:-2]
    json_prefix = "{" + "".join(f"{json_text(f['name'])}: {json_text(json_value(v, f['type']))}, "
                                for f, v in zip(key_fields, values))
    return csv_prefix, json_prefix


def build_report_package(record: Record, name: str, region_path: str, department_slug: str,
                         findings: list[Finding]) -> Built:
    """Everything one report's package holds, as bytes (nothing is written here)."""
    ident = record.identity
    unit = ident.unit
    parts: list[tuple[str, list[dict], list[dict], list[str] | None, list[dict] | None]] = []

    def add(res: str, fields, rows, pk=("n",), fks=None) -> None:
        parts.append((res, fields, rows, list(pk) if pk else None, fks))

    add("figures", _fields("figures", tuple(metric_enum([record])), unit), rows_of.figures(record))
    add("spending_by_function", _fields("spending_by_function", unit), rows_of.spending_by_function(record))
    add("spending_by_class", _fields("spending_by_class", unit), rows_of.spending_by_class(record))
    add("responsibilities", _fields("text_items", "职责"), rows_of.text_items(record.responsibilities))
    add("subunits", _fields("text_items", "单位"), rows_of.text_items(record.subunits))
    add("offices", _fields("text_items", "机构"), rows_of.text_items(record.offices))
    add("notes", _fields("notes"), rows_of.notes(record))
    add("glossary", _fields("glossary"), rows_of.glossary(record))
    add("performance_scores", _fields("performance_scores"), rows_of.performance_scores(record))

    table_rows, table_parts = [], []
    for t in sorted(record.tables, key=lambda t: t.index):
        res = rows_of.table_name(t.index)
        header, numeric, grouped, body = rows_of.typed_table(t.header, t.rows)
        table_rows.append({
            "table_index": t.index, "resource": res, "title": t.title, "kind": t.kind, "rows": len(body),
            "columns": len(header), "facts": dict(sorted(t.facts.items())) or None,
            "source_line": t.source.line if t.source and t.source.line > 0 else None,
            "source_page": t.source.page if t.source else None,
        })
        table_parts.append((res, schema.table_columns(header, numeric, grouped), body, t.title))

    indicator_rows = rows_of.performance_indicators(record)
    known_tables = {t["table_index"] for t in table_rows}
    fks = None
    if indicator_rows and all(r["table_index"] in known_tables for r in indicator_rows):
        fks = [{"fields": ["table_index"], "reference": {"resource": "tables", "fields": ["table_index"]}}]
    add("performance_indicators", _fields("performance_indicators"), indicator_rows, fks=fks)
    add("tables", _fields("tables_index"), table_rows, pk=("table_index",))
    add("warnings", _fields("warnings"), rows_of.warnings(record))
    add("checks", _fields("checks", tuple(r.id for r in RULES)), rows_of.checks(findings))

    files: dict[str, bytes] = {}
    descriptors: list[dict] = []
    combined: dict[str, tuple[list[dict], bytes, bytes]] = {}
    csv_prefix, json_prefix = key_prefixes(name, record)
    for res, fields, rows, pk, fk in parts:
        title, description = TITLES[res]
        d = resource(res, fields, title, description, pk, fk)
        descriptors.append(d)
        field_descriptors = d["schema"]["fields"]
        csv_recs, json_recs = encode_rows(field_descriptors, rows)
        files[f"{res}.csv"] = csv_file(field_descriptors, csv_recs)
        files[f"{res}.json"] = json_file(json_recs)
        if res in COMBINED:
            combined[res] = (field_descriptors, "".join(csv_prefix + r for r in csv_recs).encode("utf-8"),
                             ",\n".join(json_prefix + r[1:] for r in json_recs).encode("utf-8"))
    for res, fields, rows, table_title in table_parts:
        d = resource(res, fields, table_title or f"附件表格 {res}", "报告附件中的表格，单元格按报告原样；整列为数字时类型为 number。")
        descriptors.append(d)
        field_descriptors = d["schema"]["fields"]
        csv_recs, json_recs = encode_rows(field_descriptors, rows)
        files[f"{res}.csv"] = csv_file(field_descriptors, csv_recs)
        files[f"{res}.json"] = json_file(json_recs)

    counts = count_by_severity(findings)
    source = record.source_file
    descriptor: dict[str, Any] = {
        "name": name,
        "title": title_of(record),
        "description": (
            f"{region_text(record)} {ident.department or ''} {ident.fiscal_year or ''}年度{ident.kind or '决算'}"
            "公开说明中的数字、支出明细、附件表格和核对发现，每个数字附原文行号。"
        ).strip(),
        "version": __version__,
        "created": CREATED,
        "licenses": [dict(LICENSE)],
        "sources": [_source(record)],
        "keywords": [k for k in ("部门决算" if ident.kind != "单位决算" else "单位决算", ident.department,
                                 ident.province, ident.city, ident.district) if k],
        "resources": descriptors,
        "juesuan": {
            "department": ident.department,
            "short_names": list(ident.short_names),
            "province": ident.province,
            "city": ident.city,
            "district": ident.district,
            "region": region_text(record),
            "region_path": region_path,
            "department_slug": department_slug,
            "fiscal_year": ident.fiscal_year,
            "kind": ident.kind,
            "unit": ident.unit,
            "source_file": source.name,
            "sha256": source.sha256,
            "source_url": source.source_url,
            "format": source.format,
            "encoding": source.encoding,
            "findings": counts,
            "record_version": record.version,
            "juesuan_version": __version__,
        },
    }
    files["datapackage.json"] = descriptor_bytes(descriptor)
    fragment = Fragment(name, report_row(name, record, region_path, department_slug, counts), combined, counts)
    return Built(name, files, descriptor, fragment, findings)


def _main(record: Record, metric: str) -> Any:
    """The unqualified figure of `metric` (else the first one), for the catalog's key numbers."""
    for f in record.figures:
        if f.metric == metric and not f.qualifier:
            return f.value
    f = record.figure(metric)
    return f.value if f else None


def report_row(name: str, record: Record, region_path: str, department_slug: str,
               counts: dict[str, int]) -> dict[str, Any]:
    """The report's row in the catalog's `reports` resource."""
    ident = record.identity
    return {
        "package": name, "title": title_of(record), "department": ident.department,
        "province": ident.province, "city": ident.city, "district": ident.district,
        "region": region_text(record), "region_path": region_path, "department_slug": department_slug,
        "fiscal_year": ident.fiscal_year, "kind": ident.kind, "unit": ident.unit,
        "expenditure_total": _main(record, "expenditure_total"),
        "general_budget_expenditure": _main(record, "general_budget_expenditure"),
        "three_public_total": _main(record, "three_public_total"),
        "figures": len(record.figures),
        "findings_error": counts["error"], "findings_warning": counts["warning"],
        "findings_note": counts["note"],
        "source_file": record.source_file.name, "sha256": record.source_file.sha256,
        "source_url": record.source_file.source_url,
    }


def _source(record: Record) -> dict[str, Any]:
    source = record.source_file
    out: dict[str, Any] = {"title": source.name}
    if source.source_url:
        out["path"] = source.source_url
    out["sha256"] = source.sha256
    return out
