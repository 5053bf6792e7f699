"""`python -m generator new KIND ...`: start a new record from a skeleton that the check accepts.

The skeletons are plain text files in generator/cli/scaffolds/, filled in with
`string.Template` (`$name`). Each explains its fields in `# ` comments taken from
the field docstrings in models.py, marks what the editor must write with TODO,
and, for publications, starts as `status: draft`. Nothing is ever overwritten:
if a file is already there, nothing is written at all. Ids follow the loader's
rule (load.SAFE_ID), and everything a skeleton names (partnership, programme,
framework, ...) must already exist, so `python -m generator check` accepts the
result straight away.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from generator.base.errors import Problems, format_problems
from generator.base.urls import slugify
from generator.model import models as m
from generator.model.convert import convert_record, is_bad
from generator.model.dates import PartialDate
from generator.model.load import SAFE_ID, SiteData, load_site_data
from generator.model.yamlnodes import parse_yaml

SCAFFOLDS = Path(__file__).parent / "scaffolds"
DATA = "site-data"
CONTENT = "content"


class ScaffoldError(Exception):
    """A problem with what the editor asked for; printed as one clean message, never a traceback."""


@dataclass
class Output:
    path: str
    """Relative to the project folder."""
    text: str
    record_class: type | None = None
    """The class the YAML must load as (None for Markdown)."""
    record_id: str | None = None
    append: bool = False
    """Add to the end of an existing file instead of creating one (themes.yaml, organisations.yaml, documents.yaml)."""
    container: str = "themes"
    """For an append: the list the file holds ('themes', 'organisations', 'documents')."""


# --- helpers ---------------------------------------------------------------------------------


def template(file: str, /, **values: Any) -> str:
    return Template((SCAFFOLDS / file).read_text(encoding="utf-8")).substitute(values)


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .,'&()/-]*$")


def yaml_text(value: str) -> str:
    """A YAML scalar holding `value` exactly: plain where that is safe, double-quoted otherwise."""
    value = " ".join(value.split())
    if _PLAIN.match(value) and not value.endswith(" ") and value.lower() not in {"true", "false", "null", "yes", "no", "on", "off", "~"}:
        return value
    return json.dumps(value, ensure_ascii=False)


def yaml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def one_line(value: str) -> str:
    """Text for a `# ` comment or a Markdown heading: one line."""
    return " ".join(value.split())


def check_id(value: str, what: str) -> str:
    if not SAFE_ID.match(value):
        raise ScaffoldError(f"{what} '{value}' is not a safe id: use lower-case letters, digits and single hyphens (e.g. fife-2025)")
    return value


def need(pool: dict[str, Any], value: str, what: str, option: str, hint: str = "") -> Any:
    """The record `value` names in `pool`, or a clean error saying what exists."""
    if value in pool:
        return pool[value]
    close = difflib.get_close_matches(value, list(pool), n=3)
    known = f"Did you mean: {', '.join(close)}?" if close else (
        f"Known: {', '.join(sorted(pool)[:15])}{' …' if len(pool) > 15 else ''}." if pool else "None exist yet.")
    raise ScaffoldError(f"{option} {value}: there is no {what} '{value}'. {known}{hint}")


def parse_date(value: str, option: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise ScaffoldError(f"{option}: {exc}") from None


def codes(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def levels_text(data: SiteData, programme: m.Programme) -> str:
    scale = data.scales.get(programme.scale or "")
    if scale is None:
        return "this programme has no scale"
    return ", ".join(f"{lv.value} {lv.label}" for lv in sorted(scale.levels, key=lambda lv: -lv.value))


def question_sections(programme: m.Programme) -> str:
    return "".join(template("question-section.md", label=q.label, text=one_line(q.text or "")) for q in programme.questions)


def free_publication_id(data: SiteData, pub_id: str) -> str:
    check_id(pub_id, "id")
    if pub_id in data.publications or pub_id in data.documents:
        raise ScaffoldError(f"id '{pub_id}' is already used by another publication: choose another with --id")
    return pub_id


def publisher_line(args: argparse.Namespace, data: SiteData) -> str:
    """A publication's `publisher`: as the editor gave it (--publisher), else switched off with a TODO. Never the
    programme's lead: who leads a programme is not who published a report (a draft may not name an organisation that
    does not exist, so the line waits, switched off, for the editor's id)."""
    if args.publisher:
        need(data.organisations, args.publisher, "organisation", "--publisher", " Organisations are listed in site-data/organisations.yaml.")
        return f"publisher: {args.publisher}"
    return "#publisher: TODO the organisation id of the body that published it, as the source states it (e.g. care-inspectorate)"


def today() -> dt.date:
    return dt.date.today()


# --- the kinds ---------------------------------------------------------------------------------


def new_partnership(args: argparse.Namespace, data: SiteData) -> list[Output]:
    name = one_line(args.name)
    pid = slugify(name)
    if not pid:
        raise ScaffoldError(f"--name '{args.name}': a partnership's name needs letters")
    check_id(pid, "the id made from the name,")
    if pid in data.partnerships:
        raise ScaffoldError(f"partnership '{pid}' already exists: {DATA}/partnerships/{pid}.yaml")
    council = yaml_text(args.council) if args.council else "TODO the council, e.g. Perth & Kinross Council"
    text = template("partnership.yaml", id=pid, name=yaml_text(name), council=council)
    return [Output(f"{DATA}/partnerships/{pid}.yaml", text, m.Partnership, pid)]


def _optional_line(field: str, value: str | None, example: str) -> str:
    return f"{field}: {value}" if value else f"#{field}: {example}"


def new_programme(args: argparse.Namespace, data: SiteData) -> list[Output]:
    pid = check_id(args.id, "--id")
    if pid in data.programmes:
        raise ScaffoldError(f"programme '{pid}' already exists: {DATA}/programmes/{pid}.yaml")
    start = parse_date(args.start, "--start")
    end = parse_date(args.end, "--end") if args.end else None
    if end is not None and end.latest < start.earliest:
        raise ScaffoldError(f"--end {end.iso()} is before --start {start.iso()}")
    if args.lead:
        need(data.organisations, args.lead, "organisation", "--lead", " Organisations are listed in site-data/organisations.yaml.")
    partners = codes(args.partners)
    for org in partners:
        need(data.organisations, org, "organisation", "--partners")
    framework = need(data.frameworks, args.framework, "framework", "--framework") if args.framework else None
    if args.scale:
        need(data.scales, args.scale, "evaluation scale", "--scale")
    if args.proportion_words:
        need(data.proportion_words, args.proportion_words, "set of proportion words", "--proportion-words")
    evaluates = codes(args.evaluates)
    if evaluates and framework is None:
        raise ScaffoldError("--evaluates needs --framework: the indicators are the framework's")
    if evaluates and not args.scale:
        raise ScaffoldError("--evaluates needs --scale: a programme that grades indicators grades them on a scale")
    for code in evaluates:
        assert framework is not None  # refused above: --evaluates without --framework
        if framework.indicator(code) is None:
            raise ScaffoldError(f"--evaluates {code}: framework '{framework.id}' has no indicator '{code}'; "
                                f"it has: {', '.join(i.code for i in framework.indicators)}")
    first = sorted(data.frameworks)[0] if data.frameworks else "TODO"
    text = template(
        "programme.yaml", id=pid, start=start.iso(),
        kind=args.programme_kind or "TODO inspection, or supported-self-evaluation for improvement work that gives no grades",
        lead=args.lead or yaml_text("TODO the organisation id of the lead body, e.g. care-inspectorate; where no source says "
                                    "which body led it, delete this line and write not_stated: [lead]"),
        end_line=_optional_line("end", end.iso() if end else None, str(max(start.year, today().year) + 1)),
        partners_line=_optional_line("partners", yaml_list(partners) if partners else None, "[education-scotland]"),
        framework_line=_optional_line("framework", args.framework, first),
        scale_line=_optional_line("scale", args.scale, sorted(data.scales)[0] if data.scales else "six-point"),
        proportion_words_line=_optional_line("proportion_words", args.proportion_words,
                                             sorted(data.proportion_words)[0] if data.proportion_words else "standard-terms"),
        evaluates_line=_optional_line("evaluates", yaml_list(evaluates) if evaluates else None, '["2.1"]'),
    )
    return [Output(f"{DATA}/programmes/{pid}.yaml", text, m.Programme, pid)]


def new_inspection(args: argparse.Namespace, data: SiteData) -> list[Output]:
    hint = " Add it first with: .venv/bin/python -m generator new partnership --name \"Area name\""
    partnership: m.Partnership = need(data.partnerships, args.partnership, "partnership", "--partnership", hint)
    programme: m.Programme = need(data.programmes, args.programme, "programme", "--programme")
    pid = free_publication_id(data, args.id or f"{partnership.id}-{today().year}")
    framework = data.frameworks.get(programme.framework or "")
    blocks = []
    for code in programme.evaluates:
        indicator = framework.indicator(code) if framework else None
        blocks.append(template("inspection-evaluation.yaml", code=code, indicator_title=one_line(indicator.title) if indicator else code,
                               levels=levels_text(data, programme)))
    evaluations = "evaluations:\n" + "".join(blocks) if blocks else "# This programme grades no indicators, so there are none to fill in."
    narrative = f"narrative/inspections/{pid}.md"
    text = template(
        "inspection.yaml", id=pid, partnership=partnership.id, partnership_name=one_line(partnership.name),
        programme=programme.id, programme_title=one_line(programme.short_title), publisher_line=publisher_line(args, data),
        narrative=narrative, evaluations=evaluations.rstrip("\n"), today=today().isoformat(),
    )
    prose = template("inspection.md", question_sections=question_sections(programme))
    return [Output(f"{DATA}/inspections/{pid}.yaml", text, m.Inspection, pid), Output(f"{CONTENT}/{narrative}", prose)]


def new_review(args: argparse.Namespace, data: SiteData) -> list[Output]:
    programme: m.Programme = need(data.programmes, args.programme, "programme", "--programme")
    pid = free_publication_id(data, args.id or f"review-{programme.id}")
    narrative = f"narrative/reviews/{pid}.md"
    text = template(
        "review.yaml", id=pid, programme=programme.id, programme_title=one_line(programme.short_title),
        publisher_line=publisher_line(args, data), narrative=narrative,
        evaluates=yaml_list(programme.evaluates or ["2.1"]), today=today().isoformat(),
    )
    prose = template("review.md", question_sections=question_sections(programme))
    return [Output(f"{DATA}/reviews/{pid}.yaml", text, m.Review, pid), Output(f"{CONTENT}/{narrative}", prose)]


def new_response(args: argparse.Namespace, data: SiteData) -> list[Output]:
    inspection: m.Inspection = need(data.inspections, args.inspection, "inspection", "--inspection")
    partnership = data.partnerships.get(inspection.partnership)
    pid = free_publication_id(data, args.id or f"{inspection.partnership}-response-{today().year}")
    narrative = f"narrative/responses/{pid}.md"
    text = template(
        "response.yaml", id=pid, partnership=inspection.partnership,
        partnership_name=one_line(partnership.name) if partnership else inspection.partnership,
        inspection=inspection.id, narrative=narrative, today=today().isoformat(),
    )
    return [Output(f"{DATA}/responses/{pid}.yaml", text, m.Response, pid), Output(f"{CONTENT}/{narrative}", template("response.md"))]


def new_letter(args: argparse.Namespace, data: SiteData) -> list[Output]:
    partnership: m.Partnership = need(data.partnerships, args.partnership, "partnership", "--partnership")
    programme: m.Programme | None = need(data.programmes, args.programme, "programme", "--programme") if args.programme else None
    start, end = parse_date(args.work_start, "--work-start"), parse_date(args.work_end, "--work-end")
    if end.latest < start.earliest:
        raise ScaffoldError(f"--work-end {end.iso()} is before --work-start {start.iso()}")
    pid = free_publication_id(data, args.id or f"{partnership.id}-self-evaluation-{today().year}")
    narrative = f"narrative/letters/{pid}.md"
    text = template(
        "letter.yaml", id=pid, partnership=partnership.id, partnership_name=one_line(partnership.name),
        programme_line=_optional_line("programme", programme.id if programme else None, "supported-self-evaluation-2021"),
        publisher_line=publisher_line(args, data), work_start=start.iso(), work_end=end.iso(), narrative=narrative,
        today=today().isoformat(),
    )
    return [Output(f"{DATA}/letters/{pid}.yaml", text, m.Letter, pid), Output(f"{CONTENT}/{narrative}", template("letter.md"))]


def new_glossary_term(args: argparse.Namespace, data: SiteData) -> list[Output]:
    term = one_line(args.term)
    tid = check_id(args.id or slugify(term), "--id" if args.id else "the id made from the term,")
    if tid in data.glossary:
        raise ScaffoldError(f"the glossary already has '{tid}' ({data.glossary[tid].at.path}): "
                            "to add another publication's definition, add it to that entry's 'definitions'")
    if args.source not in data.publications and args.source not in data.documents:
        need({**data.publications, **data.documents}, args.source, "publication", "--source")
    text = template("glossary-term.yaml", id=tid, term=yaml_text(term), source=args.source)
    return [Output(f"{DATA}/glossary/{tid}.yaml", text, m.Glossary)]


def new_theme(args: argparse.Namespace, data: SiteData) -> list[Output]:
    title = one_line(args.title)
    tid = check_id(args.id or slugify(title), "--id" if args.id else "the id made from the title,")
    if tid in data.themes:
        raise ScaffoldError(f"theme '{tid}' already exists in {DATA}/themes.yaml")
    description = yaml_text(args.description) if args.description else "TODO one or two sentences saying what the theme covers"
    fragment = template("theme.yaml", id=tid, title=title, title_yaml=yaml_text(title), description=description)
    return [Output(f"{DATA}/themes.yaml", fragment, m.Themes, append=True)]


def _id_from(args: argparse.Namespace, title: str) -> str:
    return check_id(args.id or slugify(title), "--id" if args.id else "the id made from the title,")


def new_framework(args: argparse.Namespace, data: SiteData) -> list[Output]:
    fid = check_id(args.id, "--id")
    if fid in data.frameworks:
        raise ScaffoldError(f"framework '{fid}' already exists: {DATA}/frameworks/{fid}.yaml")
    if args.publisher:
        need(data.organisations, args.publisher, "organisation", "--publisher", " Add it first with: .venv/bin/python -m generator new organisation")
    pairs = [item.split("=", 1) for item in (x.strip() for x in (args.indicators or "").split(";")) if item]
    for pair in pairs:
        if len(pair) != 2 or not pair[0].strip() or not pair[1].strip():
            raise ScaffoldError("--indicators: write each as CODE=Title, separated by ';' "
                                f"(e.g. \"2.1=Impact on children and young people\"), not {'='.join(pair)!r}")
    codes_seen = [c.strip() for c, _t in pairs]
    if len(set(codes_seen)) != len(codes_seen):
        raise ScaffoldError("--indicators: each code once")
    indicators = "".join(template("framework-indicator.yaml", code=c.strip(), title=yaml_text(t)) for c, t in pairs) or template(
        "framework-indicator.yaml", code="TODO", title="TODO the indicator's title")
    # nothing invented: without --title or --publisher the editor writes it, or records that no source gives it
    title_line = "title: " + yaml_text(args.title or "TODO the framework's title as published; where no source gives it, "
                                                     "delete this line and write not_stated: [title]")
    publisher = args.publisher or yaml_text("TODO the organisation id of its publisher, e.g. care-inspectorate; where no "
                                            "source says who published it, delete this line and write not_stated: [publisher]")
    text = template("framework.yaml", id=fid, title_line=title_line, publisher=publisher, today=today().isoformat(),
                    indicators=indicators.rstrip("\n"))
    return [Output(f"{DATA}/frameworks/{fid}.yaml", text, m.Framework, fid)]


def _source(data: SiteData, value: str | None) -> str:
    if value is None:
        return ""
    need({**data.publications, **data.documents}, value, "publication or document", "--source",
         " A document the site does not publish can be added with: .venv/bin/python -m generator new document")
    return value


def new_scale(args: argparse.Namespace, data: SiteData) -> list[Output]:
    sid = check_id(args.id, "--id")
    if sid in data.scales:
        raise ScaffoldError(f"scale '{sid}' already exists: {DATA}/scales/{sid}.yaml")
    levels = []
    for item in (x.strip() for x in args.levels.split(",")):
        number, _, label = item.partition(" ")
        if not number.isdigit() or not label.strip():
            raise ScaffoldError(f"--levels: write each level as its number and word, separated by commas "
                                f"(e.g. \"4 Strong, 3 Effective, 2 Limited, 1 Weak\"), not {item!r}")
        levels.append((int(number), one_line(label)))
    if len({n for n, _ in levels}) != len(levels) or len({w.lower() for _, w in levels}) != len(levels):
        raise ScaffoldError("--levels: each number and each word once")
    text = template("scale.yaml", id=sid, name=yaml_text(args.name), source=_source(data, args.source),
                    example=levels[0][1], levels="".join(
                        template("scale-level.yaml", value=n, label=yaml_text(w), label_note=w.replace("'", "")) for n, w in levels).rstrip("\n"))
    return [Output(f"{DATA}/scales/{sid}.yaml", text, m.EvaluationScale, sid)]


def new_proportion_words(args: argparse.Namespace, data: SiteData) -> list[Output]:
    wid = check_id(args.id, "--id")
    if wid in data.proportion_words:
        raise ScaffoldError(f"proportion words '{wid}' already exist: {DATA}/proportion-words/{wid}.yaml")
    text = template("proportion-words.yaml", id=wid, name=yaml_text(args.name), source=_source(data, args.source))
    return [Output(f"{DATA}/proportion-words/{wid}.yaml", text, m.ProportionWords, wid)]


def new_organisation(args: argparse.Namespace, data: SiteData) -> list[Output]:
    name = one_line(args.name)
    oid = _id_from(args, name)
    if oid in data.organisations:
        raise ScaffoldError(f"organisation '{oid}' already exists in {DATA}/organisations.yaml")
    text = template("organisation.yaml", id=oid, name=name, name_yaml=yaml_text(name),
                    abbreviation_line="    " + _optional_line("abbreviation", yaml_text(args.abbreviation) if args.abbreviation else None, "TODO e.g. HMICS"),
                    url_line="    " + _optional_line("url", args.url, "https://www.example.org/"))
    return [Output(f"{DATA}/organisations.yaml", text, m.Organisations, append=True, container="organisations")]


def new_document(args: argparse.Namespace, data: SiteData) -> list[Output]:
    title = one_line(args.title)
    did = _id_from(args, title)
    if did in data.documents or did in data.publications:
        raise ScaffoldError(f"id '{did}' is already used by a document or publication: choose another with --id")
    if args.publisher:
        need(data.organisations, args.publisher, "organisation", "--publisher")
    published = parse_date(args.published, "--published").iso() if args.published else None
    text = template("document.yaml", id=did, title=title, title_yaml=yaml_text(title),
                    publisher_line="    " + _optional_line("publisher", args.publisher, "care-inspectorate"),
                    published_line="    " + _optional_line("published", published, str(today().year)),
                    url_line="    " + _optional_line("url", args.url, "https://www.careinspectorate.com/"),
                    note="TODO why it is listed, e.g. cited by a review; not held by this site")
    return [Output(f"{DATA}/documents.yaml", text, m.Documents, append=True, container="documents")]


# --- command line ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    help: str
    description: str
    build: Callable[[argparse.Namespace, SiteData], list[Output]]
    options: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]


def _opt(*flags: str, **kwargs: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return flags, kwargs


_ID = _opt("--id", help="the new record's id (lower-case letters, digits, single hyphens); its files are named after it")

_PUBLISHER = _opt("--publisher", help="organisation id of the body that published it, as the source states it (left to "
                                      "write, marked TODO, if not given: never taken from the programme's lead)")

KINDS: dict[str, Kind] = {
    "partnership": Kind(
        "a community planning partnership (one per council area)",
        "Writes site-data/partnerships/ID.yaml, where ID comes from the name ('Perth and Kinross' -> perth-and-kinross). "
        "Partnerships have no draft status: the page is published as soon as the file exists.",
        new_partnership,
        (_opt("--name", required=True, help="the area's name as readers know it, e.g. 'Perth and Kinross'"),
         _opt("--council", help="the council, e.g. 'Perth & Kinross Council' (left as TODO if not given)")),
    ),
    "programme": Kind(
        "an inspection or improvement programme, with its framework and scale",
        "Writes site-data/programmes/ID.yaml. The framework, scale and proportion words must already exist in "
        "site-data/frameworks/, scales/ and proportion-words/ (copy an existing file to add a new one). "
        "Programmes have no draft status: replace every TODO before you build.",
        new_programme,
        (_opt("--id", required=True, help="the programme's id, e.g. at-risk-of-harm-2025"),
         _opt("--start", required=True, help="when it started: YYYY-MM-DD, YYYY-MM or YYYY"),
         _opt("--end", help="when it ended (leave out while it is running): YYYY-MM-DD, YYYY-MM or YYYY"),
         _opt("--kind", dest="programme_kind", choices=["inspection", "supported-self-evaluation"],
              help="'inspection', or 'supported-self-evaluation' for improvement work that gives no grades (left as TODO if not given)"),
         _opt("--lead", help="organisation id of the lead body, as the sources state it (left as TODO if not given)"),
         _opt("--partners", help="organisation ids of the scrutiny partners, separated by commas"),
         _opt("--framework", help="the quality framework's id (a file in site-data/frameworks/)"),
         _opt("--scale", help="the evaluation scale's id, e.g. six-point; leave out if the programme gives no grades"),
         _opt("--proportion-words", help="the proportion words' id, e.g. standard-terms"),
         _opt("--evaluates", help="codes of the indicators it grades, separated by commas, e.g. 2.1,2.2")),
    ),
    "inspection": Kind(
        "a joint inspection report of one partnership (a draft, with its narrative)",
        "Writes site-data/inspections/ID.yaml (status: draft) with one evaluation to fill in for each indicator the "
        "programme grades, and content/narrative/inspections/ID.md with a section for each of the programme's "
        "questions or statements. ID defaults to PARTNERSHIP-YEAR.",
        new_inspection,
        (_opt("--partnership", required=True, help="the partnership's id, e.g. fife"),
         _opt("--programme", required=True, help="the programme's id, e.g. at-risk-of-harm-2021"), _PUBLISHER, _ID),
    ),
    "review": Kind(
        "a review of one programme's findings (a draft, with its narrative)",
        "Writes site-data/reviews/ID.yaml (status: draft) and content/narrative/reviews/ID.md with the programme's "
        "questions as sections. ID defaults to review-PROGRAMME. Its table of grades is built from the inspections.",
        new_review,
        (_opt("--programme", required=True, help="the programme it reviews"), _PUBLISHER, _ID),
    ),
    "response": Kind(
        "a partnership's response to an inspection, with an action plan (a draft, with its narrative)",
        "Writes site-data/responses/ID.yaml (status: draft) with a first action plan item, and "
        "content/narrative/responses/ID.md. ID defaults to PARTNERSHIP-response-YEAR.",
        new_response,
        (_opt("--inspection", required=True, help="the id of the inspection it responds to"), _ID),
    ),
    "letter": Kind(
        "a supported self-evaluation letter (no grades; a draft, with its narrative)",
        "Writes site-data/letters/ID.yaml (status: draft) and content/narrative/letters/ID.md. "
        "ID defaults to PARTNERSHIP-self-evaluation-YEAR.",
        new_letter,
        (_opt("--partnership", required=True, help="the partnership's id"),
         _opt("--work-start", required=True, help="when the work it describes started: YYYY-MM-DD, YYYY-MM or YYYY"),
         _opt("--work-end", required=True, help="when that work ended"),
         _opt("--programme", help="the programme it belongs to, if any, e.g. supported-self-evaluation-2021"), _PUBLISHER, _ID),
    ),
    "glossary-term": Kind(
        "a glossary term with its definition",
        "Writes site-data/glossary/ID.yaml, where ID comes from the term unless --id is given. Uses of the term in "
        "narrative then link to it. Glossary terms have no draft status: replace the TODO before you build.",
        new_glossary_term,
        (_opt("--term", required=True, help="the term as readers see it, e.g. 'Inter-agency referral discussion'"),
         _opt("--source", required=True, help="the id of the publication that defines it"), _ID),
    ),
    "theme": Kind(
        "a theme followed across publications",
        "Adds the theme to the end of site-data/themes.yaml (nothing already there is changed). ID comes from the "
        "title unless --id is given.",
        new_theme,
        (_opt("--title", required=True, help="the theme's title, e.g. 'Chronologies'"),
         _opt("--description", help="one or two sentences saying what it covers (left as TODO if not given)"), _ID),
    ),
    "organisation": Kind(
        "an inspection or scrutiny body (publisher, lead or partner of programmes)",
        "Adds the organisation to the end of site-data/organisations.yaml (nothing already there is changed). ID comes "
        "from the name unless --id is given; programmes, frameworks and publications name it by that id.",
        new_organisation,
        (_opt("--name", required=True, help="its name, e.g. 'Care Inspectorate'"),
         _opt("--abbreviation", help="e.g. HMICS"), _opt("--url", help="its web address, https://..."), _ID),
    ),
    "framework": Kind(
        "a quality framework: the indicators programmes grade",
        "Writes site-data/frameworks/ID.yaml with one block for each indicator given (or one to fill in). "
        "Frameworks have no draft status: replace every TODO before you build.",
        new_framework,
        (_opt("--id", required=True, help="the framework's id, e.g. care-and-protection-2025"),
         _opt("--title", help="its title as published; leave out when no source gives it (the file then says not_stated: [title])"),
         _opt("--publisher", help="organisation id of the publisher, as the sources state it (left as TODO if not given)"),
         _opt("--indicators", help="the indicators as CODE=Title, separated by ';', e.g. \"2.1=Impact on children and young people;2.2=Impact on families\"")),
    ),
    "scale": Kind(
        "an evaluation scale: the numbers and words grades are given in",
        "Writes site-data/scales/ID.yaml with one block for each level; write each level's meaning in place of its TODO. "
        "Scales have no draft status: replace every TODO before you build.",
        new_scale,
        (_opt("--id", required=True, help="the scale's id, e.g. four-point"),
         _opt("--name", required=True, help="its name, e.g. 'Four-point scale'"),
         _opt("--levels", required=True, help="each level's number and word, separated by commas, e.g. \"4 Strong, 3 Effective, 2 Limited, 1 Weak\""),
         _opt("--source", help="the id of the publication or document that sets out the scale")),
    ),
    "proportion-words": Kind(
        "the words a programme's reports use for proportions ('few', 'most', ...)",
        "Writes site-data/proportion-words/ID.yaml with one band to fill in; add one '- word:' block per word. "
        "They have no draft status: replace every TODO before you build.",
        new_proportion_words,
        (_opt("--id", required=True, help="their id, e.g. standard-terms-2025"),
         _opt("--name", required=True, help="their name, e.g. 'Standard terms for proportions'"),
         _opt("--source", required=True, help="the id of the publication or document that defines them")),
    ),
    "document": Kind(
        "a publication the site cites but does not publish (an earlier review, a framework's source)",
        "Adds the document to the end of site-data/documents.yaml (nothing already there is changed). ID comes "
        "from the title unless --id is given. Documents have no draft status: replace the TODO before you build.",
        new_document,
        (_opt("--title", required=True, help="its title as published"),
         _opt("--publisher", help="organisation id of the publisher"),
         _opt("--published", help="when it was published: YYYY-MM-DD, YYYY-MM or YYYY"),
         _opt("--url", help="where it is published, https://..."), _ID),
    ),
}


def add_parser(sub: Any) -> None:
    """Add `new` and its kinds to the CLI's subcommands."""
    new = sub.add_parser(
        "new", help="start a new record from a skeleton (see: new --help)",
        description="Write the skeleton of a new record: YAML with a note on every field, and for publications a "
                    "narrative Markdown file. Publications start as drafts (status: draft). Existing files are never "
                    "overwritten. Replace each TODO, then run: .venv/bin/python -m generator check",
        epilog="See 'python -m generator new KIND --help' for each kind's options.",
    )
    kinds_sub = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    for name, kind in KINDS.items():
        parser = kinds_sub.add_parser(name, help=kind.help, description=f"New {name}: {kind.help}. {kind.description}")
        for flags, kwargs in kind.options:
            parser.add_argument(*flags, **kwargs)
        parser.add_argument("--project", default=".", help="the project folder (default: the current folder)")


def run(args: argparse.Namespace) -> int:
    project = Path(args.project)
    try:
        written = scaffold(project, args.kind, args)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for out in written:
        print(f"{'added to' if out.append else 'wrote'} {out.path}")
    print("Next: replace each TODO (the notes in the files say what goes where), then run: .venv/bin/python -m generator check")
    return 0


def scaffold(project: Path, kind: str, args: argparse.Namespace) -> list[Output]:
    """Build the files for `kind` and write them; raises ScaffoldError (writing nothing) on any problem."""
    if not (project / DATA).is_dir():
        raise ScaffoldError(f"no {DATA}/ folder in {project}: run this in the project folder, or pass --project")
    data, _problems = load_site_data(project)
    outputs = KINDS[kind].build(args, data)
    write_outputs(project, outputs)
    return outputs


def write_outputs(project: Path, outputs: list[Output]) -> None:
    """Write the files, each checked to load first; nothing at all if one is already there or would not load."""
    for out in outputs:
        target = project / out.path
        if not out.append and target.exists():
            raise ScaffoldError(f"{out.path} already exists: nothing was written (choose another --id, or edit that file)")
    final = [(out, _final_text(project, out)) for out in outputs]
    for out, text in final:
        target = project / out.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if out.append and target.exists():
                with target.open("a", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                with target.open("x", encoding="utf-8") as fh:
                    fh.write(text)
        except OSError as exc:
            raise ScaffoldError(f"could not write {out.path}: {exc.strerror or exc}") from None


def _todo_left(text: str) -> bool:
    return any(line.lstrip().split(":", 1)[-1].strip().startswith("TODO") for line in text.splitlines()
               if not line.lstrip().startswith("#"))


def _final_text(project: Path, out: Output) -> str:
    """The text to write (for an append: the text to add), checked to load as its record class."""
    whole = out.text
    added = out.text
    if out.append:
        target = project / out.path
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        if not existing.strip():
            added = f"{out.container}:\n" + out.text
            whole = added
        else:
            indent = re.search(r"(?m)^( *)- ", existing)
            shift = (len(indent.group(1)) if indent else 2) - 2
            body = "\n".join((" " * shift + line) if line and shift > 0 else line for line in out.text.splitlines()) + "\n"
            added = ("" if existing.endswith("\n") else "\n") + body
            whole = existing + added
    if out.record_class is not None:
        problems = Problems()
        node, parse_problems = parse_yaml(whole, out.path)
        problems.extend(parse_problems)
        if node is not None and not problems.errors:
            converted = convert_record(node, out.record_class, problems, "the file", record_id=out.record_id)
            # a TODO where a number or one of a few words belongs is the editor's to replace: the check refuses it
            # (with what to write) until it is, and nothing else may be wrong
            problems.items = [p for p in problems.items if " still says TODO: " not in p.message]
            if is_bad(converted) and not problems.errors and not _todo_left(whole):
                problems.add(node.at, "does not load")
        if problems.errors:
            how = "add it by hand (copy an existing entry)" if out.append else "please report this"
            raise ScaffoldError(f"the new text for {out.path} would not load, so nothing was written; {how}:\n"
                                + format_problems(problems.sorted()))
    return added
