"""The benchmark script keeps working: a tiny size end to end, and the JSON shape issues 7 and 16 ask for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .support import ROOT


def test_benchmark_runs_and_writes_the_agreed_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "5", "--no-serve", "--out", str(out),
         "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(out.read_text())
    assert {"date", "machine", "results"} <= set(document)
    (row,) = document["results"]
    assert row["reports"] == 5 and row["pages"] == row["floor_pages"] > 5
    for key in ("build_s", "build_cpu_s", "floor_s", "floor_cpu_s", "generator_s", "peak_rss_mb", "add_one_s", "edit_one_s"):
        assert row[key] > 0, key
    assert "first_query_kb" in row and "serve_edit_s" not in row  # serve is timed at bench.run.SERVE_SIZES only
    # issue 27: the index is bundles; a rebuild after an edited narrative indexes only its area's bundle
    assert row["search_bundles"] > 1 and row["edit_one_search_bundles_indexed"] == 1, row
    assert "build/floor" in result.stdout and "targets (issue 27)" in result.stdout
    # issue 15: what the index adds to the build (the build's wait for it: none when Pagefind was done first) and Pagefind's run
    assert 0 <= row["search_index_s"] < row["build_s"] and row["search_index_share"] is not None
    assert 0 < row["search_index_run_s"] < row["build_s"]
    # ... and against the same cold build without the index (bench/README: what the index costs)
    assert row["nosearch_s"] > 0 and row["search_index_cost_s"] == round(row["build_s"] - row["nosearch_s"], 2)
    assert row["search_index_cost_share"] == round(row["search_index_cost_s"] / row["nosearch_s"], 3)
    assert "longer with it than without" in result.stdout
    assert row["markdown_by_workers"] + row["markdown_by_mkdocs"] > 0 and row["edit_one_markdown_cached"] > 0
    assert row["compressed_new"] > 0 and row["edit_one_compressed_cached"] > 0
    # the peak split by process (the build itself, its workers, Pagefind)
    peaks = row["build_peak_by_process_mb"]
    assert peaks["main"] > 0 and max(peaks.values()) <= row["peak_rss_mb"], peaks  # the largest of any process
    first = row["search_first_query"]
    assert "error" in first or (first["search_kb"] > 0 and first["requests"] > 0 and "query" in first), first


def _bench_run():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_search_share_is_the_time_the_index_adds_to_the_build() -> None:
    """bench/README.md: with the index begun before the pages, what it adds is the build's wait for it at the end."""
    figures = _bench_run().build_log_figures
    log = ("INFO    -  search: 3000 pages indexed in 52.30 s, begun before MkDocs wrote the pages; the build waited 5.00 s "
           "for it\n")
    out = figures(log, "build", 105.0)
    assert out["search_index_s"] == 5.0 and out["search_index_share"] == 0.05 and out["search_index_run_s"] == 52.3
    rebuild = figures(log.replace("3000", "3001"), "add_one", 55.0)
    assert rebuild["add_one_search_index_s"] == 5.0 and rebuild["add_one_search_index_share"] == 0.1
    # Pagefind over the finished site (a --dirty build, and older logs): its own wall time
    old = figures("INFO    -  search: 91 pages indexed in 2.00 s\n", "build", 12.0)
    assert old["search_index_s"] == 2.0 and old["search_index_share"] == 0.2 and "search_index_cpu_s" not in old
