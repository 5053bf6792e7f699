"""The search index begun before MkDocs writes the pages (generator/output/search_pages.py, the default of `mkdocs build`):
the same index as Pagefind's command line over the finished pages, file for file, cold and from the cache; the same
from build to build; and whenever the pages are not what the search pages said (a theme override, another plugin
changing them), the finished site is indexed instead, so the index always holds what is published.

The real site's comparison is in tests/test_real_site.py."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import ROOT, cli_index_of, copy_tiny, edit, index_of, mkdocs_build

AHEAD = re.compile(r"search: (\d+) pages indexed in [\d.]+ s, begun before MkDocs wrote the pages; the build waited [\d.]+ s for it")
DROPPED = "search: the index begun before the pages is dropped"


@pytest.fixture
def on_tmpfs() -> Iterator[Path]:
    """A folder on tmpfs, which lists the newest entry first: the search pages, made in reverse path order, then list
    in path order, as the sorted copy of the finished site that Pagefind's command line is compared with."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm")
    work = Path(tempfile.mkdtemp(prefix="i15-ahead-", dir=shm))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def indexed_words(site: Path) -> str:
    """All the text Pagefind holds for the site's pages (each fragment's content: gzipped JSON after a signature)."""
    texts = [gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd") for p in sorted(site.glob("pagefind/*/fragment/*"))]
    return " ".join(json.loads(text)["content"] for text in texts)


def test_the_index_begun_before_the_pages_is_the_command_line_s_over_them(tmp_path: Path, on_tmpfs: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    site = on_tmpfs / "site"
    for build in ("cold", "from the cache"):  # search pages from the workers, then from the cache's entries
        result = mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        match = AHEAD.search(result.stderr)
        assert match and DROPPED not in result.stderr, (build, result.stderr)
        assert ("0 from the cache" in result.stderr) == (build == "cold"), result.stderr
        ours, cli = index_of(site), cli_index_of(site)
        assert sorted(ours) == sorted(cli), build
        assert [name for name in cli if ours[name] != cli[name]] == [], build
        fragments = [n for n in cli if "/fragment/" in n]
        assert len(fragments) == int(match.group(1)) > 5
        assert sorted(p.name for p in on_tmpfs.iterdir()) == [".site.lock", "site"]  # the search pages are gone


def test_the_same_index_from_build_to_build(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    first = None
    for _ in range(2):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        result = mkdocs_build(project, project / "site")
        assert result.returncode == 0 and AHEAD.search(result.stderr), result.stderr
        index = index_of(project / "site")
        assert first is None or index == first
        first = index


def _own_theme(project: Path) -> Path:
    """The project with a copy of the theme overrides as its custom_dir (the plugin's templates stay where they are)."""
    theme = project / "theme"
    shutil.copytree(ROOT / "overrides", theme)
    edit(project / "mkdocs.yml", f"custom_dir: {(ROOT / 'overrides').as_posix()}", "custom_dir: theme")
    return theme


def test_a_theme_s_own_search_region_is_what_is_indexed(tmp_path: Path) -> None:
    """An override of the partial itself is what both the pages and their search pages are rendered from."""
    project = copy_tiny(tmp_path / "project")
    theme = _own_theme(project)
    edit(theme / "partials/rs-search-body.html", "{{ page.content }}", "{{ page.content }}<p>Quetzalcoatl</p>")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0 and AHEAD.search(result.stderr), result.stderr
    assert "Quetzalcoatl" in indexed_words(project / "site")


@pytest.mark.parametrize("change", ["theme", "plugin"])
def test_pages_unlike_their_search_pages_are_indexed_as_published(tmp_path: Path, change: str) -> None:
    """A theme that marks the page outside the partial, or a plugin (here a hook) changing the page's HTML after the
    workers converted it: the early index is dropped, and Pagefind indexes the finished pages."""
    project = copy_tiny(tmp_path / "project")
    if change == "theme":
        theme = _own_theme(project)
        edit(theme / "partials/content.html", '{% include "partials/rs-search-body.html" %}',
             '{% include "partials/rs-search-body.html" %}<div data-pagefind-body><p>Quetzalcoatl</p></div>')
    else:
        (project / "hooks.py").write_text("def on_page_content(html, page, config, files):\n"
                                          "    return html + '<p>Quetzalcoatl</p>'\n")
        edit(project / "mkdocs.yml", "plugins:\n", "hooks: [hooks.py]\nplugins:\n")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert DROPPED in result.stderr and not AHEAD.search(result.stderr), result.stderr
    assert re.search(r"search: \d+ pages indexed in [\d.]+ s \(\d+ bundles", result.stderr), result.stderr
    assert "Quetzalcoatl" in indexed_words(project / "site")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == [".site.lock"]  # search pages gone

