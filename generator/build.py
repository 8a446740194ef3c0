"""The build, stage by stage: load -> validate -> index -> render. Writing is the caller's.

The one place that knows every stage. Each stage reports problems to one
Report and goes on, so a build shows every problem of the site; render waits
until no error is left, and nothing is returned to write while any remains.
With a cache folder, a site whose inputs hash as at the last successful build
gets that build's report and files back without running a stage, and the
index and render stages reuse every body and page whose inputs are unchanged.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import BuildCache
from generator.diagnostics import Diagnostic, Report
from generator.fingerprint import InputChanged, Inputs, Seen, fingerprint_inputs
from generator.outputs import OutputFile
from generator.workers import Workers

if TYPE_CHECKING:
    from generator.config import SiteConfig
    from generator.index import SiteIndex
    from generator.model import Content

LAST_BUILD = "build"  # cache kind: input fingerprint -> _Record of the successful build
SEEN = "inputs seen"  # cache kind: "site" -> fingerprint.Seen, each input file's stat and digest
PARALLEL_FROM = 200  # Markdown files; a smaller site is built in one process


@dataclass
class BuildResult:
    report: Report
    config: SiteConfig
    outputs: tuple[OutputFile, ...] = ()
    content: Content | None = None
    index: SiteIndex | None = None
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    cache: BuildCache | None = None  # open until close(): cached outputs read their bytes from it
    reused: bool = False  # inputs as at the last successful build: its files, no stage run

    @property
    def ok(self) -> bool:
        return bool(self.outputs)

    @property
    def counts(self) -> Counter[str]:
        """What the cache saved and what was made anew ("body reused", "page made"...)."""
        return Counter(self.cache.counts) if self.cache is not None else Counter()

    def close(self) -> None:
        """Release the build cache, once the outputs are written."""
        if self.cache is not None:
            self.cache.close()


@dataclass(frozen=True)
class _Record:
    """What a successful build leaves for an unchanged rebuild: its report and its files."""

    config: SiteConfig
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[tuple[str, str, Path | None, str], ...]  # (path, sha256, source of a copy, kind)


def build(
    root: Path,
    *,
    drafts: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    fresh_cache: bool = False,
    reuse_unchanged: bool = False,
    write_cache: bool = True,
) -> BuildResult:
    """Run every stage on the site in ROOT; outputs stay empty when anything is wrong.

    `progress` is told the name of each stage as it starts (the CLI's progress bar).
    `cache_dir` holds the build cache (`fresh_cache`: ignore what it holds and
    start it anew; `write_cache=False`: only read an existing one). `reuse_unchanged`:
    when every input is as at the last successful build, return its outputs
    without running a stage (content and index then stay None).
    """
    options = (root, drafts, strict, jobs, progress, cache_dir, reuse_unchanged, write_cache)
    try:
        return _build(*options, fresh_cache=fresh_cache, trust_seen=True)
    except InputChanged:
        # A file taken as unchanged by its stat was not: it changed during the build.
        # Once more, reading every file (what the cache holds is still good).
        return _build(*options, fresh_cache=fresh_cache, trust_seen=False)


def _build(
    root: Path,
    drafts: bool,
    strict: bool,
    jobs: int | None,
    progress: Callable[[str], None] | None,
    cache_dir: Path | None,
    reuse_unchanged: bool,
    write_cache: bool,
    *,
    fresh_cache: bool,
    trust_seen: bool,
) -> BuildResult:
    timings: dict[str, float] = {}
    cache = (
        BuildCache(cache_dir, read=not fresh_cache, write=write_cache)
        if cache_dir is not None
        else None
    )
    with ExitStack() as kept:
        if cache is not None:
            kept.push(_closed_on_error(cache))  # else the caller closes it, with the result
        with _timed(timings, "fingerprint"):
            seen = _seen(cache) if trust_seen else None
            inputs = fingerprint_inputs(root, f"drafts={drafts} strict={strict}", seen)
            kept.callback(inputs.read.close)  # the files it kept go back, whatever happens
            if cache is not None and inputs.changed:
                cache.store(SEEN, {"site": inputs.seen})
            if reuse_unchanged and cache is not None:
                reused = _reuse(cache, inputs, timings)
                if reused is not None:
                    return reused
        # The stages' code (Markdown, Jinja...) is imported only now, as an unchanged site
        # is done without it; before the workers are forked, so that they share it
        # (importing it in each worker cost them 0.3 s, and the parent as much while they
        # competed for the cores); the site, loaded after, is not copied into them.
        import generator.index
        import generator.render  # noqa: F401

        with Workers(jobs) as workers:
            if inputs.documents >= PARALLEL_FROM:
                workers.start()
            result = _run_stages(root, drafts, strict, progress, workers, cache, timings, inputs)
    if cache is not None:
        if result.ok:
            _remember(cache, inputs, result)
        cache.finish(ok=result.ok)
    return result


def _run_stages(
    root: Path,
    drafts: bool,
    strict: bool,
    progress: Callable[[str], None] | None,
    workers: Workers,
    cache: BuildCache | None,
    timings: dict[str, float],
    inputs: Inputs,
) -> BuildResult:
    # Imported here: an unchanged site is done without them (see build).
    from generator.config import load_config
    from generator.crossref import validate_sources
    from generator.index import build_index
    from generator.load import load_sources
    from generator.render import render_site

    report = Report()
    with _timed(timings, "load", progress):
        config = load_config(root, report)
        sources = load_sources(root, report, cache, inputs.read, inputs.unread)
        inputs.read.close()  # the files' memory maps go back to the system
    with _timed(timings, "validate", progress):
        content = validate_sources(
            sources, config, report, drafts=drafts
        )  # drops bad items, keeps going
    with _timed(timings, "index", progress):
        # Parses every body once; finds link and anchor errors, so every error is known after it.
        site_index = build_index(
            content, config, report, workers=workers, cache=cache, timings=timings, strict=strict
        )
    result = BuildResult(report, config, (), content, site_index, timings, cache)
    if report.blocks_output(strict=strict):
        return result
    with _timed(timings, "render", progress):
        outputs = render_site(
            content, site_index, config, report, root, workers=workers, cache=cache
        )
    if report.blocks_output(strict=strict):
        return result
    result.outputs = tuple(outputs)
    return result


def _closed_on_error(cache: BuildCache) -> Callable[..., bool]:
    """An exit callback for ExitStack.push: closes the cache when the build raises."""

    def close(kind: type[BaseException] | None, *_: object) -> bool:
        if kind is not None:
            cache.close()
        return False

    return close


def _seen(cache: BuildCache | None) -> Seen | None:
    """What the last build saw of the input files (fingerprint.Seen), if the cache holds it."""
    if cache is None or not cache.enabled or os.name != "posix":
        return None  # elsewhere ctime is no change time (fingerprint.py)
    found = cache.load(SEEN, ["site"]).get("site")
    return found if isinstance(found, Seen) else None


def _reuse(cache: BuildCache, inputs: Inputs, timings: dict[str, float]) -> BuildResult | None:
    """The last successful build's result, when it was made from exactly these inputs."""
    # Only looked at, not touched: a build that changes nothing writes nothing to the cache
    # (but what the fingerprint saw, when it had to read a file).
    # Its files are read (and verified) only if output/ lacks them; a damaged one raises
    # CacheError then, and the CLI builds again without the cache.
    record = cache.load(LAST_BUILD, [inputs.digest], touch=False).get(inputs.digest)
    if not isinstance(record, _Record):
        return None
    outputs = tuple(
        OutputFile(path, source=source) if source is not None else cache.output(path, digest, kind)
        for path, digest, source, kind in record.files
    )
    report = Report(list(record.diagnostics))
    return BuildResult(report, record.config, outputs, timings=timings, cache=cache, reused=True)


def _remember(cache: BuildCache, inputs: Inputs, result: BuildResult) -> None:
    """Record the successful build under its input fingerprint (files held in memory go in too)."""
    held = [f for f in result.outputs if f.data is not None]
    kept = cache.store_files([f.read() for f in held])
    digests = dict(zip((f.path for f in held), kept, strict=True))
    files = tuple(
        (f.path, digests.get(f.path) or f.digest or "", f.source if f.is_copy else None, f.kind)
        for f in result.outputs
    )
    record = _Record(result.config, tuple(result.report.diagnostics), files)
    cache.store(LAST_BUILD, {inputs.digest: record})


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
