"""The report page's fast paths give exactly what the plain definitions give (hostile text included)."""

from __future__ import annotations

import json
import re

import pytest

from juesuan.site import charts, report_page, safe
from juesuan.site.load import Package, Resource, number

HOSTILE = ["", " ", "plain 文字", "<script>alert(1)</script>", "a&b\"c'd", "[x](javascript:alert(1))", "**_`~|{}#!:=",
           "line1\nline2", "a\r\nb\rc\u2028d\u2029e", "\n\n", " \n ", "ctl\x00\x01\x1f\x7fend", "\t tab\t", "&#x27;",
           "x\\y", "第12行\n\n第13行", "\u2028"]


def reference_text(value) -> str:
    """safe.text as first written: one regex pass over every character it replaces."""
    if value is None:
        return ""
    s = str(value)
    return safe._ESCAPE_RE.sub(lambda m: safe._ESCAPES[m.group(0)], s)


def reference_multiline(value) -> str:
    parts = re.split(r"\r\n|\r|\n|\u2028|\u2029", "" if value is None else str(value))
    return "<br>".join(reference_text(p) for p in parts if p.strip() or len(parts) == 1)


@pytest.mark.parametrize("s", HOSTILE + [None, 12, 3.5])
def test_text_and_multiline_escape_as_defined(s):
    assert safe.text(s) == reference_text(s)
    assert safe.multiline(s) == reference_multiline(s)
    assert "<" not in safe.multiline(s).replace("<br>", "") and "\n" not in safe.multiline(s)


def test_every_escaped_character_alone_and_in_text():
    for c in list(safe._ESCAPES) + ["a", "中", "\t"]:
        for s in (c, f"x{c}y{c}", c * 3):
            assert safe.text(s) == reference_text(s), repr(s)
    assert safe.text("'") == "&#x27;"  # one pass: the '#' of an entity just written is not escaped again


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), (True, None), (False, None), (0, 0.0), (7, 7.0), (2.5, 2.5), (-0.0, -0.0),
    ("1,234.5", 1234.5), (" 12 ", 12.0), ("abc", None), ("—", None),
])
def test_number(value, expected):
    got = number(value)
    assert got == expected and (got is None or type(got) is float)


@pytest.mark.parametrize("v", [0.1, 1e-7, 123456789.123, 7323.86, -156.01, 0.0, 3, 1e22])
def test_chart_numbers_are_json_numbers(v):
    assert charts.data_attrs(v, 1.5) == f'data-v="{json.dumps(float(v))}" data-p="1.5"'


def test_chart_numbers_refuse_nan_and_infinity():
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            charts.data_attrs(bad)


def _package(figures: list[dict]) -> Package:
    pkg = Package(slug="p", path=None, descriptor={"juesuan": {"unit": "万元"}})  # type: ignore[arg-type]
    pkg.resources["figures"] = Resource("figures", {}, figures, None, None)
    return pkg


def test_a_change_figure_is_left_out_only_when_a_shown_figure_of_its_line_states_it():
    shown = {"metric": "income_total", "value": 100.0, "change": 5.0, "change_pct": 5.26, "source_line": 7}
    other_line = {"metric": "expenditure_total", "value": 90.0, "change": 3.0, "source_line": 8}
    same = {"metric": "income_total_change", "value": 5.0, "source_line": 7}  # printed already as the change
    pct = {"metric": "income_total_change_pct", "value": 5.26, "source_line": "7"}  # line as CSV text
    differs = {"metric": "income_total_change", "value": 6.0, "source_line": 7}
    elsewhere = {"metric": "expenditure_total_change", "value": 3.0, "source_line": 9}  # not that figure's line
    unshown = {"metric": "expenditure_total_change", "value": 3.0, "source_line": 8}  # its figure is not shown
    pkg = _package([shown, other_line, same, pct, differs, elsewhere, unshown])
    lines = report_page.Lines()
    lines.shown.add(id(shown))
    by_line = report_page.shown_by_line(pkg, lines)
    assert [report_page.restates_a_change(r, by_line) for r in (same, pct, differs, elsewhere, unshown)] == [
        True, True, False, False, False]


def test_keywords_and_tags_each_once_in_order():
    pkg = _package([])
    pkg.descriptor["juesuan"].update({"department": "市科技局", "short_names": ["科技局", "市科技局"],
                                       "province": "四川省"})
    pkg.resources["spending_by_function"] = Resource("spending_by_function", {}, [
        {"class_name": "科学技术支出", "kuan_name": "科学技术管理事务", "xiang_name": "行政运行"},
        {"class_name": "科学技术支出", "kuan_name": "科学技术管理事务", "xiang_name": "一般行政管理事务"},
        {"class_name": "<b>社会保障</b>", "kuan_name": None, "xiang_name": "x"}], None, None)
    assert report_page.keywords(pkg) == ["市科技局", "科技局", "四川省", "科学技术支出", "科学技术管理事务", "行政运行",
                                         "一般行政管理事务", "＜b＞社会保障＜/b＞"]
    assert report_page.search_tags(pkg) == ["市科技", "科技", "四川", "科学技术支", "科学技术管理事", "行政运",
                                            "一般行政管理事", "＜b＞社会保障＜/b"]


def test_line_breaks_are_escapes():
    """multiline's fast path returns text with none of `text`'s escapes as it is: that must include line breaks."""
    assert all(c in safe._ESCAPES for c in "\r\n\u2028\u2029")


def test_loaded_paths_are_the_folders_files(monkeypatch):
    """load_package's paths (made without pathlib parsing) equal `folder / name`, absolute or relative."""
    from pathlib import Path

    from juesuan.site.load import load_package

    fixture = Path(__file__).parent / "data" / "site" / "datapackages"
    monkeypatch.chdir(fixture)
    for folder in sorted(p for p in fixture.iterdir() if (p / "datapackage.json").is_file()):
        for path in (folder, Path(folder.name)):
            pkg = load_package(path)
            assert pkg.resources
            for res in pkg.resources.values():
                for f in (res.csv_path, res.json_path):
                    if f is not None:
                        assert f == path / f.name and str(f) == str(path / f.name) and f.is_file()
