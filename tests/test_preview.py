"""`mkdocs serve`'s preview (generator/adapter/preview.py): after an edit of a data file or a narrative, the pages
are rendered again when asked for; the site it serves is then, byte for byte, the site a full build of the edited
project writes. Edits that change the navigation or the list of pages are full builds; bad data stops the preview
and leaves the pages as they were.

The server is played here as `mkdocs serve` plays it (a new config for each full build, one plugin instance), without
its web server: each page is asked for through `Preview.ensure`, as the request handler asks."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .support import copy_tiny, edit

URL = "http://127.0.0.1:8000/"


class Session:
    """One `mkdocs serve` of `project`, its site in `site_dir`."""

    def __init__(self, project: Path, site_dir: Path) -> None:
        self.project, self.site_dir = project, site_dir
        self.full_builds = 0
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=URL)
        self.plugin = config.plugins["report-site"]
        self.preview = self.plugin.preview  # type: ignore[attr-defined]
        assert self.preview is not None and self.preview.ready

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir))
        config.site_url = URL  # as `mkdocs serve` sets it
        return config

    def full_build(self) -> None:
        self.full_builds += 1
        build(self.config(), serve_url=URL)

    def rebuild(self) -> None:
        self.preview.rebuild(self.full_build)

    def visit_all(self) -> None:
        """Every page and data file asked for, as a reader going through the whole site would."""
        for path in [*self.preview.pages, *self.preview.extra_paths]:
            self.preview.ensure(path)

    def close(self) -> None:
        self.plugin.on_shutdown()


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site but the search index (built in the background, compared by the search tests) and the
    folder it is built in while it runs."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith(("pagefind/", ".pagefind-work/"))}


FRESH = """
import sys
import time
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
config.site_url = sys.argv[3]
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=sys.argv[3])
config.plugins.on_shutdown()
"""


def assert_same_site(previewed: Path, project: Path, tmp_path: Path) -> None:
    """The previewed site is the one a fresh `mkdocs serve` of the project writes (in a process of its own: MkDocs
    keeps one plugin instance per process, which this session's is)."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    done = subprocess.run([sys.executable, "-c", FRESH, str(project / "mkdocs.yml"), str(fresh), URL],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    got, want = site_files(previewed), site_files(fresh)
    assert got.keys() == want.keys()
    differ = [path for path in want if got[path] != want[path]]
    assert not differ, f"the preview differs from a full build in {differ[:10]}"
    shutil.rmtree(fresh)


def assert_previewed(session: Session, tmp_path: Path) -> None:
    """The edits made are previewed (no full build), and once every page is asked for, the site is a full build's."""
    session.rebuild()
    assert session.full_builds == 0
    session.visit_all()
    assert_same_site(session.site_dir, session.project, tmp_path)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    project = copy_tiny(tmp_path / "project")
    served = Session(project, tmp_path / "served")
    yield served
    served.close()


def test_a_narrative_edit_is_previewed_and_the_site_is_what_a_build_writes(session: Session, tmp_path: Path) -> None:
    page = session.site_dir / "inspections/fife-2023/index.html"
    before = page.read_bytes()
    # a glossary term the report did not use yet ("initial referral discussion" is an alias): the glossary page lists it
    edit(session.project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.",
         "Fife is a kingdom. An initial referral discussion was held.")
    session.rebuild()
    assert session.full_builds == 0
    assert page.read_bytes() == before  # nothing is rendered until it is asked for
    session.preview.ensure("inspections/fife-2023/index.html")
    assert "Fife is a kingdom." in page.read_text()
    session.visit_all()
    assert_same_site(session.site_dir, session.project, tmp_path)


def test_a_data_edit_shown_on_many_pages_and_files_is_previewed(session: Session, tmp_path: Path) -> None:
    # a grade: the report, its partnership, its programme, the evaluations' data files and the feeds show it (its
    # summary and the review's claim follow it, or the check would stop the preview)
    edit(session.project / "site-data/inspections/fife-2023.yaml", "    grade: 5\n", "    grade: 4\n")
    edit(session.project / "site-data/inspections/fife-2023.yaml", "as very good", "as good")
    edit(session.project / "site-data/reviews/review-2021.yaml", "One very good, one good, one adequate\n    indicators: [\"2.1\", \"2.2\"]\n"
         "    distribution: {5: 1, 4: 1, 3: 1}", "Two good, one adequate\n    indicators: [\"2.1\", \"2.2\"]\n    distribution: {4: 2, 3: 1}")
    edit(session.project / "site-data/partnerships/fife.yaml", "370,000", "371,234")
    session.rebuild()
    assert session.full_builds == 0
    session.visit_all()
    assert "371,234" in (session.site_dir / "partnerships/fife/index.html").read_text()
    assert_same_site(session.site_dir, session.project, tmp_path)


def test_a_title_the_navigation_does_not_show_is_previewed(session: Session, tmp_path: Path) -> None:
    # a report's title: its page, its partnership's and programme's lists, the feeds and data files show it
    edit(session.project / "site-data/inspections/fife-2023.yaml", "title: Joint inspection", "title: The joint inspection")
    assert_previewed(session, tmp_path)


def test_an_edit_that_changes_the_navigation_is_a_full_build(session: Session, tmp_path: Path) -> None:
    # a review is listed in the navigation, under its title
    edit(session.project / "site-data/reviews/review-2021.yaml", "title: Review of findings", "title: A review of findings")
    session.rebuild()
    assert session.full_builds == 1
    assert_same_site(session.site_dir, session.project, tmp_path)
    # a page added is one too
    shutil.copy(session.project / "content/about.md", session.project / "content/about-again.md")
    session.rebuild()
    assert session.full_builds == 2


def test_bad_data_stops_the_preview_and_the_pages_stay(session: Session, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    page = session.site_dir / "partnerships/fife/index.html"
    before = page.read_bytes()
    target = session.project / "site-data/inspections/fife-2023.yaml"
    edit(target, "    grade: 5\n", "    grade: 9\n")
    with caplog.at_level(logging.ERROR), pytest.raises(SystemExit):  # MkDocs' Abort: the server says it is stuck
        session.rebuild()
    assert "fife-2023.yaml" in caplog.text and "Traceback" not in caplog.text
    session.visit_all()
    assert page.read_bytes() == before
    edit(target, "    grade: 9\n", "    grade: 5\n")
    edit(session.project / "site-data/partnerships/fife.yaml", "370,000", "371,234")
    assert_previewed(session, tmp_path)


def test_pages_nobody_asks_for_are_brought_up_to_date_in_the_background(session: Session, tmp_path: Path) -> None:
    edit(session.project / "site-data/partnerships/fife.yaml", "370,000", "371,234")
    edit(session.project / "content/narrative/inspections/fife-2023.md", "Fife is a large area.", "Fife is a kingdom.")
    session.rebuild()
    preview = session.preview
    deadline = time.monotonic() + 60
    while not (all(done == preview.generation for done in preview.done.values()) and preview.extras_done == preview.generation):
        assert time.monotonic() < deadline, "the background catch-up did not finish within 60 s"
        time.sleep(0.1)
    with preview.lock:  # the catch-up's last step (the search index) is started under the lock
        pass
    assert_same_site(session.site_dir, session.project, tmp_path)


def test_a_hand_written_page_edited_is_a_full_build(session: Session) -> None:
    edit(session.project / "content/about.md", "# About\n", "# About\n\nAn added line.\n")
    session.rebuild()
    assert session.full_builds == 1
    assert "An added line." in (session.site_dir / "about/index.html").read_text()


def test_a_report_removed_and_added_again_is_previewed(session: Session, tmp_path: Path) -> None:
    # a response's page is not in the navigation: its page and data file go and come without a full build, and the
    # pages that list it, the sitemap and the data files follow
    record = session.project / "site-data/responses/fife-response-2023.yaml"
    text = record.read_text()
    record.unlink()
    session.rebuild()
    assert session.full_builds == 0
    session.visit_all()
    assert not (session.site_dir / "responses/fife-response-2023").exists()
    assert_same_site(session.site_dir, session.project, tmp_path)
    record.write_text(text.replace("Inspection outcome report", "The inspection outcome report"))
    session.rebuild()
    assert session.full_builds == 0
    session.visit_all()
    assert "The inspection outcome report" in (session.site_dir / "responses/fife-response-2023/index.html").read_text()
    assert_same_site(session.site_dir, session.project, tmp_path)
