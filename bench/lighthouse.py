"""Lighthouse (mobile preset) on one page of every page kind, served from the precompressed files.

    sh .ci/setup --bench                       # once: Lighthouse from bench/lighthouse/package-lock.json
    .venv/bin/python bench/lighthouse.py [--site DIR] [--runs N] [--out FILE] [--kinds home,report] [--keep DIR]

Builds the real site with `mkdocs build --strict` into a temporary folder (or takes a built `--site`),
serves it under the path of `site_url` from a small local server that, like a static host configured
for them, answers with the `.br` or `.gz` copy beside a file when the request's Accept-Encoding allows
it (and gives our content-hashed assets a year's cache), and runs the npm package `lighthouse` against
Debian's Chromium (`CHROME_PATH=/usr/bin/chromium`, headless, no sandbox) with its default mobile
preset (simulated slow 4G and a 4x slower CPU). Each page is run `--runs` times (default 3) and the
median performance score is kept, with its metrics, and the console errors the page logged
(Lighthouse's `errors-in-console` audit).

Writes `bench/lighthouse-results.json` (see bench/README.md, "Lighthouse"). A benchmark, not a test:
the numbers depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from precompressed_server import serve  # bench/ is on the path when this runs as a script

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
RESULTS = ROOT / "bench" / "lighthouse-results.json"

#: one page of every page kind (paths under site_url)
PAGES = {
    "home": "",
    "partnership": "partnerships/north-lanarkshire/",
    "report": "inspections/north-lanarkshire-2023/",
    "review": "reviews/review-2018-2020/",
    "review chapter": "reviews/review-2018-2020/question-1/",  # the largest chapter of the review (bytes, elements)
    "programme": "programmes/care-and-protection-2018-2020/",
    "glossary": "glossary/",
    "publications list": "publications/",
    "search": "search/",
    "data": "open-data/",
    "theme": "themes/chronologies/",
    "updates": "updates/",  # how to follow the site or an area (issue 26)
}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time", "cumulative-layout-shift")


def site_prefix() -> str:
    for line in (ROOT / "mkdocs.yml").read_text().splitlines():
        if line.startswith("site_url:"):
            path = urlsplit(line.split()[1]).path.strip("/")
            return f"/{path}/" if path else "/"
    return "/"


def build(dest: Path) -> Path:
    site = dest / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                   check=True, env=env, cwd=ROOT)
    return site


def run_lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=performance,best-practices",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"],
        check=True, env=env, timeout=300,
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    console = audits.get("errors-in-console", {}).get("details", {}).get("items", [])
    weights = audits.get("resource-summary", {}).get("details", {}).get("items", [])
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "metrics": {k: round(audits[k]["numericValue"], 3 if k == "cumulative-layout-shift" else 0) for k in METRICS},
        "transfer_kib": {i["resourceType"]: round(i["transferSize"] / 1024, 1) for i in weights if i.get("transferSize")},
        "console_errors": [f"{i.get('source', '')}: {i.get('description', '')}"[:300] for i in console],
        "lighthouse": report["lighthouseVersion"],
        "user_agent": report["environment"]["hostUserAgent"],
        "benchmark_index": report["environment"].get("benchmarkIndex"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a site already built with `mkdocs build` (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median score is kept (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--kinds", help="comma-separated page kinds (default: all): " + ", ".join(PAGES))
    parser.add_argument("--keep", type=Path, help="a folder to keep every run's Lighthouse report in (KIND-N.json)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `sh .ci/setup --bench`", file=sys.stderr)
        return 2
    kinds = args.kinds.split(",") if args.kinds else list(PAGES)
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        site = args.site or build(Path(tmp))
        results = {}
        with serve(site, site_prefix()) as base:
            for kind in kinds:
                folder = args.keep or Path(tmp)
                folder.mkdir(parents=True, exist_ok=True)
                runs = [run_lighthouse(base + PAGES[kind], folder / f"{kind.replace(' ', '-')}-{i}.json") for i in range(args.runs)]
                best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]  # the median run
                best = {"page": PAGES[kind] or "(home)", **best, "scores": [r["performance"] for r in runs]}
                results[kind] = best
                print(f"{kind:18} {best['performance']:3}  runs {best['scores']}  LCP {best['metrics']['largest-contentful-paint']:.0f} ms"
                      f"  console errors {len(best['console_errors'])}", flush=True)
    first = next(iter(results.values()))
    record = {
        "date": dt.date.today().isoformat(),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        "lighthouse": first["lighthouse"], "chromium": first["user_agent"],
        "preset": "mobile (default: simulated slow 4G, 4x CPU slowdown)", "served": "precompressed .br/.gz by Accept-Encoding",
        "median_of_runs": args.runs,
        "pages": {k: {key: v for key, v in r.items() if key not in ("lighthouse", "user_agent")} for k, r in results.items()},
        "below_95": sorted(k for k, r in results.items() if r["performance"] < 95),
    }
    args.out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    shutil.which("node") or sys.exit("node is missing: run `sh .ci/setup --bench`")
    sys.exit(main())
