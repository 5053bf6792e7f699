"""`python -m generator import`: a draft from a published report, nothing invented (issue 28).

Source 002 (North Lanarkshire, 2023) is imported as text and as a PDF made here with Chromium; source 000 (a South
Lanarkshire committee paper, another structure) still gives a draft. The rules of the comparisons are written out
below: text is compared after normalising whitespace and typographic quotes only."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from .support import CHROMIUM, ROOT, real_copy, run_check, run_cli

SOURCES = Path("/work/shared/sources")
NL = SOURCES / "002_9845d4ebed9f9793.txt"
SL = SOURCES / "000_8e1a0029d56af3de.txt"
NL_ARGS = ("--programme", "at-risk-of-harm-2021", "--partnership", "north-lanarkshire")
# Not values found in the report: ids given on the command line or made by the import, and refs to the programme's data.
NOT_FOUND_VALUES = {"status", "partnership", "programme", "publisher", "narrative", "question"}


def norm(text: str) -> str:
    """The one normalisation of the comparisons: whitespace runs as one space, typographic quotes as plain ones."""
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def missing_list(path: Path) -> list[str]:
    """The plain list of what was not found, at the top of the draft."""
    return re.findall(r"(?m)^#   - (.+)$", path.read_text(encoding="utf-8"))


def values(node: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every scalar of the draft with its key, leaving out ids and refs (NOT_FOUND_VALUES)."""
    if key in NOT_FOUND_VALUES:
        return []
    if isinstance(node, dict):
        return [v for k, child in node.items() for v in values(child, str(k))]
    if isinstance(node, list):
        return [v for child in node for v in values(child, key)]
    return [(key, node)]


def invented(draft: Path, source: Path) -> list[str]:
    """Values of the draft that the source's text does not contain: a string (normalised) must appear in it; a
    number must appear as written; a date as the report writes dates ('17 October 2023' or '06 August 2019')."""
    text = norm(source.read_text(encoding="utf-8"))
    bad = []
    for key, value in values(load(draft)):
        if isinstance(value, bool) or value is None:
            bad.append(f"{key}: {value!r}")
        elif isinstance(value, dt.date):
            if not any(f"{day} {value:%B %Y}" in text for day in (value.day, f"{value.day:02d}")):
                bad.append(f"{key}: {value}")
        elif isinstance(value, int):
            if not re.search(rf"(?<!\d){value}(?!\d)", text):
                bad.append(f"{key}: {value}")
        elif isinstance(value, str):
            if not value.startswith("TODO") and norm(value.removeprefix("- ")) not in text:
                # a text of several paragraphs: each paragraph (or list item) appears
                parts = [norm(p.removeprefix("- ")) for p in re.split(r"\n\s*\n|\n(?=- )", value) if p.strip()]
                if not all(p in text for p in parts):
                    bad.append(f"{key}: {value[:80]!r}")
    return bad


@pytest.fixture(scope="module")
def nl_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """Source 002 imported as text into a copy of the real project (id nl-import)."""
    project = real_copy(tmp_path_factory.mktemp("import-text") / "project")
    result = run_cli("import", str(NL), *NL_ARGS, "--id", "nl-import", "--project", str(project))
    assert result.returncode == 0, result.stderr
    return project, result


def test_source_002_as_text_gives_a_draft_the_check_accepts(nl_text: tuple[Path, Any]) -> None:
    project, result = nl_text
    assert "wrote site-data/inspections/nl-import.yaml" in result.stdout
    draft = load(project / "site-data/inspections/nl-import.yaml")
    assert draft["status"] == "draft"
    assert (project / "content/narrative/inspections/nl-import.md").is_file()
    check = run_check(project)
    assert check.returncode == 0, check.stderr
    assert "drafts (shown only by mkdocs serve): 1 inspection" in check.stdout


def test_source_002_nothing_invented(nl_text: tuple[Path, Any]) -> None:
    project, _result = nl_text
    draft = project / "site-data/inspections/nl-import.yaml"
    assert invented(draft, NL) == []
    text = draft.read_text(encoding="utf-8")
    assert re.search(r"# page 1: \"17 October 2023\"\npublished: 2023-10-17", text)  # each value says where it was found


def _grade(value: Any, scale: dict[str, int]) -> Any:
    return scale.get(norm(value).casefold(), value) if isinstance(value, str) else value


def _headings(markdown: str) -> list[tuple[str, list[str]]]:
    """Each '## ' section with its '### ' headings."""
    out: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            out.append((norm(line[3:]), []))
        elif line.startswith("### ") and out:
            out[-1][1].append(norm(line[4:]))
    return out


def compared_fields(hand: dict[str, Any], hand_md: str, draft: dict[str, Any], draft_md: str,
                    listed: list[str], scale: dict[str, int]) -> list[tuple[str, Any, Any]]:
    """(field, hand-made, draft) for every compared field and section. Rules: text compared after norm(); a grade as
    its number on the scale; evidence by its counts (the draft's labels are the report's lines); a field the draft
    leaves out that its list of what was not found names is taken from the hand-made record (the editor fills it)."""

    def filled(name: str) -> Any:
        if name in draft:
            return draft[name]
        return hand.get(name) if any(item.split(":")[0].split(" ")[0] in (name, name.split("_")[0]) or name in item
                                     for item in listed) else None

    def text(value: Any) -> Any:
        return norm(value) if isinstance(value, str) else value

    rows: list[tuple[str, Any, Any]] = []
    for name in ("title", "published", "fieldwork_start", "fieldwork_end", "summary", "next_steps"):
        rows.append((name, text(hand.get(name)), text(filled(name))))
    for i, ev in enumerate(hand.get("evaluations", [])):
        mine = (filled("evaluations") or [])[i] if i < len(filled("evaluations") or []) else {}
        rows.append((f"evaluations[{i}].indicator", ev["indicator"], mine.get("indicator")))
        rows.append((f"evaluations[{i}].grade", _grade(ev.get("grade"), scale), _grade(mine.get("grade"), scale)))
    # a count the draft does not have is the editor's to fill when the list names the line that states it
    counts = [e["count"] for e in filled("evidence") or []]
    counts += [int(n) for item in listed if item.startswith("evidence:") for n in re.findall(r"\d+", item)]
    rows += [(f"evidence[{i}].count", e["count"], e["count"] if e["count"] in counts else None) for i, e in enumerate(hand.get("evidence", []))]
    for name in ("key_messages", "areas_for_improvement"):
        mine = filled(name) or []
        rows += [(f"{name}[{i}]", norm(v), norm(mine[i]) if i < len(mine) else None) for i, v in enumerate(hand.get(name, []))]
    mine_q = {q["question"]: q["key_messages"] for q in filled("question_messages") or []}
    for q in hand.get("question_messages", []):
        got = mine_q.get(q["question"], [])
        rows += [(f"question_messages[{q['question']}][{i}]", norm(v), norm(got[i]) if i < len(got) else None)
                 for i, v in enumerate(q["key_messages"])]
    mine_p = filled("practice_examples") or []
    for i, ex in enumerate(hand.get("practice_examples", [])):
        got = mine_p[i] if i < len(mine_p) else {}
        for key in ("title", "question", "text"):
            rows.append((f"practice_examples[{i}].{key}", text(ex.get(key)), text(got.get(key))))
    conclusion = filled("conclusion") or {}
    rows.append(("conclusion.summary", norm(hand["conclusion"]["summary"]), text(conclusion.get("summary"))))
    factors = conclusion.get("factors", [])
    rows += [(f"conclusion.factors[{i}]", norm(v), norm(factors[i]) if i < len(factors) else None)
             for i, v in enumerate(hand["conclusion"].get("factors", []))]
    mine_s = dict(_headings(draft_md))
    for heading, subs in _headings(hand_md):
        rows.append((f"narrative '## {heading}'", subs, mine_s.get(heading)))
    return rows


def test_source_002_matches_the_hand_made_record(nl_text: tuple[Path, Any]) -> None:
    project, _result = nl_text
    hand = load(ROOT / "site-data/inspections/north-lanarkshire-2023.yaml")
    hand_md = (ROOT / "content/narrative/inspections/north-lanarkshire-2023.md").read_text(encoding="utf-8")
    path = project / "site-data/inspections/nl-import.yaml"
    draft = load(path)
    draft_md = (project / "content/narrative/inspections/nl-import.md").read_text(encoding="utf-8")
    scale = {norm(lv["label"]).casefold(): lv["value"] for lv in load(ROOT / "site-data/scales/six-point.yaml")["levels"]}
    rows = compared_fields(hand, hand_md, draft, draft_md, missing_list(path), scale)
    equal = [r for r in rows if r[1] == r[2]]
    unequal = "\n".join(f"  {name}: hand-made {h!r:.80} / draft {d!r:.80}" for name, h, d in rows if h != d)
    assert len(equal) >= 0.9 * len(rows), f"{len(equal)} of {len(rows)} equal; different:\n{unequal}"
    # the import itself found most of them (not the editor's filling-in)
    found = [r for r in equal if r[0].split("[")[0].split(".")[0] in draft or r[0].startswith("narrative")]
    assert len(found) >= 40, f"only {len(found)} fields found by the import"


def _pdf(text: str, folder: Path) -> Path:
    """The text as a PDF printed by Chromium: a <pre> per 60 lines, each on its own page (and more where it is long)."""
    lines = text.splitlines()
    chunks, start = [], 0
    for i in range(len(lines) + 1):
        if i == len(lines) or (i - start >= 60 and not lines[i].strip()):
            chunks.append("\n".join(lines[start:i]))
            start = i
    pres = "".join(f'<pre style="white-space: pre-wrap; page-break-after: always">{html.escape(c)}</pre>' for c in chunks)
    page = folder / "report.html"
    page.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>report</title></head><body>{pres}</body></html>',
                    encoding="utf-8")
    out = folder / "report.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}", page.as_uri()],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(folder)})
    assert out.is_file()
    return out


def test_source_002_as_pdf_gives_the_same_values(nl_text: tuple[Path, Any], tmp_path: Path) -> None:
    text_project, _result = nl_text
    pdf = _pdf(NL.read_text(encoding="utf-8"), tmp_path)
    project = real_copy(tmp_path / "project")
    result = run_cli("import", str(pdf), *NL_ARGS, "--id", "nl-import", "--project", str(project))
    assert result.returncode == 0, result.stderr
    from_pdf = load(project / "site-data/inspections/nl-import.yaml")
    from_text = load(text_project / "site-data/inspections/nl-import.yaml")
    for key in sorted(set(from_text) | set(from_pdf)):
        assert from_pdf.get(key) == from_text.get(key), key
    assert re.search(r"# page [2-9]", (project / "site-data/inspections/nl-import.yaml").read_text())  # pages kept
    assert run_check(project).returncode == 0


def test_a_committee_paper_gives_a_start_and_a_list_of_what_is_missing(tmp_path: Path) -> None:
    project = real_copy(tmp_path / "project")
    result = run_cli("import", str(SL), "--programme", "care-and-protection-2018-2020", "--partnership", "south-lanarkshire",
                     "--id", "sl-import", "--project", str(project))
    assert result.returncode == 0, result.stderr
    draft = project / "site-data/inspections/sl-import.yaml"
    assert invented(draft, SL) == []
    listed = missing_list(draft)
    for expected in ("title:", "published:", "key_messages:", "conclusion:"):
        assert any(item.startswith(expected) for item in listed), (expected, listed)
    assert any(item.startswith("evaluations:") for item in listed), listed
    for item in listed[:3]:
        assert item in result.stdout  # the same list, printed
    assert load(draft)["status"] == "draft"
    check = run_check(project)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("/nonexistent/report.pdf", *NL_ARGS), "no such file"),
    ((str(NL), "--programme", "no-such-programme", "--partnership", "north-lanarkshire"), "there is no programme 'no-such-programme'"),
    ((str(NL), "--programme", "at-risk-of-harm-2021", "--partnership", "nowhere"), "there is no partnership 'nowhere'"),
])
def test_clear_messages_and_no_traceback(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    project = real_copy(tmp_path / "project")
    result = run_cli("import", *args, "--project", str(project))
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not list((project / "site-data/inspections").glob("*import*"))


def test_two_readings_are_listed_and_neither_chosen(tmp_path: Path) -> None:
    """Two dates that could be the publication date, and two grade lines for one indicator: both in a comment,
    neither written as a value."""
    report = tmp_path / "report.txt"
    report.write_text("Report of a joint inspection of services for children in Fife\n\n17 October 2023\n\n3 November 2023\n\n"
                      "Contents\tPage\nIntroduction\t3\n\nIntroduction\n\nSome words.\n\n"
                      "Evaluation of quality indicator 2.1: Very good\n\nEvaluation of quality indicator 2.1: Good\n", encoding="utf-8")
    project = real_copy(tmp_path / "project")
    result = run_cli("import", str(report), "--programme", "at-risk-of-harm-2021", "--partnership", "fife", "--id", "fife-import",
                     "--project", str(project))
    assert result.returncode == 0, result.stderr
    path = project / "site-data/inspections/fife-import.yaml"
    draft, text = load(path), path.read_text(encoding="utf-8")
    assert "published" not in draft
    assert '"17 October 2023"' in text and '"3 November 2023"' in text
    assert "grade" not in draft["evaluations"][0]
    assert "Two readings, neither chosen" in text and "Very good" in text and ": Good" in text
    assert any(item.startswith("evaluations: indicator 2.1 is graded twice") for item in missing_list(path))
    assert draft["title"] == "Report of a joint inspection of services for children in Fife"
    assert run_check(project).returncode == 0


def test_a_programme_declares_its_reports_headings_as_data(tmp_path: Path) -> None:
    """A programme whose reports use other words ('Summary of findings', 'Example of practice', 'Our evaluation of
    quality indicator') says so in its record (`report_headings`); the import then finds those parts by them."""
    report = tmp_path / "report.txt"
    report.write_text("Report of a joint inspection of services for children in Fife\n\n17 October 2023\n\n"
                      "Contents\tPage\nIntroduction\t3\nSummary of findings\t4\n\nIntroduction\n\nSome words.\n\n"
                      "Summary of findings\n\n- Staff knew the children well.\n- Plans were of mixed quality.\n\n"
                      "Statement 1: Children and young people are safer because risks have been identified early and responded "
                      "to effectively\n\nExample of practice: a family hub\n\nThe hub opened in 2022.\n\n"
                      "Our evaluation of quality indicator 2.1: Good\n", encoding="utf-8")
    project = real_copy(tmp_path / "project")
    programme = project / "site-data/programmes/at-risk-of-harm-2021.yaml"
    programme.write_text(programme.read_text(encoding="utf-8") + "report_headings:\n  key_messages: Summary of findings\n"
                         "  practice_example: Example of practice\n  evaluation: Our evaluation of quality indicator\n", encoding="utf-8")
    result = run_cli("import", str(report), "--programme", "at-risk-of-harm-2021", "--partnership", "fife", "--id", "fife-import",
                     "--project", str(project))
    assert result.returncode == 0, result.stderr
    draft = load(project / "site-data/inspections/fife-import.yaml")
    assert draft["key_messages"] == ["Staff knew the children well.", "Plans were of mixed quality."]
    assert draft["practice_examples"][0]["title"] == "a family hub" and draft["practice_examples"][0]["question"] == "1"
    assert draft["evaluations"][0]["grade"] == "Good"
    assert run_check(project).returncode == 0
