"""The content model: one frozen dataclass per content kind, plus the whole Content.

Validation builds these from SourceDocs; every later stage only reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.fields import WrittenDate


@dataclass(frozen=True)
class Tag:
    name: str  # as the editor wrote it ("Professionele leercultuur")
    slug: str


class Body:
    """The Markdown body of an item and where it starts in its file.

    The text may be given as a function that reads it, called when the text is
    first asked for: a rebuild takes the parse of an unchanged body from the
    cache and reads its file only if a stage needs the text (the body is parsed
    again, its cached HTML is lost, a term without a summary of its own whose
    first sentence the cache lacks).
    Comparing, hashing or pickling a Body reads it too (fingerprint.Seen).
    """

    __slots__ = ("_text", "line")

    def __init__(self, text: str | Callable[[], str], line: int) -> None:
        self._text = text
        self.line = line  # file line of the body's first line (for token.map arithmetic)

    @property
    def text(self) -> str:
        if not isinstance(self._text, str):
            self._text = self._text()
        return self._text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        return (self.line, self.text) == (other.line, other.text)

    def __hash__(self) -> int:
        return hash((self.line, self.text))

    def __repr__(self) -> str:
        return f"Body(text={self.text!r}, line={self.line!r})"

    def __reduce__(self) -> tuple[type[Body], tuple[str, int]]:
        return (Body, (self.text, self.line))  # pickled (a worker's job) with its text


@dataclass(frozen=True)
class ArticleRef:
    slug: str
    line: int


@dataclass(frozen=True)
class OutsideRef:
    title: str
    url: str
    line: int


RelatedRef = ArticleRef | OutsideRef


@dataclass(frozen=True)
class Article:
    slug: str
    source: str  # site-relative path of the .md file
    title: str
    date: WrittenDate
    author: str  # default_author already applied
    body: Body
    updated: WrittenDate | None = None
    summary: str | None = None  # only when written; derived summaries live in the index
    tags: tuple[Tag, ...] = ()
    related: tuple[RelatedRef, ...] = ()
    featured: bool = False
    reading_time: int | None = None  # minutes, only when written
    glossary: bool = True  # False: no term links and no term usage counted
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GlossaryTerm:
    slug: str
    source: str
    term: str
    body: Body
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    see_also: tuple[ArticleRef, ...] = ()  # slugs of terms (ArticleRef reused for slug+line)
    tags: tuple[Tag, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form that links to this term: the term, then its aliases."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class ThemeLink:
    """One entry of a theme section: an article, a term, or an outside resource."""

    kind: Literal["article", "term", "outside"]
    target: str  # slug for article/term, URL for outside
    line: int
    title: str | None = None  # override (required for outside)
    description: str | None = None
    label: str | None = None  # free `kind:` label: tool, platform, onderzoek...


@dataclass(frozen=True)
class ThemeSection:
    title: str
    intro: Body | None
    links: tuple[ThemeLink, ...]
    line: int


@dataclass(frozen=True)
class Theme:
    slug: str
    source: str
    title: str
    body: Body
    sections: tuple[ThemeSection, ...]
    summary: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    slug: str
    source: str
    title: str
    body: Body
    summary: str | None = None
    menu: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StaticFile:
    source: str  # site-relative path under content/static/
    site_path: str  # "/img/foto.png"


@dataclass(frozen=True)
class Content:
    """Every valid item of the site, each collection sorted by slug."""

    articles: tuple[Article, ...] = ()
    terms: tuple[GlossaryTerm, ...] = ()
    themes: tuple[Theme, ...] = ()
    pages: tuple[Page, ...] = ()
    static: tuple[StaticFile, ...] = ()
    drafts: frozenset[str] = frozenset()  # article slugs left out as drafts
    draft_sources: frozenset[str] = frozenset()  # their source paths (links to them unlink)
    failed_sources: frozenset[str] = frozenset()  # files dropped for their own errors
    # Source path -> sha256 of the file's bytes: an item is made of its path, these
    # bytes, the site settings and the references resolved against other items.
    digests: Mapping[str, str] = field(default_factory=dict)

    def item_by_source(self) -> dict[str, Article | GlossaryTerm | Theme | Page]:
        """Map each item's source path to the item (for resolving Markdown links)."""
        items: list[Article | GlossaryTerm | Theme | Page] = [
            *self.articles,
            *self.terms,
            *self.themes,
            *self.pages,
        ]
        return {item.source: item for item in items}
