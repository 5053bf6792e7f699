"""A parent on a phone: the real site in Chromium at 375 CSS pixels (and 320 where it matters).

What is checked is what that reader meets: the area finder on the first screen of the home page,
the list narrowing as they type, the verdict on a partnership page without scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM, ROOT, is_local, mkdocs_build, serve_site

PHONE = {"width": 375, "height": 667}  # a small phone held upright

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `sh .ci/setup --browser` to install it"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is missing: run `sh .ci/setup`")
expect = sync_api.expect


@pytest.fixture(scope="module")
def phone_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("phone-site") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture(scope="module")
def phone_url(phone_site: Path) -> Iterator[str]:
    with serve_site(phone_site) as url:
        yield url.rstrip("/")


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
