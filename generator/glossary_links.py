"""Link the first use of each glossary term on a page to its entry, with no markup from editors.

A Python-Markdown treeprocessor: it sees the parsed page, so it can skip headings,
links, code and abbreviations, and it emits an ordinary link (which works by
keyboard and touch, unlike a `title`-only `<abbr>`). Links are written as
relative `.md` paths so MkDocs turns them into URLs and checks them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .models import GlossaryTerm
from .urls import relative_link

SKIP_TAGS = {"a", "code", "pre", "abbr", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "samp"}


def trie_pattern(forms: Iterable[str]) -> str:
    """One regex matching any of `forms`, as a trie: `(?:a(?:dvocacy|ssessment)|c(?:hild(?: plan)?))`.

    A plain alternation of a glossary's forms is tried one by one at every word; the trie tries one
    letter at a time. Longer continuations come first and the end of a shorter form is optional, so
    with the boundary check after it the longest form that fits still wins, as in a longest-first
    alternation."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@dataclass(frozen=True)
class TermMatcher:
    pattern: re.Pattern[str] | None
    lookup: dict[str, str]
    """Lower-cased form (or exact abbreviation) -> term id."""

    @classmethod
    def build(cls, terms: list[GlossaryTerm]) -> TermMatcher:
        words: dict[str, str] = {}
        abbreviations: dict[str, str] = {}
        for term in terms:
            if not term.link_in_text:
                continue
            for form in [term.term, *term.aliases]:
                words.setdefault(form.lower(), term.id)
            for abbr in term.abbreviations:
                abbreviations.setdefault(abbr, term.id)
        alternatives = []
        if words:
            alternatives.append("(?i:" + trie_pattern(words) + ")")
        if abbreviations:
            alternatives.append(trie_pattern(abbreviations))
        if not alternatives:
            return cls(None, {})
        # The lookahead on first letters lets the engine skip most positions before trying the
        # lookbehind and the alternation (same matches, several times faster on long text).
        firsts = {w[0].lower() for w in words} | {w[0].upper() for w in words} | {a[0] for a in abbreviations}
        first = "(?=[" + re.escape("".join(sorted(firsts))) + "])"
        pattern = re.compile(first + r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
        return cls(pattern, {**words, **abbreviations})

    def term_id(self, matched: str) -> str | None:
        return self.lookup.get(matched) or self.lookup.get(matched.lower())


class GlossaryLinkProcessor(Treeprocessor):
    def __init__(self, md: Markdown, matcher: TermMatcher, href_for: Callable[[str], str | None]):
        super().__init__(md)
        self.matcher = matcher
        self.href_for = href_for

    def run(self, root: etree.Element) -> None:
        if self.matcher.pattern is None:
            return
        self.linked: set[str] = set()
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in SKIP_TAGS or "rs-nolink" in (element.get("class") or ""):
            return
        if element.text:
            new_text, nodes = self._split(element.text)
            if nodes:
                element.text = new_text
                for i, node in enumerate(nodes):
                    element.insert(i, node)
        for child in list(element):
            self._walk(child)
            if child.tail:
                new_tail, nodes = self._split(child.tail)
                if nodes:
                    child.tail = new_tail
                    index = list(element).index(child)
                    for offset, node in enumerate(nodes, 1):
                        element.insert(index + offset, node)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Replace the first unlinked term in `text` (and later ones) with links."""
        assert self.matcher.pattern is not None
        nodes: list[etree.Element] = []
        head = text
        last: etree.Element | None = None
        position = 0
        out_head: str | None = None
        for match in self.matcher.pattern.finditer(text):
            term_id = self.matcher.term_id(match.group(0))
            if term_id is None or term_id in self.linked:
                continue
            href = self.href_for(term_id)
            if href is None:
                continue
            self.linked.add(term_id)
            link = etree.Element("a", {"href": href, "class": "rs-term"})
            link.text = match.group(0)
            before = text[position:match.start()]
            if last is None:
                out_head = before
            else:
                last.tail = before
            nodes.append(link)
            last = link
            position = match.end()
        if last is None:
            return head, []
        last.tail = text[position:]
        return out_head or "", nodes


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
