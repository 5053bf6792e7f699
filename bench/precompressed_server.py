"""A local static host for a built site, as a host that serves precompressed files behaves.

Used by bench/lighthouse.py and bench/search_transfer.py (both measure what a reader's browser is sent): under
`prefix` it answers GET and HEAD with file.br or file.gz when the client accepts it, redirects a folder without
its slash, answers 404 with the site's 404 page, and gives content-hashed assets a year's cache
(`Cache-Control: public, max-age=31536000, immutable`; every other file `no-cache`).
"""

from __future__ import annotations

import contextlib
import http.server
import mimetypes
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.output.asset_names import HASHED_NAME

HOST = "127.0.0.1"


class PrecompressedHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD of a built site under `prefix`, answering with the .br or .gz copy when accepted."""

    root = Path(".")
    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if not (path + "/").startswith(self.prefix):
            return self._send(404, b"not found", "text/plain", None, body)
        rel = path[len(self.prefix):] if path.startswith(self.prefix) else ""
        root = self.root.resolve()
        file = (root / rel).resolve()
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            file = file / "index.html"
        status = 200
        if not file.is_relative_to(root) or not file.is_file():
            status, file = 404, root / "404.html"
            if not file.is_file():
                return self._send(404, b"not found", "text/plain", None, body)
        kind = mimetypes.guess_type(file.name)[0] or ("application/wasm" if file.suffix == ".pagefind" else "application/octet-stream")
        accepted = {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            copy = file.with_name(file.name + suffix)
            if encoding in accepted and copy.is_file():
                return self._send(status, copy.read_bytes(), kind, encoding, body, file)
        return self._send(status, file.read_bytes(), kind, None, body, file)

    def _send(self, code: int, data: bytes, kind: str, encoding: str | None, body: bool, file: Path | None = None) -> None:
        self.send_response(code)
        text = kind.startswith("text/") or kind.endswith(("javascript", "json", "xml"))
        self.send_header("Content-Type", kind + ("; charset=utf-8" if text else ""))
        self.send_header("Content-Length", str(len(data)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if file is not None:
            self.send_header("Vary", "Accept-Encoding")
            # Content-hashed names (the theme's bundles, our assets/*.HASH.css: generator/output/asset_names.py) never
            # change: cache for a year.
            hashed = "assets" in file.parts and HASHED_NAME.search(file.name) is not None
            self.send_header("Cache-Control", "public, max-age=31536000, immutable" if hashed else "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextlib.contextmanager
def serve(site: Path, prefix: str) -> Iterator[str]:
    """http://127.0.0.1:PORT{prefix} serving `site` from a background thread (a free port)."""
    handler = type("Handler", (PrecompressedHandler,), {"root": site, "prefix": prefix})
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
