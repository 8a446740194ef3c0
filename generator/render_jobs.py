"""Render the planned pages: each page the cache holds is reused, the rest run across workers.

A page's cache key hashes everything it shows: its template name, its page and
view data (which hold every title, summary and card it lists), the site data
and every theme file. So a page is rendered again exactly when something on
it changed, and an edited article re-renders the lists, related lists, theme
pages and term pages that show it. Workers render disjoint chunks and results
are put back in plan order: output is byte-identical to a serial build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.cache import FILE, BuildCache, stable_digest
from generator.context import SiteView
from generator.diagnostics import Diagnostic, Report
from generator.outputs import OutputFile
from generator.pages import PageSpec
from generator.theme import Theme
from generator.urls import output_path
from generator.workers import Workers

PAGE = "page"  # cache kind: page key -> sha256 of the page's bytes (kept as a FILE)
PARALLEL_THRESHOLD = 100  # pages to render; fewer are rendered in-process
CHUNK = 24


@dataclass(frozen=True)
class RenderSetup:
    """What a worker needs besides the pages: where the templates are, and the site data."""

    site_root: Path
    site: SiteView


@dataclass(frozen=True)
class _Prepared:
    env: jinja2.Environment
    site: SiteView


def render_planned(
    specs: Sequence[PageSpec],
    site: SiteView,
    theme: Theme,
    report: Report,
    *,
    workers: Workers | int = 1,
    cache: BuildCache | None = None,
) -> list[OutputFile]:
    """One OutputFile per page that rendered, in plan order; template errors go to the report."""
    pool = workers if isinstance(workers, Workers) else Workers(workers)
    keys: list[str] = []
    pages: dict[int, OutputFile] = {}
    if cache is not None and cache.enabled:
        shared = stable_digest((theme.fingerprint(), site))
        keys = [_page_key(shared, spec) for spec in specs]
        digests = cache.load(PAGE, keys)
        kept = cache.checksums(FILE, digests.values())
        for number, key in enumerate(keys):
            digest = digests.get(key)
            if isinstance(digest, str) and digest in kept:
                pages[number] = _output(specs[number], digest=digest, fetch=cache.file(digest))
        cache.reused(PAGE, len(pages))
    todo = [number for number in range(len(specs)) if number not in pages]
    results = pool.map(
        _prepare,
        _render_chunk,
        RenderSetup(theme.site_root, site),
        [specs[n] for n in todo],
        parallel_from=PARALLEL_THRESHOLD,
        chunk=CHUNK,
    )
    done = 0
    for chunk in results:
        numbers = todo[done : done + len(chunk)]
        done += len(chunk)
        made: list[tuple[int, bytes]] = []
        for number, (data, problems) in zip(numbers, chunk, strict=True):
            report.diagnostics.extend(problems)
            if data is not None:
                made.append((number, data))
        _keep(made, specs, keys, pages, cache)
    if not isinstance(workers, Workers):
        pool.close()
    return [pages[n] for n in range(len(specs)) if n in pages]


def _page_key(shared: str, spec: PageSpec) -> str:
    own = stable_digest((spec.template, spec.page, spec.view))
    return hashlib.sha256(f"{shared}{own}".encode()).hexdigest()


def _keep(
    made: list[tuple[int, bytes]],
    specs: Sequence[PageSpec],
    keys: list[str],
    pages: dict[int, OutputFile],
    cache: BuildCache | None,
) -> None:
    """Put rendered pages in the cache and hold only their digests (a large site fills memory)."""
    if cache is not None and cache.enabled:
        digests = cache.store_files([data for _, data in made])
        cache.store(PAGE, {keys[n]: d for (n, _), d in zip(made, digests, strict=True)})
        if cache.enabled:  # still: storing did not fail
            for (number, _), digest in zip(made, digests, strict=True):
                pages[number] = _output(specs[number], digest=digest, fetch=cache.file(digest))
            return
    for number, data in made:
        pages[number] = _output(specs[number], data=data)


def _output(
    spec: PageSpec,
    *,
    data: bytes | None = None,
    digest: str | None = None,
    fetch: Callable[[], bytes] | None = None,
) -> OutputFile:
    path = output_path(spec.page.path)
    return OutputFile(path, data, digest=digest, fetch=fetch, kind=spec.page.kind)


def _prepare(setup: RenderSetup) -> _Prepared:
    from generator.render import create_environment  # the one Jinja environment of the theme

    return _Prepared(create_environment(Theme(setup.site_root)), setup.site)


def _render_chunk(
    prepared: _Prepared, specs: list[PageSpec]
) -> list[tuple[bytes | None, list[Diagnostic]]]:
    """Each page's bytes (None when its template failed); the chunk's problems come first."""
    from generator.render import render_pages

    report = Report()
    outputs = render_pages(prepared.env, specs, prepared.site, report)
    by_path = {output.path: output.data for output in outputs}
    results: list[tuple[bytes | None, list[Diagnostic]]] = [
        (by_path.get(output_path(spec.page.path)), []) for spec in specs
    ]
    if results:
        results[0] = (results[0][0], report.diagnostics)
    return results
