"""Package names: pinyin of region + department core + year, ASCII only, unique, stable."""

from __future__ import annotations

import pytest

from juesuan.slug import dedupe, department_core, department_slug, is_safe, region_path, report_slug


@pytest.mark.parametrize("args,expected", [
    (("攀枝花市科学技术局", "四川省", "攀枝花市", None, 2022), "sichuan-panzhihua-kexuejishuju-2022"),
    (("攀枝花市西区科学技术局", "四川省", "攀枝花市", "西区", 2021), "sichuan-panzhihua-xiqu-kexuejishuju-2021"),
    (("攀枝花市科学技术协会", "四川省", "攀枝花市", None, 2022), "sichuan-panzhihua-kexuejishuxiehui-2022"),
    (("遂宁市科学技术局", "四川省", "遂宁市", None, 2024), "sichuan-suining-kexuejishuju-2024"),
    (("单县财政局", "山东省", "菏泽市", "单县", 2023), "shandong-heze-shanxian-caizhengju-2023"),
    (("北京市财政局", "北京市", "北京市", None, 2023), "beijing-caizhengju-2023"),
    (("长宁区财政局", "上海市", None, "长宁区", 2023), "shanghai-changning-caizhengju-2023"),
])
def test_report_slug(args, expected):
    assert report_slug(*args) == expected


def test_department_core_drops_region_prefix():
    assert department_core("攀枝花市西区经济和信息化局", "四川省", "攀枝花市", "西区") == "经济和信息化局"
    assert department_core("四川省攀枝花市科学技术局", "四川省", "攀枝花市", None) == "科学技术局"
    assert department_slug(None, "四川省", None, None) == "bumen"


def test_region_path():
    assert region_path("四川省", "攀枝花市", "西区") == "sichuan/panzhihua/xiqu"
    assert region_path(None, None, None) == "unknown"


def test_full_width_letters_survive_nfkc():
    assert report_slug("ＡＢＣ研究所", "四川省", None, None, 2022) == "sichuan-abcyanjiusuo-2022"


@pytest.mark.parametrize("name", ["../../x", "<script>", "a/b\\c", "..", "\x00", "局.json", "=1+1", "🙂"])
def test_hostile_names_give_safe_slugs(name):
    slug = report_slug(name, name, name, name, 2022)
    assert is_safe(slug) and "/" not in slug and "." not in slug and slug.endswith("-2022")


def test_long_names_are_capped_and_stay_distinct():
    a = report_slug("科学技术" * 40 + "甲局", "四川省", None, None, 2022)
    b = report_slug("科学技术" * 40 + "乙局", "四川省", None, None, 2022)
    assert len(a) <= 90 and len(b) <= 90 and a != b and is_safe(a)


def test_missing_year():
    assert report_slug("遂宁市科学技术局", "四川省", "遂宁市", None, None).endswith("-undated")


def test_dedupe_is_deterministic_and_never_catalog():
    pairs = [("b.txt", "x-2022"), ("a.txt", "x-2022"), ("c.txt", "catalog")]
    assert dedupe(pairs) == dedupe(list(reversed(pairs))) == {"a.txt": "x-2022", "b.txt": "x-2022-2",
                                                               "c.txt": "catalog-2"}
