"""Profile one size of the benchmark project with cProfile (see bench/README.md).

    .venv/bin/python bench/profile_size.py --reports 1000 [--what generator,build,floor] [--workdir DIR] [--top 25]

Generates the same synthetic project as bench/run.py, then profiles
  generator  load, validate, derive, render in-process (no MkDocs)
  build      `mkdocs build --strict` of our site, in-process under cProfile
  floor      the plain-MkDocs build of the same Markdown
and prints the top functions by own time and by cumulative time. The .prof files stay in the
work folder (open them with `python -m pstats` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py)


def show(prof: Path, top: int, title: str) -> None:
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        stats = pstats.Stats(str(prof), stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        lines = buf.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        total = next((line for line in lines if "function calls" in line), "").strip()
        print(f"\n=== {title}: top {top} by {key} ({total})")
        print("\n".join(lines[start:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--what", default="generator,build,floor")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--at-commit", metavar="REV", help="profile a snapshot of commit REV (as bench/run.py --at-commit)")
    args = parser.parse_args()
    what = {w.strip() for w in args.what.split(",")}

    work = args.workdir or Path(tempfile.mkdtemp(prefix="report-site-profile-"))
    if args.at_commit:
        run.snapshot(args.at_commit, work / "source")
    print(f"code and data: {run.source_info()['tree']}")
    project, floor = work / "project", work / "floor"
    if not (project / "mkdocs.yml").exists():
        print(run.make_project(project, args.reports))
    print(f"profiling in {work}", flush=True)

    if "generator" in what or ("floor" in what and not (floor / "mkdocs.yml").exists()):
        prof = work / "generator.prof"
        floor.mkdir(exist_ok=True)
        profiler = cProfile.Profile()
        write_floor = not (floor / "mkdocs.yml").exists()
        profiler.enable()
        result = run.generator_stage(project, None)
        profiler.disable()
        profiler.dump_stats(str(prof))
        print(f"generator stage (under cProfile): {result}")
        if write_floor:  # not profiled
            run.generator_stage(project, floor)
        if "generator" in what:
            show(prof, args.top, f"generator stage, {args.reports} reports")

    for name, config in (("build", project / "mkdocs.yml"), ("floor", floor / "mkdocs.yml")):
        if name not in what:
            continue
        prof = work / f"{name}.prof"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "--strict", "-q",
                        "-f", str(config), "-d", str(work / f"{name}-site")], check=True, env=run.child_env(), cwd=run.SOURCE)
        print(f"\n{name}: mkdocs build under cProfile took {time.perf_counter() - t:.1f}s")
        show(prof, args.top, f"{name}, {args.reports} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
