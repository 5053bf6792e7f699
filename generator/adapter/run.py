"""One build, from `on_config` to its end: the lock and the count of warnings, the staging folder, the pages'
Markdown converted ahead, the search index begun before the pages are written, the compressed copies, and the
swap that publishes the site. `close()` lets every part of it go, whatever happened; it is safe to call again.

A `mkdocs serve` rebuild is a run too: not atomic, no search pages; its index is built in the background
(`ServeState`, which lasts across rebuilds)."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.adapter.config import ReportSiteConfig
from generator.adapter.prerender import Prerenderer, cache_root, open_prerenderer
from generator.adapter.site import PreparedSite
from generator.base.memo import Memo
from generator.base.pool import can_fork, default_workers
from generator.model.layout import CONTENT_DIR
from generator.model.load import LoadCache
from generator.output.cache import DiskCache
from generator.output.compress import precompress
from generator.output.pagefind import IndexReport, SearchIndexError
from generator.output.publish import (
    BuildLock,
    PublishError,
    WarningCounter,
    clean_leftovers,
    commit,
    describe_os_error,
    discard,
    search_pages_dir,
    staging_dir,
)
from generator.output.search_bundles import BackgroundIndex, build_index
from generator.output.search_pages import SearchPages, region_template
from generator.output.spool import Spool
from generator.render.render import MemoryBytecodeCache
from generator.render.sanitize import sanitize_html
from generator.render.search_entries import PageSearch

log = get_plugin_logger(__name__)


class BuildRun:
    """One build's resources, each opened by one step and let go by `close()`."""

    def __init__(self, options: ReportSiteConfig, command: str, dirty: bool) -> None:
        self.options, self.command, self.dirty = options, command, dirty
        self.workers = options.workers or default_workers()
        self.atomic = options.atomic and command in ("build", "gh-deploy") and not dirty
        self.site_dir: Path | None = None
        """The published site, while an atomic build writes into `staging` beside it."""
        self.staging: Path | None = None
        self.lock: BuildLock | None = None
        self.warnings: WarningCounter | None = None
        self.prerender: Prerenderer | None = None
        self.search_pages: SearchPages | None = None
        self.page_search: tuple[str, PageSearch | None] | None = None
        """The page the theme is rendering, and what it gives the index (for the check of its search page)."""
        self.spool: Spool | None = None
        """Each converted page's HTML, from its conversion until the theme renders it (`let_go`); None: held by MkDocs."""

    def begin(self, config: MkDocsConfig) -> None:
        """First thing in a build: the project's layout; then, for an atomic build, count warnings (for --strict),
        take the lock, remove what killed builds left."""
        project = Path(config.config_file_path).parent
        if Path(config.docs_dir).resolve() != (project / CONTENT_DIR).resolve():  # the check reads content/, whatever mkdocs.yml says
            raise PluginError(f"docs_dir is {config.docs_dir}: this site's pages are in {CONTENT_DIR}/ beside mkdocs.yml; "
                              f"write 'docs_dir: {CONTENT_DIR}' in mkdocs.yml")
        if not self.atomic:
            return
        self.site_dir = Path(config.site_dir)
        self.warnings = WarningCounter()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        lock = BuildLock(self.site_dir)
        try:
            lock.acquire()
        except PublishError as exc:
            raise PluginError(str(exc)) from None
        self.lock = lock
        for path in clean_leftovers(self.site_dir):
            log.info(f"removed {path.name}, left by a build that was stopped")

    def stage(self, config: MkDocsConfig) -> None:
        """The site is prepared: MkDocs writes into a staging folder beside the published site from here on."""
        if self.site_dir is not None:
            self.staging = staging_dir(self.site_dir)
            config.site_dir = str(self.staging)

    def convert(self, config: MkDocsConfig, files: Files, site: PreparedSite) -> None:
        """The file list is final: convert generated pages' Markdown in parallel, or take it from the cache (and, for
        the search index begun now, the hand-written pages it reads)."""
        self.prerender = open_prerenderer(config, self.options.cache_dir, self.options.workers, sanitize_html)
        if self.prerender is None:
            return
        pages = self._open_search_pages(config, files, site)
        if pages is None:
            self.prerender.prepare(config, files, site.generated)
            return
        # Hand-written indexed pages are converted ahead too, every build (their fragments come from the data, which
        # their cache key does not hold): every search page is then known before the page loop.
        handwritten = [f.src_uri for f in files.documentation_pages() if not f.generated_by and f.dest_uri in pages.numbers]
        answers = self.prerender.prepare(config, files, site.generated + handwritten, after=partial(search_page, site, pages),
                                         fresh=set(handwritten))
        pages.expected.update(answers.values())
        for file in files.documentation_pages():  # pages from the cache: their search pages are made here
            if file.dest_uri in pages.numbers and file.dest_uri not in pages.expected:
                entry = self.prerender.entry_of(file.src_uri)
                answer = search_page(site, pages, file, entry["page_title"], entry["clean"]) if entry and "page_title" in entry else None
                if answer is not None:
                    pages.expected[answer[0]] = answer[1]
        missing = pages.missing()
        if missing:  # a page the workers could not convert (MkDocs will): index the finished site instead
            log.info(f"search: {len(missing)} pages not converted ahead (first {missing[0]}); Pagefind indexes the finished site")
            pages.dispose()
            return
        try:
            pages.arrange()
            pages.start(cache_root(config, self.options.cache_dir))
        except (OSError, SearchIndexError) as exc:
            pages.dispose()
            raise PluginError(f"{exc}\nnothing was published; site/ is untouched") from None
        self.search_pages = pages

    def _open_search_pages(self, config: MkDocsConfig, files: Files, site: PreparedSite) -> SearchPages | None:
        """The folder of search pages for this build (search_pages.py), where it can be made: a whole build
        (`mkdocs build`, atomic) indexed by the command line, with Markdown workers."""
        prerender = self.prerender
        if (site.search_url is None or self.staging is None or self.site_dir is None or prerender is None
                or prerender.workers < 2 or prerender.fingerprint is None or not can_fork()):
            return None
        try:
            template = region_template(list(config.theme.dirs))
        except jinja2.TemplateNotFound as exc:
            log.info(f"search: the theme has no {exc}; Pagefind indexes the finished site")
            return None
        indexed = [f.dest_uri for f in files.documentation_pages() if site.indexes(f)]
        # An HTML file published as it is, that speaks to Pagefind, is indexed as it is
        as_is = {f.dest_uri: f for f in files.media_files() if f.dest_uri.endswith(".html") and b"data-pagefind" in f.content_bytes}
        if not indexed:
            return None
        # Beside the staged site, so its bundle moves in by a rename; a killed build's is removed with its staging folder
        pages = SearchPages.create(search_pages_dir(self.site_dir), template, config.site_name, indexed + list(as_is))
        for path, file in as_is.items():
            pages.put_file(path, file.content_bytes)
        return pages

    def hold_pages_lightly(self, config: MkDocsConfig) -> None:
        """From `on_nav`, when no other plugin reads pages after MkDocs converts them (`reads_pages_later`): each page's
        Markdown and HTML are let go once converted, the HTML kept in a spool file until the theme renders the page."""
        self.spool = Spool(Path(config.site_dir).parent)
        log.debug("pages: each page's Markdown let go once converted, and its HTML put aside until it is written")

    def let_go(self, page: Page, html: str) -> str:
        """A page's final HTML (`on_page_content`, after every change to it): put aside until the theme renders the
        page (`take_back`), and its Markdown let go. MkDocs converts every page before it writes the first, and would
        hold them all (bench/README.md, "Memory at 3,000 reports"). What MkDocs keeps meanwhile is an empty string."""
        if self.spool is None:
            return html
        self.spool.put(page.file.src_uri, html)
        page.markdown = ""  # not None: MkDocs' `Page.title` reads None as a page not read yet
        if page.file.generated_by:  # the Markdown the plugin gave MkDocs (File.generated), read once by read_source
            page.file.content_string = ""
        return ""

    def take_back(self, page: Page) -> None:
        """`on_page_context`, before the theme renders the page: its HTML, as `let_go` put it aside."""
        if self.spool is not None and page.file.src_uri in self.spool:
            page.content = self.spool.take(page.file.src_uri)

    def written(self, page: Page) -> None:
        """`on_post_page`, the page written: its HTML let go again (the anchors MkDocs checks after the page loop are
        kept apart from it: `present_anchor_ids`)."""
        if self.spool is not None:
            page.content = ""

    def install(self, page: Page) -> None:
        if self.prerender is not None:
            self.prerender.install(page)

    def clean(self, page: Page, html: str) -> str:
        """nh3, done by the workers and kept with the cached conversion when there is one."""
        return self.prerender.cleaned_html(page, html) if self.prerender is not None else sanitize_html(html)

    def page_written(self, page: Page, output: str, site: PreparedSite) -> None:
        """The page as written must hold its search page's region, and no more; the next bundle of the index is
        started once the one before is done."""
        if self.search_pages is None:
            return
        self.search_pages.poll()
        entry = self.page_search[1] if self.page_search is not None and self.page_search[0] == page.file.src_uri else None
        region = self.search_pages.region(page.content or "", page.title, entry) if entry is not None else None
        if output.strip():
            self.search_pages.check(page.file.dest_uri, region, output)
        else:
            self.search_pages.written(page.file.dest_uri)

    def template_written(self, template_name: str, output: str) -> None:
        if self.search_pages is not None and template_name.endswith(".html"):  # 404.html: Pagefind would read it
            self.search_pages.check_template(template_name, output)

    def finish(self, config: MkDocsConfig, serve: ServeState) -> None:
        """Every page is written: the search index, the compressed copies, then the staged site replaces the
        published one (or, under --strict with warnings, is discarded)."""
        if self.prerender is not None:
            self.prerender.close(complete=True)
            self.prerender = None
        site_dir = Path(config.site_dir)
        if self.options.search and self.command == "serve":
            # The edited page is served now; search follows when Pagefind is done (most of a serve rebuild).
            serve.index_in_background(site_dir, cache_root(config, self.options.cache_dir))
        elif self.options.search:
            try:
                log.info(self._write_index(site_dir, cache_root(config, self.options.cache_dir)))
            except SearchIndexError as exc:
                raise PluginError(f"{exc}\nnothing was published; site/ is untouched") from None
        if self.options.precompress and self.command != "serve":
            self._precompress(config, site_dir)
        if self.staging is None or self.site_dir is None:
            return
        warnings = self.warnings.count if self.warnings is not None else 0
        self._stop_counting()
        staging, self.staging = self.staging, None
        config.site_dir = str(self.site_dir)
        try:
            if config.strict and warnings:
                discard(staging)  # MkDocs will now abort: keep the published site as it was
                log.info(f"--strict: {warnings} warning(s); {self.site_dir} left unchanged")
            else:
                commit(staging, self.site_dir)
        except OSError as exc:
            _discard_quietly(staging)
            raise PluginError(describe_os_error(exc, self.site_dir)) from None

    def _write_index(self, site_dir: Path, cache: Path | None) -> str:
        """The search index into the staged site: Pagefind's run over the search pages, begun before the page loop, or
        its command line over the finished site; a line for the log."""
        if self.search_pages is not None:
            pages, self.search_pages = self.search_pages, None
            try:
                unchecked = pages.unchecked()
                problem = pages.problem or (f"{len(unchecked)} pages were not written (first {unchecked[0]})" if unchecked else None)
                if problem is None:
                    report, waited = pages.finish(site_dir)
                    return (f"search: {report.pages} pages indexed in {report.seconds:.2f} s, begun before MkDocs wrote the "
                            f"pages; the build waited {waited:.2f} s for it ({_bundles(report)})")
                log.info(f"search: the index begun before the pages is dropped: {problem}; Pagefind indexes the finished site")
            finally:
                pages.dispose()
        # Beside the staged site, where a killed build's is removed with the search pages' (publish.leftovers)
        work = search_pages_dir(self.site_dir) if self.site_dir is not None else None
        report = build_index(site_dir, cache_root=cache, work=work)
        return f"search: {report.pages} pages indexed in {report.seconds:.2f} s ({_bundles(report)})"

    def _precompress(self, config: MkDocsConfig, site_dir: Path) -> None:
        """Compressed copies, in worker processes; with the build cache, unchanged files' copies come from it."""
        root = cache_root(config, self.options.cache_dir)
        store = DiskCache(root, "compressed") if root is not None else None
        reused, compressed = precompress(site_dir, store, self.workers)
        log.info(f"compressed copies (.gz, .br): {reused} from the cache, {compressed} compressed")
        if store is not None:
            store.prune(store.used)

    def close(self) -> None:
        """Let everything go that the run still holds (after an error, or the end of `mkdocs serve`)."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None
        if self.search_pages is not None:
            self.search_pages.dispose()
            self.search_pages = None
        if self.prerender is not None:
            self.prerender.close(complete=False)
            self.prerender = None
        self._stop_counting()
        if self.staging is not None:
            _discard_quietly(self.staging)
            self.staging = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _stop_counting(self) -> None:
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None


class ServeState:
    """What lasts across the rebuilds of one `mkdocs serve` (and through the one build of `mkdocs build`): parsed
    files, compiled templates (ours and the theme's), and the search index of the last rebuild, still being built."""

    def __init__(self) -> None:
        self.load_cache = LoadCache()  # unchanged files are not parsed again (used by serve only: a build frees them)
        self.memo = Memo()  # nor are their texts checked again
        self.templates = MemoryBytecodeCache()
        self.background_index: BackgroundIndex | None = None

    def index_in_background(self, site_dir: Path, cache: Path | None) -> None:
        self.stop_index()
        self.background_index = BackgroundIndex(site_dir, _report_index, cache).start()

    def stop_index(self) -> None:
        """A rebuild empties the folder it writes into; the serve session ends."""
        if self.background_index is not None:
            self.background_index.stop()
            self.background_index = None


def search_page(site: PreparedSite, pages: SearchPages, file: File, title: str | None, clean: str) -> tuple[str, str] | None:
    """Write the search page of `file` from its converted HTML (in a Markdown worker, or here); (site path, digest),
    None for a page the index does not hold."""
    path = file.dest_uri
    if path not in pages.numbers:
        return None
    return path, pages.put(path, pages.region(site.content(clean, file), title, site.search_entry(file, title)))


def raise_described(error: Exception, site_dir: Path | str) -> None:
    """A build error as readers get it, never a traceback: an OS error with what to do, anything unexpected with its
    name and the fact that the site was left as it was. MkDocs' own errors it reports itself."""
    if isinstance(error, OSError):
        raise PluginError(describe_os_error(error, Path(site_dir))) from None
    if not isinstance(error, MkDocsException):
        # MkDocs has logged the page it was reading; a reader gets that and this.
        raise PluginError(f"the build stopped: {type(error).__name__}: {str(error)[:300]}; {site_dir} was left as it was") from None


def _report_index(result: IndexReport | SearchIndexError) -> None:
    """What a background index (serve) ended with, in the serve log."""
    if isinstance(result, SearchIndexError):
        log.error(f"{result}\nthe pages are served; search is unavailable until the next rebuild")
    else:
        log.info(f"search: {result.pages} pages indexed in {result.seconds:.2f} s (after the pages, in the background; "
                 f"{_bundles(result)})")


def _bundles(report: IndexReport) -> str:
    return f"{report.bundles} bundles, {report.indexed} indexed, {report.bundles - report.indexed} unchanged"


def _discard_quietly(path: Path) -> None:
    """Remove a staging folder if possible; what is left is removed by the next build."""
    try:
        discard(path)
    except OSError:
        pass

