#!/usr/bin/env python3
"""The scaling benchmark: synthetic corpora of N reports built end to end, timed and sized.

For each N: writes the corpus (not timed), runs `juesuan build` from clean --repeat times
(seconds per stage from its --timings file, peak memory of the whole process tree), measures
the output (packages, site, report pages gzipped, search payload, shared JS+CSS), rebuilds after
changing one amount in one report, and times a bare `mkdocs build` of the same generated
Markdown. Prints a table against the targets of issue 5 and writes OUT/results.json.

Example:
    .venv/bin/python scripts/bench.py --sizes 5,100,1000 --repeat 3
    .venv/bin/python scripts/bench.py --sizes 10000                 # the big run, one repeat (see docs/performance.md)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
KB = 1024

# figure → (N ≤ 1,000 limit, N > 1,000 limit, "max" | "min", unit shown)
TARGETS = {
    "total_s": (60, 900, "max", "s"),
    "incremental_s": (10, 60, "max", "s"),
    "extract_reports_per_s": (100, 100, "min", "reports/s"),
    "peak_memory_mb": (1536, 4096, "max", "MB"),
    "site_mb": (150, 1024, "max", "MB"),
    "report_page_gz_max_kb": (40, 40, "max", "KB"),
    "search_payload_gz_kb": (1024, 1024, "max", "KB"),
    "site_over_bare_mkdocs": (1.3, 1.3, "max", "×"),
}
# validate_after_site: in a rebuild validation runs beside the site; how long the build waited for it after
STAGES = ("extract", "package", "validate", "site", "validate_after_site")


# ----------------------------------------------------------------------------------------------
# Running a command and watching its memory.


def _tree_kb(root: int) -> tuple[int, int]:
    """Memory (KB) of `root` and all its descendants, from /proc: (sum of PSS, sum of RSS).

    PSS (proportional set size) counts a page shared by k processes as 1/k in each, so the sum is
    the memory the tree really holds; the RSS sum counts the pages forked workers share with their
    parent once per process and overstates it.
    """
    parents: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
            parents[int(d)] = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    pss = rss = 0
    todo, seen = [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh.read().decode(errors="replace").splitlines():
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        todo.extend(c for c, p in parents.items() if p == pid)
    return pss, rss


def settle() -> None:
    """Write out what earlier runs left in memory before timing the next one.

    Each run writes and deletes hundreds of MB (packages, site, caches). Without this, the kernel
    flushed them, and on this VM's disk (mounted with `discard`) trimmed the deleted blocks, during
    the next run: three clean builds in a row at N = 1,000 measured 52, 67 and 82 s, the package stage
    alone 8, 17 and 22 s. A first build on a fresh machine has no such backlog.
    """
    os.sync()
    time.sleep(1)


# Seconds between two samples of the tree's memory. Reading a process's PSS walks its page tables
# (smaps_rollup) and holds its memory-map lock: sampled every 0.2 s, it took 36 ms a sample at
# 10,000 reports (21 s of CPU in a 150 s site stage) and slowed the build it measured by ~20 %,
# more than it slowed bare mkdocs (one smaller process). The largest single process's peak comes
# exactly from the kernel (ru_maxrss) whatever the interval.
SAMPLE_S = 2.0


def run(cmd: list[str], log: Path, cwd: Path = REPO, env: dict | None = None) -> dict:
    """Run cmd; wall seconds, exit code, peak memory of the whole process tree (PSS and RSS sums,
    sampled every SAMPLE_S) and the peak RSS of its largest process."""
    log.parent.mkdir(parents=True, exist_ok=True)
    peak = [0, 0]
    settle()
    with log.open("w", encoding="utf-8") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                pss, rss = _tree_kb(proc.pid)
                peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
                done.wait(SAMPLE_S)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_s": round(wall, 3), "exit": proc.returncode,
            "max_process_rss_mb": round(usage.ru_maxrss / 1024, 1),  # largest single process (Linux: KB)
            "tree_pss_mb": round(max(peak[0], usage.ru_maxrss) / 1024, 1),
            "tree_rss_mb": round(max(peak[1], usage.ru_maxrss) / 1024, 1)}


def juesuan_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "juesuan"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("juesuan")
    if found:
        return [found]
    raise SystemExit("juesuan is not installed: run `make install` first")


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def build_once(corpus: Path, work: Path, tag: str, clean: bool) -> dict:
    """One `juesuan build`; clean removes previous packages, site and every cache first.

    The caches (records, validation, site) live in the work folder, never in the repository's
    build/cache, so a clean run is really cold and a rebuild sees only its own earlier run.
    """
    packages, site, cache = work / "packages", work / "site", work / "cache"
    if clean:
        shutil.rmtree(packages, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    timings = work / f"timings-{tag}.json"
    timings.unlink(missing_ok=True)
    log = work / f"build-{tag}.log"
    r = run(juesuan_cmd() + ["build", "--reports", str(corpus), "--packages", str(packages),
                             "--site-dir", str(site), "--cache-dir", str(cache), "--timings", str(timings)], log)
    r["log"] = str(log.relative_to(REPO) if log.is_relative_to(REPO) else log)
    if timings.is_file():
        r["stages"] = json.loads(timings.read_text(encoding="utf-8"))
    else:
        r["stages"] = _stages_from_log(log)
    if r["exit"] != 0:
        r["error"] = tail(log)
    return r


def _stages_from_log(log: Path) -> dict:
    """Fallback: the '      extract: 1.2 s' lines `juesuan build` prints."""
    stages = {}
    for m in re.finditer(r"^\s+(\w+): ([0-9.]+) s$", log.read_text(encoding="utf-8", errors="replace"), re.M):
        stages[m.group(1)] = float(m.group(2))
    return stages


# ----------------------------------------------------------------------------------------------
# Sizes.


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def report_pages(site: Path) -> list[Path]:
    """Report pages: <region>/<department>/<year>/index.html."""
    return [p for p in site.rglob("index.html") if re.fullmatch(r"(19|20)\d\d", p.parent.name)]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.urls.append(a["href"])


def page_assets(site: Path, page: Path) -> list[Path]:
    """Local JS and CSS files a page loads."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    out = []
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        target = (page.parent / parts.path).resolve() if not parts.path.startswith("/") else site / parts.path.lstrip("/")
        if target.is_file() and target not in out:
            out.append(target)
    return out


def search_payload(site: Path) -> dict:
    """Bytes (gzipped) a visitor downloads before the first search result."""
    pf = site / "pagefind"
    if pf.is_dir():
        # Pagefind files are already compressed: count them as stored.
        parts = [p for p in (pf / "pagefind.js", pf / "pagefind-entry.json") if p.is_file()]
        parts += sorted(pf.glob("wasm.*.pagefind"))[:1] + sorted(pf.glob("pagefind.*.pf_meta"))[:1]
        chunks = sorted((pf / "index").glob("*.pf_index"), key=lambda p: p.stat().st_size, reverse=True)[:1]
        frags = sorted((pf / "fragment").glob("*.pf_fragment"), key=lambda p: p.stat().st_size, reverse=True)[:5]
        files = parts + chunks + frags
        total = sum(p.stat().st_size if p.suffix.startswith(".pf") or p.suffix == ".pagefind" else gz_size(p)
                    for p in files)
        return {"kind": "pagefind", "gz_bytes": total, "files": [str(p.relative_to(site)) for p in files]}
    index = site / "search" / "search_index.json"
    if index.is_file():
        files = [index]
        files += sorted((site / "assets" / "javascripts" / "workers").glob("search*.js"))
        lunr = site / "assets" / "javascripts" / "lunr"
        files += [p for p in sorted(lunr.rglob("*.js")) if re.search(r"lunr\.(stemmer\.support|multi|zh)\.|tinyseg", p.name)]
        return {"kind": "mkdocs-material", "gz_bytes": sum(gz_size(p) for p in files),
                "index_raw_bytes": index.stat().st_size, "index_gz_bytes": gz_size(index),
                "files": [str(p.relative_to(site)) for p in files]}
    return {"kind": None, "gz_bytes": None, "files": []}


def measure_sizes(work: Path) -> dict:
    site = work / "site"
    pages = report_pages(site)
    gz = sorted(gz_size(p) for p in pages)
    shared: list[Path] = []
    median_page = None
    if pages:
        by_size = sorted(pages, key=gz_size)
        median_page = by_size[len(by_size) // 2]
        shared = page_assets(site, median_page)
    search = search_payload(site)
    return {
        "packages_mb": round(folder_bytes(work / "packages") / MB, 2),
        "site_mb": round(folder_bytes(site) / MB, 2),
        "site_files": sum(1 for p in site.rglob("*") if p.is_file()) if site.is_dir() else 0,
        "report_pages": len(pages),
        "report_page_gz_median_kb": round(statistics.median(gz) / KB, 1) if gz else None,
        "report_page_gz_max_kb": round(gz[-1] / KB, 1) if gz else None,
        "search_payload_gz_kb": round(search["gz_bytes"] / KB, 1) if search["gz_bytes"] is not None else None,
        "search": search,
        "shared_js_css_gz_kb": round(sum(gz_size(p) for p in shared) / KB, 1) if shared else None,
        "shared_js_css_files": [str(p.relative_to(site.resolve())) for p in shared],
        "sample_page": str(median_page.relative_to(site)) if median_page else None,
    }


# ----------------------------------------------------------------------------------------------
# Incremental rebuild and bare mkdocs.


def change_one_amount(corpus: Path) -> tuple[Path, bytes]:
    """Add 0.01 to the first 项 amount of the first report; return the file and its old bytes."""
    path = sorted(corpus.glob("synthetic-*.txt"))[0]
    old = path.read_bytes()
    text = old.decode("utf-8")
    m = re.search(r"支出决算为([0-9]+(?:\.[0-9]+)?)万元", text)
    if m is None:
        raise RuntimeError(f"no 支出决算为…万元 in {path}")
    new_value = f"{float(m.group(1)) + 0.01:.2f}"
    path.write_bytes((text[:m.start(1)] + new_value + text[m.end(1):]).encode("utf-8"))
    return path, old


def bare_mkdocs(work: Path, tag: str) -> dict:
    site = work / f"bare-site-{tag}"
    shutil.rmtree(site, ignore_errors=True)
    log = work / f"bare-{tag}.log"
    r = run([sys.executable, str(REPO / "scripts" / "bare_mkdocs.py"), "--packages", str(work / "packages"),
             "--site-dir", str(site)], log)
    shutil.rmtree(site, ignore_errors=True)
    if r["exit"] != 0:
        return {"error": tail(log)}
    last = log.read_text(encoding="utf-8").strip().splitlines()[-1]
    return json.loads(last)


# ----------------------------------------------------------------------------------------------
# Accuracy of the published figures against truth.json.


def accuracy(work: Path, corpus: Path) -> dict | None:
    """Share of true stated figures that appear with the same value in the catalog's figures."""
    import csv

    figures = work / "packages" / "catalog" / "figures.csv"
    reports = work / "packages" / "catalog" / "reports.csv"
    if not figures.is_file() or not reports.is_file():
        return None
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["reports"]
    with reports.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    file_col = next((c for c in ("source_file", "file") if rows and c in rows[0]), None)
    if file_col is None or "package" not in (rows[0] if rows else {}):
        return None
    package_of = {r[file_col]: r["package"] for r in rows}
    got: dict[tuple[str, str], set[float]] = {}
    with figures.open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            try:
                got.setdefault((r["package"], r["metric"]), set()).add(round(float(r["value"]), 2))
            except (ValueError, KeyError):
                continue
    total = hit = 0
    missing: dict[str, int] = {}
    for t in truth:
        pkg = package_of.get(t["file"])
        for metric, f in t["figures"].items():
            total += 1
            if pkg is not None and round(f["value"], 2) in got.get((pkg, metric), set()):
                hit += 1
            else:
                missing[metric] = missing.get(metric, 0) + 1
    worst = dict(sorted(missing.items(), key=lambda kv: -kv[1])[:8])
    return {"figures": total, "found": hit, "rate": round(hit / total, 4) if total else None,
            "most_missed": worst}


# ----------------------------------------------------------------------------------------------
# Report.


def machine_info() -> dict:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        mem = round(int(m.group(1)) / MB, 1) if m else None
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip())
    return {"nproc": os.cpu_count(), "memory_gb": mem, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "git_commit": commit + ("+dirty" if dirty else "")}


def med(values: list) -> float | None:
    vals = [v for v in values if isinstance(v, (int, float))]
    return round(statistics.median(vals), 3) if vals else None


def bench_size(n: int, out: Path, repeat: int, seed: int) -> dict:
    corpus = out / f"corpus-{n}"
    work = out / f"n{n}"
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(corpus, ignore_errors=True)
    t0 = time.perf_counter()
    make_corpus.write_corpus(n, corpus, seed=seed)
    corpus_s = time.perf_counter() - t0
    print(f"N={n}: corpus written in {corpus_s:.1f} s → {corpus}", flush=True)

    clean, incremental, bare = [], [], []
    sizes: dict = {}
    for k in range(repeat):
        r = build_once(corpus, work, f"clean-{k}", clean=True)
        clean.append(r)
        print(f"  clean build {k + 1}/{repeat}: {r['wall_s']:.1f} s, exit {r['exit']}, "
              f"{r['tree_pss_mb']:.0f} MB", flush=True)
        if r["exit"] not in (0,) and not (work / "site").is_dir():
            print(f"  build failed:\n{r.get('error', '')}", flush=True)
            continue
        if k == repeat - 1:
            sizes = measure_sizes(work)
        path, old = change_one_amount(corpus)
        try:
            i = build_once(corpus, work, f"incremental-{k}", clean=False)
        finally:
            path.write_bytes(old)
        incremental.append(i)
        print(f"  rebuild after one change {k + 1}/{repeat}: {i['wall_s']:.1f} s", flush=True)
        b = bare_mkdocs(work, str(k))
        bare.append(b)
        if "error" in b:
            print(f"  bare mkdocs failed:\n{b['error']}", flush=True)
        else:
            print(f"  bare mkdocs build {k + 1}/{repeat}: {b['mkdocs_build_s']:.1f} s "
                  f"(generation {b['generation_s']:.1f} s)", flush=True)

    ok = [r for r in clean if r["exit"] == 0]
    use = ok or clean
    stage_s = {s: med([r["stages"].get(s) for r in use]) for s in STAGES}
    extra = sorted({k for r in use for k in r["stages"] if k.startswith("site_")})
    stage_s.update({k: med([r["stages"].get(k) for r in use]) for k in extra})
    total = med([r["wall_s"] for r in use])  # the whole command, start-up included
    bare_ok = [b for b in bare if "error" not in b]
    mk = med([b["mkdocs_build_s"] for b in bare_ok])
    gen = med([b["generation_s"] for b in bare_ok])
    site_s = stage_s.get("site")
    result = {
        "n": n,
        "corpus_s": round(corpus_s, 2),
        "repeat": repeat,
        "exit_codes": [r["exit"] for r in clean],
        "stages_s": stage_s,
        "site_generation_s": stage_s.get("site_generate") or gen,
        "bare_mkdocs_build_s": mk,
        "total_s": total,
        "wall_s": med([r["wall_s"] for r in use]),
        "extract_reports_per_s": round(n / stage_s["extract"], 1) if stage_s.get("extract") else None,
        "peak_memory_mb": med([r["tree_pss_mb"] for r in use]),
        "peak_rss_sum_mb": med([r["tree_rss_mb"] for r in use]),
        "max_process_rss_mb": med([r["max_process_rss_mb"] for r in use]),
        "incremental_s": med([i["wall_s"] for i in incremental]),
        "incremental_stages_s": {s: med([i["stages"].get(s) for i in incremental]) for s in STAGES},
        "site_over_bare_mkdocs": round(site_s / mk, 2) if site_s and mk else None,
        **sizes,
        "accuracy": accuracy(work, corpus),
        "runs": {"clean": clean, "incremental": incremental, "bare_mkdocs": bare},
    }
    result["targets"] = check_targets(result)
    return result


def check_targets(result: dict) -> dict:
    out = {}
    for key, (small, big, kind, unit) in TARGETS.items():
        limit = small if result["n"] <= 1000 else big
        value = result.get(key)
        ok = None if value is None else (value <= limit if kind == "max" else value >= limit)
        out[key] = {"value": value, "limit": limit, "kind": kind, "unit": unit, "ok": ok}
    return out


def print_table(results: list[dict]) -> str:
    rows = [
        ("extract s", lambda r: r["stages_s"].get("extract"), None),
        ("package s", lambda r: r["stages_s"].get("package"), None),
        ("validate s", lambda r: r["stages_s"].get("validate"), None),
        ("site s (generation + mkdocs)", lambda r: r["stages_s"].get("site"), None),
        ("  site generation s", lambda r: r.get("site_generation_s"), None),
        ("  bare mkdocs build s", lambda r: r.get("bare_mkdocs_build_s"), None),
        ("end to end, clean s", lambda r: r.get("total_s"), "total_s"),
        ("rebuild after one change s", lambda r: r.get("incremental_s"), "incremental_s"),
        ("extraction reports/s", lambda r: r.get("extract_reports_per_s"), "extract_reports_per_s"),
        ("peak memory MB (process tree, PSS)", lambda r: r.get("peak_memory_mb"), "peak_memory_mb"),
        ("datapackages MB", lambda r: r.get("packages_mb"), None),
        ("site MB", lambda r: r.get("site_mb"), "site_mb"),
        ("report page gz median KB", lambda r: r.get("report_page_gz_median_kb"), None),
        ("report page gz max KB", lambda r: r.get("report_page_gz_max_kb"), "report_page_gz_max_kb"),
        ("search payload gz KB", lambda r: r.get("search_payload_gz_kb"), "search_payload_gz_kb"),
        ("shared JS+CSS gz KB", lambda r: r.get("shared_js_css_gz_kb"), None),
        ("site stage ÷ bare mkdocs", lambda r: r.get("site_over_bare_mkdocs"), "site_over_bare_mkdocs"),
        ("figures found (accuracy)", lambda r: (r.get("accuracy") or {}).get("rate"), None),
    ]
    head = "| figure | " + " | ".join(f"N = {r['n']:,}" for r in results) + " | target (N ≤ 1,000 / N > 1,000) |"
    lines = [head, "|---|" + "---|" * len(results) + "---|"]
    for label, get, key in rows:
        cells = []
        for r in results:
            v = get(r)
            mark = ""
            if key is not None and v is not None:
                mark = " ✓" if r["targets"][key]["ok"] else " ✗"
            cells.append("—" if v is None else f"{v:g}{mark}" if isinstance(v, (int, float)) else str(v))
        target = ""
        if key:
            small, big, kind, unit = TARGETS[key]
            target = f"{'≤' if kind == 'max' else '≥'} {small:g} / {big:g} {unit}"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    text = "\n".join(lines)
    print(text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5,100,1000", help="comma-separated corpus sizes (default 5,100,1000)")
    ap.add_argument("--big", action="store_true", help="also N = 10,000 (about 25 minutes a repeat on 2 cores)")
    ap.add_argument("--big-repeat", type=int, default=1,
                    help="clean builds for sizes over 1,000 (default 1: three 10,000 runs would not fit the hour)")
    ap.add_argument("--repeat", type=int, default=3, help="clean builds per size; figures are medians (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="work folder and results.json")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.big and 10000 not in sizes:
        sizes.append(10000)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.timezone.utc)
    machine = machine_info()
    print(f"machine: {machine['nproc']} cores, {machine['memory_gb']} GB, {machine['cpu']}, "
          f"Python {machine['python']}, juesuan at {machine['git_commit']}", flush=True)
    results = []
    for n in sizes:
        repeat = args.repeat if n <= 1000 else args.big_repeat
        results.append(bench_size(n, out, max(1, repeat), args.seed))
        write_results(out, started, machine, args, results, None)
    table = print_table(results)
    write_results(out, started, machine, args, results, table)
    failed = [r["n"] for r in results if any(c != 0 for c in r["exit_codes"])]
    if failed:
        print(f"juesuan build exited non-zero for N = {failed}: see the logs under {out}/", file=sys.stderr)
    return 1 if failed else 0


def write_results(out: Path, started, machine: dict, args, results: list[dict], table: str | None) -> None:
    doc = {
        "date": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "command": " ".join(["scripts/bench.py"] + sys.argv[1:]),
        "sizes": [r["n"] for r in results],
        "repeat": args.repeat,
        "seed": args.seed,
        "targets": {k: {"n_le_1000": v[0], "n_gt_1000": v[1], "kind": v[2], "unit": v[3]} for k, v in TARGETS.items()},
        "results": results,
        "table": table,
    }
    (out / "results.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
