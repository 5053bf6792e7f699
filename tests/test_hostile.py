"""A corpus of hostile and malformed inputs, in the eight groups of issue 11.

Each case changes a clean copy of the tiny project and says what must happen:
refused (an error naming the file, and the line where there is one) or accepted
harmlessly. Most go through `check_site`, the in-process API that `generator check`
and every build run first (a build with an error stops before touching site/);
`test_refused_cases_leave_site_untouched` builds a sample of them for real, from one
shared good build. Swap faults and concurrent builds are in test_publish.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import (
    INSPECTION,
    NARRATIVE,
    TINY,
    ActiveContent,
    Case,
    assert_case,
    copy_tiny,
    edit,
    mkdocs_build,
    project_for,
    refused_build,
    replace,
    symlink,
    tree,
    write,
)

CASES: list[Case] = []

# --- 1. front matter of content/ pages: only plain keys; nothing that drives the theme ----------------------
FRONT_MATTER_KEYS = ["template", "location", "author", "redirect", "extra", "icon", "status", "tags", "search", "hide_toc",
                     "meta", "social", "comments", "og_image", "canonical_url", "refresh", "script", "base", "layout", "theme"]
for key in FRONT_MATTER_KEYS:
    CASES.append(Case("front-matter", f"key-{key}", write("content/about.md", f"---\n{key}: redirect.html\n---\n# About\n"),
                      "content/about.md", 2, f"'{key}' is not allowed"))
    CASES.append(Case("front-matter", f"multimarkdown-{key}", write("content/about.md", f"{key}: x\n\n# About\n"),
                      "content/about.md", 1, f"'{key}' is not allowed"))
for name, value in [("title-list", "title: [a, b]"), ("title-mapping", "title: {a: b}"), ("hide-bad", "hide: [everything]"),
                    ("report-site-other", "report_site: feed"), ("anchor", "title: &a x"), ("tag", "title: !!python/object x"),
                    ("description-multiline", "description: |\n  a\n  b")]:
    CASES.append(Case("front-matter", name, write("content/about.md", f"---\n{value}\n---\n# About\n"), "content/about.md", 2))
for name, title in [("title-img", "<img src=x onerror=alert(1)>"), ("title-script", "</title><script>alert(1)</script>"),
                    ("description-close-meta", '"><script>alert(1)</script>'), ("title-svg", "<svg onload=alert(1)>")]:
    key = "description" if name.startswith("description") else "title"
    CASES.append(Case("front-matter", f"escaped-{name}", write("content/about.md", f"---\n{key}: '{title}'\n---\n# About\n"), None))

# --- 2. files in content/: pages, styles and images only; links stay inside ----------------------------------
for suffix, body in [(".html", "<script>alert(1)</script>"), (".htm", "<script>alert(1)</script>"), (".svg", "<svg onload=alert(1)/>"),
                     (".js", "alert(1)"), (".mjs", "alert(1)"), (".txt", "Call 0131 496 0123 or jane.doe@example.com"),
                     (".xml", "<x/>"), (".json", "{}"), (".xhtml", "<html/>"), (".php", "<?php ?>"), (".shtml", "<!--#exec -->"),
                     (".swf", "FWS"), (".pdf", "%PDF-1.4 /JS"), (".csv", "=HYPERLINK()"), (".yaml", "a: 1"), (".markdown", "# x"),
                     (".MD.html", "<script>"), (".wasm", "\0asm"), (".map", "{}"), (".webmanifest", "{}")]:
    CASES.append(Case("content-files", f"file{suffix}", write(f"content/extra{suffix}", body), f"content/extra{suffix}", None,
                      "cannot be in content/"))
CASES += [
    Case("content-files", "file-in-narrative-folder", write("content/narrative/x.css", "a{}"), "content/narrative/x.css"),
    Case("content-files", "fake-png", write("content/assets/x.png", "<script>alert(1)</script>"), "content/assets/x.png",
         None, "not a PNG"),
    Case("content-files", "fake-jpg", write("content/assets/x.jpg", "<html>"), "content/assets/x.jpg", None, "not a JPG"),
    Case("content-files", "real-png", write("content/assets/x.png", b"\x89PNG\r\n\x1a\n" + bytes(32)), None),
    Case("content-files", "css-import", write("content/assets/x.css", "a{}\n@import url(https://evil.example/x.css);\n"),
         "content/assets/x.css", 2),
    Case("content-files", "css-remote-url", write("content/assets/x.css", "a { background: url('https://evil.example/t.gif') }\n"),
         "content/assets/x.css", 1),
    Case("content-files", "css-protocol-relative", write("content/assets/x.css", "a { background: url(//evil.example/t) }\n"),
         "content/assets/x.css", 1),
    Case("content-files", "css-expression", write("content/assets/x.css", "a { width: expression(alert(1)) }\n"),
         "content/assets/x.css", 1),
    Case("content-files", "css-local", write("content/assets/x.css", "a { background: url(x.png); scroll-behavior: auto }\n"), None),
    Case("content-files", "symlink-page-outside", symlink("content/pw.md", "/etc/passwd"), "content/pw.md", None, "outside content/"),
    Case("content-files", "symlink-css-outside", symlink("content/x.css", "/etc/hostname"), "content/x.css", None, "outside content/"),
    Case("content-files", "symlink-dangling", symlink("content/gone.md", "/nonexistent/x.md"), "content/gone.md"),
    Case("content-files", "symlink-folder", symlink("content/etc", "/etc"), "content/etc", None, "folder"),
    Case("content-files", "symlink-folder-inside", symlink("content/again", "content/narrative"), "content/again"),
    Case("content-files", "symlink-page-inside", symlink("content/about-again.md", "content/about.md"), None),
    Case("content-files", "data-symlink-outside", symlink("site-data/partnerships/fife.yaml", "/etc/passwd"),
         "site-data/partnerships/fife.yaml", None, "outside the project"),
    Case("content-files", "narrative-symlink-outside", symlink(NARRATIVE, "/etc/passwd"), INSPECTION, None, "outside content/"),
    Case("content-files", "dotfile-ignored", write("content/.secret.html", "<script>"), None),
]

# --- 7. silent damage: paths claimed twice ----------------------------------------------------------------------
CASES += [
    Case("clashes", "theme-id-index", lambda p: _rename_theme(p, "index"), "site-data/themes.yaml", 5, "themes/index.md"),
    Case("clashes", "partnership-index", lambda p: _rename_partnership(p, "index", "Index"), "site-data/partnerships/index.yaml",
         None, "partnerships/index.md"),
    Case("clashes", "partnership-feed-publications", lambda p: _rename_partnership(p, "publications", "Publications"),
         "site-data/partnerships/publications.yaml", None, "feeds/publications.xml"),
    Case("clashes", "content-glossary", write("content/glossary.md", "# Glossary\n"), "content/glossary.md", None,
         "clashes with a generated page"),
    Case("clashes", "content-publications", write("content/publications.md", "# P\n"), "content/publications.md"),
    Case("clashes", "content-partnership", write("content/partnerships/fife.md", "# Fife\n"), "content/partnerships/fife.md"),
    Case("clashes", "content-inspection", write("content/inspections/fife-2023.md", "# F\n"), "content/inspections/fife-2023.md"),
    Case("clashes", "content-theme-index", write("content/themes/index.md", "# T\n"), "content/themes/index.md"),
    Case("clashes", "content-open-data", write("content/open-data.md", "# D\n"), "content/open-data.md"),
    Case("clashes", "content-scale", write("content/evaluation-scale.md", "# S\n"), "content/evaluation-scale.md"),
]


def _rename_theme(project: Path, new_id: str) -> None:
    for path in (project / "site-data").rglob("*.yaml"):
        text = path.read_text()
        text = text.replace("id: leadership", f"id: {new_id}").replace("[leadership]", f"[{new_id}]")
        text = text.replace("leadership]", f"{new_id}]").replace("- leadership\n", f"- {new_id}\n")
        path.write_text(text)


def _rename_partnership(project: Path, new_id: str, name: str) -> None:
    old = project / "site-data/partnerships/perth-and-kinross.yaml"
    text = old.read_text()
    old.unlink()
    import re

    (project / f"site-data/partnerships/{new_id}.yaml").write_text(re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1))
    for path in (project / "site-data").rglob("*.yaml"):
        path.write_text(path.read_text().replace("perth-and-kinross", new_id))


# --- 8. smaller ---------------------------------------------------------------------------------------------------
CASES += [
    Case("smaller", "narrative-nul", replace(NARRATIVE, "Fife is a large area.", "Fife is\n a large\x00 area."), NARRATIVE, 2, "NUL"),
    Case("smaller", "narrative-latin1", lambda p: (p / NARRATIVE).write_bytes(b"Fife\n\nis \xe9 large.\n"), NARRATIVE, 3, "UTF-8"),
    Case("smaller", "page-nul", write("content/about.md", "# About\n\nx\x00y\n"), "content/about.md", 3, "NUL"),
    Case("smaller", "page-latin1", write("content/about.md", b"# About\n\ncaf\xe9\n"), "content/about.md", 3, "UTF-8"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    assert_case(case, project_for(case, tmp_path / "project"))


def test_corpus_size() -> None:
    assert len(CASES) >= 100  # with the other groups below and in test_publish.py: >= 200 in all


# --- built for real: one good build shared, then a sample of the refused cases ----------------------------------


@pytest.fixture(scope="session")
def built(tiny_site: Path) -> tuple[Path, dict[str, str]]:
    """The tiny project as built (read only: each refused case is applied to a copy)."""
    return tiny_site.parent, tree(tiny_site)


SAMPLE = ["front-matter:key-template", "content-files:file.html", "content-files:symlink-page-outside", "clashes:theme-id-index",
          "clashes:content-glossary", "smaller:narrative-nul"]


@pytest.mark.parametrize("case_id", SAMPLE)
def test_refused_cases_leave_site_untouched(built: tuple[Path, dict[str, str]], tmp_path: Path, case_id: str) -> None:
    refused_build(next(c for c in CASES if c.id == case_id), *built, tmp_path)


def test_front_matter_text_is_shown_not_run(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    edit(project / "content/about.md", "# About\n",
         "---\ntitle: '<img src=x onerror=alert(1)>'\ndescription: '\"><script>alert(1)</script>'\n---\n# About\n")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    page = (project / "site/about/index.html").read_text()
    assert "<img src=x" not in page and "<script>alert" not in page  # shown escaped, or not at all
    parser = ActiveContent()
    parser.feed(page)
    assert not parser.found


assert TINY.is_dir()
