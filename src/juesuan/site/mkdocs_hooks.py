"""MkDocs hook (listed in mkdocs.yml): adds the pages, data and assets generated from datapackages/.

`juesuan site` prepares the build (`generate.prepare`) before MkDocs runs and decides whether a
dirty build is enough; `mkdocs build`/`serve` on their own prepare it here. Report, department
and region pages are out of the nav; their HTML blocks come back in `on_post_page`.

MkDocs reads every page, then writes every page. In a clean build the pages across reports (and
the hand-written pages with markers) need every package's summary, which the workers hand back
only when MkDocs has read all report pages: MkDocs reads them as empty pages first, and for real
(`_read_again`) when it writes them, last, while the aggregator writes them beside it.

In `juesuan build` (`Build.late_apart`) the aggregator also renders those pages, which are about
half of all pages, while MkDocs renders the report pages: two processes render pages instead of
one (`_write_late`). When MkDocs' own loop (a dirty build on an emptied site folder) reaches the
late pages, it takes those the aggregator has not taken yet (`late.py`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from juesuan.site import generate, late, page_render, theme_blocks
from juesuan.site.html import BLOCKS_MARK, split_blocks, squeeze, unstash

_build: generate.Build | None = None
# src_uri of a generated page → the Markdown part of its file as MkDocs read it; its HTML blocks come
# back in on_post_page, from the file then (written by the report's job with that Markdown)
_read: dict[str, str] = {}
_entries: dict[str, list[dict]] = {}  # src_uri → the search entries made for the page in this build
_seen = 0
_doc_uris: list[str] = []
_deferred: set[str] = set()  # pages MkDocs reads only when it writes them
_read_late: set[str] = set()  # deferred pages being read for real
_files: Files | None = None
_publisher: "_Publisher | None" = None
_nav: Navigation | None = None
_share: "_LateShare | None" = None  # the late pages, shared out between MkDocs' loop and the late writer
SEARCH_ENTRIES = "search_entries.json"
LATE_RESULT = "late_pages.marshal"  # in the work folder: the late writer's search entries, log messages, error


def _publish(b: generate.Build, site_dir: Path, dirty: bool) -> None:
    # zlib and the downloads in their own process: as a thread they fought MkDocs for the GIL.
    generate.lower_priority()
    generate.make_zips(b.work, b.zips)
    generate.publish_data(site_dir, b.data, b.changed_data if dirty else None)


class _Publisher:
    """Makes the changed packages' zips and links (or copies) the downloads into the site while MkDocs renders pages."""

    def __init__(self, b: generate.Build, site_dir: Path, dirty: bool):
        import multiprocessing as mp

        self.proc = mp.get_context("fork").Process(target=_publish, args=(b, site_dir, dirty), daemon=True)
        self.proc.start()

    def join(self) -> None:
        self.proc.join()
        if self.proc.exitcode != 0:
            raise generate.SiteError(f"copying the downloads into the site failed (exit {self.proc.exitcode}); "
                                     "see the error above, fix it and build again")


def _search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


@event_priority(100)  # before Material's search plugin reads jieba_dict_user in its on_config
def on_config(config):
    global _build, _seen, _files, _nav, _share
    _nav = None
    _share = None
    _read.clear()
    _entries.clear()
    _deferred.clear()
    _read_late.clear()
    _files = None
    _seen = 0
    if generate.CURRENT is not None:
        _build = generate.CURRENT
    else:  # plain `mkdocs build` / `mkdocs serve`
        root = Path(config.config_file_path).parent
        work = generate.work_dir(None, Path(config.site_dir))
        _build = generate.prepare(root, generate.packages_dir_for(config), config.site_url or "", work)
    config.nav = _build.nav  # the search words are loaded in on_env, once the summaries are in
    return config


def on_files(files: Files, config) -> Files:
    global _publisher, _files
    assert _build is not None
    for uri, path in _build.pages.items():
        if files.get_file_from_path(uri) is None:
            level = InclusionLevel.UNDEFINED if uri in _build.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, abs_src_path=str(path), inclusion=level))
    for uri, path in _build.assets.items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    marked = set()
    for f in files.documentation_pages():
        if f.abs_src_path and f.src_uri not in _build.pages:
            text = Path(f.abs_src_path).read_text(encoding="utf-8")
            if "<!-- juesuan:" in text:
                f.is_modified = lambda: True  # shows figures across reports: rendered again on every build
                marked.add(f.src_uri)
                _build.marker_names.update(m for m in generate.MARKERS if m in text)
    _publisher = _Publisher(_build, Path(config.site_dir), _build.dirty)
    if _build.late is not None and _search_plugin(config) is not None:
        _load_jieba()  # ~1.5 s, while the workers make the report pages MkDocs reads next
    # MkDocs reads pages in this order: the pages across reports and those with markers need every
    # package's summary, so they come last and the report pages' jobs run beside MkDocs until then.
    last = _build.late_pages | marked
    if _build.late is not None:  # a clean build: the summaries come while MkDocs reads the report pages
        _deferred.update(last)
    ordered = sorted(files, key=lambda f: f.src_uri in last)  # stable: the rest keeps its order
    _files = Files(ordered)
    return _files


def _load_jieba():
    """jieba with its main dictionary loaded (as the first `load_userdict` would), or None without it."""
    try:
        import jieba
    except ImportError:  # Material's search then does not segment either
        return None
    jieba.initialize()
    return jieba


def on_env(env, config, files):
    """Between reading and writing the pages: the summaries are all in, the search words go to jieba."""
    _doc_uris[:] = [f.src_uri for f in files.documentation_pages()]
    search = _search_plugin(config)
    apart = _build is not None and bool(_deferred) and _build.late_apart
    if _build is not None:
        if apart:
            _build.collect()  # the summaries and the search words, before jieba loads them here
        elif _deferred:
            _build.start_aggregate()  # collects the summaries and writes the search words first
        else:
            _build.complete()
        if search is not None and _build.jieba_dict is not None and _build.jieba_dict.is_file():
            jieba = _load_jieba()
            if jieba is not None:
                jieba.load_userdict(str(_build.jieba_dict))  # as Material's search does for jieba_dict_user
    if _build is not None and env.bytecode_cache is None:
        # Compiling Material's templates took ~1 s of every build; Jinja checks each template's source.
        from jinja2 import FileSystemBytecodeCache

        folder = _build.work.parent / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    theme_blocks.install(env, config, files, _nav)
    if apart:
        _start_late_writer(env, config, files)
    return env


class _LateShare(late.Share):
    """The late pages (`late.Share`), and which of them each process reads before rendering any."""

    def __init__(self, files: list[File], in_nav: set[str], config) -> None:
        super().__init__([f.src_uri for f in files])
        # Pages whose titles the nav shows (a generated page's title is its h1): each process reads
        # them all before rendering any late page, as if MkDocs had read every page first.
        self.titled = [f for f in files if f.generated_by is None or f.src_uri in in_nav]
        self.config = config
        self.loaded = False  # this process has the markers and has read the titled pages

    def ready(self, b: generate.Build) -> None:
        """Before MkDocs here reads a late page: the aggregator has written them and the markers."""
        if self.loaded:
            return
        if not self.wait_aggregated(lambda: b.aggregator is not None and b.aggregator.is_alive()):
            _join_late_writer()  # raises its error
            raise generate.SiteError("the process writing the pages across reports stopped; build again")
        result = json.loads((b.work / generate.AGGREGATE_RESULT).read_text(encoding="utf-8"))
        b.markers.update(result["markers"])
        self.read_titled()

    def read_titled(self) -> None:
        self.loaded = True
        for f in self.titled:
            assert f.page is not None
            _read_late_page(f.page, self.config)


def _start_late_writer(env, config, files: Files) -> None:
    """Fork the aggregator as a writer of the late pages; MkDocs' own (dirty) loop shares them out with it."""
    global _share
    assert _build is not None
    (_build.work / LATE_RESULT).unlink(missing_ok=True)
    pages = [f for f in files.documentation_pages() if f.src_uri in _deferred]
    _share = _LateShare(pages, _build.in_nav, config)
    _build.start_aggregate(_write_late, (env, config, files, _nav))
    for f in pages:
        f.is_modified = functools.partial(_share.claim, f.src_uri)


def _write_late(b: generate.Build, env, config, files: Files, nav: Navigation) -> None:
    """In the aggregator: write the pages across reports, then render the late pages as MkDocs would.

    Its search entries and MkDocs' log messages go back to the main process in LATE_RESULT (the
    messages are logged there again: strict mode counts its warnings). The pages are written in the
    order MkDocs' loop would have, with the same context (the same Files, nav and theme).
    """
    import logging
    import marshal
    import traceback

    from mkdocs.commands.build import _build_page

    messages: list[tuple[str, int, str]] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append((record.name, record.levelno, record.getMessage()))

    log = logging.getLogger("mkdocs")
    for h in list(log.handlers):
        log.removeHandler(h)
    log.addHandler(_Keep(logging.WARNING))
    log.propagate = False
    error = None
    mine: list[File] = []
    assert _share is not None
    try:
        generate.aggregate_and_save(b)
        _share.aggregated.set()
        _share.read_titled()
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = {f.src_uri: f for f in doc_files if f.src_uri in _deferred}
        while (k := _share.take()) is not None:
            f = pages[_share.uris[k]]
            mine.append(f)
            assert f.page is not None
            _build_page(f.page, config, doc_files, nav, env, dirty=False, excluded=f.inclusion.is_excluded())
        for f in mine:
            assert f.page is not None
            f.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    except Exception as e:  # told to the main process, which fails the build with it
        traceback.print_exc()
        error = f"{type(e).__name__}: {e}"
    data = {"entries": {f.src_uri: _entries.get(f.src_uri, []) for f in mine}, "done": [f.src_uri for f in mine],
            "log": messages, "error": error}
    (b.work / LATE_RESULT).write_bytes(marshal.dumps(data))
    if error is not None:
        raise SystemExit(1)


def _join_late_writer() -> None:
    """The late writer's search entries and messages (logged here again), once it has finished."""
    import logging
    import marshal

    assert _build is not None
    if _build.aggregator is not None:
        _build.aggregator.join()
    try:
        data = marshal.loads((_build.work / LATE_RESULT).read_bytes())
    except (OSError, ValueError, EOFError):
        return  # it died before writing: wait_aggregate reports its exit status
    for name, level, message in data["log"]:
        logging.getLogger(name).log(level, message)
    if data["error"]:
        raise generate.SiteError(f"writing the pages across reports failed: {data['error']}; fix it and build again")
    _entries.update(data["entries"])
    assert _share is not None
    missed = _share.missed(set(data["done"]))
    if missed:  # each late page is rendered by one of the two processes
        raise generate.SiteError(f"{len(missed)} pages across reports were not written (first: {missed[0]}); build again")


def on_nav(nav: Navigation, config, files) -> Navigation:
    global _nav
    _nav = nav  # for the late writer
    return nav


def on_pre_page(page, config, files):
    if _build is not None and page.file.src_uri not in _deferred:
        _build.wait_pages(page.file.src_uri)  # its worker may still be writing it
    return page


def _read_page(path: str) -> str:
    """A generated page file (UTF-8; a BOM dropped, as MkDocs does): bytes then decode, ~1/3
    faster than read_text's utf-8-sig codec; every page is read twice, in MkDocs' own thread."""
    text = Path(path).read_bytes().decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def on_page_read_source(page, config) -> str | None:
    """A generated page's file, read once here (MkDocs would read it the same way) and remembered."""
    uri = page.file.src_uri
    if _build is not None and uri in _build.pages and page_render.usable():
        page.render = functools.partial(page_render.render, page)  # one Markdown converter for all
    if uri in _deferred and uri not in _read_late:
        return ""  # read for real when MkDocs writes it (`_read_again`)
    if _build is None or uri not in _build.pages:
        return None
    text = _build.skeletons.pop(uri, None)  # a report page's first Markdown, from its job
    if text is None:
        text = _read_page(page.file.abs_src_path)
    _read[page.file.src_uri] = text.partition(BLOCKS_MARK)[0]
    return text


def on_page_markdown(markdown: str, page, config, files) -> str:
    if _build is None:
        return markdown
    if page.file.src_uri in _read:
        # The blocks are read again from the page file in on_post_page: held for every page between
        # MkDocs' two passes they took ~1 GB at 10,000 reports.
        markdown, _ = split_blocks(markdown)
    if "<!-- juesuan:" in markdown:
        for marker in generate.MARKERS:
            if marker in markdown:
                markdown = markdown.replace(marker, _build.marker(marker))
    return markdown


def _read_again(page, config) -> None:
    """What MkDocs' reading pass does for a page (`_populate_page`), now that its file is written."""
    assert _build is not None
    if _share is not None:
        _share.ready(_build)
    else:
        _build.complete()  # waits for the aggregator
    _read_late_page(page, config)


def _read_late_page(page, config) -> None:
    assert _files is not None
    if page.file.src_uri in _read_late:
        return  # read already (its title was needed before)
    _read_late.add(page.file.src_uri)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=_files)
    page.render(config, _files)
    page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=_files)


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri in _deferred:
        _read_again(page, config)
    return context


def on_post_page(output: str, page, config) -> str:
    """The generated HTML blocks go in after Markdown and search have seen only the page's skeleton."""
    global _seen
    search = _search_plugin(config)
    if search is not None:  # the search plugin has indexed the page (in its on_page_context)
        entries = search.search_index.entries
        _entries[page.file.src_uri] = entries[_seen:]
        _seen = len(entries)
    blocks = None
    read = _read.pop(page.file.src_uri, None)
    if read is not None:  # its job wrote the page file before MkDocs read its Markdown (on_pre_page)
        markdown, blocks = split_blocks(_read_page(page.file.abs_src_path))
        if markdown != read:
            raise generate.SiteError(f"{page.file.src_uri}: the page changed while MkDocs built it; build again")
    # Squeezed before the blocks go back: they hold no blank lines, and the theme's part is a third of the bytes.
    output = squeeze(output)
    return unstash(output, blocks) if blocks else output


@event_priority(-100)  # after the search plugin wrote its (in a dirty build: partial) index
def on_post_build(config) -> None:
    global _build, _publisher
    if _build is not None and _build.late_apart and _deferred:
        _join_late_writer()
    if _build is not None:
        _build.finish()
    if _publisher is not None:
        publisher, _publisher = _publisher, None
        publisher.join()
    search = _search_plugin(config)
    if _build is not None and search is not None:
        cache = _build.work / SEARCH_ENTRIES
        previous: dict[str, list[dict]] = {}
        if getattr(_build, "dirty", False):
            previous = json.loads(cache.read_text(encoding="utf-8"))
        merged = {uri: _entries[uri] if uri in _entries else previous.get(uri, []) for uri in _doc_uris}
        index = search.search_index
        data = {"config": {k: index.config[k] for k in ["lang", "separator", "pipeline", "fields"]},
                "docs": [e for uri in _doc_uris for e in merged[uri]]}
        # UTF-8 rather than \uXXXX escapes: the Chinese index is half the size.
        out = Path(config.site_dir) / "search" / "search_index.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str), encoding="utf-8")
        generate.write_if_changed(cache, json.dumps(merged, ensure_ascii=False, separators=(",", ":")))
    _build = None


def on_shutdown() -> None:
    global _build
    if _build is not None:
        _build.finish()
    _build = None
