"""Open data, feeds and charts: generated from the same data as the pages, and agreeing with them."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest

from .support import copy_tiny, edit, mkdocs_build, run_check, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://reports.inspections.scot/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_tiny(tmp_path_factory.mktemp("open") / "project")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace("site_name: Tiny test site", f"site_name: Tiny test site\nsite_url: {SITE_URL}"))
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_evaluations_csv_and_json_agree_with_each_other_and_the_schema(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data/evaluations.csv").read_text(encoding="utf-8-sig"))))
    document = json.loads((site / "data/evaluations.json").read_text())
    schema = json.loads((site / "data/evaluations.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert len(rows) == len(document["evaluations"]) == 6
    for row, record in zip(rows, document["evaluations"], strict=True):
        assert row["indicator"] == record["indicator"]
        assert row["grade_value"] == ("" if record["grade_value"] is None else str(record["grade_value"]))


def test_data_agrees_with_the_pages(site: Path) -> None:
    document = json.loads((site / "data/evaluations.json").read_text())
    for record in document["evaluations"]:
        assert record["report_url"].startswith(SITE_URL)  # absolute: a row still leads to its report once copied elsewhere
        page = text_of(site / record["report_url"].removeprefix(SITE_URL) / "index.html")
        # The verdict at the top of the report: the grade (or why there is none), then the indicator.
        title = "Quality indicator " + record["indicator"] + ": " + record["indicator_title"]
        if record["grade_value"] is not None:
            grade = f"{record['grade_word']} ({record['grade_value']})"
            assert re.search(re.escape(grade) + r" : [^.]+ \. " + re.escape(title), page), (grade, title)
        else:
            said = record["missing_words"] + (": " + record["not_published"].rstrip(".") if record["not_published"] else "")
            assert f"{said}. {title}".casefold() in page.casefold(), (said, title)


def test_each_report_links_its_own_data(site: Path) -> None:
    page = (site / "inspections/fife-2023/index.html").read_text()
    for href in re.findall(r'href="([^"]*data/inspections/fife-2023\.(?:json|csv))"', page):
        assert (site / "inspections/fife-2023" / href).resolve().is_file()
    report = json.loads((site / "data/inspections/fife-2023.json").read_text())
    assert report["partnership"] == "fife" and report["evaluations"][0]["grade"] == 5
    assert "field_at" not in json.dumps(report)


def test_feeds_are_valid_atom(site: Path) -> None:
    feeds = sorted((site / "feeds").glob("*.xml"))
    assert {f.name for f in feeds} >= {"publications.xml", "fife.xml", "na-h-eileanan-siar.xml"}
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{required}") is not None, (path.name, required)
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path.name, parsed.bozo_exception)
        for entry in parsed.entries:
            assert entry.id.startswith("https://reports.inspections.scot/") and entry.link == entry.id
            assert entry.updated and entry.title
    everything = feedparser.parse((site / "feeds/publications.xml").read_bytes())
    assert [e.title for e in everything.entries][0] == "Review of findings from the programme"  # newest first
    assert len(feedparser.parse((site / "feeds/fife.xml").read_bytes()).entries) == 4


def test_charts_are_inline_svg_with_text_alternatives(site: Path) -> None:
    page = (site / "programmes/risk-2021/index.html").read_text()
    svgs = re.findall(r'<svg class="rs-svg" role="img" aria-labelledby="([^"]+)"', page)
    # The grid is the (sortable) table itself; one chart shows the spread of grades, only for the
    # indicator with two published grades (2.2 has one: a single grade is not a spread).
    assert len(svgs) == 1
    assert "Indicator 2.1: 0 Excellent, 1 Very good, 1 Good" in page
    assert "Indicator 2.2:" not in page
    history = (site / "partnerships/fife/index.html").read_text()
    assert "<title id=\"rs-chart-1-t\">Evaluations of Fife over time</title>" in history
    assert "<script" not in page.split("<article")[1].split("</article>")[0]


def test_csv_opens_in_spreadsheets_with_its_non_ascii_letters(site: Path) -> None:
    """A byte-order mark, so Excel reads UTF-8; read back as UTF-8-with-BOM the en dash survives."""
    raw = (site / "data/evaluations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[0] == "partnership"
    for path in (site / "data/inspections").glob("*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_every_json_data_file_names_its_licence_and_publisher(site: Path) -> None:
    files = [p for p in (site / "data").rglob("*.json") if not p.name.endswith(".schema.json") and p.name != "datapackage.json"]
    assert len(files) > 5
    for path in files:
        document = json.loads(path.read_text())
        assert document["licence"] == {
            "name": "Open Government Licence v3.0", "id": "OGL-UK-3.0",
            "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}, path
        assert document["data_publisher"] == "Care Inspectorate", path
    page = text_of(site / "open-data/index.html")
    assert "The data are published by Care Inspectorate under the Open Government Licence v3.0" in page
    assert "You may reuse them" not in page


def test_area_codes_and_reasons_for_missing_dates(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data/evaluations.csv").read_text(encoding="utf-8-sig"))))
    codes = {row["partnership"]: row["area_code"] for row in rows}
    assert codes == {"fife": "S12000047", "perth-and-kinross": "S12000048"}
    for row in rows:
        for date, reason in (("published", "published_missing"), ("fieldwork_start", "fieldwork_missing"), ("fieldwork_end", "fieldwork_missing")):
            if not row[date]:
                assert row[reason] == "No source this site holds states it", row
        if not row["published"] == "":
            assert row["published_missing"] == ""
        if row["grade_value"] == "":
            assert row["not_published"] or row["missing"], row  # a missing grade always says why


def test_a_date_left_out_says_why(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "published: 2023-09-12\n", "")
    assert mkdocs_build(tiny, tmp_path / "site").returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "site/data/evaluations.csv").read_text(encoding="utf-8-sig"))))
    fife = [r for r in rows if r["inspection"] == "fife-2023"]
    assert fife and all(r["published"] == "" and r["published_missing"] == "No source this site holds states it" for r in fife)


@pytest.mark.parametrize(("code", "message"), [
    ("S1200047", "area_code 'S1200047' is not a council area's GSS code"),
    ("S12000048", "area_code S12000048 is also given to perth-and-kinross"),
])
def test_area_codes_are_checked(tiny: Path, code: str, message: str) -> None:
    edit(tiny / "site-data/partnerships/fife.yaml", "area_code: S12000047", f"area_code: {code}")
    result = run_check(tiny)
    assert result.returncode == 1 and message in result.stdout + result.stderr


def test_data_package_is_valid_frictionless(site: Path) -> None:
    """`frictionless validate` on the descriptor: every CSV against its Table Schema."""
    from frictionless import Package, validate

    package_path = site / "data/datapackage.json"
    descriptor = json.loads(package_path.read_text())
    assert descriptor["licenses"] == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                                       "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}]
    csvs = {p.relative_to(site / "data").as_posix() for p in (site / "data").rglob("*.csv")}
    assert {r["path"] for r in descriptor["resources"]} == csvs
    report = validate(str(package_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Package(str(package_path)).get_resource("evaluations").read_rows()
    assert len(rows) == 6 and all(isinstance(r["grade_value"], (int, type(None))) for r in rows)
    assert {r["partnership"] for r in rows} == {"fife", "perth-and-kinross"}  # the byte-order mark is not part of a name


def test_data_package_catches_a_bad_row(site: Path, tmp_path: Path) -> None:
    """The validation can fail: a grade of 9 in a copy of the package is reported."""
    import shutil

    from frictionless import validate

    copy = tmp_path / "data"
    shutil.copytree(site / "data", copy)
    text = (copy / "evaluations.csv").read_text(encoding="utf-8-sig").splitlines()
    header = text[0].split(",")
    first = next(csv.reader([text[1]]))
    first[header.index("grade_value")] = "9"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(first)
    text[1] = buffer.getvalue().rstrip("\n")
    (copy / "evaluations.csv").write_text("\ufeff" + "\n".join(text) + "\n", encoding="utf-8")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert any(getattr(err, "field_name", None) == "grade_value" for task in report.tasks for err in task.errors)


def test_every_grade_names_the_scale_it_is_on(site: Path) -> None:
    """A grade's number means nothing without its scale: each row says which one, in the CSV and the JSON."""
    rows = list(csv.DictReader(io.StringIO((site / "data/evaluations.csv").read_text(encoding="utf-8-sig"))))
    graded = [r for r in rows if r["grade_value"]]
    assert graded and all(r["scale"] == "six-point" and r["scale_name"] == "Six-point evaluation scale" for r in graded)
    document = json.loads((site / "data/evaluations.json").read_text())
    assert {(r["scale"], r["scale_name"]) for r in document["evaluations"]} == {("six-point", "Six-point evaluation scale")}


def test_the_data_page_describes_every_column(site: Path) -> None:
    """The page's table of columns names each column of the files, so none is left for analysts to guess."""
    from generator.render.opendata import EVALUATION_COLUMNS

    page = (site / "open-data/index.html").read_text()
    table = page.split("Columns of evaluations.csv and evaluations.json")[1].split("</table>")[0]
    described = {name.strip() for cell in re.findall(r"<tr>\s*<td>([^<]*)</td>", table) for name in cell.split(",")}
    assert set(EVALUATION_COLUMNS) <= described, set(EVALUATION_COLUMNS) - described


def test_grade_bounds_follow_the_sites_scales(tmp_path: Path) -> None:
    """A site with a ten-point scale publishes schemas that accept its grades: the bounds are the scales', not 1-6."""
    project = copy_tiny(tmp_path / "project")
    scale = project / "site-data/scales/six-point.yaml"
    edit(scale, "levels:\n", "levels:\n  - value: 10\n    label: Top of a longer scale\n    meaning: A test level\n")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    schema = json.loads((project / "site/data/evaluations.schema.json").read_text())
    assert schema["properties"]["evaluations"]["items"]["properties"]["grade_value"]["maximum"] == 10
    package = json.loads((project / "site/data/datapackage.json").read_text())
    field = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "grade_value")
    assert field["constraints"] == {"minimum": 1, "maximum": 10}
