"""The metric vocabulary: METRICS.md is the contract (extend, never rename); metrics.csv holds it as data."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

CONTRACT = Path(__file__).parent / "data" / "METRICS.md"  # copy of shared/METRICS.md


def contract_ids() -> dict[str, str]:
    ids = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*([a-z_]+)\s*\|\s*(.+?)\s*\|$", line.strip())
        if m and m.group(1) != "metric":
            ids[m.group(1)] = m.group(2)
    return ids


def vocabulary() -> list[dict[str, str]]:
    text = resources.files("juesuan").joinpath("data/metrics.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_contract_metric_is_in_the_vocabulary_with_its_label():
    rows = {r["metric"]: r for r in vocabulary()}
    contract = contract_ids()
    assert len(contract) == 39
    for metric, label in contract.items():
        assert metric in rows, f"{metric} from METRICS.md is missing (ids are never renamed)"
        assert rows[metric]["label"] == label
        assert rows[metric]["origin"] == "METRICS.md"


def test_vocabulary_rows_are_well_formed_and_unique():
    rows = vocabulary()
    ids = [r["metric"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate metric ids"
    for r in rows:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["metric"]), r
        assert r["label"].strip(), r
        assert r["kind"] in {"money", "pct", "count", "score"}, r
        assert r["origin"] in {"METRICS.md", "juesuan"}, r
        if r["metric"].endswith("_pct"):
            assert r["kind"] == "pct", r


def test_extensions_are_documented_for_users():
    doc = (Path(__file__).parents[1] / "docs" / "metrics.md").read_text(encoding="utf-8")
    for r in vocabulary():
        assert f"`{r['metric']}`" in doc, f"{r['metric']} is not in docs/metrics.md"
