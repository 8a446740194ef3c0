"""The cycle collector is paused while a build runs: safe only because a build makes no cycles."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.build
from generator.build import build
from generator.cli import main
from generator.collector import collector_paused

from ..conftest import EXAMPLE_SITE, MakeSite


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_back_on_after(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_exception(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a build that crashed")
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_left_off_for_a_process_that_ends_right_after(collector_on: None) -> None:
    with collector_paused(resume=False):
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_build_command_runs_with_the_collector_paused(
    collector_on: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = generator.build.build

    def spy(*args: object, **kwargs: object) -> generator.build.BuildResult:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.build, "build", spy)
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE / "content", site / "content")
    shutil.copy(EXAMPLE_SITE / "site.yaml", site / "site.yaml")
    assert main(["build", "--quiet", "--jobs", "1", "--source", str(site)]) == 0
    assert seen == [False]
    assert gc.isenabled()


def _cycles_left_by_a_build(root: Path) -> int:
    gc.collect()
    with collector_paused():
        result = build(root, jobs=1)
        assert result.ok, result.report.format_lines()
        del result
        return gc.collect()


def _site_with_articles(make_site: MakeSite, count: int) -> Path:
    files = {
        f"content/articles/artikel-{n}.md": f"""\
            ---
            title: Artikel {n}
            date: 2024-06-{n % 28 + 1:02d}
            tags: [toetsing, les-{n % 3}]
            ---
            Tekst van artikel {n} over [het begrip](../glossary/feedback.md) en feedback.
            """
        for n in range(count)
    }
    files["content/glossary/feedback.md"] = """\
        ---
        term: feedback
        ---
        Informatie over het leren die een leerling verder helpt.
        """
    return make_site(files, name=f"site-{count}")


def test_a_build_makes_no_cycles_per_page(collector_on: None, make_site: MakeSite) -> None:
    """What pausing relies on: a build's garbage is freed by reference counting as it goes.

    The few cycles a build leaves (its Jinja environment and Markdown parser) do
    not grow with the site, so a build of 10,000 articles needs no collector.
    """
    _cycles_left_by_a_build(_site_with_articles(make_site, 2))  # imports and caches warm
    small = _cycles_left_by_a_build(_site_with_articles(make_site, 3))
    large = _cycles_left_by_a_build(_site_with_articles(make_site, 60))
    assert large - small < 40, f"3 articles: {small} objects in cycles; 60 articles: {large}"
