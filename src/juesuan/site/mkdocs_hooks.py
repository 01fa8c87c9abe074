"""MkDocs hook (listed in mkdocs.yml): adds the pages, data and assets generated from datapackages/."""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from juesuan.site import generate, overview
from juesuan.site.html import squeeze, unstash

_build: generate.Build | None = None


@event_priority(100)  # before Material's search plugin reads jieba_dict_user in its on_config
def on_config(config):
    global _build
    if _build is not None:
        generate.cleanup(_build)
    root = Path(config.config_file_path).parent
    t0 = time.perf_counter()
    _build = generate.prepare(root, generate.packages_dir_for(config), config.site_url or "")
    generate.LAST_TIMINGS["generate"] = time.perf_counter() - t0
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None:
        search.config.jieba_dict_user = str(_build.tmp / "jieba_dict.txt")
    config.nav = generate.nav(_build, Path(config.docs_dir))
    return config


def on_files(files: Files, config) -> Files:
    assert _build is not None
    for uri, content in _build.pages.items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=content))
    for uri, path in _build.files.items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    for uri, data in _build.contents.items():
        files.append(File.generated(config, uri, content=data))
    return files


MARKERS = {
    "<!-- juesuan:home -->": lambda b: overview.home_stats(b.packages),
    "<!-- juesuan:metrics -->": lambda b: overview.metrics_table(generate.DATA / "metrics.csv"),
    "<!-- juesuan:glossary -->": lambda b: overview.glossary_terms(b.packages),
    "<!-- juesuan:rules -->": lambda b: overview.check_rules(),
}


def on_page_markdown(markdown: str, page, config, files) -> str:
    if _build is None or "<!-- juesuan:" not in markdown:
        return markdown
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make(_build))
    return markdown


def on_post_page(output: str, page, config) -> str:
    """The generated HTML blocks go in after Markdown and search have seen only the page's skeleton."""
    return squeeze(unstash(output, _build.blocks) if _build is not None else output)


def on_post_build(config) -> None:
    global _build
    if _build is not None:
        generate.cleanup(_build)
        _build = None


def on_shutdown() -> None:
    on_post_build(None)
