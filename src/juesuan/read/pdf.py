"""PDF reports with a text layer: text and drawn tables in page order, with page numbers.

pdfminer has no timeout and can be made to eat memory, so the layout is read in a child forked from a clean fork server
process under a wall-clock limit and an address-space limit (settings.PDF_*). The child returns
plain lines and table cells; joining lines into paragraphs happens here, in `assemble`, so it can
be tested without a PDF.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..errors import ReportError
from .document import Block, Document, Paragraph, Table
from .normalize import has_traditional, join_lines, normalize_text

SCANNED = "scanned PDF with no text layer: run OCR first (e.g. ocrmypdf -l chi_sim) and try again"

# A line that starts a numbered item or a heading starts a new paragraph.
_NUMBERING = re.compile(
    r"\s*(?:\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+部分|附件\s*\d*$|表\d)"
)
# Running headers/footers: a bare page number.
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*[-—–])?\s*")
# The first unbreakable run of a line: up to the first place between two ideographs, where a
# line breaker may always break (quotes, closing punctuation, Latin words and numbers glue to
# their neighbours). If it would have fitted at the end of the line above, that line ended a paragraph.
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _first_run_length(text: str) -> int:
    """Number of leading characters that a line breaker keeps together."""
    for i in range(len(text) - 1):
        if _IDEOGRAPH.match(text[i]) and _IDEOGRAPH.match(text[i + 1]):
            return i + 1
    return len(text)


@dataclass
class Line:
    """One text line outside tables, as laid out on the page."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_width: float  # width of the first word or character (would it have fit above?)


@dataclass
class PdfTable:
    """One drawn table on one page; None marks a grid position covered by a merged cell."""

    page: int
    top: float
    x0: float
    x1: float
    rows: list[list[str | None]] = field(default_factory=list)


@dataclass
class Layout:
    """What the child process reports back: pages, and lines and tables in reading order."""

    pages: int
    page_height: float
    items: list[Line | PdfTable]
    chars: int


# ---------------------------------------------------------------- child process


def _layout(data: bytes, max_pages: int) -> Layout:
    """Read the PDF's layout (runs in the child)."""
    import io

    import pdfplumber

    items: list[Line | PdfTable] = []
    chars = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        if pages > max_pages:
            raise ReportError("", f"the PDF has {pages} pages (limit {max_pages}); split it or raise PDF_MAX_PAGES")
        height = float(pdf.pages[0].height) if pages else 0.0
        for number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            page_items: list[tuple[float, Line | PdfTable]] = []
            for t in tables:
                x0, top, x1, _ = t.bbox
                page_items.append((top, PdfTable(number, top, x0, x1, [list(r) for r in t.extract()])))

            def outside(obj, boxes=boxes) -> bool:
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            text_page = page.filter(outside) if boxes else page
            for ln in text_page.extract_text_lines(return_chars=True, strip=True):
                text = ln["text"]
                if not text.strip():
                    continue
                cs = [c for c in ln["chars"] if c["text"].strip()]
                n = _first_run_length("".join(c["text"] for c in cs))
                first_width = (cs[min(n, len(cs)) - 1]["x1"] - cs[0]["x0"]) if cs else 0.0
                line = Line(number, text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], first_width)
                page_items.append((ln["top"], line))
            page_items.sort(key=lambda it: it[0])
            items.extend(it for _, it in page_items)
            page.flush_cache()
    return Layout(pages, height, items, chars)


def _child(conn, data: bytes, memory: int, max_pages: int) -> None:
    """Child entry point: limit memory, read the layout, send it (or the error) back.

    Never prints a traceback: whatever happens, the parent gets one line or an exit code.
    """
    try:
        import pdfplumber  # noqa: F401  (imported before the limit: the limit is for the file)
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass
    too_big = f"reading the PDF needed more than {memory // 2**20} MiB (PDF_MEMORY_BYTES)"
    try:
        try:
            message = ("ok", _layout(data, max_pages))
        except ReportError as e:
            message = ("error", e.reason)
        except Exception as e:  # pdfminer raises many types for damaged or encrypted files
            name = type(e).__name__
            if _caused_by(e, MemoryError):
                message = ("error", too_big)
            elif "Password" in name or "Encrypt" in name:
                message = ("error", "encrypted PDF: save an unprotected copy and try again")
            else:
                message = ("error", f"damaged PDF ({name}: {str(e)[:120]}): re-download it or print it to a new PDF")
        except MemoryError:
            message = ("error", too_big)
        conn.send(message)
        conn.close()
    except BaseException:
        os._exit(3)  # even sending failed (out of memory): the parent reports the exit code
    os._exit(0)


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _context():
    """Children come from a fork server: a small clean process with pdfplumber preloaded.

    Forking the caller directly would hand the child the caller's heap (a test run or a batch
    worker can hold hundreds of MiB of free arenas), so the memory limit would depend on who
    called; a fork server makes it a limit on reading this one file, and is still fast.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pdfplumber"])
        return ctx
    return multiprocessing.get_context("spawn")


def read_layout(data: bytes, path: str, timeout: float | None = None, memory: int | None = None) -> Layout:
    """Run `_layout` in a child process with a wall-clock and memory limit."""
    timeout = settings.PDF_TIMEOUT_SECONDS if timeout is None else timeout
    memory = settings.PDF_MEMORY_BYTES if memory is None else memory
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, data, memory, settings.PDF_MAX_PAGES))
    proc.daemon = False
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise ReportError(path, f"reading the PDF took longer than {timeout:g} s (PDF_TIMEOUT_SECONDS); it may be damaged or built to stall readers")
        try:
            status, payload = parent.recv()
        except EOFError:
            proc.join(5)
            raise ReportError(path, f"the PDF reader crashed (exit code {proc.exitcode}); the file may be damaged or need more than {memory // 2**20} MiB") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status != "ok":
        raise ReportError(path, payload)
    return payload


# ---------------------------------------------------------------- assembly


def assemble(layout: Layout) -> list[Block]:
    """Join lines into paragraphs and page-split tables into one, then normalise every text."""
    lines = [it for it in layout.items if isinstance(it, Line)]
    left = statistics.mode(round(ln.x0) for ln in lines) if lines else 0.0
    right = max((ln.x1 for ln in lines), default=0.0)

    raw: list[list] = []  # ["p", [(Line, line_no)]] or ["t", merged PdfTable, row_lines, last piece]
    line_no = 0
    previous = None  # the last item (Line or PdfTable)
    for item in layout.items:
        if isinstance(item, PdfTable):
            rows = item.rows
            row_lines = list(range(line_no + 1, line_no + 1 + len(rows)))
            line_no += len(rows)
            prev_raw = raw[-1] if raw else None
            if prev_raw and prev_raw[0] == "t" and previous is prev_raw[1] and _continues(prev_raw[3], item):
                prev_raw[1].rows.extend(rows)  # a table split by a page break
                prev_raw[2].extend(row_lines)
                prev_raw[3] = item
            else:
                raw.append(["t", PdfTable(item.page, item.top, item.x0, item.x1, list(rows)), row_lines, item])
            previous = raw[-1][1]
            continue
        if _is_page_number(item, layout):
            continue
        line_no += 1
        item_no = line_no
        if raw and raw[-1][0] == "p" and previous is raw[-1][1][-1][0] and _same_paragraph(previous, item, left, right):
            raw[-1][1].append((item, item_no))
        else:
            raw.append(["p", [(item, item_no)]])
        previous = item

    texts = [ln.text for ln in lines] + [c for it in layout.items if isinstance(it, PdfTable) for r in it.rows for c in r if c]
    t2s = any(has_traditional(t) for t in texts)
    blocks: list[Block] = []
    for entry in raw:
        if entry[0] == "p":
            members = entry[1]
            text = normalize_text(join_lines([ln.text for ln, _ in members]), t2s)
            if text:
                first, last = members[0], members[-1]
                blocks.append(Paragraph(text=text, line=first[1], page=first[0].page, line_end=last[1] if last is not first else None))
        else:
            table: PdfTable = entry[1]
            rows = [[normalize_text(join_lines((c or "").split("\n")), t2s) for c in row if c is not None] for row in table.rows]
            rows = [r for r in rows if r]
            if rows:
                blocks.append(Table(rows=rows, line=entry[2][0], page=table.page, row_lines=entry[2][: len(rows)]))
    return blocks


def _continues(above: PdfTable, below: PdfTable) -> bool:
    """The table at the top of a page continues the one (piece) ending the previous page."""
    if below.page != above.page + 1:
        return False
    return abs(above.x0 - below.x0) < 2 and abs(above.x1 - below.x1) < 2


def _same_paragraph(prev: Line, line: Line, left: float, right: float) -> bool:
    """Does `line` continue the paragraph whose last line is `prev`?"""
    height = max(prev.bottom - prev.top, 1.0)
    if _NUMBERING.match(line.text):
        return False
    if line.x0 > left + 0.8 * height:  # indented first line, or a centred heading
        return False
    if prev.x1 + line.first_width < right - 0.5 * height:
        return False
    if prev.page == line.page and line.top - prev.bottom > 0.9 * height:  # paragraph spacing
        return False
    return True


def _is_page_number(line: Line, layout: Layout) -> bool:
    """A bare page number in a header or footer."""
    return bool(_PAGE_NUMBER.fullmatch(line.text)) and len(line.text) <= 12 and (line.top < 0.08 * layout.page_height or line.top > 0.92 * layout.page_height)


def read_pdf(path: Path, data: bytes, sha256: str) -> Document:
    """Read a .pdf with a text layer into a Document (pages kept)."""
    layout = read_layout(data, str(path))
    if layout.chars == 0 or not layout.items:
        raise ReportError(str(path), SCANNED)
    blocks = assemble(layout)
    warnings: list[str] = []
    cid = sum(b.text.count("(cid:") for b in blocks if isinstance(b, Paragraph))
    if cid:
        warnings.append(f"{cid} characters without a Unicode mapping ((cid:n)) in the text layer; figures near them may be missing")
    return Document(path=str(path), format="pdf", sha256=sha256, blocks=blocks, pages=layout.pages, warnings=warnings)
