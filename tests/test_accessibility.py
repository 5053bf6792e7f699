"""Accessibility of the real site, proven in real headless Chromium (WCAG 2.2 AA).

The law (Public Sector Bodies Accessibility Regulations 2018) requires WCAG 2.2 AA. For one page of
every page type, these tests check:

- axe-core (axe-playwright-python) finds no violation of any WCAG 2.0/2.1/2.2 A or AA rule, nor of
  axe's best practices, on a desktop screen and at 320 CSS pixels; no rule is switched off;
- the page reflows at 320 CSS pixels: nothing makes the page itself scroll sideways (a wide
  table scrolls inside its own box, which the keyboard can reach and which has a name);
- the skip link is the first Tab stop, is visible when focused, and moves focus into the main
  content (not on the 404 page: Material gives a page without headings in its table of contents
  no skip link, and the 404 page has nothing to skip to);
- data tables have header cells and captions (a `Table: …` line before the table in the page
  templates; generator/render/table_captions.py).

On a report page, at both widths, Tab visits every interactive element in document order, each
one visible, on screen, not covered by the sticky header, and with a focus indicator (outline
or box-shadow) that contrasts 3:1 with what is behind it. Search works from the keyboard at both
widths, and a table too wide for a narrow screen scrolls in a box that Tab reaches, that has a
name, and that the arrow keys scroll (the script in overrides/main.html).

Every check records its result; the last test compares them with the committed
`accessibility-results.json`, which the accessibility statement is built from (so the statement
says what these tests found, not what someone wrote). `UPDATE_A11Y=1` rewrites the entries of the
checks that ran, after a change that alters a result.

The site is built once for this module with `mkdocs build --strict`, served on 127.0.0.1 under the
path of `site_url` (so the 404 page, whose links are absolute, works as it does when published),
and read by one Chromium for all tests. Debian's chromium is used (`sh .ci/setup --browser`);
Playwright's own browser download is not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html.parser
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import (
    CHROMIUM,
    PAGE_TYPES,
    ROOT,
    axe_result,
    describe_violations,
    is_local,
    start_axe,
)

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}  # WCAG 1.4.10: 1280px at 400% zoom

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `sh .ci/setup --browser` to install it"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is missing: run `sh .ci/setup`")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is missing: run `sh .ci/setup`")

OPTIONAL = {"open data"}
REPORT = PAGE_TYPES["inspection report"]
REVIEW = "reviews/review-2018-2020/question-1/"  # a chapter of the review: its comparison table is wider than a phone


#: what each recorded check is, in the statement's words (`accessibility-results.json`, "checks")
CHECKS = {
    "axe": "axe-core finds no failure of any WCAG 2.0, 2.1 or 2.2 rule at level A or AA, nor of its best practices",
    "reflow": "at 320 CSS pixels wide (1280 pixels at 400% zoom) nothing makes the page scroll sideways or is cut off",
    "skip-link": "the first Tab stop is a visible 'Skip to content' link that moves focus into the main content",
    "keyboard": "Tab reaches every link, button and field in order, each visible, not covered and with a focus "
                "indicator of at least 3:1 contrast",
    "search-keyboard": "search can be used from the keyboard alone, and the number of results is announced",
    "scroll-boxes": "a table too wide for the screen scrolls in its own named box that Tab reaches and the arrow keys scroll",
    "table-headers": "every data table has header cells",
    "table-captions": "every data table has a caption",
    "chart-labels": "no word of any chart is cut off at 320 CSS pixels",
}
RESULTS_FILE = ROOT / "accessibility-results.json"
ALL_PAGES = "every page"  # the page of a check that reads every page of the built site
UPDATE = os.environ.get("UPDATE_A11Y") == "1"


class Results:
    """What each check found this run: (check, page, width) -> problems (empty: passed)."""

    def __init__(self) -> None:
        self.got: dict[tuple[str, str, int | None], list[str]] = {}
        self.axe_version = ""

    @contextlib.contextmanager
    def check(self, check: str, page: str, width: int | None = None) -> Iterator[list[str]]:
        """Record the check inside: passed, or failed with the problems the test lists (else the first
        line of its assertion). The assertion still fails the test."""
        assert check in CHECKS, check
        problems: list[str] = []
        try:
            yield problems
        except AssertionError as exc:
            if not problems:
                problems.append(" ".join(str(exc).split("\n")[0].split())[:300])
            raise
        finally:
            self.got[(check, page if page == ALL_PAGES else "/" + page, width)] = [p[:300] for p in problems]


def entry_key(entry: dict) -> tuple[str, str, int | None]:
    return (entry["check"], entry["page"], entry.get("width"))


@pytest.fixture(scope="module")
def results() -> Results:
    return Results()


# --- fixtures: build once, serve, one browser ---------------------------------------------------


@pytest.fixture(scope="session")
def a11y_site(real_site: Path) -> Path:
    return real_site


@pytest.fixture(scope="session")
def a11y_base_url(real_url: str) -> str:
    return real_url


@pytest.fixture(scope="module")
def a11y_browser(browser: object) -> object:
    """The session's one Chromium (conftest.py): Playwright's sync API allows one at a time, so a module starting
    its own would fail whenever it ran after another browser module ("Sync API inside the asyncio loop")."""
    return browser


class Reader:
    """One browser tab at a fixed viewport size, reused from page to page (no test waits on other hosts)."""

    def __init__(self, browser, base_url: str, viewport: dict[str, int]) -> None:
        self.base_url = base_url
        self.viewport = viewport
        self.context = browser.new_context(viewport=viewport)
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
        self.page = self.context.new_page()

    def open(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None
        expected = 404 if path == PAGE_TYPES["404"] else 200
        assert response.status == expected, f"{path}: HTTP {response.status}"
        # Material mounts its components (and wraps tables) after load; let that and our script settle.
        self.page.wait_for_function("() => document.readyState === 'complete' && !!document.querySelector('.md-content')")
        if self.page.locator("[data-rs-search]").count():  # the search page: wait until Pagefind has loaded
            self.page.wait_for_selector("[data-rs-search][data-ready]")
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        return self.page


@pytest.fixture(scope="module")
def desktop(a11y_browser, a11y_base_url: str) -> Iterator[Reader]:
    reader = Reader(a11y_browser, a11y_base_url, DESKTOP)
    yield reader
    reader.context.close()


@pytest.fixture(scope="module")
def narrow(a11y_browser, a11y_base_url: str) -> Iterator[Reader]:
    reader = Reader(a11y_browser, a11y_base_url, NARROW)
    yield reader
    reader.context.close()


def page_type_params() -> list:
    return [pytest.param(path, id=name) for name, path in PAGE_TYPES.items()]


def skip_if_absent(site: Path, path: str) -> None:
    name = next(n for n, p in PAGE_TYPES.items() if p == path)
    if name in OPTIONAL and not (site / path / "index.html").is_file():
        pytest.skip(f"the site has no {name} page")


# --- every page type: axe-core at two widths, and reflow at 320 CSS pixels ------------------------


_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if ((o === 'auto' || o === 'scroll') && a !== document.documentElement && a !== document.body) return a; }
    return null; };
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
    if (scrolls(el)) continue;
    out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
             + ` [${Math.round(r.left)}..${Math.round(r.right)}] ` + (el.textContent || '').trim().slice(0, 60));
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, out: out.slice(0, 10)};
}
"""

_SCROLL_BOXES_JS = """
() => [...document.querySelectorAll('main *')].filter(el => {
    const o = getComputedStyle(el).overflowX;
    return (o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.checkVisibility({visibilityProperty: true}) && el.closest('article');
  }).map(el => ({html: el.outerHTML.slice(0, 120), tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'),
                 name: el.getAttribute('aria-label') || '', focusable: el.tabIndex >= 0}))
"""


@pytest.mark.parametrize("path", page_type_params())
def test_page_type(desktop: Reader, narrow: Reader, a11y_site: Path, path: str, subtests, results: Results) -> None:
    """axe-core at 1280px and at 320px (run side by side in two tabs), then reflow at 320px."""
    skip_if_absent(a11y_site, path)
    wide_page, narrow_page = desktop.open(path), narrow.open(path)
    start_axe(wide_page)
    start_axe(narrow_page)
    results.axe_version = wide_page.evaluate("() => axe.version")
    for reader, page in ((desktop, wide_page), (narrow, narrow_page)):
        width = reader.viewport["width"]
        with subtests.test(msg=f"axe-core at {width}px"), results.check("axe", path, width) as problems:
            violations = axe_result(page)
            problems += [f"{v['id']}: {v['help']}" for v in violations]
            assert not violations, describe_violations(violations, f"/{path} at {width}px")

    with subtests.test(msg=f"reflow at {NARROW['width']}px"), results.check("reflow", path, NARROW["width"]):
        found = narrow_page.evaluate(_OVERFLOW_JS)
        assert found["scrollWidth"] <= NARROW["width"], (
            f"/{path} scrolls sideways at {NARROW['width']}px: the page is {found['scrollWidth']}px wide; sticking out: {found['out']}"
        )
        assert not found["out"], f"/{path} at {NARROW['width']}px: these stick out of the screen (cut off): {found['out']}"
        # What does scroll sideways (wide tables) scrolls in its own box, reachable and named.
        for box in narrow_page.evaluate(_SCROLL_BOXES_JS):
            assert box["focusable"] and box["role"] == "region" and box["name"].strip(), (
                f"/{path}: a box that scrolls sideways needs tabindex=0, role=region and a name: {box}"
            )


# --- scrolling table boxes (the script in overrides/main.html) ------------------------------------


def test_wide_tables_scroll_in_a_named_box_the_keyboard_reaches(narrow: Reader, desktop: Reader, results: Results) -> None:
    with results.check("scroll-boxes", REVIEW, NARROW["width"]):
        _wide_tables(narrow, desktop)


def _wide_tables(narrow: Reader, desktop: Reader) -> None:
    page = narrow.open(REVIEW)
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('article .md-typeset__scrollwrap')].map(b => ({"
        " scrolls: b.scrollWidth > b.clientWidth + 1, tabindex: b.getAttribute('tabindex'), role: b.getAttribute('role'),"
        " name: b.getAttribute('aria-label')}))"
    )
    scrolling = [b for b in boxes if b["scrolls"]]
    assert scrolling, f"no table on /{REVIEW} is wider than {NARROW['width']}px any more: pick a page that has one ({boxes})"
    for box in boxes:
        if box["scrolls"]:
            assert box["tabindex"] == "0" and box["role"] == "region" and box["name"], box
        else:
            assert box["tabindex"] is None and box["role"] is None, f"a table box that does not scroll is a needless Tab stop: {box}"
    names = [b["name"] for b in scrolling]
    assert len(set(names)) == len(names), f"two scrolling tables share a name: {names}"

    # Reached by Tab from the interactive element before it, then scrolled with the arrow keys.
    page.evaluate(_TABBABLE_JS)
    reached = page.evaluate(
        "() => { const box = document.querySelector('article .md-typeset__scrollwrap[tabindex=\"0\"]');"
        " const all = window.__rsTabbable(); const i = all.indexOf(box); if (i < 1) return 'not in the Tab order';"
        " all[i - 1].focus(); return null; }"
    )
    assert reached is None, f"the first scrolling table box: {reached}"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('article .md-typeset__scrollwrap[tabindex=\"0\"]')"), (
        "Tab from the element before the first scrolling table box did not reach it"
    )
    assert_focus_indicator(page, "the scrolling table box")
    before = page.evaluate("() => document.activeElement.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("before => document.activeElement.scrollLeft > before", arg=before, timeout=3000)

    # On a wide screen the same tables fit, and are no Tab stops.
    page = desktop.open(REVIEW)
    stops = page.evaluate("() => document.querySelectorAll('article .md-typeset__scrollwrap[tabindex]').length")
    fits = page.evaluate("() => [...document.querySelectorAll('article .md-typeset__scrollwrap')].every(b => b.scrollWidth <= b.clientWidth + 1)")
    if fits:
        assert stops == 0, "table boxes that do not scroll must not be Tab stops"


# --- the skip link ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in page_type_params() if p.id != "404"])
def test_skip_link_moves_focus_into_the_main_content(desktop: Reader, a11y_site: Path, path: str, results: Results) -> None:
    """The first Tab stop is a visible "Skip to content"; Enter moves focus to the start of the content."""
    skip_if_absent(a11y_site, path)
    with results.check("skip-link", path, DESKTOP["width"]):
        _skip_link(desktop, path)


def _skip_link(desktop: Reader, path: str) -> None:
    page = desktop.open(path)
    page.keyboard.press("Tab")
    _settle(page)  # the skip link fades in
    skip = page.evaluate(
        "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return {text: a.textContent.trim(), href: a.getAttribute('href'), visible: a.checkVisibility({opacityProperty: true, visibilityProperty: true})"
        " && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight}; }"
    )
    assert skip["text"] == "Skip to content" and skip["href"] and skip["href"].startswith("#"), f"first Tab stop on /{path}: {skip}"
    assert skip["visible"], f"the skip link on /{path} is focused but not visible: {skip}"
    assert_focus_indicator(page, f"the skip link on /{path}")

    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash.length > 1")
    target = page.evaluate(
        "() => { const t = document.getElementById(decodeURIComponent(location.hash.slice(1)));"
        " if (!t) return null; const r = t.getBoundingClientRect(); const header = document.querySelector('.md-header').getBoundingClientRect();"
        " return {inMain: !!t.closest('main .md-content article'), tag: t.tagName, top: r.top, headerBottom: header.bottom, bottom: r.bottom}; }"
    )
    assert target and target["inMain"], f"the skip link on /{path} goes to {target}, not into the main content"
    assert target["top"] >= target["headerBottom"] - 1 and target["top"] < DESKTOP["height"], (
        f"the skip link's target on /{path} is hidden under the header or off screen: {target}"
    )
    # Focus now starts there: the next Tab lands on the first interactive element of the content.
    page.keyboard.press("Tab")
    where = page.evaluate(
        "() => { const a = document.activeElement; return {inContent: !!a.closest('main .md-content'), html: a.outerHTML.slice(0, 160)}; }"
    )
    assert where["inContent"], f"after the skip link on /{path}, Tab went to {where['html']}, outside the main content"


# --- every interactive element by keyboard, in order, visibly focused ------------------------------

_TABBABLE_JS = """
() => { window.__rsTabbable = () => {
  const sel = 'a[href], area[href], button, input, select, textarea, summary, iframe, audio[controls], video[controls], [contenteditable], [tabindex]';
  return [...document.querySelectorAll(sel)].filter(el => {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) return false;
    if (el.matches('input[type=hidden]')) return false;
    if (el.tagName === 'SUMMARY' && el !== el.parentElement.querySelector(':scope > summary')) return false;
    return el.checkVisibility({visibilityProperty: true});
  });
}; }
"""

# After each Tab: did focus go to the next interactive element in document order? (In the page as
# it is now: Material shows and hides parts of the page as focus moves.)
_ORDER_JS = """
() => {
  const describe = e => e ? e.outerHTML.slice(0, 140).replace(/\\s+/g, ' ') : 'the end of the page';
  const all = window.__rsTabbable();
  const prev = window.__rsPrev;
  const want = all[(prev ? all.indexOf(prev) : -1) + 1] || null;
  const el = document.activeElement && document.activeElement !== document.body ? document.activeElement : null;
  if (!want && (!el || el === all[0])) return {atEnd: true, problems: []};
  const problems = [];
  if (el !== want) problems.push(`expected ${describe(want)}\\n    but focus went to ${describe(el)}`);
  if (!el) return {atEnd: false, stop: true, problems};
  window.__rsVisited.add(el);
  window.__rsPrev = el;
  return {atEnd: false, problems};
}
"""

# Then: is the focused element visible, on screen, not covered, with a focus indicator that contrasts
# 3:1 with what is behind it? Transitions that could hide it are first run to their end (Material
# fades and slides things in on focus: the state they end in is what a reader sees).
_CHECK_JS = """
() => {
  const el = document.activeElement;
  const describe = e => e ? e.outerHTML.slice(0, 140).replace(/\\s+/g, ' ') : 'nothing';
  document.getAnimations().filter(a => {
    if (a.playState !== 'running') return false;
    const target = a.effect && a.effect.target, prop = a.transitionProperty || '';
    if (target && (target === el || target.contains(el))) return !/color$/.test(prop);
    return !prop || /^(transform|translate|visibility|width|height|max-height|top|left|right|bottom|inset)$/.test(prop);
  }).forEach(a => { try { a.finish(); } catch (e) { /* an infinite animation: leave it */ } });
  const what = describe(el);
  const problems = [];
  if (el.tabIndex > 0) problems.push(`${what}\\n    positive tabindex changes the order`);
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) problems.push(`${what}\\n    focused but invisible (display, visibility or opacity)`);
  const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  if (!rects.length) problems.push(`${what}\\n    focused but has no size`);
  const onScreen = rects.filter(r => r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight);
  if (rects.length && !onScreen.length) problems.push(`${what}\\n    focused but off screen: ${JSON.stringify(rects[0])}`);
  if (onScreen.length) {
    const pts = onScreen.flatMap(r => [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2]]);
    const hits = pts.map(([x, y]) => document.elementFromPoint(Math.min(Math.max(x, 0), innerWidth - 1), Math.min(Math.max(y, 0), innerHeight - 1)));
    if (!hits.some(h => h && (h === el || el.contains(h)))) problems.push(`${what}\\n    covered by ${describe(hits[0])}`);
  }
  const indicator = window.__rsIndicator(el);
  if (!indicator.any) problems.push(`${what}\\n    no focus indicator (no outline of 2px or more, no box-shadow): ${JSON.stringify(indicator)}`);
  else if (indicator.best < 3) problems.push(`${what}\\n    focus indicator contrasts under 3:1 with what is behind it: ${JSON.stringify(indicator)}`);
  return problems;
}
"""

_INDICATOR_JS = """
() => { window.__rsIndicator = el => {
  const cs = getComputedStyle(el);
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
                       return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1}; };
  const lum = c => { const f = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let bg = null;
  for (let a = el.parentElement; a; a = a.parentElement) { const c = parse(getComputedStyle(a).backgroundColor); if (c && c.a > 0.5) { bg = c; break; } }
  bg = bg || {r: 255, g: 255, b: 255, a: 1};
  const colours = [];
  const outline = cs.outlineStyle !== 'none' && cs.outlineStyle !== 'hidden' && parseFloat(cs.outlineWidth) >= 2;
  if (outline) colours.push(cs.outlineColor);
  const shadow = !!cs.boxShadow && cs.boxShadow !== 'none';
  if (shadow) for (const m of cs.boxShadow.matchAll(/rgba?\\([^)]+\\)/g)) colours.push(m[0]);
  const best = Math.max(0, ...colours.map(parse).filter(c => c && c.a > 0.5).map(c => ratio(c, bg)));
  return {outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`, shadow: cs.boxShadow, best: Math.round(best * 100) / 100, any: outline || shadow};
}; }
"""


def assert_focus_indicator(page, what: str) -> None:
    page.evaluate(_INDICATOR_JS)
    got = page.evaluate("() => window.__rsIndicator(document.activeElement)")
    assert got["any"], f"{what} has no focus indicator (no outline of 2px or more, no box-shadow): {got}"
    assert got["best"] >= 3, f"{what}: the focus indicator contrasts under 3:1 with what is behind it: {got}"


def _settle(page) -> None:
    """Jump to the end of running transitions (Material fades the skip link in on focus)."""
    page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish(); } catch (e) { /* infinite */ } })")


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_tab_reaches_every_interactive_element_in_order_visibly(a11y_browser, a11y_base_url: str, viewport: dict[str, int],
                                                               results: Results) -> None:
    with results.check("keyboard", REPORT, viewport["width"]):
        _tab_walk(a11y_browser, a11y_base_url, viewport)


def _tab_walk(a11y_browser, a11y_base_url: str, viewport: dict[str, int]) -> None:
    reader = Reader(a11y_browser, a11y_base_url, viewport)
    try:
        page = reader.open(REPORT)
        page.evaluate(_TABBABLE_JS)
        page.evaluate(_INDICATOR_JS)
        page.evaluate("() => { window.__rsVisited = new Set(); window.__rsPrev = null; }")
        expected_all = page.evaluate("() => window.__rsTabbable().length")
        assert expected_all > 20, f"only {expected_all} interactive elements on the report page?"
        problems: list[str] = []
        steps = 0
        while steps < 2000 and len(problems) <= 12:
            page.keyboard.press("Tab")
            steps += 1
            step = page.evaluate(_ORDER_JS)
            problems += [f"Tab {steps}: {p}" for p in step["problems"]]
            if step["atEnd"] or step.get("stop"):
                break
            # Material reacts to focus a moment later (at narrow widths, focusing the search box
            # opens search over the page): give it up to a second before calling focus hidden.
            found = page.evaluate(_CHECK_JS)
            for _ in range(10):
                if not found:
                    break
                page.wait_for_timeout(100)
                found = page.evaluate(_CHECK_JS)
            problems += [f"Tab {steps}: {p}" for p in found]
        missed = page.evaluate("() => window.__rsTabbable().filter(e => !window.__rsVisited.has(e)).map(e => e.outerHTML.slice(0, 140))")
        if missed:
            problems.append(f"never reached by Tab: {missed[:10]}")
        assert steps > expected_all / 2, f"the walk stopped after {steps} Tab presses of about {expected_all}"
        assert not problems, f"keyboard on /{REPORT} at {viewport['width']}px ({steps} Tab presses):\n  " + "\n  ".join(problems)
    finally:
        reader.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_search_by_keyboard(a11y_browser, a11y_base_url: str, viewport: dict[str, int], results: Results) -> None:
    with results.check("search-keyboard", PAGE_TYPES["search"], viewport["width"]):
        _search_by_keyboard(a11y_browser, a11y_base_url, viewport)


def _search_by_keyboard(a11y_browser, a11y_base_url: str, viewport: dict[str, int]) -> None:
    """Tab reaches the header's search link; on the search page the search box has focus; Enter
    searches, announces the number of results and moves focus to the results heading; Tab then
    reaches the first result, each visibly focused."""
    reader = Reader(a11y_browser, a11y_base_url, viewport)
    try:
        page = reader.open(REPORT)
        page.evaluate(_INDICATOR_JS)
        for _ in range(6):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('a.rs-search-link')"):
                break
        else:
            raise AssertionError("the search link is not among the first six Tab stops")
        assert_focus_indicator(page, "the search link")
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-rs-search][data-ready]")
        page.evaluate(_INDICATOR_JS)
        assert page.evaluate("() => document.activeElement.id") == "rs-search-q"
        assert_focus_indicator(page, "the search box")
        page.keyboard.type("Glasgow")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.matches('.rs-search__heading')", timeout=10_000)
        status = page.locator(".rs-search__status")
        assert status.get_attribute("role") == "status" and re.match(r"\d+ results? for “Glasgow”", status.inner_text())
        page.keyboard.press("Tab")
        page.wait_for_function("() => document.activeElement.matches('.rs-result__title a')", timeout=3000)
        _settle(page)
        assert page.evaluate("() => document.activeElement.checkVisibility({opacityProperty: true, visibilityProperty: true})")
        assert_focus_indicator(page, "the first search result")
    finally:
        reader.context.close()


def test_search_with_results(desktop: Reader, narrow: Reader, subtests, results: Results) -> None:
    """axe-core on the search page with results and a filter chosen, at 1280px and 320px; at 320px
    nothing sticks out."""
    pages = []
    for reader in (desktop, narrow):
        page = reader.open("search/?q=chronology&type=Inspection+report")
        page.wait_for_selector(".rs-result")
        page.locator(".rs-result").first.scroll_into_view_if_needed()
        # Scrolling hides Material's tabs with a colour transition: check the state it ends in.
        page.wait_for_timeout(300)
        _settle(page)
        start_axe(page)
        pages.append((reader, page))
    where = "search/?q=chronology&type=Inspection+report"
    for reader, page in pages:
        width = reader.viewport["width"]
        with subtests.test(msg=f"axe-core at {width}px"), results.check("axe", where, width) as problems:
            violations = axe_result(page)
            problems += [f"{v['id']}: {v['help']}" for v in violations]
            assert not violations, describe_violations(violations, f"the search results at {width}px")
    with results.check("reflow", where, NARROW["width"]):
        found = pages[1][1].evaluate(_OVERFLOW_JS)
        assert found["scrollWidth"] <= NARROW["width"] and not found["out"], found


# --- tables: header cells and captions (from the built HTML, every page of the site) --------------


class _Tables(html.parser.HTMLParser):
    """Each <table> in a page's article: its caption, header cells, and the heading above it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._heading: list[str] | None = None
        self._last_heading = ""
        self._table: dict | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._skip = 0  # inside the permalink sign

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "headerlink" in classes:
            self._skip += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        elif tag == "table":
            self._table = {"heading": self._last_heading, "caption": None, "th": [], "td": 0}
        elif tag == "caption" and self._table is not None:
            self._caption = []
        elif tag in ("th", "td") and self._table is not None:
            self._cell = [] if tag == "th" else None
            if tag == "td":
                self._table["td"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self._last_heading = " ".join("".join(self._heading).split())
            self._heading = None
        elif tag == "caption" and self._caption is not None and self._table is not None:
            self._table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "th" and self._cell is not None and self._table is not None:
            self._table["th"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for buffer in (self._heading, self._caption, self._cell):
            if buffer is not None:
                buffer.append(data)


def site_tables(site: Path) -> dict[str, list[dict]]:
    """{page path: its tables} for every HTML page of the built site."""
    found = {}
    for file in sorted(site.rglob("*.html")):
        parser = _Tables()
        parser.feed(file.read_text(encoding="utf-8"))
        if parser.tables:
            found[file.relative_to(site).as_posix()] = parser.tables
    return found


def test_data_tables_have_header_cells(a11y_site: Path, results: Results) -> None:
    with results.check("table-headers", ALL_PAGES) as problems:
        _header_cells(a11y_site, problems)


def _header_cells(a11y_site: Path, problems: list[str]) -> None:
    for page, tables in site_tables(a11y_site).items():
        for table in tables:
            if not table["th"]:
                problems.append(f"{page}: table under {table['heading']!r} has no header cells (th)")
            elif not all(table["th"]):
                problems.append(f"{page}: table under {table['heading']!r} has an empty header cell: {table['th']}")
    assert not problems, "\n".join(problems)


def _page_type(page: str) -> str:
    first = page.split("/")[0]
    return "home" if page == "index.html" else first if page.count("/") > 1 else page.removesuffix("/index.html")


def test_data_tables_have_captions(a11y_site: Path, results: Results) -> None:
    with results.check("table-captions", ALL_PAGES):
        _captions(a11y_site)


def _captions(a11y_site: Path) -> None:
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for page, tables in site_tables(a11y_site).items():
        for table in tables:
            if not table["caption"]:
                missing[(_page_type(page), table["heading"] or "(no heading)")].append(page)
    report = "\n".join(
        f"{kind}: table under {heading!r} on {len(pages)} page(s), e.g. {pages[0]}"
        for (kind, heading), pages in sorted(missing.items())
    )
    assert not missing, "tables without a <caption>:\n" + report


_CHART_TEXT_OUTSIDE_JS = """
() => [...document.querySelectorAll('svg.rs-svg')].flatMap(svg => {
  const box = svg.viewBox.baseVal, out = [];
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    if (b.x < -0.5 || b.x + b.width > box.width + 0.5 || b.y < -0.5 || b.y + b.height > box.height + 0.5)
      out.push(`"${t.textContent.slice(0, 50)}" spans x ${Math.round(b.x)}..${Math.round(b.x + b.width)} of 0..${box.width}`);
  }
  return out;
})
"""


def test_chart_labels_are_never_cut_off(narrow: Reader, a11y_site: Path, results: Results) -> None:
    """Every word in every chart lies inside the chart's drawing area, in the fonts this browser has
    (an SVG clips what lies outside it; text widths depend on the reader's font)."""
    with results.check("chart-labels", ALL_PAGES, NARROW["width"]):
        _chart_labels(narrow, a11y_site)


def _chart_labels(narrow: Reader, a11y_site: Path) -> None:
    pages = sorted(p.parent.relative_to(a11y_site).as_posix() + "/" for p in a11y_site.rglob("index.html")
                   if "rs-svg" in p.read_text())
    assert pages, "no page with a chart"  # tests/test_phone.py also measures the tiny site's history chart
    cut = {path: found for path in pages if (found := narrow.open("" if path == "./" else path).evaluate(_CHART_TEXT_OUTSIDE_JS))}
    assert not cut, cut


# --- last: the results file the accessibility statement is built from -------------------------------


def test_the_committed_results_are_what_these_tests_found(results: Results) -> None:
    """accessibility-results.json holds what the checks that ran in this module found; UPDATE_A11Y=1 rewrites
    their entries (and the date they were recorded)."""
    if not results.got:
        pytest.skip("no check ran in this module (select them with the rest of the module)")
    committed = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) if RESULTS_FILE.is_file() else {"entries": []}
    old = {entry_key(e): e for e in committed.get("entries", [])}
    new = {key: {"check": key[0], "page": key[1], **({"width": key[2]} if key[2] else {}), "passed": not problems,
                 "problems": problems} for key, problems in results.got.items()}
    stale = [f"{k[0]} {k[1]}{f' at {k[2]}px' if k[2] else ''}: committed {old.get(k, {}).get('problems', 'nothing')}, found {v['problems']}"
             for k, v in sorted(new.items(), key=lambda kv: str(kv[0])) if old.get(k) != v]
    meta_stale = committed.get("checks") != CHECKS or (results.axe_version and committed.get("axe_core") != results.axe_version)
    if UPDATE and (stale or meta_stale):
        entries = sorted({**old, **new}.values(), key=lambda e: (list(CHECKS).index(e["check"]), e["page"], e.get("width") or 0))
        record = {"standard": "WCAG 2.2 AA", "recorded": dt.date.today().isoformat(), "browser": "Chromium (Debian's), headless",
                  "axe_core": results.axe_version or committed.get("axe_core", ""), "checks": CHECKS, "entries": entries}
        RESULTS_FILE.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert not meta_stale, f"{RESULTS_FILE.name}: the checks' descriptions or the axe-core version changed: run again with UPDATE_A11Y=1"
    assert not stale, (f"{RESULTS_FILE.name} does not hold what the accessibility tests found (the statement is built from it): "
                       "run them with UPDATE_A11Y=1 and commit the file\n  " + "\n  ".join(stale[:20]))
