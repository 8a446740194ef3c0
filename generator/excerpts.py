"""Source excerpts for diagnostics: the line a problem points at, and a caret under its column.

Shared by the terminal printer and the overlay of `kennisbank serve`. Files are
read again only when a problem is printed, and each file once per printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic


@dataclass(frozen=True)
class Excerpt:
    line: int
    text: str  # the source line, control characters replaced so a terminal shows it safely
    caret: str | None  # whitespace up to the column, then "^"; None when the column is unknown

    def lines(self) -> list[str]:
        """The excerpt as a numbered gutter, compiler style: ` 3 | date: x` and its caret."""
        gutter = str(self.line)
        shown = [f"  {gutter} | {self.text}"]
        if self.caret is not None:
            shown.append(f"  {' ' * len(gutter)} | {self.caret}")
        return shown


class SourceLines:
    """Reads the site's files on demand to show the lines diagnostics point at."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, list[str] | None] = {}

    def excerpt(self, diagnostic: Diagnostic) -> Excerpt | None:
        """The excerpt for one diagnostic; None when there is no useful line to show."""
        lines = self._lines(diagnostic.path)
        if lines is None or not 1 <= diagnostic.line <= len(lines):
            return None
        text = _printable(lines[diagnostic.line - 1].rstrip())
        if text.strip() in ("", "---") and not diagnostic.column:
            return None  # a blank line or a front-matter fence shows the editor nothing
        caret = None
        if diagnostic.column > 0:
            before = text[: min(diagnostic.column, len(text) + 1) - 1]
            # Keep tabs so the caret lines up however wide the terminal draws them.
            caret = "".join("\t" if ch == "\t" else " " for ch in before) + "^"
        return Excerpt(diagnostic.line, text, caret)

    def _lines(self, relative: str) -> list[str] | None:
        if not relative:
            return None
        if relative not in self._files:
            path = self.root / relative
            try:
                # A link out of the site (FM008) must not be read: its first line could be a secret.
                if not path.resolve().is_relative_to(self.root.resolve()):
                    raise PermissionError(relative)
                raw = path.read_bytes()
            except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
                self._files[relative] = None
            else:
                text = raw.decode("utf-8-sig", errors="replace")
                self._files[relative] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return self._files[relative]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" for ch in text)
