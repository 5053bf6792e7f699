"""One size measured without the floor (whose code path is MkDocs' own): the cold build without search, the cold
build, then bench/run.py's two rebuilds. How the 3,000-report figures of bench/README.md are taken (a full
`run.py --sizes 3000` adds the floor, the generator stage and serve: about twice as long).

    .venv/bin/python bench/measure_3000.py OUT.json [--reports N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    base = args.workdir or Path(tempfile.mkdtemp(prefix="report-site-measure-"))
    project, n = base / "project", args.reports
    t = time.perf_counter()
    run.make_project(project, n, held=base / "held")
    root = Path(__file__).resolve().parent.parent
    row: dict = {"what": f"cold mkdocs build --strict of run.make_project({n}) without search (search: false), then cold "
                 "with it, then bench_incremental (one report added, one narrative edited); no floor (bench/measure_3000.py)",
                 "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                 "commit": subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                          text=True).stdout.strip(),
                 "project_generation_s": round(time.perf_counter() - t, 1), "load_before": os.getloadavg()[0]}
    deadline = time.monotonic() + 3600
    shutil.rmtree(project / ".cache", ignore_errors=True)
    row.update(run._measure_build("nosearch", run.write_nosearch_config(project), base, n, deadline, False))
    shutil.rmtree(project / ".cache", ignore_errors=True)
    row.update(run._measure_build("build", project / "mkdocs.yml", base, n, deadline, False))
    row["search_index_cost_s"] = round(row["build_s"] - row["nosearch_s"], 2)
    row["search_index_cost_share"] = round(row["search_index_cost_s"] / row["nosearch_s"], 3)
    row["search_index_cost_cpu_s"] = round(row["build_cpu_s"] - row["nosearch_cpu_s"], 2)
    args.out.write_text(json.dumps(row, indent=2) + "\n")
    row.update(run.bench_incremental(project, base, n, deadline))
    row["load_after"] = os.getloadavg()[0]
    args.out.write_text(json.dumps(row, indent=2) + "\n")
    print(json.dumps({k: v for k, v in row.items() if not isinstance(v, dict)}, indent=1))
    if not args.workdir:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
