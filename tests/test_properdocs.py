"""ProperDocs, the maintained continuation of MkDocs 1.x, as a second front end (issue 16).

`.ci/setup` installs it in its own virtual env, `.venv-properdocs/` (from
`requirements-properdocs.lock`, without MkDocs: ProperDocs answers `import mkdocs.*` itself, so
Material and this plugin run on it unchanged). The real site must build with it under `--strict`,
and the two sites may differ only where listed here, each difference explained.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from .support import ROOT

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"

#: (what differs, why): the only differences allowed between the two builds of the real site
EXPLAINED = [
    # Material writes the front end's name and version into every page's <head>.
    (re.compile(rb'<meta name="generator" content="mkdocs-(?:1\.6\.1|ProperDocs 1\.6\.7), '), b'<meta name="generator" content="FRONT END, '),
]


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix in (".gz", ".br"):  # precompressed copies: compare what they hold
        import gzip

        import brotli

        data = gzip.decompress(data) if path.suffix == ".gz" else brotli.decompress(data)
    for pattern, replacement in EXPLAINED:
        data = pattern.sub(replacement, data)
    return data


@pytest.mark.slow
def test_real_site_builds_with_properdocs_as_with_mkdocs(real_site: Path) -> None:
    assert PROPERDOCS.exists(), "ProperDocs is not installed: run `sh .ci/setup` (it creates .venv-properdocs/)"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # beside the MkDocs build, on the same filesystem: Pagefind numbers the pages in the order the folders list them
    work = Path(tempfile.mkdtemp(prefix="properdocs-", dir=real_site.parent))
    # the copy of the project the MkDocs build was made from (conftest.real_site), with its cache
    project = real_site.parent / "project"
    proper = subprocess.run([str(PROPERDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(work / "properdocs")],
                            capture_output=True, text=True, env=env, timeout=600)
    assert proper.returncode == 0, proper.stderr
    assert "WARNING" not in proper.stderr, proper.stderr
    assert "ProperDocs" in (work / "properdocs/index.html").read_text(), "the build did not run on ProperDocs"
    tmp_path = work
    (work / "mkdocs").symlink_to(real_site)

    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}

    ours, theirs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert ours == theirs, {"only MkDocs": sorted(ours - theirs), "only ProperDocs": sorted(theirs - ours)}
    differ = [name for name in sorted(ours) if normalised(tmp_path / "mkdocs" / name) != normalised(tmp_path / "properdocs" / name)]
    assert differ == [], differ
    raw = [name for name in sorted(ours) if (tmp_path / "mkdocs" / name).read_bytes() != (tmp_path / "properdocs" / name).read_bytes()]
    assert raw, "no page names its front end: the explained difference is gone, update EXPLAINED"
