"""The fingerprint reads each Markdown file once and hands it to the load stage."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.diagnostics import Report
from generator.fingerprint import fingerprint_inputs
from generator.load import load_sources

ARTICLE = "content/articles/betekenis-professionele-leergemeenschap.md"


def test_load_takes_the_bytes_the_fingerprint_hashed(example_copy: Path) -> None:
    inputs = fingerprint_inputs(example_copy, "")
    markdown = sorted(p for p in (example_copy / "content").rglob("*.md"))
    assert len(inputs.read) == inputs.documents == len(markdown)
    before = (example_copy / ARTICLE).read_bytes()
    # Changed after the fingerprint: this build loads what it hashed, the next one sees it.
    (example_copy / ARTICLE).write_text("---\ntitle: Later\n---\nLater.\n", "utf-8")
    sources = load_sources(example_copy, Report(), None, inputs.read)
    doc = next(d for d in sources.docs if d.path == ARTICLE)
    assert doc.digest == hashlib.sha256(before).hexdigest()
    assert doc.meta["title"] != "Later"
    assert len(inputs.read) == 0  # every file handed over once, and not held after
    again = load_sources(example_copy, Report(), None, None)
    assert next(d for d in again.docs if d.path == ARTICLE).meta["title"] == "Later"


def test_loading_with_or_without_the_fingerprints_files_is_the_same(example_copy: Path) -> None:
    inputs = fingerprint_inputs(example_copy, "")
    assert load_sources(example_copy, Report(), None, inputs.read) == load_sources(
        example_copy, Report(), None
    )


def test_the_fingerprint_follows_content_paths_and_options(example_copy: Path) -> None:
    first = fingerprint_inputs(example_copy, "").digest
    assert fingerprint_inputs(example_copy, "").digest == first
    assert fingerprint_inputs(example_copy, "drafts=True").digest != first
    path = example_copy / ARTICLE
    text = path.read_text("utf-8")
    path.write_text(text + "\nMeer.\n", "utf-8")
    edited = fingerprint_inputs(example_copy, "").digest
    assert edited != first
    path.write_text(text, "utf-8")
    assert fingerprint_inputs(example_copy, "").digest == first
    path.rename(path.with_name("elders.md"))
    assert fingerprint_inputs(example_copy, "").digest != first
