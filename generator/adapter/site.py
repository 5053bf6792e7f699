"""The site prepared for MkDocs: made in `on_config` (before MkDocs empties site/, so bad data stops the build with
the site untouched), handed over in `on_files`, read while the theme renders each page.

One `PreparedSite` per build or `mkdocs serve` rebuild. Its records (the renderer, the pages' Markdown, the data
files) are let go once MkDocs has the files; what the theme reads of each page stays until the next rebuild."""

from __future__ import annotations

import gc
import hashlib
import html
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime, get_relative_url
from mkdocs.utils.meta import get_data

from generator.adapter.config import ReportSiteConfig, make_publisher
from generator.base.memo import Memo
from generator.check.placeholders import find_placeholders, splice, value
from generator.derive.derive import Derived
from generator.derive.paths import INDEX_PAGES, SEARCH_PAGE, PageSpec, page_feeds, site_file_paths
from generator.derive.site import check_site
from generator.model.accessibility import ResultsError, TestResults, load_results
from generator.model.content_files import FRAGMENTS, escape_meta
from generator.model.layout import CONTENT_DIR, NARRATIVE_DIR
from generator.model.load import LoadCache, SiteData
from generator.model.publisher import Publisher
from generator.output.asset_names import asset_names, wants_hashed_name
from generator.render.glossary_links import GlossaryLinkExtension
from generator.render.metadata import INDEX_DESCRIPTIONS, PageMeta, record_meta
from generator.render.opendata import site_files
from generator.render.permalinks import PermalinkLabelExtension
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
from generator.render.search_entries import PageSearch, page_entry, search_entries, search_page_spec
from generator.render.table_captions import TableCaptionExtension

log = get_plugin_logger(__name__)

#: Material's own search (lunr, its languages and its worker): published only while its search plugin is on
THEME_SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


@dataclass
class PreparedSite:
    """Every generated page and file of one build, and what the theme reads of each page."""

    publisher: Publisher
    template_dirs: list[Path]
    pages: dict[str, tuple[PageSpec, str]]
    """Docs path -> (spec, Markdown) of every generated page; handed to MkDocs by `add_files`, then let go."""
    extra_files: dict[str, str]
    """Site path -> content of the data files, feeds and redirects; handed to MkDocs by `add_files`, then let go."""
    renderer: Renderer | None
    """Holds every record of the site: let go by `add_files`, once the hand-written pages' fragments are rendered."""
    test_results: TestResults | None
    meta: dict[str, PageMeta]
    search: dict[str, PageSearch]
    """Docs path -> filters and metadata for the index; generated pages not listed are not indexed."""
    charts: dict[str, dict[str, str]]
    drafts: set[str]
    feeds: dict[str, list[tuple[str, str]]]
    default_feeds: list[tuple[str, str]]
    search_on: bool
    glossary: GlossaryLinkExtension | None = None
    # Known once MkDocs has the files (`add_files`):
    generated: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)
    """Hand-written page -> the generated part its front matter asks for (`report_site: home`, ...)."""
    counted: dict[str, dict[str, str]] = field(default_factory=dict)
    """Hand-written page with placeholders -> each valid placeholder as written -> what it stands for (counted from the
    data in `add_files`, while the records are held; put in when MkDocs reads the page)."""
    search_url: str | None = None
    asset_names: dict[str, str] = field(default_factory=dict)
    """Our own CSS/JS: path in docs -> content-hashed name in the built site (generator/output/asset_names.py)."""
    keep_records: bool = False
    """`mkdocs serve`: the renderer is kept after `add_files`, for the preview (preview.py)."""
    specs: dict[str, PageSpec] = field(default_factory=dict)
    """Docs path -> spec of every generated page (what the preview renders a page again from)."""
    structure: Structure | None = None
    """What the navigation and the lists of pages and files are made from (`site_structure`): while the navigation
    stays the same, the preview renders just the pages an edit changed, adding or removing pages it does not list."""
    digests: dict[str, str] = field(default_factory=dict)
    """Docs path -> hash of the generated page's Markdown, as rendered for this build."""
    extra_paths: list[str] = field(default_factory=list)
    """The site paths of `extra_files`, kept after they are handed over."""
    make_extra_files: Callable[[], dict[str, str]] | None = None
    """A preview's data files, feeds and redirects, made when they are asked for."""

    def page_state(self, path: str) -> tuple[Any, ...]:
        """Everything besides its Markdown that a page's HTML is made from here (the preview compares them)."""
        return (self.meta.get(path), self.feeds.get(path), path in self.drafts, self.search.get(path),
                self.charts.get(path))

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The generated pages and files joined to MkDocs' own; what no reader gets taken out (narratives, templates,
        the theme's own search, unnamed source maps); our assets renamed. The records are let go here."""
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
                raise PluginError(f"{CONTENT_DIR}/{path} clashes with a generated page: rename or remove it")
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        for path, content in self.extra_files.items():
            files.append(written_file(config, path, content))
        for file in list(files):
            if not file.generated_by and file.abs_src_path and is_template(Path(file.abs_src_path), self.template_dirs):
                files.remove(file)  # templates are the theme's custom_dir too: not for readers
        search_file = files.get_file_from_path(SEARCH_PAGE) if self.search_on else None
        self.search_url = search_file.url if search_file is not None else None
        self.fragments = {}
        self.counted = {}
        for file in files.documentation_pages():
            if not file.generated_by:
                self.prepare_hand_written(file)
        self.generated = list(self.pages)
        self.extra_paths = list(self.extra_files)
        self.asset_names = rename_assets(files, config)
        # From here on MkDocs needs only the Markdown, charts and feeds: let the records go (memory at scale), but in a
        # preview (`keep_records`), which renders pages again from them when they are asked for. They hold cycles, so
        # only a collection frees them: now, before MkDocs reads the pages into the memory they held and the Markdown
        # workers are forked (which would otherwise start with them).
        if not self.keep_records:
            self.renderer = None
        self.pages, self.extra_files = {}, {}
        gc.collect()
        return files

    def prepare_hand_written(self, file: File) -> None:
        """What the data gives a hand-written page: its placeholders' numbers and names, its generated part."""
        if self.renderer is None:
            return
        self.counted.pop(file.src_uri, None)
        self.fragments.pop(file.src_uri, None)
        if "{{" in file.content_string:
            # a hand-written page's numbers and names of the data (`{{ count: ... }}`, `{{ names: ... }}`)
            found = {ph.raw: value(ph, self.renderer.data) for ph in find_placeholders(file.content_string)}
            self.counted[file.src_uri] = {raw: text for raw, text in found.items() if text is not None}
        if "report_site" in file.content_string:
            fragment = get_data(file.content_string)[1].get("report_site")
            if fragment in FRAGMENTS:
                extra = {"results": self.test_results} if fragment == "accessibility" else {}
                self.fragments[file.src_uri] = self.renderer.render_fragment(f"{fragment}.md.j2", file.src_uri, **extra)

    def markdown(self, markdown: str, page: Page) -> str:
        """A page's Markdown as MkDocs converts it: front matter escaped, the generated part of a hand-written page."""
        if not page.file.generated_by:
            escape_meta(page.meta)  # the theme prints front matter as HTML; the check allowed only plain keys
        if self.glossary is not None:
            self.glossary.page_path = page.file.src_uri
        counted = self.counted.get(page.file.src_uri)
        if counted:
            markdown = splice(markdown, [(ph.start, ph.end, counted[ph.raw]) for ph in find_placeholders(markdown)
                                         if ph.raw in counted])[0]
        fragment = self.fragments.get(page.file.src_uri)
        if fragment is not None and page.meta.get("report_site") == "home":
            return place_home_fragment(markdown, fragment)
        if fragment is not None and page.meta.get("report_site") in FRAGMENTS:
            return markdown + "\n\n" + fragment
        return markdown

    def content(self, clean: str, file: File) -> str:
        """A page's sanitised HTML with its charts: our own SVG, from escaped data, goes in after sanitising (SVG is
        outside the HTML allowlist)."""
        for chart_id, svg in self.charts.get(file.src_uri, {}).items():
            clean = clean.replace(f'<div class="rs-chart" id="{chart_id}"></div>', svg, 1)
        return clean

    def page_values(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """What this plugin gives the theme's templates for `page`."""
        meta = self.meta.get(page.file.src_uri)
        if meta is None:  # a hand-written page: its front matter's description, else the site's
            meta = PageMeta(str(page.meta.get("description") or config.site_description or ""))
        return {
            "report_site_draft": page.file.src_uri in self.drafts,
            "report_site_feeds": self.feeds.get(page.file.src_uri, self.default_feeds),
            "report_site_meta": meta,
            # Search: the header's link, and what this page gives the index (None: not indexed).
            "report_site_search_url": get_relative_url(self.search_url, page.url) if self.search_url else None,
            "report_site_search_page": page.file.src_uri == SEARCH_PAGE and self.search_url is not None,
            "report_site_search": self.search_entry(page.file, page.title),
        }

    def search_entry(self, file: File, title: str | None) -> PageSearch | None:
        """What the page gives the index; None: it is not indexed."""
        entry = self.search.get(file.src_uri)
        if entry is None and self.indexes(file):
            entry = page_entry(title or "")  # hand-written pages: About, Accessibility statement
        return entry

    def indexes(self, file: File) -> bool:
        """Whether the page is indexed: generated pages in search_entries, hand-written pages but the home page (told by
        its URL alone: the same answer before the navigation exists, when the index's pages are listed)."""
        homepage = file.url in (".", "./", "index.html")
        return file.src_uri in self.search or (self.search_url is not None and not file.generated_by and not homepage)


@dataclass
class Generated:
    """One run of the generator short of rendering: the records checked and derived, and what renders them."""

    data: SiteData
    derived: Derived
    renderer: Renderer
    markup_env: Any
    publisher: Publisher
    test_results: TestResults | None
    template_dirs: list[Path]
    specs: dict[str, PageSpec]
    structure: Structure


def generate(config: MkDocsConfig, options: ReportSiteConfig, *, include_drafts: bool, workers: int,
             templates: MemoryBytecodeCache, load_cache: LoadCache | None, memo: Memo | None = None) -> Generated:
    """Check and derive the whole site; every problem is logged, and an error stops the build here."""
    project = Path(config.config_file_path).parent
    data, derived, problems = check_site(project, include_drafts=include_drafts, cache=load_cache, workers=workers, memo=memo)
    for problem in problems.sorted():
        (log.error if problem.severity == "error" else log.warning)(str(problem))
    if derived is None:
        raise PluginError(f"site data has {len(problems.errors)} error(s), listed above; nothing was built and site/ is untouched")
    publisher = make_publisher(options.publisher)
    try:
        test_results = load_results(project / options.accessibility_results)
    except ResultsError as exc:
        log.error(str(exc))
        raise PluginError("the accessibility test results are unreadable (see above); nothing was built and site/ is untouched") from None
    template_dirs = [project / d for d in options.templates_dirs]
    markup_env = make_markup_environment(template_dirs, templates)
    renderer = Renderer(derived, make_environment(template_dirs, templates), markup_env, base_url=config.site_url or "",
                        publisher=publisher)
    specs = {spec.path: spec for spec in renderer.pages()}
    if options.search:  # the search page: reached from the header, not the nav
        spec = search_page_spec()
        specs[spec.path] = spec
    return Generated(data, derived, renderer, markup_env, publisher, test_results, template_dirs, specs,
                     site_structure(derived, specs))


class Structure(NamedTuple):
    """What a site's navigation and lists of pages and files are made from; not pages' contents."""

    nav: tuple[Any, ...]
    """The pages the navigation lists, with their titles and sections; the old addresses; the glossary's terms."""
    pages: tuple[str, ...]
    """Every generated page's docs path, in order (a page the navigation does not list takes its title from its own
    Markdown)."""
    files: tuple[str, ...]
    """Every open-data file's site path."""


def site_structure(derived: Derived, specs: dict[str, PageSpec]) -> Structure:
    addresses = derived.data.addresses
    return Structure(
        (tuple((s.path, s.title, s.section, s.subsection) for s in specs.values() if s.in_nav),
         tuple(sorted(addresses.redirects)) if addresses is not None else (), tuple(derived.data.glossary.values())),
        tuple(specs), tuple(site_file_paths(derived)))


def prepare_site(config: MkDocsConfig, options: ReportSiteConfig, *, include_drafts: bool, workers: int,
                 templates: MemoryBytecodeCache, load_cache: LoadCache | None, memo: Memo | None = None) -> PreparedSite:
    """Check, derive and render the whole site for one build; every problem is logged and stops the build here."""
    gen = generate(config, options, include_drafts=include_drafts, workers=workers, templates=templates,
                   load_cache=load_cache, memo=memo)
    derived, renderer, publisher = gen.derived, gen.renderer, gen.publisher
    if publisher.is_default:
        log.info("publisher: not set in mkdocs.yml, so the Care Inspectorate's details are used (the default)")
    try:
        pages = render_pages(renderer, workers)
        if options.search:
            spec = search_page_spec()
            pages[spec.path] = (spec, renderer.render(spec))
        extra_files = extra_outputs(derived, gen.markup_env, config, publisher)
    except Exception as exc:  # noqa: BLE001 - a failing template is reported, never a traceback
        if not isinstance(exc, TemplateRenderError):
            exc = TemplateRenderError(describe_template_error(exc, "feeds and data"))
        log.error(str(exc))
        raise PluginError("a page template failed (see above); nothing was built and site/ is untouched") from None
    serving = load_cache is not None  # `mkdocs serve`: its preview renders pages again from the records
    site = site_from(gen, options, pages=pages, extra_files=extra_files, keep_records=serving)
    site.digests = {path: digest(markdown) for path, (_spec, markdown) in pages.items()} if serving else {}
    # Markdown extensions the templates rely on; MkDocs types the list as names, Markdown takes instances too
    config.markdown_extensions.append(TableCaptionExtension())  # type: ignore[arg-type]
    config.markdown_extensions.append(PermalinkLabelExtension())  # type: ignore[arg-type]
    if options.glossary_links:
        site.glossary = GlossaryLinkExtension(list(gen.data.glossary.values()), INDEX_PAGES["glossary"])
        config.markdown_extensions.append(site.glossary)  # type: ignore[arg-type]
    if options.nav and not config.nav:
        config.nav = build_nav(pages)
    return site


def preview_site(config: MkDocsConfig, options: ReportSiteConfig, *, include_drafts: bool, templates: MemoryBytecodeCache,
                 load_cache: LoadCache, memo: Memo) -> PreparedSite:
    """The site after an edit, for the preview (preview.py): checked and derived, its pages and files rendered only
    when they are asked for. Raises PluginError, the problems logged, as `prepare_site` does."""
    gen = generate(config, options, include_drafts=include_drafts, workers=1, templates=templates, load_cache=load_cache,
                   memo=memo)
    site = site_from(gen, options, pages={}, extra_files={}, keep_records=True)
    site.make_extra_files = lambda: extra_outputs(gen.derived, gen.markup_env, config, gen.publisher)
    return site


def site_from(gen: Generated, options: ReportSiteConfig, *, pages: dict[str, tuple[PageSpec, str]],
              extra_files: dict[str, str], keep_records: bool) -> PreparedSite:
    """The site of one build (`pages` rendered) or of one preview (`pages` empty: rendered when asked for)."""
    derived = gen.derived
    specs = list(gen.specs.values())
    default_feeds = page_feeds(derived, "")  # most pages announce only the site-wide feed; partnership pages add their own
    return PreparedSite(
        publisher=gen.publisher, template_dirs=gen.template_dirs, pages=pages, extra_files=extra_files, renderer=gen.renderer,
        test_results=gen.test_results, meta=page_meta(derived, specs),
        search=search_entries(derived, gen.specs) if options.search else {},
        charts=gen.renderer.charts, default_feeds=default_feeds, search_on=options.search,
        # a draft's every page (a review's chapters too) says it is a draft
        drafts={spec.path for spec in specs if getattr(spec.context.get("pub"), "status", "") == "draft"},
        feeds={spec.path: feeds for spec in specs if (feeds := page_feeds(derived, spec.path)) != default_feeds},
        keep_records=keep_records, specs=gen.specs, structure=gen.structure,
    )


def extra_outputs(derived: Derived, markup_env: Any, config: MkDocsConfig, publisher: Publisher) -> dict[str, str]:
    """Site path -> content of the open-data files, the feeds and the old addresses' redirects."""
    extra_files = site_files(derived, config.site_url, publisher)
    # a feed with no entry is dated by the build, as the footer's "page built on" is (SOURCE_DATE_EPOCH honoured)
    extra_files.update(render_feeds(derived, markup_env, config.site_url or "/", publisher, built=get_build_datetime()))
    # Moved addresses keep working: a redirect page, or a copy of the data file or feed
    extra_files.update(redirect_outputs(derived.data.addresses, extra_files, markup_env, config.site_url, config.site_name))
    return extra_files


def digest(markdown: str) -> str:
    return hashlib.sha256(markdown.encode()).hexdigest()


def written_file(config: MkDocsConfig, path: str, content: str) -> File:
    """A generated file (open data, a feed, a redirect) written into site_dir now, as MkDocs would write it
    (`File.copy_file`: UTF-8, text mode), so the build does not hold its content (at 3,000 reports the open data are
    190 MiB); MkDocs, finding it in place, leaves it (its copy from site_dir onto itself is skipped)."""
    file = File.generated(config, path, content=content)
    destination = file.abs_dest_path
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    with open(destination, "w", encoding="utf-8") as out:
        out.write(content)
    return File.generated(config, path, abs_src_path=destination)


def is_referenced_map(source_map: File, files: Files) -> bool:
    """Whether the file a source map belongs to names it (`sourceMappingURL=...`), so a browser's tools can fetch it."""
    companion = files.get_file_from_path(source_map.src_uri.removesuffix(".map"))
    return companion is not None and PurePosixPath(source_map.src_uri).name.encode() in companion.content_bytes


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
