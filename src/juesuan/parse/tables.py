"""Every table printed in the report as a rectangular `ReportTable`, with its title.

Rules (the Word text export, see shared/seeds/README.md, decides most of them):

- Fragments. One `read.Table` may hold several printed tables when the export left only blank
  lines between them; a new table starts at a *title row* (one non-empty cell, in the first
  column, worded like a table title: ends in 表 / 自评 / 自评表 / 一览表, optionally followed by
  “（…）”). A fragment with no body (only title rows, e.g. a heading the export wrote as a
  one-cell table) is not a table: its text becomes the caption of the next table.
- Title. In order: the table's own leading title rows (“（2024年度）” rows are appended,
  “单位：万元” goes to `facts["单位"]`); a caption left by a bodiless fragment; the nearest
  preceding caption paragraph (表1…, 附表…, …见下表); the immediately preceding paragraph when it
  is a short numbered heading. Otherwise None — a title is never made up.
- Width is the longest row. Horizontally merged cells are printed once, so a short row is padded
  at its end. In a header row the last heading is carried across the columns it lacks (a
  heading printed once over several columns); an empty heading cell takes the text on its left
  when a lower header row has text in that column. Header rows are joined per column with “/”.
- Body cells are kept as printed. A vertically merged cell shows as an empty cell below its
  first row; body cells are never filled from above, because carrying an amount down would
  count it twice. (The 绩效自评表 indicator levels are carried down separately, in
  `tables_performance`.)
- Header rows: the first row when it has at least two texts and no number; further rows while
  they start with an empty cell and hold no number. Forms (绩效自评表) print no column-heading
  row at their top: their header is all empty strings and every row is body.
- `table_shape` warning: a plain table whose body rows have different lengths (where a missing
  cell was cannot be known), or an indicator row longer than its header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..read.document import Document, Paragraph, Table
from ..record import Record, ReportTable, Source, Warning
from . import tables_performance
from .sections import Part

_TITLE_ROW = re.compile(r"(?:表|自评|一览)(?:（[^）]{0,20}）)?$")
_SUBTITLE = re.compile(r"^（[^）]{1,20}）$")
_UNIT_ROW = re.compile(r"^(?:金额)?单位\s*[：:]\s*(\S{1,8})$")
_NUMBER = re.compile(r"^[-+]?[¥￥$]?\s*\d[\d.]*\s*(?:%|‰|万元|亿元|元|分)?$")
_CAPTION = re.compile(r"^(?:续)?(?:附)?表\s*[\d一二三四五六七八九十]*|表(?:（[^）]{0,20}）)?[。：]?$|[见如]下表[。：]?$")
_HEADING = re.compile(r"^(?:（[一二三四五六七八九十\d]{1,3}）|[一二三四五六七八九十]{1,3}、|\d{1,2}\s*[.．、]|第.{1,3}部分)")


@dataclass
class Fragment:
    """A run of rows that forms one printed table."""

    rows: list[list[str]]
    lines: list[int]
    page: int | None
    title_rows: int = 0  # leading rows that are the table's own title
    title: str | None = None
    facts: dict[str, str] = field(default_factory=dict)


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    """Append every table of the document, in report order, to `record.tables`."""
    index = 0
    recent: list[Paragraph] = []  # paragraphs since the previous table, newest last
    pending_caption: str | None = None
    for block in document.blocks:
        if isinstance(block, Paragraph):
            recent.append(block)
            if len(recent) > 4:
                del recent[0]
            continue
        if not isinstance(block, Table) or not block.rows:
            continue
        for fragment in _fragments(block):
            if fragment.title_rows >= len(fragment.rows) or not any(any(c for c in r) for r in fragment.rows[fragment.title_rows:]):
                pending_caption = fragment.title or pending_caption
                continue
            index += 1
            title = fragment.title or pending_caption or _caption(recent)
            pending_caption = None
            _build(fragment, index, title, record)
        recent = []


def _fragments(table: Table) -> list[Fragment]:
    """Split a reader table at title rows; find each fragment's own title rows."""
    lines = table.row_lines or [table.line] * len(table.rows)
    starts = [0]
    for i in range(1, len(table.rows)):
        if _is_title_row(table.rows[i]) and i + 1 < len(table.rows) and i - starts[-1] >= 2:
            starts.append(i)
    out = []
    for a, b in zip(starts, starts[1:] + [len(table.rows)]):
        fragment = Fragment(rows=[list(r) for r in table.rows[a:b]], lines=list(lines[a:b]), page=table.page)
        _own_title(fragment)
        out.append(fragment)
    return out


def _filled(row: list[str]) -> list[str]:
    return [c for c in row if c.strip()]


def _is_title_row(row: list[str]) -> bool:
    filled = _filled(row)
    return len(filled) == 1 and bool(row[0].strip()) and bool(_TITLE_ROW.search(row[0].strip())) and len(row[0]) <= 80


def _own_title(fragment: Fragment) -> None:
    """Leading one-cell rows: the title, a “（2024年度）” subtitle, a “单位：万元” line."""
    rows = fragment.rows
    if len(rows) < 2 or max(len(_filled(r)) for r in rows) < 2:
        if len(rows) == 1 and len(_filled(rows[0])) == 1 and rows[0][0].strip():
            fragment.title, fragment.title_rows = rows[0][0].strip(), 1  # a one-cell “table”
        return
    i = 0
    title: str | None = None
    while i < len(rows):
        filled = _filled(rows[i])
        if len(filled) != 1 or not rows[i][0].strip() or _NUMBER.match(filled[0]):
            break
        text = filled[0].strip()
        unit = _UNIT_ROW.match(text)
        if unit:
            fragment.facts["单位"] = unit.group(1)
        elif title is None:
            title = text
        elif _SUBTITLE.match(text):
            title += text
        else:
            break
        i += 1
    fragment.title, fragment.title_rows = title, i


def _caption(recent: list[Paragraph]) -> str | None:
    """The nearest caption paragraph before a table, else a heading right before it."""
    for p in reversed(recent):
        text = p.text.strip()
        if text and len(text) <= 80 and _CAPTION.search(text):
            return text
    if recent:
        text = recent[-1].text.strip()
        if len(text) <= 40 and _HEADING.match(text):
            return text
    return None


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.replace(" ", "")))


def _build(fragment: Fragment, index: int, title: str | None, record: Record) -> None:
    rows = fragment.rows[fragment.title_rows:]
    lines = fragment.lines[fragment.title_rows:]
    width = max(len(r) for r in rows)
    source = Source(line=lines[0], text=" | ".join(_filled(rows[0])), page=fragment.page, line_end=lines[-1])
    perf = tables_performance.indicator_header(rows)
    if perf is not None:
        header = [""] * width
        body = [r + [""] * (width - len(r)) for r in rows]
        table = ReportTable(index=index, title=title, header=header, rows=body, source=source, facts=dict(fragment.facts))
        tables_performance.read(table, rows, lines, perf, record)
        record.tables.append(table)
        return
    n_header = _header_rows(rows)
    header = _join_header(rows[:n_header], width)
    body_rows = rows[n_header:]
    body = [r + [""] * (width - len(r)) for r in body_rows]
    lengths = {len(r) for r in body_rows}
    if len(lengths) > 1:
        short = [lines[n_header + i] for i, r in enumerate(body_rows) if len(r) < width]
        record.warnings.append(
            Warning(
                code="table_shape",
                message=f"表{index}（{title or '无标题'}）各行单元格数不同（{sorted(lengths)}）：第{short[0]}行等较短的行已在末尾补空，"
                "合并单元格的位置无法从文本导出判断，请对照原文核对该表",
                source=source,
            )
        )
    record.tables.append(ReportTable(index=index, title=title, header=header, rows=body, source=source, facts=dict(fragment.facts)))


def _header_rows(rows: list[list[str]]) -> int:
    """How many leading rows are column headings (0 when the first row holds a number)."""
    if len(rows) < 2:
        return 0
    first = rows[0]
    if len(_filled(first)) < 2 or any(_is_number(c) for c in first if c.strip()):
        return 0
    n = 1
    while n < len(rows) - 1 and n < 3:
        row = rows[n]
        if row and not row[0].strip() and _filled(row) and not any(_is_number(c) for c in row if c.strip()):
            n += 1
        else:
            break
    return n


def _join_header(header_rows: list[list[str]], width: int) -> list[str]:
    """Column names from the header rows: spans carried across, levels joined with “/”."""
    if not header_rows:
        return [""] * width
    grid = []
    for k, row in enumerate(header_rows):
        cells = [c.strip() for c in row]
        if len(cells) < width and cells and cells[-1]:
            cells += [cells[-1]] * (width - len(cells))  # the last heading spans the rest
        cells += [""] * (width - len(cells))
        below = header_rows[k + 1:]
        for j in range(1, width):
            if not cells[j] and cells[j - 1] and any(j < len(b) and b[j].strip() for b in below):
                cells[j] = cells[j - 1]
        grid.append(cells)
    names = []
    for j in range(width):
        parts: list[str] = []
        for cells in grid:
            if cells[j] and (not parts or parts[-1] != cells[j]):
                parts.append(cells[j])
        names.append("/".join(parts))
    return names
