"""What each page gives the search index besides its text: filters, sort keys and result metadata, from
the data, never from the page text; pages not listed are not indexed."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.derive.derive import Derived
from generator.derive.paths import INDEX_PAGES, SEARCH_PAGE, PageSpec, page_path
from generator.model import models as m
from generator.model.queries import KIND_NAME

#: filter names as readers see them, in the order the search page offers them
FILTERS = ("Partnership", "Programme", "Type", "Year", "Grade")
#: the index is split into Pagefind bundles (generator/output/search_bundles.py): the pages about one area (its
#: publications and its page) are in one of AREA_BUNDLES bundles, the areas dealt round them in the order of their ids
#: (so each bundle holds about as many areas); every other page is in SITE_BUNDLE. An added or edited report changes
#: its area's bundle (and SITE_BUNDLE, where its programme and themes are), and no other. Each bundle adds one index
#: chunk (25-40 KB) to every word searched: four bundles keep a first query under 300 KB (bench/README.md, "Issue 27"),
#: and at 3,000 reports Pagefind holds about 1,000 pages at a time.
AREA_BUNDLES = 3
SITE_BUNDLE = "site"


# Index pages list other pages; searching them would only repeat every title. They stay out.
_NOT_INDEXED = {INDEX_PAGES[k] for k in ("partnerships", "programmes", "themes", "publications", "frameworks")}


_KIND_OF_PAGE = {  # type shown in results for pages that are not publications
    INDEX_PAGES["glossary"]: "Glossary",
    INDEX_PAGES["scale"]: "Reference",
    INDEX_PAGES["data"]: "Reference",
}


@dataclass
class PageSearch:
    """What one page gives the index besides its text: filters, sort keys and result metadata."""

    title: str
    kind: str
    filters: list[tuple[str, str]] = field(default_factory=list)
    """(filter name, value) pairs; a name may repeat (an inspection has several grades)."""
    meta: list[tuple[str, str]] = field(default_factory=list)
    """(name, value) shown with the result: partnership, date."""
    sort: list[tuple[str, str]] = field(default_factory=list)
    """(name, value) sort keys: the ISO date, so results can be listed newest first."""
    bundle: str = SITE_BUNDLE
    """the Pagefind bundle that holds the page (`area_bundle`, SITE_BUNDLE)"""


def search_page_spec() -> PageSpec:
    """The search page: reached from the header on every page, so kept out of the navigation."""
    return PageSpec(SEARCH_PAGE, "Search", "search.md.j2", {}, "Reference", in_nav=False)


def search_entries(derived: Derived, pages: dict[str, PageSpec]) -> dict[str, PageSearch]:
    """Docs path -> what the page gives the index, for every page readers search (others are not indexed).

    `pages` are the generated pages; hand-written pages (About, Accessibility) are added by
    `page_entry()` when the theme renders them."""
    out: dict[str, PageSearch] = {}
    areas = {pid: area_bundle(i) for i, pid in enumerate(sorted(derived.data.partnerships))}
    for pub in derived.publications:
        out[page_path(pub)] = publication_entry(derived, pub)
    for path, spec in pages.items():
        if path in out or path in _NOT_INDEXED or path == SEARCH_PAGE:
            continue
        if "chapter" in spec.context:  # a review's chapter page: the review's filters, the chapter's title
            out[path] = publication_entry(derived, spec.context["pub"])
            out[path].title = f"{spec.context['pub'].title or ''}: {spec.title}"
            continue
        folder = path.partition("/")[0]
        kind = {"partnerships": "Partnership", "programmes": "Programme", "themes": "Theme",
                "frameworks": "Quality framework"}.get(folder) or _KIND_OF_PAGE.get(path, "Reference")
        out[path] = PageSearch(spec.title, kind, [("Type", kind)])
        if folder == "partnerships":  # partnerships/<id>.md: with the area's publications
            out[path].bundle = areas.get(path.partition("/")[2].removesuffix(".md"), SITE_BUNDLE)
    for pub in derived.publications:
        partnership = derived.partnership_of(pub)
        if partnership is not None:
            out[page_path(pub)].bundle = areas.get(partnership.id, SITE_BUNDLE)
    return out


def area_bundle(position: int) -> str:
    """The bundle of the area at `position` in the order of the areas' ids."""
    return f"a{position % AREA_BUNDLES}"


def page_entry(title: str) -> PageSearch:
    """A hand-written page (About, Accessibility statement)."""
    return PageSearch(title, "Page", [("Type", "Page")])


def publication_entry(derived: Derived, pub: m.Publication) -> PageSearch:
    kind = KIND_NAME[type(pub)]
    entry = PageSearch(pub.title or "", kind, [("Type", kind)])
    partnership = derived.partnership_of(pub)
    if partnership is not None:
        entry.filters.append(("Partnership", partnership.name))
        entry.meta.append(("partnership", partnership.name))
    programme = derived.programme_of(pub)
    if programme is None and isinstance(pub, m.Response):  # a response belongs to its inspection's programme
        inspection = derived.data.inspections.get(pub.inspection)
        programme = derived.programme_of(inspection) if inspection is not None else None
    if programme is not None:
        entry.filters.append(("Programme", programme.short_title))
    if pub.date is not None:
        entry.filters.append(("Year", str(pub.date.year)))
        entry.meta.append(("date", pub.date.human()))
        entry.sort.append(("date", pub.date.iso()))
    if isinstance(pub, m.Inspection):
        # Published grades only, each once, as word and number ("Very good (5)"), highest first
        levels = {ev.grade: derived.level(programme, ev.grade) for ev in pub.evaluations if ev.grade is not None}
        entry.filters += [("Grade", f"{lv.label} ({lv.value})") for _g, lv in sorted(levels.items(), reverse=True) if lv]
    return entry
