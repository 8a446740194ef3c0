"""Hostile content in a real browser: no payload of tests/sites/hostile/ ever runs.

The hostile site is built with search on and served on 127.0.0.1. Chromium opens
every page, opens every glossary popover and runs searches whose results quote
the payloads (the search page puts Pagefind's excerpts in as HTML). Any alert,
any element with an on*= handler or a script that is not the site's own, and
any Content-Security-Policy violation fails the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from generator.build import build
from generator.search import SearchIndexer
from generator.write import write_site
from tests.browser.conftest import serve_folder
from tests.test_hostile import HOSTILE

pytestmark = pytest.mark.browser

# Elements and attributes that could run script, as the browser parsed the page.
_SCRIPTABLE = """() => {
    const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcset'];
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        const icon = el.tagName === 'LINK' && el.rel === 'icon';  // the theme's own data: icon
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) bad.push(`${el.tagName} ${attr.name}`);
            const scheme = /^\\s*(javascript|vbscript|data):/i.exec(attr.value);
            if (urls.includes(attr.name) && scheme && !(icon && scheme[1] === 'data'))
                bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
        }
        if (el.tagName === 'SCRIPT' && el.type !== 'application/ld+json'
            && !(el.getAttribute('src') || '').startsWith('/'))
            bad.push('SCRIPT ' + el.outerHTML.slice(0, 80));
        if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) bad.push(el.tagName);
    }
    return bad;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-site")
    shutil.copytree(HOSTILE, root, dirs_exist_ok=True)
    site_yaml = root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("search: false", "search: true"))
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    out = root / "output"
    write_site(result.outputs, out, before_swap=SearchIndexer())
    with serve_folder(out) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page and the list of everything suspicious it did: dialogs, CSP reports, errors."""
    context = browser.new_context()
    page = context.new_page()
    events: list[str] = []

    def on_dialog(dialog: Any) -> None:
        events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    page.on(
        "console",
        lambda m: (
            events.append(f"console: {m.text}")
            if "Content Security Policy" in m.text or m.type == "error"
            else None
        ),
    )
    yield page, events
    context.close()


def test_no_page_of_the_hostile_site_runs_a_payload(
    watched: tuple[Any, list[str]], hostile_url: str
) -> None:
    page, events = watched
    paths = _paths_from_sitemap(page, hostile_url)
    assert len(paths) > 10
    for path in paths:
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
        for term in page.locator("a.glossary-term").all():
            term.hover()
            term.focus()
        assert page.evaluate(_SCRIPTABLE) == [], path
    assert events == []


@pytest.mark.parametrize("query", ["alert", "script", "onerror", "leerling", "javascript"])
def test_search_results_quoting_payloads_run_nothing(
    watched: tuple[Any, list[str]], hostile_url: str, query: str
) -> None:
    page, events = watched
    page.goto(f"{hostile_url}/zoeken/?q={query}")
    status = page.locator("[data-search-status]")
    page.wait_for_function(
        "s => s.textContent && !s.textContent.endsWith('…')", arg=status.element_handle()
    )
    assert page.locator(".search-result").count() > 0
    assert page.evaluate(_SCRIPTABLE) == []
    assert events == []


def _paths_from_sitemap(page: Any, base: str) -> list[str]:
    """Every page the sitemap lists, plus the 404 page, as site paths."""
    response = page.request.get(f"{base}/sitemap.xml")
    text = response.text()
    locations = [part.split("</loc>")[0] for part in text.split("<loc>")[1:]]
    return sorted({loc.removeprefix("https://kb.example.org") for loc in locations} | {"/404.html"})


def test_the_checks_see_a_payload_that_runs(watched: tuple[Any, list[str]]) -> None:
    """Without escaping these payloads would be caught: the checks are not blind."""
    page, events = watched
    with page.expect_event("dialog"):
        page.set_content("<img src=x onerror=\"alert('img')\"><a href='javascript:x'>a</a>")
    assert page.evaluate(_SCRIPTABLE) == ["IMG onerror", "A href=javascript:x"]
    assert events == ["dialog: img"]
