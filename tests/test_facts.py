"""The layer where facts become words (generator/derive/facts.py): its inventory file, and the rules that decide
where a fact is stated, on the records of the tiny site."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from generator.derive import facts
from generator.derive.site import check_site
from generator.model import models as m

from .support import ROOT, TINY, edit, run_check

INVENTORY = ROOT / "docs-internal" / "sentences.md"


def test_the_inventory_file_lists_every_sentence_the_code_writes() -> None:
    assert INVENTORY.read_text() == facts.inventory(), (
        "docs-internal/sentences.md differs from generator/derive/facts.py: run "
        "`.venv/bin/python -m generator.derive.facts > docs-internal/sentences.md`")


def test_every_pattern_names_the_states_it_appears_in() -> None:
    for key, sentence in facts.SENTENCES.items():
        assert sentence.states.strip(), key
        assert key.split(".")[0] in {"source", "holding", "publisher", "date", "period", "holdings", "coverage",
                                     "indicators", "messages", "name", "banner", "original", "meaning", "words", "grades",
                                     "claim", "change", "feed", "list", "field"}, key


def tiny_data() -> tuple[object, object]:
    data, derived, problems = check_site(TINY)
    assert derived is not None, problems
    return data, derived


def test_a_record_the_site_does_not_hold_is_never_the_source_of_its_own_grades() -> None:
    data, _derived = tiny_data()
    insp = next(iter(data.inspections.values()))  # type: ignore[attr-defined]
    ev = m.Evaluation(indicator="2.1", grade=4)
    held = facts.grade_source(data, insp, ev)  # type: ignore[arg-type]
    assert held.kind == "publication" and held.ref == insp.id
    unnamed = dataclasses.replace(insp, held=False)
    assert facts.grade_source(data, unnamed, ev).kind == "unnamed"  # type: ignore[arg-type]
    assert facts.holding(data, unnamed).key == "holding.unnamed"  # type: ignore[arg-type]
    review = next(iter(data.reviews.values()))  # type: ignore[attr-defined]
    rebuilt = dataclasses.replace(insp, rebuilt_from=review.id)
    assert facts.grade_source(data, rebuilt, ev) == facts.Source("publication", review.id, held=True)  # type: ignore[arg-type]
    named = dataclasses.replace(ev, source="no-such-document")
    assert facts.grade_source(data, unnamed, named) == facts.Source("publication", "no-such-document", held=False)  # type: ignore[arg-type]


def test_statement_text_fills_every_slot() -> None:
    ref = facts.Ref("publication", "x", "A review")
    assert facts.Statement("source.not-held", {"publication": ref}).text == "Stated in: A review, which this site does not hold"
    assert facts.Statement("holdings.all-held", {"count": 2, "s": "s"}).text == "This site holds 2 reports from this programme."



#: words that state where a fact comes from, whether the site holds something, or that a source is silent: only
#: generator/derive/facts.py writes them (SENTENCES); a template that wrote them itself could say them in a state
#: nobody enumerated
PROVENANCE_WORDS = re.compile(r"not stated|does not hold|Stated in|site holds|not held|date not|to now|title not|"
                              r"no exact day|not known|holds no|no grades?\b", re.I)
#: the open-data page documents the columns that carry those facts: it describes them, it states none of them
DOCUMENTATION = {"data.md.j2"}


def test_templates_leave_every_provenance_sentence_to_the_facts_layer() -> None:
    found = []
    for path in sorted((ROOT / "overrides" / "report-site").rglob("*.j2")):
        if path.name in DOCUMENTATION:
            continue
        text = re.sub(r"\{#.*?#\}", lambda mt: "\n" * mt.group(0).count("\n"), path.read_text(), flags=re.S)
        for number, line in enumerate(text.splitlines(), 1):
            found += [f"{path.name}:{number}: {mt.group(0)!r}" for mt in PROVENANCE_WORDS.finditer(line)]
    assert not found, "write these through say(statement(...)) with a sentence in facts.SENTENCES:\n" + "\n".join(found)


def test_a_summary_that_says_what_the_site_holds_is_warned_about(tiny: Path) -> None:
    """The page and its feed entry say whether the site holds a publication, from `held` and `rebuilt_from`: a summary
    saying it too made the feeds say it twice, and does not follow the record when it changes."""
    edit(tiny / "site-data/inspections/fife-2023.yaml", "partnership: fife\n",
         "partnership: fife\nsummary: Inspectors found services were good. This site does not hold the report.\n")
    result = run_check(tiny)
    line = next(line for line in result.stderr.splitlines() if "the summary says whether this site holds" in line)
    assert line.startswith("site-data/inspections/fife-2023.yaml:") and ": warning: " in line
    assert "leave it out of the summary" in line


def test_a_record_not_held_that_names_its_source_only_in_sources_is_told_to_say_rebuilt_from(tiny: Path) -> None:
    """Pages say a record not held is built from 'a source this site does not name' unless `rebuilt_from` names it:
    a record that names the publication only in `sources` is told to write it there, so the two never disagree."""
    edit(tiny / "site-data/inspections/fife-2023.yaml", "partnership: fife\n",
         "partnership: fife\nheld: false\nsources: [review-2021]\n")
    line = next(line for line in run_check(tiny).stderr.splitlines() if "'sources' names 'review-2021'" in line)
    assert line.startswith("site-data/inspections/fife-2023.yaml:") and ": warning: " in line
    assert "write 'rebuilt_from: review-2021'" in line
