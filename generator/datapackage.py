"""A Frictionless Data Package descriptor (`data/datapackage.json`) for the site's CSV files: what
each column holds (a Table Schema per CSV), who publishes the data and under what licence, so
analysts' tools (frictionless, Open Data portals) read the files without guessing.

The field list follows `opendata.EVALUATION_COLUMNS` and the JSON Schema's descriptions, so the
three cannot drift apart.
"""

from __future__ import annotations

import copy
from typing import Any

from . import models as m
from .derive import Derived
from .opendata import EVALUATION_COLUMNS, EVALUATIONS_SCHEMA, data_path, grade_bounds
from .publisher import Publisher

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
        return {"name": name, "path": path, "title": title, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}

    resources = [resource("evaluations", "evaluations.csv", "Every evaluation of every published inspection")]
    for pub in derived.publications:
        if isinstance(pub, m.Inspection):
            resources.append(resource(pub.id, data_path(pub, "csv").removeprefix("data/"), f"Evaluations: {pub.title}"))
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "joint-inspections-children-services-scotland",
        "title": site_name or "Joint inspections of services for children and young people in Scotland",
        "description": EVALUATIONS_SCHEMA["description"],
        "resources": resources,
    }
    if publisher is not None:
        lic = publisher.licence
        package["licenses"] = [{"name": lic.spdx, "path": lic.url, "title": lic.name}]
        package["contributors"] = [{"title": publisher.name, "role": "publisher", **({"path": publisher.url} if publisher.url else {})}]
    return package
