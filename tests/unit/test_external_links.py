"""External link checker against a local HTTP server on 127.0.0.1 only: no test here may
reach any other address (name lookups are faked, and never reach a resolver)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.external_links import (
    LinkResult,
    LinkSource,
    LinkStatus,
    check_external_links,
    linkcheck_user_agent,
)

SLOW_SECONDS = 60.0  # /slow answers after this (or hangs up when the test is over)
# A generous timeout for every test that is not about timeouts: on a loaded machine a
# redirect chain of 11 requests can take longer than half a second.
FAST = {"timeout": 10.0, "backoff": 0.01}
SHORT = {"timeout": 0.5, "backoff": 0.01}  # for the tests about timeouts


@dataclass
class ServerState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)  # (method, path?query)
    in_flight: int = 0
    max_in_flight: int = 0
    user_agents: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def count(self, method: str, target: str) -> int:
        with self.lock:
            return self.hits[(method, target)]

    def total(self, path: str) -> int:
        with self.lock:
            return sum(n for (_, target), n in self.hits.items() if target.startswith(path))

    def wait_count(self, path: str, expected: int) -> int:
        """total(path) once it reaches `expected` (or after 10 s), and a moment more for
        one too many to show: a request the client gave up on may be read by its server
        thread only after the client has returned."""
        deadline = time.monotonic() + 10
        while self.total(path) < expected and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        return self.total(path)


class Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the handler threads
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = ServerState()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout) and hung up is expected; anything else is a bug.
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            self.state.errors.append(repr(exc))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    _counted = False  # whether this request is counted in flight
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        with state.lock:
            state.hits[(self.command, self.path)] += 1
            hit = state.hits[("HEAD", self.path)] + state.hits[("GET", self.path)]
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            state.user_agents.add(self.headers.get("User-Agent", ""))
        self._counted = True
        try:
            self._answer(parts.path, query, hit)
        finally:
            self._leave()

    def _leave(self) -> None:
        """A request stops being in flight before its answer is written: a client that
        has read the answer may send its next request before this thread runs on."""
        if self._counted:
            self._counted = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    def _answer(self, path: str, query: dict[str, list[str]], hit: int) -> None:
        if path == "/ok":
            self._send(200)
        elif path == "/moved":
            self._send(301, location="/ok")
        elif path == "/chain":
            self._send(302, location="/moved")
        elif path == "/to":
            self._send(302, location=query["u"][0])
        elif path == "/loop":
            self._send(302, location="/loop")
        elif path == "/missing":
            self._send(404)
        elif path == "/forbidden":
            self._send(403)
        elif path == "/nohead":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/flaky":
            self._send(500 if hit <= int(query["fail"][0]) else 200)
        elif path == "/slow":
            if self.server.state.release.wait(SLOW_SECONDS):
                return  # the test is over: hang up without an answer
            self._send(200)
        elif path == "/slowish":
            time.sleep(0.1)
            self._send(200)
        else:
            self._send(404)

    def _send(self, code: int, *, location: str | None = None) -> None:
        self._leave()
        self.send_response(code)
        if location is not None:
            self.send_header("Location", location)
        body = b"" if self.command == "HEAD" else b"body\n"
        self.send_header("Content-Length", str(len(b"body\n")))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would send requests for 127.0.0.1 elsewhere."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert httpd.state.errors == []


def base(server: Server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def uses(*urls: str) -> dict[str, list[LinkSource]]:
    return {url: [LinkSource("content/a.md", n)] for n, url in enumerate(urls, start=1)}


@pytest.fixture
def refused_url() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


@dataclass
class FakeDns:
    """Stands in for socket.getaddrinfo: every name fails, `hang.invalid` only after
    `release` (or 60 s). IP literals never get here, so no lookup leaves the machine."""

    release: threading.Event = field(default_factory=threading.Event)
    calls: Counter[str] = field(default_factory=Counter)

    def __call__(self, host: str | bytes | None, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.calls[name] += 1
        if name == "hang.invalid":
            self.release.wait(60)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDns]:
    fake = FakeDns()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    try:
        yield fake
    finally:
        fake.release.set()


# --------------------------------------------------------------------------- statuses


def test_statuses_redirects_and_head_fallback(server: Server) -> None:
    b = base(server)
    urls = uses(f"{b}/ok", f"{b}/moved", f"{b}/chain", f"{b}/missing", f"{b}/nohead")
    results = check_external_links(urls, cache_file=None, **FAST)

    assert list(results) == list(urls)
    ok = results[f"{b}/ok"]
    assert (ok.status, ok.http_status, ok.final_url, ok.detail) == (
        LinkStatus.OK,
        200,
        None,
        "200 OK",
    )
    for moved in (f"{b}/moved", f"{b}/chain"):
        assert results[moved].status is LinkStatus.REDIRECTED
        assert results[moved].final_url == f"{b}/ok"
        assert results[moved].http_status == 200
    missing = results[f"{b}/missing"]
    assert (missing.status, missing.http_status, missing.detail) == (
        LinkStatus.BROKEN,
        404,
        "404 Not Found",
    )
    nohead = results[f"{b}/nohead"]
    assert (nohead.status, nohead.http_status) == (LinkStatus.OK, 200)
    assert server.state.count("HEAD", "/nohead") == 1
    assert server.state.count("GET", "/nohead") == 1
    # A 404 is asked once with HEAD and once with GET (HEAD-hostile servers), never retried.
    assert server.state.count("HEAD", "/missing") == 1
    assert server.state.count("GET", "/missing") == 1
    assert not any(r.from_cache for r in results.values())


def test_forbidden_and_redirect_loop(server: Server) -> None:
    b = base(server)
    results = check_external_links(uses(f"{b}/forbidden", f"{b}/loop"), cache_file=None, **FAST)
    forbidden = results[f"{b}/forbidden"]
    assert forbidden.status is LinkStatus.ERROR
    assert forbidden.http_status == 403
    assert forbidden.detail.startswith("403 Forbidden")
    loop = results[f"{b}/loop"]
    assert loop.status is LinkStatus.BROKEN
    assert loop.detail == "more than 10 redirects"


def test_user_agent_is_sent(server: Server) -> None:
    ua = linkcheck_user_agent("1.2.3")
    assert ua == "kennisbank-linkcheck/1.2.3"
    check_external_links(uses(f"{base(server)}/ok"), cache_file=None, user_agent=ua, **FAST)
    assert server.state.user_agents == {ua}


def test_fragments_are_checked_once(server: Server) -> None:
    b = base(server)
    results = check_external_links(uses(f"{b}/ok#a", f"{b}/ok#b"), cache_file=None, **FAST)
    assert {r.status for r in results.values()} == {LinkStatus.OK}
    assert set(results) == {f"{b}/ok#a", f"{b}/ok#b"}
    assert server.state.count("HEAD", "/ok") == 1


def test_non_http_urls_are_skipped(server: Server) -> None:
    b = base(server)
    urls = uses("mailto:info@example.org", "tel:+31201234567", "ftp://x/y", f"{b}/ok")
    results = check_external_links(urls, cache_file=None, **FAST)
    assert list(results) == [f"{b}/ok"]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        check_external_links({}, cache_file=None, timeout=0)
    with pytest.raises(ValueError):
        check_external_links({}, cache_file=None, per_host=0)


# --------------------------------------------------------------------------- bounds, retries


def test_slow_url_times_out_within_bound(server: Server) -> None:
    url = f"{base(server)}/slow"
    start = time.monotonic()
    results = check_external_links(uses(url), cache_file=None, retries=2, **SHORT)
    elapsed = time.monotonic() - start

    result = results[url]
    assert result.status is LinkStatus.TIMEOUT
    assert result.detail == "no answer within 0.5 s"
    assert result.http_status is None
    assert elapsed < 10  # 3 tries of 0.5 s and a little backoff, never the 60 s answer
    assert server.state.wait_count("/slow", 3) == 3


def test_slow_host_is_reported_not_waited_on(server: Server, tmp_path: Path) -> None:
    b = base(server)
    urls = uses(f"{b}/slow?a", f"{b}/slow?b", f"{b}/slow?c")
    cache = tmp_path / "links.json"
    start = time.monotonic()
    results = check_external_links(
        urls, cache_file=cache, retries=1, per_host=1, timeout=0.3, backoff=0.01
    )
    elapsed = time.monotonic() - start

    assert {r.status for r in results.values()} == {LinkStatus.TIMEOUT}
    assert server.state.wait_count("/slow", 2) == 2  # the first URL's two tries, then no more
    assert elapsed < 5  # two tries of 0.3 s, not the 60 s answers
    # Only what was really asked is cached; the others are checked again next time.
    cached = json.loads(cache.read_text(encoding="utf-8"))["links"]
    assert len(cached) == 1


def test_flaky_server_ok_after_retry(server: Server) -> None:
    url = f"{base(server)}/flaky?fail=2"
    results = check_external_links(uses(url), cache_file=None, **FAST)
    assert results[url].status is LinkStatus.OK
    # try 1: HEAD 500, GET 500; try 2: HEAD 200
    assert server.state.count("HEAD", "/flaky?fail=2") == 2
    assert server.state.count("GET", "/flaky?fail=2") == 1


def test_server_error_is_broken_after_retries(server: Server) -> None:
    url = f"{base(server)}/flaky?fail=99"
    results = check_external_links(uses(url), cache_file=None, retries=2, **FAST)
    assert results[url].status is LinkStatus.BROKEN
    assert results[url].detail == "500 Internal Server Error"
    assert server.state.total("/flaky") == 6  # HEAD and GET, three tries


def test_connection_refused(refused_url: str) -> None:
    start = time.monotonic()
    results = check_external_links(uses(refused_url), cache_file=None, **FAST)
    assert time.monotonic() - start < 5  # refused at once: no timeout is waited for
    result = results[refused_url]
    assert (result.status, result.detail) == (LinkStatus.ERROR, "connection refused")


def test_failure_at_the_end_of_a_redirect_blames_that_host(
    server: Server, refused_url: str
) -> None:
    b = base(server)
    away = f"{b}/to?u={refused_url}"
    results = check_external_links(uses(away, f"{b}/ok"), cache_file=None, **FAST)
    assert results[away].status is LinkStatus.ERROR
    assert results[away].final_url == refused_url
    assert results[f"{b}/ok"].status is LinkStatus.OK  # the server's own host is fine


def test_dns_failure(fake_dns: FakeDns) -> None:
    url = "http://nowhere.invalid/page"
    results = check_external_links(uses(url), cache_file=None, retries=1, **FAST)
    assert (results[url].status, results[url].detail) == (LinkStatus.ERROR, "DNS lookup failed")
    assert fake_dns.calls["nowhere.invalid"] == 2


def test_hanging_dns_lookup_is_bounded(fake_dns: FakeDns) -> None:
    urls = uses("http://hang.invalid/a", "http://hang.invalid/b")
    start = time.monotonic()
    results = check_external_links(
        urls, cache_file=None, retries=1, per_host=1, timeout=0.3, backoff=0.01
    )
    elapsed = time.monotonic() - start
    assert {r.status for r in results.values()} == {LinkStatus.TIMEOUT}
    assert elapsed < 5  # the lookups hang for 60 s in their threads; the run does not wait
    assert fake_dns.calls["hang.invalid"] == 2


def test_per_host_limit(server: Server) -> None:
    b = base(server)
    urls = uses(*(f"{b}/slowish?n={i}" for i in range(10)))
    # A generous timeout: a request given up on a loaded machine would stay in flight at
    # the server while its retry is sent.
    results = check_external_links(urls, cache_file=None, per_host=2, timeout=10, backoff=0.01)
    assert {r.status for r in results.values()} == {LinkStatus.OK}
    assert server.state.max_in_flight == 2


# --------------------------------------------------------------------------- cache


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_cache_hit_avoids_a_second_request(server: Server, tmp_path: Path) -> None:
    b = base(server)
    cache = tmp_path / "cache" / "external-links.json"
    urls = uses(f"{b}/ok", f"{b}/missing")
    first = check_external_links(urls, cache_file=cache, **FAST)
    hits = server.state.total("/")
    second = check_external_links(urls, cache_file=cache, **FAST)

    assert server.state.total("/") == hits
    assert all(r.from_cache for r in second.values())
    assert [(r.url, r.status, r.detail) for r in second.values()] == [
        (r.url, r.status, r.detail) for r in first.values()
    ]
    text = cache.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["version"] == 1
    assert text == json.dumps(data, sort_keys=True, indent=1) + "\n"
    assert [p.name for p in cache.parent.iterdir()] == ["external-links.json"]  # no temp left


def test_expired_entries_are_checked_again(server: Server, tmp_path: Path) -> None:
    b = base(server)
    cache = tmp_path / "links.json"
    urls = uses(f"{b}/ok", f"{b}/missing")
    clock = Clock(1_000_000.0)
    opts: dict[str, Any] = {
        "cache_file": cache,
        "clock": clock,
        "cache_ttl_ok": 100.0,
        "cache_ttl_failed": 10.0,
    }
    check_external_links(urls, **opts, **FAST)
    assert server.state.count("HEAD", "/ok") == 1

    clock.now += 50  # the failure has expired, the OK result has not
    results = check_external_links(urls, **opts, **FAST)
    assert results[f"{b}/ok"].from_cache
    assert not results[f"{b}/missing"].from_cache
    assert server.state.count("HEAD", "/ok") == 1
    assert server.state.count("HEAD", "/missing") == 2

    clock.now += 101
    results = check_external_links(urls, **opts, **FAST)
    assert not results[f"{b}/ok"].from_cache
    assert server.state.count("HEAD", "/ok") == 2


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"version": 999, "links": {}}),
        json.dumps([1, 2]),
        json.dumps({"version": 1, "links": {"http://x/": {"status": "nonsense"}}}),
        "\udcff",
    ],
)
def test_corrupt_cache_is_ignored_and_replaced(
    server: Server, tmp_path: Path, content: str
) -> None:
    cache = tmp_path / "links.json"
    cache.write_text(content, encoding="utf-8", errors="surrogateescape")
    url = f"{base(server)}/ok"
    results = check_external_links(uses(url), cache_file=cache, **FAST)
    assert results[url].status is LinkStatus.OK
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert set(data["links"]) == {url}


def test_cache_drops_urls_no_longer_used(server: Server, tmp_path: Path) -> None:
    b = base(server)
    cache = tmp_path / "links.json"
    check_external_links(uses(f"{b}/ok", f"{b}/moved"), cache_file=cache, **FAST)
    check_external_links(uses(f"{b}/ok"), cache_file=cache, **FAST)
    assert set(json.loads(cache.read_text(encoding="utf-8"))["links"]) == {f"{b}/ok"}


# --------------------------------------------------------------------------- event loops


def test_checks_run_even_when_the_calling_thread_already_runs_an_event_loop(server: Server) -> None:
    """Regression: a loop left running in the thread (e.g. by a browser driver) broke --external."""
    import asyncio

    async def inside_a_loop() -> dict[str, LinkResult]:
        return check_external_links(uses(f"{base(server)}/ok"), cache_file=None, **FAST)

    results = asyncio.run(inside_a_loop())
    assert results[f"{base(server)}/ok"].status is LinkStatus.OK
