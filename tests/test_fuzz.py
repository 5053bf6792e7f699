"""Property-based: whatever an editor types, the check gives a clean pass or clean errors, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.derive.site import check_site
from generator.model.yamlnodes import parse_yaml

from .support import TINY

INSPECTION = (TINY / "site-data/inspections/fife-2023.yaml").read_text()
YAML_PIECES = st.lists(
    st.sampled_from(list(":-[]{}&*!|>'\"#%@`, \n\t?~0123456789abcXYZé\\") + ["\n  ", "\n- ", ": ", "---\n", "\ufeff"]),
    max_size=60,
).map("".join)


def check_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(TINY, project)
        (project / "site-data/inspections/fife-2023.yaml").write_text(text, encoding="utf-8")
        data, derived, problems = check_site(project)
        for problem in problems.items:
            assert problem.at.path, problem
            assert problem.message
        if not problems.errors:
            assert derived is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAML_PIECES)
def test_random_text_never_crashes(text: str) -> None:
    check_text(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(INSPECTION)), st.integers(0, 40), YAML_PIECES)
def test_mutated_real_file_never_crashes(at: int, delete: int, insert: str) -> None:
    check_text(INSPECTION[:at] + insert + INSPECTION[at + delete:])


@st.composite
def yaml_values(draw: st.DrawFn) -> str:
    scalar = st.one_of(
        st.integers(-10, 10).map(str), st.sampled_from(["null", "~", "true", "2.10", "2023-02-30", "''", '"x"', "2023"]),
        st.text(alphabet="abc ", min_size=1, max_size=5),
    )
    kind = draw(st.sampled_from(["scalar", "list", "map"]))
    if kind == "scalar":
        return draw(scalar)
    if kind == "list":
        return "[" + ", ".join(draw(st.lists(scalar, max_size=3))) + "]"
    return "{" + ", ".join(f"{k}: {v}" for k, v in draw(st.dictionaries(st.sampled_from(["a", "grade", "indicator", "text"]), scalar, max_size=3)).items()) + "}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([line.split(":")[0] for line in INSPECTION.splitlines() if line and not line.startswith(" ") and ":" in line]), yaml_values())
def test_any_value_in_any_field_never_crashes(field: str, value: str) -> None:
    lines = INSPECTION.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(field + ":"))
    end = next((j for j in range(start + 1, len(lines)) if lines[j] and not lines[j].startswith((" ", "-"))), len(lines))
    check_text("\n".join([*lines[:start], f"{field}: {value}", *lines[end:]]) + "\n")


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_parser_accepts_any_unicode(text: str) -> None:
    root, problems = parse_yaml(text, "x.yaml")
    assert root is not None or problems
