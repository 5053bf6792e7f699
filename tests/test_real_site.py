"""The real site: all encoded sources build with --strict and read as the sources say."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check_site
from generator.derive import review_evaluations

from .conftest import ROOT, mkdocs_build
from .test_build import text_of


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


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
