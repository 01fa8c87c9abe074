"""Phrase tables: how the template names each money metric, as readable regex fragments.

Order matters: a longer or more specific name comes before a name it contains
(财政拨款收、支总计 before 收、支总计, 一般公共预算财政拨款基本支出 before 基本支出).
Names may carry the template's quotes (“三公”) and brackets in full or half width.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .numbers import MONEY_UNIT, NOT_COUNT, NUM, NUM_IN_LIST

L = r"[（(]"  # opening bracket, full or half width
R = r"[）)]"
Q = r"[“”\"']?"

GRAND_BOTH = ("grand_total_income", "grand_total_expenditure")

# (name pattern, metrics it states). A tuple of two metrics means one value for both.
MONEY_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"财政拨款收入?、\s*支出?总计", ("fiscal_grand_total",)),
    (r"财政拨款收支总计", ("fiscal_grand_total",)),
    (r"财政拨款收入总计、\s*支出总计", ("fiscal_grand_total",)),
    (r"收入?、\s*支出?总计", GRAND_BOTH),
    (r"收支总计", GRAND_BOTH),
    (r"收入总计", ("grand_total_income",)),
    (r"支出总计", ("grand_total_expenditure",)),
    (r"本年收入合计", ("income_total",)),
    (r"本年支出合计", ("expenditure_total",)),
    (r"一般公共预算财政拨款收入", ("income_general_budget",)),
    (r"政府性基金预算财政拨款收入", ("income_government_fund",)),
    (r"国有资本经营预算财政拨款收入", ("income_state_capital",)),
    (r"上级补助收入", ("income_higher_level_subsidy",)),
    (r"事业收入", ("income_public_service",)),
    (r"经营收入", ("income_business",)),
    (r"附属单位上缴收入", ("income_from_affiliates",)),
    (r"其他收入", ("income_other",)),
    (r"一般公共预算财政拨款基本支出", ("general_budget_basic_expenditure",)),
    (r"一般公共预算财政拨款支出", ("general_budget_expenditure",)),
    (r"政府性基金预算财政拨款支出", ("government_fund_expenditure",)),
    (r"国有资本经营预算财政拨款支出", ("state_capital_expenditure",)),
    (r"基本支出", ("expenditure_basic",)),
    (r"项目支出", ("expenditure_project",)),
    (r"上缴上级支出", ("expenditure_to_higher_level",)),
    (r"对附属单位补助支出", ("expenditure_to_affiliates",)),
    (r"经营支出", ("expenditure_business",)),
    (r"人员经费", ("personnel_expenses",)),
    (r"公用经费", ("public_expenses",)),
    (rf"{Q}三公{Q}经费(?:财政拨款)?支出(?:决算)?", ("three_public_total",)),
    (rf"因公出国{L}境{R}(?:经)?(?:费)?(?:用)?", ("three_public_overseas",)),
    (r"公务用车购置及运行(?:维护)?费", ("three_public_vehicles",)),
    (r"公务用车购置(?:费)?", ("vehicle_purchase",)),
    (r"公务用车运行(?:维护)?费", ("vehicle_operation",)),
    (r"国内公务接待(?:费)?", ("reception_domestic",)),
    (r"外事接待(?:费)?", ("reception_foreign",)),
    (r"公务接待费", ("three_public_reception",)),
    (r"机关运行经费", ("operating_costs",)),
    (r"政府采购支出总额", ("procurement_total",)),
    (r"政府采购货物支出", ("procurement_goods",)),
    (r"政府采购工程支出", ("procurement_works",)),
    (r"政府采购服务支出", ("procurement_services",)),
    (r"授予中小企业合同(?:金额)?", ("procurement_sme",)),
    (r"授予小微企业合同(?:金额)?", ("procurement_small_micro",)),
)

_LABEL_RES = tuple((re.compile(pattern), metrics) for pattern, metrics in MONEY_LABELS)
_ALTERNATION = "|".join(f"(?:{p})" for p, _ in MONEY_LABELS)

# Words allowed between a name and its numeral: 支出决算为 / 均为 / 各是 / 合计 / ：
VERB = r"(?:支出)?(?:决算)?(?:数)?(?:合计)?(?:总额)?(?:均|各)?(?:为|是|达)?[:：]?\s*"



def _first_chars() -> str:
    """Characters a money name can start with (its optional quote, or its first character)."""
    chars = set()
    for pattern, _ in MONEY_LABELS:
        if pattern.startswith(Q):
            chars.update("“”\"'")
            pattern = pattern[len(Q):]
        assert pattern[0] not in "[](){}\\.?*+|^$", pattern  # a plain first character
        chars.add(pattern[0])
    return "".join(sorted(chars))


# Where no name can start, the 44-way alternation is not tried at all (~35% faster scans).
_NAME_START = rf"(?=[{re.escape(_first_chars())}])"

# One stated amount: name, verb, numeral, unit ("万元万元" is a known slip).
MONEY_MENTION = re.compile(
    rf"{_NAME_START}(?P<label>{_ALTERNATION}){VERB}(?P<num>{NUM})\s*(?P<unit>{MONEY_UNIT})?(?P<dup>万元)?{NOT_COUNT}"
)

# “收、支总计各是A,B万元”: income and expenditure differ.
GRAND_PAIR = re.compile(
    rf"(?P<fiscal>财政拨款)?收入?、\s*支出?总计(?:分别|各)(?:是|为)\s*(?P<a>{NUM_IN_LIST})\s*(?P<ua>{MONEY_UNIT})?\s*"
    rf"[,，、和及]\s*(?P<b>{NUM_IN_LIST})\s*(?P<ub>{MONEY_UNIT})?"
)


@lru_cache(maxsize=4096)
def metrics_for_label(label: str) -> tuple[str, ...]:
    """Which metrics a printed name states (first matching row of MONEY_LABELS)."""
    for pattern, metrics in _LABEL_RES:
        if pattern.fullmatch(label):
            return metrics
    return ()


@lru_cache(maxsize=4096)
def metrics_named_in(text: str) -> tuple[str, ...]:
    """Metrics a subject phrase names (the longest name found wins)."""
    best: tuple[int, tuple[str, ...]] = (0, ())
    for pattern, metrics in _LABEL_RES:
        m = pattern.search(text)
        if m and len(m.group(0)) > best[0]:
            best = (len(m.group(0)), metrics)
    return best[1]


# A stated change vs last year. The comparison phrase, then what changed, then the change.
COMPARE = r"(?:与\s*(?:\d{4}\s*年度?|上年度?|上一?年度?)\s*(?:相比|比较)?|较\s*(?:\d{4}\s*年度?|上年度?|去年)|比\s*(?:\d{4}\s*年度?|上年度?|去年)|同比)"
UP = ("增加", "增长", "上升", "提高")
DOWN = ("减少", "下降", "降低")
DIRECTION = r"增加|增长|上升|提高|减少|下降|降低"
CHANGE = re.compile(
    rf"(?P<compare>{COMPARE})[，,]?(?P<between>[^。；;]*?)(?P<dir>{DIRECTION})\s*(?P<num>{NUM})\s*(?P<unit>{MONEY_UNIT}|%)?"
    rf"(?:[，,、]\s*(?P<dir2>{DIRECTION})\s*(?P<pct>{NUM})\s*%)?"
)
FLAT = re.compile(rf"(?P<compare>{COMPARE}|与上年数据|与上年度数据)[^。；;，,]{{0,8}}?(?:持平|一样|相同|无变化)")
# Words every CHANGE / FLAT / REASON match contains: a paragraph without one needs no scan.
CHANGE_WORDS = UP + DOWN
FLAT_WORDS = ("持平", "一样", "相同", "无变化")
REASON_WORDS = ("原因", "决算数")

# Reasons and budget comparisons: kept as printed up to the end of the sentence.
REASON = re.compile(
    r"(?P<reason>(?:决算数[与和]?预算数持平|决算数[大小等]于预算数)?(?:的)?主要(?:变动)?原因[^。]*|决算数[与和]预算数持平[^。]*|决算数[大小]于预算数是因[^。]*)"
)
SHARE = re.compile(rf"^[^。；;]*?占[^%。；;\d]{{0,15}}?(?P<pct>{NUM})\s*%")
COMPLETION = re.compile(rf"^[^。；;]*?完成(?:年初)?预算(?:的)?\s*(?P<pct>{NUM})\s*%")
