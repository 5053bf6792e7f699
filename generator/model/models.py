"""The typed model of everything the site publishes.

Each class is one kind of thing in `site-data/`. The validator reads these
dataclasses as the schema: a field's type says what YAML may hold there, a
default makes it optional, and the docstring under a field is what editors are
told when they get it wrong. Records that live in a file of their own take their
`id` from the file name (`site-data/partnerships/fife.yaml` is `fife`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Literal, NewType

from generator.base.errors import Position
from generator.model.dates import PartialDate


@dataclass(kw_only=True)
class Record:
    """Base of every model object: where in which file it was written."""

    at: Position = field(default_factory=Position.unknown, repr=False, compare=False)
    """Where the mapping for this record starts (set by the loader, never written in YAML)."""
    field_at: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)
    """Where each field's value was written (set by the loader)."""

    may_be_unstated: ClassVar[tuple[str, ...]] = ()
    """Descriptive fields the sources may not give: leave one out and list it in `not_stated` (never invent it)."""
    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """What readers see for a field listed in `not_stated`, where the pages need a text (titles)."""
    unstated_optional: ClassVar[tuple[str, ...]] = ()
    """Fields that may be listed in `not_stated` but may also be simply left out (a publication's `url`: the
    check warns only where it matters, on a report the site holds in full)."""

    def pos(self, name: str) -> Position:
        return self.field_at.get(name, self.at)

    def __post_init__(self) -> None:
        if not self.may_be_unstated:
            return
        # what the editor wrote, before a title not stated is filled in with words that say so (a copy made with
        # dataclasses.replace arrives with those words already in place: they are not the editor's)
        listed = getattr(self, "not_stated", ())
        self.given_fields = frozenset(
            n for n in (*self.may_be_unstated, *self.unstated_optional)
            if getattr(self, n) is not None and not (n in listed and getattr(self, n) == self.unstated_values.get(n)))
        for name, words in self.unstated_values.items():
            if getattr(self, name) is None and name in getattr(self, "not_stated", ()):
                setattr(self, name, words)

    def stated(self, name: str) -> bool:
        """False where the editor recorded that no source states this field."""
        return name not in getattr(self, "not_stated", ())


# --- Scales, proportion words, organisations, glossary, themes -------------------------


@dataclass(kw_only=True)
class ScaleLevel(Record):
    may_be_unstated: ClassVar[tuple[str, ...]] = ("meaning",)

    value: int
    """The number on the scale, e.g. 5."""
    label: str
    """The word, e.g. 'Very good'."""
    meaning: str | None = None
    """The one-line meaning, e.g. 'Major strengths'. Where no source gives it, leave it out and write
    `not_stated: [meaning]`."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [meaning]: pages say 'not stated in the sources' instead."""
    description: str | None = None
    """The full description the publication gives for this level (Markdown)."""


@dataclass(kw_only=True)
class EvaluationScale(Record):
    """An evaluation scale, e.g. the six-point scale. File: site-data/scales/<id>.yaml"""

    id: str = ""
    name: str
    """e.g. 'Six-point evaluation scale'."""
    levels: list[ScaleLevel]
    """Every level, highest first or lowest first (both are accepted)."""
    defined_in: list[str] = field(default_factory=list)
    """Publication ids (or document ids) that set out this scale."""
    notes: str | None = None

    def level(self, value: int) -> ScaleLevel | None:
        return next((lv for lv in self.levels if lv.value == value), None)


@dataclass(kw_only=True)
class ProportionBand(Record):
    word: str
    """The word used in reports, e.g. 'most'."""
    min_percent: float
    """Lowest percentage the word covers (inclusive)."""
    max_percent: float | None = None
    """Highest percentage the word covers (inclusive); leave out for 'or more'."""
    as_published: str
    """The definition as the publication words it, e.g. "'most' means 75% up to 89%"."""


@dataclass(kw_only=True)
class ProportionWords(Record):
    """Words for proportions. File: site-data/proportion-words/<id>.yaml"""

    id: str = ""
    name: str
    bands: list[ProportionBand]
    defined_in: list[str]
    """Publication ids that define these words."""
    notes: str | None = None


@dataclass(kw_only=True)
class Organisation(Record):
    id: str
    """Short stable id, e.g. 'care-inspectorate'."""
    name: str
    abbreviation: str | None = None
    former_names: list[str] = field(default_factory=list)
    """Earlier names, e.g. "Her Majesty's Inspectorate of Constabulary in Scotland"."""
    url: str | None = None
    reports_url: str | None = None
    """Where the organisation lists its inspection reports, as a source gives it; pages with nothing
    on this site send readers there."""
    ended: PartialDate | None = None
    """When the body stopped existing under this name or at all (e.g. HMIE in 2011); leave out while it exists."""
    successors: list[str] = field(default_factory=list)
    """Organisation ids of the bodies its work passed to (HMIE -> education-scotland, care-inspectorate)."""
    succession_note: str | None = None
    """What passed to whom, as the sources say it."""


@dataclass(kw_only=True)
class Organisations(Record):
    """The inspection and scrutiny bodies. File: site-data/organisations.yaml"""

    organisations: list[Organisation]


@dataclass(kw_only=True)
class Definition(Record):
    text: str
    """The definition as the publication gives it (Markdown allowed)."""
    source: str
    """Id of the publication that gives this definition."""


@dataclass(kw_only=True)
class GlossaryTerm(Record):
    id: str
    """Stable anchor, e.g. 'inter-agency-referral-discussion'. Lower-case ASCII, digits and hyphens."""
    term: str
    """The term as readers see it, e.g. 'Inter-agency referral discussion'."""
    abbreviations: list[str] = field(default_factory=list)
    """e.g. ['IRD']."""
    aliases: list[str] = field(default_factory=list)
    """Other names for the same thing, e.g. 'initial referral discussion'."""
    definitions: list[Definition]
    """One per publication that defines it; where two publications differ, keep both."""
    themes: list[str] = field(default_factory=list)
    """Theme ids this term belongs to."""
    link_in_text: bool = True
    """Whether uses of the term in narrative link to this entry."""


@dataclass(kw_only=True)
class Glossary(Record):
    """Glossary terms. Files: site-data/glossary/*.yaml (any number, merged)."""

    terms: list[GlossaryTerm]


@dataclass(kw_only=True)
class Theme(Record):
    id: str
    """Stable id, e.g. 'chronologies'."""
    title: str
    description: str
    """One or two sentences saying what the theme covers."""
    glossary: list[str] = field(default_factory=list)
    """Glossary term ids that explain this theme."""


@dataclass(kw_only=True)
class Themes(Record):
    """Themes used to follow findings across publications. File: site-data/themes.yaml"""

    themes: list[Theme]


@dataclass(kw_only=True)
class Document(Record):
    id: str
    """Stable id, e.g. 'review-2012-2017'."""
    title: str
    publisher: str | None = None
    """Organisation id."""
    published: PartialDate | None = None
    url: str | None = None
    note: str | None = None
    """Why it is listed (e.g. 'cited by the 2018-2020 review; not held by this site')."""


@dataclass(kw_only=True)
class Documents(Record):
    """Publications the site cites but does not publish itself. File: site-data/documents.yaml"""

    documents: list[Document]


# --- Frameworks and programmes -------------------------------------------------------


@dataclass(kw_only=True)
class FrameworkHeading(Record):
    code: str
    """e.g. '9' (always a string)."""
    title: str
    """e.g. 'How good is our leadership?'."""


@dataclass(kw_only=True)
class Indicator(Record):
    code: str
    """Quality indicator code, always a string: '2.10' is not '2.1'."""
    title: str
    """e.g. 'Impact on children and young people'."""
    heading: str | None = None
    """Code of the heading it sits under."""
    covers: list[str] = field(default_factory=list)
    """For an overall evaluation made of several indicators (e.g. leadership, 9.1 to 9.4): their codes."""
    description: str | None = None
    """What the indicator considers, as a publication words it (Markdown)."""
    code_note: str | None = None
    """Where the code comes from when the sources do not state it."""
    code_assigned: bool = False
    """`true` where no source gives the indicator a code and `code` is this site's own (pages then label it
    'code assigned by this site'): a code is needed to refer to the indicator, but it is never shown as the source's."""


@dataclass(kw_only=True)
class IndicatorCountClaim(Record):
    count: int
    source: str
    """Publication id that states this count."""
    text: str
    """The words used, e.g. 'all 22 quality indicators in the framework'."""


@dataclass(kw_only=True)
class Framework(Record):
    """A quality framework. File: site-data/frameworks/<id>.yaml"""

    may_be_unstated: ClassVar[tuple[str, ...]] = ("title", "publisher")
    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Quality framework (title not stated in the sources)"})

    id: str = ""
    title: str | None = None
    """The framework's title as published; `not_stated: [title]` where no source gives it."""
    publisher: str | None = None
    """Organisation id; `not_stated: [publisher]` where no source says who published it."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [title, publisher]: pages say 'not stated in the sources' instead."""
    published: PartialDate | None = None
    revised: list[PartialDate] = field(default_factory=list)
    url: str | None = None
    headings: list[FrameworkHeading] = field(default_factory=list)
    indicators: list[Indicator]
    """The indicators the sources name. A framework may have more than are listed here."""
    indicator_counts: list[IndicatorCountClaim] = field(default_factory=list)
    """How many indicators publications say the framework has (they may disagree)."""
    notes: str | None = None

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)


@dataclass(kw_only=True)
class Question(Record):
    may_be_unstated: ClassVar[tuple[str, ...]] = ("text",)

    ref: str
    """Its number within the programme, e.g. '1'."""
    kind: Literal["question", "statement"]
    text: str | None = None
    """The question or statement in full; `not_stated: [text]` where a source numbers it without its words."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [text]: pages say 'not stated in the sources' instead."""
    short_title: str | None = None
    """A short name for navigation, e.g. 'Recognising and responding to risk'."""

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()} {self.ref}"


@dataclass(kw_only=True)
class LineOfEnquiry(Record):
    may_be_unstated: ClassVar[tuple[str, ...]] = ("text",)

    text: str | None = None
    """The line of enquiry as published; `not_stated: [text]` where a source says there is one without its words."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [text]: pages say 'not stated in the sources' instead."""
    question: str | None = None
    """Ref of the question it belongs to, where the publication says."""


@dataclass(kw_only=True)
class ReportHeadings(Record):
    """The headings a programme's reports print, so the import finds each part of a report by its words (each
    heading as printed, matched in any case; the statements or questions are the programme's `questions`)."""

    key_messages: str = "Key messages"
    """The list of key messages, at the top and under each statement or question."""
    practice_example: str = "Practice example"
    """The start of a practice example's heading ('Practice example: contextual safeguarding')."""
    evaluation: str = "Evaluation of quality indicator"
    """The start of a grade's line ('Evaluation of quality indicator 2.1: Very good')."""
    conclusion: str = "Conclusion"
    next_steps: str = "What happens next"


@dataclass(kw_only=True)
class Programme(Record):
    """An inspection (or improvement) programme. File: site-data/programmes/<id>.yaml"""

    may_be_unstated: ClassVar[tuple[str, ...]] = ("lead", "remit")
    unstated_optional: ClassVar[tuple[str, ...]] = ("end",)

    id: str = ""
    title: str
    """e.g. 'Joint inspections of services for children and young people at risk of harm'."""
    short_title: str
    """e.g. 'Children at risk of harm (2021 onwards)'."""
    kind: Literal["inspection", "supported-self-evaluation"] = "inspection"
    start: PartialDate
    end: PartialDate | None = None
    """Leave out while the programme is running; `not_stated: [end]` where it has ended (or may have) and no
    source says when (pages then say its end is not stated, never 'to now')."""
    lead: str | None = None
    """Organisation id of the lead body; `not_stated: [lead]` where no source says which body led it."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [lead]: pages say 'not stated in the sources' instead."""
    partners: list[str] = field(default_factory=list)
    """Organisation ids of the scrutiny partners."""
    framework: str | None = None
    """Framework id."""
    scale: str | None = None
    """Evaluation scale id; leave out for programmes that give no grades."""
    proportion_words: str | None = None
    """Proportion-words id used by its reports."""
    remit: str | None = None
    """What the programme looks at (Markdown); `not_stated: [remit]` where no source says."""
    looks_at: str | None = None
    """What its inspections look at, in one plain sentence for families (shown beside every grade),
    e.g. 'How well services work together to keep children and young people at risk of harm safe.'
    Say only what the remit says."""
    questions: list[Question] = field(default_factory=list)
    """The questions or statements its reports answer."""
    evaluates: list[str] = field(default_factory=list)
    """Codes of the indicators it grades."""
    partnerships: list[str] = field(default_factory=list)
    """The partnerships the programme covered, only where a publication lists them (with `partnerships_source`):
    never the ones this site happens to hold reports for (pages list those by themselves)."""
    partnerships_source: str | None = None
    """Id of the publication (or cited document) that lists `partnerships`; required with it."""
    review: str | None = None
    """Id of the review of this programme's findings."""
    previous: str | None = None
    """Id of the programme (or cited document) that came before it. The later programme's page says
    'Followed by' on its own: never write `next`."""
    lines_of_enquiry: list[LineOfEnquiry] = field(default_factory=list)
    """The key lines of enquiry the programme's reports follow, where a publication lists them."""
    report_headings: ReportHeadings | None = None
    """The headings the programme's reports use, read by `python -m generator import` (leave out: the usual ones)."""
    notes: str | None = None

    def question(self, ref: str) -> Question | None:
        return next((q for q in self.questions if q.ref == ref), None)


# --- Partnerships ----------------------------------------------------------------


@dataclass(kw_only=True)
class KeyFact(Record):
    statement: str
    """The fact as published, e.g. 'Total population: 341,400 people on 30 June 2021'."""
    figure: float | None = None
    """The main number, e.g. 341400."""
    unit: str | None = None
    """e.g. 'people', '%', 'per 1,000 children aged 0-15'."""
    comparison: str | None = None
    """e.g. 'Scottish average 2.2 per 1,000'."""
    period: str | None = None
    """The year or date the figure is for, e.g. '2021/22'."""
    source_name: str | None = None
    """The statistics publication named, e.g. 'NRS Scotland'."""
    reported_in: str
    """Id of our publication that reports the fact."""
    themes: list[str] = field(default_factory=list)
    note: str | None = None
    """Anything a reader should know about the figure (e.g. no year stated)."""


@dataclass(kw_only=True)
class Partnership(Record):
    """A community planning partnership (one per council area). File: site-data/partnerships/<id>.yaml"""

    id: str = ""
    name: str
    """Area name as readers know it, e.g. 'Perth and Kinross'."""
    official_name: str | None = None
    """e.g. 'North Lanarkshire community planning partnership'."""
    council: str
    """The council, e.g. 'Perth & Kinross Council'."""
    aliases: list[str] = field(default_factory=list)
    """Other names publications use, e.g. 'Aberdeen' for Aberdeen City."""
    area_code: str | None = None
    """The council area's current GSS code (S12 and six digits, e.g. 'S12000049' for Glasgow City), the code
    statistics.gov.scot and UK data sets join on."""
    area_code_source: str | None = None
    """Id of the document (documents.yaml) the code was taken from; required with `area_code`."""
    former_area_codes: list[str] = field(default_factory=list)
    """The council area's earlier GSS codes, where its code changed (S12 and six digits, e.g. ['S12000046'] for
    Glasgow City), as the document named in `area_code_source` gives them; leave out where it never changed."""
    key_facts: list[KeyFact] = field(default_factory=list)


# --- Publications ---------------------------------------------------------------


@dataclass(kw_only=True)
class Correction(Record):
    date: PartialDate
    text: str
    """What was corrected and why."""


@dataclass(kw_only=True)
class Finding(Record):
    """A finding worth following across publications."""

    text: str
    themes: list[str]
    """Theme ids (at least one)."""
    question: str | None = None
    """Question ref it answers, where it belongs to one."""
    kind: Literal["strength", "improvement", "finding"] = "finding"
    source: str | None = None
    """Publication id where the finding is stated, when not the record itself (e.g. quoted by a review)."""


@dataclass(kw_only=True)
class PracticeExample(Record):
    title: str
    text: str
    """The example as published (Markdown)."""
    partnership: str | None = None
    """Partnership id (defaults to the publication's partnership)."""
    question: str | None = None
    themes: list[str] = field(default_factory=list)


MISSING_STATES: Mapping[str, str] = MappingProxyType({
    "not-evaluated": "Not evaluated",
    "not-published": "Evaluated, grade not published",
    "not-held": "Published in a report this site does not hold",
})
"""Why an evaluation has no grade -> the words readers see (the states are distinct: never merge them)."""

MissingGrade = Literal["not-evaluated", "not-published", "not-held"]


@dataclass(kw_only=True)
class Evaluation(Record):
    scale_words: ClassVar[tuple[str, ...]] = ("grade",)
    """Fields that may be written as the scale's word ('Good', 'very good') as well as its number."""

    indicator: str
    """Indicator code in the programme's framework, e.g. '2.1'."""
    grade: int | None = None
    """The value on the programme's scale. Leave out only with `missing`."""
    missing: MissingGrade | None = None
    """Why there is no grade: 'not-evaluated' (this inspection did not evaluate it), 'not-published' (evaluated,
    but the grade was not made public), 'not-held' (published in a report this site does not hold)."""
    not_published: str | None = None
    """More about why there is no grade, in your words (optional beside `missing`; alone it means 'not-published')."""
    original_url: str | None = None
    """With `missing: not-held`: where the report that states the grade is published (defaults to the inspection's `url`)."""
    source: str | None = None
    """Id of the publication that states this grade (defaults to the record itself)."""
    reported_as: str | None = None
    """The words the source used, where they differ from the indicator title."""
    summary: str | None = None
    """The inspectors' explanation of the grade (Markdown)."""
    points: list[str] = field(default_factory=list)
    """The points the evaluation is based on."""


# A grade used as a mapping key (grade totals): written as the scale's number or its word, like `grade`. A NewType:
# the keys are plain ints (or GradeWords until load reads them against the scale); convert.py reads the name.
GradeKey = NewType("GradeKey", int)


@dataclass(kw_only=True)
class GradeTotals(Record):
    """Grades known only as totals: how many evaluations got each grade, not which indicator got which."""

    counts: dict[GradeKey, int]
    """Grade -> how many evaluations got it, e.g. {6: 3, 5: 3} or {Excellent: 3, Very good: 3} for '3 excellent,
    3 very good' (the scale's number or its word, in any case)."""
    as_published: str | None = None
    """The words the source used, e.g. '3 excellent, 3 very good'."""
    source: str | None = None
    """Id of the publication that states the totals (defaults to the record itself)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(kw_only=True)
class EvidenceCount(Record):
    label: str
    """What was counted, e.g. 'children and young people whose records were read'."""
    count: int
    qualifier: Literal["exactly", "over", "about", "up to"] = "exactly"
    """'over' for 'over 350 staff'."""
    note: str | None = None
    source: str | None = None
    """Publication id stating it (defaults to the record itself)."""


@dataclass(kw_only=True)
class DatedEvent(Record):
    date: PartialDate
    what: str


@dataclass(kw_only=True)
class Conclusion(Record):
    summary: str
    """e.g. 'The Care Inspectorate and its scrutiny partners are confident that ...'."""
    factors: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class QuestionMessages(Record):
    question: str
    """Question ref."""
    key_messages: list[str]


@dataclass(kw_only=True)
class Publication(Record):
    """Fields every kind of publication has."""

    narrative_sections: ClassVar[tuple[str, ...]] = ()
    """`##` headings allowed in the narrative besides question labels; empty allows any, rendered in order."""

    may_be_unstated: ClassVar[tuple[str, ...]] = ("title", "publisher")
    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Publication (title not stated in the sources)"})
    unstated_optional: ClassVar[tuple[str, ...]] = ("url",)

    id: str = ""
    title: str | None = None
    """The title as published; `not_stated: [title]` where no source gives it (the page then says so)."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [title] or [url]: pages say 'not stated in the sources' or 'not known' instead."""
    status: Literal["published", "draft"] = "published"
    """Drafts appear in `mkdocs serve` only."""
    publisher: str | None = None
    """Organisation id of the body that published it; `not_stated: [publisher]` where no source says."""
    held: bool | None = None
    """Whether this site holds the publication itself (its text, from the original or a faithful copy): `true` or
    `false`, whether or not a source is named. Left out: `false` where `rebuilt_from` is given, else `true`. A grade,
    total or date of a record the site does not hold is never shown as stated in it."""
    published: PartialDate | None = None
    """Publication date; leave out when no source states it."""
    url: str | None = None
    """Where the original is published (its full address, as a source gives it); `not_stated: [url]` where no
    source gives it (the page then says the address is not known)."""
    summary: str | None = None
    """A summary for families: a few short sentences in everyday words (what was looked at, what was found,
    what happens next). Shown first on the page and in the feeds; the check warns when it is hard to read."""
    narrative: str | None = None
    """Markdown file with the prose, relative to content/ (e.g. narrative/inspections/x.md)."""
    findings: list[Finding] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    """What this record was encoded from (shared/sources file names or publication ids)."""
    notes: list[str] = field(default_factory=list)
    """Ambiguities or gaps in the sources, shown to readers."""
    rebuilt_from: str | None = None
    """Id of the publication (or cited document) this record was rebuilt from, when the site does not hold
    the original: the page says so at the top and links to the original (`url`) where known."""

    @property
    def date(self) -> PartialDate | None:
        """When it became public: the publication date (responses fall back to their meeting)."""
        return self.published

    @property
    def holds(self) -> bool:
        """Whether this site holds the publication itself (`held`, or by default: not rebuilt from another)."""
        return self.held if self.held is not None else self.rebuilt_from is None

    @property
    def last_corrected(self) -> PartialDate | None:
        """The date of the latest correction, or None."""
        return max(self.corrections, key=lambda c: c.date.sort_key).date if self.corrections else None


@dataclass(kw_only=True)
class Inspection(Publication):
    """A joint inspection of one partnership. File: site-data/inspections/<id>.yaml"""

    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Inspection report (title not stated in the sources)"})

    narrative_sections: ClassVar[tuple[str, ...]] = ("Introduction", "How we conducted this inspection")

    partnership: str
    programme: str
    notified: PartialDate | None = None
    fieldwork_start: PartialDate | None = None
    fieldwork_end: PartialDate | None = None
    onsite_weeks: list[PartialDate] = field(default_factory=list)
    """First day of each week inspectors spent on site."""
    planned_publication: PartialDate | None = None
    delay_reason: str | None = None
    events: list[DatedEvent] = field(default_factory=list)
    """Other dated steps, e.g. when the joint self-evaluation was submitted."""
    evaluations: list[Evaluation] = field(default_factory=list)
    grade_totals: GradeTotals | None = None
    """Where the sources give only how many evaluations got each grade (e.g. '3 excellent, 3 very good'),
    not which indicator got which: record the totals here instead of inventing `evaluations`."""
    evidence: list[EvidenceCount] = field(default_factory=list)
    evidence_caveat: str | None = None
    methods: list[str] = field(default_factory=list)
    """What inspectors did, where the report lists it without counts."""
    key_messages: list[str] = field(default_factory=list)
    question_messages: list[QuestionMessages] = field(default_factory=list)
    practice_examples: list[PracticeExample] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    conclusion: Conclusion | None = None
    next_steps: str | None = None
    """What happens next."""


@dataclass(kw_only=True)
class NumberedMessage(Record):
    may_be_unstated: ClassVar[tuple[str, ...]] = ("number",)

    number: int | None = None
    """Its number as published; `not_stated: [number]` where the source does not number it (pages then number it
    by its place and say the numbering is this site's)."""
    not_stated: list[str] = field(default_factory=list)
    """Fields no source states, e.g. [number]."""
    text: str
    question: str | None = None
    themes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class EvidenceBase(Record):
    total: int
    label: str
    """e.g. 'case records for children and young people read'."""
    breakdown: list[EvidenceCount] = field(default_factory=list)
    discrepancy: str | None = None
    """Explain here when the breakdown does not add up to the total as published."""


@dataclass(kw_only=True)
class Comparison(Record):
    topic: str
    earlier: str
    """What the earlier programme found."""
    now: str
    """What this programme found."""
    earlier_source: str
    """Id of the publication for the earlier finding."""
    question: str | None = None
    themes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class GradeClaim(Record):
    """An aggregate a review states, checked against the inspections' evaluations."""

    text: str
    """The claim as published, e.g. '13 out of 16 evaluations were good or very good'."""
    indicators: list[str]
    count: int | None = None
    """How many evaluations the claim says meet `min_grade`."""
    min_grade: int | None = None
    total: int | None = None
    """How many evaluations the claim says there were."""
    distribution: dict[int, int] = field(default_factory=dict)
    """Grade value -> how many, e.g. {4: 6, 5: 1, 3: 1}."""


@dataclass(kw_only=True)
class Foreword(Record):
    text: str
    author: str


@dataclass(kw_only=True)
class Review(Publication):
    """A review of one programme's findings. File: site-data/reviews/<id>.yaml"""

    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Review of findings (title not stated in the sources)"})

    narrative_sections: ClassVar[tuple[str, ...]] = ("Introduction", "Conclusion")

    programme: str
    foreword: Foreword | None = None
    key_messages: list[NumberedMessage] = field(default_factory=list)
    summary_findings: list[NumberedMessage] = field(default_factory=list)
    """Numbered; each names the question it belongs to (these are also the per-question key messages)."""
    evidence_base: EvidenceBase | None = None
    methods: list[str] = field(default_factory=list)
    """What inspectors did in every area."""
    good_practice: list[PracticeExample] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    grade_claims: list[GradeClaim] = field(default_factory=list)
    evaluated_indicators: list[str] = field(default_factory=list)
    """Indicators whose grades the review tabulates (its table is derived from the inspections)."""


@dataclass(kw_only=True)
class ReportedEvaluation(Record):
    label: str
    """The wording in the response, e.g. 'How good is our Leadership'."""
    grade_label: str
    """The grade word as written, e.g. 'Good'."""
    heading: str | None = None
    """The heading it was listed under, if any."""
    indicator: str | None = None
    """Indicator code it corresponds to, where that can be told."""
    mapping_note: str | None = None
    """Why the correspondence is uncertain, if it is."""


@dataclass(kw_only=True)
class ActionPlanItem(Record):
    number: int
    improvement_area: str
    action: str
    progress: str | None = None
    """Leave out where the published plan gives none."""
    themes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Response(Publication):
    """A partnership's response to an inspection (e.g. a committee report). File: site-data/responses/<id>.yaml"""

    may_be_unstated: ClassVar[tuple[str, ...]] = ("title", "body", "organisation", "author_role")
    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Response to an inspection (title not stated in the sources)"})


    partnership: str
    inspection: str
    """Id of the inspection it responds to."""
    body: str | None = None
    """The committee or board, e.g. 'Executive Committee'; `not_stated: [body]` where no source says."""
    organisation: str | None = None
    """e.g. 'South Lanarkshire Council'; `not_stated: [organisation]` where no source says."""
    meeting_date: PartialDate | None = None
    report_date: PartialDate | None = None
    item: str | None = None
    """Agenda item number."""
    author_role: str | None = None
    """e.g. 'Director, Health and Social Care'; `not_stated: [author_role]` where no source says."""
    author: str | None = None
    subject: str | None = None
    recommendations: list[str] = field(default_factory=list)
    evaluations_as_reported: list[ReportedEvaluation] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    action_plan: list[ActionPlanItem] = field(default_factory=list)
    practice_examples: list[PracticeExample] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    conclusion: Conclusion | None = None
    """The inspectors' conclusion as the response quotes it."""
    events: list[DatedEvent] = field(default_factory=list)
    figures: list[EvidenceCount] = field(default_factory=list)
    """Counts the response states (staff survey rates, sessions held, ...)."""

    @property
    def date(self) -> PartialDate | None:
        # Committee papers are public from the meeting they go to.
        return self.published or self.meeting_date or self.report_date


@dataclass(kw_only=True)
class Activity(Record):
    text: str
    date: PartialDate | None = None
    counts: list[EvidenceCount] = field(default_factory=list)


@dataclass(kw_only=True)
class Observation(Record):
    theme_title: str
    """The letter's own heading, e.g. 'Self-evaluation and quality assurance'."""
    points: list[str]
    themes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class NextStep(Record):
    text: str
    deadline: PartialDate | None = None


@dataclass(kw_only=True)
class Letter(Publication):
    """A supported self-evaluation letter (no grades). File: site-data/letters/<id>.yaml"""

    may_be_unstated: ClassVar[tuple[str, ...]] = ("title", "publisher", "addressee_role", "work_start", "work_end")
    unstated_values: ClassVar[Mapping[str, str]] = MappingProxyType({"title": "Supported self-evaluation letter (title not stated in the sources)"})


    partnership: str
    programme: str | None = None
    addressee_role: str | None = None
    """The role of the person it is addressed to; `not_stated: [addressee_role]` where no source says."""
    signatories: list[str] = field(default_factory=list)
    """'Name, role' of each signatory."""
    work_start: PartialDate | None = None
    """When the work it describes began; `not_stated: [work_start]` where no source says."""
    work_end: PartialDate | None = None
    """When that work ended; `not_stated: [work_end]` where no source says."""
    date_note: str | None = None
    """Required when the letter is dated before the work it describes: say what the record holds and why."""
    aims: list[str] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    deadline: PartialDate | None = None
    """By when the partnership is expected to have made the changes."""


@dataclass(kw_only=True)
class AllowedDisclosure(Record):
    text: str
    """The detail exactly as it may appear, e.g. '0345 600 9527' or 'enquiries@careinspectorate.com'."""
    reason: str
    """Why it is fine to publish, e.g. "the Care Inspectorate's public enquiry line"."""


@dataclass(kw_only=True)
class AllowedDisclosures(Record):
    """Contact details that may be published. File: site-data/allowed-disclosures.yaml (optional)"""

    allowed: list[AllowedDisclosure]
    """Each e-mail address, phone number, postcode or other detail that the disclosure check should accept."""
