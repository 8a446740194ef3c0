"""`kennisbank serve` in Chromium: a save reloads the open page, and errors show as an overlay.

The pages carry the theme's Content-Security-Policy, so this also proves the
reload script, its event stream and the overlay's stylesheet are allowed by it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import AXE
from tests.conftest import MakeSite, save
from tests.test_serve import BROKEN, SITE, SITE_YAML, Served

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_MS = 60_000


@pytest.fixture
def served(make_site: MakeSite) -> Iterator[Served]:
    server = Served(make_site(SITE, site_yaml=SITE_YAML))
    try:
        yield server
        assert server.interrupt() == 0, server.log()
    finally:
        server.close()


def test_a_save_reloads_the_open_page_and_a_mistake_shows_an_accessible_overlay(
    browser: Any, served: Served
) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(served.url + "/artikelen/eerste/")
        page.wait_for_function("() => !!window.EventSource")
        article = served.root / "content/articles/eerste.md"
        good = article.read_text("utf-8")

        save(article, good.replace("oorspronkelijke", "bijgewerkte"))
        page.wait_for_function(
            "() => document.body.innerText.includes('De bijgewerkte tekst.')", timeout=WAIT_MS
        )

        save(article, BROKEN)
        overlay = page.locator("#kennisbank-overlay")
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        page.wait_for_function(
            "() => document.getElementById('kennisbank-overlay').innerText"
            ".includes('content/articles/eerste.md:2:')",
            timeout=WAIT_MS,
        )
        assert overlay.get_attribute("role") == "alert"
        assert "content/articles/eerste.md:2:" in overlay.inner_text()
        # Its stylesheet applied: the theme's CSP allows only same-origin styles. The
        # overlay is in the DOM before the stylesheet of the reloaded page has arrived
        # (a reader never sees that: it blocks painting), so wait for the load event,
        # which waits for every stylesheet, loaded or refused.
        page.wait_for_function("() => document.readyState === 'complete'", timeout=WAIT_MS)
        position = page.evaluate(
            "() => getComputedStyle(document.getElementById('kennisbank-overlay')).position"
        )
        assert position == "sticky"
        page.evaluate(AXE.read_text("utf-8"))  # DevTools evaluation: not subject to the CSP
        found = page.evaluate(
            "async () => (await axe.run('#kennisbank-overlay')).violations"
            ".map(v => v.id + ': ' + v.help)"
        )
        assert found == [], json.dumps(found, indent=2)

        save(article, good)
        overlay.wait_for(state="detached", timeout=WAIT_MS)
        assert "De oorspronkelijke tekst." in page.inner_text("body")
        csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
        assert csp == []
    finally:
        page.close()
