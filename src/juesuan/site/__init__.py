"""The site stage: datapackages/ → MkDocs Material site with ECharts charts, downloads and search.

`build_site` and `serve_site` run MkDocs on the repository's `mkdocs.yml`; its hook
(`mkdocs_hooks.py`) generates the pages from the packages in memory.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from pathlib import Path
from typing import Callable

from .generate import SiteError, echarts_path

__all__ = ["build_site", "serve_site", "SiteError", "find_config"]


def find_config() -> Path:
    """mkdocs.yml in the working directory, else the one of the juesuan checkout."""
    for cand in (Path.cwd() / "mkdocs.yml", Path(__file__).resolve().parents[3] / "mkdocs.yml"):
        if cand.is_file():
            return cand
    raise SiteError("mkdocs.yml not found: run juesuan from the root of the juesuan repository")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns about every dirty build; ours are only made when the nav and config are unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _state(b, config_file: Path, site_url: str | None, strict: bool) -> dict:
    """What must be unchanged since the last build of this site folder for a dirty build to equal a clean one."""
    import hashlib
    import json

    def digest(data: bytes) -> str:
        return hashlib.sha1(data).hexdigest()[:20]

    docs = Path(config_file.parent / "docs")
    hand = sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file() and "generated" not in p.parts)
    return {
        "fingerprint": b.fingerprint,
        "config": digest(config_file.read_bytes() + f"|{site_url}|{strict}".encode("utf-8")),
        "nav": digest(json.dumps(b.nav, ensure_ascii=False, sort_keys=True).encode("utf-8")),
        "docs": hand,
        "pages": sorted(b.pages),
        "data": sorted(b.data),
    }


def _jieba_digest(b) -> str:
    import hashlib

    return hashlib.sha1(b.jieba_dict.read_bytes()).hexdigest()[:20] if b.jieba_dict and b.jieba_dict.is_file() else ""


def _can_be_dirty(old: dict | None, new: dict, site_dir: Path, work: Path) -> bool:
    if not old or not (site_dir / "index.html").is_file() or not (work / "search_entries.json").is_file():
        return False
    same = all(old.get(k) == new[k] for k in ("fingerprint", "config", "nav", "jieba", "docs") if k in new)
    # Something removed would stay in the site folder (dirty builds do not clean it).
    return same and set(old.get("pages", [])) <= set(new["pages"]) and set(old.get("data", [])) <= set(new["data"])


def _fresh_jieba() -> None:
    """Make the search plugin segment as in a new process.

    Loading the user dictionary again adds its counts to jieba's totals, so a second build in the
    same process (tests, `serve`) segmented some text differently and its index differed from a
    clean build's; re-initialising reloads the main dictionary (cached on disk) first.
    """
    import logging
    import sys

    # jieba logs its dictionary loading (“Building prefix dict…”) at DEBUG to stderr: noise in a build.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba = sys.modules.get("jieba")
    if jieba is not None and getattr(jieba.dt, "initialized", False):
        jieba.dt.initialized = False


def build_site(packages_dir: Path, site_dir: Path, echo: Callable[[str], None] = print, *,
               site_url: str | None = None, strict: bool = True, cache_dir: Path | None = None,
               incremental: bool = True) -> dict[str, float]:
    """Generate the pages from `packages_dir` and build the static site into `site_dir`.

    Pages, zips and summaries of unchanged packages come from the work folder under `cache_dir`
    (default settings.CACHE_DIR); when the nav, config and code are as in the last build of
    `site_dir`, MkDocs renders only the pages that changed (`incremental=False` renders all).
    Returns the seconds of each sub-stage: generate (pages and data from the packages), mkdocs
    (MkDocs and its search plugin, generation excluded) and total.
    """
    import json

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config_file = find_config()
    echarts_path(config_file.parent)  # fail early with the install hint
    if not Path(packages_dir).is_dir():
        raise SiteError(f"no data packages at {packages_dir}/: run `juesuan package` (or `juesuan build`) first")
    from . import generate

    t0 = time.perf_counter()
    site_dir = Path(site_dir).resolve()
    url = site_url if site_url is not None else os.environ.get("SITE_URL") or None
    kwargs = {"site_url": url} if url else {}
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **kwargs)
    config.extra["juesuan_packages_dir"] = str(Path(packages_dir).resolve())
    work = generate.work_dir(cache_dir, site_dir)
    # The summaries of every package stay in memory for the whole build (10,000 reports: millions of
    # small objects). Each collection of Python's oldest generation walked them all again: a rebuild
    # spent as long in the collector as in restoring them. They are frozen out of its reach; the
    # workers forked later share their pages untouched.
    gc.disable()
    try:
        b = generate.prepare(config_file.parent, Path(packages_dir).resolve(), config.site_url or "", work)
    finally:
        gc.freeze()
        gc.enable()
    state_file = work / "state.json"
    try:
        old = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    state = _state(b, config_file, config.site_url, strict)
    b.dirty = incremental and _can_be_dirty(old, state, site_dir, work)
    state_file.unlink(missing_ok=True)  # an interrupted build is followed by a clean one
    if b.dirty:
        # A dirty build compares every page file's time with its output's before rendering: all
        # pages are written first. The search words must also be those of the last build.
        b.complete()
        b.wait_pages()
        state["jieba"] = _jieba_digest(b)
        b.dirty = _can_be_dirty(old, state, site_dir, work)
    elif b.late is not None and b.pool is not None:
        # A clean build with workers: the pages across reports are rendered beside MkDocs by the
        # aggregator, and MkDocs' own loop skips them, which only a dirty build can do (it asks
        # each page's File whether it changed). On an emptied site folder that loop then builds
        # everything else as a clean build would.
        from mkdocs.utils import clean_directory

        clean_directory(str(site_dir))
        b.late_apart = True
    generate_s = time.perf_counter() - t0

    collector = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collector)
    quiet = _DropDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    _fresh_jieba()
    generate.CURRENT = b
    try:
        build(config, dirty=b.dirty or b.late_apart)
    except (Abort, MkDocsException) as e:
        detail = "; ".join(collector.messages[:5])
        raise SiteError(f"site build failed: {e} {detail}".strip()) from e
    finally:
        b.finish(complete=False)  # also after a failure: stops the workers (the hook completed it)
        generate.CURRENT = None
        gc.unfreeze()  # a second build in this process (tests, serve) can collect this one's objects
        log.removeHandler(collector)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    state["jieba"] = _jieba_digest(b)
    state_file.write_text(json.dumps(state), encoding="utf-8")
    total = time.perf_counter() - t0
    pages = len(b.pages)
    how = "dirty: changed pages only" if b.dirty else "all pages"
    echo(f"site: {pages} generated pages ({b.changed_packages} packages changed, {how}) → {site_dir}/ "
         f"in {total:.1f} s (generate {generate_s:.1f} s)")
    return {"generate": round(generate_s, 3), "mkdocs": round(total - generate_s, 3), "total": round(total, 3)}


def serve_site(packages_dir: Path, port: int = 8000, echo: Callable[[str], None] = print) -> None:
    """Preview on localhost; pages are regenerated when the packages or docs change."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve

    config_file = find_config()
    echarts_path(config_file.parent)
    os.environ["JUESUAN_PACKAGES"] = str(Path(packages_dir).resolve())
    echo(f"serving http://127.0.0.1:{port}/ (Ctrl+C to stop); watching {packages_dir}/")
    serve(str(config_file), dev_addr=f"127.0.0.1:{port}", watch=[str(Path(packages_dir).resolve())],
          site_url=f"http://127.0.0.1:{port}/")
