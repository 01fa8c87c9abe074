"""A small run of scripts/bench.py (N = 20, one repeat): the benchmark works end to end.

The full benchmark is not part of the test run; this smoke run is. It fails when the pipeline
(`juesuan build`) fails on the synthetic corpus, or when results.json loses a figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FIGURES = (
    "stages_s", "site_generation_s", "bare_mkdocs_build_s", "total_s", "extract_reports_per_s", "peak_memory_mb",
    "incremental_s", "site_over_bare_mkdocs", "packages_mb", "site_mb", "report_page_gz_median_kb",
    "report_page_gz_max_kb", "search_payload_gz_kb", "shared_js_css_gz_kb", "accuracy", "targets",
)


def test_bench_smoke_run_writes_every_figure(tmp_path):
    out = tmp_path / "bench"
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "--sizes", "20", "--repeat", "1",
                          "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for key in ("nproc", "memory_gb", "cpu", "python", "git_commit"):
        assert doc["machine"][key], key
    assert doc["date"] and doc["sizes"] == [20]
    (r,) = doc["results"]
    for key in FIGURES:
        assert r.get(key) is not None, f"results.json lacks {key}"
    assert set(r["stages_s"]) >= {"extract", "package", "validate", "site"}
    assert all(isinstance(r["stages_s"][s], float) and r["stages_s"][s] > 0 for s in ("extract", "site"))
    assert r["report_pages"] == 20, "one page per synthetic report"
    assert 0 < r["report_page_gz_median_kb"] <= r["report_page_gz_max_kb"]
    assert r["accuracy"]["figures"] > 20 * 20 and 0 <= r["accuracy"]["rate"] <= 1
    assert set(r["targets"]) >= {"total_s", "incremental_s", "site_over_bare_mkdocs", "search_payload_gz_kb"}
    assert "| figure | N = 20 |" in run.stdout
    # the benchmark restores the report it changed for the incremental rebuild
    corpus = out / "corpus-20"
    again = tmp_path / "again"
    sys.path.insert(0, str(REPO / "scripts"))
    import make_corpus

    make_corpus.write_corpus(20, again, seed=doc["seed"])
    for p in sorted(again.glob("*.txt")):
        assert (corpus / p.name).read_bytes() == p.read_bytes(), p.name
