"""Content files as the fingerprint reads them and hands them on to the load stage."""

from __future__ import annotations

import ctypes
import hashlib
import mmap
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import sourcefiles
from generator.diagnostics import Report
from generator.fingerprint import fingerprint_inputs
from generator.load import load_sources
from generator.sourcefiles import ReadFiles, read_file

ARTICLE = "content/articles/betekenis-professionele-leergemeenschap.md"
keeps = pytest.mark.skipif(
    not hasattr(mmap, "MADV_DONTFORK"), reason="no MADV_DONTFORK: nothing is kept"
)


def test_a_file_is_read_whole_with_its_sha256(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    data = bytes(range(256)) * 20_000  # more than one read of 1 MiB
    big.write_bytes(data)
    for found in (read_file(str(big)), ReadFiles().read("big.md", str(big))):
        assert bytes(found.data) == data
        assert found.digest == hashlib.sha256(data).hexdigest()


@keeps
def test_load_takes_the_bytes_the_fingerprint_hashed(example_copy: Path) -> None:
    inputs = fingerprint_inputs(example_copy, "")
    assert len(inputs.read) == inputs.documents == len(list(example_copy.rglob("*.md")))
    before = (example_copy / ARTICLE).read_bytes()
    # Changed after the fingerprint: this build loads what it hashed, the next one sees it.
    (example_copy / ARTICLE).write_text("---\ntitle: Later\n---\nLater.\n", "utf-8")
    sources = load_sources(example_copy, Report(), None, inputs.read)
    doc = next(d for d in sources.docs if d.path == ARTICLE)
    assert doc.digest == hashlib.sha256(before).hexdigest()
    assert doc.meta["title"] != "Later"
    assert len(inputs.read) == 0  # every file handed over once, and not held after
    inputs.read.close()
    again = load_sources(example_copy, Report(), None)
    assert next(d for d in again.docs if d.path == ARTICLE).meta["title"] == "Later"


def test_loading_with_or_without_the_fingerprints_files_is_the_same(example_copy: Path) -> None:
    odd = example_copy / "content" / "pages"
    (odd / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: Met BOM\n---\r\nTekst.\r\n")
    (odd / "crlf.md").write_bytes(b"---\r\ntitle: CRLF\r\n---\r\nTekst.\r\nMeer.\r")
    (odd / "kapot.md").write_bytes(b"---\ntitle: Kapot\n---\nTe\xffkst.\n")
    (odd / "leeg.md").write_bytes(b"")
    inputs = fingerprint_inputs(example_copy, "")
    kept, plain = Report(), Report()
    assert load_sources(example_copy, kept, None, inputs.read) == load_sources(
        example_copy, plain, None
    )
    assert kept.diagnostics == plain.diagnostics
    assert [d.code for d in kept.diagnostics] == ["FM006"]  # kapot.md, at its line
    inputs.read.close()


@keeps
def test_a_file_that_grows_while_it_is_read_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 5000)
    # As if 100 bytes were added after fstat told the size.
    monkeypatch.setattr(sourcefiles.os, "fstat", lambda handle: SimpleNamespace(st_size=4900))
    read = ReadFiles()
    found = read.read("a.md", str(path))
    assert bytes(found.data) == b"x" * 5000
    assert read.take("a.md") is None  # not kept: load reads it again


@keeps
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_forked_processes_do_not_inherit_the_kept_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"kept")
    read = ReadFiles()
    found = read.read("a.md", str(path))
    assert isinstance(found.data, memoryview)
    pointer = ctypes.c_char.from_buffer(found.data)  # the first file starts the first map
    start = ctypes.addressof(pointer)
    del pointer
    mapped = _mapped_starts(Path("/proc/self/maps"))
    assert start in mapped
    child = os.fork()
    if child == 0:  # the child: is the map there?
        os._exit(1 if start in _mapped_starts(Path("/proc/self/maps")) else 0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    del found
    read.close()
    assert start not in _mapped_starts(Path("/proc/self/maps"))  # given back


def _mapped_starts(maps: Path) -> set[int]:
    return {int(line.split("-", 1)[0], 16) for line in maps.read_text().splitlines()}


def test_the_fingerprint_follows_content_paths_and_options(example_copy: Path) -> None:
    first = fingerprint_inputs(example_copy, "")
    assert first.documents == len(list((example_copy / "content").rglob("*.md")))
    assert fingerprint_inputs(example_copy, "").digest == first.digest
    assert fingerprint_inputs(example_copy, "drafts=True").digest != first.digest
    path = example_copy / ARTICLE
    text = path.read_text("utf-8")
    path.write_text(text + "\nMeer.\n", "utf-8")
    assert fingerprint_inputs(example_copy, "").digest != first.digest
    path.write_text(text, "utf-8")
    assert fingerprint_inputs(example_copy, "").digest == first.digest
    path.rename(path.with_name("elders.md"))
    assert fingerprint_inputs(example_copy, "").digest != first.digest


class _NoHugePages(mmap.mmap):
    def madvise(self, option: int, *args: int) -> None:
        if option == getattr(mmap, "MADV_HUGEPAGE", None):
            raise OSError(22, "Invalid argument")  # a kernel without transparent huge pages
        super().madvise(option, *args)


class _NoDontFork(mmap.mmap):
    def madvise(self, option: int, *args: int) -> None:
        if option == mmap.MADV_DONTFORK:
            raise OSError(22, "Invalid argument")
        super().madvise(option, *args)


def _no_maps(*args: object, **kwargs: object) -> mmap.mmap:
    raise OSError(12, "Cannot allocate memory")


@keeps
@pytest.mark.parametrize(
    ("system", "kept"), [(_NoHugePages, True), (_NoDontFork, False), (_no_maps, False)]
)
def test_a_system_without_maps_or_huge_pages_still_hashes_every_file(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch, system: object, kept: bool
) -> None:
    """The maps' errors are not the files': the fingerprint must still see every edit."""
    monkeypatch.setattr(sourcefiles.mmap, "mmap", system)
    first = fingerprint_inputs(example_copy, "")
    assert (len(first.read) > 0) is kept
    plain = load_sources(example_copy, Report(), None)
    assert load_sources(example_copy, Report(), None, first.read) == plain
    first.read.close()
    path = example_copy / ARTICLE
    path.write_text(path.read_text("utf-8") + "\nMeer.\n", "utf-8")
    edited = fingerprint_inputs(example_copy, "")
    assert edited.digest != first.digest
    edited.read.close()
