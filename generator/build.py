"""The build, stage by stage: load -> validate -> index -> render. Writing is the caller's.

The one place that knows every stage. Each stage reports problems to one
Report and goes on, so a build shows every problem of the site; render waits
until no error is left, and nothing is returned to write while any remains.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.bodies import default_jobs
from generator.config import SiteConfig, load_config
from generator.crossref import validate_sources
from generator.diagnostics import Report
from generator.index import SiteIndex, build_index
from generator.load import load_sources
from generator.model import Content
from generator.render import OutputFile, render_site


@dataclass
class BuildResult:
    report: Report
    config: SiteConfig
    outputs: tuple[OutputFile, ...] = ()
    content: Content | None = None
    index: SiteIndex | None = None
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds

    @property
    def ok(self) -> bool:
        return bool(self.outputs)


def build(
    root: Path,
    *,
    drafts: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run every stage on the site in ROOT; outputs stay empty when anything is wrong.

    `progress` is told the name of each stage as it starts (the CLI's progress bar).
    """
    report = Report()
    timings: dict[str, float] = {}
    with _timed(timings, "load", progress):
        config = load_config(root, report)
        sources = load_sources(root, report)
    with _timed(timings, "validate", progress):
        content = validate_sources(
            sources, config, report, drafts=drafts
        )  # drops bad items, keeps going
    with _timed(timings, "index", progress):
        # Parses every body once; finds link and anchor errors, so every error is known after it.
        site_index = build_index(content, config, report, workers=jobs or default_jobs())
    result = BuildResult(report, config, (), content, site_index, timings)
    if report.blocks_output(strict=strict):
        return result
    with _timed(timings, "render", progress):
        outputs = render_site(content, site_index, config, report, root)
    if report.blocks_output(strict=strict):
        return result
    result.outputs = tuple(outputs)
    return result


@contextmanager
def _timed(
    timings: dict[str, float], stage: str, progress: Callable[[str], None] | None = None
) -> Iterator[None]:
    if progress is not None:
        progress(stage)
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - start
