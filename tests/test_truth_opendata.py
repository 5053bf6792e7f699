"""Issue 25, part C: the open data lists every partnership with its council area's current and former codes,
whether or not the site holds a publication about it, and says truthfully what a row of the evaluations is."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from generator.derive.site import check_site
from generator.render.opendata import PARTNERSHIPS_SCHEMA, site_files

from .support import ROOT, copy_tiny, edit, mkdocs_build, run_check, text_of

FORMER = {"fife": ["S12000015"], "perth-and-kinross": ["S12000024"], "glasgow-city": ["S12000046"],
          "north-lanarkshire": ["S12000044"]}


@pytest.fixture(scope="module")
def real_files() -> dict[str, str]:
    _data, derived, problems = check_site(ROOT)
    assert derived is not None, [str(p) for p in problems.sorted()]
    return site_files(derived, "https://example.org/inspections/")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_partnership_is_listed_with_its_current_and_former_area_codes(real_files: dict[str, str]) -> None:
    rows = csv_rows(real_files["data/partnerships.csv"])
    assert len(rows) == 32 and len({r["area_code"] for r in rows}) == 32
    assert all(r["area_code"].startswith("S12") and r["area_code_source"] == "gss-council-area-codes" for r in rows)
    assert {r["partnership"]: r["former_area_codes"].split(";") for r in rows if r["former_area_codes"]} == FORMER
    # areas the site holds nothing about are listed too, saying so
    assert any(r["publications"] == "0" for r in rows) and any(r["publications"] != "0" for r in rows)
    evaluated = {r["partnership"] for r in csv_rows(real_files["data/evaluations.csv"])}
    assert evaluated < {r["partnership"] for r in rows}
    document = json.loads(real_files["data/partnerships.json"])
    jsonschema.validate(document, PARTNERSHIPS_SCHEMA)
    by_id = {r["partnership"]: r for r in document["partnerships"]}
    assert by_id["glasgow-city"]["area_code"] == "S12000049" and by_id["glasgow-city"]["former_area_codes"] == ["S12000046"]
    assert by_id["highland"]["former_area_codes"] == []
    assert json.loads(real_files["data/partnerships.schema.json"]) == PARTNERSHIPS_SCHEMA


def test_the_data_package_describes_the_partnerships_and_the_totals_rows(real_files: dict[str, str]) -> None:
    package = json.loads(real_files["data/datapackage.json"])
    resources = {r["name"]: r for r in package["resources"]}
    fields = {f["name"]: f for f in resources["partnerships"]["schema"]["fields"]}
    assert list(fields) == list(csv_rows(real_files["data/partnerships.csv"])[0])
    assert "earlier GSS codes" in fields["former_area_codes"]["description"]
    evaluations = resources["evaluations"]
    for text in (evaluations["description"], package["description"]):
        assert "one row per grade" in text and "not one indicator's evaluation" in text
        assert "One row per quality indicator evaluated in a published inspection." not in text
    counted = next(f for f in evaluations["schema"]["fields"] if f["name"] == "evaluations")
    assert "how many evaluations got its grade" in counted["description"]


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_tiny(tmp_path_factory.mktemp("truth-open") / "project")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_the_open_data_page_describes_totals_rows_and_the_partnerships_files(tiny_built: Path) -> None:
    from frictionless import validate

    page = text_of(tiny_built / "open-data/index.html")
    assert "One row per quality indicator evaluated in a published inspection, as CSV" not in page
    assert "one row per grade where they give only totals" in page
    assert "so the row is one grade, not one indicator" in page
    assert "One row per community planning partnership (all 3, whether or not" in page
    assert "former_area_codes" in page
    report = validate(str(tiny_built / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = csv_rows((tiny_built / "data/partnerships.csv").read_text(encoding="utf-8"))
    assert sorted(r["partnership"] for r in rows) == ["fife", "na-h-eileanan-siar", "perth-and-kinross"]


@pytest.mark.parametrize(("codes", "message"), [
    ("[S1200015]", "former area code 'S1200015' is not a council area's GSS code"),
    ("[S12000047]", "S12000047 is the current area_code"),
    ("[S12000015, S12000015]", "former_area_codes names a code twice"),
    ("[S12000048]", "former area code S12000048 is also given to perth-and-kinross"),
])
def test_former_area_codes_are_checked(tmp_path: Path, codes: str, message: str) -> None:
    project = copy_tiny(tmp_path / "project")
    path = project / "site-data/partnerships/fife.yaml"
    text = path.read_text()
    assert "area_code: S12000047" in text, text
    edit(path, "area_code: S12000047", f"area_code: S12000047\nformer_area_codes: {codes}")
    result = run_check(project)
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if message in line)
    assert line.startswith("site-data/partnerships/fife.yaml:")
