"""The verdict: in one place, what a reader most wants to know about an area or an inspection.

Which inspection is the latest, when it was published, each grade with the scale's word, number
and meaning, and what the inspection looked at. Where the site holds no inspection, the verdict
says so and says what it does hold. Templates print it (`verdict` and `area_result` macros in
_macros.md.j2); nothing here knows about Markdown or MkDocs.

Every sentence built from a verdict must stay true in every state of the data: no inspection;
an inspection with no evaluations; evaluations whose grades are not published; a programme
without a scale; a publication date not stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.derive.derive import Derived
from generator.model import models as m
from generator.model.dates import PartialDate


@dataclass(frozen=True)
class GradeLine:
    """One evaluation as the verdict shows it."""

    code: str
    indicator: m.Indicator | None
    evaluation: m.Evaluation
    level: m.ScaleLevel | None
    """The scale's level for the grade; None where the grade is not published."""


@dataclass(frozen=True)
class Verdict:
    """What the site holds about the latest inspection of one area (or why it holds none)."""

    partnership: m.Partnership
    inspection: m.Inspection | None
    """The latest published inspection of the area, graded or not; None when the site holds none."""
    programme: m.Programme | None
    scale: m.EvaluationScale | None
    grades: list[GradeLine] = field(default_factory=list)
    other_publications: list[m.Publication] = field(default_factory=list)
    """When there is no inspection: what else the site holds about the area (letters, reviews), newest first."""
    reports_elsewhere: list[m.Organisation] = field(default_factory=list)
    """Inspectorates that list their own reports (`reports_url`): where to look for what this site lacks."""
    newer: m.Inspection | None = None
    """On an inspection's own page: the area's latest inspection, where that is a newer one."""

    @property
    def published(self) -> PartialDate | None:
        return self.inspection.published if self.inspection else None

    @property
    def graded(self) -> list[GradeLine]:
        return [g for g in self.grades if g.level is not None]

    @property
    def ungraded(self) -> list[GradeLine]:
        return [g for g in self.grades if g.level is None]


def _grades(derived: Derived, insp: m.Inspection, programme: m.Programme | None) -> list[GradeLine]:
    lines = []
    for ev in insp.evaluations:
        level = derived.level(programme, ev.grade) if ev.grade is not None else None
        lines.append(GradeLine(ev.indicator, derived.indicator(programme, ev.indicator), ev, level))
    return lines


def _reports_elsewhere(derived: Derived) -> list[m.Organisation]:
    """Lead bodies of the programmes, newest programme first, that say where they publish their reports."""
    data = derived.data
    out: list[m.Organisation] = []
    for programme in sorted(data.programmes.values(), key=lambda p: p.start, reverse=True):
        org = data.organisations.get(programme.lead or "")
        if org is not None and org.reports_url and org not in out:
            out.append(org)
    return out


def reports_list(derived: Derived, pub: m.Publication) -> m.Organisation | None:
    """Where the inspectorate lists its reports, for a publication's page: the `reports_url` of the body that
    published it, else of the one that leads its programme; None where neither gives one (no address is made up)."""
    programme = derived.programme_of(pub)
    for org_id in (pub.publisher, programme.lead if programme else None):
        org = derived.data.organisations.get(org_id or "")
        if org is not None and org.reports_url:
            return org
    return None


def inspection_verdict(derived: Derived, insp: m.Inspection) -> Verdict:
    """The verdict of one inspection (for the top of its own page)."""
    programme = derived.programme_of(insp)
    partnership = derived.data.partnerships[insp.partnership]
    latest = _latest_inspection(derived, insp.partnership)
    return Verdict(partnership, insp, programme, derived.scale_for(programme), _grades(derived, insp, programme),
                   reports_elsewhere=_reports_elsewhere(derived), newer=latest if latest is not insp else None)


def _latest_inspection(derived: Derived, partnership_id: str) -> m.Inspection | None:
    pubs = derived.by_partnership.get(partnership_id, [])  # newest first, undated last
    return next((p for p in pubs if isinstance(p, m.Inspection)), None)


def partnership_verdict(derived: Derived, partnership_id: str) -> Verdict:
    """The verdict of an area: its latest published inspection, or what the site holds instead."""
    partnership = derived.data.partnerships[partnership_id]
    latest = _latest_inspection(derived, partnership_id)
    if latest is None:
        pubs = derived.by_partnership.get(partnership_id, [])
        return Verdict(partnership, None, None, None, other_publications=list(pubs),
                       reports_elsewhere=_reports_elsewhere(derived))
    return inspection_verdict(derived, latest)


def grade_range(verdict: Verdict) -> tuple[GradeLine, GradeLine] | None:
    """The lowest and highest published grade of the verdict's inspection (the same line twice if all agree)."""
    graded = verdict.graded
    if not graded:
        return None
    ordered = sorted(graded, key=lambda g: g.level.value if g.level else 0)
    return ordered[0], ordered[-1]
