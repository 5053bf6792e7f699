"""Theme pages read as a story, and every item links to its exact place in its publication.

The tiny project gets a review of its older programme, so the theme 'chronologies' spans two programmes'
reviews: the golden page shows the programmes in the order they began, each item dated and labelled
(key message, finding, strength, area for improvement, ...), oldest first. Run with UPDATE_GOLDEN=1 to
rewrite tests/golden-story/*.md, then read the diff.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.render.render import Renderer, make_environment

from .support import ROOT, copy_tiny, edit, mkdocs_build

GOLDEN = Path(__file__).parent / "golden-story"

OLDER_REVIEW = """\
title: Review of findings from the older programme
not_stated: [url, publisher]
programme: old-2012
published: 2018-02
key_messages:
  - {number: 1, text: Few partnerships kept chronologies up to date., themes: [chronologies]}
  - {number: 2, text: Leaders worked well together., themes: [leadership]}
summary_findings:
  - {number: 1, text: Chronologies were rarely in place., themes: [chronologies]}
"""


def with_two_reviews(project: Path) -> Path:
    (project / "site-data/reviews/review-2012.yaml").write_text(OLDER_REVIEW)
    edit(project / "site-data/programmes/old-2012.yaml", "evaluates:", "review: review-2012\nevaluates:")
    edit(project / "site-data/inspections/fife-2016.yaml", "evaluations:", (
        "findings:\n  - {text: Staff valued chronologies., kind: strength, themes: [chronologies]}\nevaluations:"))
    return project


def render(project: Path) -> dict[str, str]:
    _data, derived, problems = check_site(project)
    assert derived is not None, problems.sorted()
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]))
    return {spec.path: renderer.render(spec) for spec in renderer.pages()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_two_reviews(copy_tiny(tmp_path_factory.mktemp("story") / "project"))


@pytest.fixture(scope="module")
def pages(project: Path) -> dict[str, str]:
    return render(project)


@pytest.mark.parametrize("theme", ["chronologies", "leadership"])
def test_theme_across_two_programmes_matches_golden(pages: dict[str, str], theme: str) -> None:
    page = pages[f"themes/{theme}.md"]
    golden = GOLDEN / f"{theme}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(page)
    assert page == golden.read_text()


def test_programmes_in_the_order_they_began_and_items_oldest_first(pages: dict[str, str]) -> None:
    page = pages["themes/chronologies.md"]
    headings = re.findall(r"(?m)^## (.+)$", page)
    assert headings == ["Children's services \\(2012-2017\\)", "At risk of harm \\(2021 onwards\\)"]
    older, newer = page.split("\n## ")[1:3]
    labels = re.findall(r"(?m)^- \*\*(.+?), (.+?)\*\*", older)
    assert labels == [("May 2016", "strength"), ("February 2018", "key message"), ("February 2018", "finding")]
    assert [label for _date, label in re.findall(r"(?m)^- \*\*(.+?), (.+?)\*\*", newer)] == [
        "area for improvement", "action in the action plan", "finding", "comparison with the previous programme"]


def test_other_publications_come_last(pages: dict[str, str]) -> None:
    headings = re.findall(r"(?m)^## (.+)$", pages["themes/leadership.md"])
    assert headings[-1] == "Other publications"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.toc: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = with_two_reviews(copy_tiny(tmp_path_factory.mktemp("story-site") / "project"))
    # The statement with nothing under it: review-2021's statement 2 loses its only content.
    edit(project / "site-data/reviews/review-2021.yaml", '    question: "2"\n', "")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_theme_link_reaches_an_element_with_that_id(site: Path) -> None:
    checked = 0
    for theme_page in sorted((site / "themes").glob("*/index.html")):
        parser = _Ids()
        parser.feed(theme_page.read_text())
        for href in parser.hrefs:
            if "#" not in href or href.startswith(("#", "http")):
                continue
            path, anchor = href.split("#", 1)
            target = (theme_page.parent / path).resolve() / "index.html" if not path.endswith(".html") else (theme_page.parent / path).resolve()
            ids = _Ids()
            ids.feed(target.read_text())
            assert anchor in ids.ids, f"{theme_page.relative_to(site)} links to {href}, which has no id {anchor!r}"
            checked += 1
    assert checked >= 10


def test_review_key_messages_and_findings_link_to_their_themes(site: Path) -> None:
    html = (site / "reviews/review-2012/index.html").read_text()
    item = html.split('id="key-message-1"', 1)[1].split("</li>", 1)[0]
    assert 'href="../../themes/chronologies/"' in item
    item = html.split('id="summary-finding-1"', 1)[1].split("</li>", 1)[0]
    assert 'href="../../themes/chronologies/"' in item


def test_a_section_with_nothing_in_it_is_left_out_of_the_page_and_its_contents(site: Path) -> None:
    html = (site / "reviews/review-2021/index.html").read_text()
    assert "Statement 1: Children are safer" in html  # it has a finding and a comparison
    assert "Statement 2" not in html  # neither its heading nor a contents entry
    assert "Good practice examples" in html  # the example, now under no statement, is still shown


def test_empty_narrative_sections_are_left_out(tmp_path: Path) -> None:
    """A skeleton's '## Statement N' headings left with no text under them give no heading on the page."""
    project = copy_tiny(tmp_path / "project")
    narrative = project / "content/narrative/inspections/fife-2023.md"
    text = narrative.read_text()
    narrative.write_text(text.split("## Statement 2")[0] + "## Statement 2\n\n## Introduction\n\n")
    pages = render(project)
    page = pages["inspections/fife-2023.md"]
    assert "## Statement 1" in page
    assert "## Statement 2" not in page and "## Introduction" not in page
