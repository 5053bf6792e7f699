"""`mkdocs serve`: editing site-data/ or content/ rebuilds the page; drafts show with a banner."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .support import copy_tiny, edit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear at {url} within {timeout}s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = copy_tiny(tmp_path / "project")
    draft = "title: A draft report\npartnership: na-h-eileanan-siar\nprogramme: risk-2021\nstatus: draft\nnot_stated: [publisher]\n"
    (project / "site-data/inspections/na-h-eileanan-siar-2025.yaml").write_text(draft)
    port = free_port()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    proc = subprocess.Popen(
        [str(mkdocs), "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/partnerships/fife/", "Fife")
        yield project, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_yaml_and_narrative_edits_rebuild(served: tuple[Path, str]) -> None:
    project, base = served
    edit(project / "site-data/partnerships/fife.yaml", "Total population: 370,000 people", "Total population: 371,234 people")
    wait_for(f"{base}/partnerships/fife/", "371,234")
    edit(project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a kingdom.")
    wait_for(f"{base}/inspections/fife-2023/", "Fife is a kingdom.")


def test_drafts_show_in_serve_with_banner(served: tuple[Path, str]) -> None:
    _project, base = served
    page = wait_for(f"{base}/inspections/na-h-eileanan-siar-2025/", "A draft report")
    assert "Draft: this page is not published" in page


def test_templates_are_compiled_once_and_again_when_edited(tmp_path: Path) -> None:
    """Serve rebuilds reuse compiled templates (ours and the theme's); an edited template takes effect."""
    from generator.render.render import MemoryBytecodeCache, make_environment

    class Counting(MemoryBytecodeCache):
        compiles = 0

        def dump_bytecode(self, bucket) -> None:  # called only after compiling
            Counting.compiles += 1
            super().dump_bytecode(bucket)

    cache = Counting()
    (tmp_path / "page.md.j2").write_text("one {{ x }}")
    assert make_environment([tmp_path], cache).get_template("page.md.j2").render(x="a") == "one a"
    env = make_environment([tmp_path], cache)  # a rebuild: a new environment, the same cache
    assert env.get_template("page.md.j2").render(x="b") == "one b"
    assert Counting.compiles == 1, "an unchanged template was compiled again"
    (tmp_path / "page.md.j2").write_text("two {{ x }}")
    assert make_environment([tmp_path], cache).get_template("page.md.j2").render(x="c") == "two c"
    assert Counting.compiles == 2


def test_search_index_follows_each_rebuild(served: tuple[Path, str]) -> None:
    """Serve builds the index after the pages, in the background; edits in quick succession (each may stop
    the index of the one before) leave the index of the last. The index is reproducible, so an edit undone
    gives back the first index byte for byte."""
    project, base = served
    bundle = re.search(r'data-rs-bundle="([^"]+)"', wait_for(f"{base}/partnerships/fife/", "data-rs-bundle"))
    assert bundle, "Fife's page names no search bundle"
    entry_url = f"{base}/pagefind/{bundle.group(1)}/pagefind-entry.json"  # the bundle that holds Fife's page
    first = wait_for(entry_url, '"languages"')
    data = project / "site-data/partnerships/fife.yaml"
    edit(data, "Total population: 370,000 people", "Total population: 373,456 people")
    wait_for(f"{base}/partnerships/fife/", "373,456")
    changed = wait_until(lambda: (e := fetch(entry_url)) and '"languages"' in e and e != first and e)
    assert changed, "the index was not rebuilt after the edit"
    for population in ("372,001", "372,002"):
        edit(data, "Total population: 373,456 people" if population == "372,001" else "Total population: 372,001 people",
             f"Total population: {population} people")
        time.sleep(0.2)
    edit(data, "Total population: 372,002 people", "Total population: 370,000 people")
    wait_for(f"{base}/partnerships/fife/", "370,000")
    assert wait_until(lambda: fetch(entry_url) == first), "after the edits were undone the index is not the first one"


def wait_until(check: Callable[[], object], timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.3)
    return None
