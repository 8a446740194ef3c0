"""Parallel builds: worker processes parse and render, and the site is byte-identical to a serial build."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator import bodies, related, render_jobs
from generator import build as build_module
from generator.build import BuildResult, build
from generator.cache import BuildCache
from generator.cli import CACHE_DIR
from generator.workers import Workers
from tests.conftest import EXAMPLE_SITE


@pytest.fixture
def parallel_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even the example site's few bodies and pages to the workers, in many small chunks."""
    monkeypatch.setattr(bodies, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(bodies, "CHUNK", 3)
    monkeypatch.setattr(render_jobs, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(render_jobs, "CHUNK", 4)
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(related, "WORKER_FROM", 1)  # related picks scored in a worker


def files(result: BuildResult) -> dict[str, bytes]:
    assert result.ok, result.report.format_lines()
    return {f.path: f.read() for f in result.outputs}


def test_parallel_build_is_identical_to_a_serial_build(
    parallel_everything: None, example_build: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []  # tasks handed to one worker on their own: the related picks
    original = Workers.call

    def call(self: Workers, *args: Any) -> Any:
        sent.append(args[0].__name__)
        return original(self, *args)

    monkeypatch.setattr(Workers, "call", call)
    parallel = build(EXAMPLE_SITE, jobs=2)
    assert sent == ["_picked"]
    assert files(parallel) == files(example_build)
    assert parallel.report.format_lines() == example_build.report.format_lines()


def test_parallel_build_with_a_cache_is_identical_to_a_serial_build(
    parallel_everything: None, example_build: BuildResult, example_copy: Path
) -> None:
    for _ in range(2):  # the second build takes everything from the cache
        result = build(example_copy, jobs=2, cache_dir=example_copy / CACHE_DIR)
        assert files(result) == files(example_build)
        if _ == 0:  # picks scored in a worker are kept in the cache when they come in
            assert result.counts["related made"] == 1
        result.close()
    assert result.counts["body made"] == 0 and result.counts["page made"] == 0
    assert result.counts["related state reused"] == 1


def test_only_the_building_process_writes_the_cache(
    parallel_everything: None, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers hand their entries over: two processes writing waited for each other's locks."""
    log = example_copy / "writers.log"
    original = BuildCache._write

    def write(self: BuildCache, statement: str, rows: Any) -> None:
        with log.open("a") as out:  # forked workers inherit this, and append their pid
            out.write(f"{os.getpid()}\n")
        original(self, statement, rows)

    monkeypatch.setattr(BuildCache, "_write", write)
    result = build(example_copy, jobs=2, cache_dir=example_copy / CACHE_DIR)
    assert result.ok
    assert result.counts["body made"] > 30 and result.counts["page made"] > 60
    result.close()
    assert set(log.read_text().split()) == {str(os.getpid())}
    again = build(example_copy, jobs=2, cache_dir=example_copy / CACHE_DIR)
    assert again.counts["body made"] == 0 and again.counts["page made"] == 0
    again.close()


def test_template_errors_are_reported_the_same_in_parallel(
    parallel_everything: None, example_copy: Path
) -> None:
    templates = example_copy / "templates"
    templates.mkdir()
    (templates / "term.html").write_text("{{ view.no_such_field }}\n", encoding="utf-8")
    serial = build(example_copy, jobs=1)
    parallel = build(example_copy, jobs=2)
    assert "TPL001" in serial.report.codes() and not parallel.ok
    assert parallel.report.format_lines() == serial.report.format_lines()


def _prepare(offset: int) -> int:
    return offset


def _where(offset: int, items: list[int]) -> list[tuple[int, int]]:
    return [(item + offset, os.getpid()) for item in items]


def test_workers_return_results_in_order_from_other_processes() -> None:
    with Workers(2) as workers:
        chunks = list(workers.map(_prepare, _where, 100, range(50), parallel_from=1, chunk=3))
    results = [result for chunk in chunks for result in chunk]
    assert [value for value, _ in results] == list(range(100, 150))
    assert os.getpid() not in {pid for _, pid in results}


def test_one_job_or_little_work_stays_in_process() -> None:
    for workers, parallel_from in ((Workers(1), 1), (Workers(2), 1000)):
        chunks = list(
            workers.map(_prepare, _where, 0, range(10), parallel_from=parallel_from, chunk=3)
        )
        assert {pid for chunk in chunks for _, pid in chunk} == {os.getpid()}
        workers.close()
