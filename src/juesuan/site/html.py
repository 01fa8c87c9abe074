"""Small HTML builders shared by the page generators; every argument is escaped here or before."""

from __future__ import annotations

import posixpath
import re
from contextlib import contextmanager
from typing import Any, Iterator

from . import safe
from .load import number


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
    return num(number(row.get(value_key)))


def rel(from_dir: str, target: str) -> str:
    """Relative URL from a page directory ('' = site root) to a site path (dirs end in '/')."""
    base = [p for p in from_dir.split("/") if p and p != "."]
    dest = [p for p in target.split("/") if p and p != "."]
    if ".." in base or ".." in dest:  # never produced by the generators; kept exact anyway
        return _rel_slow(from_dir, target)
    i = 0
    while i < len(base) and i < len(dest) and base[i] == dest[i]:
        i += 1
    r = "/".join([".."] * (len(base) - i) + dest[i:]) or "."
    if target.endswith("/") or target == "":
        r = "./" if r == "." else r + "/"
    return r


def _rel_slow(from_dir: str, target: str) -> str:
    base = from_dir.strip("/") or "."
    is_dir = target.endswith("/") or target == ""
    r = posixpath.relpath(target.strip("/") or ".", base)
    if is_dir:
        r = "./" if r == "." else r + "/"
    return r


def table(headers: list[str], rows: list[list], *, cls: str = "", row_attrs: list[str] | None = None,
          caption: str | None = None) -> str:
    """A table inside its own horizontal-scroll wrapper. headers and cells are HTML already.

    A cell is HTML, or (attributes, HTML). Cells and rows leave out their optional end tags
    (HTML: a cell ends where the next one or the row starts): a fifth of a report page's bytes.
    """
    out = ['<div class="js-table-wrap"><table' + (f' class="{cls}"' if cls else "") + ">"]
    if caption:
        out.append(f"<caption>{caption}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{h}" for h in headers) + "</thead><tbody>")
    for i, r in enumerate(rows):
        attrs = (" " + row_attrs[i]) if row_attrs and row_attrs[i] else ""
        out.append(f"<tr{attrs}>" + "".join([f"<td>{c}" if type(c) is str else f"<td {c[0]}>{c[1]}" for c in r]))
    out.append("</tbody></table></div>")
    return "".join(out)


_stash: list[str] | None = None
PLACEHOLDER = re.compile(r"<!--jsblk:([0-9a-f]+)-->")


@contextmanager
def stashing(store: list[str]) -> Iterator[list[str]]:
    """While active, `raw` keeps HTML blocks in `store` (one page's list) and leaves a placeholder in the Markdown.

    Python-Markdown re-parses raw HTML slowly (most of MkDocs' time on generated pages) and the
    search index would hold every table; the blocks go back into the page after both (`unstash`).
    """
    global _stash
    previous, _stash = _stash, store
    try:
        yield store
    finally:
        _stash = previous


def raw(html: str) -> str:
    """A raw HTML block for Markdown: starts a line, ends with a blank line, no blank lines inside."""
    body = "\n".join(line for line in html.splitlines() if line.strip())
    if _stash is not None:
        key = format(len(_stash), "x")
        _stash.append(body)
        return f"\n<!--jsblk:{key}-->\n\n"
    return "\n" + body + "\n\n"


_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<script\b.*?</script>|<textarea\b.*?</textarea>)", re.S | re.I)
_NEWLINE_RUN = re.compile(r"[ \t\r]*\n\s*")


def squeeze(page_html: str) -> str:
    """Collapse the theme templates' blank lines and indentation (a third of a page's bytes).

    A whitespace run holding a newline renders as one space either way; <pre>, <script> and
    <textarea> are left exactly as they are.
    """
    parts = _VERBATIM.split(page_html)
    for i in range(0, len(parts), 2):
        parts[i] = _squeeze_lines(parts[i])
    return "".join(parts)


def _squeeze_lines(text: str) -> str:
    """`_NEWLINE_RUN.sub("\\n", text)`, line by line: ~5x faster (MkDocs' own thread runs it for every
    page: ~1 ms a page with the regex, 15 s at 10,000 reports).

    Each line end swallows the spaces, tabs and CRs before it and all whitespace after it, so:
    the first line loses its trailing [ \\t\\r], a middle line its leading whitespace and trailing
    [ \\t\\r] (and vanishes if only whitespace), the last line its leading whitespace.
    """
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    out = [lines[0].rstrip(" \t\r")]
    for line in lines[1:-1]:
        line = line.lstrip()
        if line:
            out.append(line.rstrip(" \t\r"))
    out.append(lines[-1].lstrip())
    return "\n".join(out)


def unstash(page_html: str, store: list[str]) -> str:
    """Put the page's stashed HTML blocks back in place of their placeholders."""
    if "<!--jsblk:" not in page_html:
        return page_html

    def block(m: re.Match) -> str:
        i = int(m.group(1), 16)
        return store[i] if i < len(store) else ""

    return PLACEHOLDER.sub(block, page_html)


BLOCKS_MARK = "\n<!-- juesuan:blocks -->\n"  # a generated page file: Markdown, this line, its blocks as JSON


def with_blocks(markdown: str, store: list[str]) -> str:
    """A page file holding its Markdown and its stashed blocks (one file per page, so one mtime)."""
    import json

    return markdown + BLOCKS_MARK + json.dumps(store, ensure_ascii=False, separators=(",", ":"))


def split_blocks(text: str) -> tuple[str, list[str]]:
    """The Markdown MkDocs renders and the blocks put back afterwards."""
    import json

    md, sep, blocks = text.partition(BLOCKS_MARK)
    return md, (json.loads(blocks) if sep else [])
