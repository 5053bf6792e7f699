"""Long pages stay quick to start: every table sits alone in a box of its own, so the theme's script, which
wraps each table in its sideways-scrolling box in the browser, restyles only that table, not everything after
it; and <html> is marked as scripted before the body is parsed, not by the theme's script after it (which
restyled the whole page once more). Why: bench/README.md, "Lighthouse"."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from generator.render.table_captions import BOX_CLASS, TableCaptionExtension

TABLE = "| Year | Grade |\n| --- | --- |\n| 2023 | Good (4) |\n"


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "md_in_html", TableCaptionExtension()])


def test_a_table_among_paragraphs_gets_a_box_of_its_own() -> None:
    out = convert(f"Before.\n\nTable: Grades by year\n\n{TABLE}\nAfter.\n")
    assert re.fullmatch(
        r'<p>Before\.</p>\s*<div class="rs-table"><table>\s*<caption>Grades by year</caption>.*</table></div>\s*<p>After\.</p>',
        out, re.DOTALL), out


def test_tables_already_alone_in_a_div_are_left_as_they_are() -> None:
    out = convert(f'<div class="rs-stack" markdown>\n\n{TABLE}\n</div>\n\nText.\n')
    assert BOX_CLASS not in out and re.search(r'<div class="rs-stack">\s*<table>', out), out
    # a div that holds more than the table is not a box of its own
    out = convert(f'<div class="rs-note" markdown>\n\nA note.\n\n{TABLE}\n</div>\n')
    assert re.search(r'<div class="rs-note">\s*<p>A note\.</p>\s*<div class="rs-table"><table>', out), out


def test_two_tables_side_by_side_each_get_a_box() -> None:
    out = convert(f"{TABLE}\nBetween.\n\n{TABLE}")
    assert out.count(f'<div class="{BOX_CLASS}"><table>') == 2 and out.count("</table></div>") == 2, out


@pytest.fixture(scope="session")
def site(tiny_site: Path) -> Path:
    return tiny_site


def test_every_table_of_every_page_is_alone_in_its_box(site: Path) -> None:
    seen = 0
    for page in site.rglob("*.html"):
        text = page.read_text()
        for table in re.finditer(r"(?s)<table\b.*?</table>", text):  # no table holds another on this site
            seen += 1
            before, after = text[:table.start()].rstrip(), text[table.end():].lstrip()
            assert re.search(r"<div\b[^>]*>$", before) and after.startswith("</div>"), (
                f"{page.relative_to(site)}: a table shares its parent: ...{before[-80:]!r} | {after[:40]!r}")
    assert seen >= 10


def test_html_is_marked_as_scripted_before_any_style_sheet_or_body(site: Path) -> None:
    for page in [site / "index.html", site / "reviews/review-2021/index.html", site / "404.html"]:
        text = page.read_text()
        mark = text.index('h.classList.replace("no-js", "js")')
        assert mark < text.index('<link rel="stylesheet"') < text.index("<body"), page
        assert '<html lang="en" class="no-js">' in text  # without JavaScript nothing runs and the theme's no-js rules apply
