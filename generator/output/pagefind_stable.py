"""Make Pagefind's bundle byte-reproducible: the same site gives the same index files.

Pagefind 1.5 writes its filter chunks, the filter list in its metadata chunk and therefore the
metadata's file name (in `pagefind-entry.json`) in hash-map order, which changes from run to run
(upstream issue #638: "other files will still change, such as the filter/metadata indexes"; the
source says "TODO: Change filter indexes to BTree to give them a stable hash"). No option turns
this off, so after Pagefind has run, `stabilise` rewrites those files in sorted order:

- each filter chunk: its values sorted (the pages under each value are already in page order);
- the metadata chunk: its filter list and sort list sorted by name;
- every rewritten chunk is gzipped without a timestamp and named after a hash of its content, as
  Pagefind names them, and the names are updated where they are referred to (metadata, entry file).

Only the order changes: the same values, the same pages, the same words. The browser library
reads the chunks by the names the metadata gives, so search works as before (tests/test_search.py).
The chunks are CBOR (RFC 8949) behind Pagefind's `pagefind_dcd` signature; the small codec below
reads and writes the subset Pagefind uses (integers, strings, arrays, maps) in shortest form,
which is how Pagefind writes them, so an unchanged chunk comes out byte for byte as it went in.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
#: positions in the metadata chunk (pagefind/src/index/index_metadata.rs, MetaIndex, 1.5.x)
META_PAGES, META_FILTERS, META_SORTS = 1, 3, 4


class BundleFormatError(Exception):
    """The bundle is not laid out as this Pagefind version writes it."""


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise BundleFormatError(f"CBOR item 0x{head:02x} (indefinite length or float) is not expected here")
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major == 2:
        return bytes(data[i:i + value]), i + value
    if major == 3:
        return data[i:i + value].decode(), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = []
        for _ in range(value):
            k, i = _decode(data, i)
            v, i = _decode(data, i)
            pairs.append((k, v))
        return dict(pairs), i
    raise BundleFormatError(f"CBOR major type {major} is not expected here")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise BundleFormatError(f"integer {value} too large for CBOR")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise BundleFormatError(f"CBOR simple value {value!r} is not expected here")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(map(_encode, value))
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise BundleFormatError(f"cannot encode {type(value).__name__}")


def read_chunk(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise BundleFormatError(f"{path.name}: {len(data) - end} bytes after the chunk")
    return value


def chunk_bytes(value: Any) -> bytes:
    """The gzipped chunk, with no timestamp or file name in the gzip header (same input, same bytes)."""
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _name(language: str, content: bytes, length: int, taken: set[str]) -> str:
    digest = hashlib.sha256(content).hexdigest()
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1  # two different chunks with one short hash: lengthen, as Pagefind does
    name = f"{language}_{digest[:length]}"
    taken.add(name)
    return name


def stabilise(bundle: Path) -> int:
    """Rewrite the order-dependent files of the Pagefind bundle in `bundle`; returns the files rewritten."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    rewritten = 0
    for language, info in entry.get("languages", {}).items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_chunk(meta_path)
        if not isinstance(meta, list) or len(meta) <= META_SORTS:
            raise BundleFormatError(f"{meta_path.name}: not the metadata layout of Pagefind 1.5")
        taken: set[str] = set()
        filters = []
        for filter_name, old_hash in sorted(meta[META_FILTERS]):
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            name, values = read_chunk(old_path)
            content = chunk_bytes([name, sorted(values, key=lambda pair: pair[0])])
            new_hash = _name(language, content, 7, taken)
            old_path.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
            filters.append([filter_name, new_hash])
            rewritten += 1
        meta[META_FILTERS] = filters
        meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda pair: pair[0])
        content = chunk_bytes(meta)
        info["hash"] = _name(language, content, 10, set())
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(content)
        rewritten += 1
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return rewritten + 1


def name_pages(bundle: Path, prefix: str) -> None:
    """Put `prefix_` before every page's id in the bundle (its fragment's name, which the metadata lists; the index,
    filter and sort chunks number the pages instead), so a result's id says which bundle it came from
    (search_bundles.py). The metadata is written under its old name: `stabilise` names it after its content."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    for info in entry.get("languages", {}).values():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_chunk(meta_path)
        if not isinstance(meta, list) or len(meta) <= META_SORTS or not isinstance(meta[META_PAGES], list):
            raise BundleFormatError(f"{meta_path.name}: not the metadata layout of Pagefind 1.5")
        for page in meta[META_PAGES]:
            old, new = page[0], f"{prefix}_{page[0]}"
            (bundle / "fragment" / f"{old}.pf_fragment").replace(bundle / "fragment" / f"{new}.pf_fragment")
            page[0] = new
        meta_path.write_bytes(chunk_bytes(meta))
