"""One pass per text: each text an editor wrote is prepared once, and every check reads that.

Before, a narrative went through the placeholder finder three times (finding, expanding,
masking), found its code spans four times and checked each placeholder twice. A `TextPass`
holds, computed at most once and only when a check asks:

- `code`: where the code spans and fences are (placeholders and proportion words skip them);
- `placeholders`, each with its problems and, when it is valid, the number it stands for;
- `prose`: the text with code, link addresses, tags and invalid braces blanked and valid
  placeholders replaced by their numbers (what the proportion-word check reads);
- `reader`: the text as a reader sees it (entities decoded, tags and markers removed, invisible
  characters dropped: reader_text.py), what the personal-data check reads.

Every offset a check finds maps back to the source, so each problem names its line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from generator.base.errors import Position
from generator.check import placeholders as ph
from generator.model.reader_text import ReaderText, reader_form

if TYPE_CHECKING:
    from generator.model.load import SiteData

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named as the functools one it replaces)
    """functools.cached_property without its lock (Python 3.11 takes one on every read, and a build reads a TextPass's
    properties some 200,000 times at 1,000 reports): computed on first read, then found in the instance's dict."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | cached_property[T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value  # a non-data descriptor: the instance's dict wins from now on
        return value


_MASKED = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[\^[^\]]+\]|<[^>\n]+>|\{\{[^\n]*?\}\}")
_LINK_TEXT = re.compile(r"(?<!\])\[([^\]\n]*)\]")


class LineIndex:
    """Offset in a text -> Position (line and column from 1)."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.starts = [0] + [mt.end() for mt in re.finditer(r"\n", text)]

    def at(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return Position(self.path, line + 1, offset - self.starts[line] + 1)


@dataclass
class TextPass:
    source: str
    data: SiteData
    at: Callable[[int], Position]
    """Offset in `source` -> where to report it (a fixed place for a YAML field)."""
    expand: bool = True
    """Whether valid placeholders stand for numbers (narratives) or are shown as written (YAML fields)."""

    @classmethod
    def of_file(cls, path: str, text: str, data: SiteData) -> TextPass:
        return cls(text, data, LineIndex(path, text).at)

    @classmethod
    def of_field(cls, text: str, data: SiteData, at: Position) -> TextPass:
        return cls(text, data, lambda _offset: at, expand=False)

    @cached_property
    def code(self) -> list[tuple[int, int]]:
        if "`" not in self.source and "~~~" not in self.source:
            return []
        return ph.code_spans(self.source)

    @cached_property
    def placeholders(self) -> list[ph.Placeholder]:
        if "{{" not in self.source:
            return []
        return ph.find_placeholders(self.source, skip=self.code)

    @cached_property
    def placeholder_problems(self) -> dict[int, list[tuple[int, str]]]:
        """Placeholder start -> its problems (offset from its start, message); checked once each."""
        return {found.start: ph.check(found, self.data) for found in self.placeholders}

    @cached_property
    def numbers(self) -> dict[int, str]:
        """Placeholder start -> the number a valid placeholder stands for."""
        if not self.expand:
            return {}
        return {found.start: ph.count_of(found, self.data) for found in self.placeholders
                if found.kind is not None and not self.placeholder_problems[found.start]}

    @cached_property
    def prose(self) -> tuple[str, list[tuple[int, int]]]:
        """What the proportion check reads: code, link addresses, footnote marks, tags and braces that are
        not valid placeholders blanked (offsets kept), then valid placeholders replaced by their numbers;
        with anchors (new offset, source offset) for ph.original_offset."""
        text = self.source
        chars = list(text)

        def blank(a: int, b: int) -> None:
            for i in range(a, b):
                if chars[i] != "\n":
                    chars[i] = " "

        valid = {found.start: found for found in self.placeholders if found.start in self.numbers}
        for a, b in self.code:
            blank(a, b)
        for mt in _MASKED.finditer(text):
            if mt.start() not in valid:
                blank(mt.start(), mt.end())
        for mt in _LINK_TEXT.finditer(text):  # link text brackets: keep the words, drop '[' and ']'
            chars[mt.start()] = chars[mt.end() - 1] = " "
        masked = "".join(chars)
        if not valid:
            return masked, [(0, 0)]
        return ph.splice(masked, [(start, found.end, self.numbers[start]) for start, found in sorted(valid.items())])

    @cached_property
    def reader(self) -> ReaderText:
        return reader_form(self.source)
