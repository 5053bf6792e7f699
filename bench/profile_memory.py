"""Where a build's memory goes: `mkdocs build --strict` in-process, with the resident set (and, with --tracemalloc,
what Python holds, by the line that allocated it) at each stage of the build (see bench/README.md, "Memory at 3,000
reports").

    .venv/bin/python bench/profile_memory.py PROJECT [--site DIR] [--tracemalloc] [--top 12] [--every 500]

PROJECT is a folder with mkdocs.yml (bench/run.py's `make_project`, or `--reports N --workdir DIR` to make one).
The build is cold unless the project's .cache is kept (`--warm`). Stages: after the check and each part of
`prepare_site`, after `on_config`, `on_files`, `on_nav` (the workers have converted the pages), `on_env` (MkDocs
has read every page), every `--every` pages written, and around `on_post_build`. At each: VmRSS and VmHWM (the
peak so far) of this process, and with --tracemalloc the traced total and the top lines. Measured from inside, so
no thread is started (a thread would stop the plugin from forking its workers); the workers' and Pagefind's
memory is what bench/run.py's `run_measured` samples from outside.
"""

from __future__ import annotations

import argparse
import functools
import gc
import logging
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run  # noqa: E402  (bench/run.py)

T0 = time.perf_counter()
ARGS: argparse.Namespace


def status() -> dict[str, float]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def mark(stage: str) -> None:
    s = status()
    line = f"[{time.perf_counter() - T0:7.1f}s] {stage:<40} RSS {s['VmRSS']:7.0f} MiB  peak {s['VmHWM']:7.0f} MiB  gc objects {len(gc.get_objects()):>9}"
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        line += f"  traced {current / 2**20:6.0f} MiB (peak {peak / 2**20:6.0f})"
        print(line, flush=True)
        if stage in ARGS.snapshots or "all" in ARGS.snapshots:
            snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            for stat in snap.statistics("lineno")[: ARGS.top]:
                frame = stat.traceback[0]
                name = "/".join(Path(frame.filename).parts[-3:])
                print(f"      {stat.size / 2**20:8.1f} MiB {stat.count:>9} blocks  {name}:{frame.lineno}", flush=True)
    else:
        print(line, flush=True)


def wrap(owner: Any, name: str, stage: str, before: str | None = None) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if before:
            mark(before)
        result = original(*args, **kwargs)
        mark(stage)
        return result

    setattr(owner, name, wrapper)


def main() -> int:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path, nargs="?")
    parser.add_argument("--reports", type=int, help="make a project of this many reports first (in --workdir)")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--site", type=Path, help="where the site is written (default: a temporary folder, removed)")
    parser.add_argument("--warm", action="store_true", help="keep the project's build cache (default: a cold build)")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python's allocations (slower: about twice)")
    parser.add_argument("--frames", type=int, default=1)
    parser.add_argument("--snapshots", default="on_config,on_files,on_env,page 1000,post_build",
                        help="stages with a snapshot's top lines (comma-separated; 'all')")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--every", type=int, default=500)
    ARGS = parser.parse_args()
    ARGS.snapshots = {s.strip() for s in ARGS.snapshots.split(",")}
    project = ARGS.project
    if project is None:
        work = ARGS.workdir or Path(tempfile.mkdtemp(prefix="report-site-memory-"))
        project = work / "project"
        if not (project / "mkdocs.yml").exists():
            print(run.make_project(project, ARGS.reports or 1000))
    if not ARGS.warm:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    site = ARGS.site or Path(tempfile.mkdtemp(prefix="report-site-memory-site-")) / "site"
    if ARGS.tracemalloc:
        tracemalloc.start(ARGS.frames)

    import mkdocs.commands.build as mkbuild
    from mkdocs.config import load_config

    import generator.adapter.site as adapter_site
    from generator.adapter.plugin import ReportSitePlugin

    for name in ("check_site", "render_pages", "site_files", "render_feeds", "redirect_outputs"):
        wrap(adapter_site, name, f"  {name}")
    wrap(ReportSitePlugin, "on_config", "on_config")
    wrap(ReportSitePlugin, "on_files", "on_files")
    wrap(ReportSitePlugin, "on_nav", "on_nav")
    wrap(ReportSitePlugin, "on_env", "on_env")
    wrap(ReportSitePlugin, "on_post_build", "post_build", before="before post_build")
    written = [0]
    on_post_page = ReportSitePlugin.on_post_page

    @functools.wraps(on_post_page)
    def post_page(self: Any, output: str, **kwargs: Any) -> str:
        result = on_post_page(self, output, **kwargs)
        written[0] += 1
        if written[0] % ARGS.every == 0:
            mark(f"page {written[0]}")
        return result

    ReportSitePlugin.on_post_page = post_page  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")  # as the mkdocs command logs
    mark("start")
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True, site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkbuild.build(config)
    finally:
        config.plugins.on_shutdown()
    mark(f"end ({written[0]} pages)")
    if ARGS.site is None:
        shutil.rmtree(site.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
