"""Worker pools: forked ones share what this process holds; fresh ones start empty."""

from __future__ import annotations

import os

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
