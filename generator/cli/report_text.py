"""A published report as text with page numbers: pages out of a PDF (pypdf) or a .txt file, running heads,
footers and bare page numbers dropped, and the lines joined into blocks (headings, paragraphs, bullets)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class ReportTextError(Exception):
    """The file cannot be read as a report; printed as one clean message."""


@dataclass(frozen=True)
class Block:
    text: str
    """One paragraph, heading or bullet, its lines joined (whitespace as one space)."""
    page: int
    """The page it starts on (1 for a .txt file without form feeds)."""
    bullet: bool = False
    """A '- ' item of a list (the '- ' removed from `text`)."""
    heading: bool = False
    """Short, not a list item, no closing full stop: a heading (or a title-page line)."""


_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^(?:[-•◆♦▪●]\s+)+")


def read_pages(path: Path) -> list[str]:
    """Each page's text. A .txt file is one page, or one per form feed."""
    if not path.is_file():
        raise ReportTextError(f"{path}: error: no such file; give the path of the report's PDF or .txt file")
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        raise ReportTextError(f"{path}: error: cannot be read as text ({exc}); give a PDF or a UTF-8 .txt file") from None
    return text.split("\f")


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader  # only the import command reads PDFs: not loaded by the check or the build
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        # layout mode keeps blank lines, which is how paragraphs are told apart
        return [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise ReportTextError(f"{path}: error: not a PDF that can be read ({exc}); give the report's PDF or a .txt file") from None


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def clean_pages(pages: list[str]) -> list[list[str]]:
    """Each page's lines without running heads and footers (a line repeated at the top or bottom of most pages,
    numbers aside) or bare page numbers."""
    split = [[line.rstrip() for line in page.splitlines()] for page in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        filled = [ln for ln in lines if ln.strip()]
        edges.update({_shape(ln) for ln in filled[:2] + filled[-2:]})
    repeated = {shape for shape, n in edges.items() if len(split) >= 3 and n >= max(3, len(split) // 2)}
    return [[("" if _PAGE_NUMBER.match(ln.strip()) or _shape(ln) in repeated else ln) for ln in lines] for lines in split]


def blocks(pages: list[str]) -> list[Block]:
    """The report as blocks, in order. A block that starts in lower case continues the paragraph before it
    (a paragraph cut by a page break)."""
    out: list[Block] = []
    full = False  # the last line of the page before filled its width: a line wrapped onto this page
    for number, lines in enumerate(clean_pages(pages), start=1):
        groups: list[tuple[bool, list[str]]] = []  # (a list item, its lines)
        fresh = True
        for raw in lines:
            line = " ".join(raw.split())
            if not line:
                fresh = True
            elif _BULLET.match(line):
                groups.append((True, [_BULLET.sub("", line)]))
                fresh = False
            elif fresh:
                groups.append((False, [line]))
                fresh = False
            else:
                groups[-1][1].append(line)
        for index, (bullet, group) in enumerate(groups):
            text = _join(group)
            if index == 0 and out and _goes_on(out[-1], text, bullet, full):
                prev = out.pop()  # a paragraph or list item cut by the page break
                out.append(Block(prev.text + " " + text, prev.page, prev.bullet))
                continue
            _add(out, text, number, bullet)
        width = max((len(" ".join(ln.split())) for ln in lines), default=0)
        full = bool(groups) and len(groups[-1][1][-1]) >= 0.85 * width
    return out


def _goes_on(last: Block, text: str, bullet: bool, full: bool) -> bool:
    """The first text of a page continues the last of the page before: that one stops mid-sentence, and this one
    starts in lower case, or that one is too long for a heading or its last line filled the page's width."""
    if bullet or last.text.endswith((".", ":", "?", "!")):
        return False
    return text[:1].islower() or len(last.text) >= 130 or full


def _add(out: list[Block], text: str, page: int, bullet: bool) -> None:
    if not bullet and out and not out[-1].bullet and text[:1].islower() and not out[-1].heading:
        prev = out.pop()
        out.append(Block(prev.text + " " + text, prev.page))
    else:
        heading = not bullet and len(text) < 130 and not text.endswith((".", ",", ";"))
        out.append(Block(text, page, bullet, heading))


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # a word broken after its hyphen at the end of a printed line joins without a space
        text += line if re.search(r"[A-Za-z]-$", text) or (re.search(r"[0-9]-$", text) and line[:1].isdigit()) else " " + line
    return text
