"""The index of all resources ("Alle bronnen"): dedup by normalised URL, kinds and items A–Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

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


def _main(result: BuildResult) -> Tag:
    main = BeautifulSoup(page(result, "bronnen/index.html"), "html.parser").find("main")
    assert isinstance(main, Tag)
    return main


def _text(node: Tag | None) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())


def _groups(main: Tag) -> list[tuple[str, list[str]]]:
    """[(kind heading without its count, [item titles])] in page order."""
    groups: list[tuple[str, list[str]]] = []
    for group in main.select(".resource-group"):
        heading = group.find("h2")
        assert isinstance(heading, Tag)
        count = heading.select_one(".count")
        name = _text(heading).removesuffix(_text(count)).strip() if count else _text(heading)
        titles = [_title(a) for a in group.select("a.resource-title")]
        groups.append((name, titles))
    return groups


def _title(link: Tag) -> str:
    marker = link.select_one(".visually-hidden")
    return _text(link).removesuffix(_text(marker)).strip() if marker else _text(link)


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
    groups = _groups(_main(themes_site))
    # ICU collation: "Ë" files with "E", not after "Z"; "Tool" and "tool" are one kind.
    assert [name for name, _ in groups] == ["Ëvenement", "Onderzoek", "Platform", "Tool", "Overig"]
    assert dict(groups)["Tool"] == ["Abacus", "Ëlektronisch woordenboek", "Zeef"]
    assert dict(groups)["Overig"] == ["Zonder soort"]


def test_resource_index_lists_each_url_once(themes_site: BuildResult) -> None:
    main = _main(themes_site)
    titles = [t for _, items in _groups(main) for t in items]
    # Leesplein: trailing slash and host case; Taalunie: utm parameters and trailing slash.
    assert len(titles) == len(set(titles)) == 7
    assert "(7 bronnen)" in _text(main)


def test_heading_ids_of_kind_groups_are_unique(themes_site: BuildResult) -> None:
    ids = [str(h["id"]) for h in _main(themes_site).select(".resource-group h2[id]")]
    assert len(ids) == len(set(ids)) == 5


def _item(main: Tag, title: str) -> Tag:
    for item in main.select("li.resource"):
        link = item.select_one("a.resource-title")
        if link is not None and _title(link) == title:
            return item
    raise AssertionError(title)


def test_each_resource_names_the_themes_that_cite_it(themes_site: BuildResult) -> None:
    item = _item(_main(themes_site), "Leesplein voor rekenaars")
    themes = item.select_one(".resource-themes")
    assert themes is not None
    assert [(str(a["href"]), _text(a)) for a in themes.find_all("a")] == [
        ("/themas/rekenen/", "Rekenen"),
        ("/themas/taal/", "Taal"),
    ]
    assert _text(item.select_one(".resource-description")) == "Alles over kinderboeken."


def test_resource_index_works_without_javascript(themes_site: BuildResult) -> None:
    """The full list is in the HTML; the filter box only appears when site.js unhides it."""
    main = _main(themes_site)
    box = main.select_one("[data-resource-filter]")
    assert box is not None and box.has_attr("hidden")
    texts = [str(li["data-filter-text"]) for li in main.select("li[data-filter-text]")]
    assert len(texts) == 7
    assert "ëlektronisch woordenboek  woordenlijst.org tool" in texts
    assert all(text == text.lower() for text in texts)


def test_outside_resources_carry_host_marker_and_noopener(themes_site: BuildResult) -> None:
    main = _main(themes_site)
    link = _item(main, "Abacus").select_one("a.resource-title")
    assert link is not None
    assert (str(link["href"]), link.get_attribute_list("rel")) == (
        "https://abacus.example/",
        ["noopener"],
    )
    assert _text(link.select_one(".visually-hidden")) == "(externe website)"
    assert _text(_item(main, "Abacus").select_one(".resource-host")) == "abacus.example"
    assert main.select("a[target]") == []  # outside links open in the same tab


def test_a_site_without_outside_links_has_an_empty_resource_index(make_site: MakeSite) -> None:
    root = make_site({"content/pages/over.md": "---\ntitle: Over\n---\nTekst.\n"})
    result = build(root, jobs=1)
    assert result.ok
    main = _main(result)
    assert "(0 bronnen)" in _text(main)
    assert main.select(".resource-group") == []
