"""Profile the rebuilds `mkdocs serve` does after a YAML edit, on a copy of the real site (or, with --reports N, after
a narrative edit on bench/run.py's synthetic project of N reports).

    .venv/bin/python bench/profile_serve.py [--rebuilds 3] [--at-commit REV] [--top 30] [--reports N]

Does what `mkdocs serve` does on each change, without the web server: load the config again (the
plugin instance, with its LoadCache, is kept, as serve keeps it), then build. The first build is
not profiled; each rebuild follows an edit of the same YAML file bench/run.py edits. Prints the
time of each rebuild (wall, and CPU seconds of this process: serve's rebuilds do not fork, so that
is all of the rebuild's work, and it is nearly independent of the machine's load), then the top functions over all rebuilds. Subtracting the rebuild time from
run.py's serve_edit_s gives the latency of watching, reloading and serving.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuilds", type=int, default=3)
    parser.add_argument("--at-commit", metavar="REV")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--reports", type=int, default=0, help="a synthetic project of N reports instead of the real site")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="report-site-serve-profile-"))
    if args.at_commit:
        run.snapshot(args.at_commit, work / "source")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    sys.path.insert(0, str(run.SOURCE))
    real = work / "real-site"
    if args.reports:
        run.make_project(real, args.reports, held=work / "held")
        target = min((real / "content/narrative/inspections").glob("*.md"))
        anchor = target.read_text(encoding="utf-8").split("\n\n")[0].split()[-1]
    else:
        real.mkdir()
        shutil.copy2(run.SOURCE / "mkdocs.yml", real / "mkdocs.yml")
        for folder in ("site-data", "content", "overrides"):
            shutil.copytree(run.SOURCE / folder, real / folder)
        target = real / run.SERVE_FILE
        anchor = run.SERVE_ANCHOR
    print(f"code and data: {run.source_info()['tree']}; site copied to {real}")

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    counts = logging.getLogger("mkdocs.plugins.generator.adapter.plugin")  # what the caches gave, on stdout
    counts.setLevel(logging.INFO)
    counts.addHandler(logging.StreamHandler(sys.stdout))
    site_dir = work / "site"

    def get_config():  # as mkdocs.commands.serve does on every rebuild
        return load_config(config_file=str(real / "mkdocs.yml"), site_dir=str(site_dir))

    # `mkdocs serve` rebuilds beside the server's threads, so the plugin never forks there: nor here.
    server_stand_in = threading.Event()
    threading.Thread(target=server_stand_in.wait, daemon=True).start()
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    t = time.perf_counter()
    build(config, serve_url="http://127.0.0.1:8000/inspections/")
    print(f"first build: {time.perf_counter() - t:.2f}s")
    profiler = cProfile.Profile()
    for profiled in (False, True):
        times, cpu = [], []
        for i in range(args.rebuilds):
            text = target.read_text(encoding="utf-8")
            marker = f"Profileedit{i}{'p' if profiled else ''}"
            target.write_text(re.sub(rf"{re.escape(anchor)}( Profileedit\w+)?", f"{anchor} {marker}", text, count=1), encoding="utf-8")
            t, c = time.perf_counter(), time.process_time()
            if profiled:
                profiler.enable()
            config = get_config()
            build(config, serve_url="http://127.0.0.1:8000/inspections/")
            profiler.disable()
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(f"rebuilds{' (under cProfile)' if profiled else ''}: " + ", ".join(f"{x:.2f}s" for x in times)
              + " wall; " + ", ".join(f"{x:.2f}s" for x in cpu) + f" CPU of this process (load {os.getloadavg()[0]:.2f})", flush=True)
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(key).print_stats(args.top)
        lines = buf.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n=== {args.rebuilds} serve rebuilds of {f'{args.reports} reports' if args.reports else 'the real site'}: top {args.top} by {key}")
        print("\n".join(lines[start:]))
    config.plugins.on_shutdown()
    server_stand_in.set()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
