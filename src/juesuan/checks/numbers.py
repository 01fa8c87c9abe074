"""Printed precision and rounding tolerance: how far apart two printed numbers may honestly be."""

from __future__ import annotations

import re

EPS = 1e-9
MONEY_MIN_DECIMALS = {"万元": 2, "元": 0}  # reports drop trailing zeros (1890.5 means 1890.50)
COUNT_UNITS = ("辆", "个", "人", "次", "批次", "人次", "台（套）", "台(套)", "家", "项")


def decimals(text: str | None, value: float | None = None) -> int:
    """Digits after the decimal point as printed (from the text, else from the shortest repr)."""
    if text:
        m = re.search(r"\d(?:\.(\d+))?\s*%?\s*$", text.replace(",", "").strip())
        if m:
            return len(m.group(1) or "")
    if value is None:
        return 0
    # no printed text: the shortest repr, trailing zeros not counted (86.0 was printed “86”)
    shortest = repr(float(value))
    if "e" in shortest:
        return 6
    return len(shortest.split(".")[1].rstrip("0")) if "." in shortest else 0


def half_unit(digits: int) -> float:
    """Half a unit of the last printed digit: the largest rounding error of a printed number."""
    return 0.5 * 10.0 ** (-digits)


def group_half_unit(texts: list[tuple[str | None, float]], unit: str | None) -> float:
    """Rounding of a group of numbers compared with each other (exact for counts)."""
    if unit in COUNT_UNITS:
        return 0.0
    digits = max([decimals(t, v) for t, v in texts] + [MONEY_MIN_DECIMALS.get(unit or "", 0)])
    return half_unit(digits)


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a message: no trailing zeros beyond what is needed."""
    if value is None:
        return "（未说明）"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def ratio_range(num: float, den: float, h_num: float, h_den: float) -> tuple[float, float] | None:
    """Smallest and largest num/den×100 when both may be off by their rounding (None if den ≈ 0)."""
    lo_den, hi_den = den - h_den, den + h_den
    if lo_den <= 0 < hi_den or abs(den) < EPS:
        return None
    values = [(n / d) * 100 for n in (num - h_num, num + h_num) for d in (lo_den, hi_den)]
    return min(values), max(values)
