"""Finding glossary terms in text: one pattern for every form of every term (derive counts where terms
are used; the glossary links extension links their first use on a page)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.model.models import GlossaryTerm


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
