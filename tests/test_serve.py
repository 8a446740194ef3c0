"""`kennisbank serve`: live preview in a subprocess, safe path resolution, the error overlay."""

from __future__ import annotations

import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.build import BuildResult
from generator.cli import main
from generator.config import SiteConfig
from generator.console import Console
from generator.diagnostics import Report
from generator.serve import Rebuilder, ServeOptions
from generator.serve_http import LiveState, PreviewServer, inject, resolve
from tests.conftest import MakeSite, save

BOUND = 60.0  # seconds: every wait in these tests ends by then (start-up under load: 8 s)

SITE = {
    "content/articles/eerste.md": """\
        ---
        title: Eerste artikel
        date: 2024-03-01
        tags: [Test]
        summary: Een artikel om te bewerken.
        ---
        De oorspronkelijke tekst.
        """,
    "content/pages/over.md": """\
        ---
        title: Over
        summary: Over deze site.
        ---
        Over ons.
        """,
}
SITE_YAML = """\
title: Testsite
base_url: https://kb.example.org/
language: nl
search: false
"""
BROKEN = "---\ntitle: Dit: is kapot\ndate: 2024-03-01\n---\nTekst.\n"


class Served:
    """A `kennisbank serve --port 0` subprocess and helpers to talk to it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        env = {**os.environ, "CI": "true", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--source", str(root), "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.stderr: list[str] = []
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        first = _readline(self.process, BOUND)
        assert first.startswith("Serving http://127.0.0.1:"), first + "".join(self.stderr)
        self.url = first.split()[1].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of a GET for a path sent exactly as written (no normalising)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOUND)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def wait_for(self, path: str, check: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + BOUND
        while True:
            _, body = self.get(path)
            if check(body):
                return body
            assert time.monotonic() < deadline, f"{path} never matched; log:\n{self.log()}"
            time.sleep(0.1)

    def log(self) -> str:
        return "".join(self.stderr)

    def interrupt(self) -> int:
        """Ctrl-C; the exit code, which must come within the bound."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=BOUND)

    def close(self) -> None:
        """Kill the server if it still runs, and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=BOUND)
        self._drainer.join(BOUND)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        process.kill()
        raise AssertionError("serve printed no URL in time") from None


@pytest.fixture
def served(make_site: MakeSite) -> Iterator[Served]:
    server = Served(make_site(SITE, site_yaml=SITE_YAML))
    try:
        yield server
        assert server.interrupt() == 0, server.log()
        assert "Traceback" not in server.log()
    finally:
        server.close()


class Events:
    """An SSE client on /__kennisbank/events that collects the event names it receives."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
        self.connection.request("GET", "/__kennisbank/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        assert self.response.readline() == b"retry: 1000\n"  # subscribed from here on

    def close(self) -> None:
        self.response.close()
        self.connection.close()

    def next_event(self) -> str:
        while True:
            line = self.response.readline()
            assert line, "the event stream ended"
            if line.startswith(b"event: "):
                return line.decode().removeprefix("event: ").strip()


@pytest.mark.slow
def test_serve_shows_an_edit_and_tells_open_pages_to_reload(served: Served) -> None:
    status, home = served.get("/")
    assert status == 200
    assert '<script src="/__kennisbank/live.js"' in home
    events = Events(served.port)
    article = served.root / "content/articles/eerste.md"
    save(article, article.read_text("utf-8").replace("oorspronkelijke", "bijgewerkte"))
    body = served.wait_for("/artikelen/eerste/", lambda text: "De bijgewerkte tekst." in text)
    assert "kennisbank-overlay" not in body
    try:
        assert events.next_event() == "reload"
    finally:
        events.close()


@pytest.mark.slow
def test_serve_answers_404_to_every_path_that_leaves_output(served: Served) -> None:
    for path in (
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/..%2fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/artikelen/../../site.yaml",
        "//etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "/%00/site.yaml",
        "/%252e%252e/site.yaml",
    ):
        status, body = served.get(path)
        assert status == 404, path
        assert "base_url" not in body and "root:" not in body, path
        assert "Pagina niet gevonden" in body or "404" in body, path  # the site's own 404 page


@pytest.mark.slow
def test_serve_keeps_running_and_shows_the_error_on_every_page_until_it_is_fixed(
    served: Served,
) -> None:
    article = served.root / "content/articles/eerste.md"
    good = article.read_text("utf-8")
    save(article, BROKEN)
    served.wait_for(
        "/", lambda text: "content/articles/eerste.md:2:" in text and "ongeldige YAML" in text
    )
    for path in ("/", "/over/", "/artikelen/", "/bestaat-niet/"):
        status, body = served.get(path)
        assert 'role="alert"' in body, path
        assert "content/articles/eerste.md:2:" in body, path  # path:line of the problem
        assert "ongeldige YAML" in body, path  # in the site language
        assert "title: Dit: is kapot" in body, path  # the offending line is shown
        assert status == (404 if path == "/bestaat-niet/" else 200)
    status, css = served.get("/__kennisbank/overlay.css")
    assert status == 200 and "kennisbank-overlay" in css
    save(article, good.replace("oorspronkelijke", "herstelde"))
    body = served.wait_for("/artikelen/eerste/", lambda text: "De herstelde tekst." in text)
    assert "kennisbank-overlay" not in body
    assert "kennisbank-overlay" not in served.get("/over/")[1]


@pytest.mark.slow
def test_serve_of_a_site_that_never_built_shows_only_the_overlay(
    make_site: MakeSite,
) -> None:
    root = make_site({**SITE, "content/articles/eerste.md": BROKEN}, site_yaml=SITE_YAML)
    server = Served(root)
    try:
        for path in ("/", "/artikelen/eerste/", "/../site.yaml"):
            status, body = server.get(path)
            assert status == 503, path  # nothing to serve yet, not even a 404 page
            assert 'role="alert"' in body and "content/articles/eerste.md:2:" in body
            assert "base_url" not in body
        assert server.interrupt() == 0
        assert "Traceback" not in server.log()
    finally:
        server.close()


def test_a_busy_port_is_said_plainly_in_the_site_language_without_a_traceback(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(SITE, site_yaml=SITE_YAML)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--source", str(root), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"poort {port} is al in gebruik: start met --port 0" in err
    assert "Traceback" not in err
    assert not (root / "output").exists()  # said before building anything


# Path resolution, in process ------------------------------------------------


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "site" / "output"
    (out / "artikelen" / "a").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (out / "artikelen" / "a" / "index.html").write_text("a")
    (tmp_path / "site" / "site.yaml").write_text("secret")
    (tmp_path / "outside.txt").write_text("outside")
    return out


@pytest.mark.parametrize(
    "path",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/..%2fsite.yaml",
        "/artikelen/../../site.yaml",
        "/%2e%2e%2f%2e%2e%2foutside.txt",
        "/..\\site.yaml",
        "/..%5csite.yaml",
        "/index.html%00.css",
        "/%ff%fe",
        "//etc/passwd",
        "/nothing-here",
    ],
)
def test_paths_that_leave_output_or_name_nothing_resolve_to_nothing(
    out_dir: Path, path: str
) -> None:
    assert resolve(out_dir, path) is None


def test_paths_inside_output_resolve_to_the_file_or_folder(out_dir: Path) -> None:
    real = out_dir.resolve()
    assert resolve(out_dir, "/") == real
    assert resolve(out_dir, "/index.html?x=1#top") == real / "index.html"
    assert resolve(out_dir, "/artikelen/a/") == real / "artikelen" / "a"
    assert resolve(out_dir, "/./artikelen//a/index.html") == real / "artikelen/a/index.html"
    assert resolve(out_dir, "/kb/artikelen/a/", base_path="/kb/") == real / "artikelen" / "a"


def test_a_symbolic_link_out_of_output_resolves_to_nothing(out_dir: Path) -> None:
    (out_dir / "escape").symlink_to(out_dir.parent.parent / "outside.txt")
    assert resolve(out_dir, "/escape") is None


def test_every_html_page_gets_the_reload_script_and_while_failing_the_overlay() -> None:
    page = b'<!doctype html><html><head><title>x</title></head><body class="a"><h1>x</h1>'
    ok = inject(page, 0, None)
    assert b'<script src="/__kennisbank/live.js" data-build="0" defer></script>' in ok
    assert ok.index(b"live.js") < ok.index(b"</head>")
    assert b"kennisbank-overlay" not in ok
    failing = inject(page, 1, '<div id="kennisbank-overlay" role="alert">x</div>')
    assert b'data-build="1"' in failing
    assert b'<body class="a"><div id="kennisbank-overlay" role="alert">' in failing


def test_a_page_read_during_the_swap_never_pairs_the_new_tree_with_the_old_overlay(
    tmp_path: Path,
) -> None:
    # Regression: the fixed site went live a moment before the overlay was dropped, so a
    # reload in that moment showed the fixed page under the old error (seen in CI).
    out_dir, staging = tmp_path / "output", tmp_path / "staging"
    for folder, text in ((out_dir, "oud"), (staging, "nieuw")):
        folder.mkdir()
        (folder / "index.html").write_text(f"<html><head></head><body>{text}</body></html>")
    state = LiveState()
    state.publish('<div id="kennisbank-overlay">kapot</div>', base_path="/", language="nl")
    server = PreviewServer(0, out_dir, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies: list[str] = []

    def fetch() -> None:
        connection = http.client.HTTPConnection(
            "127.0.0.1", server.server_address[1], timeout=BOUND
        )
        connection.request("GET", "/")
        bodies.append(connection.getresponse().read().decode())
        connection.close()

    reader = threading.Thread(target=fetch)

    def swap() -> None:
        out_dir.rename(tmp_path / "retired")
        staging.rename(out_dir)
        reader.start()  # asks while the new tree is in place and the overlay still set
        reader.join(0.5)
        assert not bodies  # it waits for the swap to be complete, overlay and all

    try:
        state.go_live(swap)
        reader.join(BOUND)
    finally:
        server.shutdown()
        server.server_close()
    assert len(bodies) == 1 and "nieuw" in bodies[0]
    assert "kennisbank-overlay" not in bodies[0]


# Coalescing, in process -------------------------------------------------------


def test_saves_during_a_build_are_coalesced_into_one_more_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started, release, second_done = threading.Event(), threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_build(root: Path, **options: object) -> BuildResult:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            started.set()
            assert release.wait(BOUND)
        report = Report()
        report.error("FM004", "content/articles/a.md", 1, "title", field="title")
        result = BuildResult(report, SiteConfig(title="t", base_url="https://e.org/"))
        if len(calls) == 2:
            second_done.set()
        return result

    monkeypatch.setattr("generator.serve.build", slow_build)
    console = Console(quiet=True, interactive=False)
    rebuilder = Rebuilder(ServeOptions(root=tmp_path), console, LiveState())
    stop = threading.Event()
    thread = threading.Thread(target=rebuilder.run, args=(stop,), daemon=True)
    thread.start()
    rebuilder.request()
    assert started.wait(BOUND)
    for _ in range(5):  # five saves while the first build runs
        rebuilder.request()
    release.set()
    assert second_done.wait(BOUND)
    stop.set()
    rebuilder.request()
    thread.join(BOUND)
    assert calls == [1, 2]


def test_a_crash_in_the_build_is_shown_as_the_overlay_instead_of_ending_serve(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def crash(root: Path, **options: object) -> BuildResult:
        raise RuntimeError("kapot van binnen")

    monkeypatch.setattr("generator.serve.build", crash)
    state = LiveState()
    rebuilder = Rebuilder(ServeOptions(root=tmp_path), Console(quiet=True), state)
    rebuilder.build_once()
    assert state.overlay is not None and state.build == 1
    assert "RuntimeError: kapot van binnen" in state.overlay
    assert "Er ging iets mis in kennisbank zelf" in state.overlay  # not the editor's fault
