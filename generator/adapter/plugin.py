"""The MkDocs front end: a thin adapter over load -> validate -> derive -> render.

Everything is prepared in `on_config`, which MkDocs runs before it empties
`site/`, so a build with bad data stops before touching the published site.
Pages are handed over as `File.generated`; nothing is written into the docs tree.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from generator.adapter.prerender import Prerenderer, cache_root, open_prerenderer
from generator.base.pool import can_fork, default_workers
from generator.derive.paths import INDEX_PAGES, SEARCH_PAGE, PageSpec, page_feeds
from generator.derive.site import check_site
from generator.model.accessibility import ResultsError, TestResults, load_results
from generator.model.content_files import FRAGMENTS, escape_meta
from generator.model.layout import CONTENT_DIR, DATA_DIR, NARRATIVE_DIR
from generator.model.load import LoadCache
from generator.model.publisher import CARE_INSPECTORATE, OGL_3, Licence, Publisher, example_address_message, is_example_address
from generator.output.asset_names import asset_names, published_name, wants_hashed_name
from generator.output.cache import DiskCache
from generator.output.compress import precompress
from generator.output.pagefind import BackgroundIndex, IndexReport, SearchIndexError, build_index
from generator.output.publish import BuildLock, PublishError, WarningCounter, clean_leftovers, commit, describe_os_error, discard, search_pages_dir, staging_dir
from generator.output.search_pages import SearchPages, region_template
from generator.render.glossary_links import GlossaryLinkExtension
from generator.render.metadata import INDEX_DESCRIPTIONS, PageMeta, record_meta
from generator.render.opendata import site_files
from generator.render.redirects import redirect_outputs
from generator.render.render import (
    TEMPLATE_SUBDIR,
    MemoryBytecodeCache,
    Renderer,
    TemplateRenderError,
    describe_template_error,
    make_environment,
    make_markup_environment,
    place_home_fragment,
    render_feeds,
    render_pages,
)
from generator.render.sanitize import sanitize_html
from generator.render.search_entries import PageSearch, page_entry, search_entries, search_page_spec
from generator.render.table_captions import TableCaptionExtension

if TYPE_CHECKING:  # for annotations only: `mkdocs build` need not import the live-reload server
    from mkdocs.livereload import LiveReloadServer

    from generator.derive.derive import Derived

log = get_plugin_logger(__name__)

#: Material's own search (lunr, its languages and its worker): published only while its search plugin is on
THEME_SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


class PublisherConfig(base.Config):
    """Who publishes the site. Leave `name` out to use the Care Inspectorate's details (the default);
    a publisher that sets `name` sets the rest too: nothing of the default is mixed in."""

    name = c.Optional(c.Type(str))
    """The publisher, as the footer, the About page, the feeds and the data files name it."""
    url = c.Optional(c.Type(str))
    """The publisher's own website."""
    email = c.Optional(c.Type(str))
    """The address readers write to (footer, About page, accessibility statement)."""
    phone = c.Optional(c.Type(str))
    """The telephone number readers call, as it should be printed."""
    address = c.Optional(c.Type(str))
    """The postal address, on one line."""
    logo = c.Optional(c.Type(str))
    """An image inside docs_dir shown in the header instead of the theme's icon (none by default)."""
    privacy_url = c.Optional(c.Type(str))
    """The publisher's privacy notice; the site's own privacy page links to it."""
    licence_name = c.Type(str, default=OGL_3.name)
    """The licence the text and data are published under."""
    licence_url = c.Type(str, default=OGL_3.url)
    """Where the licence is published."""
    licence_id = c.Type(str, default=OGL_3.spdx)
    """Its identifier in data packages (`OGL-UK-3.0`)."""


class ReportSiteConfig(base.Config):
    templates_dirs = c.ListOfItems(c.Type(str), default=["overrides"])
    """Folders whose report-site/ subfolders hold page templates, searched in order (relative to mkdocs.yml).

    Put a theme's folder first to override single templates or fragments; keep `overrides` last."""
    drafts = c.Choice(("auto", "show", "hide"), default="auto")
    """'auto' shows drafts in `mkdocs serve` only; 'show' and 'hide' force it."""
    nav = c.Type(bool, default=True)
    """Build the navigation from the data (leave mkdocs.yml without `nav:`)."""
    glossary_links = c.Type(bool, default=True)
    """Link the first use of each glossary term on a page to its entry."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace site_dir only after a good build (never with `--dirty`)."""
    cache_dir = c.Type(str, default=".cache/report-site")
    """Folder for the build cache, relative to mkdocs.yml (outside docs_dir and site_dir); safe to delete. Empty: no cache."""
    workers = c.Type(int, default=0)
    """Processes converting generated pages' Markdown to HTML: 0 one per core, 1 none (all in MkDocs' process)."""
    publisher = c.SubConfig(PublisherConfig)
    """Who publishes the site (footer, About page, feeds, data files); the Care Inspectorate by default."""
    precompress = c.Type(bool, default=True)
    """Write .gz and .br copies beside every text file of a build, for hosts that serve them (not in `mkdocs serve`)."""
    example_site_url = c.Choice(("warn", "note"), default="warn")
    """What a build does when site_url is an address reserved for examples (example.org, .test, localhost):
    'warn' (the default: `--strict` fails, so such a site is never published by mistake), or 'note' (one
    line of information) for a site that is built for review before its address is decided.
    `mkdocs gh-deploy` always warns."""
    accessibility_results = c.Type(str, default="accessibility-results.json")
    """The results the accessibility tests record (relative to mkdocs.yml), from which the accessibility statement
    (`report_site: accessibility`) reports compliance and testing; a missing file: the statement says none are recorded."""
    search = c.Type(bool, default=True)
    """Site search: a search page, a link to it in the header, and a Pagefind index built over the site before it is published."""


class ReportSitePlugin(BasePlugin[ReportSiteConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.cache = LoadCache()  # survives `mkdocs serve` rebuilds: unchanged files are not parsed again
        self.compiled_templates = MemoryBytecodeCache()  # ours and the theme's, compiled once per serve session
        self.pages: dict[str, tuple[PageSpec, str]] = {}
        self.glossary_ext: GlossaryLinkExtension | None = None
        self.renderer: Renderer | None = None
        """Alive from on_config to the end of on_files only: it holds every record of the site."""
        self.charts: dict[str, dict[str, str]] = {}
        self.home_fragments: dict[str, str] = {}
        self.feeds: dict[str, list[tuple[str, str]]] = {}
        self.default_feeds: list[tuple[str, str]] = []
        self.draft_pages: set[str] = set()
        self.extra_files: dict[str, str] = {}
        self.dirty = False
        self.staging: Path | None = None
        self.site_dir: Path | None = None
        self.warnings: WarningCounter | None = None
        self.generated: list[str] = []
        self.prerender: Prerenderer | None = None
        self.publisher: Publisher | None = None
        self.template_dirs: list[Path] = []
        self.meta: dict[str, PageMeta] = {}
        self.lock: BuildLock | None = None
        self.search: dict[str, PageSearch] = {}
        """Docs path -> filters and metadata for the index; pages not listed are not indexed."""
        self.search_url: str | None = None
        self.test_results: TestResults | None = None
        self.asset_names: dict[str, str] = {}
        """Our own CSS/JS: path in docs -> content-hashed name in the built site (generator/output/asset_names.py)."""
        self.background_index: BackgroundIndex | None = None
        """`mkdocs serve` only: the last rebuild's search index, still being built."""
        self.search_pages: SearchPages | None = None
        """`mkdocs build`: the search index begun before the pages are written (generator/output/search_pages.py)."""
        self.page_search: tuple[str, PageSearch | None] | None = None
        """The page the theme is rendering, and what it gives the index (for the check of its search page)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._stop_indexing()  # the rebuild empties the folder it writes into
        project = Path(config.config_file_path).parent
        if Path(config.docs_dir).resolve() != (project / CONTENT_DIR).resolve():  # the check reads content/, whatever mkdocs.yml says
            raise PluginError(f"docs_dir is {config.docs_dir}: this site's pages are in {CONTENT_DIR}/ beside mkdocs.yml; "
                              f"write 'docs_dir: {CONTENT_DIR}' in mkdocs.yml")
        atomic = self.config.atomic and self.command in ("build", "gh-deploy") and not self.dirty
        if atomic:
            self._start_publishing(Path(config.site_dir))
        include_drafts = self.config.drafts == "show" or (self.config.drafts == "auto" and self.command == "serve")
        # Parsed files are kept across `mkdocs serve` rebuilds; a one-off build frees them for MkDocs.
        cache = self.cache if self.command == "serve" else None
        workers = self.config.workers or default_workers()
        data, derived, problems = check_site(project, include_drafts=include_drafts, cache=cache, workers=workers)
        for problem in problems.sorted():
            (log.error if problem.severity == "error" else log.warning)(str(problem))
        if derived is None:
            count = len(problems.errors)
            raise PluginError(f"site data has {count} error(s), listed above; nothing was built and site/ is untouched")
        self.publisher = make_publisher(self.config.publisher)
        try:
            self.test_results = load_results(project / self.config.accessibility_results)
        except ResultsError as exc:
            log.error(str(exc))
            raise PluginError("the accessibility test results are unreadable (see above); nothing was built and site/ is untouched") from None
        if self.publisher.is_default:
            log.info("publisher: not set in mkdocs.yml, so the Care Inspectorate's details are used (the default)")
        template_dirs = [project / d for d in self.config.templates_dirs]
        self.template_dirs = template_dirs
        markup_env = make_markup_environment(template_dirs, self.compiled_templates)
        self.renderer = Renderer(derived, make_environment(template_dirs, self.compiled_templates), markup_env,
                                 publisher=self.publisher)
        try:
            self.pages = render_pages(self.renderer, workers)
            if self.config.search:  # the search page: reached from the header, not the nav
                spec = search_page_spec()
                self.pages[spec.path] = (spec, self.renderer.render(spec))
            self.search = search_entries(derived, {p: spec for p, (spec, _md) in self.pages.items()}) if self.config.search else {}
            self.meta = page_meta(derived, [spec for spec, _md in self.pages.values()])
            self.extra_files = site_files(derived, config.site_url, self.publisher)
            self.extra_files.update(render_feeds(derived, markup_env, config.site_url or "/", self.publisher))
            # Moved addresses keep working: a redirect page, or a copy of the data file or feed
            self.extra_files.update(redirect_outputs(derived.data.addresses, self.extra_files, markup_env,
                                                     config.site_url, config.site_name))
        except Exception as exc:  # noqa: BLE001 - a failing template is reported, never a traceback
            if not isinstance(exc, TemplateRenderError):
                exc = TemplateRenderError(describe_template_error(exc, "feeds and data"))
            log.error(str(exc))
            raise PluginError("a page template failed (see above); nothing was built and site/ is untouched") from None
        # a draft's every page (a review's chapters too) says it is a draft
        self.draft_pages = {path for path, (spec, _md) in self.pages.items() if getattr(spec.context.get("pub"), "status", "") == "draft"}
        self.charts = self.renderer.charts
        # Most pages announce only the site-wide feed; partnership pages add their own.
        self.default_feeds = page_feeds(derived, "")
        self.feeds = {path: feeds for path in self.pages if (feeds := page_feeds(derived, path)) != self.default_feeds}
        config.markdown_extensions.append(TableCaptionExtension())  # type: ignore[arg-type]  # templates rely on it; MkDocs types the list as names, Markdown takes instances too
        if self.config.glossary_links:
            self.glossary_ext = GlossaryLinkExtension(list(data.glossary.values()), INDEX_PAGES["glossary"])
            config.markdown_extensions.append(self.glossary_ext)  # type: ignore[arg-type]
        if self.config.nav and not config.nav:
            config.nav = build_nav(self.pages)
        if atomic and self.site_dir is not None:
            self.staging = staging_dir(self.site_dir)
            config.site_dir = str(self.staging)
        check_site_url(config.site_url, self.config.example_site_url, self.command)  # counted: --strict keeps site/
        return config

    def _start_publishing(self, site_dir: Path) -> None:
        """First thing in a build: count warnings (for --strict), take the lock, remove what killed builds left."""
        self.site_dir = site_dir
        self.warnings = WarningCounter()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.lock = BuildLock(site_dir)
        try:
            self.lock.acquire()
        except PublishError as exc:
            self.lock = None
            raise PluginError(str(exc)) from None
        for path in clean_leftovers(site_dir):
            log.info(f"removed {path.name}, left by a build that was stopped")

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # nh3, done by the workers and kept with the cached conversion when there is one
        clean = self.prerender.cleaned_html(page, html) if self.prerender is not None else sanitize_html(html)
        return place_charts(clean, self.charts.get(page.file.src_uri, {}))

    @event_priority(-100)  # last: warnings logged by any other plugin's post_build are counted first
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.prerender is not None:
            self.prerender.close(complete=True)
            self.prerender = None
        compressing = self.config.precompress and self.command != "serve"
        if self.config.search and self.command == "serve":
            # The edited page is served now; search follows when Pagefind is done (most of a serve rebuild).
            self.background_index = BackgroundIndex(Path(config.site_dir), _report_index).start()
        elif self.config.search:
            try:
                log.info(self._write_index(config))
            except SearchIndexError as exc:
                raise PluginError(f"{exc}\nnothing was published; site/ is untouched") from None
        if compressing:
            self._precompress(config)
        if self.staging is None or self.site_dir is None:
            return
        self._stop_counting()
        staging, self.staging = self.staging, None
        config.site_dir = str(self.site_dir)
        try:
            if config.strict and self.warnings and self.warnings.count:
                discard(staging)  # MkDocs will now abort: keep the published site as it was
                log.info(f"--strict: {self.warnings.count} warning(s); {self.site_dir} left unchanged")
            else:
                commit(staging, self.site_dir)
        except OSError as exc:
            _discard_quietly(staging)
            raise PluginError(describe_os_error(exc, self.site_dir)) from None
        finally:
            self._release()

    def _write_index(self, config: MkDocsConfig) -> str:
        """The search index into the staged site: the one fed page by page (`search_order: path`), or Pagefind's
        command line over the finished site (the default, and every --dirty build); a line for the log."""
        if self.search_pages is not None:  # Pagefind has been indexing the search pages since before the page loop
            pages, self.search_pages = self.search_pages, None
            try:
                unchecked = pages.unchecked()
                problem = pages.problem or (f"{len(unchecked)} pages were not written (first {unchecked[0]})" if unchecked else None)
                if problem is None:
                    report, waited = pages.finish(Path(config.site_dir))
                    return (f"search: {report.pages} pages indexed in {report.seconds:.2f} s, begun before MkDocs wrote the "
                            f"pages; the build waited {waited:.2f} s for it")
                log.info(f"search: the index begun before the pages is dropped: {problem}; Pagefind indexes the finished site")
            finally:
                pages.dispose()
        report = build_index(Path(config.site_dir))
        return f"search: {report.pages} pages indexed in {report.seconds:.2f} s"

    def _compressed_store(self, config: MkDocsConfig) -> DiskCache | None:
        root = cache_root(config, self.config.cache_dir)
        return DiskCache(root, "compressed") if root is not None else None

    def _precompress(self, config: MkDocsConfig) -> None:
        """Compressed copies, in worker processes; with the build cache, unchanged files' copies come from it."""
        workers = self.config.workers or default_workers()
        store = self._compressed_store(config)
        reused, compressed = precompress(Path(config.site_dir), store, workers)
        log.info(f"compressed copies (.gz, .br): {reused} from the cache, {compressed} compressed")
        if store is not None:
            store.prune(store.used)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_indexing()
        if self.prerender is not None:
            self.prerender.close(complete=False)
            self.prerender = None
        self._stop_counting()
        if self.staging is not None:
            _discard_quietly(self.staging)
            self.staging = None
        self._release()
        site = self.site_dir or "site/"
        if isinstance(error, OSError):
            raise PluginError(describe_os_error(error, Path(site))) from None
        if not isinstance(error, MkDocsException):
            # MkDocs has logged the page it was reading; a reader gets that and this, never a traceback.
            raise PluginError(f"the build stopped: {type(error).__name__}: {str(error)[:300]}; {site} was left as it was") from None

    def on_shutdown(self) -> None:
        self._stop_indexing()
        self._release()

    def _stop_indexing(self) -> None:
        if self.search_pages is not None:
            self.search_pages.dispose()
            self.search_pages = None
        if self.background_index is not None:
            self.background_index.stop()
            self.background_index = None

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _stop_counting(self) -> None:
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        narrative_prefix = NARRATIVE_DIR + "/"
        theme_search_off = not any(name in config.plugins for name in ("search", "material/search"))
        for file in list(files):
            if file.src_uri.startswith(narrative_prefix):
                files.remove(file)  # narratives are parts of generated pages
            elif theme_search_off and not file.generated_by and file.src_uri.startswith(THEME_SEARCH_ASSETS):
                files.remove(file)  # the theme's own search is off: no page loads its index builder or its languages
            elif file.src_uri.endswith(".map") and not is_referenced_map(file, files):
                files.remove(file)  # a source map its script or style sheet does not name is never fetched
        for path, (spec, markdown) in self.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"content/{path} clashes with a generated page: rename or remove it")
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        for path, content in self.extra_files.items():
            files.append(File.generated(config, path, content=content))
        for file in list(files):
            if not file.generated_by and file.abs_src_path and is_template(Path(file.abs_src_path), self.template_dirs):
                files.remove(file)  # templates are the theme's custom_dir too: not for readers
        self.home_fragments = {}
        search_file = files.get_file_from_path(SEARCH_PAGE) if self.config.search else None
        self.search_url = search_file.url if search_file is not None else None
        for file in files.documentation_pages():
            if not file.generated_by and self.renderer is not None and "report_site" in file.content_string:
                fragment = get_data(file.content_string)[1].get("report_site")
                if fragment in FRAGMENTS:
                    extra = {"results": self.test_results} if fragment == "accessibility" else {}
                    self.home_fragments[file.src_uri] = self.renderer.render_fragment(f"{fragment}.md.j2", file.src_uri, **extra)
        self.generated = list(self.pages)
        self.asset_names = rename_assets(files, config)
        # From here on MkDocs needs only the Markdown, charts and feeds: let the records go (memory at scale).
        self.renderer, self.pages, self.extra_files = None, {}, {}
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # The file list is final: convert generated pages' Markdown in parallel, or take it from the cache (and, for
        # the search index begun now, the hand-written pages it reads).
        self.prerender = open_prerenderer(config, self.config.cache_dir, self.config.workers, sanitize_html)
        pages = self._open_search_pages(config, files)
        if pages is None:
            self.prerender.prepare(config, files, self.generated)
            return nav
        # Hand-written indexed pages are converted ahead too, every build (their fragments come from the data, which
        # their cache key does not hold): every search page is then known before the page loop.
        handwritten = [f.src_uri for f in files.documentation_pages() if not f.generated_by and f.dest_uri in pages.numbers]
        answers = self.prerender.prepare(config, files, self.generated + handwritten, after=partial(self._search_page, pages),
                                         fresh=set(handwritten))
        pages.expected.update(answers.values())
        for file in files.documentation_pages():  # pages from the cache: their search pages are made here
            if file.dest_uri in pages.numbers and file.dest_uri not in pages.expected:
                entry = self.prerender.entry_of(file.src_uri)
                answer = self._search_page(pages, file, entry["page_title"], entry["clean"]) if entry and "page_title" in entry else None
                if answer is not None:
                    pages.expected[answer[0]] = answer[1]
        missing = pages.missing()
        if missing:  # a page the workers could not convert (MkDocs will): index the finished site instead
            log.info(f"search: {len(missing)} pages not converted ahead (first {missing[0]}); Pagefind indexes the finished site")
            pages.dispose()
            return nav
        try:
            pages.arrange()
            pages.start()
        except (OSError, SearchIndexError) as exc:
            pages.dispose()
            raise PluginError(f"{exc}\nnothing was published; site/ is untouched") from None
        self.search_pages = pages
        return nav

    def _open_search_pages(self, config: MkDocsConfig, files: Files) -> SearchPages | None:
        """The folder of search pages for this build (search_pages.py), where it can be made: a whole build
        (`mkdocs build`, atomic, not --dirty) indexed by the command line, with Markdown workers."""
        if (self.search_url is None or self.command not in ("build", "gh-deploy") or self.dirty or self.staging is None
                or self.site_dir is None or self.prerender is None
                or self.prerender.workers < 2 or self.prerender.fingerprint is None or not can_fork()):
            return None
        try:
            template = region_template(list(config.theme.dirs))
        except jinja2.TemplateNotFound as exc:
            log.info(f"search: the theme has no {exc}; Pagefind indexes the finished site")
            return None
        indexed = [f.dest_uri for f in files.documentation_pages() if self._indexes(f)]
        # An HTML file published as it is, that speaks to Pagefind, is indexed as it is
        as_is = {f.dest_uri: f for f in files.media_files() if f.dest_uri.endswith(".html") and b"data-pagefind" in f.content_bytes}
        if not indexed:
            return None
        # Beside the staged site, so its bundle moves in by a rename; a killed build's is removed with its staging folder
        root = search_pages_dir(self.site_dir)
        pages = SearchPages.create(root, template, config.site_name, indexed + list(as_is))
        for path, file in as_is.items():
            pages.put_file(path, file.content_bytes)
        return pages

    def _search_page(self, pages: SearchPages, file: File, title: str | None, clean: str) -> tuple[str, str] | None:
        """Write the search page of `file` from its converted HTML (in a Markdown worker, or here); (site path, digest),
        None for a page the index does not hold."""
        path = file.dest_uri
        if path not in pages.numbers:
            return None
        content = place_charts(clean, self.charts.get(file.src_uri, {}))
        entry = self._search_entry(file, title)
        return path, pages.put(path, pages.region(content, title, entry))

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.prerender is not None:
            self.prerender.install(page)
        return page

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not page.file.generated_by:
            escape_meta(page.meta)  # the theme prints front matter as HTML; the check allowed only plain keys
        if self.glossary_ext is not None:
            self.glossary_ext.page_path = page.file.src_uri
        if page.meta.get("report_site") == "home" and page.file.src_uri in self.home_fragments:
            return place_home_fragment(markdown, self.home_fragments[page.file.src_uri])
        if page.meta.get("report_site") in FRAGMENTS and page.file.src_uri in self.home_fragments:
            return markdown + "\n\n" + self.home_fragments[page.file.src_uri]
        return markdown

    def on_page_context(self, template_context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        # MkDocs' TemplateContext lists only its own keys; a plugin adds its own (MkDocs' docs for this event)
        values = self.page_values(page, config)
        cast("dict[str, Any]", template_context).update(values)
        self.page_search = (page.file.src_uri, values["report_site_search"])
        return template_context

    def page_values(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """What this plugin gives the theme's templates for `page`."""
        values: dict[str, Any] = {}
        values["report_site_draft"] = page.file.src_uri in self.draft_pages
        values["report_site_feeds"] = self.feeds.get(page.file.src_uri, self.default_feeds)
        meta = self.meta.get(page.file.src_uri)
        if meta is None:  # a hand-written page: its front matter's description, else the site's
            meta = PageMeta(str(page.meta.get("description") or config.site_description or ""))
        values["report_site_meta"] = meta
        # Search: the header's link, and what this page gives the index (None: not indexed).
        src = page.file.src_uri
        values["report_site_search_url"] = get_relative_url(self.search_url, page.url) if self.search_url else None
        values["report_site_search_page"] = src == SEARCH_PAGE and self.search_url is not None
        values["report_site_search"] = self._search_entry(page.file, page.title)
        return values

    def _search_entry(self, file: File, title: str | None) -> PageSearch | None:
        """What the page gives the index; None: it is not indexed."""
        entry = self.search.get(file.src_uri)
        if entry is None and self._indexes(file):
            entry = page_entry(title or "")  # hand-written pages: About, Accessibility statement
        return entry

    def _indexes(self, file: File) -> bool:
        """Whether the page is indexed: generated pages in search_entries, hand-written pages but the home page (told by
        its URL alone: the same answer before the navigation exists, when the index's pages are listed)."""
        homepage = file.url in (".", "./", "index.html")
        return file.src_uri in self.search or (self.search_url is not None and not file.generated_by and not homepage)

    @event_priority(-100)  # last: the index is given the page as it is written, other plugins' changes included
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.search_pages is not None:  # the page as written must hold its search page's region, and no more
            entry = self.page_search[1] if self.page_search is not None and self.page_search[0] == page.file.src_uri else None
            region = self.search_pages.region(page.content or "", page.title, entry) if entry is not None else None
            if output.strip():
                self.search_pages.check(page.file.dest_uri, region, output)
            else:
                self.search_pages.written(page.file.dest_uri)
        return output

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.search_pages is not None and template_name.endswith(".html"):  # 404.html: Pagefind would read it
            self.search_pages.check_template(template_name, output_content)
        return output_content

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = self.compiled_templates
        env.globals["report_site_publisher"] = self.publisher  # footer and <head> of every page, 404 included
        env.filters["rs_asset"] = partial(published_name, dict(self.asset_names))  # templates' own assets
        return env

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        project = Path(config.config_file_path).parent
        server.watch(str(project / DATA_DIR))
        for folder in self.config.templates_dirs:
            server.watch(str(project / folder))
        return server




def _report_index(result: IndexReport | SearchIndexError) -> None:
    """What a background index (serve) ended with, in the serve log."""
    if isinstance(result, SearchIndexError):
        log.error(f"{result}\nthe pages are served; search is unavailable until the next rebuild")
    else:
        log.info(f"search: {result.pages} pages indexed in {result.seconds:.2f} s (after the pages, in the background)")


def is_referenced_map(source_map: File, files: Files) -> bool:
    """Whether the file a source map belongs to names it (`sourceMappingURL=...`), so a browser's tools can fetch it."""
    companion = files.get_file_from_path(source_map.src_uri.removesuffix(".map"))
    return companion is not None and PurePosixPath(source_map.src_uri).name.encode() in companion.content_bytes


def place_charts(clean: str, charts: dict[str, str]) -> str:
    """A page's sanitised HTML with its charts: our own SVG, from escaped data, goes in after sanitising (SVG is
    outside the HTML allowlist)."""
    for chart_id, svg in charts.items():
        clean = clean.replace(f'<div class="rs-chart" id="{chart_id}"></div>', svg, 1)
    return clean


def make_publisher(cfg: PublisherConfig) -> Publisher:
    """The publisher from mkdocs.yml; without a `name`, the Care Inspectorate's details (the default)."""
    values = {k: cfg[k] for k in ("name", "url", "email", "phone", "address")}
    is_default = not values["name"]
    if is_default:
        values = dict(CARE_INSPECTORATE)
    licence = Licence(cfg.licence_name, cfg.licence_url, cfg.licence_id)
    return Publisher(**values, logo=cfg.logo, licence=licence, privacy_url=cfg.privacy_url, is_default=is_default)


def check_site_url(site_url: str | None, mode: str, command: str) -> None:
    if not is_example_address(site_url):
        return
    message = example_address_message(site_url or "")
    if mode == "warn" or command == "gh-deploy":
        log.warning(message)
    else:
        log.info(message + " (example_site_url: note)")


def rename_assets(files: Files, config: MkDocsConfig) -> dict[str, str]:
    """Our own CSS/JS (docs_dir, custom_dir) under content-hashed names; extra_css and extra_javascript follow."""
    own = {Path(config.docs_dir).resolve()} | ({Path(config.theme.custom_dir).resolve()} if config.theme.custom_dir else set())
    ours = {f.src_uri: f for f in files.media_files() if not f.generated_by and f.abs_src_path and f.src_dir
            and Path(f.src_dir).resolve() in own and wants_hashed_name(f.src_uri)}
    names = asset_names({uri: file.content_bytes for uri, file in ours.items()})
    for uri, name in names.items():
        ours[uri].dest_uri = name
        ours[uri].__dict__.pop("url", None)  # a cached_property, maybe computed from the old name
    config.extra_css = [names.get(path, path) for path in config.extra_css]
    for i, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[i] = names.get(script, script)
        elif script.path in names:
            script.path = names[script.path]
    return names


def is_template(path: Path, template_dirs: list[Path]) -> bool:
    """A file inside a templates folder's report-site/ (page, chart and feed templates)."""
    resolved = path.resolve()
    return any(resolved.is_relative_to((d / TEMPLATE_SUBDIR).resolve()) for d in template_dirs)


def page_meta(derived: Derived, specs: list[PageSpec]) -> dict[str, PageMeta]:
    out = {}
    for spec in specs:
        meta = record_meta(derived, spec.context)
        if meta is None and spec.path in INDEX_DESCRIPTIONS:
            meta = PageMeta(INDEX_DESCRIPTIONS[spec.path])
        if meta is not None:
            out[spec.path] = meta
    return out


def build_nav(pages: dict[str, tuple[PageSpec, str]]) -> list[Any]:
    """A short top-level navigation; each section lists its pages (Material prunes inactive sections)."""
    sections: dict[str, list[Any]] = {}
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for path, (spec, _md) in pages.items():
        if not spec.in_nav:
            continue
        # The theme prints nav titles (and <title>) without escaping: titles come from data, so escape here.
        entry = {html.escape(spec.title, quote=True): path}
        items = sections.setdefault(spec.section, [])
        if spec.subsection is None:
            items.append(entry)
            continue
        key = (spec.section, spec.subsection)
        if key not in groups:
            groups[key] = []
            items.append({html.escape(spec.subsection): groups[key]})
        groups[key].append(entry)
    nav: list[Any] = [{"Home": "index.md"}]
    for name in ("Partnerships", "Publications", "Programmes", "Themes", "Reference"):
        if name in sections:
            nav.append({name: sections[name]})
    nav.append({"About": [{"About this site": "about.md"}, {"Accessibility statement": "accessibility.md"},
                          {"Privacy": "privacy.md"}]})
    return nav


def not_in_nav(pages: dict[str, tuple[PageSpec, str]]) -> list[str]:
    """`not_in_nav` patterns (gitignore style) for a plain MkDocs build of the same pages without this plugin."""
    out_by_folder: dict[str, list[str]] = {}
    in_nav_folders = set()
    for path, (spec, _md) in pages.items():
        folder = path.rpartition("/")[0]
        if spec.in_nav:
            in_nav_folders.add(folder)
        else:
            out_by_folder.setdefault(folder, []).append(path)
    # A folder pattern when the whole folder is out of the nav (thousands of per-file patterns are slow).
    patterns = []
    for folder, paths in out_by_folder.items():
        patterns += [f"/{folder}/"] if folder and folder not in in_nav_folders else [f"/{p}" for p in paths]
    return sorted(patterns)


def _discard_quietly(path: Path) -> None:
    """Remove a staging folder if possible; what is left is removed by the next build."""
    try:
        discard(path)
    except OSError:
        pass
