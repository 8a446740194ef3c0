"""feed.xml, sitemap.xml and robots.txt: they parse, validate against their published schemas, and say the right things."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from generator.build import BuildResult, build
from generator.feeds import SITEMAP, SitemapEntry, feed_html, sitemap_xml
from tests.conftest import REPO, MakeSite, page

SCHEMAS = REPO / "tests/schemas"
MARKUP_SITE = REPO / "tests/sites/every-markup"
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def markup_build() -> BuildResult:
    result = build(MARKUP_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


@pytest.fixture(scope="module")
def atom() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


@pytest.fixture(scope="module")
def sitemap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


def xml(result: BuildResult, path: str) -> etree._Element:
    return etree.fromstring(page(result, path).encode("utf-8"))


def assert_valid_feed(feed: etree._Element, atom: etree.RelaxNG) -> None:
    """RFC 4287's RELAX NG schema plus its Schematron rules on authors and ids."""
    assert atom.validate(feed), atom.error_log
    entries = feed.findall(f"{A}entry")
    if feed.find(f"{A}author") is None:
        assert all(e.find(f"{A}author") is not None for e in entries)
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("site", ["example", "markup"])
def test_feed_is_valid_atom(
    site: str, example_build: BuildResult, markup_build: BuildResult, atom: etree.RelaxNG
) -> None:
    result = example_build if site == "example" else markup_build
    assert_valid_feed(xml(result, "feed.xml"), atom)


def test_feed_lists_the_newest_articles_with_summary_author_dates_and_full_text(
    example_build: BuildResult,
) -> None:
    feed = xml(example_build, "feed.xml")
    entries = feed.findall(f"{A}entry")
    assert example_build.content is not None
    assert len(entries) == min(20, len(example_build.content.articles))
    published = [e.findtext(f"{A}published") for e in entries]
    assert published == sorted(published, reverse=True)
    first = entries[0]
    assert first.findtext(f"{A}title") == "Betekenis: Professionele leergemeenschap"
    assert first.findtext(f"{A}author/{A}name") == "Redactie van Tip onderwijs"
    assert first.findtext(f"{A}published") == "2024-06-11T00:00:00Z"
    assert (first.findtext(f"{A}summary") or "").startswith("Wie in het onderwijs werkt")
    content = first.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    assert "<h2" in (content.text or "") and "Conclusie" in (content.text or "")
    link = first.find(f"{A}link[@rel='alternate']")
    assert link is not None
    assert link.get("href") == (
        "https://www.example.org/artikelen/betekenis-professionele-leergemeenschap/"
    )


def test_feed_text_has_no_tooltips_and_only_absolute_links(example_build: BuildResult) -> None:
    for content in xml(example_build, "feed.xml").iter(f"{A}content"):
        html = content.text or ""
        assert 'role="tooltip"' not in html and "aria-describedby" not in html
        assert 'href="/' not in html and 'src="/' not in html
    first = xml(example_build, "feed.xml").findtext(f"{A}entry/{A}content") or ""
    assert 'href="https://www.example.org/begrippen/professionele-leergemeenschap/"' in first


def test_feed_of_a_site_under_a_path_links_below_that_path(markup_build: BuildResult) -> None:
    feed = xml(markup_build, "feed.xml")
    self_link = feed.find(f"{A}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == "https://org.github.io/kennisbank/feed.xml"
    entry = next(
        e for e in feed.iter(f"{A}entry") if e.findtext(f"{A}title", "").startswith("Tabellen")
    )
    assert entry.findtext(f"{A}updated") == "2024-05-02T00:00:00Z"
    assert entry.findtext(f"{A}author/{A}name") == "Ans de Vries"
    html = entry.findtext(f"{A}content") or ""
    assert 'src="https://org.github.io/kennisbank/img/kring.png"' in html
    assert 'href="https://org.github.io/kennisbank/artikelen/samen-lezen/#aanpak"' in html


def test_a_site_without_default_author_still_gives_every_entry_an_author(
    make_site: MakeSite, atom: etree.RelaxNG
) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nTekst.\n"},
        site_yaml="title: Zonder auteur\nbase_url: https://kb.example.org/\nsearch: false\n",
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    feed = xml(result, "feed.xml")
    assert_valid_feed(feed, atom)
    assert feed.findtext(f"{A}author/{A}name") == "Zonder auteur"


def test_feed_html_drops_popovers_and_makes_links_absolute() -> None:
    body = (
        '<p>De <a class="glossary-term" data-term="plg" href="/kb/begrippen/plg/" '
        'aria-describedby="term-plg-1">PLG</a><span class="glossary-tooltip" role="tooltip" '
        'id="term-plg-1"><span class="glossary-tooltip-term">PLG</span> Een team.</span> leert.'
        ' <img src="/kb/img/a.png" alt="a"> <a href="//cdn.example/x">x</a></p>'
    )
    assert feed_html(body, "https://org.github.io/kb/") == (
        '<p>De <a class="glossary-term" data-term="plg" '
        'href="https://org.github.io/kb/begrippen/plg/">PLG</a> leert.'
        ' <img src="https://org.github.io/kb/img/a.png" alt="a"> <a href="//cdn.example/x">x</a></p>'
    )


@pytest.mark.parametrize("site", ["example", "markup"])
def test_sitemap_is_valid(
    site: str,
    example_build: BuildResult,
    markup_build: BuildResult,
    sitemap_schema: etree.XMLSchema,
) -> None:
    result = example_build if site == "example" else markup_build
    assert sitemap_schema.validate(xml(result, "sitemap.xml")), sitemap_schema.error_log


def test_sitemap_lists_every_indexable_page_with_lastmod_on_articles(
    markup_build: BuildResult,
) -> None:
    urls = {
        u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod")
        for u in xml(markup_build, "sitemap.xml").iter(f"{SM}url")
    }
    base = "https://org.github.io/kennisbank"
    pages = {
        f"{base}/{f.path.removesuffix('index.html')}"
        for f in markup_build.outputs
        if f.path.endswith("index.html")
    }
    assert set(urls) == pages  # every page but 404.html, which is noindex
    assert urls[f"{base}/artikelen/tabellen-en-voetnoten/"] == "2024-05-02"  # updated wins
    assert urls[f"{base}/artikelen/samen-lezen/"] == "2024-02-01"
    assert urls[f"{base}/"] == "2024-05-02"


def _sitemap_by_elementtree(entries: list[SitemapEntry], lastmod: dict[str, str]) -> str:
    """The sitemap as ElementTree writes it: what sitemap_xml's text must equal."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    newest = max(lastmod.values(), default=None)
    for entry in sorted(entries, key=lambda e: e.path):
        node = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(node, f"{{{SITEMAP}}}loc").text = entry.canonical
        stamp = lastmod.get(entry.path) or (newest if entry.kind in ("home", "list") else None)
        if stamp:
            ET.SubElement(node, f"{{{SITEMAP}}}lastmod").text = stamp
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def test_the_sitemap_text_is_what_elementtree_would_write(markup_build: BuildResult) -> None:
    content = markup_build.content
    assert content is not None
    config = markup_build.config
    lastmod = {
        config.urls.article(a.slug): (a.updated or a.date).date.isoformat()
        for a in content.articles
    }
    entries = [
        SitemapEntry(path, config.urls.absolute(path), kind)
        for path, kind in [("/", "home"), ("/artikelen/", "list"), ("/themas/x/", "theme")]
    ]
    entries += [SitemapEntry(p, config.urls.absolute(p), "article") for p in sorted(lastmod)]
    entries.append(SitemapEntry("/a&b/", "https://x.example/a&b/<c>", "page"))
    assert sitemap_xml(entries, content, config) == _sitemap_by_elementtree(entries, lastmod)
    empty = dataclasses.replace(content, articles=())
    assert sitemap_xml([], empty, config) == _sitemap_by_elementtree([], {})


def test_robots_txt_allows_everything_and_names_the_sitemap(markup_build: BuildResult) -> None:
    assert page(markup_build, "robots.txt") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://org.github.io/kennisbank/sitemap.xml\n"
    )
