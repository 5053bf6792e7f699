"""What content/ may hold, checked before anything is built: every file there is published.

MkDocs copies every file of the docs folder into the site as it is, and prints the
front matter of pages into the theme without escaping. So:

- Markdown pages (`.md`) are the only text files; they are checked like narratives
  (personal details, placeholders, unfinished text) by narrative_checks.py.
- Their front matter may hold only the keys in FRONT_MATTER, with the values it allows:
  no `template:` (a theme template such as `redirect.html` would run with page data),
  no `location:`, `author:` or anything else the theme prints unescaped.
- Besides pages: stylesheets and raster images (STATIC); no `.html`, `.svg`, `.js`,
  `.txt` or anything else a browser could run or that is published unchecked. Images
  must be what their names say; stylesheets may not fetch anything from another site.
- Symbolic links may point only to files inside content/ (never to a folder, never out).

Dot-files are skipped, as MkDocs leaves them out of the site.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.base.errors import Position, Problems
from generator.model.layout import CONTENT_DIR, NARRATIVE_DIR
from generator.model.yamlnodes import Mapping, Scalar, Sequence, parse_yaml

#: hand-written pages that name one of these in `report_site:` front matter get the fragment
#: rendered from `<name>.md.j2` appended (the home page's lists, the About page's publisher)
FRAGMENTS = ("home", "about", "accessibility", "privacy")
#: key -> (what is allowed, in the words of the message; a check of the value)
FRONT_MATTER: dict[str, tuple[str, Any]] = {
    "title": ("one line of plain text", lambda v: isinstance(v, str) and "\n" not in v),
    "description": ("one line of plain text", lambda v: isinstance(v, str) and "\n" not in v),
    "hide": ("a list of: navigation, toc, footer, path",
             lambda v: isinstance(v, list) and all(x in ("navigation", "toc", "footer", "path") for x in v)),
    "report_site": ("one of: " + ", ".join(FRAGMENTS) + " (the generated part the page gets)", lambda v: v in FRAGMENTS),
}
#: suffix -> leading bytes the file must start with (None: a text format, checked separately)
STATIC: dict[str, tuple[bytes, ...] | None] = {
    ".css": None,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
_CSS_REMOTE = re.compile(r"(?i)@import|expression\s*\(|(?<![\w-])behavior\s*:|-moz-binding|url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class ContentPage:
    """A hand-written page of content/ (not a narrative)."""

    path: str
    """Relative to the project, for messages."""
    src_uri: str
    """Relative to content/: the page's path in the site."""
    text: str


def check_content(project: Path, problems: Problems) -> list[ContentPage]:
    """Check every file under content/; return its pages (readable Markdown outside content/narrative/)."""
    root = project / CONTENT_DIR
    if not root.is_dir():
        return []
    real_root = root.resolve()
    pages: list[ContentPage] = []
    narrative_prefix = NARRATIVE_DIR + "/"
    for dirpath, dirnames, filenames in os.walk(root):  # symlinked folders are not followed (and refused below)
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                problems.add(Position((here / name).relative_to(project).as_posix()),
                             "a symbolic link to a folder cannot be in content/ (everything it holds would be published): "
                             "copy the files in, or remove the link")
                dirnames.remove(name)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = path.relative_to(project).as_posix()  # the link's own name, not its target's
            src_uri = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root) or not target.is_file():
                    problems.add(Position(rel), "symbolic link to a file outside content/ (or to nothing): it would "
                                                "publish that file; copy the file into content/ instead")
                    continue
            page = _check_file(path, rel, src_uri, narrative_prefix, problems)
            if page is not None:
                pages.append(page)
    return pages


def _check_file(path: Path, rel: str, src_uri: str, narrative_prefix: str, problems: Problems) -> ContentPage | None:
    suffix = path.suffix.lower()
    if suffix == ".md":
        text = read_text(path, rel, problems)
        if text is None or src_uri.startswith(narrative_prefix):
            return None  # narratives are loaded and checked with their publication
        check_front_matter(text, rel, problems)
        return ContentPage(rel, src_uri, text)
    if src_uri.startswith(narrative_prefix) or suffix not in STATIC:
        allowed = ", ".join(sorted(STATIC))
        problems.add(Position(rel), f"'{path.name}' cannot be in content/: every file there is published as it is, and "
                                    f"only Markdown pages (.md), stylesheets and images ({allowed}) are allowed "
                                    f"(an .html, .svg or .js file could run scripts; other text is not checked for personal "
                                    "details). Put the words in a .md page, or remove the file")
        return None
    magic = STATIC[suffix]
    if magic is None:
        text = read_text(path, rel, problems)
        for number, line in enumerate((text or "").splitlines(), 1):
            if (mt := _CSS_REMOTE.search(line)) is not None:
                problems.add(Position(rel, number, mt.start() + 1),
                             f"'{mt.group(0)}' is not allowed in a stylesheet: the site makes no requests to other sites "
                             "and runs no code; refer to files in content/ with relative url(...) paths")
        return None
    with path.open("rb") as f:
        head = f.read(16)
    if not head.startswith(magic):
        problems.add(Position(rel), f"'{path.name}' is not a {suffix[1:].upper()} image (its first bytes say otherwise): "
                                    "save it again in that format, or give it the right extension")
    return None


def read_text(path: Path, rel: str, problems: Problems) -> str | None:
    """UTF-8 text without NUL bytes, or None with a problem naming the line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(Position(rel, line, column), "not UTF-8 text: save the file as UTF-8")
        return None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        problems.add(Position(rel, line, at - (text.rfind("\n", 0, at) + 1) + 1),
                     "a NUL character (code 0) is in the text: it is invisible and breaks the page; delete it")
        return None
    return text


#: how MkDocs finds front matter (mkdocs.utils.meta): a YAML block between '---' lines, or else
#: MultiMarkdown-style 'key: value' lines at the very top, up to the first blank line
_YAML_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")


def front_matter(text: str, rel: str, problems: Problems) -> list[tuple[str, Any, Position]]:
    """(key, value, where) for each front-matter entry, read the way MkDocs reads them."""
    block = _YAML_BLOCK.match(text)
    if block is not None:
        yaml_text = "\n" + block.group(1)  # keeps line numbers: the block starts on line 2
        node, yaml_problems = parse_yaml(yaml_text, rel)
        if not isinstance(node, Mapping):
            problems.extend(yaml_problems)
            if node is not None:
                problems.add(Position(rel, 2, 1), "front matter must be a list of 'key: value' lines")
            return []
        problems.extend(yaml_problems)
        return [(key.value, _plain(value), key.at) for key, value in node.items]
    out: list[tuple[str, Any, Position]] = []
    for number, line in enumerate(text.split("\n"), 1):
        mt = _META_LINE.match(line)
        if not line.strip() or (mt is None and not re.match(r"^([ ]{4}|\t)", line)):
            break
        if mt is not None:
            out.append((mt.group("key").lower(), mt.group("value").strip(), Position(rel, number, 1)))
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [_plain(item) for item in node.items]
    if isinstance(node, Mapping):
        return {key.value: _plain(value) for key, value in node.items}
    return None


def check_front_matter(text: str, rel: str, problems: Problems) -> None:
    """Only the keys and values in FRONT_MATTER; what the theme prints is escaped by the plugin as well."""
    for key, value, at in front_matter(text, rel, problems):
        rule = FRONT_MATTER.get(key)
        if rule is None:
            allowed = ", ".join(FRONT_MATTER)
            why = " (it would choose a theme template, which can redirect or run scripts)" if key == "template" else ""
            hint = ("; if this line is meant as text, put a heading or a blank line above it"
                    if not text.startswith("---") else "")
            problems.add(at, f"front matter key '{key}' is not allowed{why}; a page's front matter may hold only: "
                             f"{allowed}{hint}")
        elif not rule[1](value):
            problems.add(at, f"front matter '{key}' must be {rule[0]}, not {value!r}"[:300])


def escape_meta(meta: MutableMapping[str, Any]) -> None:
    """Escape, in place, the front-matter text the theme prints as HTML (titles, descriptions)."""
    import html

    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = html.escape(meta[key], quote=True)
