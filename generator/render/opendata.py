"""Open data: the same records the pages are built from, as JSON and CSV, with a JSON Schema, and a
Frictionless Data Package descriptor (`data/datapackage.json`) with a Table Schema per CSV, whose fields
follow `EVALUATION_COLUMNS` and the JSON Schema's descriptions, so the three cannot drift apart.

Output is deterministic (sorted keys, stable row order) so builds stay reproducible.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
from typing import Any

from generator.derive import facts
from generator.derive.derive import Derived
from generator.derive.paths import data_path, page_address, page_path, page_url
from generator.model import models as m
from generator.model.dates import PartialDate
from generator.model.publisher import Publisher
from generator.model.queries import GRADED, KIND_FOLDER

EVALUATION_COLUMNS = [
    "partnership", "partnership_name", "area_code", "programme", "programme_title", "framework", "indicator", "indicator_title",
    "grade_value", "grade_word", "not_published", "inspection", "inspection_title", "published", "published_missing",
    "fieldwork_start", "fieldwork_end", "fieldwork_missing", "stated_in", "stated_in_kind", "stated_in_held", "held",
    "report_url", "original_url",
    "missing", "missing_words", "known_as", "evaluations", "published_precision", "published_approximate", "corrected",
    "rebuilt_from", "scale", "scale_name",
]

PARTNERSHIP_COLUMNS = [
    "partnership", "partnership_name", "council", "area_code", "former_area_codes", "area_code_source",
    "publications", "inspections", "page_url",
]

#: why a date column is empty: the model leaves a date out only when no source states it
NO_SOURCE_STATES_IT = "No source this site holds states it"


def evaluation_rows(derived: Derived, inspections: list[m.Inspection] | None = None, base_url: str = "") -> list[dict[str, Any]]:
    """One row per evaluation of an indicator, in its state (`missing` says why a grade is absent); where the
    grades are known only as totals, one row per grade with `known_as: total` and how many `evaluations`.
    `report_url` is absolute when the site's address (`base_url`) is given."""
    data = derived.data
    chosen = inspections if inspections is not None else [p for p in derived.publications if isinstance(p, m.Inspection)]
    rows = []
    for insp in sorted(chosen, key=lambda i: (i.partnership, i.programme, i.id)):
        programme = data.programmes.get(insp.programme)
        partnership = data.partnerships.get(insp.partnership)
        common = {
            "partnership": insp.partnership,
            "partnership_name": partnership.name if partnership else "",
            "area_code": partnership.area_code if partnership else None,
            "programme": insp.programme,
            "programme_title": programme.title if programme else "",
            "framework": (programme.framework or "") if programme else "",
            "inspection": insp.id,
            "inspection_title": insp.title,
            "published": insp.published.iso() if insp.published else None,
            "published_precision": insp.published.precision if insp.published else None,
            "published_approximate": insp.published.approximate if insp.published else None,
            "fieldwork_start": insp.fieldwork_start.iso() if insp.fieldwork_start else None,
            "fieldwork_end": insp.fieldwork_end.iso() if insp.fieldwork_end else None,
            "published_missing": None if insp.published else NO_SOURCE_STATES_IT,
            "fieldwork_missing": None if insp.fieldwork_start and insp.fieldwork_end else NO_SOURCE_STATES_IT,
            "report_url": base_url + page_url(insp),
            "original_url": insp.url,
            "corrected": insp.last_corrected.iso() if insp.last_corrected else None,
            "rebuilt_from": insp.rebuilt_from,
            "held": insp.holds,
            # a grade's number means nothing without its scale: analysts join grades of one scale only
            "scale": programme.scale if programme else None,
            "scale_name": scale.name if (scale := derived.scale_for(programme)) else None,
        }
        for state in derived.evaluation_states(insp):
            ev = state.evaluation
            assert ev is not None
            rows.append({
                **common,
                "indicator": ev.indicator,
                "indicator_title": state.indicator.title if state.indicator else "",
                "grade_value": ev.grade,
                "grade_word": state.level.label if state.level else None,
                "missing": None if state.state == GRADED else state.state,
                "missing_words": None if state.state == GRADED else state.words,
                "not_published": ev.not_published,
                # where the grade (or the state) is stated: `facts.grade_source`, as the pages say it
                **source_columns(facts.grade_source(data, insp, ev)),
                "original_url": state.original_url or insp.url,
                "known_as": "indicator",
                "evaluations": 1,
            })
        if insp.grade_totals is not None:
            for grade, count in derived.grade_counts(insp).items():
                level = derived.level(programme, grade)
                rows.append({
                    **common, "indicator": "", "indicator_title": "", "grade_value": grade,
                    "grade_word": level.label if level else None, "missing": None, "missing_words": None,
                    "not_published": None, **source_columns(facts.totals_source(data, insp)),
                    "known_as": "total", "evaluations": count,
                })
    return rows


def source_columns(source: facts.Source | None) -> dict[str, Any]:
    """Where a fact is stated, as the pages say it: a publication's id (and whether this site holds it), or the kind
    of source where none is named ('unnamed', 'not-stated')."""
    if source is None:
        return {"stated_in": None, "stated_in_kind": None, "stated_in_held": None}
    return {"stated_in": source.ref, "stated_in_kind": source.kind,
            "stated_in_held": source.held if source.kind == "publication" else None}


def partnership_rows(derived: Derived, base_url: str = "") -> list[dict[str, Any]]:
    """One row per partnership in site-data/partnerships (all of them, whether or not the site holds a publication
    about the area), with its council area's current and former GSS codes and how many publications it has."""
    rows = []
    for pid, partnership in sorted(derived.data.partnerships.items()):
        pubs = derived.by_partnership.get(pid, [])
        rows.append({
            "partnership": pid,
            "partnership_name": partnership.name,
            "council": partnership.council,
            "area_code": partnership.area_code,
            "former_area_codes": list(partnership.former_area_codes),
            "area_code_source": partnership.area_code_source,
            "publications": len(pubs),
            "inspections": sum(1 for pub in pubs if isinstance(pub, m.Inspection)),
            "page_url": base_url + page_address(page_path(partnership)).removeprefix("/"),
        })
    return rows


def partnership_csv_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same rows for CSV: the former codes in one cell, separated by ';' (empty where the code never changed)."""
    return [{**row, "former_area_codes": ";".join(row["former_area_codes"])} for row in rows]


PARTNERSHIPS_DESCRIPTION = (
    "One row per community planning partnership (one per council area), whether or not this site holds a "
    "publication about it, with the council area's current GSS code and its former codes where it changed.")

#: what every JSON data file says about itself (`licence_block`), in each schema
ABOUT_PROPERTIES: dict[str, Any] = {
    "data_publisher": {"type": "string", "description": "Who publishes this data (this site's publisher, not a report's)"},
    "licence": {"type": "object", "description": "The licence the data may be reused under (name, url, id)"},
    "copyright": {"type": "string"},
}

PARTNERSHIPS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "partnerships.schema.json",
    "title": "Community planning partnerships and their council areas' codes",
    "description": PARTNERSHIPS_DESCRIPTION,
    "type": "object",
    "required": ["partnerships"],
    "properties": {
        **ABOUT_PROPERTIES,
        "partnerships": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": PARTNERSHIP_COLUMNS,
                "properties": {
                    "partnership": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                                    "description": "Partnership id (the partnership column of the evaluations)"},
                    "partnership_name": {"type": "string", "description": "The area's name as readers know it"},
                    "council": {"type": "string", "description": "The council"},
                    "area_code": {"type": ["string", "null"], "pattern": "^S12[0-9]{6}$",
                                  "description": "The council area's current GSS code (statistics.gov.scot joins on it)"},
                    "former_area_codes": {"type": "array", "items": {"type": "string", "pattern": "^S12[0-9]{6}$"},
                                          "description": "The council area's earlier GSS codes, where its code changed "
                                          "(in the CSV: separated by ';', empty where it never changed)"},
                    "area_code_source": {"type": ["string", "null"],
                                         "description": "Id of the document the codes are taken from"},
                    "publications": {"type": "integer", "minimum": 0,
                                     "description": "How many publications about the area this site holds (0: none yet)"},
                    "inspections": {"type": "integer", "minimum": 0,
                                    "description": "How many of them are inspection reports"},
                    "page_url": {"type": "string", "description": "The partnership's page on this site (absolute when the "
                                 "site's address is set)"},
                },
            },
        },
    },
}

#: Table Schema type and constraints of the partnerships CSV's columns that are not plain text
PARTNERSHIP_FIELD_TYPES: dict[str, dict[str, Any]] = {
    "partnership": {"type": "string", "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}},
    "partnership_name": {"type": "string", "constraints": {"required": True}},
    "area_code": {"type": "string", "constraints": {"pattern": "S12[0-9]{6}"}},
    "former_area_codes": {"type": "string", "constraints": {"pattern": "S12[0-9]{6}(;S12[0-9]{6})*"}},
    "publications": {"type": "integer", "constraints": {"required": True, "minimum": 0}},
    "inspections": {"type": "integer", "constraints": {"required": True, "minimum": 0}},
    "page_url": {"type": "string", "format": "uri"},
}


def partnerships_table_schema(absolute_urls: bool) -> dict[str, Any]:
    """The Table Schema of partnerships.csv, its descriptions the JSON Schema's."""
    props = PARTNERSHIPS_SCHEMA["properties"]["partnerships"]["items"]["properties"]
    fields = []
    for name in PARTNERSHIP_COLUMNS:
        spec = {"type": "string", **copy.deepcopy(PARTNERSHIP_FIELD_TYPES.get(name, {}))}
        if name == "page_url" and not absolute_urls:
            spec.pop("format")
        described = props.get(name, {}).get("description")
        fields.append({"name": name, **({"description": described} if described else {}), **spec})
    return {"fields": fields, "missingValues": [""], "primaryKey": ["partnership"]}


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """UTF-8 with a byte-order mark: without it Excel reads the file as the local code page and
    garbles every non-ASCII letter (the en dash of a title, "Na h-Eileanan Siar" accents)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else csv_cell(row[k]) for k in columns})
    return out.getvalue()


#: what a spreadsheet takes as the start of a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading ' so it is shown as text (OWASP's
    rule; the csv module then quotes it if needed). Numbers are written as numbers. A carriage return
    becomes a line break: the writer ends rows with '\n' and would not quote a cell holding a lone '\r',
    which a reader takes as the end of the row."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_json(value: Any, *, pretty: bool = False) -> str:
    """Data files are compact (json's C encoder; `indent` would switch to its pure-Python one, several
    times slower over thousands of files); the schema, which people read, is indented."""
    return json.dumps(value, ensure_ascii=False, indent=2 if pretty else None, sort_keys=True, default=_default) + "\n"


def _default(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return value.as_written()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def record_dict(record: Any) -> Any:
    """A record as plain data, without the loader's positions."""
    if isinstance(record, m.Record):
        return {
            f.name: record_dict(getattr(record, f.name))
            for f in dataclasses.fields(record)
            if f.name not in ("at", "field_at")
        }
    if isinstance(record, list):
        return [record_dict(item) for item in record]
    if isinstance(record, dict):
        return {str(k): record_dict(v) for k, v in record.items()}
    if isinstance(record, PartialDate):
        return record.as_written()
    return record


def publication_data(derived: Derived, pub: m.Publication, base_url: str = "") -> dict[str, Any]:
    body: dict[str, Any] = record_dict(pub)
    body["kind"] = KIND_FOLDER[type(pub)][:-1]
    body["held"] = pub.holds
    who, where = facts.publisher(derived.data, pub)
    if not isinstance(pub, m.Response):
        org = derived.data.organisations.get(pub.publisher or "")
        # the publication's own publisher (never the site's: that is `data_publisher`), or that no source states it
        body["publisher_name"] = org.name if org else None
        body["publisher_stated_in"] = source_columns(where) | {"words": who.text}
    body["page_url"] = base_url + page_url(pub)
    if isinstance(pub, m.Inspection):
        body["evaluation_rows"] = evaluation_rows(derived, [pub], base_url)
    return body


def grade_bounds(derived: Derived) -> tuple[int, int]:
    """The lowest and highest value on any of the site's scales (1 and 6 for the six-point scale alone), so the
    schemas allow every grade the data can hold and no other."""
    values = [lv.value for scale in derived.data.scales.values() for lv in scale.levels]
    return (min(values), max(values)) if values else (1, 6)


def evaluations_schema(derived: Derived) -> dict[str, Any]:
    """EVALUATIONS_SCHEMA with grade_value bounded by the site's scales."""
    low, high = grade_bounds(derived)
    schema = copy.deepcopy(EVALUATIONS_SCHEMA)  # the constant is shared
    schema["properties"]["evaluations"]["items"]["properties"]["grade_value"].update(minimum=low, maximum=high)
    return schema


#: what a row of the evaluations files is: two kinds of row, said once for the schema, the data package and its tests
EVALUATIONS_DESCRIPTION = (
    "The evaluations of published inspections, in two kinds of row. Where the sources say which indicator got which "
    "grade: one row per quality indicator evaluated (known_as 'indicator'); a grade is a value on the programme's "
    "evaluation scale; where there is no grade, grade_value is null and missing says why (not-evaluated, "
    "not-published, not-held). Where the sources give only how many evaluations got each grade: one row per grade "
    "(known_as 'total'), with an empty indicator and the number of evaluations that got that grade in evaluations; "
    "such a row is not one indicator's evaluation. Count evaluations by adding up the evaluations column, not by "
    "counting rows.")

EVALUATIONS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "evaluations.schema.json",
    "title": "Evaluations from joint inspections of services for children and young people",
    "description": EVALUATIONS_DESCRIPTION,
    "type": "object",
    "required": ["evaluations"],
    "properties": {
        **ABOUT_PROPERTIES,
        "evaluations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": EVALUATION_COLUMNS,
                "properties": {
                    "partnership": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "Partnership id"},
                    "partnership_name": {"type": "string"},
                    "area_code": {"type": ["string", "null"], "pattern": "^S12[0-9]{6}$",
                                  "description": "The council area's current GSS code (statistics.gov.scot joins on it)"},
                    "programme": {"type": "string", "description": "Programme id"},
                    "programme_title": {"type": "string"},
                    "framework": {"type": "string", "description": "Quality framework id"},
                    "indicator": {"type": "string", "description": "Quality indicator code, e.g. '2.1' (a string: '2.10' is not '2.1')"},
                    "indicator_title": {"type": "string"},
                    "grade_value": {"type": ["integer", "null"], "minimum": 1, "maximum": 6,
                                    "description": "The grade's number on the scale named in scale"},
                    "grade_word": {"type": ["string", "null"]},
                    "not_published": {"type": ["string", "null"], "description": "The editor's note on why there is no grade"},
                    "missing": {"type": ["string", "null"], "enum": [None, "not-evaluated", "not-published", "not-held"],
                                "description": "Why there is no grade: not evaluated; evaluated but not published; "
                                "published in a report this site does not hold"},
                    "missing_words": {"type": ["string", "null"], "description": "The same, as the pages say it"},
                    "known_as": {"type": "string", "enum": ["indicator", "total"],
                                 "description": "'indicator': the grade of one indicator; 'total': grades known only as totals"},
                    "evaluations": {"type": "integer", "minimum": 1,
                                    "description": "How many evaluations the row stands for: 1 for an indicator's row; for a "
                                    "totals row, how many evaluations got its grade"},
                    "published_precision": {"type": ["string", "null"], "enum": [None, "day", "month", "year"],
                                            "description": "How precisely the publication date is known"},
                    "published_approximate": {"type": ["boolean", "null"], "description": "Whether the sources give the date only approximately"},
                    "corrected": {"type": ["string", "null"], "description": "Date of the report's latest correction, if any"},
                    "rebuilt_from": {"type": ["string", "null"],
                                     "description": "Id of the publication the record was rebuilt from, when this site does not hold the report"},
                    "inspection": {"type": "string", "description": "Inspection id"},
                    "inspection_title": {"type": "string"},
                    "published": {"type": ["string", "null"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                    "published_missing": {"type": ["string", "null"], "description": "Why published is empty, where it is"},
                    "fieldwork_missing": {"type": ["string", "null"],
                                          "description": "Why fieldwork_start or fieldwork_end is empty, where one is"},
                    "fieldwork_start": {"type": ["string", "null"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                    "fieldwork_end": {"type": ["string", "null"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                    "stated_in": {"type": ["string", "null"], "description": "Id of the publication (or cited document) that "
                                  "states the grade, the totals or why there is no grade; null where no source is named"},
                    "stated_in_kind": {"type": ["string", "null"], "enum": [None, "publication", "unnamed", "not-stated"],
                                       "description": "Where it is stated: 'publication' (stated_in), 'unnamed' (a source "
                                       "this site does not name), 'not-stated'"},
                    "stated_in_held": {"type": ["boolean", "null"],
                                       "description": "Whether this site holds the publication named in stated_in"},
                    "held": {"type": "boolean", "description": "Whether this site holds the inspection report itself "
                             "(false: its page is rebuilt from, or known through, other publications)"},
                    "report_url": {"type": "string", "description": "The report's page on this site (absolute when the site's address is set)"},
                    "original_url": {"type": ["string", "null"], "description": "The original publication, where known"},
                    "scale": {"type": ["string", "null"], "description": "The evaluation scale grade_value is on (its id; the "
                              "site's scale page lists its levels); empty where the programme gives no grades"},
                    "scale_name": {"type": ["string", "null"], "description": "The same scale's name"},
                },
            },
        }
    },
}


def licence_block(publisher: Publisher | None) -> dict[str, str | dict[str, str]]:
    """What every JSON data file says about who publishes it and how it may be reused."""
    if publisher is None:
        return {}
    lic = publisher.licence
    return {"data_publisher": publisher.name, "licence": {"name": lic.name, "url": lic.url, "id": lic.spdx},
            "copyright": publisher.copyright}


def site_files(derived: Derived, site_url: str | None = None, publisher: Publisher | None = None) -> dict[str, str]:
    """Every open-data file: site path -> content. Addresses are absolute when `site_url` is given."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    about = licence_block(publisher)
    rows = evaluation_rows(derived, base_url=base)
    files = {
        "data/evaluations.csv": to_csv(rows, EVALUATION_COLUMNS),
        "data/evaluations.json": to_json({**about, "evaluations": rows}),
        "data/evaluations.schema.json": to_json(evaluations_schema(derived), pretty=True),
        "data/datapackage.json": to_json(datapackage(derived, publisher, bool(base)), pretty=True),
    }
    partnerships = partnership_rows(derived, base)
    files["data/partnerships.csv"] = to_csv(partnership_csv_rows(partnerships), PARTNERSHIP_COLUMNS)
    files["data/partnerships.json"] = to_json({**about, "partnerships": partnerships})
    files["data/partnerships.schema.json"] = to_json(PARTNERSHIPS_SCHEMA, pretty=True)
    for pub in derived.publications:
        body = publication_data(derived, pub, base)
        files[data_path(pub, "json")] = to_json({**body, **about})
        if isinstance(pub, m.Inspection):
            files[data_path(pub, "csv")] = to_csv(evaluation_rows(derived, [pub], base), EVALUATION_COLUMNS)
    return files


PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: Table Schema type and constraints for the columns that are not plain text
FIELD_TYPES: dict[str, dict[str, Any]] = {
    "grade_value": {"type": "integer", "constraints": {"minimum": 1, "maximum": 6}},
    "evaluations": {"type": "integer", "constraints": {"minimum": 0}},
    "partnership": {"type": "string", "constraints": {"required": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}},
    "area_code": {"type": "string", "constraints": {"pattern": "S12[0-9]{6}"}},
    "inspection": {"type": "string", "constraints": {"required": True}},
    "published": {"type": "string", "constraints": {"pattern": PARTIAL_DATE.strip("^$")}},
    "fieldwork_start": {"type": "string", "constraints": {"pattern": PARTIAL_DATE.strip("^$")}},
    "fieldwork_end": {"type": "string", "constraints": {"pattern": PARTIAL_DATE.strip("^$")}},
    "report_url": {"type": "string", "format": "uri"},
    "held": {"type": "boolean"},
    "stated_in_held": {"type": "boolean"},
    "original_url": {"type": "string", "format": "uri"},
}


def table_schema(absolute_urls: bool, bounds: tuple[int, int] = (1, 6)) -> dict[str, Any]:
    """The Table Schema of every evaluations CSV; `bounds`: the lowest and highest grade on the site's scales."""
    props = EVALUATIONS_SCHEMA["properties"]["evaluations"]["items"]["properties"]
    fields = []
    for name in EVALUATION_COLUMNS:
        spec = {"type": "string", **copy.deepcopy(FIELD_TYPES.get(name, {}))}  # FIELD_TYPES is shared
        if name == "grade_value":
            spec["constraints"].update(minimum=bounds[0], maximum=bounds[1])
        if name == "report_url" and not absolute_urls:
            spec.pop("format")  # a site without site_url has only relative addresses
        described = props.get(name, {}).get("description")
        fields.append({"name": name, **({"description": described} if described else {}), **spec})
    return {"fields": fields, "missingValues": [""]}


def datapackage(derived: Derived, publisher: Publisher | None, absolute_urls: bool, site_name: str = "") -> dict[str, Any]:
    schema = table_schema(absolute_urls, grade_bounds(derived))

    def resource(name: str, path: str, title: str) -> dict[str, Any]:
        return {"name": name, "path": path, "title": title, "description": EVALUATIONS_DESCRIPTION,
                "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}

    resources = [resource("evaluations", "evaluations.csv", "Every evaluation of every published inspection")]
    resources.append({"name": "partnerships", "path": "partnerships.csv",
                      "title": "Every partnership, with its council area's current and former codes",
                      "description": PARTNERSHIPS_DESCRIPTION, "profile": "tabular-data-resource", "format": "csv",
                      "mediatype": "text/csv", "encoding": "utf-8", "schema": partnerships_table_schema(absolute_urls)})
    for pub in derived.publications:
        if isinstance(pub, m.Inspection):
            resources.append(resource(pub.id, data_path(pub, "csv").removeprefix("data/"), f"Evaluations: {pub.title}"))
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "joint-inspections-children-services-scotland",
        "title": site_name or "Joint inspections of services for children and young people in Scotland",
        "description": EVALUATIONS_DESCRIPTION + " " + PARTNERSHIPS_DESCRIPTION,
        "resources": resources,
    }
    if publisher is not None:
        lic = publisher.licence
        package["licenses"] = [{"name": lic.spdx, "path": lic.url, "title": lic.name}]
        package["contributors"] = [{"title": publisher.name, "role": "publisher", **({"path": publisher.url} if publisher.url else {})}]
    return package
