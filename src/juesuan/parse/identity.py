"""Who published the report, for which year, in which unit: from the manifest, else the text."""

from __future__ import annotations

import re
from collections import Counter

from ..manifest import ManifestEntry
from ..read.document import Document, Paragraph
from ..record import Record, Source
from .numbers import NUM, NUM_MONEY
from .sections import PART_HEADING, Part, text_paragraphs
from .sink import source_of, warn

ORG_SUFFIX = r"(?:局|委员会|委|办公室|办|联合会|协会|科协|厅|院|中心|馆|所|站|处|会|部)"
CJK = r"\u4e00-\u9fff"

# Phrases that follow the department's own name in the template.
NAME_BEFORE = re.compile(
    rf"(?:^|[，。；：:、\s]|年度?，?)(?:纳入|形成|对|由)?(?P<name>[{CJK}（）]{{1,30}}?{ORG_SUFFIX})"
    rf"(?=下属|下设|机关运行经费|政府采购支出|共有车辆|部门整体|为一级预算单位|无下属|\d{{4}}年度?(?:部门|单位)决算编制范围)"
)
# 市科技局, 区经济和信息化局: a short name starts with the level of government alone.
SHORT_NAME = re.compile(rf"(?:^|(?<=[，。；：:、\s（）]))(?P<name>[市区县州][{CJK}]{{2,10}}?(?:局|委|办|科协|协会|联合会))")
REGION = re.compile(rf"^(?P<province>[{CJK}]{{2,7}}?省)?(?P<city>[{CJK}]{{2,7}}?(?:市|州|盟))?(?P<district>[{CJK}]{{1,6}}?[区县旗])?")
YEAR_KIND = re.compile(r"(?P<year>20\d{2})\s*年度?\s*(?P<kind>部门决算|单位决算)")
SUBUNITS = re.compile(rf"下(?:属|设)(?:二级)?(?:预算)?单位\s*(?P<n>{NUM})\s*个|(?P<none>无下属(?:二级)?(?:预算)?单位)")
_SHORT_HINT = re.compile(r"[市区县州][\u4e00-\u9fff]{2,10}?(?:局|委|办|科协|协会|联合会)")
_NAME_HINT = re.compile(r"下属|下设|机关运行经费|政府采购支出|共有车辆|部门整体|一级预算单位|决算编制范围")
MONEY = re.compile(rf"{NUM}\s*(?P<unit>万元|元)")
_MONEY_FAST = NUM_MONEY  # the same matches as MONEY, faster


def apply_manifest(record: Record, entry: ManifestEntry | None) -> None:
    """Manifest values win over anything read from the text."""
    if entry is None:
        return
    ident = record.identity
    for name in ("department", "province", "city", "district", "fiscal_year", "kind"):
        value = getattr(entry, name)
        if value is not None:
            setattr(ident, name, value)
            ident.origins[name] = "manifest"


def _set(record: Record, name: str, value, source: Source | None) -> None:
    """Fill an identity field from the text unless the manifest already did."""
    ident = record.identity
    if value is None or ident.origins.get(name) == "manifest":
        return
    if getattr(ident, name) in (None, []):
        setattr(ident, name, value)
        ident.origins[name] = "text"
        if source is not None:
            ident.sources[name] = source


def extract(document: Document, parts: dict[int, Part], record: Record) -> None:
    ident = record.identity
    paragraphs = [tp.paragraph for tp in text_paragraphs(parts)]

    # Load inputs: names, year, kind, unit, sub-units, in one pass over the running text.
    full: Counter[str] = Counter()
    first_seen: dict[str, Paragraph] = {}
    named: set[str] = set()  # names printed before a template phrase (“X2022年度部门决算…”)
    short: Counter[str] = Counter()
    year_kind: tuple[int, str, Paragraph] | None = None
    units: Counter[str] = Counter()
    subunits: tuple[int, Paragraph] | None = None
    for para in paragraphs:
        text = para.text
        for m in (NAME_BEFORE.finditer(text) if _NAME_HINT.search(text) else ()):
            name = m.group("name")
            target = short if _is_short(name) else full
            target[name] += 1
            first_seen.setdefault(name, para)
            named.add(name)
        # (YEAR_KIND needs 决算 and PART_HEADING 部分: cheap tests before the regexes.)
        if "决算" in text and (year_kind is None or ("部分" in text and PART_HEADING.match(text))):
            m = YEAR_KIND.search(text)
            if m and (year_kind is None or PART_HEADING.match(text)):
                year_kind = (int(m.group("year")), m.group("kind"), para)
        if "元" in text:
            for m in _MONEY_FAST.finditer(text):
                units[m.group("unit")] += 1
        if subunits is None and "下" in text:
            m = SUBUNITS.search(text)
            if m:
                subunits = (0 if m.group("none") else int(float(m.group("n"))), para)
    for block in document.blocks:
        if isinstance(block, Paragraph) and _SHORT_HINT.search(block.text):
            for m in SHORT_NAME.finditer(block.text):
                short[m.group("name")] += 1
                first_seen.setdefault(m.group("name"), block)
    # The part 2 heading states year and kind even when it is the only place.
    heading = parts.get(2)
    if heading is not None and heading.heading_line is not None:
        m = YEAR_KIND.search(heading.title)
        if m:
            para = Paragraph(text=f"第二部分 {heading.title}", line=heading.heading_line)
            year_kind = (int(m.group("year")), m.group("kind"), para)

    # Process data.
    if full:
        department, _ = max(full.items(), key=lambda kv: (kv[1], len(kv[0])))
        _set(record, "department", department, source_of(first_seen[department]))
        others = [n for n in full if n != (ident.department or department)]
        ident.other_names = sorted(set(ident.other_names) | set(others))
    known = ident.department or ""
    ident.short_names = sorted(
        n for n, c in short.items() if n in named or (c >= 2 and (not known or _abbreviates(n, known)))
    )
    # Where each name the report uses was first printed, so checks can point at it.
    for name in (*ident.other_names, *ident.short_names):
        if name in first_seen:
            ident.sources.setdefault(f"name:{name}", source_of(first_seen[name]))
    if ident.department:
        region = REGION.match(ident.department)
        if region:
            src = ident.sources.get("department")
            for name in ("province", "city", "district"):
                if region.group(name) and not (name == "district" and not region.group("city") and not _looks_district(ident.department)):
                    _set(record, name, region.group(name), src)
    if year_kind is not None:
        _set(record, "fiscal_year", year_kind[0], source_of(year_kind[2]))
        _set(record, "kind", year_kind[1], source_of(year_kind[2]))
    if units:
        # 万元 wins ties: the template prints amounts in 万元.
        unit = "万元" if units["万元"] >= units["元"] else "元"
        ident.unit = unit
        ident.origins["unit"] = "text"
    if subunits is not None:
        _set(record, "subunit_count", subunits[0], source_of(subunits[1]))

    # Save outputs: what is still unknown is a warning, never a failure.
    for name, label in (("department", "department name"), ("fiscal_year", "fiscal year"), ("kind", "kind (部门决算/单位决算)"), ("unit", "money unit")):
        if getattr(ident, name) is None:
            warn(record, "missing_identity", f"{label} not stated in the text; add it to the manifest")


def _abbreviates(short: str, full: str) -> bool:
    """市科技局 abbreviates 攀枝花市科学技术局: every character after the level is in the full name."""
    return all(ch in full for ch in short[1:])


def _is_short(name: str) -> bool:
    return name[0] in "市区县州省"


def _looks_district(name: str) -> bool:
    """西区经济和信息化局: a district name at the start, before the department words."""
    m = re.match(rf"^[{CJK}]{{1,4}}?[区县]", name)
    return bool(m) and len(m.group(0)) <= 4 and not m.group(0).startswith(("市", "区", "县"))
