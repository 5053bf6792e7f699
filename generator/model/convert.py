"""Turn YAML nodes into model objects, using the dataclasses' type hints as the schema.

Every problem is collected with its position; a record with errors is dropped
(returns None) so later stages only ever see well-typed objects.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from generator.base.errors import Position, Problems
from generator.model import models
from generator.model.dates import PartialDate
from generator.model.grades import GradeWord
from generator.model.limits import MAX_DIGITS
from generator.model.yamlnodes import Mapping, Node, Scalar, Sequence

_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_INTERNAL = {"at", "field_at"}


#: Each model class in the editors' words: messages name what the editor wrote ('a line of enquiry'), never the
#: class behind it ('LineOfEnquiry'). tests/test_truth_messages.py checks that every class has its words here.
EDITOR_WORDS: dict[str, str] = {
    "ScaleLevel": "a level of the scale",
    "EvaluationScale": "an evaluation scale",
    "ProportionBand": "a proportion word (one band)",
    "ProportionWords": "a set of proportion words",
    "Organisation": "an organisation",
    "Organisations": "the list of organisations",
    "Definition": "a definition",
    "GlossaryTerm": "a glossary term",
    "Glossary": "a glossary file",
    "Theme": "a theme",
    "Themes": "the list of themes",
    "Document": "a cited document",
    "Documents": "the list of cited documents",
    "FrameworkHeading": "a heading of the framework",
    "Indicator": "a quality indicator",
    "IndicatorCountClaim": "a count of the framework's indicators",
    "Framework": "a quality framework",
    "Question": "a question or statement",
    "LineOfEnquiry": "a line of enquiry",
    "ReportHeadings": "the report headings",
    "Programme": "a programme",
    "KeyFact": "a key fact",
    "Partnership": "a partnership",
    "Correction": "a correction",
    "Finding": "a finding",
    "PracticeExample": "a practice example",
    "Evaluation": "an evaluation",
    "GradeTotals": "the grade totals",
    "EvidenceCount": "a count of evidence",
    "DatedEvent": "a dated event",
    "Conclusion": "a conclusion",
    "QuestionMessages": "the key messages of a question",
    "Publication": "a publication",
    "Inspection": "an inspection",
    "NumberedMessage": "a numbered message",
    "EvidenceBase": "the evidence base",
    "Comparison": "a comparison",
    "GradeClaim": "a claim about grades",
    "Foreword": "a foreword",
    "Review": "a review",
    "ReportedEvaluation": "an evaluation as the response reports it",
    "ActionPlanItem": "an item of the action plan",
    "Response": "a response",
    "Activity": "an activity",
    "Observation": "an observation",
    "NextStep": "a next step",
    "Letter": "a letter",
    "AllowedDisclosure": "a detail that may be published",
    "AllowedDisclosures": "the list of details that may be published",
}


def editor_words(cls: type) -> str:
    """What a record of class `cls` is called in messages ('a line of enquiry'); never the class's name."""
    words = EDITOR_WORDS.get(cls.__name__)
    if words is None:  # a class added without words: its name split into words, never the name itself
        words = "a " + re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
    return words



@dataclasses.dataclass(frozen=True)
class FieldSpec:
    name: str
    hint: Any
    required: bool
    owner: type

    @property
    def doc(self) -> str:
        """The docstring under the field in its class (read only when a message needs it)."""
        return _field_docs(self.owner).get(self.name, "")


@cache
def fields_of(cls: type) -> dict[str, FieldSpec]:
    """The YAML-visible fields of a model class."""
    hints = typing.get_type_hints(cls, vars(models))
    out = {}
    for f in dataclasses.fields(cls):
        if f.name in _INTERNAL:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[f.name] = FieldSpec(f.name, hints[f.name], required, cls)
    return out


@cache
def _class_docs(module_file: str) -> dict[str, dict[str, str]]:
    """Class name -> field -> docstring, for every class in one source file (parsed once)."""
    import ast

    docs: dict[str, dict[str, str]] = {}
    with open(module_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        fields = docs.setdefault(node.name, {})
        for stmt, nxt in zip(node.body, node.body[1:], strict=False):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                    fields[stmt.target.id] = " ".join(str(nxt.value.value).split())
    return docs


@cache
def _field_docs(cls: type) -> dict[str, str]:
    import inspect

    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not dataclasses.is_dataclass(klass):
            continue
        source = inspect.getsourcefile(klass)
        if source:
            docs.update(_class_docs(source).get(klass.__name__, {}))
    return docs


def describe(hint: Any) -> str:
    """Say in words what a type allows, for error messages."""
    origin = get_origin(hint)
    if hint is str:
        return "text"
    if hint is int:
        return "a whole number"
    if hint is float:
        return "a number"
    if hint is bool:
        return "true or false"
    if hint is PartialDate:
        return "a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    if origin is Literal:
        return "one of: " + ", ".join(repr(a) for a in get_args(hint))
    if origin is list:
        return f"a list of {describe(get_args(hint)[0])}"
    if hint is models.GradeKey:
        return "a grade (the scale's number or its word)"
    if origin is dict:
        key, value = get_args(hint)
        return f"a mapping of {describe(key)} to {describe(value)}"
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in get_args(hint) if a is not type(None))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint is not PartialDate:
        return f"a mapping ({editor_words(hint)})"
    return str(hint)


def convert(node: Node, hint: Any, problems: Problems, what: str) -> Any:
    """Convert `node` to `hint`. On a problem, record it and return `_BAD`."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if isinstance(node, Scalar) and node.is_null and type(None) in get_args(hint):
            return None
        return convert(node, options[0], problems, what)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint is not PartialDate:
        return convert_record(node, hint, problems, what)
    if origin is list:
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Sequence):
            problems.add(node.at, f"{what} must be {describe(hint)} (one '- ' line per item)")
            return _BAD
        item_hint = get_args(hint)[0]
        out = []
        failed = False
        for item in node.items:
            value = convert(item, item_hint, problems, f"each item of {what}")
            failed |= value is _BAD
            out.append(value)
        # A list with a broken entry is not used at all: checks that count its entries ("a scale needs at
        # least one level", grades against a scale missing a level) would otherwise report consequences.
        return _BAD if failed else out
    if origin is dict:
        if not isinstance(node, Mapping):
            problems.add(node.at, f"{what} must be {describe(hint)}")
            return _BAD
        key_hint, value_hint = get_args(hint)
        result = {}
        failed = False
        for key, value in node.items:
            if key_hint is models.GradeKey and isinstance(key, Scalar) and not key.is_null and not (key.plain and _INT.match(key.value)):
                k: Any = GradeWord(key.value)  # read against the programme's scale once all is loaded
            else:
                k = convert(key, int if key_hint is models.GradeKey else key_hint, problems, f"a key of {what}")
            v = convert(value, value_hint, problems, f"{what}[{key.value}]")
            failed |= k is _BAD or v is _BAD
            result[k] = v
        return _BAD if failed else result
    if not isinstance(node, Scalar):
        problems.add(node.at, f"{what} must be {describe(hint)}, not a {'list' if isinstance(node, Sequence) else 'mapping'}")
        return _BAD
    if node.is_null:
        problems.add(node.at, f"{what} is empty: write {describe(hint)}")
        return _BAD
    text = node.value
    if hint is not str and text.startswith("TODO"):
        # left from a skeleton (`python -m generator new`) where only the editor can say what goes here
        problems.add(node.at, f"{what} still says TODO: replace it with {describe(hint)}, as the source states it")
        return _BAD
    if hint is str:
        if not text.strip():
            problems.add(node.at, f"{what} is blank: write some text")
            return _BAD
        return text
    if hint is int:
        if node.plain and _INT.match(text):
            if len(text.lstrip("+-")) > MAX_DIGITS:  # Python reads at most 4,300 digits; no field needs 10
                problems.add(node.at, f"{what} has {len(text.lstrip('+-'))} digits: whole numbers here have at most {MAX_DIGITS}")
                return _BAD
            return int(text)
        problems.add(node.at, f"{what} must be a whole number, not {text!r}")
        return _BAD
    if hint is float:
        if node.plain and _FLOAT.match(text):
            return float(text)
        problems.add(node.at, f"{what} must be a number (digits, no commas), not {text!r}")
        return _BAD
    if hint is bool:
        if node.plain and text in ("true", "false"):
            return text == "true"
        problems.add(node.at, f"{what} must be true or false, not {text!r}")
        return _BAD
    if hint is PartialDate:
        try:
            return PartialDate.parse(text)
        except ValueError as exc:
            problems.add(node.at, f"{what}: {exc}")
            return _BAD
    if origin is Literal:
        if text in get_args(hint):
            return text
        problems.add(node.at, f"{what} is {text!r}; allowed: {', '.join(get_args(hint))}")
        return _BAD
    raise TypeError(f"no converter for {hint!r}")  # a bug in models.py, not in the data


class _Bad:
    def __repr__(self) -> str:
        return "<invalid>"


_BAD: Any = _Bad()


def convert_record(node: Node, cls: type, problems: Problems, what: str, *, record_id: str | None = None) -> Any:
    if not isinstance(node, Mapping):
        problems.add(node.at, f"{what} must be a mapping of fields ({editor_words(cls)}): 'field: value' lines")
        return _BAD
    specs = fields_of(cls)
    settable = dict(specs)
    if record_id is not None:
        settable.pop("id", None)
    values: dict[str, Any] = {}
    field_at: dict[str, Position] = {}
    ok = True
    suggested: set[str] = set()
    for key, value in node.items:
        name = key.value
        spec = settable.get(name)
        if spec is None:
            if name == "id" and record_id is not None:
                problems.add(key.at, f"'id' is not written in this file: the id is the file name ({record_id})")
            else:
                hint = difflib.get_close_matches(name, [f for f in settable if not _reported_bad(node, f)], n=1)
                suggested.update(hint)
                suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
                problems.add(
                    key.at,
                    f"unknown field '{name}' in {editor_words(cls)}.{suggestion} Allowed: {', '.join(settable)}",
                )
            ok = False
            continue
        if name in getattr(cls, "scale_words", ()) and isinstance(value, Scalar) and not value.is_null and not (
                value.plain and _INT.match(value.value)):
            # A grade written as a word ('Good') or quoted: read against the programme's scale once all is loaded.
            values[name] = GradeWord(value.value)
            field_at[name] = value.at
            continue
        converted = convert(value, spec.hint, problems, f"'{name}'")
        if converted is _BAD:
            ok = False
            continue
        values[name] = converted
        field_at[name] = value.at
    for name, spec in settable.items():
        # A misspelt field is reported once, as "unknown field ... Did you mean", not again as missing.
        if spec.required and name not in values and not _reported_bad(node, name) and name not in suggested:
            help_text = f" ({spec.doc})" if spec.doc else ""
            problems.add(node.at, f"{editor_words(cls)} is missing required field '{name}': {describe(spec.hint)}{help_text}. "
                         + _where_silent(cls, name))
            ok = False
    if not ok:
        return _BAD
    if record_id is not None:
        values["id"] = record_id
    return cls(at=node.at, field_at=field_at, **values)


def _where_silent(cls: type, name: str) -> str:
    """What to do about a required field no source gives: never invent it (the check never asks for a fact)."""
    if name in getattr(cls, "may_be_unstated", ()):
        return f"Where no source this site holds states it, write 'not_stated: [{name}]' instead"
    if issubclass(cls, models.Publication):
        return ("Write it as the source states it; where no source this site holds states it, do not invent it: keep "
                "the publication a draft (status: draft) until one does")
    return "Write it as the source states it; where no source this site holds states it, do not invent it"


def _reported_bad(node: Mapping, name: str) -> bool:
    return any(k.value == name for k, _ in node.items)


def is_bad(value: Any) -> bool:
    return value is _BAD
