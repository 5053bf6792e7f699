"""Descriptive fields the sources may not give (issue 10): a scale level's meaning, a framework's title and
publisher, a programme's lead, a question's text, a publication's title.

Each such field is either written or listed in the record's `not_stated`; never both, never neither. The
editor records what the sources say and what they do not, and pages show "not stated in the sources" in
place of the missing text: nobody has to invent a fact to pass the check.

A publication's `url` (where the original is published, issue 26) may be left out, but a report the site holds
in full (an inspection report or a review not rebuilt from another publication) without it, and without
`not_stated: [url]`, gets a warning: readers are owed the official record, or a plain "not known".
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.base.errors import Problems
from generator.model import models as m
from generator.model.convert import editor_words, fields_of
from generator.model.load import SiteData


def records_with_unstated_fields(data: SiteData) -> Iterator[tuple[m.Record, bool]]:
    """Every record that has fields the sources may not state, and whether it belongs to a draft."""
    for scale in data.scales.values():
        yield from ((level, False) for level in scale.levels)
    yield from ((fw, False) for fw in data.frameworks.values())
    for programme in data.programmes.values():
        yield from ((r, False) for r in (programme, *programme.questions, *programme.lines_of_enquiry))
    for pub in data.publications.values():
        draft = pub.status == "draft"
        yield pub, draft
        if isinstance(pub, m.Review):
            yield from ((msg, draft) for msg in (*pub.key_messages, *pub.summary_findings))


def check_not_stated(data: SiteData, problems: Problems) -> None:
    """A field the sources may not give is written, or listed in `not_stated`: one of the two."""
    for record, draft in records_with_unstated_fields(data):
        allowed = (*type(record).may_be_unstated, *type(record).unstated_optional)
        listed: list[str] = getattr(record, "not_stated", [])
        given: frozenset[str] = getattr(record, "given_fields", frozenset())
        what = editor_words(type(record))
        for name in listed:
            if name not in allowed:
                problems.add(record.pos("not_stated"), _not_allowed_message(type(record), name, allowed))
            elif name in given:
                problems.add(record.pos(name), f"'{name}' is given and also listed in 'not_stated': keep the value if a "
                             f"source states it, or remove it and keep 'not_stated: [{name}]'")
        for name in type(record).may_be_unstated:
            # a draft may wait for the editor's decision (a skeleton leaves the line switched off, with a TODO); it
            # is asked for when the record is published
            if name not in given and name not in listed and not draft:
                problems.add(record.at, f"{what} needs '{name}'. If no source this site holds states it, do not invent it: "
                             f"write 'not_stated: [{name}]' and the pages will say it is not stated in the sources")
        if len(set(listed)) != len(listed):
            problems.add(record.pos("not_stated"), "'not_stated' names a field twice")


def _not_allowed_message(cls: type, name: str, allowed: tuple[str, ...]) -> str:
    """A field listed in `not_stated` that cannot be: what to write, whether or not a source states it (never a
    request to supply a fact the sources do not give)."""
    what = editor_words(cls)
    only = ", ".join(repr(a) for a in allowed)
    head = f"'{name}' cannot be listed in 'not_stated' in {what} (only {only} can be)"
    spec = fields_of(cls).get(name)
    if spec is None:
        return f"{head}: '{name}' is not a field here; remove it from 'not_stated'"
    if not spec.required:
        return (f"{head}: remove it from 'not_stated'. Where a source states it, write '{name}' as the source gives it; "
                f"where none does, leave '{name}' out: a record without it says nothing about it")
    return (f"{head}: remove it from 'not_stated'. Where a source states it, write '{name}' as the source gives it; "
            f"where none does, do not invent it: this kind of record cannot be published without '{name}' yet, so "
            "keep a publication as a draft (status: draft), and ask for the field to accept 'not_stated'")


def held_in_full(pub: m.Publication) -> bool:
    """A report whose whole text the site holds: an inspection report or a review, published, held (`holds`)."""
    return isinstance(pub, (m.Inspection, m.Review)) and pub.status == "published" and pub.holds


def check_original_address(data: SiteData, problems: Problems) -> None:
    """A warning for a report held in full that neither gives the original's address nor says no source gives it."""
    for pub in data.publications.values():
        if held_in_full(pub) and pub.url is None and "url" not in pub.not_stated:
            problems.add(pub.at, "where the original of this report is published is not recorded (the site holds it in "
                         "full); add 'url:' with its full address as a source gives it, or, where no source this site "
                         "holds gives it, write 'not_stated: [url]' (the page then says the address is not known): "
                         "never invent one", "warning")
