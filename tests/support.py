"""Helpers shared by test modules (a test module never imports another: what two need is here)."""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.output.pagefind import build_index


def tree(site: Path) -> dict[str, str]:
    """Every file of a folder -> a hash of its bytes."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def tree_bytes(site: Path) -> dict[str, bytes]:
    """Every file of a folder -> its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def text_of(page: Path) -> str:
    """The article's visible text, whitespace folded (what a reader sees)."""
    source = page.read_text()
    article = source[source.index("<article"):source.index("</article>")]
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
