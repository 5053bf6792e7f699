"""The validator's shared helpers: references between records, date order, addresses, themes, questions.

`validate.py` (rules per kind of record) and `validate_grades.py` (rules about grades) build on this class.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cached_property
from typing import cast

from generator.base.errors import Problems
from generator.model import models as m
from generator.model.convert import fields_of
from generator.model.dates import PartialDate, not_after
from generator.model.load import SiteData

_URL = re.compile(r"^https?://[^\s<>\"']+$")


def _required(record: m.Record, name: str) -> bool:
    spec = fields_of(cast(type, type(record))).get(name)
    return spec is not None and spec.required


class CheckerBase:
    def __init__(self, data: SiteData, problems: Problems):
        self.d = data
        self.p = problems

    # -- helpers -------------------------------------------------------------
    def ref(self, record: m.Record, name: str, value: str | None, pool: Iterable[str], what: str, file: str = "") -> bool:
        """Whether `value` names a record in `pool`; `file` is the single file the pool comes from, if any."""
        if value is None:
            return True
        if not isinstance(pool, (dict, set, frozenset)):
            pool = list(pool)
        if value in pool:
            return True
        if value.startswith("TODO"):
            # left from a skeleton (`python -m generator new`): the editor has not written the id yet
            known = f" Known: {', '.join(sorted(pool)[:12])}{' …' if len(pool) > 12 else ''}." if pool else ""
            silent = (f" Where no source this site holds states it, delete the line and write 'not_stated: [{name}]'."
                      if name in type(record).may_be_unstated else
                      " Where no source this site holds states it, delete the line." if name != "id" and not _required(record, name)
                      else "")
            self.p.add(record.pos(name), f"'{name}' still says TODO: replace it with the id of {what}, as the source "
                       f"states it.{known}{silent}")
            return False
        root = self.d.unreadable.get(value) or self.d.unreadable.get(file)
        if root:
            # Its own file's errors are the root cause: listed under them, not reported again.
            self.p.not_checked(root, record.pos(name), f"{name} '{value}'")
            return False
        close = difflib.get_close_matches(value, pool, n=3)
        if close:
            hint = f" Did you mean: {', '.join(close)}?"
        elif pool:
            hint = f" Known: {', '.join(sorted(pool)[:12])}{' …' if len(pool) > 12 else ''}"
        else:
            hint = " None are defined yet."
        self.p.add(record.pos(name), f"'{name}' names {what} '{value}', which does not exist.{hint}")
        return False

    def refs(self, record: m.Record, name: str, values: Iterable[str], pool: Iterable[str], what: str, file: str = "") -> None:
        if not isinstance(pool, (dict, set, frozenset)):
            pool = list(pool)
        for value in values:
            self.ref(record, name, value, pool, what, file)

    def order(self, record: m.Record, first: str, second: str, message: str) -> None:
        a: PartialDate | None = getattr(record, first)
        b: PartialDate | None = getattr(record, second)
        if a and b and not not_after(a, b):
            self.p.add(record.pos(second), f"'{second}' ({b.human()}) is before '{first}' ({a.human()}): {message}")

    def url(self, record: m.Record, name: str = "url") -> None:
        value = getattr(record, name, None)
        if value and not _URL.match(value):
            self.p.add(record.pos(name), f"'{name}' must be a web address starting https:// or http://, not {value!r}")

    @property
    def themes(self) -> list[str]:
        return list(self.d.themes)

    @cached_property
    def publication_ids(self) -> dict[str, None]:
        """Every id a source may name, in order (a dict: looked up once per reference, thousands of times a build)."""
        return dict.fromkeys([*self.d.publications, *self.d.documents])

    def themed(self, record: m.Record) -> None:
        self.refs(record, "themes", getattr(record, "themes", []), self.themes, "a theme", "themes.yaml")

    def question(self, record: m.Record, name: str, ref: str | None, programme: m.Programme | None) -> None:
        if ref is not None and programme is not None:
            self.ref(record, name, ref, [q.ref for q in programme.questions], f"a question of programme {programme.id}")

    # -- rules ---------------------------------------------------------------
