"""Hash every input of a build: site.yaml, content/, the theme's files and the generator's code.

By content, never by file times, so a fresh clone of an unchanged site gets
the same fingerprint. The build compares it with the last successful build's
to skip an unchanged site, and counts the documents to decide on workers.
The Markdown files it read are kept for the load stage (sourcefiles.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.digests import code_fingerprint
from generator.sourcefiles import ReadFiles, read_file
from generator.theme import Theme


@dataclass(frozen=True)
class Inputs:
    digest: str  # sha256 over every input file (path and content) and the build options
    documents: int  # Markdown files under content/
    # the Markdown files under content/ as hashed, for load_sources; closed after it
    read: ReadFiles = field(default_factory=ReadFiles, compare=False, repr=False)


def fingerprint_inputs(root: Path, options: str) -> Inputs:
    """Hash the site in ROOT as a build with `options` (drafts, strict...) would read it."""
    digest = hashlib.sha256(f"{code_fingerprint()}\n{options}\n".encode())
    documents = 0
    read = ReadFiles()
    _add(digest, "site.yaml", str(root / "site.yaml"))
    folders = [("content", root / "content")]
    folders += [(f"theme{number}", folder) for number, folder in enumerate(Theme(root).dirs)]
    for label, folder in folders:
        for relative, path in _files(str(folder)):
            markdown = label == "content" and relative.lower().endswith(".md")
            documents += markdown
            _add(digest, f"{label}/{relative}", path, read if markdown else None)
    return Inputs(digest.hexdigest(), documents, read)


def _files(folder: str) -> list[tuple[str, str]]:
    """Every file below folder, sorted; symbolic links to files are read as load.py reads them.

    Plain strings and scandir: an unchanged rebuild has a second for all of this.
    """
    found: list[tuple[str, str]] = []
    pending = [("", folder)]
    while pending:
        prefix, current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue  # a missing folder (no templates/ of its own) holds nothing
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
            elif _is_file(entry):
                found.append((prefix + entry.name, entry.path))
    found.sort()
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A file, or a link to one; a link that loops is hashed as its error."""
    try:
        return entry.is_file()
    except OSError:
        return True


def _add(digest: Any, label: str, path: str, read: ReadFiles | None = None) -> None:
    """Hash the file's path, size and sha256; keep it in `read`, if given."""
    try:
        found = read.read(label, path) if read is not None else read_file(path)
    except OSError as exc:  # missing or unreadable: part of the state, the build reports it
        data = f"<{type(exc).__name__} {exc.errno}>".encode()
        digest.update(f"{label}\0{len(data)}\0".encode() + data)
        return
    digest.update(f"{label}\0{len(found.data)}\0{found.digest}\n".encode())
