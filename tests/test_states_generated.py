"""Generated sites in every incomplete-data state (issues 10 and 25): no sentence the generator writes contradicts the
data, and every fact carries where it is stated.

States drawn: held by this site / rebuilt from a named publication / not held, known from a source not named; grades
with no source named / stated in a held publication / in a cited document not held; grades by indicator / totals only /
none; dates exact / month / year / approximate / absent; indicator codes given / assigned by the site; coverage listed
by a source / not; draft / published; publisher and lead the Care Inspectorate / a second organisation / not stated;
titles given / not; a programme ended / running / with its end not stated. Besides the checks per page, no page, feed
or data file prints a day the data does not hold or 'to now', and every sentence pattern of the inventory
(generator/derive/facts.py SENTENCES) is met in some generated site.

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
import json
import random
import re
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.derive.facts import SENTENCES
from generator.derive.site import check_site
from generator.model.publisher import default_publisher
from generator.render.opendata import site_files
from generator.render.render import Renderer, make_environment, make_markup_environment, md_escape, render_feeds

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
    holding: str = "held"
    """'held' (the site holds the report), 'rebuilt' (rebuilt_from: review) or 'unnamed' (held: false, no source named)."""
    draft: bool = False
    source: str = "none"
    """Where its grades (or totals) are stated: 'none' (no source named), 'review' (a publication this site holds),
    'doc' (a cited document this site does not hold)."""
    publisher: str = "care-inspectorate"
    """'care-inspectorate', 'other-body' (a second organisation) or 'not-stated'."""
    titled: bool = True
    url: bool = False
    """Whether the original's address is known (else not_stated: [url])."""
    finding: bool = False
    """Whether it records a finding on a theme (theme pages list it with its date)."""

    @property
    def rebuilt(self) -> bool:
        return self.holding == "rebuilt"

    @property
    def title(self) -> str:
        """The title its pages show (a name the site builds from the partnership and the year where none is stated)."""
        if self.titled:
            return f"Inspection of {self.name}"
        year = self.date[1][-4:] if self.date and not self.date[0].startswith("about") else None
        when = f"{self.date[0][-4:]} (approximate)" if self.date and self.date[0].startswith("about") else year
        return f"Inspection report: {self.name}, {when or 'Joint inspections (2021-2025)'} (title not stated in the sources)"


@dataclass
class Options:
    """The programme's and framework's states, drawn once per site."""

    lead: str
    """'care-inspectorate', 'other-body' or 'not-stated'."""
    end: str
    """'given' (2025), 'running' (left out) or 'not-stated'."""
    coverage: bool
    """Whether a source (the review) lists the partnerships the programme covered."""
    assigned_code: bool
    """Whether indicator 9's code is the site's own (code_assigned), the sources giving none."""
    framework_titled: bool
    claim_totals: bool = True
    """Whether the review's claims state their totals (else their extent is known only from the coverage)."""
    extra: str = "none"
    """A second programme with one inspection (of Area 8): 'none', 'ungraded' (a programme with no scale) or
    'no-evals' (a graded programme, an inspection with no evaluations recorded)."""
    meaning_stated: bool = True
    """Whether every level of the scale has its meaning (else Good's is not stated)."""


def options(seed: int) -> Options:
    rng = random.Random(f"options-{seed}")
    return Options(rng.choice(["care-inspectorate", "other-body", "not-stated"]), rng.choice(["given", "running", "not-stated"]),
                   rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.6,
                   rng.choice(["none", "ungraded", "no-evals"]), rng.random() < 0.6)


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
        insp.holding = rng.choice(["held", "held", "rebuilt", "unnamed"])
        insp.draft = rng.random() < 0.15
        insp.source = rng.choice(["none", "none", "review", "doc"])
        insp.publisher = rng.choice(["care-inspectorate", "other-body", "not-stated"])
        insp.titled = rng.random() < 0.7
        insp.url = rng.random() < 0.3
        insp.finding = rng.random() < 0.4
        inspections.append(insp)
    return inspections


#: the grades Area 9 got: a partnership the programme covered (where a source lists them) with no report on this site
AREA_9 = {"2.1": 4, "2.2": 3, "9": 5}


def claims(inspections: list[Insp], coverage: bool = False) -> list[dict[str, object]]:
    """One true claim per indicator, from the grades the inspections gave (held or not), and Area 9's where the
    programme's coverage is listed."""
    out = []
    for code in CODES:
        given = [ev.true_grade for insp in inspections if not insp.draft for ev in insp.evals
                 if ev.code == code and ev.true_grade is not None] + ([AREA_9[code]] if coverage else [])
        if given:
            good = sum(1 for g in given if g >= 4)
            out.append({"code": code, "text": f"{good} of the {len(given)} evaluations of {code} were good or better",
                        "count": good, "total": len(given)})
    return out


ORG_NAMES = {"care-inspectorate": "Care Inspectorate", "other-body": "Another Scrutiny Body"}


def write_project(root: Path, inspections: list[Insp], opts: Options | None = None) -> Path:
    opts = opts or Options("care-inspectorate", "running", False, False, True)
    shutil.copytree(STATES / "content", root / "content")
    shutil.copy(STATES / "mkdocs.yml", root / "mkdocs.yml")
    data = root / "site-data"
    for folder in ("scales", "frameworks", "programmes", "partnerships", "inspections", "reviews"):
        (data / folder).mkdir(parents=True)
    shutil.copy(STATES / "site-data" / "themes.yaml", data / "themes.yaml")
    scale = (STATES / "site-data" / "scales" / "six-point.yaml").read_text()
    scale = scale.replace("defined_in: [fife-2023]", "defined_in: [codes]")
    if not opts.meaning_stated:
        scale = scale.replace("label: Good, meaning: Important strengths,", "label: Good, not_stated: [meaning],")
        assert "not_stated: [meaning]" in scale
    (data / "scales" / "six-point.yaml").write_text(scale)
    framework = (STATES / "site-data" / "frameworks" / "qf-2019.yaml").read_text()
    if opts.assigned_code:
        framework = framework.replace('{code: "9", title: Leadership}', '{code: "9", title: Leadership, code_assigned: true}')
        assert "code_assigned" in framework
    if not opts.framework_titled:
        framework = re.sub(r"(?m)^title: .*$", "not_stated: [title]", framework)
    (data / "frameworks" / "qf-2019.yaml").write_text(framework)
    (data / "organisations.yaml").write_text("organisations:\n" + "".join(
        f"  - {{id: {oid}, name: {name}, reports_url: 'https://example.org/{oid}/reports'}}\n" for oid, name in ORG_NAMES.items()))
    (data / "documents.yaml").write_text("documents:\n  - {id: codes, title: Council area codes}\n"
                                         "  - {id: summary, title: A summary of the grades}\n")
    programme = ["title: Joint inspections", "short_title: Joint inspections (2021-2025)", "start: 2021",
                 "framework: qf-2019", "scale: six-point"] + (["remit: Inspections."] if opts.framework_titled else []) + [
                 f"evaluates: [{', '.join(repr(c) for c in CODES)}]", "review: review"]
    not_stated = (["lead"] if opts.lead == "not-stated" else []) + (["end"] if opts.end == "not-stated" else []) + (
        ["remit"] if not opts.framework_titled else [])
    programme += [f"lead: {opts.lead}"] if opts.lead != "not-stated" else []
    programme += ["end: 2025"] if opts.end == "given" else []
    programme += [f"not_stated: [{', '.join(not_stated)}]"] if not_stated else []
    if opts.coverage:
        programme += [f"partnerships: [{', '.join(i.partnership for i in inspections if not i.draft)}, area-9]",
                      "partnerships_source: review"]
    (data / "programmes" / "prog.yaml").write_text("\n".join(programme) + "\n")
    review = ["title: Review of the programme", "not_stated: [url]", "publisher: care-inspectorate", "programme: prog",
              "published: about 2025",
              f"evaluated_indicators: [{', '.join(repr(c) for c in CODES)}]", "grade_claims:"]
    for claim in claims(inspections, opts.coverage):
        review += [f"  - text: {claim['text']}", f"    indicators: ['{claim['code']}']",
                   f"    count: {claim['count']}", "    min_grade: 4"] + ([f"    total: {claim['total']}"] if opts.claim_totals else [])
    if not opts.claim_totals:
        review += ["  - text: Most evaluations were good or better", "    indicators: ['2.1']"]
    if review[-1] == "grade_claims:":
        review[-1] = "grade_claims: []"
    if opts.lead == "other-body":
        # a review whose messages the source does not number (the site numbers them, and says so)
        review += ["key_messages:", "  - {not_stated: [number], text: Services worked well together.}",
                   "  - {not_stated: [number], text: Plans were clear.}"]
    published = [i for i in inspections if not i.draft]
    if published and opts.coverage:
        first = published[0]
        (data / "responses").mkdir()
        (data / "responses" / "response.yaml").write_text(
            f"title: Response of {first.name}\npartnership: {first.partnership}\ninspection: {first.id}\n"
            f"body: Committee\norganisation: {first.name} Council\nauthor_role: Director\nnot_stated: [url]\n")
    if opts.end != "given":
        # a letter with no programme and no date: its date is said to be not stated, with nothing to place it by
        (data / "letters").mkdir()
        (data / "letters" / "letter.yaml").write_text(
            f"title: Letter to {inspections[0].name}\npartnership: {inspections[0].partnership}\npublisher: care-inspectorate\n"
            "addressee_role: Chair\nwork_start: 2021-01\nwork_end: 2021-03\nnot_stated: [url]\n")
    (data / "reviews" / "review.yaml").write_text("\n".join(review) + "\n")
    (data / "partnerships" / "area-9.yaml").write_text("name: Area 9\ncouncil: Area 9 Council\n")
    if opts.extra != "none":
        (data / "partnerships" / "area-8.yaml").write_text("name: Area 8\ncouncil: Area 8 Council\n")
        graded = opts.extra == "no-evals"
        (data / "programmes" / "extra.yaml").write_text(
            "title: Another programme\nshort_title: Another programme (2019)\nstart: 2019\nend: 2019\n"
            "lead: care-inspectorate\nremit: Visits.\n" + ("framework: qf-2019\nscale: six-point\nevaluates: ['2.1']\n" if graded else ""))
        (data / "inspections" / "area-8-extra.yaml").write_text(
            "title: Inspection of Area 8\npartnership: area-8\nprogramme: extra\npublisher: care-inspectorate\n"
            "published: 2019-06-01\nnot_stated: [url]\n")
    for n, insp in enumerate(inspections):
        (data / "partnerships" / f"{insp.partnership}.yaml").write_text(
            f"name: {insp.name}\ncouncil: {insp.name} Council\narea_code: S1200{n:04d}\narea_code_source: codes\n")
        unstated = ([] if insp.url else ["url"]) + (["title"] if not insp.titled else []) + (
            ["publisher"] if insp.publisher == "not-stated" else [])
        lines = ([f"not_stated: [{', '.join(unstated)}]"] if unstated else []) + [f"partnership: {insp.partnership}", "programme: prog"]
        lines += [f"title: Inspection of {insp.name}"] if insp.titled else []
        lines += [f"publisher: {insp.publisher}"] if insp.publisher != "not-stated" else []
        lines += ["held: false"] if insp.holding == "unnamed" else []
        lines += [f"url: https://example.org/{insp.id}.pdf"] if insp.url else []
        lines += ["findings:", "  - {text: Chronologies were kept up to date., themes: [chronologies]}"] if insp.finding else []
        source = {"none": "", "review": ", source: review", "doc": ", source: summary"}[insp.source]
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
            lines += ["grade_totals:", f"  counts: {{{counts}}}"] + ([f"  {source[2:]}"] if source else [])
        else:
            lines.append("evaluations:")
            for ev in insp.evals:
                if ev.state == "graded":
                    lines.append(f"  - {{indicator: '{ev.code}', grade: {ev.grade}{source}}}")
                else:
                    lines.append(f"  - {{indicator: '{ev.code}', missing: {ev.state}"
                                 + (f", original_url: '{ev.url}'" if ev.url else "") + (source if ev.state != "not-held" else "") + "}")
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


REVIEW_LINK = "[Review of the programme]("


def expected_source(insp: Insp, own_page: bool) -> str:
    """Where the page must say the inspection's grades (or totals) are stated, from what the generator wrote: a named
    source; else the report itself only where the site holds it; else the publication it was rebuilt from; else a
    source not named. Never 'this report' for a report the site does not hold."""
    if insp.source == "review" or (insp.source == "none" and insp.holding == "rebuilt"):
        return "Stated in: " + REVIEW_LINK
    if insp.source == "doc":
        return "Stated in: A summary of the grades, which this site does not hold"
    if insp.holding == "unnamed":
        return "Stated in a source this site does not name"
    return "Stated in: this report" if own_page else f"Stated in: [{md(insp.title)}]("


HOLDING = {
    "held": "This site holds the inspection report itself.",
    "rebuilt": "This site does not hold the inspection report itself: this page is rebuilt from " + REVIEW_LINK,
    "unnamed": "This site does not hold the inspection report itself: this page is built from a source this site does not name.",
}


def check_inspection_page(insp: Insp, page: str) -> None:
    assert ("\n" + page).split("\n# ", 1)[1].startswith(md(insp.title) + "\n"), page[:300]
    verdict = section(page, "## The result of this inspection")
    held = [ev for ev in insp.evals if ev.grade is not None]
    # dates: the words beside "Published"
    facts = section(page, "## About this report")
    if insp.date:
        assert f"- **Published:** {md(insp.date[1])}\n" in facts
    else:
        assert "- **Published:** publication date not stated in the sources this site holds" in facts
    assert f"- {HOLDING[insp.holding]}" in facts, facts
    publisher = ORG_NAMES.get(insp.publisher, "not stated in the sources this site holds")
    assert f"- **Published by:** {publisher}\n" in facts, facts
    # where its grades are stated; never 'this report' for a report the site does not hold
    stated = [ev for ev in insp.evals if ev.state != "not-held" or insp.totals is not None]
    if stated:
        assert expected_source(insp, own_page=True) in verdict, (expected_source(insp, True), verdict)
    if insp.holding != "held" or insp.source != "none":
        assert "Stated in: this report" not in page
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
                address = ev.url or (f"https://example.org/{insp.id}.pdf" if insp.url else None)
                assert (f"[The original report]({address})" in line) if address else "(address not known)" in line
    if held:
        assert "No grade from this inspection" not in verdict and "holds no grades" not in verdict
    else:
        assert "No grade from this inspection is published in the sources this site holds." in verdict
    top = page.split("## The result", 1)[0]
    assert ('!!! warning "Rebuilt from another publication"' in top) == insp.rebuilt
    assert ('!!! warning "This site does not hold this publication"' in top) == (insp.holding == "unnamed")


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
    if any(ev.state != "not-held" for ev in insp.evals) or insp.totals is not None:
        assert expected_source(insp, own_page=False) in verdict, (expected_source(insp, False), verdict)
    assert "Stated in: this report" not in page  # this page is not the report
    assert (HOLDING[insp.holding] in verdict) == (insp.holding != "held")
    held = sum(1 for ev in insp.evals if ev.grade is not None)
    if insp.totals is None:
        assert verdict.count('- <span class="rs-grade') == held
        for state, words in STATE_WORDS.items():
            assert verdict.count(f"- {words}") == sum(1 for ev in insp.evals if ev.state == state), (state, verdict)


PERIOD = {"given": "2021 to 2025", "running": "2021 onwards",
          "not-stated": "2021 onwards \\(its end is not stated in the sources this site holds\\)"}


def check_programme(inspections: list[Insp], opts: Options, page: str) -> None:
    """Years, lead, how many reports this site holds (and how many it holds itself), and what the programme covered
    only where a source says: each from the generated data."""
    published = [i for i in inspections if not i.draft]
    assert f"- **Years:** {PERIOD[opts.end]}\n" in page
    lead = ORG_NAMES.get(opts.lead, "not stated in the sources this site holds")
    assert f"- **Led by:** {lead}" in page
    reports = section(page, "## Reports on this site", "## Partnerships the programme covered")
    held = sum(1 for i in published if i.holding == "held")
    n, s_ = len(published), "" if len(published) == 1 else "s"
    if not published:
        assert "This site holds no report from this programme yet." in reports
    elif held == n:
        assert f"This site holds {n} report{s_} from this programme." in reports
    elif held == 0:
        assert f"This site has pages for {n} report{s_} from this programme, but holds none of them itself" in reports
    else:
        assert f"This site has pages for {n} report{s_} from this programme: it holds {held} of them itself, and {n - held}" in reports
    if opts.lead == "not-stated":
        assert "Where the programme's other reports are listed is not stated in the sources this site holds." in reports
    else:
        assert f"[the {ORG_NAMES[opts.lead]}'s list of joint inspection reports](https://example.org/{opts.lead}/reports)" in reports
    covered = section(page, "## Partnerships the programme covered", "\n## ")
    if opts.coverage:
        count = len([i for i in inspections if not i.draft]) + 1
        assert f"{REVIEW_LINK}../reviews/review.md) lists {count} partnerships the programme covered." in covered, covered
        assert covered.count("\n- [") == count
        assert "[Area 9](../partnerships/area-9.md) (no report on this site)" in covered
    else:
        assert "No source this site holds lists the partnerships the programme covered." in covered
        assert "\n- [" not in covered
    assert ("code assigned by this site" in page) == opts.assigned_code


def check_programme_grid(inspections: list[Insp], page: str) -> None:
    published = [i for i in inspections if not i.draft]
    if not published:
        assert "rs-grade-" not in page
        assert "each grade is in the table above" not in page
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
    # a page never points at a table of grades that has none
    if not any(ev.grade is not None for i in published if i.totals is None for ev in i.evals):
        assert "each grade is in the table above" not in page
    # every held grade counted once, indicator grades and totals together
    if any(i.totals is not None for i in published):
        after = section(page, "all inspections in the programme", "\n\n\n").strip().splitlines()
        table = "\n".join(line for line in after if line.startswith("|"))
        for grade in LABELS:
            expected = sum(1 for i in published for ev in i.evals if (ev.grade if i.totals is None else ev.true_grade) == grade)
            assert f"| {grade_span(grade)} | {expected} |" in table, (grade, table)


def check_framework(opts: Options, page: str) -> None:
    title = ("\n" + page).split("\n# ", 1)[1].split("\n", 1)[0]
    if opts.framework_titled:
        assert title == "Quality framework 2019"
    else:
        users = "Another programme \\(2019\\), " if opts.extra == "no-evals" else ""  # every programme that uses it
        assert title == (f"Quality framework: {users}Joint inspections \\(2021-2025\\); Care Inspectorate; 2019 "
                         "\\(title not stated in the sources\\)"), title
    assert "named in the publications on this site" not in page
    assert ("code assigned by this site" in page) == opts.assigned_code


def check_review(inspections: list[Insp], page: str, opts: Options) -> None:
    """A claim is 'checked' only when the site knows how many evaluations it covers (its total, or the programme's
    coverage listed by a source) and holds every one of them."""
    published = [i for i in inspections if not i.draft]
    known = opts.claim_totals or opts.coverage
    for claim in claims(inspections, opts.coverage):
        line = next(line for line in page.splitlines() if line.startswith(f"- “{claim['text']}”:"))
        evaluated: list[object] = [ev for i in published for ev in i.evals if ev.code == claim["code"] and ev.true_grade is not None]
        held = sum(1 for ev in evaluated if isinstance(ev, Eval) and ev.grade is not None)
        evaluated += ["area-9"] if opts.coverage else []
        if held == len(evaluated) and known:
            assert ": checked." in line and "holds all of them" in line, line
        elif held:
            assert ": not fully checked." in line and f"this site holds {held} of them" in line, line
        else:
            assert ": not checked." in line and "holds none of them" in line, line
        if known:
            assert f"It covers {len(evaluated)} evaluation" in line, line
        else:
            assert "no source this site holds says how many that is" in line, line
    if not opts.claim_totals:
        assert "- “Most evaluations were good or better”: not checked: the site records no figure from it to check." in page


def check_feed(inspections: list[Insp], feed: str) -> None:
    entries = {found.group(1): entry for entry in re.findall(r"<entry>.*?</entry>", feed, re.S)
               if (found := re.search(r"/inspections/([\w-]+)/", entry))}
    for insp in inspections:
        if insp.draft:
            assert insp.id not in feed
            continue
        entry = entries.get(insp.id)
        # every publication is in the feed, dated or not
        assert entry is not None, f"{insp.id} is not in the feed"
        # a feed gives a day as the publication date only when the sources give that exact day
        assert ("<published>" in entry) == insp.day_exact, entry
        updated = re.search(r"<updated>(.*?)</updated>", entry)
        assert updated is not None
        days = ([insp.date[0]] if insp.day_exact and insp.date else []) + ([insp.corrected[0]] if insp.corrected else [])
        # the newest day the sources give, else the day the feed was built (and the entry says so): never a
        # first of January standing for a year
        assert updated.group(1) == (max(days) if days else BUILT.date().isoformat()) + "T00:00:00Z", entry
        assert ("this entry is dated the day this feed was built" in entry) == (not days), entry
        if insp.date is None:
            assert "publication date not stated" in entry, entry
        assert ("Corrected 3 February 2026" in entry) == bool(insp.corrected), entry
        assert entry.count("does not hold") == (0 if insp.holding == "held" else 1), entry


def check_partnership_feeds(inspections: list[Insp], feeds: dict[str, str], pages: dict[str, str]) -> None:
    """Every partnership has a feed from the start with every publication about it, dated or not; its `updated` is
    its newest entry's, and a feed with no entry is dated by the build and says so; the page links the feed."""
    for pid in {insp.partnership for insp in inspections}:
        mine = [i for i in inspections if i.partnership == pid and not i.draft]
        feed, page = feeds[f"feeds/{pid}.xml"], pages[f"partnerships/{pid}.md"]
        updated = re.search(r"<feed.*?<updated>(.*?)</updated>", feed, re.S)
        entries = re.findall(r"<entry>.*?<updated>(.*?)</updated>", feed, re.S)
        assert f"[its Atom feed](../feeds/{pid}.xml)" in page
        for insp in mine:
            assert f"/inspections/{insp.id}/" in feed, f"{insp.id} is not in its area's feed"
        if entries:
            assert updated and updated.group(1) == max(entries), feed[:600]
        else:
            assert not mine
            assert updated and updated.group(1) == "2026-05-04T00:00:00Z", feed[:600]
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
            assert f"data/inspections/{insp.id}.json" not in files
            continue
        # the same facts as the pages: whether the site holds the report, where each grade is stated, who published it
        body = json.loads(files[f"data/inspections/{insp.id}.json"])
        assert body["held"] is (insp.holding == "held")
        assert body["publisher"] == (None if insp.publisher == "not-stated" else insp.publisher)
        assert body["publisher_name"] == ORG_NAMES.get(insp.publisher)
        assert body["publisher_stated_in"]["stated_in_kind"] == (
            "not-stated" if insp.publisher == "not-stated" else "unnamed" if insp.holding == "unnamed" else "publication")
        assert body["title"] == insp.title
        assert all(r["held"] == str(insp.holding == "held") for r in mine)
        for r in mine:
            if r["missing"] == "not-held":  # no source of its own: the page links the original report
                continue
            assert r["stated_in_kind"] == expected_kind(insp), r
            assert r["stated_in"] == {"review": "review", "doc": "summary"}.get(insp.source, {"held": insp.id, "rebuilt": "review"}.get(insp.holding, "")), r
            assert r["stated_in"] != insp.id or insp.holding == "held"
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


def expected_kind(insp: Insp) -> str:
    return "unnamed" if insp.source == "none" and insp.holding == "unnamed" else "publication"


_DAY = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


def check_no_day_the_data_does_not_hold(inspections: list[Insp], texts: list[str]) -> None:
    """A day printed anywhere (pages, feeds, data) is a day the generated data gives, or the build's."""
    allowed = {"4 May 2026", "3 February 2026", "1 June 2019"} | {insp.date[1] for insp in inspections if insp.day_exact and insp.date}
    for text in texts:
        for found in _DAY.finditer(text):
            assert found.group(0) in allowed, (found.group(0), text[max(0, found.start() - 200):found.end() + 50])


def check_no_period_to_now(texts: list[str]) -> None:
    for text in texts:
        assert "to now" not in text


@pytest.mark.parametrize("seed", range(SITES))
def test_no_generated_sentence_contradicts_the_data(tmp_path: Path, seed: int) -> None:
    inspections, opts = generate(seed), options(seed)
    pages, feeds, files = render(write_project(tmp_path / "project", inspections, opts))
    for insp in inspections:
        if insp.draft:
            assert f"inspections/{insp.id}.md" not in pages
            assert not any(insp.id in text for text in pages.values())
        else:
            check_inspection_page(insp, pages[f"inspections/{insp.id}.md"])
        check_partnership_page(insp, pages[f"partnerships/{insp.partnership}.md"])
    check_programme(inspections, opts, pages["programmes/prog.md"])
    check_programme_grid(inspections, pages["programmes/prog.md"])
    check_framework(opts, pages["frameworks/qf-2019.md"])
    check_review(inspections, pages["reviews/review.md"], opts)
    check_feed(inspections, feeds["feeds/publications.xml"])
    check_partnership_feeds(inspections, feeds, pages)
    check_open_data(inspections, files)
    texts = [*pages.values(), *feeds.values(), *files.values()]
    check_no_day_the_data_does_not_hold(inspections, texts)
    check_no_period_to_now(texts)


def test_every_sentence_of_the_inventory_is_met_in_a_generated_site(tmp_path: Path) -> None:
    """The seeds reach every sentence pattern of the inventory (generator/derive/facts.py SENTENCES), found by its
    words in the pages, feeds and data as written: a pattern no generated state produces fails here."""
    seen: set[str] = set()
    patterns = {key: sentence_pattern(sentence.pattern) for key, sentence in SENTENCES.items()}
    projects = [write_project(tmp_path / str(seed), generate(seed), options(seed)) for seed in range(SITES)]
    for project in [*projects, STATES]:  # the states fixture adds a scale whose meanings are not stated
        pages, feeds, files = render(project)
        text = "\n".join([*pages.values(), *feeds.values(), *files.values()])
        seen |= {key for key, pattern in patterns.items() if key not in seen and pattern.search(text)}
    missing = sorted(set(SENTENCES) - seen)
    assert not missing, f"no generated site writes: {missing}"


def sentence_pattern(pattern: str) -> re.Pattern[str]:
    """A sentence as a page writes it (Markdown-escaped words), with any text in its slots."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append("(?:" + re.escape(literal) + "|" + re.escape(md_escape(literal)) + ")")
        if name is not None:
            parts.append(".+?")
    return re.compile("".join(parts))


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
            seen |= {f"holding-{insp.holding}", f"source-{insp.source}", f"publisher-{insp.publisher}",
                     "untitled" if not insp.titled else "titled", "month" if insp.date and len(insp.date[0]) == 7 else "other",
                     "year" if insp.date and len(insp.date[0]) == 4 else "other"}
        opts = options(seed)
        seen |= {f"lead-{opts.lead}", f"end-{opts.end}", f"coverage-{opts.coverage}", f"assigned-{opts.assigned_code}",
                 f"framework-titled-{opts.framework_titled}"}
        seen |= {f"claim-{state}" for state in claim_states(generate(seed))}
        seen |= {f"claim-totals-{opts.claim_totals}", f"extra-{opts.extra}", f"meaning-{opts.meaning_stated}"}
    assert seen >= {"graded", "not-evaluated", "not-published", "not-held", "totals", "draft", "rebuilt", "corrected",
                    "undated", "about", "url", "claim-checked", "claim-partly", "claim-unchecked", "month", "year",
                    "holding-held", "holding-rebuilt", "holding-unnamed", "source-none", "source-review", "source-doc",
                    "publisher-care-inspectorate", "publisher-other-body", "publisher-not-stated", "untitled", "titled",
                    "lead-care-inspectorate", "lead-other-body", "lead-not-stated", "end-given", "end-running",
                    "end-not-stated", "coverage-True", "coverage-False", "assigned-True", "assigned-False",
                    "framework-titled-True", "framework-titled-False", "claim-totals-True", "claim-totals-False",
                    "extra-none", "extra-ungraded", "extra-no-evals", "meaning-True", "meaning-False"}


def claim_states(inspections: list[Insp]) -> set[str]:
    published = [i for i in inspections if not i.draft]
    states = set()
    for claim in claims(inspections):
        evaluated = [ev for i in published for ev in i.evals if ev.code == claim["code"] and ev.true_grade is not None]
        held = sum(1 for ev in evaluated if ev.grade is not None)
        states.add("checked" if held == len(evaluated) else "partly" if held else "unchecked")
    return states
