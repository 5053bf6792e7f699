"""A parent on a phone: the real site in Chromium at 375 CSS pixels (and 320 where it matters).

What is checked is what that reader meets: the area finder on the first screen of the home page,
the list narrowing as they type, the verdict on a partnership page without scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import CHROMIUM, PAGE_TYPES, ROOT, axe_result, describe_violations, is_local, mkdocs_build, serve_site, start_axe

PHONE = {"width": 375, "height": 667}  # a small phone held upright

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `sh .ci/setup --browser` to install it"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is missing: run `sh .ci/setup`")
expect = sync_api.expect





@pytest.fixture(scope="session")
def phone_url(real_url: str) -> str:
    """The site served under the path of its site_url, as published (the 404 page's links are absolute)."""
    return real_url.rstrip("/")


@pytest.fixture
def phone(browser, phone_url: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page = context.new_page()
    page.goto_site = lambda path: page.goto(phone_url + path, wait_until="networkidle")  # type: ignore[attr-defined]
    yield page
    context.close()


def on_first_screen(locator) -> bool:
    """Wholly inside the viewport as the page opens, not hidden under the sticky header."""
    return locator.evaluate(
        """el => { const r = el.getBoundingClientRect(), header = document.querySelector('.md-header');
                   const top = header ? header.getBoundingClientRect().bottom : 0;
                   return r.height > 0 && r.top >= top - 0.5 && r.bottom <= innerHeight + 0.5; }"""
    )


def test_area_finder_is_on_the_first_screen(phone) -> None:
    phone.goto_site("/")
    box = phone.get_by_label("Type the name of your area")
    expect(box).to_be_visible()
    assert on_first_screen(phone.get_by_role("heading", name="Find your area")), "the finder's heading is below the first screen"
    assert on_first_screen(box), "the box to type your area in is below the first screen"


def test_typing_fif_leaves_fife(phone) -> None:
    phone.goto_site("/")
    items = phone.locator(".rs-finder li")
    assert items.count() == 32
    box = phone.get_by_label("Type the name of your area")
    box.click()
    phone.keyboard.type("fif")
    visible = [t.split(":")[0].strip() for t in items.filter(visible=True).all_inner_texts()]
    assert visible == ["Fife"], visible
    expect(phone.get_by_role("status").filter(has_text="1 area matches")).to_have_count(1)
    # Its result is in words, and Enter opens the one area left.
    assert "Good (4)" in items.filter(visible=True).first.inner_text()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/partnerships/fife/")
    # Other names work too, and a name that matches nothing says so.
    phone.goto_site("/")
    box.fill("western isles")
    assert [t.split(" (")[0] for t in items.filter(visible=True).all_inner_texts()] == ["Na h-Eileanan Siar"]
    box.fill("zzz")
    assert items.filter(visible=True).count() == 0
    expect(phone.get_by_role("status")).to_contain_text("No area matches")
    box.fill("")
    assert items.filter(visible=True).count() == 32


def test_a_word_that_is_no_area_offers_the_site_search_for_it(phone) -> None:
    """A town or a subject typed in the finder: no area matches, so the site search for the same words is offered,
    and it opens with the words searched (issue 26)."""
    phone.goto_site("/")
    box = phone.get_by_label("Type the name of your area")
    offer = phone.get_by_role("link", name="Search the site for “chronology”")
    box.fill("fif")
    expect(phone.locator(".rs-finder__search")).to_be_hidden()  # an area matches: nothing else to offer
    box.fill("chronology")
    expect(phone.get_by_role("status")).to_contain_text("No area matches")
    expect(offer).to_be_visible()
    assert offer.get_attribute("href").endswith("/search/?q=chronology")
    offer.click()
    phone.wait_for_url("**/search/?q=chronology")
    phone.wait_for_selector(".rs-search[data-ready]:not([hidden])")
    assert phone.get_by_label("Words to search for").input_value() == "chronology"
    phone.wait_for_selector(".rs-result")
    assert phone.locator(".rs-result").count() > 0


def test_the_first_text_under_the_fife_heading_is_a_grade_in_words(phone) -> None:
    """The result first (issue 26): what the grade rests on (the programme, the report not held) follows it."""
    phone.goto_site("/partnerships/fife/")
    first = phone.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        for (const el of document.querySelectorAll('article p, article li')) {
            if (h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && el.textContent.trim()) return el.textContent.trim();
        }
        return '';
    }""")
    assert re.match(r"(Excellent|Very good|Good|Adequate|Weak|Unsatisfactory) \(\d\): \w", first), first
    assert on_first_screen(phone.locator(".rs-verdict li").first), "the grade is below the first screen at 375 px"


def test_without_javascript_the_list_still_has_every_area(browser, phone_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(phone_url + "/", wait_until="load")
        items = page.locator(".rs-finder li")
        assert items.count() == 32 and items.filter(visible=True).count() == 32
        assert page.locator(".rs-finder input").count() == 0  # no box that could not work
        assert "Very good (5), 2023" in items.filter(has_text="North Lanarkshire").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/partnerships/north-lanarkshire/", "/partnerships/fife/", "/partnerships/angus/"])
def test_verdict_is_visible_without_scrolling_on_a_partnership_page(phone, path: str) -> None:
    phone.goto_site(path)
    heading = phone.locator(".rs-verdict h2")
    expect(heading).to_have_text(re.compile(r"^Latest inspection"))
    assert on_first_screen(heading)
    first = phone.locator(".rs-verdict li, .rs-verdict p").first
    assert on_first_screen(first), f"{path}: the verdict's first line is below the first screen"
    if path.endswith("north-lanarkshire/"):
        grade = phone.locator(".rs-verdict .rs-grade").first
        expect(grade).to_have_text("Very good (5)")
        assert on_first_screen(grade), "the grade is below the first screen"


# --- long pages: a contents list at the top, and a way back to it (issue 26) ----------------------

def in_view(locator) -> bool:
    """Some of it on screen, below the sticky header."""
    return locator.evaluate(
        """el => { const r = el.getBoundingClientRect(), header = document.querySelector('.md-header');
                   const top = header ? header.getBoundingClientRect().bottom : 0;
                   return r.height > 0 && r.bottom > top + 1 && r.top < innerHeight - 1; }"""
    )


def test_any_section_of_the_north_lanarkshire_report_is_three_taps_from_the_top(phone) -> None:
    """At 375 px Material's table of contents is hidden in the navigation drawer; the page's own "Contents"
    disclosure is on the first screen, one tap opens it, one more reaches any section (the last included), and
    "Back to contents" brings the reader back to the list, open, from anywhere on the page."""
    phone.goto_site(NL_REPORT)
    expect(phone.locator(".md-sidebar--secondary")).to_be_hidden()
    summary = phone.locator(".rs-contents summary")
    expect(summary).to_have_text("Contents")
    assert on_first_screen(summary), "the contents list is below the first screen"
    taps = 0
    summary.tap()
    taps += 1
    contents = phone.locator("#rs-contents-list")
    expect(contents).to_be_visible()
    sections = contents.locator("> li > a")
    assert sections.count() >= 10
    entries = contents.locator("a").all_inner_texts()
    headings = phone.locator("article h2, article h3").evaluate_all(
        "hs => hs.filter(h => !h.closest('.rs-contents')).map(h => h.firstChild.textContent.trim())")
    assert entries == headings, "the contents list is not every section and subsection of the page, in order"
    last = sections.last
    target = last.get_attribute("href")
    last.tap()
    taps += 1
    heading = phone.locator(target)
    expect(heading).to_have_text(re.compile("Related publications"))
    assert in_view(heading) and taps <= 3, f"{taps} taps and the last section is not on screen"
    # The way back: on screen wherever the reader is, and it leads to the list, open.
    back = phone.get_by_role("link", name="Back to contents")
    expect(back).to_be_visible()
    assert in_view(back), "Back to contents is not on screen at the last section"
    back.tap()
    expect(phone.locator(".rs-contents details")).to_have_attribute("open", "")
    phone.wait_for_function("() => location.hash === '#rs-contents-list'")
    assert in_view(contents.locator("a").first), "Back to contents does not show the list"
    # From the middle of the page with the list closed, the same: the list opens.
    summary.tap()
    expect(contents).to_be_hidden()
    phone.locator(target).scroll_into_view_if_needed()
    phone.evaluate("() => window.scrollBy(0, -innerHeight * 3)")
    assert in_view(back), "Back to contents is not on screen in the middle of the page"
    back.tap()
    expect(contents).to_be_visible()
    subsection = contents.get_by_role("link", name="Independent advocacy")
    subsection.tap()
    assert in_view(phone.locator(subsection.get_attribute("href"))), "a subsection is not reached from the list"


def test_back_to_contents_steps_aside_while_the_list_is_on_screen(phone) -> None:
    """At the top the list is in view, and the link to it would only cover the first words of the report."""
    phone.goto_site("/inspections/north-lanarkshire-2023/")
    back = phone.locator(".rs-contents-back a")
    expect(back).to_be_hidden()
    phone.locator("h2").nth(3).scroll_into_view_if_needed()
    expect(back).to_be_visible()


def test_back_to_contents_works_without_javascript(browser, phone_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(phone_url + NL_REPORT, wait_until="load")
        page.get_by_role("link", name="Back to contents").click()
        expect(page.locator("#rs-contents-list")).to_be_visible()  # the browser opens the disclosure for its fragment
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/reviews/review-2018-2020/", "/reviews/review-2018-2020/question-1/", "/glossary/",
                                  "/themes/chronologies/", "/partnerships/north-lanarkshire/"])
def test_long_pages_have_a_contents_list_on_a_phone(phone, path: str) -> None:
    phone.goto_site(path)
    summary = phone.locator(".rs-contents summary")
    expect(summary).to_be_visible()
    assert on_first_screen(summary), f"{path}: the contents list is below the first screen"
    assert phone.locator("[data-pagefind-body] .rs-contents, [data-pagefind-body] .rs-contents-back").count() == 0
    summary.tap()
    first = phone.locator("#rs-contents-list a").first
    first.tap()
    assert in_view(phone.locator(first.get_attribute("href")))
    # Where the sidebar shows its table of contents, the page's own list is not shown again.
    phone.set_viewport_size({"width": 1280, "height": 800})
    expect(phone.locator(".rs-contents")).to_be_hidden()
    expect(phone.get_by_role("link", name="Back to contents")).to_be_hidden()


def test_the_report_says_where_the_official_record_is(phone) -> None:
    """The original's address is in no source, so the page says it is not known, and links to the inspectorate's own
    list of reports instead (issue 26)."""
    phone.goto_site(NL_REPORT)
    facts = phone.locator(".rs-facts")
    expect(facts).to_contain_text("Original report: address not known")
    where = facts.get_by_role("link", name="the Care Inspectorate's list of joint inspection reports")
    expect(where).to_be_visible()
    assert where.get_attribute("href").startswith("http://www.careinspectorate.com/")


def test_a_short_page_has_no_contents_list(phone) -> None:
    """Fewer than four sections (README, "What readers and analysts get"): nothing to find one's way through."""
    phone.goto_site("/partnerships/fife/")
    assert phone.locator(".rs-contents, .rs-contents-back").count() == 0


# --- on paper ------------------------------------------------------------------------------------

A4_POINTS = (595.3, 841.9)
#: The North Lanarkshire report printed to 32 A4 pages before issue 12 (Chromium, main at 7973ca2:
#: notes on the record first, the text in a narrow column, a grade first met on page 3).
PAGES_BEFORE = 32
NL_REPORT = "/inspections/north-lanarkshire-2023/"


def printed(page) -> tuple[list[str], list[tuple[float, float]]]:
    """Print the open page as the browser's print dialogue would (the page's own @page size):
    each page's text and size in points."""
    import io

    pypdf = pytest.importorskip("pypdf", reason="pypdf is missing: run `sh .ci/setup`")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return ([p.extract_text() or "" for p in reader.pages],
            [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages])


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_a_report_prints_on_a4_with_its_grade_on_page_one_and_notes_last(phone, browser, phone_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(phone_url + NL_REPORT, wait_until="networkidle")
        external = page.eval_on_selector_all("article a[href^='http']:not(.rs-url)", "links => links.map(a => a.href)")
        texts, sizes = printed(page)
    finally:
        context.close()
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes), f"not A4: {set(sizes)}"
    assert len(texts) < PAGES_BEFORE, f"{len(texts)} pages; before issue 12 it was {PAGES_BEFORE}"
    first = texts[0]
    assert "In short" in first and "Very good (5)" in first and "major strengths" in first, first[:800]
    assert "17 October 2023" in first
    # Notes on the record come after everything else the report says.
    whole = "\n".join(texts)
    assert whole.index("Notes on this record") > whole.index("Related publications"), "the notes are not last"
    assert "Notes on this record" not in "\n".join(texts[:len(texts) // 2])
    # The contents list for phones is not printed (the printout is read in order).
    assert "Back to contents" not in whole and "Evaluation of quality indicator 2.1: Very good" not in texts[0]
    # Every link to another site has its address printed beside it.
    for href in external:
        assert squeezed(href) in squeezed(whole), f"the address of {href} is not printed"


def test_printed_tables_are_whole_with_their_captions_and_no_scrollbars(browser, phone_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667})
    try:
        page = context.new_page()
        page.goto(phone_url + "/inspections/glasgow-city-2017/", wait_until="networkidle")
        page.emulate_media(media="print")
        found = page.evaluate(
            """() => {
                 const out = [];
                 for (const el of document.querySelectorAll('article *')) {
                   const s = getComputedStyle(el);
                   if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1)
                     out.push('scrolls: ' + el.outerHTML.slice(0, 80));
                 }
                 const width = document.querySelector('article').getBoundingClientRect().right + 1;
                 for (const t of document.querySelectorAll('article table')) {
                   if (t.getBoundingClientRect().right > width) out.push('cut: ' + (t.caption ? t.caption.textContent : ''));
                 }
                 return {problems: out, captions: [...document.querySelectorAll('article table')].map(t => [
                   t.caption ? t.caption.textContent.trim() : '', t.tHead ? t.tHead.rows[0].cells[0].textContent.trim() : ''])};
               }"""
        )
        texts, _ = printed(page)
    finally:
        context.close()
    assert not found["problems"], found["problems"]
    assert found["captions"], "no table on the page"
    for caption, first_heading in found["captions"]:
        on = [i for i, t in enumerate(texts) if squeezed(caption) in squeezed(t)]
        assert on, f"caption {caption!r} is not printed"
        assert squeezed(first_heading) in squeezed(texts[on[0]]), f"table {caption!r} is printed apart from its caption"


# --- charts and grids on a 320px screen ----------------------------------------------------------

NARROW = {"width": 320, "height": 640}
GRID = "/programmes/care-and-protection-2018-2020/"

_CHART_TEXT_SIZES_JS = """
() => [...document.querySelectorAll('svg.rs-svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {
      text: t.textContent.trim().slice(0, 40),
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      cut: r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5,
      inColumn: r.right <= document.documentElement.clientWidth + 0.5,
    };
  });
})
"""

# Written into the tiny site's copy (not the fixture, whose pages are golden): Perth and Kinross gets
# a history chart with every kind of row the chart draws: a grade, a grade not held (the longest
# words), grades known only as totals, a bold heading per inspection.
_HISTORY_STATES = {
    "perth-and-kinross-2013.yaml": """title: Services for children and young people in Perth and Kinross, 2013
partnership: perth-and-kinross
programme: old-2012
published: 2013-09
not_stated: [url, publisher]
evaluations:
  - {indicator: "1.1", missing: not-held}
  - {indicator: "9.4", grade: 6}
""",
    "perth-and-kinross-2016.yaml": """title: Services for children and young people in Perth and Kinross
partnership: perth-and-kinross
programme: old-2012
published: 2016-02
not_stated: [url, publisher]
grade_totals:
  counts: {4: 1, 1: 1}
  as_published: one good, one unsatisfactory
""",
}


def _serve_fixture(dest: Path, fixture: str, extra: dict[str, str]) -> Iterator[str]:
    """A copy of tests/fixtures/<fixture> with the site's stylesheet (and `extra` files), built and served."""
    import shutil

    project = dest / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / fixture, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", (ROOT / "overrides").as_posix())
                      + "\nextra_css:\n  - assets/report-site.css\n")
    (project / "content/assets").mkdir(exist_ok=True)
    (project / "content/assets/report-site.css").write_text((ROOT / "content/assets/report-site.css").read_text())
    for name, text in extra.items():
        (project / name).write_text(text)
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    with serve_site(project / "site") as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def fixture_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The tiny site (Fife: two graded inspections; Perth and Kinross: every kind of row, see above)
    and issue 10's states site (history charts on two scales, grades known only as totals)."""
    tiny = _serve_fixture(tmp_path_factory.mktemp("phone-tiny"), "tiny",
                          {f"site-data/inspections/{name}": text for name, text in _HISTORY_STATES.items()})
    states = _serve_fixture(tmp_path_factory.mktemp("phone-states"), "states", {})
    yield {"tiny": next(tiny), "states": next(states)}
    for served in (tiny, states):
        served.close()


# Every chart the generator draws: the spread of grades (programme pages) and the history of an area
# (partnership pages; no real area has two graded inspections yet, so only the fixture sites draw one).
@pytest.mark.parametrize("where", ["real:" + GRID, "tiny:/programmes/risk-2021/", "tiny:/programmes/old-2012/",
                                   "tiny:/partnerships/fife/", "tiny:/partnerships/perth-and-kinross/",
                                   "states:/partnerships/fife/", "states:/partnerships/angus/",
                                   "states:/programmes/risk-2021/"])
def test_chart_text_is_at_least_12px_at_320px(browser, phone_url: str, fixture_urls: dict[str, str], where: str) -> None:
    site, path = where.split(":", 1)
    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        page.goto((phone_url if site == "real" else fixture_urls[site]) + path, wait_until="networkidle")
        sizes = page.evaluate(_CHART_TEXT_SIZES_JS)
    finally:
        context.close()
    assert sizes, f"no chart on {path}"
    small = [s for s in sizes if s["px"] < 12 - 0.01]
    assert not small, f"{path} at 320px: chart text under 12 CSS px: {small[:5]}"
    cut = [s["text"] for s in sizes if s["cut"] or not s["inColumn"]]
    assert not cut, f"{path} at 320px: chart text runs past the chart's edge or the screen's: {cut[:5]}"


def test_no_distribution_chart_of_a_single_grade(phone) -> None:
    phone.goto_site("/programmes/joint-inspections-2012-2017/")  # one inspection: Glasgow 2016-17
    assert phone.locator("svg.rs-svg").count() == 0
    expect(phone.locator("article")).to_contain_text("there is no spread of grades to show")


def _grades(page, column: int) -> list[str]:
    return page.locator(".rs-grid tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{column}].textContent.trim())")


def test_sorting_a_grid_by_a_column_with_the_keyboard(phone) -> None:
    phone.goto_site(GRID)
    grid = phone.locator(".rs-grid table")
    before = _grades(phone, 0)
    assert before == sorted(before)  # partnerships A to Z
    # From the link just before the table, Tab reaches the column headings' buttons in order.
    phone.locator(".rs-grid").locator("xpath=preceding::a[1]").focus()
    for _ in range(12):
        phone.keyboard.press("Tab")
        if phone.evaluate("() => document.activeElement.textContent.trim().startsWith('2.1')"):
            break
    button = grid.get_by_role("button", name=re.compile(r"^2\.1: Impact on children"))
    expect(button).to_be_focused()
    assert on_first_screen(button) or button.evaluate("b => b.getBoundingClientRect().bottom <= innerHeight")
    header = grid.locator("th").nth(2)
    phone.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    values = [int(re.search(r"\((\d)\)", g).group(1)) for g in _grades(phone, 2)]
    assert values == sorted(values) and values[0] == 2, values  # Weak (2) first
    phone.keyboard.press(" ")
    expect(header).to_have_attribute("aria-sort", "descending")
    values = [int(re.search(r"\((\d)\)", g).group(1)) for g in _grades(phone, 2)]
    assert values == sorted(values, reverse=True) and values[0] == 5, values
    expect(phone.get_by_role("status").filter(has_text="Sorted by 2.1")).to_contain_text("descending")
    # Grades not published go last whichever way the column is sorted.
    grid.get_by_role("button", name=re.compile(r"^1\.1")).press("Enter")
    assert _grades(phone, 1)[0] == "Adequate (3)" and not re.search(r"\(\d\)", _grades(phone, 1)[-1])
    grid.get_by_role("button", name=re.compile(r"^1\.1")).press("Enter")
    assert _grades(phone, 1)[0] == "Adequate (3)" and not re.search(r"\(\d\)", _grades(phone, 1)[-1])
    # A third press puts the rows back in their first order.
    grid.get_by_role("button", name=re.compile(r"^1\.1")).press("Enter")
    assert _grades(phone, 0) == before
    expect(grid.locator("th[aria-sort]")).to_have_count(0)


def test_the_grid_keeps_each_partnership_name_in_view_when_it_scrolls(browser, phone_url: str) -> None:
    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        page.goto(phone_url + GRID, wait_until="networkidle")
        box = page.locator(".rs-grid .md-typeset__scrollwrap")
        box.evaluate("b => b.scrollLeft = b.scrollWidth")
        first = page.locator(".rs-grid tbody tr").first.locator("td").first
        inside = first.evaluate(
            "td => { const r = td.getBoundingClientRect(), b = td.closest('.md-typeset__scrollwrap').getBoundingClientRect();"
            " return r.left >= b.left - 1 && r.right <= b.right + 1 && r.width > 0; }")
        assert inside, "the partnership's name scrolls out of view with the grades"
        expect(first).to_have_text("Aberdeen City")
        caption = page.locator(".rs-grid caption").evaluate(
            "c => { const r = c.getBoundingClientRect(), b = c.closest('.md-typeset__scrollwrap').getBoundingClientRect();"
            " return r.left >= b.left - 1 && r.right <= b.right + 1; }")
        assert caption, "the grid's caption is cut off when the grid scrolls"
    finally:
        context.close()


# --- axe-core at 375px, and with the filter and sorting in use at 320, 375 and 1280px ---------------


# --- lists of publications on a phone: stacked, each cell named ---------------------------------

_STACKED_JS = """
() => [...document.querySelectorAll('article .rs-stack table')].map(table => {
  const names = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const wrap = table.closest('.md-typeset__scrollwrap') || table;
  const cells = [...table.querySelectorAll('tbody td')].map(td => {
    const r = td.getBoundingClientRect(), before = getComputedStyle(td, '::before').content;
    return {text: td.textContent.trim().slice(0, 30), column: names[td.cellIndex], before,
            inside: r.width > 0 && r.left >= -0.5 && r.right <= document.documentElement.clientWidth + 0.5};
  });
  return {caption: table.caption ? table.caption.textContent.trim() : '', names, cells,
          scrolls: wrap.scrollWidth > wrap.clientWidth + 1 || table.scrollWidth > table.clientWidth + 1,
          headVisible: table.tHead.getBoundingClientRect().height > 2,
          tabStop: wrap.getAttribute('tabindex')};
})
"""


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["/", "/publications/", "/partnerships/south-lanarkshire/"])
def test_publication_lists_stack_on_a_phone_with_each_cell_named(browser, phone_url: str, path: str, width: int) -> None:
    """No publication list is cut at the screen's edge or scrolls sideways on a phone: each row is a
    block and each cell says which column it is ("Date: 17 October 2023"). The table stays a table
    (caption, header cells) for screen readers."""
    context = browser.new_context(viewport={"width": width, "height": 667}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(phone_url + path, wait_until="networkidle")
        tables = page.evaluate(_STACKED_JS)
        assert tables, f"no publication list on {path}"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways at {width}px"
        for t in tables:
            assert t["names"] == ["Date", "Publication", "Type", "Partnership"], t["names"]
            assert not t["scrolls"] and t["tabStop"] is None, f"{path} at {width}px: {t['caption']!r} scrolls sideways in its box"
            assert not t["headVisible"], f"{path} at {width}px: the header row is shown above stacked rows"
            cut = [c for c in t["cells"] if not c["inside"]]
            assert not cut, f"{path} at {width}px: cells of {t['caption']!r} are cut at the screen's edge: {cut[:3]}"
            unnamed = [c for c in t["cells"] if c["before"] != f'"{c["column"]}: "']
            assert not unnamed, f"{path} at {width}px: cells without their column's name: {unnamed[:3]}"
            expect(page.get_by_role("table", name=t["caption"])).to_have_count(1)
        # At 1280px the same list is an ordinary table: header row shown, no names in the cells.
        page.set_viewport_size({"width": 1280, "height": 800})
        wide = page.evaluate(_STACKED_JS)
        assert all(t["headVisible"] and all(c["before"] in ("none", "normal") for c in t["cells"]) for t in wide), wide[0]
    finally:
        context.close()


@pytest.mark.parametrize("path", [pytest.param(p, id=name) for name, p in PAGE_TYPES.items()])
def test_no_wcag_violation_at_375px(phone, path: str) -> None:
    """tests/test_accessibility.py runs axe-core on every page type at 320 and 1280px; this is 375px."""
    response = phone.goto_site("/" + path)
    assert response is not None and response.status in (200, 404)
    if response.status == 404 and path != PAGE_TYPES["404"]:
        pytest.skip(f"the site has no /{path}")
    start_axe(phone)
    violations = axe_result(phone)
    assert not violations, describe_violations(violations, f"/{path} at 375px")


def _in_use(page, what: str) -> None:
    if what == "filter":
        page.get_by_label("Type the name of your area").fill("lanark")
        expect(page.get_by_role("status").filter(has_text="areas match")).to_have_count(1)
    elif what == "suggestion":
        page.wait_for_selector(".rs-search[data-ready]:not([hidden])")
        expect(page.locator(".rs-search__suggest a")).to_be_visible()
    elif what == "no match":
        page.get_by_label("Type the name of your area").fill("Kirkcaldy")
        expect(page.locator(".rs-finder__search a")).to_be_visible()
    elif what == "contents":
        summary = page.locator(".rs-contents summary")
        if summary.is_visible():
            summary.click()
            expect(page.locator("#rs-contents-list")).to_be_visible()
        else:  # where the sidebar shows the table of contents, the page's own list is hidden, open or not
            page.locator(".rs-contents details").evaluate("d => { d.open = true; }")
    else:
        page.locator(".rs-sortable th button").nth(2).press("Enter")
        page.locator(".rs-sortable th button").nth(2).press("Enter")
        expect(page.locator(".rs-sortable th[aria-sort=descending]")).to_have_count(1)


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("path,what", [("/", "filter"), ("/", "no match"), ("/search/?q=chronolgy", "suggestion"), (GRID, "sort"), ("/partnerships/", "sort"),
                                       ("/reviews/review-2018-2020/after-the-questions/", "sort"),
                                       (NL_REPORT, "contents"), ("/glossary/", "contents"), ("/themes/chronologies/", "contents")])
def test_no_wcag_violation_with_the_filter_and_sorting_in_use(browser, phone_url: str, path: str, what: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(phone_url + path, wait_until="networkidle")
        _in_use(page, what)
        start_axe(page)
        violations = axe_result(page)
        assert not violations, describe_violations(violations, f"{path} at {width}px with the {what} in use")
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_wcag_violation_on_the_updates_page(browser, phone_url: str, width: int) -> None:
    """The page that says how to follow the site or an area (issue 26), with every feed's full address: no WCAG 2.2
    A/AA violation, and no address wider than the screen."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        response = page.goto(phone_url + "/updates/", wait_until="networkidle")
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Follow updates"))
        assert page.locator(".rs-feed-list a[href$='.xml']").count() == 33  # all publications, and 32 areas
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        start_axe(page)
        violations = axe_result(page)
        assert not violations, describe_violations(violations, f"/updates/ at {width}px")
    finally:
        context.close()
