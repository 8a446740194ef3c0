"""Parse every Markdown body of the site, across worker processes when there are many.

Each worker builds the build's MarkdownIt once (initializer), then parses
BodyJobs in order-preserving chunks, so the output is identical to a serial
run. Small sites are parsed in-process: starting workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

from generator.glossary_links import Glossary
from generator.markdown import LinkTargets, create_markdown
from generator.parse import ParsedBody, parse_body

PARALLEL_THRESHOLD = 200  # bodies; below this a pool is slower than parsing in-process


@dataclass(frozen=True)
class BodyJob:
    key: str  # source path, or "source#section-N" for a theme section intro
    source: str
    text: str
    line_offset: int
    glossary: bool = True
    own_term: str | None = None
    id_prefix: str = ""


@dataclass(frozen=True)
class MarkdownSetup:
    """Everything a worker needs to build the build's MarkdownIt."""

    allow_html: bool
    glossary: Glossary | None
    targets: LinkTargets


_worker_md: MarkdownIt | None = None
_worker_setup: MarkdownSetup | None = None


def _init_worker(setup: MarkdownSetup) -> None:
    global _worker_md, _worker_setup
    _worker_setup = setup
    _worker_md = create_markdown(
        allow_html=setup.allow_html, glossary=setup.glossary, targets=setup.targets
    )


def _parse_job(job: BodyJob) -> ParsedBody:
    assert _worker_md is not None and _worker_setup is not None
    parsed = parse_body(
        _worker_md,
        job.text,
        source=job.source,
        line_offset=job.line_offset,
        glossary=job.glossary,
        own_term=job.own_term,
        id_prefix=job.id_prefix,
    )
    if _worker_setup.allow_html:
        return _sanitised(parsed)
    return parsed


# Tags and attributes kept when raw HTML is allowed: the sanitiser's safe
# defaults plus what the renderer itself writes (tooltips, footnotes, ids).
_EXTRA_TAGS = {"section", "span", "sup", "hr", "table", "thead", "tbody", "tr", "th", "td", "del"}
_ATTRIBUTES = {
    "*": {"class", "id", "role", "title", "lang", "aria-describedby", "data-term"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}


def _sanitised(parsed: ParsedBody) -> ParsedBody:
    """Strip script, event handlers and unsafe URLs from a body with raw HTML."""
    from dataclasses import replace

    clean = nh3.clean(
        parsed.html,
        tags=nh3.ALLOWED_TAGS | _EXTRA_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    return replace(parsed, html=clean)


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_bodies(
    jobs: Sequence[BodyJob], setup: MarkdownSetup, *, workers: int
) -> dict[str, ParsedBody]:
    """Parse every job; the result maps job keys to parsed bodies, in job order."""
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        _init_worker(setup)
        return {job.key: _parse_job(job) for job in jobs}
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    chunk = max(8, len(jobs) // (workers * 8))
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(setup,)
    ) as pool:
        results = list(pool.map(_parse_job, jobs, chunksize=chunk))
    return {job.key: parsed for job, parsed in zip(jobs, results, strict=True)}
