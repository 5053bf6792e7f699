"""Site search: Pagefind's command line over a folder of pages, writing one bundle, and what is read back from it.

Pagefind reads the built HTML and writes a static index split into small chunks; the browser
fetches only the chunks for the words searched, so a first query costs the same whatever the
size of the site. This module knows nothing of MkDocs. The site's index is several bundles, each
indexed by one run of this command line (search_bundles.py), over the search pages written before
MkDocs writes the pages (search_pages.py) or over the built site (after rendering, before it is published).

Only the main content of the pages in `search_entries()` is indexed (the theme template marks it
with `data-pagefind-body`); inside it, `EXCLUDE_SELECTORS` leaves out what readers do not search
for: editors' notes on the record, breadcrumbs, permalink signs, the charts' SVG text (each
chart's numbers are in the table beside it) and text repeated from other pages (a theme's quotes,
lists of publications and their grades), which would make one page's record grow with the site and
a first query fetch it whole. Filters, sort keys and result metadata come from the
data, never from the page text.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.base.pool import can_fork, die_with_parent
from generator.output.pagefind_stable import META_FILTERS, BundleFormatError, name_pages, read_chunk, stabilise

#: folder of the built site that Pagefind writes its bundle into
BUNDLE_DIR = "pagefind"
#: what Pagefind writes that no page of this site loads: its ready-made search interfaces and the highlighting script
#: (the search page uses pagefind.js, which loads pagefind-worker.js, the index and the wasm files)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
#: inside the indexed content, what is left out of the index (CSS selectors, Pagefind's `exclude_selectors`)
EXCLUDE_SELECTORS = (
    ".rs-notes",        # editors' notes on the record (_macros.md.j2 notes_box)
    ".rs-repeated",     # text repeated from other pages, growing with the site: lists of publications, a theme's quotes
    ".rs-breadcrumb",   # the same three links on every publication
    ".headerlink",      # the permalink sign after every heading
    ".rs-nav-only",     # headings only for finding one's way (the glossary's letters): no words a reader searches for
    ".rs-contents",     # a long page's contents list on a phone (partials/rs-contents.html): its own headings again
    "svg",              # chart labels: the same figures are in the table beside each chart
)


class SearchIndexError(Exception):
    """The search index could not be built; the message says why and what to do."""


@dataclass
class IndexReport:
    pages: int
    seconds: float
    bundles: int = 1
    """how many bundles the index has"""
    indexed: int = 1
    """how many of them Pagefind indexed (the others were unchanged, taken from the cache)"""


def pagefind_executable() -> Path:
    """The Pagefind binary from the `pagefind[bin]` wheel pinned in requirements.lock."""
    try:
        import pagefind_bin
    except ImportError:
        raise SearchIndexError(
            "search: the Pagefind binary is not installed (Python package pagefind[bin], pinned in requirements.lock); "
            "run `sh .ci/setup`, or set `search: false` under report-site in mkdocs.yml to build without search"
        ) from None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise SearchIndexError(f"search: the pagefind[bin] package has no binary for this platform ({exc}); run `sh .ci/setup`") from None


PAGEFIND_NICE = 10
"""how much lower Pagefind's priority is than the build's or the preview's, beside which it runs"""
OUTPUT_GRACE = 30.0
"""seconds to read what a finished Pagefind wrote (a pipe left open by something it started is an error)"""


class PagefindRun:
    """Pagefind's command line over the HTML in `source`, writing one bundle into `output`: started here, awaited
    (and its bundle stabilised) by `wait()`, or stopped by `kill()`. The site's index is several such bundles
    (search_bundles.py).

    `nice`: how much lower than the build's Pagefind's priority is, for a run beside MkDocs' one-core page loop
    (search_pages.py), which then keeps its core. `name`: the bundle's name, put before its pages' ids
    (pagefind_stable.name_pages)."""

    def __init__(self, source: Path, output: Path, executable: Path | None = None, *, nice: int = 0, name: str = "") -> None:
        exe = executable or pagefind_executable()
        self.source, self.executable, self.name = source, exe, name
        self.bundle = output
        if self.bundle.exists():
            shutil.rmtree(self.bundle)
        args = [str(exe), "--site", str(source), "--output-path", str(output.resolve()), "--force-language", "en", "--quiet"]
        for selector in EXCLUDE_SELECTORS:
            args += ["--exclude-selectors", selector]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        # Pagefind is killed with the build (it would otherwise go on writing into a staging folder the next build is
        # removing); only from a single-threaded process, where running Python in the child is safe.
        arm = die_with_parent() if can_fork() else None
        if nice and arm is None:  # `mkdocs serve` has threads: the priority is set by the `nice` command instead
            command = shutil.which("nice")
            args = [command, "-n", str(nice), *args] if command else args

        def prepare() -> None:
            if arm is not None:
                arm()
                if nice:
                    os.nice(nice)

        self.start = time.perf_counter()
        try:
            # cwd: a folder with no Pagefind config file of its own (Pagefind reads one from its cwd). Its output goes
            # to a pipe read at the end (with --quiet only errors): with a file there instead, `mkdocs serve`'s first
            # index now and then numbered the pages in another order (tests/test_serve.py), for reasons not found.
            self.proc = subprocess.Popen(args, cwd=source, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         preexec_fn=prepare if arm is not None else None)
        except OSError as exc:
            raise SearchIndexError(f"search: could not run Pagefind ({exe}): {exc}") from None

    def done(self) -> bool:
        return self.proc.poll() is not None

    def wait(self, timeout: float = 600) -> IndexReport:
        """Wait for Pagefind (stopped after `timeout` s), then check and stabilise its bundle."""
        try:
            piped, _ = self.proc.communicate(timeout=max(timeout, 0.01))
        except subprocess.TimeoutExpired:
            if self.proc.poll() is None:
                self.kill()
                raise SearchIndexError(f"search: Pagefind did not finish indexing {self.source} within {timeout:.0f} s; it was stopped") from None
            # Pagefind has finished (a build's poll asks with no time left): only the end of its output is still to
            # read, which on a busy machine took longer than the 10 ms once given to it (CI, stop 31)
            try:
                piped, _ = self.proc.communicate(timeout=OUTPUT_GRACE)
            except subprocess.TimeoutExpired:
                self.kill()
                raise SearchIndexError(f"search: Pagefind finished indexing {self.source}, but its output was still open "
                                       f"{OUTPUT_GRACE:.0f} s later; it was stopped") from None
        seconds = time.perf_counter() - self.start
        output = (piped or b"").decode(errors="replace").strip()[-4000:]
        if self.proc.returncode != 0 or not (self.bundle / "pagefind.js").is_file():
            raise SearchIndexError(f"search: Pagefind failed (exit {self.proc.returncode}) indexing {self.source}:\n{output}")
        try:  # Pagefind writes filter and metadata chunks in hash-map order: sort them (pagefind_stable.py)
            for name in UNUSED:  # its ready-made interfaces: the search page has its own (report-site-search.js)
                (self.bundle / name).unlink(missing_ok=True)
            if self.name:
                name_pages(self.bundle, self.name)
            stabilise(self.bundle)
        except (BundleFormatError, OSError, ValueError, KeyError, TypeError) as exc:
            raise SearchIndexError(f"search: could not read back or reorder Pagefind's index of {self.source}: {exc}") from None
        fragments = self.bundle / "fragment"
        pages = sum(1 for _ in fragments.iterdir()) if fragments.is_dir() else 0
        return IndexReport(pages, seconds)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


# Latin letters, accented ones included, of lower-cased text: half the time of `[^\W\d_]` (a Unicode class
# complement), which showed at 1 ms a page in the build (bench/README.md, "Issue 24", the word list)
_WORD = re.compile(r"[a-z\u00df-\u024f]{4,}")
_SORT_DATE = re.compile(rb'data-pagefind-sort="date">([^<]*)<')


@dataclass
class BundleFacts:
    """What the site's search files need of one bundle (search_bundles.py writes them for all bundles together)."""

    words: dict[str, int]
    """every word of four letters or more in the indexed text, lower-cased, and how often it occurs"""
    filters: dict[str, list[str]]
    """each filter's values as the index holds them, sorted"""
    dates: list[tuple[str, str, str]]
    """(ISO date, URL, page id in the bundle) of each page with a date sort key"""

    def as_json(self) -> dict[str, object]:
        return {"words": self.words, "filters": self.filters, "dates": [list(d) for d in self.dates]}

    @classmethod
    def from_json(cls, value: dict[str, object]) -> BundleFacts:
        words, filters, dates = value["words"], value["filters"], value["dates"]
        assert isinstance(words, dict) and isinstance(filters, dict) and isinstance(dates, list)
        return cls(words, filters, [(str(a), str(b), str(c)) for a, b, c in dates])


def sort_date(html: bytes) -> str | None:
    """A page's date sort key (`data-pagefind-sort="date"`), None if it has none."""
    match = _SORT_DATE.search(html)
    return match.group(1).decode() if match else None


def bundle_facts(bundle: Path, pages: dict[str, str | None]) -> BundleFacts:
    """Read back a stabilised bundle: its words (Pagefind's fragments: the text it indexed, so nothing the index
    leaves out), its filters' values, and the date sort key of each page (`pages`: site path -> `sort_date`)."""
    counts: Counter[str] = Counter()
    urls: dict[str, str] = {}
    fragments = bundle / "fragment"
    for fragment in sorted(fragments.iterdir()) if fragments.is_dir() else []:
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        counts.update(_WORD.findall(str(record.get("content", "")).lower()))
        urls[str(record.get("url", ""))] = fragment.name.removesuffix(".pf_fragment")
    dates = []
    for path, date in pages.items():
        url = "/" + path.removesuffix("index.html")
        if date is not None and url in urls:
            dates.append((date, url, urls[url]))
    return BundleFacts(dict(sorted(counts.items())), filter_values(bundle), sorted(dates))


def filter_values(bundle: Path) -> dict[str, list[str]]:
    """Each filter's values as the (stabilised) bundle holds them, sorted."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    values: dict[str, set[str]] = {}
    for info in entry.get("languages", {}).values():
        meta = read_chunk(bundle / f"pagefind.{info['hash']}.pf_meta")
        if not isinstance(meta, list) or len(meta) <= META_FILTERS:
            raise BundleFormatError(f"pagefind.{info['hash']}.pf_meta: not the metadata layout of Pagefind 1.5")
        for name, chunk_hash in meta[META_FILTERS]:
            _name, pairs = read_chunk(bundle / "filter" / f"{chunk_hash}.pf_filter")
            values.setdefault(name, set()).update(value for value, _pages in pairs)
    return {name: sorted(values[name]) for name in sorted(values)}
