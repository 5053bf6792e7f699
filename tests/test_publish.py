"""The swap of site/ under faults: killed at every step, --strict warnings, a full disk, two builds at once.

Each case starts from one good build (copied, not rebuilt), then runs a second build of an
edited project that is stopped at one step. Afterwards site/ must be exactly the old build or
exactly the new one (never missing, never half), and the next build must succeed and leave
nothing behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .support import ROOT, copy_tiny, edit, tree

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "0"}


class Killed(BaseException):
    """Stands for SIGKILL in an in-process build: MkDocs catches only Exception, so no handler of ours
    runs after it (only `finally` blocks, and the kernel drops a killed process's lock as the lock's
    own `finally` does). test_sigkill_at_any_moment_leaves_old_or_new kills real processes as well."""


def _swap_step(path: object) -> bool:
    text = str(path)
    return ".site." in text or text.endswith("/site")


def _fault(real: Callable[..., Any], when: str, errno_: int = 28) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not any(_swap_step(a) for a in args):
            return real(*args, **kwargs)  # not a step of the swap
        if when == "kill-after":
            real(*args, **kwargs)
        if when.startswith("kill"):
            raise Killed
        raise OSError(errno_, os.strerror(errno_), str(args[0]))
    return wrapper


def install_fault(fault: str, patch: pytest.MonkeyPatch) -> None:
    import mkdocs.utils

    import generator.output.publish as publish

    target, when = fault.split(":")
    if target == "exchange":
        patch.setattr(publish, "_exchange", _fault(publish._exchange, when))
    elif target == "fallback-first-rename":  # without RENAME_EXCHANGE: two renames
        patch.setattr(publish, "_exchange", lambda a, b: False)
        real_rename = os.rename
        calls = iter(range(10))
        patch.setattr(publish.os, "rename", lambda a, b: (_fault(real_rename, when) if next(calls) == 0 else real_rename)(a, b))
    elif target == "rmtree-old":  # removing the previous site after the swap: half deleted, then stopped
        real_rmtree = shutil.rmtree

        def half(path: Path, *args: Any, **kwargs: Any) -> None:
            if ".site.building-" not in str(path):
                return real_rmtree(path, *args, **kwargs)
            files = sorted(p for p in Path(path).rglob("*") if p.is_file())
            for file in files[: len(files) // 2]:
                file.unlink()
            if when == "raise":
                raise OSError(13, "Permission denied", str(path))
            raise Killed
        patch.setattr(publish.shutil, "rmtree", half)
    elif target == "write":  # MkDocs writing pages into the staging folder: the disk fills up mid-build
        real_write = mkdocs.utils.write_file
        count = iter(range(10**6))

        def write(content: bytes, output_path: str) -> None:
            if next(count) == 4:
                _fault(real_write, when)(output_path, content)
            real_write(content, output_path)
        patch.setattr(mkdocs.utils, "write_file", write)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def build_in_process(project: Path, fault: str | None = None) -> tuple[int, str]:
    """`mkdocs build --strict` in this process (no start-up cost): (exit code, what it logged and printed)."""
    from click.testing import CliRunner
    from mkdocs.__main__ import cli

    logger = logging.getLogger("mkdocs")
    collect = Collect()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in ENV.items():
            patch.setenv(key, value)
        if fault:
            install_fault(fault, patch)
        logger.addHandler(collect)
        try:
            result = CliRunner().invoke(cli, ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
                                        catch_exceptions=False)
        except Killed:
            return 137, "\n".join(collect.lines)
        finally:
            for handler in list(logger.handlers):
                if handler is collect or type(handler).__name__ == "WarningCounter":
                    logger.removeHandler(handler)  # a killed build leaves its counter behind
    return result.exit_code, result.output + "\n".join(collect.lines)


def build(project: Path) -> subprocess.CompletedProcess[str]:
    args = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml"),
            "-d", str(project / "site")]
    return subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site.building-", ".site.previous-", ".site.search-")))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """One good build of the tiny project (old), and the tree of the edited project (new)."""
    root = tmp_path_factory.mktemp("publish")
    project = copy_tiny(root / "project")
    assert build(project).returncode == 0
    old = tree(project / "site")
    edit(project / "content/about.md", "# About\n", "# About this site\n")
    shutil.rmtree(project / "site")
    assert build(project).returncode == 0
    new = tree(project / "site")
    shutil.rmtree(project / "site")
    assert build(copy_back(project)).returncode == 0  # back to the old site for the copies
    assert tree(project / "site") == old and old != new
    return project, old, new


def copy_back(project: Path) -> Path:
    edit(project / "content/about.md", "# About this site\n", "# About\n")
    return project


def fresh(baseline: tuple[Path, dict[str, str], dict[str, str]], dest: Path) -> Path:
    """A copy of the project with the old site built, and the edit that makes the new one."""
    project = dest / "project"
    shutil.copytree(baseline[0], project, symlinks=True)
    edit(project / "content/about.md", "# About\n", "# About this site\n")
    return project


#: fault -> (exit code, what site/ must be afterwards: "old", "new" or "old-new-or-missing")
FAULTS = {
    "exchange:kill": (137, "old"),            # killed just before the one step that publishes
    "exchange:kill-after": (137, "new"),      # killed just after it, before the old site is removed
    "exchange:raise": (1, "old"),
    "rmtree-old:kill": (137, "new"),          # killed half way through removing the old site
    "rmtree-old:raise": (0, "new"),           # the old site could not be removed: published anyway, cleaned next time
    "fallback-first-rename:kill": (137, "old"),
    "fallback-first-rename:kill-after": (137, "missing"),  # the documented gap of the two-rename fallback
    "fallback-first-rename:raise": (1, "old"),
    "write:raise": (1, "old"),                # the disk fills up while MkDocs writes pages
    "write:kill": (137, "old"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_killed_or_failing_at_each_step_leaves_a_whole_site(baseline: tuple[Path, dict[str, str], dict[str, str]],
                                                            tmp_path: Path, fault: str) -> None:
    _project, old, new = baseline
    project = fresh(baseline, tmp_path)
    code, output = build_in_process(project, fault)
    expected_code, expected = FAULTS[fault]
    assert code == expected_code, output
    assert "Traceback" not in output, output
    site = project / "site"
    if expected == "missing":
        # Without RENAME_EXCHANGE (old kernels, some filesystems) the swap is two renames: killed between
        # them there is no site/ until the next build. Linux filesystems here have the exchange.
        assert not site.exists()
    else:
        assert tree(site) == {"old": old, "new": new}[expected], f"site/ is not the {expected} build after {fault}"
    if code == 1:
        assert "was left as it was" in output, output
    again, output = build_in_process(project)
    assert again == 0, output
    assert tree(site) == new
    assert leftovers(project) == [], "the next build must remove what the stopped one left"


def test_full_disk_while_writing_is_a_message(baseline: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    project = fresh(baseline, tmp_path)
    code, output = build_in_process(project, "write:raise")
    assert code == 1
    assert "the disk is full" in output and "Traceback" not in output, output
    assert tree(project / "site") == baseline[1]


def test_sigkill_at_any_moment_leaves_old_or_new(baseline: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    """Real processes, killed with SIGKILL while starting, building and swapping."""
    _project, old, new = baseline
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    for i, delay in enumerate((0.5, 1.5, 2.5, 3.5)):
        project = fresh(baseline, tmp_path / str(i))
        proc = subprocess.Popen([mkdocs, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
                                env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree(project / "site") in (old, new), f"killed after {delay}s: site/ is not a whole build"
        code, output = build_in_process(project)
        assert code == 0, output
        assert tree(project / "site") == new and leftovers(project) == []


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan whose reaper has not yet collected it counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def test_sigkill_while_pagefind_writes(baseline: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    """The race once seen as 'could not write the built site (pagefind): Directory not empty': Pagefind, started by
    the build, outlived a SIGKILLed build and went on writing into its staging folder while the next build removed
    it. Now the kernel kills Pagefind with the build; the next build is clean."""
    _project, old, new = baseline
    project = fresh(baseline, tmp_path)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    proc = subprocess.Popen([mkdocs, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pagefind: list[int] = []

    def pagefind_started() -> bool:
        try:
            pagefind[:] = [c for c in _children(proc.pid) if "pagefind" in Path(f"/proc/{c}/cmdline").read_text()]
        except (FileNotFoundError, ProcessLookupError):
            pass
        return bool(pagefind) or proc.poll() is not None

    assert _wait_until(pagefind_started, 240) and pagefind, "the build ended before Pagefind was seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _wait_until(lambda: not _running(pagefind[0]), 2), "Pagefind outlived the build that started it"
    assert tree(project / "site") == old
    code, output = build_in_process(project)
    assert code == 0, output
    assert tree(project / "site") == new and leftovers(project) == []


_KILL_ME = """
import subprocess, sys, time
from pathlib import Path
from generator.base.pool import fork_map
from generator.output.search_bundles import build_index
if sys.argv[1] == "pool":
    fork_map(lambda i: time.sleep(120), [1, 2], 2)
else:
    build_index(Path(sys.argv[2]), executable=Path(sys.argv[3]))
"""


@pytest.mark.parametrize("what", ["pool", "indexer"])
def test_children_die_with_a_killed_build(tmp_path: Path, what: str) -> None:
    """Pool workers and the search indexer end when the build that started them is killed (no orphans)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<div data-pagefind-body><p>A page to index</p></div>")
    indexer = tmp_path / "slow-indexer"  # stands for Pagefind on a big site: takes its time, whatever it is given
    indexer.write_text("#!/bin/sh\nexec sleep 120\n")
    indexer.chmod(0o755)
    proc = subprocess.Popen([sys.executable, "-c", _KILL_ME, what, str(tmp_path / "site"), str(indexer)], cwd=ROOT)
    expected = 2 if what == "pool" else 1
    assert _wait_until(lambda: len(_children(proc.pid)) >= expected, 60), "the children did not start"
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _wait_until(lambda: not any(_running(c) for c in children), 5), f"orphans left running: {children}"


def test_a_second_build_while_one_runs_stops_with_a_message(baseline: tuple[Path, dict[str, str], dict[str, str]],
                                                             tmp_path: Path) -> None:
    """While a build holds the lock (here: this test, as a running build would), another one stops at once."""
    from generator.output.publish import BuildLock

    _project, old, new = baseline
    project = fresh(baseline, tmp_path)
    running = BuildLock(project / "site")
    running.acquire()
    try:
        result = build(project)
    finally:
        running.release()
    assert result.returncode == 1
    assert f"another build of {project / 'site'} is running (process {os.getpid()})" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project / "site") == old and leftovers(project) == []
    code, output = build_in_process(project)
    assert code == 0 and tree(project / "site") == new, output


def test_two_builds_started_together(baseline: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    _project, _old, new = baseline
    project = fresh(baseline, tmp_path)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    args = [mkdocs, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]
    procs = [subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    for proc in procs:
        if proc.stderr:
            proc.stderr.close()
        if proc.stdout:
            proc.stdout.close()
    assert any(code == 0 for code, _err in results), results
    for code, err in results:
        assert "Traceback" not in err
        if code:
            assert "another build of" in err, err
    assert tree(project / "site") == new and leftovers(project) == []


@pytest.mark.parametrize("text", ["TODO: finish this paragraph.", "Seven sevens are {{ 7*7 }}."])
def test_strict_counts_warnings_from_the_first_line(baseline: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path,
                                                    text: str) -> None:
    """The check's own warnings are logged before anything is built: a --strict build must still stop
    and keep the old site (it used to swap the new one in, then exit 1)."""
    project = fresh(baseline, tmp_path)
    edit(project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", f"Fife is a large area. {text}")
    code, output = build_in_process(project)
    assert code == 1, output
    assert "WARNING" in output
    assert tree(project / "site") == baseline[1]
    assert leftovers(project) == []


def test_unwritable_output_folder_is_a_message(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    result = subprocess.run([mkdocs, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(blocker / "site")],
                            capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write beside" in result.stderr, result.stderr
