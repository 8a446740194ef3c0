"""Slugs and URLs (CONTENT-FORMAT.md: the slug rule and the URL table)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.urls import UrlScheme, output_path, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Creëren in de Klas", "creeren-in-de-klas"),
        ("hugo_mod_get", "hugo-mod-get"),
        ("DEDA", "deda"),
        ("Betekenis: Professionele leergemeenschap", "betekenis-professionele-leergemeenschap"),
        ("sociaal-emotioneel leren (SEL) in de klas", "sociaal-emotioneel-leren-sel-in-de-klas"),
        ("risico's en kansen", "risico-s-en-kansen"),
        ("  --Ümlaut  ÿ ç  ", "umlaut-y-c"),
        ("10.000 leerlingen", "10-000-leerlingen"),
        ("!!!", ""),
    ],
)
def test_slugify_folds_diacritics_and_joins_runs_with_one_hyphen(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text(alphabet="abcz09-_ AÉé.", max_size=12))
@settings(max_examples=300, deadline=None)
def test_a_slug_is_its_own_slug_and_other_text_takes_the_full_rule(text: str) -> None:
    """The shortcut for values that are slugs already gives what the full rule gives."""
    slug = slugify(text)
    assert slugify(slug) == slug
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    assert slug == re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def test_dutch_urls_follow_the_table() -> None:
    urls = UrlScheme("https://www.example.org/", "nl")
    assert urls.article("x") == "/artikelen/x/"
    assert urls.article_list(2) == "/artikelen/pagina/2/"
    assert urls.term("plg") == "/begrippen/plg/"
    assert urls.glossary_index() == "/begrippen/"
    assert urls.theme("t") == "/themas/t/"
    assert urls.theme_list() == "/themas/"
    assert urls.resources() == "/bronnen/"
    assert urls.tag("taal") == "/tags/taal/"
    assert urls.page("over-ons") == "/over-ons/"
    assert urls.search() == "/zoeken/"


def test_english_urls_follow_the_table() -> None:
    urls = UrlScheme("https://www.example.org/", "en")
    assert urls.article("x") == "/articles/x/"
    assert urls.article_list(3) == "/articles/page/3/"
    assert urls.term("plg") == "/glossary/plg/"
    assert urls.theme("t") == "/themes/t/"
    assert urls.resources() == "/resources/"
    assert urls.search() == "/search/"


def test_paths_override_renames_a_section() -> None:
    urls = UrlScheme("https://www.example.org/", "nl", {"articles": "blog"})
    assert urls.article("x") == "/blog/x/"
    assert "blog" in urls.reserved_words()


def test_base_url_path_prefixes_every_link_but_not_output_paths() -> None:
    urls = UrlScheme("https://org.github.io/kennisbank/", "nl")
    assert urls.href(urls.article("x")) == "/kennisbank/artikelen/x/"
    assert urls.absolute(urls.article("x")) == "https://org.github.io/kennisbank/artikelen/x/"
    assert output_path(urls.article("x")) == "artikelen/x/index.html"
    assert output_path("/") == "index.html"
    assert output_path("/feed.xml") == "feed.xml"
