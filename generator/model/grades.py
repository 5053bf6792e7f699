"""Grades written as the scale's word: 'Good', 'very good' and '4' all mean level 4 of the six-point scale."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from generator.model import models as m


class GradeWord(str):
    """A grade as the editor wrote it when it is not a plain number ('Good', '"4"'): read against the scale."""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_grade(written: int | str, scale: m.EvaluationScale, others: Iterable[m.EvaluationScale] = ()) -> tuple[int | None, str]:
    """The scale's number for a grade written as its number or its word, in any case.

    Returns (number, "") or (None, a message that lists the scale's words with their numbers and says which
    is closest, and where the word belongs to another scale).
    """
    if isinstance(written, int) and not isinstance(written, str):
        return written, ""
    text = " ".join(str(written).split())
    if text.lstrip("+-").isdigit() and len(text) <= 9:  # longer: not a level of any scale (int() stops at 4,300)
        return int(text), ""
    by_word = {_key(lv.label): lv for lv in scale.levels}
    level = by_word.get(_key(text))
    if level is not None:
        return level.value, ""
    words = ", ".join(f"{lv.value} {lv.label}" for lv in sorted(scale.levels, key=lambda lv: -lv.value))
    message = f"grade '{text}' is not a word on the scale '{scale.id}'; its words are: {words}."
    # Closest: the same level where the word belongs to another scale ('adequate' is 3 on the six-point
    # scale, so 'Satisfactory' on a scale whose 3 is that), else the nearest spelling that is not its opposite.
    elsewhere = [(other, lv) for other in others if other.id != scale.id for lv in other.levels if _key(lv.label) == _key(text)]
    same_level = [scale.level(lv.value) for _other, lv in elsewhere if scale.level(lv.value) is not None]
    close = [by_word[c] for c in difflib.get_close_matches(_key(text), list(by_word), n=3, cutoff=0.6)
             if not _opposite(c, _key(text))]
    closest = same_level[0] if same_level else (close[0] if close else None)
    if elsewhere:
        where = ", ".join(f"{lv.value} on the scale '{other.id}'" for other, lv in elsewhere)
        message += f" '{text}' is {where}."
    if closest is not None:
        message += f" The closest here is '{closest.label}' ({closest.value})."
    else:
        message += " No word on this scale is close to it."
    message += " Write the grade the report gives, as the number or the word."
    return None, message


def _opposite(a: str, b: str) -> bool:
    """'unsatisfactory' is not close to 'satisfactory': one is the other with a negating prefix."""
    return any(x == prefix + y for x, y in ((a, b), (b, a)) for prefix in ("un", "in", "not ", "non-", "non"))
