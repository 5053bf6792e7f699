"""Issue 25, part D: the check's messages speak the editors' words, never the model's class names; a problem in one
record leaves unrelated records checked; no message asks an editor to supply a fact the sources do not give."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from generator.base.errors import Problems
from generator.derive.site import check_site
from generator.model import models as m
from generator.model.convert import EDITOR_WORDS, convert_record, fields_of
from generator.model.yamlnodes import parse_yaml

from .support import edit, run_check

RECORD_CLASSES = sorted(
    (c for c in vars(m).values() if isinstance(c, type) and dataclasses.is_dataclass(c) and issubclass(c, m.Record)
     and c is not m.Record and c.__module__ == m.__name__),
    key=lambda c: c.__name__)
_NAMES = "|".join(c.__name__ for c in RECORD_CLASSES)
#: a class name: one of several words run together anywhere ('LineOfEnquiry'), or a one-word name ('Theme', which a
#: field's note may begin a sentence with) where a message would put the kind of record
CLASS_NAME = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\b|\b(in|of) (" + _NAMES + r")\b|\((" + _NAMES + r")\)|(^|[.:] )(" + _NAMES
                        + r") (is|needs|must|has)\b")


def messages_for(yaml_text: str, cls: type) -> list[str]:
    node, problems = parse_yaml(yaml_text, "site-data/x.yaml")
    assert node is not None
    convert_record(node, cls, problems, "the file")
    return [p.message for p in problems.items]


def test_every_record_class_has_editors_words() -> None:
    assert RECORD_CLASSES, "no record classes found"
    assert sorted(c.__name__ for c in RECORD_CLASSES) == sorted(EDITOR_WORDS)
    for words in EDITOR_WORDS.values():
        assert not CLASS_NAME.search(words)


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
def test_a_bad_record_of_every_class_is_described_without_its_class_name(cls: type) -> None:
    messages = []
    messages += messages_for("not_a_field_here: 1\n", cls)  # unknown field, and every required field missing
    messages += messages_for("- a list\n", cls)  # not a mapping at all
    for name, spec in fields_of(cls).items():  # a nested record written as text: "must be a mapping (...)"
        if isinstance(spec.hint, type) and dataclasses.is_dataclass(spec.hint) and spec.hint is not m.PartialDate:
            messages += messages_for(f"{name}: just text\n", cls)
    assert any("unknown field 'not_a_field_here'" in msg for msg in messages)
    if any(spec.required for spec in fields_of(cls).values()):
        assert any("is missing required field" in msg for msg in messages)
    named = [msg for msg in messages if CLASS_NAME.search(msg)]
    assert not named, "\n".join(named)


def test_a_field_that_cannot_be_not_stated_says_what_to_write_when_the_source_is_silent(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "partnership: fife", "partnership: fife\nnot_stated: [summary]")
    edit(tiny / "site-data/programmes/risk-2021.yaml", "title:", "not_stated: [short_title]\ntitle:")
    result = run_check(tiny)
    out = result.stdout + result.stderr
    summary = next(line for line in out.splitlines() if "'summary' cannot" in line)
    remit = next(line for line in out.splitlines() if "'short_title' cannot" in line)
    assert "in an inspection" in summary and "leave 'summary' out" in summary
    assert "in a programme" in remit and "where none does, do not invent it" in remit
    assert not CLASS_NAME.search(summary) and not CLASS_NAME.search(remit)
    assert "Give 'summary' as the source states it" not in out


CLAIMS = ('claim "Two of the three evaluations were good or better"', 'claim "One very good, one good, one adequate"')


def test_a_slip_in_another_programmes_inspection_leaves_the_reviews_claims_checked(tiny: Path) -> None:
    # fife-2016 belongs to old-2012; review-2021 reviews risk-2021
    edit(tiny / "site-data/inspections/fife-2016.yaml", "published: 2016-05", "published: 2016-13")
    edit(tiny / "site-data/reviews/review-2021.yaml", "count: 2", "count: 3")  # a wrong claim, still found
    result = run_check(tiny)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "site-data/inspections/fife-2016.yaml:4" in out
    assert "not checked until it is fixed" not in out, out
    assert 'claim "Two of the three evaluations were good or better": says 3' in out


def test_a_slip_in_the_reviews_own_programme_leaves_its_claims_unchecked(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "published:", "published: 2023-13-01\n#published:")
    out = run_check(tiny).stderr
    assert "because of this, not checked until it is fixed:" in out[out.index("site-data/inspections/fife-2023.yaml"):]
    _data, _derived, problems = check_site(tiny)
    unchecked = [what for _at, what in problems.consequences["site-data/inspections/fife-2023.yaml"]]
    for claim in CLAIMS:
        assert any(what.startswith(claim) for what in unchecked), unchecked


def test_an_unread_inspection_of_the_programme_that_grades_other_indicators_leaves_the_claims_checked(tiny: Path) -> None:
    text = (tiny / "site-data/inspections/perth-and-kinross-2022.yaml").read_text()
    assert "programme: risk-2021" in text
    (tiny / "site-data/inspections/perth-and-kinross-2030.yaml").write_text(
        "title: A report\npartnership: perth-and-kinross\nprogramme: risk-2021\npublished: 2023-13\nnot_stated: [url]\n"
        "evaluations:\n  - {indicator: \"9.9\", grade: 4}\n")
    result = run_check(tiny)
    out = result.stdout + result.stderr
    assert "perth-and-kinross-2030.yaml" in out
    assert not any(claim in out for claim in CLAIMS), out


def test_problems_collect_places_not_checked_once() -> None:
    problems = Problems()
    node, _ = parse_yaml("levels: text\n", "site-data/scales/x.yaml")
    assert node is not None
    convert_record(node, m.EvaluationScale, problems, "the file", record_id="x")
    assert any("a list of a mapping (a level of the scale)" in p.message for p in problems.items)


def test_a_page_clash_names_the_record_in_the_editors_words(tiny: Path) -> None:
    (tiny / "content/inspections").mkdir()
    (tiny / "content/inspections/fife-2023.md").write_text("# F\n")
    result = run_check(tiny)
    line = next(line for line in result.stderr.splitlines() if line.startswith("content/inspections/fife-2023.md"))
    assert "the page of the inspection 'fife-2023' (site-data/inspections/fife-2023.yaml)" in line
    assert not CLASS_NAME.search(line) and "Inspection '" not in line


def test_a_missing_required_field_never_asks_for_a_fact_the_source_may_not_give() -> None:
    response = "\n".join(msg for msg in messages_for("title: x\n", m.Response) if "'partnership'" in msg)
    assert "keep the publication a draft (status: draft)" in response and "do not invent it" in response
    partnership = "\n".join(msg for msg in messages_for("name: Fife\n", m.Partnership) if "'council'" in msg)
    assert "where no source this site holds states it, do not invent it" in partnership


def test_a_delay_reason_without_its_date_says_what_to_write_when_the_source_is_silent(tiny: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "planned_publication: 2023-08-01\n", "")
    err = run_check(tiny).stderr
    line = next(line for line in err.splitlines() if "'delay_reason' needs" in line)
    assert "do not invent one: move the reason into 'notes' instead" in line
