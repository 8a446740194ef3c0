"""`kennisbank check --external` end to end, against a local HTTP server on 127.0.0.1 only.

The site's theme links, related outside pages and Markdown links point at the
server's /ok (200), /moved (301), /missing (404) and /slow (never answers in
time) and at a port where nothing listens; each use is reported at its file
and line, within the timeout, and the results are cached for the next run.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.cli import main
from generator.external_links import LinkSource
from generator.outside_links import CACHE_FILE, collect_outside_links
from tests.conftest import MakeSite

SLOW_SECONDS = 300.0  # /slow would answer after this; the check must not wait for it
# Generous for a loaded machine, where the other URLs must still answer in time.
TIMEOUT = "2"


class Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the handlers, so no thread outlives a test

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a checker that gave up on /slow hangs up: expected


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] += 1
        if self.path == "/slow" and self.server.release.wait(SLOW_SECONDS):
            return  # the test is over: hang up without an answer
        status = {"/ok": 200, "/moved": 301, "/slow": 200}.get(self.path, 404)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would send requests for 127.0.0.1 elsewhere."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def refused() -> str:
    """A URL on a port where nothing listens (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/dicht"


def _site(make_site: MakeSite, b: str, refused: str) -> Path:
    theme = f"""\
    ---
    title: Bronnen
    sections:
      - title: Alles
        links:
          - title: Werkt
            url: {b}/ok
          - title: Verhuisd
            kind: tool
            url: {b}/moved
          - title: Weg
            url: {b}/missing
    ---
    """
    article = f"""\
    ---
    title: Artikel
    date: 2024-01-01
    related:
      - {{title: Traag, url: "{b}/slow"}}
    ---
    Zie [dicht]({refused}) en [weg]({b}/missing).

    ![Werkt]({b}/ok)
    """
    return make_site({"content/themes/bronnen.md": theme, "content/articles/a.md": article})


def test_each_outside_link_is_reported_at_its_line_within_the_timeout(
    make_site: MakeSite,
    server: Server,
    refused: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    b = server.base
    site = _site(make_site, b, refused)
    start = time.monotonic()
    code = main(["check", "--external", "--timeout", TIMEOUT, "--source", str(site)])
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err

    assert code == 1  # the 404 and the refused connection are errors
    expected = [
        f"content/articles/a.md:5: waarschuwing: link: {b}/slow gaf geen antwoord binnen 2 s"
        " (de server is traag; probeer het later nog eens)",
        f"content/articles/a.md:7: link: {refused} werkt niet (connection refused)"
        " (verbeter of verwijder de link)",
        f"content/articles/a.md:7: link: {b}/missing werkt niet (404 Not Found)"
        " (verbeter of verwijder de link)",
        f"content/themes/bronnen.md:10: waarschuwing: link: {b}/moved stuurt door naar {b}/ok"
        " (werk de link bij)",
        f"content/themes/bronnen.md:12: link: {b}/missing werkt niet (404 Not Found)"
        " (verbeter of verwijder de link)",
    ]
    for line in expected:
        assert line in err
    assert f"{b}/ok" not in err.replace(f"naar {b}/ok", "")  # working links are not listed
    # A build, then three tries of 2 s and their backoff for /slow; never its 300 s.
    assert elapsed < 60
    assert not (site / "output").exists()


def test_results_are_cached_so_the_next_run_asks_nobody(
    make_site: MakeSite, server: Server, refused: str
) -> None:
    site = _site(make_site, server.base, refused)
    args = ["check", "--external", "--timeout", TIMEOUT, "--quiet", "--source", str(site)]
    assert main(args) == 1
    cache = json.loads((site / CACHE_FILE).read_text("utf-8"))
    assert set(cache["links"]) == {
        f"{server.base}/{path}" for path in ("ok", "moved", "missing", "slow")
    } | {refused}
    # A try the checker gave up on may reach its server thread only after the check is done.
    deadline = time.monotonic() + 10
    while server.hits["/slow"] < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    before = sum(server.hits.values())

    assert main(args) == 1  # the same report, from the cache
    assert sum(server.hits.values()) == before


def test_check_without_external_asks_no_server(
    make_site: MakeSite, server: Server, refused: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(make_site, server.base, refused)
    assert main(["check", "--source", str(site)]) == 0
    assert sum(server.hits.values()) == 0
    assert not (site / CACHE_FILE).exists()
    assert server.base not in capsys.readouterr().err


def test_every_outside_url_is_collected_with_its_file_and_line(make_site: MakeSite) -> None:
    """No network: only what `--external` would ask, and where each URL is written."""
    theme = """\
    ---
    title: T
    sections:
      - title: Een
        intro: Zie [de bond](https://bond.example/) ook.
        links:
          - title: Leesplein
            kind: platform
            url: https://www.leesplein.nl/
          - title: Nog eens
            url: https://www.leesplein.nl/
    ---
    Inleiding met <https://auto.example/> en [lokaal](/artikelen/a/).
    """
    article = """\
    ---
    title: A
    date: 2024-01-01
    related:
      - {title: Elders, url: "https://elders.example/x"}
    ---
    ![Logo](https://img.example/logo.png) en [mail](mailto:a@example.org).
    """
    site_yaml = (
        "title: T\nbase_url: https://kb.example.org/\nmenu:\n"
        "  - {title: Artikelen, url: /artikelen/}\n"
        "  - {title: Bond, url: 'https://bond.example/'}\n"
    )
    root = make_site(
        {"content/themes/t.md": theme, "content/articles/a.md": article}, site_yaml=site_yaml
    )
    result = build(root, jobs=1)
    assert result.ok and result.content is not None and result.index is not None
    found = collect_outside_links(result.content, result.index, result.config, root)
    assert found == {
        "https://auto.example/": [LinkSource("content/themes/t.md", 13)],
        "https://bond.example/": [
            LinkSource("site.yaml", 5),
            LinkSource("content/themes/t.md", 5),
        ],
        "https://elders.example/x": [LinkSource("content/articles/a.md", 5)],
        "https://img.example/logo.png": [LinkSource("content/articles/a.md", 7)],
        "https://www.leesplein.nl/": [
            LinkSource("content/themes/t.md", 9),
            LinkSource("content/themes/t.md", 11),
        ],
    }
