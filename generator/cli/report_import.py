"""`python -m generator import REPORT --programme ID --partnership ID`: a draft inspection record from a published
report (PDF or text), with nothing invented.

The structure comes from data the site already has: the programme's statements or questions (matched by their
label, e.g. "Statement 1:"), the indicators it evaluates and its scale's words, the sections of the inspection
narrative skeleton (scaffolds/inspection.md) and the report's own contents page. Every value written is text found
in the report, with a comment giving its page; what is not found stays TODO and is listed at the top of the file
and printed; where the report allows two readings (two dates, two grades) both are given in a comment and neither
is chosen.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cli.report_text import Block, ReportTextError, blocks, read_pages
from generator.cli.scaffold import (
    CONTENT,
    DATA,
    SCAFFOLDS,
    Output,
    ScaffoldError,
    free_publication_id,
    levels_text,
    need,
    one_line,
    template,
    write_outputs,
    yaml_text,
)
from generator.model import models as m
from generator.model.load import SiteData, load_site_data

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTHS}) (\d{{4}})"
_FIELDWORK = re.compile(rf"took place between {_DATE} and {_DATE}")


@dataclass(frozen=True)
class Headings:
    """The headings of a programme's reports (its `report_headings`, data: models.ReportHeadings), as patterns."""

    key_messages: str
    conclusion: str
    next_steps: str
    evaluation_section: str
    """A heading starting with the evaluation line's first two words ('Evaluation of the impact ...') starts a section."""
    evaluation: re.Pattern[str]
    """A grade's line: the indicator's code, then the scale's word."""
    practice: re.Pattern[str]
    """A practice example's heading: its title."""

    @classmethod
    def of(cls, programme: m.Programme) -> Headings:
        words = programme.report_headings or m.ReportHeadings()
        return cls(_key(words.key_messages), _key(words.conclusion), _key(words.next_steps),
                   _key(" ".join(words.evaluation.split()[:2])),
                   re.compile(rf"^{re.escape(words.evaluation)}\s+([0-9][0-9.]*)\s*:\s*(.+?)\.?$", re.I),
                   re.compile(rf"^(?:good )?{re.escape(words.practice_example)}\s*:?\s*(.+)$", re.I))
_LINK = re.compile(r"\[([^\]]+)\]\(#\)")  # links whose address the text lost: kept as their words


def _iso(day: str, month: str, year: str) -> str:
    return f"{year}-{_MONTHS.split('|').index(month) + 1:02d}-{int(day):02d}"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(":?. ")


@dataclass
class Found:
    """What the report gives, each value with the page it was found on."""

    title: tuple[str, int] | None = None
    publisher: tuple[str, int, str] | None = None
    """Organisation id, page, the line that names it ("Prepared by the Care Inspectorate ...")."""
    published: tuple[str, int, str] | None = None
    published_choices: list[tuple[str, int]] = field(default_factory=list)
    fieldwork: tuple[str, str, int] | None = None
    fieldwork_choices: list[tuple[str, int]] = field(default_factory=list)
    key_messages: list[Block] = field(default_factory=list)
    question_messages: dict[str, list[Block]] = field(default_factory=dict)
    practice: list[tuple[str, str | None, int, list[Block]]] = field(default_factory=list)
    """Title, question ref, page of its heading, its blocks."""
    grades: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    """Indicator code: (the scale's word as printed, page, the line)."""
    evidence: list[tuple[int, Block]] = field(default_factory=list)
    evidence_unclear: list[Block] = field(default_factory=list)
    conclusion: Block | None = None
    factors: list[Block] = field(default_factory=list)
    next_steps: list[Block] = field(default_factory=list)
    sections: dict[str, list[Block]] = field(default_factory=dict)
    """Narrative sections ('## ' heading): their blocks."""
    missing: list[str] = field(default_factory=list)


# --- reading the report -----------------------------------------------------------------------------------------


def _contents(items: list[Block]) -> set[str]:
    """The report's own top-level headings, from its contents page ('Introduction 3 Key facts 5 ...')."""
    for block in items[:60]:
        if block.text.casefold().startswith("contents"):
            body = re.sub(r"^contents(\s+page)?\s*", "", block.text, flags=re.I)
            return {_key(t) for t in re.findall(r"(\D.*?)\s+\d{1,3}(?=\s|$)", body)}
    return set()


def _template_sections() -> list[str]:
    """The '## ' sections of the inspection narrative skeleton: the ones an import fills from the report."""
    return re.findall(r"(?m)^## (?!\$)(.+)$", (SCAFFOLDS / "inspection.md").read_text(encoding="utf-8"))


def read_report(items: list[Block], programme: m.Programme, data: SiteData) -> Found:
    found = Found()
    _title_page(items, found)
    _publisher(items, found, data)
    questions = {q.ref: q for q in programme.questions}
    heads = {_key(q.label): q.ref for q in programme.questions}
    question_head = re.compile(r"^(" + "|".join(sorted({re.escape(q.kind) for q in programme.questions}) or ["statement"]) + r")\s+(\w+)\s*[:.]?", re.I)
    contents = _contents(items)
    own_sections = _template_sections()
    heads_of = Headings.of(programme)
    top = contents | {_key(s) for s in own_sections}

    def question_of(block: Block) -> str | None:
        hit = question_head.match(block.text)
        if hit and block.heading or (hit and not block.bullet and len(block.text) < 400):
            assert hit is not None
            return heads.get(_key(f"{hit.group(1)} {hit.group(2)}"))
        return None

    def is_top(block: Block) -> bool:
        return (not block.bullet and (_key(block.text) in top or _key(block.text).startswith(heads_of.evaluation_section)
                                      or any(_key(block.text).startswith(c) for c in contents if c.startswith("appendix"))))

    section: str | None = None  # the narrative section being read, or None (not copied)
    where = ""  # what is being read: 'key messages', 'practice', 'conclusion', 'next steps', ''
    current_q: str | None = None
    for block in items:
        if block.text.casefold().startswith("contents"):
            continue
        ref = question_of(block)
        if ref is not None:
            current_q, where = ref, ""
            section = questions[ref].label
            found.sections.setdefault(section, [])
            continue
        if is_top(block) and _key(block.text) == heads_of.key_messages and current_q is not None:
            where = "question messages"  # a statement's own key messages: its section goes on after them
            continue
        if is_top(block):
            key, where, section, current_q = _key(block.text), "", None, None
            matches = [s for s in own_sections if _key(s) == key]
            if matches:
                section = matches[0]
                found.sections.setdefault(section, [])
            elif key == heads_of.key_messages:
                where = "" if found.key_messages else "key messages"  # the first list only
            elif key == heads_of.conclusion:
                where = "conclusion"
            elif key == heads_of.next_steps:
                where = "next steps"
        elif block.heading and _key(block.text) == heads_of.key_messages:
            where = "question messages" if current_q else ("" if found.key_messages else "key messages")
            continue
        if heads_of.evaluation.match(block.text):
            _grade(block, heads_of.evaluation, programme, data, found)
            continue
        if is_top(block):
            continue
        practice = heads_of.practice.match(block.text) if block.heading else None
        if practice:
            found.practice.append((practice.group(1).strip(), current_q, block.page, []))
            where = "practice"
            continue
        if block.heading and where in {"practice", "key messages", "question messages"}:
            where = ""  # a heading ends an example or a list of messages
        if where == "key messages":
            if block.bullet:
                found.key_messages.append(block)
                continue
            where = ""
        if where == "question messages" and current_q:
            if block.bullet:
                found.question_messages.setdefault(current_q, []).append(block)
                continue
            where = ""
        if where == "practice":
            found.practice[-1][3].append(block)
            continue
        if where == "conclusion":
            if block.bullet:
                found.factors.append(block)
            elif found.conclusion is None:
                found.conclusion = block
            continue
        if where == "next steps":
            if not block.heading:
                found.next_steps.append(block)
            continue
        if section is not None:
            found.sections[section].append(block)
            if section.casefold().startswith("how we"):
                _evidence(block, found)
    _fieldwork(items, found)
    return found


def _title_page(items: list[Block], found: Found) -> None:
    """Title and publication date from the title page: page 1 up to its contents (at most its first 12 blocks)."""
    page: list[Block] = []
    for block in items:
        if block.page != 1 or block.text.casefold().startswith("contents") or len(page) >= 12:
            break
        page.append(block)
    for block in page:
        text = block.text
        if (not block.bullet and not text.endswith(".") and text[:1].isupper() and "inspection" in text.casefold() and len(text) > 20
                and not text.casefold().startswith("prepared by")
                and not re.match(r"^[\w ()]{1,30}:\s", text)):
            found.title = (text, block.page)
            break
    dates = [(block, re.fullmatch(_DATE, block.text)) for block in page]
    alone = {(hit.group(0), block.page) for block, hit in dates if hit}
    if len({d for d, _p in alone}) == 1:
        (text, page_no), = sorted(alone)[:1]
        hit = re.fullmatch(_DATE, text)
        assert hit is not None
        found.published = (_iso(*hit.groups()), page_no, text)
    elif alone:
        found.published_choices = sorted(alone)


def _publisher(items: list[Block], found: Found, data: SiteData) -> None:
    """Who published the report, only where its title page says so ("Prepared by the Care Inspectorate", "Published
    by ..."), and only an organisation the site knows: never taken from the programme's lead."""
    for block in items[:12]:
        if block.page != 1:
            break
        hit = re.match(r"^(?:prepared|published)\s+by\s+(?:the\s+)?(.+)", block.text, re.I)
        if not hit:
            continue
        named = [org for org in data.organisations.values() if hit.group(1).casefold().startswith(org.name.casefold().removeprefix("the "))]
        if len(named) == 1:
            found.publisher = (named[0].id, block.page, block.text)
        return


def _fieldwork(items: list[Block], found: Found) -> None:
    hits = [(hit, block) for block in items for hit in _FIELDWORK.finditer(block.text)]
    readings = {(_iso(*h.groups()[:3]), _iso(*h.groups()[3:])) for h, _b in hits}
    if len(readings) == 1:
        (start, end), = readings
        found.fieldwork = (start, end, hits[0][1].page)
    found.fieldwork_choices = [(h.group(0), b.page) for h, b in hits] if len(readings) > 1 else []


def _grade(block: Block, pattern: re.Pattern[str], programme: m.Programme, data: SiteData, found: Found) -> None:
    hit = pattern.match(block.text)
    assert hit is not None
    code, word = hit.group(1).rstrip("."), hit.group(2).strip()
    framework = data.frameworks.get(programme.framework or "")
    scale = data.scales.get(programme.scale or "")
    if code not in programme.evaluates or framework is None or framework.indicator(code) is None:
        return  # an indicator this programme does not grade: not a value for this record
    if scale is None or _key(word) not in {_key(lv.label) for lv in scale.levels}:
        return
    found.grades.setdefault(code, []).append((word, block.page, block.text))


def _evidence(block: Block, found: Found) -> None:
    """A count of what inspectors did, only where the line states exactly one number."""
    if not block.bullet:
        return
    numbers = re.findall(r"(?<![\w.,])(\d[\d,]*)(?![\w.,%]|,\d)", block.text)
    if len(numbers) == 1 and "%" not in block.text:
        found.evidence.append((int(numbers[0].replace(",", "")), block))
    elif numbers:
        found.evidence_unclear.append(block)


# --- writing the draft ------------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A quotation in a comment: one line, shortened."""
    text = one_line(text)
    return f'"{text[:90]}{" …" if len(text) > 90 else ""}"'


def _scalar(text: str, indent: int) -> str:
    """A YAML value: one line plain or quoted, several paragraphs as a literal block."""
    if "\n" not in text:
        return " " + yaml_text(text)
    pad = " " * indent
    return " |\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))


def _paragraphs(items: list[Block]) -> str:
    return "\n\n".join(("- " if b.bullet else "") + _LINK.sub(r"\1", b.text) for b in items)


def _bullets(items: list[Block], indent: int) -> str:
    pad = " " * indent
    return "".join(f"{pad}# page {b.page}\n{pad}-{_scalar(b.text, indent + 2)}\n" for b in items)


def draft_yaml(found: Found, pid: str, partnership: m.Partnership, programme: m.Programme, data: SiteData,
               report: Path, narrative: str) -> str:
    missing = found.missing
    out: list[str] = []
    add = out.append
    if found.title:
        add(f"# page {found.title[1]}\ntitle:{_scalar(found.title[0], 2)}")
    else:
        missing.append("title: the report's title as published (not found on its title page)")
        add("title: TODO the report's title as published")
    add("# Drafts appear in `mkdocs serve` only; change to 'published' when every TODO is done and checked.")
    add("status: draft")
    add(f"partnership: {partnership.id}\nprogramme: {programme.id}")
    if found.publisher:
        org, page, line = found.publisher
        add(f"# page {page}: {_q(line)}\npublisher: {org}")
    else:
        missing.append("publisher: who published the report (its title page names no organisation this site knows)")
        # switched off: a draft waits for the editor's id (or `not_stated: [publisher]`), asked for when it is published
        add("#publisher: TODO the organisation that published the report, an id from site-data/organisations.yaml, "
            "or 'not_stated: [publisher]' where no source says")
    if found.published:
        iso, page, text = found.published
        add(f"# page {page}: {_q(text)}\npublished: {iso}")
    else:
        if found.published_choices:
            add("# The title page has more than one date; write the publication date (YYYY-MM-DD) if one of them is it:")
            add("\n".join(f"#   page {p}: {_q(t)}" for t, p in found.published_choices))
            missing.append("published: the title page gives " + " and ".join(t for t, _p in found.published_choices)
                           + "; choose the publication date")
        else:
            missing.append("published: the publication date (no date stands alone on the title page)")
        add("#published: TODO the publication date, YYYY-MM-DD")
    missing.append("summary: a summary for families in everyday words (never in a report: write it)")
    add("#summary: TODO a summary for families in everyday words")
    if found.fieldwork:
        start, end, page = found.fieldwork
        add(f"# page {page}: 'took place between ...'\nfieldwork_start: {start}\nfieldwork_end: {end}")
    else:
        for text, page in found.fieldwork_choices:
            add(f"# page {page}, one of several readings: {_q(text)}")
        missing.append("fieldwork_start, fieldwork_end: when the fieldwork took place")
        add("#fieldwork_start: TODO YYYY-MM-DD\n#fieldwork_end: TODO YYYY-MM-DD")
    add(f"narrative: {narrative}")
    add(_evaluations(found, programme, data))
    if found.evidence:
        add("# Counts where a line states one number; the label is the report's line: shorten it to what was counted.")
        add("evidence:")
        for count, block in found.evidence:
            add(f"  # page {block.page}\n  - label:{_scalar(block.text, 6)}\n    count: {count}")
    else:
        missing.append("evidence: what inspectors did, with numbers")
    for block in found.evidence_unclear:
        add(f"# page {block.page}: more than one number, so no count was taken: {_q(block.text)}")
        missing.append(f"evidence: the counts in a line with more than one number (page {block.page}): {one_line(block.text)}")
    if found.key_messages:
        add("key_messages:\n" + _bullets(found.key_messages, 2).rstrip("\n"))
    else:
        missing.append("key_messages: the list after the first 'Key messages' heading")
    groups = [(q.ref, found.question_messages.get(q.ref, [])) for q in programme.questions]
    if any(items for _ref, items in groups):
        add("question_messages:")
        for ref, items in groups:
            if items:
                add(f'  - question: "{ref}"\n    key_messages:\n' + _bullets(items, 6).rstrip("\n"))
    for ref, items in groups:
        if not items:
            missing.append(f"question_messages for {_label(programme, ref)}: its key messages")
    if found.practice:
        add("# Practice examples: up to the next heading; the report may not mark where an example ends, so check each.")
        add("practice_examples:")
        for title, question, page, items in found.practice:
            lines = [f"  # page {page}", f"  - title:{_scalar(title, 4)}"]
            if question:
                lines.append(f'    question: "{question}"')
            lines.append("    #themes: [TODO]")
            lines.append(f"    text:{_scalar(_paragraphs(items) or 'TODO the example as published', 6)}")
            add("\n".join(lines))
        missing.append("practice_examples: their themes (theme ids from site-data/themes.yaml)")
    else:
        missing.append("practice_examples: none found ('Practice example: TITLE' headings)")
    missing.append("areas_for_improvement and findings: the editor's reading of the report")
    if found.conclusion:
        add(f"# page {found.conclusion.page}\nconclusion:\n  summary:{_scalar(found.conclusion.text, 4)}")
        if found.factors:
            add("  factors:\n" + _bullets(found.factors, 4).rstrip("\n"))
    else:
        missing.append("conclusion: the inspectors' conclusion")
    if found.next_steps:
        add(f"# page {found.next_steps[0].page}\nnext_steps:{_scalar(_paragraphs(found.next_steps), 2)}")
    else:
        missing.append("next_steps: what happens next")
    for section in [*_template_sections(), *(q.label for q in programme.questions)]:
        if not found.sections.get(section):
            missing.append(f"narrative section '{section}': its text (content/{narrative})")
    head = [f"# A draft imported from {report.name} by python -m generator import; narrative: content/{narrative}",
            "# Every value below was found in the report, on the page its comment gives: check each against the report.",
            "# Not found in the report (write these, or leave them out):"]
    head += [f"#   - {item}" for item in missing]
    return "\n".join(head) + "\n\n" + "\n".join(out) + "\n"


def _label(programme: m.Programme, ref: str) -> str:
    return next((q.label for q in programme.questions if q.ref == ref), ref)


def _evaluations(found: Found, programme: m.Programme, data: SiteData) -> str:
    framework = data.frameworks.get(programme.framework or "")
    blocks_out = []
    for code in programme.evaluates:
        lines = found.grades.get(code, [])
        words = {_key(w) for w, _p, _t in lines}
        if len(words) == 1:
            word, page, text = lines[0]
            blocks_out.append(f'  # page {page}: {_q(text)}\n  - indicator: "{code}"\n    grade:{_scalar(word, 4)}')
            continue
        indicator = framework.indicator(code) if framework else None
        block = template("inspection-evaluation.yaml", code=code, indicator_title=one_line(indicator.title) if indicator else code,
                         levels=levels_text(data, programme))
        if lines:
            block = "".join(f"  # Two readings, neither chosen: page {p}: {_q(t)}\n" for _w, p, t in lines) + block
            found.missing.append(f"evaluations: indicator {code} is graded twice ({', '.join(w for w, _p, _t in lines)}); choose")
        else:
            found.missing.append(f"evaluations: the grade of quality indicator {code}")
        blocks_out.append(block.rstrip("\n"))
    if not blocks_out:
        return "# This programme grades no indicators."
    return "evaluations:\n" + "\n".join(blocks_out)


def draft_narrative(found: Found, programme: m.Programme) -> str:
    parts = []
    for section in [*_template_sections(), *(q.label for q in programme.questions)]:
        items = found.sections.get(section, [])
        body = []
        for block in items:
            text = _LINK.sub(r"\1", block.text)
            if block.heading and not block.bullet and not text.endswith((":", "?")) and len(text) < 100 and text[:1].isupper():
                body.append(f"### {text}")
            else:
                body.append(("- " if block.bullet else "") + text)
        if not body:
            body = [f"TODO the report's text for '{section}', or delete this heading."]
        text = "\n\n".join(body)
        text = re.sub(r"(?m)^(- .*)\n\n(?=- )", r"\1\n", text)  # a list's items together
        parts.append(f"## {section}\n\n{text}\n")
    return "\n".join(parts)


# --- the command -------------------------------------------------------------------------------------------------


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "import", help="draft an inspection record from a published report (PDF or .txt); nothing invented",
        description="Write a draft inspection record (status: draft) and its narrative from a published report: each "
                    "value found in the report with the page it is on; what is not found left as TODO and listed.")
    parser.add_argument("report", help="the report: a PDF, or its text as a .txt file")
    parser.add_argument("--programme", required=True, help="the programme's id, e.g. at-risk-of-harm-2021")
    parser.add_argument("--partnership", required=True, help="the partnership's id, e.g. north-lanarkshire")
    parser.add_argument("--id", help="the new record's id (default: PARTNERSHIP-YEAR, the year it was published)")
    parser.add_argument("--project", default=".", help="the project folder (default: the current folder)")


def run(args: argparse.Namespace) -> int:
    try:
        written, missing = import_report(Path(args.project), Path(args.report), args)
    except ReportTextError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for out in written:
        print(f"wrote {out.path}")
    if missing:
        print(f"Not found in {args.report} (TODO in the draft, listed at the top of {written[0].path}):")
        print("\n".join(f"  - {item}" for item in missing))
    print("Next: check every value against the report (each comment gives its page), replace each TODO, "
          "then run: .venv/bin/python -m generator check")
    return 0


def import_report(project: Path, report: Path, args: argparse.Namespace,
                  log: Callable[[str], None] = lambda _s: None) -> tuple[list[Output], list[str]]:
    if not (project / DATA).is_dir():
        raise ScaffoldError(f"no {DATA}/ folder in {project}: run this in the project folder, or pass --project")
    data, _problems = load_site_data(project)
    hint = " Add it first with: .venv/bin/python -m generator new partnership --name \"Area name\""
    partnership: m.Partnership = need(data.partnerships, args.partnership, "partnership", "--partnership", hint)
    programme: m.Programme = need(data.programmes, args.programme, "programme", "--programme")
    items = blocks(read_pages(report))
    if not items:
        raise ReportTextError(f"{report}: error: no text found (a scanned PDF?); give a PDF with text, or its text as a .txt file")
    found = read_report(items, programme, data)
    year = found.published[0][:4] if found.published else None
    if not args.id and year is None:
        raise ScaffoldError("the report's publication date was not found, so no id can be made from it: give one with --id")
    pid = free_publication_id(data, args.id or f"{partnership.id}-{year}")
    narrative = f"narrative/inspections/{pid}.md"
    text = draft_yaml(found, pid, partnership, programme, data, report, narrative)
    outputs = [Output(f"{DATA}/inspections/{pid}.yaml", text, m.Inspection, pid),
               Output(f"{CONTENT}/{narrative}", draft_narrative(found, programme))]
    write_outputs(project, outputs)
    log(pid)
    return outputs, found.missing
