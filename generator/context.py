"""Template view models: what each page's template sees, built from Content + SiteIndex.

Templates get exactly these names (and no query functions):
  site     SiteView    title, language, menu, asset links, UI strings `t`
  page     PageView    title, description, canonical URL, breadcrumbs, JSON-LD
  view     one of HomeView, ArticleView, TermView, GlossaryView, ThemeView,
           ThemeListView, ResourcesView, ListingView, TagIndexView, BodyView
Everything is computed here: URLs, sorted lists, dates in the site language,
HTML already rendered and marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.config import SiteConfig
from generator.dates import display_date, iso_date
from generator.index import SiteIndex
from generator.model import Article, Content, GlossaryTerm, Page, Theme
from generator.urls import UrlScheme


class Strings(dict[str, str]):
    """UI strings of the site language, with plural and placeholder helpers."""

    def n(self, key: str, count: int) -> str:
        """`key_one` or `key_other`, with {n} filled in."""
        form = self[f"{key}_one" if count == 1 else f"{key}_other"]
        return form.replace("{n}", str(count))

    def fill(self, key: str, **values: str) -> str:
        text = self[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text


@dataclass(frozen=True)
class Link:
    title: str
    href: str


@dataclass(frozen=True)
class MenuLink:
    title: str
    href: str
    path: str  # site path, to mark the current section


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str
    home: str
    menu: tuple[MenuLink, ...]
    search: str | None  # href of the search page, None when search is off
    feed: str
    css: str
    js: str
    t: Strings
    nofollow: bool = False  # rel="nofollow" on outside links
    css_integrity: str = ""  # Subresource Integrity, "sha384-..."
    js_integrity: str = ""
    articles: str = ""  # href of the article list


@dataclass(frozen=True)
class PageView:
    title: str
    description: str
    path: str  # site path, "/artikelen/x/"
    canonical: str
    # home, article, term, glossary, theme, themes, resources, list, tag, tags, page, search, 404
    kind: str
    breadcrumbs: tuple[Link, ...] = ()
    json_ld: tuple[Markup, ...] = ()
    og_type: str = "website"
    search_kind: str | None = None  # Pagefind "type" filter; None: not in the search index
    search_tags: tuple[str, ...] = ()
    noindex: bool = False


@dataclass(frozen=True)
class Card:
    """An item in a list: title, link and the lines shown under it."""

    title: str
    href: str
    summary: str
    date: str = ""  # display date ("11 juni 2024")
    date_iso: str = ""
    reading: str = ""  # "2 minuten"
    kind: str = ""  # UI word for the item kind
    outside: bool = False
    host: str = ""


@dataclass(frozen=True)
class HomeView:
    featured: tuple[Card, ...]
    newest: tuple[Card, ...]
    themes: tuple[Card, ...]
    intro: str


@dataclass(frozen=True)
class ArticleView:
    title: str
    html: Markup
    author: str
    date: str
    date_iso: str
    updated: str
    updated_iso: str
    reading: str  # "Ingeschatte leestijd: 2 minuten"
    tags: tuple[Link, ...]
    related: tuple[Card, ...]
    featured: tuple[Card, ...]  # sidebar, never the article itself
    themes: tuple[Link, ...]


@dataclass(frozen=True)
class TermView:
    term: str
    aliases: tuple[str, ...]
    summary: str
    html: Markup
    see_also: tuple[Card, ...]
    related_terms: tuple[Card, ...]
    used_in: tuple[Card, ...]
    used_in_count: str
    themes: tuple[Link, ...]
    tags: tuple[Link, ...]


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    id: str
    terms: tuple[Card, ...]


@dataclass(frozen=True)
class GlossaryView:
    intro: str
    bar: tuple[tuple[str, bool], ...]  # (letter, has terms) for A..Z and '#'
    groups: tuple[LetterGroup, ...]


@dataclass(frozen=True)
class ThemeSectionView:
    title: str
    id: str
    intro: Markup | None
    links: tuple[Card, ...]


@dataclass(frozen=True)
class ThemeView:
    title: str
    intro: Markup
    sections: tuple[ThemeSectionView, ...]


@dataclass(frozen=True)
class ThemeListView:
    themes: tuple[Card, ...]  # `reading` holds the resource count


@dataclass(frozen=True)
class ResourceItem:
    title: str
    href: str
    description: str
    host: str
    label: str
    themes: tuple[Link, ...]


@dataclass(frozen=True)
class ResourceGroup:
    label: str
    id: str
    count: str
    items: tuple[ResourceItem, ...]


@dataclass(frozen=True)
class ResourcesView:
    intro: str
    total: str
    groups: tuple[ResourceGroup, ...]


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous: str | None
    next: str | None
    label: str  # "Pagina 2 van 5"


@dataclass(frozen=True)
class ListingView:
    title: str
    intro: str
    cards: tuple[Card, ...]
    pagination: Pagination | None


@dataclass(frozen=True)
class TagIndexView:
    intro: str
    tags: tuple[Card, ...]  # `reading` holds the article count


@dataclass(frozen=True)
class BodyView:
    title: str
    html: Markup


class ViewBuilder:
    """Builds cards and views; holds the lookups every page kind shares."""

    def __init__(self, content: Content, index: SiteIndex, config: SiteConfig, t: Strings) -> None:
        self.content, self.index, self.config, self.t = content, index, config, t
        self.urls: UrlScheme = config.urls
        self.articles = {a.slug: a for a in content.articles}
        self.terms = {term.slug: term for term in content.terms}
        self.themes = {theme.slug: theme for theme in content.themes}
        # An article's card shows on many pages (lists, related, terms): built once.
        self._article_cards: dict[str, Card] = {}

    def href(self, path: str) -> str:
        return self.urls.href(path)

    def html(self, key: str) -> Markup:
        return Markup(self.index.bodies.html(key))  # rendered by markdown-it from escaped source

    def article_card(self, slug: str) -> Card:
        card = self._article_cards.get(slug)
        if card is None:
            card = self._article_cards[slug] = self._new_article_card(slug)
        return card

    def _new_article_card(self, slug: str) -> Card:
        article = self.articles[slug]
        return Card(
            title=article.title,
            href=self.href(self.urls.article(slug)),
            summary=self.index.summaries[article.source],
            date=display_date(article.date, self.config.language),
            date_iso=iso_date(article.date),
            reading=self.t.n("minutes", self.index.reading_minutes[slug]),
            kind=self.t["kind_article"],
        )

    def term_card(self, slug: str) -> Card:
        term = self.terms[slug]
        return Card(
            term.term,
            self.href(self.urls.term(slug)),
            self.index.summaries[term.source],
            kind=self.t["kind_term"],
        )

    def theme_card(self, slug: str) -> Card:
        theme = self.themes[slug]
        count = sum(len(s.links) for s in theme.sections)
        return Card(
            theme.title,
            self.href(self.urls.theme(slug)),
            self.index.summaries[theme.source],
            reading=self.t.n("theme_links_count", count),
            kind=self.t["kind_theme"],
        )

    def tag_links(self, article: Article | GlossaryTerm) -> tuple[Link, ...]:
        return tuple(Link(tag.name, self.href(self.urls.tag(tag.slug))) for tag in article.tags)

    def theme_links(self, kind: str, slug: str) -> tuple[Link, ...]:
        return tuple(
            Link(self.themes[s].title, self.href(self.urls.theme(s)))
            for s in self.index.cited_by.get((kind, slug), ())
        )

    # Page kinds --------------------------------------------------------------
    def home(self) -> HomeView:
        return HomeView(
            featured=tuple(self.article_card(s) for s in self.index.featured),
            newest=tuple(self.article_card(s) for s in self.index.newest[:6]),
            themes=tuple(self.theme_card(t.slug) for t in self.content.themes),
            intro=self.config.description,
        )

    def article(self, article: Article) -> ArticleView:
        related: list[Card] = []
        for entry in self.index.related[article.slug]:
            if entry.slug is not None:
                related.append(self.article_card(entry.slug))
            else:
                from generator.resources import host_name

                assert entry.url is not None and entry.title is not None
                related.append(
                    Card(entry.title, entry.url, "", outside=True, host=host_name(entry.url))
                )
        return ArticleView(
            title=article.title,
            html=self.html(article.source),
            author=article.author,
            date=display_date(article.date, self.config.language),
            date_iso=iso_date(article.date),
            updated=display_date(article.updated, self.config.language) if article.updated else "",
            updated_iso=iso_date(article.updated) if article.updated else "",
            reading=self.t.n("reading_time", self.index.reading_minutes[article.slug]),
            tags=self.tag_links(article),
            related=tuple(related),
            featured=tuple(self.article_card(s) for s in self.index.featured if s != article.slug),
            themes=self.theme_links("article", article.slug),
        )

    def term(self, term: GlossaryTerm) -> TermView:
        users = self.index.term_articles.get(term.slug, ())
        return TermView(
            term=term.term,
            aliases=term.aliases,
            summary=self.index.summaries[term.source],
            html=self.html(term.source),
            see_also=tuple(self.term_card(r.slug) for r in term.see_also),
            related_terms=tuple(
                self.term_card(s) for s in self.index.related_terms.get(term.slug, ())
            ),
            used_in=tuple(self.article_card(s) for s in users),
            used_in_count=self.t.n("used_in_count", len(users))
            if users
            else self.t["used_in_none"],
            themes=self.theme_links("term", term.slug),
            tags=self.tag_links(term),
        )

    def theme(self, theme: Theme) -> ThemeView:
        from generator.resources import host_name

        sections: list[ThemeSectionView] = []
        for number, section in enumerate(theme.sections, 1):
            cards: list[Card] = []
            for link in section.links:
                if link.kind == "article":
                    base = self.article_card(link.target)
                elif link.kind == "term":
                    base = self.term_card(link.target)
                else:
                    base = Card(
                        link.title or link.target,
                        link.target,
                        "",
                        outside=True,
                        host=host_name(link.target),
                    )
                cards.append(
                    Card(
                        title=link.title or base.title,
                        href=base.href,
                        summary=link.description if link.description is not None else base.summary,
                        kind=link.label or base.kind,
                        outside=base.outside,
                        host=base.host,
                    )
                )
            intro = self.html(f"{theme.source}#section-{number}") if section.intro else None
            sections.append(
                ThemeSectionView(section.title, f"kb-section-{number}", intro, tuple(cards))
            )
        return ThemeView(theme.title, self.html(theme.source), tuple(sections))

    def page(self, page: Page) -> BodyView:
        return BodyView(page.title, self.html(page.source))
