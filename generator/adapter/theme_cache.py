"""The theme's rendering of a page, skipped when nothing it can read has changed (`build` and `serve`).

MkDocs renders every page through the theme's templates (`main.html`) on every build and every
`mkdocs serve` rebuild, one page at a time: on a warm build most of what is left. MkDocs has no hook
to skip it, but `_build_page` asks for `page.meta['template']` and writes whatever `on_post_page`
returns. So, once every page is read (`on_env`), each page gets a key: a hash of everything the
theme's templates can read for it. On a hit the page is pointed at an empty template (`EMPTY`) and
`on_post_page` returns the stored HTML; on a miss the theme renders it and the output is stored.

The key is conservative: when something cannot be said exactly, the page misses.
- Shared by all pages, hashed once a build: the environment (Python, package versions, this package's
  source), the whole configuration (`extra`, the theme's settings and palette, the plugins' settings),
  the files of every template folder not inside a package whose version is in the key (the overrides),
  the whole navigation (titles, URLs, meta, nesting), the template globals and filters (the plugin's
  publisher and asset names), the build date as far as a template prints it, and the list of every
  page if a template reads `pages` (Material's page templates do not).
- Per page: its URLs (url, canonical, edit), title, meta, HTML content, table of contents, previous
  and next page, inclusion (drafts), the template it names and the plugin's own context values.
A page's place in the navigation (what is active) follows from the navigation and the page.
The plugin uses no cache when another plugin handles on_env, on_page_context or on_post_page.
Entries are never published (the cache folder is outside docs_dir and site_dir) and safe to delete.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import functools
import hashlib
import importlib.util
import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from generator.output import cache as disk

#: the template a page that is taken from the cache is pointed at (served by a loader the plugin adds)
EMPTY = "report-site/cached-page.html"


class UncacheableError(Exception):
    """A value in the key that cannot be written down exactly (no entry is used or made)."""


def canonical(value: Any) -> Any:
    """`value` as plain JSON data, the same for equal values in every process; UncacheableError otherwise."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return [type(value).__qualname__, value.name]
    if isinstance(value, (datetime.date, datetime.time)):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, Path):
        return ["path", value.as_posix()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return [type(value).__qualname__, fields]
    if hasattr(value, "cache_fingerprint"):  # our Markdown extensions
        return [f"{type(value).__module__}.{type(value).__qualname__}", canonical(value.cache_fingerprint())]
    if isinstance(value, Mapping):
        items = [[canonical(k), canonical(v)] for k, v in value.items()]
        return ["map", sorted(items, key=json.dumps)]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted((canonical(v) for v in value), key=json.dumps)]
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, functools.partial):  # a template filter with its data bound (the plugin's asset names)
        return ["partial", _callable_name(value.func), canonical(value.args), canonical(value.keywords)]
    if hasattr(value, "config") and hasattr(value, "on_config"):  # a plugin: its settings (the code is versioned)
        return [f"{type(value).__module__}.{type(value).__qualname__}", canonical(value.config)]
    if type(value).__name__ == "Locale" and str(value):  # the theme's language (MkDocs' own or babel's)
        return ["locale", str(value)]
    raise UncacheableError(f"{type(value).__module__}.{type(value).__qualname__}")


def _callable_name(func: Any) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', type(func).__qualname__)}"


def template_names(names: Mapping[str, Any]) -> Any:
    """A Jinja environment's globals or filters: functions by name (their code is versioned), data as data."""
    return {name: canonical(value) if isinstance(value, functools.partial) or not callable(value) else _callable_name(value)
            for name, value in names.items()}


def dumps(value: Any) -> str:
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: strftime directives that print no more than the day
_DAY_DIRECTIVES = set("aAbBdejmuUwWyYGVhx%")
_DATE_USE = re.compile(r"build_date_utc(\s*\.\s*strftime\(\s*(['\"])([^'\"]*)\2\s*\))?")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_PAGES_USE = re.compile(r"(?<![\w.])pages(?!\w)")


class Reads(NamedTuple):
    """What of the build the theme's templates read beyond the page, the nav and the configuration."""

    date: str | None = None
    """How much of the build date they print: None (none), "day", or "time" (anything else)."""
    pages: bool = False
    """Whether they read `pages`, the list of every page (then its titles and URLs are in every key)."""


def date_precision(template_text: str) -> str | None:
    """How much of the build date `template_text` prints: None (none), "day", or "time" (anything else)."""
    found = None
    for use in _DATE_USE.finditer(template_text):
        fmt = use.group(3)
        if fmt is None or any(d.lstrip("-") not in _DAY_DIRECTIVES for d in re.findall(r"%(-?.)", fmt)):
            return "time"
        found = "day"
    return found


def template_reads(template_text: str) -> Reads:
    """What one template reads (by its text: a mention anywhere in its Jinja code counts)."""
    code = _JINJA_CODE.findall(_JINJA_COMMENT.sub("", template_text))
    return Reads(date_precision(template_text), any(_PAGES_USE.search(block) for block in code))


def _most(reads: Iterable[Reads]) -> Reads:
    found = list(reads)
    dates = {r.date for r in found}
    return Reads("time" if "time" in dates else "day" if "day" in dates else None, any(r.pages for r in found))


@cache
def _versioned_folders() -> tuple[Path, ...]:
    """Folders of the packages whose versions are in `environment_fingerprint`: their files need no hashing."""
    out: list[Path] = []
    for module in ("mkdocs", "material", "properdocs"):
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.submodule_search_locations:
            out += [Path(p).resolve() for p in spec.submodule_search_locations]
    return tuple(out)


@cache
def _package_reads(folder: Path) -> Reads:
    """`template_reads` over a versioned package's page templates (read once a process: they do not change)."""
    return _most(template_reads(p.read_text(errors="replace")) for p in sorted(folder.rglob("*.html")))


def template_fingerprint(folders: Iterable[str | Path], not_theme: Iterable[Path] = ()) -> tuple[str, Reads]:
    """A hash of the template folders (every file of those outside versioned packages), and what their
    templates read. Files under `not_theme` (the generator's own page templates, which the theme's
    templates never include) are hashed but not read for what they use."""
    digest = hashlib.sha256()
    reads: list[Reads] = []
    versioned = _versioned_folders()
    skipped = [p.resolve() for p in not_theme]
    for entry in folders:
        folder = Path(entry).resolve()
        digest.update(b"\0folder\0" + folder.as_posix().encode())
        if any(folder.is_relative_to(v) for v in versioned):
            reads.append(_package_reads(folder))
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + len(data).to_bytes(8, "little") + data)
            if not any(path.resolve().is_relative_to(s) for s in skipped):
                reads.append(template_reads(data.decode(errors="replace")))
    return digest.hexdigest(), _most(reads)


def build_date_part(precision: str | None, when: datetime.datetime) -> str:
    """What of the build date the key holds: nothing, the day, or the whole time (then every build misses,
    unless SOURCE_DATE_EPOCH fixes it)."""
    if precision is None:
        return ""
    return when.date().isoformat() if precision == "day" else when.isoformat()


def nav_outline(items: Iterable[Any]) -> list[Any]:
    """The navigation as data: every section, page and link, with what the theme prints of each."""
    out: list[Any] = []
    for item in items:
        children = getattr(item, "children", None)
        if getattr(item, "is_page", False):
            out.append(["page", item.title, item.url, item.file.src_uri, item.is_index, item.is_homepage, canonical(item.meta)])
        elif getattr(item, "is_section", False):
            out.append(["section", item.title, nav_outline(children or [])])
        elif getattr(item, "is_link", False):
            out.append(["link", item.title, item.url])
        else:
            raise UncacheableError(f"navigation item {type(item).__qualname__}")
    return out


def _toc(items: Iterable[Any]) -> list[Any]:
    return [[a.title, a.id, a.url, a.level, _toc(a.children)] for a in items]


def _neighbour(page: Any) -> list[Any] | None:
    return None if page is None else [page.title, page.url, page.file.src_uri]


def page_part(page: Any, values: Mapping[str, Any]) -> str:
    """Everything of one page (a MkDocs Page) the theme's templates read, and the plugin's context values."""
    fields = [
        page.file.src_uri, page.file.dest_uri, page.url, page.abs_url, page.canonical_url, page.edit_url,
        page.title, page.is_homepage, page.is_index, page.update_date, page.file.inclusion.name,
        canonical(page.meta), _toc(page.toc), _neighbour(page.previous_page), _neighbour(page.next_page),
        canonical(dict(values)),
    ]
    content = page.content or ""
    return disk.key(json.dumps(fields, sort_keys=True, ensure_ascii=False), hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest())


def shared_part(*, config: Any, template_folders: Iterable[str | Path], nav: Any, pages: Iterable[Any],
                env: Any, when: datetime.datetime, not_theme: Iterable[Path] = ()) -> str:
    """What every page's key shares (hashed once a build); raises UncacheableError."""
    templates, reads = template_fingerprint(template_folders, not_theme)
    listed = [[p.file.src_uri, p.url, p.title] for p in pages] if reads.pages else None
    # Where the build writes (a staging folder named by the process, or `-d`) is no part of any page.
    settings = {k: v for k, v in config.items() if k not in _UNREAD}
    homepage = nav.homepage.url if nav.homepage is not None else None
    return disk.key(
        disk.environment_fingerprint(), dumps(settings), templates, json.dumps(nav_outline(nav.items), ensure_ascii=False),
        json.dumps([homepage, listed], ensure_ascii=False), dumps([template_names(env.globals), template_names(env.filters)]),
        build_date_part(reads.date, when),
    )


_ABSENT = object()
#: configuration that no page shows: the folder the build writes into (a staging folder named by the process)
_UNREAD = frozenset({"site_dir"})


class ThemeCache:
    """One build's pages: which the theme need not render, and the output of those it renders."""

    def __init__(self, store: disk.DiskCache, shared: str, env: Any) -> None:
        self.store = store
        self.shared = shared
        self.env = env
        self.keys: dict[str, str] = {}
        self.hits: dict[str, Any] = {}
        """src_uri -> the page's own `template` meta value (or _ABSENT) before it was pointed at EMPTY."""
        self.contexts: dict[str, Any] = {}
        self.taken = self.rendered = 0

    def plan(self, page: Any, values: Mapping[str, Any]) -> None:
        """Key one page (a MkDocs Page, fully read); if its output is stored, point it at the empty template."""
        try:
            part = page_part(page, values)
        except UncacheableError:
            return  # rendered by the theme, not stored
        src = page.file.src_uri
        self.keys[src] = entry_key = disk.key(self.shared, part)
        if self.store.has(entry_key):
            self.hits[src] = page.meta.get("template", _ABSENT)
            page.meta["template"] = EMPTY

    def keep_context(self, page: Any, context: Any) -> None:
        """From `on_page_context`: a hit's context, in case its entry is gone when the output is asked for."""
        if page.file.src_uri in self.hits:
            self.contexts[page.file.src_uri] = context

    def finish(self, page: Any, output: str) -> str:
        """From `on_post_page`: the page's output, from the store for a hit, else `output`, which is stored."""
        src = page.file.src_uri
        entry_key = self.keys.get(src)
        if entry_key is None:
            return output
        if src in self.hits:
            own = self.hits.pop(src)
            if own is _ABSENT:
                page.meta.pop("template", None)
            else:
                page.meta["template"] = own
            context = self.contexts.pop(src, None)
            stored = self._read(entry_key)
            if stored is not None:
                self.taken += 1
                return stored
            # Deleted or damaged since it was planned: the theme renders it after all.
            output = self.env.get_template(page.meta.get("template", "main.html")).render(context)
        self.rendered += 1
        self.store.put_blobs(entry_key, [zlib.compress(output.encode("utf-8", "surrogatepass"), 1)])
        return output

    def _read(self, entry_key: str) -> str | None:
        blobs = self.store.get_blobs(entry_key, 1)
        if blobs is None:
            return None
        try:
            return zlib.decompress(blobs[0]).decode("utf-8", "surrogatepass")
        except (zlib.error, UnicodeDecodeError):
            return None

    def close(self, *, complete: bool) -> str:
        """After the build: drop entries a complete build did not use; a line for the log."""
        if complete:
            self.store.prune(self.store.used)
        return f"theme templates: {self.taken} pages from the cache, {self.rendered} rendered"


def open_theme_cache(root: Path, command: str, *, config: Any, nav: Any, pages: list[Any], env: Any,
                     values: Callable[[Any], Mapping[str, Any]], when: datetime.datetime,
                     not_theme: Iterable[Path] = ()) -> ThemeCache | None:
    """The build's theme cache under `root`, every page in `pages` planned; None when the key cannot be made.

    `values(page)` is what the plugin's `on_page_context` adds for the page. `env` gets a loader for EMPTY."""
    try:
        shared = shared_part(config=config, template_folders=config.theme.dirs, nav=nav, pages=pages, env=env, when=when,
                             not_theme=not_theme)
    except UncacheableError:
        return None
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({EMPTY: ""}), env.loader])
    # One folder per front end, environment and command: `serve` (drafts, its own site_url) and `build`
    # do not prune each other's entries.
    store = disk.DiskCache(root, f"theme-{command}-{disk.environment_fingerprint()[:16]}")
    theme_cache = ThemeCache(store, shared, env)
    for page in pages:
        theme_cache.plan(page, values(page))
    return theme_cache
