"""The MkDocs front end: each hook hands its work to one of three objects, each with one lifetime.

- `ServeState` (run.py): the whole `mkdocs serve` session (or the one build): parsed files, compiled templates, the
  search index of the last rebuild.
- `PreparedSite` (site.py): one build or rebuild's pages and files, made in `on_config` (before MkDocs empties
  site/, so bad data stops the build with the site untouched) and read while the theme renders each page.
- `BuildRun` (run.py): one build's lock, staging folder, pages converted ahead, search index and publication,
  all let go by its `close()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.adapter.config import ReportSiteConfig
from generator.adapter.prerender import cache_root, tested_mkdocs
from generator.adapter.preview import Preview, wrap_app
from generator.adapter.run import BuildRun, ServeState, raise_described
from generator.adapter.site import PreparedSite, prepare_site, preview_site
from generator.base.memo import Stamp, file_stamps
from generator.model.layout import DATA_DIR, NARRATIVE_DIR
from generator.model.publisher import example_address_message, is_example_address
from generator.output.asset_names import published_name

if TYPE_CHECKING:  # for annotations only: `mkdocs build` need not import the live-reload server
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)


class ReportSitePlugin(BasePlugin[ReportSiteConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.serve = ServeState()
        self.site: PreparedSite | None = None
        self.run: BuildRun | None = None
        self.preview: Preview | None = None
        """`mkdocs serve` only: edits previewed at the cost of what they change (preview.py)."""
        self._built: tuple[Stamp, Files | None, Navigation | None, jinja2.Environment | None] = ({}, None, None, None)
        """A serve build's input stamp, files, navigation and theme, handed to the preview when the build is done."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        if self.preview is not None:  # MkDocs keeps one instance per process: a new session starts its preview afresh
            self.preview.stop()
            self.preview = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.serve.stop_index()  # the rebuild empties the folder it writes into
        self.run = BuildRun(self.config, self.command, self.dirty)
        self.run.begin(config)  # before the check: a second build beside the same site stops at once
        serving = self.command == "serve"
        if serving and self.preview is None and tested_mkdocs() is None:  # it calls MkDocs' private page steps
            self.preview = Preview(self, partial(project_inputs, config, self.config), partial(previewable, config))
        if serving and self.preview is not None:
            self._built = (self.preview.start_stamp(), None, None, None)
        # Parsed files and text checks are kept across `mkdocs serve` rebuilds; a one-off build frees them for MkDocs.
        self.site = prepare_site(config, self.config, include_drafts=self.drafts_shown(), workers=self.run.workers,
                                 templates=self.serve.templates, load_cache=self.serve.load_cache if serving else None,
                                 memo=self.serve.memo if serving else None)
        self.run.stage(config)
        check_site_url(config.site_url, self.config.example_site_url, self.command)  # counted: --strict keeps site/
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        return self.site.add_files(files, config)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.run is not None and self.site is not None
        self._built = (self._built[0], files, nav, None)
        if not reads_pages_later(config, self):
            self.run.hold_pages_lightly(config)
        self.run.convert(config, files, self.site)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        assert self.site is not None
        env.bytecode_cache = self.serve.templates
        env.globals["report_site_publisher"] = self.site.publisher  # footer and <head> of every page, 404 included
        env.filters["rs_asset"] = partial(published_name, dict(self.site.asset_names))  # templates' own assets
        self._built = (*self._built[:3], env)
        return env

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        assert self.run is not None
        self.run.install(page)
        return page

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        return self.site.markdown(markdown, page)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.run is not None and self.site is not None
        return self.run.let_go(page, self.site.content(self.run.clean(page, html), page.file))

    def on_page_context(self, template_context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        assert self.run is not None and self.site is not None
        self.run.take_back(page)
        # MkDocs' TemplateContext lists only its own keys; a plugin adds its own (MkDocs' docs for this event)
        values = self.site.page_values(page, config)
        cast("dict[str, Any]", template_context).update(values)
        self.run.page_search = (page.file.src_uri, values["report_site_search"])
        return template_context

    @event_priority(-100)  # last: the page as written, other plugins' changes included
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        assert self.run is not None and self.site is not None
        self.run.page_written(page, output, self.site)
        self.run.written(page)
        return output

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        assert self.run is not None
        self.run.template_written(template_name, output_content)
        return output_content

    @event_priority(-100)  # last: warnings logged by any other plugin's post_build are counted first
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        run, self.run = self.run, None
        assert run is not None
        try:
            run.finish(config, self.serve)
        finally:
            run.close()
        stamp, files, nav, env = self._built
        if self.preview is not None and self.site is not None and files is not None and nav is not None and env is not None:
            self.preview.built(config, files, nav, env, self.site, stamp, self.site.extra_paths)
        self._built = ({}, None, None, None)

    def on_build_error(self, *, error: Exception) -> None:
        site_dir: Path | str = "site/"
        if self.run is not None:
            site_dir = self.run.site_dir or site_dir
            self.run.close()
            self.run = None
        self.serve.stop_index()
        raise_described(error, site_dir)

    def on_shutdown(self) -> None:
        self.serve.stop_index()
        if self.preview is not None:
            self.preview.stop()
            self.preview = None
        if self.run is not None:
            self.run.close()
            self.run = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        project = Path(config.config_file_path).parent
        server.watch(str(project / DATA_DIR))
        for folder in self.config.templates_dirs:
            server.watch(str(project / folder))
        if self.preview is not None:
            preview = self.preview
            server.builder = lambda: preview.rebuild(builder)
            server.set_app(wrap_app(server.serve_request, preview, server.mount_path))
        return server

    # -- what the preview asks of the plugin (preview.PreviewHost) --

    def drafts_shown(self) -> bool:
        return self.config.drafts == "show" or (self.config.drafts == "auto" and self.command == "serve")

    def preview_site(self, config: MkDocsConfig) -> PreparedSite:
        self.serve.stop_index()  # pages are about to be written again
        return preview_site(config, self.config, include_drafts=self.drafts_shown(), templates=self.serve.templates,
                            load_cache=self.serve.load_cache, memo=self.serve.memo)

    @contextmanager
    def page_render(self) -> Iterator[None]:
        """One page rendered by the preview: the hooks it runs need a run, as in a build."""
        self.run = BuildRun(self.config, self.command, self.dirty)
        try:
            yield
        finally:
            self.run = None

    def index_site(self, config: MkDocsConfig) -> None:
        if self.config.search:
            self.serve.index_in_background(Path(config.site_dir), cache_root(config, self.config.cache_dir))


def project_inputs(config: MkDocsConfig, options: ReportSiteConfig) -> Stamp:
    """The stamp of every file a build reads: mkdocs.yml, content/, site-data/ and the templates."""
    project = Path(config.config_file_path).parent
    folders = {Path(config.docs_dir), project / DATA_DIR, *(project / d for d in options.templates_dirs)}
    if config.theme.custom_dir:
        folders.add(Path(config.theme.custom_dir))
    return file_stamps(sorted(folders), [Path(config.config_file_path)])


def previewable(config: MkDocsConfig, path: str) -> bool:
    """An edit the preview shows without a full build: a data file, or a narrative."""
    project = Path(config.config_file_path).parent
    file = Path(path)
    return (file.is_relative_to(project / DATA_DIR)
            or (file.suffix == ".md" and file.is_relative_to(Path(config.docs_dir) / NARRATIVE_DIR)))


#: The events from which a plugin could read a page's Markdown or HTML after MkDocs converted it
LATE_EVENTS = ("page_content", "env", "pre_template", "template_context", "post_template", "page_context", "post_page",
               "post_build", "build_error", "shutdown")


def reads_pages_later(config: MkDocsConfig, plugin: BasePlugin[Any]) -> bool:
    """Whether another plugin listens to an event from `on_page_content` on. If none does, only MkDocs and this plugin
    read a page once it is converted, and this plugin lets its Markdown and HTML go meanwhile (`BuildRun.let_go`)."""
    return any(getattr(method, "__self__", None) is not plugin for event in LATE_EVENTS for method in config.plugins.events.get(event, []))


def check_site_url(site_url: str | None, mode: str, command: str) -> None:
    if not is_example_address(site_url):
        return
    message = example_address_message(site_url or "")
    if mode == "warn" or command == "gh-deploy":
        log.warning(message)
    else:
        log.info(message + " (example_site_url: note)")
