"""Generated sites in every incomplete-data state (issue 10): no sentence the generator writes contradicts the data.

A seeded random generator writes small projects (a programme with a review, a few partnerships, one inspection
each) whose evaluations, grade totals, dates, corrections, rebuilt records and drafts are drawn from every state
the model allows. Each is checked (it must be valid), derived and rendered without MkDocs, and the pages, feeds and
open data are compared with what the generator knows it wrote: counts, "no grade ...", "checked", dates,
"not published" / "not held", corrections, drafts. The expectations are computed here from the generated data,
never from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.opendata import site_files
from generator.render.render import Renderer, make_environment, make_markup_environment, render_feeds

from .support import ROOT

STATES = Path(__file__).parent / "fixtures" / "states"
CODES = ["2.1", "2.2", "9"]
LABELS = {6: "Excellent", 5: "Very good", 4: "Good", 3: "Adequate", 2: "Weak", 1: "Unsatisfactory"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
STATE_WORDS = {"not-evaluated": "Not evaluated", "not-published": "Evaluated, grade not published",
               "not-held": "Published in a report this site does not hold"}
SITES = 60


@dataclass
class Eval:
    code: str
    true_grade: int | None
    """The grade the inspection gave (None: not evaluated); what the site holds is `grade`."""
    state: str  # graded | not-evaluated | not-published | not-held
    url: str | None = None

    @property
    def grade(self) -> int | None:
        return self.true_grade if self.state == "graded" else None


@dataclass
class Insp:
    id: str
    partnership: str
    name: str
    date: tuple[str, str] | None
    """(YAML value, the words a reader sees), or None when undated."""
    day_exact: bool
    evals: list[Eval] = field(default_factory=list)
    totals: dict[int, int] | None = None
    corrected: tuple[str, str] | None = None
    rebuilt: bool = False
    draft: bool = False


def _date(rng: random.Random) -> tuple[tuple[str, str] | None, bool]:
    year = rng.randint(2021, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.choice(["day", "month", "year", "about", "none"])
    if kind == "day":
        return (f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year}"), True
    if kind == "month":
        return (f"{year}-{month:02d}", f"{MONTHS[month - 1]} {year}"), False
    if kind == "year":
        return (f"{year}", f"{year}"), False
    if kind == "about":
        return (f"about {year}", f"{year} (approximate)"), False
    return None, False


def generate(seed: int) -> list[Insp]:
    rng = random.Random(seed)
    inspections = []
    for n in range(rng.randint(2, 4)):
        pid = f"area-{n}"
        date, exact = _date(rng)
        insp = Insp(f"{pid}-report", pid, f"Area {n}", date, exact)
        if rng.random() < 0.25:
            # grades known only as totals: one grade per indicator, which indicator got which is not public
            grades = [rng.randint(2, 6) for _ in CODES]
            insp.totals = {g: grades.count(g) for g in sorted(set(grades), reverse=True)}
            insp.evals = [Eval(code, g, "totals") for code, g in zip(CODES, grades, strict=True)]
        else:
            for code in CODES:
                state = rng.choice(["graded", "graded", "not-evaluated", "not-published", "not-held", "not-held"])
                grade = None if state == "not-evaluated" else rng.randint(1, 6)
                url = f"https://example.org/{pid}/{code}" if state == "not-held" and rng.random() < 0.5 else None
                insp.evals.append(Eval(code, grade, state, url))
        if rng.random() < 0.3:
            insp.corrected = ("2026-02-03", "3 February 2026")
        insp.rebuilt = rng.random() < 0.3
        insp.draft = rng.random() < 0.15
        inspections.append(insp)
    return inspections


def claims(inspections: list[Insp]) -> list[dict[str, object]]:
    """One true claim per indicator, from the grades the inspections gave (held or not)."""
    out = []
    for code in CODES:
        given = [ev.true_grade for insp in inspections if not insp.draft for ev in insp.evals
                 if ev.code == code and ev.true_grade is not None]
        if given:
            good = sum(1 for g in given if g >= 4)
            out.append({"code": code, "text": f"{good} of the {len(given)} evaluations of {code} were good or better",
                        "count": good, "total": len(given)})
    return out


def write_project(root: Path, inspections: list[Insp]) -> Path:
    shutil.copytree(STATES / "content", root / "content")
    shutil.copy(STATES / "mkdocs.yml", root / "mkdocs.yml")
    data = root / "site-data"
    for folder in ("scales", "frameworks", "programmes", "partnerships", "inspections", "reviews"):
        (data / folder).mkdir(parents=True)
    shutil.copy(STATES / "site-data" / "themes.yaml", data / "themes.yaml")
    scale = (STATES / "site-data" / "scales" / "six-point.yaml").read_text()
    (data / "scales" / "six-point.yaml").write_text(scale.replace("defined_in: [fife-2023]", "defined_in: [codes]"))
    shutil.copy(STATES / "site-data" / "frameworks" / "qf-2019.yaml", data / "frameworks" / "qf-2019.yaml")
    (data / "organisations.yaml").write_text("organisations:\n  - {id: care-inspectorate, name: Care Inspectorate}\n")
    (data / "documents.yaml").write_text("documents:\n  - {id: codes, title: Council area codes}\n")
    (data / "programmes" / "prog.yaml").write_text(
        "title: Joint inspections\nshort_title: Joint inspections (2021-2025)\nstart: 2021\nlead: care-inspectorate\n"
        "framework: qf-2019\nscale: six-point\nremit: Inspections.\n"
        f"evaluates: [{', '.join(repr(c) for c in CODES)}]\nreview: review\n")
    review = ["title: Review of the programme", "not_stated: [url]", "programme: prog", "published: about 2025",
              f"evaluated_indicators: [{', '.join(repr(c) for c in CODES)}]", "grade_claims:"]
    for claim in claims(inspections):
        review += [f"  - text: {claim['text']}", f"    indicators: ['{claim['code']}']",
                   f"    count: {claim['count']}", "    min_grade: 4", f"    total: {claim['total']}"]
    if review[-1] == "grade_claims:":
        review[-1] = "grade_claims: []"
    (data / "reviews" / "review.yaml").write_text("\n".join(review) + "\n")
    for n, insp in enumerate(inspections):
        (data / "partnerships" / f"{insp.partnership}.yaml").write_text(
            f"name: {insp.name}\ncouncil: {insp.name} Council\narea_code: S1200{n:04d}\narea_code_source: codes\n")
        lines = [f"title: Inspection of {insp.name}", "not_stated: [url]", f"partnership: {insp.partnership}", "programme: prog"]
        if insp.date:
            lines.append(f"published: {insp.date[0]}")
        if insp.draft:
            lines.append("status: draft")
        if insp.rebuilt:
            lines.append("rebuilt_from: review")
        if insp.corrected:
            lines += ["corrections:", f"  - {{date: {insp.corrected[0]}, text: A grade was corrected.}}"]
        if insp.totals is not None:
            counts = ", ".join(f"{g}: {c}" for g, c in insp.totals.items())
            lines += ["grade_totals:", f"  counts: {{{counts}}}"]
        else:
            lines.append("evaluations:")
            for ev in insp.evals:
                if ev.state == "graded":
                    lines.append(f"  - {{indicator: '{ev.code}', grade: {ev.grade}}}")
                else:
                    lines.append(f"  - {{indicator: '{ev.code}', missing: {ev.state}"
                                 + (f", original_url: '{ev.url}'" if ev.url else "") + "}")
        (data / "inspections" / f"{insp.id}.yaml").write_text("\n".join(lines) + "\n")
    return root


@functools.cache
def environments() -> tuple[Any, Any]:
    """One pair of Jinja environments for every generated site: compiling the templates is most of the time."""
    return make_environment([ROOT / "overrides"]), make_markup_environment([ROOT / "overrides"])


#: the build's day and time, which dates a feed with no entry (a fixed one: the output is compared)
BUILT = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def render(project: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    _data, derived, problems = check_site(project)
    assert derived is not None, "\n".join(str(p) for p in problems.sorted())
    env, markup_env = environments()
    renderer = Renderer(derived, env, publisher=default_publisher())
    pages = {spec.path: renderer.render(spec) for spec in renderer.pages()}
    feeds = render_feeds(derived, markup_env, "https://example.org/", default_publisher(), built=BUILT)
    return pages, feeds, site_files(derived, "https://example.org/")


def section(page: str, start: str, end: str = "</div>") -> str:
    assert start in page, f"{start!r} not on the page"
    rest = page.split(start, 1)[1]
    return rest.split(end, 1)[0]


def grade_span(grade: int) -> str:
    return f'<span class="rs-grade rs-grade-{grade}">{LABELS[grade]} ({grade})</span>'


def md(text: str) -> str:
    """The page's Markdown escaping of plain words (the generator escapes brackets and full stops in codes)."""
    return text.replace("(", r"\(").replace(")", r"\)")


def check_inspection_page(insp: Insp, page: str) -> None:
    verdict = section(page, "## The result of this inspection")
    held = [ev for ev in insp.evals if ev.grade is not None]
    # dates: the words beside "Published"
    facts = section(page, "## About this report")
    if insp.date:
        assert f"- **Published:** {md(insp.date[1])}\n" in facts
    else:
        assert "- **Published:** date not stated in the sources this site holds" in facts
    if insp.totals is not None:
        assert "The sources give only how many evaluations received each grade" in verdict
        for grade, count in insp.totals.items():
            assert f"| {grade_span(grade)} | {count} |" in verdict
        assert "no grade" not in verdict.lower() and "give no grades" not in verdict
        return
    # one line per evaluation, each in its own state's words
    lines = [line for line in verdict.splitlines() if line.startswith("- ")]
    assert len(lines) == len(insp.evals), verdict
    for ev in insp.evals:
        line = next(line for line in lines if f"Quality indicator {ev.code.replace('.', chr(92) + '.')}:" in line
                    or f"Quality indicator {ev.code}:" in line)
        if ev.grade is not None:
            assert line.startswith(f"- {grade_span(ev.grade)}:"), line
        else:
            assert line.startswith(f"- {STATE_WORDS[ev.state]}"), line
            assert "rs-grade-" not in line
            if ev.state == "not-held":
                assert (f"[The original report]({ev.url})" in line) if ev.url else "(address not known)" in line
    if held:
        assert "No grade from this inspection" not in verdict and "holds no grades" not in verdict
    else:
        assert "No grade from this inspection is published in the sources this site holds." in verdict
    if insp.rebuilt:
        assert '!!! warning "Rebuilt from another publication"' in page.split("## The result", 1)[0]
    else:
        assert "Rebuilt from another publication" not in page


def check_partnership_page(insp: Insp, page: str) -> None:
    if insp.draft:
        # its only inspection is a draft: the page says nothing is published, and shows nothing of the draft
        assert insp.id not in page
        assert f"No inspection report about {insp.name} is on this site" in page or f"Nothing about {insp.name} is on this site yet" in page
        assert "rs-grade-" not in page
        return
    assert "No inspection report about" not in page and "is published on this site yet" not in page
    verdict = section(page, "## Latest inspection")
    date_words = f"published {md(insp.date[1])}" if insp.date else "publication date not stated in the sources this site holds"
    assert date_words in verdict
    assert ("(corrected 3 February 2026)" in verdict) == bool(insp.corrected)
    held = sum(1 for ev in insp.evals if ev.grade is not None)
    if insp.totals is None:
        assert verdict.count('- <span class="rs-grade') == held
        for state, words in STATE_WORDS.items():
            assert verdict.count(f"- {words}") == sum(1 for ev in insp.evals if ev.state == state), (state, verdict)


def check_programme_grid(inspections: list[Insp], page: str) -> None:
    published = [i for i in inspections if not i.draft]
    if not published:
        assert "No report from this programme is published on this site yet" in page
        assert "rs-grade-" not in page.split("## Partnerships covered", 1)[1]
        return
    grid = section(page, "## Evaluations by partnership")
    rows = [line for line in grid.splitlines() if line.startswith("| [")]
    assert len(rows) == len(published)
    for insp in published:
        row = next(r for r in rows if r.startswith(f"| [{insp.name}]"))
        cells = [c.strip() for c in row.strip("|").split(" | ")][1:1 + len(CODES)]
        for ev, cell in zip(insp.evals, cells, strict=True):
            if insp.totals is not None:
                assert cell == "Known only as part of the totals"
            elif ev.grade is not None:
                assert cell == grade_span(ev.grade)
            else:
                assert cell == STATE_WORDS[ev.state]
        assert ("(corrected " in row) == bool(insp.corrected)
        assert ("rebuilt from" in row) == insp.rebuilt
    # every held grade counted once, indicator grades and totals together
    if any(i.totals is not None for i in published):
        after = section(page, "all inspections in the programme", "\n\n\n").strip().splitlines()
        table = "\n".join(line for line in after if line.startswith("|"))
        for grade in LABELS:
            expected = sum(1 for i in published for ev in i.evals if (ev.grade if i.totals is None else ev.true_grade) == grade)
            assert f"| {grade_span(grade)} | {expected} |" in table, (grade, table)


def check_review(inspections: list[Insp], page: str) -> None:
    published = [i for i in inspections if not i.draft]
    for claim in claims(inspections):
        line = next(line for line in page.splitlines() if line.startswith(f"- “{claim['text']}”:"))
        evaluated = [ev for i in published for ev in i.evals if ev.code == claim["code"] and ev.true_grade is not None]
        held = sum(1 for ev in evaluated if ev.grade is not None)
        if held == len(evaluated):
            assert ": checked." in line and "holds all of them" in line, line
        elif held:
            assert ": not fully checked." in line and f"this site holds {held} of them" in line, line
        else:
            assert ": not checked." in line and "holds none of them" in line, line
        assert f"It covers {len(evaluated)} evaluation" in line, line


def check_feed(inspections: list[Insp], feed: str) -> None:
    entries = {m.group(1): m.group(0) for m in re.finditer(r"<entry>.*?/inspections/([\w-]+)/.*?</entry>", feed, re.S)}
    for insp in inspections:
        if insp.draft:
            assert insp.id not in feed
            continue
        entry = entries.get(insp.id)
        if insp.date is None and not insp.corrected:
            # a feed entry needs a date: it is left out, and the feed says so
            assert entry is None
            assert "with no date in the sources this site holds" in feed.split("<entry>", 1)[0]
            continue
        assert entry is not None, f"{insp.id} is not in the feed"
        # a feed gives a day as the publication date only when the sources give that exact day
        assert ("<published>" in entry) == insp.day_exact, entry
        if insp.date is None:
            assert "publication date not stated" in entry, entry
        assert ("Corrected 3 February 2026" in entry) == bool(insp.corrected), entry


def check_partnership_feeds(inspections: list[Insp], feeds: dict[str, str], pages: dict[str, str]) -> None:
    """Every partnership has a feed from the start; its `updated` is its newest entry's day, never a made-up one,
    and a feed with no entry is dated by the build and says so; the page links the feed either way."""
    for pid in {insp.partnership for insp in inspections}:
        mine = [i for i in inspections if i.partnership == pid and not i.draft]
        feed, page = feeds[f"feeds/{pid}.xml"], pages[f"partnerships/{pid}.md"]
        updated = re.search(r"<feed.*?<updated>(.*?)</updated>", feed, re.S)
        entries = re.findall(r"<entry>.*?<updated>(.*?)</updated>", feed, re.S)
        assert f"[its Atom feed](../feeds/{pid}.xml)" in page
        # the programme's review (dated, 'about 2025') is about every partnership with a published inspection
        if mine:
            assert updated and entries and updated.group(1) == max(entries), feed[:600]
        else:
            assert updated and not entries and updated.group(1) == "2026-05-04T00:00:00Z", feed[:600]
            assert "Nothing is published about" in feed and "the day it was last built, 4 May 2026" in feed
            assert "The feed has no entries yet." in page
    for feed in feeds.values():
        assert "1970" not in feed


def check_open_data(inspections: list[Insp], files: dict[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(files["data/evaluations.csv"].lstrip("\ufeff"))))
    for insp in inspections:
        mine = [r for r in rows if r["inspection"] == insp.id]
        if insp.draft:
            assert not mine
            continue
        if insp.totals is not None:
            assert {int(r["grade_value"]): int(r["evaluations"]) for r in mine} == insp.totals
            assert all(r["known_as"] == "total" for r in mine)
            continue
        assert len(mine) == len(insp.evals)
        for ev in insp.evals:
            row = next(r for r in mine if r["indicator"] == ev.code)
            assert row["grade_value"] == (str(ev.grade) if ev.grade is not None else "")
            assert row["missing"] == ("" if ev.grade is not None else ev.state)
            assert row["corrected"] == (insp.corrected[0] if insp.corrected else "")
            assert row["rebuilt_from"] == ("review" if insp.rebuilt else "")


@pytest.mark.parametrize("seed", range(SITES))
def test_no_generated_sentence_contradicts_the_data(tmp_path: Path, seed: int) -> None:
    inspections = generate(seed)
    pages, feeds, files = render(write_project(tmp_path / "project", inspections))
    for insp in inspections:
        if insp.draft:
            assert f"inspections/{insp.id}.md" not in pages
            assert not any(insp.id in text for text in pages.values())
        else:
            check_inspection_page(insp, pages[f"inspections/{insp.id}.md"])
        check_partnership_page(insp, pages[f"partnerships/{insp.partnership}.md"])
    check_programme_grid(inspections, pages["programmes/prog.md"])
    check_review(inspections, pages["reviews/review.md"])
    check_feed(inspections, feeds["feeds/publications.xml"])
    check_partnership_feeds(inspections, feeds, pages)
    check_open_data(inspections, files)


def test_the_generator_reaches_every_state() -> None:
    """The seeds above cover each state at least once (else the test above could pass by never meeting one)."""
    seen: set[str] = set()
    for seed in range(SITES):
        for insp in generate(seed):
            seen |= {ev.state for ev in insp.evals}
            flags = {"draft": insp.draft, "rebuilt": insp.rebuilt, "corrected": bool(insp.corrected),
                     "undated": insp.date is None, "about": bool(insp.date and insp.date[0].startswith("about")),
                     "url": any(ev.url for ev in insp.evals)}
            seen |= {name for name, on in flags.items() if on}
        seen |= {f"claim-{state}" for state in claim_states(generate(seed))}
    assert seen >= {"graded", "not-evaluated", "not-published", "not-held", "totals", "draft", "rebuilt", "corrected",
                    "undated", "about", "url", "claim-checked", "claim-partly", "claim-unchecked"}


def claim_states(inspections: list[Insp]) -> set[str]:
    published = [i for i in inspections if not i.draft]
    states = set()
    for claim in claims(inspections):
        evaluated = [ev for i in published for ev in i.evals if ev.code == claim["code"] and ev.true_grade is not None]
        held = sum(1 for ev in evaluated if ev.grade is not None)
        states.add("checked" if held == len(evaluated) else "partly" if held else "unchecked")
    return states
