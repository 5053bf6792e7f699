"""Render stage: pages as Markdown, from Jinja2 templates, with data text escaped by default.

Templates produce Markdown so that MkDocs still builds the table of contents,
checks every link and indexes the text for search. Every `{{ value }}` is escaped
for Markdown and HTML by `finalize` unless it is `Markup` (already-safe output
such as links built here or an editor's narrative), so a template cannot forget
to escape data. Editor text is never evaluated as a template.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import string
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from generator.base.pool import can_fork, fork_map
from generator.base.urls import relative_link
from generator.derive import facts, verdict
from generator.derive.derive import Derived
from generator.derive.paths import (
    ALL_PUBLICATIONS_FEED,
    INDEX_PAGES,
    PageSpec,
    chapter_path,
    data_path,
    exact_days,
    no_exact_day,
    page_address,
    page_path,
    page_specs,
    page_url,
    partnership_feed,
)
from generator.derive.review_pages import item_chapter, question_chapter, question_has_content
from generator.model import models as m
from generator.model.dates import PartialDate
from generator.model.publisher import Publisher
from generator.model.queries import GRADED, KIND_NAME, NOT_RECORDED, STATE_WORDS, missing_state, review_evaluations
from generator.render.sanitize import sanitize_html

#: a grid cell is narrow: the same states in fewer words (the table beside every chart has the full words)
SHORT_STATE_WORDS = MappingProxyType({
    "not-evaluated": "Not evaluated", "not-published": "Not published", "not-held": "Report not held",
    "not-recorded": "Not recorded",
})

#: page templates live in <template dir>/report-site/ (the project's overrides/ folder)
TEMPLATE_SUBDIR = "report-site"

# Characters that start Markdown syntax anywhere in a line get a backslash; those that
# only matter at the start of a line are handled separately; HTML specials become entities.
_MD_INLINE = "\\`*_{}[]()!"
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "|": "&#124;"}
#: both in one pass: the HTML specials and the Markdown characters are different characters, and an entity written
#: for one holds none of the others, so this gives what the entities first and then the backslashes would
_ESCAPE_TABLE = str.maketrans({**_HTML, **{c: "\\" + c for c in _MD_INLINE}})
_SPACES = re.compile(r"\s+")
_RAW_HTML = re.compile(r"<[A-Za-z!/?]")
_LINE_START = re.compile(r"^(#|[-+=]|\d+\.)")


def md_escape(value: Any) -> Markup:
    """Make any text safe to place inline in Markdown: no markup, links or HTML survive."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, PartialDate):
        value = value.human()
    text = str(value)
    if not text.isprintable() or "  " in text:  # else it has no whitespace but single spaces (a \\s is never printable)
        text = _SPACES.sub(" ", text)  # one line, but keep the spaces of joiners like ", "
    text = text.translate(_ESCAPE_TABLE)
    start = _LINE_START.match(text)  # no MULTILINE: it can match only at the start
    if start is not None:
        mark = start.group(1)
        text = ("\\" + mark if not mark[0].isdigit() else mark[:-1] + "\\.") + text[start.end():]
    return Markup(text)


def in_sentence(text: str) -> str:
    """A name as written, placed inside a sentence: 'Six-point evaluation scale' -> 'six-point evaluation scale';
    a name that starts with an acronym ('HMIE six-point scale') is kept as written."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def scale_name(scale: m.EvaluationScale) -> str:
    """A scale's name inside a sentence (see `in_sentence`)."""
    return in_sentence(scale.name)


def md_join(items: Iterable[Any], separator: str = "") -> Markup:
    """Jinja's `join` escapes for HTML only; this one escapes each item for Markdown."""
    return Markup(md_escape(separator)).join(md_escape(item) for item in items)


def md_block(value: str | None) -> Markup:
    """Markdown written by editors in data fields (descriptions, examples): passed through as Markdown.

    Only text from the repository's reviewed files reaches here; raw HTML in it is
    removed by the sanitiser in the front end before a reader sees it.
    """
    if not value:
        return Markup("")
    text = value.strip()
    if _RAW_HTML.search(text):
        # Raw HTML in a data field is cleaned and balanced here, on its own: an unclosed <script>, <style>
        # or <body> would otherwise swallow everything after it on the page when the page is sanitised.
        text = sanitize_html(text)
    return Markup(text)


_HEADING = re.compile(r"^(#{2,6})(?= )")
_FENCE = re.compile(r"^\s*(```|~~~)")


def front_matter_text(value: Any) -> Markup:
    """A text as a front matter value (`title: ...`): one YAML string, HTML-escaped once, as the theme expects every
    title (it prints `page.meta.title` without escaping; overrides/main.html unescapes and escapes it again)."""
    return Markup(json.dumps(html.escape(_SPACES.sub(" ", str(value)).strip(), quote=True)))


def promote_headings(text: Markup | str) -> Markup:
    """Narrative written under a `##` heading, placed on a page of its own whose title is the `#`: each of its
    headings one level up (`###` -> `##`), so the page's headings run without a gap. Code fences are left alone."""
    lines, fenced = [], False
    for line in str(text).split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        lines.append(line if fenced else _HEADING.sub(lambda mt: mt.group(1)[1:], line))
    return Markup("\n".join(lines))


class TemplateRenderError(Exception):
    """A page template failed; the message names the template, its line and the page."""


def describe_template_error(exc: Exception, page: str) -> str:
    import traceback

    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # Jinja's syntax errors
    where = filename and lineno and f"{filename}:{lineno}"
    if not where:  # runtime errors: find the template frame in the traceback
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "a template"
    return f"{where}: template error while rendering {page}: {getattr(exc, 'message', None) or exc}"


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum (an edited template is
    compiled again). Held by the plugin so `mkdocs serve` rebuilds skip compiling unchanged templates."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key + bucket.checksum)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


def make_environment(template_dirs: Iterable[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja2 environment searching `template_dirs` in order (an editor's theme first, then overrides/)."""
    dirs = [str(d) for d in template_dirs]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        bytecode_cache=bytecode_cache,
        # finalize escapes every expression for Markdown; autoescape makes macro output Markup
        # so it is not escaped twice.
        autoescape=True,
        finalize=md_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["in_sentence"] = in_sentence
    env.filters["e"] = env.filters["escape"] = md_escape
    env.filters["join"] = md_join
    env.filters["markdown"] = md_block
    env.filters["promote_headings"] = promote_headings
    env.filters["front_matter"] = front_matter_text
    env.filters["date"] = lambda d: d.human() if d else ""
    env.filters["iso"] = lambda d: d.iso() if d else ""
    env.filters["combine"] = lambda a, b: {**a, **b}
    return env


def make_markup_environment(template_dirs: Iterable[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """For SVG charts and Atom feeds: ordinary HTML/XML autoescaping."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = lambda d: d.human() if d else ""
    return env


class Renderer:
    """Renders every page of the site from the derived context."""

    def __init__(self, derived: Derived, env: jinja2.Environment, markup_env: jinja2.Environment | None = None,
                 base_url: str = "", publisher: Publisher | None = None):
        self.d = derived
        self.publisher = publisher
        self.data = derived.data
        self.env = env
        self.markup_env = markup_env
        self.base_url = base_url
        self.charts: dict[str, dict[str, str]] = {}
        """Page path -> chart id -> SVG, placed into the page after sanitising (SVG is outside the HTML allowlist)."""

    # -- helpers exposed to templates -------------------------------------------------
    def _helpers(self, current: str) -> dict[str, Any]:
        def link(target: Any, text: Any = None, anchor: str | None = None, chapter: str | None = None) -> Markup:
            """A link to a page; `chapter`: to that chapter of a review (`review_pages`), not its overview."""
            path = target if isinstance(target, str) else chapter_path(target, chapter) if chapter else page_path(target)
            rel = relative_link(path, current)
            label = text if text is not None else getattr(target, "name", None) or getattr(target, "title", None) or path
            return Markup(f"[{md_escape(label)}]({rel}{'#' + anchor if anchor else ''})")

        def url(target: Any, anchor: str | None = None, chapter: str | None = None) -> Markup:
            path = target if isinstance(target, str) else chapter_path(target, chapter) if chapter else page_path(target)
            rel = relative_link(path, current)
            return Markup(rel + ("#" + anchor if anchor else ""))

        def grade(programme: m.Programme | None, ev: m.Evaluation | None, insp: m.Inspection | None = None) -> Markup:
            """A grade always reads as its word and number; the class only adds colour. Without a grade, the
            state in plain words (`derive.STATE_WORDS`): not evaluated, evaluated but not published, published
            in a report this site does not hold, not recorded (or known only in the totals)."""
            state = missing_state(ev)
            if state == GRADED and ev is not None:
                level = self.d.level(programme, ev.grade)
                label = level.label if level else "Unknown"
                return Markup(f'<span class="rs-grade rs-grade-{ev.grade}">{md_escape(label)} ({ev.grade})</span>')
            if state == NOT_RECORDED and insp is not None and self.d.totals_only(insp):
                return Markup("Known only as part of the totals")
            return md_escape(STATE_WORDS[state])

        def original_of(insp: m.Inspection, ev: m.Evaluation) -> Markup:
            """For a grade published in a report this site does not hold: a link to it, or that its address is unknown."""
            address = ev.original_url or insp.url
            if address:
                return Markup(f"[The original report]({address})")  # checked by validate: no spaces, quotes or brackets
            return Markup("The original report (address not known)")

        def grade_level(level: m.ScaleLevel) -> Markup:
            return Markup(f'<span class="rs-grade rs-grade-{level.value}">{md_escape(level.label)} ({level.value})</span>')

        def item_anchor(anchor: str) -> Markup:
            """An empty element with the id theme pages link to (`finding-2`); ids are made by templates, never data."""
            if not re.fullmatch(r"[a-z0-9-]+", anchor):
                raise ValueError(f"not an anchor: {anchor!r}")
            return Markup(f'<span id="{anchor}" class="rs-anchor"></span>')

        def partnership_name(pid: str | None) -> str:
            p = self.data.partnerships.get(pid or "")
            return p.name if p else (pid or "")

        def kind_name(pub: m.Publication) -> str:
            return KIND_NAME[type(pub)]

        def publication(pid: str) -> Any:
            return self.data.publications.get(pid) or self.data.documents.get(pid)

        def cite(pid: str | None) -> Markup:
            """A link to a publication we publish, or the title of a cited document."""
            if not pid:
                return Markup("")
            pub = self.data.publications.get(pid)
            if pub is not None and (pub.status == "published" or pub in self.d.publications):
                return link(pub)
            doc = self.data.documents.get(pid)
            return md_escape(doc.title if doc else pid)

        def chart(name: str, caption: str, **context: Any) -> Markup:
            """Render an SVG chart and return a placeholder for it (the plugin puts the SVG in place)."""
            if self.markup_env is None:
                return Markup("")
            page_charts = self.charts.setdefault(current, {})
            chart_id = f"rs-chart-{len(page_charts) + 1}"
            svg = self.markup_env.get_template(f"{TEMPLATE_SUBDIR}/charts/{name}.svg.j2").render(
                chart_id=chart_id, caption=caption, grade_of=lambda p, ev: self.d.level(p, ev.grade if ev else None),
                level_of=self.d.level, counts_of=self.d.grade_counts, totals_only=self.d.totals_only,
                scale_groups=self.d.scale_groups, scale_name=scale_name,
                state_words=lambda ev, insp=None: (
                    "Known only as part of the totals" if insp is not None and ev is None and self.d.totals_only(insp)
                    else STATE_WORDS[missing_state(ev)]),
                short_state=lambda ev, insp=None: (
                    "In totals only" if insp is not None and ev is None and self.d.totals_only(insp)
                    else SHORT_STATE_WORDS[missing_state(ev)]),
                **context,
            )
            page_charts[chart_id] = svg
            return Markup(f'<div class="rs-chart" id="{chart_id}"></div>')

        def cite_short(pid: str | None) -> Markup:
            """A short link to a publication: its kind and date rather than its long title."""
            pub = self.data.publications.get(pid or "")
            if pub is None or pub not in self.d.publications:
                return cite(pid)
            label = f"{KIND_NAME[type(pub)]}, {pub.date.human()}" if pub.date else KIND_NAME[type(pub)]
            return link(pub, label)

        def organisation_name(oid: str) -> str:
            """An organisation by name; one that has ended says until when and which bodies its work passed to."""
            org = self.data.organisations.get(oid)
            if org is None:
                return oid
            extra = [f"until {org.ended.human()}"] if org.ended else []
            names = [self.data.organisations[s].name for s in org.successors if s in self.data.organisations]
            if names:
                extra.append("its work passed to " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]))
            return org.name + (f" ({'; '.join(extra)})" if extra else "")

        def say(statement: facts.Statement) -> Markup:
            """A statement (generator/derive/facts.py) on a page: its words escaped, each record it names as a link
            where the site has a page for it."""
            out = []
            for literal, name, _spec, _conv in string.Formatter().parse(facts.SENTENCES[statement.key].pattern):
                out.append(md_escape(literal))
                if name is None:
                    continue
                value = statement.slots[name]
                if isinstance(value, facts.Ref) and value.kind == "publication":
                    out.append(cite(value.id))
                elif isinstance(value, facts.Ref) and value.kind == "organisation" and value.id in self.data.organisations:
                    out.append(md_escape(organisation_name(value.id)))
                elif isinstance(value, facts.Ref) and value.kind == "address":
                    # an address from the data, checked by validate (no spaces, quotes or brackets)
                    out.append(Markup(f"[{md_escape(value.name)}]({value.id})"))
                else:
                    out.append(md_escape(value.name if isinstance(value, facts.Ref) else value))
            return Markup("").join(out)

        data = self.data
        return {
            "say": say, "organisation_name": organisation_name,
            "holding": lambda pub: facts.holding(data, pub),
            "publisher_of": lambda pub: facts.publisher(data, pub),
            "grade_source": lambda insp, ev: facts.grade_source(data, insp, ev),
            "totals_source": lambda insp: facts.totals_source(data, insp),
            "source_words": lambda src, own=None: say(src.statement(data, own)),
            "period": facts.period,
            "published_words": lambda pub: facts.published(data, pub),
            "holdings": lambda programme: facts.holdings(data, self.d.publications, programme),
            "programme_reports": lambda programme: facts.programme_reports(self.d.publications, programme),
            "coverage": lambda programme: facts.coverage(data, programme),
            "statement": lambda key, slots=None: facts.Statement(key, slots or {}),
            "plural": facts.plural,
            "original": lambda pub: (facts.Statement("original.at", {"address": facts.Ref("address", pub.url, pub.url)})
                                     if pub.url else facts.Statement("original.unknown")),
            "area_elsewhere": lambda org: facts.Statement("holdings.area-elsewhere", {"list": facts.Ref(
                "address", org.reports_url, f"the {org.name}'s list of joint inspection reports")}),
            "claim_words": lambda check: facts.claim(data, check),
            "change_words": facts.change,
            "cite_short": cite_short, "chart": chart,
            "data_url": lambda pub, suffix: url(data_path(pub, suffix)),
            "link": link, "url": url, "grade": grade, "original_of": original_of, "missing_state": missing_state,
            "grade_level": grade_level, "partnership_name": partnership_name,
            "kind_name": kind_name, "publication": publication, "cite": cite, "item_anchor": item_anchor,
            # a site address in full where the site's address is known (`site_url`), else as a path in the site
            "address": lambda path: (self.base_url.rstrip("/") + "/" if self.base_url else "") + path,
            "page": current, "site": self.d, "data": self.data, "pages": INDEX_PAGES,
            "is_inspection": lambda x: isinstance(x, m.Inspection),
            "no_exact_day": no_exact_day,
            # feeds' paths, from derive/paths.py like every other path
            "all_feed": ALL_PUBLICATIONS_FEED, "partnership_feed": partnership_feed,
            "is_review": lambda x: isinstance(x, m.Review),
            "is_response": lambda x: isinstance(x, m.Response),
            "is_letter": lambda x: isinstance(x, m.Letter),
            "review_table": lambda review: review_evaluations(self.data, review),
            "review_chapters": self.d.chapters,
            "item_chapter": item_chapter, "question_chapter": question_chapter,
            "question_has_content": question_has_content,
            "narrative": lambda pub_id: self.data.narratives.get(pub_id),
            "publisher": self.publisher,
            "Markup": Markup,
            # the verdict (generator/derive/verdict.py): latest inspection, grades with their meaning
            "partnership_verdict": lambda pid: verdict.partnership_verdict(self.d, pid),
            "inspection_verdict": lambda insp: verdict.inspection_verdict(self.d, insp),
            "grade_range": verdict.grade_range,
            "reports_list": lambda pub: verdict.reports_list(self.d, pub),
        }

    def render(self, spec: PageSpec) -> str:
        try:
            template = self.env.get_template(f"{TEMPLATE_SUBDIR}/{spec.template}")
            return template.render(**self._helpers(spec.path), **spec.context)
        except Exception as exc:  # noqa: BLE001 - any failure in a template is reported, never a traceback
            raise TemplateRenderError(describe_template_error(exc, spec.path)) from None

    def render_fragment(self, template: str, current: str, **context: Any) -> str:
        return self.env.get_template(f"{TEMPLATE_SUBDIR}/{template}").render(**self._helpers(current), **context)

    # -- the pages ----------------------------------------------------------------
    def pages(self) -> list[PageSpec]:
        return page_specs(self.d)


def render_pages(renderer: Renderer, workers: int = 1) -> dict[str, tuple[PageSpec, str]]:
    """Every generated page: docs path -> (spec, Markdown), in `workers` forked processes when there
    are more than 1. A page depends only on the derived context, so the result is the serial one;
    a page a worker could not render is rendered here, and its template error reported as usual."""
    specs = renderer.pages()
    done: dict[int, tuple[str, dict[str, str]]] = {}
    if workers > 1 and len(specs) >= 2 * workers and can_fork():
        done, _failures = fork_map(lambda spec: (renderer.render(spec), renderer.charts.get(spec.path, {})), specs, workers)
    pages = {}
    for index, spec in enumerate(specs):
        if index in done:
            markdown, charts = done[index]
            if charts:
                renderer.charts[spec.path] = charts
        else:
            markdown = renderer.render(spec)
        pages[spec.path] = (spec, markdown)
    return pages


HOME_MARKER = "<!-- report-site: home -->"
"""Where in content/index.md the home page's generated part (the area finder first) goes."""


def place_home_fragment(markdown: str, fragment: str) -> str:
    """The home page: the editor's Markdown with the generated part at HOME_MARKER, or after it all."""
    before, marker, after = markdown.partition(HOME_MARKER)
    if not marker:
        return markdown + "\n\n" + fragment
    return before + "\n\n" + fragment + "\n\n" + after


def render_site(derived: Derived, env: jinja2.Environment) -> dict[str, tuple[PageSpec, str]]:
    """Render every generated page: docs path -> (spec, Markdown)."""
    renderer = Renderer(derived, env)
    return {spec.path: (spec, renderer.render(spec)) for spec in renderer.pages()}


def entry_updated(pub: m.Publication, built: dt.date) -> dt.date:
    """An Atom entry's `updated`: the latest day the sources give for it or a correction. Atom needs a day: where the
    sources give none (no date, or one known only to the month or year, or approximately), it is the day the feed
    was built (`built`), and the entry says so (`feeds/atom.xml.j2`); no day is made up and no first of January
    presented as a date."""
    days = exact_days(pub)
    return max(days) if days else built


#: the style sheet a browser shows a feed with (a person who opens one sees a page, not XML), named by each feed
#: with an address relative to it, so the feeds work under any site_url; copied from the templates' `feeds/`
FEED_STYLESHEET = "feeds/feed.css"


def build_time() -> dt.datetime:
    """When this build happens, in UTC: `SOURCE_DATE_EPOCH` where it is set (a reproducible build), as MkDocs' own
    build date (the footer's) reads it, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def render_feeds(derived: Derived, env: jinja2.Environment, base_url: str, publisher: Publisher | None = None,
                 built: dt.datetime | None = None) -> dict[str, str]:
    """Atom feeds: all publications, and one for every partnership, from the start, and the style sheet that shows a
    feed to a person as a page (`FEED_STYLESHEET`). Site path -> text. Entries come
    in the one order (`derive.publication_sort_key`, newest first); a publication with no date (and no correction)
    cannot be placed in a feed, and the feed's subtitle says how many are left out and where they are listed.

    A feed's `updated` is its newest entry's day. A feed with no entry has no such day, and Atom requires one: it
    gets the day the feed was built (`built`, by default `build_time()`; the day only, as the footer prints it, so two
    builds of the same data on one day write the same feeds), never a made-up publication date, and its subtitle says
    that this is when it was last built and that nothing is published about it yet."""
    base = base_url.rstrip("/") + "/"
    template = env.get_template(f"{TEMPLATE_SUBDIR}/feeds/atom.xml.j2")
    built = (built or build_time()).astimezone(dt.UTC).replace(microsecond=0)

    def feed(path: str, title: str, about: str, pubs: list[m.Publication], page: str) -> str:
        entries = pubs
        built_day = built.date()
        undated = len(no_exact_day(pubs))
        updated = f"{max(entry_updated(p, built_day) for p in entries).isoformat()}T00:00:00Z" if entries else built.strftime("%Y-%m-%dT00:00:00Z")
        return template.render(
            feed_url=base + path, page_url=base + page, title=title, about=about, entries=entries, base=base,
            page_url_of=page_url, publisher=publisher, listed=len(pubs), no_exact_day=undated,
            no_exact_day_text=facts.Statement("feed.no-exact-day", {
                **facts.plural(undated), "built": f"{built.day} {built:%B %Y}"}).text,
            entry_no_day_text=facts.Statement("feed.entry-no-exact-day").text,
            stylesheet=PurePosixPath(FEED_STYLESHEET).relative_to(PurePosixPath(path).parent).as_posix(),
            updates_url=base + page_address(INDEX_PAGES["updates"]).removeprefix("/"),
            updated=updated, built=f"{built.day} {built:%B %Y}", entry_updated=lambda p: entry_updated(p, built_day),
            exact_days=exact_days, published_text=lambda p: facts.published(derived.data, p).text,
            holding_text=lambda p: facts.holding(derived.data, p).text,
            kind_name=lambda p: KIND_NAME[type(p)],
            partnership_name=lambda pid: derived.data.partnerships[pid].name if pid in derived.data.partnerships else "",
        )

    assert env.loader is not None
    feeds = {FEED_STYLESHEET: env.loader.get_source(env, f"{TEMPLATE_SUBDIR}/{FEED_STYLESHEET}")[0]}
    feeds[ALL_PUBLICATIONS_FEED] = feed(ALL_PUBLICATIONS_FEED, "All publications", "", derived.publications,
                                         page_address(INDEX_PAGES["publications"]).removeprefix("/"))
    for pid, partnership in sorted(derived.data.partnerships.items()):
        feeds[partnership_feed(pid)] = feed(partnership_feed(pid), f"Publications about {partnership.name}", partnership.name,
                                            derived.by_partnership.get(pid, []),
                                            page_address(page_path(partnership)).removeprefix("/"))
    return feeds


