"""Text let go until it is wanted again: an unnamed temporary file holding strings by name, each read back once.

MkDocs converts every page before it writes the first one, so a build would hold every page's HTML at once (at
3,000 reports about 290 MiB: the HTML has characters outside Latin-1, so Python keeps it at two bytes a character).
The plugin puts each page's HTML here once it is converted and takes it back when the theme renders that page
(bench/README.md, "Memory at 3,000 reports"). The file has no name (the kernel removes it when it is closed or the
build is killed), so nothing is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Spool:
    def __init__(self, folder: Path | None = None) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder)
        except OSError:  # a folder that cannot hold it: the system's temporary folder
            self._file = tempfile.TemporaryFile()
        self._end = 0
        self._where: dict[str, tuple[int, int]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._where

    def __len__(self) -> int:
        return len(self._where)

    def put(self, name: str, text: str) -> None:
        """Keep `text` under `name` (replacing what was kept under it)."""
        data = text.encode("utf-8", errors="surrogatepass")  # any str, as it was: no character is refused or changed
        written = 0
        while written < len(data):
            written += os.pwrite(self._file.fileno(), data[written:], self._end + written)
        self._where[name] = (self._end, len(data))
        self._end += len(data)

    def take(self, name: str) -> str | None:
        """The text kept under `name`, let go here; None if there is none."""
        where = self._where.pop(name, None)
        if where is None:
            return None
        offset, size = where
        parts = []
        while size:
            chunk = os.pread(self._file.fileno(), size, offset)
            if not chunk:
                raise OSError(f"the spool file ended early ({size} bytes short)")
            parts.append(chunk)
            offset, size = offset + len(chunk), size - len(chunk)
        return b"".join(parts).decode("utf-8", errors="surrogatepass")

    def close(self) -> None:
        self._where.clear()
        self._file.close()
