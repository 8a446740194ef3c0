"""Theme pages: sections in order, internal and outside links, overrides, dangling targets,
"In thema's" on the pages they point to, and the theme list."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.build import BuildResult, build
from tests.conftest import MakeSite, page

SITE = Path(__file__).resolve().parent.parent / "sites" / "themes"

ARTICLE = """\
---
title: Begrijpend lezen
date: 2024-03-01
summary: Hoe kinderen leren begrijpen wat ze lezen.
---
Tekst.
"""


@pytest.fixture(scope="module")
def themes_site() -> BuildResult:
    result = build(SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


def _doc(result: BuildResult, path: str) -> Tag:
    main = BeautifulSoup(page(result, path), "html.parser").find("main")
    assert isinstance(main, Tag)
    return main


def _text(node: Tag | None) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())


def _items(main: Tag) -> list[dict[str, str]]:
    """The entries of a theme page: href, rel, title, kind, description, host, marker."""
    items: list[dict[str, str]] = []
    for entry in main.select("li.resource"):
        link = entry.select_one("a.resource-title")
        assert link is not None
        marker = link.select_one(".visually-hidden")
        found = {
            "href": str(link["href"]),
            "rel": " ".join(link.get_attribute_list("rel") or []) if link.has_attr("rel") else "",
            "title": _text(link).removesuffix(_text(marker)).strip() if marker else _text(link),
            "marker": _text(marker) if marker else "",
        }
        for name in ("kind", "description", "host"):
            node = entry.select_one(f".resource-{name}")
            found[name] = _text(node) if node else ""
        items.append(found)
    return items


def _listed_under(main: Tag, heading_text: str) -> list[tuple[str, str]]:
    """(href, text) of the links in the list that follows the heading with this text."""
    heading = main.find(lambda t: t.name in ("h2", "h3") and _text(t) == heading_text)
    assert isinstance(heading, Tag), heading_text
    listing = heading.find_next("ul")
    assert isinstance(listing, Tag)
    return [(str(a["href"]), _text(a)) for a in listing.find_all("a")]


def test_sections_are_rendered_in_order_with_their_intros(themes_site: BuildResult) -> None:
    main = _doc(themes_site, "themas/taal/index.html")
    sections = main.select("section")
    headings = [(str(s.h2["id"]), _text(s.h2)) for s in sections if s.h2 is not None]
    assert headings == [
        ("kb-section-1", "De basis"),
        ("kb-section-2", "Alleen een inleiding"),
        ("kb-section-3", "Elders"),
    ]
    # The body of the theme page is its introduction, before every section.
    text = _text(main)
    assert text.index("Taal is de basis van al het leren.") < text.index("De basis")


def _section(main: Tag, number: int) -> Tag:
    heading = main.find(id=f"kb-section-{number}")
    assert isinstance(heading, Tag) and isinstance(heading.parent, Tag)
    return heading.parent


def test_section_intros_are_markdown_with_resolved_links(themes_site: BuildResult) -> None:
    main = _doc(themes_site, "themas/taal/index.html")
    first, second = _section(main, 1), _section(main, 2)
    assert next((str(a["href"]), _text(a)) for a in first.select("p a")) == (
        "/contact/#adres",
        "adres",
    )
    paragraphs = [_text(p) for p in second.find_all("p")]
    assert paragraphs[:2] == ["Hier komt later meer.", "Tot dan: neem contact op ."]
    assert [str(a["href"]) for a in second.find_all("a")] == ["/contact/"]


def test_a_section_with_only_an_intro_has_no_list(themes_site: BuildResult) -> None:
    second = _section(_doc(themes_site, "themas/taal/index.html"), 2)
    assert second.find("ul") is None and second.find("li") is None


def test_internal_links_take_title_and_summary_from_the_target(themes_site: BuildResult) -> None:
    article, term, _ = _items(_doc(themes_site, "themas/taal/index.html"))[:3]
    assert article == {
        "href": "/artikelen/lezen/",
        "rel": "",
        "title": "Begrijpend lezen",
        "kind": "Artikel",
        "description": "Hoe kinderen leren begrijpen wat ze lezen.",
        "host": "",
        "marker": "",
    }
    assert term == {
        "href": "/begrippen/woordenschat/",
        "rel": "",
        "title": "Woordenschat",
        "kind": "Begrip",
        "description": "De woorden die iemand kent en gebruikt.",
        "host": "",
        "marker": "",
    }


def test_internal_links_may_override_title_and_description(themes_site: BuildResult) -> None:
    overridden = _items(_doc(themes_site, "themas/taal/index.html"))[2]
    assert overridden["href"] == "/artikelen/rekenen/"
    assert overridden["title"] == "Tellen en rekenen"
    assert overridden["description"] == "Een eigen beschrijving."
    # The override is the theme's own wording; the article keeps its title elsewhere.
    article = BeautifulSoup(page(themes_site, "artikelen/rekenen/index.html"), "html.parser")
    assert _text(article.h1) == "Rekenen in groep 3"


def test_outside_links_show_host_marker_and_open_in_the_same_tab(
    themes_site: BuildResult,
) -> None:
    main = _doc(themes_site, "themas/taal/index.html")
    leesplein = next(i for i in _items(main) if i["title"] == "Leesplein")
    assert leesplein == {
        "href": "https://WWW.Leesplein.nl/",
        "rel": "noopener",
        "title": "Leesplein",
        "kind": "platform",
        "description": "Alles over kinderboeken.",
        "host": "leesplein.nl",
        "marker": "(externe website)",
    }
    assert main.select("a[target]") == []


def test_nofollow_is_added_when_site_yaml_asks_for_it(make_site: MakeSite) -> None:
    theme = """\
    ---
    title: Taal
    sections:
      - title: Elders
        links:
          - title: Leesplein
            url: https://www.leesplein.nl/
          - article: lezen
    ---
    """
    site_yaml = "title: T\nbase_url: https://kb.example.org/\nlinks:\n  nofollow: true\n"
    root = make_site(
        {"content/themes/taal.md": theme, "content/articles/lezen.md": ARTICLE},
        site_yaml=site_yaml,
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    items = _items(_doc(result, "themas/taal/index.html"))
    assert [(i["title"], i["rel"]) for i in items] == [
        ("Leesplein", "noopener nofollow"),
        ("Begrijpend lezen", ""),  # the site's own pages are followed
    ]
    resource = _doc(result, "bronnen/index.html").select_one("a.resource-title")
    assert resource is not None and resource.get_attribute_list("rel") == ["noopener", "nofollow"]


def test_articles_list_the_themes_that_point_to_them(themes_site: BuildResult) -> None:
    main = _doc(themes_site, "artikelen/lezen/index.html")
    assert _listed_under(main, "In thema's") == [
        ("/themas/rekenen/", "Rekenen"),
        ("/themas/taal/", "Taal"),
    ]


def test_terms_list_the_themes_that_point_to_them(themes_site: BuildResult) -> None:
    main = _doc(themes_site, "begrippen/woordenschat/index.html")
    assert _listed_under(main, "In thema's") == [("/themas/taal/", "Taal")]


def test_pages_no_theme_points_to_have_no_theme_list(make_site: MakeSite) -> None:
    root = make_site({"content/articles/lezen.md": ARTICLE})
    result = build(root, jobs=1)
    assert result.ok
    assert "In thema's" not in _text(_doc(result, "artikelen/lezen/index.html"))


def test_theme_list_shows_every_theme_with_summary_and_count(themes_site: BuildResult) -> None:
    main = _doc(themes_site, "themas/index.html")
    cards = []
    for card in main.select(".card"):
        link = card.select_one(".card-title a")
        assert link is not None
        cards.append(
            (
                str(link["href"]),
                _text(link),
                _text(card.select_one(".card-summary")),
                _text(card.select_one(".card-reading")),
            )
        )
    assert cards == [
        ("/themas/rekenen/", "Rekenen", "Getallen, bewerkingen en meten.", "5 bronnen"),
        ("/themas/taal/", "Taal", "Alles over taalonderwijs in de basisschool.", "8 bronnen"),
    ]


def test_dangling_article_and_term_targets_fail_the_build_at_their_line(
    make_site: MakeSite,
) -> None:
    theme = """\
    ---
    title: Taal
    sections:
      - title: Een
        links:
          - article: lezen
          - article: bestaat-niet
          - term: ook-niet
            title: Overschreven
    ---
    """
    root = make_site({"content/themes/taal.md": theme, "content/articles/lezen.md": ARTICLE})
    result = build(root, jobs=1)
    assert not result.ok and result.outputs == ()
    assert result.report.format_lines("nl") == [
        "content/themes/taal.md:7: sections.links.article: onbekend artikel 'bestaat-niet'"
        " (gebruik de bestandsnaam zonder .md van een bestaand artikel)",
        "content/themes/taal.md:8: sections.links.term: onbekend begrip 'ook-niet'"
        " (gebruik de bestandsnaam zonder .md van een bestaand begrip)",
    ]


def test_a_broken_link_in_a_section_intro_fails_at_its_line(make_site: MakeSite) -> None:
    theme = """\
    ---
    title: Taal
    sections:
      - title: Een
        intro: |
          Eerste regel.

          Zie [weg](../pages/weg.md) en [anker](../articles/lezen.md#nergens).
        links: []
    ---
    """
    root = make_site({"content/themes/taal.md": theme, "content/articles/lezen.md": ARTICLE})
    result = build(root, jobs=1)
    assert not result.ok
    assert [(d.path, d.line, d.code) for d in result.report] == [
        ("content/themes/taal.md", 8, "LNK001"),
        ("content/themes/taal.md", 8, "LNK002"),
    ]


def test_an_anchor_may_be_a_heading_of_a_section_intro_or_of_the_body(
    make_site: MakeSite,
) -> None:
    """A theme's anchors are those of its body and of every section intro, together."""
    theme = """\
    ---
    title: Taal
    sections:
      - title: Een
        intro: |
          ## Uit het onderzoek

          Tekst.
        links: []
    ---
    ## Waarom taal
    """
    body = (
        "Zie [intro](../themes/taal.md#uit-het-onderzoek), [body](../themes/taal.md#waarom-taal)"
        " en [mis](../themes/taal.md#nergens).\n"
    )
    article = f"---\ntitle: Lezen\ndate: 2024-01-01\n---\n{body}"
    root = make_site({"content/themes/taal.md": theme, "content/articles/lezen.md": article})
    result = build(root, jobs=1)
    assert result.report.format_lines() == [
        "content/articles/lezen.md:5: link: anchor '#nergens' does not exist in"
        " content/themes/taal.md (existing anchors: uit-het-onderzoek, waarom-taal)"
    ]
