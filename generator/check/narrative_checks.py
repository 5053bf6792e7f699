"""Checks on the words editors write: narrative Markdown in content/ and text fields in site-data/.

Run by `check_site` (so by `python -m generator check` and by every MkDocs build),
after the data is loaded. Each problem names the file, line and column.

- Proportion words ('few', 'most', ...) against a figure stated beside them, using
  the bands of the publication's programme (`proportion_words`), in its narrative
  and its YAML text fields. PROXIMITY below says exactly when a word and a figure
  count as "beside" each other.
- Placeholders (`{{ count: ... }}`, see placeholders.py): unknown names and
  arguments are errors; other `{{ ... }}` text is a warning (it is shown as written).
- Disclosures: e-mail addresses, UK phone numbers, full postcodes, dates of
  birth, National Insurance and CHI numbers, unless listed in
  site-data/allowed-disclosures.yaml.
- Unfinished text: the word TODO left by `python -m generator new` in anything
  that is published (drafts may keep it).
- Markup depth: emphasis nested too deep to be shown (limits.py).

Each text (a narrative, a page, a field) is prepared once, in a TextPass (text_pass.py):
its code spans and placeholders are found once, each placeholder is checked once, and every
check above reads that one preparation. Personal details are looked for in the text as a
reader sees it (reader_text.py: entities, markup, invisible characters, NFKC undone).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import cast

from generator.base.errors import Problems
from generator.base.memo import Memo
from generator.base.pool import can_fork, fork_map
from generator.check import placeholders as ph
from generator.check.text_pass import TextPass
from generator.model import models as m
from generator.model.content_files import ContentPage
from generator.model.convert import fields_of
from generator.model.dates import PartialDate
from generator.model.disclosures import find_disclosures, is_allowed
from generator.model.limits import markup_depth
from generator.model.load import SiteData
from generator.model.models import AllowedDisclosure

PROXIMITY = """\
A proportion word and a figure are checked against each other only when they are in the same
sentence and one of them is in brackets right after the other:
  - the word, then up to six words with no figure or punctuation between, then a bracket holding
    a figure: "most (60%)", "most children (60%)", "most of the children we met (45 of 60)";
  - a figure, then up to six such words, then the word alone in brackets: "60% of children (most)".
A figure is a percentage ("60%", "60 per cent", "60 percent") or a count of a total ("45 of 60",
"45 out of 60", "45 of the 60"), which is rounded to the nearest whole per cent. A word with no
figure beside it is never flagged, nor is a figure with no word ("90%" alone). 'the most' and
'at most' are not proportion words. Code, link addresses and placeholders that are not valid are
ignored; valid placeholders are checked as the number they stand for."""

_TODO = re.compile(r"\bTODO\b")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_GAP = r"(?P<gap>(?:\s+[^\s(){}\[\],.;:!?%\d]+){0,6}?)"
_PCT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)", re.I)
_FRAC = re.compile(r"(?<![\d.,])(\d{1,9})\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?(\d{1,9})(?![\d.,])", re.I)
_FIGURE = r"(?P<fig>(?<![\d.])\d{1,3}(?:\.\d+)?\s*(?:%|per\s*cent\b|percent\b)|(?<![\d.,])\d+\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?\d+(?![\d.,]))"
#: words before a band word that make it something else ('the most vulnerable', 'at most')
_NOT_PROPORTION_BEFORE = {"most": ("the", "at"), "few": ("a",)}


def check_narrative(data: SiteData, pub_id: str) -> Problems:
    """The checks of one publication's narrative (they read only it, its record and reference data).
    Run in the pool's workers (pool.py): the text is prepared once there, and every check reads it."""
    problems = Problems()
    narrative = data.narratives[pub_id]
    pub = data.publication(pub_id)
    text = TextPass.of_file(narrative.path, narrative.text, data)
    check_placeholders(text, problems)
    words = proportion_words_for(data, pub) if pub else None
    if words is not None:
        check_proportions(text, words, problems)
    check_disclosures(text, data.allowed_disclosures, problems)
    check_depth(text, problems)
    if pub is not None and pub.status != "draft":
        check_todo(text, _todo_message("this paragraph", True), problems)
    return problems


def check_page(data: SiteData, page: ContentPage, site_words: m.ProportionWords | None) -> Problems:
    """The checks of one hand-written page of content/ (it has no draft status: it is published as it is)."""
    problems = Problems()
    text = TextPass.of_file(page.path, page.text, data)
    check_disclosures(text, data.allowed_disclosures, problems)
    if site_words is not None:  # 'Most (60%) of staff' is as wrong on About as in a report
        check_proportions(text, site_words, problems)
    check_depth(text, problems)
    check_todo(text, _todo_message("this page", False), problems)
    check_placeholders(text, problems)
    check_data_facts(text, data, problems)
    return problems


# --- data facts written out on hand-written pages ------------------------------------------------

#: a number written in digits before a kind of thing the site counts: 'all 32 areas', '12 reports'
_COUNTED = re.compile(r"(?<![\w.,])(\d+)\s+(inspection reports?|reports?|inspections?|programmes?|reviews?|publications?|"
                      r"partnerships?|council areas?|areas?|letters?|responses?)\b", re.I)
_COUNT_FOR = {"inspection": "publications kind=inspection", "report": "publications kind=inspection",
              "review": "publications kind=review", "publication": "publications", "programme": "programmes",
              "partnership": "partnerships", "area": "partnerships", "letter": "publications kind=letter",
              "response": "publications kind=response"}


def check_data_facts(text: TextPass, data: SiteData, problems: Problems) -> None:
    """A hand-written page that states a fact of the data in words goes false as the data grows, and nothing would
    notice: where that can be told reliably, a warning says which placeholder to write instead.

    - 'led by' before an organisation's name or abbreviation: who leads the programmes is `{{ names: programme-leads }}`
      (the warning also says whether the words are false already);
    - a number in digits before what the site counts ('12 reports', 'all 32 areas'): `{{ count: ... }}`."""
    prose = _masked(text)  # code and placeholders blanked: what the placeholders give is the data's, not the editor's
    low = prose.lower()
    if "led by" in low:
        names = sorted(((name, org) for org in data.organisations.values()
                        for name in (org.name, org.abbreviation) if name), key=lambda item: -len(item[0]))
        for mt in re.finditer(r"\bled\s+by\s+(the\s+)?", prose, re.I):
            after = prose[mt.end():]
            found = next(((name, org) for name, org in names if after.startswith(name)), None)
            if found is None:
                continue
            name, org = found
            others = sorted(p.id for p in data.programmes.values() if p.lead != org.id)
            now = (f" It is already untrue: {org.name} does not lead {', '.join(others)}." if others else
                   f" It is true today only because {org.name} leads every programme the site holds.")
            problems.add(text.at(mt.start()), f"'{prose[mt.start():mt.end() + len(name)]}' states who leads the programmes in "
                         "words, which goes false when a programme led by another body is added." + now +
                         " Write '{{ names: programme-leads }}' instead (the lead bodies, counted from the data)", "warning")
    for mt in _COUNTED.finditer(prose):
        noun = mt.group(2).lower().split()[-1].rstrip("s")
        noun = "inspection" if mt.group(2).lower().startswith("inspection") else noun
        placeholder = _COUNT_FOR.get(noun, "publications")
        problems.add(text.at(mt.start()),
                     f"'{mt.group(0)}' states a number the data gives, which goes false as the data grows: write "
                     f"'{{{{ count: {placeholder} }}}}' instead (see the editors' guide, 'Numbers and names on hand-written "
                     "pages')", "warning")


def _masked(text: TextPass) -> str:
    chars = list(text.source)
    for a, b in [*text.code, *((found.start, found.end) for found in text.placeholders)]:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def check_text(data: SiteData, pages: Sequence[ContentPage] = (), workers: int = 1, memo: Memo | None = None,
               stamp: Hashable = None) -> Problems:
    """Every text check, over every narrative, hand-written page and YAML text field.

    With `workers` > 1 the narratives are checked in forked processes; problems are collected in
    the same order as serially (a narrative a worker did not finish is checked here). With a `memo` (`mkdocs serve`),
    a narrative's problems are kept under its text and `stamp` (the data files' stamp: what else the checks read),
    and the YAML fields' under `stamp`: a rebuild after one edit checks only what the edit changed."""
    problems = Problems()
    ids = list(data.narratives)

    keys: dict[str, Hashable] = {pub_id: ("narrative", pub_id, str(n.path), n.text, stamp)
                                 for pub_id, n in data.narratives.items()} if memo is not None else {}
    todo = [pub_id for pub_id in ids if memo is None or not memo.known(keys[pub_id])]
    done: dict[str, Problems] = {}
    if workers > 1 and len(todo) >= 4 * workers and can_fork():
        forked, _failures = fork_map(lambda pub_id: check_narrative(data, pub_id), todo, workers)
        done = {todo[i]: found for i, found in forked.items()}

    def found(pub_id: str) -> Problems:
        return done[pub_id] if pub_id in done else check_narrative(data, pub_id)

    for pub_id in ids:
        problems.extend(found(pub_id) if memo is None else memo.get(keys[pub_id], partial(found, pub_id)))
    narrative_paths = {n.path for n in data.narratives.values()}
    site_words = site_proportion_words(data)
    for page in pages:  # every hand-written page of content/ (check_content has read them)
        if page.path not in narrative_paths:
            problems.extend(check_page(data, page, site_words))
    if memo is None:
        check_yaml_text(data, problems)
    else:
        problems.extend(memo.get(("yaml-text", stamp), lambda: _yaml_text_problems(data)))
    return problems


def _yaml_text_problems(data: SiteData) -> Problems:
    found = Problems()
    check_yaml_text(data, found)
    return found


def check_todo(text: TextPass, message: str, problems: Problems, prefix: str = "") -> None:
    if "TODO" not in text.source:
        return  # a plain substring test first: the word-boundary pattern is slow to run over every text
    for mt in _TODO.finditer(text.source):
        problems.add(text.at(mt.start()), prefix + message, "warning")
        if prefix:
            return  # a field is one place: once is enough


def check_depth(text: TextPass, problems: Problems, prefix: str = "") -> None:
    for at, message in markup_depth(text.source, text.at):
        problems.add(at, prefix + message)


# --- placeholders -------------------------------------------------------------------------


def check_placeholders(text: TextPass, problems: Problems) -> None:
    source = text.source
    heading_lines = {text.at(mt.start()).line for mt in re.finditer(r"(?m)^## ", source)} if text.placeholders else set()
    for found in text.placeholders:
        at = text.at(found.start)
        if found.kind is None:
            problems.add(at, f"'{found.raw[:80]}' is not a placeholder, so it will be shown exactly as written. Placeholders "
                             "look like '{{ count: NAME key=value }}' (see the editors' guide); to show braces on purpose "
                             "write \\{{ or put them in `backticks`", "warning")
            continue
        for offset, message in text.placeholder_problems[found.start]:
            problems.add(text.at(found.start + offset), f"placeholder '{found.raw[:80]}': {message}")
        if at.line in heading_lines:
            problems.add(at, "placeholders cannot be used in '## ' headings (they name the page's sections): move it into the text")
    for start in ph.unclosed_braces(source, skip=text.code):
        problems.add(text.at(start), "'{{' is not closed by '}}' on the same line, so it will be shown as written", "warning")


# --- proportion words ---------------------------------------------------------------------


def proportion_words_for(data: SiteData, pub: m.Publication) -> m.ProportionWords | None:
    """The proportion words of the publication's programme (a response uses its inspection's)."""
    programme_id = getattr(pub, "programme", None)
    if isinstance(pub, m.Response):
        inspection = data.inspections.get(pub.inspection)
        programme_id = inspection.programme if inspection else None
    programme = data.programmes.get(programme_id or "")
    return data.proportion_words.get(programme.proportion_words or "") if programme else None


def site_proportion_words(data: SiteData) -> m.ProportionWords | None:
    """The proportion words hand-written pages are read with: those of the newest programme that names a set."""
    named = [p for p in data.programmes.values() if p.proportion_words in data.proportion_words]
    if not named:
        return None
    newest = max(named, key=lambda p: (p.start.sort_key, p.id))
    return data.proportion_words[newest.proportion_words or ""]


@dataclass(frozen=True)
class ProportionClaim:
    word: str
    band: m.ProportionBand
    percent: float
    figure: str
    start: int
    """Offset of the word in the text it was found in."""


def _band_alternatives(words: m.ProportionWords) -> str:
    """The band words as one regex alternation, longest first ('almost all' before 'all')."""
    alternatives = sorted((b.word for b in words.bands), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in word.split()) for word in alternatives)


def _percents(text: str) -> list[tuple[float, str]]:
    out = [(float(mt.group(1)), mt.group(0)) for mt in _PCT.finditer(text)]
    for mt in _FRAC.finditer(text):
        part, whole = int(mt.group(1)), int(mt.group(2))
        if 0 < whole and part <= whole:
            out.append((float(math.floor(part * 100 / whole + 0.5)), mt.group(0)))
    return out


def _mask(text: str) -> str:
    """Blank out (keeping offsets) what is not prose: code, link addresses, footnote marks, unexpanded braces."""
    chars = list(text)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "

    for a, b in ph.code_spans(text):
        blank(a, b)
    for mt in re.finditer(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[\^[^\]]+\]|<[^>\n]+>|\{\{[^\n]*?\}\}", text):
        blank(mt.start(), mt.end())
    for mt in re.finditer(r"(?<!\])\[([^\]\n]*)\]", text):  # link text brackets: keep the words, drop '[' and ']'
        chars[mt.start()] = chars[mt.end() - 1] = " "
    return "".join(chars)


def find_proportion_claims(text: str, words: m.ProportionWords, *, masked: bool = False) -> list[ProportionClaim]:
    """Every proportion word paired with a figure under the PROXIMITY rule, with offsets into `text`
    (`masked`: `text` is already TextPass.prose, with code, addresses and braces blanked)."""
    bands = {" ".join(b.word.lower().split()): b for b in words.bands}
    alternation = _band_alternatives(words)
    word_re = re.compile(r"(?<![\w-])(?P<word>" + alternation + r")(?![\w-])", re.I)
    prose = text if masked else _mask(text)
    claims: list[ProportionClaim] = []

    def usable(mt: re.Match[str]) -> bool:
        word = " ".join(mt.group("word").lower().split())
        before = re.findall(r"[a-z]+", prose[max(0, mt.start() - 20):mt.start()].lower())
        return not (before and before[-1] in _NOT_PROPORTION_BEFORE.get(word, ()))

    def clean_gap(gap: str, between: str) -> bool:
        """No other proportion word in the words between, and no paragraph break anywhere between."""
        return word_re.search(gap) is None and _BLANK_LINE.search(between) is None

    after_word = re.compile(r"[*_]*" + _GAP + r"\s*\((?P<inner>[^()]{0,200})\)")
    for mt in word_re.finditer(prose):
        if not usable(mt):
            continue
        follow = after_word.match(prose, mt.end())
        if follow is None or not clean_gap(follow.group("gap"), prose[mt.end():follow.end()]):
            continue
        band = bands[" ".join(mt.group("word").lower().split())]
        for percent, figure in _percents(follow.group("inner")):
            claims.append(ProportionClaim(mt.group("word"), band, percent, figure, mt.start()))
    figure_first = re.compile(_FIGURE + r"[*_]*" + _GAP + r"\s*\(\s*[*_]*(?P<word>" + alternation + r")[*_]*\s*\)", re.I)
    for mt in figure_first.finditer(prose):
        if not clean_gap(mt.group("gap"), mt.group(0)):
            continue
        band = bands[" ".join(mt.group("word").lower().split())]
        for percent, figure in _percents(mt.group("fig")):
            claims.append(ProportionClaim(mt.group("word"), band, percent, figure, mt.start("word")))
    return claims


def fits(band: m.ProportionBand, percent: float) -> bool:
    top = band.max_percent if band.max_percent is not None else 100
    return band.min_percent <= percent <= top


def check_proportions(text: TextPass, words: m.ProportionWords, problems: Problems, prefix: str = "") -> None:
    prose, anchors = text.prose  # valid placeholders are checked as the numbers they stand for
    for claim in find_proportion_claims(prose, words, masked=True):
        if not fits(claim.band, claim.percent):
            problems.add(text.at(ph.original_offset(anchors, claim.start)), prefix + _proportion_message(claim, words))


def _proportion_message(claim: ProportionClaim, words: m.ProportionWords) -> str:
    right = next((b.word for b in words.bands if fits(b, claim.percent)), None)
    shown = f"{claim.percent:g}%"
    suggestion = f"; {shown} is '{right}'" if right else f"; no word covers {shown}"
    return (f"'{claim.word}' does not fit the figure beside it ({claim.figure}): {claim.band.as_published}{suggestion} "
            f"(proportion words '{words.id}')")


# --- disclosures ----------------------------------------------------------------------------


def check_disclosures(text: TextPass, allowed: list[AllowedDisclosure], problems: Problems, prefix: str = "") -> None:
    for offset, message in disclosure_messages(text, allowed):
        problems.add(text.at(offset), prefix + message)


def disclosure_messages(text: TextPass, allowed: list[AllowedDisclosure]) -> list[tuple[int, str]]:
    """(offset in the source, message) for each personal detail in the text that is not allowed, in order."""
    reader = text.reader  # what a reader sees: entities, markup and invisible characters undone
    return [(reader.source_offset(item.start), _disclosure_message(item.kind, item.text))
            for item in find_disclosures(reader.text) if not is_allowed(item, allowed)]


def _disclosure_message(kind: str, text: str) -> str:
    return (f"{kind} '{' '.join(text.split())}' must not be published: remove it, or, if it is an organisation's public "
            "contact detail, list it in site-data/allowed-disclosures.yaml with the reason")


# --- text fields in site-data/ ----------------------------------------------------------------


def _strings(record: m.Record, names: dict[type, list[str]]) -> Iterator[tuple[m.Record, str, int | None, str]]:
    """(record, field, list index or None, text) for every text value in a record and the records inside it
    (`names`: each record class's field names, looked up once a build)."""
    kind = type(record)
    if kind not in names:
        names[kind] = [f.name for f in fields(record) if f.name not in ("at", "field_at")]
    for name in names[kind]:
        value = getattr(record, name)
        if isinstance(value, str):
            yield record, name, None, value
            continue
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            if isinstance(item, str):
                yield record, name, i, item
            elif isinstance(item, m.Record) and not isinstance(item, PartialDate):
                yield from _strings(item, names)


def _records(data: SiteData) -> Iterator[tuple[m.Record, bool]]:
    """Every record that holds editor text, and whether it is published (drafts are not)."""
    for pub in data.publications.values():
        yield pub, pub.status != "draft"
    for name in ("scales", "proportion_words", "frameworks", "programmes", "partnerships", "glossary", "themes",
                 "organisations", "documents"):
        for record in getattr(data, name).values():
            yield record, True


def check_yaml_text(data: SiteData, problems: Problems) -> None:
    allowed = data.allowed_disclosures
    names: dict[type, list[str]] = {}
    # a field is reported at one place whatever the offset, so what the disclosure check finds in it depends on its
    # text alone: a text that recurs (ids, statuses, the same sentence in many records) is read once
    disclosures: dict[str, list[tuple[int, str]]] = {}
    todo = {publication: _todo_message("this field", publication) for publication in (True, False)}
    for top, published in _records(data):
        words = proportion_words_for(data, top) if isinstance(top, m.Publication) else None
        for record, name, i, source in _strings(top, names):
            where = f"'{name}'" + (f" (item {i + 1})" if i is not None else "") + ": "
            text = TextPass.of_field(source, data, record.pos(name))
            if words is not None and "(" in source:
                check_proportions(text, words, problems, where)
            found = disclosures.get(source)
            if found is None:
                found = disclosures[source] = disclosure_messages(text, allowed)
            for offset, message in found:
                problems.add(text.at(offset), where + message)
            check_depth(text, problems, where)
            if published and "TODO" in source:
                message = todo[isinstance(top, m.Publication)]
                doc = spec.doc if (spec := fields_of(cast(type, type(record))).get(name)) is not None else ""
                check_todo(text, message + (f". What goes here: {doc}" if doc else ""), problems, where)
            if any(found.kind in ph.TABLES for found in text.placeholders):
                problems.add(text.at(0), f"{where}placeholders work only in narrative Markdown (content/); here it would be "
                                         "shown as written: write the number, or move the sentence into the narrative", "warning")


def _todo_message(what: str, publication: bool) -> str:
    when = ("before publishing (drafts, status: draft, may keep it)" if publication
            else "before you build the site (this kind of record has no draft status: it is published as soon as it exists)")
    return f"'TODO' is still in {what}: replace it with the real text, or delete it, {when}"
