"""Reading a content file: its bytes and their sha256, the one way the build reads them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadFile:
    data: bytes
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
