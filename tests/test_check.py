"""`python -m generator check`: every rule reports file:line:col and what is allowed, all at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .support import ROOT, edit, run_check

INSP = "site-data/inspections/fife-2023.yaml"
PROG = "site-data/programmes/risk-2021.yaml"
REVIEW = "site-data/reviews/review-2021.yaml"
LETTER = "site-data/letters/na-h-eileanan-siar-letter-2022.yaml"

# (file, text to replace, replacement, expected "file:line" prefix, words the message must contain)
CASES = [
    ("yaml-syntax", INSP, "title: Joint", "title: [Joint", f"{INSP}:2:12", ["YAML syntax error"]),
    ("tab", INSP, "published: 2023-09-12", "published:\t2023-09-12", f"{INSP}:9:11", ["tab character"]),
    ("duplicate-key", INSP, "published: 2023-09-12", "published: 2023-09-12\npublished: 2023-09-13", f"{INSP}:10:1", ["duplicate key 'published'"]),
    ("anchor", INSP, "programme: risk-2021", "programme: &p risk-2021", f"{INSP}:3:12", ["anchors"]),
    ("alias", INSP, "partnership: fife", "partnership: *x", f"{INSP}:2:14", ["aliases"]),
    ("tag", INSP, "partnership: fife", "partnership: !!str fife", f"{INSP}:2:14", ["tags"]),
    ("directive", INSP, "title: Joint", "%YAML 1.2\n---\ntitle: Joint", f"{INSP}:", ["directives"]),
    ("unknown-field", INSP, "delay_reason:", "delay_reasons:", f"{INSP}:10:1", ["unknown field 'delay_reasons'", "Did you mean 'delay_reason'", "Allowed:"]),
    ("missing-field", INSP, "partnership: fife\n", "", f"{INSP}:1:1", ["missing required field 'partnership'"]),
    ("wrong-type", INSP, "count: 60", "count: sixty", f"{INSP}:", ["must be a whole number", "'sixty'"]),
    ("bad-date", INSP, "published: 2023-09-12", "published: 2023-09-31", f"{INSP}:9:12", ["day 31 does not exist"]),
    ("grade-off-scale", INSP, "grade: 5", "grade: 7", f"{INSP}:", ["grade 7 is not on the scale 'six-point'", "5 (Very good)"]),
    ("indicator-not-in-framework", INSP, 'indicator: "2.1"', 'indicator: "9.9"', f"{INSP}:", ["'9.9' is not in framework 'qf-2019'"]),
    ("indicator-not-evaluated", INSP, 'indicator: "2.1"', 'indicator: "2.10"', f"{INSP}:", ["does not evaluate indicator '2.10'", "2.1, 2.2"]),
    ("grade-and-missing", INSP, "  - indicator: \"2.2\"\n", "  - indicator: \"2.2\"\n    grade: 4\n", f"{INSP}:", ["has a grade, so it cannot also say why there is none ('missing')"]),
    ("unknown-partnership", INSP, "partnership: fife", "partnership: fyfe", f"{INSP}:2:14", ["partnership 'fyfe', which does not exist", "fife"]),
    ("unknown-programme", INSP, "programme: risk-2021", "programme: risk-2020", f"{INSP}:3:12", ["programme 'risk-2020'"]),
    ("unknown-theme", INSP, "themes: [chronologies]", "themes: [chronology]", f"{INSP}:", ["theme 'chronology', which does not exist"]),
    ("unknown-glossary-term", "site-data/themes.yaml", "description: Records", "glossary: [ird]\n    description: Records", "site-data/themes.yaml:", ["glossary term 'ird'"]),
    ("unknown-question", INSP, 'question: "1"\n    kind: improvement', 'question: "7"\n    kind: improvement', f"{INSP}:", ["'7'", "question of programme risk-2021"]),
    ("fieldwork-order", INSP, "fieldwork_end: 2023-05-31", "fieldwork_end: 2023-01-31", f"{INSP}:7:", ["before 'fieldwork_start'"]),
    ("published-before-fieldwork", INSP, "published: 2023-09-12", "published: 2023-04-12", f"{INSP}:9:", ["before 'fieldwork_end'"]),
    ("letter-before-work", LETTER, "published: 2022-01-10", "published: 2021-01-10", f"{LETTER}:4:", ["before the work it describes", "date_note"]),
    ("claim-mismatch", REVIEW, "    count: 2\n", "    count: 3\n", f"{REVIEW}:", ["says 3, the inspections give 2"]),
    ("distribution-mismatch", REVIEW, "{5: 1, 4: 1, 3: 1}", "{5: 2, 4: 1}", f"{REVIEW}:", ["the inspections give {3: 1, 4: 1, 5: 1}"]),
    ("evidence-total", REVIEW, "total: 100", "total: 120", f"{REVIEW}:", ["adds up to 100, not the total 120"]),
    ("unknown-narrative-section", "content/narrative/inspections/fife-2023.md", "## Statement 2", "## Statement 3", "content/narrative/inspections/fife-2023.md:9:1", ["allowed: Introduction"]),
    ("narrative-outside-content", INSP, "narrative: narrative/inspections/fife-2023.md", "narrative: ../../etc/passwd.md", f"{INSP}:", ["outside content/"]),
    ("missing-narrative", INSP, "narrative: narrative/inspections/fife-2023.md", "narrative: narrative/none.md", f"{INSP}:", ["does not exist"]),
    ("scale-duplicate-value", "site-data/scales/six-point.yaml", "{value: 6,", "{value: 5,", "site-data/scales/six-point.yaml:", ["value 5 appears twice"]),
    ("bad-url", INSP, "url: https://example.org/reports/fife-2023.pdf", "url: javascript:alert(1)", f"{INSP}:", ["web address"]),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_rule_reports_file_line_and_message(tiny: Path, name: str, file: str, old: str, new: str, where: str, words: list[str]) -> None:
    edit(tiny / file, old, new)
    result = run_check(tiny)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert lines, f"no problem reported at {where}:\n{result.stderr}"
    assert any(all(w in line for w in words) for line in lines), f"expected {words} at {where}:\n{result.stderr}"


def test_valid_project_passes(tiny: Path) -> None:
    result = run_check(tiny)
    assert result.returncode == 0, result.stderr
    assert "site data OK" in result.stdout


def test_python_m_generator_check_is_a_command(tiny: Path) -> None:
    """The other tests run the command line in-process (support.run_cli); here it runs as editors run it."""
    good = subprocess.run([sys.executable, "-m", "generator", "check", str(tiny)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert good.returncode == 0 and "site data OK" in good.stdout, good.stderr
    edit(tiny / INSP, "grade: 5", "grade: 9")
    bad = subprocess.run([sys.executable, "-m", "generator", "check", str(tiny)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 1 and f"{INSP}:" in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_all_problems_reported_in_one_run(tiny: Path) -> None:
    edit(tiny / INSP, "grade: 5", "grade: 9")
    edit(tiny / INSP, "partnership: fife", "partnership: nowhere")
    edit(tiny / LETTER, "published: 2022-01-10", "published: 2021-01-10")
    edit(tiny / "site-data/partnerships/fife.yaml", "name: Fife", "name: Fife\ncolour: blue")
    result = run_check(tiny)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) >= 4, result.stderr
    assert "error(s)" in result.stderr.splitlines()[-1]


def test_indicator_codes_stay_text(tiny: Path) -> None:
    """`2.10` written bare must not turn into the number 2.1."""
    edit(tiny / INSP, 'indicator: "2.1"', "indicator: 2.10")
    result = run_check(tiny)
    assert "'2.10'" in result.stderr and "does not evaluate" in result.stderr


def test_unsafe_file_names_and_slugs(tiny: Path) -> None:
    (tiny / "site-data/partnerships/fife.yaml").rename(tiny / "site-data/partnerships/Fife Council.yaml")
    (tiny / "site-data/partnerships/perth-and-kinross.yaml").rename(tiny / "site-data/partnerships/perth.yaml")
    result = run_check(tiny)
    assert "not a safe id" in result.stderr
    assert "belongs in partnerships/perth-and-kinross.yaml" in result.stderr


def test_duplicate_publication_id_across_kinds(tiny: Path) -> None:
    src = tiny / "site-data/responses/fife-response-2023.yaml"
    src.rename(tiny / "site-data/responses/fife-2023.yaml")
    result = run_check(tiny)
    assert "ids must be unique" in result.stderr


def test_unknown_file_and_folder(tiny: Path) -> None:
    (tiny / "site-data/grades").mkdir()
    (tiny / "site-data/partnerships/fife.yml").write_text("name: Fife\n")
    result = run_check(tiny)
    assert "unknown folder 'grades'" in result.stderr
    assert "rename .yml to .yaml" in result.stderr


def test_not_a_folder_exit_2(tmp_path: Path) -> None:
    result = run_check(tmp_path / "missing")
    assert result.returncode == 2


def test_empty_and_non_utf8_files(tiny: Path) -> None:
    (tiny / INSP).write_text("")
    (tiny / "site-data/partnerships/fife.yaml").write_bytes(b"name: F\xe9fe\ncouncil: x\n")
    result = run_check(tiny)
    assert f"{INSP}:1:1: error: the file is empty" in result.stderr
    assert "site-data/partnerships/fife.yaml:1:1: error: not UTF-8" in result.stderr


def test_real_content_passes() -> None:
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert "32 partnerships" in result.stdout


def test_slugs_for_all_32_council_areas_are_stable() -> None:
    from generator.base.urls import slugify

    names = {p.stem: p for p in (ROOT / "site-data/partnerships").glob("*.yaml")}
    assert len(names) == 32
    from generator.model.load import SAFE_ID

    for stem in names:
        assert SAFE_ID.match(stem)
    assert slugify("Perth and Kinross") == "perth-and-kinross"
    assert slugify("Na h-Eileanan Siar") == "na-h-eileanan-siar"
    assert slugify("Argyll & Bute") == "argyll-and-bute"
    assert slugify("Dùn Èideann") == "dun-eideann"
    assert all("/" not in slugify(n) and ".." not in slugify(n) for n in ["../etc", "a/b", "a\\b", "x\x00y"])
