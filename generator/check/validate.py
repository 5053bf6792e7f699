"""Validate stage: rules that span fields, records and files (types were checked while loading).

Split by job: `validate_base.py` (helpers: references, date order, addresses), `validate_grades.py` (grades,
totals, review claims), this module (rules per kind of record), `unstated.py` (fields the sources do not give),
`drafts.py` (no published page links to a draft)."""

from __future__ import annotations

import datetime as dt
import re

from generator.base.errors import Position, Problems
from generator.base.urls import slugify
from generator.check.validate_grades import GradeRules
from generator.model import models as m
from generator.model.dates import not_after
from generator.model.load import Narrative, NarrativeSection, SiteData

_FOOTNOTE_DEF = re.compile(r"(?m)^\[\^([^\]\s]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


#: a summary stating what the site holds (the pages state it, in one place)
_HOLDING_WORDS = re.compile(r"\bthis site (?:does not hold|holds|has no)\b|\bnot held by this site\b", re.I)


class _Checker(GradeRules):
    """Rules per kind of record (grade rules in `GradeRules`, helpers in `CheckerBase`)."""

    def run(self) -> None:
        self.unique_publication_ids()
        for scale in self.d.scales.values():
            self.scale(scale)
        for words in self.d.proportion_words.values():
            self.proportion_words(words)
        for framework in self.d.frameworks.values():
            self.framework(framework)
        for programme in self.d.programmes.values():
            self.programme(programme)
        for partnership in self.d.partnerships.values():
            self.partnership(partnership)
        for term in self.d.glossary.values():
            self.refs(term, "themes", term.themes, self.themes, "a theme", "themes.yaml")
            for definition in term.definitions:
                self.ref(definition, "source", definition.source, self.publication_ids, "a publication", "documents.yaml")
        for theme in self.d.themes.values():
            self.refs(theme, "glossary", theme.glossary, self.d.glossary, "a glossary term", "glossary/")
        for org in self.d.organisations.values():
            self.url(org)
            self.url(org, "reports_url")
            self.refs(org, "successors", org.successors, self.d.organisations, "an organisation")
            if org.id in org.successors:
                self.p.add(org.pos("successors"), f"organisation '{org.id}' cannot be its own successor")
        for doc in self.d.documents.values():
            self.url(doc)
            self.ref(doc, "publisher", doc.publisher, self.d.organisations, "an organisation", "organisations.yaml")
        for pub in self.d.publications.values():
            self.publication(pub)
        for inspection in self.d.inspections.values():
            self.inspection(inspection)
        for review in self.d.reviews.values():
            self.review(review)
        for response in self.d.responses.values():
            self.response(response)
        for letter in self.d.letters.values():
            self.letter(letter)

    def unique_publication_ids(self) -> None:
        seen: dict[str, m.Publication] = {}
        for kind in ("inspections", "reviews", "responses", "letters"):
            for pub_id, pub in getattr(self.d, kind).items():
                if pub_id in seen:
                    self.p.add(pub.at, f"publication id '{pub_id}' is also used by {seen[pub_id].at.path}: ids must be unique")
                seen[pub_id] = pub
        for doc_id, doc in self.d.documents.items():
            if doc_id in seen:
                self.p.add(doc.pos("id"), f"document id '{doc_id}' is also a publication ({seen[doc_id].at.path})")

    def scale(self, scale: m.EvaluationScale) -> None:
        values: dict[int, m.ScaleLevel] = {}
        labels: set[str] = set()
        for level in scale.levels:
            if level.value in values:
                self.p.add(level.pos("value"), f"value {level.value} appears twice on scale '{scale.id}'")
            values[level.value] = level
            if level.label.lower() in labels:
                self.p.add(level.pos("label"), f"label '{level.label}' appears twice on scale '{scale.id}'")
            labels.add(level.label.lower())
        if not scale.levels:
            self.p.add(scale.pos("levels"), "a scale needs at least one level")
        self.refs(scale, "defined_in", scale.defined_in, self.publication_ids, "a publication", "documents.yaml")

    def proportion_words(self, words: m.ProportionWords) -> None:
        self.refs(words, "defined_in", words.defined_in, self.publication_ids, "a publication", "documents.yaml")
        previous: m.ProportionBand | None = None
        for band in sorted(words.bands, key=lambda b: b.min_percent):
            top = band.max_percent if band.max_percent is not None else 100
            if not 0 <= band.min_percent <= top <= 100:
                self.p.add(band.at, f"'{band.word}': percentages must satisfy 0 <= min_percent <= max_percent <= 100")
            if previous is not None:
                prev_top = previous.max_percent if previous.max_percent is not None else 100
                if band.min_percent <= prev_top:
                    self.p.add(band.pos("min_percent"), f"'{band.word}' overlaps '{previous.word}' (which goes up to {prev_top}%)")
            previous = band

    def framework(self, framework: m.Framework) -> None:
        self.ref(framework, "publisher", framework.publisher, self.d.organisations, "an organisation", "organisations.yaml")
        self.url(framework)
        headings = [h.code for h in framework.headings]
        codes: set[str] = set()
        for indicator in framework.indicators:
            if indicator.code in codes:
                self.p.add(indicator.pos("code"), f"indicator code '{indicator.code}' appears twice in framework '{framework.id}'")
            codes.add(indicator.code)
            if indicator.heading is not None:
                self.ref(indicator, "heading", indicator.heading, headings, "a heading of this framework")
        for indicator in framework.indicators:
            self.refs(indicator, "covers", indicator.covers, codes, "an indicator of this framework")
        for claim in framework.indicator_counts:
            self.ref(claim, "source", claim.source, self.publication_ids, "a publication", "documents.yaml")

    def programme(self, programme: m.Programme) -> None:
        self.ref(programme, "framework", programme.framework, self.d.frameworks, "a framework")
        self.ref(programme, "scale", programme.scale, self.d.scales, "an evaluation scale")
        self.ref(programme, "proportion_words", programme.proportion_words, self.d.proportion_words, "a set of proportion words")
        self.ref(programme, "lead", programme.lead, self.d.organisations, "an organisation", "organisations.yaml")
        self.refs(programme, "partners", programme.partners, self.d.organisations, "an organisation", "organisations.yaml")
        self.refs(programme, "partnerships", programme.partnerships, self.d.partnerships, "a partnership")
        self.ref(programme, "partnerships_source", programme.partnerships_source, self.publication_ids, "a publication",
                 "documents.yaml")
        if programme.partnerships and programme.partnerships_source is None:
            # what a programme covered is a fact of its own: the reports this site holds are listed by themselves
            self.p.add(programme.pos("partnerships"), "'partnerships' lists the areas the programme covered, and needs "
                       "'partnerships_source': the id of the publication that lists them. Where no source lists them, "
                       "leave 'partnerships' out: the programme's page lists the reports this site holds by itself")
        self.ref(programme, "review", programme.review, self.d.reviews, "a review")
        self.ref(programme, "previous", programme.previous, [*self.d.programmes, *self.d.documents], "a programme")
        self.order(programme, "start", "end", "a programme cannot end before it starts")
        self.programme_chain(programme)
        for line in programme.lines_of_enquiry:
            self.question(line, "question", line.question, programme)
        refs = [q.ref for q in programme.questions]
        for q in programme.questions:
            if refs.count(q.ref) > 1:
                self.p.add(q.pos("ref"), f"question ref '{q.ref}' appears twice in programme '{programme.id}'")
        framework = self.d.frameworks.get(programme.framework or "")
        if programme.evaluates and programme.scale is None:
            self.p.add(programme.pos("evaluates"), "a programme that evaluates indicators needs a 'scale'")
        if framework:
            codes = [i.code for i in framework.indicators]
            self.refs(programme, "evaluates", programme.evaluates, codes, f"an indicator of framework {framework.id}")

    def programme_chain(self, programme: m.Programme) -> None:
        """`previous` must not lead back to the programme itself (the page shows previous and next both ways)."""
        seen = {programme.id}
        current = programme.previous
        while current in self.d.programmes:
            if current in seen:
                self.p.add(programme.pos("previous"), f"'previous' leads back to programme '{programme.id}': "
                           "each programme names only the one before it")
                return
            seen.add(current)
            current = self.d.programmes[current].previous

    def partnership(self, partnership: m.Partnership) -> None:
        expected = slugify(partnership.name)
        if partnership.id != expected:
            self.p.add(
                partnership.pos("name"),
                f"the file name must match the name: '{partnership.name}' belongs in partnerships/{expected}.yaml, not {partnership.id}.yaml",
            )
        if partnership.area_code is not None:
            if not re.fullmatch(r"S12\d{6}", partnership.area_code):
                self.p.add(partnership.pos("area_code"), f"area_code '{partnership.area_code}' is not a council area's GSS code: "
                           "S12 and six digits, e.g. S12000049")
            if partnership.area_code_source is None:
                self.p.add(partnership.pos("area_code"), "area_code needs area_code_source: the id of the document (documents.yaml) it comes from")
            others = [p.id for p in self.d.partnerships.values() if p.area_code == partnership.area_code and p.id != partnership.id]
            if others:
                self.p.add(partnership.pos("area_code"), f"area_code {partnership.area_code} is also given to {', '.join(sorted(others))}")
        for code in partnership.former_area_codes:
            if not re.fullmatch(r"S12\d{6}", code):
                self.p.add(partnership.pos("former_area_codes"), f"former area code '{code}' is not a council area's GSS code: "
                           "S12 and six digits, e.g. S12000046")
            elif code == partnership.area_code:
                self.p.add(partnership.pos("former_area_codes"), f"{code} is the current area_code: list only earlier codes "
                           "in former_area_codes")
            others = [other.id for other in self.d.partnerships.values() if other.id != partnership.id
                      and (other.area_code == code or code in other.former_area_codes)]
            if others:
                self.p.add(partnership.pos("former_area_codes"), f"former area code {code} is also given to {', '.join(sorted(others))}")
        if len(set(partnership.former_area_codes)) != len(partnership.former_area_codes):
            self.p.add(partnership.pos("former_area_codes"), "former_area_codes names a code twice")
        if partnership.former_area_codes and partnership.area_code_source is None:
            self.p.add(partnership.pos("former_area_codes"), "former_area_codes needs area_code_source: the id of the document "
                       "(documents.yaml) the codes come from")
        self.ref(partnership, "area_code_source", partnership.area_code_source, self.d.documents, "a document", "documents.yaml")
        for fact in partnership.key_facts:
            self.ref(fact, "reported_in", fact.reported_in, self.publication_ids, "a publication", "documents.yaml")
            self.themed(fact)

    def publication(self, pub: m.Publication) -> None:
        self.url(pub)
        if pub.summary and _HOLDING_WORDS.search(pub.summary):
            # said once, by the page, from `held` and `rebuilt_from` (generator/derive/facts.py): in the summary too,
            # feeds said it twice, and a summary cannot follow the record when it changes
            self.p.add(pub.pos("summary"), "the summary says whether this site holds the publication or its grades; "
                       "every page and feed entry says that itself, from 'held' and 'rebuilt_from' (and each grade's "
                       "state): leave it out of the summary, and say there what the publication found", "warning")
        if pub.publisher is not None:
            self.ref(pub, "publisher", pub.publisher, self.d.organisations, "an organisation", "organisations.yaml")
        programme = self.d.programmes.get(getattr(pub, "programme", None) or "")
        for finding in pub.findings:
            if not finding.themes:
                self.p.add(finding.pos("themes"), "a finding needs at least one theme")
            self.themed(finding)
            self.question(finding, "question", finding.question, programme)
            self.ref(finding, "source", finding.source, self.publication_ids, "a publication", "documents.yaml")
        today = dt.date.today()
        for correction in pub.corrections:
            if pub.published and not not_after(pub.published, correction.date):
                self.p.add(correction.pos("date"), "a correction cannot be dated before the publication it corrects")
            if correction.date.earliest > today:
                self.p.add(correction.pos("date"), f"a correction dated {correction.date.human()} is in the future (today is "
                           f"{today.isoformat()}): give the date it was made")
        if pub.rebuilt_from is not None:
            self.ref(pub, "rebuilt_from", pub.rebuilt_from, self.publication_ids, "a publication")
            if pub.held:
                self.p.add(pub.pos("held"), "'held: true' says this site holds the publication itself, but "
                           "'rebuilt_from' says its page is rebuilt from another: write 'held: false', or remove "
                           "'rebuilt_from' if the site holds the original")
        for source in pub.sources:
            if not (source.endswith(".txt") or source in self.publication_ids):
                self.p.add(pub.pos("sources"), f"source '{source}' is neither a shared/sources file nor a publication id")
        named = [s for s in pub.sources if s in self.publication_ids and s != pub.id]
        if not pub.holds and pub.rebuilt_from is None and named:
            # the pages would say its facts come from a source this site does not name, while the record names one
            self.p.add(pub.pos("sources"), f"this site does not hold this publication ('held: false') and 'sources' names "
                       f"'{named[0]}': where its page is built from that publication, write 'rebuilt_from: {named[0]}', "
                       "so pages name it as the source of what they show (they say 'a source this site does not name' "
                       "otherwise)", "warning")
        narrative = self.d.narratives.get(pub.id)
        programme_id = getattr(pub, "programme", None)
        if narrative is not None and programme is None and programme_id in self.d.unreadable:
            # Its questions are the programme's: the sections wait until the programme can be read.
            self.p.not_checked(self.d.unreadable[programme_id], Position(narrative.path, 1, 1), "the narrative's '## ' sections")
        elif narrative is not None:
            self.narrative_sections(pub, narrative, programme)

    def narrative_sections(self, pub: m.Publication, narrative: object, programme: m.Programme | None) -> None:
        assert isinstance(narrative, Narrative)
        if not pub.narrative_sections:
            return  # any headings, rendered in order
        allowed = [*pub.narrative_sections, *(q.label for q in programme.questions)] if programme else list(pub.narrative_sections)
        seen: set[str] = set()
        for section in narrative.sections:
            where = Position(narrative.path, section.line, 1)
            if section.heading not in allowed:
                self.p.add(where, f"section heading '## {section.heading}' is not one this page has; allowed: {', '.join(allowed)}")
            elif section.heading in seen:
                self.p.add(where, f"section '## {section.heading}' appears twice: merge them")
            seen.add(section.heading)
        if isinstance(pub, m.Review):
            self.review_footnotes(narrative)

    def review_footnotes(self, narrative: Narrative) -> None:
        """A review's sections are published on different pages (its overview and chapters, `review_pages`): a
        footnote must be defined on the page that uses it. The lead and the introduction are both on the overview."""
        def page_of(section: NarrativeSection) -> str:
            return "Introduction" if section in (narrative.lead, narrative.section("Introduction")) else section.heading

        defined: dict[str, tuple[str, int]] = {}
        for section in [narrative.lead, *narrative.sections]:
            for mt in _FOOTNOTE_DEF.finditer(section.text):
                defined.setdefault(mt.group(1), (page_of(section), section.line))
        for section in [narrative.lead, *narrative.sections]:
            used = {mt.group(1) for mt in _FOOTNOTE_REF.finditer(section.text)}
            for label in sorted(used):
                page, line = defined.get(label, (None, 0))
                if page is not None and page != page_of(section):
                    self.p.add(Position(narrative.path, section.line, 1),
                               f"footnote [^{label}] is used under '## {section.heading}' but defined under another section "
                               f"(line {line}): a review's sections are published on pages of their own (its chapters), "
                               "so define each footnote in the section that uses it")

    def inspection(self, insp: m.Inspection) -> None:
        self.ref(insp, "partnership", insp.partnership, self.d.partnerships, "a partnership")
        if not self.ref(insp, "programme", insp.programme, self.d.programmes, "a programme"):
            return
        programme = self.d.programmes[insp.programme]
        self.evaluations(insp, programme)
        self.order(insp, "notified", "fieldwork_start", "the partnership is notified before fieldwork starts")
        self.order(insp, "fieldwork_start", "fieldwork_end", "fieldwork cannot end before it starts")
        self.order(insp, "fieldwork_end", "published", "a report cannot be published before its fieldwork ends")
        self.order(insp, "fieldwork_end", "planned_publication", "publication cannot be planned before fieldwork ends")
        self.order(insp, "notified", "published", "a report cannot be published before the inspection was notified")
        for week in insp.onsite_weeks:
            if insp.notified and not not_after(insp.notified, week):
                self.p.add(insp.pos("onsite_weeks"), f"on-site week {week.human()} is before the notification ({insp.notified.human()})")
            if insp.published and not not_after(week, insp.published):
                self.p.add(insp.pos("onsite_weeks"), f"on-site week {week.human()} is after publication ({insp.published.human()})")
        if insp.delay_reason and not insp.planned_publication:
            self.p.add(insp.pos("delay_reason"), "a 'delay_reason' needs the 'planned_publication' date it was delayed from: write that "
                       "date as the source states it; where no source this site holds gives it, do not invent one: move the "
                       "reason into 'notes' instead")
        for example in insp.practice_examples:
            self.ref(example, "partnership", example.partnership, self.d.partnerships, "a partnership")
            self.question(example, "question", example.question, programme)
            self.themed(example)
        for qm in insp.question_messages:
            self.question(qm, "question", qm.question, programme)
        for ev in insp.evidence:
            self.ref(ev, "source", ev.source, self.publication_ids, "a publication", "documents.yaml")

    def review(self, review: m.Review) -> None:
        if not self.ref(review, "programme", review.programme, self.d.programmes, "a programme"):
            return
        programme = self.d.programmes[review.programme]
        for group in ("key_messages", "summary_findings"):
            # a number the source gives is its place in the list; one it does not give is the place (the site's)
            numbers = [msg.number for msg in getattr(review, group)]
            if any(n is not None and n != place for place, n in enumerate(numbers, 1)):
                self.p.add(review.pos(group), f"'{group}' must be numbered 1, 2, 3 … in order; found "
                           f"{[n if n is not None else 'not stated' for n in numbers]}. Where the source does not number "
                           "them, leave 'number' out and write 'not_stated: [number]'")
            for msg in getattr(review, group):
                self.themed(msg)
                self.question(msg, "question", msg.question, programme)
        for example in review.good_practice:
            self.ref(example, "partnership", example.partnership, self.d.partnerships, "a partnership")
            self.question(example, "question", example.question, programme)
            self.themed(example)
        for comparison in review.comparisons:
            self.ref(comparison, "earlier_source", comparison.earlier_source, self.publication_ids, "a publication", "documents.yaml")
            self.question(comparison, "question", comparison.question, programme)
            self.themed(comparison)
        framework = self.d.frameworks.get(programme.framework or "")
        for code in review.evaluated_indicators:
            if code not in programme.evaluates:
                self.p.add(review.pos("evaluated_indicators"), f"programme '{programme.id}' does not evaluate '{code}'")
        base = review.evidence_base
        if base and base.breakdown:
            total = sum(item.count for item in base.breakdown)
            if total != base.total and not base.discrepancy:
                self.p.add(
                    base.pos("breakdown"),
                    f"the breakdown adds up to {total}, not the total {base.total}: correct it, or explain in 'discrepancy'",
                )
        self.claims(review, framework)

    def response(self, response: m.Response) -> None:
        self.ref(response, "partnership", response.partnership, self.d.partnerships, "a partnership")
        if self.ref(response, "inspection", response.inspection, self.d.inspections, "an inspection"):
            inspection = self.d.inspections[response.inspection]
            if inspection.partnership != response.partnership and inspection.partnership in self.d.partnerships:
                self.p.add(response.pos("inspection"), f"inspection '{inspection.id}' is of {inspection.partnership}, not {response.partnership}")
            if inspection.published and response.meeting_date and not not_after(inspection.published, response.meeting_date):
                self.p.add(response.pos("meeting_date"), "the meeting is dated before the inspection report was published")
            programme = self.d.programmes.get(inspection.programme)
            framework = self.d.frameworks.get(programme.framework or "") if programme else None
            if framework:
                for reported in response.evaluations_as_reported:
                    if reported.indicator is not None:
                        self.ref(reported, "indicator", reported.indicator, [i.code for i in framework.indicators], f"an indicator of {framework.id}")
        self.order(response, "report_date", "meeting_date", "a committee report is written before its meeting")
        numbers = [item.number for item in response.action_plan]
        if numbers != list(range(1, len(numbers) + 1)):
            self.p.add(response.pos("action_plan"), f"action plan items must be numbered 1, 2, 3 … in order; found {numbers}")
        for item in response.action_plan:
            self.themed(item)
        for example in response.practice_examples:
            self.ref(example, "partnership", example.partnership, self.d.partnerships, "a partnership")
            self.themed(example)

    def letter(self, letter: m.Letter) -> None:
        self.ref(letter, "partnership", letter.partnership, self.d.partnerships, "a partnership")
        self.ref(letter, "programme", letter.programme, self.d.programmes, "a programme")
        self.order(letter, "work_start", "work_end", "the work cannot end before it starts")
        if letter.published and letter.work_start and not not_after(letter.work_start, letter.published) and not letter.date_note:
            self.p.add(
                letter.pos("published"),
                f"the letter is dated {letter.published.human()}, before the work it describes began ({letter.work_start.human()}). "
                "If that is what the letter says, keep the date and explain in 'date_note'; otherwise correct the date",
            )
        for observation in letter.observations:
            self.themed(observation)


def validate(data: SiteData) -> Problems:
    """Check every cross-record rule. Returns all problems found."""
    from generator.check.drafts import check_draft_links
    from generator.check.unstated import check_not_stated, check_original_address

    problems = Problems()
    check_not_stated(data, problems)  # first: a field left out without saying why is the root cause
    _Checker(data, problems).run()
    check_draft_links(data, problems)
    check_original_address(data, problems)
    return problems
