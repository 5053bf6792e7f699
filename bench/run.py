"""Benchmark: our site build against the plain-MkDocs floor, at several sizes (issue 7).

    .venv/bin/python bench/run.py --sizes 300,1000,3000 [--out FILE]

For each size N it generates a synthetic but valid project (the real site's mkdocs.yml, reference
data and templates; N inspection reports with ~1,500-word narratives) in a temporary folder and
measures, one after the other on the same machine:

  build_s      `mkdocs build --strict` of our site (wall clock of the whole command)
  floor_s      `mkdocs build --strict` of the same Markdown, as static files, without our plugin
               (same theme, config and an equivalent nav): what any MkDocs site of this size costs
  generator_s  load + validate + derive + render, in one Python process, without MkDocs
  peak_rss_mb  peak resident memory of any process of the size's builds (cold, one report added, one narrative
               edited): the largest of wait4's peak and the per-process samples, Pagefind included
  *_peak_by_process_mb  the same split by process (main, workers, pagefind), sampled from /proc
  add_one_s, edit_one_s  rebuilds with the cache of the build before: one report added, then one narrative edited
  serve_edit_s  at the sizes in SERVE_SIZES, `mkdocs serve` on the size's project: from writing one narrative edit
               to the page being served with it (median of 5)
  first_query_kb  what a first query fetches for search (bench/search_transfer.py in Chromium), page excluded
  nosearch_s   the same cold build with the plugin's `search: false`; search_index_cost_s is build_s minus
               it (what the index costs the build) and search_index_cost_share that over nosearch_s

then times `mkdocs serve` on a copy of the real site: from writing one YAML edit to the rebuilt
page being served with the change. Prints a table and the issue's ratios; writes JSON, with per size the keys
issue 27 lists (build_s, build_cpu_s, floor_s, floor_cpu_s, add_one_s, edit_one_s, serve_edit_s, peak_rss_mb,
first_query_kb).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
#: the tree benchmarked: its generator/, overrides/, site-data/, content/ and mkdocs.yml
#: (this checkout, or a snapshot of a commit with --at-commit; child processes inherit it)
SOURCE = Path(os.environ.get("REPORT_SITE_BENCH_SOURCE") or ROOT).resolve()
SIZE_LIMIT_S = 20 * 60


def child_env() -> dict[str, str]:
    """NO_MKDOCS_2_WARNING, and SOURCE first on the path so `generator` (and the plugin) come from it."""
    path = os.pathsep.join(p for p in (str(SOURCE), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPORT_SITE_BENCH_SOURCE": str(SOURCE), "PYTHONPATH": path}

#: copied from the real site-data/ as they are (only dangling references are mended, see below)
COPIED_FOLDERS = ("scales", "frameworks", "programmes", "partnerships", "glossary", "proportion-words")
COPIED_FILES = ("themes.yaml", "organisations.yaml", "documents.yaml")
#: programmes the synthetic inspections are spread over, with the years their fieldwork falls in
PROGRAMME_YEARS = {
    "joint-inspections-2012-2017": (2012, 2017),
    "care-and-protection-2018-2020": (2018, 2019),
    "at-risk-of-harm-2021": (2021, 2025),
}
NARRATIVE_WORDS = 1500

#: issue 27's targets (issue 16's were a 60 s cold build and build / floor <= 1.0 at 1,000 and 3,000; issue 15's the
#: search index <= 0.20 of the rest of the build)
TARGETS = {
    "serve_edit_s_at_300": 1.0,
    "add_one_s_at_300": 3.0,
    "add_one_s_at_3000": 20.0,
    "edit_one_s_at_3000": 20.0,
    "serve_edit_s_at_3000": 5.0,
    "peak_rss_mb_at_3000": 1024.0,
    "first_query_kb_at_3000": 300.0,
    "build_over_floor_cpu_at_1000": 1.5,
}
#: the sizes at which `mkdocs serve` is timed on the size's own project
SERVE_SIZES = (300, 3000)


class SizeTimeoutError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Synthetic project
# ----------------------------------------------------------------------------------------------

_FALLBACK_SENTENCES = [
    "Staff were confident in their knowledge and skills to recognise and respond to concerns.",
    "Children and young people experienced supportive and trusting relationships with staff.",
    "The partnership had a clear vision which was understood by staff across services.",
    "Chronologies were in place for most children but their quality was inconsistent.",
    "Leaders were aware of strategic risk and deployed resources to the areas of greatest need.",
]


_GIVES_GRADE = re.compile(r"\b(evaluat|grade|rated|assessed)", re.IGNORECASE)


def harvest_sentences(root: Path | None = None) -> list[str]:
    """Plain prose sentences from the real narratives: realistic words, glossary terms included."""
    found: set[str] = set()
    for md in sorted(((root or SOURCE) / "content" / "narrative").rglob("*.md")):
        for line in md.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line[0] in "#|-*>!<0123456789" or line.startswith("    "):
                continue
            for sentence in re.split(r"(?<=[.!?])\s+", line):
                if 40 <= len(sentence) <= 320 and sentence[-1] in ".!?" and not re.search(r"[\[\]()|*`<>_#\\{}&:]", sentence):
                    found.add(sentence)
    return sorted(found) if len(found) >= 50 else sorted(found | set(_FALLBACK_SENTENCES))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _words(text: str) -> int:
    return len(text.split())


class Synth:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.sentences = harvest_sentences()

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def para(self, lo: int = 3, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def summary(self, lo: int = 2, hi: int = 4) -> str:
        """A grade's summary: no sentence that itself gives a grade ('we evaluated this as good'), which the
        check compares with the (random) grade beside it."""
        plain = [s for s in self.sentences if not _GIVES_GRADE.search(s)] or _FALLBACK_SENTENCES
        return " ".join(self.rng.choice(plain) for _ in range(self.rng.randint(lo, hi)))

    def table(self, name: str) -> str:
        rng = self.rng
        rows = [
            "| Measure | " + name + " | Scotland |",
            "| --- | ---: | ---: |",
        ]
        for label in rng.sample(
            ["Children on the child protection register (per 1,000)", "Looked after children (per 1,000)",
             "Inter-agency referral discussions held", "Records read", "Staff survey responses",
             "Initial case conferences within 28 days (%)", "Children with a chronology (%)",
             "Young people with a pathway plan (%)", "Re-registrations within 18 months (%)"], 5):
            rows.append(f"| {label} | {rng.randint(2, 900)} | {rng.randint(2, 900)} |")
        return "\n".join(rows)


def make_project(dest: Path, n: int, seed: int = 7, held: Path | None = None) -> dict[str, Any]:
    """Write a valid project with `n` inspection reports into `dest`. Returns a short description.

    With `held`, one more report (the one `make_project(n + 1)` would add) goes there instead, under the same
    relative paths, for the incremental "add one report" build."""
    synth = Synth(seed)
    rng = synth.rng
    src = SOURCE / "site-data"
    data = dest / "site-data"
    data.mkdir(parents=True)
    for folder in COPIED_FOLDERS:
        shutil.copytree(src / folder, data / folder)
    for name in COPIED_FILES:
        shutil.copy2(src / name, data / name)
    _mend_references(src, data)

    content = dest / "content"
    content.mkdir()
    for item in (SOURCE / "content").iterdir():
        if item.name == "narrative":
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, content / item.name)
    (content / "narrative" / "inspections").mkdir(parents=True)
    (data / "inspections").mkdir()

    _write_mkdocs_yml(dest / "mkdocs.yml")

    import yaml  # PyYAML comes with MkDocs

    partnerships = sorted(p.stem for p in (data / "partnerships").glob("*.yaml"))
    names = {p: yaml.safe_load((data / "partnerships" / f"{p}.yaml").read_text())["name"] for p in partnerships}
    programmes = {}
    for prog in PROGRAMME_YEARS:
        doc = yaml.safe_load((data / "programmes" / f"{prog}.yaml").read_text())
        programmes[prog] = doc
    themes = [t["id"] for t in yaml.safe_load((data / "themes.yaml").read_text())["themes"]]
    yaml_bytes = md_words = 0
    for i in range(n + (held is not None)):
        if i == n and held is not None:
            data, content = held / "site-data", held / "content"
            (data / "inspections").mkdir(parents=True)
            (content / "narrative" / "inspections").mkdir(parents=True)
        pid = partnerships[i % len(partnerships)]
        prog_id = list(PROGRAMME_YEARS)[i % len(PROGRAMME_YEARS)]
        prog = programmes[prog_id]
        lo, hi = PROGRAMME_YEARS[prog_id]
        start = dt.date(rng.randint(lo, hi), rng.randint(1, 9), rng.randint(1, 28))
        notified = start - dt.timedelta(days=rng.randint(14, 35))
        end = start + dt.timedelta(days=rng.randint(50, 150))
        published = end + dt.timedelta(days=rng.randint(30, 90))
        rid = f"{pid}-{start.year}-r{i:05d}"  # the r keeps ids clear of real ones such as fife-2018-2020
        questions = prog.get("questions") or []
        labels = [f"{q['kind'].capitalize()} {q['ref']}" for q in questions]
        text = _inspection_yaml(synth, rid, names[pid], pid, prog_id, prog, themes, notified, start, end, published)
        (data / "inspections" / f"{rid}.yaml").write_text(text, encoding="utf-8")
        md = _narrative(synth, names[pid], labels)
        (content / "narrative" / "inspections" / f"{rid}.md").write_text(md, encoding="utf-8")
        if i < n:
            yaml_bytes += len(text.encode())
            md_words += _words(md)
    return {"reports": n, "mean_yaml_kib": round(yaml_bytes / max(n, 1) / 1024, 1), "mean_narrative_words": md_words // max(n, 1)}


def _mend_references(src: Path, data: Path) -> None:
    """The copied reference data cites the real publications, which are not copied.

    Each is listed in documents.yaml instead (a cited document is a valid target for every
    reference but a programme's `review`, which is dropped)."""
    import yaml

    real = sorted(p.stem for kind in ("inspections", "reviews", "responses", "letters") for p in (src / kind).glob("*.yaml"))
    docs = yaml.safe_load((data / "documents.yaml").read_text(encoding="utf-8")) or {}
    docs.setdefault("documents", [])
    known = {d["id"] for d in docs["documents"]}
    for pub_id in real:
        if pub_id not in known:
            docs["documents"].append({"id": pub_id, "title": f"Publication {pub_id}",
                                      "note": "Stands in for a real publication not copied into this benchmark project."})
    (data / "documents.yaml").write_text(yaml.safe_dump(docs, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    for prog in (data / "programmes").glob("*.yaml"):
        text = prog.read_text(encoding="utf-8")
        prog.write_text(re.sub(r"(?m)^review:.*\n", "", text), encoding="utf-8")


def _write_mkdocs_yml(path: Path) -> None:
    """The real mkdocs.yml, with overrides/ referenced where it is (not copied)."""
    import yaml

    config = yaml.safe_load((SOURCE / "mkdocs.yml").read_text(encoding="utf-8"))
    overrides = str(SOURCE / "overrides")
    config["theme"]["custom_dir"] = overrides
    for i, plugin in enumerate(config.get("plugins", [])):
        if isinstance(plugin, dict) and "report-site" in plugin:
            plugin["report-site"] = {**(plugin["report-site"] or {}), "templates_dirs": [overrides]}
            config["plugins"][i] = plugin
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _inspection_yaml(synth: Synth, rid: str, name: str, pid: str, prog_id: str, prog: dict[str, Any],
                     themes: list[str], notified: dt.date, start: dt.date, end: dt.date, published: dt.date) -> str:
    rng = synth.rng
    s, p = synth.sentence, synth.para
    qrefs = [str(q["ref"]) for q in prog.get("questions") or []]
    out = [
        f"title: {_q(f'Report of a joint inspection of services for children and young people in {name} (synthetic {rid[-5:]})')}",
        f"partnership: {pid}",
        f"programme: {prog_id}",
        "publisher: care-inspectorate",
        f"published: {published.isoformat()}",
        "not_stated: [url]",  # synthetic: no original anywhere (the check warns on a held report with neither)
        f"notified: {notified.isoformat()}",
        f"fieldwork_start: {start.isoformat()}",
        f"fieldwork_end: {end.isoformat()}",
        f"narrative: narrative/inspections/{rid}.md",
        "evaluations:",
    ]
    for code in prog.get("evaluates") or []:
        out += [f'  - indicator: "{code}"', f"    grade: {rng.randint(2, 6)}", f"    summary: {_q(synth.summary())}", "    points:"]
        out += [f"      - {_q(s())}" for _ in range(rng.randint(3, 5))]
    out.append("evidence:")
    for label in ("children and young people whose records we read", "responses to our staff survey",
                  "members of staff we met", "parents and carers whose views we listened to"):
        out += [f"  - label: {_q(label)}", f"    count: {rng.randint(10, 1500)}", f"    note: {_q(s())}"]
    out.append(f"evidence_caveat: {_q(s())}")
    out.append("key_messages:")
    out += [f"  - {_q(s())}" for _ in range(6)]
    if qrefs:
        out.append("question_messages:")
        for ref in qrefs:
            out += [f'  - question: "{ref}"', "    key_messages:"]
            out += [f"      - {_q(s())}" for _ in range(3)]
    out.append("practice_examples:")
    for _ in range(2):
        out += [f"  - title: {_q(rng.choice(['Contextual safeguarding', 'Virtual school', 'Family support hub', 'Advocacy service']))}"]
        if qrefs:
            out.append(f'    question: "{rng.choice(qrefs)}"')
        out += [f"    themes: [{', '.join(rng.sample(themes, 2))}]", f"    text: {_q(p(4, 7))}"]
    out.append("findings:")
    for _ in range(3):
        out += [f"  - text: {_q(p(1, 3))}", f"    themes: [{', '.join(rng.sample(themes, 2))}]",
                f"    kind: {rng.choice(['strength', 'improvement', 'finding'])}"]
        if qrefs:
            out.append(f'    question: "{rng.choice(qrefs)}"')
    out.append("areas_for_improvement:")
    out += [f"  - {_q(s())}" for _ in range(4)]
    out += ["conclusion:", f"  summary: {_q(p(2, 3))}", "  factors:"]
    out += [f"    - {_q(s())}" for _ in range(3)]
    out.append(f"next_steps: {_q(p(1, 2))}")
    return "\n".join(out) + "\n"


SUBHEADINGS = [
    "Early recognition and response to concerns", "Staff competence and confidence", "Inter-agency referral discussions",
    "Relational practice", "Assessment, planning and review", "Transition planning", "Mental health and wellbeing support",
    "Independent advocacy", "Vision, values and aims", "Leadership of improvement and change",
    "Workforce development and support", "Performance management and quality assurance",
]


def _narrative(synth: Synth, name: str, labels: list[str]) -> str:
    """About NARRATIVE_WORDS words: a lead, Introduction, method, one section per question; three tables."""
    rng = synth.rng
    sections = ["Introduction", "How we conducted this inspection", *labels]
    parts = [synth.para(2, 3), ""]
    total = _words(parts[0])
    table_sections = set(rng.sample(range(len(sections)), min(3, len(sections))))
    for index, heading in enumerate(sections):
        parts += [f"## {heading}", ""]
        total += _words(heading) + 1
        if index in table_sections:
            table = synth.table(name)
            parts += [synth.para(1, 2), "", table, ""]
            total += _words(parts[-4]) + _words(table)
        budget = (NARRATIVE_WORDS - total) // (len(sections) - index)
        sub = 0
        while budget > 50:
            if sub % 2 == 1:
                parts += [f"### {rng.choice(SUBHEADINGS)}", ""]
                budget -= 4
                total += 4
            paragraph = synth.para(2, 4)
            parts += [paragraph, ""]
            budget -= _words(paragraph)
            total += _words(paragraph)
            sub += 1
    return "\n".join(parts)


# ----------------------------------------------------------------------------------------------
# The generator stage, in-process (run as a child: `run.py --stage PROJECT FLOOR_DIR OUT`)
# ----------------------------------------------------------------------------------------------

def generator_stage(project: Path, floor_dir: Path | None) -> dict[str, Any]:
    """Time load, validate, derive, render in this process, as the plugin's on_config does; optionally write the floor.

    Optional parts of the pipeline are timed when the benchmarked tree has them: the narrative checks
    (with validate), the Markdown-rendering environment, and open-data files and feeds (with render)."""
    import importlib
    import resource

    sys.path.insert(0, str(SOURCE))
    import generator

    def optional(modules: tuple[str, ...], name: str) -> Any:
        """`name` from the first of `modules` that has it (a stage's folder since issue 24, the flat package before)."""
        for module in modules:
            try:
                return getattr(importlib.import_module(f"generator.{module}"), name)
            except (ImportError, AttributeError):
                continue
        return None

    validate = optional(("check.validate", "validate"), "validate")
    derive = optional(("derive.derive", "derive"), "derive")
    load_site_data = optional(("model.load", "load"), "load_site_data")
    r = importlib.import_module("generator.render.render" if optional(("render.render",), "Renderer") else "generator.render")
    check_text = optional(("check.narrative_checks", "narrative_checks"), "check_text")
    site_files = optional(("render.opendata", "opendata"), "site_files")
    render_feeds = getattr(r, "render_feeds", None)
    make_markup_environment = getattr(r, "make_markup_environment", None)

    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    t, c = time.perf_counter(), time.process_time()
    data, problems = load_site_data(project)
    times["load"], cpu["load"] = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    problems.extend(validate(data))
    if check_text is not None:
        problems.extend(check_text(data))
    times["validate"], cpu["validate"] = time.perf_counter() - t, time.process_time() - c
    if problems.errors:
        raise SystemExit(f"{project}: the synthetic data has {len(problems.errors)} error(s), e.g. {problems.errors[0]}")
    t, c = time.perf_counter(), time.process_time()
    derived = derive(data)
    times["derive"], cpu["derive"] = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    dirs = [SOURCE / "overrides"]
    markup_env = make_markup_environment(dirs) if make_markup_environment else None
    renderer = r.Renderer(derived, r.make_environment(dirs), markup_env) if markup_env else r.Renderer(derived, r.make_environment(dirs))
    search_page = optional(("render.search_entries", "search"), "search_page_spec")  # the plugin adds it: so does the floor
    specs = renderer.pages() + ([search_page()] if search_page else [])
    pages = {spec.path: (spec, renderer.render(spec)) for spec in specs}
    home = renderer.render_fragment("home.md.j2", "index.md")
    extra_files = 0
    if site_files is not None:
        extra_files += len(site_files(derived))
    if render_feeds is not None and markup_env is not None:
        extra_files += len(render_feeds(derived, markup_env, "https://example.org/inspections/"))
    times["render"], cpu["render"] = time.perf_counter() - t, time.process_time() - c
    result = {"stages": {k: round(v, 3) for k, v in times.items()}, "generator_s": round(sum(times.values()), 3),
              "stages_cpu": {k: round(v, 3) for k, v in cpu.items()}, "generator_cpu_s": round(sum(cpu.values()), 3),
              "generated_pages": len(pages), "extra_files": extra_files, "generator_package": str(Path(generator.__file__).parent),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if floor_dir is not None:
        write_floor(project, floor_dir, pages, home)
    return result


def write_floor(project: Path, floor: Path, pages: dict[str, Any], home: str) -> None:
    """The rendered Markdown as static files, the same config without our plugin, the same nav."""
    import yaml

    try:
        from generator.adapter.site import build_nav, not_in_nav
    except ImportError:  # a commit before issue 24 (--at-commit)
        from generator.plugin import build_nav, not_in_nav  # type: ignore[import-not-found,no-redef]

    docs = floor / "docs"
    for item in (project / "content").iterdir():
        if item.name == "narrative":
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, docs / item.name)
    index = docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n\n" + home, encoding="utf-8")
    for path, (_spec, markdown) in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config["plugins"] = [p for p in config.get("plugins", []) if not (isinstance(p, dict) and "report-site" in p) and p != "report-site"]
    config["nav"] = build_nav(pages)
    config["not_in_nav"] = "\n".join(not_in_nav(pages))  # the pages our plugin leaves out of the nav
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


# ----------------------------------------------------------------------------------------------
# Running and measuring
# ----------------------------------------------------------------------------------------------

class Measured(NamedTuple):
    wall_s: float
    peak_rss_mb: float
    cpu_s: float
    """user + system CPU time of the process: unlike wall time, barely moved by other work on the machine."""
    load: float
    """1-minute load average when the process ended (more than the core count: the wall time is inflated)."""
    peak_by_process_mb: dict[str, float]
    """Largest resident set seen, sampled every 0.25 s, per kind of process: the build itself ("main"), its forked
    workers ("workers", the largest one) and Pagefind ("pagefind"). wait4's peak is the largest of these. Also the
    largest unique set of a worker ("workers_private"): the pages a forked worker does not share with the build."""


def _process_tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    out += _process_tree(int(child))
    except OSError:
        pass  # gone meanwhile, or not Linux
    return out


def _sample_rss(root: int, peaks: dict[str, float]) -> None:
    for pid in _process_tree(root):
        try:
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/status") as f:
                rss = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0) / 1024
        except (OSError, ValueError):
            continue
        kind = "main" if pid == root else "pagefind" if name == "pagefind" else "workers"
        peaks[kind] = round(max(peaks.get(kind, 0.0), rss), 1)
        if kind == "workers":  # forked: most of their resident set is pages shared with the build's own process
            private = _private_mb(pid)
            if private is not None:
                peaks["workers_private"] = round(max(peaks.get("workers_private", 0.0), private), 1)


def _private_mb(pid: int) -> float | None:
    """The memory only this process holds (its unique set: Private_Clean + Private_Dirty), None if unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return sum(int(line.split()[1]) for line in f if line.startswith(("Private_Clean:", "Private_Dirty:"))) / 1024
    except (OSError, ValueError, IndexError):
        return None


def run_measured(cmd: list[str], deadline: float, log: Path, what: str, cwd: Path | None = None) -> Measured:
    """Run `cmd` to completion and measure it (wait4 gives that process's own rusage). Raises SizeTimeoutError."""
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=child_env(), cwd=cwd or SOURCE, start_new_session=True)
        peaks: dict[str, float] = {}
        next_sample = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() >= next_sample:
                _sample_rss(proc.pid, peaks)
                next_sample = time.monotonic() + 0.25
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise SizeTimeoutError(what)
            time.sleep(0.02)
        elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(f"{what} failed (exit {proc.returncode}); last lines of {log}:\n{tail}")
    return Measured(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, os.getloadavg()[0], peaks)


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html")) - (1 if (site / "404" / "index.html").exists() else 0)


def write_nosearch_config(project: Path) -> Path:
    """`mkdocs-nosearch.yml` beside the project's mkdocs.yml: the same site with the plugin's `search: false`."""
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "report-site" in plugin:
            plugin["report-site"] = {**(plugin["report-site"] or {}), "search": False}
    path = project / "mkdocs-nosearch.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def bench_size(n: int, work: Path, keep: bool, row: dict[str, Any], incremental: bool = True,
               search_baseline: bool = True, serve_edits: int = 5) -> None:
    """Measure one size, filling `row` as it goes (so a run stopped by the time limit keeps what it measured)."""
    deadline = time.monotonic() + SIZE_LIMIT_S
    base = work / f"n{n}"
    project, floor = base / "project", base / "floor"
    t = time.perf_counter()
    shape = make_project(project, n, held=base / "held")
    row.update({k: v for k, v in shape.items() if k != "reports"})
    print(f"  [{n}] generated project in {time.perf_counter() - t:.1f}s "
          f"(mean {shape['mean_yaml_kib']} KiB YAML, {shape['mean_narrative_words']} narrative words per report)", flush=True)

    py = sys.executable
    run_measured([py, "-m", "generator", "check", str(project)], deadline, base / "check.log", f"generator check at {n}")
    print(f"  [{n}] python -m generator check: OK", flush=True)

    floor.mkdir()
    stage_json = base / "stage.json"
    run_measured([py, str(Path(__file__).resolve()), "--stage", str(project), str(floor), str(stage_json)],
                 deadline, base / "stage.log", f"generator stage at {n}")
    stage = json.loads(stage_json.read_text())
    row.update({"generator_s": stage["generator_s"], "generator_stages_s": stage["stages"],
                "generator_cpu_s": stage["generator_cpu_s"], "generator_stages_cpu_s": stage["stages_cpu"],
                "generator_peak_rss_mb": stage["peak_rss_mb"]})
    print(f"  [{n}] generator (in-process) {stage['generator_s']:.2f}s {stage['stages']}", flush=True)

    if search_baseline:  # the same cold build without the search index: what the index costs is the difference
        shutil.rmtree(project / ".cache", ignore_errors=True)
        row.update(_measure_build("nosearch", write_nosearch_config(project), base, n, deadline, False))
    shutil.rmtree(project / ".cache", ignore_errors=True)  # the build is cold: no cache entries
    for name, config in (("build", project / "mkdocs.yml"), ("floor", floor / "mkdocs.yml")):
        row.update(_measure_build(name, config, base, n, deadline, keep))
    if incremental:
        row.update(bench_incremental(project, base, n, deadline))
    row["peak_rss_mb"] = max([row.get("peak_rss_mb", 0.0)] + [max(row.get(f"{name}_peak_by_process_mb", {}).values(), default=0.0)
                                                          for name in ("build", "add_one", "edit_one")]
                             + [row.get(f"{name}_peak_rss_mb", 0.0) for name in ("add_one", "edit_one")])
    row["first_query_kb"] = row.get("search_first_query", {}).get("search_kb")
    if n in SERVE_SIZES:
        narrative = max((project / "content/narrative/inspections").glob("*.md"))
        serve = bench_serve(base, edits=serve_edits, project=project, target=narrative, page=f"/inspections/{narrative.stem}/",
                            timeout=max(120.0, n / 10))
        row["serve"] = serve
        row["serve_edit_s"] = serve.get("serve_edit_s")
        print(f"  [{n}] mkdocs serve, one narrative edit to the page served: {serve}", flush=True)


def bench_incremental(project: Path, base: Path, n: int, deadline: float) -> dict[str, Any]:
    """Rebuilds after the cold build (its cache in place): one report added, then one narrative edited."""
    out: dict[str, Any] = {}
    for rel in ("site-data/inspections", "content/narrative/inspections"):
        for path in (base / "held" / rel).iterdir():
            shutil.move(path, project / rel / path.name)
    out.update(_measure_build("add_one", project / "mkdocs.yml", base, n, deadline, False))
    narrative = min((project / "content/narrative/inspections").glob("*.md"))
    text = narrative.read_text(encoding="utf-8")
    first = text.index("\n\n")  # the end of the lead paragraph
    narrative.write_text(text[:first] + " The partnership had begun to act on this." + text[first:], encoding="utf-8")
    out.update(_measure_build("edit_one", project / "mkdocs.yml", base, n, deadline, False))
    return out


def _measure_build(name: str, config: Path, base: Path, n: int, deadline: float, keep: bool) -> dict[str, Any]:
    """One `mkdocs build --strict`, ours ("build") or the floor's, with the keys results.json uses."""
    site = base / {"floor": "floor-site", "nosearch": "nosearch-site"}.get(name, "site")
    label = {"build": "mkdocs build", "floor": "floor build", "add_one": "rebuild, one report added",
             "edit_one": "rebuild, one narrative edited", "nosearch": "mkdocs build without search"}[name]
    log = base / f"{name}.log"
    # Ours logs at INFO (Pagefind's time, what the caches gave); the floor stays -q, as it was measured before
    # (its links to feeds it does not write are warnings that -q keeps from --strict's count).
    quiet = ["-q"] if name == "floor" else []
    run = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", *quiet, "-f", str(config), "-d", str(site)],
                       deadline, log, f"{label} at {n}")
    pages = count_pages(site)
    by_process = ", ".join(f"{kind} {mb:.0f}" for kind, mb in sorted(run.peak_by_process_mb.items()))
    print(f"  [{n}] {label} {run.wall_s:.1f}s (CPU {run.cpu_s:.1f}s, load {run.load:.1f}), "
          f"peak RSS {run.peak_rss_mb:.0f} MiB ({by_process}), {pages} pages", flush=True)
    extra: dict[str, Any] = {f"{name}_peak_by_process_mb": run.peak_by_process_mb}
    if name != "floor":
        extra.update(build_log_figures(log.read_text(errors="replace"), name, run.wall_s))
    if name == "build":
        extra["search_first_query"] = first_query(site)
        print(f"  [{n}] search: the index adds {extra.get('search_index_s')}s ({extra.get('search_index_share')} of the rest of the build; "
              f"Pagefind {extra.get('search_index_cpu_s')} CPU s); "
              f"first query {extra['search_first_query'].get('search_kb', '?')} KB of search files "
              f"({extra['search_first_query'].get('total_kb', '?')} KB with the page)", flush=True)
    if not keep:
        shutil.rmtree(site, ignore_errors=True)
    if name in ("add_one", "edit_one", "nosearch"):
        return {f"{name}_s": round(run.wall_s, 2), f"{name}_cpu_s": round(run.cpu_s, 2), f"{name}_peak_rss_mb": round(run.peak_rss_mb, 1),
                f"load_after_{name}": round(run.load, 2), **extra}
    ours = name == "build"
    return {f"{name}_s": round(run.wall_s, 2), "peak_rss_mb" if ours else "floor_peak_rss_mb": round(run.peak_rss_mb, 1),
            "pages" if ours else "floor_pages": pages, f"{name}_cpu_s": round(run.cpu_s, 2),
            f"load_after_{name}": round(run.load, 2), **extra}


def build_log_figures(text: str, name: str, wall_s: float) -> dict[str, Any]:
    """From our build's log: the time the search index adds to the build (and its share of the rest of the build),
    Pagefind's CPU time, and what the caches gave."""
    out: dict[str, Any] = {}
    prefix = "" if name == "build" else f"{name}_"
    index = re.search(r"search: (\d+) pages indexed in ([\d.]+) s", text)  # Pagefind over the finished site (--dirty)
    # Begun before the pages were written (generator/output/search_pages.py): what it adds is the build's wait at the end
    ahead = re.search(r"search: (\d+) pages indexed in ([\d.]+) s, begun before MkDocs wrote the pages; the build waited ([\d.]+) s", text)
    seconds: float | None = None
    if ahead:
        seconds = float(ahead.group(3))
        out[f"{prefix}search_index_run_s"] = float(ahead.group(2))
    elif index:
        seconds = float(index.group(2))
    if seconds is not None:
        out[f"{prefix}search_index_s"] = round(seconds, 2)
        out[f"{prefix}search_index_share"] = round(seconds / (wall_s - seconds), 3) if wall_s > seconds else None
    bundles = re.search(r"\((\d+) bundles, (\d+) indexed, (\d+) unchanged\)", text)  # issue 27: bundles Pagefind indexed
    if bundles:
        out[f"{prefix}search_bundles"], out[f"{prefix}search_bundles_indexed"] = int(bundles.group(1)), int(bundles.group(2))
    pages = re.search(r"pages' Markdown: (\d+) from the cache, (\d+) converted by \d+ worker processes, (\d+) by MkDocs", text)
    if pages:
        out[f"{prefix}markdown_cached"], out[f"{prefix}markdown_by_workers"], out[f"{prefix}markdown_by_mkdocs"] = map(int, pages.groups())
    copies = re.search(r"compressed copies \(\.gz, \.br\): (\d+) from the cache, (\d+) compressed", text)
    if copies:
        out[f"{prefix}compressed_cached"], out[f"{prefix}compressed_new"] = map(int, copies.groups())
    return out


def first_query(site: Path) -> dict[str, Any]:
    """bench/search_transfer.py on the built site, or why it was not measured."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import search_transfer

    if not search_transfer.CHROMIUM.exists():
        return {"error": f"not measured: {search_transfer.CHROMIUM} is missing (sh .ci/setup --browser)"}
    try:
        return search_transfer.measure(site)
    except Exception as exc:  # noqa: BLE001 - the rest of the benchmark stands; the reason is recorded
        return {"error": f"not measured: {type(exc).__name__}: {str(exc)[:300]}"}


# ----------------------------------------------------------------------------------------------
# mkdocs serve on the real site
# ----------------------------------------------------------------------------------------------

SERVE_FILE = "site-data/inspections/fife-2018-2020.yaml"
SERVE_ANCHOR = "in need of care and protection in Fife"
SERVE_PAGE = "/inspections/fife-2018-2020/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return ""


def bench_serve(work: Path, edits: int = 5, timeout: float = 120.0, project: Path | None = None, target: Path | None = None,
                page: str = SERVE_PAGE) -> dict[str, Any]:
    """Serve a copy of the real site, edit one YAML file, time until the page is served with the edit; or, with
    `project`, serve that project and edit the narrative `target` (a sentence after its lead paragraph)."""
    if project is None:
        real = work / "real-site"
        real.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOURCE / "mkdocs.yml", real / "mkdocs.yml")
        for folder in ("site-data", "content", "overrides"):
            shutil.copytree(SOURCE / folder, real / folder, dirs_exist_ok=True)
        target = real / SERVE_FILE
        if SERVE_ANCHOR not in target.read_text(encoding="utf-8"):
            return {"error": f"'{SERVE_ANCHOR}' is no longer in {SERVE_FILE}: update SERVE_ANCHOR in bench/run.py"}
    else:
        real = project
    assert target is not None
    original = target.read_text(encoding="utf-8")
    import yaml

    # `mkdocs serve` mounts the site at site_url's path (https://example.org/inspections/ -> /inspections/)
    site_url = (yaml.safe_load((real / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("site_url") or "/"
    mount = urllib.parse.urlsplit(site_url).path.rstrip("/")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{mount}{page}"
    log = (work / "serve.log").open("w")
    # livereload stays on: --no-livereload also turns off watching, so edits would never rebuild
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(real / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=child_env(), cwd=SOURCE, start_new_session=True)
    samples: list[float] = []
    try:
        t0 = time.perf_counter()
        while "</html>" not in _fetch(url):
            if time.perf_counter() - t0 > timeout or proc.poll() is not None:
                return {"error": f"mkdocs serve did not serve {url} within {timeout:.0f}s (see {work / 'serve.log'})"}
            time.sleep(0.2)
        startup = time.perf_counter() - t0
        time.sleep(2.0)  # let the first build settle
        for i in range(edits):
            marker = f"Benchedit{i}x{os.getpid()}"
            if project is None:
                text = re.sub(r"in need of care and protection in Fife( Benchedit\w+)?", f"{SERVE_ANCHOR} {marker}", original, count=1)
            else:
                lead = original.index("\n\n")  # the end of the lead paragraph
                text = original[:lead] + f" {marker} was added." + original[lead:]
            t0 = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            while marker not in _fetch(url):
                if time.perf_counter() - t0 > timeout:
                    return {"error": f"edit {i + 1} was not served within {timeout:.0f}s", "samples_s": samples}
                time.sleep(0.05)
            samples.append(round(time.perf_counter() - t0, 2))
            time.sleep(1.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if project is not None:
            target.write_text(original, encoding="utf-8")
    return {"serve_edit_s": statistics.median(samples), "samples_s": samples, "startup_s": round(startup, 2),
            "load": round(os.getloadavg()[0], 2)}


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------

def snapshot(rev: str, dest: Path) -> Path:
    """Extract commit `rev` of this repository into `dest` (git archive): a tree nobody is editing."""
    global SOURCE
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", sha], capture_output=True, check=True).stdout
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    (dest / ".bench-commit").write_text(sha + "\n")
    SOURCE = dest.resolve()
    return SOURCE


def source_info() -> dict[str, Any]:
    marker = SOURCE / ".bench-commit"
    if marker.exists():
        return {"tree": f"snapshot of commit {marker.read_text().strip()[:12]}", "commit": marker.read_text().strip(), "dirty": False}
    try:
        sha = subprocess.run(["git", "-C", str(SOURCE), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(SOURCE), "status", "--porcelain", "--", ".", ":!bench"],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {"tree": str(SOURCE), "commit": None, "dirty": None}
    return {"tree": f"working tree at {SOURCE}", "commit": sha, "dirty": bool(status.strip())}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        mem_gib = None
    from importlib.metadata import version

    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "memory_gib": mem_gib, "os": platform.platform(),
            "python": platform.python_version(),
            **{pkg: version(pkg) for pkg in ("mkdocs", "mkdocs-material", "ruamel.yaml", "ruamel.yaml.clib", "Jinja2", "Markdown")}}


def ratios(results: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in results if "build_s" in r]
    out: dict[str, Any] = {}
    if len(ok) >= 2:
        small, large = min(ok, key=lambda r: r["reports"]), max(ok, key=lambda r: r["reports"])
        per = lambda r: r["build_s"] / r["pages"]  # noqa: E731
        out["per_page_ratio"] = {"large": large["reports"], "small": small["reports"],
                                 "ratio": round(per(large) / per(small), 2),
                                 "ms_per_page": {str(small["reports"]): round(1000 * per(small), 1), str(large["reports"]): round(1000 * per(large), 1)}}
    if len(ok) >= 2:
        cpu = lambda r: r["build_cpu_s"] / r["pages"]  # noqa: E731
        out["per_page_ratio"]["ratio_cpu"] = round(cpu(large) / cpu(small), 2)
    for r in ok:
        if "nosearch_s" in r:  # issue 15: what the index adds to a cold build, against the same build without it
            r["search_index_cost_s"] = round(r["build_s"] - r["nosearch_s"], 2)
            r["search_index_cost_share"] = round(r["search_index_cost_s"] / r["nosearch_s"], 3)
            r["search_index_cost_cpu_s"] = round(r["build_cpu_s"] - r["nosearch_cpu_s"], 2)
        if "floor_s" in r:
            r["build_over_floor"] = round(r["build_s"] / r["floor_s"], 3)
            r["build_over_floor_cpu"] = round(r["build_cpu_s"] / r["floor_cpu_s"], 3)
    for size in (1000, 3000):
        at = next((r for r in ok if r["reports"] == size and "build_over_floor" in r), None)
        if at:
            out[f"build_over_floor_at_{size}"] = at["build_over_floor"]
            out[f"build_over_floor_cpu_at_{size}"] = at["build_over_floor_cpu"]
    return out


def verdicts(results: list[dict[str, Any]], rat: dict[str, Any], serve: dict[str, Any]) -> list[tuple[str, str, str]]:
    by_n = {r["reports"]: r for r in results if "build_s" in r}
    rows = []

    def row(name: str, value: Any, target: float, fmt: str) -> None:
        if value is None:
            rows.append((name, "not measured", f"<= {target:{fmt}}"))
        else:
            rows.append((name, f"{value:{fmt}} {'MET' if value <= target else 'NOT MET'}", f"<= {target:{fmt}}"))

    row("300: serve, one edit to the page served (s)", by_n.get(300, {}).get("serve_edit_s"), TARGETS["serve_edit_s_at_300"], ".2f")
    row("300: rebuild, one report added (s)", by_n.get(300, {}).get("add_one_s"), TARGETS["add_one_s_at_300"], ".1f")
    row("3,000: rebuild, one report added (s)", by_n.get(3000, {}).get("add_one_s"), TARGETS["add_one_s_at_3000"], ".1f")
    row("3,000: rebuild, one narrative edited (s)", by_n.get(3000, {}).get("edit_one_s"), TARGETS["edit_one_s_at_3000"], ".1f")
    row("3,000: serve, one edit to the page served (s)", by_n.get(3000, {}).get("serve_edit_s"), TARGETS["serve_edit_s_at_3000"], ".2f")
    row("3,000: peak memory of any process (MiB)", by_n.get(3000, {}).get("peak_rss_mb"), TARGETS["peak_rss_mb_at_3000"], ".0f")
    row("3,000: first query's search transfer (KB)", by_n.get(3000, {}).get("first_query_kb"), TARGETS["first_query_kb_at_3000"], ".0f")
    row("1,000: build CPU / floor CPU", rat.get("build_over_floor_cpu_at_1000"), TARGETS["build_over_floor_cpu_at_1000"], ".2f")
    return rows


def print_report(results: list[dict[str, Any]], rat: dict[str, Any], serve: dict[str, Any]) -> None:
    head = (f"{'reports':>8} {'pages':>6} {'build s':>8} {'floor s':>8} {'build/floor':>11} {'gen s':>7} {'ms/page':>8} "
            f"{'peak MiB':>9} {'floor MiB':>9} {'build CPU s':>11} {'floor CPU s':>11} {'load':>5}")
    print("\n" + head + "\n" + "-" * len(head))
    def cell(r: dict[str, Any], key: str, width: int, fmt: str) -> str:
        return f"{r[key]:>{width}{fmt}}" if key in r else f"{'-':>{width}}"

    for r in results:
        if "build_s" not in r:
            print(f"{r['reports']:>8}  {r.get('error', 'not run')}")
            continue
        print(f"{r['reports']:>8} {r['pages']:>6} {r['build_s']:>8.1f} {cell(r, 'floor_s', 8, '.1f')} {cell(r, 'build_over_floor', 11, '.2f')} "
              f"{r['generator_s']:>7.2f} {1000 * r['build_s'] / r['pages']:>8.1f} {r['peak_rss_mb']:>9.0f} {cell(r, 'floor_peak_rss_mb', 9, '.0f')} "
              f"{r['build_cpu_s']:>11.1f} {cell(r, 'floor_cpu_s', 11, '.1f')} {max(r.get('load_after_build', 0), r.get('load_after_floor', 0)):>5.1f}")
        if "error" in r:
            print(f"{'':>8}  {r['error']}")
    ppr = rat.get("per_page_ratio")
    if ppr:
        print(f"\nper-page cost {ppr['large']} vs {ppr['small']} reports: {ppr['ratio']:.2f}x wall, {ppr['ratio_cpu']:.2f}x CPU"
              f"  ({ppr['ms_per_page']} ms/page)")
    if "build_over_floor_at_1000" in rat:
        print(f"build / floor at 1000 reports: {rat['build_over_floor_at_1000']:.2f} wall, {rat['build_over_floor_cpu_at_1000']:.2f} CPU")
    if "serve_edit_s" in serve:
        print(f"mkdocs serve, real site, YAML edit -> page served: {serve['serve_edit_s']:.2f}s (median of {serve['samples_s']})")
    elif serve:
        print(f"mkdocs serve: {serve.get('error', 'skipped')}")
    for r in results:
        if "search_index_cost_s" in r:
            print(f"{r['reports']} reports, search index: the build takes {r['search_index_cost_s']:.1f}s longer with it than without "
                  f"({r['nosearch_s']:.1f}s): {r['search_index_cost_share']:.3f} of the rest (CPU +{r['search_index_cost_cpu_s']:.1f}s)")
        if "add_one_s" in r:
            print(f"{r['reports']} reports, incremental (warm cache): one report added {r['add_one_s']:.1f}s (CPU {r['add_one_cpu_s']:.1f}s), "
                  f"one narrative edited {r.get('edit_one_s', float('nan')):.1f}s (CPU {r.get('edit_one_cpu_s', float('nan')):.1f}s)")
    print("\ntargets (issue 27):")
    for name, value, target in verdicts(results, rat, serve):
        print(f"  {name:<40} {value:<18} target {target}")


def main(argv: list[str] | None = None) -> int:
    global SIZE_LIMIT_S
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000,3000", help="comma-separated numbers of inspection reports")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--workdir", type=Path, help="where to generate projects (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep generated projects and built sites")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement on the real site")
    parser.add_argument("--no-search-baseline", action="store_true", help="skip the cold build without search (nosearch_s)")
    parser.add_argument("--serve-edits", type=int, default=5, help="edits timed in mkdocs serve at SERVE_SIZES (the median is kept)")
    parser.add_argument("--at-commit", metavar="REV", help="benchmark a snapshot of commit REV (git archive) instead of the "
                        "working tree, e.g. HEAD: other people's half-made edits cannot break or skew the run")
    parser.add_argument("--limit-min", type=float, default=SIZE_LIMIT_S / 60, help="minutes one size may take before it is stopped "
                        f"(default {SIZE_LIMIT_S // 60}; a shared machine may need more)")
    parser.add_argument("--stage", nargs=3, metavar=("PROJECT", "FLOOR_DIR", "OUT_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    SIZE_LIMIT_S = int(args.limit_min * 60)

    if args.stage:
        project, floor, out = (Path(a) for a in args.stage)
        out.write_text(json.dumps(generator_stage(project, floor)))
        return 0

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 100,1000,3000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one positive number")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="report-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.at_commit:
        snapshot(args.at_commit, work / "source")
    source = source_info()
    load_start = os.getloadavg()[0]
    cores = len(os.sched_getaffinity(0))
    if load_start > 0.5:
        print(f"note: load average is {load_start:.1f} on {cores} cores before starting: other work will inflate wall times "
              "(the CPU-time columns are much less affected)", flush=True)
    print(f"benchmark in {work} (limit {SIZE_LIMIT_S // 60} min per size); code and data: {source['tree']}"
          f"{' (uncommitted changes)' if source['dirty'] else ''}", flush=True)
    results: list[dict[str, Any]] = []
    failed = False
    try:
        for n in sizes:
            print(f"size {n}:", flush=True)
            row: dict[str, Any] = {"reports": n}
            results.append(row)
            try:
                bench_size(n, work, args.keep, row, search_baseline=not args.no_search_baseline, serve_edits=args.serve_edits)
            except SizeTimeoutError as exc:
                row["error"] = f"stopped: the size went over {SIZE_LIMIT_S // 60} minutes during the {exc}"
                print(f"  [{n}] {row['error']}; larger sizes skipped", flush=True)
                failed = True
                break
            except (RuntimeError, SystemExit) as exc:
                print(f"  [{n}] {exc}", flush=True)
                row["error"] = str(exc).splitlines()[0]
                failed = True
                break
            finally:
                if not args.keep:
                    shutil.rmtree(work / f"n{n}", ignore_errors=True)
        serve: dict[str, Any] = {}
        if not args.no_serve:
            print("mkdocs serve on the real site:", flush=True)
            serve = bench_serve(work)
            print(f"  {serve}", flush=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    rat = ratios(results)
    print_report(results, rat, serve)
    if args.out:
        doc = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "source": source,
            "load_average": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
            "results": results,
            "serve_edit_s": serve.get("serve_edit_s"),
            "serve": serve,
            "ratios": rat,
            "targets": TARGETS,
            "verdicts": {name: value for name, value, _t in verdicts(results, rat, serve)},
        }
        args.out.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"\nwrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        venv = ROOT / ".venv" / "bin" / "python"
        if venv.exists() and Path(sys.executable).resolve() != venv.resolve():
            os.execv(str(venv), [str(venv), *sys.argv])
        raise SystemExit("mkdocs is not installed: run `sh .ci/setup` and use .venv/bin/python") from None
    raise SystemExit(main())
