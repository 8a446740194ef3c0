"""Diagnostics: one problem found in the site, and the Report that collects them all.

Content problems are data, not exceptions: every stage adds to one Report and
goes on, so an editor sees every problem of the site in one run.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.messages import render_message


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at `path:line`, in `field`; the text comes from the message catalogue."""

    path: str  # relative to the site root, "/" separators
    line: int  # 1-based
    code: str  # stable id ("FM003"); tests and JSON reports use it
    field: str  # the front-matter field or key, or a word like "link" for body problems
    severity: Severity = Severity.ERROR
    params: tuple[tuple[str, str], ...] = ()  # message parameters, kept as data
    column: int = 0  # 1-based column the problem points at; 0 when unknown

    def message(self, language: str = "en") -> tuple[str, str | None]:
        """Return (what is wrong, hint) in the given language."""
        return render_message(self.code, language, dict(self.params))

    def format(self, language: str = "en", *, verbose: bool = False) -> str:
        """Format as `path:line: field: what is wrong (hint)`."""
        text, hint = self.message(language)
        where = f"{self.path}:{self.line}: " if self.path else ""
        what = f"{self.field}: " if self.field else ""
        code = f"[{self.code}] " if verbose else ""
        tail = f" ({hint})" if hint else ""
        warn = _WARNING_WORD[language] if self.severity is Severity.WARNING else ""
        return _visible(f"{where}{code}{warn}{what}{text}{tail}")


_WARNING_WORD = {"en": "warning: ", "nl": "waarschuwing: "}


def _visible(text: str) -> str:
    """Control and format characters from content written as escapes (\\x1b), never sent raw.

    File names and values are the editors'; printed raw, an ESC sequence could
    recolour or retitle the terminal and a bidi override could reorder the line.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


@dataclass
class Report:
    """Collects the diagnostics of one build; stages add to it and carry on."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        path: str,
        line: int,
        field_name: str,
        severity: Severity = Severity.ERROR,
        **params: object,
    ) -> None:
        """Record one problem; params fill the catalogue's message for `code`."""
        items = tuple(sorted((k, str(v)) for k, v in params.items()))
        self.diagnostics.append(Diagnostic(path, max(line, 1), code, field_name, severity, items))

    def error(self, code: str, path: str, line: int, field_name: str, **params: object) -> None:
        self.add(code, path, line, field_name, Severity.ERROR, **params)

    def warning(self, code: str, path: str, line: int, field_name: str, **params: object) -> None:
        self.add(code, path, line, field_name, Severity.WARNING, **params)

    def error_at(self, code: str, path: str, line: int, col: int, **params: object) -> None:
        """Record an error at a known 1-based column (YAML syntax), so printers can put a caret."""
        items = tuple(sorted((k, str(v)) for k, v in params.items()))
        diagnostic = Diagnostic(path, max(line, 1), code, "", Severity.ERROR, items, max(col, 0))
        self.diagnostics.append(diagnostic)

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def blocks_output(self, *, strict: bool = False) -> bool:
        """True when nothing may be rendered or written: any error, or any warning if strict."""
        return self.has_errors() or (strict and bool(self.diagnostics))

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics in path, line order (compiler style)."""
        return sorted(set(self.diagnostics))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def codes(self) -> list[str]:
        return [d.code for d in self.sorted()]

    def format_lines(self, language: str = "en", *, verbose: bool = False) -> list[str]:
        return [d.format(language, verbose=verbose) for d in self.sorted()]

    def summary(self, language: str = "en") -> str:
        """One closing line: how many errors and warnings."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        if language == "nl":
            return f"{n_err} {'fout' if n_err == 1 else 'fouten'}, {n_warn} " + (
                "waarschuwing" if n_warn == 1 else "waarschuwingen"
            )
        return f"{n_err} {'error' if n_err == 1 else 'errors'}, {n_warn} " + (
            "warning" if n_warn == 1 else "warnings"
        )
