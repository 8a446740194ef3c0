"""The index of all resources ("Alle bronnen"): dedup by normalised URL, kinds and items A–Z."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.model import Theme, ThemeLink, ThemeSection
from generator.resources import collect_resources, host_name, normalise_url
from tests.conftest import MakeSite, page

SITE = Path(__file__).resolve().parent.parent / "sites" / "themes"


@pytest.fixture(scope="module")
def themes_site() -> BuildResult:
    result = build(SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


def _groups(html: str) -> list[tuple[str, list[str]]]:
    """[(group heading, [item titles])] in page order."""
    main = html[html.index("<main") : html.index("</main>")]
    groups: list[tuple[str, list[str]]] = []
    for chunk in main.split('<section class="resource-group"')[1:]:
        heading = re.search(r"<h2 id=\"[^\"]+\">([^<]+?) <span", chunk)
        assert heading is not None
        titles = re.findall(r'class="resource-title" href="[^"]*" rel="[^"]*">([^<]+)<', chunk)
        groups.append((heading.group(1), titles))
    return groups


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.leesplein.nl/", "https://www.leesplein.nl"),
        ("https://WWW.Leesplein.NL/", "https://www.leesplein.nl/"),
        ("https://taalunie.org/a?utm_source=x&utm_medium=mail", "https://taalunie.org/a"),
        ("https://taalunie.org/a/?x=1&utm_campaign=z", "https://taalunie.org/a?x=1"),
        ("https://taalunie.org/a?b=2&a=1", "https://taalunie.org/a?a=1&b=2"),
        ("https://taalunie.org:443/a", "https://taalunie.org/a"),
        ("https://taalunie.org/a#deel", "https://taalunie.org/a"),
    ],
)
def test_urls_that_differ_only_in_form_have_one_key(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://taalunie.org/a", "https://taalunie.org/b"),
        ("https://taalunie.org/A", "https://taalunie.org/a"),  # paths are case-sensitive
        ("https://taalunie.org/a?x=1", "https://taalunie.org/a?x=2"),
        ("https://taalunie.org:8443/a", "https://taalunie.org/a"),
    ],
)
def test_different_resources_keep_different_keys(a: str, b: str) -> None:
    assert normalise_url(a) != normalise_url(b)


def test_host_name_drops_www_and_case() -> None:
    assert host_name("https://WWW.Edualdo.nl/over") == "edualdo.nl"


def _theme(slug: str, *links: ThemeLink) -> Theme:
    from generator.model import Body

    return Theme(
        slug, f"content/themes/{slug}.md", slug, Body("", 1), (ThemeSection("S", None, links, 1),)
    )


def test_a_resource_cited_twice_is_listed_once_with_both_themes() -> None:
    first = ThemeLink("outside", "https://www.leesplein.nl/", 5, "Leesplein", None, None)
    second = ThemeLink(
        "outside", "https://WWW.leesplein.nl?utm_source=a", 9, "Ander", "Boeken.", "platform"
    )
    (resource,) = collect_resources([_theme("rekenen", first), _theme("taal", second)])
    assert resource.title == "Leesplein"  # the first mention's title and URL
    assert resource.url == "https://www.leesplein.nl/"
    assert resource.themes == ("rekenen", "taal")
    # What the first mention left out comes from a later one.
    assert (resource.description, resource.label) == ("Boeken.", "platform")


def test_internal_theme_links_are_not_resources() -> None:
    article = ThemeLink("article", "lezen", 3)
    assert collect_resources([_theme("taal", article)]) == ()


def test_resource_index_groups_by_kind_a_to_z_with_other_last(themes_site: BuildResult) -> None:
    groups = _groups(page(themes_site, "bronnen/index.html"))
    # ICU collation: "Ë" files with "E", not after "Z"; "Tool" and "tool" are one kind.
    assert [name for name, _ in groups] == ["Ëvenement", "Onderzoek", "Platform", "Tool", "Overig"]
    assert dict(groups)["Tool"] == ["Abacus", "Ëlektronisch woordenboek", "Zeef"]
    assert dict(groups)["Overig"] == ["Zonder soort"]


def test_resource_index_lists_each_url_once(themes_site: BuildResult) -> None:
    html = page(themes_site, "bronnen/index.html")
    titles = [t for _, items in _groups(html) for t in items]
    # Leesplein: trailing slash and host case; Taalunie: utm parameters and trailing slash.
    assert len(titles) == len(set(titles)) == 7
    assert "(7 bronnen)" in html


def test_heading_ids_of_kind_groups_are_unique(themes_site: BuildResult) -> None:
    ids = re.findall(r'<h2 id="(kb-kind-[^"]+)"', page(themes_site, "bronnen/index.html"))
    assert len(ids) == len(set(ids)) == 5


def test_each_resource_names_the_themes_that_cite_it(themes_site: BuildResult) -> None:
    html = page(themes_site, "bronnen/index.html")
    item = html[html.index("Leesplein voor rekenaars") :]
    item = item[: item.index("</li>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', item) == [
        ("/themas/rekenen/", "Rekenen"),
        ("/themas/taal/", "Taal"),
    ]
    assert '<p class="resource-description">Alles over kinderboeken.</p>' in item


def test_resource_index_works_without_javascript(themes_site: BuildResult) -> None:
    """The full list is in the HTML; the filter box only appears when site.js unhides it."""
    html = page(themes_site, "bronnen/index.html")
    assert re.search(r'<div class="resource-filter" data-resource-filter hidden>', html)
    items = re.findall(r'<li class="resource resource-outside" data-filter-text="([^"]+)"', html)
    assert len(items) == 7
    assert "ëlektronisch woordenboek  woordenlijst.org tool" in items
    assert all(text == text.lower() for text in items)


def test_outside_resources_carry_host_marker_and_noopener(themes_site: BuildResult) -> None:
    html = page(themes_site, "bronnen/index.html")
    assert (
        '<a class="resource-title" href="https://abacus.example/" rel="noopener">Abacus'
        '<span class="visually-hidden"> (externe website)</span></a>'
    ) in html
    assert '<p class="resource-host">abacus.example</p>' in html
    assert 'target="_blank"' not in html  # outside links open in the same tab


def test_a_site_without_outside_links_has_an_empty_resource_index(make_site: MakeSite) -> None:
    root = make_site({"content/pages/over.md": "---\ntitle: Over\n---\nTekst.\n"})
    result = build(root, jobs=1)
    assert result.ok
    html = page(result, "bronnen/index.html")
    assert "(0 bronnen)" in html
    assert "resource-group" not in html
