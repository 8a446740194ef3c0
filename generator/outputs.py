"""OutputFile: one file of the built site, as the render stage hands it to the write stage.

Its bytes are in memory, or in the build cache (read when needed), or a
source file to copy. A leaf module, so the write stage needs no template engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: bytes to write, bytes to fetch, or a source file to copy."""

    path: str  # relative to the output root, "/" separators
    data: bytes | None = None
    source: Path | None = None  # static files are copied, not read into memory
    digest: str | None = None  # sha256 (hex) of the content, when already known
    kind: str = ""  # a page's kind (PageView.kind: "article", "term", "list"...); "" otherwise
    # Reads the bytes from the build cache: rendered pages are not all held in memory.
    fetch: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    # Hard-links the cached file to the given path (False: not possible, read() it instead).
    place: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)

    def read(self) -> bytes:
        """The file's content, wherever it is kept."""
        if self.data is not None:
            return self.data
        if self.fetch is not None:
            return self.fetch()
        assert self.source is not None
        return self.source.read_bytes()

    @property
    def is_copy(self) -> bool:
        """A static file copied from the site's content (not made by the build)."""
        return self.data is None and self.fetch is None
