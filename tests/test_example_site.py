"""The example site end to end: what a reader sees on each kind of page (parsed HTML)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup, Tag

from generator.build import BuildResult
from tests.conftest import page

MAIN = "artikelen/betekenis-professionele-leergemeenschap/index.html"
SEED_RELATED = [
    "Trauma sensitief onderwijs: Kinderen helpen in de klas",
    "sociaal-emotioneel leren (SEL) in de klas",
    "Het versterken van de basisondersteuning",
    "Kwaliteitsbeleid in het onderwijs voor werkgeluk en succes",
    "Het belang van een krachtige schoolzelfevaluatie",
    "De impact van TOS op de ontwikkeling van kinderen",
    "De gouden weken en de blijvende kracht van groepsdynamiek",
    "Hoe personeelsbeleid kan helpen tegen lerarentekort",
    "Werkgeluk van leerkrachten: De sleutel tot succesvolle leerlingen",
    "Hoogsensitiviteit in de klas",
]
SEED_FEATURED = [
    "Naamswijziging ABCopschool: persbericht",
    "Welzijn in het onderwijs",
    "Taalvorming: de kunst van communicatie door het leven heen",
]


def soup(result: BuildResult, path: str) -> BeautifulSoup:
    return BeautifulSoup(page(result, path), "html.parser")


def text(node: Tag | None) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())


def section_titles(doc: BeautifulSoup, heading_id: str) -> list[str]:
    heading = doc.find(id=heading_id)
    assert heading is not None and heading.parent is not None
    return [text(h) for h in heading.parent.select(".card-title")]


def test_main_article_shows_title_author_dutch_date_and_reading_time(
    example_build: BuildResult,
) -> None:
    doc = soup(example_build, MAIN)
    assert [text(h) for h in doc.find_all("h1")] == ["Betekenis: Professionele leergemeenschap"]
    assert text(doc.select_one(".reading-time")) == "Ingeschatte leestijd: 2 minuten"
    assert text(doc.select_one(".author")) == "Redactie van Tip onderwijs"
    date = doc.select_one(".dates time")
    assert date is not None and date["datetime"] == "2024-06-11"
    assert text(date) == "11 juni 2024"
    assert doc.html is not None and doc.html["lang"] == "nl"


def test_main_article_links_the_seed_terms_as_tooltips(example_build: BuildResult) -> None:
    doc = soup(example_build, MAIN)
    links = {a["data-term"]: a for a in doc.select("a.glossary-term")}
    for slug in ("professionele-leergemeenschap", "onderwijsleerproces", "samenwerkend-leren"):
        link = links[slug]
        assert link["href"] == f"/begrippen/{slug}/"
        tip = doc.find(id=str(link["aria-describedby"]))
        assert tip is not None and tip["role"] == "tooltip"
        assert tip.find_parent("a") is None


def test_main_article_lists_the_ten_seed_related_articles_in_order(
    example_build: BuildResult,
) -> None:
    doc = soup(example_build, MAIN)
    assert section_titles(doc, "kb-related") == SEED_RELATED
    for summary in doc.select(".related .card-summary"):
        assert len(text(summary)) <= 262


def test_featured_articles_appear_in_seed_order_on_home_and_in_the_sidebar(
    example_build: BuildResult,
) -> None:
    assert section_titles(soup(example_build, "index.html"), "kb-featured") == SEED_FEATURED
    assert section_titles(soup(example_build, MAIN), "kb-featured") == SEED_FEATURED
    own = soup(example_build, "artikelen/welzijn-in-het-onderwijs/index.html")
    assert "Welzijn in het onderwijs" not in section_titles(own, "kb-featured")


def test_theme_page_has_the_seed_sections_in_order(example_build: BuildResult) -> None:
    doc = soup(example_build, "themas/professionele-leercultuur/index.html")
    assert text(doc.find("h1")) == "Professionele leercultuur"
    sections = [text(h) for h in doc.select(".theme-section > h2")]
    assert sections == [
        "Tools en instrumenten",
        "Bijeenkomsten",
        "Kennis uit onderzoek",
        "Ook interessant",
    ]
    outside = {
        text(a).replace(" (externe website)", ""): a for a in doc.select("a.resource-title[rel]")
    }
    assert {"Edualdo", "VO-academie"} <= {name.split(":")[0] for name in outside}
    for link in outside.values():
        assert "noopener" in link["rel"]
    contact = doc.select_one('.theme-section a[href="/contact/"]')
    assert contact is not None


def test_term_page_shows_definition_see_also_and_the_articles_using_it(
    example_build: BuildResult,
) -> None:
    doc = soup(example_build, "begrippen/professionele-leergemeenschap/index.html")
    assert text(doc.find("h1")) == "Professionele leergemeenschap"
    assert "PLG" in text(doc.select_one(".aliases"))
    used = [text(a) for a in doc.select(".used-in a")]
    assert "Betekenis: Professionele leergemeenschap" in used
    assert text(doc.select_one("#kb-used-in + .count")).endswith("dit begrip")
    assert not doc.select('.definition a.glossary-term[data-term="professionele-leergemeenschap"]')


def test_glossary_index_has_a_letter_bar_with_unlinked_empty_letters(
    example_build: BuildResult,
) -> None:
    doc = soup(example_build, "begrippen/index.html")
    bar = doc.select_one(".letter-bar")
    assert bar is not None
    linked = [text(a) for a in bar.select("a")]
    empty = [text(s) for s in bar.select(".letter-empty")]
    assert "P" in linked and "Q" in empty and "Z" in empty
    terms = [text(dt) for dt in doc.select(".glossary-list dt")]
    assert terms == sorted(terms, key=str.casefold)


def test_every_page_has_one_h1_title_description_canonical_and_json_ld(
    example_build: BuildResult,
) -> None:
    pages = [o for o in example_build.outputs if o.path.endswith(".html")]
    assert len(pages) > 40
    for output in pages:
        doc = BeautifulSoup(output.data or b"", "html.parser")
        assert len(doc.find_all("h1")) == 1, output.path
        assert doc.title is not None and text(doc.title), output.path
        description = doc.find("meta", attrs={"name": "description"})
        assert description is not None and description["content"], output.path
        canonical = doc.find("link", rel="canonical")
        assert canonical is not None and str(canonical["href"]).startswith(
            "https://www.example.org/"
        )
        blocks = doc.find_all("script", type="application/ld+json")
        assert blocks and all(json.loads(b.string or "") for b in blocks), output.path


def test_two_builds_of_the_example_site_are_byte_identical(example_build: BuildResult) -> None:
    from generator.build import build
    from tests.conftest import EXAMPLE_SITE

    again = build(EXAMPLE_SITE, jobs=1)
    assert [(o.path, o.data) for o in again.outputs] == [
        (o.path, o.data) for o in example_build.outputs
    ]
