"""`mkdocs serve` after its first build: a preview whose cost is what an edit changed, whatever the site's size.

MkDocs rebuilds the whole site on every change: it empties the site folder, converts and renders every page, and
its `--dirty` cannot see that a generated page's data changed. For the edit editors make all day (a record in
site-data/ or a narrative), the preview does this instead (`rebuild`):

1. It finds which input files changed (size and modification time, as the parse cache does). Anything but data files
   and narratives edited, added or removed (mkdocs.yml, a template, a hand-written page) is a full build.
2. It checks and derives the whole site, as a build does, with the parse cache and the memo of the last rebuild's
   text checks (base/memo.py), and reports every problem. An error stops there: the pages stay as they were.
3. If the navigation would not change (`site.structure`), no page is rendered now: every page is marked as older
   than the data (a report added or removed: its page and data files are added to or taken from MkDocs' list of
   files, and the sitemap is written again). A page is rendered again when a browser asks for it (`ensure`, from the web
   server's request handler, before the file is read), and the pages nobody asked for are brought up to date in the
   background (`_catch_up`), each compared first: a page whose Markdown and theme values did not change is not
   converted or written again. Then the open-data files and feeds, then the search index.

A page is rendered by MkDocs' own steps for one page (`_populate_page`, `_build_page`, the same as in its build,
private functions of the MkDocs versions prerender.TESTED lists), with the navigation, files and theme of the last
full build, which the unchanged structure keeps valid. So a previewed page is the page a full build would write
(tests/test_preview.py compares them).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from generator.adapter.site import PreparedSite, Structure, digest
from generator.base.memo import Stamp
from generator.render.render import TemplateRenderError

log = get_plugin_logger(__name__)

class PreviewHost(Protocol):
    """What the preview needs of the plugin: the site a page is rendered from, and a new one after an edit."""

    site: PreparedSite | None

    def preview_site(self, config: MkDocsConfig) -> PreparedSite: ...

    def page_render(self) -> Any:
        """A context manager around one page's MkDocs steps (the plugin's hooks need a run)."""

    def index_site(self, config: MkDocsConfig) -> None: ...


def edited(before: Stamp, after: Stamp) -> list[str]:
    """The files edited, added or removed between two stamps."""
    return sorted({path for path, stamp in after.items() if before.get(path) != stamp} | (before.keys() - after.keys()))


class Preview:
    """The state of one `mkdocs serve` session's preview, from its first complete build on."""

    def __init__(self, host: PreviewHost, inputs: Callable[[], Stamp], previewable: Callable[[str], bool]) -> None:
        self.host = host
        self.inputs = inputs
        """The stamp of every input file now."""
        self.previewable = previewable
        """Whether an edit of this file can be previewed (a data file or a narrative) rather than built."""
        self.lock = threading.RLock()
        self.ready = False
        self.generation = 0
        """Bumped by every build and preview: a page rendered in an earlier generation is older than the data."""
        self.stamp: Stamp = {}
        self.config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.doc_files: list[File] = []
        self.pages: dict[str, File] = {}
        """Site path (`inspections/fife-2023/index.html`) -> the page's file."""
        self.shown: dict[str, tuple[str | None, Any]] = {}
        """Docs path -> (hash of the Markdown, theme values) its HTML in the site folder was made from."""
        self.done: dict[str, int] = {}
        """Docs path -> the generation its HTML is of."""
        self.extras_done = 0
        self.extra_paths: set[str] = set()
        self.rendered = self.unchanged = 0

    # -- builds -------------------------------------------------------------------------------------------

    def start_stamp(self) -> Stamp:
        """Taken when a full build begins: an edit made during the build is seen by the next rebuild."""
        return self.inputs()

    def built(self, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment, site: PreparedSite,
              stamp: Stamp, extra_paths: Iterable[str]) -> None:
        """A full build is done: every page in the site folder is of this generation."""
        with self.lock:
            self.generation += 1
            self.config, self.files, self.nav, self.env, self.stamp = config, files, nav, env, stamp
            self.doc_files = list(files.documentation_pages(inclusion=InclusionLevel.is_in_serve))
            self.pages = {f.dest_uri: f for f in self.doc_files}
            self.shown = {path: (site.digests.get(path), site.page_state(path)) for path in site.specs}
            self.done = {f.src_uri: self.generation for f in self.doc_files}
            self.extras_done = self.generation
            self.extra_paths = set(extra_paths)
            self.ready = True

    def rebuild(self, full_build: Callable[[], None]) -> None:
        """What `mkdocs serve` does on a change: a preview where it can be one, else MkDocs' full build."""
        with self.lock:  # a catch-up under way stops at its next page
            if self.ready and self._preview():
                return
            self.ready = False
            full_build()

    def _preview(self) -> bool:
        assert self.config is not None
        now = self.inputs()
        changed = edited(self.stamp, now)
        if not all(self.previewable(path) for path in changed):
            return False
        if not changed:
            return True  # nothing this site reads changed
        started = time.perf_counter()
        try:
            site = self.host.preview_site(self.config)
        except PluginError as exc:  # bad data: reported above; the pages stay as they were
            raise Abort(str(exc)) from None
        previous = self.host.site
        if previous is None or site.structure is None or previous.structure is None or site.structure.nav != previous.structure.nav:
            return False  # the navigation changes, so every page does
        if site.structure != previous.structure:
            self._restructure(previous.structure, site.structure)  # a report added or removed
        site.glossary, site.search_url, site.asset_names = previous.glossary, previous.search_url, previous.asset_names
        site.generated = previous.generated
        self.host.site = site
        self.stamp = now
        self.generation += 1  # every page is now older than the data
        self.rendered = self.unchanged = 0
        names = ", ".join(Path(p).name for p in changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        log.info(f"preview: {names} checked in {time.perf_counter() - started:.2f} s; pages are rendered again as "
                 "they are asked for, the others in the background")
        threading.Thread(target=self._catch_up, args=(self.generation,), daemon=True, name="report-site-preview").start()
        return True

    def _restructure(self, old: Structure, new: Structure) -> None:
        """Pages the navigation does not list, and data files, added or removed: MkDocs' list of files as a full build
        would make it (its order is the sitemap's), the new pages' `Page`s, the removed ones' files deleted; the
        sitemap written again. Pages are rendered, as ever, when asked for."""
        from mkdocs.commands.build import _build_theme_template
        from mkdocs.structure.pages import Page

        assert self.config is not None and self.files is not None and self.env is not None and self.nav is not None
        config, root = self.config, Path(self.config.site_dir)
        ours = {*old.pages, *old.files}
        by_path = {f.src_uri: f for f in self.files if f.src_uri in ours}
        for path in {*old.pages, *old.files} - {*new.pages, *new.files}:
            written = Path(by_path.pop(path).abs_dest_path)
            written.unlink(missing_ok=True)
            if written.parent != root and not any(written.parent.iterdir()):
                written.parent.rmdir()  # a page's own folder (inspections/fife-2023/), as a full build would not have it
            self.done.pop(path, None)
            self.shown.pop(path, None)
        pages = []
        for path in new.pages:
            file = by_path.get(path)
            if file is None:  # rendered when asked for, like every page of this generation
                file = File.generated(config, path, content="", inclusion=InclusionLevel.NOT_IN_NAV)
                Page(None, file, config)
            pages.append(file)
        data = [by_path.get(path) or File.generated(config, path, abs_src_path=str(root / path)) for path in new.files]
        others = [f for f in self.files if f.src_uri not in ours and f.src_uri not in set(new.files)]
        self.files = Files([*others, *pages, *data])
        self.doc_files = list(self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve))
        self.pages = {f.dest_uri: f for f in self.doc_files}
        self.extra_paths = (self.extra_paths - set(old.files)) | set(new.files)
        with self.host.page_render():
            for template in config.theme.static_templates:  # the sitemap lists every page
                _build_theme_template(template, self.env, self.files, config, self.nav)

    def stop(self) -> None:
        """The session ends: a catch-up under way stops at its next page."""
        with self.lock:
            self.ready = False
            self.generation += 1

    # -- pages --------------------------------------------------------------------------------------------

    def ensure(self, site_path: str) -> None:
        """Before the web server reads `site_path`: if it is a page or data file older than the data, make it again."""
        if not self.ready:
            return
        file = self.pages.get(site_path)
        if file is not None:
            if self.done.get(file.src_uri) != self.generation:
                with self.lock:
                    self._render_reported(file)
        elif site_path in self.extra_paths and self.extras_done != self.generation:
            with self.lock:
                self._write_extras()

    def _render_reported(self, file: File) -> None:
        """`_render`, a failure reported (never a traceback) and the page left as it was."""
        try:
            self._render(file)
        except Exception as exc:  # noqa: BLE001
            log.error(f"preview: {file.src_uri} could not be rendered again: {type(exc).__name__}: {str(exc)[:300]}")

    def _render(self, file: File) -> None:
        """The page of `file`, as a full build would write it now (called with the lock held)."""
        site, config = self.host.site, self.config
        if not self.ready or site is None or config is None or self.done.get(file.src_uri) == self.generation:
            return
        path = file.src_uri
        shown: tuple[str | None, Any] = (None, None)
        if path in site.specs:
            try:
                markdown = site.renderer.render(site.specs[path]) if site.renderer is not None else None
            except TemplateRenderError as exc:
                log.error(str(exc))
                return
            if markdown is None:
                return
            shown = (digest(markdown), site.page_state(path))
            if shown == self.shown.get(path):
                self.done[path] = self.generation
                self.unchanged += 1
                return
            file.content_string = markdown
        else:
            site.prepare_hand_written(file)  # its numbers and generated part, from the data as it is now
        assert file.page is not None and self.files is not None and self.nav is not None and self.env is not None
        # MkDocs' private steps for one page: imported here, as the preview runs only on the MkDocs versions tested
        from mkdocs.commands.build import _build_page, _populate_page

        with self.host.page_render():
            _populate_page(file.page, config, self.files)
            _build_page(file.page, config, self.doc_files, self.nav, self.env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
            file.page.validate_anchor_links(files=self.files, log_level=config.validation.links.anchors)
        self.shown[path] = shown
        self.done[path] = self.generation
        self.rendered += 1

    def _write_extras(self) -> None:
        """The open-data files and feeds, from the data as it is now; only those that changed are written."""
        site, config = self.host.site, self.config
        if site is None or config is None or site.make_extra_files is None:
            return
        root = Path(config.site_dir)
        try:
            extra = site.make_extra_files()
        except Exception as exc:  # noqa: BLE001 - a failing template is reported, never a traceback
            log.error(f"preview: the data files and feeds could not be made: {type(exc).__name__}: {str(exc)[:300]}")
            return
        for path, content in extra.items():
            target = root / path
            data = content.encode()
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.extras_done = self.generation

    def _catch_up(self, generation: int) -> None:
        """In the background: every page nobody asked for, then the data files, then the search index."""
        time.sleep(0.5)  # the browsers' reload comes first
        for file in list(self.pages.values()):
            started = time.perf_counter()
            with self.lock:
                if self.generation != generation:
                    return
                self._render_reported(file)
            # Rest a quarter of the time the page took. A thread that keeps the interpreter busy makes every system
            # call of the server's other threads wait for it: MkDocs' file watcher took 7 s instead of 0.03 s to scan
            # the 6,000 files of a 3,000-report project, so the next edit was seen seconds late. Resting a fifth of
            # the time, the scan took 0.15 s, and the catch-up a tenth longer (bench/README.md, "The background
            # catch-up and the file watcher").
            time.sleep((time.perf_counter() - started) / 4)
        with self.lock:
            if self.generation != generation:
                return
            self._write_extras()
            log.info(f"preview: every page is up to date ({self.rendered} rendered again, {self.unchanged} unchanged)")
            assert self.config is not None
            self.host.index_site(self.config)


def wrap_app(app: Callable[..., Any], preview: Preview, mount_path: str) -> Callable[..., Any]:
    """The web server's request handler, with the page asked for made up to date first."""

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if (path + "/").startswith(mount_path):
            rel = path[len(mount_path):] + ("index.html" if path.endswith("/") else "")
            preview.ensure(os.path.normpath("/" + rel).lstrip("/"))  # failures are reported there; the file is served as it is
        return app(environ, start_response)

    return handle
