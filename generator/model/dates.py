"""Dates as the sources give them: a day, a month or only a year."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

#: the years a date may have (the joint inspections began in 2005; Python's dates start at year 1)
FIRST_YEAR, LAST_YEAR = 1900, 2100
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_APPROXIMATE = "about "
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year ("2019-08-06", "2019-08", "2019"), and perhaps only
    approximately ("about 2025": the source gives the date as approximate, or it is inferred)."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        text = text.strip()
        approximate = text.lower().startswith(_APPROXIMATE)
        if approximate:
            text = text[len(_APPROXIMATE):].strip()
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (with 'about ' in front if approximate)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"{text!r}: the year must be from {FIRST_YEAR} to {LAST_YEAR}")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} does not exist")
        if day is not None:
            assert month is not None
            if day > calendar.monthrange(year, month)[1] or day < 1:
                raise ValueError(f"{text!r}: day {day} does not exist in that month")
        return cls(year, month, day, approximate)

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def exact_day(self) -> bool:
        """Known to the day and not approximate: the only dates a feed may present as a day."""
        return self.day is not None and not self.approximate

    @property
    def sort_key(self) -> tuple[dt.date, int, bool]:
        """The one order for dates everywhere (lists, themes, charts, feeds): by the last day the date can
        be, then the less precise first within that day, approximate before exact."""
        return (self.latest, _PRECISION_RANK[self.precision], not self.approximate)

    def iso(self) -> str:
        """The date as written (without any 'about'): open data carries the precision in its own column."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """'17 October 2023', 'August 2019' or '2020'; '2025 (approximate)' when approximate."""
        if self.day:
            assert self.month
            text = f"{self.day} {calendar.month_name[self.month]} {self.year}"
        elif self.month:
            text = f"{calendar.month_name[self.month]} {self.year}"
        else:
            text = str(self.year)
        return f"{text} (approximate)" if self.approximate else text

    def as_written(self) -> str:
        """The date in the form the YAML takes ('about 2025', '2019-08')."""
        return (_APPROXIMATE if self.approximate else "") + self.iso()

    def __str__(self) -> str:
        return self.iso()


def sort_key(date: PartialDate | None) -> tuple[dt.date, int, bool]:
    """`PartialDate.sort_key`, with undated things before every date (so last when newest come first)."""
    return date.sort_key if date else (dt.date.min, -1, False)


def not_after(first: PartialDate, second: PartialDate) -> bool:
    """True unless `first` certainly falls after `second` (imprecise dates get the benefit of the doubt)."""
    return first.earliest <= second.latest
