"""MkDocs' `Page.render` with one Markdown converter per build instead of one per page.

MkDocs 1.6 makes a new `markdown.Markdown` (its extensions loaded and its parser built again) for
every page: ~0.5 ms, more than converting a report page's short Markdown. `render` below is
`Page.render` of MkDocs 1.6 with the converter kept and `reset()` between pages, which is how
Python-Markdown converts several documents. The four per-page processors are made anew and
registered under their names, replacing the previous page's. The hook uses it for the generated
pages only, and only with MkDocs 1.6 (`usable`); `tests/test_site_theme_blocks.py` renders a site
with and without it and compares every page byte for byte.
"""

from __future__ import annotations

import logging

import markdown

enabled = True  # the tests turn it off to compare

# (the config it was made for, converter): the config itself, not its id, which a later build's
# config (`mkdocs serve`, mkdocs.yml edited) could reuse once this one is gone
_md: tuple[object, markdown.Markdown] | None = None


def usable() -> bool:
    import mkdocs

    return enabled and mkdocs.__version__.startswith("1.6.")


def _converter(config) -> markdown.Markdown:
    global _md
    if _md is None or _md[0] is not config:
        _md = (config, markdown.Markdown(extensions=config["markdown_extensions"],
                                             extension_configs=config["mdx_configs"] or {}))
    return _md[1].reset()


def render(page, config, files) -> None:
    """`Page.render(config, files)` (MkDocs 1.6) with the build's one converter."""
    from mkdocs.structure import pages
    from mkdocs.structure.toc import get_toc

    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = _converter(config)
    raw_html_ext = pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = pages._RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors
