"""Article and term pages keyed by what they are made from, so an unchanged one is reused unplanned.

A page's render key (render_jobs.py) hashes its finished view: exact, but
building and hashing all 11,000 article and term views took an edit rebuild
about four seconds, though one edit changes a handful of them. An article page
shows only the article itself (front matter and text), its parsed body,
summary and reading time, the cards of its related and featured articles, the
themes that cite it, and what every page shares (site settings, UI strings,
theme files); a term page its term, body and summary, the cards of its see-also
and related terms and of the articles that use it, and the themes citing it.
The input keys hash exactly those; a page whose key the cache holds is linked
from the cache without its view being built. Keep this in step with
ViewBuilder.article/term and SitePlan.article/term: tests/test_cache.py
compares a cached build with a clean one after every kind of edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.cache import BuildCache
from generator.config import SiteConfig
from generator.context import SiteView
from generator.digests import stable_digest
from generator.index import SiteIndex
from generator.model import Content
from generator.theme import Theme
from generator.urls import UrlScheme

INPUT_KEYED = "input-keyed page"  # cache kind: input key -> sha256 of the page (kept as a FILE)


def shared_inputs(theme: Theme, site: SiteView, config: SiteConfig) -> str:
    """What every article page reads besides its own items: theme files, site data, settings."""
    return stable_digest((theme.fingerprint, site, config))


@dataclass(frozen=True)
class PageInputs:
    """A page whose key hashes its inputs: its site path, its kind and that key."""

    path: str  # site path, "/artikelen/x/"
    kind: str  # PageView.kind: "article" or "term"
    key: str


def page_input_keys(
    content: Content, index: SiteIndex, urls: UrlScheme, shared: str
) -> list[PageInputs]:
    """Every article and term page with a hash of everything it shows."""
    item = {a.slug: stable_digest(a) for a in content.articles}
    # What a card shows (ViewBuilder.article_card and term_card), beside the slug it is
    # paired with below: an edit elsewhere in an item leaves the pages listing it alone.
    card = {
        a.slug: stable_digest(
            (a.title, a.date, index.summaries[a.source], index.reading_minutes[a.slug])
        )
        for a in content.articles
    }
    term_item = {t.slug: stable_digest(t) for t in content.terms}
    term_card = {t.slug: stable_digest((t.term, index.summaries[t.source])) for t in content.terms}
    featured = stable_digest(tuple((slug, card[slug]) for slug in index.featured))
    theme_titles = {t.slug: t.title for t in content.themes}

    def citing(kind: str, slug: str) -> tuple[tuple[str, str], ...]:
        return tuple((theme, theme_titles[theme]) for theme in index.cited_by.get((kind, slug), ()))

    def html(source: str) -> str:
        return index.bodies.html_digest(source)

    pages: list[PageInputs] = []
    for article in content.articles:
        slug = article.slug
        related = tuple(
            (entry, card[entry.slug] if entry.slug is not None else None)
            for entry in index.related[slug]
        )
        key = stable_digest(
            (
                shared,
                item[slug],
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
        key = stable_digest(
            (
                shared,
                term_item[slug],
                html(term.source),
                index.summaries[term.source],
                tuple((r.slug, term_card[r.slug]) for r in term.see_also),
                tuple((s, term_card[s]) for s in index.related_terms.get(slug, ())),
                tuple((s, card[s]) for s in index.term_articles.get(slug, ())),
                citing("term", slug),
            )
        )
        pages.append(PageInputs(urls.term(slug), "term", key))
    return pages


def kept_pages(cache: BuildCache, pages: Sequence[PageInputs]) -> dict[str, str]:
    """Site path -> digest of the page, for each page the cache holds under its input key."""
    if not cache.enabled or not cache.holds(INPUT_KEYED):
        return {}
    found = cache.load(INPUT_KEYED, (page.key for page in pages))
    kept = cache.kept_files(d for d in found.values() if isinstance(d, str))
    reused: dict[str, str] = {}
    for page in pages:
        digest = found.get(page.key)
        if isinstance(digest, str) and digest in kept:
            reused[page.path] = digest
    return reused
