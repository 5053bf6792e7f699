"""The architecture a newcomer reads in the README is the one the code has: a folder per stage, imports only
downward (import-linter's layers contract), no cycle, the core without MkDocs, and the check without templates."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp

from .support import ROOT, TINY

BIN = Path(sys.executable).parent
PACKAGE = ROOT / "generator"


def test_the_import_contracts_hold() -> None:
    """`[tool.importlinter]` in pyproject.toml: the stages' order, no MkDocs in the core, no templates in the check."""
    done = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Contracts: (\d+) kept, 0 broken", done.stdout), done.stdout
    assert int(re.search(r"Contracts: (\d+) kept", done.stdout).group(1)) >= 3  # type: ignore[union-attr]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back() -> None:
    """No cycle between modules, counting imports inside functions and under TYPE_CHECKING."""
    graph = grimp.build_graph("generator", cache_dir=None)
    modules = {m for m in graph.modules if m.startswith("generator")}
    edges = {m: {d for d in graph.find_modules_directly_imported_by(m) if d in modules} for m in modules}
    assert _cycles(edges) == []


def _readme_modules() -> dict[str, set[str]]:
    """Folder -> module files the README's "How it is built" section names under that folder's heading."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## How it is built"):]
    section = section[:section.index("\n## ", 3)]
    named: dict[str, set[str]] = {}
    folder = None
    for line in section.splitlines():
        heading = re.match(r"### `generator/(\w+)/`", line)
        if heading:
            folder = heading.group(1)
            named[folder] = set()
        elif folder and line.startswith("- "):
            item = line.split(":", 1)[0]
            named[folder] |= set(re.findall(r"`(\w+\.py)`", item))
    return named


def test_the_readme_names_every_module_under_its_stage() -> None:
    actual: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) == 1:  # generator/__init__.py and __main__.py: the package itself
            assert rel.name in ("__init__.py", "__main__.py"), f"{rel}: every module belongs to a stage's folder"
            continue
        if rel.name != "__init__.py":
            actual.setdefault(rel.parts[0], set()).add(rel.name)
    assert _readme_modules() == actual


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_check_loads_no_templates_html_cleaner_markdown_or_mkdocs() -> None:
    done = _run(f"""
        import sys
        from generator.cli.main import main
        code = main(["check", {str(TINY)!r}])
        print(code, sorted(m for m in ("jinja2", "nh3", "markdown", "mkdocs", "material", "brotli") if m in sys.modules))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_the_core_runs_without_mkdocs() -> None:
    """Every module but the adapter imports, and the tiny site is checked and rendered, with MkDocs unimportable."""
    done = _run(f"""
        import importlib, pkgutil, sys
        from pathlib import Path

        class NoMkDocs:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("mkdocs", "material"):
                    raise ImportError("MkDocs is not installed")
                return None

        sys.meta_path.insert(0, NoMkDocs())
        import generator
        for info in pkgutil.walk_packages(generator.__path__, "generator."):
            if not info.name.startswith("generator.adapter") and info.name != "generator.__main__":
                importlib.import_module(info.name)
        from generator.derive.site import check_site
        from generator.render.render import Renderer, make_environment, render_pages, render_feeds
        from generator.render.opendata import site_files
        project = Path({str(TINY)!r})
        data, derived, problems = check_site(project)
        assert derived is not None, [str(p) for p in problems.sorted()]
        env = make_environment([Path({str(ROOT / "overrides")!r})])
        pages = render_pages(Renderer(derived, env))
        files = site_files(derived, "https://example.org/")
        print(len(pages), len(files), "mkdocs" in sys.modules)
    """)
    assert done.returncode == 0, done.stderr
    pages, files, mkdocs_loaded = done.stdout.split()
    assert int(pages) > 10 and int(files) > 3 and mkdocs_loaded == "False"
