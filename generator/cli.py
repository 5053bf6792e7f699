"""`python -m generator check [PATH]`: validate a project's site-data/ and content/ narratives.
`python -m generator new KIND ...`: start a new record from a skeleton (see `new --help`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import scaffold
from .check import check_site
from .errors import format_problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check every data file and narrative; report all problems with file:line:col")
    check.add_argument("path", nargs="?", default=".", help="the project folder (default: the current folder)")
    scaffold.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(Path(args.path))
    if args.command == "new":
        return scaffold.run(args)
    return 2  # pragma: no cover - argparse rejects other commands


def run_check(path: Path) -> int:
    if not path.is_dir():
        print(f"{path}: error: not a folder", file=sys.stderr)
        return 2
    data, _derived, problems = check_site(path)
    if problems:
        print(format_problems(problems.sorted()), file=sys.stderr)
    if problems.errors:
        return 1
    counts = ", ".join(
        f"{len(getattr(data, k))} {k.replace('_', ' ')}"
        for k in ("partnerships", "programmes", "inspections", "reviews", "responses", "letters", "glossary")
    )
    print(f"site data OK: {counts}")
    return 0
