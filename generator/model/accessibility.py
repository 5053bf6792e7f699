"""The accessibility statement's test results, read from the file the accessibility tests write.

`tests/test_accessibility.py` records what each of its checks found (axe-core, reflow, keyboard,
tables...) and compares it with the committed `accessibility-results.json`; it fails when the file
is stale, and `UPDATE_A11Y=1` rewrites it. The statement (`accessibility.md.j2`, appended to the
hand-written page whose front matter says `report_site: accessibility`) is built from this file, so
it says what the tests found, with the date they were recorded, and nothing a person typed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ResultsError(Exception):
    """The results file is unreadable or not in the form the tests write."""


@dataclass(frozen=True)
class Failure:
    page: str
    width: int | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    id: str
    description: str
    pages: tuple[str, ...]
    """Pages it ran on (`/` is the home page; `every page`: every page of the built site)."""
    widths: tuple[int, ...]
    failures: tuple[Failure, ...] = ()

    @property
    def where(self) -> str:
        """Where it ran, for the statement's table: "every page", or "21 pages, at 1280 and 320 px"."""
        text = "every page" if self.pages == ("every page",) else f"{len(self.pages)} page{'s' if len(self.pages) != 1 else ''}"
        return text + (f", at {' and '.join(map(str, self.widths))} px" if self.widths else "")


@dataclass(frozen=True)
class TestResults:
    recorded: dt.date
    standard: str
    browser: str
    axe_core: str
    checks: tuple[Check, ...] = field(default=())

    @property
    def failures(self) -> list[tuple[Check, Failure]]:
        return [(c, f) for c in self.checks for f in c.failures]

    @property
    def widths(self) -> str:
        """The screen widths tested, in words: "1280 and 320 CSS pixels wide"."""
        widths = sorted({w for c in self.checks for w in c.widths}, reverse=True)
        return " and ".join(map(str, widths)) + " CSS pixels wide" if widths else "one screen width"

    @property
    def recorded_text(self) -> str:
        return f"{self.recorded.day} {self.recorded:%B %Y}"

    @property
    def runs(self) -> int:
        """How many (check, page, width) results the file holds."""
        return sum(max(1, len(c.pages)) * max(1, len(c.widths)) for c in self.checks)


def load_results(path: Path) -> TestResults | None:
    """The results, or None when the file does not exist (the statement then says none are recorded)."""
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path.name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}): "
                           "it is written by the accessibility tests (UPDATE_A11Y=1), not by hand") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read the accessibility test results: {exc}") from None
    try:
        return _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"{path.name}: not in the form the accessibility tests write ({type(exc).__name__}: {exc}): "
                           "run `UPDATE_A11Y=1 .venv/bin/python -m pytest tests/test_accessibility.py` to write it again") from None


def _parse(raw: dict[str, Any]) -> TestResults:
    descriptions: dict[str, str] = raw["checks"]
    by_check: dict[str, list[dict[str, Any]]] = {cid: [] for cid in descriptions}
    for entry in raw["entries"]:
        by_check[entry["check"]].append(entry)  # a check not described: KeyError, reported
    checks = []
    for cid, entries in by_check.items():
        if not entries:
            continue
        pages = tuple(dict.fromkeys(str(e["page"]) for e in entries))
        widths = tuple(sorted({int(e["width"]) for e in entries if e.get("width")}))
        failures = tuple(Failure(str(e["page"]), e.get("width"), tuple(map(str, e["problems"])))
                         for e in entries if not e["passed"])
        checks.append(Check(cid, str(descriptions[cid]), pages, widths, failures))
    return TestResults(dt.date.fromisoformat(raw["recorded"]), str(raw["standard"]), str(raw["browser"]),
                       str(raw["axe_core"]), tuple(checks))
