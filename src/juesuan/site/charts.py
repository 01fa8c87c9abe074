"""Charts as data: a report's charts are drawn from their own tables, the pages across reports carry options.

Report pages: a chart block holds a table whose rows with `data-v` (and `data-p`, last year) are
the chart's data; assets/juesuan.js builds the ECharts option from them (names are the cells'
text). A number is printed once, in the table, and the chart is exactly that table.

Pages across reports (overview): options as plain data (dicts) in a small inline script, only the
keys that differ from the defaults in juesuan.js. Options hold only names and numbers from the
packages; formatting (万元, 亿元) and theming live in juesuan.js. Never JavaScript built from report text.
"""

from __future__ import annotations

import json
import math
from typing import Any

from . import safe

DEFAULT_HEIGHT = 360  # px; juesuan.css gives .js-chart this height


def pie(name: str, items: list[tuple[str, float]]) -> dict[str, Any]:
    return {"series": [{"name": name, "type": "pie", "data": [{"name": n, "value": v} for n, v in items]}]}


def bars(categories: list[str], series: list[tuple[str, list[float | None]]], *, horizontal: bool = False,
         stack: str | None = None, zoom: bool = False) -> dict[str, Any]:
    cat_axis: dict[str, Any] = {"type": "category", "data": categories}
    val_axis = {"type": "value"}
    option: dict[str, Any] = {
        "xAxis": val_axis if horizontal else cat_axis,
        "yAxis": cat_axis if horizontal else val_axis,
        "series": [{"name": n, "type": "bar", "data": data, **({"stack": stack} if stack else {})}
                   for n, data in series],
    }
    if zoom:
        option["dataZoom"] = [{"type": "inside", ("yAxisIndex" if horizontal else "xAxisIndex"): 0}]
    return option


def line(categories: list[str], series: list[tuple[str, list[float | None]]]) -> dict[str, Any]:
    return {
        "xAxis": {"type": "category", "data": categories},
        "yAxis": {"type": "value"},
        "series": [{"name": n, "type": "line", "data": d} for n, d in series],
    }


def treemap(name: str, tree: list[dict[str, Any]]) -> dict[str, Any]:
    return {"series": [{"name": name, "type": "treemap", "data": tree}]}


def _links(links: list[tuple[str, str]]) -> str:
    html = " · ".join(f'<a href="{safe.text(h)}" download>{safe.text(label)}</a>' for label, h in links)
    return f'<p class="js-downloads">下载数据：{html}</p>' if links else ""


def _height(height: int) -> str:
    return "" if height == DEFAULT_HEIGHT else f' style="height:{int(height)}px"'


def block(chart_id: str, title: str, option: dict[str, Any], unit: str, table_html: str,
          links: list[tuple[str, str]], height: int = DEFAULT_HEIGHT) -> str:
    """A chart with its data table and download links next to it; options stored as data."""
    return (
        f'<div class="js-chart-block">\n'
        f'<div class="js-chart" id="{chart_id}" data-unit="{safe.text(unit)}"{_height(height)} '
        f'role="img" aria-label="{safe.text(title)}"></div>\n'
        f'<div class="js-chart-data">{table_html}{_links(links)}</div>\n'
        f'<script>(window.JUESUAN_CHARTS=window.JUESUAN_CHARTS||{{}})["{chart_id}"]={safe.script_json(option)};</script>\n'
        f"</div>\n"
    )


KINDS = ("pie", "tree", "hbar", "yoy")  # what juesuan.js draws from a table (see tableOption there)


def chart(chart_id: str, kind: str, name: str, unit: str, height: int = DEFAULT_HEIGHT) -> str:
    """The element of a chart that juesuan.js draws from the rows with data-v in its .js-chart-block.

    kind: pie (first cell, data-v) · tree (类, 款, 项 cells, data-v) · hbar (first cell, data-v)
    · yoy (first cell; data-v this year, data-p last year). `name` labels the chart and its series.
    A row is a table row, or any element with data-v whose first child holds the name (a card).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}: one of {', '.join(KINDS)}")
    return (f'<div class="js-chart" id="{chart_id}" data-kind="{kind}" data-unit="{safe.text(unit)}"{_height(height)} '
            f'role="img" aria-label="{safe.text(name)}"></div>')


def table_block(chart_id: str, kind: str, name: str, unit: str, table_html: str,
                links: list[tuple[str, str]], height: int = DEFAULT_HEIGHT) -> str:
    """A chart drawn from the rows of its own table, with the table and its downloads."""
    return (f'<div class="js-chart-block">{chart(chart_id, kind, name, unit, height)}'
            f'<div class="js-chart-data">{table_html}{_links(links)}</div></div>')


def data_attrs(value: float | None, previous: float | None = None) -> str:
    """The attributes of a charted table row: numbers only, exactly as the package holds them."""
    out = f'data-v="{_number(value)}"'
    if previous is not None:
        out += f' data-p="{_number(previous)}"'
    return out


def _number(v: float | None) -> str:
    # JSON's shortest round-trip form (float repr, which json.dumps writes for a finite float): the
    # chart gets the package's number to the last bit. json.dumps still raises for NaN and infinities.
    if v is None:
        return ""
    f = float(v)
    return repr(f) if math.isfinite(f) else json.dumps(f, allow_nan=False)
