"""The official record (issue 26): every publication page links to the original where its address is known and
says so where no source gives it; inspection and partnership pages say where the inspectorate lists its reports;
the check warns on a report the site holds in full that records neither the address nor that it is not known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .support import edit, mkdocs_build, run_check

FIFE_2023 = "site-data/inspections/fife-2023.yaml"
URL_LINE = "url: https://example.org/reports/fife-2023.pdf\n"
WARNING = "warning: where the original of this report is published is not recorded"
REPORTS_URL = ("http://www.careinspectorate.com/index.php/publications-statistics/28-inspectionreports-local-authority/"
               "inspection-reports-joint-inspections-of-children-s-services")


def _article(page: Path) -> str:
    html = page.read_text()
    return html[html.index("<article"):html.index("</article>")]


def test_a_report_page_links_to_its_original_where_the_address_is_known(tiny_site: Path) -> None:
    article = _article(tiny_site / "inspections/fife-2023/index.html")
    assert re.search(r'Original report:</strong> <a class="rs-url" href="https://example.org/reports/fife-2023.pdf">', article), article
    assert "address not known" not in article


@pytest.mark.parametrize("page", ["inspections/fife-2016", "inspections/perth-and-kinross-2022", "reviews/review-2021"])
def test_a_page_says_address_not_known_where_no_source_gives_it(tiny_site: Path, page: str) -> None:
    """`not_stated: [url]`: the page says so, and links nowhere it could not know."""
    article = _article(tiny_site / page / "index.html")
    assert "Original report:</strong> address not known (no source this site holds gives it)" in article


def test_the_check_warns_on_a_held_report_with_no_address(tiny: Path) -> None:
    edit(tiny / FIFE_2023, URL_LINE, "")
    result = run_check(tiny)
    assert result.returncode == 0, result.stderr  # a warning: check says OK, the strict build stops
    lines = [line for line in result.stderr.splitlines() if WARNING in line]
    assert lines == [f"{FIFE_2023}:1:1: {WARNING} (the site holds it in full); add 'url:' with its full address as a "
                     "source gives it, or, where no source this site holds gives it, write 'not_stated: [url]' (the page "
                     "then says the address is not known): never invent one"], result.stderr
    built = mkdocs_build(tiny, tiny / "site")
    assert built.returncode != 0 and WARNING in built.stderr


def test_saying_the_address_is_not_known_answers_the_warning(tiny: Path) -> None:
    edit(tiny / FIFE_2023, URL_LINE, "not_stated: [url]\n")
    result = run_check(tiny)
    assert result.returncode == 0 and WARNING not in result.stderr, result.stderr


@pytest.mark.parametrize("change", ["rebuilt_from: review-2021\n", "status: draft\n"])
def test_no_warning_for_a_rebuilt_record_or_a_draft(tiny: Path, change: str) -> None:
    """A record rebuilt from another publication is not held in full (its banner already says what is known of the
    original); a draft is not published."""
    edit(tiny / FIFE_2023, URL_LINE, change)
    result = run_check(tiny)
    assert WARNING not in result.stderr, result.stderr


def test_an_address_and_not_known_together_is_an_error(tiny: Path) -> None:
    edit(tiny / FIFE_2023, URL_LINE, URL_LINE + "not_stated: [url]\n")
    result = run_check(tiny)
    assert result.returncode == 1
    assert "'url' is given and also listed in 'not_stated'" in result.stderr, result.stderr


def test_every_real_inspection_and_partnership_page_says_where_the_inspectorate_lists_its_reports(real_site: Path) -> None:
    inspections = sorted((real_site / "inspections").glob("*/index.html"))
    assert len(inspections) >= 10
    for page in inspections:
        assert f'href="{REPORTS_URL}"' in _article(page), f"{page}: no link to the inspectorate's list of reports"
    for page in sorted((real_site / "partnerships").glob("*/index.html")):
        assert f'href="{REPORTS_URL}"' in _article(page), f"{page}: no link to the inspectorate's list of reports"


def test_the_north_lanarkshire_report_says_its_address_is_not_known(real_site: Path) -> None:
    """No source gives the report's address (it names only www.careinspectorate.com): none is made up."""
    article = _article(real_site / "inspections/north-lanarkshire-2023/index.html")
    assert "Original report:</strong> address not known" in article
    assert "Where the inspectorate lists its reports:</strong> <a href=" in article
