"""Links between pages of the generated site, and the one rule that turns a name into a part of an address."""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=65536)
def relative_link(path: str, current: str) -> str:
    """`path` relative to the folder of the page `current` (both docs paths); posixpath.relpath's
    result, without its two os.getcwd() calls, which showed in profiles of thousands of links."""
    parts, base = path.split("/"), current.split("/")[:-1]
    common = 0
    while common < min(len(parts) - 1, len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def slugify(name: str) -> str:
    """The stable id or address part for a name, the one rule for every id the site makes or suggests:
    'Perth and Kinross' -> 'perth-and-kinross', 'Na h-Eileanan Siar' -> 'na-h-eileanan-siar', 'Fife 2023' -> 'fife-2023'."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
