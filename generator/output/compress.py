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
import json
import os
import select
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import brotli

from generator.base.pool import can_fork, die_with_parent, fork_map
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


def text_files(site_dir: Path, *, under: str | None = None, skip: str | None = None) -> list[Path]:
    """The files that get compressed copies, in a fixed order: all of `site_dir`, only the folder `under`
    (a name at its top), or all but the folder `skip`."""
    found = []
    for root, dirs, names in os.walk(site_dir / under if under else site_dir):
        if skip and Path(root) == site_dir:
            dirs[:] = [d for d in dirs if d != skip]
        found += [Path(root) / name for name in names if name.endswith(TEXT_SUFFIXES)]
    return sorted(found)


Todo = list[tuple[Path, "str | None"]]
"""Files still to compress, each with its entry's key in the store (None: no store)."""


def _settings() -> str:
    return f"gzip {GZIP_LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION} brotli {brotli.__version__} quality"


def plan(site_dir: Path, store: disk.DiskCache | None = None, *, under: str | None = None,
         skip: str | None = None) -> tuple[int, Todo]:
    """Write the copies the store already holds (by a hash of the file's bytes: an unchanged page of a
    rebuild is not compressed again); returns how many, and the files left to compress."""
    settings = _settings()
    todo: Todo = []  # not the bytes: at thousands of pages they would all be held at once
    reused = 0
    for path in text_files(site_dir, under=under, skip=skip):
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


class Beside:
    """Compression in a child process of its own, while the build waits for something else (the search
    index: Pagefind runs parts of its work on one core, and the build itself has nothing to do meanwhile).

    The child compresses the files in order; `stop` ends it after the file it is on and says how many it
    finished (a prefix of `todo`), so the caller does the rest, with every core, as soon as the wait is over.
    A process started afresh (not forked: the build has other threads by now). If it fails or is stopped in
    the middle of a file, that file does not count as finished, so the caller writes it again."""

    def __init__(self, todo: Todo, store: disk.DiskCache | None) -> None:
        self.todo = todo
        self.store = store
        self._stderr = tempfile.TemporaryFile()
        job = {"parent": os.getpid(), "store": [str(store.folder.parent), store.folder.name] if store else None,
               "items": [[str(p), k] for p, k in todo]}
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "generator.output.compress"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._stderr, cwd=Path(__file__).resolve().parents[2])
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:  # no process: the caller compresses everything
            self.proc = None

    def stop(self) -> int:
        """End the child after its current file; the number of files of `todo` it finished, in order."""
        proc, self.proc = self.proc, None
        if proc is None:
            self._stderr.close()
            return 0
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.close()  # the child stops at the end of its input
        except OSError:
            pass
        out = proc.stdout.read()
        proc.wait()
        self._stderr.close()
        try:
            finished = int(out.strip() or b"0")
        except ValueError:
            finished = 0
        finished = min(max(finished, 0), len(self.todo))
        if self.store is not None:
            self.store.used.update(k for _p, k in self.todo[:finished] if k)
        return finished


class CompressionBeside:
    """A build's compressed copies, begun while it waits for its search index: every file but the index's
    folder (`skip`), in a `Beside` process; then, when the wait is over, the rest with every core."""

    def __init__(self, site_dir: Path, store: disk.DiskCache | None, *, skip: str) -> None:
        self.site_dir, self.store, self.skip = site_dir, store, skip
        self.reused, self.todo = plan(site_dir, store, skip=skip)
        self._beside = Beside(self.todo, store) if self.todo else None
        self.finished: int | None = None

    def finish(self) -> None:
        """The wait is over (or the build failed): stop the child process."""
        if self.finished is None:
            self.finished = self._beside.stop() if self._beside is not None else 0

    def complete(self, workers: int) -> str:
        """Compress what the child did not, then the index's folder; prune the store; a line for the log."""
        self.finish()
        assert self.finished is not None
        compress(self.todo[self.finished:], self.store, workers)
        reused, rest = plan(self.site_dir, self.store, under=self.skip)
        compress(rest, self.store, workers)
        if self.store is not None:
            self.store.prune(self.store.used)
        return (f"compressed copies (.gz, .br): {self.reused + reused} from the cache, {len(self.todo) + len(rest)} "
                f"compressed ({self.finished} of them while the search index was built)")


def _child() -> None:
    """`python -m generator.output.compress`: the other end of `Beside` (a job on stdin, the count on stdout)."""
    job = json.loads(sys.stdin.buffer.readline())
    die_with_parent(job["parent"])()  # a build killed by SIGKILL takes this process with it
    store = disk.DiskCache(Path(job["store"][0]), job["store"][1]) if job["store"] else None
    finished = 0
    for path, entry_key in job["items"]:
        if select.select([sys.stdin], [], [], 0)[0]:  # input ended: the parent wants the rest for itself
            break
        _compress_one(Path(path), entry_key, store)
        finished += 1
    sys.stdout.write(f"{finished}\n")


def _write(path: Path, gz: bytes, br: bytes) -> None:
    path.with_name(path.name + ".gz").write_bytes(gz)
    path.with_name(path.name + ".br").write_bytes(br)


if __name__ == "__main__":
    _child()
