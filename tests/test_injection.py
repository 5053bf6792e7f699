"""A corpus of XSS payloads planted in every free-text YAML field and in the narrative: none is active in the built HTML."""

from __future__ import annotations

import itertools
from pathlib import Path

from ruamel.yaml import YAML

from .support import ActiveContent, copy_tiny, mkdocs_build

PAYLOADS = [line for line in (Path(__file__).parent / "data/xss-payloads.txt").read_text().splitlines() if line.strip()]
FREE_TEXT = {
    "title", "name", "text", "summary", "description", "statement", "label", "meaning", "as_published", "term", "council",
    "official_name", "remit", "short_title", "topic", "earlier", "now", "improvement_area", "action", "progress", "body",
    "organisation", "author_role", "author", "subject", "theme_title", "what", "delay_reason", "next_steps", "evidence_caveat",
    "date_note", "comparison", "unit", "period", "source_name", "reported_as", "grade_label", "mapping_note", "addressee_role",
    "note", "discrepancy", "key_messages", "points", "factors", "areas_for_improvement", "aliases", "notes", "methods",
    "recommendations", "strengths", "aims", "signatories",
}


def plant(project: Path) -> int:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    counter = itertools.count()

    def payload() -> str:
        return PAYLOADS[next(counter) % len(PAYLOADS)]

    def walk(node: object, top: bool = False) -> None:
        if isinstance(node, dict):
            for key in list(node):
                value = node[key]
                if top and key == "name" and in_partnerships:
                    continue  # a partnership's name fixes its file name; council and official_name carry payloads
                if key in FREE_TEXT and isinstance(value, str):
                    node[key] = payload() + " " + value
                elif key in FREE_TEXT and isinstance(value, list) and all(isinstance(v, str) for v in value):
                    node[key] = [payload() + " " + v for v in value]
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((project / "site-data").rglob("*.yaml")):
        data = yaml.load(path)
        in_partnerships = path.parent.name == "partnerships"
        walk(data, top=True)
        with path.open("w") as f:
            yaml.dump(data, f)
    narrative = project / "content/narrative/inspections/fife-2023.md"
    extra = "\n\n".join(PAYLOADS) + "\n\nInline: " + " and ".join(PAYLOADS[:20]) + "\n"
    narrative.write_text(narrative.read_text().replace("Fife is a large area.", "Fife is a large area.\n\n" + extra))
    return next(counter)


def test_no_payload_is_active_in_any_page(tmp_path: Path) -> None:
    project = copy_tiny(tmp_path / "project")
    planted = plant(project)
    assert planted >= 50, "the corpus must reach at least 50 fields"
    # Not --strict: some payloads are rightly warned about (e.g. "{{ 7*7 }}" is not a placeholder).
    result = mkdocs_build(project, project / "site", strict=False)
    assert result.returncode == 0, result.stderr
    problems = {}
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = ActiveContent()
        parser.feed(page.read_text())
        if parser.found:
            problems[page.relative_to(project / "site").as_posix()] = sorted(set(parser.found))
    assert not problems, problems
    inspection = (project / "site/inspections/fife-2023/index.html").read_text()
    assert "alert(1)" in inspection, "payloads should be shown as text, not dropped silently from data"
