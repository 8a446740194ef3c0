"""Walk content/, read each file and split its front matter -> SourceDoc.

Line numbers are kept exact: the front matter's YAML knows its file lines and
the body knows the line it starts at, so later stages can point at `path:line`.
Files are decoded as UTF-8 (a byte-order mark is accepted) and CRLF becomes LF.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import BuildCache
from generator.diagnostics import Report
from generator.model import StaticFile
from generator.sourcefiles import ReadFiles, read_file
from generator.urls import slugify
from generator.yamlsource import DuplicateKey, LineMap, Parsed, YamlProblem, parse_yaml

COLLECTIONS = ("articles", "glossary", "themes", "pages")
FRONT_MATTER = "front-matter"  # cache kind: front matter text and lines -> parse_yaml's result


@dataclass(frozen=True)
class SourceDoc:
    """One content file, read and split, not yet validated."""

    collection: str  # articles | glossary | themes | pages
    path: str  # site-relative, "/" separators
    slug: str
    meta: Any  # the parsed front matter (validated later)
    lines: LineMap  # file line of every front-matter key; default = closing ---
    duplicates: tuple[DuplicateKey, ...]
    body: str
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
    slug: str
    front_matter: str
    first_line: int
    closing_line: int
    body: str
    body_line: int
    key: str  # hash of what parse_yaml reads: the YAML text and the lines it is reported at
    digest: str  # sha256 of the file's bytes


def load_sources(
    root: Path, report: Report, cache: BuildCache | None = None, read: ReadFiles | None = None
) -> Sources:
    """Read every collection under ROOT/content, list content/static, check templates/.

    With a cache, front matter parsed by an earlier build is reused: reading
    the YAML of every file was most of an edit rebuild's load stage. Files in
    `read` (the fingerprint's) are taken from there, not read again.
    """
    content = root / "content"
    splits: list[_Split] = []
    for collection in COLLECTIONS:
        for found in _walk(root, content / collection, report):
            if not found.rel.lower().endswith(".md"):
                report.warning("FM009", found.rel, 1, "")
                continue
            split = _read_doc(found, collection, report, read)
            if split is not None:
                splits.append(split)
    parsed = _parse_front_matter(splits, cache)
    docs: list[SourceDoc] = []
    for split in splits:
        result = parsed[split.key]
        if isinstance(result, YamlProblem):
            report.error_at("FM001", split.path, result.line, result.column, problem=result.problem)
            continue
        meta, lines, duplicates = result
        docs.append(
            SourceDoc(
                split.collection,
                split.path,
                split.slug,
                meta,
                lines,
                tuple(duplicates),
                split.body,
                split.body_line,
                split.digest,
            )
        )
    static_prefix = len("content/static/")
    static = tuple(
        StaticFile(found.rel, "/" + found.rel[static_prefix:])
        for found in _walk(root, content / "static", report)
    )
    # Walked only to refuse links out of the site: Jinja would read and publish their targets.
    _walk(root, root / "templates", report)
    return Sources(tuple(sorted(docs, key=lambda d: (d.collection, d.path))), static)


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


def _parse_front_matter(
    splits: Sequence[_Split], cache: BuildCache | None
) -> dict[str, Parsed | YamlProblem]:
    """Split key -> parse_yaml's result, from the cache where an earlier build parsed it."""
    keys = {split.key: split for split in splits}
    found: dict[str, Parsed | YamlProblem] = {}
    if cache is not None and cache.enabled:
        found = {
            key: value
            for key, value in cache.load(FRONT_MATTER, keys).items()
            if isinstance(value, tuple | YamlProblem)
        }
        cache.reused(FRONT_MATTER, len(found))
    made = {
        key: parse_yaml(
            split.front_matter, first_line=split.first_line, default_line=split.closing_line
        )
        for key, split in keys.items()
        if key not in found
    }
    if cache is not None and made:
        cache.store(FRONT_MATTER, made)
    return found | made


def _read_doc(
    found: _Found, collection: str, report: Report, read: ReadFiles | None
) -> _Split | None:
    rel = found.rel
    kept = read.take(rel) if read is not None else None
    if kept is None:
        try:
            kept = read_file(found.path)
        except OSError as exc:
            report.error("FM010", rel, 1, "", problem=exc.strerror or str(exc))
            return None
    raw = kept.data  # bytes, or a view of the fingerprint's memory map
    try:
        # The BOM cut here, not by the "utf-8-sig" codec: that one is Python code, a tenth
        # of the reading of 11,000 files.
        text = str(raw[3:] if raw[:3] == codecs.BOM_UTF8 else raw, "utf-8")
    except UnicodeDecodeError as exc:
        report_not_utf8(report, rel, exc)
        return None
    if "\r" in text:  # most files have no carriage return to replace
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    slug = slugify(posixpath.splitext(posixpath.basename(rel))[0])
    split = split_front_matter(text)
    if split is None:
        report.error("FM007", rel, 1, "")
        return None
    fm_text, fm_first_line, closing_line, body, body_line = split
    key = hashlib.sha256(f"{fm_first_line} {closing_line}\n{fm_text}".encode()).hexdigest()
    return _Split(
        collection,
        rel,
        slug,
        fm_text,
        fm_first_line,
        closing_line,
        body,
        body_line,
        key,
        kept.digest,
    )


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
