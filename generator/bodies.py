"""Parse every Markdown body of the site once: from the build cache, or across worker processes.

A cached body is reused only while everything it was made from is unchanged:
its text and place (the key), the Markdown setup, the tooltip of each term it
mentions and where each of its relative links led. So adding an unrelated
article reparses nothing, and a term's new summary reparses exactly the bodies
that show its tooltip. Workers return bodies in job order: output is the same as in-process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from generator.cache import BuildCache, Row
from generator.digests import stable_digest
from generator.glossary_links import Glossary, TermInfo
from generator.markdown import LinkTargets, create_markdown
from generator.model import Body
from generator.parse import Counts, ParsedBody, parse_body
from generator.workers import Workers

HTML = "body-html"  # cache kind: sha256 of a body's HTML -> that HTML (UTF-8), read when needed
PARALLEL_THRESHOLD = 200  # bodies to parse; below this, starting a pool costs more than it saves
CHUNK = 32  # bodies per task: small enough to balance two cores, large enough to pay its way
KIND = "body"


@dataclass(frozen=True)
class BodyJob:
    key: str  # source path, or "source#section-N" for a theme section intro
    source: str
    markdown: str | Body  # a Body reads its file only when the job is parsed (text)
    line_offset: int
    glossary: bool = True
    own_term: str | None = None
    id_prefix: str = ""
    # sha256 of the file the text is cut from: the key hashes it instead of the text
    # (hashing 67 MB of text took a rebuild of 10,000 articles 0.1 s); "" hashes the text.
    source_digest: str = ""

    @property
    def text(self) -> str:
        return self.markdown if isinstance(self.markdown, str) else self.markdown.text

    def read(self) -> BodyJob:
        """The job with its text in hand."""
        return self if isinstance(self.markdown, str) else replace(self, markdown=self.text)


@dataclass(frozen=True)
class MarkdownSetup:
    """Everything a worker needs to build the build's MarkdownIt."""

    allow_html: bool
    glossary: Glossary | None
    targets: LinkTargets


# Where a relative link target led: its entry in each table of LinkTargets (href, or membership).
Resolution = tuple[str | bool | None, ...]


@dataclass(frozen=True)
class _Entry:
    """A parsed body with what it depended on beyond its own text."""

    body: ParsedBody  # its html left empty: kept apart (kind HTML), read for the pages rendered
    html: str  # sha256 of the HTML
    tooltips: str  # _shown_tooltips: the tooltips of the terms it mentions, as one digest
    made_under: str  # _made_under: every tooltip and link table of the build that parsed it
    links: tuple[tuple[str, Resolution], ...]  # each relative link target's resolution


class ParsedBodies(Mapping[str, ParsedBody]):
    """Job key -> parsed body without its HTML (html() gives that), in job order.

    A rebuild needs the links, terms and words of every body, but the HTML only
    of the pages it renders again: a body from the cache leaves its HTML there
    until a page asks for it (unpickling all of it cost a rebuild of 10,000
    articles more than a second). HTML the cache no longer holds when asked is
    made again by parsing that one body here, and kept again.
    """

    def __init__(
        self,
        bodies: dict[str, ParsedBody],
        html: dict[str, str],
        digests: dict[str, str],
        jobs: Mapping[str, BodyJob],
        setup: MarkdownSetup,
        cache: BuildCache | None,
    ) -> None:
        self._bodies = bodies
        self._html = html  # job key -> HTML held in memory (parsed by this build, or read)
        self._digests = digests  # job key -> sha256 of its HTML, where known
        self._jobs = jobs
        self._setup = setup
        self._cache = cache
        self._parser: _Parser | None = None

    def __getitem__(self, key: str) -> ParsedBody:
        return self._bodies[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies)

    def __len__(self) -> int:
        return len(self._bodies)

    def html(self, key: str) -> str:
        """The body's HTML."""
        text = self._html.get(key)
        if text is None:
            text = self._html[key] = self._read(key)
        return text

    def html_digest(self, key: str) -> str:
        """The sha256 of the body's HTML (known without reading it, for a body from the cache)."""
        digest = self._digests.get(key)
        if digest is None:
            digest = self._digests[key] = _digest(self.html(key))
        return digest

    def _read(self, key: str) -> str:
        digest = self._digests.get(key)
        if digest is not None and self._cache is not None:
            blob = self._cache.load_bytes(HTML, [digest]).get(digest)
            if blob is not None:
                return blob.decode()
        if self._parser is None:
            self._parser = _prepare(_ParseSetup(self._setup, None, False))
        text = _parse_job(self._parser, self._jobs[key]).body.html
        if digest == _digest(text) and self._cache is not None and self._cache.writable:
            self._cache.store_bytes(HTML, {digest: text.encode()})  # for the next build
        return text


def parse_bodies(
    jobs: Sequence[BodyJob],
    setup: MarkdownSetup,
    *,
    workers: Workers | int,
    cache: BuildCache | None = None,
) -> ParsedBodies:
    """Parse every job (or take it from the cache); job keys -> parsed bodies, in job order."""
    pool = workers if isinstance(workers, Workers) else Workers(workers)
    setup_key = _setup_key(setup)
    keys = {job.key: _job_key(setup_key, job) for job in jobs}
    found: dict[str, ParsedBody] = {}
    html: dict[str, str] = {}
    digests: dict[str, str] = {}
    made_under = ""
    if cache is not None:
        cached = cache.load(KIND, keys.values(), bulk=True)
        current = _Current(setup, cache)
        made_under = current.made_under
        valid = {
            job.key: entry
            for job in jobs
            if isinstance(entry := cached.get(keys[job.key]), _Entry)
            and current.holds(keys[job.key], entry)
        }
        current.keep()
        # The HTML is only marked as used here, not looked up (0.15 s at 10,000 articles):
        # it is read when a page needs it, and made again then if the cache lost it.
        cache.mark_used(HTML, [entry.html for entry in valid.values()])
        for key, entry in valid.items():
            found[key] = entry.body
            digests[key] = entry.html
        cache.reused(KIND, len(found))
    # A body not read yet (model.Body) is read here, not while a job is pickled for a worker.
    todo = [(keys[job.key], job.read()) for job in jobs if job.key not in found]
    # The workers hand back the cache entries of what they parsed; only this process writes.
    kept = cache.directory if cache is not None and cache.enabled else None
    chunks = pool.map(
        _prepare,
        _parse_chunk,
        _ParseSetup(setup, kept, cache is not None and cache.writable, made_under),
        todo,
        # Workers already running take any work that fills more than one chunk.
        parallel_from=CHUNK + 1 if pool.running else PARALLEL_THRESHOLD,
        chunk=CHUNK,
    )
    done = 0
    for results, rows in chunks:
        if cache is not None:
            cache.write_rows(rows)
        for (key, job), (body, digest) in zip(
            todo[done : done + len(results)], results, strict=True
        ):
            found[job.key] = replace(body, html="")
            html[job.key] = body.html
            digests[job.key] = digest
            if cache is not None:  # kept by the worker: marked as this build's
                cache.mark_used(KIND, [key])
                cache.mark_used(HTML, [digest])
        done += len(results)
    if cache is not None:
        cache.made(KIND, len(todo))
    if not isinstance(workers, Workers):
        pool.close()
    ordered = {job.key: found[job.key] for job in jobs}
    return ParsedBodies(ordered, html, digests, {job.key: job for job in jobs}, setup, cache)


def _digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def _setup_key(setup: MarkdownSetup) -> str:
    """What every body depends on alike: raw HTML allowed, the term forms, the link mode."""
    glossary = setup.glossary
    shared = (
        setup.allow_html,
        glossary.matcher.signature if glossary is not None else None,
        glossary.mode if glossary is not None else None,
    )
    return stable_digest(shared)


def _job_key(setup_key: str, job: BodyJob) -> str:
    # Every field but the text as a repr (unambiguous for str, int, bool and None), then the
    # text unless the digest of the file it is cut from stands for it: a third of the cost of
    # pickling each job.
    fields = (
        job.key,
        job.source,
        job.line_offset,
        job.glossary,
        job.own_term,
        job.id_prefix,
        job.source_digest,
    )
    digest = hashlib.sha256(f"{setup_key}\0{fields!r}\0".encode())
    if not job.source_digest:
        digest.update(job.text.encode())
    return digest.hexdigest()


Tables = tuple[object, ...]  # every table of a LinkTargets, in field order (_tables)


def _tables(targets: LinkTargets) -> Tables:
    """Every table of LinkTargets, so a table added to it is covered too (read once per build)."""
    return tuple(getattr(targets, table.name) for table in fields(targets))


def _resolution(tables: Tables, target: str) -> Resolution:
    """The target looked up in every table."""
    return tuple(
        table.get(target) if isinstance(table, Mapping) else target in table  # type: ignore[operator]
        for table in tables
    )


def _tooltip_digests(setup: MarkdownSetup) -> dict[str, str]:
    """Term slug -> a hash of its tooltip: what a body records of each term it shows.

    Kept as a short hash, not the tooltip itself: unpickling every tooltip of
    every cached body took a rebuild a second at 10,000 articles.
    """
    terms = setup.glossary.terms if setup.glossary is not None else {}
    return {slug: _tooltip_digest(info) for slug, info in terms.items()}


def _tooltip_digest(info: TermInfo) -> str:
    return stable_digest((info.term, info.href, info.summary))


def _made_under(tooltips: Mapping[str, str], tables: Tables) -> str:
    """One digest of every tooltip and every link table of a build.

    A body parsed under the same digest showed the same tooltips and saw its
    links resolve the same way: it needs no check of its own. After an edit
    that changes neither (most edits of an article), that spares checking
    11,000 bodies one by one.
    """
    canonical = [
        sorted(table.items()) if isinstance(table, Mapping) else sorted(table)  # type: ignore[call-overload]
        for table in tables
    ]
    return stable_digest((sorted(tooltips.items()), canonical))


def _shown_tooltips(tooltips: Mapping[str, str], mentions: Counts) -> str:
    """One digest of the tooltips of the mentioned terms (a term gone hashes as "-").

    One string per body, not a (term, digest) pair per term: a rebuild
    unpickles a body's entry for every body of the site.
    """
    shown = "".join(tooltips.get(slug, "-") for slug, _ in mentions)
    return hashlib.sha256(shown.encode()).hexdigest()


VERIFIED = "bodies verified"  # cache kind: _made_under of a build -> _Current's record


class _Current:
    """This build's tooltips and link targets, which a cached body must have been made with,
    and the record of bodies made under other ones that were found to hold under these.

    After a term's summary changes for good, no body made before it has this build's
    _made_under: each was checked one by one again by every later build (0.1 s at
    10,000 articles). The record, kept under this build's _made_under, spares that.
    A body is known in it by its key and the digest it was made under, which together
    fix what it shows; the same key parsed again under other tables is another body.
    """

    def __init__(self, setup: MarkdownSetup, cache: BuildCache) -> None:
        self._tooltips = _tooltip_digests(setup)
        self._tables = _tables(setup.targets)
        self.made_under = _made_under(self._tooltips, self._tables)
        self._resolved: dict[str, Resolution] = {}  # many bodies link to the same targets
        self._cache = cache
        found = cache.load(VERIFIED, [self.made_under]).get(self.made_under)
        self._verified: dict[str, set[str]] = (
            {made: set(keys.split("\n")) for made, keys in found.items()}
            if isinstance(found, dict)
            else {}
        )
        self._added = False

    def holds(self, key: str, entry: _Entry) -> bool:
        """The entry's tooltips and link resolutions are this build's (recorded when found so
        for a body made under other tables)."""
        if entry.made_under == self.made_under:
            return True
        verified = self._verified.setdefault(entry.made_under, set())
        if key in verified:
            return True
        if _shown_tooltips(self._tooltips, entry.body.mentions) != entry.tooltips:
            return False
        for target, led in entry.links:
            now = self._resolved.get(target)
            if now is None:
                now = self._resolved[target] = _resolution(self._tables, target)
            if now != led:
                return False
        verified.add(key)
        self._added = True
        return True

    def keep(self) -> None:
        """Store the record when this build added to it (a build that adds nothing writes
        nothing)."""
        if self._added:
            record = {
                made: "\n".join(sorted(keys)) for made, keys in self._verified.items() if keys
            }
            self._cache.store(VERIFIED, {self.made_under: record})


class _SeenItems(dict[str, str]):
    """Link targets that records every path looked up: each body's link dependencies."""

    seen: set[str]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.seen.add(key)
        return super().__contains__(key)


@dataclass(frozen=True)
class _ParseSetup:
    markdown: MarkdownSetup
    cache_dir: Path | None  # where parsed bodies are kept; None: no cache
    cache_writable: bool
    made_under: str = ""  # _made_under of the markdown setup, kept with each body


@dataclass(frozen=True)
class _Parser:
    md: MarkdownIt
    setup: MarkdownSetup
    looked_up: _SeenItems
    cache: BuildCache | None
    tooltips: Mapping[str, str]  # _tooltip_digests of the setup
    tables: Tables  # _tables of the setup's link targets
    made_under: str  # _made_under of the setup


def _prepare(parse_setup: _ParseSetup) -> _Parser:
    """Build the build's MarkdownIt once per process, with link lookups recorded."""
    setup = parse_setup.markdown
    looked_up = _SeenItems(setup.targets.items)
    looked_up.seen = set()
    targets = replace(setup.targets, items=looked_up)
    md = create_markdown(allow_html=setup.allow_html, glossary=setup.glossary, targets=targets)
    directory = parse_setup.cache_dir
    writable = parse_setup.cache_writable
    cache = (
        BuildCache.attach(directory, write=writable, deferred=True)
        if directory is not None
        else None
    )
    return _Parser(
        md,
        setup,
        looked_up,
        cache,
        _tooltip_digests(setup),
        _tables(setup.targets),
        parse_setup.made_under,
    )


def _parse_chunk(
    parser: _Parser, jobs: list[tuple[str, BodyJob]]
) -> tuple[list[tuple[ParsedBody, str]], list[Row]]:
    """Parse each body; each comes back with the sha256 of its HTML.

    Also the cache entries that keep them (for the parent to write): its HTML
    apart from the rest, which ParsedBodies reads lazily.
    """
    entries = {key: _parse_job(parser, job) for key, job in jobs}
    if parser.cache is None:
        return [(entry.body, entry.html) for entry in entries.values()], []
    parser.cache.store_bytes(
        HTML, {entry.html: entry.body.html.encode() for entry in entries.values()}
    )
    parser.cache.store(
        KIND, {key: replace(e, body=replace(e.body, html="")) for key, e in entries.items()}
    )
    return [(entry.body, entry.html) for entry in entries.values()], parser.cache.take_rows()


def _parse_job(parser: _Parser, job: BodyJob) -> _Entry:
    parser.looked_up.seen.clear()
    parsed = parse_body(
        parser.md,
        job.text,
        source=job.source,
        line_offset=job.line_offset,
        glossary=job.glossary,
        own_term=job.own_term,
        id_prefix=job.id_prefix,
    )
    if parser.setup.allow_html:
        parsed = _sanitised(parsed)
    return _Entry(
        parsed,
        _digest(parsed.html),
        _shown_tooltips(parser.tooltips, parsed.mentions),
        parser.made_under,
        tuple(
            (target, _resolution(parser.tables, target)) for target in sorted(parser.looked_up.seen)
        ),
    )


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
    clean = nh3.clean(
        parsed.html,
        tags=nh3.ALLOWED_TAGS | _EXTRA_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    return replace(parsed, html=clean)
