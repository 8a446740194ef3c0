"""The catalogue of broken sites in tests/invalid/: each case prints exactly its expected.txt.

Every case is a small site built by the real command line in a subprocess, into
an output folder that already holds a previous site. The printed text (stderr,
then stdout, progress lines left out and the time replaced by `N s`) must equal
expected.txt line for line, the exit code must match, and a failed build must
leave every byte of the previous output/ where it was. expected.txt starts with
`# exit: N` (1 when absent) and optionally `# args: ...` for extra CLI flags;
`pytest --update-golden` rewrites the rest from what the build printed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INVALID = Path(__file__).resolve().parent / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if (p / "expected.txt").is_file())
PREVIOUS_SITE = {
    "index.html": b"<!doctype html><title>Vorige versie</title>\n",
    "artikelen/oud/index.html": b"<p>oud artikel</p>\n",
    "assets/site.css": b"body{}\n",
}
_PROGRESS = re.compile(r"^\[\d+/\d+\] \w+$")
_SECONDS = re.compile(r"\d+[.,]\d+ s$")


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a fresh process with a plain, predictable environment.

    `env` is applied last: tests that vary locale, time zone or hash seed set them here.
    """
    plain = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LC_", "PYTHON")) and key not in ("LANG", "LANGUAGE")
    }
    plain.update(CI="1", LANG="C.UTF-8", PYTHONIOENCODING="utf-8", TZ="UTC")
    root = Path(__file__).resolve().parent.parent
    plain["PYTHONPATH"] = str(root)
    plain.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env=plain,
        cwd=cwd or root,
        check=False,
        timeout=300,
    )


def printed(result: subprocess.CompletedProcess[str], output: Path) -> str:
    """What an editor reads: diagnostics (stderr) then the summary (stdout), made stable."""
    lines = [line for line in result.stderr.splitlines() if not _PROGRESS.match(line)]
    lines += result.stdout.splitlines()
    text = "\n".join(_SECONDS.sub("N s", line) for line in lines)
    return text.replace(str(output), "OUTPUT") + "\n"


def tree(root: Path) -> dict[str, tuple[str, int]]:
    """Every file below root: relative path -> (sha256, mtime in ns)."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.relative_to(root).as_posix()] = (digest, path.stat().st_mtime_ns)
    return found


def write_previous_site(output: Path) -> dict[str, tuple[str, int]]:
    for relative, data in PREVIOUS_SITE.items():
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return tree(output)


def read_expected(case: Path) -> tuple[int, list[str], str]:
    """(exit code, extra CLI arguments, expected text) of one case."""
    exit_code, args, body = 1, [], []
    for line in (case / "expected.txt").read_text("utf-8").splitlines(keepends=True):
        if not body and line.startswith("# exit: "):
            exit_code = int(line.removeprefix("# exit: "))
        elif not body and line.startswith("# args: "):
            args = line.removeprefix("# args: ").split()
        else:
            body.append(line)
    return exit_code, args, "".join(body)


def write_expected(case: Path, exit_code: int, args: list[str], text: str) -> None:
    header = f"# exit: {exit_code}\n" + (f"# args: {' '.join(args)}\n" if args else "")
    (case / "expected.txt").write_text(header + text, encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_broken_site_prints_exactly_its_expected_diagnostics(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    case = INVALID / name
    site = tmp_path / "site"
    # A copy: links to outside the site must point outside the copy too, and a
    # successful build writes its cache into the site folder.
    shutil.copytree(case, site, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    output = tmp_path / "output"
    before = write_previous_site(output)
    exit_code, args, expected = read_expected(case)

    result = run_cli("build", "--source", site, "--output", output, *args)

    assert "Traceback" not in result.stderr, result.stderr
    actual = printed(result, output)
    if request.config.getoption("--update-golden"):
        write_expected(case, result.returncode, args, actual)
        return
    assert actual == expected
    assert result.returncode == exit_code
    if exit_code != 0:
        assert tree(output) == before, "a failed build changed the previous output/"
    else:
        assert (output / "index.html").read_bytes() != PREVIOUS_SITE["index.html"]
        assert not (output / "artikelen/oud/index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "site"], "leftovers"


def test_the_catalogue_covers_every_kind_of_broken_input() -> None:
    """The cases the issue asks for exist; renaming one must not silently drop it."""
    wanted = {
        "invalid-yaml",
        "front-matter-not-mapping",
        "missing-fields",
        "wrong-types",
        "impossible-dates",
        "unknown-fields",
        "duplicate-slugs",
        "dangling-references",
        "self-references",
        "not-utf8",
        "bom-crlf-lines",
        "empty-files",
        "binary-files",
        "symlinks",
        "file-names",
        "yaml-python-tags",
        "yaml-alias-bomb",
        "many-errors",
    }
    assert wanted <= set(CASES)


def _huge_site(root: Path) -> dict[str, str]:
    """Inputs too big to keep in the repository: name -> the page each must produce."""
    words = "leerling leraar school les toets klas feedback samen leren".split()
    paragraph = " ".join(words[i % len(words)] for i in range(150))
    deep = {
        "quotes": ">" * 10_000 + " diep",
        "list": "- " * 10_000 + "diep",
        "ordered": "1. " * 10_000 + "diep",
        "indented": "".join("  " * level + "- diep\n" for level in range(1_000)),
        "brackets": "[" * 50_000 + "diep" + "]" * 50_000,
        "emphasis": "*a " * 40_000 + "diep" + " a*" * 40_000,  # was quadratic: minutes
        "links": "[diep](b.md) " * 20_000,
        "footnotes": "".join(f"[^{i}] " for i in range(5_000))
        + "\n\n"
        + "".join(f"[^{i}]: noot\n" for i in range(5_000)),
    }
    files = {
        "site.yaml": "title: Groot\nbase_url: https://kb.example.org/\nsearch: false\n",
        "content/articles/b.md": "---\ntitle: B\ndate: 2024-03-01\n---\nTekst.\n",
        "content/articles/twintig-mb.md": "---\ntitle: Twintig MB\ndate: 2024-03-01\n---\n"
        + f"{paragraph}\n\n" * (20_000_000 // (len(paragraph) + 2) + 1),
        "content/articles/tags.md": "---\ntitle: Tags\ndate: 2024-03-01\ntags:\n"
        + "  - Didactiek\n" * 100_000
        + "---\nTekst.\n",
        "content/articles/lijst.md": "---\ntitle: Lijst\ndate: 2024-03-01\n---\n"
        + "".join(f"- punt {i}\n" for i in range(100_000)),
        "content/glossary/vorm.md": "---\nterm: Vorm\naliases:\n"
        + "".join(f"  - vorm {i}\n" for i in range(100_000))
        + "---\nUitleg.\n",
        **{
            f"content/articles/{name}.md": f"---\ntitle: {name}\ndate: 2024-03-01\n---\n{text}\n"
            for name, text in deep.items()
        },
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    pages = {name: f"artikelen/{name}/index.html" for name in deep}
    pages.update(
        twintig="artikelen/twintig-mb/index.html",
        tags="tags/didactiek/index.html",
        lijst="artikelen/lijst/index.html",
        vorm="begrippen/vorm/index.html",
    )
    return pages


@pytest.mark.slow
def test_huge_and_deeply_nested_inputs_build(tmp_path: Path) -> None:
    """A 20 MB article, 100,000-line lists and 10,000 levels of nesting: built, no traceback."""
    site, output = tmp_path / "site", tmp_path / "output"
    pages = _huge_site(site)
    assert (site / "content/articles/twintig-mb.md").stat().st_size > 20_000_000

    result = run_cli("build", "--source", site, "--output", output, "--no-cache")

    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
    for name, page in pages.items():
        assert (output / page).is_file(), name
    assert (output / pages["twintig"]).stat().st_size > 20_000_000
    assert "punt 99999" in (output / pages["lijst"]).read_text("utf-8")
