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
    follows: tuple[str, ...] = field(default=(), compare=False)
    """Indented lines printed under this problem: what could not be checked because of it."""

    def __str__(self) -> str:
        head = f"{self.at}: {self.severity}: {self.message}"
        return "\n".join([head, *(f"    {line}" for line in self.follows)])


#: Folders and files under the data folder, in the order records depend on each other: a problem in a
#: scale is reported before the programmes and inspections that use it, narratives after the records.
DEPENDENCY_ORDER = (
    "scales", "proportion-words", "organisations.yaml", "documents.yaml", "frameworks", "programmes",
    "partnerships", "themes.yaml", "glossary", "allowed-disclosures.yaml", "inspections", "reviews",
    "responses", "letters",
)
_RANK = {name: rank for rank, name in enumerate(DEPENDENCY_ORDER)}
_SHOWN = 5


def dependency_rank(path: str) -> int:
    """Where a file's problems come in the report: by the folder under the data folder, then content/ last."""
    parts = path.split("/")
    if len(parts) >= 2 and parts[1] in _RANK:
        return _RANK[parts[1]]
    return len(DEPENDENCY_ORDER) if path.startswith(("content/", "docs/")) else -1


@dataclass
class Problems:
    """Collects every problem found in one run."""

    items: list[Problem] = field(default_factory=list)
    consequences: dict[str, list[tuple[Position, str]]] = field(default_factory=dict)
    """Root file -> places not checked because that file has errors (printed under its first error)."""

    def add(self, at: Position, message: str, severity: str = "error") -> None:
        self.items.append(Problem(at, message, severity))

    def not_checked(self, root: str, at: Position, what: str) -> None:
        """Note that `what` at `at` was not checked because the file `root` has errors (listed under them)."""
        places = self.consequences.setdefault(root, [])
        if (at, what) not in places:
            places.append((at, what))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)
        for root, places in other.consequences.items():
            for at, what in places:
                self.not_checked(root, at, what)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Every problem once, root causes first: files in dependency order (scales before the programmes
        and inspections that use them), then by place; what a broken file kept from being checked is
        listed under its first error instead of as errors of its own."""
        ordered = sorted(set(self.items), key=lambda p: (dependency_rank(p.at.path), p.at, p.message, p.severity))
        pending = dict(self.consequences)
        out = []
        for problem in ordered:
            places = pending.pop(problem.at.path, None) if problem.severity == "error" else None
            if places:
                ordered_places = [f"{at}: {what}" for at, what in sorted(places, key=lambda p: (dependency_rank(p[0].path), p))]
                more = len(places) - _SHOWN
                shown = ordered_places[:_SHOWN] + ([f"... and {more} more"] if more > 0 else [])
                problem = Problem(problem.at, problem.message, problem.severity,
                                  ("because of this, not checked until it is fixed:", *(f"- {p}" for p in shown)))
            out.append(problem)
        return out


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
