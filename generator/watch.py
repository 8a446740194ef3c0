"""Watch a site for `kennisbank serve`: content/, templates/ and site.yaml, with watchfiles.

watchfiles (Rust notify) delivers debounced batches of changes without polling;
each batch asks for one build. The watch is live before the first build, so a
save made during it is not missed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import watchfiles

from generator.config import CONFIG_FILE
from generator.console import Console

WATCHED_DIRS = ("content", "templates")  # static files live under content/static
READY_SECONDS = 5.0  # how long to wait for the watchers before building anyway


class Watcher:
    """Watches content/, templates/ and site.yaml and asks for a build on every change.

    The folders are watched recursively; the site folder itself only shallowly
    (it may hold output/, .git and a virtual environment), which also notices
    site.yaml being replaced and content/ or templates/ appearing later.
    """

    def __init__(
        self, root: Path, on_change: Callable[[], None], stop: threading.Event, console: Console
    ) -> None:
        self.root, self.on_change, self.stop, self.console = root, on_change, stop, console
        self._rewatch = threading.Event()
        self._ready = (threading.Event(), threading.Event())  # folders, site folder

    def start(self) -> None:
        """Start both watchers and return once they see changes (or after READY_SECONDS)."""
        for name, target in (
            ("watch-folders", self._watch_folders),
            ("watch-root", self._watch_root),
        ):
            threading.Thread(target=self._guarded, args=(target,), name=name, daemon=True).start()
        deadline = time.monotonic() + READY_SECONDS
        for ready in self._ready:
            ready.wait(max(0.0, deadline - time.monotonic()))

    def _guarded(self, target: Callable[[], None]) -> None:
        try:
            target()
        except Exception as exc:  # e.g. the system's limit of watched folders is reached
            self.console.info(f"watching stopped: {exc} (restart serve to see new saves)")
        finally:
            for ready in self._ready:
                ready.set()

    def _changes(self, *paths: Path, ready: threading.Event, **options: object) -> Iterator[bool]:
        """Yield True for every batch of changes; set `ready` once the watch is live."""
        # A timeout yields an empty batch; the first one proves the watch is in place.
        for changes in watchfiles.watch(
            *paths,
            raise_interrupt=False,
            debounce=400,
            rust_timeout=200,
            yield_on_timeout=True,
            **options,  # type: ignore[arg-type]
        ):
            ready.set()
            if changes:
                yield any(Path(path).name in WATCHED_DIRS for _, path in changes)

    def _watch_root(self) -> None:
        names = {CONFIG_FILE, *WATCHED_DIRS}

        def relevant(change: watchfiles.Change, path: str) -> bool:
            return Path(path).name in names

        for folder_changed in self._changes(
            self.root,
            ready=self._ready[1],
            watch_filter=relevant,
            recursive=False,
            stop_event=self.stop,
        ):
            if folder_changed:
                self._rewatch.set()  # content/ or templates/ came or went: watch the new set
            self.on_change()

    def _watch_folders(self) -> None:
        while not self.stop.is_set():
            self._rewatch.clear()
            folders = [self.root / name for name in WATCHED_DIRS if (self.root / name).is_dir()]
            if not folders:
                self._ready[0].set()
                self._rewatch.wait(0.5)
                continue
            until = _Either(self.stop, self._rewatch)
            for _ in self._changes(*folders, ready=self._ready[0], stop_event=until):
                self.on_change()


class _Either:
    """Set when either event is set (watchfiles takes anything with is_set())."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()
