"""Lasting addresses: every address the site has published keeps working.

`site-data/addresses.yaml` lists every address ever published (`published:`, written by
`python -m generator addresses`, which only ever adds) and where moved ones went (`redirects:`,
written by editors). The check refuses a build in which a published address is neither an address
of the build nor redirected, naming it; and a redirect whose target is not an address of this build
(so a redirect can never send a reader to another site, or to nothing).

Addresses are paths under site_url, as readers see them: `/`, `/inspections/fife-2023/`,
`/data/evaluations.csv`, `/feeds/fife.xml`. A moved page leaves a small page at its old address
that sends the browser on (`redirect.html.j2`); a moved data file or feed, which no static host can
redirect without its own configuration, is published at its old address too, as a copy of the file
it became.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.base.errors import Position, Problems, relative
from generator.derive.derive import Derived
from generator.derive.paths import ALL_PUBLICATIONS_FEED, SEARCH_PAGE, page_address, page_specs, partnership_feed, site_file_paths
from generator.model.content_files import ContentPage
from generator.model.layout import DATA_DIR
from generator.model.load import ADDRESSES_FILE
from generator.model.yamlnodes import Mapping, Scalar, parse_yaml
from generator.model.yamlnodes import Sequence as SeqNode

GUIDE = "EDITORS-GUIDE.md, 'Rename a report'"
#: a path under site_url: lower-case words, digits, dots, hyphens and underscores between single slashes;
#: no scheme, host, '..', query or fragment, so no redirect can lead off the site
ADDRESS = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)*(?:[a-z0-9][a-z0-9._-]*)?$")

HEADER = """\
# Every address this site has published, and where moved ones went (EDITORS-GUIDE.md, "Lasting addresses").
# `published:` is written by `python -m generator addresses` when the site is published: never remove a line.
# `redirects:` is written by editors: old address: new address (both paths under site_url, as listed here).
"""


@dataclass
class Addresses:
    path: str
    """The file, relative to the project (for messages)."""
    published: dict[str, Position] = field(default_factory=dict)
    redirects: dict[str, tuple[str, Position]] = field(default_factory=dict)
    """Old address -> (new address, where the redirect is written)."""


def is_page(address: str) -> bool:
    return address.endswith("/")


def current_addresses(derived: Derived, pages: Sequence[ContentPage], search: bool = True) -> set[str]:
    """Every address a build of this data publishes: pages (generated and hand-written), feeds, data files."""
    found = {page_address(spec.path) for spec in page_specs(derived)}
    found |= {page_address(page.src_uri) for page in pages}
    if search:
        found.add(page_address(SEARCH_PAGE))
    found.add("/" + ALL_PUBLICATIONS_FEED)
    found |= {"/" + partnership_feed(pid) for pid in derived.data.partnerships}
    found |= {"/" + path for path in site_file_paths(derived)}
    return found


def load_addresses(project: Path, problems: Problems) -> Addresses | None:
    """site-data/addresses.yaml, or None when the project keeps no list (a site not yet published)."""
    path = project / DATA_DIR / ADDRESSES_FILE
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(Position(relative(path, project)), f"cannot read the list of published addresses: {exc}")
        return None
    return read_addresses(text, relative(path, project), problems)


def read_addresses(text: str, rel: str, problems: Problems) -> Addresses | None:
    """Parse addresses.yaml; every malformed entry is reported with its line."""
    node, parse_problems = parse_yaml(text, rel)
    problems.extend(parse_problems)
    if node is None:
        return None
    out = Addresses(rel)
    if not isinstance(node, Mapping):
        problems.add(node.at, "addresses.yaml holds a mapping with `published:` (a list) and `redirects:` (old: new)")
        return out
    for key, value in node.items:
        if key.value == "published":
            items = value.items if isinstance(value, SeqNode) else None
            if items is None and not (isinstance(value, Scalar) and value.is_null):
                problems.add(value.at, "`published:` is a list of addresses, one per line starting with '- '")
            for item in items or []:
                if _valid(item, problems, "published address"):
                    assert isinstance(item, Scalar)
                    if item.value in out.published:
                        problems.add(item.at, f"{item.value} is listed twice (first at line {out.published[item.value].line}): keep one")
                    out.published.setdefault(item.value, item.at)
        elif key.value == "redirects":
            pairs = value.items if isinstance(value, Mapping) else None
            if pairs is None and not (isinstance(value, Scalar) and value.is_null):
                problems.add(value.at, "`redirects:` maps old addresses to new ones, one per line: `/old/: /new/`")
            for old, new in pairs or []:
                if _valid(old, problems, "old address") and _valid(new, problems, "redirect target"):
                    assert isinstance(new, Scalar)
                    out.redirects[old.value] = (new.value, old.at)
        else:
            problems.add(key.at, f"unknown key '{key.value}' in addresses.yaml; allowed: published, redirects")
    return out


def _valid(node: object, problems: Problems, what: str) -> bool:
    if not isinstance(node, Scalar) or node.is_null:
        problems.add(node.at if hasattr(node, "at") else Position.unknown(), f"a {what} is one address, like /inspections/fife-2023/")
        return False
    if not ADDRESS.match(node.value):
        hint = " (an address on this site, not a web address: no https:// or host)" if "//" in node.value or ":" in node.value else ""
        problems.add(node.at, f"'{node.value}' is not an address of this site{hint}: write a path under site_url as "
                              "`python -m generator addresses` lists them, like /inspections/fife-2023/ or /data/evaluations.csv")
        return False
    return True


def check_addresses(addresses: Addresses | None, current: set[str]) -> Problems:
    """Every published address resolves (is in the build, or redirected to something in it)."""
    problems = Problems()
    if addresses is None:
        return problems
    for old, (new, at) in addresses.redirects.items():
        if old in current:
            problems.add(at, f"{old} is still an address of this build, so a redirect from it would hide that page: "
                             "remove this redirect (or rename the record that still has the address)")
        elif new not in current:
            problems.add(at, f"the redirect from {old} goes to {new}, which is not an address of this build: "
                             "give the record's new address exactly as `python -m generator addresses --list` prints it")
        elif is_page(old) != is_page(new) or posixpath.splitext(old)[1] != posixpath.splitext(new)[1]:
            problems.add(at, f"the redirect from {old} goes to {new}, a different kind of address: a page moves to a page, "
                             "a data file or feed to one of the same type")
    new_unlisted = sorted(current - set(addresses.published) - {new for new, _ in addresses.redirects.values()})
    for old, at in addresses.published.items():
        if old in current or old in addresses.redirects:
            continue
        suggestion = _likely_new(old, new_unlisted)
        example = f"`{old}: {suggestion}`" if suggestion else f"`{old}: /NEW/ADDRESS{'/' if is_page(old) else posixpath.splitext(old)[1]}`"
        problems.add(at, f"the address {old} was published, but this build no longer has it, so every link to it and "
                         f"citation of it would break (was a record's id renamed?): restore the id, or record where it went "
                         f"under `redirects:` in {addresses.path}, e.g. {example} (see {GUIDE})")
    return problems


def _likely_new(old: str, candidates: Iterable[str]) -> str | None:
    """The one not-yet-published address beside `old` (same folder, same kind), if there is exactly one."""
    folder, ext = posixpath.dirname(old.rstrip("/")), posixpath.splitext(old)[1]
    same = [c for c in candidates if posixpath.dirname(c.rstrip("/")) == folder and is_page(c) == is_page(old)
            and posixpath.splitext(c)[1] == ext]
    return same[0] if len(same) == 1 else None


def redirect_target(old: str, new: str) -> str:
    """The target of the redirect page at `old` as a relative URL (the site works under any site_url)."""
    start = old.rstrip("/") or "/"
    rel = posixpath.relpath(new, start if is_page(old) else posixpath.dirname(old))
    return (rel.rstrip("/") + "/") if is_page(new) and rel != "." else ("./" if rel == "." else rel)


def redirect_files(addresses: Addresses | None) -> dict[str, str]:
    """Old page address -> the file that holds its redirect page (`inspections/old/index.html`)."""
    if addresses is None:
        return {}
    return {old: old.strip("/") + "/index.html" if old != "/" else "index.html"
            for old, (_new, _at) in addresses.redirects.items() if is_page(old)}


def write_addresses(project: Path, addresses: Addresses | None, current: set[str]) -> tuple[Path, int]:
    """Add every current address to `published:` (keeping every one listed before), keep `redirects:`. Returns
    the file and how many addresses were added."""
    before = set(addresses.published) if addresses else set()
    redirects = addresses.redirects if addresses else {}
    published = sorted(before | current)
    lines = [HEADER, "published:\n", *(f"  - {a}\n" for a in published)]
    lines.append("redirects:" + ("\n" if redirects else " {}\n"))
    lines += [f"  {old}: {new}\n" for old, (new, _at) in sorted(redirects.items())]
    path = project / DATA_DIR / ADDRESSES_FILE
    path.write_text("".join(lines), encoding="utf-8")
    return path, len(set(published) - before)


