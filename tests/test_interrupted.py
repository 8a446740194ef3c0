"""Interrupted builds: killed at any moment, output/ holds the old or the new site, never a mix.

Two ways in. The kill test runs the real CLI on a generated site big enough to
take a second or two (and to use worker processes), SIGKILLs it at random
moments and right after the new tree starts to appear, and compares output/
with both complete trees every time. The crash test stops write_site at every
single file operation in turn (the final swap included), which no timing can
reach reliably. After either, the next build must succeed and leave nothing
behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import generator.write as write_module
from generator.render import OutputFile
from generator.write import write_site
from tests.test_invalid_sites import run_cli

REPO = Path(__file__).resolve().parent.parent
TRIES = 8


def tree(root: Path) -> dict[str, str]:
    """Every file below root: relative path -> sha256 (links not followed)."""
    found: dict[str, str] = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(out_dir: Path) -> list[str]:
    """Staging and retired trees beside output/ (a kept spare tree is not a leftover)."""
    prefixes = (f".{out_dir.name}.new-", f".{out_dir.name}.old-")
    return sorted(p.name for p in out_dir.parent.iterdir() if p.name.startswith(prefixes))


def make_big_site(root: Path, version: str, articles: int = 220) -> Path:
    """A site of `articles` articles (above the worker threshold) whose every page names `version`."""
    rng = random.Random(articles)
    words = (
        "leerling leraar school les toets klas rekenen lezen schrijven taal feedback "
        "samenwerken onderzoek didactiek begrip motivatie"
    ).split()
    (root / "content/articles").mkdir(parents=True)
    (root / "content/glossary").mkdir(parents=True)
    (root / "site.yaml").write_text(
        f"title: Kennisbank {version}\nbase_url: https://kb.example.org/\nsearch: false\n", "utf-8"
    )
    for term in ("feedback", "didactiek", "motivatie"):
        (root / f"content/glossary/{term}.md").write_text(
            f"---\nterm: {term.capitalize()}\n---\nUitleg over {term}.\n", "utf-8"
        )
    for number in range(articles):
        text = " ".join(rng.choice(words) for _ in range(150))
        (root / f"content/articles/artikel-{number}.md").write_text(
            f"---\ntitle: Artikel {number} ({version})\ndate: 2024-01-{number % 28 + 1:02d}\n"
            f"tags: [{rng.choice(words)}]\n---\n{text}\n\n## Verder\n\n{text}\n",
            "utf-8",
        )
    return root


def start_build(source: Path, out_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    """The CLI in its own process group, so one signal reaches its workers too."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--source",
            str(source),
            "--output",
            str(out_dir),
            "--jobs",
            "2",
            *args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had finished
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def wait_for_staging(out_dir: Path, process: subprocess.Popen[bytes], limit: float) -> None:
    """Return once this build starts its new tree beside output/ (or ended, or took too long)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if (out_dir.parent / f".{out_dir.name}.new-{process.pid}").exists():
            return
        time.sleep(0.001)


@pytest.mark.slow
def test_killed_builds_leave_the_old_or_the_new_site(tmp_path: Path) -> None:
    sources = {v: make_big_site(tmp_path / f"site-{v}", v) for v in ("A", "B")}
    trees = {}
    for version, source in sources.items():
        reference = tmp_path / f"reference-{version}"
        started = time.monotonic()
        result = run_cli("build", "--source", source, "--output", reference, "--no-cache")
        assert result.returncode == 0, result.stderr
        trees[version] = tree(reference)
        duration = time.monotonic() - started
    assert trees["A"] != trees["B"]
    out_dir = tmp_path / "output"
    shutil.copytree(tmp_path / "reference-A", out_dir)

    rng = random.Random(9)
    killed = 0
    for attempt in range(TRIES):
        current = next(v for v, t in trees.items() if t == tree(out_dir))
        target = "B" if current == "A" else "A"
        if attempt % 2:  # while the new tree is written, swapped in or cleaned up
            # With the build cache warm the stages take no time: only the write is left.
            process = start_build(sources[target], out_dir)
            wait_for_staging(out_dir, process, limit=duration * 3)
            time.sleep(rng.uniform(0, 0.1))
        else:  # anywhere: loading, parsing in the workers, rendering, writing the cache
            process = start_build(sources[target], out_dir, "--no-cache")
            time.sleep(rng.uniform(0, duration))
        killed += process.poll() is None
        kill_group(process)
        found = tree(out_dir)
        assert found in (trees[current], trees[target]), f"attempt {attempt}: a mix of two sites"

    assert killed >= TRIES // 2, "most attempts should be killed before they finish"
    current = next(v for v, t in trees.items() if t == tree(out_dir))
    target = "B" if current == "A" else "A"
    result = run_cli("build", "--source", sources[target], "--output", out_dir)
    assert result.returncode == 0, result.stderr
    assert tree(out_dir) == trees[target]
    assert leftovers(out_dir) == []


class _Crash(BaseException):
    """Stands for SIGKILL: no except clause of write.py may catch it."""


def _three_sites(tmp_path: Path) -> tuple[list[OutputFile], list[OutputFile], list[OutputFile]]:
    """An old, a new and an in-between site: files kept, changed, added and removed."""
    static = tmp_path / "logo.svg"
    static.write_bytes(b"<svg/>")
    old = [
        OutputFile("index.html", b"oud"),
        OutputFile("artikelen/a/index.html", b"zelfde"),
        OutputFile("artikelen/weg/index.html", b"verdwijnt"),
        OutputFile("logo.svg", source=static),
    ]
    new = [
        OutputFile("index.html", b"nieuw"),
        OutputFile("artikelen/a/index.html", b"zelfde"),  # hard-linked from the old tree
        OutputFile("artikelen/b/index.html", b"erbij"),
        OutputFile("logo.svg", source=static),
    ]
    between = [
        OutputFile("index.html", b"tussen"),
        OutputFile("artikelen/a/index.html", b"zelfde"),
        OutputFile("artikelen/c/index.html", b"alleen hier"),
        OutputFile("logo.svg", source=static),
    ]
    return old, between, new


def _expected(outputs: list[OutputFile]) -> dict[str, str]:
    return {o.path: hashlib.sha256(o.read()).hexdigest() for o in outputs}


@pytest.fixture
def crash_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int | None], list[str]]]:
    """crash_at(k): the k-th file operation of write.py raises _Crash; returns the calls made."""
    calls: list[str] = []
    state: dict[str, int | None] = {"at": None}

    def wrap(owner: Any, name: str) -> None:
        original = getattr(owner, name)

        def operation(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            if state["at"] is not None and len(calls) == state["at"]:
                raise _Crash(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, operation)

    for name in ("mkdir", "write_bytes", "write_text", "rename", "replace", "unlink", "rmdir"):
        wrap(Path, name)
    wrap(os, "link")
    wrap(shutil, "copyfile")
    wrap(shutil, "rmtree")
    wrap(write_module, "_exchange")

    def arm(at: int | None) -> list[str]:
        calls.clear()
        state["at"] = at
        return calls

    yield arm


@pytest.mark.parametrize("cache", [True, False])
def test_a_crash_at_any_file_operation_of_the_write_leaves_a_whole_site(
    tmp_path: Path, crash_at: Callable[[int | None], list[str]], cache: bool
) -> None:
    old, between, new = _three_sites(tmp_path)
    parent, cache_dir = tmp_path / "site", (tmp_path / "cache" if cache else None)
    out_dir = parent / "output"

    def start_from_old() -> None:
        """output/ holds the old site; the build before wrote another (kept as a spare, if so)."""
        for folder in (parent, cache_dir):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        parent.mkdir()
        crash_at(None)
        write_site(between, out_dir, cache_dir)
        write_site(old, out_dir, cache_dir)

    start_from_old()
    calls = crash_at(None)
    write_site(new, out_dir, cache_dir)  # a dry run to count the operations
    steps = len(calls)
    assert "_exchange" in calls
    for step in range(1, steps + 1):
        start_from_old()
        calls = crash_at(step)
        with pytest.raises(_Crash):
            write_site(new, out_dir, cache_dir)
        crashed_in = f"operation {step} of {steps} ({calls[-1]})"
        assert tree(out_dir) in (_expected(old), _expected(new)), f"crash in {crashed_in}"
        crash_at(None)
        write_site(new, out_dir, cache_dir)  # the next build recovers by itself
        assert tree(out_dir) == _expected(new), f"after a crash in {crashed_in}"
        assert leftovers(out_dir) == [], f"after a crash in {crashed_in}"
        write_site(old, out_dir, cache_dir)  # and the one after that still writes correctly
        assert tree(out_dir) == _expected(old), f"two builds after a crash in {crashed_in}"
