"""Small HTML builders shared by the page generators; every argument is escaped here or before."""

from __future__ import annotations

import posixpath
from typing import Any

from . import safe


def num(value: float | None, digits: int = 2) -> str:
    """A number for display: thousands separators, trailing zeros dropped; None → '—'."""
    if value is None:
        return "—"
    s = f"{value:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def printed(row: dict[str, Any] | None, value_key: str = "value", text_key: str = "value_text") -> str:
    """The numeral as printed when the package kept it, else the formatted number."""
    if not row:
        return "—"
    t = row.get(text_key)
    if isinstance(t, str) and t.strip():
        return safe.text(t.strip())
    from .load import number

    return num(number(row.get(value_key)))


def rel(from_dir: str, target: str) -> str:
    """Relative URL from a page directory ('' = site root) to a site path (dirs end in '/')."""
    base = from_dir.strip("/") or "."
    is_dir = target.endswith("/") or target == ""
    r = posixpath.relpath(target.strip("/") or ".", base)
    if is_dir:
        r = "./" if r == "." else r + "/"
    return r


def table(headers: list[str], rows: list[list[str]], *, cls: str = "", row_attrs: list[str] | None = None,
          caption: str | None = None) -> str:
    """A table inside its own horizontal-scroll wrapper. headers and cells are HTML already."""
    out = ['<div class="js-table-wrap"><table' + (f' class="{cls}"' if cls else "") + ">"]
    if caption:
        out.append(f"<caption>{caption}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr></thead><tbody>")
    for i, r in enumerate(rows):
        attrs = (" " + row_attrs[i]) if row_attrs and row_attrs[i] else ""
        out.append(f"<tr{attrs}>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def raw(html: str) -> str:
    """A raw HTML block for Markdown: starts a line, ends with a blank line, no blank lines inside."""
    body = "\n".join(line for line in html.splitlines() if line.strip())
    return "\n" + body + "\n\n"
