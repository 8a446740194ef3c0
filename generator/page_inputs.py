"""Pages keyed by their inputs (all but a few site-wide ones): unchanged, one is reused unplanned.

A page's render key (render_jobs.py) hashes its finished view: exact, but
building and hashing all 11,000 article and term views took an edit rebuild
about four seconds, though one edit changes a handful of them (and the 1,800
article list and tag pages another half second). An article page shows only
the article itself (front matter and text), its parsed body, summary and
reading time, the cards of its related and featured articles, the themes that
cite it, and what every page shares (site settings, UI strings, theme files); a
term page its term, body and summary, the cards of its see-also and related
terms and of the articles that use it, and the themes citing it; a list page
its list, its number among the list's pages and its cards; an index page (the
glossary, themes, resources, tags) what it lists; a theme page its theme, body,
section intros and the cards of what it links to. The input keys hash
exactly those; a page whose key the cache holds is linked from the cache
without its view being built. Pages of these kinds (KINDS) are kept by these
keys alone, not by their views' as well. Keep this in step with ViewBuilder.article/term
and SitePlan.article/term/article_lists/tag_pages/glossary/theme/theme_list/
resources/tag_index (and the views in listings.py): tests/test_cache.py compares
a cached build with a clean one after every kind of edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from generator.cache import FILE, BuildCache
from generator.config import SiteConfig
from generator.context import SiteView
from generator.digests import stable_digest
from generator.index import RelatedEntry, SiteIndex
from generator.listings import list_chunks
from generator.model import Article, Content, GlossaryTerm
from generator.theme import Theme
from generator.urls import UrlScheme

INPUT_KEYED = "input-keyed page"  # cache kind: input key -> sha256 of the page (kept as a FILE)
# The kinds (PageView.kind) of the pages page_input_keys keys: every page of them.
KINDS = frozenset(
    {"article", "term", "list", "tag", "glossary", "themes", "resources", "tags", "theme"}
)


def shared_inputs(theme: Theme, site: SiteView, config: SiteConfig) -> str:
    """What every article page reads besides its own items: theme files, site data, settings."""
    return stable_digest((theme.fingerprint, site, config))


@dataclass(frozen=True)
class PageInputs:
    """A page whose key hashes its inputs: its site path, its kind and that key."""

    path: str  # site path, "/artikelen/x/"
    kind: str  # PageView.kind: "article", "term", "list", "tag", "glossary", "themes"...
    key: str


def item_inputs(item: Article | GlossaryTerm, content: Content) -> tuple[object, ...]:
    """What a page key takes of its item: its path and slug, its file's digest, the
    references crossref resolved.

    validate_doc makes an item from its file and the site settings (hashed in
    shared_inputs); crossref then drops the references that lead to drafts.
    Hashing the item itself, body and all, took a rebuild of 10,000 articles 0.4 s.
    """
    refs = item.related if isinstance(item, Article) else item.see_also
    return (item.source, item.slug, content.digests[item.source], _plain(refs))


def _plain(values: Sequence[object]) -> tuple[tuple[object, ...], ...]:
    """Dataclass values (references) as tuples of their fields (_fields)."""
    return tuple([_fields(value) for value in values])


def _fields(value: object) -> tuple[object, ...]:
    """A dataclass value as its type's name and every field's value.

    Pickling a tuple is C all through, a dataclass goes through copyreg: this
    took a third off the page keys of 10,000 articles. Every field is taken, so
    a field added later is part of the key.
    """
    return (type(value).__name__, *vars(value).values())


def page_input_keys(
    content: Content, index: SiteIndex, config: SiteConfig, shared: str
) -> list[PageInputs]:
    """Every article, term and list page with a hash of everything it shows."""
    urls = config.urls
    # What a card shows (ViewBuilder.article_card and term_card), beside the slug it is
    # paired with below: an edit elsewhere in an item leaves the pages listing it alone.
    card = {
        a.slug: stable_digest(
            (
                a.title,
                a.date.text,
                a.date.date.toordinal(),
                index.summaries[a.source],
                index.reading_minutes[a.slug],
            )
        )
        for a in content.articles
    }
    term_card = {t.slug: stable_digest((t.term, index.summaries[t.source])) for t in content.terms}
    featured = stable_digest(tuple((slug, card[slug]) for slug in index.featured))
    theme_titles = {t.slug: t.title for t in content.themes}

    def citing(kind: str, slug: str) -> tuple[tuple[str, str], ...]:
        return tuple((theme, theme_titles[theme]) for theme in index.cited_by.get((kind, slug), ()))

    def html(source: str) -> str:
        return index.bodies.html_digest(source)

    pages: list[PageInputs] = []
    # Related entries are shared by the lists that show them (index.RelatedLists): each is
    # made a tuple of its fields and its card once. The index holds them all, so no id is
    # reused meanwhile.
    shown: dict[int, tuple[object, ...]] = {}

    def entry(value: RelatedEntry) -> tuple[object, ...]:
        card_shown = card[value.slug] if value.slug is not None else None
        found = shown[id(value)] = (*_fields(value), card_shown)
        return found

    for article in content.articles:
        slug = article.slug
        related = tuple([shown.get(id(e)) or entry(e) for e in index.related[slug]])
        key = stable_digest(
            (
                shared,
                item_inputs(article, content),
                html(article.source),
                index.bodies[article.source].words,
                index.summaries[article.source],
                index.reading_minutes[slug],
                related,
                featured,
                citing("article", slug),
            )
        )
        pages.append(PageInputs(urls.article(slug), "article", key))
    for term in content.terms:
        slug = term.slug
        see_also = tuple([r.slug for r in term.see_also])
        related_terms = index.related_terms.get(slug, ())
        users = index.term_articles.get(slug, ())  # up to every article: slugs, then cards
        key = stable_digest(
            (
                shared,
                item_inputs(term, content),
                html(term.source),
                index.summaries[term.source],
                (see_also, tuple(map(term_card.__getitem__, see_also))),
                (related_terms, tuple(map(term_card.__getitem__, related_terms))),
                (users, tuple(map(card.__getitem__, users))),
                citing("term", slug),
            )
        )
        pages.append(PageInputs(urls.term(slug), "term", key))
    pages.extend(_list_page_keys(index, urls, config.per_page, shared, card))
    pages.extend(_index_page_keys(content, index, urls, shared, term_card, theme_titles))
    pages.extend(_theme_page_keys(content, index, urls, shared, card, term_card))
    return pages


def _theme_page_keys(
    content: Content,
    index: SiteIndex,
    urls: UrlScheme,
    shared: str,
    card: Mapping[str, str],
    term_card: Mapping[str, str],
) -> Iterator[PageInputs]:
    """The theme pages: what SitePlan.theme shows besides the shared inputs.

    The theme's file and body, each section's intro and links (crossref may have
    dropped some), and the card of each article or term a link leads to.
    """
    html = index.bodies.html_digest
    for theme in content.themes:
        shown_cards = tuple(
            [
                card[link.target]
                if link.kind == "article"
                else term_card[link.target]
                if link.kind == "term"
                else None
                for section in theme.sections
                for link in section.links
            ]
        )
        intros = tuple(
            [
                html(f"{theme.source}#section-{number}") if section.intro else None
                for number, section in enumerate(theme.sections, 1)
            ]
        )
        key = stable_digest(
            (
                shared,
                "theme",
                theme.slug,
                content.digests[theme.source],
                html(theme.source),
                intros,
                tuple([_plain(section.links) for section in theme.sections]),
                index.summaries[theme.source],
                shown_cards,
            )
        )
        yield PageInputs(urls.theme(theme.slug), "theme", key)


def _index_page_keys(
    content: Content,
    index: SiteIndex,
    urls: UrlScheme,
    shared: str,
    term_card: Mapping[str, str],
    theme_titles: Mapping[str, str],
) -> Iterator[PageInputs]:
    """The glossary, theme list, resources and tag index pages: what each lists.

    What SitePlan.glossary, theme_list, resources and tag_index show besides the
    shared inputs (which hold the language their order follows): each term's
    card, each theme's card (its link count too), each resource with the titles
    of the themes citing it, each tag's name and number of articles. Unchanged,
    they are not sorted again: ICU is then not even imported (0.04 s).
    """
    terms = tuple([(t.slug, term_card[t.slug]) for t in content.terms])
    yield PageInputs(urls.glossary_index(), "glossary", stable_digest((shared, "glossary", terms)))
    themes = tuple(
        [
            (t.slug, t.title, index.summaries[t.source], sum(len(s.links) for s in t.sections))
            for t in content.themes
        ]
    )
    yield PageInputs(urls.theme_list(), "themes", stable_digest((shared, "themes", themes)))
    resources = tuple(
        [(_fields(r), tuple([theme_titles[s] for s in r.themes])) for r in index.resources]
    )
    key = stable_digest((shared, "resources", resources))
    yield PageInputs(urls.resources(), "resources", key)
    tags = tuple([(slug, g.name, len(g.articles)) for slug, g in index.tags.items()])
    yield PageInputs(urls.tag_index(), "tags", stable_digest((shared, "tags", tags)))


def _list_page_keys(
    index: SiteIndex, urls: UrlScheme, per_page: int, shared: str, card: Mapping[str, str]
) -> Iterator[PageInputs]:
    """The article list and tag pages: a page of cards, placed in its list.

    What SitePlan.article_lists and tag_pages show besides the shared inputs: the
    list (the tag's slug and name), the page's number among how many, and the cards.
    """
    lists: list[tuple[str, str, str, Sequence[str], Callable[[int], str]]] = [
        ("list", "", "", index.newest, urls.article_list)
    ]
    for slug, group in index.tags.items():
        lists.append(("tag", slug, group.name, group.articles, partial(urls.tag, slug)))
    for kind, slug, name, slugs, path_of in lists:
        chunks = list_chunks(slugs, per_page)
        for number, chunk in enumerate(chunks, 1):
            shown = (tuple(chunk), tuple(map(card.__getitem__, chunk)))
            key = stable_digest((shared, kind, slug, name, number, len(chunks), shown))
            yield PageInputs(path_of(number), kind, key)


def kept_pages(cache: BuildCache, pages: Sequence[PageInputs]) -> dict[str, str]:
    """Site path -> digest of the page, for each page the cache holds under its input key.

    The page's file is checked only if it is placed (cache.output): most are
    the spare tree's already. A damaged one raises CacheError then, and the
    build is made again without the cache.
    """
    if not cache.enabled or not cache.holds(INPUT_KEYED):
        return {}
    found = cache.load(INPUT_KEYED, (page.key for page in pages), bulk=True)
    reused: dict[str, str] = {}
    for page in pages:
        digest = found.get(page.key)
        if isinstance(digest, str):
            reused[page.path] = digest
    cache.mark_used(FILE, reused.values())
    return reused
