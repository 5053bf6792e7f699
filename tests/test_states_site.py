"""The fixture site that holds every incomplete-data state (issue 10), rendered without MkDocs and compared
with golden page text: what readers get when grades are known only as totals, missing for each reason, a record
is rebuilt from a review, a review claim can be checked fully, partly or not at all, a date is year-only,
approximate or absent, a record was corrected, a programme has no reports yet, programmes follow one another,
an organisation has successors, and a record is a draft.

Run with UPDATE_GOLDEN=1 to rewrite tests/golden-states/, then read the diff: every sentence must be true of
tests/fixtures/states/site-data.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.opendata import site_files
from generator.render.render import Renderer, make_environment, make_markup_environment, render_feeds

from .support import ROOT

STATES = Path(__file__).parent / "fixtures" / "states"
GOLDEN = Path(__file__).parent / "golden-states"


#: the build's day and time, which dates a feed with no entry (fixed: the feeds are compared with golden files)
BUILT = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def render_states() -> dict[str, str]:
    _data, derived, problems = check_site(STATES)
    assert derived is not None, problems.sorted()
    env, markup_env = make_environment([ROOT / "overrides"]), make_markup_environment([ROOT / "overrides"])
    renderer = Renderer(derived, env, markup_env, publisher=default_publisher())
    pages = {spec.path: renderer.render(spec) for spec in renderer.pages()}
    # the charts a page shows (SVG; the plugin puts each where the page holds its placeholder)
    charts = {f"charts/{page.removesuffix('.md')}/{chart_id}.svg": svg
              for page, by_id in renderer.charts.items() for chart_id, svg in by_id.items()}
    feeds = render_feeds(derived, markup_env, "https://example.org/", default_publisher(), built=BUILT)
    # the open data a reader downloads: the table of every evaluation (the per-record files repeat its rows)
    data = {path: text for path, text in site_files(derived, "https://example.org/").items() if path == "data/evaluations.csv"}
    return pages | charts | feeds | data


OUTPUT = render_states()


@pytest.mark.parametrize("path", sorted(OUTPUT))
def test_output_matches_golden(path: str) -> None:
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(OUTPUT[path])
    assert golden.exists(), f"no golden file for {path}: run with UPDATE_GOLDEN=1 and review it"
    assert OUTPUT[path] == golden.read_text()


def test_no_golden_file_is_orphaned() -> None:
    expected = {GOLDEN / p for p in OUTPUT}
    orphans = [p for p in GOLDEN.rglob("*") if p.is_file() and p not in expected]
    assert not orphans, f"golden files for output no longer generated: {orphans}"


def test_the_states_site_builds_strict_and_no_page_shows_the_draft(tmp_path: Path) -> None:
    """Every state together passes `mkdocs build --strict` (no link to a draft, no broken link), and the draft
    inspection is on no published page."""
    import shutil

    from .support import mkdocs_build

    project = tmp_path / "project"
    shutil.copytree(STATES, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", (ROOT / "overrides").as_posix()))
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "inspections" / "orkney-islands-2025").exists()
    pages = [p.read_text() for p in (tmp_path / "site").rglob("*.html")]
    assert not any("orkney-islands-2025" in page for page in pages)


def test_every_area_has_a_feed_from_the_start_dated_by_the_build_when_it_has_no_entry() -> None:
    """Atom needs a feed's `updated`. A partnership with nothing published still gets its feed, announced by its
    page: valid Atom with no entry, dated by the build (never an invented publication date), and a subtitle that
    says nothing is published yet and that the date is the day it was built. An undated publication is in its
    area's feed, its entry dated by the build, and it says so (issue 25)."""
    import feedparser

    from generator.derive.paths import page_feeds

    _data, derived, _problems = check_site(STATES)
    assert derived is not None
    env, markup_env = make_environment([ROOT / "overrides"]), make_markup_environment([ROOT / "overrides"])
    undated = next(p for p in derived.publications if p.date is None and not p.corrections)
    for pubs in ([], [undated]):
        derived.by_partnership["orkney-islands"] = pubs
        feeds = render_feeds(derived, markup_env, "https://example.org/", default_publisher(), built=BUILT)
        parsed = feedparser.parse(feeds["feeds/orkney-islands.xml"].encode())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10" and len(parsed.entries) == len(pubs)
        assert parsed.feed.title == "Publications about Orkney Islands"
        assert parsed.feed.updated == "2026-05-04T00:00:00Z"
        if pubs:
            assert "dated the day this feed was built, 4 May 2026, not a publication date" in parsed.feed.subtitle
            assert "this entry is dated the day this feed was built" in parsed.entries[0].summary
            assert "published" not in parsed.entries[0]
        else:
            assert "Nothing is published about Orkney Islands on this site yet" in parsed.feed.subtitle
            assert "the day it was last built, 4 May 2026, not the date of a publication" in parsed.feed.subtitle
        assert [href for _t, href in page_feeds(derived, "partnerships/orkney-islands.md")] == [
            "feeds/publications.xml", "feeds/orkney-islands.xml"]
        page = Renderer(derived, env, markup_env, publisher=default_publisher()).render(
            next(s for s in Renderer(derived, env, markup_env).pages() if s.path == "partnerships/orkney-islands.md"))
        assert "[its Atom feed](../feeds/orkney-islands.xml)" in page
        assert ("The feed has no entries yet" in page) == (not pubs)
    assert "the day it was last built" not in feeds["feeds/fife.xml"]  # a feed with entries is dated by its newest
    assert all("1970" not in feed for feed in feeds.values())


def test_a_partnership_page_says_when_its_record_last_changed() -> None:
    """Issue 26: beside what the site holds about an area, when its record last changed: the newest of its
    publications' dates and their corrections' dates, as precise as the sources give it (a year stays a year);
    where nothing is dated, or nothing is published, it says so (derived once: `Derived.record_change`)."""
    from generator.derive.derive import record_change

    _data, derived, _problems = check_site(STATES)
    assert derived is not None
    env, markup_env = make_environment([ROOT / "overrides"]), make_markup_environment([ROOT / "overrides"])

    def line(pid: str) -> str:
        renderer = Renderer(derived, env, markup_env, publisher=default_publisher())
        page = renderer.render(next(s for s in renderer.pages() if s.path == f"partnerships/{pid}.md"))
        (found,) = [row for row in page.splitlines() if row.startswith("- **Last change to this record:**")]
        return found.removeprefix("- **Last change to this record:** ")

    # the newest is the review, dated only 'about 2025': it reads as that year, not as a made-up day
    assert line("fife") == r"2025 \(approximate\), when the newest publication about Fife was published"
    # one undated publication beside a dated one: it is not counted, and the line says so
    assert line("moray").endswith("\\(1 publication with no date in the sources this site holds is not counted\\)")
    assert line("orkney-islands") == "none yet: nothing is published about Orkney Islands on this site"
    undated = next(p for p in derived.publications if p.date is None and not p.corrections)
    derived.by_partnership["orkney-islands"] = [undated]
    assert line("orkney-islands") == ("not known: none of the publications about Orkney Islands has a date in the sources "
                                      "this site holds")
    # a correction newer than every publication date is the last change
    corrected = next(p for p in derived.publications if p.corrections)
    change = record_change([corrected])
    assert change.corrected and change.date == corrected.last_corrected and change.date.human() == "15 January 2024"
    derived.by_partnership["orkney-islands"] = [corrected]
    assert line("orkney-islands") == "15 January 2024, when a publication about Orkney Islands was corrected"
    assert not record_change([undated, *derived.by_partnership["fife"]]).corrected
