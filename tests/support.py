"""Helpers shared by test modules (a test module never imports another: what two need is here; conftest.py holds
the fixtures)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import html.parser
import http.server
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.derive.site import check_site
from generator.output.search_bundles import build_index

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def copy_tiny(dest: Path) -> Path:
    shutil.copytree(TINY, dest)
    config = (dest / "mkdocs.yml").read_text()
    overrides = (ROOT / "overrides").as_posix()
    (dest / "mkdocs.yml").write_text(config.replace("../../../overrides", overrides))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `cwd`, run in this process: the command line's own `main`, its output and exit
    status captured as a subprocess's would be (tests/test_check.py runs the real command once)."""
    from generator.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: a usage error (2), or --help (0)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess([sys.executable, "-m", "generator", *args], code, out.getvalue(), err.getvalue())


def run_check(project: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("check", str(project))


def mkdocs_build(project: Path, site_dir: Path, *extra: str, strict: bool = True) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(mkdocs), "build", *(["--strict"] if strict else []), "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *extra],
        capture_output=True, text=True, env=env, timeout=300,
    )


LOCAL_HOST = "127.0.0.1"
#: Debian's chromium (`sh .ci/setup --browser`), driven by Playwright; its own browser download is not used
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site under `prefix`, and answers a missing page with 404.html, as a host would."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix != "/" and (path + "/").startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve_site(site: Path, prefix: str = "/") -> Iterator[str]:
    """http://127.0.0.1:PORT{prefix} serving `site` from a background thread (a free port)."""
    handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def is_local(url: str) -> bool:
    """True for requests to the test server, and for URLs that go to no host at all (data:, blob:)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL_HOST


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """Debian's Chromium through Playwright (one at a time: Playwright's sync API allows no more)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def tree(site: Path) -> dict[str, str]:
    """Every file of a folder -> a hash of its bytes."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def tree_bytes(site: Path) -> dict[str, bytes]:
    """Every file of a folder -> its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


#: a long page's contents list for phones and its way back (overrides/partials/rs-contents.html): navigation, as the
#: sidebar's table of contents is, so not part of the page's own text
CONTENTS_NAV = re.compile(r'<nav class="rs-contents".*?</nav>|<p class="rs-contents-back">.*?</p>', re.S)


def text_of(page: Path) -> str:
    """The article's visible text, whitespace folded (what a reader sees), without the contents list for phones."""
    source = page.read_text()
    article = CONTENTS_NAV.sub("", source[source.index("<article"):source.index("</article>")])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def fake_pagefind(folder: Path, body: str) -> dict[str, str]:
    """An environment in which `import pagefind_bin` finds a stand-in whose get_executable() runs `body`."""
    package = folder / "fake" / "pagefind_bin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(body)
    return {**os.environ, "PYTHONPATH": str(folder / "fake"), "NO_MKDOCS_2_WARNING": "1"}


def _fill_in_sorted_order(src: Path, dest: Path) -> None:
    entries = sorted(p for p in src.iterdir() if p.name != "pagefind" and (p.is_dir() or p.suffix == ".html"))
    for path in reversed(entries):  # tmpfs lists a folder's newest entry first
        if path.is_dir():
            (dest / path.name).mkdir()
        else:
            shutil.copyfile(path, dest / path.name)
    for path in entries:
        if path.is_dir():
            _fill_in_sorted_order(path, dest / path.name)


def _lists_in_sorted_order(folder: Path) -> bool:
    return all([p.name for p in d.iterdir()] == sorted(p.name for p in d.iterdir()) for d in [folder, *folder.rglob("*")] if d.is_dir())


@contextlib.contextmanager
def sorted_listing_copy(site: Path) -> Iterator[Path]:
    """The built site's pages copied where every folder lists its entries sorted by name.

    Pagefind's command line numbers the pages in the order the filesystem lists them (unsorted: on ext4 by a hash
    of the names); the search pages are made so that tmpfs lists them in path order. Over a copy that lists in
    sorted order the two must be the same, byte for byte. tmpfs (/dev/shm) lists newest first."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm: cannot make a copy of the site that lists its folders in sorted order")
    work = Path(tempfile.mkdtemp(prefix="sorted-", dir=shm))
    try:
        _fill_in_sorted_order(site, work)
        if not _lists_in_sorted_order(work):
            pytest.skip(f"{shm} does not list the newest entry first: cannot give Pagefind's command line the sorted order")
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cli_index_of(site: Path) -> dict[str, bytes]:
    """The bundle Pagefind's command line (pagefind.build_index) writes over the built `site`'s pages, read in sorted order."""
    with sorted_listing_copy(site) as copy:
        build_index(copy)
        return tree_bytes(copy / "pagefind")


def index_of(site: Path) -> dict[str, bytes]:
    """The search index a build published, without its compressed copies."""
    return {k: v for k, v in tree_bytes(site / "pagefind").items() if not k.endswith((".gz", ".br"))}


# --- the editors' guide, read as an editor would ---------------------------------------------------------------
GUIDE = (ROOT / "EDITORS-GUIDE.md").read_text()


def section(title: str) -> str:
    """The guide's `## title` section, up to the next `## ` heading outside code blocks."""
    lines = GUIDE.splitlines(keepends=True)
    start = lines.index(f"## {title}\n")
    fenced = False
    for end in range(start + 1, len(lines)):
        if lines[end].lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and lines[end].startswith("## "):
            return "".join(lines[start:end])
    return "".join(lines[start:])


def run_generator(line: str, project: Path, ids: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a `.venv/bin/python -m generator ...` line from the guide in `project` (as an editor would, in the folder).
    `ids` swaps the guide's real-site ids for a project's own (TINY_IDS for the tiny project); a real-site copy
    runs the line as written."""
    for real, own in (ids or {}).items():
        line = line.replace(real, own)
    words = shlex.split(line)
    assert words[:3] == [".venv/bin/python", "-m", "generator"], line
    return run_cli(*words[3:], cwd=project)


def real_copy(dest: Path) -> Path:
    for name in ("site-data", "content"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def steps(text: str) -> list[tuple[str, str]]:
    """('sh' or 'yaml', block) in the order the section gives them."""
    return re.findall(r"```(sh|yaml)\n(.*?)```", text, re.S)


# --- axe-core in Chromium ------------------------------------------------------------------------------------------
# One page of every page type, as a reader reaches it.
PAGE_TYPES = {
    "home": "",
    "partnerships A-Z": "partnerships/",
    "partnership": "partnerships/north-lanarkshire/",
    "inspection report": "inspections/north-lanarkshire-2023/",
    "review": "reviews/review-2018-2020/",
    "review chapter": "reviews/review-2018-2020/question-1/",
    "response": "responses/south-lanarkshire-response-2020/",
    "letter": "letters/clackmannanshire-self-evaluation-2021/",
    "programmes index": "programmes/",
    "programme": "programmes/care-and-protection-2018-2020/",
    "themes index": "themes/",
    "theme": "themes/childrens-rights/",
    "glossary": "glossary/",
    "evaluation scale": "evaluation-scale/",
    "frameworks index": "frameworks/",
    "framework": "frameworks/care-and-protection-2019/",
    "publications": "publications/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "open data": "open-data/",  # checked when the site has it
    "search": "search/",  # the search page open, before any search (with results: test_search_with_results)
    "404": "no-such-page/",  # the server answers 404 with the site's 404.html
}


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def site_path() -> str:
    """The path part of `site_url` in mkdocs.yml ("/inspections/"): the site is served under it."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def start_axe(page) -> None:
    """Inject axe-core and start it; the run goes on in the page while Python moves on."""
    from axe_playwright_python.sync_playwright import Axe  # in CI a missing axe fails the test, never skips it

    page.evaluate(Axe().axe_script)
    page.evaluate("options => { window.__rsAxe = axe.run(document, options).then(r => r.violations); }", AXE_OPTIONS)


def axe_result(page) -> list[dict]:
    return page.evaluate("() => window.__rsAxe")


def describe_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe-core found {len(violations)} kind(s) of violation on {where}:"]
    for v in violations:
        tags = ", ".join(t for t in v["tags"] if t.startswith("wcag") or t == "best-practice")
        lines.append(f"\n* {v['id']} ({v['impact']}; {tags}): {v['help']}\n  {v['helpUrl']}")
        for node in v["nodes"][:8]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            snippet = re.sub(r"\s+", " ", node["html"])[:200]
            lines.append(f"    {snippet}")
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            if summary:
                lines.append(f"    {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"  ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# --- hostile input: a case applied to a copy of the tiny project ---------------------------------------------------
NARRATIVE = "content/narrative/inspections/fife-2023.md"


INSPECTION = "site-data/inspections/fife-2023.yaml"


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    apply: Callable[[Path], None]
    where: str | None
    """The file the error must name; None: accepted (no error)."""
    line: int | None = None
    words: str = ""
    """Words the message must contain."""

    @property
    def id(self) -> str:
        return f"{self.group}:{self.name}"


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return apply


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / rel, old, new)


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target if target.startswith("/") else project / target)
    return apply


def project_for(case: Case, dest: Path) -> Path:
    project = copy_tiny(dest)
    case.apply(project)
    return project


def assert_case(case: Case, project: Path) -> None:
    """`case` applied to `project` is refused with its file, line and words, or accepted harmlessly."""
    _data, derived, problems = check_site(project)
    errors = problems.errors
    if case.where is None:
        assert not errors, [str(p) for p in errors]
        assert derived is not None
        return
    assert derived is None, f"{case.id} was not refused"
    matching = [p for p in errors if p.at.path == case.where and (case.line is None or p.at.line == case.line)]
    assert matching, f"no error at {case.where}:{case.line}: {[str(p)[:300] for p in errors]}"
    if case.words:
        assert any(case.words in p.message for p in matching), [str(p)[:300] for p in matching]
    assert all(len(p.message) < 1000 for p in errors), "a message repeats the whole input"


def refused_build(case: Case, source: Path, before: dict[str, str], tmp_path: Path) -> str:
    """Build a copy of a good project with `case` applied: it must fail, name the place, never show a traceback
    and leave the site as it was. Returns the build's messages."""
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    case.apply(project)
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert case.where is not None and case.where in result.stderr
    assert tree(project / "site") == before
    return result.stderr


# --- active content in a page --------------------------------------------------------------------------------------
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "xlink:href", "srcdoc"}


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


DANGEROUS_TAGS = {"iframe", "object", "embed", "form", "base", "svg", "math", "input", "textarea", "select", "button", "video", "audio", "isindex", "keygen", "marquee"}


class ActiveContent(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False
        self.in_article = False  # the theme's own chrome has a search form and icons; content must not
        self.search_depth = 0  # inside the search page's own form (a theme template; sanitised content keeps no data-* attribute)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article = True
        our_chart = tag == "svg" and dict(attrs).get("class") == "rs-svg"  # the site's own charts; scripts and on* are still checked
        if self.search_depth or (tag == "div" and "data-rs-search" in dict(attrs)):
            self.search_depth += tag not in VOID_TAGS
        if tag in DANGEROUS_TAGS and self.in_article and not our_chart and not self.search_depth:
            self.found.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if src and not (src.startswith("../") or src.startswith("assets/") or "/assets/" in src or src.startswith("search/")):
                self.found.append(f"<script src={src}>")
            self.in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and value and ("javascript" in value.lower() or "expression(" in value.lower()):
                self.found.append(f"<{tag} style={value}>")
            if name == "http-equiv" and value and value.lower() == "refresh":
                self.found.append("<meta refresh>")

    def handle_endtag(self, tag: str) -> None:
        if self.search_depth and tag not in VOID_TAGS:
            self.search_depth -= 1
        if tag == "article":
            self.in_article = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append("inline script with alert(")
