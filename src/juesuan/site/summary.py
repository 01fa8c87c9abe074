"""What the pages across reports need from one package, small enough to keep for every report.

A rebuild reads the summaries of unchanged packages from the site's work folder instead of
loading the packages again. A summary turns back into a `Package` marked `partial`: it holds
only the figure rows, columns and resources those pages use, so it is never given to the
report page generator.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .load import Package, Resource, _child

# Resources whose rows a summary keeps (some columns of them); the others are not read for it.
ROWS_OF = {"figures", "spending_by_class", "spending_by_function", "glossary", "checks"}
# Metrics read by the home, departments, department, compare and search-dictionary pages.
AGGREGATE_METRICS = {
    "expenditure_total", "general_budget_expenditure", "three_public_total", "grand_total_income", "income_total",
    "operating_costs", "three_public_overseas", "three_public_vehicles", "three_public_reception",
    "expenditure_basic", "expenditure_project",
}
FIGURE_KEYS = ("metric", "value", "unit", "qualifier")
KEEP_COLUMNS = {
    "spending_by_class": ("class_name", "amount", "unit"),
    "spending_by_function": ("class_name", "kuan_name", "xiang_name"),
    "glossary": ("term", "definition"),
}


_LAST: dict[str, tuple[Any, str]] = {}  # resource name → its last schema and digest (packages repeat them)


def schema_digest(schema: Any, name: str = "") -> str:
    last = _LAST.get(name)
    if last is not None and last[0] == schema:  # a deep comparison is much cheaper than encoding
        return last[1]
    digest = hashlib.sha1(json.dumps(schema, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    _LAST[name] = (schema, digest)
    return digest


def view(pkg: Package) -> Package:
    """A fully loaded package as a summary sees it: the rows of `ROWS_OF` only, the others marked
    not read, as `load_package(folder, ROWS_OF)` gives it, without reading the files again."""
    out = Package(slug=pkg.slug, path=pkg.path, descriptor=pkg.descriptor)
    for name, res in pkg.resources.items():
        keep = name in ROWS_OF
        out.resources[name] = Resource(name=name, descriptor=res.descriptor, rows=res.rows if keep else [],
                                       count=res.count if keep else -1, csv_path=res.csv_path, json_path=res.json_path)
    return out


def summarize(pkg: Package, schemas: dict[str, Any]) -> dict[str, Any]:
    """The summary of a fully loaded package; its resource schemas go into `schemas` by digest."""
    resources = []
    for name, res in pkg.resources.items():
        schema = res.descriptor.get("schema")
        digest = None
        if schema is not None:
            digest = schema_digest(schema, name)
            schemas.setdefault(digest, schema)
        resources.append([name, res.csv_path.name if res.csv_path else None, res.json_path.name if res.json_path else None,
                          res.descriptor.get("title") or "", digest, None if res.count == -1 else res.n_rows])
    rows: dict[str, list] = {"figures": [{k: r.get(k) for k in FIGURE_KEYS} for r in pkg.rows("figures")
                                         if r.get("metric") in AGGREGATE_METRICS]}
    for name, cols in KEEP_COLUMNS.items():
        rows[name] = [{k: r.get(k) for k in cols} for r in pkg.rows(name)]
    if not isinstance(pkg.meta.get("findings"), dict):
        rows["checks"] = [{"severity": r.get("severity")} for r in pkg.rows("checks")]
    return {"slug": pkg.slug, "descriptor": {"title": pkg.descriptor.get("title"), "juesuan": pkg.meta},
            "resources": resources, "rows": rows}


def restore(summary: dict[str, Any], folder: Path, schemas: dict[str, Any]) -> Package:
    """A partial Package from a summary (the package folder is `folder`)."""
    pkg = Package(slug=summary["slug"], path=folder, descriptor=summary["descriptor"], partial=True)
    rows = summary["rows"]
    for name, csv_name, json_name, title, digest, count in summary["resources"]:
        desc: dict[str, Any] = {"name": name, "title": title}
        if digest is not None and digest in schemas:
            desc["schema"] = schemas[digest]
        pkg.resources[name] = Resource(name=name, descriptor=desc, rows=rows.get(name, []),
                                       csv_path=_child(folder, csv_name) if csv_name else None,
                                       json_path=_child(folder, json_name) if json_name else None, count=count)
    return pkg
