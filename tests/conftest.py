"""Shared fixtures: a tiny valid project copied into a temp folder for each test that changes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


def copy_tiny(dest: Path) -> Path:
    shutil.copytree(TINY, dest)
    config = (dest / "mkdocs.yml").read_text()
    overrides = (ROOT / "overrides").as_posix()
    (dest / "mkdocs.yml").write_text(config.replace("../../../overrides", overrides))
    return dest


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/tiny (a small, valid project)."""
    return copy_tiny(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def run_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", str(project)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


def mkdocs_build(project: Path, site_dir: Path, *extra: str, strict: bool = True) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(mkdocs), "build", *(["--strict"] if strict else []), "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *extra],
        capture_output=True, text=True, env=env, timeout=300,
    )
