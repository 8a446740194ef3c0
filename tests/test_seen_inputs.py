"""A rebuild does not read the files whose stat is as when an earlier build hashed them
(fingerprint.Seen): their digests, front matter and parsed bodies come from the cache, and
a body is read only when a stage needs its text. The output stays that of a clean build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import build as build_module
from generator import fingerprint, load
from generator.build import BuildResult
from generator.cache import BuildCache
from generator.fingerprint import Seen, fingerprint_inputs
from generator.sourcefiles import ReadFile, ReadFiles
from tests.test_cache import (
    ARTICLE,
    TERM,
    TERM_USERS,
    add_term_summary,
    assert_same_as_clean,
    cached_build,
    edit,
    files,
)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (the tests' files were all written a moment ago)."""
    monkeypatch.setattr(fingerprint, "SETTLED_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The Markdown files the fingerprint reads, and (prefixed "body ") the bodies read late."""
    seen: list[str] = []
    fingerprint_read = ReadFiles.read
    body_read = load._read_body

    def read(self: ReadFiles, relative: str, path: str) -> ReadFile:
        seen.append(relative)
        return fingerprint_read(self, relative, path)

    def read_body(path: str, rel: str, digest: str) -> str:
        seen.append(f"body {rel}")
        return body_read(path, rel, digest)

    monkeypatch.setattr(ReadFiles, "read", read)
    monkeypatch.setattr(load, "_read_body", read_body)
    yield seen


def _markdown(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md"))


def _terms_without_summary(root: Path) -> list[str]:
    return [
        name
        for name in _markdown(root)
        if name.startswith("content/glossary/")
        and "\nsummary:" not in (root / name).read_text(encoding="utf-8").split("\n---", 1)[0]
    ]


def _first_build(root: Path) -> None:
    first = cached_build(root)
    files(first)
    first.close()


def test_an_edit_rebuild_reads_only_the_edited_file(
    example_copy: Path, settled: None, reads: list[str]
) -> None:
    _first_build(example_copy)
    assert sorted(reads) == _markdown(example_copy)  # a first build reads every file
    reads.clear()
    edit(example_copy, ARTICLE, lambda t: t + "\nEen zin erbij om te meten.\n")
    result = cached_build(example_copy)
    # Not even the terms without a summary of their own: the cache keeps the first
    # sentence of each (its tooltip) by the digest of its file.
    assert _terms_without_summary(example_copy)
    assert reads == [ARTICLE]
    assert (
        "Een zin erbij om te meten."
        in files(result)["artikelen/hoogsensitiviteit-in-de-klas/index.html"].decode()
    )
    assert_same_as_clean(result, example_copy)


def test_a_term_edit_reads_the_bodies_that_show_its_tooltip(
    example_copy: Path, settled: None, reads: list[str]
) -> None:
    _first_build(example_copy)
    reads.clear()
    edit(example_copy, TERM, add_term_summary)
    result = cached_build(example_copy)
    late = [r.removeprefix("body ") for r in reads if r.startswith("body content/articles/")]
    assert reads[0] == TERM
    # The articles that show its tooltip (TERM_USERS bodies are parsed again: another term's
    # among them, read above for its own tooltip), and no other article.
    assert 1 <= len(late) < TERM_USERS
    assert all("basisondersteuning" in (example_copy / a).read_text().lower() for a in late)
    others = [r for r in reads[1:] if not r.startswith("body content/articles/")]
    assert others == []
    assert_same_as_clean(result, example_copy)


def test_a_term_without_a_summary_shows_its_edited_first_sentence(
    example_copy: Path, settled: None, reads: list[str]
) -> None:
    """The first sentence kept for its tooltip follows an edit of the term's body."""
    term = next(t for t in _terms_without_summary(example_copy) if t != TERM)
    _first_build(example_copy)
    reads.clear()
    text = (example_copy / term).read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    edit(example_copy, term, lambda _: f"{head}\n---\nEen nieuwe eerste zin om te meten. {body}")
    result = cached_build(example_copy)
    assert reads[0] == term
    pages = files(result)
    shown = [p for p, data in pages.items() if b"Een nieuwe eerste zin om te meten." in data]
    assert any(p.startswith("artikelen/") for p in shown)  # in a tooltip of an article
    assert_same_as_clean(result, example_copy)


def test_a_file_changed_during_the_build_is_built_from_its_new_text(
    example_copy: Path, settled: None, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _first_build(example_copy)
    edit(example_copy, TERM, add_term_summary)  # its users' bodies are parsed again
    changed: list[str] = []
    body_read = load._read_body  # the fixture's, which records the read

    def edited_first(path: str, rel: str, digest: str) -> str:
        """An article whose stat was trusted changes just before its body is read."""
        if rel.startswith("content/articles/") and not changed:
            edit(example_copy, rel, lambda t: t + "\nLater geschreven.\n")
            changed.append(rel)
        return body_read(path, rel, digest)

    monkeypatch.setattr(load, "_read_body", edited_first)
    reads.clear()
    result = cached_build(example_copy)
    [user] = changed
    assert f"body {user}" in reads  # the first try found the change...
    assert reads.count(user) == 1  # ...and the second read every file
    # the first try read the edited term alone, the second every file
    assert sorted(r for r in reads if not r.startswith("body ")) == sorted(
        [TERM, *_markdown(example_copy)]
    )
    page = files(result)[f"artikelen/{Path(user).stem}/index.html"].decode()
    assert "Later geschreven." in page
    assert_same_as_clean(result, example_copy)


def test_a_site_copied_elsewhere_with_its_cache_hashes_every_file_again(
    example_copy: Path, settled: None, reads: list[str], tmp_path: Path
) -> None:
    """A restored cache in a fresh clone: other inodes and times, so no stat is trusted."""
    _first_build(example_copy)
    clone = tmp_path / "clone"
    shutil.copytree(example_copy, clone)
    reads.clear()
    result = cached_build(clone)
    assert sorted(reads) == _markdown(clone)
    assert result.counts["body reused"] > 0  # the cache itself is still used, by content
    assert_same_as_clean(result, clone)


def test_only_a_settled_file_with_the_same_stat_keeps_its_digest(tmp_path: Path) -> None:
    stat = (10, 5_000_000_000, 6_000_000_000, 42)
    taken = 6_000_000_000 + fingerprint.SETTLED_NS
    seen = Seen({"content/a.md": (stat, "d" * 64)}, taken + 1)
    assert seen.digest_of("content/a.md", stat) == "d" * 64
    assert seen.digest_of("content/b.md", stat) is None
    for other in ((11, *stat[1:]), (10, 5_000_000_001, *stat[2:]), (*stat[:3], 43)):
        assert seen.digest_of("content/a.md", other) is None
    # changed within SETTLED_NS before its stat was taken: it may change again unseen
    assert Seen(seen.files, taken).digest_of("content/a.md", stat) is None


def test_a_file_not_settled_is_hashed_by_every_build_until_it_has(
    example_copy: Path, reads: list[str]
) -> None:
    _first_build(example_copy)  # its files were written a moment before it saw them
    seen = _saved_seen(example_copy)
    reads.clear()
    again = fingerprint_inputs(example_copy, "", seen)
    assert sorted(reads) == _markdown(example_copy)  # not one had settled: all read
    assert again.changed and again.unread == {}
    # The same stats, taken long enough after the files last changed: none is read.
    reads.clear()
    later = fingerprint_inputs(example_copy, "", Seen(seen.files, seen.taken_ns + 10**10))
    assert reads == []
    assert sorted(later.unread) == _markdown(example_copy)
    assert later.digest == again.digest
    assert not later.changed


def test_a_trusted_file_the_cache_has_no_front_matter_for_is_checked_when_read(
    example_copy: Path, settled: None, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose front matter is never kept (it is not closed) is read by every build; if
    it changed after its stat was taken, that build starts again from its new text."""
    broken = "content/articles/kapot.md"
    (example_copy / broken).write_text("---\ntitle: Kapot\n\nGeen einde.\n", encoding="utf-8")
    first = cached_build(example_copy)
    assert ("FM007", broken) in [(d.code, d.path) for d in first.report.errors]
    first.close()
    hashed = build_module.fingerprint_inputs

    def then_fixed(root: Path, options: str, seen: Seen | None = None) -> fingerprint.Inputs:
        inputs = hashed(root, options, seen)
        if broken in inputs.unread:  # fixed after its stat was taken
            fixed = "---\ntitle: Heel\ndate: 2024-06-11\n---\n\nNu wel.\n"
            (example_copy / broken).write_text(fixed, encoding="utf-8")
        return inputs

    monkeypatch.setattr(build_module, "fingerprint_inputs", then_fixed)
    reads.clear()
    result = cached_build(example_copy)
    assert sorted(reads) == _markdown(example_copy)  # the second try read every file
    assert "Nu wel." in files(result)["artikelen/kapot/index.html"].decode()
    assert_same_as_clean(result, example_copy)


def _saved_seen(root: Path) -> Seen:
    cache = BuildCache(root / ".kennisbank-cache")
    try:
        seen = build_module._seen(cache)
    finally:
        cache.close()
    assert seen is not None
    return seen


def test_a_build_leaves_what_it_saw_for_the_next(example_copy: Path, settled: None) -> None:
    result: BuildResult = cached_build(example_copy)
    result.close()
    seen = _saved_seen(example_copy)
    assert {name for name in seen.files if name.endswith(".md")} == set(_markdown(example_copy))


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no read-ahead hint here")
def test_the_files_to_be_read_are_asked_for_all_at_once_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """Read-ahead covers exactly the files the fingerprint goes on to read, only when they are
    many, and changes nothing of what is hashed (a file it cannot open is read as before)."""
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.org/\n")
    count = fingerprint.READ_AHEAD_FROM + 6
    for n in range(count):
        (articles / f"a{n:03d}.md").write_text(f"---\ntitle: A{n}\ndate: 2024-01-01\n---\nTekst.\n")
    advised: list[str] = []

    def advise(handle: int, offset: int, length: int, how: int) -> None:
        assert (offset, length) == (0, 0) and how == os.POSIX_FADV_WILLNEED
        advised.append(str(Path(f"/proc/self/fd/{handle}").readlink()))

    monkeypatch.setattr(os, "posix_fadvise", advise)
    first = fingerprint_inputs(tmp_path, "x")
    first.read.close()
    asked = {p for p in advised if p.endswith(".md")}
    assert asked == {str(p) for p in articles.glob("*.md")}  # and the theme's files, unread yet
    advised.clear()
    (articles / "a000.md").write_text("---\ntitle: Nieuw\ndate: 2024-01-01\n---\nAnders.\n")
    second = fingerprint_inputs(tmp_path, "x", first.seen)  # one file to read: not worth it
    second.read.close()
    assert advised == [] and second.unread.keys() == {
        f"content/articles/a{n:03d}.md" for n in range(1, count)
    }
    monkeypatch.setattr(fingerprint, "READ_AHEAD_FROM", 10**9)
    plain = fingerprint_inputs(tmp_path, "x")
    plain.read.close()
    monkeypatch.setattr(fingerprint, "READ_AHEAD_FROM", 1)

    def refused(handle: int, offset: int, length: int, how: int) -> None:
        raise OSError(22, "not here")

    monkeypatch.setattr(os, "posix_fadvise", refused)
    hinted = fingerprint_inputs(tmp_path, "x")
    hinted.read.close()
    assert hinted.digest == plain.digest != first.digest
