"""Every page kind in Chromium: axe-core in light and dark, no sideways scrolling on phones, print.

Screenshots of each page kind (light, dark, 390 px, print) go to
tests/artifacts/screenshots/ for people to look at; the tests judge the pages
by axe-core's rules and by measurement, never by pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE, PAGE_KINDS

pytestmark = pytest.mark.browser

KINDS = sorted(PAGE_KINDS)
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/node` (scripts/test does)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_tab(
    request: pytest.FixtureRequest, browser: Any, site_url: str
) -> Iterator[tuple[str, Any]]:
    """One tab per colour scheme, shared by the page kinds; it notes requests leaving the site."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=request.param
    )
    tab = context.new_page()
    tab.outside = []
    tab.on(
        "request",
        lambda r: None if r.url.startswith((site_url, "data:")) else tab.outside.append(r.url),
    )
    yield request.param, tab
    context.close()


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    yield context.new_page()
    context.close()


def load(tab: Any, site_url: str, kind: str) -> None:
    tab.goto(site_url + PAGE_KINDS[kind])
    tab.wait_for_load_state("networkidle")
    if kind == "search":
        tab.locator(".search-result").first.wait_for()


def axe_problems(tab: Any, axe_source: str) -> list[str]:
    """Serious and critical axe-core violations, one line per rule with the first targets."""
    tab.evaluate(axe_source)  # through DevTools, so the page's CSP does not apply
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_has_no_serious_accessibility_violations(
    scheme_tab: tuple[str, Any], site_url: str, axe_source: str, screenshots: Path, kind: str
) -> None:
    scheme, tab = scheme_tab
    load(tab, site_url, kind)
    tab.screenshot(path=str(screenshots / f"{kind}-{scheme}.png"), full_page=True)
    assert axe_problems(tab, axe_source) == []
    assert tab.outside == []  # no outside fonts, scripts, styles or images


def test_an_open_popover_has_no_serious_accessibility_violations(
    scheme_tab: tuple[str, Any], site_url: str, axe_source: str
) -> None:
    _, tab = scheme_tab
    load(tab, site_url, "article")
    tab.locator("a.glossary-term").first.focus()
    assert tab.locator(".glossary-tooltip.is-open").count() == 1
    assert axe_problems(tab, axe_source) == []


@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_never_scrolls_sideways_on_a_phone(
    phone: Any, site_url: str, screenshots: Path, kind: str
) -> None:
    load(phone, site_url, kind)
    phone.screenshot(path=str(screenshots / f"{kind}-390.png"), full_page=True)
    for width in (390, 320):
        phone.set_viewport_size({"width": width, "height": 844})
        overflow = phone.evaluate(
            """() => {
                const limit = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll('body *')].filter(e => {
                    const r = e.getBoundingClientRect();
                    return r.width && r.right > limit + 1 && getComputedStyle(e).position !== 'fixed'
                        && !e.closest('.visually-hidden');
                });
                return {scroll: document.documentElement.scrollWidth, limit,
                        wide: wide.slice(0, 3).map(e => e.tagName + '.' + e.className)};
            }"""
        )
        assert overflow["scroll"] <= overflow["limit"], (width, overflow)
        assert overflow["wide"] == [], (width, overflow)
    phone.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.parametrize("kind", ["article", "term", "theme", "glossary"])
def test_print_shows_the_content_without_navigation(
    browser: Any, site_url: str, screenshots: Path, kind: str
) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 1100})
    tab = context.new_page()
    load(tab, site_url, kind)
    tab.emulate_media(media="print")
    tab.screenshot(path=str(screenshots / f"{kind}-print.png"), full_page=True)
    hidden = tab.evaluate(
        """[...document.querySelectorAll('.site-header, .site-footer, .breadcrumbs, .sidebar')]
            .every(e => getComputedStyle(e).display === 'none')"""
    )
    assert hidden
    assert tab.locator("h1").is_visible()
    colour = tab.evaluate("getComputedStyle(document.body).color")
    assert colour == "rgb(0, 0, 0)"
    context.close()


def test_print_shows_where_outside_links_go(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    load(tab, site_url, "theme")
    tab.emulate_media(media="print")
    after = tab.evaluate(
        """getComputedStyle(document.querySelector('.resource-outside .resource-title'), '::after')
            .content"""
    )
    assert "attr(href)" in after or "https://" in after
    context.close()


def test_the_skip_link_appears_on_tab_and_moves_focus_to_the_content(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    load(tab, site_url, "article")
    tab.keyboard.press("Tab")
    skip = tab.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # on screen once focused
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "kb-main"
    context.close()


def test_focus_is_clearly_visible_on_links_and_fields(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    load(tab, site_url, "home")
    for selector in (".site-nav a", "#kb-search-q", ".card-title a"):
        tab.locator(selector).first.focus()
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
        style = tab.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert style[0] != "none" and style[1] >= 2, (selector, style)
    context.close()


def test_reduced_motion_turns_transitions_and_smooth_scrolling_off(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    tab = context.new_page()
    load(tab, site_url, "home")
    assert tab.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    durations = tab.evaluate(
        "[...document.querySelectorAll('.card')].map(e => getComputedStyle(e).transitionDuration)"
    )
    assert durations and set(durations) == {"0s"}
    context.close()
