"""The real site: all encoded sources build with --strict and read as the sources say."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.model.queries import review_evaluations

from .support import ROOT, cli_index_of, index_of, text_of


@pytest.fixture(scope="session")
def site(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    loaded, derived, problems = check_site(ROOT)
    assert derived is not None, problems.sorted()
    return loaded


def test_all_32_partnerships_have_pages(site: Path, data) -> None:  # type: ignore[no-untyped-def]
    assert len(data.partnerships) == 32
    for pid in data.partnerships:
        assert (site / "partnerships" / pid / "index.html").exists(), pid
    assert (site / "partnerships/na-h-eileanan-siar/index.html").exists()


def test_review_table_matches_the_published_appendix(data) -> None:  # type: ignore[no-untyped-def]
    """Appendix 2 of the 2018-2020 review, derived from the inspections."""
    table = review_evaluations(data, data.reviews["review-2018-2020"])
    grades = {pid: (row["2.1"].grade, row["2.2"].grade) for pid, row in table.items()}
    assert grades == {
        "argyll-and-bute": (4, 4), "fife": (4, 4), "city-of-edinburgh": (5, 4), "aberdeen-city": (4, 4),
        "stirling": (4, 5), "orkney-islands": (2, 3), "south-lanarkshire": (3, 4), "midlothian": (4, 4),
    }


def test_north_lanarkshire_report(site: Path) -> None:
    text = text_of(site / "inspections/north-lanarkshire-2023/index.html")
    for expected in ["Very good (5)", "17 October 2023", "17 April 2023 to 13 September 2023",
                     "1316", "Statement 1", "Statement 4", "What happens next"]:
        assert expected in text, expected


def test_partnership_history_across_programmes(site: Path) -> None:
    text = text_of(site / "partnerships/south-lanarkshire/index.html")
    assert "Inspection history" in text and "Adequate (3)" in text and "Good (4)" in text
    assert "16 June 2020" in text


def test_glasgow_older_framework(site: Path) -> None:
    text = text_of(site / "inspections/glasgow-city-2017/index.html")
    assert "Leadership of improvement and change" in text and "Very good (5)" in text


def test_letter_date_discrepancy_is_shown(site: Path) -> None:
    text = text_of(site / "letters/clackmannanshire-self-evaluation-2021/index.html")
    assert "About the date of this letter" in text and "10 January 2021" in text


def test_scale_and_proportion_words(site: Path) -> None:
    text = text_of(site / "evaluation-scale/index.html")
    for expected in ["Excellent (6)", "Unsatisfactory (1)", "Major strengths", "almost all", "90% or more"]:
        assert expected in text, expected


#: Scotland's 32 council areas and their current GSS codes (entity S12; the 2018-2019 recodes of Fife,
#: Perth and Kinross, Glasgow City and North Lanarkshire included), independent of site-data
GSS_COUNCIL_AREAS = {
    "S12000005": "Clackmannanshire", "S12000006": "Dumfries and Galloway", "S12000008": "East Ayrshire",
    "S12000010": "East Lothian", "S12000011": "East Renfrewshire", "S12000013": "Na h-Eileanan Siar",
    "S12000014": "Falkirk", "S12000017": "Highland", "S12000018": "Inverclyde", "S12000019": "Midlothian",
    "S12000020": "Moray", "S12000021": "North Ayrshire", "S12000023": "Orkney Islands", "S12000026": "Scottish Borders",
    "S12000027": "Shetland Islands", "S12000028": "South Ayrshire", "S12000029": "South Lanarkshire", "S12000030": "Stirling",
    "S12000033": "Aberdeen City", "S12000034": "Aberdeenshire", "S12000035": "Argyll and Bute",
    "S12000036": "City of Edinburgh", "S12000038": "Renfrewshire", "S12000039": "West Dunbartonshire",
    "S12000040": "West Lothian", "S12000041": "Angus", "S12000042": "Dundee City", "S12000045": "East Dunbartonshire",
    "S12000047": "Fife", "S12000048": "Perth and Kinross", "S12000049": "Glasgow City", "S12000050": "North Lanarkshire",
}


def test_every_partnership_has_its_current_area_code_and_its_source(site: Path, data) -> None:  # type: ignore[no-untyped-def]
    by_name = {p.name: p for p in data.partnerships.values()}
    assert {code: by_name[name].area_code for code, name in GSS_COUNCIL_AREAS.items()} == {c: c for c in GSS_COUNCIL_AREAS}
    assert len(data.partnerships) == 32
    source = data.documents["gss-council-area-codes"]
    assert "council areas" in source.title and "S12000049, formerly S12000046" in (source.note or "")
    assert {p.area_code_source for p in data.partnerships.values()} == {"gss-council-area-codes"}
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO((site / "data/evaluations.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(GSS_COUNCIL_AREAS[row["area_code"]] == row["partnership_name"] for row in rows)
    glasgow = [row for row in rows if row["partnership"] == "glasgow-city"]
    assert glasgow and "–" in glasgow[0]["inspection_title"]  # the en dash survives a UTF-8-with-BOM reader


def test_the_search_index_is_pagefind_s_over_the_published_pages(site: Path) -> None:
    """The index begun before the pages were written (generator/output/search_pages.py) is, file for file, the one Pagefind's
    command line writes over the published pages (read in path order, as the search pages on tmpfs are); its
    hash-map order is undone (generator/output/pagefind_stable.py)."""
    if not str(site).startswith("/dev/shm/"):
        pytest.skip("no tmpfs: the search pages are not listed in path order")
    built, again = index_of(site), cli_index_of(site)
    assert sorted(built) == sorted(again)
    assert [name for name in again if built[name] != again[name]] == []
    assert len([name for name in again if "/fragment/" in name]) > 80




def test_every_script_style_sheet_and_source_map_published_is_named_by_another_file(site: Path) -> None:
    """Nothing is published that no page can load: each script, style sheet and source map is named by a page, a
    script or a style sheet (pagefind.js by the search page, its worker by pagefind.js, a map by its script), or a
    feed (feeds/feed.css, which shows a feed opened in a browser as a page)."""
    files = [p for p in site.rglob("*") if p.is_file() and not p.name.endswith((".gz", ".br"))]
    loaders = {p: p.read_text(errors="replace") for p in files if p.suffix in (".html", ".js", ".css", ".xml")}
    unused = [p.relative_to(site).as_posix() for p in files if p.suffix in (".js", ".css", ".map")
              and not any(p.name in text for other, text in loaders.items() if other != p)]
    assert unused == []


def test_every_permalink_is_named_for_screen_readers(site: Path) -> None:
    """Not "¶" at every heading: "Link to this section: <the heading>" (issue 26)."""
    import html.parser

    class Headings(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.heading: list[str] | None = None
            self.found: list[tuple[str, str | None]] = []
            self.label: str | None = None
            self.in_link = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading, self.label = [], None
            elif tag == "a" and self.heading is not None and "headerlink" in (dict(attrs).get("class") or ""):
                self.label, self.in_link = dict(attrs).get("aria-label"), True

        def handle_endtag(self, tag: str) -> None:
            if tag == "a":
                self.in_link = False
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading is not None:
                if self.label is not None or "¶" in "".join(self.heading):
                    self.found.append((" ".join("".join(self.heading).split()), self.label))
                self.heading = None

        def handle_data(self, data: str) -> None:
            if self.heading is not None and not self.in_link:
                self.heading.append(data)

    pages = 0
    for page in site.rglob("*.html"):
        parser = Headings()
        parser.feed(page.read_text())
        for heading, label in parser.found:
            assert label == f"Link to this section: {heading}", (page, heading, label)
        pages += bool(parser.found)
    assert pages > 50
