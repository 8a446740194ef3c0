"""SiteIndex: everything computed across items — term usage, related lists, tags, backlinks.

Order matters and is written where each step happens: term summaries must be
known before articles are parsed (tooltips show them); mentions, links and
headings exist only after parsing; related lists need mentions.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from generator.bodies import BodyJob, MarkdownSetup, ParsedBodies, parse_bodies
from generator.cache import BuildCache, memoized
from generator.config import SiteConfig
from generator.diagnostics import Report, Severity
from generator.digests import stable_digest
from generator.glossary_links import Glossary, TermInfo
from generator.glossary_match import TermMatcher
from generator.markdown import LinkTargets, LinkUse, create_markdown
from generator.model import Article, ArticleRef, Content, GlossaryTerm, OutsideRef, Page, Theme
from generator.parse import ParsedBody, parse_body
from generator.related import Picks, start_related_terms
from generator.related_reuse import article_features, related_picks
from generator.resources import Resource, collect_resources
from generator.summaries import excerpt, first_sentence, reading_minutes
from generator.workers import Workers


@dataclass(frozen=True)
class RelatedEntry:
    """One line of a related list: an article of the site or an outside page."""

    slug: str | None  # article slug, or None for an outside page
    title: str | None = None  # outside pages only
    url: str | None = None
    explicit: bool = False


@dataclass(frozen=True)
class TagGroup:
    name: str
    articles: tuple[str, ...]  # newest first


@dataclass(frozen=True)
class SiteIndex:
    glossary: Glossary
    # By source path ("source#section-N" for theme intros); bodies.html(key) gives the HTML.
    bodies: ParsedBodies
    summaries: Mapping[str, str]  # by source path, plain text
    derived_summaries: frozenset[str]  # sources whose summary came from the body
    reading_minutes: Mapping[str, int]  # by article slug
    newest: tuple[str, ...]  # every article slug, newest first
    term_articles: Mapping[str, tuple[str, ...]]  # term slug -> articles using it, newest first
    related: RelatedLists
    related_terms: Mapping[str, tuple[str, ...]]
    tags: Mapping[str, TagGroup]
    featured: tuple[str, ...]
    cited_by: Mapping[tuple[str, str], tuple[str, ...]]  # ("article"|"term", slug) -> themes
    resources: tuple[Resource, ...]
    inbound: Mapping[str, int] = field(default_factory=dict)  # source path -> links into it


def build_index(
    content: Content,
    config: SiteConfig,
    report: Report,
    *,
    workers: Workers | int = 1,
    cache: BuildCache | None = None,
    timings: dict[str, float] | None = None,
    strict: bool = False,
) -> SiteIndex:
    """Parse every body once and compute every cross-item list of the site.

    `timings` gets the seconds the parent spent on the related lists ("related":
    making features, waiting for the picks) and those the picks took to score,
    here or in a worker ("scoring"); bench/ compares sizes. `strict`: warnings
    will stop the build too.
    """
    urls = config.urls
    # Term summaries first: every tooltip in every article shows one.
    glossary = _glossary(content, config, cache)
    targets = LinkTargets(
        items={item.source: urls.href(_item_path(item, config)) for item in _items(content)},
        drafts=content.draft_sources,
        static={f.source: urls.href(f.site_path) for f in content.static},
        failed=content.failed_sources,
    )
    setup = MarkdownSetup(config.allow_html, glossary, targets)
    bodies = parse_bodies(_jobs(content), setup, workers=workers, cache=cache)
    _report_body_problems(content, bodies, report)
    # Anchors exist only after every body is parsed.
    inbound = _check_links(content, bodies, report)

    summaries, derived = _summaries(content, bodies, glossary)
    newest = tuple(a.slug for a in sorted(content.articles, key=_newest_first))
    by_slug = {a.slug: a for a in content.articles}
    term_articles = _term_articles(content, bodies, newest, by_slug)
    start = time.perf_counter()
    # A build that stops before render (errors; warnings when strict) never reads its
    # related lists: they are not scored in a worker, only here should something ask.
    helpers = 1 if report.blocks_output(strict=strict) else workers
    see_also = {t.slug: {r.slug for r in t.see_also} for t in content.terms}
    # Counted in a worker (when they run) while the related features are made here.
    terms_related = memoized(
        cache,
        "related-terms",
        (
            sorted(term_articles.items()),
            sorted((k, sorted(v)) for k, v in see_also.items()),
            config.related.count,
        ),
        lambda: start_related_terms(term_articles, see_also, config.related.count, helpers),
    )
    related = _related(
        content, config, glossary, bodies, summaries, by_slug, inbound, cache, helpers, timings
    )
    counted_terms = terms_related()
    if timings is not None:
        timings["related"] = timings.get("related", 0.0) + time.perf_counter() - start
    cited_by, theme_inbound = _cited_by(content)
    for source, n in theme_inbound.items():
        inbound[source] = inbound.get(source, 0) + n
    return SiteIndex(
        glossary=glossary,
        bodies=bodies,
        summaries=summaries,
        derived_summaries=derived,
        reading_minutes={
            a.slug: a.reading_time or reading_minutes(bodies[a.source].words, config.reading_speed)
            for a in content.articles
        },
        newest=newest,
        term_articles=term_articles,
        related=related,
        related_terms=counted_terms,
        tags=_tags(content, newest),
        featured=_featured(content, config, newest),
        cited_by=cited_by,
        resources=collect_resources(content.themes),
        inbound=inbound,
    )


Item = Article | GlossaryTerm | Theme | Page


def _items(content: Content) -> list[Item]:
    return [*content.articles, *content.terms, *content.themes, *content.pages]


def _item_path(item: Item, config: SiteConfig) -> str:
    urls = config.urls
    if isinstance(item, Article):
        return urls.article(item.slug)
    if isinstance(item, GlossaryTerm):
        return urls.term(item.slug)
    if isinstance(item, Theme):
        return urls.theme(item.slug)
    return urls.page(item.slug)


def _newest_first(article: Article) -> tuple[int, str]:
    return (-article.date.date.toordinal(), article.slug)


def _glossary(content: Content, config: SiteConfig, cache: BuildCache | None) -> Glossary:
    own = _term_first_sentences(content, cache)
    infos = {
        term.slug: TermInfo(
            term.term,
            config.urls.href(config.urls.term(term.slug)),
            term.summary if term.summary is not None else own[term.source],
        )
        for term in content.terms
    }
    matcher = TermMatcher((form, term.slug) for term in content.terms for form in term.forms)
    return Glossary(matcher, infos, config.glossary_link)


TERM_SENTENCE = "term first sentence"  # cache kind: file digest -> a term's own first sentence


def _term_first_sentences(content: Content, cache: BuildCache | None) -> dict[str, str]:
    """Source -> first sentence of the body, for each term without a summary of its own.

    Kept by the digest of the term's file, which fixes its body: a rebuild then
    neither reads nor parses those terms again.
    """
    missing = [term for term in content.terms if term.summary is None]
    keys = {
        term.source: stable_digest((content.digests[term.source], term.body.line))
        for term in missing
        if content.digests.get(term.source)
    }
    found: dict[str, str] = {}
    if cache is not None and cache.enabled and keys:
        found = cache.load(TERM_SENTENCE, keys.values())
        cache.reused(TERM_SENTENCE, len(found))
    plain = None
    sentences: dict[str, str] = {}
    made: dict[str, str] = {}
    for term in missing:
        key = keys.get(term.source)
        sentence = found.get(key) if key is not None else None
        if not isinstance(sentence, str):
            plain = plain or create_markdown(allow_html=False, glossary=None, targets=None)
            parsed = parse_body(plain, term.body.text, source=term.source, line_offset=0)
            sentence = first_sentence(parsed.first_paragraph)
            if key is not None:
                made[key] = sentence
        sentences[term.source] = sentence
    if cache is not None and cache.enabled and made:
        cache.store(TERM_SENTENCE, made)
    return sentences


def _jobs(content: Content) -> list[BodyJob]:
    """Every body to parse; each carries its file's digest, which its cache key hashes."""
    digests = content.digests

    def whole(item: Item, *, glossary: bool = True, own_term: str | None = None) -> BodyJob:
        """The item's own body, keyed by its path."""
        return BodyJob(
            item.source,
            item.source,
            item.body,
            item.body.line - 1,
            glossary=glossary,
            own_term=own_term,
            source_digest=digests.get(item.source, ""),
        )

    jobs = [whole(a, glossary=a.glossary) for a in content.articles]
    jobs += [whole(t, own_term=t.slug) for t in content.terms]
    for theme in content.themes:
        jobs.append(whole(theme))
        for number, section in enumerate(theme.sections, 1):
            if section.intro is not None:
                jobs.append(
                    BodyJob(
                        f"{theme.source}#section-{number}",
                        theme.source,
                        section.intro,
                        section.intro.line - 1,
                        id_prefix=f"s{number}-",
                        source_digest=digests.get(theme.source, ""),
                    )
                )
    jobs += [whole(page) for page in content.pages]
    return jobs


def _report_body_problems(
    content: Content, bodies: Mapping[str, ParsedBody], report: Report
) -> None:
    for key, body in bodies.items():
        source = key.split("#", 1)[0]
        for problem in body.problems:
            severity = Severity.WARNING if problem.warning else Severity.ERROR
            report.add(
                problem.code, source, problem.line, problem.field, severity, **dict(problem.params)
            )


def _check_links(
    content: Content, bodies: Mapping[str, ParsedBody], report: Report
) -> dict[str, int]:
    """Report links to anchors that do not exist; count the links into each item."""
    inbound: Counter[str] = Counter()
    to_anchors: list[tuple[str, LinkUse]] = []
    for key, body in bodies.items():
        if not body.links:
            continue
        source = key.split("#", 1)[0]
        for link in body.links:
            if link.target != source:
                inbound[link.target] += 1
            if link.anchor:
                to_anchors.append((source, link))
    if not to_anchors:
        return dict(inbound)
    # The headings only of the items linked to with an anchor (few links have one).
    targets = {link.target for _, link in to_anchors}
    anchors: dict[str, set[str]] = {target: set() for target in targets}
    for key, body in bodies.items():
        found = anchors.get(key.split("#", 1)[0])
        if found is not None:
            found.update(body.anchors)
    for source, link in to_anchors:
        if link.anchor not in anchors[link.target]:
            known = sorted(anchors[link.target])
            report.error(
                "LNK002",
                source,
                link.line,
                "link",
                anchor=link.anchor,
                target=link.target,
                allowed=", ".join(known[:8]) or "-",
            )
    return dict(inbound)


def _summaries(
    content: Content, bodies: Mapping[str, ParsedBody], glossary: Glossary
) -> tuple[dict[str, str], frozenset[str]]:
    summaries: dict[str, str] = {}
    derived: set[str] = set()
    items: list[Article | Theme | Page] = [*content.articles, *content.themes, *content.pages]
    for item in items:
        if item.summary:
            summaries[item.source] = item.summary
        else:
            summaries[item.source] = excerpt(bodies[item.source].first_paragraph)
            derived.add(item.source)
    for term in content.terms:
        summaries[term.source] = glossary.terms[term.slug].summary
        if term.summary is None:
            derived.add(term.source)
    return summaries, frozenset(derived)


def _term_articles(
    content: Content,
    bodies: Mapping[str, ParsedBody],
    newest: tuple[str, ...],
    by_slug: Mapping[str, Article],
) -> dict[str, tuple[str, ...]]:
    """Term slug -> the articles mentioning it, newest first (gathered in that order)."""
    users: dict[str, list[str]] = {t.slug: [] for t in content.terms}
    for slug in newest:
        article = by_slug[slug]
        if article.glossary:
            for term, _count in bodies[article.source].mentions:  # each term once
                users[term].append(slug)
    return {term: tuple(found) for term, found in users.items()}


def _related(
    content: Content,
    config: SiteConfig,
    glossary: Glossary,
    bodies: Mapping[str, ParsedBody],
    summaries: Mapping[str, str],
    by_slug: Mapping[str, Article],
    inbound: dict[str, int],
    cache: BuildCache | None,
    workers: Workers | int,
    timings: dict[str, float] | None,
) -> RelatedLists:
    explicit: dict[str, list[RelatedEntry]] = {}
    for article in content.articles:
        entries: list[RelatedEntry] = []
        for ref in article.related:
            if isinstance(ref, ArticleRef):
                entries.append(RelatedEntry(ref.slug, explicit=True))
                target = by_slug[ref.slug].source
                inbound[target] = inbound.get(target, 0) + 1
            elif isinstance(ref, OutsideRef):
                entries.append(RelatedEntry(None, ref.title, ref.url, explicit=True))
        explicit[article.slug] = entries
    wanted = {slug: max(0, config.related.count - len(e)) for slug, e in explicit.items()}
    excluded = {slug: {e.slug for e in entries if e.slug} for slug, entries in explicit.items()}
    features_of = article_features(bodies, summaries)
    picks = related_picks(
        content, config, glossary, features_of, excluded, wanted, cache, workers, timings
    )
    return RelatedLists(explicit, picks, timings)


class RelatedLists(Mapping[str, tuple[RelatedEntry, ...]]):
    """Each article's related list: its explicit entries, then the automatic picks.

    The picks may still be scored in a worker when the index is done
    (related.start_picks): the lists are made when one is first read, and the
    article pages, the only ones that show them, are planned last, so the
    other pages render meanwhile. The wait counts to the "related" timing.
    """

    def __init__(
        self,
        explicit: dict[str, list[RelatedEntry]],
        picks: Callable[[], Picks],
        timings: dict[str, float] | None,
    ) -> None:
        self._explicit = explicit
        self._picks: Callable[[], Picks] | None = picks
        self._timings = timings
        self._lists: dict[str, tuple[RelatedEntry, ...]] | None = None

    def _made(self) -> dict[str, tuple[RelatedEntry, ...]]:
        if self._lists is None:
            assert self._picks is not None
            start = time.perf_counter()
            picks = self._picks()
            self._picks = None  # what scored them (every article's features) can go
            picked: dict[str, RelatedEntry] = {}  # one entry per article, however many lists
            for slugs in picks.values():
                for slug in slugs:
                    if slug not in picked:
                        picked[slug] = RelatedEntry(slug)
            self._lists = {
                slug: tuple(entries) + tuple(picked[s] for s in picks.get(slug, ()))
                for slug, entries in self._explicit.items()
            }
            if self._timings is not None:
                waited = time.perf_counter() - start
                self._timings["related"] = self._timings.get("related", 0.0) + waited
        return self._lists

    def settle(self) -> None:
        """Wait for the picks now (they are kept in the build cache as they come in)."""
        self._made()

    def __getitem__(self, slug: str) -> tuple[RelatedEntry, ...]:
        return self._made()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._explicit)

    def __len__(self) -> int:
        return len(self._explicit)


def _tags(content: Content, newest: tuple[str, ...]) -> dict[str, TagGroup]:
    names: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for article in content.articles:
        for tag in article.tags:
            names.setdefault(tag.slug, tag.name)
            members.setdefault(tag.slug, set()).add(article.slug)
    rank = {slug: i for i, slug in enumerate(newest)}
    return {
        slug: TagGroup(names[slug], tuple(sorted(members[slug], key=rank.__getitem__)))
        for slug in sorted(names)
    }


def _featured(content: Content, config: SiteConfig, newest: tuple[str, ...]) -> tuple[str, ...]:
    """site.yaml order first, then `featured: true` articles, newest first."""
    valid = {a.slug for a in content.articles}
    flagged = {a.slug for a in content.articles if a.featured}
    ordered = [s for s in config.featured if s in valid]
    ordered += [s for s in newest if s in flagged]
    return tuple(dict.fromkeys(ordered))


def _cited_by(content: Content) -> tuple[dict[tuple[str, str], tuple[str, ...]], dict[str, int]]:
    cited: dict[tuple[str, str], set[str]] = {}
    inbound: Counter[str] = Counter()
    article_source = {a.slug: a.source for a in content.articles}
    term_source = {t.slug: t.source for t in content.terms}
    for theme in content.themes:
        for section in theme.sections:
            for link in section.links:
                if link.kind == "outside":
                    continue
                cited.setdefault((link.kind, link.target), set()).add(theme.slug)
                sources = article_source if link.kind == "article" else term_source
                inbound[sources[link.target]] += 1
    return {key: tuple(sorted(v)) for key, v in cited.items()}, dict(inbound)
