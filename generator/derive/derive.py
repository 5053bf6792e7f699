"""Derive stage: aggregates and cross-references, built once before any page is rendered."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from generator.base.memo import Memo
from generator.derive import facts
from generator.derive.review_pages import Chapter, item_chapter, review_chapters
from generator.model import models as m
from generator.model.dates import PartialDate
from generator.model.queries import ClaimCheck, EvaluationState, LatestEvaluations, claim_check, missing_state, publication_sort_key

if TYPE_CHECKING:
    from generator.model.load import SiteData


#: What a theme entry is, as readers see it on a theme page (Finding.kind -> label).
FINDING_LABELS = {"finding": "finding", "strength": "strength", "improvement": "area for improvement"}


@dataclass
class ThemeEntry:
    """One thing said about a theme, with where it was said (the page and the place on it)."""

    text: str
    kind: str
    """What it is, as readers see it: 'key message', 'finding', 'strength', 'area for improvement', ..."""
    publication: m.Publication
    partnership: str | None
    programme: str
    """Programme id, or "" where the publication belongs to none."""
    question: str | None = None
    title: str | None = None
    anchor: str | None = None
    """The id of the item on its publication's page (`key-message-2`), so a theme page links to the place."""
    chapter: str | None = None
    """The review chapter (`review_pages.Chapter.slug`) whose page holds the item; None: the publication's own page."""
    order: int = 0
    """Its place within the publication, so entries of one publication keep the publication's order."""


@dataclass
class ThemeGroup:
    """A theme's entries from one programme, oldest first."""

    programme: m.Programme | None
    """None for publications that belong to no programme (listed last)."""
    entries: list[ThemeEntry]


@dataclass(frozen=True)
class RecordChange:
    """How current the site's record of some publications is (issue 26: a partnership's page says it): the newest
    date among their dates and their corrections' dates, as precise as the sources give it (a year-only date stays a
    year), and what it leaves out. No date is made up: with no dated publication, `date` is None."""

    date: PartialDate | None
    """The newest date (the one order for dates, `PartialDate.sort_key`), or None when nothing is dated."""
    corrected: bool
    """The newest date is a correction's (no publication has a date as new)."""
    publications: int
    undated: int
    """Publications with no date in the sources and no correction: nothing of theirs is counted."""


def record_change(pubs: list[m.Publication]) -> RecordChange:
    published = [p.date for p in pubs if p.date is not None]
    corrections = [c.date for p in pubs for c in p.corrections]
    newest_published = max(published, key=lambda d: d.sort_key, default=None)
    newest_correction = max(corrections, key=lambda d: d.sort_key, default=None)
    corrected = newest_correction is not None and (newest_published is None or newest_correction.sort_key > newest_published.sort_key)
    undated = sum(1 for p in pubs if p.date is None and not p.corrections)
    return RecordChange(newest_correction if corrected else newest_published, corrected, len(pubs), undated)


@dataclass
class Derived:
    """Everything pages need that is computed rather than typed."""

    data: SiteData
    publications: list[m.Publication] = field(default_factory=list)
    """All published publications, newest first (undated last)."""
    by_partnership: dict[str, list[m.Publication]] = field(default_factory=dict)
    programme_inspections: dict[str, list[m.Inspection]] = field(default_factory=dict)
    programme_partnerships: dict[str, list[str]] = field(default_factory=dict)
    theme_entries: dict[str, list[ThemeEntry]] = field(default_factory=dict)
    indicator_programmes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(framework id, indicator code) -> programme ids that evaluate it."""
    glossary_letters: dict[str, list[m.GlossaryTerm]] = field(default_factory=dict)
    term_usage: dict[str, list[m.Publication]] = field(default_factory=dict)
    """Glossary term id -> publications whose text uses the term (newest first)."""

    # -- lookups used by templates ------------------------------------------------
    def programme_of(self, pub: m.Publication) -> m.Programme | None:
        return self.data.programmes.get(getattr(pub, "programme", None) or "")

    def chapters(self, review: m.Review) -> list[Chapter]:
        """A review's chapter pages in reading order; empty when it is one page (`review_pages`)."""
        return review_chapters(self.data, review)

    def partnership_of(self, pub: m.Publication) -> m.Partnership | None:
        return self.data.partnerships.get(getattr(pub, "partnership", None) or "")

    def scale_for(self, programme: m.Programme | None) -> m.EvaluationScale | None:
        return self.data.scales.get(programme.scale or "") if programme else None

    def scale_groups(self, inspections: list[m.Inspection]) -> list[tuple[m.EvaluationScale | None, list[m.Inspection]]]:
        """Runs of consecutive inspections graded on one scale, in the given order: a chart draws one axis per run,
        so grades on two scales never share an axis."""
        groups: list[tuple[m.EvaluationScale | None, list[m.Inspection]]] = []
        for insp in inspections:
            scale = self.scale_for(self.data.programmes.get(insp.programme))
            if groups and groups[-1][0] is scale:
                groups[-1][1].append(insp)
            else:
                groups.append((scale, [insp]))
        return groups

    def scales_of(self, inspections: list[m.Inspection]) -> list[m.EvaluationScale]:
        """The distinct scales the inspections are graded on, in order of first use."""
        out: list[m.EvaluationScale] = []
        for scale, _ in self.scale_groups(inspections):
            if scale is not None and all(s is not scale for s in out):
                out.append(scale)
        return out

    def indicator(self, programme: m.Programme | None, code: str) -> m.Indicator | None:
        framework = self.data.frameworks.get(programme.framework or "") if programme else None
        return framework.indicator(code) if framework else None

    def level(self, programme: m.Programme | None, grade: int | None) -> m.ScaleLevel | None:
        scale = self.scale_for(programme)
        return scale.level(grade) if scale and grade is not None else None

    def responses_to(self, inspection_id: str) -> list[m.Response]:
        return [r for r in self.data.responses.values() if r.inspection == inspection_id and r.status == "published"]

    def evaluation_state(self, insp: m.Inspection, code: str) -> EvaluationState:
        """The state of indicator `code` in `insp` (see `missing_state`)."""
        programme = self.programme_of(insp)
        ev = next((e for e in insp.evaluations if e.indicator == code), None)
        state = missing_state(ev)
        original = None
        if state == "not-held" and ev is not None:
            original = ev.original_url or insp.url
        return EvaluationState(code, self.indicator(programme, code), ev, state,
                               self.level(programme, ev.grade) if ev is not None else None, original)

    def evaluation_states(self, insp: m.Inspection) -> list[EvaluationState]:
        """Every evaluation recorded in `insp`, with its state, in the record's order."""
        return [self.evaluation_state(insp, ev.indicator) for ev in insp.evaluations]

    def grade_counts(self, insp: m.Inspection) -> dict[int, int]:
        """Grade value -> how many of the inspection's evaluations got it: the published totals where the
        record has them (they cover every evaluation), otherwise counted from the graded indicators."""
        if insp.grade_totals is not None:
            return {g: n for g, n in sorted(insp.grade_totals.counts.items(), reverse=True) if n}
        counts: dict[int, int] = {}
        for ev in insp.evaluations:
            if ev.grade is not None:
                counts[ev.grade] = counts.get(ev.grade, 0) + 1
        return dict(sorted(counts.items(), reverse=True))

    def is_graded(self, insp: m.Inspection) -> bool:
        """Whether any grade of the inspection is known: an indicator's grade or published totals."""
        return bool(self.grade_counts(insp))

    def totals_only(self, insp: m.Inspection) -> bool:
        """Grades known only as totals: the record has totals and no indicator's grade."""
        return insp.grade_totals is not None and not any(ev.grade is not None for ev in insp.evaluations)

    def latest_evaluations(self, partnership_id: str) -> LatestEvaluations | None:
        """The partnership's latest inspection with any known grade (per indicator or as totals), with the
        state of each evaluation; None when no grade of it is known on this site."""
        insp = self.latest_graded_inspection(partnership_id)
        if insp is None:
            return None
        return LatestEvaluations(insp, self.programme_of(insp), self.evaluation_states(insp),
                                 self.grade_counts(insp), self.totals_only(insp))

    def programme_totals(self, programme_id: str) -> dict[int, int]:
        """Grade value -> how many evaluations got it across the programme's inspections, including
        inspections whose grades are known only as totals."""
        out: dict[int, int] = {}
        for insp in self.programme_inspections.get(programme_id, []):
            for grade, n in self.grade_counts(insp).items():
                out[grade] = out.get(grade, 0) + n
        return out

    def totals_only_inspections(self, programme_id: str) -> list[m.Inspection]:
        """The programme's inspections whose grades are known only as totals (not in the per-indicator spread)."""
        return [i for i in self.programme_inspections.get(programme_id, []) if self.totals_only(i)]

    def claim_check(self, review: m.Review, claim: m.GradeClaim) -> ClaimCheck:
        """How far the site can check a review's claim (see `claim_check`)."""
        return claim_check(self.data, review, claim)

    def next_programmes(self, programme_id: str) -> list[m.Programme]:
        """Programmes whose `previous` is this one (the other direction of `previous`), oldest first."""
        return sorted((p for p in self.data.programmes.values() if p.previous == programme_id),
                      key=lambda p: (p.start.sort_key, p.id))

    def programmes_using_scale(self, scale_id: str) -> list[m.Programme]:
        """Programmes graded on the scale, newest first."""
        return sorted((p for p in self.data.programmes.values() if p.scale == scale_id),
                      key=lambda p: (p.start.sort_key, p.id), reverse=True)

    def scales_in_order(self) -> list[m.EvaluationScale]:
        """Scales, the one used by the newest programme first; scales no programme uses last, by name."""
        def key(scale: m.EvaluationScale) -> tuple[int, int, str]:
            used = self.programmes_using_scale(scale.id)
            return (0, -used[0].start.latest.toordinal(), scale.name) if used else (1, 0, scale.name)
        return sorted(self.data.scales.values(), key=key)

    def programme_grid(self, programme_id: str) -> list[tuple[m.Partnership, dict[str, m.Evaluation | None], m.Inspection]]:
        """Partnership x indicator evaluations for a programme, one row per published inspection."""
        programme = self.data.programmes[programme_id]
        rows = []
        for insp in self.programme_inspections.get(programme_id, []):
            by_code = {ev.indicator: ev for ev in insp.evaluations}
            partnership = self.data.partnerships[insp.partnership]
            rows.append((partnership, {code: by_code.get(code) for code in programme.evaluates}, insp))
        return rows

    def grade_distribution(self, programme_id: str) -> dict[str, dict[int, int]]:
        """Indicator code -> grade value -> how many inspections gave it (published grades only)."""
        programme = self.data.programmes[programme_id]
        out: dict[str, dict[int, int]] = {code: {} for code in programme.evaluates}
        for insp in self.programme_inspections.get(programme_id, []):
            for ev in insp.evaluations:
                if ev.grade is not None and ev.indicator in out:
                    out[ev.indicator][ev.grade] = out[ev.indicator].get(ev.grade, 0) + 1
        return out

    def graded_history(self, partnership_id: str) -> list[m.Inspection]:
        """The partnership's inspections with any evaluation or grade totals, oldest first (the one order)."""
        inspections = [p for p in self.by_partnership.get(partnership_id, [])
                       if isinstance(p, m.Inspection) and (p.evaluations or p.grade_totals)]
        return list(reversed(inspections))

    def theme_story(self, theme_id: str) -> list[ThemeGroup]:
        """The theme's entries by programme (in the order the programmes started), oldest first in each."""
        return theme_story(self.data, self.theme_entries.get(theme_id, []))

    def record_change(self, partnership_id: str) -> RecordChange:
        """When the site's record of the partnership last changed: its publications' and their corrections' dates."""
        return record_change(self.by_partnership.get(partnership_id, []))

    def latest_graded_inspection(self, partnership_id: str) -> m.Inspection | None:
        """The newest inspection of the partnership with any known grade (an indicator's, or totals)."""
        graded = [p for p in self.by_partnership.get(partnership_id, []) if isinstance(p, m.Inspection) and self.is_graded(p)]
        return graded[0] if graded else None


def derive(data: SiteData, *, include_drafts: bool = False, memo: Memo | None = None, stamp: Hashable = None) -> Derived:
    """The context every page is rendered from. With a `memo` (`mkdocs serve`), the glossary terms found in each
    publication are kept under its narrative's text and `stamp` (the data files' stamp, which covers its record)."""
    from generator.check.placeholders import expand_narrative

    # Narratives reach the page with their placeholders ({{ count: ... }}) replaced by numbers from the data: in a
    # copy, so the records as loaded (the checks' line and column numbers) stay as the editor wrote them.
    data = dataclasses.replace(data, narratives={pid: expand_narrative(n, data) for pid, n in data.narratives.items()})
    data = with_site_assigned(data)
    visible = {
        pid: pub for pid, pub in data.publications.items() if include_drafts or pub.status == "published"
    }
    out = Derived(data=data)
    out.publications = sorted(visible.values(), key=lambda p: publication_sort_key(p, data), reverse=True)

    by_partnership: dict[str, list[m.Publication]] = defaultdict(list)
    for pub in out.publications:
        for pid in _partnerships_of(data, pub, visible):
            by_partnership[pid].append(pub)
    out.by_partnership = {pid: by_partnership.get(pid, []) for pid in sorted(data.partnerships)}

    for prog_id, programme in data.programmes.items():
        inspections = sorted(
            (p for p in out.publications if isinstance(p, m.Inspection) and p.programme == prog_id),
            key=lambda i: data.partnerships[i.partnership].name if i.partnership in data.partnerships else i.partnership,
        )
        out.programme_inspections[prog_id] = inspections
        # the partnerships this site holds a report about: never read as the ones the programme covered (`facts.coverage`)
        held = {i.partnership for i in inspections}
        held |= {p.partnership for p in out.publications if isinstance(p, m.Letter) and p.programme == prog_id}
        out.programme_partnerships[prog_id] = sorted(held, key=lambda pid: data.partnerships[pid].name if pid in data.partnerships else pid)
        framework = data.frameworks.get(programme.framework or "")
        if framework:
            for code in programme.evaluates:
                out.indicator_programmes.setdefault((framework.id, code), []).append(prog_id)

    out.theme_entries = _theme_entries(data, out.publications)
    letters: dict[str, list[m.GlossaryTerm]] = defaultdict(list)
    for term in sorted(data.glossary.values(), key=lambda t: t.term.lower()):
        letters[term.term[0].upper()].append(term)
    out.glossary_letters = dict(letters)
    out.term_usage = _term_usage(data, out.publications, memo, stamp)
    return out


def with_site_assigned(data: SiteData) -> SiteData:
    """Copies of the records with what the site assigns where the sources are silent, each labelled as the site's
    on the pages: a name for a publication or framework whose title no source gives (`facts.untitled_name`, made
    distinct where two would read alike), and the numbers of a review's messages that the source does not number."""

    def assigned(pub: m.Publication) -> m.Publication:
        changes: dict[str, object] = {}
        if not pub.stated("title"):
            changes["title"] = facts.untitled_name(data, pub)
        if isinstance(pub, m.Review):
            for group in ("key_messages", "summary_findings"):
                msgs: list[m.NumberedMessage] = getattr(pub, group)
                if any(msg.number is None for msg in msgs):
                    changes[group] = [msg if msg.number is not None else dataclasses.replace(msg, number=place)
                                      for place, msg in enumerate(msgs, 1)]
        return dataclasses.replace(pub, **changes) if changes else pub  # type: ignore[arg-type]

    kinds = ("inspections", "reviews", "responses", "letters")
    copies: dict[str, dict[str, m.Publication]] = {kind: {pid: assigned(pub) for pid, pub in getattr(data, kind).items()}
                                                   for kind in kinds}
    frameworks = {fid: fw if fw.stated("title") else dataclasses.replace(fw, title=facts.untitled_framework_name(data, fw))
                  for fid, fw in data.frameworks.items()}
    # two records that would read alike get their id after the name (an id is the site's own)
    names: dict[str, list[m.Publication]] = defaultdict(list)
    for kind in kinds:
        for pub in copies[kind].values():
            if not pub.stated("title"):
                names[pub.title or ""].append(pub)
    for kind in kinds:
        for pid, pub in copies[kind].items():
            if not pub.stated("title") and len(names[pub.title or ""]) > 1:
                copies[kind][pid] = dataclasses.replace(pub, title=f"{pub.title} [{pid}]")
    return dataclasses.replace(data, frameworks=frameworks, **copies)  # type: ignore[arg-type]


def _term_usage(data: SiteData, publications: list[m.Publication], memo: Memo | None = None,
                stamp: Hashable = None) -> dict[str, list[m.Publication]]:
    from generator.derive.terms import TermMatcher

    matcher = TermMatcher.build(list(data.glossary.values()))
    usage: dict[str, list[m.Publication]] = {tid: [] for tid in data.glossary}
    if matcher.pattern is None:
        return usage
    pattern = matcher.pattern

    def terms(pub: m.Publication) -> list[str]:
        narrative = data.narratives.get(pub.id)
        text = "\n".join([narrative.text if narrative else "", *_strings(pub)])
        return sorted({tid for mt in pattern.finditer(text) if (tid := matcher.term_id(mt.group(0)))})

    for pub in publications:
        if memo is None:
            found = terms(pub)
        else:
            narrative = data.narratives.get(pub.id)
            found = memo.get(("terms", pub.id, narrative.text if narrative else None, stamp), partial(terms, pub))
        for tid in found:
            usage[tid].append(pub)
    return usage


def _strings(value: object) -> list[str]:
    """Every string held in a record, for finding terms in it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, m.Record):
        return [s for name, item in vars(value).items() if name not in ("at", "field_at", "id") for s in _strings(item)]
    return []


def _partnerships_of(data: SiteData, pub: m.Publication, visible: Mapping[str, m.Publication]) -> list[str]:
    """The partnerships a publication is about. A review is about its programme's partnerships and those of
    its inspections that are on the site (`visible`): a draft inspection must not put it on a published page."""
    if isinstance(pub, m.Review):
        programme = data.programmes.get(pub.programme)
        named = set(programme.partnerships) if programme else set()
        named |= {ex.partnership for ex in pub.good_practice if ex.partnership}
        named |= {i.partnership for i in data.inspections.values() if i.programme == pub.programme and i.id in visible}
        return sorted(named)
    partnership = getattr(pub, "partnership", None)
    return [partnership] if partnership else []


def _theme_entries(data: SiteData, publications: list[m.Publication]) -> dict[str, list[ThemeEntry]]:
    """Theme id -> everything published about it, oldest first (undated last), each with its anchor.

    The anchors are the ids the publication templates give each item (`key-message-2`, `summary-finding-1`,
    `finding-1`, `practice-1`, `comparison-1`, `action-3`, `observation-1`); a test checks each is on its page.
    """
    entries: dict[str, list[ThemeEntry]] = {tid: [] for tid in data.themes}

    def add(themes: list[str], entry: ThemeEntry) -> None:
        entry.order = next(counter)
        for tid in themes:
            if tid in entries:
                entries[tid].append(entry)

    for pub in publications:
        counter = iter(range(1_000_000))
        chapters = review_chapters(data, pub) if isinstance(pub, m.Review) else []
        partnership = getattr(pub, "partnership", None)
        programme = getattr(pub, "programme", None) or ""
        if isinstance(pub, m.Response):
            inspected = data.inspections.get(pub.inspection)
            programme = inspected.programme if inspected else ""
        if isinstance(pub, m.Review):
            for msg in pub.key_messages:
                add(msg.themes, ThemeEntry(msg.text, "key message", pub, None, programme, msg.question, anchor=f"key-message-{msg.number}"))
            for msg in pub.summary_findings:
                add(msg.themes, ThemeEntry(msg.text, "finding", pub, None, programme, msg.question, anchor=f"summary-finding-{msg.number}"))
        for i, finding in enumerate(pub.findings, 1):
            add(finding.themes, ThemeEntry(finding.text, FINDING_LABELS[finding.kind], pub, partnership, programme, finding.question,
                                           anchor=f"finding-{i}", chapter=item_chapter(chapters, finding.question)))
        examples = list(getattr(pub, "practice_examples", [])) + list(getattr(pub, "good_practice", []))
        for i, ex in enumerate(examples, 1):
            add(ex.themes, ThemeEntry(ex.text, "practice example", pub, ex.partnership or partnership, programme, ex.question, ex.title,
                                      anchor=f"practice-{i}", chapter=item_chapter(chapters, ex.question)))
        if isinstance(pub, m.Review):
            for i, comp in enumerate(pub.comparisons, 1):
                add(comp.themes, ThemeEntry(comp.now, "comparison with the previous programme", pub, None, programme, comp.question,
                                            comp.topic, anchor=f"comparison-{i}", chapter=item_chapter(chapters, comp.question)))
        if isinstance(pub, m.Response):
            for item in pub.action_plan:
                add(item.themes, ThemeEntry(item.action, "action in the action plan", pub, partnership, programme, None,
                                            item.improvement_area, anchor=f"action-{item.number}"))
        if isinstance(pub, m.Letter):
            for i, obs in enumerate(pub.observations, 1):
                add(obs.themes, ThemeEntry(" ".join(obs.points), "observation", pub, partnership, programme, None, obs.theme_title,
                                           anchor=f"observation-{i}"))
    for items in entries.values():
        # Oldest first, so a reader follows the subject from one publication to the next; undated last.
        # Dates in the one order (`publication_sort_key`).
        def order(e: ThemeEntry) -> tuple[bool, tuple[tuple[dt.date, int, bool], str], int]:
            key = publication_sort_key(e.publication, data)
            return (key[0][0] == dt.date.min, key, e.order)  # what cannot be placed in time goes last

        items.sort(key=order)
    return entries


def theme_story(data: SiteData, entries: list[ThemeEntry]) -> list[ThemeGroup]:
    """A theme's entries grouped by programme, programmes in the order they started; no programme last."""
    groups: dict[str, list[ThemeEntry]] = defaultdict(list)
    for entry in entries:
        groups[entry.programme if entry.programme in data.programmes else ""].append(entry)
    ordered = sorted((pid for pid in groups if pid), key=lambda pid: (data.programmes[pid].start.earliest, pid))
    story = [ThemeGroup(data.programmes[pid], groups[pid]) for pid in ordered]
    if "" in groups:
        story.append(ThemeGroup(None, groups[""]))
    return story
