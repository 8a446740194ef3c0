"""Command line: parse argv, run the build, print the report, choose the exit code.

Exit codes: 0 success, 1 content errors (or warnings with --strict), 2 a crash
or an unusable environment (with a traceback: that is a bug or the machine).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import traceback
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.collector import collector_paused
from generator.console import STAGES, Console
from generator.messages import NOTICES
from generator.scaffold import KINDS, ScaffoldError, init_site, new_item

# build, check and serve import the pipeline when they run: `new`, `init` and
# --help stay fast without it (numpy, scipy and ICU take over a second to load).

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

    s = sub.add_parser("serve", help="preview on 127.0.0.1, rebuilding and reloading on save")
    common(s)
    s.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    return parser


QUICK_EXIT = frozenset({"build", "check"})  # one build, then the process ends


def run() -> NoReturn:
    """The `kennisbank` command: main(), then for build and check an exit that skips the
    interpreter's teardown.

    A build leaves millions of objects behind. Collecting them when the cycle
    collector is turned back on, then freeing them one by one at exit, took
    0.09 s of a 2 s rebuild of 10,000 articles, for a process that is ending
    anyway. Their caches and workers are closed by then; output is flushed
    first. Other commands (serve, whose builder may still be running) exit
    normally.
    """
    argv = sys.argv[1:]
    quick = bool(argv) and argv[0] in QUICK_EXIT
    code = main(argv, ending=quick)
    if quick:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
                stream.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None, *, ending: bool = False) -> int:
    """Run one command; `ending`: the process ends right after (see run)."""
    args = _parser().parse_args(argv)
    console = Console(
        quiet=getattr(args, "quiet", False),
        verbose=getattr(args, "verbose", False),
        timings=getattr(args, "timings", False),
        # serve prints its URL first on stdout; everything else of it goes to stderr
        out=sys.stderr if args.command == "serve" else None,
    )
    try:
        return _run(args, console, ending)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug or the environment: show everything, distinct exit code
        traceback.print_exc()
        return EXIT_CRASH


def _run(args: argparse.Namespace, console: Console, ending: bool) -> int:
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
    if args.command == "serve":
        return _serve(args, console)
    kept: list[object] = []  # the build's result
    with collector_paused(resume=not ending):  # one build, then the process ends
        code = (
            _build(args, console, kept) if args.command == "build" else _check(args, console, kept)
        )
    if ending:
        # Left for the exit (see run): freeing the site's objects one by one when the
        # build returned took a rebuild of 10,000 articles 0.07 s.
        _LEFT_FOR_EXIT.append(kept)
    return code


_LEFT_FOR_EXIT: list[object] = []


def _build(args: argparse.Namespace, console: Console, kept: list[object]) -> int:
    from generator.build import build
    from generator.cache import CacheError
    from generator.publish import publish_site, safe_output
    from generator.summary import build_summary, failed_summary
    from generator.write import output_check

    start = time.perf_counter()
    root = args.source
    out_dir = args.output or root / "output"
    cache = None if args.no_cache else root / CACHE_DIR
    written = None
    # output/ and its spare tree are checked beside the build; the check answers one write
    # (after a damaged cache file, the second write checks for itself).
    check = output_check(out_dir, cache) if safe_output(out_dir, root, root / CACHE_DIR) else None
    with console.progress() as progress, check or nullcontext():
        for fresh in (args.no_cache, True):  # a damaged cache found while writing: once more anew
            result = build(
                root,
                drafts=args.drafts,
                strict=args.strict,
                jobs=args.jobs,
                progress=progress,
                cache_dir=root / CACHE_DIR,
                fresh_cache=fresh,
                reuse_unchanged=True,
            )
            kept[:] = [result]  # the last build only (a retry after a damaged cache)
            try:
                if result.ok and not safe_output(out_dir, root, root / CACHE_DIR):
                    result.report.error("OUT003", "", 1, "--output", out=out_dir)
                elif result.ok:
                    progress("write")
                    written = publish_site(result, out_dir, cache, check)
                break
            except CacheError:
                continue
            finally:
                result.close()
    language = result.config.language
    console.report(result.report, language, root)
    console.timings(result.timings)
    elapsed = time.perf_counter() - start
    if written is None:
        console.summary(failed_summary(result, elapsed=elapsed))
        return EXIT_CONTENT
    if not result.config.search:
        console.notice(NOTICES["search_off"][language])
    console.summary(
        build_summary(result, out=str(out_dir), changed=written.changed, elapsed=elapsed)
    )
    return EXIT_OK


def _check(args: argparse.Namespace, console: Console, kept: list[object]) -> int:
    """Build in memory (output/ is never touched), check the built pages, print the report."""
    from generator.build import build
    from generator.cache import CacheError
    from generator.editorial import add_editorial_warnings
    from generator.outside_links import check_outside_links
    from generator.sitecheck import check_site
    from generator.summary import check_summary

    start = time.perf_counter()
    for fresh in (False, True):  # a damaged cached page found while checking: once more anew
        with console.progress(STAGES[:-1]) as progress:
            # Not strict here: a warning must not stop the build, or the checks after it
            # would not run. What a build left in the cache is reused, nothing is written.
            result = build(
                args.source,
                drafts=args.drafts,
                jobs=args.jobs,
                progress=progress,
                cache_dir=args.source / CACHE_DIR,
                fresh_cache=fresh,
                write_cache=False,
            )
        kept[:] = [result]  # the last build only (a retry after a damaged cached page)
        if not (result.ok and result.content is not None and result.index is not None):
            break
        try:
            # Links from templates and site.yaml exist only in the built pages (in memory).
            check_site(
                result.outputs,
                result.content,
                result.config,
                args.source,
                result.report,
                jobs=args.jobs,
            )
            break
        except CacheError:
            result.close()
    result.close()
    complete = result.ok and result.content is not None and result.index is not None
    if result.ok and result.content is not None and result.index is not None:
        if args.external:
            check_outside_links(
                result.content,
                result.index,
                result.config,
                args.source,
                result.report,
                timeout=args.timeout,
            )
        # Advice about a site with errors would be partly wrong: only for a site that built.
        add_editorial_warnings(result.content, result.index, result.report)
    language = result.config.language
    console.editors_report(result.report, language, args.source, complete=complete)
    console.timings(result.timings)
    elapsed = time.perf_counter() - start
    console.summary(check_summary(result, elapsed=elapsed, strict=args.strict))
    if not result.ok or result.report.blocks_output(strict=args.strict):
        return EXIT_CONTENT
    return EXIT_OK


def _serve(args: argparse.Namespace, console: Console) -> int:
    from generator.serve import ServeOptions, serve

    options = ServeOptions(
        root=args.source,
        port=args.port,
        drafts=args.drafts,
        strict=args.strict,
        jobs=args.jobs,
        cache_dir=args.source / CACHE_DIR,
    )
    return serve(options, console)
