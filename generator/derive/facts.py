"""Where facts become words (issue 25): every statement the site makes about a record's source, holding,
publisher, dates, coverage and counts, built here from values that carry their provenance.

A `Statement` is one of the sentence patterns in `SENTENCES` (the inventory: `docs-internal/sentences.md` is written
from it and a test keeps the two equal) with its slots filled. Each slot holds plain text, or a `Ref` to a record,
which a page prints as a link and a feed or data file as its name. Templates print statements
(`say` in render.py); feeds and open data read the same statements' `text`, and `Source.kind`/`ref`/`held`, so
pages, feeds and data cannot disagree.

A source is always one of three things (`Source.kind`): a publication (held by this site or not), a source this
site does not name, or not stated in the sources. What the site assigns itself (a name for an untitled record, an
indicator code, a message's number) has sentences of its own that say so. Nothing here defaults to "this report":
a record the site does not hold is never the source of its own grades.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Protocol

from generator.model import models as m
from generator.model.dates import PartialDate
from generator.model.queries import KIND_NAME, programme_of

if TYPE_CHECKING:
    from generator.model.load import SiteData
    from generator.model.queries import ClaimCheck


class RecordChange(Protocol):
    """`derive.RecordChange` (derive imports this module, so it is named here by its shape)."""

    @property
    def date(self) -> PartialDate | None: ...
    @property
    def corrected(self) -> bool: ...
    @property
    def publications(self) -> int: ...
    @property
    def undated(self) -> int: ...

SourceKind = Literal["publication", "unnamed", "not-stated"]


@dataclass(frozen=True)
class Ref:
    """A record named in a statement: a publication, a cited document, an organisation or a partnership."""

    kind: Literal["publication", "organisation", "partnership", "programme", "address"]
    id: str
    name: str


@dataclass(frozen=True)
class Statement:
    """One sentence pattern (`key` in SENTENCES) with its slots."""

    key: str
    slots: Mapping[str, str | Ref | int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The sentence in plain words (records by name): what feeds and data files say."""
        return SENTENCES[self.key].pattern.format(**{k: v.name if isinstance(v, Ref) else v for k, v in self.slots.items()})


@dataclass(frozen=True)
class Source:
    """Where a fact is stated."""

    kind: SourceKind
    ref: str | None = None
    """The publication or document id, for kind 'publication'."""
    held: bool = False
    """For kind 'publication': whether this site holds that publication itself."""

    def statement(self, data: SiteData, own: str | None = None) -> Statement:
        """'Stated in: ...' for this source; `own`: the id of the page's own record, which reads 'this report'."""
        if self.kind != "publication" or self.ref is None:
            return Statement(f"source.{self.kind}")
        if self.ref == own and self.held:
            return Statement("source.this")
        return Statement("source.held" if self.held else "source.not-held", {"publication": publication_ref(data, self.ref)})


@dataclass(frozen=True)
class Sentence:
    pattern: str
    states: str
    """The states of the data in which the generator writes it."""


SENTENCES: Mapping[str, Sentence] = MappingProxyType({
    # where a fact is stated
    "source.this": Sentence("Stated in: this report", "a grade or total with no source named, on the page of a record this site holds"),
    "source.held": Sentence("Stated in: {publication}", "the source is a publication this site holds"),
    "source.not-held": Sentence("Stated in: {publication}, which this site does not hold",
                                "the source is a publication or cited document this site does not hold"),
    "source.unnamed": Sentence("Stated in a source this site does not name",
                               "no source named, and the record is not held by this site (nor rebuilt from a named one)"),
    "source.not-stated": Sentence("Not stated in the sources this site holds", "a field listed in not_stated"),
    # whether the site holds the publication
    "holding.full": Sentence("This site holds the {kind} itself.", "held (held: true, or left out without rebuilt_from)"),
    "holding.rebuilt": Sentence("This site does not hold the {kind} itself: this page is rebuilt from {publication}.",
                                "not held, rebuilt from a named publication"),
    "holding.unnamed": Sentence("This site does not hold the {kind} itself: this page is built from a source this site "
                                "does not name.", "held: false and no rebuilt_from"),
    # who published it
    "publisher.stated": Sentence("{organisation}", "publisher given"),
    "publisher.not-stated": Sentence("not stated in the sources this site holds", "not_stated: [publisher]"),
    "field.not-stated": Sentence("not stated in the sources this site holds",
                                 "a programme's lead, a letter's addressee or a response's committee, council or author's "
                                 "role listed in not_stated"),
    "publisher.council": Sentence("{organisation}", "a response: the council or board that issued it"),
    # when
    "date.stated": Sentence("published {date}", "a publication date given (day, month, year or approximate)"),
    "date.not-stated": Sentence("publication date not stated in the sources this site holds", "no date, no programme"),
    "date.not-stated-in-programme": Sentence("publication date not stated in the sources this site holds (its programme: {period})",
                                             "no date, in a programme"),
    # a programme's years
    "period.ended": Sentence("{start} to {end}", "start and end given"),
    "period.running": Sentence("{start} onwards", "no end given (still running)"),
    "period.end-not-stated": Sentence("{start} onwards (its end is not stated in the sources this site holds)",
                                      "not_stated: [end]"),
    # holdings and coverage
    "holdings.none": Sentence("This site holds no report from this programme yet.", "no published report of the programme"),
    "holdings.all-held": Sentence("This site holds {count} report{s} from this programme.",
                                  "one or more published reports, every one held by this site"),
    "holdings.some-not-held": Sentence("This site has pages for {count} report{s} from this programme: it holds {held} of them "
                                       "itself, and {not_held} {are} rebuilt from, or known through, other publications.",
                                       "one or more published reports, some not held by this site"),
    "holdings.none-held": Sentence("This site has pages for {count} report{s} from this programme, but holds none of them "
                                   "itself: {they} rebuilt from, or known through, other publications.",
                                   "one or more published reports, none held by this site"),
    "holdings.elsewhere": Sentence("Other reports of the programme may be listed in {list}.",
                                   "the lead (or publisher) gives a reports_url"),
    "holdings.elsewhere-unknown": Sentence("Where the programme's other reports are listed is not stated in the sources this site holds.",
                                           "no reports_url for the lead"),
    "coverage.stated": Sentence("{publication} lists {count} partnership{s} the programme covered.",
                                "partnerships with partnerships_source"),
    "coverage.not-stated": Sentence("No source this site holds lists the partnerships the programme covered.",
                                    "no partnerships listed"),
    # framework indicators
    "indicators.named": Sentence("These are the indicators this site records for the framework, from the publications that "
                                 "name them; the framework may have more.", "a framework with indicators"),
    "indicators.assigned-code": Sentence("code assigned by this site: the sources give none", "code_assigned: true"),
    "messages.numbered-by-site": Sentence("The source does not number these; the numbers are this site's.",
                                          "a numbered message with not_stated: [number]"),
    # a page's notices and short forms of the same facts
    "banner.rebuilt": Sentence("Rebuilt from another publication", "the title of the box at the top of a page rebuilt_from another"),
    "banner.not-held": Sentence("This site does not hold this publication", "the title of that box for held: false without rebuilt_from"),
    "holding.short-not-held": Sentence("(not held by this site)", "a list row of a publication not held, not rebuilt"),
    "holding.short-rebuilt": Sentence("(rebuilt from another publication)", "a list row of a publication rebuilt_from another"),
    "original.at": Sentence("The original is at {address}.", "a publication not held, with its url"),
    "original.unknown": Sentence("Where the original is published is not stated in the sources this site holds.",
                                 "a publication not held (or a review in chapters), with no url"),
    "original.address-unknown": Sentence("address not known (no source this site holds gives it)", "not_stated: [url]"),
    "date.short-not-stated": Sentence("date not stated", "a list line or entry of an undated publication"),
    "date.cell-not-stated": Sentence("Date not stated", "a table cell or list entry of an undated publication"),
    "meaning.not-stated": Sentence("its meaning is not stated in the sources this site holds", "a scale level with not_stated: [meaning]"),
    "words.not-stated": Sentence("Its words are not stated in the sources this site holds.",
                                 "a question or line of enquiry with not_stated: [text]"),
    "grades.none-published": Sentence("No grade from this inspection is published in the sources this site holds.",
                                      "an inspection whose every evaluation is without a grade"),
    "grades.none-held": Sentence("This site holds no grades from this inspection.", "an inspection of a graded programme with no evaluations"),
    "grades.none-given": Sentence("Inspections in this programme give no grades.", "an inspection of a programme with no scale"),
    "grades.short-none-held": Sentence("no grade held by this site", "an area's latest inspection with no grade on this site"),
    "grades.short-none-given": Sentence("no grades given", "an area's latest inspection, of a programme with no scale"),
    "grades.letter-none": Sentence("it gives no grades", "a self-evaluation letter listed on an area's page"),
    "grades.programme-none": Sentence("No grades", "a programme that evaluates no indicators, in the list of programmes"),
    "holdings.area-elsewhere": Sentence("Reports this site does not hold may be in {list}.",
                                        "a partnership with no inspection on this site, where an organisation lists its reports"),
    # a review's claims about grades (`queries.claim_check`)
    "claim.checked": Sentence("checked. It covers {count} evaluation{s} of {covered}; this site holds all of them, and they agree with it.",
                              "every grade the claim covers is held"),
    "claim.partly": Sentence("not fully checked. It covers {count} evaluations of {covered} (across the partnerships inspected); "
                             "this site holds {held} of them{which}, and those do not contradict it. The rest could not be checked.",
                             "some grades held, and the claim's extent known (its total, or the programme's coverage listed)"),
    "claim.partly-extent-unknown": Sentence("not fully checked. It covers the evaluations of {covered} across the partnerships "
                                            "the programme covered, and no source this site holds says how many that is; this "
                                            "site holds {held} of them{which}, and those do not contradict it. The rest could not "
                                            "be checked.", "some grades held, the claim's extent unknown"),
    "claim.unchecked": Sentence("not checked. It covers {count} evaluations of {covered} (across the partnerships inspected); "
                                "this site holds none of them.", "no grade held, the claim's extent known"),
    "claim.unchecked-extent-unknown": Sentence("not checked. It covers the evaluations of {covered} across the partnerships the "
                                               "programme covered, and no source this site holds says how many that is; this "
                                               "site holds none of them.", "no grade held, the claim's extent unknown"),
    "claim.no-figure": Sentence("not checked: the site records no figure from it to check.", "a claim with no count, total or distribution"),
    # when an area's record last changed (`derive.record_change`)
    "change.published": Sentence("{date}, when the newest publication about {area} was published", "a dated publication, no later correction"),
    "change.corrected": Sentence("{date}, when a publication about {area} was corrected", "a correction later than every publication date"),
    "change.undated-not-counted": Sentence("({count} publication{s} with no date in the sources this site holds {are} not counted)",
                                           "besides dated ones, publications with no date"),
    "change.none-dated": Sentence("not known: none of the publications about {area} has a date in the sources this site holds",
                                  "publications, none dated"),
    "change.nothing": Sentence("none yet: nothing is published about {area} on this site", "no publication"),
    # feeds
    "feed.no-exact-day": Sentence("For {count} publication{s} the sources this site holds give no exact day: {their} dated the "
                                  "day this feed was built, {built}, not a publication date.", "a feed with entries of no exact day"),
    "feed.entry-no-exact-day": Sentence("(the sources give no exact day: this entry is dated the day this feed was built)",
                                        "a feed entry of a publication with no exact day"),
    "feed.area-no-exact-day": Sentence("For {count} of them the sources this site holds give no exact day: in the feed, {their} "
                                       "dated the day the feed was built, and {say} so.", "an area page, publications with no exact day"),
    "list.undated": Sentence("{count} publication{s} {have} no date in the sources this site holds: {they} in the list, with the "
                             "years of {programmes} where known, placed at the programme's end (or, while it runs, its first "
                             "year). In the feed of all publications, a publication with no exact day is dated the day the feed "
                             "was built, and says so.", "the list of all publications, with undated ones"),
    # names for records whose title no source gives
    "name.untitled": Sentence("{kind}: {about}, {when} (title not stated in the sources)", "not_stated: [title]"),
    "name.untitled-framework": Sentence("Quality framework: {about} (title not stated in the sources)",
                                        "a framework with not_stated: [title]"),
})
"""Every sentence pattern the generator builds from facts, with the states it appears in (the inventory)."""


def publication_ref(data: SiteData, pid: str) -> Ref:
    pub = data.publication(pid)
    if pub is not None:
        return Ref("publication", pid, pub.title or pid)
    doc = data.documents.get(pid)
    return Ref("publication", pid, doc.title if doc else pid)


def holds(data: SiteData, pid: str) -> bool:
    """Whether the site holds a publication itself: one of its records, published and held (never a cited document)."""
    pub = data.publication(pid)
    return pub is not None and pub.status == "published" and pub.holds


def source_of(data: SiteData, pid: str) -> Source:
    return Source("publication", pid, held=holds(data, pid))


def default_source(data: SiteData, pub: m.Publication) -> Source:
    """Where a fact of `pub` with no source of its own is stated: the publication itself where the site holds it,
    the publication it was rebuilt from, else a source the site does not name. Never the record by default."""
    if pub.holds:
        return Source("publication", pub.id, held=pub.status == "published")
    if pub.rebuilt_from:
        return source_of(data, pub.rebuilt_from)
    return Source("unnamed")


def grade_source(data: SiteData, insp: m.Inspection, ev: m.Evaluation) -> Source:
    return source_of(data, ev.source) if ev.source else default_source(data, insp)


def totals_source(data: SiteData, insp: m.Inspection) -> Source | None:
    totals = insp.grade_totals
    if totals is None:
        return None
    return source_of(data, totals.source) if totals.source else default_source(data, insp)


def holding(data: SiteData, pub: m.Publication) -> Statement:
    kind = KIND_NAME[type(pub)].lower()
    if pub.holds:
        return Statement("holding.full", {"kind": kind})
    if pub.rebuilt_from:
        return Statement("holding.rebuilt", {"kind": kind, "publication": publication_ref(data, pub.rebuilt_from)})
    return Statement("holding.unnamed", {"kind": kind})


def publisher(data: SiteData, pub: m.Publication) -> tuple[Statement, Source]:
    """Who published it, and where that is stated (the record's own default source)."""
    if isinstance(pub, m.Response):
        if pub.organisation is None:
            return Statement("publisher.not-stated"), Source("not-stated")
        return Statement("publisher.council", {"organisation": pub.organisation}), default_source(data, pub)
    if pub.publisher and pub.publisher in data.organisations:
        org = data.organisations[pub.publisher]
        return Statement("publisher.stated", {"organisation": Ref("organisation", org.id, org.name)}), default_source(data, pub)
    return Statement("publisher.not-stated"), Source("not-stated")


def period(programme: m.Programme) -> Statement:
    start = programme.start.human()
    if programme.end is not None:
        return Statement("period.ended", {"start": start, "end": programme.end.human()})
    if not programme.stated("end"):
        return Statement("period.end-not-stated", {"start": start})
    return Statement("period.running", {"start": start})


def published(data: SiteData, pub: m.Publication) -> Statement:
    if pub.date is not None:
        return Statement("date.stated", {"date": pub.date.human()})
    programme = programme_of(data, pub)
    if programme is not None:
        return Statement("date.not-stated-in-programme", {"period": period(programme).text})
    return Statement("date.not-stated")


def programme_reports(publications: list[m.Publication], programme: m.Programme) -> list[m.Publication]:
    """The programme's publications this site lists (inspections and letters of the programme, not its review)."""
    return [p for p in publications if isinstance(p, (m.Inspection, m.Letter)) and getattr(p, "programme", None) == programme.id]


def holdings(data: SiteData, publications: list[m.Publication], programme: m.Programme) -> list[Statement]:
    """How many of the programme's reports this site holds (pages), and where the rest are listed."""
    reports = programme_reports(publications, programme)
    held = sum(1 for p in reports if p.holds)
    plural = {"count": len(reports), "s": "" if len(reports) == 1 else "s"}
    if not reports:
        out = [Statement("holdings.none")]
    elif held == len(reports):
        out = [Statement("holdings.all-held", plural)]
    elif held == 0:
        out = [Statement("holdings.none-held", {**plural, "they": "it is" if len(reports) == 1 else "they are"})]
    else:
        out = [Statement("holdings.some-not-held", {**plural, "held": held, "not_held": len(reports) - held,
                                                    "are": "is" if len(reports) - held == 1 else "are"})]
    org = data.organisations.get(programme.lead or "")
    if org is not None and org.reports_url:
        out.append(Statement("holdings.elsewhere", {"list": Ref("address", org.reports_url, f"the {org.name}'s list of joint inspection reports")}))
    else:
        out.append(Statement("holdings.elsewhere-unknown"))
    return out


def coverage(data: SiteData, programme: m.Programme) -> Statement:
    """Which partnerships the programme covered: only where a publication lists them."""
    if programme.partnerships and programme.partnerships_source:
        count = len(programme.partnerships)
        return Statement("coverage.stated", {"publication": publication_ref(data, programme.partnerships_source),
                                             "count": count, "s": "" if count == 1 else "s"})
    return Statement("coverage.not-stated")


def untitled_name(data: SiteData, pub: m.Publication) -> str:
    """A name for a publication whose title no source gives, from facts the site holds: its kind, what it is about
    (its partnership, or its programme) and its year (or its programme's years)."""
    programme = data.programmes.get(getattr(pub, "programme", None) or "")
    partnership = data.partnerships.get(getattr(pub, "partnership", None) or "")
    about = partnership.name if partnership else programme.short_title if programme else pub.id
    if pub.date is not None:
        when = str(pub.date.year) + (" (approximate)" if pub.date.approximate else "")
    elif programme is not None and partnership is not None:
        when = programme.short_title
    else:
        when = "date not stated"
    return Statement("name.untitled", {"kind": KIND_NAME[type(pub)], "about": about, "when": when}).text


def untitled_framework_name(data: SiteData, framework: m.Framework) -> str:
    users = sorted(p.short_title for p in data.programmes.values() if p.framework == framework.id)
    org = data.organisations.get(framework.publisher or "")
    parts = [", ".join(users) if users else None, org.name if org else None,
             str(framework.published.year) if framework.published else None]
    about = "; ".join(p for p in parts if p) or framework.id
    return Statement("name.untitled-framework", {"about": about}).text


def plural(count: int) -> dict[str, str | int]:
    """The slots a sentence about `count` things needs: the count and its plural endings."""
    one = count == 1
    return {"count": count, "s": "" if one else "s", "are": "is" if one else "are", "have": "has" if one else "have",
            "they": "it is" if one else "they are", "their": "its entry is" if one else "their entries are",
            "say": "says" if one else "say"}


def claim(data: SiteData, check: ClaimCheck) -> Statement:
    """What the site can say about a review's claim about grades (`queries.claim_check`)."""
    codes = check.claim.indicators
    covered = ("quality indicators " if len(codes) > 1 else "quality indicator ") + " and ".join(codes)
    names = [data.partnerships[pid].name if pid in data.partnerships else pid for pid in check.held_partnerships]
    which = f" ({', '.join(names)})" if names else ""
    slots: dict[str, str | Ref | int] = {**plural(check.expected), "covered": covered, "held": check.held, "which": which}
    if check.state == "checked":
        return Statement("claim.checked", slots)
    if not check.checkable:
        return Statement("claim.no-figure")
    known = "" if check.extent_known else "-extent-unknown"
    return Statement(("claim.partly" if check.state == "partly" else "claim.unchecked") + known, slots)


def change(area: str, record: RecordChange) -> list[Statement]:
    """When the site's record of an area last changed: its publications' and corrections' dates (`record_change`)."""
    if record.date is not None:
        out = [Statement("change.corrected" if record.corrected else "change.published", {"date": record.date.human(), "area": area})]
        if record.undated:
            out.append(Statement("change.undated-not-counted", plural(record.undated)))
        return out
    return [Statement("change.none-dated" if record.publications else "change.nothing", {"area": area})]


def inventory() -> str:
    """The sentence inventory as Markdown (docs-internal/sentences.md is this text; a test keeps them equal)."""
    lines = [
        "# Sentence inventory",
        "",
        "Every sentence pattern the generator builds from facts about a record (generator/derive/facts.py `SENTENCES`),",
        "with the states of the data it appears in. `{slot}` is filled from the data: a record's name (a link on a",
        "page), a date, a number. Written from the code by `python -m generator.derive.facts > docs-internal/sentences.md`;",
        "tests/test_facts.py keeps this file equal to the code, and tests/test_states_generated.py meets every pattern",
        "in a generated site.",
        "",
        "| key | pattern | appears when |",
        "| --- | --- | --- |",
    ]
    for key, sentence in SENTENCES.items():
        lines.append(f"| `{key}` | {sentence.pattern.replace('|', '/')} | {sentence.states} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(inventory(), end="")
