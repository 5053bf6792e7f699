"""The validator's rules about grades: each evaluation has a grade or says why not, grades are on the
programme's scale and agree with their own text, grade totals fit, and a review's claims agree with the
grades the site holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.check.validate_base import CheckerBase
from generator.model import models as m
from generator.model.grades import GradeWord
from generator.model.queries import claim_check, review_evaluations
from generator.model.yamlnodes import Mapping, Scalar, Sequence, parse_yaml


@dataclass(frozen=True)
class UnreadInspection:
    """What can still be told of an inspection whose file has errors, read straight from its YAML: its programme
    and the indicators it evaluates (None where the file does not say it plainly)."""

    path: str
    programme: str | None
    indicators: frozenset[str] | None

    def may_count_for(self, programme: str, indicators: list[str]) -> bool:
        """Whether its grades could be among those a claim about `indicators` in `programme` counts."""
        if self.programme is not None and self.programme != programme:
            return False
        return self.indicators is None or bool(self.indicators & set(indicators))


@cache
def _unread_inspection(root: Path, path: str, mtime: int) -> UnreadInspection:
    try:
        text = (root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return UnreadInspection(path, None, None)
    node, _problems = parse_yaml(text, path)
    if not isinstance(node, Mapping):
        return UnreadInspection(path, None, None)
    programme = node.get("programme")
    programme_id = programme.value if isinstance(programme, Scalar) and not programme.is_null else None
    indicators: frozenset[str] | None = None
    evaluations = node.get("evaluations")
    if node.get("grade_totals") is None and (evaluations is None or isinstance(evaluations, Sequence)):
        codes = [ev.get("indicator") if isinstance(ev, Mapping) else None for ev in (evaluations.items if evaluations else [])]
        if all(isinstance(code, Scalar) for code in codes):
            indicators = frozenset(code.value for code in codes if isinstance(code, Scalar))
    return UnreadInspection(path, programme_id, indicators)


def unread_inspections(root: Path, paths: list[str]) -> list[UnreadInspection]:
    """The inspections that could not be read, each with its programme and indicators where its YAML gives them."""
    out = []
    for path in paths:
        try:
            mtime = (root / path).stat().st_mtime_ns
        except OSError:
            mtime = 0
        out.append(_unread_inspection(root, path, mtime))
    return out


class GradeRules(CheckerBase):
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
            if level.label.lower() not in text:
                continue  # every match holds the label itself: no need to scan (or blank) the text for it
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
        for grade in {m.GradeKey(ev.grade) for ev in insp.evaluations if ev.grade is not None}:
            given = sum(1 for ev in insp.evaluations if ev.grade == grade)
            if given > totals.counts.get(grade, 0):
                self.p.add(totals.pos("counts"), f"{given} indicators are graded {grade}, but the totals give {totals.counts.get(grade, 0)}")
        self.ref(totals, "source", totals.source, self.publication_ids, "a publication")

    def claims(self, review: m.Review, framework: m.Framework | None) -> None:
        """A claim is compared with the grades the site holds. When it holds every grade the claim covers, the
        figures must agree exactly; when it holds only some, they must not contradict it (a claim of 13 good
        or better cannot stand beside 14 held)."""
        broken = sorted({path for path in self.d.unreadable.values() if "/inspections/" in path}) if review.grade_claims else []
        unread = unread_inspections(self.d.root, broken)
        for claim in review.grade_claims:
            # An inspection that could not be read would make the claim's count look wrong, but only an inspection
            # of the review's own programme that grades one of the claim's indicators (or may: its file does not
            # say plainly) counts for it: a slip in another programme's report leaves this claim checked.
            blocking = next((u for u in unread if u.may_count_for(review.programme, claim.indicators)), None)
            if blocking is not None:
                self.p.not_checked(blocking.path, claim.pos("text"),
                                   f"claim \"{claim.text}\" (it counts every inspection of programme '{review.programme}')")
                continue
            if framework:
                self.refs(claim, "indicators", claim.indicators, [i.code for i in framework.indicators], "an indicator")
            unread_grades: list[m.Evaluation] = [ev for row in review_evaluations(self.d, review, claim.indicators).values() for ev in row.values()
                      if ev is not None if isinstance(ev.grade, GradeWord)]
            if unread_grades:
                # A grade that is not a word of the scale is the root cause: the counts cannot be checked yet.
                self.p.not_checked(unread_grades[0].pos("grade").path, claim.pos("text"), f"claim \"{claim.text}\" (it counts every inspection)")
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
