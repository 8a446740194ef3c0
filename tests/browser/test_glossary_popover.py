"""Glossary popovers in Chromium: hover, keyboard focus, Escape, and staying on a phone's screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.build import BuildResult

pytestmark = pytest.mark.browser

ARTICLE = "/artikelen/betekenis-professionele-leergemeenschap/"
TERMS = ("professionele-leergemeenschap", "onderwijsleerproces", "samenwerkend-leren")


@pytest.fixture
def article(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + ARTICLE)
    yield tab
    context.close()


def summary(result: BuildResult, slug: str) -> str:
    assert result.content is not None and result.index is not None
    term = next(t for t in result.content.terms if t.slug == slug)
    return f"{term.term} {result.index.summaries[term.source]}"


def link(tab: Any, slug: str) -> Any:
    return tab.locator(f'a.glossary-term[data-term="{slug}"]')


def popover(tab: Any, slug: str) -> Any:
    return tab.locator("#" + str(link(tab, slug).get_attribute("aria-describedby")))


def text(locator: Any) -> str:
    return " ".join(locator.inner_text().split())


@pytest.mark.parametrize("slug", TERMS)
def test_hovering_a_term_shows_its_summary_and_leaving_hides_it(
    article: Any, browser_build: BuildResult, slug: str
) -> None:
    tip = popover(article, slug)
    assert tip.is_hidden()
    link(article, slug).hover()
    assert tip.is_visible()
    assert tip.get_attribute("role") == "tooltip"
    assert text(tip) == summary(browser_build, slug)
    article.mouse.move(5, 5)
    tip.wait_for(state="hidden")


def test_the_pointer_can_move_onto_the_popover_without_losing_it(article: Any) -> None:
    slug = TERMS[0]
    link(article, slug).hover()
    tip = popover(article, slug)
    box = tip.bounding_box()
    article.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
    article.wait_for_timeout(400)  # longer than the close delay
    assert tip.is_visible()


@pytest.mark.parametrize("slug", TERMS)
def test_keyboard_focus_shows_the_summary_and_escape_closes_it(
    article: Any, browser_build: BuildResult, slug: str
) -> None:
    link(article, slug).focus()
    tip = popover(article, slug)
    assert tip.is_visible()
    assert text(tip) == summary(browser_build, slug)
    article.keyboard.press("Escape")
    assert tip.is_hidden()
    assert article.evaluate("document.activeElement.dataset.term") == slug  # focus stays


def test_tabbing_on_moves_to_the_next_term_and_its_popover(article: Any) -> None:
    first, second = TERMS[0], TERMS[1]
    link(article, first).focus()
    while article.evaluate("document.activeElement.dataset.term || ''") != second:
        article.keyboard.press("Tab")
    assert popover(article, first).is_hidden()
    assert popover(article, second).is_visible()


def test_without_javascript_hover_and_focus_still_show_the_popover(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + ARTICLE)
    link(tab, TERMS[1]).hover()
    assert popover(tab, TERMS[1]).is_visible()
    link(tab, TERMS[2]).focus()
    assert popover(tab, TERMS[2]).is_visible()
    context.close()


@pytest.mark.parametrize("width", [390, 320])
def test_on_a_phone_every_popover_stays_on_screen(browser: Any, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 700}, has_touch=True)
    tab = context.new_page()
    tab.goto(site_url + ARTICLE)
    for slug in TERMS:
        link(tab, slug).scroll_into_view_if_needed()
        link(tab, slug).focus()
        box = popover(tab, slug).bounding_box()
        assert box is not None, slug
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (slug, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 700, (slug, box)
    context.close()


def test_a_first_tap_shows_the_popover_and_a_second_follows_the_link(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 700}, has_touch=True)
    tab = context.new_page()
    tab.goto(site_url + ARTICLE)
    slug = TERMS[1]
    link(tab, slug).scroll_into_view_if_needed()
    link(tab, slug).tap()
    assert popover(tab, slug).is_visible()
    assert tab.url.endswith(ARTICLE)
    link(tab, slug).tap()
    tab.wait_for_url(f"**/begrippen/{slug}/")
    context.close()
