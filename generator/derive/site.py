"""`check_site()`: the whole pipeline short of rendering (load, check, derive, and the checks that need every path
the site will have). Used by the command line and by front ends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.base.errors import Problems
from generator.base.memo import Memo, files_stamp
from generator.check.drafts import check_content_draft_links
from generator.check.narrative_checks import check_text
from generator.check.readability import check_summaries
from generator.check.validate import validate
from generator.derive.addresses import check_addresses, current_addresses, load_addresses
from generator.derive.derive import Derived, derive
from generator.derive.site_paths import check_paths
from generator.model.content_files import check_content
from generator.model.layout import DATA_DIR
from generator.model.limits import check_future_dates
from generator.model.load import LoadCache, SiteData, load_site_data


def check_site(
    project: Path, *, include_drafts: bool = False, cache: LoadCache | None = None, workers: int = 1,
    memo: Memo | None = None,
) -> tuple[SiteData, Derived | None, Problems]:
    """Load and validate everything; derive the context only when there are no errors. Returns the records as
    loaded (the derived context holds its own copy, with narratives' placeholders replaced by numbers).

    `workers` > 1: the narrative checks run in that many forked processes (same problems, same order).
    `memo` (`mkdocs serve`, with `cache`): the text checks and the glossary terms of what an edit did not change are
    taken from the last rebuild (base/memo.py)."""
    project = project.resolve()
    stamp = None
    if memo is not None:
        memo.next_round()
        stamp = files_stamp(project / DATA_DIR)
    data, problems = load_site_data(project, cache=cache)
    pages = check_content(project, problems)  # what content/ may hold; its pages
    problems.extend(validate(data))
    check_content_draft_links(data, pages, problems)  # hand-written pages may not link to a draft either
    problems.extend(check_text(data, pages, workers=workers, memo=memo, stamp=stamp))  # proportion words, placeholders, disclosures, unfinished text
    check_summaries(list(data.publications.values()), problems)  # summaries for families that are hard to read
    problems.extend(check_future_dates(data))  # a published record dated after today
    if problems.errors:
        return data, None, problems
    data = dataclasses.replace(data, addresses=load_addresses(project, problems))
    derived = derive(data, include_drafts=include_drafts, memo=memo, stamp=stamp)
    problems.extend(check_paths(derived, pages, data.narratives))  # no two pages (or feeds) on one path; links lead somewhere
    problems.extend(check_addresses(data.addresses, current_addresses(derived, pages)))  # no published address breaks
    if problems.errors:
        return data, None, problems
    return data, derived, problems
