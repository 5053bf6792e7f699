"""The site's search index as several Pagefind bundles, merged in the browser; a rebuild indexes only the bundles
whose pages changed.

Pagefind has no incremental mode: one run indexes every page it is given, and holds about 0.8 MB a page while it does
(bench/README.md). So the index is split: each indexed page names its bundle (`data-rs-bundle` on its
`data-pagefind-body` region, from render/search_entries.py: the pages about one area together in one of a few area
bundles, every other page in one site bundle), and Pagefind's command line runs once per bundle, over a folder that
holds that bundle's pages only (hard links to them, made in one fixed order), writing `pagefind/<bundle>/`. The
search page loads the first bundle and merges the others (Pagefind's `mergeIndex`, its multisite search).

A bundle's key is a hash of its pages (paths and bytes), Pagefind's version and options and this package's source.
With the build cache, each bundle is kept under its key, with what the site-wide files need of it (`BundleFacts`):
a rebuild runs Pagefind only over the bundles whose key is new and takes the others as they were, file for file, so
their names do not change and browsers keep what they fetched. A cold and a warm build write the same files.

Bundles are indexed one after another (memory: the largest bundle's), each started by the thread that started this
(Pagefind then dies with the build: pool.die_with_parent), so `poll()` is called as pages are written, to start the
next bundle once one is done.

Beside the bundles, in `pagefind/`, the files the search page reads for all of them: BUNDLES (the bundles' folders,
the first loaded first: only its script and wasm are published, see LOADERS), FILTER_VALUES (each filter's values,
for the selects), WORDS (for "did you mean") and ORDER (the dated pages newest first: Pagefind sorts within each
bundle only).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from generator.output.cache import environment_fingerprint, key
from generator.output.pagefind import (
    BUNDLE_DIR,
    EXCLUDE_SELECTORS,
    PAGEFIND_NICE,
    BundleFacts,
    IndexReport,
    PagefindRun,
    SearchIndexError,
    bundle_facts,
    pagefind_executable,
    sort_date,
)
from generator.output.pagefind_stable import BundleFormatError

#: in `pagefind/`: the bundles' folder names, in the order the search page loads them
BUNDLES = "rs-bundles.json"
#: in `pagefind/`: every filter's values, {name: [value, ...]}, read from the bundles themselves. The search page builds
#: its selects from this small file instead of Pagefind's `filters()`, which fetches every filter chunk (each lists
#: the pages of each value, so they grow with the site) before the first query; Pagefind then fetches a filter's
#: chunk only when a reader filters by it.
FILTER_VALUES = "rs-filter-values.json"
#: in `pagefind/`: the words of the indexed pages, most used first, for the search page's "did you mean" when a query
#: finds nothing ("chronolgy" -> "chronology"); fetched only then
WORDS = "rs-words.json"
#: in `pagefind/`: the ids of the pages with a date, newest first (then by address), for a search by filters only,
#: listed newest first across bundles; fetched only then
ORDER = "rs-order.json"
#: the bundle of an indexed page that names none (an HTML file of content/ that speaks to Pagefind)
DEFAULT_BUNDLE = "site"
#: the build cache's folder of bundles (under the cache root)
CACHE_FOLDER = "search-bundles"
#: what the search page loads from the first bundle only (a merged bundle uses the first one's script and wasm)
LOADERS = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")
_BODY = b"data-pagefind-body"
_BUNDLE = re.compile(rb'data-pagefind-body data-rs-bundle="([a-z0-9-]+)"')
_NAME = re.compile(r"[a-z0-9-]+")  # no "_": a page's id is "<bundle>_<Pagefind's id>" (pagefind_stable.name_pages)


def walk_order(paths: list[str]) -> list[str]:
    """Site paths (`a/b/index.html`) in the order of a walk of the site that lists each folder's entries sorted by name
    (files and folders together, each folder's contents right after its name), as Pagefind's walk would over folders
    that list their entries sorted."""
    return sorted(paths, key=lambda p: PurePosixPath(p).parts)


@dataclass(frozen=True)
class IndexedPage:
    """What the index needs of a page it holds, read once: not its HTML, which would be held for the whole build
    (a page's search region is its content: 156 MiB at 3,000 reports, bench/README.md, "Memory at 3,000 reports")."""

    bundle: str
    digest: bytes
    """a hash of the page's bytes (with the paths, a bundle's cache key)"""
    date: str | None
    """its date sort key (`pagefind.sort_date`)"""


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """Site path -> every page of `site` Pagefind would index (it has a data-pagefind-body region), outside the
    bundle folder."""
    out = {}
    for root, dirs, files in os.walk(site):
        if Path(root) == site:  # the index itself, and the folder it is made in (BundledIndex.work)
            dirs[:] = [d for d in dirs if d != BUNDLE_DIR and not d.startswith(f".{BUNDLE_DIR}")]
        for name in files:
            if name.endswith(".html"):
                path = Path(root, name)
                html = path.read_bytes()
                if _BODY in html:
                    digest = hashlib.sha256(len(html).to_bytes(8, "little") + html).digest()
                    out[path.relative_to(site).as_posix()] = IndexedPage(bundle_of(html), digest, sort_date(html))
    return out


def bundle_of(html: bytes) -> str:
    match = _BUNDLE.search(html)
    return match.group(1).decode() if match else DEFAULT_BUNDLE


@dataclass
class Bundle:
    name: str
    pages: dict[str, str | None]
    """site path -> its date sort key, in walk order"""
    key: str = ""
    facts: BundleFacts | None = None
    cached: Path | None = None
    """the bundle's folder in the cache, when it is there"""


def _tool_fingerprint(executable: Path) -> str:
    try:
        version = metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        version = "-"
    try:
        stat = executable.stat()
        where = f"{executable}\0{stat.st_size}\0{stat.st_mtime_ns}"
    except OSError:
        where = str(executable)
    return key(environment_fingerprint(), version, where, *EXCLUDE_SELECTORS)


@dataclass
class BundledIndex:
    """The index of the pages in `source` (site paths), as bundles in `output/<bundle>/` and the site-wide files in
    `output`; `work` is a scratch folder (removed by `dispose`). `cache_root`: the build cache's folder, or None."""

    source: Path
    output: Path
    work: Path
    cache_root: Path | None = None
    executable: Path | None = None
    nice: int = 0
    bundles: list[Bundle] = field(default_factory=list)
    queue: list[Bundle] = field(default_factory=list)
    run: PagefindRun | None = None
    running: Bundle | None = None
    started: float = 0.0
    stopped: bool = False
    error: SearchIndexError | None = None
    indexed: int = 0
    """bundles Pagefind indexed (the others came from the cache)"""
    lock: int | None = None
    """A shared lock on the cache while this build reads and writes it: another build of the same project (a
    `mkdocs serve` beside a `mkdocs build`) then never prunes a cached bundle this one is copying from."""

    def start(self) -> BundledIndex:
        """Read the pages, key each bundle, and start Pagefind over the first bundle not in the cache."""
        self.started = time.perf_counter()
        exe = self.executable or pagefind_executable()
        self.executable = exe
        tool = _tool_fingerprint(exe)
        if self.work.exists():
            shutil.rmtree(self.work)
        self.lock = _shared_lock(self.cache_root)
        grouped: dict[str, dict[str, IndexedPage]] = {}
        pages = indexed_pages(self.source)
        for path in walk_order(list(pages)):
            grouped.setdefault(pages[path].bundle, {})[path] = pages[path]
        for name in sorted(grouped):
            if not _NAME.fullmatch(name):
                raise SearchIndexError(f"search: a page names the bundle {name!r}; a bundle's name is letters, digits and '-'")
            bundle = Bundle(name, {path: page.date for path, page in grouped[name].items()})
            digest = hashlib.sha256()
            for path, page in grouped[name].items():
                digest.update(len(path).to_bytes(8, "little") + path.encode() + page.digest)
            bundle.key = key(tool, name, digest.hexdigest())
            self.bundles.append(bundle)
            self._from_cache(bundle)
        self.queue = [b for b in self.bundles if b.facts is None]
        self.work.mkdir(parents=True)
        self.poll()
        return self

    def _from_cache(self, bundle: Bundle) -> None:
        if self.cache_root is None:
            return
        folder = self.cache_root / CACHE_FOLDER / bundle.key
        try:
            facts = BundleFacts.from_json(json.loads((folder / "facts.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            return
        if (folder / "bundle" / "pagefind-entry.json").is_file():
            bundle.facts, bundle.cached = facts, folder / "bundle"

    def poll(self) -> bool:
        """Start the next bundle once the one being indexed is done; True when every bundle is indexed (or one
        failed: `wait` says why)."""
        if self.stopped or self.error is not None:
            return True
        try:
            if self.run is not None and self.run.done():
                self._finish_run(0)
            if self.run is None and self.queue:
                self._start_run(self.queue.pop(0))
        except SearchIndexError as exc:
            self.error = exc
            return True
        return self.run is None and not self.queue

    def _start_run(self, bundle: Bundle) -> None:
        pages = self.work / "pages" / bundle.name
        made: set[Path] = set()
        for path in reversed(bundle.pages):  # newest entry first on tmpfs: Pagefind then numbers them in path order
            target = pages / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            _link_or_copy(self.source / path, target)
        self.running = bundle
        self.run = PagefindRun(pages, self.work / "bundles" / bundle.name, self.executable, nice=self.nice, name=bundle.name)

    def _finish_run(self, timeout: float) -> None:
        run, bundle = self.run, self.running
        assert run is not None and bundle is not None
        try:
            run.wait(timeout)
        finally:
            self.run = self.running = None
        self.indexed += 1
        try:
            bundle.facts = bundle_facts(run.bundle, bundle.pages)
        except (BundleFormatError, OSError, ValueError, KeyError, TypeError) as exc:
            raise SearchIndexError(f"search: could not read back Pagefind's index of {run.source}: {exc}") from None
        shutil.rmtree(self.work / "pages" / bundle.name, ignore_errors=True)
        self._store(bundle, run.bundle)

    def _store(self, bundle: Bundle, folder: Path) -> None:
        """Keep a bundle just indexed in the cache (whole or not at all: written aside, then renamed)."""
        if self.cache_root is None or bundle.facts is None:
            return
        final = self.cache_root / CACHE_FOLDER / bundle.key
        temp = final.with_name(f".{bundle.key}.{os.getpid()}.tmp")
        try:
            shutil.rmtree(temp, ignore_errors=True)
            _copy_tree(folder, temp / "bundle")
            (temp / "facts.json").write_text(json.dumps(bundle.facts.as_json(), ensure_ascii=False), encoding="utf-8")
            if final.exists():
                shutil.rmtree(final)
            os.replace(temp, final)
            bundle.cached = final / "bundle"
        except OSError:
            shutil.rmtree(temp, ignore_errors=True)  # no cache entry: the next build indexes this bundle again

    def wait(self, timeout: float = 600) -> IndexReport:
        """Index the bundles still to do, then put every bundle and the site-wide files into `output`."""
        deadline = time.monotonic() + timeout
        while not self.poll():
            if self.run is not None:
                self._finish_run(deadline - time.monotonic())
        if self.error is not None:
            raise self.error
        if self.stopped:
            raise SearchIndexError("search: the index was stopped")
        self._install()
        pages = sum(len(b.pages) for b in self.bundles)
        return IndexReport(pages, time.perf_counter() - self.started, len(self.bundles), self.indexed)

    def _install(self) -> None:
        try:
            if self.output.exists():
                shutil.rmtree(self.output)
            self.output.mkdir(parents=True)
            for i, bundle in enumerate(self.bundles):
                fresh = self.work / "bundles" / bundle.name
                if fresh.is_dir():
                    os.replace(fresh, self.output / bundle.name)
                else:
                    assert bundle.cached is not None
                    _copy_tree(bundle.cached, self.output / bundle.name)
                if i:  # the cache keeps them (with hard links, removing the name here leaves the cache's)
                    for name in LOADERS:
                        (self.output / bundle.name / name).unlink(missing_ok=True)
            write_site_files(self.output, [(b.name, b.facts) for b in self.bundles if b.facts is not None])
        except OSError as exc:
            raise SearchIndexError(f"search: could not write the index into {self.output}: {exc}") from None
        if self.cache_root is not None and self.lock is not None and _only_user(self.lock):
            prune(self.cache_root / CACHE_FOLDER, {b.key for b in self.bundles})
        self._unlock()

    def _unlock(self) -> None:
        if self.lock is not None:
            os.close(self.lock)  # closing the descriptor releases its lock
            self.lock = None

    def kill(self) -> None:
        self.stopped = True
        if self.run is not None:
            self.run.kill()
            self.run = self.running = None

    def dispose(self) -> None:
        self.kill()
        self._unlock()
        shutil.rmtree(self.work, ignore_errors=True)


def write_site_files(output: Path, bundles: list[tuple[str, BundleFacts]]) -> None:
    """BUNDLES, FILTER_VALUES, WORDS and ORDER for all the bundles together."""
    values: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    dated: list[tuple[str, str, str]] = []
    for _name, facts in bundles:
        for name, vals in facts.filters.items():
            values.setdefault(name, set()).update(vals)
        counts.update(facts.words)
        dated += facts.dates
    files = {
        BUNDLES: [name for name, _facts in bundles],
        FILTER_VALUES: {name: sorted(values[name]) for name in sorted(values)},
        WORDS: sorted(counts, key=lambda w: (-counts[w], w)),
        ORDER: [page for _date, _url, page in sorted(dated, key=lambda d: (_descending(d[0]), d[1]))],
    }
    for name, value in files.items():
        (output / name).write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text) + (0,)


def _shared_lock(cache_root: Path | None) -> int | None:
    """A shared lock on the bundle cache (None without a cache, or where the filesystem has no locks)."""
    if cache_root is None:
        return None
    try:
        (cache_root / CACHE_FOLDER).mkdir(parents=True, exist_ok=True)
        fd = os.open(cache_root / CACHE_FOLDER / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return None
    return fd


def _only_user(fd: int) -> bool:
    """Whether no other build holds the cache: the shared lock becomes exclusive without waiting (then pruning is
    safe), else the unused bundles wait for a build that uses the cache alone."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the cached bundles this build did not use."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in keep and path.name != ".lock" and not path.name.endswith(f".{os.getpid()}.tmp"):
            shutil.rmtree(path, ignore_errors=True)


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _copy_tree(src: Path, dest: Path) -> None:
    """A copy of `src` made of hard links where the filesystem allows (files of a bundle are never changed in place)."""
    shutil.copytree(src, dest, copy_function=lambda s, d: _link_or_copy(Path(s), Path(d)))


def build_index(site_dir: Path, executable: Path | None = None, cache_root: Path | None = None, work: Path | None = None) -> IndexReport:
    """Index the built site in `site_dir` into `site_dir/pagefind/` (replacing an older index), bundle by bundle.
    `work`: the scratch folder (removed at the end; by default `.pagefind-work` inside `site_dir`).

    Runs offline, with every option given on the command line: no pagefind.yml and no PAGEFIND_* variable from the
    surroundings can change what is indexed."""
    index = BundledIndex(site_dir, site_dir / BUNDLE_DIR, work or site_dir / f".{BUNDLE_DIR}-work", cache_root, executable)
    try:
        index.start()
        return index.wait()
    finally:
        index.dispose()


class BackgroundIndex:
    """The index of a `mkdocs serve` rebuild, built in a thread after the build: the edited page is served at
    once and search catches up a moment later; with the build cache only the bundles whose pages changed are
    indexed. `stop()` ends a run that is still going before the next rebuild empties the folder it writes into."""

    def __init__(self, site_dir: Path, done: Callable[[IndexReport | SearchIndexError], None],
                 cache_root: Path | None = None) -> None:
        self.site_dir = site_dir
        self._done = done
        # Below the preview's priority: it checks the next edit while the index of the last one is being built
        self._index = BundledIndex(site_dir, site_dir / BUNDLE_DIR, site_dir / f".{BUNDLE_DIR}-work", cache_root,
                                   nice=PAGEFIND_NICE)
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="report-site-search-index", daemon=True)

    def start(self) -> BackgroundIndex:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            with self._lock:
                if self._stopped.is_set():
                    return
                self._index.start()
            while True:
                with self._lock:
                    if self._stopped.is_set():
                        return
                    if self._index.poll():
                        break
                time.sleep(0.05)
            with self._lock:
                if self._stopped.is_set():
                    return
                result: IndexReport | SearchIndexError = self._index.wait()
        except SearchIndexError as exc:
            result = exc
        finally:
            with self._lock:
                self._index.dispose()
        if not self._stopped.is_set():
            self._done(result)

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            self._index.kill()
        self._thread.join(timeout=30)

