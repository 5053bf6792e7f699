"""The benchmark script keeps working: a tiny size end to end, and the JSON shape issues 7 and 16 ask for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


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
    for key in ("build_s", "floor_s", "generator_s", "peak_rss_mb", "add_one_s", "edit_one_s"):
        assert row[key] > 0, key
    assert "build / floor" in result.stdout
    assert 0 < row["search_index_s"] < row["build_s"] and row["search_index_share"] > 0  # issue 15
    assert row["markdown_by_workers"] + row["markdown_by_mkdocs"] > 0 and row["edit_one_markdown_cached"] > 0
    assert row["compressed_new"] > 0 and row["edit_one_compressed_cached"] > 0
    # the peak split by process (the build itself, its workers, Pagefind)
    peaks = row["build_peak_by_process_mb"]
    assert peaks["main"] > 0 and max(peaks.values()) <= row["peak_rss_mb"] * 1.1, peaks  # Pagefind may end between samples
    first = row["search_first_query"]
    assert "error" in first or (first["search_kb"] > 0 and first["requests"] > 0 and "query" in first), first
