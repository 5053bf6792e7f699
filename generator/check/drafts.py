"""No published page links to a draft: found by the check, with file and line, before any build.

Drafts are built only in preview (`mkdocs serve`). A published record that names a draft (a programme's
`review`, a grade's `source`, a narrative's link to the draft's page) would make every real build fail
with MkDocs' "not found among documentation files" about a page the editor never wrote, so the check
names the published record and the field instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from generator.base.errors import Position, Problems
from generator.model import models as m
from generator.model.content_files import ContentPage
from generator.model.load import SiteData
from generator.model.queries import KIND_FOLDER

REFERENCE_FIELDS = frozenset({
    "source", "sources", "review", "reported_in", "inspection", "earlier_source", "defined_in", "rebuilt_from", "previous",
})
"""Fields whose values name publications (single ids or lists of ids)."""

_PAGE_LINK = re.compile(r"\b(inspections|reviews|responses|letters)/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/|\b)")


def _published_records(data: SiteData) -> Iterator[tuple[str, m.Record]]:
    """Every record that reaches a published page, with a short description of it."""
    for kind, records in (("scale", data.scales), ("proportion words", data.proportion_words),
                          ("framework", data.frameworks), ("programme", data.programmes),
                          ("partnership", data.partnerships), ("glossary term", data.glossary),
                          ("theme", data.themes), ("document", data.documents)):
        for rid, record in records.items():
            yield f"{kind} '{rid}'", record
    for pid, pub in data.publications.items():
        if pub.status == "published":
            yield f"published {KIND_FOLDER[type(pub)][:-1]} '{pid}'", pub


def _references(record: m.Record) -> Iterator[tuple[m.Record, str, str]]:
    """(record holding the field, field name, id named) for every reference inside `record`."""
    for name, value in vars(record).items():
        if name in ("at", "field_at"):
            continue
        if name in REFERENCE_FIELDS:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    yield record, name, item
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, m.Record):
                yield from _references(item)


def check_draft_links(data: SiteData, problems: Problems) -> None:
    """Report every published record (and published narrative) that names or links to a draft publication."""
    drafts = {pid: pub for pid, pub in data.publications.items() if pub.status == "draft"}
    if not drafts:
        return
    for owner, record in _published_records(data):
        for holder, name, target in _references(record):
            draft = drafts.get(target)
            if draft is not None and draft is not record:
                problems.add(
                    holder.pos(name),
                    f"{owner} names the draft {KIND_FOLDER[type(draft)][:-1]} '{target}' ({draft.at.path}) in '{name}': "
                    "drafts are built only in preview, so published pages cannot link to it. "
                    f"Publish it (status: published) or leave '{name}' out until it is",
                )
    for pid, narrative in data.narratives.items():
        pub = data.publications.get(pid)
        if pub is None or pub.status != "published":
            continue
        _text_links(narrative.path, narrative.text, f"the narrative of published '{pid}'", drafts, problems)


def check_content_draft_links(data: SiteData, pages: Iterable[ContentPage], problems: Problems) -> None:
    """Report every hand-written page of content/ (home, about, ...) that links to a draft's page."""
    drafts = {pid: pub for pid, pub in data.publications.items() if pub.status == "draft"}
    if drafts:
        for page in pages:
            _text_links(page.path, page.text, f"the page {page.path}", drafts, problems)


def _text_links(path: str, text: str, owner: str, drafts: dict[str, m.Publication], problems: Problems) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _PAGE_LINK.finditer(line):
            folder, target = match.groups()
            draft = drafts.get(target)
            if draft is not None and KIND_FOLDER[type(draft)] == folder:
                problems.add(
                    Position(path, number, match.start() + 1),
                    f"{owner} links to the draft '{target}' ({draft.at.path}): "
                    "drafts are built only in preview. Publish it or remove the link until it is",
                )
