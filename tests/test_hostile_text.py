"""The corpus of hostile inputs, continued: personal details hidden by formatting, limits on numbers,
dates and depth, raw HTML in Markdown data fields, spreadsheet formulas in the open data.

Same form as test_hostile.py: each case is refused at its file (and line) or accepted harmlessly,
through `check_site`; the few that need the build path are built once.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.render.opendata import csv_cell, to_csv

from .support import INSPECTION, NARRATIVE, Case, assert_case, copy_tiny, edit, mkdocs_build, project_for, refused_build, replace, tree

CASES: list[Case] = []
#: the line of content/about.md where a case adds its text (after the front matter and "# About")
PAGE_LINE = 7

# --- 5. personal details, as a reader would see them -------------------------------------------------------------
HIDDEN = {
    "phone-dots": "0131.496.0123", "phone-dashes": "0131-496-0123", "phone-spaces": "0131 496 0123",
    "phone-brackets": "(0131) 496 0123", "phone-intl": "+44 131 496 0123", "phone-intl-0": "+44 (0)131 496 0123",
    "phone-mobile": "07700 900123", "phone-bold": "0131 **496** 0123", "phone-italic": "0131 _496_ 0123",
    "phone-code": "0131 `496` 0123", "phone-zero-width": "0131\u200b496\u200b0123", "phone-fullwidth": "０１３１ ４９６ ０１２３",
    "phone-entity-space": "0131&#32;496&#32;0123", "phone-span": "0131<span></span> 496 0123", "phone-nbsp": "0131\u00a0496\u00a00123",
    "phone-nb-hyphen": "0131\u2011496\u20110123", "phone-soft-hyphen": "01\u00ad31 496 0123", "phone-word-joiner": "0131\u2060 496 0123",
    "phone-bom": "\ufeff0131 496 0123", "phone-entity-digits": "&#48;131 496 0123", "phone-comment": "0131<!-- x --> 496 0123",
    "email": "jane.doe@example.com", "email-entities": "jane&#46;doe&#64;example&#46;com", "email-span": "jane<span></span>.doe@example.com",
    "email-commat": "jane.doe&commat;example.com", "email-hex": "jane.doe&#x40;example.com", "email-fullwidth-at": "jane.doe＠example.com",
    "email-zero-width": "jane\u200b.doe@example.com", "email-upper": "JANE.DOE@EXAMPLE.COM", "email-escaped-dot": "jane\\.doe@example.com",
    "email-bold": "**jane.doe**@example.com", "email-rtl-mark": "jane.doe\u200e@example.com",
    "postcode": "EH12 9DQ", "postcode-lower": "eh12 9dq", "postcode-mixed": "Eh12 9Dq", "postcode-joined": "EH129DQ",
    "postcode-entity": "eh12&#32;9dq", "postcode-zero-width": "EH12\u200b 9DQ", "postcode-entity-letter": "E&#72;12 9DQ",
    "postcode-bold": "**EH12** 9DQ",
    "ni": "AB 12 34 56 C", "ni-lower": "ab123456c", "ni-zero-width": "AB\u200b12 34 56 C", "ni-italic": "AB _12 34 56_ C",
    "chi": "1503851234", "chi-space": "150385 1234",
    "dob": "born on 3 March 2010", "dob-short": "DOB 03/03/2010", "dob-dots": "d.o.b. 3/3/2010", "dob-words": "date of birth: 3 March 2010",
    "dob-markup": "born on 3 <b>March</b> 2010",
}
for name, detail in HIDDEN.items():
    CASES.append(Case("personal", f"narrative-{name}", replace(NARRATIVE, "Fife is a large area.", f"Fife is\na large area. Call {detail} today."),
                      NARRATIVE, 2, "must not be published"))
    CASES.append(Case("personal", f"page-{name}", replace("content/about.md", "# About\n", f"# About\n\nWrite to {detail}.\n"),
                      "content/about.md", PAGE_LINE, "must not be published"))
    quoted = detail.replace("\\", "\\\\").replace('"', '\\"')
    quoted = "".join(c if c.isascii() else f"\\u{ord(c):04x}" for c in quoted)  # YAML's own escapes: the file stays ASCII
    CASES.append(Case("personal", f"yaml-{name}", replace(INSPECTION, "summary: We evaluated the impact as very good.",
                                                          f'summary: "We evaluated the impact as very good. {quoted}"'),
                      INSPECTION, None, "must not be published"))
HARMLESS = {
    "indicator": "quality indicator 2.1", "years": "2019-2020 and 2021/22", "version": "version 1.2.3.4",
    "count": "1,234 children", "date": "on 12 March 2023", "url": "see https://www.example.org/0131-496-0123",
    "short-number": "call 999", "ratio": "45 of 60", "time": "at 10.30", "postcode-district": "in the EH12 area",
}
for name, text in HARMLESS.items():
    CASES.append(Case("personal", f"harmless-{name}", replace(NARRATIVE, "Fife is a large area.", f"Fife is a large area, {text}."), None))
CASES.append(Case("personal", "allowed-with-markup",
                  lambda p: (edit(p / NARRATIVE, "Fife is a large area.", "Fife is a large area. Call 0345 **600** 9527."),
                             (p / "site-data/allowed-disclosures.yaml").write_text(
                                 "allowed:\n  - text: 0345 600 9527\n    reason: the public enquiry line\n")), None))

# --- 6. limits: numbers, dates, depth -----------------------------------------------------------------------------
BIG = "9" * 5000
CASES += [
    Case("limits", "grade-5000-digits", replace(INSPECTION, "grade: 5", f"grade: {BIG}"), INSPECTION, None, "digits"),
    Case("limits", "grade-10-digits", replace(INSPECTION, "grade: 5", "grade: 1234567890"), INSPECTION),
    Case("limits", "evidence-count-5000-digits", replace(INSPECTION, "count: 60", f"count: {BIG}"), INSPECTION, None, "digits"),
    Case("limits", "placeholder-grade-5000-digits",
         replace(NARRATIVE, "Fife is a large area.", "Fife is a large area.\n{{ count: evaluations programme=risk-2021 grade=" + BIG + " }}"),
         NARRATIVE, 2, "digits"),
    Case("limits", "placeholder-min-grade-10-digits",
         replace(NARRATIVE, "Fife is a large area.", "Fife is a large area. {{ count: evaluations programme=risk-2021 min_grade=1234567890 }}"),
         NARRATIVE, 1),
    Case("limits", "fraction-5000-digits", replace(NARRATIVE, "Fife is a large area.", f"Most (45 of {BIG}) agreed."), None),
    Case("limits", "fraction-5000-digits-both", replace(NARRATIVE, "Fife is a large area.", f"Most ({BIG} of {BIG}) agreed."), None),
    Case("limits", "published-year-0", replace(INSPECTION, "published: 2023-09-12", "published: 0000-10-17"), INSPECTION, None, "year"),
    Case("limits", "published-year-1", replace(INSPECTION, "published: 2023-09-12", "published: 0001-01-01"), INSPECTION, None, "year"),
    Case("limits", "published-2999", replace(INSPECTION, "published: 2023-09-12", "published: 2999-10-17"), INSPECTION, None, "year"),
    Case("limits", "published-2101", replace(INSPECTION, "published: 2023-09-12", "published: 2101-01-01"), INSPECTION, None, "year"),
    Case("limits", "published-next-year", replace(INSPECTION, "published: 2023-09-12", "published: 2099-10-17"), INSPECTION, None, "after today"),
    Case("limits", "notified-1899", replace(INSPECTION, "notified: 2023-01-09", "notified: 1899-01-09"), INSPECTION, None, "year"),
    Case("limits", "nested-stars-narrative", replace(NARRATIVE, "Fife is a large area.", "*" * 10000 + "x" + "*" * 10000),
         NARRATIVE, 1, "emphasis markers"),
    Case("limits", "nested-underscores-narrative", replace(NARRATIVE, "Fife is a large area.", "_" * 10000 + "x" + "_" * 10000),
         NARRATIVE, 1, "emphasis markers"),
    Case("limits", "nested-stars-spaced", replace(NARRATIVE, "Fife is a large area.", "Fife\n" + "* " * 3000 + "x"), NARRATIVE, 2),
    Case("limits", "nested-words-narrative",
         replace(NARRATIVE, "Fife is a large area.", " ".join(["*a"] * 1000) + " " + " ".join(["b*"] * 1000)), NARRATIVE, 1,
         "in one paragraph"),
    Case("limits", "nested-stars-page", replace("content/about.md", "# About\n", "# About\n\n" + "*" * 10000 + "x" + "*" * 10000 + "\n"),
         "content/about.md", PAGE_LINE, "emphasis markers"),
    Case("limits", "nested-stars-field", replace(INSPECTION, "text: The virtual school *reduced* exclusions.",
                                                 "text: " + "'" + "*" * 5000 + "x" + "*" * 5000 + "'"), INSPECTION, None, "emphasis"),
    Case("limits", "horizontal-rule-is-fine", replace(NARRATIVE, "Fife is a large area.", "Fife is a large area.\n\n**********\n\nMore."), None),
    Case("limits", "bold-italic-is-fine", replace(NARRATIVE, "Fife is a large area.", "Fife is a ***large*** area."), None),
]

# --- 8. smaller: formulas in the open data --------------------------------------------------------------------
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")", "-2+3", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    assert_case(case, project_for(case, tmp_path / "project"))


def test_corpus_size() -> None:
    assert len(CASES) + len(FORMULAS) >= 190  # with test_hostile.py's (>= 100) and test_publish.py's faults: >= 200


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_cells_that_start_a_formula_are_text(cell: str) -> None:
    out = to_csv([{"a": cell, "b": 5}], ["a", "b"])
    value = next(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert value["a"] == "'" + cell.replace("\r", "\n") and value["b"] == "5"
    assert csv_cell(4) == 4 and csv_cell("Fife") == "Fife"


def test_built_open_data_has_no_formula(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    edit(project / INSPECTION, "summary: We evaluated the impact as very good.", "summary: \"=HYPERLINK('http://x','y')\"")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    for path in (project / "site/data").rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row), (path, row)


def test_raw_html_in_markdown_fields_is_balanced(tmp_path: Path) -> None:
    """An unclosed <script>, <style>, <body> ... in one glossary definition must not blank the rest of the page."""
    project = copy_tiny(tmp_path / "project")
    glossary = project / "site-data/glossary/fife-2023.yaml"
    openers = ["<script>alert(1)", "<style>body{display:none}", "<body onload=alert(1)>", "<textarea>", "<title>", "<!-- open",
               "<iframe src=x>", "<noscript>", "<template>", "<xmp>", "<plaintext>", "<svg><script>"]
    text = glossary.read_text()
    terms = []
    for i, opener in enumerate(openers):
        term = f"Term number {i}"
        terms.append(term)
        quoted = opener.replace('"', '\\"')
        text += (f"  - id: hostile-{i}\n    term: {term}\n    definitions:\n      - text: \"Before {quoted} after\"\n"
                 f"        source: fife-2023\n")
    glossary.write_text(text)
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    page = (project / "site/glossary/index.html").read_text()
    for term in terms:
        assert term in page, f"{term} vanished: a definition above it swallowed the page"
    assert page.count("Before") >= len(openers)
    article = page[page.index("<article"):page.index("</article>")]
    assert not re.search(r"<(script|style|iframe|textarea|body|title|template|noscript|xmp|plaintext)\b", article)


def test_a_narrative_link_to_no_page_is_reported_at_the_narrative_line(tmp_path: Path) -> None:
    """MkDocs can only name the generated page a narrative is shown on; the check names the narrative's own line."""
    project = copy_tiny(tmp_path / "project")
    edit(project / NARRATIVE, "Fife is a large area.",
         "Fife is a large area.\nSee [about](../about.md), [the missing page](../no-such-page.md) and [about, wrongly](about.md).")
    _data, derived, problems = check_site(project)
    assert derived is not None
    links = [p for p in problems.sorted() if "leads to no page" in p.message]
    assert [(p.at.path, p.at.line) for p in links] == [(NARRATIVE, 2), (NARRATIVE, 2)], [str(p) for p in links]
    assert "'../no-such-page.md'" in links[0].message
    assert "did you mean '../about.md'" in links[1].message


def test_a_narrative_link_after_a_placeholder_is_reported_at_its_own_column(tmp_path: Path) -> None:
    """The page shows the placeholder as a number, but the editor's file still has the placeholder: the column is
    the file's. Deriving the site does not change the records the check read."""
    project = copy_tiny(tmp_path / "project")
    line = "In {{ count: inspections programme=risk-2021 }} areas, see [the missing page](../no-such-page.md)."
    edit(project / NARRATIVE, "Fife is a large area.", "Fife is a large area.\n" + line)
    data, derived, problems = check_site(project)
    assert derived is not None
    links = [p for p in problems.sorted() if "leads to no page" in p.message]
    assert [(p.at.line, p.at.column) for p in links] == [(2, line.index("../no-such-page.md") + 1)], [str(p) for p in links]
    assert "{{ count:" in data.narratives["fife-2023"].text  # the records as loaded
    assert "{{ count:" not in derived.data.narratives["fife-2023"].text  # the page's copy


# --- a sample built for real: refused before the build writes anything; site/ byte for byte as it was --------------
BUILT_SAMPLE = ["personal:narrative-phone-dots", "personal:page-email-entities", "personal:yaml-phone-zero-width",
                "limits:grade-5000-digits", "limits:nested-stars-narrative"]


@pytest.fixture(scope="session")
def good_build(tiny_site: Path) -> tuple[Path, dict[str, str]]:
    """The tiny project as built (read only: each refused case is applied to a copy)."""
    return tiny_site.parent, tree(tiny_site)


@pytest.mark.parametrize("case_id", BUILT_SAMPLE)
def test_refused_text_leaves_site_untouched(good_build: tuple[Path, dict[str, str]], tmp_path: Path, case_id: str) -> None:
    messages = refused_build(next(c for c in CASES if c.id == case_id), *good_build, tmp_path)
    assert "RecursionError" not in messages
