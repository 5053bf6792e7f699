"""Issue 25, part B: hand-written pages state the data's facts through placeholders, so they stay true as the data
grows; the check warns where a page writes such a fact out in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import placeholders as ph
from generator.model.load import load_site_data

from .support import ROOT, copy_tiny, mkdocs_build, run_check, text_of

HOME = """---
report_site: home
---

# Tiny test site

<!-- report-site: home -->

## About this site

The site holds {{ count: publications kind=inspection }} inspection reports from {{ count: programmes }} programmes:
{{ names: programmes }}. The programmes are led by {{ names: programme-leads }}.
"""

NEW_PROGRAMME = """title: Joint inspections of education services
short_title: Education services (2026 onwards)
start: 2026
lead: education-scotland
remit: Inspections of education services.
"""


def home_text(project: Path) -> str:
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return text_of(project / "site/index.html")


def test_a_programme_led_by_another_body_changes_the_home_pages_words(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    (project / "content/index.md").write_text(HOME)
    before = home_text(project)
    assert "from 2 programmes: Children's services (2012-2017) and" in before
    assert "The programmes are led by Care Inspectorate." in before
    assert "{{" not in before
    (project / "site-data/programmes/education-2026.yaml").write_text(NEW_PROGRAMME)
    after = home_text(project)
    assert "from 3 programmes:" in after and "and Education services (2026 onwards)." in after
    assert "The programmes are led by Care Inspectorate and Education Scotland." in after


def test_a_lead_the_sources_do_not_name_is_said(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    (project / "site-data/programmes/education-2026.yaml").write_text(
        NEW_PROGRAMME.replace("lead: education-scotland\n", "not_stated: [lead]\n"))
    data, problems = load_site_data(project)
    assert not problems.errors
    found = ph.find_placeholders("{{ names: programme-leads }}")
    assert ph.value(found[0], data) == "Care Inspectorate (the sources do not name the lead of 1 of the 3 programmes)"


def test_a_page_that_names_the_lead_in_words_is_warned_about(tiny: Path) -> None:
    (tiny / "content/about.md").write_text("# About\n\nThe inspections are led by the Care Inspectorate.\n")
    result = run_check(tiny)
    assert result.returncode == 0
    line = next(line for line in result.stderr.splitlines() if line.startswith("content/about.md:3:"))
    assert "warning: 'led by the Care Inspectorate' states who leads the programmes in words" in line
    assert "true today only because Care Inspectorate leads every programme" in line
    assert "{{ names: programme-leads }}" in line
    (tiny / "site-data/programmes/education-2026.yaml").write_text(NEW_PROGRAMME)
    line = next(line for line in run_check(tiny).stderr.splitlines() if line.startswith("content/about.md:3:"))
    assert "It is already untrue: Care Inspectorate does not lead education-2026." in line


@pytest.mark.parametrize(("words", "placeholder"), [
    ("3 areas", "{{ count: partnerships }}"),
    ("12 inspection reports", "{{ count: publications kind=inspection }}"),
    ("2 programmes", "{{ count: programmes }}"),
])
def test_a_number_of_what_the_site_counts_written_out_is_warned_about(tiny: Path, words: str, placeholder: str) -> None:
    (tiny / "content/about.md").write_text(f"# About\n\nThe site covers {words}. `{words}` in code is fine.\n")
    result = run_check(tiny)
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/about.md:")]
    assert len(lines) == 1, result.stderr
    assert f"content/about.md:3:17: warning: '{words}' states a number the data gives" in lines[0]
    assert f"write '{placeholder}' instead" in lines[0]


def test_the_real_sites_hand_written_pages_state_no_data_fact_in_words() -> None:
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert "content/" not in result.stderr, result.stderr
    home = (ROOT / "content/index.md").read_text()
    assert "{{ names: programme-leads }}" in home and "led by the Care Inspectorate" not in home
    assert "Every report is here" not in home


def test_names_placeholders_are_checked(tiny: Path) -> None:
    (tiny / "content/about.md").write_text("# About\n\n{{ names: leads }} and {{ names: programme-leads kind=review }}.\n")
    err = run_check(tiny).stderr
    assert "content/about.md:3:11: error: placeholder '{{ names: leads }}': unknown list of names 'leads'; known lists: " \
           "programme-leads, programme-partners, programmes" in err
    assert "kind=review is not one of: inspection, supported-self-evaluation" in err


def test_a_count_of_publications_can_say_how_many_the_site_holds_itself() -> None:
    """The home page says how many pages there are and how many of those publications the site holds itself: on the
    real site 8 of the 10 inspection records are rebuilt from a review or a committee paper."""
    data, _problems = load_site_data(ROOT)
    held = sum(1 for p in data.inspections.values() if p.status == "published" and p.holds)
    assert held < len(data.inspections)
    assert ph.expand("{{ count: publications kind=inspection held=yes }} of {{ count: publications kind=inspection }}",
                     data) == f"{held} of {len(data.inspections)}"
    assert ph.expand("{{ count: publications held=no }}", data) == str(
        sum(1 for p in data.publications.values() if p.status == "published" and not p.holds))
