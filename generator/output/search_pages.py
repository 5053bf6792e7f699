"""The search index begun before MkDocs writes the pages: one small search page per indexed page, indexed by Pagefind
while MkDocs' page loop runs.

Pagefind reads only what a page has inside `data-pagefind-body`. That region is the theme partial
`partials/rs-search-body.html` (included by `partials/content.html`): the page's heading and HTML, and a hidden box
of filters, sort keys and result metadata from the data. All of it is known once the Markdown workers
(prerender.py) have converted the pages, before MkDocs renders a single one, so each indexed page is written here
as a search page holding just that region, rendered from the same partial, at the path MkDocs will write the page
to (Pagefind makes the result's address from the path). Pagefind's command line then indexes this folder, bundle by
bundle (search_bundles.py: only the bundles whose pages changed), on the core MkDocs' one-at-a-time page loop leaves
idle, at a lower priority so the loop keeps its own. Its index is the one it would write over the finished pages
(tests/test_search_pages.py, tests/test_real_site.py).

Every page MkDocs writes is checked against its search page (`check`): its region must be in the page exactly as
written here, and the page must say nothing else to Pagefind (no other `data-pagefind` attribute); a page that is
not indexed must say nothing to Pagefind at all. On any difference (a theme override of the partial, another
plugin changing the pages, a cached title gone stale) this index is dropped and Pagefind indexes the finished
site, as without it: the index always matches what is published.

Each bundle's pages are linked into a folder of their own in one fixed order (reverse path order,
search_bundles.py), so Pagefind, which numbers pages in the order the filesystem lists them, writes the same
index from build to build; on a filesystem listing the newest entry first (tmpfs) that order is the path order.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import jinja2

from generator.output.pagefind import BUNDLE_DIR, PAGEFIND_NICE, IndexReport, SearchIndexError
from generator.output.search_bundles import BundledIndex, walk_order
from generator.render.search_entries import PageSearch

#: the theme partial of the indexed region (overrides/partials/rs-search-body.html)
REGION_TEMPLATE = "partials/rs-search-body.html"
_MARK = "data-pagefind"
_PAGE = '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"></head>\n<body>\n{}\n</body>\n</html>\n'


def region_template(theme_dirs: list[str]) -> jinja2.Template:
    """The partial, found where the theme finds it (its folders in order: custom_dir first)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dirs), auto_reload=False)  # as MkDocs' Theme.get_env
    return env.get_template(REGION_TEMPLATE)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()


@dataclass
class SearchPages:
    """One build's folder of search pages (`root/site`) and the Pagefind run over it."""

    root: Path
    template: jinja2.Template
    site_name: str
    order: list[str]
    """site paths of the pages in the index, in walk order (`walk_order`); numbered by position"""
    expected: dict[str, str] = field(default_factory=dict)
    """site path -> digest of its region as written; filled by `put` (and from the workers' results)"""
    numbers: dict[str, int] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    """site paths of the pages `check` has seen"""
    problem: str | None = None
    """why this index no longer matches the pages (then the finished site is indexed instead)"""
    run: BundledIndex | None = None

    @classmethod
    def create(cls, root: Path, template: jinja2.Template, site_name: str, pages: list[str]) -> SearchPages:
        if root.exists():
            shutil.rmtree(root)
        (root / "numbered").mkdir(parents=True)
        order = walk_order(pages)
        return cls(root, template, site_name, order, numbers={path: i for i, path in enumerate(order)})

    @property
    def site(self) -> Path:
        return self.root / "site"

    def region(self, content: str, title: str | None, entry: PageSearch | None) -> str:
        """The indexed region of a page, as the theme renders it (partials/content.html includes the partial)."""
        page = SimpleNamespace(content=content, title=title)
        return self.template.render(page=page, config={"site_name": self.site_name}, report_site_search=entry)

    def put(self, path: str, region: str) -> str:
        """Write the search page of site path `path` (numbered; `arrange` moves it into place); its region's digest.
        Safe in a forked worker: each page is its own file."""
        html = _PAGE.format(region)
        # As MkDocs writes a page: UTF-8, a character it cannot encode as a reference (utils.write_file)
        (self.root / "numbered" / f"{self.numbers[path]}.html").write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
        return digest(region)

    def put_file(self, path: str, content: bytes) -> None:
        """An HTML file the site publishes as it is (docs_dir, generated): Pagefind reads it as it would in the site."""
        (self.root / "numbered" / f"{self.numbers[path]}.html").write_bytes(content)
        self.expected[path] = ""

    def missing(self) -> list[str]:
        return [path for path in self.order if path not in self.expected]

    def arrange(self) -> None:
        """Move every numbered page to its site path, in reverse walk order (the same order every build)."""
        numbered = self.root / "numbered"
        made: set[Path] = set()
        for i in range(len(self.order) - 1, -1, -1):
            target = self.site / self.order[i]
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(numbered / f"{i}.html", target)
        numbered.rmdir()

    def start(self, cache_root: Path | None, executable: Path | None = None) -> None:
        """Pagefind over the bundles whose pages are not in the cache, one after another (`poll`)."""
        self.run = BundledIndex(self.site, self.root / BUNDLE_DIR, self.root / "work", cache_root, executable,
                                nice=PAGEFIND_NICE).start()

    def poll(self) -> None:
        """Start the next bundle if the one being indexed is done (called as MkDocs writes each page)."""
        if self.run is not None and self.problem is None:
            self.run.poll()

    def check(self, path: str, region: str | None, output: str) -> None:
        """A page as MkDocs writes it at `path`: `region` is its indexed region now (None: the page is not indexed)."""
        self.checked.add(path)
        if self.problem is not None:
            return
        if region is None:
            if path in self.numbers and self.expected.get(path) != "":
                self.problem = f"{path} was to be indexed but is not"
            elif _MARK in output and path not in self.numbers:
                self.problem = f"{path} is not indexed, but says {_MARK}"
            return
        if self.expected.get(path) != digest(region):
            self.problem = f"{path} changed after its search page was written (another plugin or hook changed its HTML or title?)"
        elif region not in output or output.count(_MARK) != region.count(_MARK):
            self.problem = f"{path} does not hold its indexed region as {REGION_TEMPLATE} renders it (a theme override?)"

    def check_template(self, name: str, output: str) -> None:
        """A page of the theme's own (404.html): Pagefind would read it over the finished site."""
        if self.problem is None and _MARK in output:
            self.problem = f"{name} says {_MARK}"

    def written(self, path: str) -> None:
        """MkDocs skipped the page at `path` (empty output): its search page must not be in the index."""
        if self.problem is None and path in self.numbers:
            self.problem = f"{path} was not written"

    def unchecked(self) -> list[str]:
        """Pages of the index MkDocs did not write (each is checked as it is written)."""
        return [path for path in self.order if self.expected.get(path) != "" and path not in self.checked]

    def finish(self, site_dir: Path, timeout: float = 600) -> tuple[IndexReport, float]:
        """Wait for Pagefind, move the (stabilised) bundles into `site_dir`; the report, and how long this waited."""
        assert self.run is not None and self.problem is None
        start = time.perf_counter()
        report = self.run.wait(timeout)
        waited = time.perf_counter() - start
        target = site_dir / BUNDLE_DIR
        try:
            if target.exists():
                shutil.rmtree(target)
            try:
                os.replace(self.run.output, target)  # a rename: the folder is beside the staged site
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                shutil.move(self.run.output, target)
        except OSError as exc:
            raise SearchIndexError(f"search: could not move the index into {site_dir}: {exc}") from None
        return report, waited

    def dispose(self) -> None:
        if self.run is not None:
            self.run.dispose()
        shutil.rmtree(self.root, ignore_errors=True)

