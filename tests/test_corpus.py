"""scripts/make_corpus.py: seeded, marked synthetic, internally consistent, never in reports/."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_corpus.py"
MARKER = "（本报告为 juesuan 合成的测试数据，非真实决算）"


def _load():
    spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mod
    spec.loader.exec_module(mod)
    return mod


mc = _load()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    mc.write_corpus(60, out, seed=7)
    return out


@pytest.fixture(scope="module")
def truth(corpus) -> list[dict]:
    return json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["reports"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes(tmp_path, corpus):
    again = tmp_path / "again"
    mc.write_corpus(60, again, seed=7)
    assert _files(again) == _files(corpus)
    other = tmp_path / "other"
    mc.write_corpus(60, other, seed=8)
    assert _files(other) != _files(corpus)


def test_n_reports_with_manifest_and_truth(corpus, truth):
    reports = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(reports) == 60
    assert all(name.startswith("synthetic-") for name in reports)
    with (corpus / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == reports
    assert list(rows[0]) == ["file", "department", "province", "city", "district", "fiscal_year", "kind"]
    assert [t["file"] for t in truth] == reports
    assert len({(r["department"], r["fiscal_year"]) for r in rows}) == 60
    assert len({r["city"] for r in rows}) > 5


def test_manifest_is_accepted_by_juesuan(corpus):
    from juesuan.manifest import load_manifest

    entries = load_manifest(corpus / "manifest.csv")
    assert len(entries) == 60
    assert all(e.kind in ("部门决算", "单位决算") and e.fiscal_year for e in entries.values())


def test_every_report_is_marked_synthetic_near_the_top(corpus):
    for p in corpus.glob("*.txt"):
        head = p.read_text(encoding="utf-8").splitlines()[:3]
        assert MARKER in head, p.name


def test_truth_parts_sum_to_totals(truth):
    for t in truth:
        led = t["ledger"]
        assert round(sum(led["income"].values()), 2) == led["income_total"], t["file"]
        assert round(sum(led["expenditure"].values()), 2) == led["expenditure_total"], t["file"]
        assert round(led["income_total"] + led["carry_in"], 2) == led["grand_total"]
        assert round(led["expenditure_total"] + led["carry_out"], 2) == led["grand_total"]
        assert led["carry_in"] >= 0 and led["carry_out"] >= 0
        assert led["fiscal_grand_total"] <= led["grand_total"]
        assert round(led["personnel_expenses"] + led["public_expenses"], 2) == led["general_budget_basic_expenditure"]
        assert led["general_budget_basic_expenditure"] <= led["expenditure"]["expenditure_basic"]
        assert round(sum(led["three_public"].values()), 2) == led["three_public_total"]
        items = t["line_items"]
        assert round(sum(i["amount"] for i in items), 2) == led["general_budget_expenditure"]
        for c in t["spending_by_class"]:
            assert round(sum(i["amount"] for i in items if i["class_name"] == c["name"]), 2) == c["amount"]


def test_stated_figures_match_the_ledger_and_their_shares(truth):
    for t in truth:
        f, led = t["figures"], t["ledger"]
        assert f["income_total"]["value"] == led["income_total"]
        assert f["expenditure_total"]["value"] == led["expenditure_total"]
        assert f["grand_total_income"]["value"] == f["grand_total_expenditure"]["value"] == led["grand_total"]
        stated = [k for k in led["income"] if k in f]
        assert stated, t["file"]
        for k in stated:
            assert f[k]["value"] == led["income"][k]
            if "share_pct" in f[k] and led["income_total"]:
                exact = led["income"][k] / led["income_total"] * 100
                tol = 0.5 if t["style"]["pct"] == "int" else 0.005
                assert abs(f[k]["share_pct"] - exact) <= tol + 1e-9, (t["file"], k)
        # only zero components may be left out
        for k, v in led["income"].items():
            if k not in f:
                assert v == 0 and t["style"]["components"] == "nonzero"
        three = led["three_public"]
        assert f["three_public_vehicles"]["value"] == round(three["vehicle_purchase"] + three["vehicle_operation"], 2)


def test_stated_changes_agree_with_the_previous_year_in_the_corpus(truth):
    by_dep: dict[str, dict[int, dict]] = {}
    for t in truth:
        by_dep.setdefault(t["department"], {})[t["fiscal_year"]] = t
    pairs = 0
    for years in by_dep.values():
        for y, t in years.items():
            prev = years.get(y - 1)
            if prev is None:
                continue
            pairs += 1
            for metric, key in (("grand_total_income", "grand_total"), ("fiscal_grand_total", "fiscal_grand_total"),
                                ("general_budget_expenditure", "general_budget_expenditure")):
                expected = round(t["ledger"][key] - prev["ledger"][key], 2)
                assert t["figures"][metric]["change"] == expected, (t["file"], metric)
    assert pairs > 0, "the corpus should hold departments with several years"


def test_truth_is_what_the_text_says(corpus, truth):
    """Golden values read from the report text with plain patterns, compared with truth.json."""
    for t in truth:
        text = (corpus / t["file"]).read_text(encoding="utf-8")
        m = re.search(r"本年收入合计([0-9.]+)万元", text)
        assert m and m.group(1) == t["figures"]["income_total"]["text"]
        m = re.search(r"本年支出合计([0-9.]+)万元，其中：基本支出([0-9.]+)万元", text)
        assert m and m.group(1) == t["figures"]["expenditure_total"]["text"]
        assert float(m.group(2)) == t["ledger"]["expenditure"]["expenditure_basic"]
        m = re.search(r"收[入、]*支出?总计(?:均为|各是)?([0-9.]+)", text)
        assert m and float(m.group(1)) == t["ledger"]["grand_total"]
        items = re.findall(r"（项）[:：] ?支出决算为([0-9.]+)万元", text)
        assert [float(x) for x in items] == [i["amount"] for i in t["line_items"]]
        assert f"{t['department']}" in text
        assert str(t["fiscal_year"]) + "年" in text


def test_phrasing_variants_and_tables_occur(corpus, truth):
    texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
    joined = "\n".join(texts)
    for phrase in ("收、支总计", "收入、支出总计均为", "收、支总计各是", "年度本年收入合计", "（类）支出", "\t一级指标"):
        assert phrase in joined, phrase
    assert any(t["tables"] for t in truth) and any(not t["tables"] for t in truth)
    assert any(t["kind"] == "单位决算" for t in truth) or any(t["kind"] == "部门决算" for t in truth)
    tab_lines = [line for line in joined.splitlines() if line.startswith("\t")]
    assert tab_lines and all("\t" not in line[1:] for line in tab_lines)


def test_refuses_to_write_into_reports(tmp_path):
    for target in (REPO / "reports", REPO / "reports" / "synthetic"):
        with pytest.raises(mc.CorpusError, match="reports"):
            mc.write_corpus(3, target)
    assert not (REPO / "reports" / "synthetic").exists()
    assert not list((REPO / "reports").glob("synthetic-*"))
    run = subprocess.run([sys.executable, str(SCRIPT), "3", str(REPO / "reports")], capture_output=True, text=True)
    assert run.returncode == 2 and "refusing" in run.stderr


def test_refuses_a_folder_holding_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(mc.CorpusError, match="not a synthetic corpus"):
        mc.write_corpus(3, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
