"""Record → resource rows (plain dicts keyed by field name), one function per resource."""

from __future__ import annotations

import re
from typing import Any

from ..checks import Finding
from ..checks.labels import label
from ..classification import table as classification_table
from ..record import Record, Source

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _src(source: Source | None, text: bool = True) -> dict[str, Any]:
    if source is None:
        out: dict[str, Any] = {"source_line": None, "source_page": None}
        if text:
            out["source_text"] = None
        return out
    out = {"source_line": source.line if source.line and source.line > 0 else None, "source_page": source.page}
    if text:
        out["source_text"] = source.text
    return out


def figures(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "n": n, "metric": f.metric, "label": label(f.metric) or None, "value": _printed(f.value, f.text),
            "value_text": f.text, "unit": f.unit, "qualifier": f.qualifier, "share_pct": f.share_pct,
            "change": f.change, "change_pct": f.change_pct, "budget_completion_pct": f.budget_completion_pct,
            "reason": f.reason, **_src(f.source),
        }
        for n, f in enumerate(record.figures, start=1)
    ]


def _printed(value: float, text: str | None) -> float | str:
    """The printed numeral when it is a plain number equal to the value (keeps 0.00), else the value."""
    if text:
        t = text.strip()
        if NUMBER.match(t) and abs(float(t) - value) < 1e-9:
            return t.lstrip("+")
    return value


def spending_by_function(record: Record) -> list[dict[str, Any]]:
    table = classification_table()
    rows = []
    for n, item in enumerate(record.line_items, start=1):
        m = table.map(item.class_name, item.kuan_name, item.xiang_name)
        rows.append({
            "n": n, "class_name": item.class_name, "class_code": m.class_code, "kuan_name": item.kuan_name,
            "kuan_code": m.kuan_code, "xiang_name": item.xiang_name, "xiang_code": m.xiang_code,
            "amount": _printed(item.amount, item.amount_text), "amount_text": item.amount_text, "unit": item.unit,
            "budget": item.budget, "budget_completion_pct": item.budget_completion_pct,
            "explanation": item.explanation, **_src(item.source),
        })
    return rows


def spending_by_class(record: Record) -> list[dict[str, Any]]:
    table = classification_table()
    rows = []
    for n, c in enumerate(record.spending_by_class, start=1):
        found = table.find_class(c.name)
        rows.append({
            "n": n, "class_name": c.name, "class_code": found.code if found else None,
            "amount": _printed(c.amount, c.amount_text), "amount_text": c.amount_text, "unit": c.unit,
            "share_pct": c.share_pct, **_src(c.source),
        })
    return rows


def text_items(items) -> list[dict[str, Any]]:
    return [{"n": n, "text": t.text, **_src(t.source, text=False)} for n, t in enumerate(items, start=1)]


def notes(record: Record) -> list[dict[str, Any]]:
    return [{"n": n, "topic": t.topic, "text": t.text, **_src(t.source, text=False)}
            for n, t in enumerate(record.notes, start=1)]


def glossary(record: Record) -> list[dict[str, Any]]:
    return [{"n": n, "term": g.term, "definition": g.definition, **_src(g.source, text=False)}
            for n, g in enumerate(record.glossary, start=1)]


def performance_scores(record: Record) -> list[dict[str, Any]]:
    return [{"n": n, "subject": p.subject, "kind": p.kind, "score": p.score, "summary": p.summary, **_src(p.source)}
            for n, p in enumerate(record.performance_scores, start=1)]


def performance_indicators(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "n": n, "table_index": i.table_index, "subject": i.subject, "level1": i.level1, "level2": i.level2,
            "level3": i.level3, "nature": i.nature, "target": i.target, "unit": i.unit, "weight": i.weight,
            "actual": i.actual, "score": i.score, "deviation_reason": i.deviation_reason,
            **_src(i.source, text=False),
        }
        for n, i in enumerate(record.indicators, start=1)
    ]


def warnings(record: Record) -> list[dict[str, Any]]:
    return [{"n": n, "code": w.code, "message": w.message, **_src(w.source)}
            for n, w in enumerate(record.warnings, start=1)]


def checks(findings: list[Finding]) -> list[dict[str, Any]]:
    return [{"n": n, **f.to_row()} for n, f in enumerate(findings, start=1)]


def table_name(index: int) -> str:
    return f"table-{index:02d}"


def typed_table(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[bool], list[bool], list[dict]]:
    """Columns of a 附件 table: header padded to the widest row, blank rows dropped; a column is
    numeric when every non-empty cell is a plain number (thousands commas allowed)."""
    width = max([len(header)] + [len(r) for r in rows] + [0])
    header = list(header) + [""] * (width - len(header))
    cells = [[(r[i] if i < len(r) else "") or "" for i in range(width)] for r in rows]
    # rows left blank by the Word layout (spacer rows, merged cells) carry nothing: dropped
    cells = [c for c in cells if any(v.strip() for v in c)]
    numeric, grouped = [], []
    for i in range(width):
        column = [c[i].strip() for c in cells if c[i].strip()]
        plain = all(NUMBER.match(v) for v in column)
        with_groups = all(NUMBER.match(v) or GROUPED_NUMBER.match(v) for v in column)
        numeric.append(bool(column) and with_groups)
        grouped.append(bool(column) and with_groups and not plain)
    out_rows = []
    for c in cells:
        row: dict[str, Any] = {}
        for i in range(width):
            value = c[i]
            if numeric[i]:
                value = value.strip().lstrip("+") or None
            row[f"col_{i + 1}"] = value if value != "" else None
        out_rows.append(row)
    return header, numeric, grouped, out_rows
