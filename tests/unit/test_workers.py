"""Worker pools: forked ones share what this process holds; fresh ones start empty."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from generator import workers as workers_module
from generator.workers import Workers


def _same(setup: None) -> None:
    return setup


def _probe(_: None, items: list[int]) -> list[tuple[int, bool]]:
    """Where the task ran, and whether it sees what the parent set at run time."""
    return [(os.getpid(), hasattr(workers_module, "_set_by_the_parent")) for _ in items]


@pytest.mark.parametrize("fresh", [False, True])
def test_a_fresh_pool_does_not_inherit_this_process(
    monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    """The check scans pages after a build, when this process is large: a fresh pool
    (new interpreters) does not count its memory once more in every worker."""
    monkeypatch.setattr(workers_module, "_set_by_the_parent", True, raising=False)
    with Workers(2, fresh=fresh) as pool:
        found = [
            r
            for part in pool.map(_same, _probe, None, [1, 2, 3], parallel_from=1, chunk=1)
            for r in part
        ]
    assert all(pid != os.getpid() for pid, _ in found)  # ran in workers
    assert {seen for _, seen in found} == {not fresh}


def _size(setup: bytes) -> int:
    return len(setup)


def _sizes(size: int, items: list[int]) -> list[int]:
    return [size for _ in items]


def test_a_setup_reaches_each_worker_once_not_with_every_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parsing's setup (1.7 MB at 10,000 articles) went through the pipes with each chunk."""
    sent: list[int] = []
    original = workers_module.ProcessPoolExecutor.submit

    def submit(self: object, function: object, *args: object) -> object:
        if function is workers_module._run:  # not start()'s first task, which forks them
            sent.append(len(pickle.dumps(args)))
        return original(self, function, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers_module.ProcessPoolExecutor, "submit", submit)
    setup = bytes(1_000_000)
    with Workers(2) as pool:
        found = [
            r
            for part in pool.map(_size, _sizes, setup, range(40), parallel_from=1, chunk=2)
            for r in part
        ]
        folder = pool._setups
        assert folder is not None and len(list(folder.iterdir())) == 1  # pickled once
    assert found == [len(setup)] * 40
    assert len(sent) == 20 and max(sent) < 10_000
    assert not folder.exists()  # removed with the pool


def test_the_setup_folders_of_killed_builds_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed outright (SIGKILL) cannot remove its folder: the next one does."""
    monkeypatch.setattr(workers_module.tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan = tmp_path / f"{workers_module.SETUPS}{gone.stdout.strip()}-abc"
    alive = tmp_path / f"{workers_module.SETUPS}{os.getppid()}-def"
    other = tmp_path / "kennisbank-setups-notapid"
    for folder in (orphan, alive, other):
        folder.mkdir()
        (folder / "setup").write_bytes(b"x")
    with Workers(2) as pool:
        assert list(pool.map(_size, _sizes, b"ab", range(4), parallel_from=1, chunk=2)) == [
            [2, 2],
            [2, 2],
        ]
        assert pool._setups is not None and pool._setups.parent == tmp_path
    assert not orphan.exists() and alive.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])
