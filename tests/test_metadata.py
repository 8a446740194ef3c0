"""What every page tells machines: canonical and Open Graph URLs, Twitter cards, JSON-LD, breadcrumbs.

Checked on the example site and on tests/sites/every-markup, whose base_url
has a path (https://org.github.io/kennisbank/): every link the build writes
must then start with /kennisbank/.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from generator.build import BuildResult, build
from generator.urls import output_path
from tests.conftest import REPO

MARKUP_SITE = REPO / "tests/sites/every-markup"
# page kind (body class) -> the JSON-LD @types its page carries
TYPES = {
    "home": {"WebSite"},
    "article": {"Article", "BreadcrumbList"},
    "list": {"CollectionPage", "BreadcrumbList"},
    "term": {"DefinedTerm", "BreadcrumbList"},
    "glossary": {"DefinedTermSet", "BreadcrumbList"},
    "theme": {"CollectionPage", "BreadcrumbList"},
    "themes": {"CollectionPage", "BreadcrumbList"},
    "resources": {"CollectionPage", "BreadcrumbList"},
    "tag": {"CollectionPage", "BreadcrumbList"},
    "tags": {"CollectionPage", "BreadcrumbList"},
    "page": {"WebPage", "BreadcrumbList"},
    "search": {"WebPage", "BreadcrumbList"},
    "404": {"WebPage"},
}


@pytest.fixture(scope="module")
def markup_build() -> BuildResult:
    result = build(MARKUP_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


@pytest.fixture(params=["example", "markup"])
def site(request: pytest.FixtureRequest, example_build: BuildResult) -> BuildResult:
    if request.param == "example":
        return example_build
    result: BuildResult = request.getfixturevalue("markup_build")
    return result


def documents(result: BuildResult) -> dict[str, BeautifulSoup]:
    return {
        f.path: BeautifulSoup(f.data.decode("utf-8"), "html.parser")
        for f in result.outputs
        if f.path.endswith(".html") and f.data is not None
    }


def meta(doc: BeautifulSoup, **attrs: str) -> str:
    tag = doc.find("meta", attrs=attrs)
    assert isinstance(tag, Tag), attrs
    return str(tag["content"])


def json_ld(doc: BeautifulSoup) -> list[dict[str, Any]]:
    return [json.loads(s.string or "") for s in doc.find_all("script", type="application/ld+json")]


def kind(doc: BeautifulSoup) -> str:
    assert doc.body is not None
    return next(c for c in doc.body["class"] if c.startswith("kind-")).removeprefix("kind-")


def site_path(output: str) -> str:
    """The site path a built file is served at ("artikelen/x/index.html" -> "/artikelen/x/")."""
    return "/" + output.removesuffix("index.html")


def test_every_page_has_absolute_canonical_and_open_graph_urls(site: BuildResult) -> None:
    base = site.config.base_url.rstrip("/")
    for path, doc in documents(site).items():
        canonical = doc.find("link", rel="canonical")
        assert isinstance(canonical, Tag), path
        assert canonical["href"] == base + site_path(path), path
        assert output_path(site_path(path)) == path
        assert meta(doc, property="og:url") == canonical["href"]
        assert meta(doc, property="og:title") and meta(doc, property="og:description")
        assert meta(doc, property="og:type") == ("article" if kind(doc) == "article" else "website")
        assert meta(doc, name="twitter:card") == "summary"
        assert meta(doc, name="twitter:title") == meta(doc, property="og:title")
        assert meta(doc, name="twitter:description") == meta(doc, name="description")


def test_json_ld_of_every_page_parses_and_fits_the_page_kind(site: BuildResult) -> None:
    seen = set()
    for path, doc in documents(site).items():
        blocks = json_ld(doc)
        assert all(b["@context"] == "https://schema.org" for b in blocks), path
        assert {b["@type"] for b in blocks} == TYPES[kind(doc)], path
        seen.add(kind(doc))
    assert seen == set(TYPES)


def test_article_json_ld_has_author_dates_word_count_and_reading_time(
    markup_build: BuildResult,
) -> None:
    doc = documents(markup_build)["artikelen/tabellen-en-voetnoten/index.html"]
    article = next(b for b in json_ld(doc) if b["@type"] == "Article")
    assert article["author"] == {"@type": "Person", "name": "Ans de Vries"}
    assert article["datePublished"] == "2024-03-01"
    assert article["dateModified"] == "2024-05-02"
    assert isinstance(article["wordCount"], int) and article["wordCount"] > 50
    assert re.fullmatch(r"PT[1-9][0-9]*M", article["timeRequired"])
    assert article["url"] == "https://org.github.io/kennisbank/artikelen/tabellen-en-voetnoten/"
    assert article["headline"] == "Tabellen, voetnoten en een TOS-leerling"


def test_term_and_glossary_json_ld_name_the_terms(markup_build: BuildResult) -> None:
    docs = documents(markup_build)
    term = next(b for b in json_ld(docs["begrippen/tos/index.html"]) if b["@type"] == "DefinedTerm")
    assert term["name"] == "Taalontwikkelingsstoornis"
    assert term["alternateName"] == ["TOS", "taalontwikkelingsstoornissen"]
    assert term["inDefinedTermSet"]["url"] == "https://org.github.io/kennisbank/begrippen/"
    glossary = json_ld(docs["begrippen/index.html"])
    terms = next(b for b in glossary if b["@type"] == "DefinedTermSet")["hasDefinedTerm"]
    assert [t["url"] for t in terms] == [
        "https://org.github.io/kennisbank/begrippen/ongebruikt/",
        "https://org.github.io/kennisbank/begrippen/samenwerkend-leren/",
        "https://org.github.io/kennisbank/begrippen/tos/",
    ]


def test_breadcrumb_list_matches_the_visible_breadcrumbs(site: BuildResult) -> None:
    base = site.config.base_url.rstrip("/")
    base_path = site.config.urls.base_path.rstrip("/")
    for path, doc in documents(site).items():
        nav = doc.select_one("nav.breadcrumbs")
        lists = [b for b in json_ld(doc) if b["@type"] == "BreadcrumbList"]
        if nav is None:
            assert lists == [], path
            continue
        visible = [
            (" ".join(li.get_text().split()), li.a["href"] if li.a else None)
            for li in nav.select("li")
        ]
        (crumbs,) = lists
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        assert [i["name"] for i in items] == [name for name, _ in visible], path
        for item, (_, href) in zip(items, visible, strict=True):
            if href is not None:
                assert item["item"] == base + str(href).removeprefix(base_path), path
        assert items[-1]["item"] == base + site_path(path), path
        assert nav.select("li")[-1].find(attrs={"aria-current": "page"}) is not None


def test_home_json_ld_offers_the_site_search(markup_build: BuildResult) -> None:
    (website,) = json_ld(documents(markup_build)["index.html"])
    assert website["url"] == "https://org.github.io/kennisbank/"
    assert website["potentialAction"]["target"] == (
        "https://org.github.io/kennisbank/zoeken/?q={search_term_string}"
    )


def test_every_link_of_a_site_under_a_path_starts_with_that_path(
    markup_build: BuildResult,
) -> None:
    allowed = re.compile(r"^(/kennisbank/|https?://|#|mailto:|data:image/svg\+xml,)")
    for path, doc in documents(markup_build).items():
        for element in doc.find_all(["a", "link", "script", "img", "form"]):
            for name in ("href", "src", "action"):
                value = element.get(name)
                if value is not None:
                    assert allowed.match(str(value)), f"{path}: {element.name}[{name}]={value}"
        search = doc.select_one("[data-search-page]")
        if search is not None:
            assert search["data-bundle"] == "/kennisbank/pagefind/"


def test_assets_have_content_hashed_names_and_integrity(markup_build: BuildResult) -> None:
    doc = documents(markup_build)["index.html"]
    stylesheet = doc.find("link", rel="stylesheet")
    script = doc.find("script", src=True)
    assert isinstance(stylesheet, Tag) and isinstance(script, Tag)
    assert re.fullmatch(r"/kennisbank/assets/site\.[0-9a-f]{10}\.css", str(stylesheet["href"]))
    assert re.fullmatch(r"/kennisbank/assets/site\.[0-9a-f]{10}\.js", str(script["src"]))
    assert str(stylesheet["integrity"]).startswith("sha384-")
    assert str(script["integrity"]).startswith("sha384-")
