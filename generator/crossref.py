"""Cross-file rules after every single-file check: slugs, references, term forms, URLs.

Builds the Content of the site from validated items. A reference to an item
that failed its own validation is not reported again (its file already is).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TypeVar

from generator import fields
from generator.config import CONFIG_FILE, SiteConfig
from generator.diagnostics import Report
from generator.load import Sources
from generator.model import (
    Article,
    ArticleRef,
    Content,
    GlossaryTerm,
    Page,
    RelatedRef,
    Theme,
    ThemeLink,
    ThemeSection,
)
from generator.validate import Item, validate_doc

T = TypeVar("T", Article, GlossaryTerm, Theme, Page)


def validate_sources(
    sources: Sources, config: SiteConfig, report: Report, *, drafts: bool = False
) -> Content:
    """Validate every document, then every rule that spans files; bad items are dropped."""
    known: dict[str, set[str]] = {c: set() for c in ("articles", "glossary", "themes", "pages")}
    by_collection: dict[str, list[Item]] = {c: [] for c in known}
    first_file: dict[tuple[str, str], str] = {}
    for doc in sources.docs:
        known[doc.collection].add(doc.slug)
        key = (doc.collection, doc.slug)
        if key in first_file:
            report.error(
                "REF004", doc.path, 1, "", slug=doc.slug, first=first_file[key], second=doc.path
            )
            continue
        first_file[key] = doc.path
        item = validate_doc(doc, config, report)
        if item is not None:
            by_collection[doc.collection].append(item)

    valid_sources = {item.source for items in by_collection.values() for item in items}
    failed_sources = frozenset(d.path for d in sources.docs if d.path not in valid_sources)
    articles = _of(by_collection["articles"], Article)
    draft_slugs = frozenset(a.slug for a in articles if a.draft and not drafts)
    draft_sources = frozenset(a.source for a in articles if a.slug in draft_slugs)
    articles = [a for a in articles if a.slug not in draft_slugs]
    terms = _of(by_collection["glossary"], GlossaryTerm)
    article_slugs = {a.slug for a in articles}
    term_slugs = {t.slug for t in terms}
    refs = _Resolver(report, draft_slugs)

    # An item is copied only when a reference was dropped (dataclasses.replace is Python
    # code: copying all 11,000 items took a rebuild 0.05 s).
    articles = [
        a if related == a.related else dataclasses.replace(a, related=related)
        for a in articles
        for related in [refs.related(a, article_slugs, known["articles"])]
    ]
    terms = [
        t if see_also == t.see_also else dataclasses.replace(t, see_also=see_also)
        for t in terms
        for see_also in [
            refs.slugs(
                t.source, "see_also", t.slug, t.see_also, term_slugs, known["glossary"], kind="term"
            )
        ]
    ]
    themes = [
        refs.theme(theme, article_slugs, known["articles"], term_slugs, known["glossary"])
        for theme in _of(by_collection["themes"], Theme)
    ]
    pages = _of(by_collection["pages"], Page)
    _check_term_forms(terms, report)
    _check_page_slugs(pages, config, report)
    _check_featured(config, article_slugs, known["articles"], draft_slugs, report)
    return Content(
        articles=tuple(sorted(articles, key=lambda a: a.slug)),
        terms=tuple(sorted(terms, key=lambda t: t.slug)),
        themes=tuple(sorted(themes, key=lambda t: t.slug)),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        static=sources.static,
        drafts=draft_slugs,
        draft_sources=draft_sources,
        failed_sources=failed_sources,
        digests={doc.path: doc.digest for doc in sources.docs if doc.path in valid_sources},
    )


def _of(items: Iterable[Item], kind: type[T]) -> list[T]:
    return [item for item in items if isinstance(item, kind)]


class _Resolver:
    """Resolves slug references, reporting unknown, draft, self and repeated ones."""

    def __init__(self, report: Report, drafts: frozenset[str]) -> None:
        self.report, self.drafts = report, drafts

    def _keep(
        self,
        source: str,
        field: str,
        own: str | None,
        ref: ArticleRef,
        valid: set[str],
        known: set[str],
        kind: str,
        *,
        drafts_apply: bool,
    ) -> bool:
        if own is not None and ref.slug == own:
            self.report.error("REF003", source, ref.line, field, target=ref.slug)
            return False
        if drafts_apply and ref.slug in self.drafts:
            self.report.warning("REF002", source, ref.line, field, target=ref.slug)
            return False
        if ref.slug not in valid:
            if ref.slug not in known:  # a file that failed validation is reported already
                self.report.error(
                    "REF001",
                    source,
                    ref.line,
                    field,
                    kind=kind,
                    target=ref.slug,
                    candidate=fields.closest(ref.slug, valid),
                )
            return False
        return True

    def slugs(
        self,
        source: str,
        field: str,
        own: str,
        refs: Sequence[ArticleRef],
        valid: set[str],
        known: set[str],
        *,
        kind: str,
    ) -> tuple[ArticleRef, ...]:
        kept: list[ArticleRef] = []
        seen: set[str] = set()
        for ref in refs:
            if ref.slug in seen:
                self.report.warning("REF007", source, ref.line, field, target=ref.slug)
                continue
            seen.add(ref.slug)
            if self._keep(
                source, field, own, ref, valid, known, kind, drafts_apply=kind == "article"
            ):
                kept.append(ref)
        return tuple(kept)

    def related(self, article: Article, valid: set[str], known: set[str]) -> tuple[RelatedRef, ...]:
        kept: list[RelatedRef] = []
        seen: set[str] = set()
        for ref in article.related:
            if isinstance(ref, ArticleRef):
                if ref.slug in seen:
                    self.report.warning(
                        "REF007", article.source, ref.line, "related", target=ref.slug
                    )
                    continue
                seen.add(ref.slug)
                if not self._keep(
                    article.source,
                    "related",
                    article.slug,
                    ref,
                    valid,
                    known,
                    "article",
                    drafts_apply=True,
                ):
                    continue
            kept.append(ref)
        return tuple(kept)

    def theme(
        self,
        theme: Theme,
        articles: set[str],
        known_articles: set[str],
        terms: set[str],
        known_terms: set[str],
    ) -> Theme:
        sections: list[ThemeSection] = []
        for section in theme.sections:
            links: list[ThemeLink] = []
            for link in section.links:
                if link.kind == "outside":
                    links.append(link)
                    continue
                valid, known = (
                    (articles, known_articles) if link.kind == "article" else (terms, known_terms)
                )
                ref = ArticleRef(link.target, link.line)
                if self._keep(
                    theme.source,
                    f"sections.links.{link.kind}",
                    None,
                    ref,
                    valid,
                    known,
                    link.kind,
                    drafts_apply=link.kind == "article",
                ):
                    links.append(link)
            sections.append(dataclasses.replace(section, links=tuple(links)))
        return dataclasses.replace(theme, sections=tuple(sections))


def form_key(form: str) -> str:
    """How two term forms are compared for collisions: case-folded, spaces collapsed."""
    return " ".join(form.casefold().split())


def _check_term_forms(terms: Sequence[GlossaryTerm], report: Report) -> None:
    """A written form may link to one term only; report both files of a collision."""
    owner: dict[str, GlossaryTerm] = {}
    for term in terms:
        for form in dict.fromkeys(form_key(f) for f in term.forms):
            other = owner.get(form)
            if other is None:
                owner[form] = term
                continue
            shown = next(f for f in term.forms if form_key(f) == form)
            report.error("REF005", term.source, 1, "aliases", form=shown, other=other.source)
            report.error("REF005", other.source, 1, "aliases", form=shown, other=term.source)


def _check_page_slugs(pages: Sequence[Page], config: SiteConfig, report: Report) -> None:
    reserved = config.urls.reserved_words() | {
        "404",
        "feed-xml",
        "sitemap-xml",
        "assets",
        "pagefind",
    }
    for page in pages:
        if page.slug in reserved:
            report.error(
                "REF006",
                page.source,
                1,
                "",
                url=config.urls.page(page.slug),
                first=page.source,
                second=f"section '{page.slug}'",
            )


def _check_featured(
    config: SiteConfig, valid: set[str], known: set[str], drafts: frozenset[str], report: Report
) -> None:
    for slug, line in zip(config.featured, config.featured_lines, strict=True):
        if slug in drafts:
            report.warning("REF002", CONFIG_FILE, line, "featured", target=slug)
        elif slug not in valid and slug not in known:
            report.error(
                "REF001",
                CONFIG_FILE,
                line,
                "featured",
                kind="article",
                target=slug,
                candidate=fields.closest(slug, valid),
            )
