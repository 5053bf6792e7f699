"""Tiny sites built with `mkdocs build --strict` in temp folders: assert on the HTML a reader gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .support import copy_tiny, edit, mkdocs_build, text_of


@pytest.fixture(scope="session")
def built(tiny_site: Path) -> Path:
    return tiny_site


def test_grade_reads_as_word_and_number(built: Path) -> None:
    page = built / "inspections/fife-2023/index.html"
    assert '<span class="rs-grade rs-grade-5">Very good (5)</span>' in page.read_text()
    assert "Evaluated, grade not published. Quality indicator 2.2: Impact on families" in text_of(page)


def test_glossary_terms_link_once_per_page_not_in_headings(built: Path) -> None:
    page = (built / "inspections/fife-2023/index.html").read_text()
    links = re.findall(r'<a class="rs-term" href="([^"]+)">([^<]+)</a>', page)
    assert ("../../glossary/#inter-agency-referral-discussion", "IRD") in links
    assert [text for _, text in links].count("inter-agency referral discussion") == 0  # already linked as IRD
    assert ("../../glossary/#chronology", "chronology") in links
    glossary = (built / "glossary/index.html").read_text()
    assert 'id="inter-agency-referral-discussion"' in glossary and 'id="chronology"' in glossary
    assert "rs-term" not in glossary


def test_review_table_is_derived_from_inspections(built: Path) -> None:
    # on the review's chapter after its questions (generator/derive/review_pages.py), which is the table alone here
    text = text_of(built / "reviews/review-2021/after-the-questions/index.html")
    assert text.startswith("Table of evaluations") or "Table of evaluations" in text.split("Built from the inspection records")[0]
    assert "Built from the inspection records on this site" in text
    assert "Fife Very good (5) Evaluated, grade not published" in text
    assert "Perth and Kinross Good (4) Adequate (3)" in text


def test_programme_grid_and_partnership_history(built: Path) -> None:
    grid = text_of(built / "programmes/risk-2021/index.html")
    assert "Fife Very good (5) Evaluated, grade not published Report" in grid
    history = text_of(built / "partnerships/fife/index.html")
    assert "Inspection history" in history and "cannot be compared directly" in history
    assert "Total population: 370,000 people" in history
    assert "Inspection outcome report to the Education Committee" in history


def test_partnership_without_publications_says_so(built: Path) -> None:
    text = text_of(built / "partnerships/na-h-eileanan-siar/index.html")
    assert "No inspection of Na h-Eileanan Siar is published on this site yet" in text


def test_letter_shows_deadline_and_no_grades(built: Path) -> None:
    text = text_of(built / "letters/na-h-eileanan-siar-letter-2022/index.html")
    assert "Put governance in place. (by December 2022)" in text and "Grades: none" in text
    assert "Record reading (31 children's records read)" in text


def test_theme_follows_findings_across_publications(built: Path) -> None:
    text = text_of(built / "themes/chronologies/index.html")
    for expected in ["Chronologies were in place but their quality varied", "Chronologies need work",
                     "Train staff in chronologies"]:
        assert expected in text


def test_home_lists_latest_publications(built: Path) -> None:
    text = text_of(built / "index.html")
    assert "Latest publications" in text and "Review of findings from the programme" in text


def test_data_text_is_escaped_everywhere(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    payload = '<script>alert("x")</script> [click](javascript:alert(1)) **b** <img src=x onerror=alert(1)>'
    edit(project / "site-data/inspections/fife-2023.yaml", "title: Joint inspection", f"title: >-\n  {payload} Joint inspection")
    edit(project / "site-data/partnerships/fife.yaml", "council: Fife Council", f"council: >-\n  {payload}")
    edit(project / "site-data/glossary/fife-2023.yaml", "term: Chronology", f"term: >-\n      {payload}")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    for page in (project / "site").rglob("*.html"):
        source = page.read_text()
        assert "<script>alert" not in source, page
        assert 'href="javascript:' not in source, page
        assert "<img src=x" not in source and "onerror=alert" not in source.replace("onerror=alert(1)&gt;", ""), page


def test_drafts_are_not_built(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    (project / "site-data/inspections/na-h-eileanan-siar-2024.yaml").write_text(
        "title: Draft report\npartnership: na-h-eileanan-siar\nprogramme: risk-2021\nstatus: draft\nnot_stated: [publisher]\n"
        "evaluations:\n  - {indicator: '2.1', grade: 2}\n"
    )
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert not (project / "site/inspections/na-h-eileanan-siar-2024").exists()
    assert "Draft report" not in (project / "site/partnerships/na-h-eileanan-siar/index.html").read_text()
    for review_page in (project / "site/reviews").rglob("index.html"):  # the overview and its chapters
        assert "Weak (2)" not in text_of(review_page), review_page


def test_bad_data_stops_before_site_is_touched(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    site = project / "site"
    assert mkdocs_build(project, site).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(project / "site-data/inspections/fife-2023.yaml", "grade: 5", "grade: 8")
    result = mkdocs_build(project, site)
    assert result.returncode == 1
    assert "site-data/inspections/fife-2023.yaml" in result.stderr and "grade 8 is not on the scale" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before == after


def test_template_error_is_reported_without_traceback(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    templates = project / "overrides"
    (templates / "report-site").mkdir(parents=True)
    (templates / "report-site/theme.md.j2").write_text("# {{ theme.title }}\n{{ theme.no_such_field.x }}\n")
    edit(project / "mkdocs.yml", "templates_dirs: [", "templates_dirs: [overrides, ")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 1
    assert "theme.md.j2:2: template error while rendering themes/" in result.stderr
    assert "Traceback" not in result.stderr


def test_history_across_programmes_says_grades_are_not_comparable(built: Path) -> None:
    text = text_of(built / "partnerships/fife/index.html")
    history = text.split("Inspection history")[1]
    assert history.index("Children's services (2012-2017)") < history.index("At risk of harm (2021 onwards)")
    assert "grades from one programme cannot be compared directly" in history
    assert "1.1: Improvements in the wellbeing of children and young people Adequate (3)" in history
    # The latest inspection's grades are in the verdict at the top, not repeated in the history.
    assert "Its grades are under the latest inspection, at the top of this page." in history
    assert "Very good (5) : major strengths . Quality indicator 2.1: Impact on children and young people" in text
    page = (built / "partnerships/fife/index.html").read_text()
    assert "Children&#39;s services (2012-2017), May 2016: 1.1 Adequate (3); 9.4 Good (4)." in page or \
        "Children's services (2012-2017), May 2016: 1.1 Adequate (3); 9.4 Good (4)." in page


def test_reports_are_left_out_of_the_nav_and_lead_back_to_their_partnership(built: Path) -> None:
    """Thousands of reports would make every page render thousands of nav links: the nav lists index
    pages and partnerships; a report says where it belongs, under its title."""
    report = (built / "inspections/fife-2023/index.html").read_text()
    crumbs = re.search(r'<p class="rs-breadcrumb">(.*?)</p>', report, re.S)
    assert crumbs, "no breadcrumb on the report page"
    assert re.findall(r'href="([^"]+)"', crumbs.group(1)) == ["../../partnerships/", "../../partnerships/fife/", "../../publications/"]
    # On the publications page its own section is open (navigation.prune hides only closed ones).
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', (built / "publications/index.html").read_text(), re.S)
    assert nav and "reviews/review-2021/" in nav.group(0)  # reviews, one per programme, stay listed
    assert "inspections/" not in nav.group(0) and "responses/" not in nav.group(0) and "letters/" not in nav.group(0)


def test_a_docs_dir_other_than_content_is_refused(tmp_path: Path) -> None:
    """The check reads content/ (it runs without mkdocs.yml): a build from another folder would publish what was
    never checked, so it stops before anything is written and says what to write."""
    project = copy_tiny(tmp_path / "project")
    (project / "content").rename(project / "docs")
    edit(project / "mkdocs.yml", "docs_dir: content", "docs_dir: docs")
    result = mkdocs_build(project, project / "site")
    assert result.returncode != 0 and not (project / "site").exists()
    assert "write 'docs_dir: content' in mkdocs.yml" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_the_folders_are_not_settings(tmp_path: Path) -> None:
    """`data_dir` and `narrative_dir` were settings the check could not see; a site that still sets one is told."""
    project = copy_tiny(tmp_path / "project")
    edit(project / "mkdocs.yml", "  - report-site:", "  - report-site:\n      data_dir: elsewhere")
    result = mkdocs_build(project, project / "site")
    assert result.returncode != 0 and "data_dir" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_nothing_the_site_never_loads_is_published(built: Path) -> None:
    """Not the theme's own search (lunr, its languages, its worker; its search is off), not Pagefind's ready-made
    interfaces (the search page has its own), not a source map nothing names. The real site's every script and style
    sheet is checked in tests/test_real_site.py."""
    assert not (built / "assets/javascripts/lunr").exists() and not list(built.glob("assets/javascripts/workers/*"))
    import json

    first, *others = json.loads((built / "pagefind/rs-bundles.json").read_text())
    assert (built / "pagefind" / first / "pagefind.js").is_file() and (built / "pagefind" / first / "pagefind-worker.js").is_file()
    assert others and not [p for b in others for p in (built / "pagefind" / b).iterdir() if p.is_file() and not p.name.endswith(".pf_meta")
                           and p.name != "pagefind-entry.json"], "the merged bundles' own scripts and wasm are never loaded"
    assert not list(built.glob("pagefind/*/pagefind-*ui*")) and not list(built.glob("pagefind/*/pagefind-highlight.js"))
    assert not list(built.glob("assets/stylesheets/*.map"))
