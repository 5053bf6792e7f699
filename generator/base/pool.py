"""Run one function over many items in forked worker processes (both cores of a small machine).

Workers are forked, so they start with the parent's whole state (configuration, records, the
MkDocs file list) without pickling it; only each item's result travels back. Each worker takes the
next item not yet taken (a counter in shared memory), the costliest first when the caller says what
an item costs: so no worker idles while another still has a long queue, whatever the items cost and
however the machine shares its cores. Results come back
keyed by item index, so the caller uses them in its own order and the output cannot depend on
which worker finished first. A worker that fails reports the item; the caller then does that
item (and any not reached) itself, serially, exactly as it would without a pool.

Every process a build starts (these workers, the Pagefind indexer) dies with the build
(`die_with_parent`): a build killed by SIGKILL must not leave children writing into its staging
folder after the lock is gone, while the next build removes that folder.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
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


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None = None) -> Callable[[], None]:
    """A function to call in a child process between fork and exec (or at the start of a forked worker):
    from then on the kernel sends the child SIGKILL when the parent dies, and if the parent died already,
    the child ends at once. Everything is looked up here, in the parent, so the child only makes one
    system call (a child forked beside other threads must not take locks such as the loader's). A process
    started afresh calls it itself, with its parent's process id."""
    if parent is None:
        parent = os.getpid()
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: children end when their pipe to the parent closes
        prctl = None
    if prctl is not None:
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    kill = int(signal.SIGKILL)

    def arm() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above: nobody will wait for us
            os._exit(1)

    return arm


def fork_map(func: Callable[[T], Any], items: Sequence[T], workers: int,
             cost: Callable[[T], float] | None = None) -> tuple[dict[int, Any], list[str]]:
    """`{index: func(items[index])}` computed in `workers` forked processes, and the failures as text.

    Items are handed out one at a time to whichever worker is free, in descending `cost` if given
    (the long items first, so the last ones to finish are short), else in their own order. Missing
    indexes are items a worker did not finish; the caller must do them itself."""
    ctx = multiprocessing.get_context("fork")
    order = list(range(len(items)))
    if cost is not None:
        costs = [cost(item) for item in items]
        order.sort(key=lambda index: -costs[index])  # stable: equal costs keep their own order
    taken = ctx.Value("q", 0)  # how many of `order` have been handed out (its lock is shared by the workers)
    results: dict[int, Any] = {}
    failures: list[str] = []
    conns: list[Connection] = []
    procs = []
    arm = die_with_parent()

    lock = taken.get_lock()

    def next_index() -> int | None:
        # Held for a few instructions; if a worker was killed holding it, the others stop taking
        # items after a minute (instead of waiting forever) and the caller does the rest itself.
        if not lock.acquire(timeout=60):
            return None
        try:
            position: int = taken.value
            if position >= len(order):
                return None
            taken.value = position + 1
        finally:
            lock.release()
        return order[position]

    for _worker in range(workers):
        receive, send = ctx.Pipe(duplex=False)

        def run(send: Connection = send) -> None:
            arm()  # a build killed by SIGKILL takes its workers with it
            while (index := next_index()) is not None:
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
