"""Measure the effect of suggested generator changes without editing generator/ (see bench/README.md).

    .venv/bin/python bench/experiments.py --reports 1000 [--at-commit HEAD] [--builds nav,all] [--workdir DIR]

Each suggestion is applied as a patch at run time (code objects swapped, so every caller sees it):

  escape        render.md_escape: str.translate instead of a per-character generator
  terms         glossary_links.TermMatcher.build: a first-letter lookahead before the glossary pattern
                (used by derive._term_usage and by the glossary links on every page)
  disclosures   disclosures.find_disclosures: return early when the text has no digit and no '@'
  placeholders  placeholders.find_placeholders: return early when the text has no '{{'
  nav           plugin: publication pages left out of the nav (File.generated(..., inclusion=NOT_IN_NAV));
                the Publications tab lists its index page, which links every report

It checks that the patches other than nav change no output (the rendered Markdown, the term index
and the check's problems against the unpatched run; the built sites with and without them), times
the generator stage with each patch, and times full builds: ours with `nav` only and with every
patch, against the floor with the same small nav.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py)

ALL = ("escape", "terms", "disclosures", "placeholders", "nav")


# ----------------------------------------------------------------------------------------------
# The patches
# ----------------------------------------------------------------------------------------------

def _swap_code(func: Any, new: Any) -> None:
    func.__code__ = new.__code__


def _rewrite(module: Any, name: str, old: str, new: str, patch: str) -> None:
    """Recompile module.name from its source with `old` replaced by `new`; every caller then runs the new code."""
    import inspect

    func = getattr(module, name)
    code = inspect.getsource(func)
    if old not in code:
        raise SystemExit(f"patch {patch}: {module.__name__}.{name} no longer has {old.strip()!r}; update bench/experiments.py")
    namespace: dict[str, Any] = {}
    exec(compile(code.replace(old, new, 1), module.__file__, "exec"), module.__dict__, namespace)
    _swap_code(func, namespace[name])


def patch_escape() -> None:
    from generator.render.render import render

    render._HTML_TABLE = str.maketrans(render._HTML)
    _rewrite(render, "md_escape", 'text = "".join(_HTML.get(ch, ch) for ch in text)', "text = text.translate(_HTML_TABLE)", "escape")


def patch_disclosures() -> None:
    """Every disclosure pattern needs a digit or an '@': texts with neither are skipped (most YAML strings)."""
    from generator.model import disclosures

    old = "    urls = [(mt.start(), mt.end()) for mt in _URL.finditer(text)]"
    _rewrite(disclosures, "find_disclosures", old, '    if re.search(r"[\\d@]", text) is None:\n        return []\n' + old, "disclosures")


def patch_placeholders() -> None:
    """A placeholder needs '{{': texts without it skip code_spans (the costly part)."""
    from generator.check import placeholders

    old = "    skip = code_spans(text)"
    _rewrite(placeholders, "find_placeholders", old, '    if "{{" not in text:\n        return []\n' + old, "placeholders")


def patch_terms() -> None:
    """glossary_links.TermMatcher.build: start the pattern with a lookahead for the forms' first letters.

    The pattern begins with a lookbehind, so the regex engine tries the whole alternation at every
    character; `(?=[...])` first lets it skip most positions. Same matches; used by derive._term_usage
    (every publication's text) and by the glossary-link treeprocessor (every text node of every page)."""
    from generator.render import glossary_links as gl

    original_build = gl.TermMatcher.build.__func__

    def build(cls: type, terms: list[Any]) -> Any:
        matcher = original_build(cls, terms)
        if matcher.pattern is None:
            return matcher
        firsts = sorted({form[0].lower() for form in matcher.lookup} | {form[0].upper() for form in matcher.lookup})
        return cls(re.compile("(?=[" + re.escape("".join(firsts)) + "])" + matcher.pattern.pattern), matcher.lookup)

    gl.TermMatcher.build = classmethod(build)


def patch_nav() -> None:
    from mkdocs.structure.files import File, InclusionLevel

    from generator.adapter import site

    original_build_nav = site.build_nav
    original_generated = File.generated

    def build_nav(pages: dict[str, Any]) -> list[Any]:
        return original_build_nav({p: v for p, v in pages.items() if v[0].subsection is None})

    def on_files(self: Any, files: Any, config: Any) -> Any:
        in_nav = {p for p, (spec, _md) in self.pages.items() if spec.subsection is None}

        def generated(config: Any, src_uri: str, **kwargs: Any) -> Any:
            if src_uri in self.pages and src_uri not in in_nav:
                kwargs["inclusion"] = InclusionLevel.NOT_IN_NAV
            return original_generated(config, src_uri, **kwargs)

        File.generated = staticmethod(generated)
        try:
            return original_on_files(self, files, config=config)
        finally:
            File.generated = original_generated

    original_on_files = site.PreparedSite.add_files
    site.build_nav = build_nav
    site.PreparedSite.add_files = on_files  # type: ignore[method-assign]


PATCHES = {"escape": patch_escape, "terms": patch_terms, "disclosures": patch_disclosures,
           "placeholders": patch_placeholders, "nav": patch_nav}


def apply(names: list[str]) -> None:
    sys.path.insert(0, str(run.SOURCE))
    for name in names:
        PATCHES[name]()


# ----------------------------------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------------------------------

def stage_child(project: Path, names: list[str], out: Path) -> None:
    """In a fresh process: apply patches, run the generator stage, save timings and outputs' digest."""
    import hashlib

    apply(names)
    result = run.generator_stage(project, None)
    from generator.derive.site import check_site
    from generator.render.render import Renderer, make_environment

    _data, derived, problems = check_site(project)
    assert derived is not None
    renderer = Renderer(derived, make_environment([run.SOURCE / "overrides"]))
    digest = hashlib.sha256()
    for spec in renderer.pages():
        digest.update(spec.path.encode() + b"\0" + renderer.render(spec).encode() + b"\0")
    usage = {tid: [p.id for p in pubs] for tid, pubs in derived.term_usage.items()}
    digest.update(json.dumps(usage, sort_keys=True).encode())
    digest.update("\n".join(str(p) for p in problems.sorted()).encode())
    result["output_sha256"] = digest.hexdigest()
    result["problems"] = len(problems)
    out.write_text(json.dumps(result))


MICRO = {  # patch -> the work it speeds up, timed alone
    "escape": "render", "terms": "term_usage, glossary_links", "disclosures": "check_text", "placeholders": "check_text",
}


def micro_child(project: Path, work_name: str, names: list[str], repeats: int, out: Path) -> None:
    """In a fresh process: time one piece of the work (best of `repeats`) with the given patches."""
    apply(names)
    from generator.derive.derive import _term_usage
    from generator.derive.site import check_site
    from generator.render.render import Renderer, make_environment

    data, derived, _problems = check_site(project)
    assert derived is not None
    renderer = Renderer(derived, make_environment([run.SOURCE / "overrides"]))
    specs = renderer.pages()

    if work_name == "render":
        def work() -> Any:
            return [renderer.render(spec) for spec in specs]
    elif work_name == "term_usage":
        def work() -> Any:
            return {tid: [p.id for p in pubs] for tid, pubs in _term_usage(data, derived.publications).items()}
    elif work_name == "check_text":
        from generator.check.narrative_checks import check_text

        def work() -> Any:
            return [str(p) for p in check_text(data).sorted()]
    elif work_name.startswith("glossary_links"):
        import markdown

        from generator.derive.paths import INDEX_PAGES
        from generator.render.glossary_links import GlossaryLinkExtension

        pages = [(spec.path, renderer.render(spec)) for spec in specs if spec.path.startswith("inspections/")][:300]
        ext = GlossaryLinkExtension(list(data.glossary.values()), INDEX_PAGES["glossary"])
        base = ["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "def_list"]
        md = markdown.Markdown(extensions=[*base, ext] if work_name == "glossary_links" else base)

        def work() -> Any:
            html = []
            for path, text in pages:
                ext.page_path = path
                md.reset()
                html.append(md.convert(text))
            return html
    else:
        raise SystemExit(f"unknown work {work_name}")
    import hashlib

    times = []
    for _ in range(repeats):
        t = time.process_time()
        result = work()
        times.append(time.process_time() - t)
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
    out.write_text(json.dumps({"work": work_name, "patches": names, "best_cpu_s": round(min(times), 3),
                               "all_cpu_s": [round(x, 3) for x in times], "output_sha256": digest}))


def small_nav_floor(floor: Path, dest: Path) -> None:
    """The floor project with the nav the `nav` patch gives: publications out of the nav, not_in_nav set."""
    import shutil

    import yaml

    shutil.copytree(floor, dest)
    config = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))
    kept, folders = [], set()
    for section in config["nav"]:
        (name, items), = section.items()
        if name == "Publications" and isinstance(items, list):
            new_items = []
            for item in items:
                (_title, value), = item.items()
                if isinstance(value, list):  # a group of publications: leave it out of the nav
                    folders |= {next(iter(v.values())).split("/")[0] for v in value}
                else:
                    new_items.append(item)
            items = new_items
        kept.append({name: items})
    config["nav"] = kept
    config["not_in_nav"] = "\n".join(f"/{f}/" for f in sorted(folders))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def timed_build(cmd: list[str], log: Path, what: str, keep: bool = False) -> dict[str, Any]:
    deadline = time.monotonic() + run.SIZE_LIMIT_S
    m = run.run_measured(cmd, deadline, log, what)
    site = Path(cmd[cmd.index("-d") + 1])
    pages = run.count_pages(site)
    import shutil

    if not keep:
        shutil.rmtree(site, ignore_errors=True)
    print(f"  {what}: {m.wall_s:.1f}s (CPU {m.cpu_s:.1f}s, load {m.load:.1f}), peak RSS {m.peak_rss_mb:.0f} MiB, {pages} pages", flush=True)
    return {"s": round(m.wall_s, 2), "cpu_s": round(m.cpu_s, 2), "load": round(m.load, 2), "peak_rss_mb": round(m.peak_rss_mb, 1), "pages": pages}


def compare_sites(a: Path, b: Path) -> list[str]:
    """Files whose bytes differ (compressed files skipped: their headers hold a time)."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differing = []
    for rel in sorted(names):
        if rel.suffix == ".gz":
            continue
        pa, pb = a / rel, b / rel
        if not (pa.exists() and pb.exists()) or pa.read_bytes() != pb.read_bytes():
            differing.append(str(rel))
    return differing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--at-commit", metavar="REV")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--builds", default="nav,all", help="which patched builds to time: nav, all, none")
    parser.add_argument("--baseline", action="store_true", help="also time the unpatched build and floor")
    parser.add_argument("--no-stage", action="store_true", help="skip timing the generator stage with each patch")
    parser.add_argument("--out", type=Path, help="write the measurements as JSON")
    parser.add_argument("--mkdocs", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.add_argument("--stage-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--micro-child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--micro", action="store_true", help="only time each patched function alone (best of 3, CPU time)")
    args = parser.parse_args()

    if args.mkdocs is not None:  # child: patches (comma list) then mkdocs's own arguments
        names = [n for n in args.mkdocs[0].split(",") if n]
        apply(names)
        from mkdocs.__main__ import cli

        sys.argv = ["mkdocs", *args.mkdocs[1:]]
        cli()
        return 0
    if args.micro_child:
        project, work_name, names, out_json = args.micro_child
        micro_child(Path(project), work_name, [n for n in names.split(",") if n], 3, Path(out_json))
        return 0
    if args.stage_child:
        project, names, out = args.stage_child
        stage_child(Path(project), [n for n in names.split(",") if n], Path(out))
        return 0

    work = args.workdir or Path(tempfile.mkdtemp(prefix="report-site-experiments-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.at_commit:
        run.snapshot(args.at_commit, work / "source")
    info = run.source_info()
    print(f"experiments in {work}; code and data: {info['tree']}", flush=True)
    project, floor = work / "project", work / "floor"
    if not (project / "mkdocs.yml").exists():
        print(run.make_project(project, args.reports), flush=True)
    if not (floor / "mkdocs.yml").exists():
        floor.mkdir(exist_ok=True)
        run.generator_stage(project, floor)  # writes the floor (in this process; timings unused)
    out: dict[str, Any] = {"reports": args.reports, "source": info, "stage": {}, "builds": {}}

    me = str(Path(__file__).resolve())
    py = sys.executable
    if args.micro:
        out["micro"] = {}
        print("each suggested change alone: CPU seconds, best of 3, fresh process per line", flush=True)
        jobs = [("render", ""), ("render", "escape"), ("term_usage", ""), ("term_usage", "terms"), ("check_text", ""),
                ("check_text", "disclosures"), ("check_text", "placeholders"), ("check_text", "disclosures,placeholders"),
                ("glossary_links_off", ""), ("glossary_links", ""), ("glossary_links", "terms")]
        for work_name, names in jobs:
            dest = work / f"micro-{work_name}-{names or 'none'}.json"
            run.run_measured([py, me, "--micro-child", str(project), work_name, names, str(dest)], time.monotonic() + 1800,
                             work / "micro.log", f"micro {work_name} {names}")
            res = json.loads(dest.read_text())
            out["micro"][f"{work_name} [{names or 'none'}]"] = res
            base = out["micro"].get(f"{work_name} [none]")
            same = "" if not names else ("  output identical" if base and base["output_sha256"] == res["output_sha256"] else "  OUTPUT DIFFERS")
            print(f"  {work_name:<20} patches [{names or 'none'}]: {res['best_cpu_s']:.2f}s  {res['all_cpu_s']}{same}", flush=True)
        if args.out:
            args.out.write_text(json.dumps(out, indent=2) + "\n")
        return 0
    print("generator stage (fresh process each):", flush=True)
    for names in [] if args.no_stage else ("", "escape", "terms", "disclosures", "placeholders", "escape,terms,disclosures,placeholders"):
        dest = work / f"stage-{names or 'none'}.json"
        run.run_measured([py, me, "--stage-child", str(project), names, str(dest)], time.monotonic() + 1200,
                         work / f"stage-{names or 'none'}.log", f"stage {names}")
        result = json.loads(dest.read_text())
        out["stage"][names or "none"] = result
        same = result["output_sha256"] == out["stage"]["none"]["output_sha256"]
        print(f"  patches [{names or 'none'}]: {result['generator_s']:.2f}s (CPU {result['generator_cpu_s']:.2f}s) {result['stages_cpu']} "
              f"output {'identical' if same else 'DIFFERENT'}", flush=True)

    builds = [b for b in args.builds.split(",") if b and b != "none"]
    print("builds:", flush=True)
    small = work / "floor-smallnav"
    if not small.exists():
        small_nav_floor(floor, small)
    mk = ["build", "--strict", "-q"]
    if args.baseline:
        out["builds"]["build"] = timed_build([py, "-m", "mkdocs", *mk, "-f", str(project / "mkdocs.yml"), "-d", str(work / "s")],
                                             work / "build.log", "our build, unpatched")
        out["builds"]["floor"] = timed_build([py, "-m", "mkdocs", *mk, "-f", str(floor / "mkdocs.yml"), "-d", str(work / "s")],
                                             work / "floor.log", "floor, the same nav")
    out["builds"]["floor_smallnav"] = timed_build([py, "-m", "mkdocs", *mk, "-f", str(small / "mkdocs.yml"), "-d", str(work / "s")],
                                                  work / "floor-smallnav.log", "floor, small nav")
    for b in builds:
        names = "nav" if b == "nav" else ",".join(ALL)
        res = timed_build([py, me, "--mkdocs", names, *mk, "-f", str(project / "mkdocs.yml"), "-d", str(work / f"site-{b}")],
                          work / f"build-{b}.log", f"our build, patches [{names}]", keep=True)
        res["over_floor_smallnav"] = round(res["s"] / out["builds"]["floor_smallnav"]["s"], 3)
        res["over_floor_smallnav_cpu"] = round(res["cpu_s"] / out["builds"]["floor_smallnav"]["cpu_s"], 3)
        out["builds"][f"build_{b}"] = res
        print(f"    / floor with small nav = {res['over_floor_smallnav']:.2f} wall, {res['over_floor_smallnav_cpu']:.2f} CPU", flush=True)
    if {"nav", "all"} <= set(builds):
        differing = compare_sites(work / "site-nav", work / "site-all")
        out["builds"]["all_vs_nav_differing_files"] = differing
        print(f"  the patches other than nav change {len(differing)} built file(s) {differing[:5]}", flush=True)
    import shutil

    for b in builds:
        shutil.rmtree(work / f"site-{b}", ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
