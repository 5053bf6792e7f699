"""Every path and URL the site publishes, in one place: a page per record and index, a review's chapters,
feeds, open-data files and the search page. Needs no templates, so the check finds clashes and lost
addresses without rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.model import models as m
from generator.model.queries import KIND_FOLDER

if TYPE_CHECKING:
    from generator.derive.derive import Derived

#: the search page's docs path (its URL is search/)
SEARCH_PAGE = "search.md"


@dataclass(frozen=True)
class PageSpec:
    """One page to add to the site."""

    path: str
    """Source path in the docs tree, e.g. 'inspections/north-lanarkshire-2023.md'."""
    title: str
    template: str
    context: dict[str, Any]
    section: str
    """Navigation section the page belongs to."""
    subsection: str | None = None
    """Group within the section (e.g. 'Reviews of findings'), so lists collapse."""
    in_nav: bool = True
    """False for pages there can be thousands of (reports, responses, letters): they are reached from
    index pages (publications, partnership, programme), so no page renders thousands of nav links."""


def page_path(record: Any) -> str:
    """The docs path of the page for a record (its URL follows from it)."""
    for cls, folder in KIND_FOLDER.items():
        if isinstance(record, cls):
            return f"{folder}/{record.id}.md"
    if isinstance(record, m.Partnership):
        return f"partnerships/{record.id}.md"
    if isinstance(record, m.Programme):
        return f"programmes/{record.id}.md"
    if isinstance(record, m.Framework):
        return f"frameworks/{record.id}.md"
    if isinstance(record, m.Theme):
        return f"themes/{record.id}.md"
    raise TypeError(f"no page for {type(record).__name__}")


def chapter_path(review: m.Review, slug: str) -> str:
    """The docs path of a review's chapter page: its address is under the review's (`reviews/<id>/question-1/`)."""
    return f"{page_path(review).removesuffix('.md')}/{slug}.md"


INDEX_PAGES = {
    "partnerships": "partnerships/index.md",
    "programmes": "programmes/index.md",
    "themes": "themes/index.md",
    "publications": "publications.md",
    "glossary": "glossary.md",
    "scale": "evaluation-scale.md",
    "frameworks": "frameworks/index.md",
    "data": "open-data.md",
    "updates": "updates.md",
}


def page_specs(d: Derived) -> list[PageSpec]:
    """Every generated page, in navigation order (needs no templates: `check` uses it to find clashes)."""
    data = d.data
    specs: list[PageSpec] = []
    partnerships = sorted(data.partnerships.values(), key=lambda p: p.name)
    specs.append(PageSpec(INDEX_PAGES["partnerships"], "Partnerships A to Z", "partnerships-index.md.j2",
                          {"partnerships": partnerships}, "Partnerships"))
    for p in partnerships:
        specs.append(PageSpec(page_path(p), p.name, "partnership.md.j2", {"partnership": p}, "Partnerships"))
    specs.append(PageSpec(INDEX_PAGES["publications"], "Publications", "publications.md.j2", {}, "Publications"))
    for pub in d.publications:
        template = f"{KIND_FOLDER[type(pub)][:-1]}.md.j2"
        # One review per programme: few enough for the nav. The rest grow with partnerships x programmes.
        in_nav = isinstance(pub, m.Review)
        specs.append(PageSpec(page_path(pub), pub.title or "", template, {"pub": pub}, "Publications",
                              "Reviews of findings" if in_nav else None, in_nav=in_nav))
        if isinstance(pub, m.Review):  # its chapters (review_pages), reached from its overview
            chapters = d.chapters(pub)
            for i, chapter in enumerate(chapters):
                context = {"pub": pub, "chapter": chapter, "chapters": chapters,
                           "previous": chapters[i - 1] if i else None, "next": chapters[i + 1] if i + 1 < len(chapters) else None}
                specs.append(PageSpec(chapter_path(pub, chapter.slug), chapter.title, "review-chapter.md.j2", context,
                                      "Publications", in_nav=False))
    specs.append(PageSpec(INDEX_PAGES["programmes"], "Programmes", "programmes-index.md.j2", {}, "Programmes"))
    for prog in sorted(data.programmes.values(), key=lambda p: p.start):
        specs.append(PageSpec(page_path(prog), prog.short_title, "programme.md.j2", {"programme": prog}, "Programmes"))
    specs.append(PageSpec(INDEX_PAGES["themes"], "Themes", "themes-index.md.j2", {}, "Themes"))
    for theme in sorted(data.themes.values(), key=lambda t: t.title):
        specs.append(PageSpec(page_path(theme), theme.title, "theme.md.j2", {"theme": theme}, "Themes"))
    specs.append(PageSpec(INDEX_PAGES["glossary"], "Glossary", "glossary.md.j2", {}, "Reference"))
    specs.append(PageSpec(INDEX_PAGES["scale"], "Evaluation scale and proportion words", "scale.md.j2", {}, "Reference"))
    specs.append(PageSpec(INDEX_PAGES["frameworks"], "Quality frameworks", "frameworks-index.md.j2", {}, "Reference"))
    specs.append(PageSpec(INDEX_PAGES["data"], "Open data and feeds", "data.md.j2", {}, "Reference"))
    specs.append(PageSpec(INDEX_PAGES["updates"], "Follow updates", "updates.md.j2", {"partnerships": partnerships}, "Reference"))
    for fw in sorted(data.frameworks.values(), key=lambda f: f.title or ""):  # None only where the check failed
        specs.append(PageSpec(page_path(fw), fw.title or "", "framework.md.j2", {"framework": fw}, "Reference"))
    return specs


ALL_PUBLICATIONS_FEED = "feeds/publications.xml"


def partnership_feed(pid: str) -> str:
    return f"feeds/{pid}.xml"


def exact_days(pub: m.Publication) -> list[dt.date]:
    """The days the sources give for a publication and its corrections (known to the day, not approximate)."""
    dates = [c.date for c in pub.corrections] + ([pub.date] if pub.date else [])
    return [d.earliest for d in dates if d.exact_day]


def no_exact_day(pubs: Iterable[m.Publication]) -> list[m.Publication]:
    """Publications for which the sources give no day (undated, or known only to the month or year, or
    approximately): every feed lists them too, but their entries are dated the day the feed was built, and say so
    (an Atom entry needs a day; `render_feeds`), never a made-up publication day."""
    return [p for p in pubs if not exact_days(p)]


def page_feeds(derived: Derived, path: str) -> list[tuple[str, str]]:
    """The Atom feeds a page announces to browsers and feed readers (`<link rel="alternate">`):
    all publications everywhere, and on a partnership's page that partnership's own feed. Every feed exists
    from the start, with no entry until something about it has a date (`render_feeds`)."""
    feeds = [("All publications", ALL_PUBLICATIONS_FEED)]
    folder, _, name = path.removesuffix(".md").partition("/")
    if folder == "partnerships" and name in derived.data.partnerships:
        feeds.append((f"Publications about {derived.data.partnerships[name].name}", partnership_feed(name)))
    return feeds


def page_address(docs_path: str) -> str:
    """The address of a page from its docs path, with directory URLs (`a/b.md` -> `/a/b/`, `a/index.md` -> `/a/`)."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return "/" + (stem + "/" if stem else "")


def page_url(pub: m.Publication) -> str:
    """Site-relative URL of a publication's page (directory URLs): `inspections/fife-2023/`."""
    return page_address(page_path(pub)).removeprefix("/")


def data_path(pub: m.Publication, suffix: str) -> str:
    return f"data/{KIND_FOLDER[type(pub)]}/{pub.id}.{suffix}"


def site_file_paths(derived: Derived) -> list[str]:
    """The path of every open-data file `site_files` writes (the list of published addresses needs them unrendered)."""
    paths = ["data/evaluations.csv", "data/evaluations.json", "data/evaluations.schema.json", "data/datapackage.json",
             "data/partnerships.csv", "data/partnerships.json", "data/partnerships.schema.json"]
    for pub in derived.publications:
        paths.append(data_path(pub, "json"))
        if isinstance(pub, m.Inspection):
            paths.append(data_path(pub, "csv"))
    return paths
