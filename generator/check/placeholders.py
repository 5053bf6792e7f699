"""Placeholders: numbers in narrative prose that are counted from the data when the page is built.

Syntax (the whole of it)::

    {{ count: NAME key=value key=value ... }}
    {{ names: NAME key=value ... }}

on one line, outside `code`. NAME is one of `COUNTS` (a number, written in digits) or
`NAMES` (a list of names from the records, 'A, B and C') below; each takes a fixed
set of `key=value` arguments (values have no spaces), for example::

    In {{ count: partnerships-graded programme=care-and-protection-2018-2020 indicator=2.1 min_grade=4 }}
    of the {{ count: inspections programme=care-and-protection-2018-2020 }} partnerships ...

Placeholders are found with a regular expression and looked up in a table of
Python functions: editor text is never evaluated as a template. Anything else in
double braces, such as `{{ 7*7 }}`, stays exactly as written on the page (the
check warns about it, in case a placeholder was meant). To show braces on
purpose without a warning, write `\\{{` or put them in `backticks`.

Counts use published records only, so a preview with drafts shows the same
numbers as the published site. Placeholders work in the narratives of publications
and in the hand-written pages of content/ (the home page, About): what those pages say
about the data (how many reports, who leads the programmes) is counted or listed from
it, so it stays true as the data grows.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model import models as m
from generator.model.limits import MAX_DIGITS

if TYPE_CHECKING:
    from generator.model.load import Narrative, NarrativeSection, SiteData

#: `{{ ... }}` on one line, not preceded by a backslash
BRACES = re.compile(r"(?<!\\)\{\{(?P<inner>[^\n]*?)\}\}")
#: an opening `{{` (for reporting ones that are never closed)
OPEN = re.compile(r"(?<!\\)\{\{")
#: `kind: rest`: the shape that says "this is meant as a placeholder"
_KIND = re.compile(r"^\s*(?P<kind>[A-Za-z][\w-]*)\s*:(?P<rest>.*)$")
_NAME = re.compile(r"\s*(?P<name>[a-z][a-z0-9-]*)")
_ARG = re.compile(r"(?P<key>[a-z_]+)=(?P<value>[^\s=]+)$")


@dataclass(frozen=True)
class CountSpec:
    name: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    count: Callable[[SiteData, dict[str, str]], int | str]
    """What the placeholder stands for: a number (`count:`) or words (`names:`)."""

    @property
    def arguments(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Placeholder:
    """One `{{ ... }}` found in text: where it is and what it asks for."""

    start: int
    end: int
    raw: str
    kind: str | None
    """'count' (or another word before ':'); None when the braces do not hold 'word:' at all."""
    name: str | None = None
    args: tuple[tuple[str, str, int], ...] = ()
    """(key, value, offset of the argument from `start`)."""
    syntax_error: str | None = None
    syntax_offset: int = 0


# --- the counts -----------------------------------------------------------------------


def _published_inspections(data: SiteData, programme: str | None = None, partnership: str | None = None) -> list[m.Inspection]:
    return [
        i for i in data.inspections.values()
        if i.status == "published"
        and (programme is None or i.programme == programme)
        and (partnership is None or i.partnership == partnership)
    ]


def _grade_range(args: dict[str, str]) -> tuple[int, int]:
    if "grade" in args:
        return int(args["grade"]), int(args["grade"])
    return int(args.get("min_grade", -(10**9))), int(args.get("max_grade", 10**9))


def _graded(data: SiteData, args: dict[str, str]) -> list[tuple[m.Inspection, m.Evaluation]]:
    programme = data.programmes[args["programme"]]
    codes = [args["indicator"]] if "indicator" in args else list(programme.evaluates)
    low, high = _grade_range(args)
    return [
        (insp, ev)
        for insp in _published_inspections(data, programme.id)
        for ev in insp.evaluations
        if ev.indicator in codes and ev.grade is not None and low <= ev.grade <= high
    ]


def _count_inspections(data: SiteData, args: dict[str, str]) -> int:
    return len(_published_inspections(data, args.get("programme"), args.get("partnership")))


def _count_partnerships(data: SiteData, args: dict[str, str]) -> int:
    if "programme" not in args:
        return len(data.partnerships)
    programme = data.programmes[args["programme"]]
    covered = set(programme.partnerships) | {i.partnership for i in _published_inspections(data, programme.id)}
    covered |= {le.partnership for le in data.letters.values() if le.programme == programme.id and le.status == "published"}
    return len(covered)


def _count_partnerships_graded(data: SiteData, args: dict[str, str]) -> int:
    return len({insp.partnership for insp, _ev in _graded(data, args)})


def _count_evaluations(data: SiteData, args: dict[str, str]) -> int:
    return len(_graded(data, args))


#: `kind=` of the programmes and publications counts and lists -> what it selects
PROGRAMME_KINDS = ("inspection", "supported-self-evaluation")
PUBLICATION_KINDS = {"inspection": m.Inspection, "review": m.Review, "response": m.Response, "letter": m.Letter}


def _programmes(data: SiteData, args: dict[str, str]) -> list[m.Programme]:
    """The programmes (of one kind), in the order they began."""
    chosen = [p for p in data.programmes.values() if "kind" not in args or p.kind == args["kind"]]
    return sorted(chosen, key=lambda p: (p.start.sort_key, p.id))


def _count_programmes(data: SiteData, args: dict[str, str]) -> int:
    return len(_programmes(data, args))


def _count_publications(data: SiteData, args: dict[str, str]) -> int:
    kind = PUBLICATION_KINDS.get(args.get("kind", ""), m.Publication)
    held = {"yes": True, "no": False}.get(args.get("held", ""))
    return sum(1 for pub in data.publications.values()
               if pub.status == "published" and isinstance(pub, kind) and (held is None or pub.holds == held))


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _organisation_names(data: SiteData, ids: list[str]) -> list[str]:
    seen: list[str] = []
    for oid in ids:
        org = data.organisations.get(oid)
        name = html.escape(org.name if org else oid, quote=False)  # Markdown: an & or < in a name is shown as written
        if name not in seen:
            seen.append(name)
    return seen


def _names_leads(data: SiteData, args: dict[str, str]) -> str:
    programmes = _programmes(data, args)
    names = _organisation_names(data, [p.lead for p in programmes if p.lead is not None])
    unstated = sum(1 for p in programmes if p.lead is None)
    if not programmes:
        return "no programme yet"
    text = join_names(names)
    if unstated:
        gap = f"the sources do not name the lead of {unstated} of the {len(programmes)} programmes"
        text = f"{text} ({gap})" if text else gap
    return text


def _names_partners(data: SiteData, args: dict[str, str]) -> str:
    programmes = _programmes(data, args)
    return join_names(_organisation_names(data, [o for p in programmes for o in p.partners])) or "no partner named"


def _names_programmes(data: SiteData, args: dict[str, str]) -> str:
    return join_names([html.escape(p.short_title, quote=False) for p in _programmes(data, args)]) or "no programme yet"


_GRADES = ("grade", "min_grade", "max_grade")
COUNTS: dict[str, CountSpec] = {
    spec.name: spec
    for spec in [
        CountSpec("inspections", "published inspection reports (of one programme, of one partnership)",
                  (), ("programme", "partnership"), _count_inspections),
        CountSpec("partnerships", "partnerships (all of them, or those a programme covered)",
                  (), ("programme",), _count_partnerships),
        CountSpec("partnerships-graded", "partnerships whose published inspection in the programme graded the indicator "
                  "(at `grade`, or from `min_grade` to `max_grade`)",
                  ("programme", "indicator"), _GRADES, _count_partnerships_graded),
        CountSpec("evaluations", "graded evaluations in the programme's published inspections (of one indicator, or of "
                  "every indicator it evaluates; at `grade`, or from `min_grade` to `max_grade`)",
                  ("programme",), ("indicator", *_GRADES), _count_evaluations),
        CountSpec("programmes", "programmes (all of them, or of one `kind`: inspection, supported-self-evaluation)",
                  (), ("kind",), _count_programmes),
        CountSpec("publications", "published publications with a page on this site (all of them, or of one `kind`: inspection, "
                  "review, response, letter; `held=yes`: only those this site holds itself, `held=no`: only those rebuilt "
                  "from, or known through, other publications)", (), ("kind", "held"), _count_publications),
    ]
}

NAMES: dict[str, CountSpec] = {
    spec.name: spec
    for spec in [
        CountSpec("programme-leads", "the organisations that lead the programmes (of one `kind`), each once, in the order "
                  "the programmes began; says how many programmes' leads the sources do not name",
                  (), ("kind",), _names_leads),
        CountSpec("programme-partners", "the organisations named as the programmes' scrutiny partners (of one `kind`), each once",
                  (), ("kind",), _names_partners),
        CountSpec("programmes", "the programmes' short titles (of one `kind`), in the order they began",
                  (), ("kind",), _names_programmes),
    ]
}

#: placeholder kind -> its table
TABLES: dict[str, dict[str, CountSpec]] = {"count": COUNTS, "names": NAMES}


# --- finding and checking ------------------------------------------------------------------


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` has fenced code blocks and inline code (offsets), which placeholders leave alone."""
    spans: list[tuple[int, int]] = []
    offset = 0
    fence: tuple[str, int] | None = None
    fence_start = 0
    prose: list[tuple[int, str]] = []  # (offset, line) of lines outside fences
    for line in text.splitlines(keepends=True):
        opener = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is None and opener:
            fence, fence_start = (opener.group(1)[0], len(opener.group(1))), offset
        elif fence is not None and opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= fence[1]:
            spans.append((fence_start, offset + len(line)))
            fence = None
        elif fence is None:
            prose.append((offset, line))
        offset += len(line)
    if fence is not None:
        spans.append((fence_start, len(text)))
    # Inline code: a run of backticks up to the next run of the same length, within a paragraph.
    for start, line in _paragraphs(prose):
        for mt in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", line, re.S):
            spans.append((start + mt.start(), start + mt.end()))
    return sorted(spans)


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join consecutive lines (offset, text) into paragraphs; a blank line or a gap (a fence) ends one."""
    out: list[tuple[int, str]] = []
    for offset, line in lines:
        if out and out[-1][0] + len(out[-1][1]) == offset and out[-1][1].strip() and line.strip():
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append((offset, line))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def find_placeholders(text: str, skip: list[tuple[int, int]] | None = None) -> list[Placeholder]:
    """Every `{{ ... }}` outside code, parsed (parsing never fails: problems are recorded on the result).
    `skip`: the text's code spans, when the caller has them already (text_pass.py)."""
    if "{{" not in text:
        return []  # most texts: skip finding code spans, the costly part
    skip = code_spans(text) if skip is None else skip
    out = []
    for mt in BRACES.finditer(text):
        if not _inside(mt.start(), skip):
            out.append(parse(mt.group("inner"), mt.start(), mt.end(), mt.group(0)))
    return out


def unclosed_braces(text: str, skip: list[tuple[int, int]] | None = None) -> list[int]:
    """Offsets of `{{` outside code that no `}}` closes on the same line."""
    if "{{" not in text:
        return []
    skip = code_spans(text) if skip is None else skip
    closed = [(mt.start(), mt.end()) for mt in BRACES.finditer(text)]
    return [mt.start() for mt in OPEN.finditer(text) if not _inside(mt.start(), closed) and not _inside(mt.start(), skip)]


_WHAT = {"count": "count", "names": "list of names"}


def parse(inner: str, start: int, end: int, raw: str) -> Placeholder:
    kind_match = _KIND.match(inner)
    if kind_match is None:
        return Placeholder(start, end, raw, None)
    kind = kind_match.group("kind")
    rest_offset = 2 + kind_match.start("rest")  # 2 for '{{'
    if kind not in TABLES:
        return Placeholder(start, end, raw, kind, syntax_error=f"unknown placeholder kind '{kind}:'; the kinds are 'count:' "
                           "and 'names:'", syntax_offset=2 + kind_match.start("kind"))
    rest = kind_match.group("rest")
    name_match = _NAME.match(rest)
    if name_match is None:
        return Placeholder(start, end, raw, kind, syntax_error=f"'{kind}:' needs the name of a {_WHAT[kind]}: " + ", ".join(TABLES[kind]),
                           syntax_offset=rest_offset)
    args: list[tuple[str, str, int]] = []
    for arg in re.finditer(r"\S+", rest[name_match.end():]):
        where = rest_offset + name_match.end() + arg.start()
        parsed = _ARG.match(arg.group(0))
        if parsed is None:
            return Placeholder(start, end, raw, kind, name_match.group("name"), tuple(args),
                               syntax_error=f"'{arg.group(0)}' is not an argument: write key=value with no spaces",
                               syntax_offset=where)
        args.append((parsed.group("key"), parsed.group("value"), where))
    return Placeholder(start, end, raw, kind, name_match.group("name"), tuple(args))


def check(ph: Placeholder, data: SiteData) -> list[tuple[int, str]]:
    """What is wrong with a placeholder that means to be one: (offset from its start, message)."""
    if ph.kind is None:
        return []
    if ph.syntax_error:
        return [(ph.syntax_offset, ph.syntax_error)]
    table = TABLES[ph.kind]
    spec = table.get(ph.name or "")
    if spec is None:
        unknown = (f"unknown count '{ph.name}'; known counts: " if ph.kind == "count" else
                   f"unknown list of names '{ph.name}'; known lists: ")
        return [(ph.raw.index(ph.name or ":"), unknown + ", ".join(table))]
    problems: list[tuple[int, str]] = []
    given: dict[str, str] = {}
    for key, value, where in ph.args:
        if key not in spec.arguments:
            allowed = ", ".join(spec.arguments) or "none"
            problems.append((where, f"{ph.kind} '{spec.name}' has no argument '{key}'; its arguments: {allowed}"))
        elif key in given:
            problems.append((where, f"argument '{key}' is given twice"))
        else:
            given[key] = value
    where_of = {key: where for key, _value, where in ph.args}
    missing = [k for k in spec.required if k not in given]
    if missing:
        problems.append((0, f"{ph.kind} '{spec.name}' needs {', '.join(k + '=...' for k in missing)}"))
    programme = data.programmes.get(given.get("programme", ""))
    if "programme" in given and programme is None:
        problems.append((where_of["programme"], f"no programme '{given['programme']}'; known: {', '.join(sorted(data.programmes))}"))
    if "partnership" in given and given["partnership"] not in data.partnerships:
        problems.append((where_of["partnership"], f"no partnership '{given['partnership']}'"))
    if "indicator" in given and programme is not None and given["indicator"] not in programme.evaluates:
        problems.append((where_of["indicator"], f"programme '{programme.id}' does not evaluate indicator '{given['indicator']}'; "
                                                f"it evaluates: {', '.join(programme.evaluates) or 'nothing'}"))
    if "kind" in given:
        kinds = PUBLICATION_KINDS if spec.name == "publications" and ph.kind == "count" else PROGRAMME_KINDS
        if given["kind"] not in kinds:
            problems.append((where_of["kind"], f"kind={given['kind'][:40]} is not one of: {', '.join(kinds)}"))
    if "held" in given and given["held"] not in ("yes", "no"):
        problems.append((where_of["held"], f"held={given['held'][:40]} is not one of: yes, no"))
    if "grade" in given and ("min_grade" in given or "max_grade" in given):
        problems.append((where_of["grade"], "give either grade= or min_grade=/max_grade=, not both"))
    scale = data.scales.get(programme.scale or "") if programme else None
    for key in _GRADES:
        if key not in given:
            continue
        value = given[key]
        if not re.fullmatch(r"\d+", value):
            problems.append((where_of[key], f"{key} must be a whole number, not '{value[:40]}'"))
        elif len(value) > MAX_DIGITS:
            problems.append((where_of[key], f"{key} has {len(value)} digits: a grade has at most {MAX_DIGITS}"))
        elif scale is not None and scale.level(int(value)) is None:
            levels = ", ".join(f"{lv.value} ({lv.label})" for lv in scale.levels)
            problems.append((where_of[key], f"{key}={value} is not on the scale '{scale.id}'; allowed: {levels}"))
    return problems


def value(ph: Placeholder, data: SiteData) -> str | None:
    """The number a valid placeholder stands for; None if it is not a valid placeholder."""
    if ph.kind is None or check(ph, data):
        return None
    return count_of(ph, data)


def count_of(ph: Placeholder, data: SiteData) -> str:
    """The number (or names) a placeholder that `check` passed stands for."""
    spec = TABLES[ph.kind or "count"][ph.name or ""]
    return str(spec.count(data, {key: val for key, val, _where in ph.args}))


# --- expansion (pure) -------------------------------------------------------------------


def splice(text: str, replacements: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each (start, end, new) span replaced (in order, not overlapping), and anchors (new offset, old
    offset) from which `original_offset` maps a position in the new text back to the original."""
    parts: list[str] = []
    anchors: list[tuple[int, int]] = [(0, 0)]
    last = length = 0
    for start, end, new in replacements:
        parts.append(text[last:start])
        length += start - last
        anchors.append((length, start))
        parts.append(new)
        length += len(new)
        anchors.append((length, end))
        last = end
    parts.append(text[last:])
    return "".join(parts), anchors


def expand_with_map(text: str, data: SiteData) -> tuple[str, list[tuple[int, int]]]:
    """Text with every valid placeholder replaced by its number (an invalid one is left exactly as written),
    with the anchors of `splice`."""
    numbers = ((ph, value(ph, data)) for ph in find_placeholders(text))
    return splice(text, [(ph.start, ph.end, number) for ph, number in numbers if number is not None])


def original_offset(anchors: list[tuple[int, int]], offset: int) -> int:
    new, old = max((a for a in anchors if a[0] <= offset), key=lambda a: a[0])
    return old + (offset - new)


def expand(text: str, data: SiteData) -> str:
    """`text` with its placeholders replaced by numbers counted from `data`; everything else unchanged."""
    return expand_with_map(text, data)[0]


def expand_narrative(narrative: Narrative, data: SiteData) -> Narrative:
    """A copy of the narrative whose sections (and whole text) have their placeholders expanded."""
    def section(s: NarrativeSection) -> NarrativeSection:
        return dataclasses.replace(s, text=expand(s.text, data))

    return dataclasses.replace(
        narrative,
        lead=section(narrative.lead),
        sections=[section(s) for s in narrative.sections],
        text=expand(narrative.text, data),
    )
