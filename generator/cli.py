"""Command line: parse argv, run the build, print the report, choose the exit code.

Exit codes: 0 success, 1 content errors (or warnings with --strict), 2 a crash
or an unusable environment (with a traceback: that is a bug or the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import BuildResult, build
from generator.messages import NOTICES
from generator.outside_links import check_outside_links
from generator.scaffold import KINDS, ScaffoldError, init_site, new_item
from generator.search import SearchIndexer, SearchIndexError
from generator.sitecheck import check_site
from generator.write import write_site

EXIT_OK, EXIT_CONTENT, EXIT_CRASH = 0, 1, 2
CACHE_DIR = ".kennisbank-cache"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kennisbank", description="Build an education knowledge base."
    )
    parser.add_argument("--version", action="version", version=f"kennisbank {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=Path(), help="site folder (holds site.yaml)")
        p.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
        p.add_argument(
            "--jobs", type=int, default=None, help="worker processes (default: all cores)"
        )
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--quiet", action="store_true", help="print errors only")
        p.add_argument(
            "--verbose", action="store_true", help="print diagnostic codes and stage timings"
        )

    b = sub.add_parser("build", help="build the site into output/")
    common(b)
    b.add_argument(
        "--output", type=Path, default=None, help="output folder (default: SOURCE/output)"
    )
    b.add_argument("--no-cache", action="store_true", help="ignore and rewrite the build cache")
    b.add_argument("--timings", action="store_true", help="print the time of each stage")

    c = sub.add_parser("check", help="validate everything and check links; write nothing")
    common(c)
    c.add_argument("--external", action="store_true", help="also check outside URLs (network)")
    c.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per outside URL, DNS included"
    )

    n = sub.add_parser("new", help="create a new article, term, theme or page")
    n.add_argument("kind", choices=sorted(KINDS))
    n.add_argument("title")
    n.add_argument("--source", type=Path, default=Path())

    i = sub.add_parser("init", help="create a new site in DIR")
    i.add_argument("dir", type=Path)
    i.add_argument("--title", default="Mijn kennisbank")
    i.add_argument("--language", choices=("nl", "en"), default="nl")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug or the environment: show everything, distinct exit code
        traceback.print_exc()
        return EXIT_CRASH


def _run(args: argparse.Namespace) -> int:
    if args.command == "new":
        try:
            path = new_item(args.source, args.kind, args.title)
        except ScaffoldError as exc:
            print(f"kennisbank new: {exc}", file=sys.stderr)
            return EXIT_CONTENT
        print(path)
        return EXIT_OK
    if args.command == "init":
        try:
            made = init_site(args.dir, title=args.title, language=args.language)
        except ScaffoldError as exc:
            print(f"kennisbank init: {exc}", file=sys.stderr)
            return EXIT_CONTENT
        for path in made:
            print(path)
        return EXIT_OK
    if args.command == "build":
        return _build(args)
    return _check(args)


def _print_report(result: BuildResult, args: argparse.Namespace) -> None:
    language = result.config.language
    for line in result.report.format_lines(language, verbose=args.verbose):
        is_error = "warning: " not in line and "waarschuwing: " not in line
        if args.quiet and not is_error:
            continue
        print(line, file=sys.stderr)
    if result.report.diagnostics and not args.quiet:
        print(result.report.summary(language), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    root = args.source
    result = build(root, drafts=args.drafts, strict=args.strict, jobs=args.jobs)
    _print_report(result, args)
    if not result.ok:
        return EXIT_CONTENT
    out_dir = args.output or root / "output"
    language = result.config.language
    indexer = SearchIndexer() if result.config.search else None
    if indexer is None and not args.quiet:
        print(NOTICES["search_off"][language])
    cache = None if args.no_cache else root / CACHE_DIR
    try:
        written = write_site(result.outputs, out_dir, cache, before_swap=indexer)
    except SearchIndexError as exc:  # the new tree was dropped: output/ is as it was
        result.report.error("OUT002", "", 1, "search", problem=str(exc))
        for problem in (d for d in result.report.errors if d.code == "OUT002"):
            print(problem.format(language, verbose=args.verbose), file=sys.stderr)
        return EXIT_CONTENT
    if indexer is not None and indexer.seconds is not None:
        result.timings["search"] = indexer.seconds
    if args.timings or args.verbose:
        for stage, seconds in result.timings.items():
            print(f"{stage:>10}: {seconds:7.3f} s")
    if not args.quiet:
        state = "" if written.changed else " (unchanged)"
        total = time.perf_counter() - start
        print(f"{len(result.outputs)} files in {out_dir}{state}, {total:.2f} s")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    result = build(args.source, drafts=args.drafts, strict=args.strict, jobs=args.jobs)
    if result.ok and result.content is not None and result.index is not None:
        # Links from templates and site.yaml exist only in the built pages (in memory).
        check_site(result.outputs, result.content, result.config, args.source, result.report)
        if args.external:
            check_outside_links(
                result.content,
                result.index,
                result.config,
                args.source,
                result.report,
                timeout=args.timeout,
            )
    _print_report(result, args)
    if result.report.blocks_output(strict=args.strict) or not result.ok:
        return EXIT_CONTENT
    if not args.quiet:
        print(f"{len(result.outputs)} files checked, no errors")
    return EXIT_OK
