"""A content-addressed cache on disk, for work that is the same whenever its inputs are the same.

An entry's key is a hash of everything its value depends on (input bytes, templates, settings,
package versions, this package's own source), so an entry is never stale: a changed input is a
different key, and the old entry is simply not asked for again (and is pruned after a build that
did not use it). Deleting the folder only makes the next build cold. Entries are written to a
temporary name and renamed, so a build interrupted half-way, or two processes writing the same
entry, leave either the whole entry or none.

Values are JSON (zlib-compressed), never pickle: reading the cache cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

#: packages whose behaviour shapes cached output; their versions are part of every key
PACKAGES = ("mkdocs", "properdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "nh3", "ruamel.yaml")
#: bump when the layout of entries changes
FORMAT = "2"


@cache
def environment_fingerprint() -> str:
    """Python and package versions, and a hash of this package's source files."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    for name in PACKAGES:
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    package = Path(__file__).resolve().parent.parent  # the whole generator package
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".yaml", ".md") and "__pycache__" not in path.parts:
            digest.update(b"\0" + path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """A hash of `parts` (each length-prefixed, so no two different lists of parts collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class DiskCache:
    """Entries under `root/<namespace>/<key[:2]>/<key>`; `used` records the keys read or written."""

    def __init__(self, root: Path, namespace: str) -> None:
        self.folder = root / namespace
        self.used: set[str] = set()

    def _path(self, entry_key: str) -> Path:
        return self.folder / entry_key[:2] / entry_key

    def get(self, entry_key: str) -> Any | None:
        try:
            data = self._path(entry_key).read_bytes()
            value = json.loads(zlib.decompress(data))
        except (OSError, ValueError, zlib.error):
            return None  # missing, or damaged (then it is rewritten)
        self.used.add(entry_key)
        return value

    def has(self, entry_key: str) -> bool:
        return self._path(entry_key).is_file()

    def put(self, entry_key: str, value: Any) -> None:
        self._write(entry_key, zlib.compress(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode(), 1))

    def _write(self, entry_key: str, data: bytes) -> None:
        path = self._path(entry_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{entry_key}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.used.add(entry_key)

    def get_blobs(self, entry_key: str, count: int) -> list[bytes] | None:
        """Raw byte strings stored by `put_blobs` (length-prefixed, not JSON); None if missing or damaged."""
        try:
            data = self._path(entry_key).read_bytes()
        except OSError:
            return None
        blobs, i = [], 0
        while i + 8 <= len(data):
            size = int.from_bytes(data[i:i + 8], "little")
            blobs.append(data[i + 8:i + 8 + size])
            i += 8 + size
        if i != len(data) or len(blobs) != count:
            return None
        self.used.add(entry_key)
        return blobs

    def put_blobs(self, entry_key: str, blobs: list[bytes]) -> None:
        self._write(entry_key, b"".join(len(b).to_bytes(8, "little") + b for b in blobs))

    def prune(self, keep: set[str]) -> int:
        """Delete entries not in `keep` (after a complete build, which asked for every entry it needs)."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for path in sub.iterdir():
                if path.name not in keep:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
