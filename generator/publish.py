"""Atomic output: build into a staging folder beside the site, replace the site only when the build is good.

A failed build (an error, or `--strict` stopping on a warning) leaves the
published folder exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder on the same filesystem as `site_dir`, so the swap is a rename."""
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    discard(staging)
    return staging


def commit(staging: Path, site_dir: Path) -> None:
    """Put the staged build in place of `site_dir` (the old one is removed only after the swap)."""
    previous = site_dir.with_name(f".{site_dir.name}.previous-{os.getpid()}")
    discard(previous)
    if site_dir.exists():
        os.replace(site_dir, previous)
    os.replace(staging, site_dir)
    discard(previous)


def discard(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


class WarningCounter(logging.Handler):
    """Counts warnings and errors logged while building (what `--strict` counts)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
