"""The search index built beside the pages (`search_order: path`): each page goes to Pagefind as MkDocs writes it.

Here the plugin hands each indexed page's HTML to `StreamingIndex.add()` (a queue: the page loop
never waits for Pagefind), a thread passes it on to `pagefind --service` (the same binary, from the
pinned `pagefind[bin]` wheel), which parses it while MkDocs goes on rendering. At the end of the
build only Pagefind's own index building is left (`finish()`), then writing the files and
stabilising them as after the command-line run (pagefind_stable.py).

Why it is not the default: it was meant to use the core MkDocs' one-at-a-time page loop leaves
idle, but the loop is short (the Markdown is converted earlier, in worker processes), and the
service parses on one core and spends about 1.6 times the CPU of the command line on the same
pages (400 report pages, one core: 9.3 against 5.8 CPU s). At 3,000 reports it added 52-56 s to a
cold build where the command line over the finished site adds about 40 (bench/README.md). What it
gives is the page numbering below: the same index on any filesystem.

The service is spoken to directly (base64 JSON messages, each followed by a comma, on its stdin
and stdout; pagefind/src/service in Pagefind's source) rather than through the `pagefind` Python
package, whose reader waits 0.1 s before each answer (5 minutes for 3,000 pages) and whose
requests never end when the service dies. Every answer is awaited with a time limit; an error
answer, a service that ended or one that does not answer stops the build (SearchIndexError).

What is indexed is what the command-line run indexes: the same options (EXCLUDE_SELECTORS, English,
the bundle folder; no pagefind.yml, no PAGEFIND_* variable), each page under the URL the command
line gives its file, and the same rule for which pages count (those with a data-pagefind-body).
Pagefind numbers the pages in the order they reach it, and those numbers are in the word index,
the metadata and the sort lists. Its command line takes them in the order the filesystem lists
each folder (unsorted: on ext4 by a hash of the names, on tmpfs newest first), so its files depend
on the filesystem; here the order is each folder's entries sorted by name, depth first
(`walk_order`), whatever the filesystem or the order MkDocs writes in. Over a copy of the site whose
folders list their entries sorted, the command line writes the same files byte for byte
(tests/test_search_stream.py, tests/test_real_site.py). Since a page given again keeps its place,
the pages the build will write are announced first, in that order, as empty records, and each is
replaced by its page as it comes; an empty record left unreplaced has no words, and Pagefind leaves
it out.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import select
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from generator.base.pool import can_fork, die_with_parent
from generator.output.pagefind import BUNDLE_DIR, EXCLUDE_SELECTORS, SearchIndexError, pagefind_executable, write_filter_values
from generator.output.pagefind_stable import BundleFormatError, stabilise

#: seconds Pagefind may take to answer about one page, to write the index, and to end once it has written it
PAGE_TIMEOUT = 120.0
WRITE_TIMEOUT = 600.0
CLOSE_TIMEOUT = 30.0


def walk_order(paths: list[str]) -> list[str]:
    """Site paths (`a/b/index.html`) in the order of a walk of the site that lists each folder's entries sorted by name
    (files and folders together, each folder's contents right after its name), as Pagefind's walk would over folders
    that list their entries sorted."""
    return sorted(paths, key=lambda p: PurePosixPath(p).parts)


def page_url(path: str) -> str:
    """The URL Pagefind gives the file at `path` in the site (its build_url: `index.html` dropped)."""
    return "/" + (path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path)


class Service:
    """One `pagefind --service` process: a request, then its answer, one at a time."""

    def __init__(self, executable: Path) -> None:
        self._home = tempfile.TemporaryDirectory(prefix="report-site-pagefind-")
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        try:
            # cwd: an empty folder (Pagefind reads a config file from its cwd); preexec_fn: killed with the build,
            # only from a single-threaded process (search.build_index says why).
            self.proc = subprocess.Popen([str(executable), "--service"], cwd=self._home.name, env=env, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0,
                                         preexec_fn=die_with_parent() if can_fork() else None)
        except OSError as exc:
            self._stderr.close()
            self._home.cleanup()
            raise SearchIndexError(f"search: could not run Pagefind ({executable}): {exc}") from None
        self._buffer = bytearray()
        self._message_id = 0
        self.sent = 0
        """requests sent so far (a sign of progress for StreamingIndex.finish)"""
        self.cpu_s: float | None = None
        self.peak_mib: float | None = None

    def request(self, payload: dict[str, Any], what: str, timeout: float) -> dict[str, Any]:
        """Pagefind's answer to `payload`; `what` names the request in errors ("indexing a/index.html")."""
        self._message_id += 1
        request = json.dumps({"message_id": self._message_id, "payload": payload}, ensure_ascii=False)
        message = memoryview(base64.b64encode(request.encode()) + b",")
        assert self.proc.stdin is not None
        try:
            while message:  # a pipe may take part of a long message at a time
                message = message[self.proc.stdin.write(message) or 0:]
        except (BrokenPipeError, ValueError):
            raise self._ended(what) from None
        self.sent += 1
        answer = json.loads(base64.b64decode(self._read_answer(what, timeout)))
        result: dict[str, Any] = answer.get("payload") or {}
        if result.get("type") == "Error":
            raise SearchIndexError(f"search: Pagefind failed while {what}: {result.get('message')}")
        if answer.get("message_id") != self._message_id:
            raise SearchIndexError(f"search: Pagefind answered out of turn while {what}: {str(answer)[:300]}")
        return result

    def _read_answer(self, what: str, timeout: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        scanned = 0
        while (end := self._buffer.find(b",", scanned)) < 0:  # the index's files come as one long answer: scan new bytes only
            scanned = len(self._buffer)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                self.kill()
                raise SearchIndexError(f"search: Pagefind did not answer within {timeout:.0f} s while {what}; it was stopped")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise self._ended(what)
            self._buffer += chunk
        answer = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        return answer

    def _ended(self, what: str) -> SearchIndexError:
        code = self.proc.wait()
        self._stderr.seek(0)
        output = self._stderr.read().decode(errors="replace").strip()[-2000:]
        return SearchIndexError(f"search: Pagefind failed (exit {code}) while {what}" + (f":\n{output}" if output else ""))

    def close(self) -> None:
        """End the service (it exits at the end of its input); keep its CPU time and peak memory."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.close()
            deadline = time.monotonic() + CLOSE_TIMEOUT
            while True:
                try:
                    pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
                except ChildProcessError:  # reaped already (it ended early)
                    return
                if pid:
                    self.proc.returncode = os.waitstatus_to_exitcode(status)
                    self.cpu_s = usage.ru_utime + usage.ru_stime
                    self.peak_mib = usage.ru_maxrss / 1024  # KiB on Linux
                    return
                if time.monotonic() > deadline:  # the index is written: a service that does not end is stopped
                    self.kill()
                    return
                time.sleep(0.005)
        finally:
            self.dispose()

    def kill(self) -> None:
        """Stop the process. Safe from any thread: a thread waiting for an answer then sees its end."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def dispose(self) -> None:
        """Close the pipes and remove the empty folder, once no thread uses them (the process has ended)."""
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._stderr.close()
        self._home.cleanup()


def open_files_under(pid: int, folder: Path) -> list[str] | None:
    """The files under `folder` that process `pid` has open, or None where this cannot be seen (no /proc)."""
    fds = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fds)
    except OSError:
        return None
    prefix, found = str(folder) + os.sep, []
    for name in names:
        try:
            target = os.readlink(f"{fds}/{name}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith(prefix):
            found.append(target)
    return found


def write_bundle(bundle: Path, files: list[dict[str, str]]) -> None:
    """Write the service's files ({path inside the bundle, base64 content}) into `bundle`, replacing an older one."""
    if bundle.exists():
        shutil.rmtree(bundle)
    for file in files:
        path = PurePosixPath(file["path"])
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise SearchIndexError(f"search: Pagefind gave a file outside its folder: {file['path']!r}")
        target = bundle.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"], validate=True))


@dataclass
class StreamReport:
    pages: int
    """pages Pagefind was given (it keeps those with a data-pagefind-body, as the command line does)"""
    after_last_page_s: float
    """wall time from the last page handed over to the index written and stabilised"""
    waited_s: float
    """time the page loop spent in `add()` (starting Pagefind, handing pages over)"""
    cpu_s: float | None
    """Pagefind's CPU time (user and system), the whole run"""
    peak_mib: float | None
    """Pagefind's peak resident memory"""
    phases_s: tuple[float, float, float]
    """after the last page: until Pagefind has parsed every page (MkDocs' own end of the build included), Pagefind
    building the index and writing its files, stabilising them"""

    def describe(self) -> str:
        pagefind = f"Pagefind {self.cpu_s:.1f} CPU s" if self.cpu_s is not None else "Pagefind's CPU time unknown"
        if self.peak_mib is not None:
            pagefind += f", peak {self.peak_mib:.0f} MiB"
        queued, built, written = self.phases_s
        return (f"search: {self.pages} pages indexed beside the pages; the index was ready {self.after_last_page_s:.2f} s "
                f"after the last page, the pages waited {self.waited_s:.2f} s for it ({pagefind}; after the last page: "
                f"{queued:.2f} s until it had parsed every page, {built:.2f} s for it to build and write the index, {written:.2f} s stabilising it)")


class StreamingIndex:
    """The index of one build, fed page by page (`add`), written at the end (`finish`) or dropped (`abort`)."""

    def __init__(self, site_dir: Path, pages: list[str], executable: Path | None = None,
                 page_timeout: float = PAGE_TIMEOUT, write_timeout: float = WRITE_TIMEOUT, write_in_service: bool = True) -> None:
        """`pages`: the site paths (`a/index.html`) of the pages the build will give, so they are numbered in walk_order.
        `write_in_service`: False asks for the files rather than have Pagefind write them (see `_write`)."""
        self.site_dir = site_dir
        self._order = walk_order(pages)
        self._executable = executable
        self._page_timeout, self._write_timeout = page_timeout, write_timeout
        self._write_in_service = write_in_service
        self._queue: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()
        self._service: Service | None = None
        self._index_id = 0
        self._thread: threading.Thread | None = None
        self._error: SearchIndexError | None = None
        self.pages = 0
        self.waited_s = 0.0
        self._last_page: float | None = None
        self._drained: float | None = None

    def add(self, path: str, html: str) -> None:
        """Hand over the page MkDocs writes at site path `path`; raises the indexer's error if it has failed."""
        start = time.perf_counter()
        if self._error is not None:
            raise self._error
        if self._thread is None:
            self._start()
        self._queue.put((path, html))
        self._last_page = time.perf_counter()
        self.waited_s += self._last_page - start

    def _start(self) -> None:
        self._service = Service(self._executable or pagefind_executable())
        self._thread = threading.Thread(target=self._run, name="report-site-search-stream", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        service = self._service
        assert service is not None
        try:
            config = {"exclude_selectors": list(EXCLUDE_SELECTORS), "force_language": "en"}
            self._index_id = service.request({"type": "NewIndex", "config": config}, "starting", self._page_timeout)["index_id"]
            for path in self._order:  # places in walk_order, filled as the pages come (see the module's text)
                service.request({"type": "AddRecord", "index_id": self._index_id, "url": page_url(path), "content": "",
                                 "language": "en", "meta": None, "filters": None, "sort": None},
                                f"announcing {path}", self._page_timeout)
            while (item := self._queue.get()) is not None:
                path, html = item
                html = html.encode("utf-8", errors="xmlcharrefreplace").decode()  # as MkDocs writes it into the file
                service.request({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                                 "file_contents": html}, f"indexing {path}", self._page_timeout)
                self.pages += 1
            self._drained = time.perf_counter()
        except SearchIndexError as exc:
            self._error = exc
        except (OSError, ValueError, KeyError, TypeError) as exc:  # an answer that is not Pagefind's protocol
            self._error = SearchIndexError(f"search: unexpected answer from Pagefind's service: {type(exc).__name__}: {exc}")
        if self._error is not None:
            service.kill()

    def finish(self) -> StreamReport:
        """Wait for the pages still queued, write the index into site_dir/pagefind/ and stabilise it."""
        try:
            if self._thread is None:
                self._start()
            assert self._thread is not None and self._service is not None
            self._queue.put(None)
            written, since = -1, time.monotonic()
            while self._thread.is_alive():  # each answer has its time limit; a service that stops reading, this one
                self._thread.join(1.0)
                if self._service.sent != written:
                    written, since = self._service.sent, time.monotonic()
                elif time.monotonic() - since > self._page_timeout:
                    self._service.kill()
                    self._thread.join()
                    raise SearchIndexError(f"search: Pagefind took no page for {self._page_timeout:.0f} s; it was stopped")
            if self._error is not None:
                raise self._error
            drained = max(self._drained or 0.0, self._last_page or 0.0)
            bundle = self.site_dir / BUNDLE_DIR
            if bundle.exists():
                shutil.rmtree(bundle)
            self._write(bundle)
            built = time.perf_counter()
            service, self._service = self._service, None
            service.close()
            if not (bundle / "pagefind.js").is_file():
                raise SearchIndexError(f"search: Pagefind gave no index for {self.site_dir}")
            try:  # as after the command line (search.build_index)
                stabilise(bundle)
                write_filter_values(bundle)
            except (BundleFormatError, OSError, ValueError, KeyError, TypeError) as exc:
                raise SearchIndexError(f"search: could not read back or reorder Pagefind's index of {self.site_dir}: {exc}") from None
            ready = time.perf_counter()
            last = self._last_page or drained or ready
            return StreamReport(self.pages, ready - last, self.waited_s, service.cpu_s, service.peak_mib,
                                (max(drained - last, 0.0), built - drained, ready - built))
        finally:
            self.abort()

    def _write(self, bundle: Path) -> None:
        """Pagefind builds the index and writes its files into `bundle`.

        The service's WriteFiles answers before its last writes are done: it writes through tokio's File, which hands
        each write to a background thread and closes the file when that write is done, and it exits at the end of its
        input without waiting for them. So, after the answer, wait until the service has no file open in the bundle
        (Linux: /proc/PID/fd). Where that cannot be seen, ask for the files instead (GetFiles: they come back in the
        answer, at the cost of a copy in memory on both sides, about a tenth of Pagefind's peak) and write them here."""
        assert self._service is not None
        pid, folder = self._service.proc.pid, bundle.resolve()
        if self._write_in_service and open_files_under(pid, folder) is not None:
            self._service.request({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(bundle)},
                                  "building the index", self._write_timeout)
            deadline = time.monotonic() + self._write_timeout
            while open_files_under(pid, folder):
                if time.monotonic() > deadline:
                    raise SearchIndexError(f"search: Pagefind did not finish writing the index within {self._write_timeout:.0f} s")
                time.sleep(0.005)
            return
        files = self._service.request({"type": "GetFiles", "index_id": self._index_id}, "building the index",
                                      self._write_timeout).get("files")
        try:
            write_bundle(bundle, files if isinstance(files, list) else [])
        except (ValueError, KeyError, TypeError) as exc:  # not the files of Pagefind's protocol (a disk error stays an OSError)
            raise SearchIndexError(f"search: unexpected files from Pagefind's service: {type(exc).__name__}: {exc}") from None

    def abort(self) -> None:
        """Stop the service and the thread (a failed or stopped build, or a rebuild starting); nothing is written."""
        service, self._service = self._service, None
        if service is not None:
            service.kill()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
        if service is not None:
            service.dispose()
