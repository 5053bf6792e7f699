"""A review is published as an overview at its own address and one page per chapter (generator/derive/review_pages.py).

Tiny projects in every state: a review with chapters and no narrative (the tiny one), with a narrative (its
sections go to their chapters, their headings one level up, footnotes with them), a question with nothing under
it (no chapter, its items move to the chapter after the questions), a review whose items name no question, a
second review whose programme has no questions (one page), hostile text in a question. Then a built tiny site:
every chapter has its title, the review's, a link back, previous/next, its own description and search record,
and every link with a fragment on every page reaches an element with that id.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.derive.addresses import current_addresses
from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.render import Renderer, make_environment

from .support import ROOT, copy_tiny, edit, mkdocs_build

NARRATIVE = """\
The review in one paragraph.

## Introduction

What the programme looked at.

## Statement 1

### Recognising risk

Staff recognised risk sooner[^1].

[^1]: A note on the first statement.

## Conclusion

Partnerships improved.
"""

#: a second review, of a programme with no questions: it stays one page
OLDER_REVIEW = """\
title: Review of findings from the older programme
not_stated: [url, publisher]
programme: old-2012
published: 2018-02
key_messages:
  - {number: 1, text: Few partnerships kept chronologies up to date., themes: [chronologies]}
comparisons:
  - {topic: Leadership, earlier: Weak., now: Better., earlier_source: earlier-review, themes: [leadership]}
"""

HOSTILE = "Children are <b>safer</b> *now* & [later](javascript:alert(1))"


def with_narrative(project: Path) -> Path:
    (project / "content/narrative/reviews").mkdir(parents=True, exist_ok=True)
    (project / "content/narrative/reviews/review-2021.md").write_text(NARRATIVE)
    edit(project / "site-data/reviews/review-2021.yaml", "published: 2024-03\n",
         "published: 2024-03\nnarrative: narrative/reviews/review-2021.md\n")
    return project


def with_second_review(project: Path) -> Path:
    (project / "site-data/reviews/review-2012.yaml").write_text(OLDER_REVIEW)
    edit(project / "site-data/programmes/old-2012.yaml", "evaluates:", "review: review-2012\nevaluates:")
    return project


def render(project: Path) -> dict[str, str]:
    _data, derived, problems = check_site(project)
    assert derived is not None, problems.sorted()
    renderer = Renderer(derived, make_environment([ROOT / "overrides"]), publisher=default_publisher())
    return {spec.path: renderer.render(spec) for spec in renderer.pages()}


def body(markdown: str) -> str:
    """A chapter's Markdown after its front matter (its title with the review's, for <title> and Open Graph)."""
    assert markdown.startswith("---\ntitle: "), markdown[:80]
    return markdown.split("\n---\n", 1)[1].lstrip("\n")


def review_pages(pages: dict[str, str], review: str) -> list[str]:
    return sorted(p for p in pages if p == f"reviews/{review}.md" or p.startswith(f"reviews/{review}/"))


def test_the_tiny_review_has_a_chapter_per_question_with_content_and_one_after_them(tmp_path: Path) -> None:
    pages = render(copy_tiny(tmp_path / "p"))
    assert review_pages(pages, "review-2021") == [
        "reviews/review-2021.md", "reviews/review-2021/after-the-questions.md",
        "reviews/review-2021/statement-1.md", "reviews/review-2021/statement-2.md"]
    overview = pages["reviews/review-2021.md"]
    contents = overview.split("## Contents", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"(?m)^\d+\. \[(.+?)\]\((.+?)\)$", contents) == [
        ("Statement 1: Children are safer because risks are identified early.", "review-2021/statement-1.md"),
        ("Statement 2: Leadership ensures high standards.", "review-2021/statement-2.md"),
        ("Table of evaluations", "review-2021/after-the-questions.md")]
    # no address of the original is known: the overview says there is no page with the whole review
    assert "no single page with the whole review" in contents
    # each part is on one page only
    assert 'id="comparison-1"' not in overview and "## Table of evaluations" not in overview
    assert 'id="comparison-1"' in pages["reviews/review-2021/statement-1.md"]
    assert 'id="practice-1"' in pages["reviews/review-2021/statement-2.md"]
    closing = pages["reviews/review-2021/after-the-questions.md"]
    assert body(closing).startswith("# Table of evaluations\n") and "## Table of evaluations" not in closing
    assert "## What the review says about these grades" in closing  # under the page's title, no level skipped


def test_previous_next_and_the_way_back_to_the_overview(tmp_path: Path) -> None:
    pages = render(copy_tiny(tmp_path / "p"))
    first, second, last = (pages[f"reviews/review-2021/{s}.md"] for s in ("statement-1", "statement-2", "after-the-questions"))
    for page, number in ((first, 1), (second, 2), (last, 3)):
        assert f"[Review of findings from the programme](../review-2021.md) › chapter {number} of 3" in page
    assert "**Previous:** [Overview and contents](../review-2021.md)" in first and "**Next:** [Statement 2" in first
    assert "**Previous:** [Statement 1" in second and "**Next:** [Table of evaluations](after-the-questions.md)" in second
    assert "**Previous:** [Statement 2" in last and "**Next:**" not in last
    assert "**Next:** [Statement 1" in pages["reviews/review-2021.md"]


def test_the_narrative_goes_to_its_chapters_with_headings_one_level_up(tmp_path: Path) -> None:
    pages = render(with_narrative(copy_tiny(tmp_path / "p")))
    overview, first = pages["reviews/review-2021.md"], pages["reviews/review-2021/statement-1.md"]
    assert "The review in one paragraph." in overview and "## Introduction" in overview
    assert "Staff recognised" not in overview and "Partnerships improved." not in overview
    assert "\n## Recognising risk\n" in first and "###" not in first
    assert body(first).startswith("# Statement 1: Children are safer because risks are identified early.\n")
    assert "[^1]: A note on the first statement." in first  # its footnote travels with it
    closing = pages["reviews/review-2021/after-the-questions.md"]
    assert body(closing).startswith("# Conclusion and table of evaluations\n")
    assert "## Conclusion\n\nPartnerships improved." in closing and "## Table of evaluations" in closing


def test_a_question_with_nothing_under_it_has_no_chapter_and_its_items_move_on(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "p")
    edit(project / "site-data/reviews/review-2021.yaml", '    question: "2"\n', "")  # the example under statement 2
    pages = render(project)
    assert review_pages(pages, "review-2021") == [
        "reviews/review-2021.md", "reviews/review-2021/after-the-questions.md", "reviews/review-2021/statement-1.md"]
    closing = pages["reviews/review-2021/after-the-questions.md"]
    assert body(closing).startswith("# Good practice examples and table of evaluations\n")
    assert 'id="practice-1"' in closing and "Statement 2" not in pages["reviews/review-2021.md"]


def test_a_review_whose_items_name_no_question_is_one_page(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "p")
    path = project / "site-data/reviews/review-2021.yaml"
    path.write_text(re.sub(r'(?m)^ *question: "\d"\n', "", path.read_text().replace(', question: "1"', "")))
    pages = render(project)
    assert review_pages(pages, "review-2021") == ["reviews/review-2021.md"]
    page = pages["reviews/review-2021.md"]
    assert "## Contents" not in page and "rs-pager" not in page
    for part in ("## Good practice examples", "## Compared with the previous programme", "## Table of evaluations",
                 'id="practice-1"', 'id="comparison-1"'):
        assert part in page


def test_a_second_review_whose_programme_has_no_questions_is_one_page(tmp_path: Path) -> None:
    project = with_second_review(copy_tiny(tmp_path / "p"))
    pages = render(project)
    assert review_pages(pages, "review-2012") == ["reviews/review-2012.md"]
    assert 'id="comparison-1"' in pages["reviews/review-2012.md"] and "## Contents" not in pages["reviews/review-2012.md"]
    assert len(review_pages(pages, "review-2021")) == 4  # the other review keeps its chapters
    # the theme pages link to the page that holds each item
    assert "../reviews/review-2012.md#comparison-1" in pages["themes/leadership.md"]
    assert "../reviews/review-2021/statement-1.md#comparison-1" in pages["themes/chronologies.md"]
    assert "../reviews/review-2021.md#summary-finding-1" in pages["themes/chronologies.md"]


def test_chapters_are_lasting_addresses(tmp_path: Path) -> None:
    _data, derived, problems = check_site(copy_tiny(tmp_path / "p"))
    assert derived is not None, problems.sorted()
    found = current_addresses(derived, [])
    assert {"/reviews/review-2021/", "/reviews/review-2021/statement-1/", "/reviews/review-2021/statement-2/",
            "/reviews/review-2021/after-the-questions/"} <= found


def test_the_real_review_is_an_overview_and_a_chapter_per_question(tmp_path: Path) -> None:
    pages = render(ROOT)
    assert review_pages(pages, "review-2018-2020") == ["reviews/review-2018-2020.md"] + [
        f"reviews/review-2018-2020/{s}.md" for s in ["after-the-questions"] + [f"question-{n}" for n in range(1, 6)]]
    overview = pages["reviews/review-2018-2020.md"]
    # the sources give no address of the original report: the overview says a reader cannot read it whole here
    assert ("This site has no single page with the whole review. Where the original is published is not stated in the "
            "sources this site holds.") in overview
    headings = re.findall(r"(?m)^## (.+)$", overview)
    for heading in ("Contents", "Foreword", "Key messages", "Summary of findings", "Introduction",
                    "How the inspections were conducted", "Evidence base"):
        assert heading in headings
    assert not any(h.startswith("Question") for h in headings)
    assert body(pages["reviews/review-2018-2020/after-the-questions.md"]).startswith("# Conclusion and table of evaluations\n")


# --- the built site -------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])
        if tag == "meta" and ("name" in found or "property" in found):
            self.meta[found.get("name") or found["property"]] = found.get("content", "")
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text())
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = with_second_review(with_narrative(copy_tiny(tmp_path_factory.mktemp("chapters") / "project")))
    edit(project / "site-data/programmes/risk-2021.yaml", "text: Children are safer because risks are identified early.",
         f'text: "{HOSTILE}"')
    with (project / "mkdocs.yml").open("a") as config:  # the site's own script, as the real site has it
        config.write("extra_javascript: [assets/report-site.js]\n")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_link_with_a_fragment_reaches_an_element_with_that_id(site: Path) -> None:
    """On every page of the site: the anchors other pages (and the page itself) link to exist where they point."""
    checked = 0
    for page_file in sorted(site.rglob("*.html")):
        for href in parse(page_file).hrefs:
            if "#" not in href or href.startswith(("http:", "https:", "mailto:")):
                continue
            path, anchor = href.split("#", 1)
            if not anchor:
                continue
            target = page_file if not path else (page_file.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page_file.relative_to(site)} links to {href}: no such page"
            assert anchor in parse(target).ids, f"{page_file.relative_to(site)} links to {href}, which has no id {anchor!r}"
            checked += 1 if target != page_file else 0
    assert checked >= 20


def test_a_chapter_page_names_itself_and_its_review(site: Path) -> None:
    page = parse(site / "reviews/review-2021/statement-1/index.html")
    html = (site / "reviews/review-2021/statement-1/index.html").read_text()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 is not None
    # hostile text in a question is text everywhere: heading, <title>, description, Open Graph
    assert "<b>" not in h1.group(1) and "&lt;b&gt;safer&lt;/b&gt; *now* &amp; [later](javascript:alert(1))" in h1.group(1)
    assert page.title == f"Statement 1: {HOSTILE} – Review of findings from the programme - Tiny test site"
    assert page.meta["description"] == (f"Statement 1: {HOSTILE}. A chapter of “Review of findings from the programme”, "
                                        "published March 2024.")
    assert page.meta["og:title"] == f"Statement 1: {HOSTILE} – Review of findings from the programme"
    assert page.meta["og:type"] == "article"
    header = re.search(r'<div class="md-header__topic" data-md-component="header-topic">(.*?)</div>', html, re.S)
    assert header is not None and "<b>" not in header.group(1)  # the theme's header prints the title unescaped
    assert "javascript:" not in " ".join(parse(site / "reviews/review-2021/index.html").hrefs + page.hrefs)
    assert "../" in page.hrefs and "../statement-2/" in page.hrefs  # back to the overview, on to the next
    assert html.index('<div class="footnote">') < html.index('class="rs-pager"')  # its notes, then previous/next
    for other in (site / "reviews").rglob("index.html"):
        assert "Footnotes Go Here" not in other.read_text(), other  # the marker goes only where there are notes


def test_a_chapter_has_its_own_search_record_with_the_reviews_filters(site: Path) -> None:
    html = (site / "reviews/review-2021/statement-2/index.html").read_text()
    overview = (site / "reviews/review-2021/index.html").read_text()
    pairs = r'data-pagefind-filter="([^"]+)">([^<]*)<'
    filters = sorted(re.findall(pairs, html))
    assert ("Type", "Review of findings") in filters and ("Year", "2024") in filters
    assert filters == sorted(re.findall(pairs, overview))
    assert "data-pagefind-body" in html
    assert '<span data-pagefind-meta="title">Review of findings from the programme: Statement 2: Leadership' in html


def test_with_the_original_reports_address_the_overview_says_where_to_read_it_whole(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "p")
    edit(project / "site-data/reviews/review-2021.yaml", "published: 2024-03\n",
         "published: 2024-03\nurl: https://www.careinspectorate.com/review.pdf\n")
    edit(project / "site-data/reviews/review-2021.yaml", "not_stated: [url, publisher]\n", "not_stated: [publisher]\n")
    overview = render(project)["reviews/review-2021.md"]
    assert ("To read or print the whole review in one document, use the "
            "[original report](https://www.careinspectorate.com/review.pdf).") in overview


def test_a_footnote_defined_in_another_section_of_a_review_is_refused_with_its_line(tmp_path: Path) -> None:
    """Its sections are on different pages: the footnote would be missing on the chapter that uses it."""
    project = with_narrative(copy_tiny(tmp_path / "p"))
    path = project / "content/narrative/reviews/review-2021.md"
    text = path.read_text().replace("[^1]: A note on the first statement.\n", "")
    path.write_text(text + "\n[^1]: A note on the first statement.\n")  # now under '## Conclusion'
    _data, derived, problems = check_site(project)
    messages = [str(p) for p in problems.errors]
    line = text.splitlines().index("## Statement 1") + 1
    assert any(m.startswith(f"content/narrative/reviews/review-2021.md:{line}:1") and "footnote [^1] is used under "
               "'## Statement 1' but defined under another section" in m for m in messages), messages


def test_the_overview_lists_where_every_moved_item_went(site: Path) -> None:
    """Each finding, example and comparison has a hidden link from the overview to its chapter (the script follows
    it for an old `#comparison-1` address); the link test above checks that each target holds the id."""
    html = (site / "reviews/review-2021/index.html").read_text()
    moved = re.search(r'<div class="rs-moved">(.*?)</div>', html, re.S)
    assert moved is not None
    assert re.findall(r'href="([^"]+)"', moved.group(1)) == ["statement-2/#practice-1", "statement-1/#comparison-1"]
    assert re.sub(r"<[^>]+>", "", moved.group(1)).strip() == ""  # nothing to read or index


@pytest.mark.browser
def test_an_old_address_of_a_moved_item_reaches_it_on_its_chapter(site: Path, browser) -> None:
    from .support import serve_site

    with serve_site(site) as base:
        page = browser.new_page()
        try:
            page.goto(base + "reviews/review-2021/#comparison-1")
            page.wait_for_url("**/reviews/review-2021/statement-1/#comparison-1")
            page.goto(base + "reviews/review-2021/#key-message-1")  # still on the overview: it stays
            assert page.url.endswith("/reviews/review-2021/#key-message-1")
            assert page.locator(".rs-moved").is_hidden()
        finally:
            page.close()
