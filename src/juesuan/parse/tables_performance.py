"""绩效自评表 (部门整体 / 项目支出 / 专项资金): header facts and normalised indicator rows.

These tables are forms: label/value rows at the top (项目名称, 主管部门, 预算数, 执行数 …), then
an indicator block headed by a row naming 一级指标 / 二级指标 / 三级指标 and the value columns.

- Columns of the indicator block are found from the words of its header row (指标性质, 指标值,
  度量单位, 权重, 实际完成, 得分, 偏差原因 …), never from fixed positions.
- 一级指标 and 二级指标 are merged vertically in Word and show as empty cells below their first
  row: an empty level cell takes the level above (二级 is reset when 一级 changes). 三级指标 and
  the value cells are never carried.
- Rows without a 三级指标 and without any value (blank template rows, “……” placeholders) are
  not indicators; they still update the carried levels.
- Facts: a cell naming a known form label (项目名称, 预算数, 其中：财政拨款 …) takes the cells to its
  right up to the next label, joined with a space (the 绩效分配方式 check boxes stay as
  printed, “£” marking an unticked box). Labels printed side by side are column headings: the
  next row's cells under them (when that row starts with an empty cell) are their values.
  “其中…” and 其他资金 amounts are keyed under the amount label printed above them in the same
  column (“预算数/其中：财政拨款”) so that 预算数 and 执行数 parts do not collide.
"""

from __future__ import annotations

import re

from ..record import Indicator, Record, ReportTable, Source, Warning

_SPACES = re.compile(r"\s+")
# Checked in this order: the first match wins for a header cell.
_COLUMNS = (
    ("level1", re.compile("一级指标")),
    ("level2", re.compile("二级指标")),
    ("level3", re.compile("三级指标")),
    ("nature", re.compile("性质")),
    ("deviation_reason", re.compile("偏差|原因|改进措施")),
    ("score", re.compile("得分")),
    ("weight", re.compile("权重|分值")),
    ("unit", re.compile("单位")),
    ("actual", re.compile("实际|完成值|完成指标值|完成情况")),
    ("target", re.compile("指标值|目标值|预期")),
)
_PLACEHOLDER = re.compile(r"^[.。…·\s]*$")
_TOTAL = re.compile(r"^(?:总分|合计|总计)$")

_FACT_LABEL = re.compile(
    r"^(?:其中：?)?(?:项目名称|部门(?:（单位）)?名称|单位名称|主管部门(?:及代码)?|实施单位|预算单位|项目类型|项目起止年限|"
    r"项目属性|使用范围|立项依据|申报（补助）条件|资金管理办法.*|中长期规划.*|绩效分配方式|"
    r"年初预算数|全年预算数|全年执行数|预算数|执行数|执行率|得分|分值|资金总额|年度资金总额|"
    r"财政拨款|其他资金|上年结转|预期目标|目标实际完成情况|实际完成情况|年度目标|总体目标|年度总体目标)$"
)
_SUB_AMOUNT = re.compile(r"^(?:其中|其他资金)")
_SELF_EVALUATION = re.compile("自评|评价")
_ACTUAL_HEADER = re.compile("实际|完成|得分")
_TITLE_SUFFIX = re.compile(r"(?:绩效目标完成情况|绩效目标|绩效)?(?:自评表|自评)$")


def _compact(text: str) -> str:
    return _SPACES.sub("", text).rstrip("：:")


def indicator_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(row index, field → column) of the indicator header row, or None for a plain table."""
    for i, row in enumerate(rows):
        cells = [_compact(c) for c in row]
        if not (any("一级指标" in c for c in cells) and any("二级指标" in c or "三级指标" in c for c in cells)):
            continue
        columns: dict[str, int] = {}
        first = next(j for j, c in enumerate(cells) if "一级指标" in c)
        for j, cell in enumerate(cells):
            if j < first:
                continue  # the block's own label (“年度绩效指标”) spans the rows on the left
            for name, pattern in _COLUMNS:
                if pattern.search(cell) and name not in columns:
                    columns[name] = j
                    break
        return i, columns
    return None


def read(table: ReportTable, rows: list[list[str]], lines: list[int], header: tuple[int, dict[str, int]], record: Record) -> None:
    """Fill `table.kind` and `table.facts`; append the table's indicators to `record.indicators`."""
    at, columns = header
    header_cells = [_compact(c) for c in rows[at]]
    if _SELF_EVALUATION.search(table.title or "") or any(_ACTUAL_HEADER.search(c) for c in header_cells):
        table.kind = "performance_self_evaluation"
    table.facts.update(_facts(rows[:at]))
    subject = table.facts.get("项目名称") or table.facts.get("部门名称") or table.facts.get("部门（单位）名称") or _subject(table.title)
    level1 = level2 = None
    width = len(rows[at])
    for row, line in zip(rows[at + 1:], lines[at + 1:]):
        cells = [c.strip() for c in row]
        if len(cells) > width:
            record.warnings.append(
                Warning(
                    code="table_shape",
                    message=f"表{table.index}的指标行比表头多出单元格（{len(cells)} > {width}），多出的单元格未读入指标",
                    source=Source(line=line, text=" | ".join(c for c in cells if c), page=table.source.page),
                )
            )

        def cell(name: str) -> str | None:
            j = columns.get(name)
            if j is None or j >= len(cells) or not cells[j]:
                return None
            return cells[j]

        first = next((c for c in cells if c), "")
        if _TOTAL.match(first):
            continue
        l1, l2 = cell("level1"), cell("level2")
        if l1 is not None and l1 != level1:
            level1, level2 = l1, None
        if l2 is not None:
            level2 = l2
        values = {name: cell(name) for name in ("level3", "nature", "target", "unit", "weight", "actual", "score", "deviation_reason")}
        if all(v is None or _PLACEHOLDER.match(v) for v in values.values()):
            continue
        record.indicators.append(
            Indicator(
                table_index=table.index,
                subject=subject,
                level1=level1,
                level2=level2,
                level3=values["level3"],
                source=Source(line=line, text=" | ".join(c for c in cells if c), page=table.source.page),
                nature=values["nature"],
                target=values["target"],
                unit=values["unit"],
                weight=values["weight"],
                actual=values["actual"],
                score=values["score"],
                deviation_reason=values["deviation_reason"],
            )
        )


def _subject(title: str | None) -> str | None:
    """The project or department a form is about, from a title like “X项目绩效目标自评”."""
    if not title:
        return None
    rest = _TITLE_SUFFIX.sub("", title).strip()
    return rest or None


def _facts(rows: list[list[str]]) -> dict[str, str]:
    """Label → value pairs of the form rows above the indicator block."""
    facts: dict[str, str] = {}
    column_label: dict[int, str] = {}  # amount label last printed in each column
    pending: dict[int, str] = {}  # column headings printed side by side, waiting for values
    for row in rows:
        cells = [c.strip() for c in row]
        labels = [bool(c) and bool(_FACT_LABEL.match(_compact(c))) for c in cells]
        if pending and cells and not cells[0]:
            for j, label in pending.items():
                if j < len(cells) and cells[j] and not labels[j]:
                    _put(facts, label, cells[j])
        pending = {}
        j = 0
        while j < len(cells):
            if not labels[j]:
                j += 1
                continue
            label = _compact(cells[j])
            k = j + 1
            while k < len(cells) and not labels[k]:
                k += 1
            if k == j + 1:  # a heading: followed by another label or by the row's end
                pending[j] = label
                j = k
                continue
            value = " ".join(c for c in cells[j + 1:k] if c)
            key = label
            if _SUB_AMOUNT.match(label) and j in column_label:
                key = f"{column_label[j]}/{label}"
            elif not _SUB_AMOUNT.match(label):
                column_label[j] = label
            if value:
                _put(facts, key, value)
            j = k
    return facts


def _put(facts: dict[str, str], key: str, value: str) -> None:
    if key in facts and facts[key] != value:
        n = 2
        while f"{key}#{n}" in facts:
            n += 1
        key = f"{key}#{n}"
    facts.setdefault(key, value)
