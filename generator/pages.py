"""The plan of the site: every page to render, as (template, PageView, view) specs.

Metadata every page carries (title, description, canonical, breadcrumbs,
JSON-LD) is decided here, once per page kind, so templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator import jsonld
from generator.context import Link, ListingView, PageView, Strings, ViewBuilder
from generator.listings import (
    glossary_view,
    paged_listings,
    resources_view,
    tag_index_view,
    theme_list_view,
)


@dataclass(frozen=True)
class PageSpec:
    template: str
    page: PageView
    view: Any  # the page kind's view model (context.py)
    sources: tuple[str, ...] = ()  # items whose content the page shows (for the render cache)


class SitePlan:
    """Builds PageSpecs; `views` supplies cards and the per-kind view models."""

    def __init__(self, views: ViewBuilder) -> None:
        self.views = views
        self.t: Strings = views.t
        self.urls = views.urls
        self.config = views.config

    def _page(
        self,
        kind: str,
        path: str,
        title: str,
        description: str,
        crumbs: Sequence[Link],
        data: Sequence[dict[str, Any]],
        **extra: Any,
    ) -> PageView:
        absolute = {c.href: self.urls.absolute(self._site_path(c.href)) for c in crumbs}
        blocks = [jsonld.to_script(d) for d in data]
        if len(crumbs) > 1:
            blocks.append(jsonld.to_script(jsonld.breadcrumb_list(crumbs, absolute)))
        return PageView(
            title=title,
            description=description or self.config.description or title,
            path=path,
            canonical=self.urls.absolute(path),
            kind=kind,
            breadcrumbs=tuple(crumbs),
            json_ld=tuple(blocks),
            **extra,
        )

    def _site_path(self, href: str) -> str:
        base = self.urls.base_path.rstrip("/")
        return href[len(base) :] if base and href.startswith(base) else href

    def _crumbs(self, *pairs: tuple[str, str]) -> list[Link]:
        return [Link(self.t["home"], self.urls.href("/"))] + [
            Link(t, self.urls.href(p)) for t, p in pairs
        ]

    def _page_crumb(self, view: ListingView, path: str) -> list[tuple[str, str]]:
        """Page 2 and on of a list get their own last crumb ("Pagina 2 van 3")."""
        if view.pagination is None or view.pagination.page == 1:
            return []
        return [(view.pagination.label, path)]

    def pages(self, reused: Collection[str] = frozenset()) -> Iterator[PageSpec]:
        """Every page of the site in a stable order, one at a time (the render workers
        start on the first pages), but the article, term, list and index pages in
        `reused`: the site paths of pages taken whole from the cache (page_inputs.py).

        Article pages come last: their related lists may still be scored in a
        worker (index.RelatedLists) while the other pages render.
        """
        urls = self.urls
        yield self.home()
        yield from self.article_lists(reused)
        for term in self.views.content.terms:
            if urls.term(term.slug) not in reused:
                yield self.term(term.slug)
        if urls.glossary_index() not in reused:
            yield self.glossary()
        for theme in self.views.content.themes:
            if urls.theme(theme.slug) not in reused:
                yield self.theme(theme.slug)
        if urls.theme_list() not in reused:
            yield self.theme_list()
        if urls.resources() not in reused:
            yield self.resources()
        yield from self.tag_pages(reused)
        if urls.tag_index() not in reused:
            yield self.tag_index()
        for page in self.views.content.pages:
            yield self.free_page(page.slug)
        if self.config.search:
            yield self.search()
        yield self.not_found()
        for article in self.views.content.articles:
            if urls.article(article.slug) not in reused:
                yield self.article(article.slug)

    def home(self) -> PageSpec:
        c = self.config
        data = jsonld.website(
            c.title,
            c.base_url,
            c.description,
            c.language,
            self.urls.absolute(self.urls.search()) if c.search else None,
        )
        page = self._page("home", "/", c.title, c.description, [], [data])
        return PageSpec("home.html", page, self.views.home(), ("*articles", "*themes"))

    def article(self, slug: str) -> PageSpec:
        article = self.views.articles[slug]
        view = self.views.article(article)
        path = self.urls.article(slug)
        summary = self.views.index.summaries[article.source]
        data = jsonld.article(
            headline=article.title,
            url=self.urls.absolute(path),
            description=summary,
            author=article.author,
            author_is_organisation=article.author == self.config.default_author,
            published=view.date_iso,
            modified=view.updated_iso or view.date_iso,
            words=self.views.index.bodies[article.source].words,
            minutes=self.views.index.reading_minutes[slug],
            language=self.config.language,
            publisher=self.config.title,
            keywords=[t.name for t in article.tags],
        )
        crumbs = self._crumbs((self.t["articles"], self.urls.article_list()), (article.title, path))
        page = self._page(
            "article",
            path,
            article.title,
            summary,
            crumbs,
            [data],
            og_type="article",
            search_kind=self.t["kind_article"],
            search_tags=tuple(t.name for t in article.tags),
        )
        return PageSpec("article.html", page, view)

    def article_lists(self, reused: Collection[str] = frozenset()) -> list[PageSpec]:
        title = self.t["all_articles"]
        specs = []
        for path, view in paged_listings(
            self.views, title, "", self.views.index.newest, self.urls.article_list, reused
        ):
            crumbs = self._crumbs(
                (self.t["articles"], self.urls.article_list()), *self._page_crumb(view, path)
            )
            heading = (
                title
                if view.pagination is None or view.pagination.page == 1
                else f"{title} – {view.pagination.label}"
            )
            data = jsonld.collection_page(
                heading, self.urls.absolute(path), self.config.description, self.config.language
            )
            specs.append(
                PageSpec(
                    "article_list.html", self._page("list", path, heading, "", crumbs, [data]), view
                )
            )
        return specs

    def term(self, slug: str) -> PageSpec:
        term = self.views.terms[slug]
        view = self.views.term(term)
        path = self.urls.term(slug)
        index = self.urls.glossary_index()
        data = jsonld.defined_term(
            term.term,
            self.urls.absolute(path),
            view.summary,
            term.aliases,
            self.urls.absolute(index),
            self.t["glossary"],
        )
        crumbs = self._crumbs((self.t["glossary"], index), (term.term, path))
        page = self._page(
            "term",
            path,
            term.term,
            view.summary,
            crumbs,
            [data],
            search_kind=self.t["kind_term"],
            search_tags=tuple(t.name for t in term.tags),
        )
        return PageSpec("term.html", page, view)

    def glossary(self) -> PageSpec:
        path = self.urls.glossary_index()
        view = glossary_view(self.views)
        terms = [
            (c.title, self.urls.absolute(self._site_path(c.href)))
            for g in view.groups
            for c in g.terms
        ]
        data = jsonld.defined_term_set(self.t["glossary"], self.urls.absolute(path), terms)
        crumbs = self._crumbs((self.t["glossary"], path))
        return PageSpec(
            "glossary.html",
            self._page("glossary", path, self.t["glossary"], view.intro, crumbs, [data]),
            view,
        )

    def theme(self, slug: str) -> PageSpec:
        theme = self.views.themes[slug]
        path = self.urls.theme(slug)
        summary = self.views.index.summaries[theme.source]
        data = jsonld.collection_page(
            theme.title, self.urls.absolute(path), summary, self.config.language
        )
        crumbs = self._crumbs((self.t["themes"], self.urls.theme_list()), (theme.title, path))
        page = self._page(
            "theme", path, theme.title, summary, crumbs, [data], search_kind=self.t["kind_theme"]
        )
        return PageSpec("theme.html", page, self.views.theme(theme))

    def theme_list(self) -> PageSpec:
        path = self.urls.theme_list()
        data = jsonld.collection_page(
            self.t["themes"],
            self.urls.absolute(path),
            self.config.description,
            self.config.language,
        )
        crumbs = self._crumbs((self.t["themes"], path))
        return PageSpec(
            "theme_list.html",
            self._page("themes", path, self.t["themes"], "", crumbs, [data]),
            theme_list_view(self.views),
        )

    def resources(self) -> PageSpec:
        path = self.urls.resources()
        view = resources_view(self.views)
        data = jsonld.collection_page(
            self.t["resources"], self.urls.absolute(path), view.intro, self.config.language
        )
        crumbs = self._crumbs((self.t["resources"], path))
        return PageSpec(
            "resources.html",
            self._page("resources", path, self.t["resources"], view.intro, crumbs, [data]),
            view,
        )

    def tag_pages(self, reused: Collection[str] = frozenset()) -> list[PageSpec]:
        specs = []
        for slug, group in self.views.index.tags.items():
            intro = self.t.fill("tag_intro", tag=group.name)

            def path_of(number: int, slug: str = slug) -> str:
                return self.urls.tag(slug, number)

            for path, view in paged_listings(
                self.views, group.name, intro, group.articles, path_of, reused
            ):
                crumbs = self._crumbs(
                    (self.t["tags"], self.urls.tag_index()),
                    (group.name, self.urls.tag(slug)),
                    *self._page_crumb(view, path),
                )
                data = jsonld.collection_page(
                    group.name, self.urls.absolute(path), intro, self.config.language
                )
                title = (
                    group.name
                    if view.pagination is None or view.pagination.page == 1
                    else f"{group.name} – {view.pagination.label}"
                )
                specs.append(
                    PageSpec(
                        "tag.html", self._page("tag", path, title, intro, crumbs, [data]), view
                    )
                )
        return specs

    def tag_index(self) -> PageSpec:
        path = self.urls.tag_index()
        view = tag_index_view(self.views)
        data = jsonld.collection_page(
            self.t["tags"], self.urls.absolute(path), view.intro, self.config.language
        )
        crumbs = self._crumbs((self.t["tags"], path))
        return PageSpec(
            "tag_index.html",
            self._page("tags", path, self.t["tags"], view.intro, crumbs, [data]),
            view,
        )

    def free_page(self, slug: str) -> PageSpec:
        page = next(p for p in self.views.content.pages if p.slug == slug)
        path = self.urls.page(slug)
        summary = self.views.index.summaries[page.source]
        data = jsonld.web_page(page.title, self.urls.absolute(path), summary, self.config.language)
        crumbs = self._crumbs((page.title, path))
        spec = self._page(
            "page", path, page.title, summary, crumbs, [data], search_kind=self.t["kind_page"]
        )
        return PageSpec("page.html", spec, self.views.page(page))

    def search(self) -> PageSpec:
        path = self.urls.search()
        data = jsonld.web_page(
            self.t["search"], self.urls.absolute(path), self.t["search_label"], self.config.language
        )
        crumbs = self._crumbs((self.t["search"], path))
        return PageSpec(
            "search.html",
            self._page("search", path, self.t["search"], self.t["search_label"], crumbs, [data]),
            None,
        )

    def not_found(self) -> PageSpec:
        path = "/404.html"
        title = self.t["not_found_title"]
        data = jsonld.web_page(
            title, self.urls.absolute(path), self.t["not_found_text"], self.config.language
        )
        return PageSpec(
            "404.html",
            self._page("404", path, title, self.t["not_found_text"], [], [data], noindex=True),
            None,
        )
