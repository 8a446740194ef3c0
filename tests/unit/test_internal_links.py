"""Links in Markdown bodies written as the relative path to another item's .md file."""

from __future__ import annotations

from generator.build import BuildResult, build
from generator.markdown import OutsideUse
from tests.conftest import MakeSite, page

SITE_WITH_PATH = "title: T\nbase_url: https://org.github.io/kennisbank/\n"


def _article(title: str, body: str, date: str = "2024-01-01", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}"


FILES = {
    "content/glossary/plg.md": "---\nterm: PLG\n---\nEen team dat samen leert.\n",
    "content/pages/contact.md": "---\ntitle: Contact\n---\nMail ons.\n\n## Adres\n\nStraat 1.\n",
    "content/articles/andere-tekst.md": _article("Andere tekst", "Intro.\n\n## De aanpak\n\nZo.\n"),
    "content/static/img/kring.png": b"\x89PNG\r\n\x1a\n",
}


def _built(make_site: MakeSite, files: dict[str, str | bytes], **kw: str) -> BuildResult:
    root = make_site({**FILES, **files}, **kw)
    return build(root, jobs=1)


def _main(result: BuildResult, path: str) -> str:
    html = page(result, path)
    return html[html.index("<main") : html.index("</main>")]


def test_a_relative_md_path_becomes_the_items_url(make_site: MakeSite) -> None:
    body = (
        "Lees over [het begrip](../glossary/plg.md), [de aanpak](andere-tekst.md#de-aanpak)\n"
        "en [ons adres](../pages/contact.md#adres).\n"
    )
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert result.ok, result.report.format_lines()
    html = _main(result, "artikelen/a/index.html")
    assert '<a href="/begrippen/plg/">het begrip</a>' in html
    assert '<a href="/artikelen/andere-tekst/#de-aanpak">de aanpak</a>' in html
    assert '<a href="/contact/#adres">ons adres</a>' in html


def test_links_start_with_the_base_path_of_base_url(make_site: MakeSite) -> None:
    body = "Zie [het begrip](../glossary/plg.md) en ![kring](../static/img/kring.png).\n"
    result = _built(
        make_site, {"content/articles/a.md": _article("A", body)}, site_yaml=SITE_WITH_PATH
    )
    assert result.ok, result.report.format_lines()
    html = _main(result, "artikelen/a/index.html")
    assert '<a href="/kennisbank/begrippen/plg/">het begrip</a>' in html
    assert '<img src="/kennisbank/img/kring.png" alt="kring">' in html


def test_same_page_anchors_are_checked(make_site: MakeSite) -> None:
    body = "Naar [de aanpak](#de-aanpak) en [nergens](#nergens).\n\n## De aanpak\n"
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert [(d.path, d.line, d.code) for d in result.report] == [
        ("content/articles/a.md", 5, "LNK002")
    ]


def test_a_missing_file_is_an_error_with_file_and_line(make_site: MakeSite) -> None:
    body = (
        "Eerste alinea.\n\nTweede alinea loopt\nover twee regels naar [weg](../glossary/weg.md).\n"
    )
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert not result.ok and result.outputs == ()
    assert result.report.format_lines() == [
        "content/articles/a.md:8: link: link target '../glossary/weg.md' does not exist"
        " (write the relative path to an existing .md file)"
    ]


def test_a_missing_anchor_in_another_item_names_its_anchors(make_site: MakeSite) -> None:
    body = "Zie [de stappen](andere-tekst.md#de-stappen).\n"
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert result.report.format_lines() == [
        "content/articles/a.md:5: link: anchor '#de-stappen' does not exist in"
        " content/articles/andere-tekst.md (existing anchors: de-aanpak)"
    ]


def test_links_from_terms_and_pages_resolve_too(make_site: MakeSite) -> None:
    files = {
        "content/glossary/leerteam.md": "---\nterm: Leerteam\n---\nZie [PLG](plg.md).\n",
        "content/pages/over.md": "---\ntitle: Over\n---\n[Schrijf ons](contact.md).\n",
    }
    result = _built(make_site, files)
    assert result.ok, result.report.format_lines()
    assert '<a href="/begrippen/plg/">PLG</a>' in _main(result, "begrippen/leerteam/index.html")
    assert '<a href="/contact/">Schrijf ons</a>' in _main(result, "over/index.html")


def test_file_names_with_spaces_and_accents_resolve(make_site: MakeSite) -> None:
    files = {
        "content/articles/Creëren in de Klas.md": _article("Creëren", "Tekst.\n"),
        "content/articles/a.md": _article(
            "A", "Zie [dit](<Creëren in de Klas.md>) en [dat](Cre%C3%ABren%20in%20de%20Klas.md).\n"
        ),
    }
    result = _built(make_site, files)
    assert result.ok, result.report.format_lines()
    html = _main(result, "artikelen/a/index.html")
    assert html.count('href="/artikelen/creeren-in-de-klas/"') == 2


def test_a_file_in_a_sub_folder_links_relative_to_its_folder(make_site: MakeSite) -> None:
    body = "Zie [het begrip](../../glossary/plg.md).\n"
    result = _built(make_site, {"content/articles/2024/a.md": _article("A", body)})
    assert result.ok, result.report.format_lines()
    assert '<a href="/begrippen/plg/">' in _main(result, "artikelen/a/index.html")


def test_a_link_to_a_draft_keeps_its_text_and_warns(make_site: MakeSite) -> None:
    files = {
        "content/articles/concept.md": _article("Concept", "Nog niet af.\n", extra="draft: true\n"),
        "content/articles/a.md": _article("A", "Zie [het concept](concept.md) later.\n"),
    }
    result = _built(make_site, files)
    assert result.ok
    assert [(d.path, d.line, d.code) for d in result.report] == [
        ("content/articles/a.md", 5, "REF002")
    ]
    assert "<p>Zie het concept later.</p>" in _main(result, "artikelen/a/index.html")


def test_absolute_and_outside_links_are_left_as_written(make_site: MakeSite) -> None:
    body = "Zie [de lijst](/begrippen/) en [Edualdo](https://www.edualdo.nl/).\n"
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert result.ok
    html = _main(result, "artikelen/a/index.html")
    assert '<a href="/begrippen/">de lijst</a>' in html
    assert '<a href="https://www.edualdo.nl/">Edualdo</a>' in html


def test_outside_links_and_images_are_recorded_with_their_lines(make_site: MakeSite) -> None:
    body = (
        "Zie [Edualdo](https://www.edualdo.nl/) en <https://www.ou.nl/>.\n"
        "\n"
        "![Logo](https://img.example.org/logo.png)\n"
        "[lokaal](../glossary/plg.md) [mail](mailto:a@example.org) [rel](//cdn.example.org/x)\n"
    )
    result = _built(make_site, {"content/articles/a.md": _article("A", body)})
    assert result.ok and result.index is not None
    assert result.index.bodies["content/articles/a.md"].outside_links == (
        OutsideUse("https://www.edualdo.nl/", 5),
        OutsideUse("https://www.ou.nl/", 5),
        OutsideUse("https://img.example.org/logo.png", 7),
        OutsideUse("//cdn.example.org/x", 8),
    )
