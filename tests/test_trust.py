"""Who publishes the site, under what licence: the footer, the About page, page metadata for shared
links, the example-address warning, and a built tree that holds nothing but what readers are meant to get."""

from __future__ import annotations

import html
import html.parser
import json
import re
from pathlib import Path

import pytest

from .support import copy_tiny, edit, mkdocs_build, text_of

SITE_URL = "https://reports.inspections.scot/"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
#: one page of every kind in the tiny site
PAGE_KINDS = {
    "home": "index.html",
    "partnership": "partnerships/fife/index.html",
    "inspection": "inspections/fife-2023/index.html",
    "review": "reviews/review-2021/index.html",
    "response": "responses/fife-response-2023/index.html",
    "letter": "letters/na-h-eileanan-siar-letter-2022/index.html",
    "programme": "programmes/risk-2021/index.html",
    "theme": "themes/leadership/index.html",
    "framework": "frameworks/qf-2019/index.html",
    "index": "partnerships/index.html",
    "reference": "glossary/index.html",
    "hand-written": "about/index.html",
    "not found": "404.html",
}


class Head(html.parser.HTMLParser):
    """The <meta> and <link> elements of a page's <head>, attributes unescaped as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.in_head = False
        if not self.in_head:
            return
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        if tag == "link":
            self.links.append(a)


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text())
    return parser


def footer_text(path: Path) -> str:
    source = path.read_text()
    part = source[source.index('<footer class="md-footer">'):source.index("</footer>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", part)).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_tiny(tmp_path_factory.mktemp("trust") / "project")
    edit(project / "mkdocs.yml", "site_name: Tiny test site",
         f"site_name: Tiny test site\nsite_url: {SITE_URL}\nsite_description: A tiny site's own description.")
    edit(project / "mkdocs.yml", "precompress: false", "precompress: true")  # test_text_files_have_precompressed_copies_that_match
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert "the Care Inspectorate's details are used (the default)" in result.stderr
    return project / "site"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_footer_names_publisher_contact_licence_and_statements(site: Path, kind: str) -> None:
    page = site / PAGE_KINDS[kind]
    text = footer_text(page)
    assert "Made with" not in text and "Material for MkDocs" not in text
    assert "Published by Care Inspectorate." in text
    assert "enquiries@careinspectorate.gov.scot" in text and "0345 600 9527" in text
    assert "All content is available under the Open Government Licence v3.0, except where otherwise stated." in text
    source = page.read_text()
    assert f'href="{OGL}" rel="license"' in source
    links = dict(re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', source[source.index('<footer class="md-footer">'):]))
    assert sorted(links.values()) == ["About this site", "Accessibility statement", "Open data", "Privacy"]
    for href in links:  # each resolves to a page of the site
        target = href.removeprefix(SITE_URL) if href.startswith(SITE_URL) else href
        resolved = (page.parent / target).resolve() if not href.startswith("/") else site / target.lstrip("/")
        assert (resolved / "index.html").is_file(), (kind, href)


def test_about_and_privacy_pages_say_who_publishes(site: Path) -> None:
    about = text_of(site / "about/index.html")
    assert "Publisher: Care Inspectorate" in about
    assert "post: Compass House, 11 Riverside Drive, Dundee DD1 4NY" in about
    assert "except where otherwise stated; © Care Inspectorate" in about and "Open Government Licence v3.0" in about
    privacy = text_of(site / "privacy/index.html")
    assert "it sets no cookies and uses no analytics" in privacy
    assert "Care Inspectorate publishes this site and answers questions about it at enquiries@careinspectorate.gov.scot" in privacy


def test_publisher_set_in_mkdocs_yml_replaces_the_default_everywhere(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "mkdocs.yml", "  - report-site:\n", "  - report-site:\n      publisher: {name: Fife & Co <Data>, email: data@fife.invalid}\n")
    result = mkdocs_build(tiny, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "(the default)" not in result.stderr
    site = tmp_path / "site"
    footer = footer_text(site / "inspections/fife-2023/index.html")
    assert "Published by Fife & Co <Data>. Contact: data@fife.invalid." in footer
    assert "Care Inspectorate" not in footer and "0345" not in footer  # nothing of the default mixed in
    assert "Fife &amp; Co &lt;Data&gt;" in (site / "index.html").read_text()
    assert json.loads((site / "data/evaluations.json").read_text())["data_publisher"] == "Fife & Co <Data>"
    assert "<name>Fife &amp; Co &lt;Data&gt;</name>" in (site / "feeds/publications.xml").read_text()


@pytest.mark.parametrize("kind", [k for k in PAGE_KINDS if k != "not found"])
def test_every_page_kind_has_its_own_description_and_card(site: Path, kind: str) -> None:
    meta = head(site / PAGE_KINDS[kind]).meta
    assert meta["description"] and meta["og:description"] == meta["description"] == meta["twitter:description"]
    assert meta["og:title"] == meta["twitter:title"] and meta["og:title"]
    assert meta["og:site_name"] == "Tiny test site" and meta["twitter:card"] == "summary"
    assert meta["og:url"].startswith(SITE_URL)
    assert meta["og:type"] == ("article" if kind in ("inspection", "review", "response", "letter") else "website")


def test_descriptions_come_from_the_data(site: Path) -> None:
    descriptions = {kind: head(site / path).meta.get("description") for kind, path in PAGE_KINDS.items()}
    assert len({descriptions[k] for k in PAGE_KINDS if k not in ("home", "hand-written", "not found")}) == len(PAGE_KINDS) - 3
    inspection = head(site / PAGE_KINDS["inspection"]).meta
    assert inspection["description"] == ("Inspection report about Fife, published 12 September 2023. "
                                         "Evaluations: 2.1 Very good (5); 2.2 not published.")
    assert inspection["og:title"] == "Joint inspection of services for children at risk of harm in Fife"
    assert inspection["article:published_time"] == "2023-09-12" and inspection["article:section"] == "Fife"
    assert head(site / PAGE_KINDS["partnership"]).meta["description"].startswith("Fife: 4 publications from joint inspections")


def test_a_publication_without_a_date_says_so(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "site-data/inspections/fife-2023.yaml", "published: 2023-09-12\n", "")
    result = mkdocs_build(tiny, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    meta = head(tmp_path / "site/inspections/fife-2023/index.html").meta
    assert meta["description"].startswith("Inspection report about Fife, publication date not published.")
    assert "article:published_time" not in meta


def test_metadata_is_escaped_like_every_other_data_text(tiny: Path, tmp_path: Path) -> None:
    evil = 'Fife "report" <script>alert(1)</script> & co'
    edit(tiny / "site-data/inspections/fife-2023.yaml", "title: Joint inspection of services for children at risk of harm in Fife",
         f"title: '{evil}'")
    edit(tiny / "site-data/partnerships/fife.yaml", "council: Fife Council", 'council: Fife Council"><b>x</b>')
    result = mkdocs_build(tiny, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "site/inspections/fife-2023/index.html"
    source = page.read_text()
    head_html = source[:source.index("<body")]
    assert "<script>alert" not in head_html and "<b>x" not in head_html
    meta = head(page).meta
    assert meta["og:title"] == meta["twitter:title"] == evil  # read back exactly, neither broken nor escaped twice


def test_a_build_with_an_example_address_warns(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "mkdocs.yml", "site_name: Tiny test site", "site_name: Tiny test site\nsite_url: https://example.org/inspections/")
    result = mkdocs_build(tiny, tmp_path / "site")
    assert result.returncode == 1
    assert "WARNING -  generator: site_url is https://example.org/inspections/, an address reserved for examples" in result.stderr
    assert not (tmp_path / "site").exists()
    # a site built for review before its address is decided says so in one line, and builds
    edit(tiny / "mkdocs.yml", "  - report-site:\n", "  - report-site:\n      example_site_url: note\n")
    result = mkdocs_build(tiny, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "INFO    -  generator: site_url is https://example.org/inspections/" in result.stderr


@pytest.mark.parametrize(("url", "example"), [
    ("https://example.org/inspections/", True), ("http://www.example.com", True), ("https://reports.example", True),
    ("http://localhost:8000/", True), ("http://127.0.0.1:8000/", True), ("https://site.test/", True),
    ("https://reports.inspections.scot/", False), ("https://www.careinspectorate.com/", False), ("https://example.org.uk/", False),
    (None, False),
])
def test_which_addresses_are_examples(url: str | None, example: bool) -> None:
    from generator.model.publisher import is_example_address

    assert is_example_address(url) is example


def test_feed_links_are_not_taken_for_translations(site: Path) -> None:
    """The theme's script reads every `link[rel=alternate]` as another language of the site and fetches
    sitemap.xml beside it (feeds/sitemap.xml: a 404 in every page's console). Feeds say `alternate feed`."""
    for kind, path in PAGE_KINDS.items():
        links = head(site / path).links
        if kind == "not found":
            assert not [a for a in links if "alternate" in a.get("rel", "").split()]
            continue
        feeds = [a for a in links if a.get("type") == "application/atom+xml"]
        assert feeds and all(a["rel"].split() == ["alternate", "feed"] for a in feeds), path
        assert not [a for a in links if a.get("rel") == "alternate"], path


# -- the built tree ---------------------------------------------------------------------------------

#: every file a reader may be sent, as patterns over the path inside site/ ({id} is one id)
ALLOWED = [
    r"404\.html", r"index\.html", r"(.+/)?index\.html",
    r"sitemap\.xml(\.gz)?",
    # our own CSS/JS under content-hashed names (generator/output/asset_names.py), as the theme's bundles
    r"assets/report-site\.[0-9a-f]{8}\.(css|js)", r"assets/images/favicon\.png",
    r"assets/stylesheets/(main|palette)\.[0-9a-f]{8}\.min\.css(\.map)?",
    r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js(\.map)?",
    r"assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js(\.map)?",
    r"assets/javascripts/lunr/(min/)?[a-z.]+\.js",
    # site search (generator/output/pagefind.py): its page's script and style, and Pagefind's bundle; no theme search index
    r"assets/report-site-search\.[0-9a-f]{8}\.(css|js)",
    # (one Pagefind bundle per folder: generator/output/search_bundles.py)
    r"pagefind/[a-z0-9]+/(pagefind[a-z-]*\.(js|css)|pagefind-entry\.json|pagefind\.en_[0-9a-f]+\.pf_meta|wasm\.[a-z]+\.pagefind)",
    r"pagefind/rs-bundles\.json",  # the bundles, the first loaded first (search_bundles.BUNDLES)
    r"pagefind/rs-filter-values\.json",  # the filters' values for the search page (search_bundles.FILTER_VALUES)
    r"pagefind/rs-words\.json",  # the words of the indexed pages, for "did you mean" (search_bundles.WORDS)
    r"pagefind/rs-order\.json",  # the dated pages newest first, across bundles (search_bundles.ORDER)
    r"pagefind/[a-z0-9]+/(filter|index)/en_[0-9a-f]+\.pf_(filter|index)",
    r"pagefind/(?P<b>[a-z0-9]+)/fragment/(?P=b)_en_[0-9a-f]+\.pf_fragment",  # a page's id names its bundle (name_pages)
    r"data/evaluations\.(csv|json|schema\.json)", r"data/partnerships\.(csv|json|schema\.json)", r"data/datapackage\.json",
    r"data/(inspections|reviews|responses|letters)/{id}\.(json|csv)",
    r"feeds/{id}\.xml",
    r"feeds/feed\.css",  # what shows a feed opened in a browser as a page (render.FEED_STYLESHEET), named by every feed
]
ALLOWED_RE = re.compile("(?:" + "|".join(f"(?:{p})" for p in ALLOWED).replace("{id}", r"[a-z0-9]+(?:-[a-z0-9]+)*") + r")(?:\.gz|\.br)?")


def expected_pages(project: Path) -> set[str]:
    """The page folders the tiny site's data and content call for."""
    data = project / "site-data"
    pages = {"", "about", "accessibility", "privacy", "partnerships", "publications", "programmes", "themes", "glossary",
             "evaluation-scale", "frameworks", "open-data", "updates", "search"}
    for folder in ("partnerships", "inspections", "reviews", "responses", "letters", "programmes", "frameworks"):
        pages |= {f"{folder}/{p.stem}" for p in (data / folder).glob("*.yaml")}
    themes = re.findall(r"^  - id: (\S+)", (data / "themes.yaml").read_text(), re.MULTILINE)
    assert themes
    pages |= {f"themes/{t}" for t in themes}
    # the tiny review's chapters (generator/derive/review_pages.py): its two statements with content, then what follows them
    pages |= {f"reviews/review-2021/{c}" for c in ("statement-1", "statement-2", "after-the-questions")}
    return pages


def test_built_tree_holds_only_what_readers_get(site: Path) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    unexpected = [f for f in files if not ALLOWED_RE.fullmatch(f)]
    assert unexpected == []
    assert not [f for f in files if f.endswith((".j2", ".md", ".yaml", ".yml", ".py", ".txt"))]
    assert not (site / "report-site").exists()  # page templates (they sit in the theme's custom_dir)
    pages = {f.removesuffix("index.html").rstrip("/") for f in files if f.endswith("index.html")}
    assert pages == expected_pages(site.parent)


def test_real_site_publishes_no_template(real_site: Path) -> None:
    """The same for the real site's configuration: overrides/ is the theme's custom_dir and holds the templates."""
    files = [p.relative_to(real_site).as_posix() for p in real_site.rglob("*") if p.is_file()]
    assert [f for f in files if not ALLOWED_RE.fullmatch(f)] == []


def test_text_files_have_precompressed_copies_that_match(site: Path) -> None:
    import gzip

    import brotli

    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js", ".json", ".xml", ".csv") and p.stat().st_size >= 256]
    assert len(texts) > 30
    for path in texts:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
    html_size = sum(p.stat().st_size for p in texts if p.suffix == ".html")
    br_size = sum(p.with_name(p.name + ".br").stat().st_size for p in texts if p.suffix == ".html")
    assert br_size < html_size / 3
