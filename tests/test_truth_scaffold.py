"""Issue 25, part A: a skeleton (`python -m generator new KIND`) never states a fact. Every value in it is the
editor's own (from the command line, or read from the record the editor named) or a TODO; published without edits,
the check refuses it with a message saying what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli.main import main
from generator.cli.scaffold import KINDS
from generator.model.yamlnodes import Mapping, Node, Scalar, Sequence, parse_yaml

from .support import edit, run_check

#: kind -> (the fewest arguments it takes: no optional fact given, the file it writes, values read from the records
#: the arguments name or made by the tool's own rules: ids, file names, the draft status, item numbers)
MINIMAL: dict[str, tuple[list[str], str, set[str]]] = {
    "partnership": (["--name", "Angus"], "site-data/partnerships/angus.yaml", set()),
    "programme": (["--id", "protection-2025", "--start", "2025-04"], "site-data/programmes/protection-2025.yaml", set()),
    "inspection": (["--partnership", "na-h-eileanan-siar", "--programme", "risk-2021", "--id", "nes-2025"],
                   "site-data/inspections/nes-2025.yaml",
                   {"draft", "narrative/inspections/nes-2025.md", "2.1", "2.2"}),  # the indicators the programme grades
    "review": (["--programme", "risk-2021", "--id", "review-2025"], "site-data/reviews/review-2025.yaml",
               {"draft", "narrative/reviews/review-2025.md"}),
    "response": (["--inspection", "fife-2023", "--id", "fife-response-2025"], "site-data/responses/fife-response-2025.yaml",
                 {"draft", "narrative/responses/fife-response-2025.md", "fife", "1"}),  # the inspection's partnership
    "letter": (["--partnership", "fife", "--work-start", "2025-01", "--work-end", "2025-03-31", "--id", "fife-letter-2025"],
               "site-data/letters/fife-letter-2025.yaml", {"draft", "narrative/letters/fife-letter-2025.md"}),
    "glossary-term": (["--term", "Joint self-evaluation", "--source", "fife-2023"], "site-data/glossary/joint-self-evaluation.yaml",
                      {"joint-self-evaluation"}),
    "theme": (["--title", "Early help"], "site-data/themes.yaml", {"early-help"}),
    "organisation": (["--name", "Scrutiny Body", "--id", "scrutiny-body"], "site-data/organisations.yaml", set()),
    "document": (["--title", "Review of findings 2012-2017"], "site-data/documents.yaml", {"review-of-findings-2012-2017"}),
    "framework": (["--id", "cp-2025"], "site-data/frameworks/cp-2025.yaml", set()),
    "scale": (["--id", "four-point", "--name", "Four-point scale", "--levels", "4 Strong, 3 Effective, 2 Limited, 1 Weak"],
              "site-data/scales/four-point.yaml", {"4", "3", "2", "1"}),
    "proportion-words": (["--id", "words-2025", "--name", "Words 2025", "--source", "fife-2023"],
                         "site-data/proportion-words/words-2025.yaml", set()),
}
DRAFTS = ("inspection", "review", "response", "letter")


def new(project: Path, kind: str, *args: str) -> int:
    return main(["new", kind, *args, "--project", str(project)])


def values(node: Node) -> list[str]:
    """Every scalar value in a YAML node (keys are field names, not facts)."""
    if isinstance(node, Scalar):
        return [] if node.is_null else [node.value]
    if isinstance(node, Mapping):
        return [v for _k, item in node.items for v in values(item)]
    if isinstance(node, Sequence):
        return [v for item in node.items for v in values(item)]
    return []


def test_every_kind_is_covered() -> None:
    assert sorted(MINIMAL) == sorted(KINDS)


@pytest.mark.parametrize("kind", list(MINIMAL))
def test_every_value_in_a_skeleton_is_the_editors_or_a_todo(tiny: Path, kind: str) -> None:
    args, path, derived = MINIMAL[kind]
    target = tiny / path
    before = target.read_text() if target.exists() else ""
    assert new(tiny, kind, *args) == 0
    added = target.read_text()[len(before):]
    node, problems = parse_yaml(added, path)
    assert node is not None and not problems.errors, [str(p) for p in problems.items]
    given = set(args) | {a.strip() for arg in args for a in arg.split(",")} | {w.split(" ", 1)[-1] for w in args[-1].split(", ")}
    invented = [v for v in values(node) if not v.startswith("TODO") and v not in given and v not in derived]
    assert not invented, f"{kind}: values neither given by the editor nor TODO: {invented}\n{added}"


def test_no_default_stands_in_for_an_organisation(tiny: Path) -> None:
    """The programme's lead is not who published a report; no option has an organisation as its default."""
    for kind in ("inspection", "review", "letter"):
        args, path, _ = MINIMAL[kind]
        assert new(tiny, kind, *args) == 0
        text = (tiny / path).read_text()
        assert "\npublisher:" not in text and "\n#publisher: TODO" in text
    assert new(tiny, "review", "--programme", "risk-2021", "--id", "review-2026", "--publisher", "care-inspectorate") == 0
    assert "\npublisher: care-inspectorate\n" in (tiny / "site-data/reviews/review-2026.yaml").read_text()
    review = (tiny / "site-data/reviews/review-2025.yaml").read_text()
    assert "\nevaluated_indicators:" not in review and "\n#evaluated_indicators:" in review
    assert new(tiny, "programme", "--id", "p-2030", "--start", "2030", "--kind", "supported-self-evaluation", "--lead", "education-scotland") == 0
    programme = (tiny / "site-data/programmes/p-2030.yaml").read_text()
    assert "\nkind: supported-self-evaluation\n" in programme and "\nlead: education-scotland\n" in programme


@pytest.mark.parametrize("kind", DRAFTS)
def test_a_draft_skeleton_passes_the_check_and_published_unedited_is_refused(tiny: Path, kind: str) -> None:
    args, path, _ = MINIMAL[kind]
    assert new(tiny, kind, *args) == 0
    draft = run_check(tiny)
    assert draft.returncode == 0 and "TODO" not in draft.stderr, draft.stderr
    edit(tiny / path, "\nstatus: draft\n", "\nstatus: published\n")
    result = run_check(tiny)
    published = result.stdout + result.stderr
    title = next((line for line in published.splitlines() if line.startswith(f"{path}:") and "'title'" in line), published)
    assert "'TODO' is still in this field: replace it with the real text" in title
    assert "What goes here: The title as published" in title


@pytest.mark.parametrize(("kind", "field", "words"), [
    ("programme+kind", "lead", ["'lead' still says TODO: replace it with the id of an organisation", "not_stated: [lead]"]),
    ("programme", "kind", ["'kind' still says TODO: replace it with one of: 'inspection', 'supported-self-evaluation'"]),
    ("framework", "publisher", ["'publisher' still says TODO: replace it with the id of an organisation", "not_stated: [publisher]"]),
    ("framework", "title", ["'title': 'TODO' is still in this field", "What goes here: The framework's title as published"]),
    ("proportion-words", "min_percent", ["'min_percent' still says TODO: replace it with a number"]),
    ("partnership", "council", ["'council': 'TODO' is still in this field", "What goes here: The council"]),
])
def test_a_skeleton_left_unedited_is_refused_with_what_to_write(tiny: Path, kind: str, field: str, words: list[str]) -> None:
    kind, _, extra = kind.partition("+")
    args, path, _ = MINIMAL[kind]
    assert new(tiny, kind, *args, *(["--kind", "inspection"] if extra else [])) == 0
    line_no = next(i for i, line in enumerate((tiny / path).read_text().splitlines(), 1)
                   if line.lstrip(" -").startswith(f"{field}:"))
    result = run_check(tiny)
    at = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith(f"{path}:{line_no}:")]
    assert any(all(w in line for w in words) for line in at), result.stderr
    # a text TODO is a warning (a strict build fails on it); a TODO where an id, a number or a choice belongs, an error
    assert result.returncode == (0 if kind == "partnership" else 1)
