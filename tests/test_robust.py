"""Robust, safe builds: atomic output, reproducible trees, no injection, no path escapes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .support import copy_tiny, edit, mkdocs_build, tree


@pytest.fixture
def good_build(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    project = copy_tiny(tmp_path / "project")
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return project, site, tree(site)


DEFECTS = {
    "broken-link": ("content/about.md", "# About\n", "# About\n\nSee [missing](missing.md).\n"),
    "broken-anchor": ("content/about.md", "# About\n", "# About\n\nSee [the scale](evaluation-scale.md#no-such-anchor).\n"),
    "bad-grade": ("site-data/inspections/fife-2023.yaml", "grade: 5", "grade: 12"),
    "template-error": ("mkdocs.yml", "templates_dirs: [", "templates_dirs: [broken, "),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_failed_build_leaves_previous_site_untouched(good_build: tuple[Path, Path, dict[str, str]], defect: str) -> None:
    project, site, before = good_build
    file, old, new = DEFECTS[defect]
    if defect == "template-error":
        (project / "broken/report-site").mkdir(parents=True)
        (project / "broken/report-site/glossary.md.j2").write_text("{{ undefined_thing.attribute }}\n")
    edit(project / file, old, new)
    result = mkdocs_build(project, site)
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(site) == before
    assert not [*project.glob(".site.building-*"), *project.glob(".site.previous-*"), *project.glob(".site.search-*")], "staging folder left behind"


def test_successful_build_replaces_site_whole(good_build: tuple[Path, Path, dict[str, str]]) -> None:
    project, site, _before = good_build
    (site / "stale.html").write_text("left over from an old build")
    edit(project / "content/about.md", "# About\n", "# About this site\n")
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists()
    assert "About this site" in (site / "about/index.html").read_text()


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    trees = []
    for seed, tz in (("1", "UTC"), ("4242", "Pacific/Auckland")):
        site = tmp_path / f"site-{seed}"
        for path in project.rglob("*"):  # different file times on each run
            os.utime(path, (int(seed) * 1000, int(seed) * 1000))
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                                capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        trees.append(tree(site))
    # Every file, Pagefind's index included: its filter and metadata chunks, which Pagefind writes in
    # hash-map order (its issue #638), are put in sorted order after it runs (generator/output/pagefind_stable.py).
    assert trees[0] == trees[1], sorted(k for k in trees[0].keys() | trees[1].keys() if trees[0].get(k) != trees[1].get(k))
    for part in ("/fragment/", "/index/", "/filter/", "/pagefind-entry.json"):
        assert any(k.startswith("pagefind/") and part in k for k in trees[0]), part
    assert any(k.endswith(".pf_meta") for k in trees[0])


@pytest.mark.parametrize("ref", ["../outside.md", "/etc/passwd.md", "narrative\\inspections\\fife-2023.md", "narrative/x\x00.md"])
def test_narrative_paths_cannot_escape_content(tmp_path: Path, ref: str) -> None:
    from generator.derive.site import check_site

    project = copy_tiny(tmp_path / "project")
    (project / "outside.md").write_text("secret")
    text = (project / "site-data/inspections/fife-2023.yaml").read_text()
    quoted = ref.replace("\\", "\\\\").replace("\x00", "\\0")
    (project / "site-data/inspections/fife-2023.yaml").write_text(
        text.replace("narrative: narrative/inspections/fife-2023.md", f'narrative: "{quoted}"')
    )
    _data, derived, problems = check_site(project)
    assert derived is None
    assert any("narrative" in p.message for p in problems.errors), problems.sorted()


def test_symlink_out_of_content_is_refused(tmp_path: Path) -> None:
    from generator.derive.site import check_site

    project = copy_tiny(tmp_path / "project")
    (tmp_path / "secret.md").write_text("secret")
    link = project / "content/narrative/inspections/fife-2023.md"
    link.unlink()
    link.symlink_to(tmp_path / "secret.md")
    _data, derived, problems = check_site(project)
    assert any("outside content/" in p.message for p in problems.errors), problems.sorted()


def test_every_locked_dependency_is_hash_pinned() -> None:
    from .support import ROOT

    entries: list[list[str]] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    assert len(entries) > 10
    for entry in entries:
        assert "==" in entry[0], f"not pinned exactly: {entry[0]}"
        assert any("--hash=sha256:" in line for line in entry), f"no hash for {entry[0]}"
    assert "--require-hashes" in (ROOT / ".ci/setup").read_text()
