"""Stable hashes: of a value (the keys of the build cache) and of the generator's own code.

Both depend only on content, never on object identity, file times or the
process, so a key made in one build or process is found by the next.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

import generator

FORMAT = "kennisbank build cache 7"  # change when what the cache keeps changes shape
# Libraries whose version changes what a build writes.
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "nh3", "babel", "pyyaml")


@cache
def code_fingerprint() -> str:
    """A hash of the generator's code and of the libraries that shape its output."""
    digest = hashlib.sha256(f"{FORMAT}\n{sys.version}\n{generator.__version__}\n".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stable_digest(value: object) -> str:
    """A hash of a value that depends only on the value, not on object identity.

    Pickle's memo would encode which equal objects happen to be shared; fast
    mode leaves it out. Sets would make the hash differ between processes (a
    cache miss, never a wrong hit), so views hold tuples.
    """
    # Picklers are used again (making one was 40% of a call), one per thread; a value
    # whose pickling asks for a digest itself (through __reduce__) finds none free and
    # makes its own.
    free: list[tuple[io.BytesIO, pickle.Pickler]] | None = getattr(_picklers, "free", None)
    if free is None:
        free = _picklers.free = []
    buffer, pickler = free.pop() if free else _new_pickler()
    try:
        buffer.seek(0)
        buffer.truncate()
        pickler.dump(value)
        return hashlib.sha256(buffer.getbuffer()).hexdigest()
    finally:
        free.append((buffer, pickler))


def _new_pickler() -> tuple[io.BytesIO, pickle.Pickler]:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    return buffer, pickler


_picklers = threading.local()
