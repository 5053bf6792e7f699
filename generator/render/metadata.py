"""What a shared link or a search result says about a page: its description and Open Graph /
Twitter card fields, from the data.

Plain text only: the page template (overrides/main.html) escapes every value once, as it does
the title. Every sentence says no more than the record holds: an unknown date is "date not
published", never guessed, and a grade the source does not give is "not published".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.derive import facts
from generator.derive.derive import Derived
from generator.derive.paths import INDEX_PAGES
from generator.derive.review_pages import Chapter
from generator.model import models as m
from generator.model.queries import KIND_NAME

#: Open Graph descriptions are cut by most readers near 200 characters; keep whole words.
MAX_DESCRIPTION = 300


@dataclass(frozen=True)
class PageMeta:
    description: str
    og_type: str = "website"
    """'article' for a publication, 'website' for everything else."""
    published: str | None = None
    """ISO date (YYYY-MM-DD) for `article:published_time`, only when the day is known."""
    section: str | None = None
    """The partnership a publication is about (`article:section`)."""


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def grade_summary(derived: Derived, pub: m.Inspection) -> str:
    """'2.1 Very good (5)'; a grade not published says so."""
    programme = derived.data.programmes.get(pub.programme)
    parts = []
    for ev in pub.evaluations:
        if ev.grade is None:
            parts.append(f"{ev.indicator} not published")
            continue
        level = derived.level(programme, ev.grade)
        parts.append(f"{ev.indicator} {level.label if level else 'grade'} ({ev.grade})")
    return "; ".join(parts)


def _date(pub: m.Publication) -> str:
    return f"published {pub.date.human()}" if pub.date else "publication date not published"


def publication_meta(derived: Derived, pub: m.Publication) -> PageMeta:
    data = derived.data
    kind = KIND_NAME[type(pub)]
    partnership = data.partnerships.get(getattr(pub, "partnership", "") or "")
    about = f" about {partnership.name}" if partnership else ""
    if isinstance(pub, m.Review):
        programme = data.programmes.get(pub.programme)
        about = f" of the {programme.title}" if programme else ""
    text = f"{kind}{about}, {_date(pub)}."
    if isinstance(pub, m.Inspection):
        grades = grade_summary(derived, pub)
        text += f" Evaluations: {grades}." if grades else " No evaluations published."
    day = pub.date.iso() if pub.date and pub.date.day else None
    return PageMeta(shorten(text), "article", day, partnership.name if partnership else None)


def chapter_meta(derived: Derived, review: m.Review, chapter: Chapter) -> PageMeta:
    """A review's chapter page (`review_pages`): the chapter, then the review's own description."""
    about = publication_meta(derived, review)
    stop = "" if chapter.title.endswith((".", "?", "!")) else "."
    text = f"{chapter.title}{stop} A chapter of “{review.title or KIND_NAME[type(review)]}”, {_date(review)}."
    return PageMeta(shorten(text), about.og_type, about.published, about.section)


def record_meta(derived: Derived, spec_context: dict[str, Any]) -> PageMeta | None:
    """Descriptions for partnership, programme, theme and framework pages."""
    if "chapter" in spec_context:
        return chapter_meta(derived, spec_context["pub"], spec_context["chapter"])
    if "pub" in spec_context:
        return publication_meta(derived, spec_context["pub"])
    if "partnership" in spec_context:
        p: m.Partnership = spec_context["partnership"]
        pubs = derived.by_partnership.get(p.id, [])
        dates = [x.date for x in pubs if x.date]
        if not pubs:
            text = f"{p.name}: no joint inspection publication about this partnership is on this site yet."
        else:
            latest = max(dates, key=lambda d: d.latest) if dates else None
            count = f"{len(pubs)} publication{'s' if len(pubs) != 1 else ''}"
            text = f"{p.name}: {count} from joint inspections of services for children and young people"
            text += f", the latest {latest.human()}." if latest else "."
        return PageMeta(shorten(text))
    if "programme" in spec_context:
        prog: m.Programme = spec_context["programme"]
        return PageMeta(shorten(f"{prog.title}, {facts.period(prog).text}" + (f": {prog.remit}" if prog.remit else ".")))
    if "theme" in spec_context:
        theme: m.Theme = spec_context["theme"]
        return PageMeta(shorten(f"{theme.title}: {theme.description}"))
    if "framework" in spec_context:
        fw: m.Framework = spec_context["framework"]
        return PageMeta(shorten(f"{fw.title}, published by {fw.publisher}: its quality indicators and where they were evaluated."))
    return None


#: Index and reference pages: what each is, in words that stay true whatever the data.
INDEX_DESCRIPTIONS = {
    INDEX_PAGES["partnerships"]: "Every community planning partnership in Scotland, A to Z, with its joint inspection publications.",
    INDEX_PAGES["publications"]: "Every joint inspection publication on this site: inspection reports, reviews, responses and letters.",
    INDEX_PAGES["programmes"]: "The programmes of joint inspections of services for children and young people in Scotland.",
    INDEX_PAGES["themes"]: "Subjects followed across inspections and programmes.",
    INDEX_PAGES["glossary"]: "Terms used in the joint inspection reports, with their definitions and where they are used.",
    INDEX_PAGES["scale"]: "The six-point evaluation scale and the words the reports use for proportions.",
    INDEX_PAGES["frameworks"]: "The quality frameworks and indicators the inspections evaluate against.",
    INDEX_PAGES["data"]: "The evaluations and publications as open data (CSV, JSON, a data package) and Atom feeds.",
    INDEX_PAGES["updates"]: "How to follow new publications, for the whole site or one area, with a feed reader or an e-mail program.",
}
