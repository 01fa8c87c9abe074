#!/usr/bin/env python3
"""Time a bare `mkdocs build` of the Markdown juesuan's site stage generates, without juesuan's hook.

Writes the generated pages (the Markdown MkDocs renders, without the HTML blocks juesuan's hook
puts back afterwards) and the data files and assets of `juesuan.site.generate.prepare` into a
temporary docs folder (next to copies of docs/), writes a copy of mkdocs.yml without `hooks:` and
with the same navigation, and times a clean `mkdocs build` on it (report, department and region
pages are outside the nav there too). Prints one JSON line:
{"generation_s": …, "mkdocs_build_s": …, "mkdocs_cpu_s": …, "pages": …}. Used by scripts/bench.py for the ratio
“site stage ÷ bare mkdocs build”.

Example:
    .venv/bin/python scripts/bare_mkdocs.py --packages build/bench/n100/packages --site-dir /tmp/bare-site
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold !!python/name and !ENV tags: keep them, to write them back unchanged."""


class _Tagged:
    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


def _keep(prefix: str):
    def construct(loader, suffix, node):
        return _Tagged(prefix + suffix, node)
    return construct


_Loader.add_multi_constructor("!", _keep("!"))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep("tag:yaml.org,2002:python/"))


class _Dumper(yaml.SafeDumper):
    pass


def _represent(dumper, data: _Tagged):
    node = data.node
    node.tag = data.tag
    return node


_Dumper.add_representer(_Tagged, _represent)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--packages", type=Path, required=True)
    ap.add_argument("--site-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(REPO)
    from juesuan.site import generate
    from juesuan.site.html import split_blocks

    config_file = REPO / "mkdocs.yml"
    raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    work = Path(tempfile.mkdtemp(prefix="juesuan-bare-"))
    t0 = time.perf_counter()
    build = generate.prepare(REPO, args.packages.resolve(), work=work / "cache")
    build.finish()  # every page written before MkDocs starts
    generate.make_zips(build.work, build.zips)
    generation = time.perf_counter() - t0

    try:
        docs = work / "docs"
        src_docs = REPO / raw.get("docs_dir", "docs")
        shutil.copytree(src_docs, docs, ignore=shutil.ignore_patterns("generated"))
        for uri, path in build.pages.items():
            p = docs / uri
            p.parent.mkdir(parents=True, exist_ok=True)
            if not p.exists():
                # The Markdown MkDocs renders in juesuan's build: the page without its stashed HTML blocks.
                p.write_text(split_blocks(path.read_text(encoding="utf-8"))[0], encoding="utf-8")
        for uri, path in {**build.data, **build.assets}.items():
            p = docs / uri
            p.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, p)
        nav = build.nav
        raw.pop("hooks", None)
        raw["watch"] = [str((REPO / w).resolve()) for w in raw.get("watch", []) or []]
        raw["strict"] = False  # we time the build; juesuan's own build is the strict one
        raw["docs_dir"] = str(docs)
        raw["site_dir"] = str(args.site_dir.resolve())
        if nav is not None:
            raw["nav"] = nav
        jieba = build.jieba_dict
        plugins = raw.get("plugins", []) or []
        for i, plugin in enumerate(plugins):
            if plugin == "search":
                plugins[i] = plugin = {"search": {}}
            if isinstance(plugin, dict) and "search" in plugin and jieba.is_file():
                conf = plugin["search"] or {}
                conf["jieba_dict_user"] = str(jieba)
                plugin["search"] = conf
        cfg = work / "mkdocs.yml"
        cfg.write_text(yaml.dump(raw, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")

        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        # MkDocs alone: juesuan's objects (every package's summary) must not weigh on its garbage
        # collections, as they would not in a plain `mkdocs build`.
        del build, nav
        gc.collect()
        t1, c1 = time.perf_counter(), time.process_time()
        config = load_config(str(cfg), site_dir=str(args.site_dir.resolve()))
        mkdocs_build(config)
        mk, mk_cpu = time.perf_counter() - t1, time.process_time() - c1
        pages = sum(1 for _ in args.site_dir.rglob("index.html"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"generation_s": round(generation, 3), "mkdocs_build_s": round(mk, 3),
                      "mkdocs_cpu_s": round(mk_cpu, 3), "pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
