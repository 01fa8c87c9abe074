#!/usr/bin/env python3
"""Write N synthetic 部门决算 reports (Word text-export format) for tests and the benchmark.

Every report is fictional, says so near its top and in its file name (`synthetic-…`), and is
internally consistent: parts sum to totals, shares and changes are computed from the amounts,
and a department's stated change equals the difference to its own previous year in the corpus.
OUT/manifest.csv states each report's identity; OUT/truth.json holds the true values, so tests
and the benchmark can measure extraction accuracy.

Example:
    .venv/bin/python scripts/make_corpus.py 1000 build/corpus-1000 --seed 1
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_data import (  # noqa: E402
    APPENDIX_TABLE_TITLES,
    DEPARTMENT_KINDS,
    GLOSSARY_BASE,
    NARRATIVE,
    OFFICES,
    PERSONNEL_ITEMS,
    PROJECTS,
    PUBLIC_ITEMS,
    REASONS,
    REGIONS,
    RESPONSIBILITIES,
    SUBUNIT_SUFFIXES,
)

REPO = Path(__file__).resolve().parent.parent
CLASSIFICATION = REPO / "src" / "juesuan" / "data" / "classification.csv"
MARKER = "（本报告为 juesuan 合成的测试数据，非真实决算）"
PREFIX = "synthetic-"
MANIFEST_FIELDS = ("file", "department", "province", "city", "district", "fiscal_year", "kind")
LATEST_YEAR = 2024
COMMON_CLASSES = ("208", "210", "221")  # pensions, medical insurance, housing fund: nearly every department


class CorpusError(Exception):
    """A request the generator refuses, with what to do instead."""


# ----------------------------------------------------------------------------------------------
# Classification (类/款/项) from the project's code table.


def load_items() -> dict[str, list[tuple[str, str, str]]]:
    """(类 name, 款 name, 项 name) triples per 类 code, from data/classification.csv."""
    with CLASSIFICATION.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["code"]: r["name"] for r in rows}
    items: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows:
        if r["level"] != "项":
            continue
        kuan = r["parent_code"]
        lei = kuan[:3]
        if kuan in names and lei in names:
            items.setdefault(lei, []).append((names[lei], names[kuan], r["name"]))
    return items


# ----------------------------------------------------------------------------------------------
# Numbers: amounts are integer hundredths of 万元 so sums are exact.


def fmt_amount(cents: int, style: str, zero: str) -> str:
    """A 万元 amount as printed: '1234.50' (2dp) or '1234.5' (strip); zero as '0' or '0.00'."""
    if cents == 0:
        return zero
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    text = f"{sign}{c // 100}.{c % 100:02d}"
    if style == "strip":
        text = text.rstrip("0").rstrip(".")
    return text


def pct_hundredths(part: int, total: int) -> int:
    """part/total in hundredths of a percent, rounded half up."""
    if total == 0:
        return 0
    num = abs(part) * 10000 * 2 + abs(total)
    value = num // (2 * abs(total))
    return value if (part >= 0) == (total > 0) else -value


def fmt_pct(h: int, style: str) -> str:
    """A percentage from hundredths: '7.72', '100' (strip) or '100.00' (2dp); 'int' rounds to units."""
    if style == "int":
        q = (abs(h) + 50) // 100
        return f"{'-' if h < 0 else ''}{q}"
    return fmt_amount(h, "strip" if style == "strip" else "2dp", "0")


def pct_value(text: str) -> float:
    return float(text)


def split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split `total` cents by weights, exactly (largest remainder), every part ≥ 1 when possible."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(math.floor(x)) for x in raw]
    rest = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[:rest]:
        parts[i] += 1
    for i, p in enumerate(parts):  # no zero line items
        if p <= 0:
            j = max(range(len(parts)), key=lambda k: parts[k])
            if parts[j] > 1:
                parts[j] -= 1
                parts[i] += 1
    return parts


def frac(rng: random.Random, total: int, lo: float, hi: float) -> int:
    return int(total * rng.uniform(lo, hi))


# ----------------------------------------------------------------------------------------------
# Departments and which years each one publishes.


@dataclass(frozen=True)
class Department:
    province: str
    province_slug: str
    city: str
    city_slug: str
    district: str | None
    district_slug: str | None
    kind_name: str
    short: str
    slug: str
    field_word: str
    classes: tuple[str, ...]
    unit_kind: str

    @property
    def name(self) -> str:
        if self.district is None:
            return f"{self.city}{self.kind_name}"
        if self.district.endswith("市"):  # county-level city: its own name, no prefecture prefix
            return f"{self.district}{self.kind_name}"
        return f"{self.city}{self.district}{self.kind_name}"

    @property
    def level(self) -> str:
        return "区" if self.district and not self.district.endswith("市") else "市"

    @property
    def short_name(self) -> str:
        return f"{self.level}{self.short}"

    def file_stem(self, year: int) -> str:
        parts = [self.province_slug, self.city_slug] + ([self.district_slug] if self.district_slug else [])
        return PREFIX + "-".join(parts + [self.slug, str(year)])


def all_departments() -> list[Department]:
    out = []
    for prov, prov_slug, city, city_slug, districts in REGIONS:
        for district, district_slug in [(None, None)] + list(districts):
            for kind_name, short, slug, field_word, classes, unit_kind in DEPARTMENT_KINDS:
                out.append(Department(prov, prov_slug, city, city_slug, district, district_slug,
                                      kind_name, short, slug, field_word, classes, unit_kind))
    return out


def plan(n: int, rng: random.Random) -> list[tuple[Department, list[int]]]:
    """Which departments publish which (consecutive) years, n reports in all."""
    deps = all_departments()
    rng.shuffle(deps)
    years: dict[int, list[int]] = {}
    left = n
    for i, d in enumerate(deps):
        if left == 0:
            break
        k = min(left, rng.choice((1, 1, 1, 2, 2, 3, 4)))
        end = rng.randint(LATEST_YEAR - 3, LATEST_YEAR)
        years[i] = list(range(end - k + 1, end + 1))
        left -= k
    earliest = 2000
    while left > 0:  # more reports than departments: extend series backwards, one year per pass
        progressed = False
        for i in range(len(deps)):
            if left == 0:
                break
            ys = years.get(i)
            if ys is None:
                years[i] = [LATEST_YEAR]
            elif ys[0] - 1 >= earliest:
                ys.insert(0, ys[0] - 1)
            else:
                continue
            left -= 1
            progressed = True
        if not progressed:
            raise CorpusError(f"cannot make {n} distinct reports from {len(deps)} departments")
    return [(deps[i], ys) for i, ys in sorted(years.items()) if ys]


# ----------------------------------------------------------------------------------------------
# The ledger: one year's true amounts (cents) for one department.


@dataclass
class Ledger:
    year: int
    income: dict[str, int]
    carry_in: int
    fiscal_carry_in: int
    expenditure: dict[str, int]
    grand_total: int
    fiscal_grand_total: int
    general_budget: int
    government_fund: int
    state_capital: int
    general_budget_basic: int
    personnel: int
    public: int
    items: list[tuple[str, str, str, int, int]]  # 类, 款, 项, cents, completion hundredths
    three: dict[str, int]
    three_budget_completion: int
    operating_costs: int
    procurement: dict[str, int]
    vehicles: dict[str, int]
    completion: int  # general budget completion, hundredths of a percent

    @property
    def income_total(self) -> int:
        return sum(self.income.values())

    @property
    def expenditure_total(self) -> int:
        return sum(self.expenditure.values())

    @property
    def carry_out(self) -> int:
        return self.grand_total - self.expenditure_total

    def three_total(self) -> int:
        return sum(self.three.values())


INCOME_KEYS = (
    ("income_general_budget", "一般公共预算财政拨款收入"),
    ("income_government_fund", "政府性基金预算财政拨款收入"),
    ("income_state_capital", "国有资本经营预算财政拨款收入"),
    ("income_higher_level_subsidy", "上级补助收入"),
    ("income_public_service", "事业收入"),
    ("income_business", "经营收入"),
    ("income_from_affiliates", "附属单位上缴收入"),
    ("income_other", "其他收入"),
)
EXPENDITURE_KEYS = (
    ("expenditure_basic", "基本支出"),
    ("expenditure_project", "项目支出"),
    ("expenditure_to_higher_level", "上缴上级支出"),
    ("expenditure_business", "经营支出"),
    ("expenditure_to_affiliates", "对附属单位补助支出"),
)


def make_ledger(rng: random.Random, dep: Department, year: int, size: int,
                items_by_class: dict[str, list[tuple[str, str, str]]]) -> Ledger:
    """True amounts for one year; every total is the exact sum of its parts."""
    E = size
    # 一般公共预算财政拨款支出 and its 项 lines.
    GB = E if rng.random() < 0.35 else frac(rng, E, 0.72, 0.99)
    primary = [it for c in dep.classes for it in items_by_class.get(c, [])] or items_by_class["201"]
    chosen = rng.sample(primary, min(len(primary), rng.randint(2, 6)))
    weights = [rng.uniform(1, 10) for _ in chosen]
    for c in COMMON_CLASSES:
        pool = [it for it in items_by_class.get(c, []) if it not in chosen]
        if c == "208":  # pensions: the usual 行政事业单位养老支出 lines
            pool = [it for it in pool if it[1] == "行政事业单位养老支出"] or pool
        take = rng.randint(1, 2) if c != "221" else 1
        if c == "221":
            pool = [it for it in pool if it[2] == "住房公积金"] or pool
        for it in rng.sample(pool, min(take, len(pool))):
            chosen.append(it)
            weights.append(rng.uniform(0.3, 1.5))
    amounts = split(rng, GB, weights)
    items = []
    for it, amt in zip(chosen, amounts):
        done = 10000 if rng.random() < 0.7 else rng.randint(6000, 10000)
        items.append((it[0], it[1], it[2], amt, done))
    # Order by 类 code then as chosen, like the template's table.
    class_order = {name: i for i, name in enumerate(sorted({it[0] for it in items}, key=lambda n: _class_code(n, items_by_class)))}
    items.sort(key=lambda x: class_order[x[0]])

    G = frac(rng, E - GB, 0.3, 1.0) if E > GB and rng.random() < 0.3 else 0
    S = 0
    basic = frac(rng, E, 0.35, 0.9)
    business = frac(rng, E - basic, 0.05, 0.2) if dep.unit_kind == "事业" and rng.random() < 0.2 else 0
    project = E - basic - business
    expenditure = {
        "expenditure_basic": basic,
        "expenditure_project": project,
        "expenditure_to_higher_level": 0,
        "expenditure_business": business,
        "expenditure_to_affiliates": 0,
    }
    GBB = frac(rng, min(basic, GB), 0.9, 1.0)
    personnel = frac(rng, GBB, 0.75, 0.95)
    public = GBB - personnel

    gb_income = max(0, GB + frac(rng, GB, -0.05, 0.03)) if rng.random() < 0.5 else GB
    income = {k: 0 for k, _ in INCOME_KEYS}
    income["income_general_budget"] = gb_income
    income["income_government_fund"] = G
    if dep.unit_kind == "事业" and rng.random() < 0.5:
        income["income_public_service"] = frac(rng, E, 0.02, 0.15)
    if business:
        income["income_business"] = business + frac(rng, business, 0.0, 0.1)
    if rng.random() < 0.15:
        income["income_higher_level_subsidy"] = frac(rng, E, 0.01, 0.05)
    if rng.random() < 0.2:
        income["income_other"] = frac(rng, E, 0.0, 0.03)
    fiscal_income = gb_income + G + S
    fiscal_carry_in = max(0, GB + G + S - fiscal_income)
    if rng.random() < 0.5:
        fiscal_carry_in += frac(rng, E, 0.0, 0.05)
    carry_in = fiscal_carry_in + (frac(rng, E, 0.0, 0.05) if rng.random() < 0.3 else 0)
    I = sum(income.values())
    if I + carry_in < E:
        carry_in += E - (I + carry_in)
    X = I + carry_in
    F = fiscal_income + fiscal_carry_in

    three = {k: 0 for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception_domestic", "reception_foreign")}
    if rng.random() > 0.15:
        scale = max(100, frac(rng, GBB, 0.002, 0.02))
        if rng.random() < 0.25:
            three["overseas"] = frac(rng, scale, 0.2, 0.6) or 1
        if rng.random() < 0.8:
            three["vehicle_operation"] = frac(rng, scale, 0.3, 0.9) or 1
            if rng.random() < 0.1:
                three["vehicle_purchase"] = frac(rng, scale, 1.0, 3.0)
        if rng.random() < 0.7:
            three["reception_domestic"] = frac(rng, scale, 0.05, 0.4) or 1
            if rng.random() < 0.1:
                three["reception_foreign"] = frac(rng, scale, 0.05, 0.2) or 1
    three_done = 10000 if rng.random() < 0.4 else rng.randint(5000, 10000)
    operating = public if rng.random() < 0.6 else frac(rng, public, 0.5, 1.0)
    procurement = {"goods": 0, "works": 0, "services": 0}
    if rng.random() < 0.5:
        procurement["goods"] = frac(rng, project, 0.01, 0.2)
        if rng.random() < 0.2:
            procurement["works"] = frac(rng, project, 0.05, 0.3)
        if rng.random() < 0.5:
            procurement["services"] = frac(rng, project, 0.01, 0.2)
    cars = rng.choice((0, 0, 1, 1, 2, 3, 4, 6))
    sedans = rng.randint(0, cars)
    suvs = rng.randint(0, cars - sedans)
    vehicles = {"total": cars, "sedan": sedans, "suv": suvs, "bus": cars - sedans - suvs,
                "bought": 1 if three["vehicle_purchase"] else 0}
    completion = 10000 if rng.random() < 0.5 else rng.randint(8500, 10000)
    return Ledger(year, income, carry_in, fiscal_carry_in, expenditure, X, F, GB, G, S, GBB, personnel, public,
                  items, three, three_done, operating, procurement, vehicles, completion)


_CODE_CACHE: dict[str, str] = {}


def _class_code(name: str, items_by_class: dict[str, list[tuple[str, str, str]]]) -> str:
    if not _CODE_CACHE:
        for code, its in items_by_class.items():
            for it in its:
                _CODE_CACHE[it[0]] = code
    return _CODE_CACHE.get(name, "999")


# ----------------------------------------------------------------------------------------------
# Rendering one report as Word text export, recording what it states.


@dataclass
class Style:
    amount: str  # 2dp | strip
    zero: str  # 0 | 0.00
    pct: str  # strip | 2dp | int
    year_suffix: str  # 年度 | 年
    total_phrase: int  # 0: 收、支总计X  1: 收入、支出总计均为X  2: 收、支总计各是X,X
    components: str  # all | all_no_zero_share | nonzero
    class_markers: bool  # 结构 section with （类）
    grouped_items: bool  # (三) lines grouped per 类
    bookmarks: bool
    numbering: str  # chinese | mixed
    title_line: bool


@dataclass
class Render:
    rng: random.Random
    style: Style
    lines: list[str] = field(default_factory=list)
    figures: dict[str, dict] = field(default_factory=dict)

    def add(self, text: str = "") -> None:
        self.lines.append(text)

    def bm(self) -> str:
        if not self.style.bookmarks or self.rng.random() < 0.4:
            return ""
        return "".join(f"[bookmark: _Toc{self.rng.randint(15300000, 15399999)}]" for _ in range(self.rng.randint(1, 3)))

    def amt(self, cents: int) -> str:
        return fmt_amount(cents, self.style.amount, self.style.zero)

    def pct(self, h: int) -> str:
        return fmt_pct(h, self.style.pct)

    def fig(self, metric: str, cents: int, text: str, **extra) -> None:
        """Record a stated figure (first statement wins)."""
        if metric in self.figures:
            return
        entry = {"value": round(cents / 100, 2), "text": text, "unit": "万元"}
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.figures[metric] = entry


def change_words(delta: int) -> tuple[str, str]:
    return ("增加", "增长") if delta >= 0 else ("减少", "下降")


def change_clause(r: Render, subject: str, now: int, prev: int, prev_year: str) -> tuple[str, float | None, float | None]:
    """'与2021年相比，<subject>各增加X万元，增长Y%' and the signed change and percent."""
    delta = now - prev
    if delta == 0:
        return f"与{prev_year}持平", 0.0, 0.0
    up, grow = change_words(delta)
    if prev == 0:  # no percentage against a zero base
        return f"与{prev_year}相比，{subject}{up}{r.amt(abs(delta))}万元", round(delta / 100, 2), None
    ptext = r.pct(pct_hundredths(abs(delta), prev))
    sign = 1 if delta > 0 else -1
    return (f"与{prev_year}相比，{subject}{up}{r.amt(abs(delta))}万元，{grow}{ptext}%",
            round(delta / 100, 2), sign * pct_value(ptext))


NUM_CN = "一二三四五六七八九十"


def section_number(r: Render, i: int) -> str:
    if r.style.numbering == "mixed" and i >= 9:
        return f"{i}、 "
    return f"{NUM_CN[i - 1] if i <= 10 else str(i)}、"


def render_report(rng: random.Random, dep: Department, led: Ledger, prev: Ledger, kind: str) -> tuple[str, dict]:
    """The report text and its truth entry."""
    style = Style(
        amount=rng.choice(("2dp", "strip")),
        zero=rng.choice(("0", "0", "0.00")),
        pct=rng.choice(("strip", "strip", "2dp", "int")),
        year_suffix=rng.choice(("年度", "年")),
        total_phrase=rng.choice((0, 0, 1, 2)),
        components=rng.choice(("all", "all_no_zero_share", "nonzero")),
        class_markers=rng.random() < 0.4,
        grouped_items=rng.random() < 0.3,
        bookmarks=rng.random() < 0.7,
        numbering=rng.choice(("chinese", "chinese", "mixed")),
        title_line=rng.random() < 0.5,
    )
    r = Render(rng, style)
    year = led.year
    Y = f"{year}{style.year_suffix}"
    PY = f"{year - 1}{style.year_suffix}"
    name = dep.name
    short = dep.short_name
    unit_word = "部门" if kind == "部门决算" else "单位"
    truth: dict = {}

    # ---- header and 第一部分
    r.add(MARKER)
    if style.title_line:
        r.add(f"{name}{year}年度{kind}")
    r.add("")
    r.add(f" {r.bm()}第一部分 {unit_word}概况")
    r.add("")
    r.add(f"{r.bm()}一、{unit_word}职责")
    level = dep.level
    resp = [t.format(level=level, field=dep.field_word) for t in RESPONSIBILITIES]
    keep = sorted(rng.sample(range(len(resp) - 1), rng.randint(5, len(resp) - 1))) + [len(resp) - 1]
    resp = [resp[i] for i in keep]
    for i, text in enumerate(resp, 1):
        r.add(f"{i}.{text}")
    truth["responsibilities"] = len(resp)
    r.add(f"{r.bm()}二、机构设置")
    n_sub = rng.choice((0, 0, 1, 2, 3, 4))
    subunits = rng.sample(SUBUNIT_SUFFIXES, n_sub)
    subunits = [f"{name[:-len(dep.kind_name)]}{dep.field_word}{s}" for s in subunits]
    offices = rng.sample(OFFICES, rng.randint(3, 6))
    if n_sub == 0:
        r.add(f"{short}为一级预算单位，无下属二级预算单位。内设{len(offices)}个科室，包含{'、'.join(offices)}。")
    else:
        r.add(f"{name}下属二级预算单位{n_sub}个，其中行政单位0个，参照公务员法管理的事业单位0个，其他事业单位{n_sub}个。")
        r.add(f"纳入{name}{year}年度{kind}编制范围的二级预算单位包括：")
        for i, s in enumerate(subunits, 1):
            r.add(f"{r.bm()}{i}.{s}")
    truth["subunits"] = subunits
    truth["subunit_count"] = n_sub
    r.add("")
    r.add("")

    # ---- 第二部分
    r.add(f"{r.bm()}第二部分 {year}年度{kind}情况说明")
    r.add("")
    reason = rng.choice(REASONS)
    X, PX = led.grand_total, prev.grand_total
    xs = r.amt(X)
    if style.total_phrase == 0:
        opening, subj = f"{Y}收、支总计{xs}万元。", "收、支总计各"
    elif style.total_phrase == 1:
        opening, subj = f"{Y}收入、支出总计均为{xs}万元。", "收入、支出总计各"
    else:
        # Two decimals here: "191,191" would read as one number with a thousands separator.
        xs = fmt_amount(X, "2dp", "0.00")
        opening, subj = f"{Y}收、支总计各是{xs},{xs}万元。", "收、支总计各"
    clause, chg, chg_pct = change_clause(r, subj, X, PX, PY)
    r.add(f"{r.bm()}{section_number(r, 1)}收入支出决算总体情况说明")
    r.add(f"{opening}{clause}。主要变动原因是{reason}。")
    r.add("（图1：收、支决算总计变动情况图）（柱状图）")
    if style.bookmarks:
        r.add("[image: 图片1]")
    r.fig("grand_total_income", X, xs)
    r.fig("grand_total_expenditure", X, xs)
    if chg is not None:
        r.figures["grand_total_income"].update(change=chg, change_pct=chg_pct)
        r.figures["grand_total_expenditure"].update(change=chg, change_pct=chg_pct)
        r.fig("grand_total_change", int(round(chg * 100)), r.amt(abs(int(round(chg * 100)))))
        r.figures["grand_total_change"]["value"] = chg

    def components(title_metric: str, title: str, total: int, keys, values: dict[str, int]) -> str:
        ts = r.amt(total)
        r.fig(title_metric, total, ts)
        parts = []
        for key, label in keys:
            v = values[key]
            if v == 0 and style.components == "nonzero":
                continue
            vs = r.amt(v)
            share = pct_hundredths(v, total)
            if v == 0 and style.components == "all_no_zero_share":
                parts.append(f"{label}{vs}万元")
                r.fig(key, v, vs)
            else:
                ps = r.pct(share)
                parts.append(f"{label}{vs}万元，占{ps}%")
                r.fig(key, v, vs, share_pct=pct_value(ps))
        return f"{Y}{title}{ts}万元，其中：" + "；".join(parts) + "。"

    r.add(f"{r.bm()}{section_number(r, 2)}收入决算情况说明")
    r.add(components("income_total", "本年收入合计", led.income_total, INCOME_KEYS, led.income))
    r.add("（图2：收入决算结构图）（饼状图）")
    r.add("")
    r.add(f"{r.bm()}{section_number(r, 3)}支出决算情况说明")
    r.add(components("expenditure_total", "本年支出合计", led.expenditure_total, EXPENDITURE_KEYS, led.expenditure))
    r.add("（图3：支出决算结构图）（饼状图）")
    r.add("")

    F, PF = led.fiscal_grand_total, prev.fiscal_grand_total
    fs = r.amt(F)
    r.add(f"{r.bm()}{section_number(r, 4)}财政拨款收入支出决算总体情况说明")
    if style.total_phrase == 1:
        clause, fchg, fpct = change_clause(r, "财政拨款收入总计、支出总计各", F, PF, PY)
        r.add(f"{Y}财政拨款收入、支出总计均为{fs}万元。{clause}。主要变动原因是{reason}。")
    else:
        clause, fchg, fpct = change_clause(r, "财政拨款收、支总计各", F, PF, PY)
        r.add(f"{Y}财政拨款收、支总计{fs}万元。{clause}。主要变动原因是{reason}。")
    r.fig("fiscal_grand_total", F, fs, change=fchg, change_pct=fpct)
    if fchg is not None:
        r.fig("fiscal_grand_total_change", int(round(fchg * 100)), r.amt(abs(int(round(fchg * 100)))))
        r.figures["fiscal_grand_total_change"]["value"] = fchg
    r.add("（图4：财政拨款收、支决算总计变动情况）（柱状图）")
    r.add("")

    GB = led.general_budget
    gbs = r.amt(GB)
    r.add(f"{r.bm()}{section_number(r, 5)}一般公共预算财政拨款支出决算情况说明")
    r.add(f"{r.bm()}（一）一般公共预算财政拨款支出决算总体情况")
    share = r.pct(pct_hundredths(GB, led.expenditure_total))
    clause, gchg, gpct = change_clause(r, "一般公共预算财政拨款支出", GB, prev.general_budget, PY)
    r.add(f"{Y}一般公共预算财政拨款支出{gbs}万元，占本年支出合计的{share}%。{clause}。主要变动原因是{reason}。")
    r.fig("general_budget_expenditure", GB, gbs, share_pct=pct_value(share), change=gchg, change_pct=gpct)
    if gchg is not None:
        r.fig("general_budget_expenditure_change", int(round(gchg * 100)), r.amt(abs(int(round(gchg * 100)))))
        r.figures["general_budget_expenditure_change"]["value"] = gchg
    r.add("（图5：一般公共预算财政拨款支出决算变动情况）（柱状图）")
    r.add("")
    r.add(f"{r.bm()}（二）一般公共预算财政拨款支出决算结构情况")
    by_class: dict[str, int] = {}
    for lei, _, _, amt, _ in led.items:
        by_class[lei] = by_class.get(lei, 0) + amt
    parts = []
    truth_classes = []
    for lei, amt in by_class.items():
        s = r.pct(pct_hundredths(amt, GB))
        label = f"{lei[:-2] if lei.endswith('支出') else lei}（类）支出" if style.class_markers else lei
        parts.append(f"{label}{r.amt(amt)}万元，占{s}%")
        truth_classes.append({"name": lei, "amount": round(amt / 100, 2), "amount_text": r.amt(amt), "share_pct": pct_value(s)})
    sep = rng.choice((":", "："))
    r.add(f"{Y}一般公共预算财政拨款支出{gbs}万元，主要用于以下方面{sep}" + "；".join(parts) + "。")
    r.add("（图6：一般公共预算财政拨款支出决算结构）（饼状图）")
    r.add("")
    r.add(f"{r.bm()}（三）一般公共预算财政拨款支出决算具体情况")
    r.add(f"{r.bm()}{Y}一般公共预算财政拨款支出决算数为{gbs}万元，完成预算{r.pct(led.completion)}%。其中：")
    truth_items = []
    n = 0
    current = None
    line = ""
    for lei, kuan, xiang, amt, done in led.items:
        body = f"支出决算为{r.amt(amt)}万元，完成预算{r.pct(done)}%"
        truth_items.append({"class_name": lei, "kuan_name": kuan, "xiang_name": xiang, "amount": round(amt / 100, 2),
                            "amount_text": r.amt(amt), "budget_completion_pct": pct_value(r.pct(done))})
        if style.grouped_items and lei == current:
            line += f"；{kuan}（款）{xiang}（项）：{body}"
            continue
        if line:
            r.add(line + "。")
        n += 1
        current = lei
        line = f"{n}.{lei}（类）{kuan}（款）{xiang}（项）{rng.choice((':', '：', ': '))}{body}"
    r.add(line + "。")
    r.add("")

    r.add(f"{r.bm()}{section_number(r, 6)}一般公共预算财政拨款基本支出决算情况说明\t")
    bs, ps_, us = r.amt(led.general_budget_basic), r.amt(led.personnel), r.amt(led.public)
    r.add(f"{Y}一般公共预算财政拨款基本支出{bs}万元，其中：")
    r.add(f"人员经费{ps_}万元，主要包括：{PERSONNEL_ITEMS}。")
    r.add(f"{rng.choice(('', '　　', '    '))}公用经费{us}万元，主要包括：{PUBLIC_ITEMS}。")
    r.fig("general_budget_basic_expenditure", led.general_budget_basic, bs)
    r.fig("personnel_expenses", led.personnel, ps_)
    r.fig("public_expenses", led.public, us)

    # ---- 三公
    t = led.three
    T, PT = led.three_total(), prev.three_total()
    veh = t["vehicle_purchase"] + t["vehicle_operation"]
    rec = t["reception_domestic"] + t["reception_foreign"]
    pveh = prev.three["vehicle_purchase"] + prev.three["vehicle_operation"]
    prec = prev.three["reception_domestic"] + prev.three["reception_foreign"]
    r.add(f"{r.bm()}{section_number(r, 7)}财政拨款“三公”经费支出决算情况说明")
    r.add(f"{r.bm()}（一）“三公”经费财政拨款支出决算总体情况说明")
    ts = r.amt(T)
    if T == 0 and PT == 0:
        r.add(f"{Y}“三公”经费财政拨款支出决算为{ts}万元,本{unit_word}没有“三公”经费预算。")
        r.fig("three_public_total", 0, ts)
    else:
        clause, tchg, tpct = change_clause(r, "", T, PT, "上年")
        clause = clause.replace("与上年相比，", "较上年")
        done = r.pct(led.three_budget_completion)
        r.add(f"{Y}“三公”经费财政拨款支出决算为{ts}万元，完成预算{done}%，{clause}。主要原因是{'严控“三公”经费支出' if T <= PT else '公务活动增加'}。")
        r.fig("three_public_total", T, ts, change=tchg, change_pct=tpct, budget_completion_pct=pct_value(done))
    r.add(f"{r.bm()}（二）“三公”经费财政拨款支出决算具体情况说明")
    pieces = []
    for metric, label, v in (("three_public_overseas", "因公出国（境）费", t["overseas"]),
                             ("three_public_vehicles", "公务用车购置及运行维护费", veh),
                             ("three_public_reception", "公务接待费", rec)):
        vs = r.amt(v)
        if T:
            s = r.pct(pct_hundredths(v, T))
            pieces.append(f"{label}支出决算{vs}万元，占{s}%")
            r.fig(metric, v, vs, share_pct=pct_value(s))
        else:
            pieces.append(f"{label}支出决算{vs}万元")
            r.fig(metric, v, vs)
    r.add(f"{Y}“三公”经费财政拨款支出决算中，" + "；".join(pieces) + "。具体情况如下：")
    r.add("")
    trips = rng.randint(1, 3) if t["overseas"] else 0
    r.add(f"1.因公出国（境）经费支出{r.amt(t['overseas'])}万元。全年安排因公出国（境）团组{trips}次，出国（境）{trips * rng.randint(1, 3) if trips else 0}人。")
    clause, vchg, vpct = change_clause(r, "", veh, pveh, str(year - 1) + "年")
    clause = clause.replace(f"与{year - 1}年相比，", f"比{year - 1}年")
    r.add(f"2.公务用车购置及运行维护费支出{r.amt(veh)}万元。公务用车购置及运行维护费支出决算{clause}。")
    if vchg is not None:
        r.figures["three_public_vehicles"].update(change=vchg, change_pct=vpct)
    v = led.vehicles
    r.add(f"其中：公务用车购置支出{r.amt(t['vehicle_purchase'])}万元。全年按规定更新购置公务用车{v['bought']}辆。"
          f"截至{year}年12月底，单位共有公务用车{v['total']}辆，其中：轿车{v['sedan']}辆、越野车{v['suv']}辆、载客汽车{v['bus']}辆。")
    r.fig("vehicle_purchase", t["vehicle_purchase"], r.amt(t["vehicle_purchase"]))
    r.add(f"公务用车运行维护费支出{r.amt(t['vehicle_operation'])}万元。主要用于开展工作所需的公务用车燃料费、维修费、过路过桥费、保险费等支出。")
    r.fig("vehicle_operation", t["vehicle_operation"], r.amt(t["vehicle_operation"]))
    clause, rchg, rpct = change_clause(r, "", rec, prec, str(year - 1) + "年")
    clause = clause.replace(f"与{year - 1}年相比，", f"比{year - 1}年")
    r.add(f"3.公务接待费支出{r.amt(rec)}万元。公务接待费支出决算{clause}。其中：")
    if rchg is not None:
        r.figures["three_public_reception"].update(change=rchg, change_pct=rpct)
    batches = rng.randint(1, 20) if t["reception_domestic"] else 0
    r.add(f"国内公务接待支出{r.amt(t['reception_domestic'])}万元，国内公务接待{batches}批次，{batches * rng.randint(3, 8) if batches else 0}人次（不包括陪同人员）。")
    r.fig("reception_domestic", t["reception_domestic"], r.amt(t["reception_domestic"]))
    fb = rng.randint(1, 3) if t["reception_foreign"] else 0
    r.add(f"外事接待支出{r.amt(t['reception_foreign'])}万元，外事接待{fb}批次，{fb * rng.randint(2, 6) if fb else 0}人次。")
    r.fig("reception_foreign", t["reception_foreign"], r.amt(t["reception_foreign"]))

    r.add(f"{r.bm()}{section_number(r, 8)}政府性基金预算支出决算情况说明")
    r.add(f"{Y}政府性基金预算财政拨款支出{r.amt(led.government_fund)}万元。")
    r.fig("government_fund_expenditure", led.government_fund, r.amt(led.government_fund))
    r.add(f"{r.bm()}{section_number(r, 9)}国有资本经营预算支出决算情况说明")
    r.add(f"{Y}国有资本经营预算财政拨款支出{r.amt(led.state_capital)}万元。")
    r.fig("state_capital_expenditure", led.state_capital, r.amt(led.state_capital))
    r.add(f"{r.bm()}{section_number(r, 10)}其他重要事项的情况说明")
    r.add(f"{r.bm()}（一）机关运行经费支出情况")
    oc = r.amt(led.operating_costs)
    clause, ochg, opct = change_clause(r, "", led.operating_costs, prev.operating_costs, PY)
    clause = clause.replace(f"与{PY}相比，", f"比{PY}")
    r.add(f"{Y}，{name}机关运行经费支出{oc}万元，{clause}。主要原因是{rng.choice(REASONS)}。")
    r.fig("operating_costs", led.operating_costs, oc, change=ochg, change_pct=opct)
    r.add(f"{r.bm()}（二）政府采购支出情况")
    p = led.procurement
    pt = sum(p.values())
    r.add(f"{Y}，{name}政府采购支出总额{r.amt(pt)}万元，其中：政府采购货物支出{r.amt(p['goods'])}万元、"
          f"政府采购工程支出{r.amt(p['works'])}万元、政府采购服务支出{r.amt(p['services'])}万元。")
    r.fig("procurement_total", pt, r.amt(pt))
    r.add(f"{r.bm()}（三）国有资产占有使用情况")
    r.add(f"截至{year}年12月31日，{name}共有车辆{v['total']}辆，其中：主要领导干部用车0辆、机要通信用车0辆、"
          f"应急保障用车0辆、其他用车{v['total']}辆。单价100万元以上专用设备0台（套）。")
    r.add("（四）预算绩效管理情况")
    score = rng.randint(8500, 9990)
    if rng.random() < 0.4:
        score = score // 100 * 100
    score_text = fmt_amount(score, "strip", "0")
    projects = rng.sample(PROJECTS, rng.randint(1, 3))
    n_proj = rng.randint(len(projects), 40)
    r.add(f"根据预算绩效管理要求，本{unit_word}在{Y}预算编制阶段，组织对{n_proj}个项目开展了预算事前绩效评估，"
          f"对{n_proj}个项目编制了绩效目标，预算执行过程中，选取{rng.randint(1, n_proj)}个项目开展绩效监控。")
    r.add(f"组织对{Y}一般公共预算全面开展绩效自评，形成{name}{unit_word}整体（含{unit_word}预算项目）绩效自评报告，"
          f"其中，{name}{unit_word}整体（含{unit_word}预算项目）绩效自评得分为{score_text}分，绩效自评综述：{rng.choice(NARRATIVE)}"
          f"{rng.choice(NARRATIVE)}绩效自评报告详见附件。")
    r.figures["performance_self_score"] = {"value": round(score / 100, 2), "text": score_text, "unit": "分"}
    truth["performance_scores"] = [{"subject": name, "kind": "department", "score": round(score / 100, 2)}]
    r.add("")

    # ---- 第三部分 名词解释
    r.add(f"{r.bm()}{rng.choice(('第三部分', '第3部分'))} 名词解释")
    r.add("")
    gloss = list(GLOSSARY_BASE)
    for lei, kuan, xiang, _, _ in led.items:
        gloss.insert(len(gloss) - 4, (f"{lei}（类）{kuan}（款）{xiang}（项）", f"指用于{xiang}方面的支出。"))
    for i, (term, definition) in enumerate(gloss, 1):
        r.add(f"{i}.{term}：{definition}")
    truth["glossary"] = len(gloss)
    r.add("")

    # ---- 第四部分 附件
    tables = []
    indicators = []
    if rng.random() < 0.6:
        r.add(f"{r.bm()}第四部分 附件")
        r.add("附件1")
        r.add("")
        r.add(f"{name}")
        r.add(f"{unit_word}整体支出绩效自评报告")
        r.add("")
        r.add(f"一、{unit_word}基本情况")
        r.add(f"（一）机构组成。{name}内设{len(offices)}个机构：{'、'.join(offices)}。")
        r.add(f"（二）人员概况。截至{year}年底，在职人员{rng.randint(8, 120)}人，退休人员{rng.randint(0, 80)}人。")
        r.add("二、部门资金收支情况")
        r.add(f"（一）收入情况。{Y}全年收入{r.amt(led.income_total)}万元。")
        r.add(f"（二）支出情况。{Y}全年支出{r.amt(led.expenditure_total)}万元，其中人员经费{ps_}万元，公用经费{us}万元。")
        r.add("三、部门预算绩效分析")
        for _ in range(rng.randint(4, 30)):
            r.add("".join(rng.sample(NARRATIVE, 3)))
        r.add("四、评价结论及建议")
        r.add(f"（一）评价结论。{unit_word}整体支出绩效自评得分{score_text}分。")
        r.add(f"（二）存在问题。{rng.choice(NARRATIVE)}")
        r.add(f"（三）改进建议。{rng.choice(NARRATIVE)}")
        r.add("")
        for k, proj in enumerate(projects, 2):
            r.add(f"附件{k}")
            title = f"{proj}项目支出绩效自评表"
            r.add(title)
            rows, inds, pscore = perf_table(rng, r, name, proj, year)
            index = len(tables) + 1
            write_table(r, rows)
            tables.append({"index": index, "title": title, "kind": "performance_self_evaluation",
                           "rows": len(rows), "columns": len(rows[0])})
            for ind in inds:
                ind["table_index"] = index
                ind["subject"] = proj
            indicators.extend(inds)
            truth["performance_scores"].append({"subject": proj, "kind": "project", "score": pscore})
        if rng.random() < 0.5:
            title = f"{projects[0]}资金使用情况表"
            r.add(title)
            rows = money_table(rng, r)
            write_table(r, rows)
            tables.append({"index": len(tables) + 1, "title": title, "kind": "table", "rows": len(rows),
                           "columns": len(rows[0])})
    truth["tables"] = tables
    truth["indicators"] = indicators

    # ---- 第五部分 附表
    r.add(f"{r.bm()}第五部分 附表")
    for i, title in enumerate(APPENDIX_TABLE_TITLES, 1):
        r.add(f"{r.bm()}{NUM_CN[i - 1] if i <= 10 else '十' + NUM_CN[i - 11]}、{title}")
    r.add("")

    truth["figures"] = r.figures
    truth["spending_by_class"] = truth_classes
    truth["line_items"] = truth_items
    truth["ledger"] = ledger_truth(led)
    truth["style"] = {k: getattr(style, k) for k in ("amount", "zero", "pct", "total_phrase", "components")}
    return "\n".join(r.lines) + "\n", truth


def write_table(r: Render, rows: list[list[str]]) -> None:
    """Word export: one TAB-prefixed line per cell, a blank line after each row."""
    for row in rows:
        for cell in row:
            r.add(f"\t{cell}")
        r.add("")
    r.add("")


LEVELS = [
    ("产出指标", "数量指标", ["完成培训人次", "覆盖服务对象数", "开展活动次数", "完成检查项目数"]),
    ("产出指标", "质量指标", ["验收合格率", "资料归档完整率", "任务完成率"]),
    ("产出指标", "时效指标", ["按期完成率", "资金支付及时率"]),
    ("产出指标", "成本指标", ["成本控制率"]),
    ("效益指标", "社会效益指标", ["服务能力提升", "群众知晓率"]),
    ("效益指标", "可持续影响指标", ["长效机制建立情况"]),
    ("满意度指标", "服务对象满意度指标", ["服务对象满意度"]),
]


def perf_table(rng: random.Random, r: Render, dep_name: str, proj: str, year: int):
    """A 项目支出绩效自评表: header facts, then 一级/二级/三级指标 rows (merged cells left empty)."""
    budget = rng.randint(100, 50000)
    spent = budget if rng.random() < 0.6 else rng.randint(budget // 2, budget)
    rate = pct_hundredths(spent, budget)
    fund_score = round(10 * rate / 10000, 2)
    rows = [
        ["项目名称", proj, "", "", "主管部门", dep_name, "实施单位", dep_name],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        ["年度资金总额", r.amt(budget), r.amt(budget), r.amt(spent), "10", f"{fmt_pct(rate, 'strip')}%", f"{fund_score:g}", ""],
        ["其中：财政拨款", r.amt(budget), r.amt(budget), r.amt(spent), "—", "", "—", ""],
        ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""],
        ["", f"按计划完成{proj}各项任务", "", "", f"已完成{proj}各项任务", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    chosen = [lv for lv in LEVELS if rng.random() < 0.7] or LEVELS[:1]
    weights = split(rng, 90, [1.0] * len(chosen))
    inds = []
    prev1 = prev2 = None
    total = fund_score
    for (l1, l2, names), w in zip(chosen, weights):
        l3 = rng.choice(names)
        target = rng.choice(("≥95%", "100%", "≥90%", f"{rng.randint(5, 500)}人次", "按期完成", "有所提升"))
        short = rng.random() < 0.15
        actual = target.lstrip("≥") if not short else "基本完成"
        sc = w if not short else max(0, w - rng.randint(1, min(3, w)))
        total += sc
        reason = "" if not short else "受客观因素影响，下一步加强跟踪"
        rows.append(["" if l1 == prev1 else l1, "" if (l1, l2) == (prev1, prev2) else l2, l3, target, actual,
                     str(w), str(sc), reason])
        inds.append({"level1": l1, "level2": l2, "level3": l3, "target": target, "actual": actual,
                     "weight": str(w), "score": str(sc)})
        prev1, prev2 = l1, l2
    total = round(total, 2)
    rows.append(["总分", "", "", "", "", "100", f"{total:g}", ""])
    return rows, inds, total


def money_table(rng: random.Random, r: Render) -> list[list[str]]:
    """科目 | 预算数 | 执行数 | 结余, with a 合计 row that adds up."""
    subjects = rng.sample(["材料费", "劳务费", "差旅费", "会议费", "印刷费", "委托业务费", "专家咨询费", "其他费用"], rng.randint(3, 6))
    rows = [["科目名称", "预算数", "执行数", "结余"]]
    tb = ts = 0
    for s in subjects:
        b = rng.randint(50, 20000)
        x = b if rng.random() < 0.5 else rng.randint(0, b)
        tb += b
        ts += x
        rows.append([s, r.amt(b), r.amt(x), r.amt(b - x)])
    rows.append(["合计", r.amt(tb), r.amt(ts), r.amt(tb - ts)])
    return rows


def ledger_truth(led: Ledger) -> dict:
    """Every true amount in 万元 (stated or not), for consistency checks."""
    c = lambda v: round(v / 100, 2)  # noqa: E731
    return {
        "grand_total": c(led.grand_total),
        "income": {k: c(v) for k, v in led.income.items()},
        "income_total": c(led.income_total),
        "carry_in": c(led.carry_in),
        "expenditure": {k: c(v) for k, v in led.expenditure.items()},
        "expenditure_total": c(led.expenditure_total),
        "carry_out": c(led.carry_out),
        "fiscal_grand_total": c(led.fiscal_grand_total),
        "general_budget_expenditure": c(led.general_budget),
        "government_fund_expenditure": c(led.government_fund),
        "general_budget_basic_expenditure": c(led.general_budget_basic),
        "personnel_expenses": c(led.personnel),
        "public_expenses": c(led.public),
        "three_public": {k: c(v) for k, v in led.three.items()},
        "three_public_total": c(led.three_total()),
        "procurement": {k: c(v) for k, v in led.procurement.items()},
        "operating_costs": c(led.operating_costs),
    }


# ----------------------------------------------------------------------------------------------
# The corpus.


def check_out_dir(out: Path) -> None:
    """Refuse reports/ (the bundled real samples) and folders holding other people's files."""
    resolved = out.resolve()
    for reports in {(REPO / "reports").resolve(), (Path.cwd() / "reports").resolve()}:
        if resolved == reports or reports in resolved.parents:
            raise CorpusError(
                f"refusing to write synthetic reports into {reports}: that folder holds the real sample "
                "reports. Choose another folder, e.g. build/corpus-100")
    if resolved.exists() and not resolved.is_dir():
        raise CorpusError(f"{out} exists and is not a folder")
    if resolved.is_dir():
        foreign = [p.name for p in resolved.iterdir()
                   if not (p.name.startswith(PREFIX) or p.name in ("manifest.csv", "truth.json"))]
        if foreign:
            raise CorpusError(
                f"{out} already holds files that are not a synthetic corpus ({', '.join(sorted(foreign)[:3])}…); "
                "choose an empty or new folder")


def generate(n: int, seed: int) -> Iterator[tuple[str, str, dict, dict]]:
    """(file name, text, manifest row, truth) for n reports, deterministic in (n, seed)."""
    if n < 1:
        raise CorpusError("N must be at least 1")
    items_by_class = load_items()
    planner = random.Random(f"plan:{seed}")
    for dep, years in plan(n, planner):
        rng = random.Random(f"{seed}:{dep.file_stem(0)}")
        kind = "单位决算" if dep.unit_kind == "事业" and rng.random() < 0.7 else "部门决算"
        size = int(math.exp(rng.uniform(math.log(5_000), math.log(3_000_000))))
        prev = make_ledger(rng, dep, years[0] - 1, size, items_by_class)
        for year in years:
            size = max(2_000, int(size * rng.uniform(0.85, 1.2)))
            led = make_ledger(rng, dep, year, size, items_by_class)
            text, truth = render_report(rng, dep, led, prev, kind)
            name = dep.file_stem(year) + ".txt"
            row = {"file": name, "department": dep.name, "province": dep.province, "city": dep.city,
                   "district": dep.district or "", "fiscal_year": str(year), "kind": kind}
            truth = {"file": name, "department": dep.name, "short_name": dep.short_name, "province": dep.province,
                     "city": dep.city, "district": dep.district, "fiscal_year": year, "kind": kind, "unit": "万元",
                     **truth}
            yield name, text, row, truth
            prev = led


def write_corpus(n: int, out: Path, seed: int = 0, docx: bool = False) -> list[str]:
    """Write the corpus, manifest.csv and truth.json into `out`; return the report file names."""
    check_out_dir(out)
    convert = None
    if docx:
        try:
            from juesuan.convert import text_export_to_docx as convert
        except ImportError as e:
            raise CorpusError(f"--docx needs juesuan.convert.text_export_to_docx, which is not available ({e}); "
                              "write .txt instead (drop --docx)") from None
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(PREFIX + "*"):
        old.unlink()
    rows: list[dict] = []
    truths: list[dict] = []
    for name, text, row, truth in generate(n, seed):
        if convert is not None:
            name = name[:-4] + ".docx"
            row["file"] = truth["file"] = name
            convert(text, out / name)
        else:
            (out / name).write_text(text, encoding="utf-8")
        rows.append(row)
        truths.append(truth)
    rows.sort(key=lambda r: r["file"])
    truths.sort(key=lambda t: t["file"])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (out / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    truth = {"generator": "scripts/make_corpus.py", "seed": seed, "n": n, "marker": MARKER, "reports": truths}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return [r["file"] for r in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Example: scripts/make_corpus.py 1000 build/corpus-1000 --seed 1")
    ap.add_argument("n", type=int, help="number of reports")
    ap.add_argument("out", type=Path, help="output folder (never reports/)")
    ap.add_argument("--seed", type=int, default=0, help="same N and seed → byte-identical corpus (default 0)")
    ap.add_argument("--docx", action="store_true", help="write .docx (via juesuan.convert) instead of .txt")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        names = write_corpus(args.n, args.out, seed=args.seed, docx=args.docx)
    except CorpusError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(names)} synthetic reports, manifest.csv and truth.json to {args.out}/ "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
