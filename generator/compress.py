"""Precompressed copies of the built site's text files (`page.html.gz`, `page.html.br` beside
`page.html`), for hosts that serve a file's compressed copy when the browser accepts it (nginx
`gzip_static`/`brotli_static`, Caddy `precompressed`, most static hosts): pages arrive compressed
whatever the host's own settings, at no cost per request.

Deterministic (no time stamp or file name in the gzip header), so reproducible builds stay
byte-identical.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".csv", ".svg", ".txt", ".map")
#: below this a compressed copy saves less than the request headers weigh
MIN_SIZE = 256
#: brotli 11 is several times slower than 9 for a few per cent; thousands of pages are built
BROTLI_QUALITY = 9


def precompress(site_dir: Path) -> int:
    """Write .gz and .br beside every text file in `site_dir`; returns how many files were compressed."""
    count = 0
    for root, _dirs, names in os.walk(site_dir):
        for name in names:
            if not name.endswith(TEXT_SUFFIXES):
                continue
            path = Path(root) / name
            data = path.read_bytes()
            if len(data) < MIN_SIZE:
                continue
            path.with_name(name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
            path.with_name(name + ".br").write_bytes(brotli.compress(data, quality=BROTLI_QUALITY))
            count += 1
    return count
