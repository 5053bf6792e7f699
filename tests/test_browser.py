"""The real site in a real browser: built once, served on 127.0.0.1, read in headless Chromium.

These tests check what a reader sees and does: headings, grades, following links with the
keyboard, the skip link, that no page asks any other host for anything, and what a reader meets
on the first screen at 1280, 375 and 320px (full-page screenshots go to /tmp/screens/ for a person
to look at).

They use Debian's chromium (`sh .ci/setup --browser` installs it); Playwright's own browser
download is not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .support import CHROMIUM, is_local, serve_site

ROOT = Path(__file__).resolve().parent.parent
SCREENS = Path("/tmp/screens")

NL_PARTNERSHIP = "/partnerships/north-lanarkshire/"
NL_REPORT = "/inspections/north-lanarkshire-2023/"
SL_PARTNERSHIP = "/partnerships/south-lanarkshire/"
REVIEW = "/reviews/review-2018-2020/"
REVIEW_TABLE = "/reviews/review-2018-2020/after-the-questions/"  # the review's chapter with its table of evaluations
PROGRAMME = "/programmes/care-and-protection-2018-2020/"
GLOSSARY = "/glossary/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `sh .ci/setup --browser` to install it"),
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright's Python package is missing: run `sh .ci/setup`"
)
expect = sync_api.expect


# --- fixtures: build, serve, browse -------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT serving the built site from a background thread (a free port)."""
    with serve_site(built_site) as url:
        yield url.rstrip("/")


class Visit:
    """A page in a fresh browser context, recording every request it makes."""

    def __init__(self, browser, base_url: str, width: int = 1280, height: int = 900) -> None:
        self.base_url = base_url
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.set_default_timeout(15_000)
        self.context.on("request", lambda request: self.requests.append(request.url))
        # Record, then refuse, anything not for the local server: no test waits on the network.
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    @staticmethod
    def _route(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def open(self, path: str):
        self.page.goto(self.base_url + path, wait_until="networkidle")
        return self.page

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, base_url: str) -> Iterator[Visit]:
    v = Visit(browser, base_url)
    try:
        yield v
    finally:
        v.close()


# --- helpers ------------------------------------------------------------------------------------


def heading_text(locator) -> str:
    """A heading's visible words without the permalink sign MkDocs adds."""
    return locator.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
        " return c.textContent.replace(/\\s+/g, ' ').trim(); }"
    )


_SECTIONS_JS = """
(level) => {
  const tags = [];
  for (let i = 1; i <= level; i++) tags.push('H' + i);
  return [...document.querySelectorAll('article h' + level)].map(h => {
    const c = h.cloneNode(true);
    c.querySelectorAll('.headerlink').forEach(a => a.remove());
    const parts = [];
    for (let n = h.nextElementSibling; n && !tags.includes(n.tagName); n = n.nextElementSibling) {
      parts.push(n.innerText);
    }
    return {id: h.id, heading: c.textContent.replace(/\\s+/g, ' ').trim(), text: parts.join('\\n')};
  });
}
"""


def sections(page, level: int) -> list[dict[str, str]]:
    """Each heading of `level` in the article, with the visible text up to the next heading of that level or higher."""
    return page.evaluate(_SECTIONS_JS, level)


def section(page, level: int, heading: str | re.Pattern[str]) -> dict[str, str]:
    found = [
        s for s in sections(page, level)
        if (heading.search(s["heading"]) if isinstance(heading, re.Pattern) else s["heading"] == heading)
    ]
    headings = [s["heading"] for s in sections(page, level)]
    assert len(found) == 1, f"expected one h{level} {heading!r} on {page.url}; the h{level} headings are {headings}"
    return found[0]


# --- the tests ----------------------------------------------------------------------------------


def test_north_lanarkshire_partnership_to_report_to_glossary(visit: Visit) -> None:
    page = visit.open(NL_PARTNERSHIP)
    h1 = page.locator("article h1")
    expect(h1).to_have_count(1)
    assert heading_text(h1) == "North Lanarkshire"

    latest = section(page, 2, "Latest inspection")
    assert "Very good (5): major strengths." in latest["text"], latest["text"]

    # The report, reached from the verdict at the top of the page as a reader would.
    report_link = page.locator(".rs-verdict").get_by_role("link", name="The inspection report")
    expect(report_link).to_have_count(1)
    report_link.click()
    page.wait_for_url("**" + NL_REPORT)
    page.wait_for_load_state("networkidle")
    title = heading_text(page.locator("article h1"))
    assert re.fullmatch(
        r"Report of a joint inspection of services for children and young people at risk of harm in "
        r"North Lanarkshire( community planning partnership)?",
        title,
    ), title

    h1 = page.locator("article h1")
    expect(h1).to_have_count(1)
    article = page.locator("article")
    expect(article).to_contain_text("Very good (5)")
    expect(article).to_contain_text("17 October 2023")
    expect(page.locator("article .rs-grade", has_text="Very good (5)").first).to_be_visible()

    # The first glossary term in the narrative (not in the summary box or the notes on the record).
    term_link = page.locator("article a.rs-term:not(.admonition a):not(.rs-summary a):not(details a)").first
    expect(term_link).to_be_visible()
    term = term_link.inner_text().strip()
    href = term_link.get_attribute("href") or ""
    assert "#" in href, f"glossary link {term!r} has no fragment: {href!r}"

    term_link.focus()
    expect(term_link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(GLOSSARY) + "#.+$"))

    fragment = unquote(urlsplit(page.url).fragment)
    assert fragment == unquote(href.split("#", 1)[1])
    target = page.locator(f"[id={fragment!r}]")
    expect(target).to_have_count(1)
    tag = target.evaluate("e => e.tagName")
    assert re.fullmatch(r"H[1-6]", tag), f"#{fragment} on the glossary page is a <{tag}>, not a heading"
    defined = heading_text(target)
    abbreviations = re.findall(r"[^\s(),;]+", (re.search(r"\(([^)]*)\)\s*$", defined) or [None, ""])[1])
    assert term.casefold() in defined.casefold() or term in abbreviations, (
        f"link text {term!r} led to #{fragment}, whose heading is {defined!r}"
    )
    expect(target).to_be_in_viewport()


def test_review_table_of_evaluations_has_orkney(visit: Visit) -> None:
    page = visit.open(REVIEW_TABLE)
    table_section = section(page, 2, "Table of evaluations")
    assert "Orkney Islands" in table_section["text"], table_section["text"]
    # The theme wraps tables in scrolling boxes, so the table follows the heading but is not its sibling.
    table = page.locator(f"article h2#{table_section['id']}").locator("xpath=following::table[1]")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr").filter(has=page.locator("td", has_text=re.compile(r"^\s*Orkney Islands\s*$")))
    expect(rows).to_have_count(1)
    cells = [c.strip() for c in rows.locator("td").all_inner_texts()]
    assert cells[0] == "Orkney Islands", cells
    assert "Weak (2)" in cells[1:], cells
    assert "Adequate (3)" in cells[1:], cells


def test_south_lanarkshire_inspection_history(visit: Visit) -> None:
    page = visit.open(SL_PARTNERSHIP)
    assert heading_text(page.locator("article h1")) == "South Lanarkshire"
    history = section(page, 2, "Inspection history")
    programmes = [
        s for s in sections(page, 3)
        if s["heading"] and s["heading"] in history["text"]
    ]
    in_2018_2020 = [s for s in programmes if re.search(r"2018\s*[-–]\s*2020", s["heading"])]
    assert len(in_2018_2020) == 1, f"no 2018-2020 programme under Inspection history: {[s['heading'] for s in programmes]}"
    # Its latest inspection: the grades are in the verdict at the top, and the history points there.
    assert "Its grades are under the latest inspection" in in_2018_2020[0]["text"], in_2018_2020[0]["text"]
    expect(page.locator(".rs-verdict .rs-grade", has_text="Adequate (3)").first).to_be_visible()


def test_skip_link_moves_focus_to_main_content(visit: Visit) -> None:
    page = visit.open(NL_PARTNERSHIP)
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_have_count(1)

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused, then shown
    page.keyboard.press("Enter")

    page.wait_for_function("location.hash.length > 1")
    target_id = unquote(page.evaluate("location.hash")[1:])
    in_main = page.evaluate(
        "id => { const t = document.getElementById(id); return !!t && !!t.closest('main .md-content'); }", target_id
    )
    assert in_main, f"skip link went to #{target_id}, which is not in the main content"

    # Focus (or the sequential focus starting point, for a non-focusable target) is now in the
    # content: the next Tab lands inside it, not back in the header or the navigation.
    page.keyboard.press("Tab")
    where = page.evaluate(
        "() => { const a = document.activeElement;"
        " return {inContent: !!a.closest('main .md-content'), html: a.outerHTML.slice(0, 200)}; }"
    )
    assert where["inContent"], f"after the skip link, Tab went to {where['html']}, outside the main content"


@pytest.mark.parametrize("path", [NL_PARTNERSHIP, NL_REPORT, GLOSSARY, REVIEW, SL_PARTNERSHIP, PROGRAMME])
def test_no_requests_to_other_hosts(visit: Visit, path: str) -> None:
    page = visit.open(path)
    # Use the page a little: scroll to the end, then search from the search page (Pagefind and its index).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.click("a.rs-search-link")
    page.wait_for_selector("[data-rs-search][data-ready]")
    page.keyboard.type("partnership")
    page.keyboard.press("Enter")
    page.wait_for_selector(".rs-result")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert visit.requests, "no requests were recorded at all"
    assert visit.foreign_requests() == [], f"{path} asked other hosts for: {visit.foreign_requests()}"


SCREENSHOT_PAGES = {
    # name: (path, what a reader must meet on the first screen)
    "home": ("/", "Find your area"),
    "north-lanarkshire": (NL_PARTNERSHIP, "Latest inspection"),
    "north-lanarkshire-report": (NL_REPORT, "In short"),
    "programme-care-and-protection-2018-2020": (PROGRAMME, None),
}


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 667), (320, 800)], ids=["desktop", "375px", "320px"])
def test_screenshots_for_people(browser, base_url: str, width: int, height: int) -> None:
    """What a reader meets first, on a desktop and on phones: the page's title, then what they came
    for (the area finder, the latest inspection, the summary) without scrolling, and nothing that
    makes the page scroll sideways. Full-page screenshots go to /tmp/screens/ for a person to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    v = Visit(browser, base_url, width=width, height=height)
    try:
        for name, (path, first) in SCREENSHOT_PAGES.items():
            page = v.open(path)
            page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True, timeout=90_000)  # a shared machine can be slow
            h1 = page.locator("article h1")
            expect(h1).to_be_in_viewport()
            if first:
                heading = page.locator("article h2").filter(has_text=re.compile("^" + re.escape(first)))
                box = heading.first.bounding_box()
                assert box is not None and box["y"] + box["height"] <= height, (
                    f"{path} at {width}px: {first!r} starts {box and round(box['y'])}px down, below the first screen ({height}px)")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{path} at {width}px scrolls sideways ({wide}px wide)"
    finally:
        v.close()


def test_a_report_prints_whole_with_its_address_and_date(visit: Visit) -> None:
    """Print: no navigation, collapsed notes open, and the page's address and build date on paper."""
    page = visit.open(NL_REPORT)
    footer = page.locator("p.rs-print-only")
    expect(footer).to_be_hidden()  # on screen the address bar says it
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-tabs", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
    expect(footer).to_be_visible()
    text = footer.inner_text()
    assert "Printed from https://" in text and NL_REPORT in text, text
    assert re.search(r"page built on \d{1,2} [A-Z][a-z]+ \d{4}", text), text
    # The contents list for phones is not printed at all (a printout is read in order); every other disclosure prints open.
    assert not page.locator(".rs-contents").is_visible() and not page.locator(".rs-contents-back").is_visible()
    for details in page.locator("article :not(.rs-contents) > details:not([open])").all():
        hidden = details.evaluate("d => [...d.children].filter(c => c.tagName !== 'SUMMARY' && !c.checkVisibility()).length")
        assert hidden == 0, "a collapsed note's text would be missing from the printout"


@pytest.mark.parametrize("feed,title", [("feeds/north-lanarkshire.xml", "Publications about North Lanarkshire"),
                                        ("feeds/publications.xml", "All publications")])
def test_a_feed_opened_in_the_browser_reads_as_a_page(browser, real_url: str, real_site: Path, feed: str, title: str) -> None:
    """Issue 26: a person who opens a feed's link sees a page (its style sheet, feeds/feed.css, names by a relative
    address, shows the XHTML the feed carries for people), not Chromium's tree of raw XML: a heading, how to follow
    the feed, and each entry with its title as a link, its date and its summary."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    try:
        page = context.new_page()
        response = page.goto(real_url + feed, wait_until="load")
        assert response is not None and response.ok
        text = page.evaluate("() => document.documentElement.textContent")
        assert "does not appear to have any style information" not in page.content()  # the raw-XML tree view
        assert page.locator("#webkit-xml-viewer-source-xml").count() == 0
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_role("heading", name="How to follow this feed")).to_be_visible()
        assert "paste it into a feed reader, or into an e-mail program that can follow feeds" in text
        expect(page.get_by_role("link", name="What a feed is, how to follow one, and every feed of this site")).to_be_visible()
        # the Atom elements a person need not read are hidden; the entries are headings with links, and summaries
        assert not page.locator("id").first.is_visible()
        entries = page.get_by_role("heading", level=3)
        assert entries.count() == len(re.findall("<entry>", (real_site / feed).read_text())) > 0
        first = entries.first.get_by_role("link")
        expect(first).to_be_visible()
        assert urlsplit(first.get_attribute("href") or "").path.startswith("/inspections/")
        summary = page.locator("summary").first
        expect(summary).to_be_visible()
        words = summary.text_content() or ""
        assert re.search(r"published \d{1,2} [A-Z][a-z]+ \d{4}", words), words
    finally:
        context.close()


def test_feed_readers_find_the_feeds_from_a_partnership_page(visit: Visit, built_site: Path) -> None:
    page = visit.open(NL_PARTNERSHIP)
    links = page.locator('head link[rel~="alternate"][type="application/atom+xml"]')  # rel is a list of words
    found = {links.nth(i).get_attribute("title"): links.nth(i).get_attribute("href") for i in range(links.count())}
    assert set(found) == {"All publications", "Publications about North Lanarkshire"}, found
    for href in found.values():
        target = (built_site / "partnerships" / "north-lanarkshire" / href).resolve()
        assert target.is_file() and target.read_text().lstrip().startswith("<?xml"), href
