"""Long-cache names: the site's own CSS and JavaScript are published under a hash of their bytes, every
reference follows them, and a host that caches such names for a year (bench/precompressed_server.py) does."""

from __future__ import annotations

import hashlib
import html.parser
import re
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

from generator.output.asset_names import HASHED_NAME, asset_names, hashed_name, published_name, wants_hashed_name

from .support import ROOT, copy_tiny, edit, mkdocs_build

SITE_URL = "https://reports.inspections.scot/tiny/"


def sha8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def test_a_hashed_name_is_the_hash_of_the_bytes() -> None:
    assert hashed_name("assets/report-site.css", b"a{}") == f"assets/report-site.{sha8(b'a{}')}.css"
    assert hashed_name("assets/report-site.css", b"a{}") != hashed_name("assets/report-site.css", b"b{}")
    assert hashed_name("x.mjs", b"1") == f"x.{sha8(b'1')}.mjs"
    assert hashed_name("assets/report-site-search.js", b"") == f"assets/report-site-search.{sha8(b'')}.js"


def test_only_css_and_javascript_without_a_hash_are_renamed() -> None:
    assert wants_hashed_name("assets/report-site.js") and wants_hashed_name("assets/x.css") and wants_hashed_name("y.mjs")
    for uri in ("assets/javascripts/bundle.a5f9d56c.min.js", "assets/stylesheets/main.57a0d79d.min.css",
                "assets/report-site.0123abcd.css", "assets/images/favicon.png", "data/evaluations.json", "index.html"):
        assert not wants_hashed_name(uri), uri
    names = asset_names({"assets/a.css": b"a", "assets/b.0123abcd.js": b"b", "x.png": b"c"})
    assert names == {"assets/a.css": f"assets/a.{sha8(b'a')}.css"}
    assert published_name(names, "assets/a.css") == names["assets/a.css"]
    assert published_name(names, "assets/other.css") == "assets/other.css"
    assert HASHED_NAME.search(names["assets/a.css"]) and HASHED_NAME.search("bundle.a5f9d56c.min.js")


class Refs(html.parser.HTMLParser):
    """Every stylesheet, script and link address of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])


def refs(page: Path) -> Refs:
    parser = Refs()
    parser.feed(page.read_text())
    return parser


def local_target(site: Path, page: Path, href: str, site_url: str = SITE_URL) -> Path | None:
    """The file a page's address leads to in the built site, or None for another site's address."""
    href = href.split("#")[0].split("?")[0]
    path = "/" + site_url.split("://", 1)[1].partition("/")[2]  # /tiny/
    if href.startswith(site_url):
        return site / href.removeprefix(site_url)
    if re.match(r"^[a-z]+:|^//", href):
        return None
    if href.startswith("/"):  # the 404 page's addresses start at the root (it is served at any depth)
        return site / href.removeprefix(path) if href.startswith(path) else Path("/nonexistent") / href
    return (page.parent / href).resolve()


def assert_every_asset_resolves(site: Path, site_url: str = SITE_URL) -> int:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    count = 0
    for page in pages:
        for href in refs(page).assets:
            target = local_target(site, page, href, site_url)
            assert target is None or target.is_file(), (page.relative_to(site).as_posix(), href)
            count += target is not None
    return count


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site with its own extra_css and extra_javascript (one a module) and a Markdown link to the style
    sheet. Scripts may not sit in content/ (generator/model/content_files.py): they are the theme's custom_dir's, here a
    copy of overrides/."""
    project = copy_tiny(tmp_path_factory.mktemp("assets") / "project")
    shutil.copytree(ROOT / "overrides", project / "theme")
    config = (project / "mkdocs.yml").read_text().replace((ROOT / "overrides").as_posix(), (project / "theme").as_posix())
    assert config.count((project / "theme").as_posix()) == 2
    (project / "mkdocs.yml").write_text(config)
    edit(project / "mkdocs.yml", "site_name: Tiny test site",
         f"site_name: Tiny test site\nsite_url: {SITE_URL}\n"
         "extra_css: [assets/tiny.css]\n"
         "extra_javascript: [assets/tiny.js, {path: assets/tiny-module.mjs, type: module}, https://cdn.example.org/x.js]")
    (project / "content/assets").mkdir()
    (project / "content/assets/tiny.css").write_text(".rs-tiny { color: #0b0c0c; }\n")
    (project / "theme/assets/tiny.js").write_text("document.documentElement.dataset.tiny = 'yes';\n")
    (project / "theme/assets/tiny-module.mjs").write_text("export const tiny = 1;\n")
    about = project / "content/about.md"
    about.write_text(about.read_text() + "\n\nThe [site's style sheet](assets/tiny.css).\n")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_own_assets_are_published_only_under_the_hash_of_their_bytes(site: Path) -> None:
    sources = {
        "assets/tiny.css": site.parent / "content/assets/tiny.css",
        "assets/tiny.js": site.parent / "theme/assets/tiny.js",
        "assets/tiny-module.mjs": site.parent / "theme/assets/tiny-module.mjs",
        # from the theme's custom_dir (overrides/assets): the search page's and the enhancements' scripts
        "assets/report-site-search.css": ROOT / "overrides/assets/report-site-search.css",
        "assets/report-site-search.js": ROOT / "overrides/assets/report-site-search.js",
        "assets/report-site.js": ROOT / "overrides/assets/report-site.js",
    }
    for uri, source in sources.items():
        data = source.read_bytes()
        stem, _, suffix = uri.rpartition(".")
        published = site / f"{stem}.{sha8(data)}.{suffix}"
        assert published.read_bytes() == data, uri
        assert not (site / uri).exists(), f"{uri} is also published under its old name"
    # the theme's own files keep the names the theme gave them
    assert list(site.glob("assets/javascripts/bundle.*.min.js")) and list(site.glob("assets/stylesheets/main.*.min.css"))


def test_every_page_loads_its_assets_under_their_published_names(site: Path) -> None:
    assert assert_every_asset_resolves(site) > 10
    home = refs(site / "index.html").assets
    css = sha8((site.parent / "content/assets/tiny.css").read_bytes())
    js = sha8((site.parent / "theme/assets/tiny.js").read_bytes())
    mjs = sha8((site.parent / "theme/assets/tiny-module.mjs").read_bytes())
    assert f"assets/tiny.{css}.css" in home and f"assets/tiny.{js}.js" in home and f"assets/tiny-module.{mjs}.mjs" in home
    assert "https://cdn.example.org/x.js" in home  # another site's address is left alone
    assert re.search(rf'<script src="assets/tiny-module\.{mjs}\.mjs" type="module"></script>', (site / "index.html").read_text())
    search = refs(site / "search/index.html").assets
    for name in ("report-site-search.css", "report-site-search.js"):
        stem, _, suffix = name.rpartition(".")
        digest = sha8((ROOT / "overrides/assets" / name).read_bytes())
        assert f"../assets/{stem}.{digest}.{suffix}" in search, name


def test_markdown_links_to_an_asset_follow_its_name(site: Path) -> None:
    about = site / "about/index.html"
    (link,) = [h for h in refs(about).links if "tiny" in h]
    assert re.fullmatch(r"\.\./assets/tiny\.[0-9a-f]{8}\.css", link) and local_target(site, about, link).is_file()


def test_a_host_caches_hashed_names_for_a_year_and_nothing_else(site: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from precompressed_server import serve
    finally:
        sys.path.remove(str(ROOT / "bench"))
    ours = next(site.glob("assets/report-site.*.js")).relative_to(site).as_posix()
    theirs = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    with serve(site, "/tiny/") as base:
        def cache(path: str) -> str:
            request = urllib.request.Request(base + path, method="HEAD", headers={"Accept-Encoding": "br"})
            with urllib.request.urlopen(request) as answer:
                return answer.headers["Cache-Control"]
        assert cache(ours) == cache(theirs) == "public, max-age=31536000, immutable"
        assert cache("") == cache("search/") == cache("assets/images/favicon.png") == "no-cache"


def test_the_real_site_loads_every_asset_under_a_hashed_name(real_site: Path) -> None:
    site = real_site
    assets = refs(site / "index.html").assets
    own = [a for a in assets if "report-site" in a]
    assert len(own) == 2 and all(HASHED_NAME.search(a) for a in own), own
    css = sha8((ROOT / "content/assets/report-site.css").read_bytes())
    assert f"assets/report-site.{css}.css" in own
    assert not (site / "assets/report-site.css").exists() and not (site / "assets/report-site.js").exists()
    site_url = re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)[1]
    assert assert_every_asset_resolves(site, site_url) > 100
