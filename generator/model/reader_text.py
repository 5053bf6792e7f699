"""What a reader sees of a piece of Markdown: the form the personal-data check reads.

A detail hidden from a pattern is not hidden from a reader: `jane&#46;doe&#64;example&#46;com`,
`0131 **496** 0123`, `jane<span></span>.doe@example.com` and a phone number with zero-width
spaces pasted from a PDF all show on the page (and in the search index) as the plain detail.
`reader_form` undoes, in one pass over the text:

- HTML comments and tags (removed; block-level tags become a space), and character references
  (`&#64;`, `&commat;`, `&#x40;`);
- Markdown backslash escapes (`\\.`), emphasis and code markers (`*`, `` ` ``, and `_` when it is
  not inside a word, as in `jane_doe`);
- invisible characters (zero-width spaces and joiners, word joiner, soft hyphen, byte-order mark,
  bidirectional controls), and look-alikes folded by Unicode NFKC (full-width digits and `＠`),
  other spaces (no-break, thin) to a space and dashes to '-'.

Case and separators (`0131.496.0123`, `eh12 9dq`) are the patterns' business (disclosures.py).
Each character of the result keeps the offset it came from, so a find is reported at its line.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "hr", "dd", "dt", "dl", "section", "article", "details", "summary", "figure"}
_INVISIBLE = set("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
                 "\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")
_DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
#: everything that may read differently from how it is written; the rest is copied as it is
_SPECIAL = re.compile(
    r"<!--.*?(?:-->|\Z)"                    # a comment
    r"|</?(?P<tag>[A-Za-z][A-Za-z0-9-]*)\b[^<>]*>"  # a tag
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # a character reference
    r"|\\[!-/:-@\[-`{-~]"                    # a Markdown backslash escape
    r"|[*`]+"                                # emphasis and code markers
    r"|(?<!\w)_+|_+(?!\w)"                   # '_' that is not inside a word
    r"|[^\x00-\x7f]",                        # any other character outside ASCII
    re.S,
)
#: the characters a match of _SPECIAL can start with: one character class, which the regex engine scans for much faster
#: than it tries _SPECIAL's alternatives at every position (most texts hold none of them)
_SPECIAL_START = re.compile(r"[<&\\*`_\x80-\U0010ffff]")


@dataclass(frozen=True)
class ReaderText:
    text: str
    """The text as a reader sees it."""
    anchors: tuple[tuple[int, int], ...]
    """(offset in `text`, offset in the source) where the two stop running in step; see `source_offset`."""

    def source_offset(self, offset: int) -> int:
        """The offset in the source text of the character at `offset` in the reader's text."""
        if not self.anchors:
            return offset
        i = bisect.bisect_right(self.anchors, (offset, 1 << 62)) - 1
        if i < 0:
            return offset
        new, old = self.anchors[i]
        return old + (offset - new)


def _fold(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _DASHES:
        return "-"
    if unicodedata.category(char) == "Zs":
        return " "
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded.isascii() else char  # only folds that reach ASCII (digits, '@', letters)


def reader_form(source: str) -> ReaderText:
    """`source` as it reads on the page, with a map back to source offsets."""
    if _SPECIAL_START.search(source) is None:
        return ReaderText(source, ())
    parts: list[str] = []
    anchors: list[tuple[int, int]] = []
    length = 0
    last = 0
    resume = 0  # where the previous match ended: the matches of _SPECIAL.finditer do not overlap
    for start in _SPECIAL_START.finditer(source):  # the same matches as _SPECIAL.finditer, tried only where one can start
        if start.start() < resume:
            continue
        mt = _SPECIAL.match(source, start.start())
        if mt is None:
            continue
        resume = mt.end()
        token = mt.group(0)
        if token.startswith("<"):
            tag = (mt.group("tag") or "").lower()
            out = " " if tag in _BLOCK_TAGS else ""
        elif token.startswith("&"):
            out = html.unescape(token)
            out = "".join(_fold(c) for c in out) if not out.isascii() else out
        elif token.startswith("\\"):
            out = token[1]
        elif token[0] in "*`_":
            out = ""
        else:
            out = _fold(token)
        if out == token:
            continue
        parts.append(source[last:mt.start()])
        length += mt.start() - last
        parts.append(out)
        anchors.append((length, mt.start()))
        length += len(out)
        anchors.append((length, mt.end()))
        last = mt.end()
    if not anchors:
        return ReaderText(source, ())
    parts.append(source[last:])
    return ReaderText("".join(parts), tuple(anchors))
