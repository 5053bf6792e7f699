"""Facts read straight off the loaded records, the same for the checks and every later stage:
what kind of publication a record is, the one order of publications, the state of an evaluation,
a review's table of evaluations and how far the site can check its claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from generator.model import models as m
from generator.model.dates import PartialDate, sort_key

if TYPE_CHECKING:
    from generator.model.load import SiteData

KIND_FOLDER: dict[type[m.Publication], str] = {m.Inspection: "inspections", m.Review: "reviews", m.Response: "responses", m.Letter: "letters"}


KIND_NAME: dict[type[m.Publication], str] = {
    m.Inspection: "Inspection report",
    m.Review: "Review of findings",
    m.Response: "Partnership response",
    m.Letter: "Self-evaluation letter",
}


def review_evaluations(
    data: SiteData, review: m.Review, indicators: list[str] | None = None
) -> dict[str, dict[str, m.Evaluation | None]]:
    """The review's table of evaluations, derived from its programme's inspections (never typed twice).

    Returns partnership id -> indicator code -> evaluation (None where that inspection has none).
    """
    codes = indicators if indicators is not None else review.evaluated_indicators
    table: dict[str, dict[str, m.Evaluation | None]] = {}
    for insp in sorted(data.inspections.values(), key=lambda i: i.partnership):
        if insp.programme != review.programme or insp.status != "published":
            continue
        by_code = {ev.indicator: ev for ev in insp.evaluations}
        table[insp.partnership] = {code: by_code.get(code) for code in codes}
    return table


def publication_sort_key(pub: m.Publication, data: SiteData | None = None) -> tuple[tuple[dt.date, int, bool], str]:
    """The one order of publications everywhere (lists, sections, charts, themes, feeds): by date
    (`PartialDate.sort_key`: undated first, year-only before a day in that year), then id. Sort with
    `reverse=True` for newest first (undated then come last).

    With `data`, an undated record of a programme (or a response to one of its inspections) is placed by what the
    site knows of its time: at the programme's end where it has ended, else at the end of its first year, before
    anything dated that day. A 2021-2025 report with no date is never older than a 2010 one (nor a partnership's
    'latest inspection' ahead of a 2023 one). Its date still reads 'not stated', with the programme's years."""
    if pub.date is None and data is not None:
        programme = programme_of(data, pub)
        if programme is not None:
            bound = programme.end if programme.end is not None else programme.start
            return ((bound.latest, -2, False), pub.id)
    return (sort_key(pub.date), pub.id)


def programme_of(data: SiteData, pub: m.Publication) -> m.Programme | None:
    """The programme a publication belongs to: its own, or (a response) that of the inspection it answers."""
    pid = getattr(pub, "programme", None)
    if pid is None and isinstance(pub, m.Response):
        insp = data.inspections.get(pub.inspection)
        pid = insp.programme if insp else None
    return data.programmes.get(pid or "")


GRADED = "graded"


NOT_RECORDED = "not-recorded"


STATE_WORDS: Mapping[str, str] = MappingProxyType({**m.MISSING_STATES, NOT_RECORDED: "Not recorded on this site"})
"""Every state an indicator of an inspection can be in -> the words readers see (besides 'graded')."""


def missing_state(ev: m.Evaluation | None) -> str:
    """'graded', one of `models.MISSING_STATES`, or 'not-recorded' (no evaluation of that indicator in the
    record at all). A bare `not_published` text without `missing` means 'not-published'."""
    if ev is None:
        return NOT_RECORDED
    if ev.grade is not None:
        return GRADED
    return ev.missing or "not-published"


@dataclass(frozen=True)
class EvaluationState:
    """One indicator of one inspection as readers see it: its grade, or which kind of missing it is."""

    code: str
    indicator: m.Indicator | None
    evaluation: m.Evaluation | None
    state: str
    """'graded', 'not-evaluated', 'not-published', 'not-held' or 'not-recorded'."""
    level: m.ScaleLevel | None
    """The grade's level on the scale (None unless graded)."""
    original_url: str | None
    """For 'not-held': the address of the report that states the grade, where known."""

    @property
    def words(self) -> str:
        """What a reader sees for this state: the grade's word and number, or the state in plain words."""
        if self.state == GRADED and self.evaluation is not None:
            label = self.level.label if self.level else "Unknown"
            return f"{label} ({self.evaluation.grade})"
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class LatestEvaluations:
    """A partnership's latest graded inspection with the state of each evaluation (`Derived.latest_evaluations`)."""

    inspection: m.Inspection
    programme: m.Programme | None
    states: list[EvaluationState]
    """One per indicator recorded in the inspection, in the record's order (empty when known only as totals)."""
    totals: dict[int, int]
    """Grade value -> how many evaluations got it: from the grades, or the published totals."""
    totals_only: bool
    """True when the sources give only totals, not which indicator got which grade."""

    @property
    def corrected(self) -> PartialDate | None:
        return self.inspection.last_corrected


@dataclass(frozen=True)
class ClaimCheck:
    """What the site can say about a review's aggregate claim (`Derived.claim_check`)."""

    claim: m.GradeClaim
    expected: int
    """How many evaluations the claim covers: partnerships in the programme x indicators claimed, less those
    recorded as not evaluated (or the claim's own `total`, when the site holds exactly that many grades)."""
    held: int
    """How many of those grades this site holds."""
    held_partnerships: list[str]
    """Partnership ids whose grades for the claim's indicators are held (all of them)."""
    checkable: bool
    """Whether the claim states a number (count, total or distribution) that can be checked."""
    extent_known: bool = True
    """Whether the site knows how many evaluations the claim covers: the claim states its total, or a source lists
    the partnerships the programme covered. Otherwise the grades the site holds may be only some of them, and the
    claim is never 'checked'."""

    @property
    def complete(self) -> bool:
        return self.extent_known and self.expected > 0 and self.held == self.expected

    @property
    def state(self) -> str:
        """'checked' (every grade it covers is held, and they agree: the check refuses a disagreement),
        'partly' (some are held and do not contradict it), 'unchecked' (none held or nothing to check)."""
        if not self.checkable or self.held == 0:
            return "unchecked"
        return "checked" if self.complete else "partly"


def claim_check(data: SiteData, review: m.Review, claim: m.GradeClaim) -> ClaimCheck:
    """How far the site can check a review's aggregate claim. The claim covers every partnership the programme
    covered (its `partnerships`, where a source lists them, and its published inspections) for each of the claim's
    indicators, or as many evaluations as it says; it is 'checked' only when the site knows how many that is and
    holds every one of those grades."""
    table = review_evaluations(data, review, claim.indicators)
    programme = data.programmes.get(review.programme)
    partnerships = sorted(set(programme.partnerships if programme else []) | set(table))
    held_by: dict[str, int] = {}
    expected = 0
    for pid in partnerships:
        row = table.get(pid, {})
        held_by[pid] = sum(1 for code in claim.indicators if (ev := row.get(code)) is not None and ev.grade is not None)
        # an indicator recorded as not evaluated there has no grade for the claim to cover
        expected += sum(1 for code in claim.indicators if missing_state(row.get(code)) != "not-evaluated")
    held = sum(held_by.values())
    stated = claim.total if claim.total is not None else sum(claim.distribution.values()) if claim.distribution else None
    if stated is not None:
        expected = stated  # the claim names its own number of evaluations
    full = [pid for pid, n in held_by.items() if n == len(claim.indicators)]
    checkable = claim.count is not None or claim.total is not None or bool(claim.distribution)
    known = stated is not None or bool(programme and programme.partnerships and programme.partnerships_source)
    return ClaimCheck(claim, expected, held, full, checkable, known)
