"""Determinism: the same input gives byte-identical output, whatever the machine does differently.

A generated site of 230 articles (so bodies are parsed in worker processes)
with everything whose order could wander: accents and capitals in tags and
terms, Dutch collation, date-times with offsets, ties in related scores,
pagination, static files. It is built by the CLI in subprocesses that differ
in locale, time zone, PYTHONHASHSEED, --jobs, the order files were created
in and a warm or cold cache, and in-process with directory listings reversed.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from tests.test_invalid_sites import run_cli

ARTICLES = 230
TAGS = ["Één", "een", "École", "Zorg", "zorg-en-welzijn", "IJsbeer", "ijstijd", "Ångström", "Çay"]
TERMS = {
    "ijsbeer": ("IJsbeer", ["ijsberen"]),
    "ijs": ("ijs", []),
    "ecole": ("école", ["écoles"]),
    "zorg": ("Zorg", ["zorgen"]),
    "angstrom": ("Ångström", []),
    "avg": ("AVG", []),
    "appel": ("appel", ["appels"]),
    "aardappel": ("Aardappel", []),
}


def site_files() -> dict[str, str]:
    """Every file of the generated site, in a fixed order."""
    rng = random.Random(2024)
    words = [*(t for t, _ in TERMS.values()), "leerling", "les", "klas", "toets", "feedback"]
    files = {
        "site.yaml": (
            "title: Determinisme\nbase_url: https://kb.example.org/sub/\nsearch: false\n"
            "featured: [artikel-3, artikel-1]\nrelated:\n  count: 4\n"
        ),
        "content/static/img/b.svg": "<svg/>",
        "content/static/img/a.svg": "<svg/>",
        "content/static/Ä b.txt": "tekst",
        "content/pages/over.md": "---\ntitle: Over\nmenu: 2\n---\nOver ons.\n",
        "content/pages/contact.md": "---\ntitle: Contact\nmenu: 2\n---\nMail ons.\n",
        "content/themes/thema.md": (
            "---\ntitle: Thema\nsections:\n  - title: Sectie\n    links:\n"
            "      - article: artikel-5\n      - term: ijs\n"
            "      - {title: Buiten, url: 'https://example.org/', kind: Tool}\n"
            "      - {title: buiten, url: 'https://example.org/b', kind: tool}\n---\nInleiding.\n"
        ),
    }
    for slug, (term, aliases) in TERMS.items():
        files[f"content/glossary/{slug}.md"] = (
            f"---\nterm: {term}\naliases: {aliases}\n---\n{term} is een begrip.\n"
        )
    for number in range(ARTICLES):
        tags = rng.sample(TAGS, 2)
        day = number % 5 + 1  # many articles share a date: ties must break the same way
        when = f"2024-03-{day:02d}" if number % 3 else f"2024-03-{day:02d}T23:30:00-09:00"
        body = " ".join(rng.choice(words) for _ in range(30))
        files[f"content/articles/sub-{number % 4}/artikel-{number}.md"] = (
            f"---\ntitle: Artikel {number}\ndate: {when}\ntags: {tags}\n---\n{body}\n"
        )
    return files


def write_site_files(root: Path, *, reverse: bool) -> Path:
    """The site, its files created in forward or reverse order (directory order may follow)."""
    items = list(site_files().items())
    for relative, text in reversed(items) if reverse else items:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def digests(root: Path) -> dict[str, str]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def explain(first: Path, second: Path) -> str:
    """The first differing file, as a unified diff, for the failure message."""
    a, b = digests(first), digests(second)
    if set(a) != set(b):
        return f"only in one: {sorted(set(a) ^ set(b))[:10]}"
    name = next(n for n in sorted(a) if a[n] != b[n])
    diff = difflib.unified_diff(
        (first / name).read_text("utf-8", "replace").splitlines(),
        (second / name).read_text("utf-8", "replace").splitlines(),
        lineterm="",
    )
    return f"{name}:\n" + "\n".join(list(diff)[:40])


def cli_build(source: Path, output: Path, *args: str, **env: str) -> None:
    result = run_cli("build", "--source", source, "--output", output, *args, env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_builds_are_byte_identical_across_machines_and_runs(tmp_path: Path) -> None:
    forward = write_site_files(tmp_path / "forward", reverse=False)
    backward = write_site_files(tmp_path / "backward", reverse=True)
    runs: dict[str, tuple[Path, tuple[str, ...], dict[str, str]]] = {
        "jobs 1, C locale, UTC, hash seed 0": (
            forward,
            ("--jobs", "1", "--no-cache"),
            {"LC_ALL": "C", "TZ": "UTC", "PYTHONHASHSEED": "0"},
        ),
        "jobs 2, POSIX, UTC+14, hash seed 4242, files made in reverse": (
            backward,
            ("--jobs", "2", "--no-cache"),
            {"LC_ALL": "POSIX", "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242"},
        ),
        "jobs 2, Turkish LANG, UTC-10, random hash seed (cold cache)": (
            forward,
            ("--jobs", "2"),
            {
                "LANG": "tr_TR.UTF-8",
                "LANGUAGE": "tr",
                "TZ": "America/Adak",
                "PYTHONHASHSEED": "random",
            },
        ),
        "the same again (warm cache)": (
            forward,
            ("--jobs", "2"),
            {"LANG": "en_US.ISO-8859-1", "TZ": "Asia/Kathmandu", "PYTHONHASHSEED": "7"},
        ),
    }
    outputs = {}
    for name, (source, args, env) in runs.items():
        outputs[name] = tmp_path / f"out-{len(outputs)}"
        cli_build(source, outputs[name], *args, **env)
    first, *rest = outputs.values()
    assert len(digests(first)) > ARTICLES
    for name, output in zip(list(outputs)[1:], rest, strict=True):
        assert digests(output) == digests(first), f"{name}: {explain(first, output)}"


class _Listing:
    """What os.scandir returns, with the entries in the order given."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self.entries)

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def test_reversed_directory_listings_give_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site_files(tmp_path / "site", reverse=False)
    normal = build(root, jobs=1)
    assert normal.ok, normal.report.format_lines()
    scandir, listdir = os.scandir, os.listdir

    def reversed_scandir(path: Any = ".") -> _Listing:
        with scandir(path) as entries:
            return _Listing(list(entries)[::-1])

    def reversed_listdir(path: Any = ".") -> list[Any]:
        return sorted(listdir(path), reverse=True)

    monkeypatch.setattr(os, "scandir", reversed_scandir)
    monkeypatch.setattr(os, "listdir", reversed_listdir)
    shuffled = build(root, jobs=1)
    assert shuffled.ok
    assert [(o.path, o.read()) for o in shuffled.outputs] == [
        (o.path, o.read()) for o in normal.outputs
    ]
