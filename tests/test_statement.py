"""The accessibility statement, in the form public sector bodies must publish, built from the results the
accessibility tests record (accessibility-results.json), read back from built sites."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .support import ROOT, mkdocs_build

RESULTS = ROOT / "accessibility-results.json"
SECTIONS = ["Feedback and contact information", "Enforcement procedure", "Compliance status"]


def statement(site: Path) -> str:
    """The statement's article as text, tags removed and entities read as a browser reads them."""
    page = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article.group(0))).split())


def headings(site: Path) -> list[str]:
    page = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]


def test_without_recorded_results_the_statement_says_so(tiny: Path, tmp_path: Path) -> None:
    build = mkdocs_build(tiny, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    text = statement(tmp_path / "site")
    assert headings(tmp_path / "site") == [*SECTIONS, "Preparation of this statement"]
    assert "No results of accessibility tests are recorded for this website" in text
    assert "compliant" not in text.replace("complies", "")  # no status is claimed without results
    # contact from the publisher settings, and the enforcement procedure
    assert "enquiries@careinspectorate.gov.scot" in text and "0345 600 9527" in text
    assert "Equality and Human Rights Commission (EHRC)" in text and "Equality Advisory and Support Service (EASS)" in text


def test_failures_recorded_by_the_tests_are_the_statement_s_non_compliances(tiny: Path, tmp_path: Path) -> None:
    recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
    entry = next(e for e in recorded["entries"] if e["check"] == "axe" and e["page"] == "/glossary/" and e.get("width") == 320)
    entry.update(passed=False, problems=["color-contrast: Elements must meet <b>minimum</b> colour contrast *ratio*"])
    (tiny / "accessibility-results.json").write_text(json.dumps(recorded), encoding="utf-8")
    site = tmp_path / "site"
    build = mkdocs_build(tiny, site)
    assert build.returncode == 0, build.stderr
    text = statement(site)
    assert ("This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, "
            "due to the non-compliances listed below") in text
    # the problem as the tests wrote it: escaped, not read as markup or Markdown
    assert "/glossary/ at 320 CSS pixels wide" in text
    assert "color-contrast: Elements must meet <b>minimum</b> colour contrast *ratio*" in text
    page = (site / "accessibility" / "index.html").read_text()
    assert "<b>minimum</b>" not in page


def test_the_real_statement_reports_the_committed_results(real_site: Path) -> None:
    """The real site's statement says what accessibility-results.json holds: status, every check with its
    result, the axe-core version and the date the results were recorded."""
    recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
    site = real_site
    text = statement(site)
    assert headings(site)[-6:] == [*SECTIONS, "Non-accessible content", "How we tested this website", "Preparation of this statement"]
    failed = [e for e in recorded["entries"] if not e["passed"]]
    status = "due to the non-compliances listed below" if failed else "The tests below found no failure"
    assert status in text
    assert f"axe-core {recorded['axe_core']}" in text
    assert f"{len(recorded['entries'])} results are recorded" in text
    day = recorded["recorded"].split("-")
    assert re.search(rf"prepared on {int(day[2])} \w+ {day[0]}, the day the test results above were recorded", text)
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", (site / "accessibility" / "index.html").read_text(), re.S)
    assert {html.unescape(r[0]) for r in rows} == {recorded["checks"][e["check"]] for e in recorded["entries"]}
    for check, _where, result in rows:
        entries = [e for e in recorded["entries"] if recorded["checks"][e["check"]] == html.unescape(check)]
        bad = sum(1 for e in entries if not e["passed"])
        assert result.strip() == (f"{bad} failed" if bad else "passed")


def test_an_unreadable_results_file_stops_the_build_clearly(tiny: Path, tmp_path: Path) -> None:
    (tiny / "accessibility-results.json").write_text('{"entries": [}\n', encoding="utf-8")
    build = mkdocs_build(tiny, tmp_path / "site")
    assert build.returncode != 0 and not (tmp_path / "site").exists()
    assert "accessibility-results.json:1:14: not valid JSON" in build.stderr and "Traceback" not in build.stderr
