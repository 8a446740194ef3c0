"""Render the planned pages: each page the cache holds is reused, the rest run across workers.

A page's cache key hashes everything it shows: its template name, its page and
view data (which hold every title, summary and card it lists), the site data
and every theme file. So a page is rendered again exactly when something on
it changed, and an edited article re-renders the lists, related lists, theme
pages and term pages that show it. (The kinds of page keyed by their inputs,
page_inputs.py, are kept by those keys instead.) Workers render disjoint
chunks and results are put back in plan order: output is byte-identical to a
serial build. Workers write the pages' files; the entries that record them
come back with the pages, for the parent to write.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from generator.cache import FILE, TEMPLATE_CODE, BuildCache, Row
from generator.context import PageView, SiteView
from generator.diagnostics import Diagnostic, Report
from generator.digests import stable_digest
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
    """What a worker needs besides the pages: templates, site data, and the build cache."""

    site_root: Path
    site: SiteView
    cache_dir: Path | None  # None: no cache, rendered bytes come back to the parent
    cache_writable: bool  # False: look pages up, keep none (rendered bytes come back)
    shared: str  # the part of every page key that all pages share (site data, theme files)
    by_inputs: frozenset[str] = frozenset()  # page kinds the cache keeps by their inputs


@dataclass(frozen=True)
class _Prepared:
    env: jinja2.Environment
    setup: RenderSetup
    cache: BuildCache | None


@dataclass(frozen=True)
class _Rendered:
    """One page as a worker hands it back: its digest in the cache, or its bytes."""

    key: str
    digest: str | None  # sha256 of the page kept in the cache
    data: bytes | None  # the page itself, when there is no cache
    reused: bool
    problems: tuple[Diagnostic, ...] = ()


def render_planned(
    planned: Iterable[PageSpec],
    site: SiteView,
    theme: Theme,
    report: Report,
    *,
    workers: Workers | int = 1,
    cache: BuildCache | None = None,
    by_inputs: frozenset[str] = frozenset(),
) -> tuple[list[PageView], list[OutputFile]]:
    """The planned pages (their PageViews), and an OutputFile per page that rendered, in plan order.

    Pages of the kinds in `by_inputs` are kept in the cache by the keys of their
    inputs (page_inputs.py, by the caller), which spare planning them at all:
    they get no key of their view. Hashing every view took a cold build of
    10,000 articles 1.4 s of the workers' time, for a key found again only
    when an input changed without changing the page.

    A page's view (its body HTML, its cards) is let go once it is handed to a
    worker: keeping every view to the end held 200 MB in the parent at 10,000
    articles.

    Template errors go to the report. With pages in the cache (a rebuild), the
    parent hashes every page and sends only the missing ones to the workers:
    shipping all of them cost more than hashing. Otherwise every page goes to
    the workers as it is planned (they render the first pages while the parent
    plans the next), and they hash, render and keep them: the parent only plans
    and collects digests.
    """
    pool = workers if isinstance(workers, Workers) else Workers(workers)
    kept = cache is not None and cache.enabled
    shared = stable_digest((theme.fingerprint, site)) if kept else ""
    setup = RenderSetup(
        theme.site_root,
        site,
        cache.directory if kept and cache is not None else None,
        cache is not None and cache.writable,
        shared,
        by_inputs,
    )
    planned_pages: list[PageView] = []
    pages: dict[int, OutputFile] = {}
    todo: Iterable[int]
    jobs: Iterable[PageSpec]
    if cache is not None and kept and cache.holds(PAGE):
        specs = list(planned)
        planned_pages = [spec.page for spec in specs]
        keys = [_view_key(shared, spec, by_inputs) for spec in specs]
        for number, digest in _lookup(cache, keys).items():
            pages[number] = _kept(planned_pages[number], cache, digest)
        cache.reused(PAGE, len(pages))
        todo = [number for number in range(len(specs)) if number not in pages]
        jobs = [specs[n] for n in todo]
        del specs
    else:
        todo = itertools.count()
        jobs = _listed(planned, planned_pages)
    results = pool.map(
        _prepare, _render_chunk, setup, jobs, parallel_from=PARALLEL_THRESHOLD, chunk=CHUNK
    )
    reused = made = 0
    rendered = _written(results, cache)
    for number, page in zip(todo, rendered, strict=False):  # todo may count without end
        report.diagnostics.extend(page.problems)
        reused += page.reused
        if page.digest is not None and cache is not None:
            if page.key:
                cache.mark_used(PAGE, [page.key])
            cache.mark_used(FILE, [page.digest])
            pages[number] = _kept(planned_pages[number], cache, page.digest)
        elif page.data is not None:
            pages[number] = _output(planned_pages[number], data=page.data)
        made += not page.reused and number in pages
    if cache is not None:
        cache.reused(PAGE, reused)
        cache.made(PAGE, made)
    if not isinstance(workers, Workers):
        pool.close()
    outputs = [pages[number] for number in range(len(planned_pages)) if number in pages]
    return planned_pages, outputs


def _written(
    results: Iterable[tuple[list[_Rendered], list[Row]]], cache: BuildCache | None
) -> Iterator[_Rendered]:
    """Each chunk's pages, once the cache entries that keep them are written here."""
    for pages, rows in results:
        if cache is not None:
            cache.write_rows(rows)
        yield from pages


def _listed(planned: Iterable[PageSpec], pages: list[PageView]) -> Iterator[PageSpec]:
    """The planned pages, each one's PageView added to `pages` as it is handed on."""
    for spec in planned:
        pages.append(spec.page)
        yield spec


def _lookup(cache: BuildCache, keys: list[str]) -> dict[int, str]:
    """Plan position -> digest of each page the cache holds (its bytes there too); "": no key."""
    digests = cache.load(PAGE, [key for key in keys if key])
    kept = cache.kept_files(d for d in digests.values() if isinstance(d, str))
    found: dict[int, str] = {}
    for number, key in enumerate(keys):
        digest = digests.get(key)
        if isinstance(digest, str) and digest in kept:
            found[number] = digest
    return found


def _output(page: PageView, *, data: bytes) -> OutputFile:
    return OutputFile(output_path(page.path), data, kind=page.kind)


def _kept(page: PageView, cache: BuildCache, digest: str) -> OutputFile:
    """A page kept in the cache: linked into the output tree, or read, when written."""
    return cache.output(output_path(page.path), digest, page.kind)


def _prepare(setup: RenderSetup) -> _Prepared:
    from generator.render import create_environment  # the one Jinja environment of the theme

    directory = setup.cache_dir
    cache = (
        BuildCache.attach(directory, write=setup.cache_writable, deferred=True)
        if directory
        else None
    )
    env = create_environment(Theme(setup.site_root))
    if cache is not None and cache.writable:
        env.bytecode_cache = _CompiledTemplates(cache)
    return _Prepared(env, setup, cache)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache, where every value is checked when read.

    Compiling the theme took each process of a build up to 0.1 s. Jinja checks
    that a kept template was compiled from the same source by the same Python.
    """

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.cache.load_bytes(TEMPLATE_CODE, [bucket.key]).get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.store_bytes(TEMPLATE_CODE, {bucket.key: bucket.bytecode_to_string()})


def _render_chunk(prepared: _Prepared, specs: list[PageSpec]) -> tuple[list[_Rendered], list[Row]]:
    """Each page from the cache, or rendered (and kept there); problems ride on the first.

    Also the cache entries that keep them, for the parent to write (its files are
    written here).
    """
    from generator.render import render_pages

    setup = prepared.setup
    cache = prepared.cache if prepared.cache is not None and prepared.cache.enabled else None
    keys = [_view_key(setup.shared, spec, setup.by_inputs) if cache else "" for spec in specs]
    known: dict[str, str] = {}
    if cache is not None and any(keys):
        digests = cache.load(PAGE, [key for key in keys if key], touch=False)
        wanted = (d for d in digests.values() if isinstance(d, str))
        kept = cache.kept_files(wanted)
        known = {key: d for key, d in digests.items() if isinstance(d, str) and d in kept}
    missing = [spec for spec, key in zip(specs, keys, strict=True) if key not in known]
    report = Report()
    rendered = render_pages(prepared.env, missing, setup.site, report)
    made = {output.path: output.data for output in rendered if output.data is not None}
    paths = [output_path(spec.page.path) for spec in specs]
    stored = _store(cache, paths, keys, made) if cache is not None else {}
    results = []
    for path, key in zip(paths, keys, strict=True):
        if key in known:
            results.append(_Rendered(key, known[key], None, True))
        elif path in stored:
            results.append(_Rendered(key, stored[path], None, False))
        else:
            results.append(_Rendered(key, None, made.get(path), False))
    if results and report.diagnostics:
        results[0] = replace(results[0], problems=tuple(report.diagnostics))
    return results, prepared.cache.take_rows() if prepared.cache is not None else []


def _store(
    cache: BuildCache, paths: list[str], keys: list[str], made: dict[str, bytes]
) -> dict[str, str]:
    """Keep the rendered pages (`made`, by output path) in the cache, each under its key if it
    has one: output path -> digest of the kept bytes ({} on failure)."""
    fresh = [path for path in paths if path in made]
    digests = cache.store_files([made[path] for path in fresh])
    stored = dict(zip(fresh, digests, strict=True))
    cache.store(
        PAGE,
        {
            key: stored[path]
            for path, key in zip(paths, keys, strict=True)
            if key and path in stored
        },
    )
    return stored if cache.enabled and cache.writable else {}


def _view_key(shared: str, spec: PageSpec, by_inputs: frozenset[str]) -> str:
    """The page's key by its view; "" for a kind the cache keeps by its inputs alone."""
    return _page_key(shared, spec) if spec.page.kind not in by_inputs else ""


def _page_key(shared: str, spec: PageSpec) -> str:
    own = stable_digest((spec.template, spec.page, spec.view))
    return hashlib.sha256(f"{shared}{own}".encode()).hexdigest()
