"""A bounded fuzz run of the Markdown + glossary renderer (tests/fuzz_markdown.py, atheris).

libFuzzer mutates the example and hostile articles for FUZZ_SECONDS, guided by
the coverage of markdown-it, its plugins and our rules; any crash it finds is
shown here as the input that caused it, ready to become a regression test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FUZZ_SECONDS = int(os.environ.get("KENNISBANK_FUZZ_SECONDS", "20"))
SEEDS = [
    *sorted((REPO / "tests/sites/hostile/content").rglob("*.md")),
    *sorted((REPO / "content/articles").glob("*.md"))[:10],
    *sorted((REPO / "tests/markdown_cases").glob("*.md")),
]

pytest.importorskip("atheris", reason="atheris ships wheels for Linux x86_64 only")


@pytest.mark.slow
def test_fuzzing_the_renderer_finds_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"  # libFuzzer adds what it learns here: never the repository
    corpus.mkdir()
    for number, seed in enumerate(SEEDS):
        shutil.copy(seed, corpus / f"seed-{number}")
    assert len(SEEDS) > 10
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "tests/fuzz_markdown.py"),
            f"-max_total_time={FUZZ_SECONDS}",
            "-seed=1",
            "-max_len=8192",
            "-timeout=60",  # one input taking this long is a hang, reported as a crash
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        cwd=REPO,
        timeout=FUZZ_SECONDS + 240,
        check=False,
    )
    crashes = sorted(p for p in tmp_path.iterdir() if p.is_file())
    shown = [f"{p.name}: {p.read_bytes()[:2000]!r}" for p in crashes]
    assert result.returncode == 0 and not crashes, "\n".join([*shown, result.stderr[-4000:]])
    assert "Done" in result.stderr  # libFuzzer really ran and stopped at the time limit
