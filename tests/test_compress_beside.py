"""Compressed copies made in a process of their own while the build waits for its search index
(generator/output/compress.py, `Beside` and `CompressionBeside`): whatever that process finishes, fails or is
stopped in the middle of, every text file ends with the same .gz and .br as a build that compresses
everything after the index."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import brotli

from generator.output.cache import DiskCache
from generator.output.compress import Beside, CompressionBeside, precompress, text_files


def make_site(root: Path, pages: int = 60) -> Path:
    for i in range(pages):
        page = root / f"page-{i:03d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body><h1>Page {i}</h1>" + "<p>Findings of the inspection, evaluated on the scale.</p>" * (40 + i) + "</body></html>")
    bundle = root / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind.js").write_text("export const search = () => 'the index';\n" * 40)
    (root / "tiny.txt").write_text("too small to compress")
    return root


def copies(site: Path) -> dict[str, bytes]:
    """Every compressed copy in the site, by path, decompressed (so the test says what they hold)."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".gz":
            found[str(path.relative_to(site))] = gzip.decompress(path.read_bytes())
        elif path.suffix == ".br":
            found[str(path.relative_to(site))] = brotli.decompress(path.read_bytes())
    return found


def raw_copies(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.suffix in (".gz", ".br")}


def test_a_build_compressing_beside_the_index_gets_the_same_copies_as_one_compressing_after_it(tmp_path: Path) -> None:
    after, beside = make_site(tmp_path / "after"), make_site(tmp_path / "beside")
    precompress(after, DiskCache(tmp_path / "cache-after", "compressed"), workers=2)
    store = DiskCache(tmp_path / "cache-beside", "compressed")
    job = CompressionBeside(beside, store, skip="pagefind")
    time.sleep(1.0)  # the child does some or all of the files meanwhile
    line = job.complete(workers=2)
    assert raw_copies(beside) == raw_copies(after)
    for name, data in copies(beside).items():  # and each copy holds its file
        assert data == (beside / name).with_suffix("").read_bytes(), name
    assert "tiny.txt.gz" not in copies(beside)
    assert "pagefind/pagefind.js.br" in copies(beside)  # the index's folder is compressed after the wait
    assert "61 compressed" in line and "0 from the cache" in line, line
    # The store holds every copy, whoever made it: a rebuild compresses nothing.
    again = CompressionBeside(beside, DiskCache(tmp_path / "cache-beside", "compressed"), skip="pagefind")
    assert again.complete(workers=2).startswith("compressed copies (.gz, .br): 61 from the cache, 0 compressed")
    assert raw_copies(beside) == raw_copies(after)


def test_a_child_stopped_at_once_leaves_the_rest_to_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", pages=200)
    job = CompressionBeside(site, None, skip="pagefind")
    job.finish()  # the index was ready before the child got far
    assert job.finished is not None and job.finished < len(job.todo)
    job.complete(workers=1)
    for path in text_files(site):
        if path.stat().st_size >= 256:
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
            assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == path.read_bytes()


def test_a_child_that_fails_counts_nothing_it_did_not_finish(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", pages=5)
    todo = [(p, None) for p in text_files(site, skip="pagefind")]
    missing = site / "gone" / "index.html"
    child = Beside([todo[0], (missing, None), *todo[1:]], None)  # the second file cannot be read: the child stops there
    deadline = time.monotonic() + 30
    while child.proc is not None and child.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.stop() == 0  # it wrote no count, so the build redoes every file


def test_the_child_dies_with_the_build(tmp_path: Path) -> None:
    """A build killed outright must not leave the child writing into its staging folder (generator/base/pool.py)."""
    import subprocess
    import sys
    big = tmp_path / "big.html"
    big.write_text("<p>Findings of the inspection, evaluated on the scale.</p>" * 2000)
    script = (  # the same file 5,000 times: half a minute of work or more, so only being killed ends it early
        "import time; from pathlib import Path; from generator.output.compress import Beside\n"
        f"child = Beside([(Path({str(big)!r}), None)] * 5000, None)\n"
        "assert child.proc is not None; print(child.proc.pid, flush=True); time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    time.sleep(0.5)  # it is at work
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        try:  # reap it if it is ours to reap (it is not: it was the parent's)
            os.waitpid(child, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    else:
        raise AssertionError(f"the compression process {child} outlived the build that started it")
