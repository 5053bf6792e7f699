"""Limits on what can be written, each with a message, so no input reaches a traceback or says too much.

- Dates: years from 1900 to 2100 (dates.py refuses others when it reads them); a published
  record cannot be dated after today (`published: 2999-10-17` would announce a publication that
  has not happened). Drafts may carry a planned date.
- Whole numbers: at most 9 digits (convert.py; Python refuses to read more than 4,300).
- Markup depth: emphasis nests a few levels at most; a run of `*` or `_` longer than
  MAX_MARKER_RUN (or more than MAX_MARKERS in one paragraph) would nest so deep that the
  Markdown converter fails (RecursionError) on a page `check` had passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from generator.base.errors import Position, Problems
from generator.model import models as m
from generator.model.dates import PartialDate

MAX_DIGITS = 9
MAX_MARKER_RUN = 6
MAX_MARKERS = 400
_RUN = re.compile(r"(?:[*_]\s?){" + str(MAX_MARKER_RUN + 1) + ",}")
_RULE_LINE = re.compile(r"^[ \t]*(?:[*_-][ \t]*){3,}$")  # a horizontal rule: a line of markers only
_PARAGRAPH = re.compile(r"(?:[^\n]+\n?)+")


def today() -> dt.date:
    """The day of the check (not SOURCE_DATE_EPOCH: that fixes what a build writes, not what is true)."""
    return dt.date.today()


def check_future_dates(data: object, now: dt.date | None = None) -> Problems:
    """A published record dated after today is refused (its date is not yet true)."""
    problems = Problems()
    now = now or today()
    for pub in getattr(data, "publications", {}).values():
        if pub.status == "draft":
            continue
        for name, value in _dates(pub):
            if name in ("published", "date", "revised", "report_date") and value.earliest > now:
                problems.add(pub.pos(name), f"'{name}' is {value.iso()}, after today ({now.isoformat()}): a published "
                                            "record cannot be dated in the future; check the year, or keep the record "
                                            "as status: draft until it is published")
    return problems


def _dates(record: m.Record) -> Iterator[tuple[str, PartialDate]]:
    for name in ("published", "date", "revised", "report_date"):
        value = getattr(record, name, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, PartialDate):
                yield name, item


def markup_depth(text: str, at: Callable[[int], Position]) -> list[tuple[Position, str]]:
    """Places where emphasis markers would nest too deep for the Markdown converter."""
    found: list[tuple[Position, str]] = []
    if text.count("*") + text.count("_") <= MAX_MARKER_RUN:
        return found
    for para in _PARAGRAPH.finditer(text):
        block = para.group(0)
        runs = [mt for mt in _RUN.finditer(block) if not _RULE_LINE.match(_line_of(block, mt.start()))]
        if runs:
            run = runs[0].group(0)
            count = run.count("*") + run.count("_")
            found.append((at(para.start() + runs[0].start()),
                          f"{count} emphasis markers in a row ('{run[:12]}...'): at most {MAX_MARKER_RUN} "
                          "('***bold italic***' uses 3 on each side), deeper nesting cannot be shown; "
                          "to show the characters, write \\* or \\_"))
            continue
        markers = len(re.findall(r"(?<!\w)[*_]|[*_](?!\w)", block))
        if markers > MAX_MARKERS:
            found.append((at(para.start()), f"{markers} emphasis markers (* or _) in one paragraph: at most {MAX_MARKERS}, "
                                            "emphasis nested this deep cannot be shown; break the paragraph up or remove "
                                            "markers (write \\* to show the character)"))
    return found


def _line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:] if end < 0 else text[start:end]
