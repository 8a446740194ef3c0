"""Walk content/, read each file (or take it from the cache), split its front matter -> SourceDoc.

Line numbers are kept exact: the front matter's YAML knows its file lines and
the body knows the line it starts at, so later stages can point at `path:line`.
Files are decoded as UTF-8 (a byte-order mark is accepted) and CRLF becomes LF.
"""

from __future__ import annotations

import codecs
import functools
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import BuildCache
from generator.diagnostics import Report
from generator.fingerprint import InputChanged
from generator.model import StaticFile
from generator.sourcefiles import ReadFiles, read_file
from generator.urls import slugify
from generator.yamlsource import DuplicateKey, LineMap, Parsed, YamlProblem, parse_yaml

COLLECTIONS = ("articles", "glossary", "themes", "pages")
# cache kind: sha256 of a file -> (parse_yaml's result for its front matter, body's first line)
FRONT_MATTER = "front-matter"


@dataclass(frozen=True)
class SourceDoc:
    """One content file, read and split, not yet validated."""

    collection: str  # articles | glossary | themes | pages
    path: str  # site-relative, "/" separators
    slug: str
    meta: Any  # the parsed front matter (validated later)
    lines: LineMap  # file line of every front-matter key; default = closing ---
    duplicates: tuple[DuplicateKey, ...]
    body: str | Callable[[], str]  # or what reads it from the file, for a file not read yet
    body_line: int  # file line where the body starts
    digest: str  # sha256 of the file's bytes: with its path, all an item is made of


@dataclass(frozen=True)
class Sources:
    docs: tuple[SourceDoc, ...]
    static: tuple[StaticFile, ...]


@dataclass(frozen=True)
class _Split:
    """A file read and split at its front matter, the YAML not parsed yet."""

    collection: str
    path: str
    front_matter: str
    first_line: int
    closing_line: int
    body: str
    body_line: int
    digest: str  # sha256 of the file's bytes


def load_sources(
    root: Path,
    report: Report,
    cache: BuildCache | None = None,
    read: ReadFiles | None = None,
    unread: Mapping[str, str] | None = None,
) -> Sources:
    """Read every collection under ROOT/content, list content/static, check templates/.

    With a cache, front matter parsed by an earlier build is reused: reading
    the YAML of every file was most of an edit rebuild's load stage. Files in
    `read` (the fingerprint's) are taken from there, not read again. A file in
    `unread` (path -> sha256: its stat showed it unchanged) whose front matter
    the cache holds is not read at all: its body is read if a stage asks for it.
    """
    content = root / "content"
    found: list[tuple[_Found, str]] = []
    for collection in COLLECTIONS:
        for file in _walk(root, content / collection, report):
            if not file.rel.lower().endswith(".md"):
                report.warning("FM009", file.rel, 1, "")
                continue
            found.append((file, collection))
    unread = unread if cache is not None and cache.enabled else None
    known = _cached(cache, {unread[f.rel] for f, _ in found if f.rel in unread}) if unread else {}
    docs: list[SourceDoc] = []
    splits: list[_Split] = []
    for file, collection in found:
        digest = unread.get(file.rel) if unread else None
        if digest is not None and digest in known:
            result, body_line = known[digest]
            body = functools.partial(_read_body, file.path, file.rel, digest)
            _add_doc(docs, report, collection, file.rel, result, body, body_line, digest)
            continue
        split = _read_doc(file, collection, report, read, expected=digest)
        if split is not None:
            splits.append(split)
    parsed = _parse_front_matter(splits, cache)
    for split in splits:
        result, _ = parsed[split.digest]
        _add_doc(
            docs,
            report,
            split.collection,
            split.path,
            result,
            split.body,
            split.body_line,
            split.digest,
        )
    static_prefix = len("content/static/")
    static = tuple(
        StaticFile(file.rel, "/" + file.rel[static_prefix:])
        for file in _walk(root, content / "static", report)
    )
    # Walked only to refuse links out of the site: Jinja would read and publish their targets.
    _walk(root, root / "templates", report)
    return Sources(tuple(sorted(docs, key=lambda d: (d.collection, d.path))), static)


def _add_doc(
    docs: list[SourceDoc],
    report: Report,
    collection: str,
    rel: str,
    result: Parsed | YamlProblem,
    body: str | Callable[[], str],
    body_line: int,
    digest: str,
) -> None:
    if isinstance(result, YamlProblem):
        report.error_at("FM001", rel, result.line, result.column, problem=result.problem)
        return
    meta, lines, duplicates = result
    slug = slugify(posixpath.splitext(posixpath.basename(rel))[0])
    docs.append(
        SourceDoc(collection, rel, slug, meta, lines, tuple(duplicates), body, body_line, digest)
    )


def _read_body(path: str, rel: str, digest: str) -> str:
    """The body of a file the build did not read: as it was when the fingerprint saw it."""
    split = _read_doc(_Found(rel, path), "", Report(), None, expected=digest)
    assert split is not None  # these bytes were split before
    return split.body


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


@dataclass(frozen=True)
class _Found:
    """A file _walk found: its site-relative path and the path to open it by."""

    rel: str  # "content/articles/x.md", "templates/base.html"
    path: str


def _walk(root: Path, folder: Path, report: Report) -> list[_Found]:
    """Files below `folder` in sorted order; links leading outside the site are refused.

    Paths are strings, not Path objects: at 11,000 files, making and sorting
    Paths was a fifth of a rebuild's load stage.
    """
    if not folder.is_dir():
        return []
    real_root = root.resolve()
    if not folder.resolve().is_relative_to(real_root):  # content/ or a collection is a link
        report.error("FM008", _rel(root, folder), 1, "", target=str(folder.resolve()))
        return []
    found: list[_Found] = []
    pending = [(_rel(root, folder) + "/", str(folder))]
    while pending:  # scandir, not os.walk + Path: a directory entry knows if it is a link
        prefix, directory = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed holds nothing
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
                continue
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                path = Path(entry.path)
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):  # a loop (RuntimeError before Python 3.13)
                    report.error("FM012", _rel(root, path), 1, "", target=str(path.readlink()))
                    continue
                if not target.is_relative_to(real_root):
                    report.error("FM008", _rel(root, path), 1, "", target=str(path.readlink()))
                    continue
                if not target.exists():
                    report.error("FM012", _rel(root, path), 1, "", target=str(path.readlink()))
                    continue
                if not target.is_file():
                    continue  # a linked folder inside the site: its files are read where they are
            found.append(_Found(f"{prefix}{entry.name}", entry.path))
    return sorted(found, key=lambda f: f.rel.split("/"))  # the order of Paths: part by part


_Cached = tuple[Parsed | YamlProblem, int]  # parse_yaml's result and the body's first line


def _cached(cache: BuildCache | None, digests: Iterable[str]) -> dict[str, _Cached]:
    """File sha256 -> its front matter parsed by an earlier build, where the cache holds it."""
    if cache is None or not cache.enabled:
        return {}
    found = {
        key: value
        for key, value in cache.load(FRONT_MATTER, digests, bulk=True).items()
        if isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], tuple | YamlProblem)
        and isinstance(value[1], int)
    }
    cache.reused(FRONT_MATTER, len(found))
    return found


def _parse_front_matter(splits: Sequence[_Split], cache: BuildCache | None) -> dict[str, _Cached]:
    """File sha256 -> parse_yaml's result and body line, from the cache where an earlier build
    parsed it."""
    keys = {split.digest: split for split in splits}
    found = _cached(cache, keys)
    made: dict[str, _Cached] = {
        key: (
            parse_yaml(
                split.front_matter, first_line=split.first_line, default_line=split.closing_line
            ),
            split.body_line,
        )
        for key, split in keys.items()
        if key not in found
    }
    if cache is not None and made:
        cache.store(FRONT_MATTER, made)
    return found | made


def _read_doc(
    found: _Found,
    collection: str,
    report: Report,
    read: ReadFiles | None,
    expected: str | None = None,
) -> _Split | None:
    """Read and split one file; `expected`: the sha256 the fingerprint took from its stat."""
    rel = found.rel
    kept = read.take(rel) if read is not None else None
    if kept is None:
        try:
            kept = read_file(found.path)
        except OSError as exc:
            if expected is not None:  # hashed a moment ago: gone during the build
                raise InputChanged(f"{rel} could not be read during the build: {exc}") from exc
            report.error("FM010", rel, 1, "", problem=exc.strerror or str(exc))
            return None
    if expected is not None and kept.digest != expected:
        raise InputChanged(f"{rel} changed during the build")
    try:
        text = _decoded(kept.data)  # bytes, or a view of the fingerprint's memory map
    except UnicodeDecodeError as exc:
        report_not_utf8(report, rel, exc)
        return None
    split = split_front_matter(text)
    if split is None:
        report.error("FM007", rel, 1, "")
        return None
    fm_text, fm_first_line, closing_line, body, body_line = split
    return _Split(
        collection, rel, fm_text, fm_first_line, closing_line, body, body_line, kept.digest
    )


def _decoded(raw: bytes | memoryview) -> str:
    """UTF-8 text with LF line ends (UnicodeDecodeError for other bytes)."""
    # The BOM cut here, not by the "utf-8-sig" codec: that one is Python code, a tenth
    # of the reading of 11,000 files.
    text = str(raw[3:] if raw[:3] == codecs.BOM_UTF8 else raw, "utf-8")
    if "\r" in text:  # most files have no carriage return to replace
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def report_not_utf8(report: Report, path: str, exc: UnicodeDecodeError) -> None:
    """FM006 at the line and column of the first byte that is not UTF-8."""
    data = exc.object  # without a byte-order mark: exc.start counts from after it
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    report.error_at("FM006", path, line, column, byte=f"0x{data[exc.start]:02x}", column=column)


def split_front_matter(text: str) -> tuple[str, int, int, str, int] | None:
    """Split into (yaml, its first line, closing --- line, body, body's first line).

    A file without front matter is all body, with empty YAML; missing fields are
    then reported at line 1. Returns None when the opening --- is never closed.
    Only the front matter is walked line by line: the body is sliced off whole.
    """
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.rstrip() != "---":
        return "", 1, 1, text, 1
    start = end + 1 if end >= 0 else len(text)
    position = start
    number = 2  # file line of the line at `position`
    while end >= 0:
        end = text.find("\n", position)
        line = text[position:] if end < 0 else text[position:end]
        if line.rstrip() in ("---", "..."):
            front_matter = text[start : position - 1] if position > start else ""
            body = "" if end < 0 else text[end + 1 :]
            return front_matter, 2, number, body, number + 1
        position = end + 1
        number += 1
    return None
