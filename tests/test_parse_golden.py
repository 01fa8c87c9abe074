"""The five sample reports against golden values written by reading each report's text.

Figures, 类 shares and 项 line items must match exactly in both directions (nothing missing,
nothing extra). Only the extractors of the figure parser run here, so figures that other
extractors add (e.g. staff counts from the overview) do not enter the comparison.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from juesuan.parse import identity, performance, spending, three_public, totals
from juesuan.parse.sections import split_parts
from juesuan.read import read_report
from juesuan.record import Identity, Record, SourceFile

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
STEMS = sorted(p.stem for p in GOLDEN.glob("*.csv") if p.stem.count(".") == 0)


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


def _read(stem: str) -> Record:
    document = read_report(ROOT / "reports" / f"{stem}.txt")
    record = Record(source_file=SourceFile(stem, stem, document.sha256, "txt", 0), identity=Identity())
    parts = split_parts(document)
    for extract in (identity.extract, totals.extract, spending.extract, three_public.extract, performance.extract):
        extract(document, parts, record)
    return record


@pytest.fixture(scope="module", params=STEMS)
def case(request):
    return request.param, _read(request.param)


def _rows(name: str) -> list[dict[str, str]]:
    with open(GOLDEN / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_five_samples_have_golden_files():
    assert len(STEMS) == 5
    for stem in STEMS:
        assert (ROOT / "reports" / f"{stem}.txt").is_file()


def test_figures_equal_golden(case):
    stem, record = case
    expected = {
        (r["metric"], r["qualifier"] or None): (
            r["value_text"], _num(r["value"]), r["unit"], _num(r["share_pct"]), _num(r["change"]),
            _num(r["change_pct"]), _num(r["budget_completion_pct"]), int(r["line"]),
        )
        for r in _rows(f"{stem}.csv")
    }
    got = {
        (f.metric, f.qualifier): (f.text, f.value, f.unit, f.share_pct, f.change, f.change_pct, f.budget_completion_pct, f.source.line)
        for f in record.figures
    }
    assert len(got) == len(record.figures), "a metric/qualifier pair appears twice"
    missing = {k: v for k, v in expected.items() if k not in got}
    extra = {k: v for k, v in got.items() if k not in expected}
    wrong = {k: (expected[k], got[k]) for k in expected.keys() & got.keys() if expected[k] != got[k]}
    assert not missing, f"{stem}: missing {missing}"
    assert not extra, f"{stem}: extra {extra}"
    assert not wrong, f"{stem}: wrong (expected, got) {wrong}"


def test_every_figure_source_contains_its_numeral(case):
    stem, record = case
    lines = (ROOT / "reports" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    for f in record.figures:
        assert f.text in lines[f.source.line - 1], (stem, f.metric, f.text, f.source.line)
        assert f.text in f.source.text, (stem, f.metric, f.text)


def test_line_items_equal_golden(case):
    stem, record = case
    expected = [
        (r["class_name"], r["kuan_name"], r["xiang_name"], r["amount_text"], _num(r["budget_completion_pct"]), int(r["line"]))
        for r in _rows(f"{stem}.items.csv")
    ]
    got = [
        (i.class_name, i.kuan_name, i.xiang_name, i.amount_text, i.budget_completion_pct, i.source.line)
        for i in record.line_items
    ]
    assert got == expected


def test_class_shares_equal_golden(case):
    stem, record = case
    expected = [(r["name"], r["amount_text"], _num(r["share_pct"]), int(r["line"])) for r in _rows(f"{stem}.classes.csv")]
    got = [(c.name, c.amount_text, c.share_pct, c.source.line) for c in record.spending_by_class]
    assert got == expected


def test_seed_000_stray_number_is_flagged_not_read():
    record = _read("sichuan-panzhihua-kejiju-2022")
    assert any(w.code == "stray_number" and "2003.94" in w.message for w in record.warnings)
    assert all(f.text != "2003.94" for f in record.figures)


def test_seed_002_other_name_is_recorded():
    record = _read("sichuan-panzhihua-xiqu-jingxinju-2022")
    assert record.identity.department == "西区经济和信息化局"
    assert "西区经济合作局" in record.identity.other_names
    assert "区经济和信息化局" in record.identity.short_names
