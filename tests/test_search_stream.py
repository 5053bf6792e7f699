"""The search index built beside the pages (generator/output/search_stream.py): the same index as Pagefind's command
line over the finished site, file by file; the pages it is given; and every way the indexer can fail (missing,
crashing, answering an error, not answering) stops the build with the reason, publishes nothing and leaves no
process behind.

The real site's comparison with the command line is in tests/test_real_site.py (it has the built site)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.output.pagefind import SearchIndexError, build_index
from generator.output.search_stream import StreamingIndex, page_url, walk_order

from .conftest import copy_tiny, mkdocs_build
from .test_search import fake_pagefind, tree


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
    of the names), the index built beside the pages in sorted order (search_stream.walk_order). Over a copy that
    lists in sorted order the two must be the same, byte for byte. tmpfs (/dev/shm) lists newest first."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm: cannot make a copy of the site that lists its folders in sorted order")
    work = Path(tempfile.mkdtemp(prefix="i15-sorted-", dir=shm))
    try:
        _fill_in_sorted_order(site, work)
        if not _lists_in_sorted_order(work):
            pytest.skip(f"{shm} does not list the newest entry first: cannot give Pagefind's command line the sorted order")
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cli_index_of(site: Path) -> dict[str, bytes]:
    """The bundle Pagefind's command line (search.build_index) writes over the built `site`'s pages, read in sorted order."""
    with sorted_listing_copy(site) as copy:
        build_index(copy)
        return tree(copy / "pagefind")


def streamed_index_of(site: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(site / "pagefind").items() if not k.endswith((".gz", ".br"))}


def in_path_order(project: Path) -> Path:
    """The project set to give Pagefind each page as it is written (`search_order: path`; the default is the
    command line over the finished site)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - report-site:\n", "  - report-site:\n      search_order: path\n", 1))
    assert "search_order: path" in config.read_text()
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = in_path_order(copy_tiny(tmp_path_factory.mktemp("stream") / "project"))
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site", result.stderr


def test_the_index_built_beside_the_pages_is_the_command_line_s(built: tuple[Path, str]) -> None:
    site, log = built
    assert re.search(r"search: \d+ pages indexed beside the pages; the index was ready [\d.]+ s after the last page, "
                     r"the pages waited [\d.]+ s for it \(Pagefind [\d.]+ CPU s, peak \d+ MiB; after the last page: [\d.]+ s until it had "
                     r"parsed every page, [\d.]+ s for it to build and write the index, [\d.]+ s stabilising it\)", log), log
    streamed, cli = streamed_index_of(site), cli_index_of(site)
    assert sorted(streamed) == sorted(cli)
    assert [name for name in cli if streamed[name] != cli[name]] == []
    assert len([n for n in cli if n.startswith("fragment/")]) > 5


def test_the_log_counts_the_pages_given_and_the_index_holds_them(built: tuple[Path, str]) -> None:
    """Pages given = pages MkDocs wrote with a data-pagefind-body (the command line keeps those and no others)."""
    site, log = built
    given = int(re.search(r"search: (\d+) pages indexed beside", log).group(1))  # type: ignore[union-attr]
    marked = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert given == len(marked) == len(list((site / "pagefind/fragment").iterdir()))
    unmarked = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {p.relative_to(site).as_posix() for p in marked}
    assert {"index.html", "search/index.html", "404.html", "partnerships/index.html"} <= unmarked, unmarked


@pytest.mark.parametrize("write_in_service", [True, False])
def test_pagefind_s_files_are_whole_however_they_are_written(built: tuple[Path, str], tmp_path: Path, write_in_service: bool) -> None:
    """Written by Pagefind (WriteFiles, then waiting until it has no file open in the bundle) or sent back and written
    here (GetFiles, where /proc cannot tell): the same bundle as the build's, fed the built pages in any order."""
    site, _log = built
    pages = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html") if "pagefind" not in p.parts}
    (tmp_path / "site").mkdir()
    stream = StreamingIndex(tmp_path / "site", sorted(pages), write_in_service=write_in_service)
    for path in sorted(pages, reverse=True):
        stream.add(path, pages[path])
    report = stream.finish()
    assert report.pages == len(pages) and report.cpu_s is not None and report.cpu_s > 0
    assert tree(tmp_path / "site/pagefind") == streamed_index_of(site)


def test_pages_take_the_command_line_s_order() -> None:
    pages = ["themes/index.html", "a-b/index.html", "a/index.html", "index.html", "a/b/index.html", "about/index.html", "a/z.html"]
    assert walk_order(pages) == ["a/b/index.html", "a/index.html", "a/z.html", "a-b/index.html", "about/index.html",
                                 "index.html", "themes/index.html"]
    assert [page_url(p) for p in ("index.html", "a/index.html", "a/z.html", "a/xindex.html")] == ["/", "/a/", "/a/z.html", "/a/xindex.html"]


def test_a_dirty_build_indexes_every_page_over_the_site(tmp_path: Path) -> None:
    """`--dirty` writes only changed pages: the index is then built over the whole site, as before."""
    project = in_path_order(copy_tiny(tmp_path / "project"))
    site = project / "site"
    assert mkdocs_build(project, site).returncode == 0
    first = streamed_index_of(site)
    result = mkdocs_build(project, site, "--dirty", strict=False)  # MkDocs warns that a dirty build is for development
    assert result.returncode == 0, result.stderr
    assert "pages indexed in" in result.stderr and "beside the pages" not in result.stderr
    again = streamed_index_of(site)  # the same pages (numbered in the order the filesystem lists them, see above)
    assert {k: v for k, v in again.items() if k.startswith("fragment/")} == {k: v for k, v in first.items() if k.startswith("fragment/")}
    assert len([k for k in again if k.startswith("fragment/")]) > 5


# --- failures ------------------------------------------------------------------------------------

FAKE_SERVICE = """\
import base64, json, sys, time
mode = sys.argv[1]
answers = {"NewIndex": {"index_id": 0}, "AddRecord": {"page_word_count": 0, "page_url": "/", "page_meta": {}},
           "AddFile": {"page_word_count": 1, "page_url": "/", "page_meta": {}}, "GetFiles": {"files": []},
           "WriteFiles": {"output_path": "/nowhere"}}
buffer, files = b"", 0
while True:
    chunk = sys.stdin.buffer.read1(65536)
    if not chunk:
        if mode == "linger":
            time.sleep(600)
        sys.exit(0)
    buffer += chunk
    while b"," in buffer:
        message, _, buffer = buffer.partition(b",")
        request = json.loads(base64.b64decode(message))
        kind = request["payload"]["type"]
        files += kind == "AddFile"
        if files == 2 and mode == "crash":
            sys.stderr.write("thread 'main' panicked at pagefind/src/fossick/mod.rs\\n")
            sys.exit(101)
        if files == 2 and mode == "hang":
            time.sleep(600)
        payload = {"type": kind, **answers[kind]}
        if files == 2 and mode == "error":
            payload = {"type": "Error", "message": "Failed to parse file", "original_message": None}
        sys.stdout.buffer.write(base64.b64encode(json.dumps({"message_id": request["message_id"], "payload": payload}).encode()) + b",")
        sys.stdout.buffer.flush()
"""


def fake_service(folder: Path, mode: str) -> Path:
    script = folder / f"pagefind-{mode}"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} {folder / 'fake_service.py'} {mode}\n")
    (folder / "fake_service.py").write_text(FAKE_SERVICE)
    script.chmod(0o755)
    return script


def children(name: str) -> list[int]:
    """This process's children whose command line names `name`."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if name in Path(f"/proc/{pid}/cmdline").read_text():
                    found.append(int(pid))
            except FileNotFoundError:
                pass
    return found


@pytest.mark.parametrize(("mode", "expected"), [
    ("crash", "Pagefind failed (exit 101) while indexing b/index.html:\nthread 'main' panicked"),
    ("error", "Pagefind failed while indexing b/index.html: Failed to parse file"),
    ("hang", "Pagefind did not answer within 1 s while indexing b/index.html; it was stopped"),
])
def test_an_indexer_that_fails_is_a_clear_error_and_leaves_no_process(tmp_path: Path, mode: str, expected: str) -> None:
    (tmp_path / "site").mkdir()
    stream = StreamingIndex(tmp_path / "site", ["a/index.html", "b/index.html"], executable=fake_service(tmp_path, mode),
                            page_timeout=1)
    for path in ("a/index.html", "b/index.html"):
        stream.add(path, "<html><body data-pagefind-body>words</body></html>")
    with pytest.raises(SearchIndexError) as failure:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the error stops the next page, or at the latest the end
            stream.add("c/index.html", "<html></html>")
            time.sleep(0.05)
        stream.finish()
    assert str(failure.value).startswith(f"search: {expected}"), failure.value
    stream.abort()
    assert children(f"pagefind-{mode}") == [] and children("fake_service.py") == []
    assert not (tmp_path / "site/pagefind").exists()


def test_an_indexer_stopped_during_the_pages_leaves_no_process(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    stream = StreamingIndex(tmp_path / "site", ["a/index.html"], executable=fake_service(tmp_path, "hang"))
    stream.add("a/index.html", "<html></html>")
    stream.add("b/index.html", "<html></html>")  # the fake never answers this one
    for n in range(200):  # the pages do not wait for an indexer that is stuck
        stream.add(f"c{n}/index.html", "<html>" + "words " * 10_000 + "</html>")
    assert stream.waited_s < 5
    deadline = time.monotonic() + 30
    while not children("fake_service.py") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children("fake_service.py")
    stream.abort()  # as on_build_error, on_shutdown and a rebuild's on_config do
    assert children("fake_service.py") == [] and children("pagefind-hang") == []


@pytest.mark.parametrize("mode", ["crash", "error"])
def test_a_failing_indexer_stops_the_build_and_publishes_nothing(tmp_path: Path, mode: str) -> None:
    project = in_path_order(copy_tiny(tmp_path / "project"))
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site")
    before = tree(site)
    env = fake_pagefind(tmp_path, f"def get_executable():\n    return {str(fake_service(tmp_path, mode))!r}\n")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "Pagefind failed" in result.stderr and "nothing was published; site/ is untouched" in result.stderr, result.stderr
    assert tree(site) == before and not list(project.glob(".site.building*")) + list(project.glob(".site.search-*"))


def test_an_indexer_that_does_not_end_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind ends at the end of its input; one that does not is stopped, and its missing index is an error."""
    import generator.output.search_stream

    monkeypatch.setattr(generator.output.search_stream, "CLOSE_TIMEOUT", 1.0)
    (tmp_path / "site").mkdir()
    stream = StreamingIndex(tmp_path / "site", ["a/index.html"], executable=fake_service(tmp_path, "linger"))
    stream.add("a/index.html", "<html></html>")
    with pytest.raises(SearchIndexError, match="Pagefind gave no index"):  # the fake writes nothing
        stream.finish()
    assert children("fake_service.py") == [] and children("pagefind-linger") == []
