"""The whole pipeline short of rendering: load, validate, derive. Used by the CLI and by front ends."""

from __future__ import annotations

from pathlib import Path

from .derive import Derived, derive
from .errors import Problems
from .load import LoadCache, SiteData, load_site_data
from .narrative_checks import check_text
from .readability import check_summaries
from .validate import validate


def check_site(
    project: Path, *, include_drafts: bool = False, cache: LoadCache | None = None, workers: int = 1
) -> tuple[SiteData, Derived | None, Problems]:
    """Load and validate everything; derive the context only when there are no errors.

    `workers` > 1: the narrative checks run in that many forked processes (same problems, same order)."""
    data, problems = load_site_data(project, cache=cache)
    problems.extend(validate(data))
    problems.extend(check_text(data, workers=workers))  # proportion words, placeholders, disclosures, unfinished text
    check_summaries(list(data.publications.values()), problems)  # summaries for families that are hard to read
    if problems.errors:
        return data, None, problems
    return data, derive(data, include_drafts=include_drafts), problems
