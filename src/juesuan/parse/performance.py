"""预算绩效管理: project counts by stage, and the department's and projects' self-evaluation scores."""

from __future__ import annotations

import re

from ..read.document import Document
from ..record import Figure, PerformanceScore, Record
from .numbers import NUM, to_float
from .sections import Part, text_paragraphs
from .sink import add_figure, source_of

# “对…等88个项目开展了预算事前绩效评估” / “对36个人员、公用、专项项目开展了…”
STAGES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (metric, re.compile(rf"(?P<n>{NUM})\s*个[^，。；\d]{{0,12}}?项目[^，。；\d]{{0,6}}?{phrase}"))
    for metric, phrase in (
        ("performance_ex_ante_projects", r"(?:开展了?|进行了?)(?:预算)?事前绩效评估"),
        ("performance_target_projects", r"编制了?(?:预算)?绩效目标"),
        ("performance_monitoring_projects", r"(?:开展|进行|实施)了?绩效(?:运行)?监控"),
        ("performance_self_evaluation_projects", r"(?:开展|进行)了?绩效自评(?!报告)"),
        ("performance_project_reports", r"绩效自评报告"),
    )
)
SCORE = re.compile(rf"绩效自评得分(?:为|是)?\s*(?P<n>{NUM})\s*分")
SUMMARY = re.compile(r"绩效自评综述\s*[:：]\s*")
TRAILER = re.compile(r"[^。；]*(?:详见附件|见附件)[^。；]*[。；]?\s*$")


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    for tp in text_paragraphs(parts):
        text = tp.paragraph.text
        if tp.is_heading or "绩效" not in text:
            continue
        for metric, pattern in STAGES:
            m = pattern.search(text)
            if m:
                add_figure(record, Figure(metric, to_float(m.group("n")), m.group("n"), "个", source_of(tp.paragraph)))
        scores = list(SCORE.finditer(text))
        for i, m in enumerate(scores):
            start = max(text.rfind(c, 0, m.start()) for c in "；。，,：:") + 1
            subject = text[start : m.start()].strip()
            end = len(text)
            if i + 1 < len(scores):
                nxt = scores[i + 1]
                end = max(text.rfind(c, 0, nxt.start()) for c in "；。，,：:") + 1 or nxt.start()
            s = SUMMARY.match(text, m.end() + 1) or SUMMARY.search(text, m.end(), min(end, m.end() + 12))
            summary = None
            if s:
                summary = TRAILER.sub("", text[s.end() : end]).strip().rstrip("；;，,")
                summary = summary or None
            kind = "department" if "整体" in subject else "project"
            source = source_of(tp.paragraph)
            record.performance_scores.append(
                PerformanceScore(subject=_subject_name(subject, kind), kind=kind, score=to_float(m.group("n")), source=source, summary=summary)
            )
            if kind == "department":
                add_figure(record, Figure("performance_self_score", to_float(m.group("n")), m.group("n"), "分", source))


def _subject_name(subject: str, kind: str) -> str:
    """The project's name as printed, without quotes and the trailing 专项预算项目/项目."""
    if kind == "department":
        return subject
    name = re.sub(r"(?:专项)?(?:预算)?项目$", "", subject).strip()
    if name.startswith("“") and name.endswith("”") and name.count("“") == 1:
        name = name[1:-1]
    return name or subject
