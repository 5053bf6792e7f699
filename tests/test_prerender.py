"""Pages converted by worker processes or taken from the cache are MkDocs' own pages, byte for byte.

Every build here is a real `mkdocs build --strict` of the tiny project. The reference is MkDocs
converting every page itself (`workers: 1`, no cache); the HTML and the table of contents of
every page reach the built site (the theme prints the toc in each page and the search index's
fragments hold each page's text), so equal trees mean equal conversions.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.output.spool import Spool

from .support import ROOT, copy_tiny, edit, mkdocs_build, tree

PLUGIN = "  - report-site:\n"


def set_options(project: Path, **options: str) -> None:
    lines = "".join(f"      {k}: {v}\n" for k, v in options.items())
    edit(project / "mkdocs.yml", PLUGIN + "      templates_dirs", PLUGIN + lines + "      templates_dirs")


def counts(stderr: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) from the cache, (\d+) converted by \d+ worker processes, (\d+) by MkDocs", stderr)
    assert found, stderr
    cached, workers, mkdocs = map(int, found.groups())
    return cached, workers, mkdocs


def compressed(stderr: str) -> tuple[int, int]:
    found = re.search(r"compressed copies \(\.gz, \.br\): (\d+) from the cache, (\d+) compressed", stderr)
    assert found, stderr
    return int(found.group(1)), int(found.group(2))


def build(project: Path, site: Path) -> tuple[dict[str, str], tuple[int, int, int]]:
    if site.exists():
        shutil.rmtree(site)
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return tree(site), counts(result.stderr)


def test_workers_and_cache_build_what_mkdocs_builds(tmp_path: Path) -> None:
    serial = copy_tiny(tmp_path / "serial")
    set_options(serial, workers="1", cache_dir='""')
    reference, (cached, by_workers, by_mkdocs) = build(serial, tmp_path / "site-serial")
    assert cached == by_workers == 0 and by_mkdocs > 10

    project = copy_tiny(tmp_path / "project")
    set_options(project, workers="2")
    cold, (cached, by_workers, by_mkdocs) = build(project, tmp_path / "site-cold")
    assert (cached, by_mkdocs) == (0, 0) and by_workers > 10
    warm, (cached, by_workers, by_mkdocs) = build(project, tmp_path / "site-warm")
    # The hand-written pages the search index reads (About, Accessibility, Privacy) are converted every build: their
    # fragments come from the data, which their cache key does not hold (search_pages.py)
    assert (by_workers, by_mkdocs) == (3, 0) and cached > 10
    assert cold == reference, [k for k in reference if reference[k] != cold.get(k)]
    assert warm == reference, [k for k in reference if reference[k] != warm.get(k)]


def test_an_untested_mkdocs_converts_every_page_itself(tmp_path: Path) -> None:
    """The conversion ahead relies on MkDocs' private behaviour: on a version it was not tested with, MkDocs' own path
    is taken, the log says so once, and the site is the same."""
    reference = copy_tiny(tmp_path / "reference")
    expected, _counts = build(reference, tmp_path / "site-reference")
    project = copy_tiny(tmp_path / "project")
    (project / "newer_mkdocs.py").write_text("import mkdocs\n\nmkdocs.__version__ = '1.7.0'\n")
    edit(project / "mkdocs.yml", "plugins:", "hooks:\n  - newer_mkdocs.py\nplugins:")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("converted by mkdocs 1.7.0 itself, one page at a time") == 1, result.stderr
    assert "by 2 worker processes" not in result.stderr
    # the same files; the pages differ only where the theme names the MkDocs version (<meta name="generator">)
    same = {path: digest for path, digest in tree(site).items() if not path.endswith((".html", ".gz", ".br"))}
    assert same == {path: digest for path, digest in expected.items() if not path.endswith((".html", ".gz", ".br"))}
    assert sorted(tree(site)) == sorted(expected)
    for page in site.rglob("*.html"):
        text = page.read_text().replace("mkdocs-1.7.0", "mkdocs-1.6.1")
        assert text == (tmp_path / "site-reference" / page.relative_to(site)).read_text(), page


#: A hook that reads every page as it is written, as another plugin may: it must find the page as MkDocs leaves it
READER = """
import logging

log = logging.getLogger("mkdocs.hooks.reader")
seen = []


def on_post_page(output, *, page, config):
    seen.append(page.file.src_uri)
    if not page.markdown or not page.content or page.content not in output:
        log.warning(f"{page.file.src_uri}: its Markdown or HTML is not what MkDocs keeps")
    return output


def on_post_build(*, config):
    log.info(f"reader: {len(seen)} pages read")
"""


def test_pages_put_aside_until_written_are_the_pages_mkdocs_keeps(tmp_path: Path) -> None:
    """Once MkDocs has converted a page, the plugin lets its Markdown go and puts its HTML aside until the theme renders
    it (memory at scale: bench/README.md, "Memory at 3,000 reports"). With another plugin (a hook) reading pages
    later, MkDocs keeps every page as it does without this plugin. The site is the same either way."""
    lean = copy_tiny(tmp_path / "lean")
    result = mkdocs_build(lean, tmp_path / "site-lean", "-v")
    assert result.returncode == 0, result.stderr
    assert "its HTML put aside until it is written" in result.stderr

    kept = copy_tiny(tmp_path / "kept")
    (kept / "reader.py").write_text(READER)
    edit(kept / "mkdocs.yml", "plugins:", "hooks:\n  - reader.py\nplugins:")
    result = mkdocs_build(kept, tmp_path / "site-kept", "-v")
    assert result.returncode == 0, result.stderr
    assert "put aside" not in result.stderr
    read = re.search(r"reader: (\d+) pages read", result.stderr)
    assert read and int(read.group(1)) > 10, result.stderr
    lean_site, kept_site = tree(tmp_path / "site-lean"), tree(tmp_path / "site-kept")
    assert lean_site == kept_site, [k for k in lean_site.keys() | kept_site.keys() if lean_site.get(k) != kept_site.get(k)]


def test_the_spool_gives_back_each_text_as_it_was_once(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    texts = {"a.md": "<p>en dash \u2013, astral \U0001f600, lone surrogate \ud800</p>", "b.md": "", "c.md": "x" * 300_000}
    for name, text in texts.items():
        spool.put(name, text)
    spool.put("a.md", texts["a.md"] + " again")
    assert list(tmp_path.iterdir()) == []  # the file has no name: nothing is left if the build is killed
    assert spool.take("c.md") == texts["c.md"] and spool.take("b.md") == ""
    assert spool.take("a.md") == texts["a.md"] + " again"
    assert spool.take("a.md") is None and len(spool) == 0
    spool.close()


def test_compressed_copies_come_from_the_cache_when_the_file_is_unchanged(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    edit(project / "mkdocs.yml", "precompress: false", "precompress: true")
    runs = []
    for step in ("cold", "warm", "edited"):
        if step == "edited":
            edit(project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a large and varied area.")
        site = tmp_path / f"site-{step}"
        result = mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        runs.append((compressed(result.stderr), tree(site)))
    (cold_reused, cold_done), cold_tree = runs[0]
    assert cold_reused == 0 and cold_done > 50
    assert runs[1][0] == (cold_done, 0) and runs[1][1] == cold_tree
    (reused, done), edited_tree = runs[2]
    assert 0 < done < 10 and reused + done == cold_done, runs[2][0]  # the page that changed (and what lists it)
    shutil.rmtree(project / ".cache")
    result = mkdocs_build(project, tmp_path / "site-fresh")
    assert result.returncode == 0 and compressed(result.stderr)[0] == 0
    assert tree(tmp_path / "site-fresh") == edited_tree


def test_cache_is_outside_the_site_and_ignored_by_git(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    build(project, project / "site")
    cache = project / ".cache" / "report-site"
    assert any(cache.rglob("*")), "the default cache folder was not used"
    assert not any(p.name.startswith(".cache") for p in (project / "site").rglob("*"))
    assert ".cache/" in (ROOT / ".gitignore").read_text().splitlines()
    set_options(project, cache_dir="content/cache")
    result = mkdocs_build(project, tmp_path / "elsewhere")
    assert result.returncode != 0 and "overlaps docs_dir" in result.stderr, result.stderr


def test_warnings_come_back_from_workers_and_cache(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    edit(project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a [large](gone.md) area.")
    outputs = []
    for _ in range(2):  # cold (workers), then warm (cache)
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode != 0
        outputs.append([line for line in result.stderr.splitlines() if line.startswith("WARNING")])
    assert outputs[0] and any("gone.md" in line for line in outputs[0]), outputs[0]
    assert outputs[1] == outputs[0]


def own_templates(project: Path) -> None:
    shutil.copytree(ROOT / "overrides", project / "overrides")
    text = (project / "mkdocs.yml").read_text().replace((ROOT / "overrides").as_posix(), "overrides")
    (project / "mkdocs.yml").write_text(text)


CHANGES = {
    "report": ("site-data/inspections/fife-2023.yaml",
               "The inspectors are confident the partnership can improve.", "The inspectors are confident it can improve."),
    "narrative": ("content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a large and varied area."),
    "template": ("overrides/report-site/inspection.md.j2", "{%", "This line was added to the template.\n\n{%"),
    "glossary": ("site-data/glossary/fife-2023.yaml", "term: Chronology", "term: Chronology of events"),
    "mkdocs.yml": ("mkdocs.yml", "markdown_extensions: [toc,", "markdown_extensions: [{toc: {permalink: true}},"),
    # What only the theme's templates read: the nav, an override, the palette.
    "new report": ("site-data/inspections/na-h-eileanan-siar-2015.yaml", "",
                   "title: Services for children and young people in Na h-Eileanan Siar\npartnership: na-h-eileanan-siar\n"
                   "programme: old-2012\npublished: 2015-03\nnot_stated: [url, publisher]\nevaluations:\n  - {indicator: \"1.1\", grade: 4}\n"),
    "nav": ("site-data/programmes/old-2012.yaml", "short_title: Children's services (2012-2017)", "short_title: Services for children (2012-2017)"),
    "override template": ("overrides/partials/footer.html", "All content is available", "Everything here is available"),
    "palette": ("mkdocs.yml", "  name: material\n", "  name: material\n  palette: {primary: red}\n"),
    "site name": ("mkdocs.yml", "site_name: Tiny test site", "site_name: Tiny test site, renamed"),
}


def change(project: Path, kind: str) -> None:
    path, old, new = CHANGES[kind]
    if not (project / path).exists():  # a new file
        (project / path).write_text(new)
        return
    edit(project / path, old, new)


@pytest.mark.parametrize("kind", list(CHANGES))
def test_warm_build_after_a_change_is_the_cold_build(tmp_path: Path, kind: str) -> None:
    project = copy_tiny(tmp_path / "project")
    own_templates(project)
    before, _ = build(project, tmp_path / "site")
    change(project, kind)
    warm, (cached, _w, _m) = build(project, tmp_path / "site")
    assert warm != before, f"the {kind} change did not show in the site"
    shutil.rmtree(project / ".cache")
    cold, (cached_cold, _w, _m) = build(project, tmp_path / "site")
    assert cached_cold == 0
    assert warm == cold, [k for k in cold if cold[k] != warm.get(k)]
    if kind in ("report", "narrative"):
        assert cached > 0, "an edit to one report should leave other pages' conversions in the cache"
