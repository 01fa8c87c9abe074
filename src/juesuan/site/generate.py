"""Everything the site adds to MkDocs from `datapackages/`: pages, data files, assets, nav, search words.

Generated pages are real files in the site's work folder (`<cache>/site/<site-dir hash>/docs/`),
rewritten only when their text changes, so their modification times tell MkDocs' dirty build
which pages to render again. Each report's page, zip and compact descriptor are made once per
package content (the package files' sizes and times) and code fingerprint; a rebuild loads only
the packages that changed and reads the others' summaries (`summary.py`) from `manifest.jsonl`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, settings
from . import overview, regions, report_page, safe, search_dict, summary
from .html import stashing, with_blocks
from .load import CATALOG, Package, Packages, _path_slug, load_package

ASSETS = Path(__file__).parent / "assets"
DATA = Path(__file__).parent.parent / "data"
ECHARTS = Path("node_modules/echarts/dist/echarts.min.js")
GENERATED_PAGES = {"departments.md": "部门一览", "compare.md": "比较", "downloads.md": "下载数据",
                   "data-dictionary.md": "数据字典", regions.REGIONS_PAGE: "地区"}
KNOWN_DOCS = [("index.md", "首页"), ("departments.md", "部门一览"), (regions.REGIONS_PAGE, "地区"), ("compare.md", "比较"),
              ("downloads.md", "下载"), ("methodology.md", "方法"), ("metrics.md", "指标"),
              ("performance.md", "性能"), ("about.md", "关于")]
FORMAT = "7"  # bump when the work folder's layout changes
BIG_MEMBER = 64_000_000  # bytes: only the catalog tables at many thousands of reports

CURRENT: "Build | None" = None  # the build prepared by build_site for the MkDocs hook


class SiteError(Exception):
    """The site cannot be built; the message says what to do."""


@dataclass
class Build:
    """State of one site build: the packages (summaries), generated pages and data files."""

    root: Path  # repository root (folder of mkdocs.yml)
    packages: Packages  # reports restored from summaries (partial) and the catalog's summary
    work: Path  # this site's work folder under the cache
    site_url: str = ""
    fingerprint: str = ""
    pages: dict[str, Path] = field(default_factory=dict)  # src_uri → generated page file
    in_nav: set[str] = field(default_factory=set)  # generated pages listed in the nav
    data: dict[str, Path] = field(default_factory=dict)  # site path → file published by juesuan (not MkDocs)
    changed_data: set[str] = field(default_factory=set)  # site paths whose source changed in this build
    zips: dict[str, tuple[Path, list[Path] | None]] = field(default_factory=dict)  # zip to make → (package, members or all)
    assets: dict[str, Path] = field(default_factory=dict)  # site path → file MkDocs copies
    nav: list[Any] = field(default_factory=list)
    jieba_dict: Path | None = None
    changed_packages: int = 0
    region_tree: regions.Region | None = None
    dirty: bool = False  # MkDocs renders only the pages whose file changed since the last build
    pending: dict[str, Any] = field(default_factory=dict)  # page src_uri → its report's job (returns its Markdown once it has written the page file)
    skeletons: dict[str, str] = field(default_factory=dict)  # page src_uri → that Markdown, until MkDocs reads it
    jobs: dict[str, Any] = field(default_factory=dict)  # package folder name → job returning (summary, schemas)
    late_pages: set[str] = field(default_factory=set)  # pages across reports: written by `complete`
    late: tuple[dict, dict, Path] | None = None  # (manifest entries, schemas, manifest path) until `complete`
    page_keys: dict[str, str] = field(default_factory=dict)  # page across reports → input key, from the last build
    pool: Any = None
    manifest: tuple[Path, str] | None = None  # written when every page is
    words: dict[str, list[str]] = field(default_factory=dict)  # changed package → its search words (from its job)
    markers: dict[str, str] = field(default_factory=dict)  # marker in a hand-written page → what replaces it
    marker_names: set[str] = field(default_factory=set)  # the markers the hand-written pages hold
    collected: bool = False
    manifest_lines: dict[str, str] = field(default_factory=dict)  # package → its line in the last manifest
    aggregator: Any = None  # the process writing the pages across reports while MkDocs writes the others
    # A clean build: MkDocs runs as a dirty build on the emptied site folder, so that the pages it
    # reads late are skipped in its own loop and rendered by the aggregator (see the hook).
    late_apart: bool = False

    def wait_pages(self, uri: str | None = None) -> None:
        """Wait for one generated page's Markdown (or for every page, whole), re-raising errors."""
        if uri is not None and uri in self.late_pages:
            self.complete()
        for u in [uri] if uri is not None else list(self.pending):
            fut = self.pending.pop(u, None)
            if fut is not None:
                self.skeletons[u] = fut.result()[3]

    def collect(self) -> None:
        """Collect the changed packages' summaries and search words, and write the search dictionary.

        Their jobs come first in the workers' queue: they are done when MkDocs has read the report pages.
        """
        if self.late is None or self.collected:
            return
        self.collected = True
        entries, schemas, _ = self.late
        for name, fut in self.jobs.items():
            s, sch, ws, _ = fut.result()
            schemas.update(sch)
            entries[name]["summary"] = s
            self.words[name] = ws
        self.jobs.clear()
        for u in list(self.pending):  # the report jobs are those jobs: all done
            self.wait_pages(u)
        per_report = [self.words[p.path.name] if p.path.name in self.words else search_dict.package_words(p)
                      for p in self.packages.reports]
        write_if_changed(self.jieba_dict, search_dict.dictionary(search_dict.merge(per_report, DATA / "classification.csv")))

    def complete(self) -> None:
        """Collect the summaries, then write the pages across reports (here, or in the aggregator if it runs)."""
        if self.aggregator is not None:
            self.wait_aggregate()
        if self.late is None:
            return
        self.collect()
        self.manifest, self.page_keys, self.markers = self._aggregate()
        self.late = None

    def start_aggregate(self, target: Any = None, args: tuple = ()) -> None:
        """Write the pages across reports in a process of their own, beside MkDocs writing the report pages.

        MkDocs reads those pages (and the hand-written ones with markers) only when it writes them,
        last (see the hook): their Markdown needs every package's summary. `target(self, *args)`
        runs in that process instead of the plain aggregator when given (the hook's late writer,
        which also renders those pages); it must call `aggregate_and_save` first.
        """
        import multiprocessing as mp

        if self.late is None:
            return
        self.collect()
        for f in (AGGREGATE_RESULT, MANIFEST + ".next"):
            (self.work / f).unlink(missing_ok=True)
        self.aggregator = mp.get_context("fork").Process(target=target or _aggregate_process, args=(self, *args),
                                                          daemon=True)
        self.aggregator.start()
        self.late = None

    def wait_aggregate(self) -> None:
        proc, self.aggregator = self.aggregator, None
        if proc is None:
            return
        proc.join()
        if proc.exitcode != 0:
            raise SiteError(f"writing the pages across reports failed (exit {proc.exitcode}); "
                            "see the error above, fix it and build again")
        result = json.loads((self.work / AGGREGATE_RESULT).read_text(encoding="utf-8"))
        self.page_keys, self.markers = result["page_keys"], result["markers"]
        self.manifest = (self.work / MANIFEST, None)  # the aggregator wrote it as manifest.jsonl.next

    def marker(self, marker: str) -> str:
        """What replaces `marker` in a hand-written page: made by `complete`, or here once the summaries are in."""
        if marker not in self.markers:
            self.complete()
        if marker not in self.markers:
            self.markers[marker] = MARKERS[marker](self)
        return self.markers[marker]

    def _aggregate(self) -> tuple[tuple[Path, str], dict[str, str], dict[str, str]]:
        """Restore the changed packages from their summaries and write the pages across reports.

        Returns the manifest for the next build, each page's input key and the markers' text.
        """
        entries, schemas, manifest_path = self.late
        restored = []
        for p in self.packages.reports:  # the pages across reports read summaries, as in a rebuild
            if p.path.name not in self.words:  # restored from its summary already
                restored.append(p)
                continue
            r = summary.restore(entries[p.path.name]["summary"], p.path, schemas)
            if entries[p.path.name].get("override"):
                r.descriptor["juesuan"] = {**r.meta, "department_slug": r.slug}
            restored.append(r)
        self.packages.reports = restored
        c = self.packages.catalog
        if c is not None and entries[c.path.name].get("fresh"):
            self.packages.catalog = summary.restore(entries[c.path.name]["summary"], c.path, schemas)
        page_keys = _write_aggregate_pages(self, entries, self.page_keys)
        self.late = None
        markers = {m: MARKERS[m](self) for m in sorted(self.marker_names)}
        changed = {name for name, e in entries.items() if e.pop("fresh", None)}
        manifest = _manifest_text(self.fingerprint, entries, schemas, self.manifest_lines, changed)
        return (manifest_path, manifest), page_keys, markers

    def finish(self, complete: bool = True) -> None:
        """Wait for every page, stop the workers and save the manifest for the next build.

        `complete=False` after a failed build: only stops the workers (and the aggregator).
        """
        try:
            if complete:
                self.complete()
                self.wait_pages()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
                self.pool = None
            if self.aggregator is not None and not complete:
                self.aggregator.kill()
                self.aggregator.join()
                self.aggregator = None
        if self.manifest is not None and complete:
            path, text = self.manifest
            if text is None:
                os.replace(path.with_name(path.name + ".next"), path)
            else:
                write_if_changed(path, text)
            self.manifest = None
            write_if_changed(self.work / PAGE_KEYS, json.dumps(self.page_keys, sort_keys=True))


MANIFEST = "manifest.jsonl"  # in the work folder: a line of fingerprint and schemas, then a line per package
AGGREGATE_RESULT = "aggregate.json"  # in the work folder: what the aggregator hands back
MARKERS = {
    "<!-- juesuan:home -->": lambda b: overview.home_stats(b.packages),
    "<!-- juesuan:metrics -->": lambda b: overview.metrics_table(DATA / "metrics.csv"),
    "<!-- juesuan:glossary -->": lambda b: overview.glossary_terms(b.packages),
    "<!-- juesuan:rules -->": lambda b: overview.check_rules(),
}


def _read_manifest(path: Path, fingerprint: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The last build's entries (package → key, page and summary), schemas, and each entry's line.

    A line per package: a rebuild writes again only the changed packages' lines (the whole manifest
    is ~70 MB of JSON at 10,000 reports; encoding it took 2-3 s of every rebuild).
    """
    try:
        with path.open(encoding="utf-8") as fh:
            head = json.loads(fh.readline())
            if not isinstance(head, dict) or head.get("fingerprint") != fingerprint:
                return {}, {}, {}
            entries: dict[str, Any] = {}
            lines: dict[str, str] = {}
            for line in fh:
                name, _, text = line.rstrip("\n").partition("\t")  # a JSON string holds no raw tab
                name = json.loads(name)
                entries[name] = json.loads(text)
                lines[name] = line
            return entries, head.get("schemas") or {}, lines
    except (OSError, ValueError):
        return {}, {}, {}


def _manifest_text(fingerprint: str, entries: dict[str, Any], schemas: dict[str, Any], lines: dict[str, str],
                   changed: set[str]) -> str:
    """The manifest for the next build: unchanged packages keep their line as read."""
    out = [json.dumps({"fingerprint": fingerprint, "schemas": schemas}, ensure_ascii=False, separators=(",", ":")) + "\n"]
    for name, e in entries.items():
        line = lines.get(name) if name not in changed else None
        out.append(line if line is not None else
                   f"{json.dumps(name, ensure_ascii=False)}\t{json.dumps(e, ensure_ascii=False, separators=(',', ':'))}\n")
    return "".join(out)


def _aggregate_process(b: Build) -> None:
    """The aggregator (a forked process): the pages across reports, the manifest and the markers' text."""
    lower_priority()
    aggregate_and_save(b)


def aggregate_and_save(b: Build) -> None:
    """In the aggregator: write the pages across reports, and hand back the manifest and markers as files."""
    b.aggregator = None  # this process's copy of the parent's handle on it
    (path, manifest), page_keys, markers = b._aggregate()
    b.markers = markers
    path.with_name(path.name + ".next").write_text(manifest, encoding="utf-8")
    (b.work / AGGREGATE_RESULT).write_text(json.dumps({"page_keys": page_keys, "markers": markers},
                                                      ensure_ascii=False), encoding="utf-8")


def echarts_path(root: Path) -> Path:
    p = root / ECHARTS
    if not p.is_file():
        raise SiteError(f"ECharts is missing ({p}): run `make install` (npm ci) in {root} first")
    return p


# ----------------------------------------------------------------------------------------------
# Work folder, keys and writing only what changed.


def work_dir(cache_dir: Path | None, site_dir: Path) -> Path:
    """The work folder of one site folder (builds into different folders never share one)."""
    base = Path(cache_dir) if cache_dir is not None else settings.CACHE_DIR
    tag = hashlib.sha1(str(Path(site_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return (base / "site" / tag).resolve()


def code_fingerprint(site_url: str) -> str:
    """juesuan's version, the site code and data files, and the site URL (in the 'how to cite' line)."""
    h = hashlib.sha1(f"{__version__}|{FORMAT}|{site_url}".encode("utf-8"))
    here = Path(__file__).parent
    for f in sorted(here.glob("*.py")) + [DATA / "metrics.csv", DATA / "classification.csv"]:
        if f.is_file():
            h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes())
    return h.hexdigest()[:20]


def package_key(folder: Path, fingerprint: str) -> str:
    """Name, size and modification time of every file of a package (the packager rewrites only changed ones)."""
    h = hashlib.sha1(fingerprint.encode("utf-8"))
    with os.scandir(folder) as it:
        for e in sorted(it, key=lambda e: e.name):
            if e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                h.update(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8"))
    return h.hexdigest()[:20]


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write `data` unless the file already holds it (its mtime then stays: MkDocs' dirty build relies on it)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _zip(folder: Path, dest: Path, members: list[Path] | None = None, descriptor: bytes | None = None) -> None:
    """The package as a zip (the catalog: datapackage.json, every CSV and its JSON twin), or `members` only.

    `descriptor` replaces datapackage.json's bytes (the compact one published beside the zip).
    """
    if members is None:
        members = [f for f in sorted(folder.iterdir()) if f.is_file() and not f.is_symlink()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f in members:
            if descriptor is not None and f.name == "datapackage.json":
                info = zipfile.ZipInfo.from_file(f, f"{folder.name}/{f.name}")
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, descriptor)
            else:
                # The catalog's tables grow with every report and are zipped again on every rebuild:
                # fast compression for very big members (~0.6x the time, ~1.6x the bytes).
                level = 1 if f.stat().st_size > BIG_MEMBER else 6
                z.write(f, f"{folder.name}/{f.name}", compresslevel=level)
    os.replace(tmp, dest)


def _compact_json(data: Any) -> bytes:
    """A descriptor without indentation (descriptors are ~40 % whitespace)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _load_labels() -> None:
    labels = DATA / "metrics.csv"
    if not report_page.METRIC_LABELS and labels.is_file():
        with labels.open(encoding="utf-8-sig", newline="") as fh:
            report_page.METRIC_LABELS.update({r["metric"]: r["label"] for r in csv.DictReader(fh)})


# ----------------------------------------------------------------------------------------------
# One package: its page and data files (run in worker processes).


_SENT_SCHEMAS: set[str] | None = None  # in a worker process: schema digests already sent to the main process


WORKER_NICENESS = 5  # MkDocs' single thread is the build's critical path: the workers use what it leaves


def lower_priority() -> None:
    """In a worker, the aggregator or the publisher: MkDocs' thread goes first."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: same priority, only slower
        pass


def _worker_init() -> None:
    global _SENT_SCHEMAS
    _SENT_SCHEMAS = set()
    lower_priority()


def _summary(pkg: Package) -> tuple[dict[str, Any], dict[str, Any]]:
    """A loaded package's summary for the pages across reports, and the schemas this worker has not sent yet."""
    schemas: dict[str, Any] = {}
    s = summary.summarize(pkg, schemas)
    if _SENT_SCHEMAS is not None:  # every package repeats the same schemas: each worker sends one copy
        schemas = {k: v for k, v in schemas.items() if k not in _SENT_SCHEMAS}
        _SENT_SCHEMAS.update(schemas)
    s["descriptor"]["juesuan"] = dict(pkg.meta)
    return s, schemas


def _catalog_job(folder: str) -> tuple[dict[str, Any], dict[str, Any], list[str], None]:
    """The catalog's summary (its resources and their row counts, no rows), no search words and no page.

    Counting the rows reads every CSV of the catalog (~800,000 rows at 10,000 reports): a worker's job.
    """
    pkg = load_package(Path(folder), rows_of=set())
    for res in pkg.resources.values():  # counted from the CSVs: the catalog's JSON is every report's rows
        res.count = count_rows(res.csv_path) if res.csv_path is not None else None
    s, schemas = _summary(pkg)
    s["rows"] = {}
    return s, schemas, [], None


def _catalog_descriptor(folder: Path, work: Path) -> None:
    """The catalog's compact descriptor, published beside its tables (written before MkDocs starts:
    the downloads are published into the site while MkDocs renders)."""
    pkg = load_package(folder, rows_of=set())
    write_if_changed(work / report_page.data_dir(pkg) / "datapackage.json", _compact_json(pkg.descriptor))


def _light_package(folder: Path) -> Package:
    """A package's descriptor and files without rows or schemas (~1 ms; a descriptor's schemas are
    most of its 30-40 KB and ~100 KB as Python objects: 1.3 GB at 10,000 reports)."""
    pkg = load_package(folder, rows_of=set())
    pkg.descriptor = {k: v for k, v in pkg.descriptor.items() if k != "resources"}
    for res in pkg.resources.values():
        res.descriptor = {k: v for k, v in res.descriptor.items() if k != "schema"}
    return pkg


def count_rows(csv_path: Path) -> int:
    """The records of a CSV file, header excluded: its line ends outside quoted fields.

    A quoted field's quotes come in pairs (a quote inside it is doubled), so a line end is inside a
    field exactly when an odd number of quotes precede it. ~10x faster than csv.reader, which built
    every row of the catalog's ~800,000 (5-7 s at 10,000 reports, in the main process on a rebuild).
    """
    records, inside = 0, False
    with csv_path.open("rb") as fh:
        for line in fh:
            if line.count(b'"') & 1:
                inside = not inside
            if not inside:
                records += 1
    return max(0, records - 1)


def _report_job(folder: str, work: str, site_url: str, override: bool) -> tuple[dict[str, Any], dict[str, Any], list[str], str]:
    """One report, loaded once: its summary, the schemas this worker has not sent yet, its search
    words and the Markdown of its page (what MkDocs reads first, without the HTML blocks).

    The whole page (its Markdown and HTML blocks) is written to its file, where on_post_page takes
    the blocks when MkDocs writes the page. The Markdown goes back in memory: writing it as a file
    for MkDocs to read cost more system time than making it. Loading the package once (it used to
    be a quick job for the Markdown and a second one for the HTML, each loading the package) saves
    ~1.5 ms a report; MkDocs' first pass now waits for the jobs, while the workers use both cores.
    """
    _load_labels()
    pkg = load_package(Path(folder))
    seen = summary.view(pkg)
    s, schemas = _summary(seen)  # of the package as published, before any override of its page path
    words = search_dict.package_words(seen)
    if override:
        pkg.descriptor.setdefault("juesuan", {})["department_slug"] = pkg.slug
    blocks: list[str] = []
    with stashing(blocks):
        page = report_page.report_page(pkg, site_url)
    write_if_changed(Path(work) / "docs" / (pkg.page_dir + "/index.md"), with_blocks(page, blocks))
    return s, schemas, words, page


def _data_files(pkg: Package, work: Path) -> dict[str, Path]:
    """Site path → source file of a package's downloads.

    A report publishes its CSVs; its descriptor and JSON twins stay in datapackages/, and the
    catalog (zip) holds every report's rows as CSV and JSON. The site must fit GitHub Pages' 1 GB
    at 10,000 reports: the twins, descriptor and zip were ~95 of the ~140 KB a report's data took.
    """
    d = report_page.data_dir(pkg)
    if pkg.slug != CATALOG:
        return {d + report_page.file_name(r.csv_path): r.csv_path for r in pkg.resources.values() if r.csv_path}
    out = {d + "datapackage.json": work / d / "datapackage.json"}
    for res in pkg.resources.values():
        if report_page.zipped_only(res.csv_path or res.json_path):
            if res.csv_path is not None:
                name = report_page.file_name(res.csv_path) + ".zip"
                out[d + name] = work / d / name
            continue
        for f in (res.csv_path, res.json_path):
            if f is not None:
                out[d + report_page.file_name(f)] = f
    out[report_page.zip_path(pkg)] = work / report_page.zip_path(pkg)
    return out


# ----------------------------------------------------------------------------------------------
# The whole build.


def _pool(n: int):
    jobs = min(os.cpu_count() or 1, 8)
    if n < 8 or jobs < 2:
        return None
    import multiprocessing as mp

    return ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"), initializer=_worker_init)


def prepare(root: Path, packages_dir: Path, site_url: str = "", work: Path | None = None) -> Build:
    """Generate what changed since the last build into `work`, and the pages across all reports."""
    packages_dir = Path(packages_dir)
    if not packages_dir.is_dir():
        raise SiteError(f"no data packages at {packages_dir}/: run `juesuan package` (or `juesuan build`) first")
    if work is None:
        work = work_dir(None, root / settings.SITE_DIR)
    work.mkdir(parents=True, exist_ok=True)
    fp = code_fingerprint(site_url)
    _load_labels()
    manifest_path = work / MANIFEST
    (work / "manifest.json").unlink(missing_ok=True)  # the whole-JSON manifest of FORMAT 6 and before
    old, schemas, lines = _read_manifest(manifest_path, fp)
    manifest = bool(old)
    b = Build(root=root, packages=Packages(packages_dir, [], None), work=work, site_url=site_url, fingerprint=fp,
              manifest_lines=lines)
    try:  # the pages across reports made by the last finished build (a failed one leaves none)
        b.page_keys = json.loads((work / PAGE_KEYS).read_text(encoding="utf-8")) if manifest else {}
    except (OSError, ValueError):
        b.page_keys = {}
    (work / PAGE_KEYS).unlink(missing_ok=True)

    folders = sorted(p for p in packages_dir.iterdir() if (p / "datapackage.json").is_file())
    entries: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    todo: list[Path] = []
    for f in folders:
        prev = old.get(f.name) or {}
        key = package_key(f, fp)
        if prev.get("key") == key and _outputs_present(work, prev, f):
            entries[f.name] = prev
        else:
            todo.append(f)
            keys[f.name] = key
    b.pool = _pool(len(todo))
    run = b.pool.submit if b.pool is not None else _Done
    # MkDocs starts as soon as it knows every page: the changed packages' descriptors (~1 ms each)
    # give their paths, nav and downloads now; their rows are read by their report jobs, which run
    # while MkDocs renders and hand back the summaries the pages across reports need (`complete`).
    # In the workers when there are many (~0.6 ms each, mostly JSON and paths: 6 s at 10,000).
    read = b.pool.map(_light_package, todo, chunksize=64) if b.pool is not None else map(_light_package, todo)
    light = {f.name: pkg for f, pkg in zip(todo, read)}
    for f in todo:
        entries[f.name] = {"key": keys[f.name], "fresh": True}

    # Two packages claiming the same page: the first keeps it, later ones get their slug as page.
    reports: list[Package] = []
    seen: set[str] = set()
    for f in folders:
        e = entries.get(f.name)
        if e is None:
            continue
        pkg = light[f.name] if f.name in light else summary.restore(e["summary"], f, schemas)
        if f.name == CATALOG:
            b.packages.catalog = pkg
            if e.get("fresh"):  # now: the downloads published beside MkDocs include its compact descriptor
                _catalog_descriptor(f, work)
                b.jobs[f.name] = run(_catalog_job, str(f))
        else:
            override = pkg.page_dir in seen
            seen.add(pkg.page_dir)
            if override != bool(e.get("override")):
                e["fresh"] = True  # its page moves: written again
            e["override"] = override
            if override:
                pkg.descriptor["juesuan"] = {**pkg.meta, "department_slug": pkg.slug}
            reports.append(pkg)
            e["page"] = pkg.page_dir + "/index.md"
        files = _data_files(pkg, work)
        b.data.update(files)
        if e.get("fresh"):
            b.changed_packages += 1
            b.changed_data.update(files)
            d = report_page.data_dir(pkg)
            zips = {report_page.zip_path(pkg): (f, None)} if f.name == CATALOG else {}
            for res in pkg.resources.values() if f.name == CATALOG else []:
                if res.csv_path is not None and report_page.zipped_only(res.csv_path):
                    zips[d + report_page.file_name(res.csv_path) + ".zip"] = (f, [res.csv_path])
            for uri in zips:  # a build stopped before its zips are made must not leave the old ones looking current
                (work / uri).unlink(missing_ok=True)
            b.zips.update(zips)
    reports.sort(key=lambda p: (p.region_path, p.department_slug, p.year or 0))
    b.packages.reports = reports
    fresh = []
    for p in reports:
        uri = p.page_dir + "/index.md"
        b.pages[uri] = work / "docs" / uri
        if entries[p.path.name].get("fresh"):
            fresh.append((uri, p))
    # In the order MkDocs reads pages.
    for uri, p in fresh:
        job = run(_report_job, str(p.path), str(work), site_url, bool(entries[p.path.name].get("override")))
        b.pending[uri] = b.jobs[p.path.name] = job

    _plan_aggregate_pages(b)
    b.assets["assets/javascripts/echarts.min.js"] = echarts_path(root)
    for f in ("juesuan.js", "juesuan.css"):
        b.assets[f"assets/juesuan/{f}"] = ASSETS / f
    b.jieba_dict = work / "jieba_dict.txt"
    b.late = (entries, schemas, manifest_path)
    if b.pool is None:
        b.complete()
    return b


class _Done:
    """A finished job, for runs without worker processes (few packages)."""

    def __init__(self, fn, *args):
        self._result = fn(*args)

    def result(self):
        return self._result


def _outputs_present(work: Path, entry: dict[str, Any], folder: Path) -> bool:
    """The page (and for the catalog, the zips) this package's entry made are still in the work folder."""
    page = entry.get("page")
    s = entry.get("summary", {})
    slug = _path_slug(s.get("slug"), "package")
    zips = []
    if folder.name == CATALOG:
        zips += [f"{slug}.zip"] + [f"{slug}/{report_page.file_name(folder / r[1])}.zip" for r in s.get("resources", [])
                 if r[1] and report_page.zipped_only(folder / r[1])]
    return (page is None or (work / "docs" / page).is_file()) and all((work / "data" / z).is_file() for z in zips)


ACROSS_REPORTS = ["departments.md", "compare.md", "downloads.md", "data-dictionary.md", regions.REGIONS_PAGE]
PAGE_KEYS = "page_keys.json"  # in the work folder: page across reports → the key of what it was made from
SPLIT_KINDS = ("departments", "compare", "downloads")  # pages split by region at many reports


def _layout(b: Build) -> tuple[dict[str, list[Package]], regions.Region, dict[str, regions.Region]]:
    """The reports by department folder, the region tree (kept in `b`) and the regions that get a page."""
    by_dept: dict[str, list[Package]] = {}
    for p in b.packages.reports:
        by_dept.setdefault(p.department_dir, []).append(p)
    b.region_tree = regions.tree(b.packages.reports)
    region_pages = regions.page_paths(b.region_tree, set(by_dept) | {p.page_dir for p in b.packages.reports})
    return by_dept, b.region_tree, region_pages


def _plan_aggregate_pages(b: Build) -> None:
    """Paths of the pages across reports (departments, compare, downloads, dictionary, regions,
    departments' pages) and the nav: from the packages' metadata, before any summary is needed."""
    pk = b.packages
    docs = b.work / "docs"
    by_dept, root, region_pages = _layout(b)
    uris = (list(ACROSS_REPORTS) + [d + "/index.md" for d in by_dept] + [path + "/index.md" for path in region_pages]
            + [f"{kind}/{rp}/index.md" for kind in SPLIT_KINDS for rp in overview.split_pages(pk)])
    b.in_nav.update(ACROSS_REPORTS)
    b.in_nav.update(path + "/index.md" for path in region_pages if "/" not in path)
    for uri in uris:
        b.pages[uri] = docs / uri
    b.late_pages = set(uris)
    b.nav = nav(b, b.root / "docs", region_pages)


def _write_aggregate_pages(b: Build, entries: dict[str, dict[str, Any]], old_keys: dict[str, str]) -> dict[str, str]:
    """Write the pages across reports from the packages' summaries; returns each page's input key.

    A department's, region's or region's listing page is made again only when the content keys of
    the reports it shows changed (a rebuild after one change makes a handful, not thousands); the
    few pages over all reports are always made. Unchanged text keeps its file time either way.
    """
    pk = b.packages
    docs = b.work / "docs"
    keys: dict[str, str] = {}

    def key(reps: list[Package], extra: str = "") -> str:
        h = hashlib.sha1(f"{b.fingerprint}|{extra}".encode("utf-8"))
        for p in reps:
            e = entries[p.path.name]
            h.update(f"{p.path.name}:{e['key']}:{bool(e.get('override'))}\n".encode("utf-8"))
        return h.hexdigest()[:20]

    def emit(uri: str, make, k: str = "") -> None:
        keys[uri] = k
        if k and old_keys.get(uri) == k and (docs / uri).is_file():
            return
        blocks: list[str] = []
        with stashing(blocks):
            text = with_blocks(make(), blocks)
        write_if_changed(docs / uri, text)

    by_dept, root, region_pages = _layout(b)
    emit("departments.md", lambda: overview.departments_index(pk))
    emit("compare.md", lambda: overview.compare_page(pk))
    emit("downloads.md", lambda: overview.downloads_page(pk))
    emit("data-dictionary.md", lambda: overview.data_dictionary(pk))
    emit(regions.REGIONS_PAGE, lambda: regions.regions_overview(root, region_pages))
    for d, reps in by_dept.items():
        emit(d + "/index.md", lambda reps=reps: overview.department_page(reps, b.site_url), key(reps, d))
    for path, r in region_pages.items():
        shape = path + "|" + "|".join(sorted(c.path for c in r.children.values() if c.path in region_pages))
        emit(path + "/index.md", lambda r=r: regions.region_page(r, region_pages), key(r.all_reports(), shape))
    for rp, reps in overview.split_pages(pk).items():
        for kind in SPLIT_KINDS:
            emit(f"{kind}/{rp}/index.md", lambda kind=kind, rp=rp, reps=reps: overview.region_subpage(kind, rp, reps),
                 key(reps, f"{kind}/{rp}"))
    if set(keys) != b.late_pages:  # the summaries must describe the same pages as the metadata did
        raise SiteError(f"the pages across reports changed while building ({len(keys)} vs {len(b.late_pages)}): "
                        "were the packages rewritten during the build? build again")
    return keys


def nav(b: Build, docs_dir: Path, region_pages: dict[str, regions.Region] | None = None) -> list[Any]:
    """Explicit navigation: site pages and provinces only; reports are reached from the region pages.

    A nav holding every report put thousands of links into every page (most of MkDocs' time).
    """
    present = {p.name for p in docs_dir.glob("*.md")} | set(GENERATED_PAGES)
    out: list[Any] = []
    root = b.region_tree
    for name, title in KNOWN_DOCS:
        if name == "downloads.md":
            out.append({"下载": ["downloads.md", {"数据字典": "data-dictionary.md"}]})
        elif name == regions.REGIONS_PAGE and root is not None and region_pages is not None:
            out.append({title: regions.nav(root, region_pages)})
        elif name in present:
            out.append({title: name})
    known = {n for n, _ in KNOWN_DOCS}
    extra = sorted(p for p in present if p not in known and p not in GENERATED_PAGES)
    out += [{Path(p).stem: p} for p in extra]
    dev = sorted(docs_dir.glob("developers/*.md"))
    if dev:
        out.append({"开发者": [{_doc_title(p): f"developers/{p.name}"} for p in dev]})
    return out


def _doc_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return safe.title(line[2:], 60)
    return path.stem


def make_zips(work: Path, zips: dict[str, tuple[Path, list[Path] | None]]) -> None:
    """The packages' zips (with a compact descriptor), into the work folder."""
    for uri, (folder, members) in zips.items():
        descriptor = None if members else _compact_json(json.loads((folder / "datapackage.json").read_bytes()))
        _zip(folder, work / uri, members, descriptor)


def publish_data(site_dir: Path, files: dict[str, Path], only: set[str] | None = None) -> int:
    """Put the downloads into the site (all, or `only` those plus any missing); returns how many.

    Each is a hard link to its source where the file system allows one, else a copy. A link is safe:
    the packager and the zips never change a file in place (they write a new file and rename it
    over the old one), so the site's file keeps its bytes until this links the new one. A link
    changes the package file's ctime, so the next build hashes that file again to see it unchanged
    (PackageCache._on_disk, DigestIndex). Copying the ~145,000 downloads of 10,000 reports took
    tens of seconds of system CPU beside MkDocs; linking a tenth of that.
    Plain strings and os.path: a rebuild checks ~150,000 files at 10,000 reports (pathlib took 2 s).
    """
    n = 0
    made: set[str] = set()
    root = os.fspath(site_dir)
    link = True
    for uri, src in files.items():
        dest = os.path.join(root, uri)
        if only is not None and uri not in only and os.path.isfile(dest):
            continue
        parent = os.path.dirname(dest)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        link = _place(src, dest, link)
        n += 1
    return n


def _place(src: Path, dest: str, link: bool) -> bool:
    """`dest` as a new hard link to `src` (if `link`) or a new copy; returns whether linking still works.

    An old `dest` is removed, never written into: it may be a link to a package file.
    """
    if link:
        try:
            os.link(src, dest)
            return True
        except FileExistsError:  # the last build's file
            _remove(dest)
            return _place(src, dest, link)
        except OSError:  # another file system, or links not allowed: copies from now on
            pass
    _remove(dest)
    shutil.copyfile(src, dest)
    return False


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def packages_dir_for(config: Any) -> Path:
    root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    v = (config.extra or {}).get("juesuan_packages_dir") or os.environ.get("JUESUAN_PACKAGES") or "datapackages"
    p = Path(v)
    return p if p.is_absolute() else root / p


__all__ = ["Build", "SiteError", "prepare", "nav", "packages_dir_for", "publish_data", "_path_slug"]
