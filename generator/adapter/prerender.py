"""Markdown -> HTML of generated pages ahead of MkDocs: in a pool of forked workers, and cached on disk.

MkDocs converts every page's Markdown serially in `Page.render`; Python-Markdown is most of a
plain MkDocs build. Once the file list is final (`on_nav`), the workers do, for each generated
page, exactly what MkDocs' `_populate_page` would do short of `on_page_content`: `read_source`,
the `on_page_markdown` events of every plugin, and MkDocs' own `Page.render` with the site's
extensions and configuration. Each result goes into the content-addressed cache, with the links
the page looked up, the log messages the conversion wrote and a hash of the Markdown it converted.

When MkDocs comes to the page, its `render` is replaced (`install`, from `on_pre_page`) by one that
takes the entry if the Markdown MkDocs has now is the one converted and every link target the
conversion looked up is still the same file at the same URL; it then replays the log messages (so
`--strict` counts the same warnings, in the same order). Anything else falls back to MkDocs' own
`render`, whose result is cached in turn. The site is the same byte for byte either way
(tests/test_prerender.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.pages import log as pages_log
from mkdocs.structure.toc import get_toc

from generator.base.pool import can_fork, default_workers, fork_map
from generator.output import cache as disk

log = get_plugin_logger(__name__)


def _signature(file: File | None) -> list[str] | None:
    return None if file is None else [file.src_uri, file.url, file.inclusion.name]


class RecordingFiles:
    """The site's Files, remembering every lookup (a cached page is valid while the answers hold)."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.looked_up: dict[str, list[str] | None] = {}
        self.untracked = False

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path)
        self.looked_up[path] = _signature(found)
        return found

    def __getattr__(self, name: str) -> Any:
        self.untracked = True  # an extension used Files some other way: do not cache this page
        return getattr(self._files, name)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[list[Any]] = []
        self.seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        # Only this thread's records (`mkdocs serve` logs from others), each once (root and "mkdocs").
        if record.thread == self.thread and id(record) not in self.seen:
            self.seen.add(id(record))
            self.records.append([record.name, record.levelno, record.getMessage()])


@contextmanager
def capture_logs(*, silence: bool) -> Iterator[list[list[Any]]]:
    """Record log messages; with `silence` (in a worker) they are only recorded, never printed."""
    capture = _Capture()
    # MkDocs logs under "mkdocs"; ProperDocs under "properdocs" (its "mkdocs" logger is a child of that).
    names = dict.fromkeys(["", "mkdocs", pages_log.name.partition(".")[0]])
    loggers = [logging.getLogger(name or None) for name in names]
    saved = [(lg, lg.handlers[:]) for lg in loggers]
    for lg in loggers:
        if silence:
            lg.handlers = []
        lg.addHandler(capture)
    try:
        yield capture.records
    finally:
        for lg, handlers in saved:
            lg.removeHandler(capture)
            if silence:
                lg.handlers = handlers


def _toc_tokens(items: Any) -> list[dict[str, Any]]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": _toc_tokens(a.children)} for a in items]


def _md_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode()).hexdigest()


def config_fingerprint(config: MkDocsConfig) -> str | None:
    """What the conversion depends on besides the page; None if an extension cannot say what it holds."""
    parts: list[Any] = []
    for ext in config.markdown_extensions:
        if isinstance(ext, str):
            parts.append(ext)
        elif hasattr(ext, "cache_fingerprint"):
            parts.append(f"{type(ext).__module__}.{type(ext).__qualname__}:{ext.cache_fingerprint()}")
        else:
            return None
    parts.append(json.dumps(config.mdx_configs or {}, sort_keys=True, default=repr))
    parts.append(repr(config.use_directory_urls))
    parts.append(repr(sorted((str(k), repr(v)) for k, v in dict(config.validation.links).items())))
    parts.append(repr(pages_log.getEffectiveLevel() > logging.DEBUG))
    return disk.key(disk.environment_fingerprint(), *map(str, parts))


def render_entry(page: Page, config: MkDocsConfig, files: Files, clean: Callable[[str], str]) -> dict[str, Any] | None:
    """MkDocs' own `Page.render` of `page` (Markdown already set), as a cache entry; None if not cacheable."""
    recorder = RecordingFiles(files)
    with capture_logs(silence=False) as records:
        Page.render(page, config, recorder)  # type: ignore[arg-type]  # a stand-in for Files: get_file_from_path recorded, the rest forwarded
    return _entry(page, recorder, records, clean)


def _entry(page: Page, recorder: RecordingFiles, records: list[list[Any]], clean: Callable[[str], str]) -> dict[str, Any] | None:
    if recorder.untracked:
        return None
    links = page.links_to_anchors
    return {
        "md": _md_hash(page.markdown or ""),
        "html": page.content,
        "clean": clean(page.content or ""),
        "toc": _toc_tokens(page.toc),
        "title": page._title_from_render,
        "page_title": page.title,  # what the theme prints where the page has no <h1> (search_pages.py reads it)
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {f.src_uri: anchors for f, anchors in links.items()},
        "logs": records,
        "deps": recorder.looked_up,
    }


def cache_root(config: MkDocsConfig, cache_dir: str) -> Path | None:
    """The build cache's folder (`cache_dir` relative to mkdocs.yml), None without one; never inside docs or site."""
    if not cache_dir:
        return None
    root = (Path(config.config_file_path).parent.resolve() / cache_dir).resolve()
    for name, folder in (("docs_dir", config.docs_dir), ("site_dir", config.site_dir)):
        inside = Path(folder).resolve()
        if root == inside or root.is_relative_to(inside) or inside.is_relative_to(root):
            raise PluginError(f"report-site: cache_dir '{cache_dir}' overlaps {name} '{folder}': "
                              "the cache must be outside both (the default is .cache/report-site)")
    return root


#: The MkDocs versions whose `Page` this module was tested with: it calls `Page.render` in workers and sets what that
#: sets (content, toc, `_title_from_render`, `present_anchor_ids`, `links_to_anchors`), MkDocs' private behaviour.
#: ProperDocs answers `import mkdocs` with its own package (tests/test_properdocs.py).
TESTED = frozenset({("mkdocs", "1.6.1"), ("properdocs", "1.6.7")})


def tested_mkdocs() -> tuple[str, str] | None:
    """None when this MkDocs is one the conversion ahead was tested with; else its (name, version)."""
    import mkdocs

    running = (mkdocs.__name__, str(getattr(mkdocs, "__version__", "?")))
    return None if running in TESTED else running


def open_prerenderer(config: MkDocsConfig, cache_dir: str, workers: int, clean: Callable[[str], str]) -> Prerenderer | None:
    """The build's prerenderer, its entries in `cache_dir` (relative to mkdocs.yml) or, with no cache, a temporary folder;
    None on an MkDocs it was not tested with, which then converts every page itself."""
    untested = tested_mkdocs()
    if untested is not None:
        tested = ", ".join(f"{n} {v}" for n, v in sorted(TESTED))
        log.info(f"pages' Markdown: converted by {untested[0]} {untested[1]} itself, one page at a time (the conversion "
                 f"ahead in worker processes was tested with {tested} only)")
        return None
    temporary = None
    root = cache_root(config, cache_dir)
    if root is None:
        temporary = Path(tempfile.mkdtemp(prefix="report-site-pages-"))
        root = temporary
    # One folder per environment: builds with MkDocs and with ProperDocs do not prune each other's entries.
    store = disk.DiskCache(root, f"pages-{disk.environment_fingerprint()[:16]}")
    return Prerenderer(store, config_fingerprint(config), workers or default_workers(), clean, temporary)


class Prerenderer:
    """One build's prerendered pages: keys by src_uri, and the cache the entries are in."""

    def __init__(self, store: disk.DiskCache, fingerprint: str | None, workers: int, clean: Callable[[str], str],
                 temporary: Path | None = None) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.workers = workers
        self.clean = clean
        """What the plugin's `on_page_content` does to a page's HTML (nh3): done in the workers, kept in the entry."""
        self.temporary = temporary
        self.keys: dict[str, str] = {}
        self.cleaned: dict[str, tuple[str, str]] = {}
        """src_uri -> (HTML, cleaned HTML) of pages this build took from an entry or converted here."""
        self.hits = self.converted = self.fallbacks = 0

    def close(self, *, complete: bool) -> None:
        """After the build: drop entries a complete build did not use; remove a temporary store."""
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
        elif complete:
            self.store.prune(self.store.used)
        log.info(f"pages' Markdown: {self.hits - self.converted} from the cache, "
                 f"{self.converted} converted by {self.workers} worker processes, {self.fallbacks} by MkDocs")

    def page_key(self, file: File) -> str | None:
        if self.fingerprint is None:
            return None
        return disk.key(self.fingerprint, file.src_uri, file.url, file.inclusion.name, file.content_string)

    def prepare(self, config: MkDocsConfig, files: Files, paths: list[str],
                after: Callable[[File, str | None, str], Any] | None = None, fresh: Collection[str] = ()) -> dict[str, Any]:
        """Key every page in `paths`; convert in forked worker processes those not in the cache, and those in `fresh`.

        `after(file, page title, cleaned HTML)` is called in the worker for each page it converts; its answers, by
        src_uri, are returned (pages converted here or taken from the cache have none)."""
        workers = self.workers
        missing: list[File] = []
        for path in paths:
            file = files.get_file_from_path(path)
            if file is None or (k := self.page_key(file)) is None:
                continue
            self.keys[path] = k
            if path in fresh or not self.store.has(k):
                missing.append(file)
        if not missing or workers < 2 or not can_fork() or (len(missing) < 2 and after is None):
            return {}  # converted (and cached) one by one as MkDocs reaches them

        def convert(file: File) -> tuple[bool, Any]:
            page = file.page or Page(None, file, config)
            config._current_page = page
            page.read_source(config)
            assert page.markdown is not None  # read_source sets it (MkDocs' own build asserts the same)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            recorder = RecordingFiles(files)
            with capture_logs(silence=True) as records:
                Page.render(page, config, recorder)  # type: ignore[arg-type]  # the same stand-in for Files
            entry = _entry(page, recorder, records, self.clean)
            page.markdown = page.content = ""  # the worker's copy of the page: not held until the worker ends
            if entry is None:
                return False, None
            self.store.put(self.keys[file.src_uri], entry)
            return True, after(file, entry["page_title"], entry["clean"]) if after is not None else None

        # The longest pages first (the Markdown's length is what its conversion costs), so the workers end together.
        done, failures = fork_map(convert, missing, workers, cost=lambda file: len(file.content_string))
        self.converted += sum(1 for ok, _answer in done.values() if ok)
        for failure in failures:  # MkDocs converts these pages itself, and reports any error then
            log.debug(f"a worker could not convert a page; it is converted in the main process:\n{failure}")
        return {missing[i].src_uri: answer for i, (ok, answer) in done.items() if ok and answer is not None}

    def entry_of(self, path: str) -> dict[str, Any] | None:
        """The cache entry of a page `prepare` keyed (converted this build or an earlier one), if there is one."""
        entry_key = self.keys.get(path)
        entry: dict[str, Any] | None = self.store.get(entry_key) if entry_key is not None else None
        return entry

    def install(self, page: Page) -> None:
        """From `on_pre_page`: MkDocs' `page.render` takes the cached conversion when it is still valid."""
        entry_key = self.keys.get(page.file.src_uri)
        if entry_key is None:
            return

        def render(config: MkDocsConfig, files: Files) -> None:
            entry = self.store.get(entry_key)
            if entry is not None and self._apply(page, entry, files):
                self.hits += 1
                return
            self.fallbacks += 1
            fresh = render_entry(page, config, files, self.clean)
            if fresh is not None:
                self.store.put(entry_key, fresh)
                self.cleaned[page.file.src_uri] = (fresh["html"], fresh["clean"])

        page.render = render  # type: ignore[method-assign]

    def cleaned_html(self, page: Page, html: str) -> str:
        """`clean(html)`, from the entry when `html` is still the HTML the entry was made from."""
        done = self.cleaned.pop(page.file.src_uri, None)
        if done is not None and done[0] == html:
            return done[1]
        return self.clean(html)  # another plugin changed the HTML since, or the page was not prerendered

    def _apply(self, page: Page, entry: dict[str, Any], files: Files) -> bool:
        if entry["md"] != _md_hash(page.markdown or ""):
            return False  # a plugin changed the Markdown since: convert what MkDocs has now
        for path, signature in entry["deps"].items():
            if _signature(files.get_file_from_path(path)) != signature:
                return False  # a link target appeared, went or moved
        links: dict[File, dict[str, str]] = {}
        for src_uri, anchors in (entry["links"] or {}).items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = anchors
        page.content = entry["html"]
        self.cleaned[page.file.src_uri] = (entry["html"], entry["clean"])
        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        if entry["links"] is not None:
            page.links_to_anchors = links
        for name, level, message in entry["logs"]:
            logging.getLogger(name).log(level, message)
        return True

