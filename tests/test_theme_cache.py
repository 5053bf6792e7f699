"""The theme's rendering is skipped only for pages whose output cannot have changed (generator/adapter/theme_cache.py).

Real `mkdocs build --strict` runs of the tiny project: a warm build takes every page from the cache
and is the cold build byte for byte; a change only the theme can see (the nav, an override template,
the palette) makes every page miss; an edit to one report leaves the pages that do not show it in the
cache; a damaged cache is rendered around. tests/test_prerender.py compares warm and cold builds after
each kind of change, with both caches on. The nav, here a programme's short title, is in every page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.adapter.theme_cache import date_precision, template_reads

from .conftest import copy_tiny, edit, mkdocs_build
from .test_prerender import change, own_templates
from .test_robust import tree


def theme_counts(stderr: str) -> tuple[int, int]:
    found = re.search(r"theme templates: (\d+) pages from the cache, (\d+) rendered", stderr)
    assert found, stderr
    return int(found.group(1)), int(found.group(2))


def build(project: Path, site: Path) -> tuple[dict[str, str], tuple[int, int]]:
    if site.exists():
        shutil.rmtree(site)
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return tree(site), theme_counts(result.stderr)


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, dict[str, str], int]:
    """A project with its own templates, built twice: (project, site tree, number of pages)."""
    project = copy_tiny(tmp_path / "project")
    own_templates(project)
    cold, (taken, rendered) = build(project, tmp_path / "site")
    assert taken == 0 and rendered > 10
    again, (taken, rendered_again) = build(project, tmp_path / "site")
    assert (taken, rendered_again) == (rendered, 0), "an unchanged site should take every page from the cache"
    assert again == cold
    return project, cold, rendered


@pytest.mark.parametrize("kind", ["nav", "override template", "palette", "site name"])
def test_what_every_page_shows_makes_every_page_miss(warm: tuple[Path, dict[str, str], int], tmp_path: Path, kind: str) -> None:
    project, before, pages = warm
    change(project, kind)
    after, (taken, rendered) = build(project, tmp_path / "site")
    assert after != before
    assert taken == 0 and rendered >= pages, f"after a {kind} change no page's stored output may be used"


def test_a_new_report_renders_the_pages_that_show_it(warm: tuple[Path, dict[str, str], int], tmp_path: Path) -> None:
    project, before, pages = warm
    change(project, "new report")  # not in the nav (reports are listed on index pages): other pages keep theirs
    after, (taken, rendered) = build(project, tmp_path / "site")
    assert "inspections/na-h-eileanan-siar-2015/index.html" in after
    assert 0 < rendered < pages / 2 and taken + rendered == pages + 1, (taken, rendered)


def test_an_edit_to_one_narrative_renders_only_the_pages_that_show_it(warm: tuple[Path, dict[str, str], int], tmp_path: Path) -> None:
    project, before, pages = warm
    change(project, "narrative")
    after, (taken, rendered) = build(project, tmp_path / "site")
    assert 0 < rendered < 5 and taken + rendered == pages, (taken, rendered)
    changed = {k for k in before if after.get(k) != before[k] and not k.endswith((".gz", ".br"))}
    assert "inspections/fife-2023/index.html" in changed, changed


def test_damaged_or_deleted_entries_are_rendered_again(warm: tuple[Path, dict[str, str], int], tmp_path: Path) -> None:
    project, before, pages = warm
    entries = [p for p in (project / ".cache/report-site").glob("theme-*/*/*") if p.is_file()]
    assert len(entries) == pages
    for path in entries[::2]:
        path.write_bytes(path.read_bytes()[:20])  # cut short: the length prefix no longer matches
    for path in entries[1::4]:
        path.write_bytes(path.read_bytes()[:8] + b"not zlib" + path.read_bytes()[16:])
    after, (taken, rendered) = build(project, tmp_path / "site")
    assert after == before
    assert rendered >= len(entries[::2]) and taken + rendered == pages
    shutil.rmtree(project / ".cache")
    fresh, (taken, rendered) = build(project, tmp_path / "site")
    assert fresh == before and (taken, rendered) == (0, pages)


def test_no_cache_dir_means_the_theme_renders_every_page(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    edit(project / "mkdocs.yml", "  - report-site:\n", "  - report-site:\n      cache_dir: ''\n")
    for _ in range(2):
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        assert "theme templates:" not in result.stderr
    assert not (project / ".cache").exists()


@pytest.mark.parametrize(("template", "precision"), [
    ("no date here", None),
    ('built on {{ build_date_utc.strftime("%-d %B %Y") }}', "day"),
    ("built {{ build_date_utc.strftime('%Y-%m-%d') }}", "day"),
    ('at {{ build_date_utc.strftime("%H:%M") }}', "time"),
    ("{{ build_date_utc }}", "time"),
    ('{{ build_date_utc.strftime("%d") }} and {{ build_date_utc.isoformat() }}', "time"),
])
def test_the_key_holds_as_much_of_the_build_date_as_a_template_prints(template: str, precision: str | None) -> None:
    assert date_precision(template) == precision


@pytest.mark.parametrize(("template", "reads"), [
    ("{{ page.title }} lists the pages of the site {# the pages #}", False),
    ("{% for p in nav_item.pages %}{{ p.title }}{% endfor %}", False),
    ("{% for p in pages %}{{ p.title }}{% endfor %}", True),
    ("{{ pages | length }}", True),
    ("{%- set all = pages -%}", True),
])
def test_the_list_of_every_page_is_in_the_key_only_if_a_template_reads_it(template: str, reads: bool) -> None:
    assert template_reads(template).pages is reads


def test_another_plugin_on_the_page_turns_the_cache_off(tmp_path: Path) -> None:
    """A hook (MkDocs runs it as a plugin) that adds to the page's context: the key cannot know what it reads."""
    project = copy_tiny(tmp_path / "project")
    (project / "stamp.py").write_text(
        "def on_page_context(context, page, config, nav):\n"
        "    context['config'].extra['stamp'] = page.file.src_uri\n"
        "    return context\n")
    edit(project / "mkdocs.yml", "plugins:\n", "hooks: [stamp.py]\nplugins:\n")
    for _ in range(2):
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        assert "theme templates: every page rendered (not cached), since stamp.py also handles" in result.stderr, result.stderr
    assert not list((project / ".cache/report-site").glob("theme-*"))
