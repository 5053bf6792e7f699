"""`python -m generator check [PATH]`: validate a project's site-data/ and content/ narratives.
`python -m generator new KIND ...`: start a new record from a skeleton (see `new --help`).
`python -m generator import REPORT --programme ID --partnership ID`: a draft inspection record from a published report.
`python -m generator addresses [PATH] [--list]`: add every address the site now has to site-data/addresses.yaml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.base.errors import Problems, format_problems
from generator.cli import report_import, scaffold
from generator.derive.addresses import current_addresses, write_addresses
from generator.derive.site import check_site
from generator.model.content_files import check_content
from generator.model.load import SiteData


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check every data file and narrative; report all problems with file:line:col")
    check.add_argument("path", nargs="?", default=".", help="the project folder (default: the current folder)")
    scaffold.add_parser(sub)
    report_import.add_parser(sub)
    addresses = sub.add_parser("addresses", help="when publishing: add every address the site now has to site-data/addresses.yaml "
                                                 "(the list of published addresses; never removes one)")
    addresses.add_argument("path", nargs="?", default=".", help="the project folder (default: the current folder)")
    addresses.add_argument("--list", action="store_true", help="print the addresses the site now has; write nothing")
    args = parser.parse_args(argv)
    if args.command == "addresses":
        return run_addresses(Path(args.path), list_only=args.list)
    if args.command == "check":
        return run_check(Path(args.path))
    if args.command == "new":
        return scaffold.run(args)
    if args.command == "import":
        return report_import.run(args)
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
    print(summary(data))
    return 0


def run_addresses(path: Path, *, list_only: bool = False) -> int:
    """Record the site's addresses as published. Refused while the check finds errors (a broken address
    among them: it must be restored or redirected first, never dropped from the list)."""
    if not path.is_dir():
        print(f"{path}: error: not a folder", file=sys.stderr)
        return 2
    data, derived, problems = check_site(path)
    if problems.errors or derived is None:
        print(format_problems(problems.sorted()), file=sys.stderr)
        print("nothing was written: fix the errors above first", file=sys.stderr)
        return 1
    pages = check_content(path.resolve(), Problems())
    current = current_addresses(derived, pages)
    if list_only:
        print("\n".join(sorted(current)))
        return 0
    file, added = write_addresses(path, data.addresses, current)
    print(f"{file}: {added} address(es) added, {len(current)} in this build; commit the file with the publication")
    return 0


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_KINDS = (("inspections", "inspection", "inspections"), ("reviews", "review", "reviews"),
          ("responses", "response", "responses"), ("letters", "letter", "letters"))


def summary(data: SiteData) -> str:
    """What the check read, publications split into published and drafts (drafts are never in a build)."""
    records = ", ".join([
        _count(len(data.partnerships), "partnership", "partnerships"),
        _count(len(data.programmes), "programme", "programmes"),
        _count(len(data.glossary), "glossary term", "glossary terms"),
        _count(len(data.themes), "theme", "themes"),
    ])
    published, drafts = [], []
    for attr, one, many in _KINDS:
        pubs = getattr(data, attr).values()
        n_draft = sum(1 for p in pubs if p.status == "draft")
        published.append(_count(len(pubs) - n_draft, one, many))
        if n_draft:
            drafts.append(_count(n_draft, one, many))
    line = f"site data OK: {records}; published: {', '.join(published)}"
    line += f"; drafts (shown only by mkdocs serve): {', '.join(drafts)}" if drafts else "; no drafts"
    return line
