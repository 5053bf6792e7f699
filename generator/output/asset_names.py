"""Long-cache names for the site's own CSS and JavaScript: a hash of each file's bytes in its name.

The theme's bundles already carry one (`bundle.a5f9d56c.min.js`); ours get the same form in the
built site: `assets/report-site.css` is published as `assets/report-site.1a2b3c4d.css`. The name
changes whenever the bytes do, so a host may tell browsers to keep every such file for a year
(`Cache-Control: immutable`) and a reader never runs a stale copy against a new page.

Which files: every CSS and JavaScript file of the site's own (docs_dir and the theme's custom_dir,
not the theme's), unless its name already holds a hash. What refers to them follows: `extra_css`
and `extra_javascript`, Markdown links (MkDocs links to a file's published address), and our
templates, which name such files through the `rs_asset` filter (`published_name`). This module
knows nothing of MkDocs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

#: hex digits of the SHA-256 of the bytes kept in the name (the theme's bundles have 8 too)
HASH_LENGTH = 8
#: a name that already holds a content hash (the theme's, or one this module gave)
HASHED_NAME = re.compile(r"\.[0-9a-f]{8}(?:\.min)?\.(?:css|m?js)$")
SUFFIXES = (".css", ".js", ".mjs")


def wants_hashed_name(uri: str) -> bool:
    """A CSS or JavaScript file whose name holds no hash yet."""
    return uri.endswith(SUFFIXES) and not HASHED_NAME.search(uri)


def hashed_name(uri: str, content: bytes) -> str:
    """`assets/report-site.css` -> `assets/report-site.<first 8 hex digits of its SHA-256>.css`."""
    stem, _, suffix = uri.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}.{suffix}"


def asset_names(contents: Mapping[str, bytes]) -> dict[str, str]:
    """The published name of each file that wants one (its path in the site -> its bytes)."""
    return {uri: hashed_name(uri, data) for uri, data in contents.items() if wants_hashed_name(uri)}


def published_name(names: Mapping[str, str], path: str) -> str:
    """The name a file is published under (the `rs_asset` template filter); other files keep theirs."""
    return names.get(path, path)
