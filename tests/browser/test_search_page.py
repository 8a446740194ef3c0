"""Search in Chromium: real Pagefind queries against the example site's index, under its CSP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from generator.build import BuildResult, build
from generator.search import SearchIndexer
from generator.write import write_site
from tests.browser.conftest import serve_folder
from tests.conftest import REPO

pytestmark = pytest.mark.browser
MARKUP_SITE = REPO / "tests/sites/every-markup"


@dataclass
class Tab:
    """A page plus everything it asked from outside the site and every console error."""

    page: Any
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Any, site_url: str) -> Iterator[Tab]:
    context = browser.new_context()
    tab = Tab(context.new_page())

    def on_request(request: Any) -> None:
        if not request.url.startswith((site_url, "data:")):
            tab.outside.append(request.url)

    tab.page.on("request", on_request)
    tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def search(tab: Tab, site_url: str, query: str) -> list[dict[str, str]]:
    """Open the search page for `query` and return its results (kind, title, href, excerpt)."""
    tab.page.goto(f"{site_url}/zoeken/?q={query}")
    return results(tab)


def results(tab: Tab) -> list[dict[str, str]]:
    status = tab.page.locator("[data-search-status]")
    tab.page.wait_for_function(
        "s => s.textContent && !s.textContent.endsWith('…')", arg=status.element_handle()
    )
    found: list[dict[str, str]] = tab.page.eval_on_selector_all(
        ".search-result",
        """items => items.map(li => ({
            kind: (li.querySelector('.search-result-kind') || {}).textContent || '',
            title: li.querySelector('.search-result-title a').textContent,
            href: li.querySelector('.search-result-title a').getAttribute('href'),
            excerpt: li.querySelector('.search-result-excerpt').innerHTML,
        }))""",
    )
    return found


def test_a_dutch_inflected_form_finds_the_article(tab: Tab, site_url: str) -> None:
    # The article says only "invallers"; Dutch stemming makes "invaller" find it.
    found = search(tab, site_url, "invaller")
    assert [r["href"] for r in found][:1] == [
        "/artikelen/hoe-personeelsbeleid-kan-helpen-tegen-lerarentekort/"
    ]
    assert "<mark>invallers" in found[0]["excerpt"]


def test_an_abbreviation_finds_its_term_page_first(tab: Tab, site_url: str) -> None:
    found = search(tab, site_url, "PLG")
    assert found[0]["href"] == "/begrippen/professionele-leergemeenschap/"
    assert found[0]["kind"] == "Begrip"
    assert found[0]["title"] == "Professionele leergemeenschap"
    assert any(r["kind"] == "Artikel" for r in found[1:])  # the passing mentions come after


@pytest.mark.parametrize(
    ("query", "term"),
    [
        # An article with TOS in its title outscores the term page in Pagefind alone.
        ("TOS", "taalontwikkelingsstoornis"),
        ("professionele leergemeenschappen", "professionele-leergemeenschap"),
        ("Groepsdynamiek", "groepsdynamiek"),
    ],
)
def test_a_query_that_names_a_term_or_alias_puts_the_term_page_first(
    tab: Tab, site_url: str, query: str, term: str
) -> None:
    found = search(tab, site_url, query)
    assert found[0]["href"] == f"/begrippen/{term}/"
    assert len(found) > 1


def test_results_show_title_kind_and_excerpt(tab: Tab, site_url: str) -> None:
    found = search(tab, site_url, "leergemeenschap")
    assert len(found) >= 3
    assert {r["kind"] for r in found} <= {"Artikel", "Begrip", "Thema", "Pagina"}
    assert {"Artikel", "Begrip", "Thema"} <= {r["kind"] for r in found}
    for result in found:
        assert result["title"] and result["href"].startswith("/")
        assert "<mark>" in result["excerpt"]
        assert "Ingeschatte leestijd" not in result["excerpt"]  # page chrome is not indexed
    status = tab.page.locator("[data-search-status]").inner_text()
    assert status == f"{len(found)} resultaten voor ‘leergemeenschap’"


def test_the_kind_filter_keeps_only_that_kind(tab: Tab, site_url: str) -> None:
    everything = search(tab, site_url, "leergemeenschap")
    tab.page.get_by_label("Begrip", exact=False).first.check()
    terms = results(tab)
    assert 0 < len(terms) < len(everything)
    assert {r["kind"] for r in terms} == {"Begrip"}


def test_the_tag_filter_keeps_only_pages_with_that_tag(
    tab: Tab, site_url: str, browser_build: BuildResult
) -> None:
    assert browser_build.content is not None
    tagged = {
        f"/artikelen/{a.slug}/"
        for a in browser_build.content.articles
        if "werkgeluk" in {t.name for t in a.tags}
    } | {
        f"/begrippen/{t.slug}/"
        for t in browser_build.content.terms
        if "werkgeluk" in {tag.name for tag in t.tags}
    }
    everything = search(tab, site_url, "leerkracht")
    tab.page.locator("details.filter-tag summary").click()
    tab.page.locator(".filter-tag label", has_text="werkgeluk").click()
    narrowed = results(tab)
    assert narrowed and len(narrowed) < len(everything)
    assert {r["href"] for r in narrowed} <= tagged


def test_the_header_search_box_leads_to_results(tab: Tab, site_url: str) -> None:
    tab.page.goto(f"{site_url}/")
    tab.page.locator("#kb-search-q").fill("PLG")
    tab.page.locator("#kb-search-q").press("Enter")
    tab.page.wait_for_url("**/zoeken/?q=PLG")
    assert results(tab)[0]["href"] == "/begrippen/professionele-leergemeenschap/"
    assert tab.page.locator("#kb-search-page-q").input_value() == "PLG"


def test_typing_searches_without_submitting(tab: Tab, site_url: str) -> None:
    tab.page.goto(f"{site_url}/zoeken/")
    tab.page.locator("#kb-search-page-q").press_sequentially("groepsdynamiek", delay=20)
    # The address changes when the search for the whole word starts; before that, a slow
    # machine may show the results of a pause mid-word ("groep").
    tab.page.wait_for_url("**/zoeken/?q=groepsdynamiek")
    found = results(tab)
    assert found[0]["href"] == "/begrippen/groepsdynamiek/"


def test_a_query_without_results_says_so(tab: Tab, site_url: str) -> None:
    assert search(tab, site_url, "xylofoonquiz") == []
    assert tab.page.locator("[data-search-status]").inner_text() == "Geen resultaten gevonden."


def test_search_runs_under_the_csp_and_loads_nothing_from_outside(tab: Tab, site_url: str) -> None:
    assert search(tab, site_url, "leerkracht")
    tab.page.get_by_label("Artikel", exact=False).first.check()
    assert results(tab)
    assert tab.outside == []
    assert tab.errors == []  # a CSP violation would be a console error


def test_every_label_of_the_filters_names_an_input(tab: Tab, site_url: str) -> None:
    search(tab, site_url, "leerkracht")
    dangling = tab.page.eval_on_selector_all(
        "label[for]", "labels => labels.filter(l => !document.getElementById(l.htmlFor)).length"
    )
    assert tab.page.locator(".filter-option input").count() > 5
    assert dangling == 0


@pytest.fixture(scope="module")
def subpath_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/sites/every-markup (base_url https://org.github.io/kennisbank/) served at /kennisbank/."""
    result = build(MARKUP_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    root = tmp_path_factory.mktemp("subpath")
    write_site(result.outputs, root / "kennisbank", before_swap=SearchIndexer())
    with serve_folder(root) as url:
        yield url


def test_search_of_a_site_under_a_path_loads_its_index_and_links_below_the_path(
    browser: Any, subpath_url: str
) -> None:
    context = browser.new_context()
    tab = Tab(context.new_page())
    tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    found = search(tab, subpath_url + "/kennisbank", "TOS")
    assert found[0]["href"] == "/kennisbank/begrippen/tos/"
    assert all(r["href"].startswith("/kennisbank/") for r in found)
    tab.page.locator(".search-result-title a").first.click()
    tab.page.wait_for_url("**/kennisbank/begrippen/tos/")
    assert tab.errors == []
    context.close()
