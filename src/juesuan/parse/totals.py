"""Money metrics stated in the running text (METRICS.md and their change/share/completion).

Each paragraph is read once: the amounts it names (label + numeral), then the changes vs
last year, then the reasons. A change is attached to the metric it names, or to the amount
stated just before it in the same paragraph; a numeral that belongs to nothing is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..read.document import Document
from ..record import Figure, Record
from . import patterns as P
from .numbers import NUM, NUM_MONEY, NUM_RE, to_float
from .sections import Part, TextParagraph, text_paragraphs
from .sink import add_figure, source_of, warn

# Separate change metrics: metric of the amount → (change id, change % id).
CHANGE_METRICS = {
    "grand_total_income": ("grand_total_change", "grand_total_change_pct"),
    "grand_total_expenditure": ("grand_total_change", "grand_total_change_pct"),
    "fiscal_grand_total": ("fiscal_grand_total_change", "fiscal_grand_total_change_pct"),
    "general_budget_expenditure": ("general_budget_expenditure_change", "general_budget_expenditure_change_pct"),
}

# “2022年一般公共预算支出决算数为1890.5，完成预算100%” (具体情况 intro).
GB_COMPLETION = re.compile(
    rf"一般公共预算(?:财政拨款)?支出决算数?(?:为|是)?\s*(?P<num>{NUM})\s*(?:{P.MONEY_UNIT})?[，,]\s*完成(?:年初)?预算\s*(?P<pct>{NUM})\s*%"
)
# Paragraphs of 类/款/项 line items belong to spending.py.
LINE_ITEM_MARK = re.compile(r"[（(]\d*(?:款|项目?)[）)]")
_MONEY_OR_PCT = re.compile(r"\d\s*(?:万元|元|%)|决算数?为\s*\d")
YEAR = re.compile(r"^\d{4}$")
# Sections whose every money numeral should be a metric (else: unread_figure).
TOTALS_TOPICS = {"overall", "income", "expenditure", "fiscal", "gb_overall", "gb_basic", "fund", "state_capital", "operating", "procurement"}


@dataclass
class Mention:
    figure: Figure
    start: int
    end: int
    sentence: int
    changed: bool = False
    derived: bool = False  # a change metric made from a change statement


@dataclass
class ParagraphReading:
    mentions: list[Mention] = field(default_factory=list)


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    unit = record.identity.unit
    for tp in text_paragraphs(parts):
        text = tp.paragraph.text
        if tp.is_heading or not _MONEY_OR_PCT.search(text) or LINE_ITEM_MARK.search(text):
            continue
        read_paragraph(tp, record, unit)


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, the 。 included."""
    spans, start = [], 0
    for m in re.finditer(r"。", text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos < b:
            return i
    return len(spans) - 1


def _sentence(text: str, spans: list[tuple[int, int]], pos: int) -> str:
    """The sentence of `text` around position `pos`, as a source quotes it."""
    a, b = spans[_sentence_at(spans, pos)]
    return text[a:b].strip()


def read_paragraph(tp: TextParagraph, record: Record, unit: str | None) -> None:
    """All money metrics of one paragraph, with their attributes."""
    para = tp.paragraph
    text = para.text
    spans = _sentences(text)
    reading: list[Mention] = []

    def sentence_text(i: int) -> str:
        a, b = spans[i]
        return text[a:b].strip()

    def new_figure(metric: str, num: str, printed_unit: str | None, start: int, end: int) -> Mention:
        i = _sentence_at(spans, start)
        fig = Figure(
            metric=metric,
            value=to_float(num),
            text=num,
            unit=printed_unit or unit or "",
            source=source_of(para, sentence_text(i)),
        )
        if not printed_unit and not unit:
            warn(record, "unit_unknown", f"{metric}: no unit printed and the report's money unit is unknown", fig.source)
        return Mention(fig, start, end, i)

    taken: list[tuple[int, int]] = []
    for m in P.GRAND_PAIR.finditer(text) if "总计" in text else ():
        metrics = ("fiscal_grand_total",) if m.group("fiscal") else P.GRAND_BOTH
        if len(metrics) == 1:
            warn(record, "unread_figure", "two values for one 财政拨款收、支总计", source_of(para, sentence_text(_sentence_at(spans, m.start()))))
            continue
        reading.append(new_figure(metrics[0], m.group("a"), m.group("ua") or m.group("ub"), m.start(), m.end()))
        reading.append(new_figure(metrics[1], m.group("b"), m.group("ub"), m.start(), m.end()))
        taken.append((m.start(), m.end()))

    m2 = GB_COMPLETION.search(text) if "完成" in text else None
    if m2:
        mention = new_figure("general_budget_completion_pct", m2.group("pct"), "%", m2.start(), m2.end())
        reading.append(mention)
        taken.append((m2.start(), m2.end()))
        stated = record.figure("general_budget_expenditure")
        if stated is not None and abs(stated.value - to_float(m2.group("num"))) > 1e-9:
            warn(
                record,
                "inconsistent_figure",
                f"一般公共预算支出决算数 {m2.group('num')} differs from 一般公共预算财政拨款支出 {stated.text} (line {stated.source.line})",
                mention.figure.source,
            )

    for m in P.MONEY_MENTION.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        metrics = P.metrics_for_label(m.group("label"))
        if not metrics:
            continue
        if m.group("dup"):
            warn(record, "unit_slip", f"“{m.group(0)}”: the unit is printed twice", source_of(para, sentence_text(_sentence_at(spans, m.start()))))
        for metric in metrics:
            reading.append(new_figure(metric, m.group("num"), m.group("unit"), m.start(), m.end()))

    reading.sort(key=lambda x: x.start)
    _read_shares_and_completion(text, reading)
    changed = _read_changes(tp, record, text, spans, reading)
    _read_reasons(text, spans, reading, changed)
    _flag_leftover_numbers(record, tp, text, spans, reading)

    for mention in reading:
        add_figure(record, mention.figure)


def _read_shares_and_completion(text: str, reading: list[Mention]) -> None:
    """“，占86%” and “，完成预算66.1%” right after an amount (before the next amount)."""
    for i, mention in enumerate(reading):
        nxt = next((r.start for r in reading[i + 1 :] if r.start >= mention.end), len(text))
        tail = text[mention.end : nxt]
        if mention.figure.unit == "%":
            continue
        s = P.SHARE.match(tail)
        if s and not re.search(P.COMPARE, tail[: s.start("pct")]):
            mention.figure.share_pct = to_float(s.group("pct"))
        c = P.COMPLETION.match(tail)
        if c:
            mention.figure.budget_completion_pct = to_float(c.group("pct"))


def _signed(direction: str, value: float) -> float:
    return -value if direction in P.DOWN else value


def _subject_mentions(reading: list[Mention], subject: str, before: int) -> list[Mention]:
    """The amounts a change refers to: those its subject names, else the last amount before it."""
    earlier = [r for r in reading if r.start < before and r.figure.unit != "%" and not r.derived]
    named = P.metrics_named_in(subject)
    if named:
        family = set(named)
        if family & set(P.GRAND_BOTH):
            family |= {"fiscal_grand_total"}  # “收、支总计各增加…” in the 财政拨款 paragraph
        hits = [r for r in earlier if r.figure.metric in family]
        if hits:
            last_start = hits[-1].start
            return [r for r in hits if r.start == last_start]
    if earlier:
        last_start = earlier[-1].start
        return [r for r in earlier if r.start == last_start]
    return []


def _read_changes(tp: TextParagraph, record: Record, text: str, spans, reading: list[Mention]) -> list[Mention]:
    """Changes vs last year, signed; separate change metrics where METRICS.md has them."""
    para = tp.paragraph
    changed: list[Mention] = []
    events: list[tuple[int, str, re.Match[str]]] = [(m.start(), "change", m) for m in _changes(text)]
    if any(w in text for w in P.FLAT_WORDS):
        events += [(m.start(), "flat", m) for m in P.FLAT.finditer(text)]
    for start, kind, m in sorted(events, key=lambda e: e[0]):
        clause_start = max(text.rfind(c, 0, start) for c in "，,；。") + 1
        subject = text[clause_start:start]
        if kind == "change":
            subject += m.group("between")
            stray = [n for n in NUM_RE.findall(m.group("between")) if not YEAR.match(n)]
            if stray:
                warn(
                    record,
                    "stray_number",
                    f"“{', '.join(stray)}” stands in the change statement without a meaning; ignored",
                    source_of(para, _sentence(text, spans, start)),
                )
        targets = _subject_mentions(reading, subject, start)
        if not targets and tp.topic not in TOTALS_TOPICS:
            continue
        if not targets:
            warn(record, "unread_figure", "a change vs last year whose amount could not be found", source_of(para, _sentence(text, spans, start)))
            continue
        amount = pct = None
        amount_text = pct_text = None
        if kind == "flat":
            amount, pct = 0.0, None
        else:
            value = to_float(m.group("num"))
            if m.group("unit") == "%":
                pct, pct_text = _signed(m.group("dir"), value), m.group("num")
            else:
                amount, amount_text = _signed(m.group("dir"), value), m.group("num")
                if m.group("pct") is not None:
                    pct, pct_text = _signed(m.group("dir2"), to_float(m.group("pct"))), m.group("pct")
        for target in targets:
            if kind == "flat" and target.figure.change is None:
                target.figure.change = 0.0
                target.figure.change_pct = None
            if amount is not None:
                target.figure.change = amount
            if pct is not None:
                target.figure.change_pct = pct
            target.changed = True
            changed.append(target)
        if kind == "change":
            _emit_change_metrics(targets, amount, amount_text, pct, pct_text, m, reading, spans, text, para)
    return changed


def _changes(text: str) -> list[re.Match[str]]:
    """P.CHANGE matches of a paragraph (none without a direction word)."""
    return list(P.CHANGE.finditer(text)) if any(w in text for w in P.CHANGE_WORDS) else []


def _emit_change_metrics(targets, amount, amount_text, pct, pct_text, m, reading, spans, text, para) -> None:
    metrics = {CHANGE_METRICS[t.figure.metric] for t in targets if t.figure.metric in CHANGE_METRICS}
    i = _sentence_at(spans, m.start())
    sentence = _sentence(text, spans, m.start())
    unit = targets[0].figure.unit
    for change_id, pct_id in metrics:
        if amount is not None:
            fig = Figure(change_id, amount, amount_text, unit, source_of(para, sentence))
            reading.append(Mention(fig, m.start("num"), m.end("num"), i, derived=True))
        if pct is not None:
            fig = Figure(pct_id, pct, pct_text, "%", source_of(para, sentence))
            reading.append(Mention(fig, m.start(), m.end(), i, derived=True))


def _read_reasons(text: str, spans, reading: list[Mention], changed: list[Mention]) -> None:
    """“主要变动原因是…” goes to the amounts whose change it explains (or the last amount)."""
    if not any(w in text for w in P.REASON_WORDS):
        return
    for m in P.REASON.finditer(text):
        reason = m.group("reason").strip("，,；; ")
        if not reason:
            continue
        targets = [r for r in changed if r.start < m.start()]
        if targets:
            last_sentence = targets[-1].sentence
            targets = [r for r in targets if r.sentence == last_sentence]
        else:
            earlier = [r for r in reading if r.start < m.start() and r.figure.unit != "%" and not r.derived]
            targets = [r for r in earlier if r.start == earlier[-1].start] if earlier else []
        for r in targets:
            if r.figure.reason is None:
                r.figure.reason = reason
        for r in reading:
            if r.figure.metric in {c for t in targets for c in CHANGE_METRICS.get(t.figure.metric, ())}:
                if r.figure.reason is None:
                    r.figure.reason = reason


# “合计1,234万元”: the readers leave a lone comma group alone (it may be a list, “各是120,130万元”).
_GROUP = re.compile(r"\d[,，]\d{3}")  # in every _AMBIGUOUS_GROUPS match: a quick test first
_AMBIGUOUS_GROUPS = re.compile(rf"(?<![\d.])\d{{1,3}}[,，]\d{{3}}(?![\d.,，])\s*(?:{P.MONEY_UNIT})")


def _flag_leftover_numbers(record: Record, tp: TextParagraph, text: str, spans, reading: list[Mention]) -> None:
    """A sentence of the totals sections whose money numeral nobody read."""

    def read(pos: int) -> bool:
        return any(r.start <= pos < r.end for r in reading)

    def unread(m: re.Match[str], why: str) -> None:
        warn(record, "unread_figure", f"“{m.group(0)}”{why}", source_of(tp.paragraph, _sentence(text, spans, m.start())))

    for m in _AMBIGUOUS_GROUPS.finditer(text) if _GROUP.search(text) else ():
        if not read(m.start()):
            unread(m, ": the comma may separate thousands or two numbers; not read")
    if tp.topic not in TOTALS_TOPICS:
        return
    changes: list[re.Match[str]] | None = None
    for m in NUM_MONEY.finditer(text):  # = NUM followed by a money unit
        if read(m.start()):
            continue
        if changes is None:
            changes = _changes(text)
        if any(c.start("num") <= m.start() < c.end() for c in changes):
            continue
        if re.search(r"占|完成预算|比|增加|减少|增长|下降", text[max(0, m.start() - 12) : m.start()]):
            continue
        unread(m, " could not be tied to a metric")