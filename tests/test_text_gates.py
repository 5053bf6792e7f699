"""The text checks' shortcuts change nothing a user sees (issue 16: the checks made cheaper).

The personal-data check runs each kind's full pattern only where a cheap gate finds something,
reader_form tries its pattern only where a match can start, and a YAML field's finds are worked out
once per distinct text. Each shortcut must give exactly what the plain way gives: these tests compare
them on many generated texts built from the pieces the checks care about."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from generator.derive.site import check_site
from generator.model import disclosures as d
from generator.model import reader_text as rt

from .support import TINY

PIECES = [
    "0131 496 0123", "+44 131 496 0123", "(0131) 496 0123", "07700 900123", "2013", "born on 3 May 2001", "DOB: 1/2/03",
    "d.o.b 12th march", "date of birth 4 jan", "EH12 9DQ", "eh12 9dq", "AB 12 34 56 C", "ab123456c", "0101011234",
    "jo dot bloggs at example dot com", "jo.bloggs [at] example.org", "a@b.co", "x", " ", "\n", "\n\n", "&#64;", "&amp;",
    "<b>", "</p>", "*", "**", "_", "`", "\\.", "\u200b", "\uff10", "\uff20", "\u212a", "\u0131", "\u0130", "\u017f", "é",
    "www.x.org/0131", "https://a.b/EH1 2AB", "at", "dot", "(", ")", "[", "]", "1", "23", "456", "7890", "-", ".", "/",
    "GIR 0AA", "Born", "BIRTH", "\u0663", "<!-- c -->", "<!--", "-->", "&foo;", "&#x40;", "a_b", "__", "_x_", "\\*",
    "\u00a0", "\u2014", "<span>", "</div>", "&commat;", "***", "``",
]


def texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) + rng.choice(["", " ", "", "\n"]) for _ in range(rng.randint(1, 12)))
            for _ in range(count)]


#: What a reader sees of a text (reader_text.reader_form), written out by hand
READER_FORMS = [
    ("plain text, nothing to change", "plain text, nothing to change"),
    ("jo&#64;example.org", "jo@example.org"),
    ("jo&commat;example.org", "jo@example.org"),
    ("jo<b>@</b>example.org", "jo@example.org"),
    ("**0131** 496 0123", "0131 496 0123"),
    ("0131\u200b496\u200b0123", "01314960123"),
    ("\uff10\uff11\uff13\uff11 496 0123", "0131 496 0123"),
    ("EH12&nbsp;9DQ", "EH12 9DQ"),
    ("a\\.b", "a.b"),
    ("`code`", "code"),
    ("<p>one</p><p>two</p>", " one  two "),
    ("caf\u00e9", "caf\u00e9"),
    ("\u212aelvin", "Kelvin"),
    ("x_y_z", "x_y_z"),
    ("<!-- note -->EH1 2AB", "EH1 2AB"),
]


@pytest.mark.parametrize(("source", "seen"), READER_FORMS)
def test_reader_form_is_what_a_reader_sees(source: str, seen: str) -> None:
    assert rt.reader_form(source).text == seen


@pytest.mark.parametrize("seed", range(4))
def test_reader_form_maps_every_unchanged_stretch_back_to_the_source(seed: int) -> None:
    """Anchors pair each change's start and end in the reader's text with the source's: between two changes, and
    before the first and after the last, the reader's text is the source's, character for character."""
    for text in texts(seed, 5000):
        got = rt.reader_form(text)
        anchors = [(0, 0), *got.anchors, (len(got.text), len(text))]
        assert anchors == sorted(anchors) and len(got.anchors) % 2 == 0, text
        for (out_end, src_end), (out_start, src_start) in zip(anchors[0::2], anchors[1::2], strict=True):
            assert got.text[out_end:out_start] == text[src_end:src_start], text


@pytest.mark.parametrize("seed", range(4))
def test_every_match_of_a_kind_holds_its_gate(seed: int) -> None:
    """A gate that missed part of a match would let a phone number or postcode through unreported."""
    found = 0
    for text in texts(100 + seed, 5000):
        reader = rt.reader_form(text).text
        for kind, gate in d._GATES.items():
            for mt in d._PATTERNS[kind].finditer(reader):
                found += 1
                assert gate.search(mt.group(0)) is not None, (kind, mt.group(0))
    assert found > 1000  # the generated texts do hold every kind


def test_the_same_text_in_many_fields_is_reported_at_each(tmp_path: Path) -> None:
    """One text in several records: its finds are worked out once, but reported in every field, in order."""
    site = tmp_path / "site"
    shutil.copytree(TINY, site)
    files = sorted((site / "site-data").rglob("*.yaml"))
    planted = 0
    for path in files:
        text = path.read_text()
        new = re.sub(r"(?m)^(\s*summary: )(?![|>]).*$", r"\1Call 0131 496 0123 or jo&#64;example.org", text)
        if new != text:
            path.write_text(new)
            planted += len(re.findall("0131 496 0123", new))
    assert planted >= 2
    _data, _derived, problems = check_site(site)
    found = [p for p in problems.sorted() if "must not be published" in p.message and "'summary'" in p.message]
    assert len(found) == 2 * planted  # the phone number and the e-mail address, in every field
    places = [(p.at.path, p.at.line) for p in found]
    assert len(set(places)) == planted
