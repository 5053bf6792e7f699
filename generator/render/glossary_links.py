"""Link the first use of each glossary term on a page to its entry, with no markup from editors.

A Python-Markdown treeprocessor: it sees the parsed page, so it can skip headings,
links, code and abbreviations, and it emits an ordinary link (which works by
keyboard and touch, unlike a `title`-only `<abbr>`). Links are written as
relative `.md` paths so MkDocs turns them into URLs and checks them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from bisect import bisect_right
from collections.abc import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from generator.base.urls import relative_link
from generator.derive.terms import TermMatcher
from generator.model.models import GlossaryTerm

SKIP_TAGS = {"a", "code", "pre", "abbr", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "samp"}


SEPARATOR = "\0"
"""Between the page's texts when they are scanned as one string: not a word character, so a term that
ends or starts a text matches as at either end of a string, and no term can match across two texts."""


class GlossaryLinkProcessor(Treeprocessor):
    def __init__(self, md: Markdown, matcher: TermMatcher, href_for: Callable[[str], str | None]):
        super().__init__(md)
        self.matcher = matcher
        self.href_for = href_for

    def run(self, root: etree.Element) -> None:
        pattern = self.matcher.pattern
        if pattern is None:
            return
        # Every text a term may be linked in, in reading order: (element, None) is the element's own
        # text, (parent, child) the text after `child`. They are scanned as one string, once, with
        # the one pattern: a page has thousands of short texts and only a few first uses to link.
        places: list[tuple[etree.Element, etree.Element | None]] = []
        texts: list[str] = []
        self._collect(root, places, texts)
        joined = SEPARATOR.join(texts)
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + len(SEPARATOR)
        linked: set[str] = set()
        wanted = len(set(self.matcher.lookup.values()))
        found: dict[int, list[tuple[int, int, str]]] = {}  # text number -> (start, end, href) within the text
        for match in pattern.finditer(joined):
            term_id = self.matcher.term_id(match.group(0))
            if term_id is None or term_id in linked:
                continue
            href = self.href_for(term_id)
            if href is None:
                continue
            linked.add(term_id)
            number = bisect_right(starts, match.start()) - 1
            found.setdefault(number, []).append((match.start() - starts[number], match.end() - starts[number], href))
            if len(linked) == wanted:
                break  # every term is linked once: the rest of the page has nothing to link
        for number, links in found.items():
            self._link(places[number], texts[number], links)

    def _collect(self, element: etree.Element, places: list[tuple[etree.Element, etree.Element | None]],
                 texts: list[str]) -> None:
        if element.tag in SKIP_TAGS or "rs-nolink" in (element.get("class") or ""):
            return
        if element.text:
            places.append((element, None))
            texts.append(element.text)
        for child in element:
            self._collect(child, places, texts)
            if child.tail:
                places.append((element, child))
                texts.append(child.tail)

    @staticmethod
    def _link(place: tuple[etree.Element, etree.Element | None], text: str, links: list[tuple[int, int, str]]) -> None:
        """Replace the spans `links` of `text` (the text at `place`) with links."""
        nodes: list[etree.Element] = []
        position = 0
        head = ""
        for start, end, href in links:
            link = etree.Element("a", {"href": href, "class": "rs-term"})
            link.text = text[start:end]
            if nodes:
                nodes[-1].tail = text[position:start]
            else:
                head = text[position:start]
            nodes.append(link)
            position = end
        nodes[-1].tail = text[position:]
        parent, child = place
        if child is None:
            parent.text = head
            for i, node in enumerate(nodes):
                parent.insert(i, node)
        else:
            child.tail = head
            index = list(parent).index(child)
            for i, node in enumerate(nodes, 1):
                parent.insert(index + i, node)


class GlossaryLinkExtension(Extension):
    """Register with `markdown_extensions`; `page_path` is set before each page is converted."""

    def __init__(self, terms: list[GlossaryTerm], glossary_path: str):
        super().__init__()
        self.matcher = TermMatcher.build(terms)
        self.glossary_path = glossary_path
        self.page_path: str | None = None

    def href_for(self, term_id: str) -> str | None:
        if self.page_path is None or self.page_path == self.glossary_path:
            return None
        rel = relative_link(self.glossary_path, self.page_path)
        return f"{rel}#{term_id}"

    def cache_fingerprint(self) -> str:
        """Everything the conversion of a page takes from this extension besides the page's own path."""
        pattern = self.matcher.pattern.pattern if self.matcher.pattern else ""
        return "\0".join([pattern, self.glossary_path, *sorted(f"{k}={v}" for k, v in self.matcher.lookup.items())])

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        # After inline patterns (priority 20), before MkDocs rewrites and checks .md links (priority 0).
        md.treeprocessors.register(GlossaryLinkProcessor(md, self.matcher, self.href_for), "report_site_glossary", 5)
