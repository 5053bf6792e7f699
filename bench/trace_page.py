"""What the browser's main thread does while one page loads: long tasks, and how many elements it styles and lays out.

    .venv/bin/python bench/trace_page.py --site DIR PAGE [PAGE ...] [--runs N] [--keep DIR]

Loads each page (a path under site_url, e.g. `reviews/review-2018-2020/`) of a built site, served as
bench/lighthouse.py serves it (precompressed copies), in Debian's Chromium through Playwright with a
412 px phone viewport and the CPU slowed 4x (as Lighthouse's mobile preset), records a Chromium trace
and prints per run: the main thread's long tasks (ms, over 50), the time in style, layout, HTML
parsing and script, and two counts that do not depend on how busy the machine is: the elements whose
style was computed (`styled`; a page styled once costs about its element count) and the layout objects
laid out (`laid_out`). Each style or layout pass of more than 5 ms is listed with the script function
that forced it. This is how the causes in bench/README.md ("Lighthouse") were found; times are
noisy on a shared machine, the counts are not.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from lighthouse import site_prefix  # bench/ is on the path when this runs as a script
from precompressed_server import serve

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.stack",
              "v8.execute", "loading", "toplevel"]


def record(url: str) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    events: list[dict[str, Any]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True)
        page = context.new_page()
        page.goto("about:blank")
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        done: list[bool] = []
        cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
        cdp.on("Tracing.tracingComplete", lambda e: done.append(True))
        cdp.send("Tracing.start", {"traceConfig": {"includedCategories": CATEGORIES}, "transferMode": "ReportEvents"})
        page.goto(url, wait_until="load")
        page.wait_for_timeout(3000)
        cdp.send("Tracing.end")
        while not done:
            page.wait_for_timeout(100)
        browser.close()
    return events


def summary(events: list[dict[str, Any]], host: str = "127.0.0.1") -> dict[str, Any]:
    # the page's main thread: the one that parsed its HTML (not the browser's new-tab page)
    threads = collections.Counter((e["pid"], e["tid"]) for e in events
                                  if e.get("name") == "ParseHTML" and host in json.dumps(e.get("args") or {}))
    main = threads.most_common(1)[0][0]
    mine = sorted((e for e in events if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X"), key=lambda e: e["ts"])
    start = min(e["ts"] for e in mine if e["name"] == "ParseHTML")
    ms: collections.Counter[str] = collections.Counter()
    passes = []
    for e in mine:
        if e["name"] in ("UpdateLayoutTree", "Layout", "ParseHTML", "EvaluateScript", "FunctionCall"):
            ms[e["name"]] += e["dur"] / 1000
        if e["name"] in ("UpdateLayoutTree", "Layout") and e["dur"] > 5000:
            args = e.get("args") or {}
            stack = (args.get("beginData") or {}).get("stackTrace") or []
            by = f"{stack[0]['functionName'] or '?'} {stack[0]['url'].rsplit('/', 1)[-1]}:{stack[0]['columnNumber']}" if stack else "-"
            count = args.get("elementCount") or (args.get("beginData") or {}).get("dirtyObjects")
            passes.append(f"{e['name']} at {(e['ts'] - start) / 1000:.0f} ms: {e['dur'] / 1000:.0f} ms, {count}, by {by}")
    return {
        "long_tasks_ms": [round(e["dur"] / 1000) for e in mine if e["name"] == "RunTask" and e["dur"] > 50000],
        "ms": {k: round(v) for k, v in ms.items()},
        "styled": sum((e.get("args") or {}).get("elementCount") or 0 for e in mine if e["name"] == "UpdateLayoutTree"),
        "laid_out": sum(((e.get("args") or {}).get("beginData") or {}).get("dirtyObjects") or 0 for e in mine if e["name"] == "Layout"),
        "passes": passes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a site built with `mkdocs build`")
    parser.add_argument("pages", nargs="+", help="paths under site_url, e.g. reviews/review-2018-2020/")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="a folder to keep each run's trace in (Chrome trace event JSON)")
    args = parser.parse_args(argv)
    with serve(args.site, site_prefix()) as base:
        for page in args.pages:
            for run in range(args.runs):
                events = record(base + page)
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{page.strip('/').replace('/', '-') or 'home'}-{run}.json").write_text(json.dumps(events))
                s = summary(events)
                print(f"{page or '(home)'} run {run}: styled {s['styled']}, laid out {s['laid_out']}, ms {s['ms']}, "
                      f"long tasks {s['long_tasks_ms']}")
                for line in s["passes"]:
                    print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
