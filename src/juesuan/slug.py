"""ASCII names for packages and site paths, made from pinyin: stable, unique, safe as paths.

A slug is `<province>-<city>-<district>-<department core>-<year>` (empty parts left out),
e.g. 四川省 攀枝花市 攀枝花市科学技术局 2022 → `sichuan-panzhihua-kexuejishuju-2022`.
Only [a-z0-9-] ever comes out, whatever the input, so no report text can become a path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Callable

MAX_SLUG = 80  # characters; long department names are cut and keep a short hash
MAX_PART = 40

# Place-name readings pypinyin gets wrong (its default reading differs).
PHRASES = {
    "单县": [["shàn"], ["xiàn"]],
    "长宁": [["cháng"], ["níng"]],
    "涡阳": [["guō"], ["yáng"]],
}


@lru_cache(maxsize=1)
def _lazy_pinyin() -> Callable:
    """pypinyin, imported on first use: loading its dictionaries takes 0.6–3 s, and most importers
    of this module (the checks, the site's methodology page) only need normalise()."""
    from pypinyin import lazy_pinyin, load_phrases_dict

    load_phrases_dict(PHRASES)
    return lazy_pinyin

# Administrative suffixes dropped from region names when the rest is still a name (≥ 2 characters).
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
DISTRICT_SUFFIXES = ("自治县", "新区", "区", "县", "市", "旗")

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def normalise(text: str | None) -> str:
    """NFKC (full-width letters and digits become ASCII) and no whitespace."""
    if not text:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def pinyin_slug(text: str | None, limit: int = MAX_PART) -> str:
    """Pinyin of `text` as one lowercase ASCII word (letters and digits only); '' if none."""
    text = normalise(text)
    if not text:
        return ""
    syllables = _lazy_pinyin()(text, errors=lambda chars: list(chars))
    ascii_text = unicodedata.normalize("NFKD", "".join(syllables)).encode("ascii", "ignore").decode().lower()
    word = _NON_SLUG.sub("", ascii_text)
    return _cap(word, limit, text)


def _cap(word: str, limit: int, original: str) -> str:
    """Cut an over-long word and append a short hash of the original so cuts stay distinct."""
    if len(word) <= limit:
        return word
    digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:6]
    return f"{word[: limit - 7]}{digest}"


def strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    """`name` without its administrative suffix, unless only one character would be left (西区 stays)."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_parts(province: str | None, city: str | None, district: str | None) -> list[str]:
    """Slugs of the region levels that are given, e.g. ['sichuan', 'panzhihua', 'xiqu']."""
    parts = [
        pinyin_slug(strip_suffix(normalise(province), PROVINCE_SUFFIXES)),
        pinyin_slug(strip_suffix(normalise(city), CITY_SUFFIXES)),
        pinyin_slug(strip_suffix(normalise(district), DISTRICT_SUFFIXES)),
    ]
    out: list[str] = []
    for p in parts:
        if p and (not out or out[-1] != p):  # 北京市 北京市 → beijing once
            out.append(p)
    return out


def region_path(province: str | None, city: str | None, district: str | None) -> str:
    """Site path of a region, e.g. 'sichuan/panzhihua/xiqu'; 'unknown' when nothing is known."""
    return "/".join(region_parts(province, city, district)) or "unknown"


def department_core(department: str | None, province: str | None, city: str | None, district: str | None) -> str:
    """The department name without its region prefix: 攀枝花市西区科学技术局 → 科学技术局."""
    name = normalise(department)
    changed = True
    while changed and name:
        changed = False
        for region, suffixes in ((province, PROVINCE_SUFFIXES), (city, CITY_SUFFIXES), (district, DISTRICT_SUFFIXES)):
            full = normalise(region)
            if not full:
                continue
            for prefix in (full, strip_suffix(full, suffixes)):
                if prefix and name.startswith(prefix) and len(name) > len(prefix):
                    name = name[len(prefix):]
                    changed = True
                    break
    return name


def department_slug(department: str | None, province: str | None, city: str | None, district: str | None) -> str:
    """ASCII slug of the department core, e.g. 'kexuejishuju'; 'bumen' when the name is unknown."""
    return pinyin_slug(department_core(department, province, city, district)) or "bumen"


def report_slug(
    department: str | None,
    province: str | None,
    city: str | None,
    district: str | None,
    fiscal_year: int | None,
) -> str:
    """Slug of one report's package (not yet deduplicated against other reports)."""
    year = str(fiscal_year) if isinstance(fiscal_year, int) and 1900 < fiscal_year < 3000 else "undated"
    parts = region_parts(province, city, district) + [department_slug(department, province, city, district), year]
    slug = "-".join(parts)
    if len(slug) > MAX_SLUG:
        head = _cap("-".join(parts[:-1]).replace("-", ""), MAX_SLUG - len(year) - 1, slug)
        slug = f"{head}-{year}"
    return slug


def dedupe(slugs: list[tuple[str, str]]) -> dict[str, str]:
    """Unique slugs for (key, slug) pairs: collisions get -2, -3… in order of key. Returns key → slug."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for key, slug in sorted(slugs, key=lambda ks: (ks[1], ks[0])):
        candidate, n = slug, 1
        while candidate in taken or candidate == "catalog":
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        out[key] = candidate
    return out


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def is_safe(slug: str) -> bool:
    """True when `slug` can be used as a single path component without escaping anything."""
    return bool(SLUG_PATTERN.match(slug)) and len(slug) <= MAX_SLUG + 8
