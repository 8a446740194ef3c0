"""Full-text search: Pagefind indexes the new site tree just before it goes live.

Pagefind's binary (from the pagefind_bin wheel) reads each page's <html lang>
for stemming and the data-pagefind-* attributes the theme writes (body,
weights, filters, title); the bundle lands in pagefind/ beside the pages.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE_DIR = "pagefind"
# Tooltips repeat a term's definition inside every article that mentions it:
# indexed there, a passing mention would rank like the term page itself.
EXCLUDED = ".glossary-tooltip"


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


@dataclass
class SearchIndexer:
    """The write stage's before_swap hook: index the staged tree and time it."""

    seconds: float | None = None  # None until it has run

    def __call__(self, site_dir: Path) -> None:
        start = time.perf_counter()
        command = [
            str(pagefind_binary()),
            "--site",
            str(site_dir),
            "--output-subdir",
            BUNDLE_DIR,
            "--exclude-selectors",
            EXCLUDED,
            "--silent",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise SearchIndexError(f"pagefind: {exc.strerror or exc}") from exc
        self.seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SearchIndexError(_last_line(done.stderr or done.stdout, done.returncode))
        if not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
            raise SearchIndexError("pagefind wrote no pagefind.js")


def pagefind_binary() -> Path:
    """The Pagefind executable: PAGEFIND_BINARY_PATH, else the one from the pagefind_bin wheel."""
    from pagefind.service import get_executable  # imported late: only builds with search need it

    found = get_executable()
    if found is None:
        raise SearchIndexError("the pagefind binary is not installed")
    return Path(found)


def _last_line(output: str, code: int) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else f"pagefind stopped with exit code {code}"
