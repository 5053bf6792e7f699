"""Lasting addresses: a renamed report without a redirect fails `generator check` and the build, naming
the address; with a redirect both pass, the old page sends the browser on, and the old data files
still answer. A redirect can never lead off the site."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .support import CHROMIUM, ROOT, edit, is_local, mkdocs_build, run_check, run_cli, serve_site

OLD, NEW = "perth-and-kinross-2022", "perth-and-kinross-2022-risk"
OLD_PAGE, NEW_PAGE = f"/inspections/{OLD}/", f"/inspections/{NEW}/"
SITE_URL = "https://reports.inspections.scot/"


def addresses(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("addresses", str(project), *extra)


def published_then_renamed(project: Path) -> Path:
    """Record the tiny site's addresses as published, then rename one report's id (its file name)."""
    result = addresses(project)
    assert result.returncode == 0, result.stderr
    listed = project / "site-data" / "addresses.yaml"
    assert f"  - {OLD_PAGE}\n" in listed.read_text()
    folder = project / "site-data" / "inspections"
    (folder / f"{OLD}.yaml").rename(folder / f"{NEW}.yaml")
    return listed


def add_redirects(listed: Path, lines: list[str]) -> None:
    edit(listed, "redirects: {}\n", "redirects:\n" + "".join(f"  {line}\n" for line in lines))


REDIRECTS = [f"{OLD_PAGE}: {NEW_PAGE}", f"/data/inspections/{OLD}.json: /data/inspections/{NEW}.json",
             f"/data/inspections/{OLD}.csv: /data/inspections/{NEW}.csv"]


def test_rename_without_redirect_fails_naming_the_address(tiny: Path, tmp_path: Path) -> None:
    listed = published_then_renamed(tiny)
    result = run_check(tiny)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(listed.read_text().splitlines(), 1) if text == f"  - {OLD_PAGE}")
    message = next(m for m in result.stderr.splitlines() if f"the address {OLD_PAGE} was published" in m)
    assert message.startswith(f"site-data/addresses.yaml:{line}:"), message
    # what to do, with the new address the check could tell
    assert f"`{OLD_PAGE}: {NEW_PAGE}`" in message and "restore the id" in message and "Rename a report" in message
    for data_file in (f"/data/inspections/{OLD}.json", f"/data/inspections/{OLD}.csv"):
        assert f"the address {data_file} was published" in result.stderr
    assert "3 error(s)" in result.stderr

    site = tmp_path / "site"
    build = mkdocs_build(tiny, site)
    assert build.returncode != 0 and f"the address {OLD_PAGE} was published" in build.stdout + build.stderr
    assert not site.exists(), "a failed build must not write site/"
    assert "Traceback" not in build.stderr

    # and the list is not rewritten around the breakage
    refused = addresses(tiny)
    assert refused.returncode == 1 and "nothing was written" in refused.stderr


def test_rename_with_redirect_passes_and_the_old_addresses_answer(tiny: Path, tmp_path: Path, browser) -> None:
    listed = published_then_renamed(tiny)
    add_redirects(listed, REDIRECTS)
    edit(tiny / "mkdocs.yml", "site_name: Tiny test site\n", f"site_name: Tiny test site\nsite_url: {SITE_URL}\n")
    check = run_check(tiny)
    assert check.returncode == 0, check.stderr
    site = tmp_path / "site"
    build = mkdocs_build(tiny, site)
    assert build.returncode == 0, build.stdout + build.stderr

    page = (site / "inspections" / OLD / "index.html").read_text()
    assert re.search(rf'<meta http-equiv="refresh" content="0; url=\.\./{NEW}/">', page), page
    assert f'<link rel="canonical" href="{SITE_URL}inspections/{NEW}/">' in page
    assert '<meta name="robots" content="noindex">' in page
    for suffix in ("json", "csv"):
        old = site / "data" / "inspections" / f"{OLD}.{suffix}"
        assert old.read_bytes() == (site / "data" / "inspections" / f"{NEW}.{suffix}").read_bytes()

    # Recording the addresses again keeps the old ones (and the redirects) and adds the new.
    assert addresses(tiny).returncode == 0
    text = listed.read_text()
    assert f"  - {OLD_PAGE}\n" in text and f"  - {NEW_PAGE}\n" in text and f"  {OLD_PAGE}: {NEW_PAGE}\n" in text

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `sh .ci/setup --browser`")
    with serve_site(site) as base:
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
        try:
            tab = context.new_page()
            tab.goto(base + OLD_PAGE.lstrip("/"))
            tab.wait_for_url(base + NEW_PAGE.lstrip("/"), timeout=10_000)
            assert "Perth and Kinross" in tab.locator("h1").first.inner_text()
        finally:
            context.close()


@pytest.mark.parametrize("target, says", [
    ("https://evil.example/", "not an address of this site (an address on this site, not a web address"),
    ("//evil.example/x/", "not an address of this site"),
    ("/inspections/../../x/", "not an address of this site"),
    ("/inspections/no-such-report/", "which is not an address of this build"),
    (f"/data/inspections/{NEW}.json", "a different kind of address"),
])
def test_a_redirect_goes_only_to_an_address_of_this_build(tiny: Path, target: str, says: str) -> None:
    listed = published_then_renamed(tiny)
    add_redirects(listed, [f"{OLD_PAGE}: {target}", *REDIRECTS[1:]])
    result = run_check(tiny)
    assert result.returncode == 1
    assert says in result.stderr, result.stderr
    assert re.search(r"^site-data/addresses\.yaml:\d+:\d+: error:", result.stderr, re.MULTILINE)


def test_a_redirect_from_a_live_address_is_refused(tiny: Path) -> None:
    assert addresses(tiny).returncode == 0
    add_redirects(tiny / "site-data" / "addresses.yaml", ["/inspections/fife-2023/: /inspections/fife-2016/"])
    result = run_check(tiny)
    assert result.returncode == 1 and "/inspections/fife-2023/ is still an address of this build" in result.stderr


def test_the_real_site_lists_its_addresses_and_every_one_resolves() -> None:
    """The committed list parses, and the check passes with it (every published address resolves)."""
    listed = ROOT / "site-data" / "addresses.yaml"
    assert listed.is_file()
    assert "  - /inspections/north-lanarkshire-2023/\n" in listed.read_text()
    assert run_check(ROOT).returncode == 0
