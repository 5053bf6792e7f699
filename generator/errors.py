"""Problems are values: collected with where they were found, reported together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in a source file; line and column count from 1 (0 means unknown)."""

    path: str
    line: int = 0
    column: int = 0

    @classmethod
    def unknown(cls) -> Position:
        return cls("")

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path or "<unknown>"


@dataclass(frozen=True, order=True)
class Problem:
    at: Position
    message: str
    severity: str = "error"
    """'error' stops a build; 'warning' is reported (and fails `mkdocs build --strict`)."""

    def __str__(self) -> str:
        return f"{self.at}: {self.severity}: {self.message}"


@dataclass
class Problems:
    """Collects every problem found in one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, at: Position, message: str, severity: str = "error") -> None:
        self.items.append(Problem(at, message, severity))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class SiteDataError(Exception):
    """Raised by front ends when the data has errors; carries them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(format_problems(problems))


def format_problems(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems]
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
