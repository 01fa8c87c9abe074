"""The record: everything one report states, as plain data, each number with its source.

This is the contract between the extraction stage (`juesuan.parse`) and everything after it
(`juesuan.package`, `juesuan.checks`, `juesuan.site`). Nothing downstream re-reads report text.

Rules the parser follows when filling a record:
- Values are kept as printed: `value` is the number, `text` the numeral exactly as printed
  (so "0.00" keeps its precision), `unit` the unit printed with it. Never rescaled.
- A field the parser could not read stays None and a `Warning` says so. Nothing is guessed.
- Every number carries a `Source`: where in the report it was printed and the sentence.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

RECORD_VERSION = 1


@dataclass
class Source:
    """Where something was printed: line (and page for PDF) and the exact sentence or cell text."""

    line: int
    text: str
    page: int | None = None
    line_end: int | None = None


@dataclass
class Figure:
    """One stated metric (ids from METRICS.md and its extension in `data/metrics.csv`)."""

    metric: str
    value: float
    text: str  # the numeral as printed, e.g. "1853.47" or "0.00"
    unit: str  # 万元, 元, %, 分, 个, 人, 辆, 次, 批次, 人次, 台（套）...
    source: Source
    share_pct: float | None = None  # stated share, “占86%”
    change: float | None = None  # stated change vs last year, signed (减少/下降 → negative)
    change_pct: float | None = None  # stated change in %, signed
    budget_completion_pct: float | None = None  # “完成预算66.1%”
    reason: str | None = None  # “主要变动原因是…” / “决算数小于预算数的主要原因是…”
    qualifier: str | None = None  # distinguishes repeated metrics, e.g. a vehicle type or a section


@dataclass
class ClassShare:
    """一般公共预算财政拨款支出决算结构: one 类 with its amount and stated share."""

    name: str  # 类 name as printed (e.g. 科学技术支出)
    amount: float
    amount_text: str
    unit: str
    source: Source
    share_pct: float | None = None


@dataclass
class LineItem:
    """一般公共预算财政拨款支出决算具体情况: one 项 line item."""

    class_name: str | None  # 类, carried from context when the report omits it
    kuan_name: str | None  # 款
    xiang_name: str | None  # 项
    amount: float
    amount_text: str
    unit: str
    source: Source
    budget_completion_pct: float | None = None
    budget: float | None = None  # 预算数 where stated
    explanation: str | None = None  # e.g. “决算数大于预算数的主要原因是…”


@dataclass
class TextItem:
    """A listed piece of text: a responsibility, a sub-unit, an internal office."""

    text: str
    source: Source


@dataclass
class Note:
    """Narrative text kept as text, keyed by topic (e.g. three_public_reception details)."""

    topic: str
    text: str
    source: Source


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    source: Source


@dataclass
class PerformanceScore:
    """预算绩效管理: a self-evaluation score of the department as a whole or of one project."""

    subject: str  # 部门整体 name or project name
    kind: str  # "department" | "project"
    score: float
    source: Source
    summary: str | None = None  # 绩效自评综述


@dataclass
class ReportTable:
    """A table printed in the report (附件), rectangular, merged cells resolved.

    `header` holds the column names (joined from several header rows where needed); `rows`
    the body, every row as long as `header`. Cells are text as printed; `juesuan.package`
    types numeric columns. `facts` holds header facts of 绩效自评表 (项目名称, 主管部门, 资金...).
    """

    index: int  # 1-based number of the table in the report
    title: str | None
    header: list[str]
    rows: list[list[str]]
    source: Source
    kind: str = "table"  # "table" | "performance_self_evaluation"
    facts: dict[str, str] = field(default_factory=dict)


@dataclass
class Indicator:
    """One row of a 绩效自评表, normalised."""

    table_index: int  # ReportTable.index it came from
    subject: str | None  # 项目名称 or department
    level1: str | None  # 一级指标
    level2: str | None  # 二级指标
    level3: str | None  # 三级指标
    source: Source
    nature: str | None = None  # 指标性质 (≥, ≤, =, 定性...)
    target: str | None = None  # 指标值 / 年度指标值
    unit: str | None = None  # 度量单位
    weight: str | None = None  # 权重 / 分值
    actual: str | None = None  # 实际完成值
    score: str | None = None  # 得分
    deviation_reason: str | None = None  # 偏差原因分析及改进措施


@dataclass
class Warning:
    """Something the reader should know: a missing section, an unreadable figure, a slip."""

    code: str  # stable id, e.g. missing_section, unread_figure, stray_number, missing_identity
    message: str  # Chinese or English, says what and where
    source: Source | None = None


@dataclass
class Identity:
    department: str | None = None  # the report's own full name
    short_names: list[str] = field(default_factory=list)  # 市科技局 ...
    other_names: list[str] = field(default_factory=list)  # other full-looking names found in the text
    province: str | None = None
    city: str | None = None
    district: str | None = None
    fiscal_year: int | None = None
    kind: str | None = None  # 部门决算 | 单位决算
    unit: str | None = None  # money unit of the report: 万元 | 元
    subunit_count: int | None = None  # 二级预算单位 count as stated
    # field name → "manifest" | "text"; where a field came from
    origins: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


@dataclass
class SourceFile:
    path: str  # as given (relative to the reports folder when built from one)
    name: str  # file name
    sha256: str
    format: str  # txt | docx | pdf
    size: int
    encoding: str | None = None
    pages: int | None = None
    source_url: str | None = None


@dataclass
class Record:
    source_file: SourceFile
    identity: Identity
    figures: list[Figure] = field(default_factory=list)
    spending_by_class: list[ClassShare] = field(default_factory=list)
    line_items: list[LineItem] = field(default_factory=list)
    responsibilities: list[TextItem] = field(default_factory=list)
    subunits: list[TextItem] = field(default_factory=list)
    offices: list[TextItem] = field(default_factory=list)  # 内设机构
    notes: list[Note] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    performance_scores: list[PerformanceScore] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # standard template parts found
    version: int = RECORD_VERSION

    def figure(self, metric: str, qualifier: str | None = None) -> Figure | None:
        """The first figure with this metric id (and qualifier, when given)."""
        for f in self.figures:
            if f.metric == metric and (qualifier is None or f.qualifier == qualifier):
                return f
        return None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Record":
        return _build(cls, data)

    @classmethod
    def from_json(cls, text: str) -> "Record":
        return cls.from_dict(json.loads(text))


def _build(cls: type, data: Any) -> Any:
    """Rebuild nested dataclasses from `asdict` output (types from the annotations above)."""
    import typing

    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    import typing

    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        non_none = [a for a in args if a is not type(None)]
        return _convert(non_none[0], value) if len(non_none) == 1 else value
    if origin is list:
        return [_convert(args[0], v) for v in value]
    if origin is dict:
        return {k: _convert(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _build(tp, value)
    return value
