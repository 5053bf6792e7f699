"""Personal details that must not be published, and the list of those that may.

`find_disclosures` is given the text as a reader sees it (reader_text.py: markup, entities and
invisible characters undone), and finds, in any case and with any separators, e-mail addresses, UK phone numbers, full UK postcodes,
dates of birth, National Insurance numbers and CHI numbers in a piece of text.
`site-data/allowed-disclosures.yaml` (optional) lists the few that are fine to
publish, such as an inspectorate's own address and enquiry line.

This module deliberately has no `from __future__ import annotations`: the
loader reads the field types below as real types (see convert.fields_of).
"""

import re
from dataclasses import dataclass

from generator.model.models import AllowedDisclosure
from generator.model.reader_text import reader_form


@dataclass(frozen=True)
class Disclosure:
    """One personal-looking detail found in text: its kind, where it starts and ends, and the text."""

    kind: str
    start: int
    end: int
    text: str


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{2,4}})?"
    rf"|{_MONTH}\.?\s+{_DAY}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{4}-\d{2}-\d{2})"
)

#: kind -> (pattern, how a reader is told what was found)
_PATTERNS: dict[str, re.Pattern[str]] = {
    "e-mail address": re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"),
    # before phone numbers: ten digits that start with a date are more likely a CHI number
    "CHI number": re.compile(r"(?<![\w.,/-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2} ?\d{4}(?![\w,/-]|\.\d)"),
    "phone number": re.compile(
        r"(?<![\w+])(?:"
        r"\+44[\s.-]?(?:\(0\)[\s.-]?)?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
        r"|\(0\d{2,4}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
        r"|0\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
        r")(?![\w])"
    ),
    "postcode": re.compile(r"(?i)\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b"),
    "date of birth": re.compile(rf"(?i)\b(?:born\s+on|date\s+of\s+birth|d\.?o\.?b\b\.?)\s*(?:[:\-–]|is|was)?\s*{_DATE}\b"),
    "National Insurance number": re.compile(
        r"(?i)\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
    ),
}
# An e-mail address written out so machines miss it ("jo dot bloggs at example dot com", "jo.bloggs [at]
# example.org") is still the person's address. "at" alone is ordinary prose ("available at www.gov.scot"), so an
# unbracketed "at" counts only when the address around it shows the disguise: a spelled "dot" after it, or a dot
# inside the name before it.
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)"
_WORD = r"[a-z0-9%+_-]+"
_SPELLED_EMAIL = re.compile(
    rf"(?i)(?<![\w.@-])(?P<name>{_WORD}(?:{_DOT}{_WORD})*)(?P<at>\s*[\[({{<]\s*at\s*[\])}}>]\s*|\s+at\s+)"
    rf"(?P<domain>{_WORD}(?:{_DOT}{_WORD})*{_DOT}[a-z]{{2,}})(?![\w-])"
)
#: the last part of a written-out address: prose ("looked at data dot points") ends in no such word
_TLD = re.compile(r"(?i)(?:com|org|net|gov|edu|info|scot|[a-z]{2})")
_SPELLED_DOT = re.compile(r"(?i)[\[({<]\s*dot\s*[\])}>]|\sdot\s")
# what any written-out address has (a spelled "dot", a bracketed "at", or "name.part at"): the full pattern runs only
# where one is, since " at " alone is in most texts
_DISGUISED = re.compile(r"(?i)dot|[\[({<] *at *[\])}>]|\.[a-z0-9]+ +at ")  # a gate, kept cheap: it runs on every text
_ANY = re.compile(r"[\d@]")
#: kind -> a piece of text every match of its pattern holds, with the same flags: a cheap search that lets the full
#: pattern (word boundaries, case-insensitive alternatives tried at every position) run only where it can match
_GATES: dict[str, re.Pattern[str]] = {
    "CHI number": re.compile(r"\d\d\d\d\d\d"),
    "phone number": re.compile(r"\+44|\(0\d|0\d\d"),  # no look-behind here: it would make the gate slow
    "postcode": re.compile(r"(?i)\d[ABD-HJLNP-UW-Z]{2}"),
    "date of birth": re.compile(r"(?i)b(?:orn|irth)|d\.?o\.?b"),
    "National Insurance number": re.compile(r"\d\d ?\d\d ?\d\d ?(?i:[A-D])"),
}
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]\"']+")


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    return "0" + digits[2:] if digits.startswith("44") else digits


def normalise(kind: str, text: str) -> str:
    """The form two spellings of the same detail share ('0131 123 4567' and '+44 131 123 4567')."""
    text = reader_form(text).text  # an allowed entry written with markup or invisible characters
    if kind == "phone number":
        return _phone_digits(text)
    if kind in ("postcode", "National Insurance number", "CHI number"):
        return re.sub(r"\s", "", text).upper()
    if kind == "e-mail address":
        return _plain_email(text)
    return " ".join(text.split()).lower()


def _plain_email(text: str) -> str:
    """'Jo dot Bloggs [at] example (dot) org' -> 'jo.bloggs@example.org' (a plain address is left as it is)."""
    text = re.sub(r"(?i)\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+", "@", text.strip())
    text = re.sub(r"(?i)\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+", ".", text)
    return "".join(text.split()).lower()


def _spelled_emails(text: str) -> list[Disclosure]:
    out = []
    for mt in _SPELLED_EMAIL.finditer(text):
        bracketed = "[" in mt["at"] or "(" in mt["at"] or "{" in mt["at"] or "<" in mt["at"]
        tld = re.split(r"(?i)\W+dot\W*|\.", mt["domain"])[-1]
        if not bracketed and not _TLD.fullmatch(tld):
            continue
        if bracketed or _SPELLED_DOT.search(mt["domain"]) or "." in mt["name"] or _SPELLED_DOT.search(mt["name"]):
            out.append(Disclosure("e-mail address", mt.start(), mt.end(), mt.group(0)))
    return out


def find_disclosures(text: str) -> list[Disclosure]:
    """Every personal-looking detail in `text`, in order; overlapping finds are reported once."""
    disguised = _DISGUISED.search(text) is not None
    if _ANY.search(text) is None and not disguised:
        return []  # every kind has a digit or an '@', but for an e-mail address written out
    urls: list[tuple[int, int]] | None = None  # found only when needed: most texts match nothing
    has_at = "@" in text
    found: list[Disclosure] = _spelled_emails(text) if disguised else []
    for kind, pattern in _PATTERNS.items():
        if kind == "e-mail address" and not has_at:
            continue
        gate = _GATES.get(kind)
        if gate is not None and gate.search(text) is None:
            continue
        for mt in pattern.finditer(text):
            if kind != "e-mail address":
                if urls is None:
                    urls = [(u.start(), u.end()) for u in _URL.finditer(text)]
                if any(a <= mt.start() < b for a, b in urls):
                    continue  # digits and capitals in a web address are not a phone number or postcode
            if kind == "phone number":
                digits = _phone_digits(mt.group(0))
                if len(digits) not in (10, 11) or digits[1] not in "1235789":
                    continue
            found.append(Disclosure(kind, mt.start(), mt.end(), mt.group(0)))
    found.sort(key=lambda d: (d.start, -d.end))
    out: list[Disclosure] = []
    for item in found:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


def is_allowed(item: Disclosure, allowed: list[AllowedDisclosure]) -> bool:
    value = normalise(item.kind, item.text)
    return any(normalise(item.kind, entry.text) == value for entry in allowed)
