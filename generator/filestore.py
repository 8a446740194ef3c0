"""Built files kept by content in .kennisbank-cache/files/: written once, then hard-linked.

A rendered page is written here by the worker that made it and linked into
the output tree, so its bytes hit the disk once (writing them to the cache
and again to output/ made the disk the bottleneck of a large build). Files
are replaced, never written into; the size and time each had when written
are recorded by the cache, and a file that no longer matches is not used.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FILES_DIR = "files"
Stamp = tuple[int, int]  # (size, mtime_ns) when written


def write_file(name: str, data: bytes) -> None:
    """Write data to the file `name` (made or emptied) with bare system calls: a buffered
    file object took half the time of keeping 12,800 pages."""
    handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


class FileStore:
    """Files named by the sha256 of their content, two hex digits per folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = os.fspath(root)

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def _name(self, digest: str) -> str:
        """path() as a string: checking and linking 12,000 kept pages, Paths cost a third."""
        return f"{self._root}/{digest[:2]}/{digest}"

    def put(self, digest: str, data: bytes) -> Stamp:
        """Write the file (atomically, as a new file) unless it is there; its stamp.

        Bare system calls on string paths, its folder made only when missing: a
        cold build puts 12,800 pages, and Path objects, buffered file objects and a
        mkdir for each were half of it.
        """
        name = self._name(digest)
        try:
            return _stamp(name)
        except OSError:
            pass
        folder = name.rpartition("/")[0]
        temporary = f"{folder}/.{digest}.{os.getpid()}"
        try:
            write_file(temporary, data)
        except FileNotFoundError:
            Path(folder).mkdir(parents=True, exist_ok=True)  # once per folder
            write_file(temporary, data)
        os.replace(temporary, name)  # noqa: PTH105 (string paths: see above)
        return _stamp(name)

    def unchanged(self, digest: str, stamp: Stamp) -> bool:
        """The file is there with the size and time it was written with."""
        try:
            return _stamp(self._name(digest)) == stamp
        except OSError:
            return False

    def stamp(self, digest: str) -> Stamp:
        return _stamp(self._name(digest))

    def read(self, digest: str) -> bytes | None:
        try:
            return self.path(digest).read_bytes()
        except OSError:
            return None

    def link(self, digest: str, target: str) -> bool:
        """Hard-link the file to target; False when that is not possible here."""
        try:
            os.link(self._name(digest), target)
        except OSError:
            return False
        return True

    def remove(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _stamp(path: Path | str) -> Stamp:
    stat = os.stat(path)  # noqa: PTH116 (also given str: see FileStore._name)
    return (stat.st_size, stat.st_mtime_ns)
