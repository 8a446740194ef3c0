"""Walk content/, read each file and split its front matter -> SourceDoc.

Line numbers are kept exact: the front matter's YAML knows its file lines and
the body knows the line it starts at, so later stages can point at `path:line`.
Files are decoded as UTF-8 (a byte-order mark is accepted) and CRLF becomes LF.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Report
from generator.model import StaticFile
from generator.urls import slugify
from generator.yamlsource import DuplicateKey, LineMap, YamlProblem, parse_yaml

COLLECTIONS = ("articles", "glossary", "themes", "pages")


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


@dataclass(frozen=True)
class Sources:
    docs: tuple[SourceDoc, ...]
    static: tuple[StaticFile, ...]


def load_sources(root: Path, report: Report) -> Sources:
    """Read every collection under ROOT/content, list content/static, check templates/."""
    content = root / "content"
    docs: list[SourceDoc] = []
    for collection in COLLECTIONS:
        for path in _walk(root, content / collection, report):
            if path.suffix.lower() != ".md":
                report.warning("FM009", _rel(root, path), 1, "")
                continue
            doc = _read_doc(root, path, collection, report)
            if doc is not None:
                docs.append(doc)
    static = tuple(
        StaticFile(_rel(root, path), "/" + path.relative_to(content / "static").as_posix())
        for path in _walk(root, content / "static", report)
    )
    # Walked only to refuse links out of the site: Jinja would read and publish their targets.
    _walk(root, root / "templates", report)
    return Sources(tuple(sorted(docs, key=lambda d: (d.collection, d.path))), static)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _walk(root: Path, folder: Path, report: Report) -> list[Path]:
    """Files below `folder` in sorted order; links leading outside the site are refused."""
    if not folder.is_dir():
        return []
    real_root = root.resolve()
    if not folder.resolve().is_relative_to(real_root):  # content/ or a collection is a link
        report.error("FM008", _rel(root, folder), 1, "", target=str(folder.resolve()))
        return []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for name in [*sorted(filenames), *sorted(d for d in dirnames if (base / d).is_symlink())]:
            path = base / name
            if name.startswith(".") or (path.is_dir() and not path.is_symlink()):
                continue
            if path.is_symlink():
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
            found.append(path)
    return sorted(found)


def _read_doc(root: Path, path: Path, collection: str, report: Report) -> SourceDoc | None:
    rel = _rel(root, path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.error("FM010", rel, 1, "", problem=exc.strerror or str(exc))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report_not_utf8(report, rel, exc)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    slug = slugify(path.stem)
    split = split_front_matter(text)
    if split is None:
        report.error("FM007", rel, 1, "")
        return None
    fm_text, fm_first_line, closing_line, body, body_line = split
    parsed = parse_yaml(fm_text, first_line=fm_first_line, default_line=closing_line)
    if isinstance(parsed, YamlProblem):
        report.error_at("FM001", rel, parsed.line, parsed.column, problem=parsed.problem)
        return None
    meta, lines, duplicates = parsed
    return SourceDoc(collection, rel, slug, meta, lines, tuple(duplicates), body, body_line)


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
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "", 1, 1, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            fm = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return fm, 2, index + 1, body, index + 2
    return None
