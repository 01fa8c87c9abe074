"""政府收支分类科目: the bundled table is well-formed, and names map only along the 类-款-项 chain."""

from __future__ import annotations

import csv
from importlib import resources

from juesuan.classification import table


def test_table_is_well_formed():
    text = resources.files("juesuan").joinpath("data/classification.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows and list(rows[0]) == ["code", "level", "name", "parent_code", "year", "source"]
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows)
    for r in rows:
        assert r["source"], r  # every code has a public source
        length = {"类": 3, "款": 5, "项": 7}[r["level"]]
        assert len(r["code"]) == length and r["code"].isdigit()
        if r["level"] != "类":
            assert r["parent_code"] == r["code"][: length - 2] and r["parent_code"] in codes


def test_chain_with_and_without_trailing_zhichu():
    t = table()
    # seed sichuan-panzhihua-kejiju-2022: 住房保障支出（类）住房改革支出（款）住房公积金（项）
    m = t.map("住房保障支出", "住房改革支出", "住房公积金")
    assert (m.class_code, m.kuan_code, m.xiang_code, m.unmapped) == ("221", "22102", "2210201", [])
    # 社会保障和就业（类）行政事业单位养老支出（款）行政单位离退休（项）: 类 printed without 支出
    m = t.map("社会保障和就业", "行政事业单位养老支出", "行政单位离退休")
    assert (m.class_code, m.kuan_code, m.xiang_code) == ("208", "20805", "2080501")
    m = t.map("科学技术（类）", "科技条件与服务（款）", "机构运行（项）")
    assert (m.class_code, m.kuan_code, m.xiang_code) == ("206", "20605", "2060501")


def test_same_xiang_name_is_never_taken_from_another_kuan():
    # 行政运行 exists under 20701 and 21201 but has no coded source under 20601: stays unmapped
    m = table().map("科学技术", "科学技术管理事务", "行政运行")
    assert m.kuan_code == "20601" and m.xiang_code is None
    assert m.unmapped[0][:2] == ("项", "行政运行")
    assert all(c.startswith("20601") for c in m.unmapped[0][2])


def test_unmapped_names_come_with_close_candidates():
    m = table().map("科学技术支出", "科学技术普及", "科普活劢")
    assert m.unmapped == [("项", "科普活劢", ["2060702 科普活动"])]
    m = table().map("社会保障就业支出", None, None)
    assert m.class_code is None and "208 社会保障和就业支出" in m.unmapped[0][2]
