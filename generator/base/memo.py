"""Results of pure functions kept across the rebuilds of one `mkdocs serve`, under keys made of everything they read.

A key holds the inputs themselves (a narrative's text) or a stamp of them (`files_stamp`: every data file's path,
size and modification time, the same test the parse cache trusts), so an entry is never stale: changed inputs are a
different key. Each rebuild is one round; what a round did not ask for is dropped at the next, so the memo holds one
site's worth of results at most. Values are shared, never copied: callers must not change them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._current:
            return self._current[key]  # type: ignore[no-any-return]
        if key in self._previous:
            self.hits += 1
            value = self._previous[key]
        else:
            self.misses += 1
            value = compute()
        self._current[key] = value
        return value  # type: ignore[no-any-return]

    def known(self, key: Hashable) -> bool:
        return key in self._current or key in self._previous

    def next_round(self) -> None:
        """A new rebuild: what the last one used is kept, the rest let go."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0


Stamp = dict[str, tuple[int, int]]
"""File path -> (size, modification time in ns)."""


def file_stamps(folders: Iterable[Path], files: Iterable[Path] = ()) -> Stamp:
    """The stamp of `files` and of every file under `folders`; dot files and backups (`name~`) left out, as editors
    write them beside the file they edit (and the site reads neither)."""
    out: Stamp = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        out[str(path)] = (st.st_size, st.st_mtime_ns)
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith(".") or name.endswith("~"):
                    continue
                full = os.path.join(dirpath, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                out[full] = (st.st_size, st.st_mtime_ns)
    return out


def files_stamp(folder: Path) -> str:
    """A digest of `file_stamps` of `folder`. Equal digests: the same files, unedited. (A digest, not the stamps: it is
    part of thousands of keys, each hashed when looked up.)"""
    digest = hashlib.sha256()
    for path, (size, mtime) in sorted(file_stamps([folder]).items()):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()
