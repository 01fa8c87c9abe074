"""ECharts options as plain data (dicts) and the HTML block that carries them.

Options hold only names and numbers from the packages; formatting (万元, 亿元) and theming are
done by the generic code in assets/juesuan.js. Never JavaScript built from report text.
"""

from __future__ import annotations

from typing import Any

from . import safe


def pie(name: str, items: list[tuple[str, float]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"name": name, "type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"],
                    "label": {"show": True}, "data": [{"name": n, "value": v} for n, v in items]}],
    }


def bars(categories: list[str], series: list[tuple[str, list[float | None]]], *, horizontal: bool = False,
         stack: str | None = None, zoom: bool = False) -> dict[str, Any]:
    cat_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0, "hideOverlap": True}}
    val_axis = {"type": "value"}
    option: dict[str, Any] = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": val_axis if horizontal else cat_axis,
        "yAxis": cat_axis if horizontal else val_axis,
        "series": [{"name": n, "type": "bar", "data": data, **({"stack": stack} if stack else {})}
                   for n, data in series],
    }
    if not horizontal:
        cat_axis["axisLabel"]["rotate"] = 30 if len(categories) > 4 else 0
    if zoom:
        option["dataZoom"] = [{"type": "inside", ("yAxisIndex" if horizontal else "xAxisIndex"): 0}]
    return option


def line(categories: list[str], series: list[tuple[str, list[float | None]]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": categories},
        "yAxis": {"type": "value"},
        "series": [{"name": n, "type": "line", "data": d, "connectNulls": False} for n, d in series],
    }


def treemap(name: str, tree: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item"},
        "series": [{"name": name, "type": "treemap", "data": tree, "leafDepth": 1, "roam": False,
                    "breadcrumb": {"show": True}, "label": {"show": True},
                    "upperLabel": {"show": True, "height": 22},
                    "levels": [{"itemStyle": {"gapWidth": 2}}, {"itemStyle": {"gapWidth": 1}}, {}]}],
    }


def block(chart_id: str, title: str, option: dict[str, Any], unit: str, table_html: str,
          links: list[tuple[str, str]], height: int = 360) -> str:
    """A chart with its data table and download links next to it; options stored as data."""
    link_html = " · ".join(f'<a href="{safe.text(h)}" download>{safe.text(label)}</a>' for label, h in links)
    return (
        f'<div class="js-chart-block">\n'
        f'<div class="js-chart" id="{chart_id}" data-unit="{safe.text(unit)}" style="height:{height}px" '
        f'role="img" aria-label="{safe.text(title)}"></div>\n'
        f'<div class="js-chart-data">{table_html}'
        + (f'<p class="js-downloads">下载数据：{link_html}</p>' if links else "")
        + "</div>\n"
        f'<script>(window.JUESUAN_CHARTS=window.JUESUAN_CHARTS||{{}})["{chart_id}"]={safe.script_json(option)};</script>\n'
        f"</div>\n"
    )
