"""The common shape every reader produces: a report as an ordered list of paragraphs and tables.

Readers (.txt, .docx, .pdf) differ; the parser only ever sees a `Document`, so a figure read
from any of the three formats comes out the same. Positions are kept so that every figure can
point back to where it was printed:

- `.txt`:  `line` is the 1-based line number in the file; `page` is None.
- `.docx`: `line` is the 1-based number of the paragraph or table row in document order
           (counting every paragraph and every table row once); `page` is None.
- `.pdf`:  `line` is the 1-based number of the text line in the whole document, `page` the
           1-based page number.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """One paragraph of running text, already normalised (see `read.normalize`)."""

    text: str
    line: int
    page: int | None = None
    line_end: int | None = None  # last line when the paragraph was joined from several


@dataclass
class Table:
    """A table as rows of cell texts, in reading order.

    Rows may have different lengths (merged cells show up as empty strings or missing cells);
    the parser makes them rectangular. `row_lines[i]` is the position of row i.
    """

    rows: list[list[str]]
    line: int
    page: int | None = None
    row_lines: list[int] = field(default_factory=list)


Block = Paragraph | Table


@dataclass
class Document:
    """A whole report, read but not yet understood."""

    path: str
    format: str  # "txt" | "docx" | "pdf"
    sha256: str
    blocks: list[Block]
    encoding: str | None = None  # .txt only: the encoding that was used to decode it
    pages: int | None = None  # .pdf only
    warnings: list[str] = field(default_factory=list)  # reader-level notes (e.g. replaced characters)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
