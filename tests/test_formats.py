"""The same report as .txt, .docx and .pdf reads to the same texts and the same figures.

The .docx is built from the .txt (juesuan.convert) and the .pdf from the .docx by LibreOffice,
so any difference is the reader's doing. Two differences come from PDF itself and are allowed,
exactly as follows:

1. Spaces. The PDF text layer has no space characters; pdfplumber infers a space from a gap
   between glyphs. A single space next to a CJK character (e.g. "（试行）> 的通知") is drawn as a
   gap narrower than the tolerance and is lost. Texts are therefore compared with spaces removed.
2. A table's first row alone at the foot of a page. When a table's one-cell title row lands at the
   bottom of a page and the rest of the table on the next, that lone row is not found as a
   table (seen twice in sichuan-suining-kejiju-2024: "专项资金绩效目标完成情况自评表") and comes out
   as a paragraph. One-cell rows are therefore compared as paragraphs, in reading order.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from juesuan.parse import parse_document
from juesuan.read import Paragraph
from juesuan.read import read_report as _read_report

read_report = lru_cache(maxsize=None)(_read_report)  # each PDF is laid out once per session

STEMS = [
    "sichuan-panzhihua-kejiju-2022",
    "sichuan-panzhihua-kexie-2022",
    "sichuan-panzhihua-xiqu-jingxinju-2022",
    "sichuan-panzhihua-xiqu-kejiju-2021",
    "sichuan-suining-kejiju-2024",
]


def _stream(doc, strip_spaces: bool) -> list[tuple]:
    """Paragraphs and table rows in reading order; one-cell rows count as paragraphs."""
    fix = (lambda s: s.replace(" ", "")) if strip_spaces else (lambda s: s)
    out: list[tuple] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(("p", fix(block.text)))
            continue
        for row in block.rows:
            out.append(("p", fix(row[0])) if len(row) == 1 else ("row", tuple(fix(c) for c in row)))
    return out


def _figures(path):
    record = parse_document(read_report(path))
    figures = [(f.metric, f.qualifier, f.value, f.unit, f.share_pct, f.change, f.change_pct, f.budget_completion_pct)
               for f in record.figures]
    items = [(i.class_name, i.kuan_name, i.xiang_name, i.amount, i.unit, i.budget_completion_pct) for i in record.line_items]
    return figures, items


def test_samples_are_all_here(sample_txt_paths):
    assert sorted(sample_txt_paths) == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_docx_reads_exactly_like_txt(stem, sample_txt_paths, sample_docx_paths):
    txt = read_report(sample_txt_paths[stem])
    docx = read_report(sample_docx_paths[stem])
    assert docx.format == "docx"
    assert [p.text for p in docx.paragraphs()] == [p.text for p in txt.paragraphs()]
    assert [t.rows for t in docx.tables()] == [t.rows for t in txt.tables()]


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_reads_like_txt(stem, sample_txt_paths, sample_pdf_paths):
    txt = read_report(sample_txt_paths[stem])
    pdf = read_report(sample_pdf_paths[stem])
    assert pdf.format == "pdf" and pdf.pages and pdf.pages > 5
    assert _stream(pdf, strip_spaces=True) == _stream(txt, strip_spaces=True)
    assert len(pdf.tables()) == len(txt.tables())
    assert all(b.page and 1 <= b.page <= pdf.pages for b in pdf.blocks)
    pages = [b.page for b in pdf.blocks]
    assert pages == sorted(pages)  # page order kept


@pytest.mark.parametrize("stem", STEMS)
def test_figures_identical_in_all_formats(stem, sample_txt_paths, sample_docx_paths, sample_pdf_paths):
    txt_figures, txt_items = _figures(sample_txt_paths[stem])
    assert len(txt_figures) > 0, "the parser extracted no figure: this comparison would be empty"
    for other in (sample_docx_paths[stem], sample_pdf_paths[stem]):
        figures, items = _figures(other)
        assert figures == txt_figures, other.suffix
        assert items == txt_items, other.suffix


def test_pdf_keeps_pages_and_lines(sample_pdf_paths):
    doc = read_report(sample_pdf_paths["sichuan-panzhihua-kejiju-2022"])
    first = doc.paragraphs()[0]
    assert first.page == 1 and first.line == 1
    joined = next(p for p in doc.paragraphs() if p.text.startswith("4.卫生健康（类）其他卫生健康支出"))
    assert joined.text.endswith("支出决算为0.36万元，完成预算100%，决算数等于预算数。")  # wrapped in the PDF
    assert joined.line_end and joined.line_end > joined.line
