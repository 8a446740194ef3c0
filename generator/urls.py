"""Slugs, URLs and output paths, defined once.

A page has a site path ("/artikelen/foo/"), from which its output file
("artikelen/foo/index.html"), its link (base path + site path) and its
canonical URL (base_url + site path) are all derived here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# Section words per language; site.yaml `paths:` may rename them.
SECTION_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "articles": "artikelen",
        "glossary": "begrippen",
        "themes": "themas",
        "resources": "bronnen",
        "tags": "tags",
        "search": "zoeken",
        "page": "pagina",
    },
    "en": {
        "articles": "articles",
        "glossary": "glossary",
        "themes": "themes",
        "resources": "resources",
        "tags": "tags",
        "search": "search",
        "page": "page",
    },
}
SECTIONS = ("articles", "glossary", "themes", "resources", "tags", "search")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what slugify leaves as it is


@lru_cache(maxsize=65536)
def slugify(value: str) -> str:
    """Lower case, diacritics folded, every run of other characters to one hyphen.

    Cached: the same tag names and file names are slugified again on every page.
    A value that is a slug already (most file names) is returned as it is.
    """
    if _SLUG.fullmatch(value):
        return value
    folded = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("ß", "ss").replace("æ", "ae").replace("ø", "o")
    return _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")


@dataclass(frozen=True)
class UrlScheme:
    """Every URL of the site, from the language's section words and base_url."""

    base_url: str  # "https://org.github.io/kennisbank/", always ending in "/"
    language: str = "nl"
    overrides: dict[str, str] = field(default_factory=dict)  # site.yaml paths:

    @property
    def base_path(self) -> str:
        """The path part of base_url ("/kennisbank/"); every link starts with it."""
        return urlsplit(self.base_url).path or "/"

    def word(self, section: str) -> str:
        return self.overrides.get(section) or SECTION_WORDS[self.language][section]

    # Site paths (without the base path) -----------------------------------
    def home(self) -> str:
        return "/"

    def article(self, slug: str) -> str:
        return f"/{self.word('articles')}/{slug}/"

    def article_list(self, page: int = 1) -> str:
        return self._paged(f"/{self.word('articles')}/", page)

    def term(self, slug: str) -> str:
        return f"/{self.word('glossary')}/{slug}/"

    def glossary_index(self) -> str:
        return f"/{self.word('glossary')}/"

    def theme(self, slug: str) -> str:
        return f"/{self.word('themes')}/{slug}/"

    def theme_list(self) -> str:
        return f"/{self.word('themes')}/"

    def resources(self) -> str:
        return f"/{self.word('resources')}/"

    def tag(self, slug: str, page: int = 1) -> str:
        return self._paged(f"/{self.word('tags')}/{slug}/", page)

    def tag_index(self) -> str:
        return f"/{self.word('tags')}/"

    def page(self, slug: str) -> str:
        return f"/{slug}/"

    def search(self) -> str:
        return f"/{self.word('search')}/"

    def _paged(self, first: str, page: int) -> str:
        return first if page <= 1 else f"{first}{SECTION_WORDS[self.language]['page']}/{page}/"

    # Derived forms ----------------------------------------------------------
    def href(self, site_path: str) -> str:
        """The link written into pages: base path + site path."""
        return self.base_path.rstrip("/") + site_path

    def absolute(self, site_path: str) -> str:
        """The canonical URL: base_url + site path."""
        return self.base_url.rstrip("/") + site_path

    def reserved_words(self) -> set[str]:
        """First path words that belong to sections (a free page may not take them)."""
        return {self.word(section) for section in SECTIONS}


def output_path(site_path: str) -> str:
    """The file a site path is written to: "/a/b/" -> "a/b/index.html", "/x.xml" -> "x.xml"."""
    relative = site_path.lstrip("/")
    if not relative or relative.endswith("/"):
        return f"{relative}index.html"
    return relative
