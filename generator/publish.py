"""Write a successful build to output/: the search index first (when on), then the swap.

The one write path of `build` and `serve`, so a preview is the site that will
be published, search included.
"""

from __future__ import annotations

import time
from pathlib import Path

from generator.build import BuildResult
from generator.search import SearchIndexer, SearchIndexError
from generator.write import WriteResult, write_site


def publish_site(result: BuildResult, out_dir: Path, cache_dir: Path | None) -> WriteResult | None:
    """Write the built site; None when indexing failed (OUT002 reported, output/ unchanged)."""
    indexer = SearchIndexer() if result.config.search else None
    start = time.perf_counter()
    try:
        written = write_site(result.outputs, out_dir, cache_dir, before_swap=indexer)
    except SearchIndexError as exc:  # the new tree was dropped: output/ is as it was
        result.report.error("OUT002", "", 1, "search", problem=str(exc))
        return None
    searching = indexer.seconds if indexer is not None and indexer.seconds is not None else 0.0
    result.timings["write"] = time.perf_counter() - start - searching
    if indexer is not None and indexer.seconds is not None:
        result.timings["search"] = indexer.seconds
    return written
