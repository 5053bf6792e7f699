"""The developers' guide asks for `ruff check` clean code and `mypy --strict` on generator/: both run here, so CI
(`.ci/run` runs the whole suite) fails on a lint finding or a type error, with the tool's own report."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from .support import ROOT

BIN = Path(sys.executable).parent  # the venv's tools, installed from requirements.lock


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_reports_nothing() -> None:
    done = run(str(BIN / "ruff"), "check", "generator", "tests", "bench")
    assert done.returncode == 0 and done.stdout.strip() == "All checks passed!" and not done.stderr, done.stdout + done.stderr


def test_mypy_strict_reports_nothing() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert settings["strict"] is True and settings["files"] == ["generator"]
    done = run(str(BIN / "mypy"))
    modules = len(list((ROOT / "generator").rglob("*.py")))
    # every module checked (not a narrower `files`), and no note or warning either
    assert done.returncode == 0 and done.stdout.strip() == f"Success: no issues found in {modules} source files" and not done.stderr, \
        done.stdout + done.stderr
