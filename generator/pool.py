"""Run one function over many items in forked worker processes (both cores of a small machine).

Workers are forked, so they start with the parent's whole state (configuration, records, the
MkDocs file list) without pickling it; only each item's result travels back. Results come back
keyed by item index, so the caller uses them in its own order and the output cannot depend on
which worker finished first. A worker that fails reports the item; the caller then does that
item (and any not reached) itself, serially, exactly as it would without a pool.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork only from a single-threaded process: a forked child gets one thread and may inherit locks
    other threads held (`mkdocs serve` rebuilds run beside the server's threads; they stay serial)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(func: Callable[[T], Any], items: Sequence[T], workers: int) -> tuple[dict[int, Any], list[str]]:
    """`{index: func(items[index])}` computed in `workers` forked processes, and the failures as text.

    Items are dealt out round-robin (neighbouring items tend to cost alike). Missing indexes are
    items a worker did not finish; the caller must do them itself."""
    ctx = multiprocessing.get_context("fork")
    results: dict[int, Any] = {}
    failures: list[str] = []
    conns: list[Connection] = []
    procs = []
    for worker in range(workers):
        receive, send = ctx.Pipe(duplex=False)

        def run(worker: int = worker, send: Connection = send) -> None:
            for index in range(worker, len(items), workers):
                try:
                    value = func(items[index])
                except BaseException:  # noqa: BLE001 - reported to the parent, which does the item itself
                    send.send(("failed", index, traceback.format_exc()))
                    break
                send.send(("ok", index, value))
            send.send(("done", -1, None))
            send.close()

        proc = ctx.Process(target=run, daemon=True)
        proc.start()
        send.close()
        procs.append(proc)
        conns.append(receive)
    open_conns = list(conns)
    while open_conns:
        for conn in wait(open_conns):
            assert isinstance(conn, Connection)
            try:
                status, index, value = conn.recv()
            except EOFError:  # the worker died (killed, out of memory): its remaining items stay missing
                open_conns.remove(conn)
                continue
            if status == "ok":
                results[index] = value
            elif status == "failed":
                failures.append(value)
            else:
                open_conns.remove(conn)
    for proc in procs:
        proc.join()
    for conn in conns:
        conn.close()
    return results, failures
