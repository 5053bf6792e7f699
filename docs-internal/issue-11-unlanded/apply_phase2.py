import re, sys
root = "/work/wt/i11/generator/"
def sub(path, old, new, count=1):
    p = root + path
    s = open(p).read()
    assert old in s, (path, old[:60])
    s = s.replace(old, new, count)
    open(p, "w").write(s)

# --- placeholders: found once, checked once, numbers bounded ---
sub("placeholders.py", '''def find_placeholders(text: str) -> list[Placeholder]:
    """Every `{{ ... }}` outside code, parsed (parsing never fails: problems are recorded on the result)."""
    if "{{" not in text:
        return []  # most texts: skip finding code spans, the costly part
    skip = code_spans(text)''', '''def find_placeholders(text: str, skip: list[tuple[int, int]] | None = None) -> list[Placeholder]:
    """Every `{{ ... }}` outside code, parsed (parsing never fails: problems are recorded on the result).
    `skip`: the text's code spans, when the caller has them already (text_pass.py)."""
    if "{{" not in text:
        return []  # most texts: skip finding code spans, the costly part
    skip = code_spans(text) if skip is None else skip''')
sub("placeholders.py", '''def unclosed_braces(text: str) -> list[int]:
    """Offsets of `{{` outside code that no `}}` closes on the same line."""
    if "{{" not in text:
        return []
    skip = code_spans(text)''', '''def unclosed_braces(text: str, skip: list[tuple[int, int]] | None = None) -> list[int]:
    """Offsets of `{{` outside code that no `}}` closes on the same line."""
    if "{{" not in text:
        return []
    skip = code_spans(text) if skip is None else skip''')
sub("placeholders.py", '''        if not re.fullmatch(r"\\d+", value):
            problems.append((where_of[key], f"{key} must be a whole number, not '{value}'"))''', '''        if not re.fullmatch(r"\\d+", value):
            problems.append((where_of[key], f"{key} must be a whole number, not '{value[:40]}'"))
        elif len(value) > MAX_DIGITS:
            problems.append((where_of[key], f"{key} has {len(value)} digits: a grade has at most {MAX_DIGITS}"))''')
sub("placeholders.py", '''    if ph.kind is None or check(ph, data):
        return None
    spec = COUNTS[ph.name or ""]
    return str(spec.count(data, {key: val for key, val, _where in ph.args}))''', '''    if ph.kind is None or check(ph, data):
        return None
    return count_of(ph, data)


def count_of(ph: Placeholder, data: SiteData) -> str:
    """The number a placeholder that `check` passed stands for."""
    spec = COUNTS[ph.name or ""]
    return str(spec.count(data, {key: val for key, val, _where in ph.args}))''')
sub("placeholders.py", "from . import models as m\n", "from . import models as m\nfrom .limits import MAX_DIGITS\n")

# --- numbers and dates ---
sub("convert.py", '''        if node.plain and _INT.match(text):
            return int(text)''', '''        if node.plain and _INT.match(text):
            if len(text.lstrip("+-")) > MAX_DIGITS:  # Python reads at most 4,300 digits; no field needs 10
                problems.add(node.at, f"{what} has {len(text.lstrip('+-'))} digits: whole numbers here have at most {MAX_DIGITS}")
                return _BAD
            return int(text)''')
sub("convert.py", "from .dates import PartialDate\n", "from .dates import PartialDate\nfrom .limits import MAX_DIGITS\n")
sub("grades.py", '''    if text.lstrip("+-").isdigit():''', '''    if text.lstrip("+-").isdigit() and len(text) <= 9:  # longer: not a level of any scale (int() stops at 4,300)''')
sub("dates.py", '''        assert year is not None
''', '''        assert year is not None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"{text!r}: the year must be from {FIRST_YEAR} to {LAST_YEAR}")
''')
sub("dates.py", '''_PATTERN = re.compile''', '''#: the years a date may have (the joint inspections began in 2005; Python's dates start at year 1)
FIRST_YEAR, LAST_YEAR = 1900, 2100
_PATTERN = re.compile''')
sub("check.py", "    check_summaries(list(data.publications.values()), problems)  # summaries for families that are hard to read\n",
    "    check_summaries(list(data.publications.values()), problems)  # summaries for families that are hard to read\n"
    "    problems.extend(check_future_dates(data))  # a published record dated after today\n")
sub("check.py", "from .load import LoadCache, SiteData, load_site_data\n", "from .limits import check_future_dates\nfrom .load import LoadCache, SiteData, load_site_data\n")

# --- disclosures: what a reader sees, any case, any separator ---
sub("disclosures.py", '''        r"\\+44[\\s-]?(?:\\(0\\)[\\s-]?)?\\d{2,4}[\\s-]?\\d{3,4}[\\s-]?\\d{3,4}"
        r"|\\(0\\d{2,4}\\)[\\s-]?\\d{3,4}[\\s-]?\\d{3,4}"
        r"|0\\d{2,4}[\\s-]?\\d{3,4}[\\s-]?\\d{3,4}"''', '''        r"\\+44[\\s.-]?(?:\\(0\\)[\\s.-]?)?\\d{2,4}[\\s.-]?\\d{3,4}[\\s.-]?\\d{3,4}"
        r"|\\(0\\d{2,4}\\)[\\s.-]?\\d{3,4}[\\s.-]?\\d{3,4}"
        r"|0\\d{2,4}[\\s.-]?\\d{3,4}[\\s.-]?\\d{3,4}"''')
sub("disclosures.py", '''    "postcode": re.compile(r"\\b(?:[A-Z]{1,2}\\d[A-Z\\d]?|GIR) ?\\d[ABD-HJLNP-UW-Z]{2}\\b"),''',
    '''    "postcode": re.compile(r"(?i)\\b(?:[A-Z]{1,2}\\d[A-Z\\d]?|GIR) ?\\d[ABD-HJLNP-UW-Z]{2}\\b"),''')
sub("disclosures.py", '''        r"\\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b"''',
    '''        r"(?i)\\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b"''')
sub("disclosures.py", '''    if kind == "phone number":
        return _phone_digits(text)''', '''    text = reader_form(text).text  # an allowed entry written with markup or invisible characters
    if kind == "phone number":
        return _phone_digits(text)''')
sub("disclosures.py", "from .models import Record\n", "from .models import Record\nfrom .reader_text import reader_form\n")
sub("disclosures.py", '''`find_disclosures` finds e-mail addresses''', '''`find_disclosures` is given the text as a reader sees it (reader_text.py: markup, entities and
invisible characters undone), and finds, in any case and with any separators, e-mail addresses''')
print("ok")

# --- narrative_checks: every check reads one TextPass per text ---
p = root + "narrative_checks.py"
s = open(p).read()
start = s.index("class LineIndex:")
end = s.index("# --- proportion words")
s = s[:start] + '''def check_text(data: SiteData, pages: Sequence[ContentPage] = ()) -> Problems:
    """Every text check, over every narrative, every hand-written page of content/ and every YAML text field.
    Each text is prepared once (text_pass.py); every check reads that one preparation."""
    problems = Problems()
    allowed = data.allowed_disclosures
    for pub_id, narrative in data.narratives.items():
        pub = data.publications.get(pub_id)
        text = TextPass.of_file(narrative.path, narrative.text, data)
        check_placeholders(text, problems)
        words = proportion_words_for(data, pub) if pub else None
        if words is not None:
            check_proportions(text, words, problems)
        check_disclosures(text, allowed, problems)
        check_depth(text, problems)
        if pub is not None and pub.status != "draft":
            check_todo(text, _todo_message("this paragraph", True), problems)
    narrative_paths = {n.path for n in data.narratives.values()}
    for page in pages:  # every published Markdown page of content/ (check_content has read them)
        if page.path in narrative_paths:
            continue
        text = TextPass.of_file(page.path, page.text, data)
        check_disclosures(text, allowed, problems)
        check_depth(text, problems)
        check_todo(text, _todo_message("this page", None), problems)
        for found in text.placeholders:
            if found.kind == "count":
                problems.add(text.at(found.start), "placeholders work only in the narratives of publications "
                                                   "(content/narrative/); on this page it would be shown as written", "warning")
    check_yaml_text(data, problems)
    return problems


def check_todo(text: TextPass, message: str, problems: Problems, prefix: str = "") -> None:
    for mt in _TODO.finditer(text.source):
        problems.add(text.at(mt.start()), prefix + message, "warning")
        if prefix:
            return  # a field is one place: once is enough


def check_depth(text: TextPass, problems: Problems, prefix: str = "") -> None:
    for at, message in markup_depth(text.source, text.at):
        problems.add(at, prefix + message)


# --- placeholders -------------------------------------------------------------------------


def check_placeholders(text: TextPass, problems: Problems) -> None:
    source = text.source
    heading_lines = {text.at(mt.start()).line for mt in re.finditer(r"(?m)^## ", source)} if text.placeholders else set()
    for found in text.placeholders:
        at = text.at(found.start)
        if found.kind is None:
            problems.add(at, f"'{found.raw[:80]}' is not a placeholder, so it will be shown exactly as written. Placeholders "
                             "look like '{{ count: NAME key=value }}' (see the editors' guide); to show braces on purpose "
                             "write \\\\{{ or put them in `backticks`", "warning")
            continue
        for offset, message in text.placeholder_problems[found.start]:
            problems.add(text.at(found.start + offset), f"placeholder '{found.raw[:80]}': {message}")
        if at.line in heading_lines:
            problems.add(at, "placeholders cannot be used in '## ' headings (they name the page's sections): move it into the text")
    for start in ph.unclosed_braces(source, skip=text.code):
        problems.add(text.at(start), "'{{' is not closed by '}}' on the same line, so it will be shown as written", "warning")


''' + s[end:]
s = s.replace('''def check_proportions(text: str, index: LineIndex, data: SiteData, words: m.ProportionWords, problems: Problems) -> None:
    expanded, anchors = ph.expand_with_map(text, data)
    for claim in find_proportion_claims(expanded, words):
        if not fits(claim.band, claim.percent):
            problems.add(index.at(ph.original_offset(anchors, claim.start)), _proportion_message(claim, words))''',
'''def check_proportions(text: TextPass, words: m.ProportionWords, problems: Problems, prefix: str = "") -> None:
    prose, anchors = text.prose  # valid placeholders are checked as the numbers they stand for
    for claim in find_proportion_claims(prose, words, masked=True):
        if not fits(claim.band, claim.percent):
            problems.add(text.at(ph.original_offset(anchors, claim.start)), prefix + _proportion_message(claim, words))''')
s = s.replace('''def find_proportion_claims(text: str, words: m.ProportionWords) -> list[ProportionClaim]:
    """Every proportion word paired with a figure under the PROXIMITY rule, with offsets into `text`."""''',
'''def find_proportion_claims(text: str, words: m.ProportionWords, *, masked: bool = False) -> list[ProportionClaim]:
    """Every proportion word paired with a figure under the PROXIMITY rule, with offsets into `text`
    (`masked`: `text` is already TextPass.prose, with code, addresses and braces blanked)."""''')
s = s.replace("    masked = _mask(text)\n    claims: list[ProportionClaim] = []", "    masked = text if masked else _mask(text)\n    claims: list[ProportionClaim] = []")
assert "masked = text if masked else _mask(text)" in s
s = s.replace('''def check_disclosures(text: str, index: LineIndex, allowed: list[AllowedDisclosure], problems: Problems) -> None:
    for item in find_disclosures(text):
        if not is_allowed(item, allowed):
            problems.add(index.at(item.start), _disclosure_message(item.kind, item.text))''',
'''def check_disclosures(text: TextPass, allowed: list[AllowedDisclosure], problems: Problems, prefix: str = "") -> None:
    reader = text.reader  # what a reader sees: entities, markup and invisible characters undone
    for item in find_disclosures(reader.text):
        if not is_allowed(item, allowed):
            problems.add(text.at(reader.source_offset(item.start)), prefix + _disclosure_message(item.kind, item.text))''')
old = s[s.index("def check_yaml_text"):s.index("def _todo_message")]
s = s.replace(old, '''def check_yaml_text(data: SiteData, problems: Problems) -> None:
    allowed = data.allowed_disclosures
    for top, published in _records(data):
        words = proportion_words_for(data, top) if isinstance(top, m.Publication) else None
        for record, name, i, source in _strings(top):
            where = f"'{name}'" + (f" (item {i + 1})" if i is not None else "") + ": "
            text = TextPass.of_field(source, data, record.pos(name))
            if words is not None and "(" in source:
                check_proportions(text, words, problems, where)
            check_disclosures(text, allowed, problems, where)
            check_depth(text, problems, where)
            if published:
                check_todo(text, _todo_message("this field", isinstance(top, m.Publication)), problems, where)
            if any(found.kind == "count" for found in text.placeholders):
                problems.add(text.at(0), f"{where}placeholders work only in narrative Markdown (content/); here it would be "
                                         "shown as written: write the number, or move the sentence into the narrative", "warning")


''')
s = s.replace('''def _todo_message(what: str, publication: bool) -> str:
    when = ("before publishing (drafts, status: draft, may keep it)" if publication
            else "before you build the site (this kind of record has no draft status: it is published as soon as it exists)")''',
'''def _todo_message(what: str, publication: bool | None) -> str:
    when = ("before publishing (drafts, status: draft, may keep it)" if publication
            else "before you build the site (pages in content/ are published as they are)" if publication is None
            else "before you build the site (this kind of record has no draft status: it is published as soon as it exists)")''')
s = s.replace('_FRAC = re.compile(r"(?<![\\d.,])(\\d+)\\s+(?:out\\s+)?of\\s+(?:the\\s+|all\\s+)?(\\d+)(?![\\d.,])", re.I)',
              '_FRAC = re.compile(r"(?<![\\d.,])(\\d{1,9})\\s+(?:out\\s+)?of\\s+(?:the\\s+|all\\s+)?(\\d{1,9})(?![\\d.,])", re.I)')
assert "(\\d{1,9})" in s
s = s.replace("import bisect\nimport math", "import math")
s = s.replace("from .errors import Position, Problems\n", "from .errors import Problems\nfrom .limits import markup_depth\n")
s = s.replace("from .load import SiteData\n", "from .load import SiteData\nfrom .text_pass import LineIndex, TextPass\n")
s = s.replace('''- Unfinished text: the word TODO left by `python -m generator new` in anything
  that is published (drafts may keep it).''', '''- Unfinished text: the word TODO left by `python -m generator new` in anything
  that is published (drafts may keep it).
- Markup depth: emphasis nested too deep to be shown (limits.py).

Each text (a narrative, a page, a field) is prepared once, in a TextPass (text_pass.py);
every check above reads that one preparation. Personal details are looked for in the
text as a reader sees it (reader_text.py).''')
open(p, "w").write(s)

# text_pass: fields are not expanded
sub("text_pass.py", '''    _cache: dict[str, object] = field(default_factory=dict, repr=False)
''', '''    expand: bool = True
    """Whether valid placeholders stand for numbers (narratives) or are shown as written (YAML fields)."""
''')
sub("text_pass.py", '''        return cls(text, data, lambda _offset: at)''', '''        return cls(text, data, lambda _offset: at, expand=False)''')
sub("text_pass.py", '''        return {found.start: ph.count_of(found, self.data) for found in self.placeholders''', '''        if not self.expand:
            return {}
        return {found.start: ph.count_of(found, self.data) for found in self.placeholders''')
sub("text_pass.py", "from dataclasses import dataclass, field\n", "from dataclasses import dataclass\n")
print("ok2")

# --- Markdown data fields: raw HTML balanced ---
sub("render.py", '''    return Markup(value.strip() if value else "")''', '''    if not value:
        return Markup("")
    text = value.strip()
    if _RAW_HTML.search(text):
        # Raw HTML in a data field is cleaned and balanced here, on its own: an unclosed <script>, <style>
        # or <body> would otherwise swallow everything after it on the page when the page is sanitised.
        text = sanitize_html(text)
    return Markup(text)''')
sub("render.py", "_SPACES = re.compile(r\"\\s+\")\n", "_SPACES = re.compile(r\"\\s+\")\n_RAW_HTML = re.compile(r\"<[A-Za-z!/?]\")\n")

# --- links in narratives, reported at the narrative's line ---
p = root + "site_paths.py"
s = open(p).read()
s = s.replace('''    for page in pages:
        if page.src_uri in claimed:''', '''    problems.extend(check_narrative_links(derived, set(claimed) | {p.src_uri for p in pages}, derived.data.root / content_dir))
    for page in pages:
        if page.src_uri in claimed:''')
s += '''

_LINK = re.compile(r"\\[[^\\]\\n]*\\]\\(\\s*<?(?P<target>[^)\\s>]+)>?(?:\\s+\\"[^\\"]*\\")?\\s*\\)")


def check_narrative_links(derived: Derived, known: set[str], content_root: Path) -> Problems:
    """A link in a narrative that leads nowhere, reported at the narrative's own line (MkDocs can name only
    the generated page the narrative is shown on). Links are relative to that page."""
    problems = Problems()
    for pub in derived.publications:
        narrative = derived.data.narratives.get(pub.id)
        if narrative is None or "](" not in narrative.text:
            continue
        text = narrative.text
        code = ph.code_spans(text)
        page = page_path(pub)
        index = LineIndex(narrative.path, text)
        for mt in _LINK.finditer(text):
            target = mt.group("target")
            if any(a <= mt.start() < b for a, b in code) or re.match(r"(?i)[a-z][a-z0-9+.-]*:|[#/]", target):
                continue
            path = target.split("#")[0].split("?")[0]
            if not path.endswith(".md"):
                continue  # addresses of files and folders: MkDocs checks them against the built site
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if resolved in known or (content_root / resolved).is_file():
                continue
            name = posixpath.basename(path)
            guesses = sorted(k for k in known if posixpath.basename(k) == name)
            hint = f"; did you mean '{relative_link(guesses[0], page)}'?" if guesses else ""
            problems.add(index.at(mt.start("target")),
                         f"link '{target}' leads to no page: this narrative is shown on {page}, and its links are "
                         f"relative to that page{hint}", "warning")
    return problems
'''
s = s.replace("from collections.abc import Sequence\n", "import posixpath\nimport re\nfrom collections.abc import Sequence\nfrom pathlib import Path\n")
s = s.replace("from . import models as m\n", "from . import models as m\nfrom . import placeholders as ph\n")
s = s.replace("from .render import ALL_PUBLICATIONS_FEED, INDEX_PAGES, page_specs, partnership_feed\n",
              "from .render import ALL_PUBLICATIONS_FEED, INDEX_PAGES, page_path, page_specs, partnership_feed\nfrom .text_pass import LineIndex\nfrom .urls import relative_link\n")
open(p, "w").write(s)
print("ok3")
sub("disclosures.py", r'''\d{2} ?\d{4}(?![\w.,/-])"),''', r'''\d{2} ?\d{4}(?![\w,/-]|\.\d)"),''')
print("ok4")
