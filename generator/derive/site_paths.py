"""Every path the site will have, known before rendering: two things may never claim the same one.

A theme with id `index` would get `themes/index.md`, the list of themes; a partnership
called "Index" would replace the partnerships A to Z page; one with id `publications`
would share its feed with the site-wide one; a page in content/ named like a generated
page would be overwritten by it (or overwrite it). Rather than a list of reserved words,
every generated path is computed from the data and any path claimed twice is refused,
naming the record (file and line) and what already has the path.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.base.errors import Position, Problems
from generator.base.urls import relative_link
from generator.check import placeholders as ph
from generator.check.text_pass import LineIndex
from generator.derive.derive import Derived
from generator.derive.paths import ALL_PUBLICATIONS_FEED, INDEX_PAGES, page_path, page_specs, partnership_feed
from generator.model import models as m
from generator.model.content_files import ContentPage
from generator.model.convert import editor_words
from generator.model.layout import CONTENT_DIR
from generator.model.load import Narrative

_INDEX_NAMES = {path: name for name, path in INDEX_PAGES.items()}


def _owner(spec_context: dict[str, Any]) -> m.Record | None:
    return next((v for v in spec_context.values() if isinstance(v, m.Record)), None)


def _describe(record: m.Record | None, path: str) -> str:
    if record is None:
        return f"the {_INDEX_NAMES.get(path, path)} page" if path in _INDEX_NAMES else f"the page {path}"
    kind = editor_words(type(record)).removeprefix("a ").removeprefix("an ").removeprefix("the ")  # never a class name
    return f"the page of the {kind} '{getattr(record, 'id', '?')}' ({record.at.path})"


def check_paths(derived: Derived, pages: Sequence[ContentPage], narratives: Mapping[str, Narrative]) -> Problems:
    """Refuse a generated or hand-written page (or feed) whose path something else already has, and a link in a
    narrative (as the editor wrote it: `narratives`) to a page that does not exist."""
    problems = Problems()
    claimed: dict[str, m.Record | None] = {}
    for spec in page_specs(derived):
        record = _owner(spec.context)
        _claim(claimed, spec.path, record, problems, "page")
    claimed_feeds: dict[str, m.Record | None] = {ALL_PUBLICATIONS_FEED: None}
    for partnership in derived.data.partnerships.values():
        _claim(claimed_feeds, partnership_feed(partnership.id), partnership, problems, "feed")
    problems.extend(check_narrative_links(derived, narratives, set(claimed) | {p.src_uri for p in pages}, derived.data.root / CONTENT_DIR))
    for page in pages:
        if page.src_uri in claimed:
            problems.add(Position(page.path), f"{CONTENT_DIR}/{page.src_uri} clashes with a generated page "
                                              f"({_describe(claimed[page.src_uri], page.src_uri)}): rename or remove it")
    return problems


def _claim(claimed: dict[str, m.Record | None], path: str, record: m.Record | None, problems: Problems, what: str) -> None:
    if path not in claimed:
        claimed[path] = record
        return
    first = claimed[path]
    at = record.pos("id") if record is not None else Position.unknown()
    ident = getattr(record, "id", "?")
    problems.add(at, f"id '{ident}' would give the {what} {path}, which is already {_describe(first, path)}: "
                     "choose another id (and file name)")


_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def check_narrative_links(derived: Derived, narratives: Mapping[str, Narrative], known: set[str], content_root: Path) -> Problems:
    """A link in a narrative that leads nowhere, reported at the narrative's own line (MkDocs can name only
    the generated page the narrative is shown on). Links are relative to that page."""
    problems = Problems()
    for pub in derived.publications:
        narrative = narratives.get(pub.id)
        if narrative is None or "](" not in narrative.text:
            continue
        text = narrative.text
        code = ph.code_spans(text)
        page = page_path(pub)
        index = LineIndex(narrative.path, text)
        for mt in _LINK.finditer(text):
            target = mt.group("target")
            if any(a <= mt.start() < b for a, b in code) or re.match(r"(?i)[a-z][a-z0-9+.-]*:|[#/]", target):
                continue
            path = target.split("#")[0].split("?")[0]
            if not path.endswith(".md"):
                continue  # addresses of files and folders: MkDocs checks them against the built site
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if resolved in known or (content_root / resolved).is_file():
                continue
            name = posixpath.basename(path)
            guesses = sorted(k for k in known if posixpath.basename(k) == name)
            hint = f"; did you mean '{relative_link(guesses[0], page)}'?" if guesses else ""
            problems.add(index.at(mt.start("target")),
                         f"link '{target}' leads to no page: this narrative is shown on {page}, and its links are "
                         f"relative to that page{hint}", "warning")
    return problems
