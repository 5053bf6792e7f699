"""Validate stage: rules that span fields, records and files (types were checked while loading)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable

from . import models as m
from .dates import PartialDate, not_after
from .derive import claim_check, review_evaluations
from .errors import Position, Problems
from .grades import GradeWord
from .load import SiteData

_URL = re.compile(r"^https?://[^\s<>\"']+$")


def slugify(name: str) -> str:
    """The stable id for a name: 'Perth and Kinross' -> 'perth-and-kinross', 'Na h-Eileanan Siar' -> 'na-h-eileanan-siar'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class _Checker:
    def __init__(self, data: SiteData, problems: Problems):
        self.d = data
        self.p = problems

    # -- helpers -------------------------------------------------------------
    def ref(self, record: m.Record, name: str, value: str | None, pool: Iterable[str], what: str, file: str = "") -> bool:
        """Whether `value` names a record in `pool`; `file` is the single file the pool comes from, if any."""
        if value is None:
            return True
        pool = list(pool)
        if value in pool:
            return True
        root = self.d.unreadable.get(value) or self.d.unreadable.get(file)
        if root:
            # Its own file's errors are the root cause: listed under them, not reported again.
            self.p.not_checked(root, record.pos(name), f"{name} '{value}'")
            return False
        close = difflib.get_close_matches(value, pool, n=3)
        if close:
            hint = f" Did you mean: {', '.join(close)}?"
        elif pool:
            hint = f" Known: {', '.join(sorted(pool)[:12])}{' …' if len(pool) > 12 else ''}"
        else:
            hint = " None are defined yet."
        self.p.add(record.pos(name), f"'{name}' names {what} '{value}', which does not exist.{hint}")
        return False

    def refs(self, record: m.Record, name: str, values: Iterable[str], pool: Iterable[str], what: str, file: str = "") -> None:
        pool = list(pool)
        for value in values:
            self.ref(record, name, value, pool, what, file)

    def order(self, record: m.Record, first: str, second: str, message: str) -> None:
        a: PartialDate | None = getattr(record, first)
        b: PartialDate | None = getattr(record, second)
        if a and b and not not_after(a, b):
            self.p.add(record.pos(second), f"'{second}' ({b.human()}) is before '{first}' ({a.human()}): {message}")

    def url(self, record: m.Record, name: str = "url") -> None:
        value = getattr(record, name, None)
        if value and not _URL.match(value):
            self.p.add(record.pos(name), f"'{name}' must be a web address starting https:// or http://, not {value!r}")

    @property
    def themes(self) -> list[str]:
        return list(self.d.themes)

    @property
    def publication_ids(self) -> list[str]:
        return [*self.d.publications, *self.d.documents]

    def themed(self, record: m.Record) -> None:
        self.refs(record, "themes", getattr(record, "themes", []), self.themes, "a theme", "themes.yaml")

    def question(self, record: m.Record, name: str, ref: str | None, programme: m.Programme | None) -> None:
        if ref is not None and programme is not None:
            self.ref(record, name, ref, [q.ref for q in programme.questions], f"a question of programme {programme.id}")

    # -- rules ---------------------------------------------------------------
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
        self.ref(partnership, "area_code_source", partnership.area_code_source, self.d.documents, "a document", "documents.yaml")
        for fact in partnership.key_facts:
            self.ref(fact, "reported_in", fact.reported_in, self.publication_ids, "a publication", "documents.yaml")
            self.themed(fact)

    def publication(self, pub: m.Publication) -> None:
        self.url(pub)
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
        for source in pub.sources:
            if not (source.endswith(".txt") or source in self.publication_ids):
                self.p.add(pub.pos("sources"), f"source '{source}' is neither a shared/sources file nor a publication id")
        narrative = self.d.narratives.get(pub.id)
        programme_id = getattr(pub, "programme", None)
        if narrative is not None and programme is None and programme_id in self.d.unreadable:
            # Its questions are the programme's: the sections wait until the programme can be read.
            self.p.not_checked(self.d.unreadable[programme_id], Position(narrative.path, 1, 1), "the narrative's '## ' sections")
        elif narrative is not None:
            self.narrative_sections(pub, narrative, programme)

    def narrative_sections(self, pub: m.Publication, narrative: object, programme: m.Programme | None) -> None:
        from .load import Narrative

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

    def evaluations(self, pub: m.Inspection, programme: m.Programme) -> None:
        framework = self.d.frameworks.get(programme.framework or "")
        scale = self.d.scales.get(programme.scale or "")
        seen: set[str] = set()
        for ev in pub.evaluations:
            if ev.indicator in seen:
                self.p.add(ev.pos("indicator"), f"indicator '{ev.indicator}' is evaluated twice in this inspection")
            seen.add(ev.indicator)
            if framework and framework.indicator(ev.indicator) is None:
                codes = ", ".join(i.code for i in framework.indicators)
                self.p.add(ev.pos("indicator"), f"indicator '{ev.indicator}' is not in framework '{framework.id}'; it has: {codes}")
            elif ev.indicator not in programme.evaluates:
                self.p.add(
                    ev.pos("indicator"),
                    f"programme '{programme.id}' does not evaluate indicator '{ev.indicator}'; it evaluates: {', '.join(programme.evaluates) or 'nothing'}",
                )
            no_grade = ev.missing is not None or ev.not_published is not None
            if ev.grade is not None and no_grade:
                field_name = "missing" if ev.missing is not None else "not_published"
                self.p.add(ev.pos(field_name), f"indicator '{ev.indicator}' has a grade, so it cannot also say why there is none ('{field_name}'): keep one")
            elif ev.grade is None and not no_grade:
                self.p.add(ev.at, f"indicator '{ev.indicator}' needs a 'grade', or 'missing' saying why there is none: "
                           "not-evaluated, not-published (evaluated, grade not made public) or not-held "
                           "(published in a report this site does not hold)")
            if ev.original_url is not None:
                self.url(ev, "original_url")
                if ev.missing != "not-held":
                    self.p.add(ev.pos("original_url"),
                               "'original_url' is the address of a report this site does not hold: use it only with 'missing: not-held'")
            if ev.grade is not None:
                if scale is None and programme.scale in self.d.unreadable:
                    self.p.not_checked(self.d.unreadable[programme.scale], ev.pos("grade"), f"grade {ev.grade}")
                elif isinstance(ev.grade, GradeWord) and scale is not None:
                    pass  # a word not on the scale: reported where it was read against the scale
                elif scale is None:
                    self.p.add(ev.pos("grade"), f"programme '{programme.id}' has no scale, so it cannot have grades")
                elif scale.level(ev.grade) is None:
                    allowed = ", ".join(f"{lv.value} ({lv.label})" for lv in scale.levels)
                    self.p.add(ev.pos("grade"), f"grade {ev.grade} is not on the scale '{scale.id}'; allowed: {allowed}")
            self.ref(ev, "source", ev.source, self.publication_ids, "a publication", "documents.yaml")
            if ev.grade is not None and scale is not None and ev.summary:
                self.grade_words(ev, scale)
        if pub.grade_totals is not None:
            self.grade_totals(pub, pub.grade_totals, programme, scale)

    def grade_words(self, ev: m.Evaluation, scale: m.EvaluationScale) -> None:
        """A summary that gives the grade as another level ('evaluated as very good' beside a 4) contradicts it."""
        own = scale.level(ev.grade) if ev.grade is not None else None
        if own is None or ev.summary is None:
            return
        text = ev.summary.lower()
        # only where the text gives a grade ('evaluated this as very good', 'a grade of good', 'good (4)'):
        # 'staff were good at ...' is ordinary prose
        lead_in = r"\b((evaluated|graded|rated|assessed)(\s+[\w-]+){0,6}?\s+as|grade\s+of|grade\s+is|grade\s+was)\s+['‘’\"“]?"
        # longest labels first, each match blanked out, so 'good' inside 'very good' is not read again
        for level in sorted(scale.levels, key=lambda lv: -len(lv.label)):
            word = re.escape(level.label.lower())
            pattern = re.compile(rf"{lead_in}{word}\b|\b{word}['’\"”]?\s*\(\s*\d\s*\)|\b{word}\b")
            for match in pattern.finditer(text):
                gives_grade = not re.fullmatch(rf"{word}", match.group(0))
                if gives_grade and level.value != own.value:
                    said = f"'{level.label}' ({level.value})"
                    self.p.add(ev.pos("summary"), f"the summary of indicator '{ev.indicator}' calls it {said}, but its grade is {ev.grade} "
                               f"({own.label}): correct the grade or the summary")
                    return
            text = pattern.sub(lambda mt: " " * len(mt.group(0)), text)

    def grade_totals(self, insp: m.Inspection, totals: m.GradeTotals, programme: m.Programme,
                     scale: m.EvaluationScale | None) -> None:
        if scale is None:
            self.p.add(insp.pos("grade_totals"), f"programme '{programme.id}' has no scale, so it cannot have grade totals")
            return
        for grade, count in totals.counts.items():
            if isinstance(grade, GradeWord):
                continue  # a word not on the scale: reported where it was read against the scale
            if scale.level(grade) is None:
                allowed = ", ".join(f"{lv.value} ({lv.label})" for lv in scale.levels)
                self.p.add(totals.pos("counts"), f"grade {grade} is not on the scale '{scale.id}'; allowed: {allowed}")
            if count < 1:
                self.p.add(totals.pos("counts"), f"grade {grade}: a count must be 1 or more (leave out grades nobody got)")
        if programme.evaluates and totals.total > len(programme.evaluates):
            self.p.add(totals.pos("counts"), f"the totals add up to {totals.total} evaluations, but programme '{programme.id}' "
                       f"evaluates {len(programme.evaluates)} indicators")
        for grade in {ev.grade for ev in insp.evaluations if ev.grade is not None}:
            given = sum(1 for ev in insp.evaluations if ev.grade == grade)
            if given > totals.counts.get(grade, 0):
                self.p.add(totals.pos("counts"), f"{given} indicators are graded {grade}, but the totals give {totals.counts.get(grade, 0)}")
        self.ref(totals, "source", totals.source, self.publication_ids, "a publication")

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
            self.p.add(insp.pos("delay_reason"), "a 'delay_reason' needs the 'planned_publication' date it was delayed from")
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
            numbers = [msg.number for msg in getattr(review, group)]
            if numbers != list(range(1, len(numbers) + 1)):
                self.p.add(review.pos(group), f"'{group}' must be numbered 1, 2, 3 … in order; found {numbers}")
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

    def claims(self, review: m.Review, framework: m.Framework | None) -> None:
        """A claim is compared with the grades the site holds. When it holds every grade the claim covers, the
        figures must agree exactly; when it holds only some, they must not contradict it (a claim of 13 good
        or better cannot stand beside 14 held)."""
        broken = sorted(path for path in self.d.unreadable.values() if "/inspections/" in path)
        if broken and review.grade_claims:
            # An inspection that could not be read would make every count look wrong.
            for claim in review.grade_claims:
                self.p.not_checked(broken[0], claim.pos("text"), f"claim \"{claim.text}\" (it counts every inspection)")
            return
        for claim in review.grade_claims:
            if framework:
                self.refs(claim, "indicators", claim.indicators, [i.code for i in framework.indicators], "an indicator")
            unread = [ev for row in review_evaluations(self.d, review, claim.indicators).values() for ev in row.values()
                      if ev is not None and isinstance(ev.grade, GradeWord)]
            if unread:
                # A grade that is not a word of the scale is the root cause: the counts cannot be checked yet.
                self.p.not_checked(unread[0].pos("grade").path, claim.pos("text"), f"claim \"{claim.text}\" (it counts every inspection)")
                continue
            grades = [
                ev.grade
                for row in review_evaluations(self.d, review, claim.indicators).values()
                for ev in row.values()
                if ev is not None and ev.grade is not None
            ]
            complete = claim_check(self.d, review, claim).complete
            if claim.total is not None and (claim.total != len(grades) if complete else len(grades) > claim.total):
                self.p.add(claim.pos("total"), f"claim \"{claim.text}\": says {claim.total} evaluations, the inspections hold {len(grades)}")
            if claim.count is not None:
                if claim.min_grade is None:
                    self.p.add(claim.pos("count"), "a claim with 'count' needs 'min_grade'")
                else:
                    actual = sum(1 for g in grades if g >= claim.min_grade)
                    below = len(grades) - actual
                    wrong = actual != claim.count if complete else (
                        actual > claim.count or (claim.total is not None and below > claim.total - claim.count))
                    if wrong:
                        if complete:
                            message = f"says {claim.count}, the inspections give {actual} at grade {claim.min_grade} or above"
                        else:
                            message = (f"says {claim.count}, the {len(grades)} grades the site holds give {actual} at grade "
                                       f"{claim.min_grade} or above and {below} below")
                        self.p.add(claim.pos("count"), f"claim \"{claim.text}\": {message}")
            if claim.distribution:
                actual_dist = {g: grades.count(g) for g in sorted(set(grades))}
                claimed = dict(sorted(claim.distribution.items()))
                wrong = actual_dist != claimed if complete else any(n > claimed.get(g, 0) for g, n in actual_dist.items())
                if wrong:
                    given = "the inspections give" if complete else f"the {len(grades)} grades the site holds give"
                    self.p.add(claim.pos("distribution"), f"claim \"{claim.text}\": says {claimed}, {given} {actual_dist}")

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
        if letter.published and not not_after(letter.work_start, letter.published) and not letter.date_note:
            self.p.add(
                letter.pos("published"),
                f"the letter is dated {letter.published.human()}, before the work it describes began ({letter.work_start.human()}). "
                "If that is what the letter says, keep the date and explain in 'date_note'; otherwise correct the date",
            )
        for observation in letter.observations:
            self.themed(observation)


def validate(data: SiteData) -> Problems:
    """Check every cross-record rule. Returns all problems found."""
    from .drafts import check_draft_links
    from .unstated import check_not_stated

    problems = Problems()
    check_not_stated(data, problems)  # first: a field left out without saying why is the root cause
    _Checker(data, problems).run()
    check_draft_links(data, problems)
    return problems
