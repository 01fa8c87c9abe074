"""The site stage: datapackages/ → MkDocs Material site with ECharts charts, downloads and search.

`build_site` and `serve_site` run MkDocs on the repository's `mkdocs.yml`; its hook
(`mkdocs_hooks.py`) generates the pages from the packages in memory.
"""

from __future__ import annotations

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


def build_site(packages_dir: Path, site_dir: Path, echo: Callable[[str], None] = print, *,
               site_url: str | None = None, strict: bool = True) -> dict[str, float]:
    """Generate the pages from `packages_dir` and build the static site into `site_dir`.

    Returns the seconds of each sub-stage: generate (pages and data from the packages), mkdocs
    (MkDocs and its search plugin, generation excluded) and total.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config_file = find_config()
    echarts_path(config_file.parent)  # fail early with the install hint
    if not Path(packages_dir).is_dir():
        raise SiteError(f"no data packages at {packages_dir}/: run `juesuan package` (or `juesuan build`) first")
    from . import generate

    generate.LAST_TIMINGS.clear()
    t0 = time.perf_counter()
    url = site_url if site_url is not None else os.environ.get("SITE_URL") or None
    kwargs = {"site_url": url} if url else {}
    config = load_config(str(config_file), site_dir=str(Path(site_dir).resolve()), strict=strict, **kwargs)
    config.extra["juesuan_packages_dir"] = str(Path(packages_dir).resolve())
    collector = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collector)
    try:
        build(config)
    except (Abort, MkDocsException) as e:
        detail = "; ".join(collector.messages[:5])
        raise SiteError(f"site build failed: {e} {detail}".strip()) from e
    finally:
        log.removeHandler(collector)
    total = time.perf_counter() - t0
    from . import generate

    generate_s = generate.LAST_TIMINGS.get("generate", 0.0)
    pages = sum(1 for _ in Path(site_dir).rglob("index.html"))
    echo(f"site: {pages} pages → {site_dir}/ in {total:.1f} s (generate {generate_s:.1f} s)")
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
