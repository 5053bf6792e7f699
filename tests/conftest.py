"""Shared fixtures: a tiny valid project copied into a temp folder for each test that changes it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def copy_tiny(dest: Path) -> Path:
    shutil.copytree(TINY, dest)
    config = (dest / "mkdocs.yml").read_text()
    overrides = (ROOT / "overrides").as_posix()
    (dest / "mkdocs.yml").write_text(config.replace("../../../overrides", overrides))
    return dest


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/tiny (a small, valid project)."""
    return copy_tiny(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def run_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", str(project)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


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


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for every browser test of the session (Playwright's sync API allows one at a time, so no module
    starts its own)."""
    with launch_chromium() as chromium:
        yield chromium
