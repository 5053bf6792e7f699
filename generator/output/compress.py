"""Precompressed copies of the built site's text files (`page.html.gz`, `page.html.br` beside
`page.html`), for hosts that serve a file's compressed copy when the browser accepts it (nginx
`gzip_static`/`brotli_static`, Caddy `precompressed`, most static hosts): pages arrive compressed
whatever the host's own settings, at no cost per request.

Deterministic (no time stamp or file name in the gzip header), so reproducible builds stay
byte-identical.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import brotli

from generator.base.pool import can_fork, fork_map
from generator.output import cache as disk

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".csv", ".svg", ".txt", ".map")
#: below this a compressed copy saves less than the request headers weigh
MIN_SIZE = 256
#: Brotli quality for pages and data (thousands of files): on this site's pages 6 is 7 times faster than 9 and
#: 1% larger, 11 is 6 times slower than 9 and 13% smaller (bench/README.md, "Compression").
BROTLI_QUALITY = 6
#: ... and for style sheets and scripts: a few files, fetched on every first visit, so the smallest copy.
BROTLI_QUALITY_ASSETS = 11
ASSET_SUFFIXES = (".css", ".js")
GZIP_LEVEL = 9


def brotli_quality(path: Path) -> int:
    return BROTLI_QUALITY_ASSETS if path.name.endswith(ASSET_SUFFIXES) else BROTLI_QUALITY


def _compressed(data: bytes, quality: int) -> tuple[bytes, bytes]:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0), brotli.compress(data, quality=quality)


def text_files(site_dir: Path) -> list[Path]:
    """The files that get compressed copies, in a fixed order."""
    found = []
    for root, _dirs, names in os.walk(site_dir):
        found += [Path(root) / name for name in names if name.endswith(TEXT_SUFFIXES)]
    return sorted(found)


Todo = list[tuple[Path, "str | None"]]
"""Files still to compress, each with its entry's key in the store (None: no store)."""


def _settings() -> str:
    return f"gzip {GZIP_LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION} brotli {brotli.__version__} quality"


def plan(site_dir: Path, store: disk.DiskCache | None = None) -> tuple[int, Todo]:
    """Write the copies the store already holds (by a hash of the file's bytes: an unchanged page of a
    rebuild is not compressed again); returns how many, and the files left to compress."""
    settings = _settings()
    todo: Todo = []  # not the bytes: at thousands of pages they would all be held at once
    reused = 0
    for path in text_files(site_dir):
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        entry_key = disk.key(f"{settings} {brotli_quality(path)}", hashlib.sha256(data).digest()) if store is not None else None
        cached = store.get_blobs(entry_key, 2) if store is not None and entry_key else None
        if cached is not None:
            _write(path, *cached)
            reused += 1
        else:
            todo.append((path, entry_key))
    return reused, todo


def _compress_one(path: Path, entry_key: str | None, store: disk.DiskCache | None) -> bool:
    gz, br = _compressed(path.read_bytes(), brotli_quality(path))
    _write(path, gz, br)
    if store is not None and entry_key:
        store.put_blobs(entry_key, [gz, br])
    return True


def compress(todo: Todo, store: disk.DiskCache | None = None, workers: int = 1) -> None:
    """Compress `todo` in `workers` forked processes (serially with one, or beside other threads)."""
    done: dict[int, object] = {}
    if workers > 1 and len(todo) >= 2 * workers and can_fork():
        done, _failures = fork_map(lambda item: _compress_one(*item, store), todo, workers)
        if store is not None:
            store.used.update(k for _p, k in todo if k)  # written by the workers
    for index, item in enumerate(todo):
        if index not in done:  # serial, or what a worker did not finish
            _compress_one(*item, store)


def precompress(site_dir: Path, store: disk.DiskCache | None = None, workers: int = 1) -> tuple[int, int]:
    """Write .gz and .br beside every text file in `site_dir`; returns how many files' copies came from
    the store and how many were compressed. The copies are the same bytes however they are made
    (compression is deterministic)."""
    reused, todo = plan(site_dir, store)
    compress(todo, store, workers)
    return reused, len(todo)


def _write(path: Path, gz: bytes, br: bytes) -> None:
    path.with_name(path.name + ".gz").write_bytes(gz)
    path.with_name(path.name + ".br").write_bytes(br)

