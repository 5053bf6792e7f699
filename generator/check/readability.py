"""How hard a summary for families is to read, measured by a maintained library (textstat).

The measure is the Automated Readability Index: a school grade from the length of words (in
letters) and of sentences. It needs no pronunciation dictionary: textstat's syllable-based
measures (Flesch-Kincaid) load one of 130,000 words on first use, which takes seconds on every
build. A grade is a rough guide, most of all for a few sentences, so a summary above the level is
a warning (it stops `mkdocs build --strict`, not a preview), with the hardest sentence quoted.
"""

from __future__ import annotations

import re

import textstat

from generator.base.errors import Problems
from generator.model import models as m

READING_LEVEL = 9.0
"""The highest Automated Readability Index a summary for families may have: US school grade 9,
readers of about 14 to 15 (GOV.UK and the Plain English Campaign aim lower still)."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘“\"'(])")


def reading_grade(text: str) -> float:
    """The school grade a text reads at (Automated Readability Index, from textstat)."""
    return float(textstat.automated_readability_index(" ".join(text.split())))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def hardest_sentence(text: str) -> tuple[str, float] | None:
    graded = [(s, reading_grade(s)) for s in sentences(text)]
    return max(graded, key=lambda pair: pair[1]) if graded else None


def check_summaries(publications: list[m.Publication], problems: Problems, level: float = READING_LEVEL) -> None:
    """A warning, at the summary's file and line, for each summary that reads above `level`."""
    for pub in publications:
        if not pub.summary:
            continue
        grade = reading_grade(pub.summary)
        if grade <= level:
            continue
        message = (f"'summary' reads at school grade {grade:.1f} (Automated Readability Index); a summary for "
                   f"families should read at grade {level:g} or below: use shorter sentences and everyday words")
        hardest = hardest_sentence(pub.summary)
        if hardest and len(sentences(pub.summary)) > 1:
            words = hardest[0] if len(hardest[0]) <= 160 else hardest[0][:157] + "..."
            message += f". Hardest sentence (grade {hardest[1]:.1f}): \"{words}\""
        problems.add(pub.pos("summary"), message, "warning")
