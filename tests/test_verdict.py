"""The verdict and the area finder: what a reader meets first, in every state of the data.

A tiny site (tests/fixtures/tiny) with a few additions is built once with `mkdocs build --strict`;
states that need other data are rendered to Markdown straight from the pipeline (no MkDocs).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest

from generator.check.readability import READING_LEVEL, reading_grade
from generator.derive.site import check_site
from generator.derive.verdict import partnership_verdict
from generator.render.render import HOME_MARKER, make_environment, place_home_fragment, render_site

from .support import CONTENTS_NAV, ROOT, copy_tiny, edit, mkdocs_build, run_check

_BLOCK = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|div|td|th|tr|table|caption|thead|tbody|br|details|summary|figure|figcaption|svg|article|nav)\b[^>]*>", re.I)


def text_of(page: Path) -> str:
    """The article's text as a reader reads it: blocks apart, inline markup (links, grades) joined to its words."""
    source = article(page)
    source = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", source)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", _BLOCK.sub(" ", source))).split())

REPORTS_URL = "https://inspectorate.example/reports/joint-inspections"
SUMMARY = ("Inspectors looked at how well services in Fife keep children safe.\n\n"
           "They found that children were listened to. Services will now make a plan.")


def _additions(project: Path) -> Path:
    """The tiny site plus: an area with nothing published, where the inspectorate lists its
    reports, a plain sentence on what the programme looks at, and a summary for families."""
    (project / "site-data/partnerships/angus.yaml").write_text("name: Angus\ncouncil: Angus Council\n")
    edit(project / "site-data/organisations.yaml", "    name: Care Inspectorate\n",
         f"    name: Care Inspectorate\n    reports_url: {REPORTS_URL}\n")
    edit(project / "site-data/programmes/risk-2021.yaml", "remit:",
         "looks_at: How well services work together to keep children at risk of harm safe.\nremit:")
    edit(project / "site-data/inspections/fife-2023.yaml", "narrative:",
         "summary: |\n" + "".join(f"  {line}\n" if line else "\n" for line in SUMMARY.split("\n")) + "narrative:")
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _additions(copy_tiny(tmp_path_factory.mktemp("verdict") / "project"))
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


def markdown_pages(project: Path) -> dict[str, str]:
    """Every generated page's Markdown, straight from load -> validate -> derive -> render."""
    data, derived, problems = check_site(project)
    assert derived is not None, [str(p) for p in problems.sorted()]
    env = make_environment([ROOT / "overrides"])
    return {path: md for path, (_spec, md) in render_site(derived, env).items()}


def article(page: Path) -> str:
    source = page.read_text()
    return CONTENTS_NAV.sub("", source[source.index("<article"):source.index("</article>")])


# --- partnership pages ---------------------------------------------------------------------------


def test_partnership_page_starts_with_its_latest_inspection_and_what_the_grades_mean(site: Path) -> None:
    text = text_of(site / "partnerships/fife/index.html")
    after_title = text.split("Fife", 1)[1].strip()
    # The result first (issue 26), then what it rests on
    assert after_title.startswith(
        "Latest inspection Very good (5): major strengths. Quality indicator 2.1: Impact on children and young people."
        " Evaluated, grade not published. Quality indicator 2.2: Impact on families."
        " Stated in: Joint inspection of services for children at risk of harm in Fife (each of the above)."
        " From the inspection report, published 12 September 2023, in the programme At risk of harm (2021 onwards)."
        " It looked at: how well services work together to keep children at risk of harm safe."
    ), after_title[:300]
    assert "Very good (5): major strengths. Quality indicator 2.1: Impact on children and young people." in text
    assert "Evaluated, grade not published. Quality indicator 2.2: Impact on families." in text
    source = article(site / "partnerships/fife/index.html")
    verdict = source[source.index('class="rs-verdict"'):source.index("</div>", source.index('class="rs-verdict"'))]
    assert re.search(r'href="\.\./\.\./evaluation-scale/#six-point"[^>]*>What the grades mean</a>', verdict), verdict
    assert '<a href="../../inspections/fife-2023/">the inspection report</a>' in verdict
    # The grades of the latest inspection are shown once, not again under its history.
    assert "Evaluations, At risk of harm" not in text  # no second table of the same grades
    assert "Evaluations, Children's services (2012-2017)" in text  # the earlier inspection keeps its own


def test_an_older_report_says_a_newer_one_exists(site: Path) -> None:
    text = text_of(site / "inspections/fife-2016/index.html")
    result = text.index("The result of this inspection")
    assert result < text.index("Good (4)", result) < text.index("Published May 2016", result)  # the result first
    assert "A newer inspection of Fife is on this site: its inspection report, published 12 September 2023." in text
    assert "A newer inspection" not in text_of(site / "inspections/fife-2023/index.html")


def test_area_with_only_a_letter_says_there_is_no_inspection_and_where_to_look(site: Path) -> None:
    page = site / "partnerships/na-h-eileanan-siar/index.html"
    text = text_of(page)
    assert "Latest inspection No inspection report about Na h-Eileanan Siar is on this site. It holds:" in text
    assert "(Self-evaluation letter, " in text and "; it gives no grades)" in text
    assert f'href="{REPORTS_URL}"' in article(page)


def test_area_with_nothing_says_so_and_links_to_the_inspectorate(site: Path) -> None:
    page = site / "partnerships/angus/index.html"
    text = text_of(page)
    assert "Latest inspection Nothing about Angus is on this site yet." in text
    assert "Reports this site does not hold may be in the Care Inspectorate's list of joint inspection reports." in text
    assert f'<a href="{REPORTS_URL}">' in article(page)


def test_without_a_reports_address_nothing_is_promised(tiny: Path) -> None:
    (tiny / "site-data/partnerships/angus.yaml").write_text("name: Angus\ncouncil: Angus Council\n")
    pages = markdown_pages(tiny)
    assert "Nothing about Angus is on this site yet." in pages["partnerships/angus.md"]
    assert "Reports this site does not hold" not in pages["partnerships/angus.md"]
    _data, derived, _problems = check_site(tiny)
    assert derived is not None
    angus, letter_only = partnership_verdict(derived, "angus"), partnership_verdict(derived, "na-h-eileanan-siar")
    assert angus.inspection is None and not angus.other_publications and not angus.reports_elsewhere
    assert letter_only.inspection is None and [type(p).__name__ for p in letter_only.other_publications] == ["Letter"]


def test_inspection_with_no_published_grade_says_so(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2016.yaml",
         '  - {indicator: "1.1", grade: 3}\n  - {indicator: "9.4", grade: 4}',
         '  - {indicator: "1.1", not_published: Not stated in the sources}\n'
         '  - {indicator: "9.4", not_published: Not stated in the sources}')
    page = markdown_pages(tiny)["inspections/fife-2016.md"]
    verdict = page[page.index("The result of this inspection"):page.index("A newer inspection")]
    assert "No grade from this inspection is published in the sources this site holds." in verdict
    assert "- Evaluated, grade not published: not stated in the sources. Quality indicator 1.1" in verdict
    assert "What the grades mean" not in verdict  # no grade to explain


def test_inspection_without_evaluations(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2016.yaml",
         'evaluations:\n  - {indicator: "1.1", grade: 3}\n  - {indicator: "9.4", grade: 4}', "")
    page = markdown_pages(tiny)["inspections/fife-2016.md"]
    assert "This site holds no grades from this inspection." in page


# --- the home page and the A to Z ----------------------------------------------------------------


def test_home_page_leads_with_the_area_finder_listing_every_area_with_its_result(site: Path) -> None:
    text = text_of(site / "index.html")
    finder = text[text.index("Find your area"):text.index("Latest publications")]
    finder = finder.strip()
    results = dict(re.findall(r"(Angus|Fife|Na h-Eileanan Siar|Perth and Kinross): (.+?)(?= (?:Angus|Fife|Na h-Eileanan Siar|Perth and Kinross):|$)", finder))
    assert results == {
        "Angus": "Nothing on this site yet",
        "Fife": "Very good (5) on 1 of 2 indicators (1 without a grade on this site), 2023",
        "Na h-Eileanan Siar": "No inspection on this site; 1 other publication",
        "Perth and Kinross": "Adequate (3) to Good (4) across 2 indicators, 2022",
    }, finder
    source = article(site / "index.html")
    assert source.index('class="rs-finder"') < source.index("Latest publications")
    # Each area is a plain link: the list works without JavaScript.
    assert '<a href="partnerships/fife/">Fife</a>' in source


def test_home_fragment_goes_where_the_editor_put_the_marker() -> None:
    editor = f"# Title\n\nLead.\n\n{HOME_MARKER}\n\n## About\n\nMore."
    placed = place_home_fragment(editor, "FINDER")
    assert placed.index("Lead.") < placed.index("FINDER") < placed.index("## About")
    assert HOME_MARKER not in placed
    assert place_home_fragment("# Title", "FINDER").endswith("FINDER")  # no marker: after the text


def test_a_to_z_gives_each_area_its_latest_result(site: Path) -> None:
    text = text_of(site / "partnerships/index.html")
    assert "Area Council Publications Latest result" in text
    assert "Perth and Kinross Perth & Kinross Council 1 Adequate (3) to Good (4) across 2 indicators, 2022" in text or \
        "Adequate (3) to Good (4) across 2 indicators, 2022" in text
    assert "Angus Angus Council None yet Nothing on this site yet" in text


# --- the summary for families ---------------------------------------------------------------------


def test_summary_for_families_comes_first_on_the_report_and_in_the_feed(site: Path) -> None:
    text = text_of(site / "inspections/fife-2023/index.html")
    first = text.split("All publications", 1)[1].strip()
    assert first.startswith("In short Inspectors looked at how well services in Fife keep children safe."
                            " They found that children were listened to. Services will now make a plan."
                            " The result of this inspection"), first[:300]
    feed = feedparser.parse((site / "feeds/publications.xml").read_text())
    entry = next(e for e in feed.entries if e.link.endswith("/inspections/fife-2023/"))
    assert "Inspectors looked at how well services in Fife keep children safe. They found" in entry.summary


HARD = ("The partnership demonstrated a comprehensive, multi-agency, trauma-informed approach to early intervention, "
        "underpinned by collaborative strategic leadership and robust quality assurance arrangements.")


def test_check_reports_a_summary_too_hard_to_read_with_file_and_line(tiny: Path) -> None:
    path = tiny / "site-data/inspections/fife-2023.yaml"
    edit(path, "narrative:", f"summary: >-\n  Inspectors looked at Fife.\n  {HARD}\nnarrative:")
    line = path.read_text().splitlines().index("summary: >-") + 1
    result = run_check(tiny)
    assert result.returncode == 0, result.stdout + result.stderr  # a warning: previews still work
    found = [ln for ln in (result.stdout + result.stderr).splitlines() if "reads at school grade" in ln]
    assert len(found) == 1, result.stdout + result.stderr
    assert re.match(rf"site-data/inspections/fife-2023\.yaml:{line}:\d+: warning: 'summary' reads at school grade \d+\.\d", found[0]), found[0]
    assert f"grade {READING_LEVEL:g} or below" in found[0] and HARD[:60] in found[0]
    # ... and a strict build refuses to publish it.
    assert mkdocs_build(tiny, tiny / "site").returncode != 0


def test_a_plain_summary_passes(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "narrative:", f"summary: |\n  {SUMMARY.replace(chr(10), chr(10) + '  ')}\nnarrative:")
    result = run_check(tiny)
    assert "reads at school grade" not in result.stdout + result.stderr
    assert reading_grade(SUMMARY) <= READING_LEVEL < reading_grade(HARD)
