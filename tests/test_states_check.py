"""The check for incomplete sources (issue 10): each rule reports file:line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.derive.site import check_site

from .support import edit, run_check

INSP = "site-data/inspections/fife-2023.yaml"
PROG = "site-data/programmes/risk-2021.yaml"
REVIEW = "site-data/reviews/review-2021.yaml"

# (file, text to replace, replacement, expected "file:line" prefix, words the message must contain)
CASES = [
    ("missing-unknown-state", INSP, "missing: not-published", "missing: unknown", f"{INSP}:18:",
     ["not-evaluated", "not-published", "not-held"]),
    ("neither-grade-nor-missing", INSP, "    missing: not-published\n", "", f"{INSP}:17:",
     ["needs a 'grade', or 'missing'", "not-held"]),
    ("original-url-without-not-held", INSP, "missing: not-published", "missing: not-published\n    original_url: https://example.org/r",
     f"{INSP}:19:", ["use it only with 'missing: not-held'"]),
    ("grade-text-names-another-grade", INSP, "grade: 5", "grade: 4", f"{INSP}:15:",
     ["calls it 'Very good' (5)", "its grade is 4 (Good)"]),
    ("totals-off-scale", INSP, "evidence:", "grade_totals:\n  counts: {7: 1}\nevidence:", f"{INSP}:", ["grade 7 is not on the scale"]),
    ("totals-more-than-indicators", INSP, "evidence:", "grade_totals:\n  counts: {5: 2, 4: 1}\nevidence:", f"{INSP}:",
     ["add up to 3 evaluations", "evaluates 2 indicators"]),
    ("totals-disagree-with-grades", INSP, "evidence:", "grade_totals:\n  counts: {4: 1}\nevidence:", f"{INSP}:",
     ["1 indicators are graded 5, but the totals give 0"]),
    ("future-correction", INSP, "evidence:", "corrections:\n  - {date: 2099-01-01, text: Fixed.}\nevidence:", f"{INSP}:",
     ["is in the future"]),
    ("draft-linked-from-published", REVIEW, "programme: risk-2021", "programme: risk-2021\nstatus: draft", f"{PROG}:14:",
     ["programme 'risk-2021' names the draft review 'review-2021'", "in 'review'", "Publish it"]),
    ("rebuilt-from-unknown", INSP, "programme: risk-2021", "programme: risk-2021\nrebuilt_from: nowhere", f"{INSP}:4:",
     ["'rebuilt_from' names a publication 'nowhere'"]),
    ("approximate-date-bad", INSP, "published: 2023-09-12", "published: roughly 2023", f"{INSP}:", ["with 'about ' in front if approximate"]),
    ("successor-unknown", "site-data/organisations.yaml", "name: Care Inspectorate", "name: Care Inspectorate\n    successors: [nobody]",
     "site-data/organisations.yaml:", ["'successors' names an organisation 'nobody'"]),
    ("field-left-out-without-not-stated", "site-data/scales/six-point.yaml", ", meaning: Major strengths}", "}",
     "site-data/scales/six-point.yaml:", ["a level of the scale needs 'meaning'", "not_stated: [meaning]", "do not invent it"]),
    ("field-given-and-not-stated", PROG, "lead: care-inspectorate", "lead: care-inspectorate\nnot_stated: [lead]", f"{PROG}:",
     ["'lead' is given and also listed in 'not_stated'"]),
    ("not-stated-names-a-required-field", PROG, "lead: care-inspectorate", "lead: care-inspectorate\nnot_stated: [title]", f"{PROG}:",
     ["'title' cannot be listed in 'not_stated' in a programme", "'lead'", "where none does, do not invent it"]),
    ("previous-loop", "site-data/programmes/old-2012.yaml", "title:", "previous: risk-2021\ntitle:", "site-data/programmes/",
     ["leads back to programme"]),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_rule(tiny: Path, name: str, file: str, old: str, new: str, where: str, words: list[str]) -> None:
    edit(tiny / file, old, new)
    _data, derived, problems = check_site(tiny)
    lines = [str(p) for p in problems.sorted()]
    assert derived is None, "the check passed"
    at = [line for line in lines if line.startswith(where)]
    assert at, f"no problem reported at {where}:\n" + "\n".join(lines)
    assert any(all(w in line for w in words) for line in at), f"expected {words} at {where}:\n" + "\n".join(lines)


def test_draft_link_is_reported_by_the_command_before_any_build(tiny: Path) -> None:
    edit(tiny / REVIEW, "programme: risk-2021", "programme: risk-2021\nstatus: draft")
    result = run_check(tiny)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{PROG}:14:9: error: programme 'risk-2021' names the draft review" in result.stderr


def test_narrative_link_to_a_draft_is_reported_with_its_line(tiny: Path) -> None:
    edit(tiny / REVIEW, "programme: risk-2021", "programme: risk-2021\nstatus: draft")
    edit(tiny / PROG, "review: review-2021\n", "")
    narrative = tiny / "content/narrative/inspections/fife-2023.md"
    narrative.write_text(narrative.read_text() + "\nSee [the review](../reviews/review-2021.md).\n")
    _data, derived, problems = check_site(tiny)
    lines = [str(p) for p in problems.sorted()]
    line_no = narrative.read_text().splitlines().index("See [the review](../reviews/review-2021.md).") + 1
    assert any(line.startswith(f"content/narrative/inspections/fife-2023.md:{line_no}:") and "draft 'review-2021'" in line
               for line in lines), lines


def test_a_grade_written_with_its_own_word_passes(tiny: Path) -> None:
    """'very good' beside a 5 is right; 'good' inside 'very good' is not read as another grade."""
    edit(tiny / INSP, "summary: We evaluated the impact as very good.",
         "summary: Staff were good at listening. We evaluated the impact as very good (5).")
    _data, derived, problems = check_site(tiny)
    assert derived is not None, problems.sorted()


def test_claims_with_grades_missing_are_checked_only_as_far_as_the_grades_go(tiny: Path) -> None:
    """When the site holds only some of the grades a claim covers, a claim that they cannot contradict
    passes, and one they do contradict is refused."""
    edit(tiny / REVIEW, "    count: 2\n    min_grade: 4\n    total: 3\n", "    count: 3\n    min_grade: 4\n    total: 4\n")
    _data, derived, problems = check_site(tiny)
    assert derived is not None, problems.sorted()  # 2 held at 4+, 1 below: 3 of 4 is still possible
    edit(tiny / REVIEW, "    count: 3\n    min_grade: 4\n    total: 4\n", "    count: 1\n    min_grade: 4\n    total: 4\n")
    _data, derived, problems = check_site(tiny)
    assert any("says 1, the 3 grades the site holds give 2 at grade 4 or above" in str(p) for p in problems.sorted())


def test_grade_totals_may_be_written_as_the_scales_words(tiny: Path) -> None:
    """Issue 13: totals are grades too ('3 excellent, 3 very good'): the scale's word in any case, or its number."""
    edit(tiny / INSP, "evidence:", "grade_totals:\n  counts: {Very GOOD: 1, good: 1}\nevidence:")
    data, derived, problems = check_site(tiny)
    assert derived is not None, "\n".join(str(p) for p in problems.sorted())
    totals = data.inspections["fife-2023"].grade_totals
    assert totals is not None and totals.counts == {5: 1, 4: 1}


def test_a_grade_totals_word_not_on_the_scale_is_explained(tiny: Path) -> None:
    # 'Adequate' is the tiny scale's 3, so a word that is on no scale is used.
    edit(tiny / INSP, "evidence:", "grade_totals:\n  counts: {outstanding: 1}\nevidence:")
    result = run_check(tiny)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{INSP}:")]
    assert any("grade 'outstanding' is not a word on the scale" in line and "its words are: 6 Excellent" in line for line in lines), result.stderr
    assert len(lines) == 1, "only the root cause is reported:\n" + result.stderr


def test_a_grade_totals_word_on_the_scale_is_read_as_its_number(tiny: Path) -> None:
    edit(tiny / INSP, "evidence:", "grade_totals:\n  counts: {adequate: 1}\nevidence:")
    data, _derived, _problems = check_site(tiny)
    totals = data.inspections["fife-2023"].grade_totals
    assert totals is not None and totals.counts == {3: 1}


def test_a_hand_written_page_linking_to_a_draft_is_reported_with_its_line(tiny: Path) -> None:
    """content/*.md pages are checked like narratives: the build would otherwise fail on a page the editor never wrote."""
    edit(tiny / "site-data/inspections/perth-and-kinross-2022.yaml", "published: 2022-06-01", "published: 2022-06-01\nstatus: draft")
    about = tiny / "content/about.md"
    lines = about.read_text().splitlines()
    about.write_text("\n".join([*lines, "", "See [the Perth report](inspections/perth-and-kinross-2022.md)."]) + "\n")
    _data, derived, problems = check_site(tiny)
    assert derived is None
    expected = f"content/about.md:{len(lines) + 2}:"
    assert any(str(p).startswith(expected) and "links to the draft 'perth-and-kinross-2022'" in str(p) for p in problems.sorted()), \
        [str(p) for p in problems.sorted()]
