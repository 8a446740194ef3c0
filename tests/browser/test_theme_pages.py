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


@pytest.fixture(scope="module")
def desktop(browser: Any, site_url: str) -> Iterator[Any]:
    """One wide tab shared by the page kinds; it notes every request that leaves the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.outside = []
    tab.on(
        "request",
        lambda r: None if r.url.startswith((site_url, "data:")) else tab.outside.append(r.url),
    )
    yield tab
    context.close()


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    yield context.new_page()
    context.close()


def load(tab: Any, site_url: str, kind: str) -> None:
    tab.goto(site_url + PAGE_KINDS[kind])  # "load": the pages fetch nothing later, bar search
    if kind == "search":
        tab.locator(".search-result").first.wait_for()


def use_scheme(tab: Any, scheme: str) -> None:
    """Switch the colour scheme and wait until the theme's colour transitions have ended.

    Cards and tags fade their background over 0.15 s; axe-core measuring in
    the middle of that fade sees light text on a still-light card.
    """
    tab.emulate_media(color_scheme=scheme)
    # getAnimations() flushes styles first, so the fades the switch starts are in it;
    # evaluate() runs through DevTools, where the page's CSP (no eval) does not apply.
    tab.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")


def axe_problems(tab: Any) -> list[str]:
    """Serious and critical axe-core violations, one line per rule with the first targets."""
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_has_no_serious_accessibility_violations_in_light_or_dark(
    desktop: Any, site_url: str, axe_source: str, screenshots: Path, kind: str
) -> None:
    load(desktop, site_url, kind)
    desktop.evaluate(axe_source)  # through DevTools, so the page's CSP does not apply
    problems = {}
    for scheme in ("light", "dark"):
        use_scheme(desktop, scheme)
        desktop.screenshot(path=str(screenshots / f"{kind}-{scheme}.png"), full_page=True)
        problems[scheme] = axe_problems(desktop)
    desktop.emulate_media(color_scheme="light")
    assert problems == {"light": [], "dark": []}
    assert desktop.outside == []  # no outside fonts, scripts, styles or images


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_open_popover_has_no_serious_accessibility_violations(
    desktop: Any, site_url: str, axe_source: str, scheme: str
) -> None:
    load(desktop, site_url, "article")
    desktop.evaluate(axe_source)
    use_scheme(desktop, scheme)
    desktop.locator("a.glossary-term").first.focus()
    assert desktop.locator(".glossary-tooltip.is-open").count() == 1
    problems = axe_problems(desktop)
    desktop.emulate_media(color_scheme="light")
    assert problems == []


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


@pytest.fixture
def printed(desktop: Any) -> Iterator[Any]:
    """The wide tab at a paper-like width with print styles; screen styles again afterwards."""
    desktop.set_viewport_size({"width": 800, "height": 1100})
    desktop.emulate_media(media="print")
    yield desktop
    desktop.emulate_media(media="screen")
    desktop.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("kind", ["article", "term", "theme", "glossary"])
def test_print_shows_the_content_without_navigation(
    printed: Any, site_url: str, screenshots: Path, kind: str
) -> None:
    load(printed, site_url, kind)
    printed.screenshot(path=str(screenshots / f"{kind}-print.png"), full_page=True)
    hidden = printed.evaluate(
        """[...document.querySelectorAll('.site-header, .site-footer, .breadcrumbs, .sidebar')]
            .every(e => getComputedStyle(e).display === 'none')"""
    )
    assert hidden
    assert printed.locator("h1").is_visible()
    assert printed.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"


def test_print_shows_where_outside_links_go(printed: Any, site_url: str) -> None:
    load(printed, site_url, "theme")
    after = printed.evaluate(
        """getComputedStyle(document.querySelector('.resource-outside .resource-title'), '::after')
            .content"""
    )
    assert "https://" in after


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
