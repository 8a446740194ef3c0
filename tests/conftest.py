"""Shared fixtures: small sites made from files, and builds run in memory or into tmp_path."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from generator.build import BuildResult, build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO  # the example site lives at the repository root (site.yaml + content/)

MINIMAL_SITE_YAML = """\
title: Testsite
base_url: https://kb.example.org/
"""

# Stable results regardless of the machine running the tests.
os.environ.setdefault("TZ", "UTC")

MakeSite = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (tests/invalid/*/expected.txt) from what the build prints",
    )


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write {relative path: text or bytes} under root; text is dedented."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")


def save(path: Path, text: str) -> None:
    """Save a file as an editor's save does at best: whole, in one rename. A watcher then
    never sees it half-written (write_text empties the file first, then writes it)."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """make_site({path: text}, site_yaml=...) -> site folder with site.yaml and those files."""

    def make(
        files: Mapping[str, str | bytes] | None = None,
        *,
        site_yaml: str | None = MINIMAL_SITE_YAML,
        name: str = "site",
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        if site_yaml is not None:
            (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
        write_files(root, files or {})
        return root

    return make


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example site (site.yaml + content/), safe to edit."""
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(EXAMPLE_SITE / "site.yaml", root / "site.yaml")
    shutil.copytree(EXAMPLE_SITE / "content", root / "content")
    return root


@pytest.fixture(scope="session")
def example_build() -> BuildResult:
    """The example site built once in memory (serially) for the whole session."""
    result = build(EXAMPLE_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


def page(result: BuildResult, path: str) -> str:
    """The text of one built file, e.g. page(result, "artikelen/x/index.html")."""
    for output in result.outputs:
        if output.path == path:
            assert output.data is not None
            return output.data.decode("utf-8")
    raise KeyError(path)
