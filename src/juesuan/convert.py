"""Turn a Word text export (.txt) back into a .docx with real Word tables.

Used by the tests (a .docx, then a .pdf, of each sample report) and by scripts that build a
corpus in several formats. The .docx holds the normalised texts the .txt reader produced, so
the three formats can be compared block by block.
"""

from __future__ import annotations

from pathlib import Path

from .read.document import Paragraph
from .read.text import decode_report, parse_export


def text_export_to_docx(txt_path: Path, docx_path: Path) -> Path:
    """Write `docx_path` from the .txt export at `txt_path`; rows shorter than the table span their last cell."""
    import docx
    from docx.shared import Pt

    txt_path, docx_path = Path(txt_path), Path(docx_path)
    text, _, _ = decode_report(txt_path.read_bytes(), str(txt_path))
    word = docx.Document()
    style = word.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "Noto Serif CJK SC"
    for block in parse_export(text):
        if isinstance(block, Paragraph):
            word.add_paragraph(block.text)
            continue
        width = max(len(r) for r in block.rows)
        table = word.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"  # drawn borders: the PDF reader finds tables by their lines
        for row, cells in zip(table.rows, block.rows):
            _keep_row_on_one_page(row)
            doc_cells = row.cells
            if len(cells) < width:
                # a merged cell in the export: the last cell spans the rest of the row
                doc_cells[max(len(cells), 1) - 1].merge(doc_cells[width - 1])
            for k, value in enumerate(cells):
                doc_cells[k].text = value
        word.add_paragraph("")  # Word needs a paragraph between two tables
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(docx_path))
    return docx_path


def _keep_row_on_one_page(row) -> None:
    """Set w:cantSplit so a page break never cuts a row (its cell text) in two in the PDF."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
