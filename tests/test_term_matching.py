"""The glossary's term pattern (a trie, for speed) finds exactly what a longest-first alternation finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.base.urls import relative_link
from generator.derive.terms import trie_pattern

FORMS = st.lists(st.text(alphabet="abAB -c", min_size=1, max_size=6), min_size=1, max_size=8, unique=True)
TEXT = st.text(alphabet="abAB -c.x\n", max_size=60)


def plain(forms: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w-])")


def trie(forms: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + trie_pattern(forms) + r")(?![\w-])")


@settings(max_examples=400, deadline=None)
@given(FORMS, TEXT)
def test_trie_finds_the_same_terms_as_a_longest_first_alternation(forms: list[str], text: str) -> None:
    expected = [(mt.start(), mt.group(0)) for mt in plain(forms).finditer(text)]
    assert [(mt.start(), mt.group(0)) for mt in trie(forms).finditer(text)] == expected


def test_trie_prefers_the_longest_form() -> None:
    pattern = trie(["child", "child protection", "child protection plan"])
    assert [mt.group(0) for mt in pattern.finditer("a child protection plan, a child protection order, a child")] == [
        "child protection plan", "child protection", "child"]


FOLDERS = st.lists(st.sampled_from(["a", "b", "c"]), max_size=3)


@given(FOLDERS, st.sampled_from(["index.md", "x.md", "data.json"]), FOLDERS, st.sampled_from(["index.md", "y.md"]))
def test_relative_link_is_posix_relpath(path: list[str], name: str, current: list[str], page: str) -> None:
    """Between files of the docs tree (the only links the site makes), as posixpath.relpath."""
    import posixpath

    p, c = "/".join([*path, name]), "/".join([*current, page])
    assert relative_link(p, c) == posixpath.relpath(p, posixpath.dirname(c) or ".")
