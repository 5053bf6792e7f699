"""Parse YAML into position-keeping nodes, refusing what editors should not use.

ruamel.yaml's C parser (ruamel.yaml.clib) emits events carrying exact marks at C
speed, so every value keeps its file, line and column without the slow round-trip
loader. Anchors, aliases, tags, directives, tabs, duplicate keys and multiple
documents are rejected here, with positions, before anything is built from them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from generator.base.errors import Position, Problems

try:  # the C extension: ~10x faster than the pure-Python parser
    from _ruamel_yaml import CParser as _Parser
except ImportError:  # pragma: no cover - only without ruamel.yaml.clib
    _Parser = None


@dataclass
class Node:
    at: Position


@dataclass
class Scalar(Node):
    value: str
    plain: bool
    """Written without quotes or block style, so `null`, numbers and dates may be meant."""

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        return next((v for k, v in self.items if k.value == key), None)


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


_NOT_ALLOWED = {
    "alias": "aliases (*name) are not allowed: write the value out in full",
    "anchor": "anchors (&name) are not allowed: write each value out in full",
    "tag": "YAML tags ({tag}) are not allowed: write plain values",
    "directive": "YAML directives (%YAML, %TAG) are not allowed: remove the line",
    "documents": "only one YAML document is allowed per file: remove the '---' separator",
}


def parse_yaml(text: str, path: str) -> tuple[Node | None, Problems]:
    """Parse one YAML document. Returns the root node (None on a fatal error) and every problem found."""
    problems = Problems()
    for number, line in enumerate(text.splitlines(), 1):
        col = line.find("\t")
        if col >= 0:
            problems.add(Position(path, number, col + 1), "tab character: indent with spaces, and use spaces in text")
    if _Parser is None:  # pragma: no cover
        raise RuntimeError("ruamel.yaml.clib is not installed; run the README's set-up command")
    parser = _Parser(io.StringIO(text))
    try:
        root = _build(parser, path, problems)
    except Exception as exc:  # the parser's own errors carry a mark
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path)
        what = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
        problems.add(where, f"YAML syntax error: {what or exc}")
        return None, problems
    if root is None:
        problems.add(Position(path, 1, 1), "the file is empty: it must hold a mapping of fields")
    return root, problems


def _pos(path: str, event: object) -> Position:
    mark = event.start_mark  # type: ignore[attr-defined]  # the C parser's events have no types
    return Position(path, mark.line + 1, mark.column + 1)


def _build(parser: object, path: str, problems: Problems) -> Node | None:
    get = parser.get_event  # type: ignore[attr-defined]  # nor has the parser
    root: Node | None = None
    documents = 0
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    seen_keys: list[dict[str, Position]] = []

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif isinstance(parent, Mapping):
            key = pending_key[-1]
            if key is None:
                if not isinstance(node, Scalar):
                    problems.add(node.at, "keys must be plain words, not lists or mappings")
                    node = Scalar(node.at, "?", True)
                assert isinstance(node, Scalar)
                if node.value in seen_keys[-1]:
                    first = seen_keys[-1][node.value]
                    problems.add(node.at, f"duplicate key '{node.value}' (first at line {first.line}): keep one")
                seen_keys[-1][node.value] = node.at
                pending_key[-1] = node
            else:
                parent.items.append((key, node))
                pending_key[-1] = None

    def refuse_extras(event: object) -> None:
        if getattr(event, "anchor", None):
            problems.add(_pos(path, event), _NOT_ALLOWED["anchor"])
        tag = getattr(event, "tag", None)
        if tag and tag not in ("!",):
            problems.add(_pos(path, event), _NOT_ALLOWED["tag"].format(tag=tag))

    while True:
        event = get()
        if event is None:
            break
        kind = type(event).__name__
        if kind == "StreamEndEvent":
            break
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                problems.add(_pos(path, event), _NOT_ALLOWED["documents"])
            if getattr(event, "version", None) or getattr(event, "tags", None):
                problems.add(_pos(path, event), _NOT_ALLOWED["directive"])
        elif kind == "AliasEvent":
            problems.add(_pos(path, event), _NOT_ALLOWED["alias"])
            attach(Scalar(_pos(path, event), "", True))
        elif kind == "ScalarEvent":
            refuse_extras(event)
            plain = bool(event.implicit[0]) and not event.style
            attach(Scalar(_pos(path, event), event.value, plain))
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            refuse_extras(event)
            node: Node = Mapping(_pos(path, event)) if kind == "MappingStartEvent" else Sequence(_pos(path, event))
            attach(node)
            stack.append(node)
            pending_key.append(None)
            seen_keys.append({})
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            stack.pop()
            pending_key.pop()
            seen_keys.pop()
    return root
