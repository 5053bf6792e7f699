"""Golden messages: each mistake an editor made, entered into the tiny project, and the check's whole output.

The output must name the root cause once, first, with what it kept from being checked listed under it
(never as errors of their own). Run with UPDATE_GOLDEN=1 to rewrite tests/messages/*.txt, then read the diff.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.derive.site import check_site

from .support import edit

MESSAGES = Path(__file__).parent / "messages"
INSP = "site-data/inspections/fife-2023.yaml"
OLD_INSP = "site-data/inspections/fife-2016.yaml"
SCALE = "site-data/scales/six-point.yaml"


def older_scale(project: Path) -> None:
    """The older programme on a scale of its own, whose 3 is 'Satisfactory'; its report graded 'adequate'."""
    text = (project / SCALE).read_text().replace("Adequate", "Satisfactory").replace("Six-point evaluation", "Older six-point")
    (project / "site-data/scales/older-six-point.yaml").write_text(text)
    edit(project / "site-data/programmes/old-2012.yaml", "scale: six-point", "scale: older-six-point")
    edit(project / OLD_INSP, "grade: 3", "grade: adequate")


def rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: (project / old).rename(project / new)


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / file, old, new)


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(project: Path) -> None:
        for step in steps:
            step(project)
    return run


CASES: dict[str, Callable[[Path], None]] = {
    # A word the scale does not have: the scale's words with numbers, where the word belongs, the closest.
    "grade-word-of-another-scale": older_scale,
    "grade-word-misspelt": replace(INSP, "grade: 5", "grade: Very goood"),
    "grade-word-opposite-not-suggested": replace(INSP, "grade: 5", "grade: satisfactory"),
    # A misspelt field in one level of a scale: that error only, with every grade it kept from being checked.
    "scale-level-field-misspelt": replace(SCALE, "label: Adequate", "lable: Adequate"),
    # The same misspelling in every level: no "a scale needs at least one level".
    "scale-every-level-misspelt": lambda project: (project / SCALE).write_text(
        (project / SCALE).read_text().replace("meaning:", "meanings:")),
    # A misnamed inspection file: one error; the review's claims and the response that names it wait for it.
    "inspection-file-misnamed": rename(INSP, "site-data/inspections/Fife-2023.yaml"),
    "inspection-file-yml": rename(INSP, "site-data/inspections/fife-2023.yml"),
    # A broken programme: its inspections are not checked against it.
    "programme-broken": replace("site-data/programmes/risk-2021.yaml", "start: 2021", "start: sometime"),
    # A broken themes file: theme references are not reported as missing themes.
    "themes-file-broken": replace("site-data/themes.yaml", "description: Records", "descripton: Records"),
    # Two mistakes at once: the scale's (a dependency) is reported before the inspection's.
    "scale-before-inspection": both(replace(INSP, "partnership: fife", "partnership: fyfe"),
                                    replace(SCALE, "{value: 6,", "{value: 5,")),
    # A broken framework: the programmes that use it are listed under it, their indicators not re-reported.
    "framework-broken": replace("site-data/frameworks/qf-2019.yaml", "published: 2019-08", "published: August 2019"),
    # A broken partnership file: inspections, responses and letters that name it wait for it.
    "partnership-broken": replace("site-data/partnerships/fife.yaml", "council: Fife Council", "councl: Fife Council"),
    # A broken organisations file: every lead, partner and publisher is listed under it, none "does not exist".
    "organisations-file-broken": replace("site-data/organisations.yaml", "    name: Care Inspectorate", "    nme: Care Inspectorate"),
    # A list with a broken entry is reported once, not also as missing or empty.
    "evaluation-entry-broken": replace(INSP, 'indicator: "2.1"', 'indicatr: "2.1"'),
}


def run_check(project: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(project)])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_matches_golden(tiny: Path, name: str) -> None:
    CASES[name](tiny)
    code, output = run_check(tiny)
    assert "Traceback" not in output
    assert code == 1, output
    golden = MESSAGES / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(output)
    assert golden.exists(), f"no golden message for {name}: run with UPDATE_GOLDEN=1 and read it"
    assert output == golden.read_text()


def test_no_golden_message_is_orphaned() -> None:
    assert sorted(p.stem for p in MESSAGES.glob("*.txt")) == sorted(CASES)


def test_root_cause_is_reported_once_and_first(tiny: Path) -> None:
    """Whatever the order of the files on disk, the scale's error comes before anything that uses the scale."""
    replace(SCALE, "label: Adequate", "lable: Adequate")(tiny)
    replace(INSP, "partnership: fife", "partnership: fyfe")(tiny)
    _code, output = run_check(tiny)
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert errors[0].startswith(SCALE) and "Did you mean 'label'" in errors[0]
    assert len(errors) == 2, output  # the scale's, and the inspection's own partnership
    assert "missing required field 'label'" not in output
    assert "is not on the scale" not in output and "has no scale" not in output


@pytest.mark.parametrize("written", ["Very good", "very good", "VERY GOOD", "Very Good", "5", '"5"', "' very good '"])
def test_grade_as_number_or_word_in_any_case(tiny: Path, written: str) -> None:
    edit(tiny / INSP, "grade: 5", f"grade: {written}")
    data, derived, problems = check_site(tiny)
    assert not problems.errors, problems.sorted()
    grade = next(ev.grade for ev in data.inspections["fife-2023"].evaluations if ev.indicator == "2.1")
    assert grade == 5 and type(grade) is int
    assert derived is not None  # the review's claims were checked with the number


def test_two_word_grade_with_odd_spacing(tiny: Path) -> None:
    edit(tiny / INSP, "grade: 5", "grade: very   Good")
    data, _derived, problems = check_site(tiny)
    assert not problems.errors, problems.sorted()
    assert [ev.grade for ev in data.inspections["fife-2023"].evaluations if ev.indicator == "2.1"] == [5]


def test_a_word_grade_that_is_wrong_is_caught_by_the_claims(tiny: Path) -> None:
    """'Good' is read as 4, so the review's totals (which need a 5) no longer match: the word is not ignored."""
    edit(tiny / INSP, "grade: 5", "grade: Good")
    _data, _derived, problems = check_site(tiny)
    assert any("the inspections give 1 at grade 4 or above" not in p.message and "claim" in p.message for p in problems.errors)


def test_summary_separates_published_from_drafts(tiny: Path) -> None:
    edit(tiny / "site-data/responses/fife-response-2023.yaml", "title: Inspection", "status: draft\ntitle: Inspection")
    code, output = run_check(tiny)
    assert code == 0, output
    assert output.strip() == (
        "site data OK: 3 partnerships, 2 programmes, 2 glossary terms, 2 themes; "
        "published: 3 inspections, 1 review, 0 responses, 1 letter; "
        "drafts (shown only by mkdocs serve): 1 response"
    )


