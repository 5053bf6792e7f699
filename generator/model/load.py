"""Load stage: read site-data/ and the narrative Markdown into typed, positioned objects."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from generator.base.errors import Position, Problems, relative
from generator.base.urls import slugify
from generator.model import models as m
from generator.model.content_files import read_text
from generator.model.convert import convert_record, is_bad
from generator.model.grades import GradeWord, read_grade
from generator.model.layout import CONTENT_DIR, DATA_DIR
from generator.model.models import AllowedDisclosure, AllowedDisclosures
from generator.model.yamlnodes import parse_yaml

#: folder under site-data/ -> the record class each of its files holds
RECORD_FOLDERS: dict[str, type] = {
    "scales": m.EvaluationScale,
    "proportion-words": m.ProportionWords,
    "frameworks": m.Framework,
    "programmes": m.Programme,
    "partnerships": m.Partnership,
    "inspections": m.Inspection,
    "reviews": m.Review,
    "responses": m.Response,
    "letters": m.Letter,
}
#: folder whose files each hold a list of glossary terms
GLOSSARY_FOLDER = "glossary"
#: single files -> their container class
SINGLE_FILES: dict[str, type] = {
    "themes.yaml": m.Themes,
    "organisations.yaml": m.Organisations,
    "documents.yaml": m.Documents,
    "allowed-disclosures.yaml": AllowedDisclosures,
}
#: the list of published addresses and redirects, read by generator/derive/addresses.py (not a record file)
ADDRESSES_FILE = "addresses.yaml"
SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class NarrativeSection:
    heading: str
    text: str
    line: int
    """Line of the heading (or 1 for the lead) in the Markdown file."""


@dataclass
class Narrative:
    path: str
    """Relative to the project root, for messages."""
    lead: NarrativeSection
    sections: list[NarrativeSection]
    text: str

    def section(self, heading: str) -> NarrativeSection | None:
        return next((s for s in self.sections if s.heading == heading), None)


@dataclass
class SiteData:
    """Everything in site-data/ and content/ narratives, as typed objects."""

    root: Path
    scales: dict[str, m.EvaluationScale] = field(default_factory=dict)
    proportion_words: dict[str, m.ProportionWords] = field(default_factory=dict)
    frameworks: dict[str, m.Framework] = field(default_factory=dict)
    programmes: dict[str, m.Programme] = field(default_factory=dict)
    partnerships: dict[str, m.Partnership] = field(default_factory=dict)
    inspections: dict[str, m.Inspection] = field(default_factory=dict)
    reviews: dict[str, m.Review] = field(default_factory=dict)
    responses: dict[str, m.Response] = field(default_factory=dict)
    letters: dict[str, m.Letter] = field(default_factory=dict)
    glossary: dict[str, m.GlossaryTerm] = field(default_factory=dict)
    themes: dict[str, m.Theme] = field(default_factory=dict)
    organisations: dict[str, m.Organisation] = field(default_factory=dict)
    documents: dict[str, m.Document] = field(default_factory=dict)
    narratives: dict[str, Narrative] = field(default_factory=dict)
    """Publication id -> its narrative."""
    allowed_disclosures: list[AllowedDisclosure] = field(default_factory=list)
    """Contact details the disclosure check accepts (site-data/allowed-disclosures.yaml, optional)."""
    addresses: Any = None
    """site-data/addresses.yaml (`addresses.Addresses`), set by `check_site`; None when there is none."""
    unreadable: dict[str, str] = field(default_factory=dict)
    """Ids of records whose files had errors (and names of single files, e.g. 'themes.yaml', that had errors)
    -> that file's path: references to them are listed under the file's first error, not reported again."""

    @property
    def publications(self) -> dict[str, m.Publication]:
        return {**self.inspections, **self.reviews, **self.responses, **self.letters}

    def publication(self, pid: str) -> m.Publication | None:
        """One publication by id, without building `publications` (called for every grade a page states)."""
        return self.inspections.get(pid) or self.reviews.get(pid) or self.responses.get(pid) or self.letters.get(pid)


@dataclass
class LoadCache:
    """Parsed files kept across `mkdocs serve` rebuilds, keyed by path and (mtime, size)."""

    entries: dict[str, tuple[tuple[int, int], Any, Problems]] = field(default_factory=dict)

    def get(self, path: Path) -> tuple[Any, Problems] | None:
        stat = path.stat()
        hit = self.entries.get(str(path))
        if hit and hit[0] == (stat.st_mtime_ns, stat.st_size):
            return hit[1], hit[2]
        return None

    def put(self, path: Path, value: Any, problems: Problems) -> None:
        stat = path.stat()
        self.entries[str(path)] = ((stat.st_mtime_ns, stat.st_size), value, problems)


def load_site_data(
    project: Path, *, cache: LoadCache | None = None
) -> tuple[SiteData, Problems]:
    """Read every file. Returns what could be read and every problem found (never raises for bad data)."""
    project = project.resolve()
    root = project / DATA_DIR
    data = SiteData(root=project)
    problems = Problems()
    if not root.is_dir():
        problems.add(Position(relative(root, project)), f"no {DATA_DIR}/ folder here: run the check in the project folder")
        return data, problems

    def read(path: Path, cls: type, record_id: str | None) -> Any:
        cached = cache.get(path) if cache else None
        if cached is not None:
            value, file_problems = cached
        elif not path.resolve().is_relative_to(project):
            problems.add(Position(path.relative_to(project).as_posix()), f"symbolic link to a file outside the project "
                                                            f"({path.resolve()}): copy the data into {DATA_DIR}/ instead")
            return None
        else:
            rel = relative(path, project)
            file_problems = Problems()
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                line = path.read_bytes()[: exc.start].count(b"\n") + 1
                file_problems.add(Position(rel, line, 1), "not UTF-8 text: save the file as UTF-8")
                text = None
            value = None
            if text is not None:
                node, parse_problems = parse_yaml(text, rel)
                file_problems.extend(parse_problems)
                if node is not None:
                    converted = convert_record(node, cls, file_problems, "the file", record_id=record_id)
                    value = None if is_bad(converted) else converted
            if cache:
                cache.put(path, value, file_problems)
        problems.extend(file_problems)
        return value

    for entry in sorted(root.iterdir()):
        rel = relative(entry, project)
        if entry.is_dir():
            if entry.name in RECORD_FOLDERS:
                cls = RECORD_FOLDERS[entry.name]
                target: dict[str, Any] = getattr(data, entry.name.replace("-", "_"))
                for path in _yaml_files(entry, project, problems, data.unreadable):
                    record_id = path.stem
                    if not SAFE_ID.match(record_id):
                        safe = slugify(record_id)
                        problems.add(
                            Position(relative(path, project)),
                            f"file name '{path.name}' is not a safe id: use lower-case letters, digits and single hyphens"
                            + (f" (e.g. {safe}.yaml)" if safe else ""),
                        )
                        data.unreadable.setdefault(safe or record_id, relative(path, project))
                        continue
                    record = read(path, cls, record_id)
                    if record is None:
                        data.unreadable.setdefault(record_id, relative(path, project))
                        continue
                    if record_id in target:
                        problems.add(record.at, f"duplicate id '{record_id}': also {target[record_id].at.path}")
                        continue
                    target[record_id] = record
            elif entry.name == GLOSSARY_FOLDER:
                for path in _yaml_files(entry, project, problems, data.unreadable):
                    glossary = read(path, m.Glossary, None)
                    if glossary is not None:
                        _merge_glossary(data, glossary, problems)
                    else:
                        data.unreadable.setdefault(GLOSSARY_FOLDER + "/", relative(path, project))
            else:
                allowed = ", ".join([*RECORD_FOLDERS, GLOSSARY_FOLDER])
                problems.add(Position(rel), f"unknown folder '{entry.name}' in {DATA_DIR}/; allowed: {allowed}")
        elif entry.name in SINGLE_FILES:
            container = read(entry, SINGLE_FILES[entry.name], None)
            if container is not None:
                _add_listed(data, container, problems)
            else:
                data.unreadable[entry.name] = rel
        elif entry.name == ADDRESSES_FILE:
            continue  # read by the addresses check, after the site is derived
        elif not entry.name.startswith("."):
            allowed = ", ".join([*SINGLE_FILES, ADDRESSES_FILE, *(f + "/" for f in RECORD_FOLDERS), GLOSSARY_FOLDER + "/"])
            problems.add(Position(rel), f"unknown file '{entry.name}' in {DATA_DIR}/; allowed: {allowed}")

    _read_grade_words(data, problems)
    content_root = project / CONTENT_DIR
    for pub in data.publications.values():
        if pub.narrative:
            narrative = load_narrative(project, content_root, pub.narrative, pub.pos("narrative"), problems, cache)
            if narrative is not None:
                data.narratives[pub.id] = narrative
    return data, problems


def _read_grade_words(data: SiteData, problems: Problems) -> None:
    """Grades written as the scale's word ('Good') become its number; a word not on the scale is an error.

    The loaded records are replaced by copies, never changed: they are kept across `mkdocs serve` rebuilds.
    """
    for insp_id, insp in list(data.inspections.items()):
        totals = insp.grade_totals
        words_in_totals = totals is not None and any(isinstance(g, GradeWord) for g in totals.counts)
        if not words_in_totals and not any(isinstance(ev.grade, GradeWord) for ev in insp.evaluations):
            continue
        programme = data.programmes.get(insp.programme)
        scale = data.scales.get(programme.scale or "") if programme else None
        if scale is None:
            continue  # the missing programme or scale is reported by the validator
        evaluations = []
        for ev in insp.evaluations:
            if isinstance(ev.grade, GradeWord):
                number, message = read_grade(ev.grade, scale, data.scales.values())
                if number is None:
                    problems.add(ev.pos("grade"), message)
                else:
                    ev = dataclasses.replace(ev, grade=number)
            evaluations.append(ev)
        if totals is not None and words_in_totals:
            counts: dict[m.GradeKey, int] = {}
            unreadable = False
            for grade, count in totals.counts.items():
                number, message = read_grade(grade, scale, data.scales.values()) if isinstance(grade, GradeWord) else (grade, "")
                if number is None:
                    problems.add(totals.pos("counts"), message)
                    unreadable = True
                else:
                    counts[m.GradeKey(number)] = counts.get(m.GradeKey(number), 0) + count
            # Totals with a word off the scale are not used at all: comparing what is left with the indicator
            # grades would report a consequence ("the totals give 0") after the root cause.
            totals = None if unreadable else dataclasses.replace(totals, counts=counts)
        data.inspections[insp_id] = dataclasses.replace(insp, evaluations=evaluations, grade_totals=totals)


def _yaml_files(folder: Path, project: Path, problems: Problems, unreadable: dict[str, str] | None = None) -> list[Path]:
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if name.endswith(".yaml"):
                files.append(path)
            else:
                rel = relative(path, project)
                problems.add(Position(rel), "only .yaml files belong here (rename .yml to .yaml)")
                if unreadable is not None:
                    unreadable.setdefault(path.name.split(".")[0], rel)
    return files


def _add_listed(data: SiteData, container: Any, problems: Problems) -> None:
    if isinstance(container, AllowedDisclosures):
        data.allowed_disclosures.extend(container.allowed)
        return
    for attr, items in (("themes", getattr(container, "themes", None)),
                        ("organisations", getattr(container, "organisations", None)),
                        ("documents", getattr(container, "documents", None))):
        if items is None:
            continue
        target = getattr(data, attr)
        for item in items:
            if not SAFE_ID.match(item.id):
                problems.add(item.pos("id"), f"id '{item.id}' is not safe: use lower-case letters, digits and single hyphens")
            elif item.id in target:
                problems.add(item.pos("id"), f"duplicate id '{item.id}' (first at line {target[item.id].at.line})")
            else:
                target[item.id] = item


def _merge_glossary(data: SiteData, glossary: m.Glossary, problems: Problems) -> None:
    seen_here: set[str] = set()
    for term in glossary.terms:
        if not SAFE_ID.match(term.id):
            problems.add(term.pos("id"), f"term id '{term.id}' is not safe: use lower-case letters, digits and single hyphens")
            continue
        if term.id in seen_here:
            problems.add(term.pos("id"), f"term '{term.id}' is defined twice in this file: merge the entries")
            continue
        seen_here.add(term.id)
        existing = data.glossary.get(term.id)
        if existing is None:
            # A copy: merging must not change the cached record across `mkdocs serve` rebuilds.
            data.glossary[term.id] = dataclasses.replace(
                term, definitions=list(term.definitions), abbreviations=list(term.abbreviations),
                aliases=list(term.aliases), themes=list(term.themes), at=term.at, field_at=term.field_at,
            )
            continue
        # The same term from another publication: keep every definition with its source.
        existing.definitions.extend(term.definitions)
        for name in ("abbreviations", "aliases", "themes"):
            merged = getattr(existing, name)
            merged.extend(x for x in getattr(term, name) if x not in merged)


_FENCE = re.compile(r"^(```|~~~)")


def load_narrative(
    project: Path, content_root: Path, ref: str, at: Position, problems: Problems, cache: LoadCache | None = None
) -> Narrative | None:
    if "\\" in ref or "\x00" in ref or ref.startswith("/") or not ref.endswith(".md"):
        problems.add(at, f"narrative '{ref}' must be a relative path to a .md file inside content/ (forward slashes)")
        return None
    path = (content_root / ref).resolve()
    if not path.is_relative_to(content_root.resolve()):
        problems.add(at, f"narrative '{ref}' points outside content/")
        return None
    if not path.is_file():
        problems.add(at, f"narrative file content/{ref} does not exist")
        return None
    cached = cache.get(path) if cache else None
    if cached is not None:
        problems.extend(cached[1])
        return cast("Narrative | None", cached[0])
    file_problems = Problems()
    narrative = _read_narrative(path, relative(path, project), file_problems)
    if cache:
        cache.put(path, narrative, file_problems)
    problems.extend(file_problems)
    return narrative


def _read_narrative(path: Path, rel: str, problems: Problems) -> Narrative | None:
    text = read_text(path, rel, problems)  # not UTF-8, or a NUL byte: reported with its line
    if text is None:
        return None
    lead = NarrativeSection("", "", 1)
    sections: list[NarrativeSection] = []
    current = lead
    buffer: list[str] = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            current.text = "\n".join(buffer).strip("\n")
            current = NarrativeSection(line[3:].strip(), "", number)
            sections.append(current)
            buffer = []
        else:
            buffer.append(line)
    current.text = "\n".join(buffer).strip("\n")
    return Narrative(rel, lead, sections, text)
