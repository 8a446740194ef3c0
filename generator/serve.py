"""`kennisbank serve`: build, serve output/ on 127.0.0.1, rebuild on every save, reload tabs.

A rebuild is the normal build + write path (so the build cache helps it too).
One builder thread runs them; saves that arrive during a build are coalesced
into one more build. A content error never stops the server: pages show it.
Ctrl-C (or SIGTERM) stops the watchers and the server and exits with 0.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from generator.build import BuildResult, build
from generator.cache import CacheError
from generator.collector import collector_paused
from generator.console import Console
from generator.excerpts import SourceLines
from generator.publish import publish_site
from generator.scaffold import site_language
from generator.serve_http import LiveState, PreviewServer, overlay_html
from generator.summary import count, seconds
from generator.watch import Watcher
from generator.write import WriteResult

STOP_SECONDS = 5.0  # how long Ctrl-C waits for a running build before leaving it


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    port: int = 8000
    drafts: bool = False
    strict: bool = False
    jobs: int | None = None
    cache_dir: Path | None = None  # the build's cache (None: none)


class Rebuilder:
    """Runs builds one at a time; requests made during a build give exactly one more."""

    def __init__(self, options: ServeOptions, console: Console, state: LiveState) -> None:
        self.options, self.console, self.state = options, console, state
        self.out_dir = options.root / "output"
        self.language, self.base_path = "nl", "/"
        self.builds = 0
        self._wanted = threading.Event()
        self._failed = False

    def request(self) -> None:
        """Ask for a build; cheap, and safe from any thread."""
        self._wanted.set()

    def run(self, stop: threading.Event) -> None:
        """Thread body: build whenever asked, until `stop` is set."""
        while True:
            self._wanted.wait()
            if stop.is_set():
                return
            self._wanted.clear()  # saves from now on ask for the next build
            self.build_once()

    def build_once(self) -> None:
        """Build and write the site; publish the result to open tabs."""
        start = time.perf_counter()
        try:
            with collector_paused():
                result, written = self._build_and_write()
        except Exception:  # a bug must not end the editor's session: show it instead
            self._crashed(traceback.format_exc())
            return
        changed = written is not None and written.changed
        self.builds += 1
        self.language = result.config.language
        self.base_path = result.config.urls.base_path
        self.console.report(result.report, self.language, self.options.root)
        elapsed = time.perf_counter() - start
        self.console.timings(result.timings)
        if written is not None:
            self.console.info(_built_line(result, elapsed, changed))
            if changed or self._failed or self.builds == 1:
                self._publish(None)
            self._failed = False
        else:
            self.console.info(result.report.summary(self.language))
            self._publish(_overlay(result, self.options.root))
            self._failed = True

    def _build_and_write(self) -> tuple[BuildResult, WriteResult | None]:
        """The build command's path: cached build, then search index and swap."""
        options = self.options
        for fresh in (False, True):  # a cached page found damaged while writing: once more anew
            result = build(
                options.root,
                drafts=options.drafts,
                strict=options.strict,
                jobs=options.jobs,
                cache_dir=options.cache_dir,
                fresh_cache=fresh,
                reuse_unchanged=True,
            )
            try:
                written = (
                    publish_site(
                        result, self.out_dir, options.cache_dir, go_live=self.state.go_live
                    )
                    if result.ok
                    else None
                )
                return result, written
            except CacheError:
                if fresh:
                    raise
            finally:
                result.close()
        raise AssertionError("unreachable: the fresh build returns or raises")

    def _publish(self, overlay: str | None) -> None:
        self.state.publish(overlay, base_path=self.base_path, language=self.language)

    def _crashed(self, trace: str) -> None:
        self.console.error(trace.rstrip())  # a bug: shown even with --quiet
        lines = trace.strip().splitlines()
        self._publish(overlay_html([(lines[-1], lines)], self.language, crashed=True))
        self._failed = True


def _built_line(result: BuildResult, elapsed: float, changed: bool) -> str:
    language = result.config.language
    line = _say("built", language).format(
        files=count(len(result.outputs), "files", language), time=seconds(elapsed, language)
    )
    return line if changed else f"{line} ({_say('same', language)})"


_WORDS = {
    "built": {"en": "built: {files} in {time}", "nl": "gebouwd: {files} in {time}"},
    "same": {"en": "unchanged", "nl": "ongewijzigd"},
    "stop_hint": {"en": "Ctrl-C stops the server", "nl": "Ctrl-C stopt de server"},
    "stopped": {"en": "stopped", "nl": "gestopt"},
    "busy": {
        "en": "port {port} is already in use: start with --port 0 (any free port) or another port",
        "nl": "poort {port} is al in gebruik: start met --port 0 (een vrije poort) "
        "of een andere poort",
    },
    "no_port": {
        "en": "cannot listen on port {port}: {problem} (try --port 0)",
        "nl": "kan niet luisteren op poort {port}: {problem} (probeer --port 0)",
    },
}


def _say(key: str, language: str) -> str:
    return _WORDS[key].get(language, _WORDS[key]["en"])


def _overlay(result: BuildResult, root: Path) -> str:
    language = result.config.language
    sources = SourceLines(root)
    lines = []
    for diagnostic in result.report.sorted():
        excerpt = sources.excerpt(diagnostic)
        lines.append((diagnostic.format(language), excerpt.lines() if excerpt else []))
    return overlay_html(lines, language, crashed=False)


def serve(options: ServeOptions, console: Console, out: TextIO | None = None) -> int:
    """Build, then serve and rebuild until interrupted; the exit code (2: the port is unusable)."""
    out = out or sys.stdout
    state = LiveState()
    rebuilder = Rebuilder(options, console, state)
    try:  # first, so a busy port is said at once, not after a build
        server = PreviewServer(options.port, rebuilder.out_dir, state)
    except OSError as exc:
        language = site_language(options.root)
        busy = exc.errno == errno.EADDRINUSE
        text = _say("busy" if busy else "no_port", language)
        console.error(text.format(port=options.port, problem=exc.strerror or exc))
        return 2
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    if main_thread:
        # Our own handlers: Ctrl-C must stop the server even when the shell that
        # started it ignores SIGINT, and SIGTERM stops it just as cleanly.
        for number in _STOP_SIGNALS:
            signal.signal(number, _interrupt)
    stop = threading.Event()
    builder: threading.Thread | None = None
    try:
        # Watch first: a save made during the first build is not missed, it builds once more.
        Watcher(options.root, rebuilder.request, stop, console).start()
        # Before the first answer (requests wait until then): pages are there when the URL is.
        rebuilder.build_once()
        builder = threading.Thread(target=rebuilder.run, args=(stop,), name="rebuild", daemon=True)
        builder.start()
        port = server.server_address[1]
        print(f"Serving http://127.0.0.1:{port}{state.base_path}", file=out, flush=True)
        console.info(_say("stop_hint", rebuilder.language))
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        state.stop()
        rebuilder.request()  # wake the builder so it sees `stop`
        server.server_close()
        if builder is not None:
            builder.join(STOP_SECONDS)  # the watchers end by themselves within 0.2 s
        if main_thread:
            for number, handler in previous.items():
                signal.signal(number, handler if handler is not None else signal.SIG_DFL)
    console.info(_say("stopped", rebuilder.language))
    return 0


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
