"""Adding figures and warnings to a record: one place for the rules on repeats and slips."""

from __future__ import annotations

from ..read.document import Paragraph
from ..record import Figure, Record, Source, Warning

ATTRIBUTES = ("share_pct", "change", "change_pct", "budget_completion_pct", "reason")


def source_of(paragraph: Paragraph, text: str | None = None) -> Source:
    """Where a paragraph (or a sentence of it) was printed."""
    return Source(
        line=paragraph.line,
        text=(text if text is not None else paragraph.text).strip(),
        page=paragraph.page,
        line_end=paragraph.line_end,
    )


def warn(record: Record, code: str, message: str, source: Source | None = None) -> None:
    """Add a warning once (same code, message and line)."""
    line = source.line if source else None
    for w in record.warnings:
        if w.code == code and w.message == message and (w.source.line if w.source else None) == line:
            return
    record.warnings.append(Warning(code=code, message=message, source=source))


def add_figure(record: Record, figure: Figure) -> Figure | None:
    """Add a figure; a metric stated again is kept only when it says something new.

    The template states some amounts twice (e.g. a 三公 part in the summary and again in its
    detail with 完成预算 and the change). A restatement with the same value and nothing new is
    dropped; one with new attributes is kept with qualifier "restated"; one with a different
    value is kept as "restated" and flagged, since the report contradicts itself.
    """
    if figure.qualifier is None:
        first = next((f for f in record.figures if f.metric == figure.metric and f.qualifier is None), None)
        if first is not None:
            same_value = abs(first.value - figure.value) < 1e-9 and first.unit == figure.unit
            new = [a for a in ATTRIBUTES if getattr(figure, a) is not None and getattr(first, a) is None]
            if same_value and not new:
                return None
            if not same_value:
                warn(
                    record,
                    "inconsistent_figure",
                    f"{figure.metric}: stated as {first.text}{first.unit} (line {first.source.line}) "
                    f"and as {figure.text}{figure.unit} (line {figure.source.line})",
                    figure.source,
                )
            figure.qualifier = "restated"
            if any(f.metric == figure.metric and f.qualifier == "restated" for f in record.figures):
                if same_value:
                    return None
    else:
        for f in record.figures:
            if f.metric == figure.metric and f.qualifier == figure.qualifier:
                if abs(f.value - figure.value) < 1e-9:
                    return None
                warn(
                    record,
                    "inconsistent_figure",
                    f"{figure.metric} ({figure.qualifier}): stated as {f.text} and as {figure.text}",
                    figure.source,
                )
                return None
    record.figures.append(figure)
    return figure
