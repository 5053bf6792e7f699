"""Fixtures shared by the test modules; the helpers they use are in support.py.

The real site and the tiny project are each built once per test process (`real_site`, `tiny_site`) and shared by
every test that only reads them; a test that changes a project builds its own copy. In CI (`CI` set) a skipped test
fails: a browser or axe test that cannot run there would otherwise pass unseen."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import ROOT, copy_tiny, launch_chromium, mkdocs_build, serve_site, site_path

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/tiny (a small, valid project)."""
    return copy_tiny(tmp_path / "project")


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built once with `mkdocs build --strict`, with no warning. Read it; never change it."""
    project = copy_tiny(tmp_path_factory.mktemp("tiny-site") / "project")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real site built once with `mkdocs build --strict`, with no warning. Read it; never change it.

    On tmpfs where there is one: its search pages are then listed in path order, as the sorted copy of the site that
    Pagefind's command line is compared with (tests/test_real_site.py)."""
    shm = Path("/dev/shm")
    work = Path(tempfile.mkdtemp(prefix="real-", dir=shm)) if shm.is_dir() else tmp_path_factory.mktemp("real")
    site = work / "site"
    # A copy of the project, so its build cache is this build's: a cache filled by a developer's `mkdocs build`
    # elsewhere holds search bundles indexed in that folder's file order, not in the path order compared below.
    project = work / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "accessibility-results.json"):
        shutil.copy2(ROOT / name, project / name)
    for folder in ("content", "site-data", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    try:
        result = mkdocs_build(project, site)
        assert result.returncode == 0, f"mkdocs build --strict failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        assert "WARNING" not in result.stderr, result.stderr
        yield site
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def real_url(real_site: Path) -> Iterator[str]:
    """The real site served under the path of its site_url (`/inspections/`), as published; ends with '/'."""
    with serve_site(real_site, site_path()) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for every browser test of the session (Playwright's sync API allows one at a time, so no module
    starts its own)."""
    with launch_chromium() as chromium:
        yield chromium


def _fail_skip(report: Any) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped, and CI runs every test: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped:  # a whole module skipped (Playwright or axe missing)
        _fail_skip(report)
