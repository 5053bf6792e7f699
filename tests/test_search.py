"""Site search (generator/output/pagefind.py, Pagefind): what is indexed, how the build fails, and, in Chromium
on the real site, what a reader gets.

Tiny sites (no browser): the index is built inside `mkdocs build` and published with the site; the
theme's search index is gone; pages carry their filters and metadata from the data; the editors'
notes, breadcrumbs and charts are left out; a missing or failing indexer stops the build and leaves
the published site as it was.

The real site in Chromium: no page but the search page fetches anything for search; "chronology"
finds the pages that say "chronologies"; a partnership filter leaves only that partnership's
publications; no word found only in editors' notes finds anything; the results announce their
number and keyboard focus moves as described in overrides/assets/report-site-search.js.
"""

from __future__ import annotations

import html
import html.parser
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.output.pagefind import EXCLUDE_SELECTORS

from .support import CHROMIUM, ROOT, copy_tiny, fake_pagefind, is_local, mkdocs_build


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


class IndexedText(html.parser.HTMLParser):
    """The text Pagefind indexes on one page: inside data-pagefind-body, outside EXCLUDE_SELECTORS
    and data-pagefind-ignore (the selectors here are single classes or tag names)."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.classes = {s[1:] for s in EXCLUDE_SELECTORS if s.startswith(".")}
        self.tags = {s for s in EXCLUDE_SELECTORS if s.isalpha()}
        self.stack: list[tuple[str, bool, bool]] = []  # tag, in body, skipped
        self.parts: list[str] = []
        self.has_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        body = (self.stack[-1][1] if self.stack else False) or "data-pagefind-body" in a
        self.has_body |= "data-pagefind-body" in a
        skipped = (self.stack[-1][2] if self.stack else False) or tag in self.tags or "data-pagefind-ignore" in a \
            or bool(self.classes & set((a.get("class") or "").split()))
        self.stack.append((tag, body, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.parts.append(data)

    @classmethod
    def of(cls, page: Path) -> str | None:
        parser = cls()
        parser.feed(page.read_text())
        return " ".join(" ".join(parser.parts).split()) if parser.has_body else None


def page_url(site: Path, page: Path) -> str:
    """The site path a result links to ("inspections/fife-2023/")."""
    rel = page.relative_to(site).as_posix()
    return rel.removesuffix("index.html")


# --- tiny sites, no browser ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def built(tiny_site: Path) -> Path:
    return tiny_site


def bundles_of(site: Path) -> list[str]:
    import json

    return list(json.loads((site / "pagefind/rs-bundles.json").read_text()))


def test_index_is_built_with_the_site_and_the_theme_index_is_gone(built: Path) -> None:
    bundles = bundles_of(built)
    assert len(bundles) > 1 and "site" in bundles, bundles
    assert (built / "pagefind" / bundles[0] / "pagefind.js").is_file()  # the others are merged into the first
    for bundle in bundles:
        assert list((built / "pagefind" / bundle / "fragment").iterdir()), f"no page was indexed in {bundle}"
    assert not list(built.rglob("search_index.json")), "the theme's whole-site search index is still built"
    for page in built.rglob("*.html"):
        if page != built / "search/index.html":
            text = page.read_text()
            assert "pagefind/" not in text and "report-site-search" not in text, f"{page} loads search files"


def test_every_page_links_to_the_search_page(built: Path) -> None:
    for page in [built / "index.html", built / "inspections/fife-2023/index.html", built / "glossary/index.html"]:
        links = re.findall(r'<a href="([^"#]+)#rs-search-q" class="md-header__button md-icon rs-search-link" aria-label="Search this site">', page.read_text())
        assert links, f"no search link in the header of {page}"
        assert (page.parent / links[0] / "index.html").resolve() == (built / "search/index.html").resolve()


def test_search_page_says_what_to_do_without_javascript(built: Path) -> None:
    page = (built / "search/index.html").read_text()
    nojs = re.search(r'<div class="rs-search-nojs">(.*?)</div>', page, re.S)
    assert nojs, "the search page has no message for readers without JavaScript"
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", nojs.group(1))).split())
    assert "Search needs JavaScript" in text
    assert re.search(r'<a href="\.\./partnerships/">Partnerships A to Z</a>', nojs.group(1))
    assert re.search(r'<a href="\.\./publications/">All publications</a>', nojs.group(1))
    assert re.search(r'<div class="rs-search" data-rs-search data-bundle="\.\./pagefind/" hidden>', page)
    assert IndexedText.of(built / "search/index.html") is None, "the search page itself is indexed"


def test_pages_carry_filters_and_metadata_from_the_data(built: Path) -> None:
    page = (built / "inspections/fife-2023/index.html").read_text()
    box = re.search(r"<div hidden data-pagefind-ignore>(.*?)</div>", page, re.S)
    assert box, "no search metadata on the report"
    pairs = re.findall(r'<span data-pagefind-(meta|filter|sort)="([^"]+)">([^<]*)</span>', box.group(1))
    got = {(kind, name, html.unescape(value)) for kind, name, value in pairs}
    assert ("filter", "Partnership", "Fife") in got
    assert ("filter", "Type", "Inspection report") in got
    assert ("meta", "partnership", "Fife") in got
    assert ("meta", "type", "Inspection report") in got
    assert ("filter", "Grade", "Very good (5)") in got  # the report's published grade; "Not published" is no grade
    assert not any(name == "Grade" and "Not published" in v for _k, name, v in got)
    assert any(kind == "filter" and name == "Year" for kind, name, _v in got)
    assert any(kind == "sort" and name == "date" and re.fullmatch(r"\d{4}(-\d\d){0,2}", v) for kind, name, v in got)
    # Index pages and the home page are not indexed; content pages are, without notes or breadcrumbs.
    assert IndexedText.of(built / "publications/index.html") is None
    assert IndexedText.of(built / "index.html") is None
    assert IndexedText.of(built / "about/index.html")


def test_filter_values_are_written_beside_the_index(built: Path) -> None:
    """The search page's selects come from FILTER_VALUES (not from Pagefind's filter chunks, which grow with
    the site): it holds exactly the values the pages give the index, each once."""
    import json

    from generator.output.search_bundles import FILTER_VALUES

    given: dict[str, set[str]] = {}
    for page in built.rglob("*.html"):
        for name, value in re.findall(r'<span data-pagefind-filter="([^"]+)">([^<]*)</span>', page.read_text()):
            given.setdefault(html.unescape(name), set()).add(html.unescape(value))
    written = json.loads((built / "pagefind" / FILTER_VALUES).read_text())
    assert {name: set(values) for name, values in written.items()} == given
    assert all(values == sorted(set(values)) for values in written.values())
    assert {"Partnership", "Type", "Year", "Grade"} <= set(written)


def test_a_rebuild_indexes_only_the_bundles_whose_pages_changed(tiny: Path) -> None:
    """An edited report changes its area's bundle; every other bundle is taken from the cache as it was, file for
    file (the same names: browsers keep what they fetched), and the index is the one a cold build writes."""
    import shutil

    from .support import edit

    site = tiny / "site"
    first = mkdocs_build(tiny, site)
    assert first.returncode == 0 and "0 unchanged" in first.stderr, first.stderr
    before = tree(site / "pagefind")
    edit(tiny / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a kingdom.")
    result = mkdocs_build(tiny, site)
    assert result.returncode == 0, result.stderr
    bundles = bundles_of(site)
    assert f"({len(bundles)} bundles, 1 indexed, {len(bundles) - 1} unchanged)" in result.stderr, result.stderr
    after = tree(site / "pagefind")
    fife = bundle_of_page(site, "inspections/fife-2023/")
    for bundle in bundles:
        old = {k: v for k, v in before.items() if k.startswith(f"{bundle}/")}
        new = {k: v for k, v in after.items() if k.startswith(f"{bundle}/")}
        assert (old == new) == (bundle != fife), bundle
    shutil.rmtree(tiny / ".cache")
    cold = tiny / "cold"
    assert mkdocs_build(tiny, cold).returncode == 0
    assert tree(cold / "pagefind") == after


def test_titles_reach_the_index_escaped_once(tiny: Path) -> None:
    """A title with markup characters is text in the index's metadata, never markup."""
    from .support import edit

    edit(tiny / "site-data/inspections/fife-2023.yaml", "title: ", "title: <b>Bold</b> & \"quoted\" ")
    site = tiny / "site"
    result = mkdocs_build(tiny, site)
    assert result.returncode == 0, result.stderr
    page = (site / "inspections/fife-2023/index.html").read_text()
    title = re.search(r'<span data-pagefind-meta="title">([^<]*)</span>', page)
    assert title and html.unescape(title.group(1)).startswith('<b>Bold</b> & "quoted" '), title


def test_notes_and_breadcrumbs_are_not_indexed(tiny: Path) -> None:
    report = tiny / "site-data/inspections/fife-2023.yaml"
    report.write_text(report.read_text() + "notes:\n  - The cover gives a zygomorphic heading, kept as published.\n")
    result = mkdocs_build(tiny, tiny / "site")
    assert result.returncode == 0, result.stderr
    page = tiny / "site/inspections/fife-2023/index.html"
    source = page.read_text()
    notes = re.search(r'<details class="info rs-notes">(.*?)</details>', source, re.S)
    assert notes, "the report has no notes box to leave out (the tiny site should have one)"
    note_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", notes.group(1))).split())
    indexed = IndexedText.of(page)
    assert indexed and "Notes on this record" not in indexed and note_text[:40] not in indexed
    assert "›" not in indexed  # the breadcrumb's separators


@pytest.mark.parametrize(("data", "page"), [
    ("frameworks/qf-2019.yaml", "frameworks/qf-2019/index.html"),
    ("scales/six-point.yaml", "evaluation-scale/index.html"),
    ("proportion-words/standard-terms.yaml", "evaluation-scale/index.html"),
])
def test_notes_on_reference_data_are_shown_but_not_indexed(tiny: Path, data: str, page: str) -> None:
    """Frameworks, scales and proportion words print their notes as text, not in the notes box: still not indexed."""
    record = tiny / "site-data" / data
    record.write_text(record.read_text() + "notes: The source prints a quincunx heading here, kept as published.\n")
    result = mkdocs_build(tiny, tiny / "site")
    assert result.returncode == 0, result.stderr
    built = tiny / "site" / page
    assert "quincunx heading" in built.read_text(), "the note is not shown on the page"
    indexed = IndexedText.of(built)
    assert indexed and "quincunx" not in indexed


def test_index_files_do_not_depend_on_pagefind_s_order(built: Path, tmp_path: Path) -> None:
    """Pagefind writes filter values and the filter list in hash-map order, different each run; after
    `stabilise` the same index is the same bytes whatever order it came in (the real runs: test_robust)."""
    import json
    import shutil

    from generator.output.pagefind_stable import chunk_bytes, read_chunk, stabilise

    def filters(name: str) -> int:
        entry = json.loads((built / "pagefind" / name / "pagefind-entry.json").read_text())
        return len(read_chunk(built / "pagefind" / name / f"pagefind.{next(iter(entry['languages'].values()))['hash']}.pf_meta")[3])

    original = built / "pagefind" / max(bundles_of(built), key=filters)
    bundle = tmp_path / "pagefind"
    shutil.copytree(original, bundle)
    entry = bundle / "pagefind-entry.json"
    language, info = next(iter(json.loads(entry.read_text())["languages"].items()))
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta = read_chunk(meta_path)
    assert len(meta[3]) >= 3, "the tiny site should have several filters"
    shuffled = []
    for number, (name, chunk_hash) in enumerate(reversed(meta[3])):  # another order, other names
        path = bundle / "filter" / f"{chunk_hash}.pf_filter"
        filter_name, values = read_chunk(path)
        path.unlink()
        other = f"{language}_{number:07d}"
        (bundle / "filter" / f"{other}.pf_filter").write_bytes(chunk_bytes([filter_name, list(reversed(values))]))
        shuffled.append([name, other])
    meta[3] = shuffled
    meta_path.unlink()
    (bundle / f"pagefind.{language}_0000000000.pf_meta").write_bytes(chunk_bytes(meta))
    entry.write_text(entry.read_text().replace(info["hash"], f"{language}_0000000000"))
    assert tree(bundle) != tree(original)
    stabilise(bundle)
    assert tree(bundle) == tree(original)


def indexed_pages(site: Path) -> dict[str, dict]:
    """URL -> Pagefind's record of the page (its fragment: url, content, meta, filters), read from the built bundle."""
    import gzip
    import json

    out = {}
    for fragment in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        out[record["url"]] = record
    return out


#: result types of pages made of other pages: a theme, a partnership, a programme, a framework
AGGREGATE_TYPES = {"Theme", "Partnership", "Programme", "Quality framework"}


def test_pages_that_list_other_pages_do_not_grow_with_them(built: Path, tmp_path: Path) -> None:
    """A theme quotes every publication on it, a partnership lists its inspections and their grades, a programme
    grades every inspection in it: that text is shown (rs-repeated) but not indexed, so what such a page adds to
    a first query stays the same however many publications the site holds (issue 15: one theme page's record
    was 137.5 KB of the 407 KB a first query fetched at 3,000 reports). The page is still found by its own words."""
    project = copy_tiny(tmp_path / "project")
    source = (project / "site-data/inspections/fife-2023.yaml").read_text()
    for n in range(1, 6):  # five more Fife inspections in the same programme, on the same themes, published earlier
        copy = source.replace("published: 2023-09-12", f"published: 2023-09-0{n}").replace("narrative: narrative/inspections/fife-2023.md\n", "")
        assert copy != source
        (project / f"site-data/inspections/fife-2023-copy{n}.yaml").write_text(copy)
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    before, after = indexed_pages(built), indexed_pages(site)
    assert len(after) == len(before) + 5, "the copies were not indexed"
    aggregates = {url: r for url, r in before.items() if r["meta"].get("type") in AGGREGATE_TYPES}
    assert {r["meta"]["type"] for r in aggregates.values()} == AGGREGATE_TYPES, "the tiny site should have one of each"

    def words(text: str) -> str:  # counts ("Publications on this site: 4") may change, words may not
        return re.sub(r"\d+", "#", text)

    for url, record in aggregates.items():
        assert words(after[url]["content"]) == words(record["content"]), f"{url}: its indexed text grows with the publications"
    # ...and the text really is on the pages: each copy is listed on Fife's page and quoted on the theme's
    fife = (site / "partnerships/fife/index.html").read_text()
    theme = (site / "themes/chronologies/index.html").read_text()
    for n in range(1, 6):
        assert f"inspections/fife-2023-copy{n}/" in fife and f"inspections/fife-2023-copy{n}/" in theme
    # Found by their own words: title, description, facts of their own
    assert after["/themes/chronologies/"]["content"].startswith("Chronologies. Records of significant events in a child")
    assert "Council: Fife Council" in after["/partnerships/fife/"]["content"]
    assert "Chronologies were in place" not in after["/themes/chronologies/"]["content"]  # a finding quoted from a report


@pytest.mark.parametrize("case", ["missing", "fails", "crashes"])
def test_a_failed_index_publishes_nothing(tiny: Path, built: Path, case: str) -> None:
    site = tiny / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site")
    before = tree(site)
    if case == "missing":
        body = "def get_executable():\n    raise FileNotFoundError('no binary in this wheel')\n"
    else:
        script = tiny / "pagefind-that-fails"
        fail = "exit 3" if case == "fails" else "kill -SEGV $$"
        script.write_text(f"#!/bin/sh\necho 'Error: something went wrong' >&2\n{fail}\n")
        script.chmod(0o755)
        body = f"def get_executable():\n    return {str(script)!r}\n"
    env = fake_pagefind(tiny, body)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(tiny / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    expected = {"missing": "has no binary", "fails": "Pagefind failed (exit 3)", "crashes": "Pagefind failed (exit -11)"}[case]
    assert expected in result.stderr and "nothing was published" in result.stderr, result.stderr
    assert tree(site) == before, "the published site changed"
    assert not list(tiny.glob(".site.building*")) + list(tiny.glob(".site.search-*")), "staging folder left behind"


def test_a_pagefind_that_stops_answering_is_stopped(tmp_path: Path) -> None:
    """No build waits for ever: Pagefind is stopped after its time and the build told why."""
    from generator.output.pagefind import PagefindRun, SearchIndexError

    script = tmp_path / "pagefind-that-hangs"
    script.write_text("#!/bin/sh\nexec sleep 600\n")
    script.chmod(0o755)
    (tmp_path / "site").mkdir()
    run = PagefindRun(tmp_path / "site", tmp_path / "bundle", script)
    with pytest.raises(SearchIndexError, match="did not finish indexing .* within 1 s; it was stopped"):
        run.wait(timeout=1)
    assert run.proc.poll() is not None


def test_a_pagefind_that_has_finished_is_read_to_the_end_even_with_no_time_left(tmp_path: Path) -> None:
    """A build asks a finished Pagefind for its output with no time left: a busy machine that is slow to hand over
    the last of it is not a Pagefind that stopped answering (CI, stop 31)."""
    from generator.output.pagefind import PagefindRun, pagefind_executable

    script = tmp_path / "pagefind-slow-to-close"
    # something Pagefind started keeps its output open for a moment after it exits
    script.write_text(f"#!/bin/sh\n(sleep 1) &\nexec {str(pagefind_executable())!r} \"$@\"\n")
    script.chmod(0o755)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body><main data-pagefind-body><p>Fife</p></main></body></html>")
    run = PagefindRun(tmp_path / "site", tmp_path / "bundle", script)
    while not run.done():
        time.sleep(0.05)
    report = run.wait(timeout=0)
    assert report.pages == 1 and (tmp_path / "bundle" / "pagefind.js").is_file()


def test_a_pagefind_whose_output_never_closes_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.output import pagefind
    from generator.output.pagefind import PagefindRun, SearchIndexError

    monkeypatch.setattr(pagefind, "OUTPUT_GRACE", 1.0)
    script = tmp_path / "pagefind-that-leaves-its-output-open"
    script.write_text("#!/bin/sh\n(exec sleep 5) &\nexit 0\n")
    script.chmod(0o755)
    (tmp_path / "site").mkdir()
    run = PagefindRun(tmp_path / "site", tmp_path / "bundle", script)
    while not run.done():
        time.sleep(0.05)
    with pytest.raises(SearchIndexError, match="finished indexing .* but its output was still open 1 s later"):
        run.wait(timeout=0)


def _pagefind_that_says_its_priority(folder: Path) -> tuple[Path, Path]:
    from generator.output.pagefind import pagefind_executable

    seen = folder / "niceness"
    script = folder / "pagefind-that-says-its-priority"
    script.write_text(f"#!/bin/sh\nnice > {str(seen)!r}\nexec {str(pagefind_executable())!r} \"$@\"\n")
    script.chmod(0o755)
    return script, seen


def test_pagefind_beside_the_page_loop_runs_below_the_build_s_priority(tmp_path: Path) -> None:
    from generator.output.pagefind import PAGEFIND_NICE, PagefindRun

    script, seen = _pagefind_that_says_its_priority(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body><main data-pagefind-body><p>Fife</p></main></body></html>")
    PagefindRun(tmp_path / "site", tmp_path / "bundle", script, nice=PAGEFIND_NICE).wait()
    assert int(seen.read_text()) == os.nice(0) + PAGEFIND_NICE


def test_the_preview_s_index_runs_below_the_priority_of_the_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve` checks the next edit while Pagefind indexes the last one, in the background: Pagefind takes what
    the preview leaves (its process has threads, so the priority is set without running Python in the child)."""
    import threading

    from generator.output import search_bundles
    from generator.output.pagefind import PAGEFIND_NICE, IndexReport, SearchIndexError

    script, seen = _pagefind_that_says_its_priority(tmp_path)
    monkeypatch.setattr(search_bundles, "pagefind_executable", lambda: script)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><body><main data-pagefind-body data-rs-bundle="site"><p>Fife</p></main></body></html>')
    results: list[IndexReport | SearchIndexError] = []
    finished = threading.Event()
    index = search_bundles.BackgroundIndex(site, lambda result: (results.append(result), finished.set()))
    index.start()
    assert finished.wait(120), "the background index did not finish"
    index.stop()
    assert isinstance(results[0], IndexReport), results
    assert int(seen.read_text()) == os.nice(0) + PAGEFIND_NICE


def test_search_can_be_switched_off(tiny: Path) -> None:
    from .support import edit

    edit(tiny / "mkdocs.yml", "  - report-site:\n", "  - report-site:\n      search: false\n")
    site = tiny / "site"
    result = mkdocs_build(tiny, site)
    assert result.returncode == 0, result.stderr
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert "rs-search-link" not in (site / "index.html").read_text()
    assert "data-pagefind" not in (site / "inspections/fife-2023/index.html").read_text()


# --- the real site in Chromium ------------------------------------------------------------------

browser_only = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `sh .ci/setup --browser` to install it"),
]


@pytest.fixture(scope="module")
def chromium(browser: object) -> Iterator[object]:
    # The session's shared Chromium (conftest): Playwright's sync API allows one at a time, and the
    # browser and phone tests keep theirs open for the whole session.
    yield browser


class Searcher:
    """One tab; records every request it makes."""

    def __init__(self, browser, base: str, viewport: dict[str, int] | None = None) -> None:
        self.base = base
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open_search(self, query: str = "", hash: str = "") -> object:
        self.page.goto(self.base + "search/" + (f"?q={query}" if query else "") + hash, wait_until="load")
        self.page.wait_for_selector(".rs-search[data-ready]:not([hidden])")
        return self.page

    def all_results(self) -> list[str]:
        """Every result's page, pressing "Show more results" until there are no more (without the section it lands on)."""
        page = self.page
        while page.locator(".rs-search__more").is_visible():
            count = page.locator(".rs-result").count()
            page.click(".rs-search__more")
            page.wait_for_function(f"() => document.querySelectorAll('.rs-result').length > {count}")
        hrefs = page.eval_on_selector_all(".rs-result__title a", "as => as.map(a => a.getAttribute('href'))")
        prefix = "/inspections/"
        return [h.split("#")[0].removeprefix(prefix) for h in hrefs]

    def count(self) -> int:
        status = self.page.inner_text(".rs-search__status")
        match = re.match(r"([\d,]+) results?", status)
        return int(match.group(1).replace(",", "")) if match else 0

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def searcher(chromium, real_url: str) -> Iterator[Searcher]:
    s = Searcher(chromium, real_url)
    yield s
    s.close()


def _mark(func):
    for mark in browser_only:
        func = mark(func)
    return func


@_mark
@pytest.mark.parametrize("path", ["", "inspections/north-lanarkshire-2023/", "partnerships/fife/", "glossary/", "publications/"])
def test_loading_a_page_fetches_nothing_for_search(searcher: Searcher, path: str) -> None:
    searcher.page.goto(searcher.base + path, wait_until="networkidle")
    searcher.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    searcher.page.wait_for_timeout(200)
    assert searcher.requests, "no requests recorded"
    fetched = [u for u in searcher.requests if re.search(r"/pagefind/|search_index\.json|workers/search|report-site-search", u)]
    assert fetched == [], f"/{path} fetched search files before any search: {fetched}"
    assert searcher.errors == []


@_mark
def test_chronology_finds_the_pages_that_say_chronologies(searcher: Searcher, real_site: Path) -> None:
    searcher.open_search("chronology")
    found = set(searcher.all_results())
    texts = {page_url(real_site, p): IndexedText.of(p) for p in real_site.rglob("*.html")}
    texts = {url: text for url, text in texts.items() if text is not None}
    plural_only = {url for url, text in texts.items() if re.search(r"\bchronologies\b", text, re.I)
                   and not re.search(r"\bchronology\b", text, re.I)}
    saying_either = {url for url, text in texts.items() if re.search(r"\bchronolog(y|ies)\b", text, re.I)}
    assert plural_only, "no page says only 'chronologies': the test shows nothing about stemming"
    assert saying_either <= found, f"pages that say chronology/chronologies but are not found: {sorted(saying_either - found)}"
    stem = {url for url, text in texts.items() if re.search(r"\bchronolog", text, re.I)}
    assert found <= stem, f"results that do not contain the word: {sorted(found - stem)}"
    assert searcher.count() == len(found)
    assert searcher.errors == []


@_mark
def test_a_result_lands_on_the_section_that_holds_the_words(searcher: Searcher) -> None:
    """Each result links to the heading of the section with most of the words (Pagefind's sub-results), so the reader
    arrives at the match, not at the top of a page 20 screens long (issue 26)."""
    page = searcher.open_search("chronology")
    page.wait_for_selector(".rs-result")
    hrefs = page.eval_on_selector_all(".rs-result__title a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all("#" in h for h in hrefs), hrefs
    report = next(h for h in hrefs if "/inspections/north-lanarkshire-2023/" in h)
    page.locator(f'.rs-result__title a[href="{report}"]').click()
    page.wait_for_url("**/inspections/north-lanarkshire-2023/#*")
    page.wait_for_function("() => document.readyState === 'complete'")
    landed = page.evaluate("""() => {
        const heading = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        const r = heading.getBoundingClientRect();
        let text = '', el = heading.nextElementSibling;
        while (el && !/^H[1-6]$/.test(el.tagName)) { text += ' ' + el.textContent; el = el.nextElementSibling; }
        return {top: r.top, bottom: r.bottom, height: innerHeight, scrolled: scrollY, text};
    }""")
    assert landed["scrolled"] > 0 and 0 <= landed["top"] < landed["height"], landed  # the heading is on screen
    assert re.search(r"chronolog", landed["text"], re.I), landed["text"][:300]  # and the words are in its section
    assert searcher.errors == []


@_mark
def test_a_misspelt_word_gets_the_site_s_own_word_offered(searcher: Searcher) -> None:
    """"chronolgy" finds nothing; the search offers "chronology", a word of the site's pages, and searches it."""
    from playwright.sync_api import expect

    page = searcher.open_search("chronolgy")
    expect(page.locator(".rs-search__status")).to_contain_text("No pages match for “chronolgy”")
    offer = page.locator(".rs-search__suggest a")
    expect(offer).to_have_text("chronology")
    offer.click()
    expect(page.locator(".rs-search__status")).to_contain_text("for “chronology”")
    assert page.locator("#rs-search-q").input_value() == "chronology"
    assert page.locator(".rs-result").count() > 0 and page.locator(".rs-search__suggest").is_hidden()
    assert searcher.errors == []


@_mark
def test_glossary_letters_are_not_search_results(searcher: Searcher) -> None:
    """The glossary's letter headings are for finding one's way, not words anyone searches for."""
    page = searcher.open_search("K")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.length > 0")
    sections = page.eval_on_selector_all(".rs-result__section", "ps => ps.map(p => p.textContent)")
    assert not any(re.fullmatch(r"In “[A-Z]”", s) for s in sections), sections


@_mark
def test_a_partnership_filter_leaves_only_its_publications(searcher: Searcher) -> None:
    from generator.derive.paths import page_path
    from generator.derive.site import check_site

    _data, derived, _problems = check_site(ROOT)
    assert derived is not None
    name = derived.data.partnerships["north-lanarkshire"].name
    own = {page_path(p).removesuffix(".md") + "/" for p in derived.by_partnership["north-lanarkshire"]}
    page = searcher.open_search()
    page.select_option("#rs-filter-partnership", label=name)
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.includes('Partnership:')")
    filtered = set(searcher.all_results())
    assert filtered == own, f"filter by {name}: {sorted(filtered ^ own)} differ from its publications"
    # With words as well, still only its publications
    page.fill("#rs-search-q", "partnership")
    page.press("#rs-search-q", "Enter")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.includes('“partnership”')")
    with_words = set(searcher.all_results())
    assert with_words and with_words <= own, sorted(with_words - own)
    assert "partnership=North+Lanarkshire" in page.url or "partnership=North%20Lanarkshire" in page.url


@_mark
def test_a_first_query_fetches_only_what_it_shows(searcher: Searcher, real_site: Path) -> None:
    """Opening the search and running a query fetches no filter chunk (they list every page of every value) and
    one fragment per result shown; a filter's chunk comes only when a reader filters by it."""
    import json

    page = searcher.open_search()
    values = json.loads((real_site / "pagefind/rs-filter-values.json").read_text())
    page.fill("#rs-search-q", "chronology")
    page.press("#rs-search-q", "Enter")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.includes('“chronology”')")
    page.wait_for_timeout(300)
    fetched = [u for u in searcher.requests if "/pagefind/" in u]
    assert not [u for u in fetched if "/filter/" in u], "filter chunks were fetched before any filter was chosen"
    shown = page.locator(".rs-result").count()
    assert 0 < shown <= 10
    assert len([u for u in fetched if "/fragment/" in u]) == shown
    # Every filter is still offered, its values from the index
    options = page.eval_on_selector_all("#rs-filter-partnership option", "os => os.map(o => o.textContent)")
    assert options[0] == "Any" and "North Lanarkshire" in options and "Fife" in options
    assert sorted(options[1:]) == sorted(values["Partnership"])
    page.select_option("#rs-filter-partnership", label="Fife")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.includes('Partnership: Fife')")
    chunks = [u.rpartition("/pagefind/")[2] for u in searcher.requests if "/filter/" in u]
    assert chunks and sorted(chunks) == sorted(set(chunks)) and set(chunks) <= filter_chunks(real_site, "Partnership"), \
        "choosing one filter should fetch its chunk only, once in each bundle"
    assert searcher.errors == []


def filter_chunks(site: Path, name: str) -> set[str]:
    """`bundle/filter/<chunk>.pf_filter` of filter `name` in each bundle that has it."""
    import json

    from generator.output.pagefind_stable import read_chunk

    out = set()
    for bundle in bundles_of(site):
        entry = json.loads((site / "pagefind" / bundle / "pagefind-entry.json").read_text())
        meta = read_chunk(site / "pagefind" / bundle / f"pagefind.{next(iter(entry['languages'].values()))['hash']}.pf_meta")
        out |= {f"{bundle}/filter/{chunk}.pf_filter" for filter_name, chunk in meta[3] if filter_name == name}
    return out


def bundle_of_page(site: Path, url: str) -> str:
    match = re.search(r'data-pagefind-body data-rs-bundle="([^"]+)"', (site / url.lstrip("/") / "index.html").read_text())
    assert match, url
    return match.group(1)


@_mark
def test_results_come_from_every_bundle_in_one_order(searcher: Searcher, real_site: Path) -> None:
    """The index is several bundles merged in the browser: a query finds pages of several bundles in one list, and a
    search by filters only lists the pages newest first across all of them, as one index would, then those without
    a date (every inspection report is listed, dated or not)."""
    from generator.derive.site import check_site

    _data, derived, _problems = check_site(ROOT)
    assert derived is not None
    reports = {f"inspections/{i}/" for i, r in derived.data.inspections.items() if r.status == "published"}
    page = searcher.open_search("chronology")
    page.wait_for_selector(".rs-result")
    searcher.all_results()
    hrefs = [h.split("#")[0] for h in page.eval_on_selector_all(".rs-result__title a", "as => as.map(a => a.href)")]
    paths = [h.removeprefix(searcher.base) for h in hrefs]
    assert len({bundle_of_page(real_site, p) for p in paths}) >= 3, paths
    page = searcher.open_search()
    page.select_option("#rs-filter-type", label="Inspection report")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.includes('Type:')")
    searcher.all_results()
    hrefs = [h.split("#")[0] for h in page.eval_on_selector_all(".rs-result__title a", "as => as.map(a => a.href)")]
    dates = []
    for href in hrefs:
        date = re.search(r'data-pagefind-sort="date">([^<]*)<', (real_site / href.removeprefix(searcher.base) / "index.html").read_text())
        dates.append(date.group(1) if date else "")  # undated: after every dated page
    dated = [h.removeprefix(searcher.base) for h, d in zip(hrefs, dates, strict=True) if d]
    assert {h.removeprefix(searcher.base) for h in hrefs} == reports
    assert len({bundle_of_page(real_site, h) for h in dated}) >= 2, list(zip(hrefs, dates, strict=True))
    assert dates == sorted(dates, reverse=True), list(zip(hrefs, dates, strict=True))
    assert searcher.errors == []


@_mark
def test_no_result_comes_from_an_editors_note(searcher: Searcher, real_site: Path) -> None:
    """Words that appear on the site only inside editors' notes find nothing."""
    words = re.compile(r"[a-z]{7,}")
    in_notes: set[str] = set()
    elsewhere: set[str] = set()
    for page in real_site.rglob("*.html"):
        source = page.read_text()
        for box in re.findall(r'<details class="info rs-notes">(.*?)</details>', source, re.S):
            in_notes |= set(words.findall(html.unescape(re.sub(r"<[^>]+>", " ", box)).lower()))
        text = IndexedText.of(page)
        if text:
            elsewhere |= set(words.findall(text.lower()))
    only_in_notes = sorted(w for w in in_notes - elsewhere if not any(o.startswith(w[:5]) for o in elsewhere))  # Pagefind stems, then matches prefixes
    assert len(only_in_notes) >= 5, only_in_notes
    # Pagefind answers a word it does not hold with near matches (here "as" for "assumed"), so a
    # word found only in notes may still list pages; none of them may show the word itself.
    for word in only_in_notes[:8]:
        searcher.open_search(word)
        searcher.all_results()
        excerpts = searcher.page.eval_on_selector_all(".rs-result__excerpt", "ps => ps.map(p => p.textContent)")
        marked = searcher.page.eval_on_selector_all(".rs-result__excerpt mark", "ms => ms.map(m => m.textContent.toLowerCase())")
        assert not [e for e in excerpts if word in e.lower()], f"{word!r}, found only in editors' notes, shows in results"
        assert not [m for m in marked if m.startswith(word[:-2])], f"{word!r} is highlighted in a result: {marked}"
    # The example: the North Lanarkshire report says "comma" only in a note about a comma.
    report = "inspections/north-lanarkshire-2023/"
    assert "comma" in (real_site / report / "index.html").read_text() and "comma" not in (IndexedText.of(real_site / report / "index.html") or "x")
    searcher.open_search("comma")
    assert report not in searcher.all_results()


@_mark
def test_results_are_announced_and_focus_moves_to_them(searcher: Searcher) -> None:
    page = searcher.open_search(hash="#rs-search-q")  # as the header's link opens it
    assert page.evaluate("() => document.activeElement.id") == "rs-search-q", "the search box is not focused on arrival"
    status = page.locator(".rs-search__status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    page.keyboard.type("Glasgow")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('.rs-search__heading')")
    assert re.match(r"\d+ results? for “Glasgow”", status.inner_text()), status.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('.rs-result__title a')")
    first = page.locator(".rs-result").first
    assert first.locator(".rs-result__meta").inner_text().strip(), "a result without its type, partnership or date"
    page.fill("#rs-search-q", "zzzzqqqq")
    page.press("#rs-search-q", "Enter")
    page.wait_for_function("() => document.querySelector('.rs-search__status').textContent.startsWith('No pages match')")
    assert searcher.errors == []


def test_a_reports_boilerplate_is_shown_but_not_indexed(built: Path) -> None:
    """The sentences every report repeats (what the grades mean, the links to its data, the related-publications
    links) are on the page but not in its record: a search for "JSON" or "What the grades mean" would otherwise
    list every report, and each report's record would carry them to every first query (issue 15)."""
    page = (built / "inspections/fife-2023/index.html").read_text()
    record = indexed_pages(built)["/inspections/fife-2023/"]["content"]
    for text in ("What the grades mean", "This report's data", "All publications about"):
        assert text in page, text
        assert text not in record, f"{text!r} is indexed"
    assert "Fife" in record and "Quality indicator 2.2" in record  # the report's own words stay


def test_a_build_beside_another_leaves_the_bundles_the_other_uses_in_the_cache(tiny: Path) -> None:
    """Two builds of one project at once (`mkdocs serve` beside `mkdocs build`) share the bundle cache: one that finishes
    while the other holds the cache does not prune the bundles the other may be copying from; alone, it prunes."""
    import fcntl
    import os

    from .support import edit

    site = tiny / "site"
    assert mkdocs_build(tiny, site).returncode == 0
    cache = tiny / ".cache" / "report-site" / "search-bundles"
    first = {p.name for p in cache.iterdir() if p.name != ".lock"}
    edit(tiny / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a kingdom.")
    other = os.open(cache / ".lock", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_SH)  # another build holds the cache
        assert mkdocs_build(tiny, site).returncode == 0
        held = {p.name for p in cache.iterdir() if p.name != ".lock"}
        assert first <= held and len(held) == len(first) + 1, (first, held)  # nothing pruned, the new bundle kept
    finally:
        os.close(other)
    assert mkdocs_build(tiny, site).returncode == 0
    alone = {p.name for p in cache.iterdir() if p.name != ".lock"}
    assert len(alone) == len(first) and alone != first  # alone, the bundle no longer used is pruned
