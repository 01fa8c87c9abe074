"""Metric ids and their Chinese labels, from data/metrics.csv (the vocabulary of METRICS.md)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def metrics() -> dict[str, dict[str, str]]:
    """metric id → its row (label, kind, …), in file order."""
    text = resources.files("juesuan").joinpath("data/metrics.csv").read_text(encoding="utf-8-sig")
    return {row["metric"].strip(): row for row in csv.DictReader(text.splitlines()) if row.get("metric")}


def label(metric: str) -> str:
    """Short Chinese label of a metric ('' when unknown); the explanation in brackets is dropped."""
    row = metrics().get(metric)
    if not row:
        return ""
    text = (row.get("label") or "").strip()
    for bracket in ("（", "("):
        if bracket in text and not text.startswith(bracket):
            text = text.split(bracket, 1)[0].strip()
    return text
