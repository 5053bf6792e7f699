"""EDITORS-GUIDE.md, followed to the letter: its worked example takes a new partnership's inspection in
a new programme from `python -m generator new` to a published page.

The test runs the guide's own command lines and writes the guide's own lines into the files, in a
copy of tests/fixtures/tiny. The only change: the tiny project's framework is `qf-2019`, where the
real site's is `care-and-protection-2019`.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from generator.cli.main import main

from .support import GUIDE, ROOT, mkdocs_build, real_copy, run_check, run_generator, section, steps

TINY_IDS = {"care-and-protection-2019": "qf-2019"}


WORKED = section("Worked example: a new partnership, programme and inspection")


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def guide_commands(text: str) -> list[str]:
    return [line.strip() for block in blocks(text, "sh") for line in block.splitlines() if line.strip()]


def replace_line(path: Path, starts: str, new: str) -> None:
    """Replace the one line (ignoring indentation) starting with `starts` by `new`, keeping its indentation."""
    text = path.read_text()
    pattern = re.compile(rf"(?m)^( *){re.escape(starts)}.*$")
    matches = pattern.findall(text)
    assert len(matches) == 1, f"expected one line starting {starts!r} in {path}"
    path.write_text(pattern.sub(lambda mt: mt.group(1) + new, text))


def test_worked_example_from_scaffold_to_published_page(tiny: Path) -> None:
    commands = guide_commands(WORKED)
    news = [c for c in commands if " generator new " in c]
    assert [shlex.split(c)[4] for c in news] == ["partnership", "programme", "inspection"]

    # 1-3: the three `new` commands, exactly as the guide gives them.
    for line in news:
        result = run_generator(line, tiny, TINY_IDS)
        assert result.returncode == 0, result.stderr
    assert (tiny / "site-data/partnerships/angus.yaml").is_file()

    # 2: "replace the three TODO lines" of the programme with the guide's lines.
    programme = tiny / "site-data/programmes/at-risk-of-harm-2026.yaml"
    filled = blocks(WORKED, "yaml")[0]
    title, short_title, remit_key, remit_text = filled.splitlines()
    replace_line(programme, "title: TODO", title)
    replace_line(programme, "short_title: TODO", short_title)
    text = programme.read_text()
    assert "remit: >-\n  TODO what the programme looks at, in a sentence or two\n" in text
    programme.write_text(text.replace("remit: >-\n  TODO what the programme looks at, in a sentence or two\n", f"{remit_key}\n{remit_text}\n"))

    # 3: the inspection's title, publication date and grade, then the narrative, as the guide shows them.
    inspection = tiny / "site-data/inspections/angus-2026.yaml"
    title_line, published_line, url_line, grade_line, status_line = (b.strip() for b in blocks(WORKED, "yaml")[1:6])
    assert published_line == "published: 2026-10-20" and grade_line == "grade: 5" and status_line == "status: published"
    assert url_line.startswith("url: https://")
    assert "deleting its `#`" in WORKED and "replace the line `not_published: TODO ...`" in WORKED
    replace_line(inspection, "title: TODO", title_line)
    replace_line(inspection, "#published:", published_line)
    replace_line(inspection, "#url:", url_line)
    replace_line(inspection, "not_published: TODO", grade_line)
    (tiny / "content/narrative/inspections/angus-2026.md").write_text(blocks(WORKED, "markdown")[0])

    # 4: check (a draft: accepted, no TODO left anywhere).
    checked = run_check(tiny)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "", checked.stderr

    # 5: publish, check again, build.
    assert "change `status: draft` to" in WORKED
    replace_line(inspection, "status: draft", status_line)
    checked = run_check(tiny)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    assert ".venv/bin/mkdocs build" in commands
    result = mkdocs_build(tiny, tiny / "site")
    assert result.returncode == 0, result.stderr

    page = tiny / "site/inspections/angus-2026/index.html"
    assert page.is_file()
    # The preview address the guide gives is that page under the site's own path (mkdocs serve keeps it).
    draft_address = re.search(r"The report is at <http://127\.0\.0\.1:8000(/[^>]*)>", WORKED)
    assert draft_address, "the worked example gives the draft's preview address"
    assert draft_address.group(1) == site_path() + "inspections/angus-2026/"
    html = page.read_text()
    assert '<span class="rs-grade rs-grade-5">Very good (5)</span>' in html  # the grade as 'Word (n)'
    assert "Joint inspection of services for children at risk of harm in Angus" in html
    assert url_line.split()[1] in html  # the page links to the original
    assert "Angus is in the east of Scotland." in html and "Draft" not in html.split("<article")[1].split("</article>")[0]
    assert "angus-2026" in (tiny / "site/partnerships/angus/index.html").read_text()
    assert "At risk of harm (2026 onwards)" in (tiny / "site/programmes/at-risk-of-harm-2026/index.html").read_text()
    assert 'Very good (5)' in GUIDE


def site_path() -> str:
    """The path of the real site's address (site_url in mkdocs.yml): `mkdocs serve` serves every page under it."""
    from urllib.parse import urlsplit

    url = re.search(r"(?m)^site_url: *(\S+)", (ROOT / "mkdocs.yml").read_text())
    assert url
    return urlsplit(url.group(1)).path


def test_every_preview_address_is_under_the_site_path() -> None:
    addresses = re.findall(r"<http://127\.0\.0\.1:8000(/[^>]*)>", GUIDE)
    assert len(addresses) >= 3
    for address in addresses:
        assert address.startswith(site_path()), address


def test_every_generator_command_in_the_guide_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each `generator` line the guide shows parses: the kinds and options it names exist."""
    lines = [c for c in guide_commands(GUIDE) if c.startswith(".venv/bin/python -m generator")]
    assert len(lines) >= 12
    for line in lines:
        words = shlex.split(line)[3:]
        if words[0] in ("new", "import"):
            words = [*words, "--project", str(tmp_path / "none")]  # parsed, then stops: no site-data/ there
        else:
            words = [*words, str(tmp_path / "none")]
        code = main(words)
        err = capsys.readouterr().err
        assert code in (1, 2) and "usage:" not in err, f"{line}: {err}"


def test_guide_covers_every_kind_and_task() -> None:
    from generator.cli.scaffold import KINDS

    for kind in KINDS:
        assert f"generator new {kind} " in GUIDE, kind
    for task in ["Add a partnership", "Add an organisation", "Add a programme, with its framework and scale", "Add an inspection report", "Add a review",
                 "Add a response with an action plan", "Add a self-evaluation letter", "Add a glossary term", "Add a theme",
                 "Correct a published report", "What the messages mean", "Strict builds: what a warning does"]:
        assert f"## {task}" in GUIDE, task
    assert "corrections:" in GUIDE and ".venv/bin/mkdocs serve" in GUIDE and ".venv/bin/python -m generator check" in GUIDE
    assert "EDITORS-GUIDE.md" in (ROOT / "README.md").read_text()


# --- every task section, followed on a copy of the real site -----------------------------------------------

TASKS = [title for title in re.findall(r"(?m)^## (.+)$", GUIDE)
         if title.startswith(("Add ", "Correct "))]


def test_guide_has_the_sections_editors_need() -> None:
    assert {"Add a partnership", "Add an organisation", "Add a programme, with its framework and scale", "Add an inspection report",
            "Add a review", "Add a response with an action plan", "Add a self-evaluation letter", "Add a glossary term",
            "Add a theme", "Correct a published report"} <= set(TASKS)
    for sub in ("Add a framework", "Add an evaluation scale", "Add proportion words", "Add the programme", "Add a document the site cites"):
        assert f"### {sub}\n" in GUIDE, sub
    strict = section("Strict builds: what a warning does")
    assert "strict: true" in strict
    assert re.search(r"(?m)^strict: true$", (ROOT / "mkdocs.yml").read_text()), "the guide says every build is strict"


@pytest.mark.parametrize("title", TASKS)
def test_task_section_followed_on_the_real_site(tmp_path: Path, title: str) -> None:
    """Each command of the section, in order, on a copy of the real site; each finished file it shows
    (a YAML block starting '# site-data/...') written as shown; then the check has no errors, and every
    file the section says is written exists."""
    project = real_copy(tmp_path / "project")
    text = section(title)
    ran = 0
    for kind, block in steps(text):
        if kind == "sh":
            for line in (ln.strip() for ln in block.splitlines()):
                if not line.startswith(".venv/bin/python -m generator new "):
                    continue
                result = run_generator(line, project)
                ran += 1
                if result.returncode != 0:
                    # Only where the guide says what the command answers, word for word.
                    quoted = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
                    assert any(q in result.stderr for q in quoted if len(q) > 20), f"{line}: {result.stderr}"
        else:
            header = block.splitlines()[0]
            if header.startswith("# site-data/"):
                (project / header[2:]).write_text(block)
    # the step the review section asks for, by hand (unless it is only for when the draft is published)
    if "review: review-at-risk-of-harm-2021" in text and "When you publish it" not in text:
        programme = project / "site-data/programmes/at-risk-of-harm-2021.yaml"
        programme.write_text(programme.read_text() + "review: review-at-risk-of-harm-2021\n")
    assert ran or title == "Correct a published report", title
    for written in re.findall(r"(?:writes|adds it to the end of|This writes) `((?:site-data|content)/[^`]+)`", text):
        assert (project / written).is_file(), f"{title}: the guide says it writes {written}"
    checked = run_check(project)
    assert checked.returncode == 0, checked.stderr
    assert ": error:" not in checked.stderr


def _model_classes() -> list[type]:
    import dataclasses

    from generator.model import disclosures
    from generator.model import models as m

    return [c for module in (m, disclosures) for c in vars(module).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and issubclass(c, m.Record)]


def test_every_yaml_example_is_valid_for_a_record() -> None:
    """Each YAML block of the guide parses, and its fields are fields of some record, with values of the right type."""
    from generator.base.errors import Problems
    from generator.model.convert import convert, fields_of
    from generator.model.yamlnodes import Mapping, Sequence, parse_yaml

    classes = _model_classes()
    examples = blocks(GUIDE, "yaml")
    assert len(examples) >= 15
    for block in examples:
        node, problems = parse_yaml(block, "guide")
        assert node is not None and not problems, (block, problems.sorted())
        if isinstance(node, Sequence):  # a list item shown on its own: a record of some class
            node = node.items[0]
        assert isinstance(node, Mapping), block
        keys = [k.value for k, _ in node.items]
        fits = []
        for cls in classes:
            specs = fields_of(cls)
            if not set(keys) <= set(specs):
                continue
            found = Problems()
            for key, value in node.items:
                convert(value, specs[key.value].hint, found, key.value)
            if not found.errors:
                fits.append(cls.__name__)
        if not fits and set(keys) <= {"published", "redirects"}:  # site-data/addresses.yaml: its own reader
            from generator.derive.addresses import read_addresses

            found = Problems()
            assert read_addresses(block, "guide", found) is not None and not found.items, (block, found.sorted())
            continue
        assert fits, f"no record has these fields with these values:\n{block}"


def test_every_message_the_guide_explains_is_one_the_code_gives() -> None:
    """The messages table quotes the check's own words: each literal piece is in the generator's source."""
    source = "\n".join(p.read_text() for p in (ROOT / "generator").rglob("*.py")).replace('\\"', '"')
    table = section("What the messages mean")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) >= 25
    for row in rows:
        if "(from mkdocs)" in row and "nothing was built" not in row:
            continue  # MkDocs' own words
        first_cell = re.sub(r"\(for example .*?\)", "", row.split(" | ")[0])  # examples are whole messages, not pieces
        for quoted in re.findall(r"`([^`]+)`", first_cell):
            pieces = re.split(r"\.\.\.|…|\bN\b|\bM\b|\bX\b|'[^' ]+'|\"\.\.\.\"|\{\{ \.\.\. \}\}", quoted)
            for piece in (p.strip(" ':;,.") for p in pieces):
                if len(piece) >= 6:
                    assert piece in source or piece.lower() in source.lower(), f"the guide quotes {quoted!r}; {piece!r} is not in generator/"


def test_skeletons_offer_the_fields_the_guide_says_they_do(tiny: Path) -> None:
    assert main(["new", "partnership", "--name", "Angus", "--project", str(tiny)]) == 0
    partnership = (tiny / "site-data/partnerships/angus.yaml").read_text()
    offered = re.search(r"Optional fields in the skeleton: (.*?)\n\n", section("Add a partnership"), re.S)
    assert offered
    for name in re.findall(r"`([a-z_]+)`", offered.group(1)):
        assert f"#{name}:" in partnership, name
    assert main(["new", "inspection", "--partnership", "fife", "--programme", "risk-2021", "--id", "fife-2030", "--project", str(tiny)]) == 0
    inspection = (tiny / "site-data/inspections/fife-2030.yaml").read_text()
    assert "Key messages, areas for improvement, evidence counts,\npractice examples and the conclusion each have an optional block" in GUIDE
    for block in ("key_messages", "areas_for_improvement", "evidence", "practice_examples", "conclusion", "corrections"):
        assert f"\n#{block}:" in inspection, block
    assert "(switch the block on if the\n   skeleton has it)" in GUIDE
    for kind, args in (("review", ["--programme", "risk-2021", "--id", "review-2030"]),
                       ("response", ["--inspection", "fife-2023", "--id", "fife-response-2030"]),
                       ("letter", ["--partnership", "fife", "--work-start", "2030", "--work-end", "2030", "--id", "fife-letter-2030"])):
        assert main(["new", kind, *args, "--project", str(tiny)]) == 0
        assert "\n#corrections:" in (tiny / f"site-data/{kind}s/{args[-1]}.yaml").read_text(), kind


# --- Writing the narrative: its examples do what the guide says ----------------------------------------------

NARRATIVE = section("Writing the narrative")
PUBLISHED_NARRATIVE = "content/narrative/inspections/north-lanarkshire-2023.md"


def _check_with_paragraph(tmp_path: Path, paragraph: str) -> tuple[object, str]:
    from generator.derive.site import check_site

    project = real_copy(tmp_path / "project")
    narrative = project / PUBLISHED_NARRATIVE
    narrative.write_text(narrative.read_text().replace("\n## ", f"\n{paragraph}\n\n## ", 1))
    data, derived, problems = check_site(project)
    return (data, derived), "\n".join(str(p) for p in problems.sorted())


def test_the_placeholder_example_becomes_numbers(tmp_path: Path) -> None:
    example = blocks(NARRATIVE, "markdown")[0].strip()
    assert example.count("{{ count:") == 2
    (data, derived), messages = _check_with_paragraph(tmp_path, example)
    assert derived is not None, messages
    assert PUBLISHED_NARRATIVE not in messages, messages
    assert "{{ count:" in data.narratives["north-lanarkshire-2023"].text  # as the editor wrote it
    text = derived.data.narratives["north-lanarkshire-2023"].text  # expanded by derive, for the page
    line = next(ln for ln in text.splitlines() if "partnerships were evaluated as good or better" in ln)
    assert re.fullmatch(r"\d+ of the \d+ partnerships were evaluated as good or better\.", line.strip()), line


def test_proportion_word_examples_pass_and_fail_as_the_guide_says(tmp_path: Path) -> None:
    verdict = re.search(r"So `(.+?)` is an error .*?while (.+?) pass\.", " ".join(NARRATIVE.split()))
    assert verdict, "the guide gives an example that fails and examples that pass"
    failing = verdict.group(1)
    passing = re.findall(r"`([^`]+)`", verdict.group(2))
    assert failing == "most (60%)" and len(passing) >= 4
    listed = [q for q in re.findall(r"`([^`]+)`", NARRATIVE.split("A figure is")[0].split("in the same sentence:")[1])
              if "(" in q]
    assert len(listed) >= 4  # the word-then-figure and figure-then-word forms
    sentences = [f"We found that {q} of the children were safe." for q in [*passing, *listed]]
    _result, messages = _check_with_paragraph(tmp_path / "pass", " ".join(sentences))
    assert "does not fit the figure" not in messages, messages
    _result, messages = _check_with_paragraph(tmp_path / "fail", f"We found that {failing} of the children were safe.")
    assert "'most' does not fit the figure beside it" in messages and "the majority" in messages, messages


def test_every_file_the_guide_names_exists_or_is_one_it_has_you_write() -> None:
    flat = " ".join(GUIDE.split())
    written = {path for clause in re.findall(r"writes (.+?)\. ", flat) for path in re.findall(r"`((?:site-data|content)/[^`]+)`", clause)}
    assert "site-data/inspections/angus-2026.yaml" in written
    for path in sorted(set(re.findall(r"`((?:site-data|content)/[^`\s]+)`", GUIDE))):
        if path.endswith("/") or path in written:
            continue
        assert (ROOT / path).exists(), f"the guide names {path}, which the real site does not have"
