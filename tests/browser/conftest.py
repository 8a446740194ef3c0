"""Browser fixtures: the example site built once with search on, served on 127.0.0.1, one Chromium.

Every browser test shares one build and one http.server; each module starts
Debian's Chromium once (never a downloaded browser). They are grouped onto one
xdist worker.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildResult, build
from generator.search import SearchIndexer
from generator.write import write_site
from tests.conftest import EXAMPLE_SITE, REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = REPO / "tests/node/node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO / "tests/artifacts"

# One page of every kind of the example site (site paths).
PAGE_KINDS = {
    "home": "/",
    "article": "/artikelen/betekenis-professionele-leergemeenschap/",
    "article-list": "/artikelen/",
    "term": "/begrippen/professionele-leergemeenschap/",
    "glossary": "/begrippen/",
    "theme": "/themas/professionele-leercultuur/",
    "theme-list": "/themas/",
    "resources": "/bronnen/",
    "tag": "/tags/samenwerken/",
    "tag-index": "/tags/",
    "page": "/over-ons/",
    "search": "/zoeken/?q=leergemeenschap",
    "404": "/404.html",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One worker runs every browser test, so the site is built and Chromium started once."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser_build() -> BuildResult:
    """The example site built once for every browser test (what the pages should show)."""
    result = build(EXAMPLE_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


@pytest.fixture(scope="session")
def built_site(browser_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with its Pagefind index, as the build command writes it."""
    out = tmp_path_factory.mktemp("browser") / "output"
    write_site(browser_build.outputs, out, before_swap=SearchIndexer())
    return out


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve FOLDER over HTTP on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site served by http.server on a free loopback port."""
    with serve_folder(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (no browser download), one per test module.

    Not one per session: while Playwright's sync API is open it keeps an asyncio
    loop running, and every later test of the worker that calls asyncio.run fails.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
