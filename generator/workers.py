"""Worker processes of one build: forked before the site is loaded, so each stays small.

A stage hands them chunks of work plus one setup (pickled once, to a file
each worker reads and prepares once); results come back in input order, so
the output is the same as in-process. With one job or little work, it all
runs here.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Prepare = Callable[[Any], Any]
Task = Callable[[Any, list[Item]], Result]  # a chunk of items -> what the chunk gives


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Workers:
    """A pool of `count` processes, started on demand or early with start()."""

    def __init__(self, count: int | None = None, *, fresh: bool = False) -> None:
        """`fresh`: each worker a new interpreter, not a fork of this process.

        For a pool made when this process is already large (the check's page scan,
        after a build): forked workers each counted the parent's memory as their own.
        """
        self.count = max(1, count or default_jobs())
        self._fresh = fresh
        self._pool: ProcessPoolExecutor | None = None
        self._setups: Path | None = None  # the folder of map()'s pickled setups

    def start(self) -> None:
        """Fork the workers now: memory the parent allocates later is not copied into them.

        Modules the parent has imported by then are shared with them. (A fresh
        pool spawns its workers instead, when work first comes.)
        """
        if self.count > 1 and self._pool is None and hasattr(os, "fork"):
            method = "spawn" if self._fresh else "fork"
            self._pool = ProcessPoolExecutor(
                self.count, mp_context=multiprocessing.get_context(method)
            )
            if not self._fresh:  # a fork-based pool forks all its workers on the first submit
                self._pool.submit(os.getpid)

    @property
    def running(self) -> bool:
        """Whether the worker processes are already forked (sending them work costs no start)."""
        return self._pool is not None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._setups is not None:
            shutil.rmtree(self._setups, ignore_errors=True)
            self._setups = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(
        self,
        prepare: Prepare,
        task: Task[Item, Result],
        setup: object,
        items: Iterable[Item],
        *,
        parallel_from: int,
        chunk: int,
    ) -> Iterator[Result]:
        """task(prepare(setup), chunk) for each chunk of items, in order.

        Runs in-process when there is one job or fewer than `parallel_from` items
        (starting workers would cost more than it saves). Items may be made as
        they are needed (a generator): the workers start on the first chunks while
        the caller makes the next ones.
        """
        iterator = iter(items)
        head = list(itertools.islice(iterator, parallel_from))
        chunks = _chunks(itertools.chain(head, iterator), chunk)
        if self.count <= 1 or len(head) < parallel_from or not hasattr(os, "fork"):
            prepared = prepare(setup)
            for part in chunks:
                yield task(prepared, part)
            return
        self.start()
        assert self._pool is not None
        key, path = self._setup_file(prepare, setup)
        # Keep a few chunks queued per worker, not all: results stay small in memory.
        pending: list[Future[Result]] = []
        ahead = self.count * 2
        for part in chunks:
            pending.append(self._pool.submit(_run, prepare, task, key, path, part))
            if len(pending) > ahead:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()

    def call(self, function: Callable[..., Result], *args: object) -> Callable[[], Result]:
        """function(*args) in a worker, started now; call the answer to wait for its result.

        The caller goes on meanwhile, and so do the other workers with what it
        sends them next. With one job it runs here, at once. `function` must be
        importable by name (a module's own function), as the worker looks it up.
        """
        if self.count <= 1 or not hasattr(os, "fork"):
            done = function(*args)
            return lambda: done
        self.start()
        assert self._pool is not None
        return self._pool.submit(function, *args).result

    def _setup_file(self, prepare: Prepare, setup: object) -> tuple[str, Path]:
        """The key a worker knows the setup by (with what prepares it), and the file holding it.

        Pickled once, to a file each worker reads once: sent with every chunk, the
        1.7 MB setup of parsing 10,000 articles went through the pipes 350 times.
        """
        blob = pickle.dumps(setup, protocol=pickle.HIGHEST_PROTOCOL)
        name = f"{prepare.__module__}.{prepare.__qualname__}\0".encode()
        key = hashlib.sha256(name + blob).hexdigest()
        if self._setups is None:
            _remove_orphans(Path(tempfile.gettempdir()))
            self._setups = Path(tempfile.mkdtemp(prefix=f"{SETUPS}{os.getpid()}-"))
        path = self._setups / key
        if not path.exists():
            path.write_bytes(blob)
        return key, path


SETUPS = "kennisbank-setups-"  # + the building process's pid: its setups' folder


def _remove_orphans(root: Path) -> None:
    """Remove the setup folders of builds that were killed: their process is gone."""
    for folder in root.glob(f"{SETUPS}*"):
        pid = folder.name.removeprefix(SETUPS).partition("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether the process runs (POSIX signal 0; on Windows os.kill would end it)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while part := list(itertools.islice(items, size)):
        yield part


_prepared: dict[str, Any] = {}  # in a worker: the setup of the current stage, by its hash


def _run(
    prepare: Prepare, task: Task[Item, Result], key: str, path: Path, items: list[Item]
) -> Result:
    if key not in _prepared:
        _prepared.clear()
        _prepared[key] = prepare(pickle.loads(path.read_bytes()))
    return task(_prepared[key], items)
