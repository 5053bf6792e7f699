"""EDITORS-GUIDE.md's cases of incomplete sources (issues 10 and 25), followed to the letter on a copy of the real
site: an older programme on a different scale, a new programme with no reports yet, a new review, a publication
known only by its key messages. Each section's
commands run, its finished files are written as shown, nothing is invented, the check passes, and the pages
(rendered without MkDocs) say what the sources say and what they do not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.render import Renderer, make_environment

from .support import ROOT, real_copy, run_check, run_generator, section, steps


def follow(title: str, project: Path) -> str:
    """Run the section's commands and write its files; returns the section's text."""
    text = section(title)
    for kind, block in steps(text):
        if kind == "sh":
            for line in (ln.strip() for ln in block.splitlines() if ln.strip()):
                result = run_generator(line, project)
                assert result.returncode == 0, f"{line}: {result.stderr}"
        elif block.startswith("# site-data/"):
            (project / block.splitlines()[0][2:]).write_text(block)
        elif block.startswith("- id: "):  # an entry of organisations.yaml or documents.yaml, as it should read
            oid = block.split("\n", 1)[0].removeprefix("- id: ")
            entry = re.compile(rf"(?ms)^  - id: \"?{re.escape(oid)}\"?\n.*?(?=^  - id: |\Z)")
            files = [f for f in (project / "site-data" / n for n in ("organisations.yaml", "documents.yaml"))
                     if len(entry.findall(f.read_text())) == 1]
            assert len(files) == 1, f"the command should have added {oid}"
            files[0].write_text(entry.sub("".join(f"  {line}\n" for line in block.splitlines()), files[0].read_text()))
    for path in re.findall(r"The command also writes `(content/[^`]+)`\. Delete it", " ".join(text.split())):
        (project / path).unlink()
    return text


def fife_page(site: dict[str, str]) -> str:
    return site["partnerships/fife.md"]


def pages(project: Path, *, include_drafts: bool = False) -> dict[str, str]:
    _data, derived, problems = check_site(project, include_drafts=include_drafts)
    assert derived is not None, "\n".join(str(p) for p in problems.sorted())
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]), publisher=default_publisher())
    return {spec.path: renderer.render(spec) for spec in renderer.pages()}


def no_todo_left(project: Path) -> None:
    result = run_check(project)
    assert result.returncode == 0 and ": error:" not in result.stderr, result.stderr
    left = [p for p in (project / "site-data").rglob("*.yaml") if re.search(r"(?m)^[^#\n]*\bTODO\b", p.read_text())]
    assert not left, f"the guide's files leave TODOs: {left}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return real_copy(tmp_path / "project")


def test_older_programme_on_a_different_scale(project: Path) -> None:
    follow("Add an older programme on a different scale", project)
    no_todo_left(project)
    site = pages(project)
    programme = site["programmes/children-2009.md"]
    assert ("- **Led by:** Her Majesty's Inspectorate of Education \\(until 2011; its work passed to Education Scotland and "
            "Care Inspectorate\\)") in programme
    # a framework whose title no source gives is named from what the site holds: the programme, publisher and year
    framework = ("Quality framework: Children's services \\(2009-2012\\); Her Majesty's Inspectorate of Education; 2009 "
                 "\\(title not stated in the sources\\)")
    assert f"[{framework}](../frameworks/hmie-2009.md)" in programme
    assert site["frameworks/hmie-2009.md"].startswith(f"# {framework}\n")
    assert "- **Years:** 2009 to 2012" in programme and "to now" not in programme
    assert "This site has pages for 1 report from this programme, but holds none of them itself" in programme
    scale = site["evaluation-scale.md"].split("## HMIE six-point scale", 1)[1].split("\n## ", 1)[0]
    assert scale.count("| Not stated in the sources this site holds |") == 6
    assert "Used by: [Children's services \\(2009-2012\\)]" in scale
    report = site["inspections/fife-2010.md"]
    assert report.startswith("# Inspection report: Fife, 2010 \\(title not stated in the sources\\)\n")
    # known only from the summary: never "this report" as the source of its totals
    assert ("This site does not hold the inspection report itself: this page is rebuilt from Summary of the 2009-2012 "
            "inspections.") in report
    assert "Stated in: Summary of the 2009-2012 inspections, which this site does not hold." in report
    assert "Stated in: this report" not in report and "this report" not in fife_page(site)
    assert "(as published: “1 excellent, 1 very good”)" in report
    assert "| <span class=\"rs-grade rs-grade-6\">Excellent (6)</span> | 1 |" in report
    assert "give no grades" not in report and "holds no grades" not in report
    fife = site["partnerships/fife.md"]
    scales = next(line for line in fife.splitlines() if line.startswith("They also grade on different scales (the "))
    assert "[HMIE six-point scale]" in scales and "[six-point evaluation scale]" in scales
    assert "No graded inspection" not in fife
    # the undated 2018-2020 record is placed at its programme's end, so it is the latest, not the 2010 one
    assert fife.index("### Children in need of care and protection") < fife.index("### Children's services \\(2009-2012\\)")
    assert "From [the inspection report](../inspections/fife-2018-2020.md)" in fife.split("## Inspection history", 1)[0]


def test_new_programme_with_no_reports_yet(project: Path) -> None:
    follow("Add a new programme with no reports yet", project)
    no_todo_left(project)
    site = pages(project)
    page = site["programmes/children-2026.md"]
    assert "- **Led by:** not stated in the sources this site holds" in page
    assert "This site holds no report from this programme yet." in page
    assert "No source this site holds lists the partnerships the programme covered." in page
    assert "- **Years:** 2026 onwards" in page
    assert "1. How well are children and young people supported?\n2. Its words are not stated in the sources this site holds." in page
    assert "## Key lines of enquiry\n\n- How well are children's rights upheld?" in page
    assert "- **Previous programme:** [" in page
    earlier = site["programmes/at-risk-of-harm-2021.md"]
    assert "- **Followed by:** [Joint inspections of services for children and young people](children-2026.md)" in earlier


def test_new_review(project: Path) -> None:
    follow("Add a new review", project)
    no_todo_left(project)
    assert "reviews/review-2026.md" not in pages(project), "a draft is built only in preview"
    review = pages(project, include_drafts=True)["reviews/review-2026.md"]
    assert ("- “Most evaluations of the impact on children were good or better”: not checked: the site records no "
            "figure from it to check.") in review
    assert "- **Published:** 2026 \\(approximate\\)" in review


def test_publication_known_only_by_its_key_messages(project: Path) -> None:
    follow("Add a publication known only by its key messages", project)
    no_todo_left(project)
    _data, derived, problems = check_site(project)
    assert derived is not None, problems
    page = pages(project)["reviews/key-messages-2024.md"]
    assert page.startswith("# Review of findings: Children at risk of harm \\(2021 onwards\\), date not stated "
                           "\\(title not stated in the sources\\)\n")
    assert "- **Published by:** not stated in the sources this site holds" in page
    assert "- **Published:** publication date not stated in the sources this site holds \\(its programme: 2021 \\(approximate\\) onwards\\)" in page
    assert "The source does not number these; the numbers are this site's." in page
    assert "Table of evaluations" not in page and "rs-grade-" not in page
    assert "This site holds the review of findings itself." in page
