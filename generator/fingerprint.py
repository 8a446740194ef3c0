"""Hash every input of a build: site.yaml, content/, the theme's files and the generator's code.

By content, so a fresh clone of an unchanged site gets the same
fingerprint (file times only say which files need not be read: see below).
The build compares it with the last successful build's to skip an unchanged
site, and counts the documents to decide on workers.
The Markdown files it read are kept for the load stage (sourcefiles.py).

Reading and hashing 67 MB at 10,000 articles took every rebuild 0.2 s, and
the load stage as much again to decode files that had not changed. So, as
git's index does, the build keeps each file's digest with its size, times
and inode (`Seen`): a file that stats exactly as when it was hashed, well
after it was last changed, keeps its digest without being read. The key is
still the content: a fresh clone or a restored cache stats differently, and
every file is hashed again. `unread` lists the Markdown files taken so.
"Settled" is judged by this machine's clock against the file system's change
times: on a share whose clock runs behind, or where ctime is not the change
time (Windows: the creation time, and no inode), a build must read every
file (build._seen is on for POSIX systems only; `--no-cache` reads all).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.digests import code_fingerprint
from generator.sourcefiles import ReadFile, ReadFiles, read_file
from generator.theme import Theme

# A file changed this close (ns) before its stat was taken may change again within the
# same tick of the file system's clock without its stat showing it: it is hashed again.
SETTLED_NS = 2_000_000_000
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class InputChanged(Exception):
    """A file taken as unchanged by its stat (not read) differed when it was read at last:
    it changed during the build, which is run again reading every file."""


@dataclass(frozen=True)
class Seen:
    """Each input file's stat and digest when it was last hashed, and when it was statted."""

    files: dict[str, tuple[Stat, str]]  # label ("content/articles/x.md") -> (stat, sha256)
    taken_ns: int  # wall clock before the first stat: what is settled is judged by it

    def digest_of(self, label: str, stat: Stat) -> str | None:
        """The file's digest without reading it, if it stats as when hashed and had settled."""
        known = self.files.get(label)
        if known is None or known[0] != stat or stat[2] >= self.taken_ns - SETTLED_NS:
            return None
        return known[1]


@dataclass(frozen=True)
class Inputs:
    digest: str  # sha256 over every input file (path and content) and the build options
    documents: int  # Markdown files under content/
    # the Markdown files under content/ as hashed, for load_sources; closed after it
    read: ReadFiles = field(compare=False, repr=False)
    # Markdown files under content/ not read, as their stat showed them unchanged: path -> sha256
    unread: dict[str, str] = field(compare=False, repr=False)
    seen: Seen = field(compare=False, repr=False)  # for the next build
    changed: bool = field(compare=False, repr=False)  # seen differs from the one given


def fingerprint_inputs(root: Path, options: str, seen: Seen | None = None) -> Inputs:
    """Hash the site in ROOT as a build with `options` (drafts, strict...) would read it.

    `seen`: what an earlier build saw of the files; those still as then are not read.
    """
    taken_ns = time.time_ns()
    digest = hashlib.sha256(f"{code_fingerprint()}\n{options}\n".encode())
    documents = 0
    read = ReadFiles()
    unread: dict[str, str] = {}
    files: dict[str, tuple[Stat, str]] = {}
    hashed = 0
    _add(digest, "site.yaml", str(root / "site.yaml"))
    folders = [("content", root / "content")]
    folders += [(f"theme{number}", folder) for number, folder in enumerate(Theme(root).dirs)]
    listed: list[tuple[str, str, Stat | None, bool, str | None]] = []
    for label, folder in folders:
        for relative, path, stat in _files(str(folder)):
            markdown = label == "content" and relative.lower().endswith(".md")
            name = f"{label}/{relative}"
            known = seen.digest_of(name, stat) if seen is not None and stat is not None else None
            listed.append((name, path, stat, markdown, known))
    _read_ahead([path for _, path, _, _, known in listed if known is None])
    for name, path, stat, markdown, known in listed:
        documents += markdown
        if known is not None and stat is not None:
            digest.update(_entry(name, stat[0], known))
            if markdown:
                unread[name] = known
            files[name] = (stat, known)
            continue
        hashed += 1
        found = _add(digest, name, path, read if markdown else None)
        if found is not None and stat is not None and len(found.data) == stat[0]:
            files[name] = (stat, found.digest)
    # Kept again when a file was hashed: a file that had not settled is trusted only once
    # a later build has seen it settled.
    changed = seen is None or hashed > 0 or seen.files.keys() != files.keys()
    return Inputs(digest.hexdigest(), documents, read, unread, Seen(files, taken_ns), changed)


READ_AHEAD_FROM = 64  # files to read; fewer are read as they come


def _read_ahead(paths: list[str]) -> None:
    """Have the system start reading the files, all of them, before they are read one by one.

    Files the system no longer holds in memory come from the disk: read one
    after the other, 11,000 took the fingerprint 1.7 s, against 0.7 s when the
    disk has all the requests at once (and 0.05 s more when all were in memory).
    Only a hint: a file it cannot open is read (and its error hashed) as before.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None or len(paths) < READ_AHEAD_FROM:
        return
    for path in paths:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            advise(handle, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(handle)


def _files(folder: str) -> list[tuple[str, str, Stat | None]]:
    """Every file below folder with its stat, sorted; symbolic links to files are read as
    load.py reads them (a link is statted as its target).

    Plain strings and scandir: an unchanged rebuild has a second for all of this.
    """
    found: list[tuple[str, str, Stat | None]] = []
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
                found.append((prefix + entry.name, entry.path, _stat(entry)))
    found.sort()
    return found


def _stat(entry: os.DirEntry[str]) -> Stat | None:
    try:
        stat = entry.stat()
    except OSError:
        return None  # a broken link: hashed as its error
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A file, or a link to one; a link that loops is hashed as its error."""
    try:
        return entry.is_file()
    except OSError:
        return True


def _add(digest: Any, label: str, path: str, read: ReadFiles | None = None) -> ReadFile | None:
    """Hash the file's path, size and sha256; keep it in `read`, if given."""
    try:
        found = read.read(label, path) if read is not None else read_file(path)
    except OSError as exc:  # missing or unreadable: part of the state, the build reports it
        data = f"<{type(exc).__name__} {exc.errno}>".encode()
        digest.update(f"{label}\0{len(data)}\0".encode() + data)
        return None
    digest.update(_entry(label, len(found.data), found.digest))
    return found


def _entry(label: str, size: int, sha256: str) -> bytes:
    """What the fingerprint hashes of a file: one format whether it was read or trusted by
    its stat, so the same site has the same fingerprint either way."""
    return f"{label}\0{size}\0{sha256}\n".encode()
