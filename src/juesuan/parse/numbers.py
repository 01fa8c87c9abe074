"""Numerals as printed in reports: one pattern for them, and their value."""

from __future__ import annotations

import re

# A numeral not glued to other digits: "1911.53", "0.00", "100". Thousands separators are
# removed by the readers (docs/developers/text-normalisation.md); a stray "," inside a
# number would make two numerals; a numeral glued to ",ddd" (“1,234万元”, where the reader
# could not tell thousands from a list) is not read at all: the sentence is reported instead.
NUM = r"(?<![\d.])(?<!\d,)\d+(?:\.\d+)?(?![\d.])(?!,\d)"
NUM_RE = re.compile(NUM)
# In “各是A,B万元” two numerals are expected, so a comma between them separates a list.
NUM_IN_LIST = r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])"

# NUM followed by a money unit, written digit-first (the lookbehinds moved after the first
# digit) so the regex engine skips to digits at C speed: the same matches as
# rf"{NUM}\s*(?P<unit>万元|元)", ~2x faster over whole paragraphs.
NUM_MONEY = re.compile(r"\d(?<![\d.]\d)(?<!\d,\d)\d*(?:\.\d+)?(?![\d.])(?!,\d)\s*(?P<unit>万元|元)")

# Money units as printed. "万元万元" (a slip seen in reports) is read as 万元 and flagged.
MONEY_UNIT = r"万元|元"

# Units that make a numeral a count, never money.
COUNT_UNITS = ("批次", "人次", "台（套）", "台(套)", "人", "次", "辆", "个", "台", "套", "项", "分", "家")
NOT_COUNT = r"(?!\s*(?:批次|人次|人|次|辆|个|台|套|项|分|家|年|月|日|号|%))"

# Spaces and colons are allowed between a label and its numeral.
SEP = r"[:：]?\s*"


def to_float(text: str) -> float:
    """The value of a numeral as printed (no rescaling)."""
    return float(text)


def has_numeral(text: str) -> bool:
    return NUM_RE.search(text) is not None
