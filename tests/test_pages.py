"""Data -> page text, without MkDocs: every generated page of the tiny project against a golden file.

Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.render import Renderer, make_environment, md_escape

from .support import ROOT, TINY

GOLDEN = Path(__file__).parent / "golden"


def render_tiny() -> dict[str, str]:
    data, derived, problems = check_site(TINY)
    assert derived is not None, problems.sorted()
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]), publisher=default_publisher())
    return {spec.path: renderer.render(spec) for spec in renderer.pages()}


PAGES = render_tiny()


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_matches_golden(path: str) -> None:
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[path])
    assert golden.exists(), f"no golden file for {path}: run with UPDATE_GOLDEN=1 and review it"
    assert PAGES[path] == golden.read_text()


def test_no_golden_file_is_orphaned() -> None:
    expected = {GOLDEN / p for p in PAGES}
    orphans = [p for p in GOLDEN.rglob("*.md") if p not in expected]
    assert not orphans, f"golden files for pages no longer generated: {orphans}"


def test_every_page_type_is_generated() -> None:
    for path in ["partnerships/index.md", "partnerships/fife.md", "inspections/fife-2023.md", "reviews/review-2021.md",
                 "responses/fife-response-2023.md", "letters/na-h-eileanan-siar-letter-2022.md", "programmes/risk-2021.md",
                 "themes/chronologies.md", "glossary.md", "evaluation-scale.md", "frameworks/qf-2019.md", "publications.md"]:
        assert path in PAGES


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "**bold**", "# heading", "1. list", "- item",
    "{: onclick=alert(1) }", "![img](x.png)", "`code`", "a | b", "&amp;", "<img src=x onerror=alert(1)>",
])
def test_md_escape_leaves_only_text(text: str) -> None:
    import markdown

    html = markdown.markdown(str(md_escape(text)), extensions=["tables", "attr_list", "md_in_html"])
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<strong>" not in html and "<h1" not in html and "<li>" not in html and "<code>" not in html
    assert "onclick" not in html.replace("onclick=alert(1)", "") or "{" in html


def test_glossary_lists_the_latest_ten_uses_of_a_term_and_counts_the_rest() -> None:
    """A term used in thousands of reports must not turn the glossary into thousands of links."""
    data, derived, problems = check_site(TINY)
    assert derived is not None, problems.sorted()
    term_id, used = next((t, u) for t, u in derived.term_usage.items() if u)
    derived.term_usage[term_id] = (used * 25)[:25]  # 25 uses, newest first
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]), publisher=default_publisher())
    spec = next(s for s in renderer.pages() if s.path == "glossary.md")
    page = renderer.render(spec)
    line = next(line for line in page.splitlines() if line.startswith("*Used in 25 publications"))
    assert line.count("](") == 10
    assert line.endswith("and 15 more (search the site for the term)")
