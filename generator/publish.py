"""Write a successful build to output/: the search index first (when on), then the swap.

The one write path of `build` and `serve`, so a preview is the site that will
be published, search included.
"""

from __future__ import annotations

import time
from pathlib import Path

from generator.build import BuildResult
from generator.search import SearchIndexer, SearchIndexError
from generator.treescan import TreeCheck
from generator.write import GoLive, WriteResult, write_site


def safe_output(out_dir: Path, site_root: Path, cache_dir: Path) -> bool:
    """Whether out_dir may be replaced by the built site: writing swaps the whole folder away.

    Never the site itself or a folder holding it, nothing in or around its
    content/, templates/ or cache, and no folder of other files (a built site
    always has index.html), so a mistyped --output cannot delete an editor's work.
    """
    out, root = out_dir.resolve(), site_root.resolve()
    if root.is_relative_to(out) or (out.exists() and not out.is_dir()):
        return False
    own = (root / "content", root / "templates", cache_dir.resolve())
    if any(out.is_relative_to(folder) or folder.is_relative_to(out) for folder in own):
        return False
    return not (out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file())


def publish_site(
    result: BuildResult,
    out_dir: Path,
    cache_dir: Path | None,
    check: TreeCheck | None = None,
    go_live: GoLive | None = None,
) -> WriteResult | None:
    """Write the built site; None when indexing failed (OUT002 reported, output/ unchanged).

    `check`: output_check(out_dir, cache_dir), started before the build;
    `go_live`: runs the swap into place (see write_site).
    """
    indexer = SearchIndexer() if result.config.search else None
    start = time.perf_counter()
    try:
        written = write_site(
            result.outputs, out_dir, cache_dir, before_swap=indexer, check=check, go_live=go_live
        )
    except SearchIndexError as exc:  # the new tree was dropped: output/ is as it was
        result.report.error("OUT002", "", 1, "search", problem=str(exc))
        return None
    searching = indexer.seconds if indexer is not None and indexer.seconds is not None else 0.0
    result.timings["write"] = time.perf_counter() - start - searching
    if indexer is not None and indexer.seconds is not None:
        result.timings["search"] = indexer.seconds
    return written
