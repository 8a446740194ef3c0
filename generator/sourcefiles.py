"""Content files read once per build: the fingerprint reads them, the load stage takes them over.

A rebuild hashes every input to know whether anything changed, then loads the
Markdown files: reading 11,000 files twice cost a rebuild 0.2 s. The files
the fingerprint read are kept for the load stage, which also sees exactly the
bytes that were hashed. They are kept in memory maps that forked processes do
not inherit (MADV_DONTFORK): the workers, forked between the two, would each
count a copy of the whole corpus (67 MB at 10,000 articles) in their memory.
The maps are given back to the system after the load. Where a system cannot
keep a map out of forked processes, nothing is kept and load reads again.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
from dataclasses import dataclass

_MAP_SIZE = 32 << 20  # bytes per memory map; a bigger file gets one of its own


@dataclass(frozen=True)
class ReadFile:
    data: bytes | memoryview  # a memoryview into ReadFiles' maps until they are closed
    digest: str  # sha256 of data


def read_file(path: str) -> ReadFile:
    """A file's bytes and their sha256, with bare system calls (file objects cost a third more)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        parts = []
        while chunk := os.read(handle, 1 << 20):
            parts.append(chunk)
    finally:
        os.close(handle)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    return ReadFile(data, hashlib.sha256(data).hexdigest())


class ReadFiles:
    """Files read and kept by site-relative path; each is handed over once (take)."""

    def __init__(self) -> None:
        self._files: dict[str, ReadFile] = {}
        self._maps: list[mmap.mmap] = []
        self._free = 0  # first unused byte of the last map
        self.keeping = hasattr(mmap, "MADV_DONTFORK")

    def read(self, relative: str, path: str) -> ReadFile:
        """Read the file (kept for take, where maps can be kept out of forked processes)."""
        if not self.keeping:
            return read_file(path)
        handle = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(handle).st_size
            view = self._space(size + 1)  # one byte more: a file that grew meanwhile shows
            if view is None:  # no map to be had: this file and the rest as plain bytes
                return read_file(path)
            filled = 0
            while filled < len(view) and (count := os.readv(handle, [view[filled:]])):
                filled += count
            if filled > size:  # it grew: read the rest as plain bytes, keep nothing
                rest = [bytes(view[:filled])]
                while chunk := os.read(handle, 1 << 20):
                    rest.append(chunk)
                data = b"".join(rest)
                return ReadFile(data, hashlib.sha256(data).hexdigest())
        finally:
            os.close(handle)
        self._free += filled
        found = ReadFile(view[:filled], hashlib.sha256(view[:filled]).hexdigest())
        self._files[relative] = found
        return found

    def _space(self, size: int) -> memoryview | None:
        """Room for `size` bytes in a map; None (and nothing kept from now on) when the
        system gives no map that forked processes leave out: the error is not the file's."""
        if not self._maps or self._free + size > len(self._maps[-1]):
            try:
                block = mmap.mmap(-1, max(_MAP_SIZE, size))
            except OSError:
                self.keeping = False
                return None
            try:
                block.madvise(mmap.MADV_DONTFORK)
            except OSError:
                block.close()
                self.keeping = False
                return None
            if hasattr(mmap, "MADV_HUGEPAGE"):  # fewer page faults: filling it cost 40% less
                with contextlib.suppress(OSError):  # a kernel without huge pages: no matter
                    block.madvise(mmap.MADV_HUGEPAGE)
            self._maps.append(block)
            self._free = 0
        return memoryview(self._maps[-1])[self._free : self._free + size]

    def take(self, relative: str) -> ReadFile | None:
        """The file as read, or None when it was not kept."""
        return self._files.pop(relative, None)

    def __len__(self) -> int:
        return len(self._files)

    def close(self) -> None:
        """Give the maps back; the views handed out must be gone by now."""
        self._files.clear()
        for block in self._maps:
            with contextlib.suppress(BufferError):  # a view still held: freed with it
                block.close()
        self._maps.clear()
        self._free = 0
