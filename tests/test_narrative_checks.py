"""Narrative checks: proportion words, placeholders, personal details, unfinished text.

Each check has tests for what it catches and for what it must leave alone, at unit level (the
functions) and through `python -m generator check` (file:line:col in the Markdown or YAML).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import placeholders as ph
from generator.check.narrative_checks import find_proportion_claims, fits
from generator.derive.site import check_site
from generator.model import models as m
from generator.model.disclosures import find_disclosures, is_allowed
from generator.model.models import AllowedDisclosure
from generator.render.render import Renderer, make_environment

from .support import ROOT, TINY, edit, mkdocs_build, run_check

NARRATIVE = "content/narrative/inspections/fife-2023.md"
INSP = "site-data/inspections/fife-2023.yaml"

# The bands of site-data/proportion-words/standard-terms.yaml (as the North Lanarkshire 2023 report defines them).
WORDS = m.ProportionWords(
    id="standard-terms", name="Words for proportions", defined_in=[],
    bands=[
        m.ProportionBand(word="few", min_percent=0, max_percent=14, as_published="'few' means up to 14%"),
        m.ProportionBand(word="less than half", min_percent=15, max_percent=49, as_published="'less than half' means 15% up to 49%"),
        m.ProportionBand(word="the majority", min_percent=50, max_percent=74, as_published="'the majority' means 50% up to 74%"),
        m.ProportionBand(word="most", min_percent=75, max_percent=89, as_published="'most' means 75% up to 89%"),
        m.ProportionBand(word="almost all", min_percent=90, as_published="'almost all' means 90% or more"),
    ],
)


def wrong(text: str) -> list[tuple[str, float]]:
    """(word, percent) of every proportion word the check would flag in `text`."""
    return [(c.word, c.percent) for c in find_proportion_claims(text, WORDS) if not fits(c.band, c.percent)]


def paired(text: str) -> list[tuple[str, float]]:
    return [(c.word, c.percent) for c in find_proportion_claims(text, WORDS)]


# --- proportion words ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Most (60%) had a plan.", [("Most", 60)]),
    ("most children (60%) had a plan", [("most", 60)]),
    ("most of the children we met (60 per cent)", [("most", 60)]),
    ("60% of children (most) had a plan", [("most", 60)]),
    ("few (20%)", [("few", 20)]),
    ("almost all (89%)", [("almost all", 89)]),
    ("the majority (40 percent)", [("the majority", 40)]),
    ("less than half (50%)", [("less than half", 50)]),
    ("most (14.5%)", [("most", 14.5)]),  # between bands: covered by none
    ("**most** (60%)", [("most", 60)]),
    ("most[^3] (60%)", [("most", 60)]),
    ("most (43 of 48)", [("most", 90)]),  # 89.6% rounds to 90%: 'almost all'
    ("most (2 out of 8)", [("most", 25)]),
    ("The majority\nof records (80%) were good.", [("The majority", 80)]),  # a line break inside the sentence
])
def test_proportion_word_against_figure_is_caught(text: str, expected: list[tuple[str, float]]) -> None:
    assert wrong(text) == expected


@pytest.mark.parametrize("text", [
    "the majority (60%)",
    "most (75%)",
    "most (89%)",
    "almost all (100%)",
    "few (0%)",
    "most children (45 of 60)",  # 75%
    "90%",
    "In 2023, 90% of children were seen.",
    "most children had a plan",  # no figure
    "Most children had a plan. Of the rest (60%), ...",  # another sentence
    "In most areas, children (60%) had a plan",  # a comma between: not paired
    "the most vulnerable children (10%)",  # superlative, not a proportion
    "at most (20%)",
    "most (see the 2019 report)",  # a bracket with no figure
    "almost all staff, most managers and few leaders",
    "`most (60%)` is how the old template wrote it",  # code
])
def test_text_that_must_pass(text: str) -> None:
    assert wrong(text) == []


def test_word_and_figure_far_apart_are_not_paired() -> None:
    assert paired("most of the children and young people we met in the area (60%)") == []  # seven words between
    assert paired("most\n\n(60%)") == []  # another paragraph


def test_proportion_error_has_markdown_line_and_column(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;", "Leaders had a clear vision; most staff (60%) agreed;")
    result = run_check(tiny)
    assert result.returncode == 1
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith(NARRATIVE))
    assert line.startswith(f"{NARRATIVE}:11:29: error: 'most' does not fit the figure beside it (60%): 'most' means 75% up to 89%"), line
    assert "no word covers 60%" in line  # the tiny site's bands have a gap there


def test_proportion_check_uses_the_programme_words(tiny: Path) -> None:
    """Only a publication whose programme has proportion words is checked."""
    edit(tiny / NARRATIVE, "Fife is a large area.", "Fife is a large area; most children (60%) were seen.")
    assert run_check(tiny).returncode == 1
    edit(tiny / "site-data/programmes/risk-2021.yaml", "proportion_words: standard-terms\n", "")
    assert run_check(tiny).returncode == 0


def test_figure_from_a_placeholder_is_checked(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Fife is a large area.", "Fife is a large area. In most ({{ count: inspections programme=risk-2021 }} of 2) areas ...")
    result = run_check(tiny)
    assert f"{NARRATIVE}:1:26: error: 'most' does not fit the figure beside it (2 of 2)" in result.stderr  # 100%


# --- placeholders ---------------------------------------------------------------------------


def tiny_data():  # noqa: ANN201 - SiteData
    data, _derived, problems = check_site(TINY)
    assert not problems.errors
    return data


def test_placeholder_counts_every_published_inspection() -> None:
    data = tiny_data()
    published = sum(1 for i in data.inspections.values() if i.status == "published")
    assert ph.expand("{{ count: inspections }} and {{count:inspections}}", data) == f"{published} and {published}"


@pytest.mark.parametrize(("text", "number"), [
    ("{{ count: inspections programme=risk-2021 partnership=fife }}", "1"),
    ("{{ count: partnerships }}", "3"),
    ("{{ count: partnerships programme=risk-2021 }}", "2"),
    ("{{ count: partnerships-graded programme=risk-2021 indicator=2.1 min_grade=4 }}", "2"),
    ("{{ count: partnerships-graded programme=risk-2021 indicator=2.1 min_grade=5 }}", "1"),
    ("{{ count: partnerships-graded programme=risk-2021 indicator=2.2 grade=3 }}", "1"),
    ("{{ count: evaluations programme=risk-2021 }}", "3"),
    ("{{ count: evaluations programme=risk-2021 max_grade=4 }}", "2"),
    ("{{count:inspections programme=risk-2021}}", "2"),
])
def test_placeholder_counts_from_the_data(text: str, number: str) -> None:
    data = tiny_data()
    assert ph.expand(f"In {text} areas.", data) == f"In {number} areas."


def test_drafts_are_not_counted(tiny: Path) -> None:
    before = ph.expand("{{ count: inspections }}", check_site(tiny)[0])
    (tiny / "site-data/inspections/na-h-eileanan-siar-2024.yaml").write_text(
        "title: Draft\npartnership: na-h-eileanan-siar\nprogramme: risk-2021\nstatus: draft\nnot_stated: [publisher]\nevaluations:\n  - {indicator: '2.1', grade: 6}\n")
    data, _derived, problems = check_site(tiny, include_drafts=True)
    assert not problems.errors
    assert ph.expand("{{ count: inspections }} {{ count: evaluations programme=risk-2021 min_grade=6 }}", data) == f"{before} 0"


@pytest.mark.parametrize("text", [
    "{{ 7*7 }}", "{{ config }}", "{{ ''.__class__ }}", "{% include 'x' %}", "{{ count: nope }}", "`{{ count: inspections }}`",
    "\\{{ count: inspections }}", "```\n{{ count: inspections }}\n```", "{{ count: inspections", "{ count: inspections }",
])
def test_everything_else_stays_literal(text: str) -> None:
    assert ph.expand(text, tiny_data()) == text


@pytest.mark.parametrize(("text", "col", "words"), [
    ("{{ count: nope }}", 11, ["unknown count 'nope'", "known counts: inspections"]),
    ("{{ count: inspections colour=red }}", 23, ["has no argument 'colour'", "programme, partnership"]),
    ("{{ count: inspections programme=risk-2020 }}", 23, ["no programme 'risk-2020'"]),
    ("{{ count: partnerships-graded programme=risk-2021 }}", 1, ["needs indicator=..."]),
    ("{{ count: partnerships-graded programme=risk-2021 indicator=2.10 }}", 51, ["does not evaluate indicator '2.10'"]),
    ("{{ count: evaluations programme=risk-2021 min_grade=9 }}", 43, ["min_grade=9 is not on the scale", "6 (Excellent)"]),
    ("{{ count: evaluations programme=risk-2021 min_grade=good }}", 43, ["must be a whole number"]),
    ("{{ count: evaluations programme=risk-2021 grade=4 max_grade=5 }}", 43, ["either grade= or min_grade=/max_grade="]),
    ("{{ count: inspections inspections }}", 23, ["is not an argument"]),
    ("{{ percent: inspections }}", 4, ["unknown placeholder kind 'percent:'"]),
])
def test_placeholder_errors_have_line_and_column(tiny: Path, text: str, col: int, words: list[str]) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;", f"{text} Leaders had a clear vision;")
    result = run_check(tiny)
    assert result.returncode == 1, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{NARRATIVE}:11:{col}: error: placeholder")]
    assert lines and all(w in lines[0] for w in words), result.stderr


def test_literal_braces_warn_and_placeholders_in_headings_and_yaml(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;", "Sums like {{ 7*7 }} and `{{ 8*8 }}` and \\{{ 9*9 }}. Leaders had a clear vision; {{ open")
    edit(tiny / NARRATIVE, "## Statement 2", "## {{ count: inspections }} Statement 2")
    edit(tiny / INSP, "Staff knew children well.", "Staff in {{count:inspections}} areas knew children well.")
    result = run_check(tiny)
    err = result.stderr
    assert f"{NARRATIVE}:11:11: warning: '{{{{ 7*7 }}}}' is not a placeholder, so it will be shown exactly as written" in err
    assert "8*8" not in err and "9*9" not in err  # in code, or escaped: no warning
    assert f"{NARRATIVE}:11:81: warning: '{{{{' is not closed by '}}}}' on the same line" in err
    assert f"{NARRATIVE}:9:4: error: placeholders cannot be used in '## ' headings" in err
    assert f"{INSP}:23:3: warning: 'key_messages' (item 1): placeholders work only in narrative Markdown" in err


def render(project: Path, page: str) -> str:
    _data, derived, problems = check_site(project)
    assert derived is not None, problems.sorted()
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]))
    spec = next(s for s in renderer.pages() if s.path == page)
    return renderer.render(spec)


def test_page_gets_the_number_and_literal_braces_stay_literal(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;",
         "In {{ count: partnerships-graded programme=risk-2021 indicator=2.1 min_grade=4 }} of "
         "{{ count: inspections programme=risk-2021 }} areas it was good. {{ 7*7 }} {{ config }} {% if true %}x{% endif %}")
    page = render(tiny, "inspections/fife-2023.md")
    assert "In 2 of 2 areas it was good. {{ 7*7 }} {{ config }} {% if true %}x{% endif %}" in page
    assert "49" not in page


def test_built_page_shows_numbers_and_escaped_braces(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;", "In {{ count: inspections programme=risk-2021 }} areas; \\{{ 7*7 }} stays.")
    result = mkdocs_build(tiny, tiny / "site")
    assert result.returncode == 0, result.stderr
    html = (tiny / "site/inspections/fife-2023/index.html").read_text()
    assert "In 2 areas; {{ 7*7 }} stays." in html and "49" not in html


# --- personal details ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    ("Contact jo.bloggs@example.org for help", "e-mail address"),
    # written out so machines miss it: still the person's address
    ("Contact jane dot doe at example dot com for help", "e-mail address"),
    ("jo.bloggs [at] example.org", "e-mail address"),
    ("jo(at)example(dot)co(dot)uk", "e-mail address"),
    ("write to Jane.Doe at example.com", "e-mail address"),
    ("J.Smith AT council DOT gov DOT uk.", "e-mail address"),
    ("Call 0131 123 4567 today", "phone number"),
    ("Call 01382 207100 today", "phone number"),
    ("Call 07700 900123", "phone number"),
    ("Call +44 (0)131 123 4567", "phone number"),
    ("Call +44 131 123 4567", "phone number"),
    ("Call (0131) 123 4567", "phone number"),
    ("Call 0131-123-4567", "phone number"),
    ("lives at 3 Main Street, Edinburgh EH1 3NA", "postcode"),
    ("in G1 1LH", "postcode"),
    ("the child was born on 3 March 2010", "date of birth"),
    ("born on the 3rd of March", "date of birth"),
    ("DOB: 01/02/2010", "date of birth"),
    ("date of birth 2010-03-03", "date of birth"),
    ("NI number AB 12 34 56 C", "National Insurance number"),
    ("NI number AB123456C", "National Insurance number"),
    ("CHI 0303101234", "CHI number"),
])
def test_personal_details_are_found(text: str, kind: str) -> None:
    found = find_disclosures(text)
    assert [d.kind for d in found] == [kind], found


@pytest.mark.parametrize("text", [
    "In 2023 and in 2018-2020", "2018 - 2020", "60,641 incidents", "0.5 per cent", "SCQF level 5", "indicator 2.1 and 9.4",
    "£1,234,567", "at 10:30 on 12/03/2023", "children born on or after 1 April", "born in 2010",
    "https://www.careinspectorate.com/images/documents/01311234567/EH13NA.pdf", "staff (over 350)", "section 01 2345",
    "QI 2.1", "NHS 24", "COVID-19", "aged 0-15", "AB 12 34", "www.example.org",
    "available at www.gov.scot", "staff met at home.Then they", "a dot at the end", "they looked at data dot points",
    "e.g. at www.example.org", "dot dot dot at at at",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert find_disclosures(text) == []


def test_allowed_address_is_allowed_however_written_out() -> None:
    allowed = [AllowedDisclosure(text="enquiries@careinspectorate.com", reason="enquiries")]
    found = find_disclosures("enquiries [at] careinspectorate [dot] com, or Enquiries at careinspectorate dot com")
    assert len(found) == 2 and all(is_allowed(d, allowed) for d in found)
    assert not any(is_allowed(d, allowed) for d in find_disclosures("jo [at] careinspectorate [dot] com"))


def test_allowed_list_matches_however_spaced() -> None:
    allowed = [AllowedDisclosure(text="0345 600 9527", reason="enquiries"), AllowedDisclosure(text="dd1 4ny", reason="HQ")]
    assert all(is_allowed(d, allowed) for d in find_disclosures("Call +44 345 600 9527 or 03456009527, DD1 4NY"))
    assert not any(is_allowed(d, allowed) for d in find_disclosures("Call 0345 600 9528, DD1 4NZ"))


def test_disclosures_in_narrative_yaml_and_pages(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Leaders had a clear vision;", "Write to jo@example.org. Leaders had a clear vision;")
    edit(tiny / INSP, "Staff knew children well.", "Staff knew children well; call 0131 123 4567.")
    edit(tiny / "site-data/partnerships/fife.yaml", "council: Fife Council", "council: Fife Council, KY7 5LT")
    (tiny / "content/about.md").write_text("# About\n\nContact: 0345 600 9527\n")
    result = run_check(tiny)
    err = result.stderr
    assert result.returncode == 1
    assert f"{NARRATIVE}:11:10: error: e-mail address 'jo@example.org' must not be published" in err
    assert f"{INSP}:23:3: error: 'key_messages' (item 1): phone number '0131 123 4567' must not be published" in err
    assert "site-data/partnerships/fife.yaml:2:10: error: 'council': postcode 'KY7 5LT' must not be published" in err
    assert "content/about.md:3:10: error: phone number '0345 600 9527'" in err
    assert "allowed-disclosures.yaml" in err


def test_allowed_disclosures_file(tiny: Path) -> None:
    (tiny / "content/about.md").write_text("# About\n\nContact: 0345 600 9527, Compass House, Dundee DD1 4NY\n")
    (tiny / "site-data/allowed-disclosures.yaml").write_text(
        "allowed:\n  - text: 0345 600 9527\n    reason: The Care Inspectorate's public enquiries line.\n"
        "  - text: DD1 4NY\n    reason: The Care Inspectorate's headquarters.\n")
    result = run_check(tiny)
    assert result.returncode == 0, result.stderr


def test_allowed_disclosures_file_is_checked_like_any_other(tiny: Path) -> None:
    (tiny / "site-data/allowed-disclosures.yaml").write_text("allowed:\n  - text: 0345 600 9527\n    because: enquiries\n")
    result = run_check(tiny)
    assert "site-data/allowed-disclosures.yaml:3:5: error: unknown field 'because' in a detail that may be published" in result.stderr
    assert "missing required field 'reason'" in result.stderr


def test_real_site_lists_only_organisations_details() -> None:
    """The real site's one postcode in narrative (Glasgow HSCP's office) is allowed, with its reason."""
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert "G1 1LH" in (ROOT / "site-data/allowed-disclosures.yaml").read_text()


# --- unfinished text ----------------------------------------------------------------------------


def test_todo_is_fine_in_drafts_and_warned_about_when_published(tiny: Path) -> None:
    edit(tiny / NARRATIVE, "Fife is a large area.", "TODO paste the opening here.")
    edit(tiny / INSP, "delay_reason: Publication", "delay_reason: TODO Publication")
    result = run_check(tiny)
    assert result.returncode == 0  # warnings only
    assert f"{NARRATIVE}:1:1: warning: 'TODO' is still in this paragraph" in result.stderr
    assert f"{INSP}:10:15: warning: 'delay_reason': 'TODO' is still in this field" in result.stderr
    edit(tiny / INSP, "programme: risk-2021", "programme: risk-2021\nstatus: draft")
    assert "TODO" not in run_check(tiny).stderr


def test_todo_in_records_without_status(tiny: Path) -> None:
    edit(tiny / "site-data/themes.yaml", "description: Collaborative leadership.", "description: TODO")
    result = run_check(tiny)
    assert "site-data/themes.yaml:7:18: warning: 'description': 'TODO' is still in this field" in result.stderr
    assert "no draft status" in result.stderr


def test_placeholder_in_a_hand_written_page_is_checked_like_a_narratives(tiny: Path) -> None:
    """Hand-written pages state the data's numbers through placeholders too (issue 25): checked as in a narrative."""
    (tiny / "content/about.md").write_text("# About\n\nWe publish {{ count: inspections }} reports. {{ 7*7 }} {{ count: nope }}\n")
    result = run_check(tiny)
    assert result.returncode == 1
    assert "placeholders work only" not in result.stderr
    assert "content/about.md:3:46: warning: '{{ 7*7 }}' is not a placeholder" in result.stderr
    assert "content/about.md:3:66: error: placeholder '{{ count: nope }}': unknown count 'nope'" in result.stderr


def test_proportion_words_in_yaml_text_fields(tiny: Path) -> None:
    edit(tiny / INSP, "Staff knew children well.", "Most staff (60%) knew children well.")
    edit(tiny / INSP, "areas_for_improvement: [Chronologies varied in quality.]", "areas_for_improvement: [Almost all (95%) chronologies varied.]")
    result = run_check(tiny)
    assert f"{INSP}:23:3: error: 'key_messages' (item 1): 'Most' does not fit the figure beside it (60%)" in result.stderr
    assert "Almost all" not in result.stderr


_POOL_COMPARISON = """
import dataclasses, sys
from generator.model.load import load_site_data
from generator.check.narrative_checks import check_text
from generator.base.pool import can_fork
from pathlib import Path

data, _problems = load_site_data(Path(sys.argv[1]))
texts = list(data.narratives.values())
# Every publication gets one of the real narratives with problems added (the pool needs 8 or more).
for i, pub_id in enumerate(sorted(data.publications)):
    narrative = texts[i % len(texts)]
    data.narratives[pub_id] = dataclasses.replace(narrative, text=narrative.text + "\\n\\nTODO: finish. {{ no_such_count }} 120% of children.\\n")
assert len(data.narratives) >= 8, "too few narratives for the pool to be used"
assert can_fork(), "this process cannot fork workers: the pool would not be used"
serial = [str(p) for p in check_text(data, workers=1).items]
pooled = [str(p) for p in check_text(data, workers=2).items]
assert len(serial) >= len(data.narratives), len(serial)
assert pooled == serial, (pooled, serial)
print("same", len(serial))
"""


def test_narrative_checks_in_workers_find_what_a_serial_run_finds() -> None:
    # In a fresh interpreter: the pool forks only from a single-threaded process, and earlier tests
    # in this one (servers, browsers) may leave threads running.
    import subprocess
    import sys

    from .support import ROOT

    result = subprocess.run([sys.executable, "-c", _POOL_COMPARISON, str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("same ")


def test_content_pages_get_the_proportion_and_todo_checks(tiny: Path) -> None:
    """Issue 13: 'Most (60%) of staff' and a TODO on a hand-written page are reported with file and line."""
    about = tiny / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMost (60%) of staff said so.\n\nTODO: finish this paragraph.\n", encoding="utf-8")
    result = run_check(tiny)
    lines = about.read_text(encoding="utf-8").splitlines()
    most = lines.index("Most (60%) of staff said so.") + 1
    todo = lines.index("TODO: finish this paragraph.") + 1
    assert f"content/about.md:{most}:1: error: 'Most' does not fit the figure beside it (60%)" in result.stderr, result.stderr
    assert f"content/about.md:{todo}:1: warning: 'TODO' is still in this page" in result.stderr, result.stderr


def test_content_pages_with_fitting_proportions_pass(tiny: Path) -> None:
    about = tiny / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMost (80%) of staff said so.\n", encoding="utf-8")
    result = run_check(tiny)
    assert "content/about.md" not in result.stderr, result.stderr
