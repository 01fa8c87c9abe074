"""Theme blocks rendered once for many pages, and one Markdown converter for all pages, change no byte.

`theme_blocks` copies Material's navigation, tabs, footer, configuration and scripts from the first
page outside the nav at the same place in the URL tree; `page_render` converts every generated page
with the same Markdown instance. Both are shortcuts around MkDocs and Material, so the spec is the
site they would have built: the same bytes on every page.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.utils import get_relative_url

from juesuan.site import build_site, generate, overview, page_render, theme_blocks

@pytest.mark.parametrize("workers", [True, False])
def test_the_site_is_byte_for_byte_the_one_built_without_the_shortcuts(nine_packages, files_of, tmp_path, monkeypatch,
                                                                        workers):
    # Province pages in the nav (split listings), so report pages share their first folder with nav pages.
    monkeypatch.setattr(overview, "SPLIT_OVER", 2)
    if not workers:
        monkeypatch.setattr(generate, "_pool", lambda n: None)
    keys: list[tuple | None] = []
    real_key = theme_blocks._key
    monkeypatch.setattr(theme_blocks, "_key", lambda *a: keys.append(real_key(*a)) or keys[-1])
    fast = tmp_path / "fast"
    build_site(nine_packages, fast, echo=lambda s: None, cache_dir=tmp_path / "c1")
    monkeypatch.setattr(theme_blocks, "enabled", False)
    monkeypatch.setattr(page_render, "enabled", False)
    plain = tmp_path / "plain"
    build_site(nine_packages, plain, echo=lambda s: None, cache_dir=tmp_path / "c2")
    a, b = files_of(fast), files_of(plain)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    shared = [k for k in keys if k is not None]
    assert len(shared) > 5 * 9  # every block of every report page, at least
    assert len(set(shared)) < len(shared) / 3  # and most of them were copies
    assert any(k[1] for k in shared)  # pages under a province page of the nav share too


def _page(url: str, hide=None, in_nav: bool = False):
    return SimpleNamespace(url=url, meta={"hide": hide} if hide else {}, file=object(), toc=[])


TARGETS = ["", "departments/", "developers/data-contract/", "henan/", "henan/luoyang/", "assets/javascripts/b.js",
           "assets/juesuan/juesuan.css", "regions/"]
PAGES = ["henan/luoyang/laocheng/fulian/2021/", "henan/luoyang/laocheng/fulian/2022/", "henan/luoyang/xigong/jiaoyu/2021/",
         "henan/zhengzhou/jinshui/jiaoyu/2021/", "henan/zhengzhou/2021/", "hubei/wuhan/jiangan/jiaoyu/2021/",
         "hubei/wuhan/jiangan/jiaoyu/", "hubei/wuhan/", "zhejiang/hangzhou/xihu/jiaoyu/2021/", "henan/luoyang/",
         "henan/", "departments/henan/", "assets/x/", "a/b/c/d/e/", "a/b/c/d/f/"]


def test_pages_with_the_same_key_get_the_same_relative_urls():
    starts = set()
    for t in TARGETS:
        parts = [p for p in t.split("/") if p]
        starts.update(tuple(parts[:k]) for k in range(1, len(parts) + 1))
    keys = {u: theme_blocks._key(_page(u), set(), starts) for u in PAGES}
    for u, k in keys.items():
        for v, other in keys.items():
            if k == other:
                assert [get_relative_url(t, u) for t in TARGETS] == [get_relative_url(t, v) for t in TARGETS], (u, v)
    # …and they do share: the report pages of one depth under henan/luoyang/, and those outside every target.
    assert keys[PAGES[0]] == keys[PAGES[1]] == keys[PAGES[2]]
    assert keys[PAGES[5]] == keys[PAGES[8]]
    assert keys[PAGES[0]] != keys[PAGES[3]] != keys[PAGES[5]]


def test_pages_in_the_nav_or_with_other_settings_do_not_share():
    page = _page("hubei/wuhan/jiangan/jiaoyu/2021/")
    assert theme_blocks._key(page, {id(page)}, set()) is None  # in the nav: its item is active
    assert theme_blocks._key(_page(""), set(), set()) is None  # the home page
    assert theme_blocks._key(_page("a/../b/"), set(), set()) is None
    hidden = theme_blocks._key(_page("a/b/", hide=["toc"]), set(), set())
    assert hidden is not None and hidden != theme_blocks._key(_page("a/b/"), set(), set())


def test_a_contents_list_keeps_the_sidebar_its_own():
    h1 = SimpleNamespace(level=1, children=[])
    assert not theme_blocks._has_contents([]) and not theme_blocks._has_contents([h1])
    assert theme_blocks._has_contents([SimpleNamespace(level=1, children=[SimpleNamespace(level=2, children=[])])])
    assert theme_blocks._has_contents([SimpleNamespace(level=2, children=[])])


def test_the_converter_is_used_only_with_the_mkdocs_it_copies(monkeypatch):
    import mkdocs

    monkeypatch.setattr(mkdocs, "__version__", "1.6.1")
    assert page_render.usable()
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    assert not page_render.usable()


DOCS = [
    "# 标题一\n\n## 第一节\n\n[x]: https://example.org/x\n\n[链接][x] 与 <div id=\"raw\">原样</div>\n",
    "没有标题。\n\n[链接][x] 在这一页没有定义。\n\n<!--jsblk:0-->\n",
    "# 标题二\n\n### 小节 {#own-id}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! note \"注\"\n    内容\n",
    "",
]


def test_one_converter_renders_each_page_as_a_new_one_would():
    """Pages converted one after another by the kept converter: nothing of a page (its link
    definitions, headings, stashed HTML) reaches the next, and each comes out as MkDocs renders it."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = load_config(str(Path(__file__).parents[1] / "mkdocs.yml"))
    files = [File(f"p{i}/index.md", config.docs_dir, config.site_dir, config.use_directory_urls)
             for i in range(len(DOCS))]
    every = Files(files)
    kept, fresh = [Page(None, f, config) for f in files], [Page(None, f, config) for f in files]
    for text, a, b in zip(DOCS, kept, fresh):
        a.markdown = b.markdown = text
        page_render.render(a, config, every)
        b.render(config, every)
        assert (a.content, a.title, a.present_anchor_ids) == (b.content, b.title, b.present_anchor_ids)
        assert [(t.id, t.title, [c.id for c in t.children]) for t in a.toc] == \
               [(t.id, t.title, [c.id for c in t.children]) for t in b.toc]
    assert "https://example.org/x" not in kept[1].content


def test_a_new_config_gets_a_new_converter(monkeypatch):
    """`mkdocs serve` loads mkdocs.yml again for each build: its Markdown extensions may have changed."""
    from mkdocs.config import load_config

    monkeypatch.setattr(page_render, "_md", None)
    config = load_config(str(Path(__file__).parents[1] / "mkdocs.yml"))
    first = page_render._converter(config)
    assert page_render._converter(config) is first
    again = load_config(str(Path(__file__).parents[1] / "mkdocs.yml"))
    assert page_render._converter(again) is not first
