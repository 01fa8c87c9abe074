"""One canonical text for every reader: implements docs/developers/text-normalisation.md.

Every paragraph and table cell passes through `normalize_text` before the parser sees it, so a
report reads the same whatever its format (.txt/.docx/.pdf) or script (traditional/simplified).
Per-call work is a few precompiled regexes and one `str.translate`; OpenCC is only called for
text that holds a character t2s would change (or when the reader says the document needs it).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["normalize_text", "has_traditional", "join_lines", "MARKER"]

# Rule 6: Word-export markers.
MARKER = re.compile(r"\[(?:bookmark|image): [^\]]*\]")

# Rules 2 and 3: full-width ASCII variants → ASCII, except the punctuation that is canonical
# full-width; ASCII ( ) : ; → full-width; ideographic space and NBSP → space.
_KEEP_FULLWIDTH = set("（）：；，")
_TABLE: dict[int, str] = {}
for _cp in range(0xFF01, 0xFF5F):
    if chr(_cp) not in _KEEP_FULLWIDTH:
        _TABLE[_cp] = chr(_cp - 0xFEE0)
_TABLE.update({ord("("): "（", ord(")"): "）", ord(":"): "：", ord(";"): "；"})
_TABLE.update({0x3000: " ", 0x00A0: " ", 0x2007: " ", 0x202F: " ", 0xFEFF: ""})
# Middle dots (高校·企业): Word files use several look-alikes, PDF fonts map them to U+00B7.
_TABLE.update({0x0387: "·", 0x2027: "·", 0x30FB: "·", 0xFF65: "·"})
_TRANSLATE = str.maketrans(_TABLE)
# str.translate is slow on CJK text: run it only on strings that hold a character to map.
_NEEDS_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")

# Rule 4: thousands separators and spaces inside a number, only where the grouping is
# unambiguous: a decimal part follows (1,234.56; １，９１１．５３) or there are two or more groups
# (1,234,567). "591，230" (two counts) and "各是120,130万元" (two amounts) are lists, not numbers.
_THOUSANDS = re.compile(r"(?<![\d.,，])\d{1,3}(?:(?:[,，]\d{3})+\.\d+|(?:[,，]\d{3}){2,}(?![\d.]))(?![,，]\d)")
_GROUP_SEP = re.compile(r"[,，]")
# Every _THOUSANDS match holds a digit, a comma and three digits: a quick search before the sub.
_GROUPED = re.compile(r"\d[,，]\d{3}")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?: \d{3})+(?![\d])")
# "1911. 53" → "1911.53"; not at the start of a paragraph, where "1. 2022年…" is a numbered item.
_SPACED_DECIMAL = re.compile(r"(?<=[^\s\d.])(\d+)\. (\d+)(?![\d年])")

# Rule 5: what counts as a CJK character when removing spaces between two of them: ideographs
# and Chinese punctuation (CJK symbols, the full-width forms that stay, curly quotes, …, —).
_CJK = "\u2e80-\u2fdf\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u201c\u201d\u2018\u2019\u2026\u2014"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_WORDY = re.compile(r"[0-9A-Za-z]")
# Every step below is a no-op on text without one of these characters (markers need "[",
# "：//" needs "/", spacing rules need whitespace, thousands need a comma), so most table
# cells (amounts, plain Chinese names) are returned after one scan.
_ANY_WORK = re.compile(r"[\s\[/,，" + re.escape("".join(map(chr, _TABLE))) + "]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern[str]:
    """One character class of all of them: a regex scan is ~4x faster than a set over a long text."""
    return re.compile("[" + re.escape("".join(sorted(_traditional_chars()))) + "]")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters that OpenCC t2s changes on their own (computed once, ~40 ms)."""
    chars = "".join(chr(i) for i in range(0x3400, 0xA000)) + "".join(chr(i) for i in range(0xF900, 0xFB00))
    out = _t2s().convert("\n".join(chars))
    converted = out.split("\n")
    if len(converted) != len(chars):  # a conversion changed the length: fall back pairwise
        return frozenset(c for c in chars if _t2s().convert(c) != c)
    return frozenset(a for a, b in zip(chars, converted) if a != b)


def has_traditional(text: str) -> bool:
    """True when `text` holds a character that traditional → simplified conversion changes."""
    return _traditional_re().search(text) is not None


def normalize_text(s: str, t2s: bool | None = None) -> str:
    """Canonical form of one paragraph or cell (see docs/developers/text-normalisation.md).

    `t2s` forces (True) or skips (False) the traditional → simplified step; by default it runs
    when the text holds a traditional character. Readers decide once per document so that
    phrase-level conversions (乾燥 → 干燥) apply to every paragraph of a traditional report.
    """
    if "[" in s:
        s = MARKER.sub("", s)
    if t2s is None:
        t2s = has_traditional(s)
    if not t2s and _ANY_WORK.search(s) is None:
        return s
    if t2s:
        s = _t2s().convert(s)
    if _NEEDS_TRANSLATE.search(s):
        s = s.translate(_TRANSLATE)
    if "：//" in s:
        s = s.replace("：//", "://")
    s = " ".join(s.split())
    if ("," in s or "，" in s) and _GROUPED.search(s):
        s = _THOUSANDS.sub(lambda m: _GROUP_SEP.sub("", m.group()), s)
    if " " in s:
        s = _SPACED_THOUSANDS.sub(lambda m: m.group().replace(" ", ""), s)
        s = _SPACED_DECIMAL.sub(r"\1.\2", s)
        s = _CJK_SPACE.sub("", s)
    return s


def join_lines(parts: list[str]) -> str:
    """Join the lines of one wrapped paragraph or cell: a space only between two Latin words/numbers.

    Used for multi-line table cells (.txt continuation lines, .docx cell paragraphs) and PDF
    line wraps alike, so that all formats give the same text.
    """
    if len(parts) == 1:
        return parts[0].strip()
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _WORDY.match(part[0]) and _WORDY.match(out[-1]):
            out += " " + part
        else:
            out += part
    return out

