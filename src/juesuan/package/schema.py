"""Table Schemas of the package resources: every field typed, with a Chinese title and description."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ESCAPE_NOTE = (
    "CSV 中以 = + - @、制表符或回车开头的文本前加了一个单引号 '，以免电子表格把它当作公式；"
    "JSON 文件保留原文。"
)
MONEY_NOTE = "金额按报告原样，单位见 unit 列（万元或元），从不换算。"


@dataclass
class Field:
    name: str
    type: str  # string | number | integer | object
    title: str
    description: str
    required: bool = False
    minimum: float | None = None
    enum: list[str] | None = None
    unit: str | None = None  # custom property: unit of a money/percent field
    extra: dict[str, Any] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        d["description"] = self.description
        if self.unit:
            d["unit"] = self.unit
        d.update(self.extra)
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.enum is not None:
            constraints["enum"] = self.enum
        if constraints:
            d["constraints"] = constraints
        return d


def n_field(what: str = "行") -> Field:
    return Field("n", "integer", "序号", f"{what}在本报告中的顺序号，从 1 开始。", required=True, minimum=1)


def source_fields(text: bool = True) -> list[Field]:
    out = [
        Field("source_line", "integer", "原文行号", "该内容在报告原文中的行号（从 1 开始）。", minimum=1),
        Field("source_page", "integer", "原文页码", "PDF 报告的页码；文本和 Word 报告为空。", minimum=1),
    ]
    if text:
        out.append(Field("source_text", "string", "原文", "报告中写明该数字的原句或表格单元格。"))
    return out


def money(name: str, title: str, description: str, unit: str | None) -> Field:
    return Field(name, "number", title, f"{description}{MONEY_NOTE}", unit=unit)


def pct(name: str, title: str, description: str) -> Field:
    return Field(name, "number", title, f"{description}单位：%（百分数）。", unit="%")


def figures(metric_ids: list[str], unit: str | None) -> list[Field]:
    return [
        n_field("数字"),
        Field("metric", "string", "指标", "指标 id，见 data/metrics.csv（METRICS.md）。", required=True, enum=metric_ids),
        Field("label", "string", "指标名称", "指标的中文名称。"),
        Field("value", "number", "数值", "报告所述的数值，单位见 unit 列；金额按报告原样，从不换算。", required=True),
        Field("value_text", "string", "原文数值", "数值在报告中印出的样子（保留 0.00 等精度）。"),
        Field("unit", "string", "单位", "数值的单位：万元、元、%、分、个、人、辆……", required=True),
        Field("qualifier", "string", "限定", "区分同一指标的多次出现，如车辆类型或所在部分。"),
        pct("share_pct", "所述占比", "报告所述“占X%”。"),
        Field("change", "number", "比上年增减额", "报告所述比上年增减额，减少为负；单位同 unit 列。"),
        pct("change_pct", "比上年增减%", "报告所述比上年增减百分比，下降为负。"),
        pct("budget_completion_pct", "完成预算%", "报告所述“完成预算X%”。"),
        Field("reason", "string", "原因说明", "报告对变动或预决算差异的原因说明。"),
        *source_fields(),
    ]


def spending_by_function(unit: str | None) -> list[Field]:
    return [
        n_field("支出项目"),
        Field("class_name", "string", "类", "支出功能分类“类”的名称，按报告原样。"),
        Field("class_code", "string", "类编码", "政府收支分类科目编码（3 位）；本项目科目表中找不到时为空，不猜测。",
              extra={"pattern": "^[0-9]{3}$"}),
        Field("kuan_name", "string", "款", "“款”的名称，按报告原样。"),
        Field("kuan_code", "string", "款编码", "科目编码（5 位）；找不到时为空。", extra={"pattern": "^[0-9]{5}$"}),
        Field("xiang_name", "string", "项", "“项”的名称，按报告原样。"),
        Field("xiang_code", "string", "项编码", "科目编码（7 位）；找不到时为空。", extra={"pattern": "^[0-9]{7}$"}),
        money("amount", "支出决算数", "一般公共预算财政拨款支出决算数。", unit),
        Field("amount_text", "string", "原文金额", "金额在报告中印出的样子。"),
        Field("unit", "string", "单位", "金额单位（万元或元）。", required=True),
        money("budget", "预算数", "报告写明的预算数。", unit),
        pct("budget_completion_pct", "完成预算%", "报告所述“完成预算X%”。"),
        Field("explanation", "string", "说明", "决算数与预算数差异的原因说明。"),
        *source_fields(),
    ]


def spending_by_class(unit: str | None) -> list[Field]:
    return [
        n_field("类"),
        Field("class_name", "string", "类", "支出功能分类“类”的名称，按报告原样。", required=True),
        Field("class_code", "string", "类编码", "政府收支分类科目编码（3 位）；找不到时为空，不猜测。",
              extra={"pattern": "^[0-9]{3}$"}),
        money("amount", "金额", "一般公共预算财政拨款支出决算结构中该类的金额。", unit),
        Field("amount_text", "string", "原文金额", "金额在报告中印出的样子。"),
        Field("unit", "string", "单位", "金额单位（万元或元）。", required=True),
        pct("share_pct", "所述占比", "报告所述该类占一般公共预算财政拨款支出的比例。"),
        *source_fields(),
    ]


def text_items(what: str) -> list[Field]:
    return [
        n_field(what),
        Field("text", "string", what, f"{what}，按报告原文。", required=True),
        *source_fields(text=False),
    ]


def notes() -> list[Field]:
    return [
        n_field("说明"),
        Field("topic", "string", "主题", "说明所属的主题 id（如 three_public_reception）。", required=True),
        Field("text", "string", "内容", "报告原文。", required=True),
        *source_fields(text=False),
    ]


def glossary() -> list[Field]:
    return [
        n_field("名词"),
        Field("term", "string", "名词", "名词解释中的名词。", required=True),
        Field("definition", "string", "解释", "报告对该名词的解释。"),
        *source_fields(text=False),
    ]


def performance_scores() -> list[Field]:
    return [
        n_field("得分"),
        Field("subject", "string", "评价对象", "部门整体或项目名称。", required=True),
        Field("kind", "string", "类型", "department（部门整体）或 project（项目）。", required=True,
              enum=["department", "project"]),
        Field("score", "number", "自评得分", "绩效自评得分（分）。", required=True, minimum=0, unit="分"),
        Field("summary", "string", "自评综述", "绩效自评综述。"),
        *source_fields(),
    ]


def performance_indicators() -> list[Field]:
    def s(name: str, title: str, description: str) -> Field:
        return Field(name, "string", title, description)

    return [
        n_field("指标"),
        Field("table_index", "integer", "表序号", "该指标所在的附件表格序号（见 tables 资源）。", required=True, minimum=1),
        s("subject", "项目或部门", "绩效自评表的项目名称或部门。"),
        s("level1", "一级指标", "一级指标。"),
        s("level2", "二级指标", "二级指标。"),
        s("level3", "三级指标", "三级指标。"),
        s("nature", "指标性质", "≥、≤、=、定性等。"),
        s("target", "指标值", "年度指标值，按报告原样。"),
        s("unit", "度量单位", "度量单位。"),
        s("weight", "分值", "权重或分值，按报告原样。"),
        s("actual", "实际完成值", "实际完成值，按报告原样。"),
        s("score", "得分", "得分，按报告原样。"),
        s("deviation_reason", "偏差原因", "偏差原因分析及改进措施。"),
        *source_fields(text=False),
    ]


def tables_index() -> list[Field]:
    return [
        Field("table_index", "integer", "表序号", "表格在报告中的序号，从 1 开始。", required=True, minimum=1),
        Field("resource", "string", "资源名", "保存该表的资源名（table-NN）。", required=True),
        Field("title", "string", "表名", "报告中的表名。"),
        Field("kind", "string", "类型", "table 或 performance_self_evaluation（绩效自评表）。", required=True),
        Field("rows", "integer", "行数", "表体行数。", required=True, minimum=0),
        Field("columns", "integer", "列数", "列数。", required=True, minimum=0),
        Field("facts", "object", "表头信息", "绩效自评表表头信息（项目名称、主管部门、资金……），JSON 对象。"),
        *source_fields(text=False),
    ]


def warnings() -> list[Field]:
    return [
        n_field("提示"),
        Field("code", "string", "代码", "提示类型 id（如 missing_section、unread_figure）。", required=True),
        Field("message", "string", "说明", "说明未能读取或需要注意的内容及位置。", required=True),
        *source_fields(),
    ]


def checks(rule_ids: list[str]) -> list[Field]:
    return [
        n_field("发现"),
        Field("rule", "string", "规则", "核对规则 id，见目录包的 rules 资源。", required=True, enum=rule_ids),
        Field("severity", "string", "级别", "error（对不上）、warning（需核对）、note（四舍五入等）。", required=True,
              enum=["error", "warning", "note"]),
        Field("message", "string", "说明", "写明所涉数字和差额的中文说明。", required=True),
        Field("metrics", "string", "所涉指标", "所涉指标 id，以分号分隔。"),
        Field("expected", "number", "应为", "按规则应有的数值（如合计数）。"),
        Field("actual", "number", "实为", "计算或报告所述的数值。"),
        Field("difference", "number", "差额", "实为 − 应为。"),
        Field("source_lines", "string", "原文行号", "所涉内容在报告原文中的行号，以分号分隔。"),
    ]


def rules() -> list[Field]:
    return [
        Field("id", "string", "规则", "规则 id（稳定，不改名）。", required=True),
        Field("severity", "string", "级别", "差额超出四舍五入范围时的级别。", required=True,
              enum=["error", "warning", "note"]),
        Field("title", "string", "标题", "规则标题。", required=True),
        Field("template", "string", "说明模板", "发现的说明格式。", required=True),
        Field("description", "string", "规则说明", "规则核对的内容。", required=True),
    ]


def table_columns(header: list[str], numeric: list[bool], grouped: list[bool]) -> list[Field]:
    out = []
    for i, (title, is_num, has_group) in enumerate(zip(header, numeric, grouped), start=1):
        name = f"col_{i}"
        title = (title or "").strip() or f"第{i}列"
        if is_num:
            extra = {"groupChar": ","} if has_group else {}
            out.append(Field(name, "number", title, "表中该列的数值，按报告原样。", extra=extra))
        else:
            out.append(Field(name, "string", title, "表中该列的文字，按报告原样。"))
    return out


REPORT_KEYS = [
    Field("package", "string", "数据包", "该报告的数据包名（slug）。", required=True),
    Field("department", "string", "部门", "部门全称。"),
    Field("region", "string", "地区", "省 市 区县，以空格分隔。"),
    Field("fiscal_year", "integer", "年度", "决算年度。", minimum=1900),
]


def reports() -> list[Field]:
    return [
        Field("package", "string", "数据包", "数据包名（slug），即 datapackages/<package>/。", required=True),
        Field("title", "string", "标题", "数据包标题。", required=True),
        Field("department", "string", "部门", "部门全称。"),
        Field("province", "string", "省", "省级行政区。"),
        Field("city", "string", "市", "地级行政区。"),
        Field("district", "string", "区县", "县级行政区。"),
        Field("region", "string", "地区", "省 市 区县，以空格分隔。"),
        Field("region_path", "string", "地区路径", "地区的拼音路径，如 sichuan/panzhihua。", required=True),
        Field("department_slug", "string", "部门路径", "部门名（去掉地区前缀）的拼音。", required=True),
        Field("fiscal_year", "integer", "年度", "决算年度。", minimum=1900),
        Field("kind", "string", "类型", "部门决算或单位决算。"),
        Field("unit", "string", "金额单位", "报告的金额单位（万元或元）。"),
        money("expenditure_total", "本年支出合计", "本年支出合计。", None),
        money("general_budget_expenditure", "一般公共预算财政拨款支出", "一般公共预算财政拨款支出。", None),
        money("three_public_total", "“三公”经费", "“三公”经费财政拨款支出决算。", None),
        Field("figures", "integer", "数字个数", "提取到的数字个数。", required=True, minimum=0),
        Field("findings_error", "integer", "对不上", "error 级发现个数。", required=True, minimum=0),
        Field("findings_warning", "integer", "需核对", "warning 级发现个数。", required=True, minimum=0),
        Field("findings_note", "integer", "提示", "note 级发现个数。", required=True, minimum=0),
        Field("source_file", "string", "原始文件", "报告原始文件名。", required=True),
        Field("sha256", "string", "SHA-256", "原始文件的 SHA-256。", required=True, extra={"pattern": "^[0-9a-f]{64}$"}),
        Field("source_url", "string", "来源网址", "报告的发布网址（已知时）。"),
    ]


def build_report() -> list[Field]:
    return [
        Field("file", "string", "文件", "输入文件（相对报告文件夹）。", required=True),
        Field("status", "string", "状态", "ok（已发布）或 failed（未发布）。", required=True, enum=["ok", "failed"]),
        Field("package", "string", "数据包", "发布的数据包名。"),
        Field("reason", "string", "原因", "未发布的原因及处理办法。"),
    ]
