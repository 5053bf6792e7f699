"""Site search: what each page tells the index, and the Pagefind index built over the finished site.

Pagefind reads the built HTML and writes a static index split into small chunks; the browser
fetches only the chunks for the words searched, so a first query costs the same whatever the
size of the site. This module knows nothing of MkDocs: the plugin hands it the records (before
rendering) and a folder of HTML to index: the search pages written before MkDocs writes the pages
(search_pages.py), or the built site (after rendering, before it is published).

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
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.base.pool import can_fork, die_with_parent
from generator.output.pagefind_stable import META_FILTERS, BundleFormatError, read_chunk, stabilise

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
#: in the bundle: every filter's values, {name: [value, ...]}, read from the index itself. The search page builds
#: its selects from this small file instead of Pagefind's `filters()`, which fetches every filter chunk (each lists
#: the pages of each value, so they grow with the site) before the first query; Pagefind then fetches a filter's
#: chunk only when a reader filters by it.
FILTER_VALUES = "rs-filter-values.json"


class SearchIndexError(Exception):
    """The search index could not be built; the message says why and what to do."""


@dataclass
class IndexReport:
    pages: int
    seconds: float


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


def build_index(site_dir: Path, executable: Path | None = None, started: Callable[[subprocess.Popen[bytes]], None] | None = None) -> IndexReport:
    """Index the built site in `site_dir` into `site_dir/pagefind/` (replacing an older bundle).

    Runs offline, with every option given on the command line: no pagefind.yml and no
    PAGEFIND_* variable from the surroundings can change what is indexed. `started` is given the
    Pagefind process as soon as it runs (so a background index can be stopped)."""
    run = PagefindRun(site_dir, executable)
    if started is not None:
        started(run.proc)
    return run.wait()


class PagefindRun:
    """Pagefind's command line over the HTML in `site_dir`, writing its bundle into `site_dir/pagefind/`: started
    here, awaited (and its bundle read back and stabilised) by `wait()`, or stopped by `kill()`.

    `nice`: how much lower than the build's Pagefind's priority is, for a run beside MkDocs' one-core page loop
    (search_pages.py), which then keeps its core."""

    def __init__(self, site_dir: Path, executable: Path | None = None, *, nice: int = 0) -> None:
        exe = executable or pagefind_executable()
        self.site_dir, self.executable = site_dir, exe
        self.bundle = site_dir / BUNDLE_DIR
        if self.bundle.exists():
            shutil.rmtree(self.bundle)
        args = [str(exe), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--force-language", "en", "--quiet"]
        for selector in EXCLUDE_SELECTORS:
            args += ["--exclude-selectors", selector]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        # Pagefind is killed with the build (it would otherwise go on writing into a staging folder the next build is
        # removing); only from a single-threaded process, where running Python in the child is safe.
        arm = die_with_parent() if can_fork() else None

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
            self.proc = subprocess.Popen(args, cwd=site_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         preexec_fn=prepare if (arm is not None or nice) else None)
        except OSError as exc:
            raise SearchIndexError(f"search: could not run Pagefind ({exe}): {exc}") from None

    def wait(self, timeout: float = 600) -> IndexReport:
        """Wait for Pagefind (stopped after `timeout` s), then check, stabilise and complete its bundle."""
        try:
            piped, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SearchIndexError(f"search: Pagefind did not finish indexing {self.site_dir} within {timeout:.0f} s; it was stopped") from None
        seconds = time.perf_counter() - self.start
        output = (piped or b"").decode(errors="replace").strip()[-4000:]
        if self.proc.returncode != 0 or not (self.bundle / "pagefind.js").is_file():
            raise SearchIndexError(f"search: Pagefind failed (exit {self.proc.returncode}) indexing {self.site_dir}:\n{output}")
        try:  # Pagefind writes filter and metadata chunks in hash-map order: sort them (pagefind_stable.py)
            for name in UNUSED:  # its ready-made interfaces: the search page has its own (report-site-search.js)
                (self.bundle / name).unlink(missing_ok=True)
            stabilise(self.bundle)
            write_filter_values(self.bundle)
            write_words(self.bundle)
        except (BundleFormatError, OSError, ValueError, KeyError, TypeError) as exc:
            raise SearchIndexError(f"search: could not read back or reorder Pagefind's index of {self.site_dir}: {exc}") from None
        fragments = self.bundle / "fragment"
        pages = sum(1 for _ in fragments.iterdir()) if fragments.is_dir() else 0
        return IndexReport(pages, seconds)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class BackgroundIndex:
    """The index of a `mkdocs serve` rebuild, built in a thread after the build: the edited page is served at
    once and search catches up a moment later (Pagefind is most of a small site's rebuild). `stop()` ends a
    run that is still going before the next rebuild empties the folder it writes into."""

    def __init__(self, site_dir: Path, done: Callable[[IndexReport | SearchIndexError], None]) -> None:
        self.site_dir = site_dir
        self._done = done
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="report-site-search-index", daemon=True)

    def start(self) -> BackgroundIndex:
        self._thread.start()
        return self

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self._stopped.is_set():
            proc.kill()

    def _run(self) -> None:
        try:
            result: IndexReport | SearchIndexError = build_index(self.site_dir, started=self._started)
        except SearchIndexError as exc:
            result = exc
        if not self._stopped.is_set():
            self._done(result)

    def stop(self) -> None:
        self._stopped.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self._thread.join(timeout=30)


#: in the bundle: the words of the indexed pages, most used first, for the search page's "did you mean" when a query
#: finds nothing ("chronolgy" -> "chronology"); fetched only then
WORDS = "rs-words.json"
# Latin letters, accented ones included, of lower-cased text: half the time of `[^\W\d_]` (a Unicode class
# complement), which showed at 1 ms a page in the build (bench/README.md, "Issue 24", the word list)
_WORD = re.compile(r"[a-z\u00df-\u024f]{4,}")


def write_words(bundle: Path) -> list[str]:
    """Write WORDS: every word of four letters or more in the indexed text (Pagefind's fragments: the text it
    indexed, so nothing the index leaves out), lower-cased, most frequent first, then in alphabetical order."""
    counts: Counter[str] = Counter()
    fragments = bundle / "fragment"
    for fragment in sorted(fragments.iterdir()) if fragments.is_dir() else []:
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        counts.update(_WORD.findall(str(record.get("content", "")).lower()))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    (bundle / WORDS).write_text(json.dumps(words, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return words


def write_filter_values(bundle: Path) -> dict[str, list[str]]:
    """Write FILTER_VALUES into the (stabilised) bundle: each filter's values as the index holds them, sorted."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    values: dict[str, set[str]] = {}
    for info in entry.get("languages", {}).values():
        meta = read_chunk(bundle / f"pagefind.{info['hash']}.pf_meta")
        if not isinstance(meta, list) or len(meta) <= META_FILTERS:
            raise BundleFormatError(f"pagefind.{info['hash']}.pf_meta: not the metadata layout of Pagefind 1.5")
        for name, chunk_hash in meta[META_FILTERS]:
            _name, pairs = read_chunk(bundle / "filter" / f"{chunk_hash}.pf_filter")
            values.setdefault(name, set()).update(value for value, _pages in pairs)
    out = {name: sorted(values[name]) for name in sorted(values)}
    (bundle / FILTER_VALUES).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return out
