"""The catalog of accounting checks: stable id, severity, title, message template, explanation.

Shaped like frictionless' error catalog (type/title/template). The ids are stable: they are
published in every package's `checks` resource and the site's methodology page lists them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # the severity when the gap is beyond rounding; gaps within rounding are notes
    title: str
    template: str  # how the message reads; {…} are filled from the figures
    description: str


@dataclass
class Finding:
    """One thing in a report that does not add up (a row of the `checks` resource)."""

    rule: str
    severity: str  # error | warning | note
    message: str  # Chinese, names the figures and the gap
    metrics: list[str]
    expected: float | None = None
    actual: float | None = None
    difference: float | None = None
    source_lines: list[int] | None = None

    def to_row(self) -> dict:
        row = asdict(self)
        row["metrics"] = ";".join(self.metrics)
        row["source_lines"] = ";".join(str(n) for n in sorted(set(self.source_lines or [])))
        return row


_SUM = "{total} {total_value} ≠ {parts_label}之和 {parts_sum}（{parts}），相差 {difference}"

RULES: tuple[Rule, ...] = (
    Rule("income-sum", "error", "本年收入合计与各项收入之和",
         _SUM, "本年收入合计应等于一般公共预算财政拨款收入、政府性基金、国有资本经营、上级补助、事业、经营、附属单位上缴和其他收入之和。"),
    Rule("expenditure-sum", "error", "本年支出合计与各项支出之和",
         _SUM, "本年支出合计应等于基本支出、项目支出、上缴上级支出、经营支出和对附属单位补助支出之和。"),
    Rule("basic-expenditure-sum", "error", "人员经费 + 公用经费与一般公共预算财政拨款基本支出",
         _SUM, "一般公共预算财政拨款基本支出由人员经费和公用经费组成。"),
    Rule("three-public-sum", "error", "“三公”经费各项与合计",
         _SUM, "“三公”经费 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费。"),
    Rule("vehicle-costs-sum", "error", "公务用车购置费 + 运行维护费与公务用车购置及运行维护费",
         _SUM, "公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费。"),
    Rule("reception-sum", "error", "国内公务接待费 + 外事接待费与公务接待费",
         _SUM, "公务接待费 = 国内公务接待费 + 外事接待费。"),
    Rule("procurement-sum", "error", "政府采购货物、工程、服务与政府采购支出总额",
         _SUM, "政府采购支出总额 = 政府采购货物支出 + 工程支出 + 服务支出。"),
    Rule("class-items-sum", "error", "各“类”金额与其下各“项”之和",
         _SUM, "支出决算结构中每一类的金额应等于具体情况中该类各项支出之和。"),
    Rule("classes-total", "error", "各“类”之和与一般公共预算财政拨款支出",
         _SUM, "支出决算结构中各类金额之和应等于一般公共预算财政拨款支出。"),
    Rule("line-items-total", "error", "各“项”之和与一般公共预算财政拨款支出",
         _SUM, "支出决算具体情况中各项支出之和应等于一般公共预算财政拨款支出。"),
    Rule("count-sum", "error", "车辆数与其分类之和",
         "{total} {total_value} ≠ {parts_label}之和 {parts_sum}（{parts}）",
         "报告说明的车辆总数（公务用车保有量、购置数、按用途的车辆数）应等于“其中”所列各类之和。"),
    Rule("vehicle-purchase-sum", "error", "公务用车购置费与各车型购置金额",
         _SUM, "公务用车购置费应等于“其中”所列各车型（轿车、越野车、载客汽车……）的购置金额之和。"),
    Rule("subunit-count", "warning", "二级预算单位个数与所列单位",
         "说明二级预算单位 {stated} 个，实际列出 {listed} 个",
         "机构设置中说明的二级预算单位个数应与列出的单位名单一致。"),
    Rule("stated-share", "warning", "所述占比与计算占比",
         "{part} {part_value} 占 {total} {total_value} 的 {computed}%，报告称占 {stated}%",
         "报告所述的“占X%”应等于该项除以合计（允许印刷精度内的四舍五入）。"),
    Rule("stated-change-pct", "warning", "所述增减百分比与计算值",
         "{metric} {value}，比上年增减 {change}，按上年 {prior} 计算为 {computed}%，报告称 {stated}%",
         "增减百分比应等于增减额 ÷ 上年数（本年数 − 增减额）。"),
    Rule("repeated-figure", "warning", "同一数字在不同位置不一致",
         "{metric} 在第 {line_a} 行为 {value_a}，{other} 在第 {line_b} 行为 {value_b}",
         "同一个数字在报告中多次出现时应一致：同一指标在不同部分重述，或两处说明同一件事（如“三公”部分的公务用车保有量与国有资产部分的车辆数）。"),
    Rule("operating-costs", "note", "公用经费与机关运行经费",
         "公用经费 {public} ≠ 机关运行经费 {operating}",
         "没有下属单位的行政机关，机关运行经费通常等于一般公共预算财政拨款基本支出中的公用经费；不一致时值得核对。"),
    Rule("department-name", "warning", "报告中的部门名称不一致",
         "部门全称为“{department}”，报告中又称“{other}”",
         "报告中使用的部门名称和简称应指同一个部门；与全称对不上的名称可能是复制其他部门报告时遗留的。"),
    Rule("classification-unmapped", "note", "支出功能分类科目名称未能对应到编码",
         "{level}“{name}”不在本项目收录的政府收支分类科目中（最接近：{candidates}）",
         "本项目只收录在公开资料中见到编码的科目；未对应的名称不代表科目不存在，只是编码未能核实。"),
    Rule("metric-unknown", "warning", "未知指标",
         "指标 {metric} 不在 data/metrics.csv 中",
         "每个指标都应在 data/metrics.csv 中有中文名称和说明。"),
)

BY_ID = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return BY_ID[rule_id]


def catalog_rows() -> list[dict]:
    """The catalog as rows (for the `rules` resource and the methodology page)."""
    return [asdict(r) for r in RULES]
