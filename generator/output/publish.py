"""Atomic output: build into a staging folder beside the site, replace the site only when the build is good.

At every instant `site/` is either the previous complete build or the new one:

- the build writes into `.site.building-PID/` on the same filesystem;
- the swap is ONE system call, `renameat2(RENAME_EXCHANGE)`, which exchanges the two
  folders atomically (where the kernel or filesystem lacks it, two renames are used and
  the gap between them is reported as a risk in the README);
- a lock (`.site.lock`, `fcntl.lockf`) lets only one build at a time write beside a
  site; a second build stops at once with a message instead of racing the first;
- under the lock, folders left by killed builds (`.site.building-*`, `.site.previous-*`)
  are removed before anything else happens.

A failed build (an error, or `--strict` stopping on a warning) leaves the
published folder exactly as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import shutil
import time
from pathlib import Path

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class PublishError(Exception):
    """The site could not be put in place; the message says why and that the old site is still there."""


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder on the same filesystem as `site_dir`, so the swap is a rename."""
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    discard(staging)
    return staging


def search_pages_dir(site_dir: Path) -> Path:
    """The folder of a build's search pages (search_pages.py): beside `site_dir`, so its index moves in by a rename."""
    return site_dir.with_name(f".{site_dir.name}.search-{os.getpid()}")


def leftovers(site_dir: Path) -> list[Path]:
    """Folders that builds of this site leave while they run (and leave behind when killed)."""
    parent = site_dir.parent
    if not parent.is_dir():
        return []
    prefixes = (f".{site_dir.name}.building-", f".{site_dir.name}.previous-", f".{site_dir.name}.search-")
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


def clean_leftovers(site_dir: Path, attempts: int = 30, pause: float = 0.1) -> list[Path]:
    """Remove what killed builds left (the folders removed). Call only while holding the lock.

    The lock dies with a killed build at once, but its children (Pagefind, pool workers) get their
    SIGKILL from the kernel a moment later (pool.die_with_parent) and may finish one last write into
    the folder: removing it then fails with 'Directory not empty', so it is tried again for up to
    `attempts` x `pause` seconds. A folder still not removable is left for the next build: it is
    garbage, not a reason to stop this one."""
    removed = []
    for path in leftovers(site_dir):
        for attempt in range(attempts):
            try:
                discard(path)
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT):
                    raise
                if exc.errno == errno.ENOENT and not path.exists():
                    break  # something else removed it
                if attempt < attempts - 1:
                    time.sleep(pause)
            else:
                removed.append(path)
                break
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call; False when the system cannot (then nothing was changed)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False  # not glibc/Linux
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # old kernel, or a filesystem without exchange
    raise OSError(err, os.strerror(err), str(b))


def swap(staging: Path, site_dir: Path) -> None:
    """The one step that publishes: after it `site_dir` is the new build and `staging` holds the old one."""
    if not site_dir.exists() and not site_dir.is_symlink():
        os.rename(staging, site_dir)  # nothing published yet: a plain rename is atomic
        return
    if _exchange(staging, site_dir):
        return
    # Fallback (no RENAME_EXCHANGE): two renames; killed between them, site_dir is missing until the next build.
    previous = site_dir.with_name(f".{site_dir.name}.previous-{os.getpid()}")
    os.rename(site_dir, previous)
    os.rename(staging, site_dir)
    os.rename(previous, staging)


def commit(staging: Path, site_dir: Path) -> None:
    """Put the staged build in place of `site_dir`; the old build is removed only after the swap."""
    swap(staging, site_dir)
    try:
        discard(staging)  # the old site; if this is interrupted or fails, the next build removes it
    except OSError:
        pass


def discard(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


class BuildLock:
    """An exclusive lock on `.SITE.lock` beside the site, held from the first line of a build to the swap.

    The kernel drops it when the process ends, however it ends, so a killed build never blocks
    the next one."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir.with_name(f".{site_dir.name}.lock")
        self.site_dir = site_dir
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise PublishError at once naming the build that holds it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise PublishError(f"cannot write beside {self.site_dir} ({exc.strerror}): "
                               f"the folder that holds it must be writable; {self.site_dir} is unchanged") from None
        try:
            # A POSIX record lock, not flock(): it belongs to this process only, so worker processes forked
            # during the build (pool.py) do not keep it alive after this process is killed.
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise PublishError(f"another build of {self.site_dir} is running (process {holder}); this build stopped "
                               "without touching it: wait for that build to finish, then build again") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock; the lock file itself stays (removing it would race)
            self.fd = None


def describe_os_error(exc: OSError, site_dir: Path) -> str:
    """A reader's message for a failure to write the site (read-only folder, full disk, ...)."""
    where = f" ({exc.filename})" if exc.filename else ""
    hint = {errno.ENOSPC: "the disk is full: free some space", errno.EDQUOT: "the disk quota is used up",
            errno.EACCES: "permission denied: the output folder and the folder that holds it must be writable",
            errno.EPERM: "permission denied: the output folder and the folder that holds it must be writable",
            errno.EROFS: "the output folder is on a read-only filesystem"}.get(exc.errno or 0, exc.strerror or str(exc))
    return f"could not write the built site{where}: {hint}; {site_dir} was left as it was"


class WarningCounter(logging.Handler):
    """Counts warnings and errors logged while building (what `--strict` counts)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
