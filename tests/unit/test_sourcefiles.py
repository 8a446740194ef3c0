"""Content files as the fingerprint and the load stage read them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.diagnostics import Report
from generator.fingerprint import fingerprint_inputs
from generator.load import load_sources
from generator.sourcefiles import read_file

ARTICLE = "content/articles/betekenis-professionele-leergemeenschap.md"


def test_a_file_is_read_whole_with_its_sha256(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    data = bytes(range(256)) * 20_000  # more than one read of 1 MiB
    big.write_bytes(data)
    found = read_file(str(big))
    assert found.data == data
    assert found.digest == hashlib.sha256(data).hexdigest()


def test_each_document_is_loaded_with_the_digest_of_its_bytes(example_copy: Path) -> None:
    sources = load_sources(example_copy, Report())
    assert sources.docs
    for doc in sources.docs:
        assert doc.digest == hashlib.sha256((example_copy / doc.path).read_bytes()).hexdigest()


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
