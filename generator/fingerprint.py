"""Hash every input of a build: site.yaml, content/, the theme's files and the generator's code.

By content, never by file times, so a fresh clone of an unchanged site gets
the same fingerprint. The build compares it with the last successful build's
to skip an unchanged site, and counts the documents to decide on workers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from generator.cache import code_fingerprint
from generator.theme import Theme


@dataclass(frozen=True)
class Inputs:
    digest: str  # sha256 over every input file (path and content) and the build options
    documents: int  # Markdown files under content/


def fingerprint_inputs(root: Path, options: str) -> Inputs:
    """Hash the site in ROOT as a build with `options` (drafts, strict...) would read it."""
    digest = hashlib.sha256(f"{code_fingerprint()}\n{options}\n".encode())
    documents = 0
    _add(digest, "site.yaml", root / "site.yaml")
    for label, folder in [("content", root / "content")] + [
        (f"theme{number}", folder) for number, folder in enumerate(Theme(root).dirs)
    ]:
        for relative, path in _files(folder):
            documents += relative.endswith(".md") and label == "content"
            _add(digest, f"{label}/{relative}", path)
    return Inputs(digest.hexdigest(), documents)


def _files(folder: Path) -> list[tuple[str, Path]]:
    """Every file below folder, sorted; symbolic links to files are read as load.py reads them."""
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for name in sorted(filenames):
            path = base / name
            found.append((path.relative_to(folder).as_posix(), path))
    return found


def _add(digest: hashlib._Hash, label: str, path: Path) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:  # missing or unreadable: part of the state, the build reports it
        data = f"<{type(exc).__name__} {exc.errno}>".encode()
    digest.update(f"{label}\0{len(data)}\0".encode())
    digest.update(data)
