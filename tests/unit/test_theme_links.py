"""Theme pages: sections in order, internal and outside links, overrides, dangling targets,
"In thema's" on the pages they point to, and the theme list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _items(html: str) -> list[dict[str, str]]:
    """The entries of a theme page: href, title, kind, description, host, rel."""
    items: list[dict[str, str]] = []
    for chunk in _main(html).split('<li class="resource')[1:]:
        chunk = chunk[: chunk.index("</li>")]
        link = re.search(
            r'<a class="resource-title" href="([^"]+)"(?: rel="([^"]+)")?>([^<]+)', chunk
        )
        assert link is not None
        found = {"href": link.group(1), "rel": link.group(2) or "", "title": link.group(3)}
        for name, css in (("kind", "resource-kind"), ("description", "resource-description")):
            match = re.search(rf'class="{css}">([^<]*)<', chunk)
            found[name] = match.group(1) if match else ""
        host = re.search(r'class="resource-host">([^<]*)<', chunk)
        found["host"] = host.group(1) if host else ""
        found["marker"] = (
            "yes" if '<span class="visually-hidden"> (externe website)' in chunk else ""
        )
        items.append(found)
    return items


def test_sections_are_rendered_in_order_with_their_intros(themes_site: BuildResult) -> None:
    html = _main(page(themes_site, "themas/taal/index.html"))
    headings = re.findall(r'<h2 id="(kb-section-\d)">([^<]+)</h2>', html)
    assert headings == [
        ("kb-section-1", "De basis"),
        ("kb-section-2", "Alleen een inleiding"),
        ("kb-section-3", "Elders"),
    ]
    # The body of the theme page is its introduction, before every section.
    assert html.index("Taal is de basis van al het leren.") < html.index("kb-section-1")


def test_section_intros_are_markdown_with_resolved_links(themes_site: BuildResult) -> None:
    html = _main(page(themes_site, "themas/taal/index.html"))
    assert '<a href="/contact/#adres">adres</a>' in html
    assert '<p>Tot dan: <a href="/contact/">neem contact op</a>.</p>' in html


def test_a_section_with_only_an_intro_has_no_list(themes_site: BuildResult) -> None:
    html = _main(page(themes_site, "themas/taal/index.html"))
    second = html[html.index('id="kb-section-2"') : html.index('id="kb-section-3"')]
    assert "Hier komt later meer." in second
    assert "<ul" not in second


def test_internal_links_take_title_and_summary_from_the_target(themes_site: BuildResult) -> None:
    article, term, _ = _items(page(themes_site, "themas/taal/index.html"))[:3]
    assert article == {
        "href": "/artikelen/lezen/",
        "rel": "",
        "title": "Begrijpend lezen",
        "kind": "Artikel",
        "description": "Hoe kinderen leren begrijpen wat ze lezen.",
        "host": "",
        "marker": "",
    }
    assert (term["href"], term["title"], term["kind"]) == (
        "/begrippen/woordenschat/",
        "Woordenschat",
        "Begrip",
    )
    assert term["description"] == "De woorden die iemand kent en gebruikt."


def test_internal_links_may_override_title_and_description(themes_site: BuildResult) -> None:
    overridden = _items(page(themes_site, "themas/taal/index.html"))[2]
    assert overridden["href"] == "/artikelen/rekenen/"
    assert overridden["title"] == "Tellen en rekenen"
    assert overridden["description"] == "Een eigen beschrijving."
    # The override is the theme's own wording; the article keeps its title elsewhere.
    assert "<title>Rekenen in groep 3 | Thema-test</title>" in page(
        themes_site, "artikelen/rekenen/index.html"
    )


def test_outside_links_show_host_marker_and_open_in_the_same_tab(
    themes_site: BuildResult,
) -> None:
    html = page(themes_site, "themas/taal/index.html")
    leesplein = next(i for i in _items(html) if i["title"] == "Leesplein")
    assert leesplein == {
        "href": "https://WWW.Leesplein.nl/",
        "rel": "noopener",
        "title": "Leesplein",
        "kind": "platform",
        "description": "Alles over kinderboeken.",
        "host": "leesplein.nl",
        "marker": "yes",
    }
    assert "target=" not in _main(html)


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
    items = _items(page(result, "themas/taal/index.html"))
    assert [(i["title"], i["rel"]) for i in items] == [
        ("Leesplein", "noopener nofollow"),
        ("Begrijpend lezen", ""),  # the site's own pages are followed
    ]
    assert 'rel="noopener nofollow"' in page(result, "bronnen/index.html")


def test_articles_list_the_themes_that_point_to_them(themes_site: BuildResult) -> None:
    html = page(themes_site, "artikelen/lezen/index.html")
    block = html[html.index("In thema&#39;s") :]
    block = block[: block.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', block) == [
        ("/themas/rekenen/", "Rekenen"),
        ("/themas/taal/", "Taal"),
    ]


def test_terms_list_the_themes_that_point_to_them(themes_site: BuildResult) -> None:
    html = page(themes_site, "begrippen/woordenschat/index.html")
    block = html[html.index('id="kb-in-themes"') :]
    block = block[: block.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', block) == [("/themas/taal/", "Taal")]


def test_pages_no_theme_points_to_have_no_theme_list(make_site: MakeSite) -> None:
    root = make_site({"content/articles/lezen.md": ARTICLE})
    result = build(root, jobs=1)
    assert result.ok
    assert "In thema" not in page(result, "artikelen/lezen/index.html")


def test_theme_list_shows_every_theme_with_summary_and_count(themes_site: BuildResult) -> None:
    html = _main(page(themes_site, "themas/index.html"))
    cards = re.findall(
        r'<a href="([^"]+)">([^<]+)</a></h2>\s*<p class="card-summary">([^<]+)</p>'
        r'.*?<span class="card-reading">([^<]+)</span>',
        html,
        re.DOTALL,
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
