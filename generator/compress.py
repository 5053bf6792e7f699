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

from . import cache as disk
from .pool import can_fork, fork_map

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".csv", ".svg", ".txt", ".map")
#: below this a compressed copy saves less than the request headers weigh
MIN_SIZE = 256
#: brotli 11 is several times slower than 9 for a few per cent; thousands of pages are built
BROTLI_QUALITY = 9
GZIP_LEVEL = 9


def _compressed(data: bytes) -> tuple[bytes, bytes]:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0), brotli.compress(data, quality=BROTLI_QUALITY)


def text_files(site_dir: Path) -> list[Path]:
    """The files that get compressed copies, in a fixed order."""
    found = []
    for root, _dirs, names in os.walk(site_dir):
        found += [Path(root) / name for name in names if name.endswith(TEXT_SUFFIXES)]
    return sorted(found)


def precompress(site_dir: Path, store: disk.DiskCache | None = None, workers: int = 1) -> tuple[int, int]:
    """Write .gz and .br beside every text file in `site_dir`; returns how many files' copies came from
    the store and how many were compressed.

    With a `store` (the build cache), copies are kept by a hash of the file's bytes: an unchanged
    page of a rebuild is not compressed again. Files not in the store are compressed in `workers`
    forked processes. The copies are the same bytes either way (compression is deterministic)."""
    settings = f"gzip {GZIP_LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION} brotli {BROTLI_QUALITY} {brotli.__version__}"
    todo: list[tuple[Path, bytes, str | None]] = []
    reused = 0
    for path in text_files(site_dir):
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        entry_key = disk.key(settings, hashlib.sha256(data).digest()) if store is not None else None
        cached = store.get_blobs(entry_key, 2) if store is not None and entry_key else None
        if cached is not None:
            _write(path, *cached)
            reused += 1
        else:
            todo.append((path, data, entry_key))

    def work(item: tuple[Path, bytes, str | None]) -> bool:
        path, data, entry_key = item
        gz, br = _compressed(data)
        _write(path, gz, br)
        if store is not None and entry_key:
            store.put_blobs(entry_key, [gz, br])
        return True

    done: dict[int, object] = {}
    if workers > 1 and len(todo) >= 2 * workers and can_fork():
        done, _failures = fork_map(work, todo, workers)
        if store is not None:
            store.used.update(k for _p, _d, k in todo if k)  # written by the workers
    for index, item in enumerate(todo):
        if index not in done:  # serial, or what a worker did not finish
            work(item)
    return reused, len(todo)


def _write(path: Path, gz: bytes, br: bytes) -> None:
    path.with_name(path.name + ".gz").write_bytes(gz)
    path.with_name(path.name + ".br").write_bytes(br)
