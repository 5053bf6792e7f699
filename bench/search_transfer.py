"""What a reader's first search transfers, measured in Chromium from the network log (issue 15).

    .venv/bin/python bench/search_transfer.py SITE_DIR [--query chronology] [--prefix /inspections/] [--out FILE]

Serves the built site the way a static host with precompressed files does (nginx `gzip_static` /
`brotli_static`: the `.br` or `.gz` copy the build wrote, when the browser accepts it), opens the
search page in a fresh Chromium context (empty cache), types the query, presses Enter and waits
for the results. Every response's bytes on the wire (headers + body as transferred, Playwright's
`request.sizes()`, which Chromium's network log gives) are summed in two groups:

  search   what the search needs: Pagefind's library (js, worker, wasm, entry, metadata), its
           filter and index chunks, the fragments of the results shown, and our search js/css
  page     everything else the search page loads (its HTML, the theme's CSS, JS and fonts)

and split by phase (opening the page, then the query). `run.py` calls `measure()` on the cold
build of each size. Issue 15's target is on the search group: at most 300 KB on the 3,000-report
site (the page group is what any page of the site costs and is reported beside it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from precompressed_server import HOST, serve  # bench/ is on the path: run as a script or from bench/run.py

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
TARGET_KB = 300
SEARCH_PARTS = ("/pagefind/", "/assets/report-site-search")


def site_prefix(site: Path) -> str:
    """The path part of site_url, from the built sitemap's first address ("/inspections/"), else "/"."""
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        text = sitemap.read_text(encoding="utf-8", errors="replace")
        start = text.find("<loc>")
        if start >= 0:
            path = urlsplit(text[start + 5:text.find("</loc>", start)]).path
            return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return "/"


def part_of(url: str) -> str | None:
    """Which kind of search file an address is (for the breakdown), None for the page's own files."""
    path = urlsplit(url).path
    if "/assets/report-site-search" in path:
        return "our search js/css"
    if "/pagefind/" not in path:
        return None
    for folder in ("fragment", "index", "filter"):
        if f"/{folder}/" in path.partition("/pagefind/")[2]:  # pagefind/<bundle>/<folder>/ (issue 27)
            return f"{folder} chunks"
    if path.endswith("/rs-filter-values.json"):
        return "filter values"
    if path.endswith("/rs-bundles.json"):
        return "bundle list"
    if path.endswith(".pf_meta"):
        return "metadata chunk"
    if path.endswith(".pagefind"):
        return "wasm"
    return "library js and entry"


def measure(site: Path, query: str = "chronology", prefix: str | None = None, timeout_s: float = 60.0) -> dict[str, Any]:
    """Open the search page in a fresh context, run one query; bytes per group and phase (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    prefix = prefix or site_prefix(site)
    rows: list[dict[str, Any]] = []
    phase = ["open"]
    with serve(site, prefix) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(timeout_s * 1000)
            context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname in (HOST, None)
                          else route.abort())

            def finished(request: Any) -> None:
                sizes = request.sizes()
                response = request.response()
                url = request.url[len(origin):] if request.url.startswith(origin) else request.url
                rows.append({"url": url,
                             "phase": phase[0], "bytes": sizes["responseHeadersSize"] + sizes["responseBodySize"],
                             "encoding": (response.headers.get("content-encoding") if response else None)})

            origin = base[:-len(prefix)]
            page = context.new_page()
            page.on("requestfinished", finished)
            t0 = time.perf_counter()
            page.goto(base + "search/", wait_until="load")
            page.wait_for_selector(".rs-search[data-ready]:not([hidden])")
            page.wait_for_load_state("networkidle")
            opened_s = time.perf_counter() - t0
            phase[0] = "query"
            t1 = time.perf_counter()
            page.fill("#rs-search-q", query)
            page.press("#rs-search-q", "Enter")
            page.wait_for_function("() => /\\d+ results?|No results/.test(document.querySelector('.rs-search__status').textContent)")
            page.wait_for_load_state("networkidle")
            query_s = time.perf_counter() - t1
            status = page.inner_text(".rs-search__status")
            shown = page.locator(".rs-result").count()
            context.close()
        finally:
            browser.close()

    def total(group: str | None = None, when: str | None = None) -> int:
        return sum(r["bytes"] for r in rows if (when is None or r["phase"] == when)
                   and (group is None or (group == "search") == any(part in r["url"] for part in SEARCH_PARTS)))

    kb = lambda n: round(n / 1000, 1)  # noqa: E731 - KB as the issue counts them (1,000 bytes)
    search = total("search")
    parts: dict[str, dict[str, float]] = {}  # search files by kind: KB and how many
    for r in rows:
        kind = part_of(r["url"])
        if kind is not None:
            row = parts.setdefault(kind, {"kb": 0.0, "files": 0})
            row["kb"] += r["bytes"] / 1000
            row["files"] += 1
    parts = {k: {"kb": round(v["kb"], 1), "files": v["files"]} for k, v in sorted(parts.items())}
    return {
        "query": query, "status": status, "results_shown": shown, "requests": len(rows),
        "search_kb": kb(search), "search_kb_open": kb(total("search", "open")), "search_kb_query": kb(total("search", "query")),
        "page_kb": kb(total("page")), "total_kb": kb(total()),
        "parts": parts,
        "encodings": sorted({r["encoding"] or "identity" for r in rows}),
        "open_s": round(opened_s, 2), "query_s": round(query_s, 2),
        "target_kb": TARGET_KB, "met": search <= TARGET_KB * 1000,
        "largest": sorted(({"url": r["url"], "kb": kb(r["bytes"]), "phase": r["phase"]} for r in rows), key=lambda r: -r["kb"])[:12],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (mkdocs build's site/)")
    parser.add_argument("--query", default="chronology")
    parser.add_argument("--prefix", help="the path the site is served under (default: site_url's, from sitemap.xml)")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    result = measure(args.site, args.query, args.prefix)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
