"""A review as a multi-page publication: an overview at the review's own address and one page per chapter.

A national review is long: the 2018-2020 one was 264 KB of HTML on one page, about twice a report, and on a
phone such a page starts slowly whatever is done to its markup (the browser lays out the whole document
before the theme's script can run). So it is published as long official publications are (GOV.UK's
multi-page guides): its address holds the overview (summary, foreword, key messages, summary of findings,
introduction, how it was conducted, evidence base, notes) with the list of its chapters, and each chapter
has its own page:

- one per question (or statement) of its programme that has something under it in the review (a summary
  finding, narrative, a good practice example, a finding on a theme or a comparison), in the programme's
  order; a question with nothing under it has no chapter;
- then one for what follows the questions (`CLOSING`): the conclusion, the examples, findings and
  comparisons filed under no question, and the table of evaluations with what the review says about them,
  when the review has any of these.

A review with no question chapter (its programme has no questions, or nothing is filed under them) stays
one page: there is nothing to divide it by.

This module decides the chapters and which page holds each item of a review; templates render each item
on that page only, and every link to an item (theme pages) goes there. It knows nothing of MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.base.urls import slugify
from generator.model import models as m

if TYPE_CHECKING:
    from generator.model.load import Narrative, SiteData

#: the address (under the review's) of the chapter after the questions: it names no part, so it stays the
#: same whichever of them (conclusion, table of evaluations, ...) a review has
CLOSING = "after-the-questions"


@dataclass(frozen=True)
class Chapter:
    slug: str
    """Its page's name under the review's address: 'question-1', 'statement-2' or `CLOSING`."""
    title: str
    """As readers see it: 'Question 1: How good are ...?', or the parts of the closing chapter."""
    label: str
    """Short, for previous/next links and the overview's list: 'Question 1', or the title."""
    question: m.Question | None = None
    """None for the closing chapter."""


def _section_text(narrative: Narrative | None, heading: str) -> bool:
    section = narrative.section(heading) if narrative else None
    return bool(section and section.text)


def question_has_content(review: m.Review, narrative: Narrative | None, question: m.Question) -> bool:
    """Whether anything of the review is filed under the question (the template shows the same parts)."""
    refs = [item.question for items in (review.summary_findings, review.good_practice, review.comparisons, review.findings)
            for item in items]
    return question.ref in refs or _section_text(narrative, question.label)


def closing_parts(review: m.Review, narrative: Narrative | None) -> list[str]:
    """What follows the questions, in page order, as headings name them."""
    parts = []
    if any(not ex.question for ex in review.good_practice):
        parts.append("Good practice examples")
    if any(not f.question for f in review.findings):
        parts.append("Findings")
    if any(not c.question for c in review.comparisons):
        parts.append("Compared with the previous programme")
    if _section_text(narrative, "Conclusion"):
        parts.append("Conclusion")
    if review.evaluated_indicators:
        parts.append("Table of evaluations")
    return parts


def _title(parts: list[str]) -> str:
    """'Conclusion and table of evaluations': the first part as written, the others inside the sentence."""
    words = [parts[0]] + [p[:1].lower() + p[1:] for p in parts[1:]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _slug(question: m.Question, taken: set[str]) -> str:
    base = slugify(question.label) or "question"
    slug, n = base, 2
    while slug in taken or slug == CLOSING:  # refs that differ only in punctuation ('1.a', '1-a')
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def review_chapters(data: SiteData, review: m.Review) -> list[Chapter]:
    """The review's chapters in reading order; empty when the review is one page."""
    programme = data.programmes.get(review.programme)
    narrative = data.narratives.get(review.id)
    taken: set[str] = set()
    chapters = [Chapter(_slug(q, taken), f"{q.label}: {q.text}" if q.text else q.label, q.label, q)
                for q in (programme.questions if programme else []) if question_has_content(review, narrative, q)]
    if not chapters:
        return []
    parts = closing_parts(review, narrative)
    if parts:
        title = _title(parts)
        chapters.append(Chapter(CLOSING, title, title))
    return chapters


def item_chapter(chapters: list[Chapter], question: str | None) -> str | None:
    """The chapter (slug) that holds a finding, good practice example or comparison filed under `question`
    (None: under none); None when the review is one page."""
    if not chapters:
        return None
    return question_chapter(chapters, question) or CLOSING


def question_chapter(chapters: list[Chapter], question: str | None) -> str | None:
    """The chapter (slug) of a question, None if it has none (nothing is filed under it, or the review is one page)."""
    return next((c.slug for c in chapters if c.question is not None and c.question.ref == question), None)
