"""Links between pages of the generated site."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=65536)
def relative_link(path: str, current: str) -> str:
    """`path` relative to the folder of the page `current` (both docs paths); posixpath.relpath's
    result, without its two os.getcwd() calls, which showed in profiles of thousands of links."""
    parts, base = path.split("/"), current.split("/")[:-1]
    common = 0
    while common < min(len(parts) - 1, len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])
