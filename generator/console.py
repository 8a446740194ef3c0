"""Terminal output of the CLI: stage progress, diagnostics with their source line, summaries.

An interactive terminal (stderr a TTY, not CI) gets a rich progress bar and
colour; CI and pipes get plain lines. --quiet prints errors only; --verbose adds
codes and stage timings. rich is imported only when it draws: the CLI starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from generator.diagnostics import Diagnostic, Report, Severity
from generator.editorial import heading, split_report
from generator.excerpts import SourceLines

STAGES = ("load", "validate", "index", "render", "write")


def is_interactive(stream: TextIO) -> bool:
    """A person watches this stream: a terminal, and not a CI job."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """Prints for one command run; diagnostics and progress go to stderr, summaries to `out`."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        timings: bool = False,
        err: TextIO | None = None,
        out: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.show_timings = timings or verbose
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.interactive = is_interactive(self.err) if interactive is None else interactive
        self._rich: Any = None  # rich.console.Console, made on first colourful print
        self._last_excerpt: tuple[str, int, int] | None = None

    # Progress ----------------------------------------------------------------
    @contextmanager
    def progress(self, stages: Sequence[str] = STAGES) -> Iterator[Callable[[str], None]]:
        """Yield a callback for build(progress=...): a bar on a terminal, plain lines in CI."""
        if self.quiet:
            yield _ignore
            return
        if not self.interactive:

            def plain(stage: str) -> None:
                number = stages.index(stage) + 1 if stage in stages else "?"
                print(f"[{number}/{len(stages)}] {stage}", file=self.err, flush=True)

            yield plain
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=self._console(),
            transient=True,  # the summary replaces the bar
        )
        with bar:
            task = bar.add_task(stages[0], total=len(stages))

            def advance(stage: str) -> None:
                done = stages.index(stage) if stage in stages else 0
                bar.update(task, completed=done, description=stage)

            yield advance

    # Diagnostics -----------------------------------------------------------
    def diagnostics(self, diagnostics: Sequence[Diagnostic], language: str, root: Path) -> None:
        """Print each diagnostic in compiler style; errors also show their source line."""
        sources = SourceLines(root)
        for diagnostic in diagnostics:
            self._diagnostic(diagnostic, language, sources)
        self._last_excerpt = None

    def report(self, report: Report, language: str, root: Path) -> None:
        """Print every diagnostic of a build (build and serve: short, no report sections)."""
        self.diagnostics(report.sorted(), language, root)

    def editors_report(
        self, report: Report, language: str, root: Path, *, complete: bool = True
    ) -> None:
        """Print `check`'s output: other problems first, then the editors' report by section.

        `complete` is False when errors kept the advice from being computed: then
        only sections with findings are shown, never a misleading "none".
        """
        rest, sections = split_report(report.sorted())
        self.diagnostics(rest, language, root)
        if self.quiet:
            for section in sections:
                self.diagnostics(section.diagnostics, language, root)
            return
        sources = SourceLines(root)
        self._line("", None)
        self._line(heading("title", language), "bold")
        for section in sections:
            found = section.diagnostics
            if not found and not complete:
                continue
            count = str(len(found)) if found else heading("none", language)
            self._line(f"  {heading(section.key, language)}: {count}", "bold")
            for diagnostic in found:
                self._diagnostic(diagnostic, language, sources, indent="    ")
        if not complete:
            self._line(f"  ({heading('later', language)})", None)

    def _diagnostic(
        self, diagnostic: Diagnostic, language: str, sources: SourceLines, indent: str = ""
    ) -> None:
        error = diagnostic.severity is Severity.ERROR
        if self.quiet and not error:
            return
        text = diagnostic.format(language, verbose=self.verbose)
        self._line(indent + text, "red" if error else "yellow")
        excerpt = sources.excerpt(diagnostic) if error else None
        where = (diagnostic.path, diagnostic.line, diagnostic.column)
        if excerpt is not None and where != self._last_excerpt:  # once for a run of repeats
            for line in excerpt.lines():
                self._line(indent + line, "dim")
        self._last_excerpt = where

    # Summaries and other lines ---------------------------------------------
    def summary(self, text: str) -> None:
        """The closing line of a command (to `out`); left out with --quiet."""
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def notice(self, text: str) -> None:
        """A line about the run as a whole (to `out`, like the summary); left out with --quiet."""
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        """A problem with the run itself (not the content), shown even with --quiet."""
        self._line(text, "red")

    def info(self, text: str) -> None:
        """A line of progress news on stderr; left out with --quiet."""
        if not self.quiet:
            self._line(text, None)

    def timings(self, timings: Mapping[str, float]) -> None:
        """Stage timings (to `out`, before the summary), with --verbose or --timings."""
        if self.show_timings:
            for stage, seconds in timings.items():
                print(f"{stage:>10}: {seconds:7.3f} s", file=self.out, flush=True)

    def _line(self, text: str, style: str | None) -> None:
        if self.interactive and style:
            from rich.text import Text

            self._console().print(Text(text, style=style), soft_wrap=True)
        else:
            print(text, file=self.err, flush=True)

    def _console(self) -> Any:
        if self._rich is None:
            from rich.console import Console as RichConsole

            self._rich = RichConsole(file=self.err, highlight=False)
        return self._rich


def _ignore(stage: str) -> None:
    """A progress callback that shows nothing (--quiet)."""
