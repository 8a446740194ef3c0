"""Whole-process benchmark of kennisbank, with Hugo and Eleventy as anchors.

    python bench/run.py --size small --runs 5 [--kennisbank CMD] [--with-hugo]
        [--with-eleventy] [--scenarios cold,nochange,edit-article,edit-term,check]
        [--timings] [--jobs N]

Each measurement is one command, timed from spawn to exit (wall seconds) while
a thread samples the summed RSS of the process and all its descendants every
--sample-ms (peak MiB). Tools are run in alternation (kennisbank, hugo,
hugo-related, eleventy, eleventy-related, then again), so drift on the machine
hits all of them alike, and ratios are medians of the per-round ratios.

Scenarios (kennisbank; the anchors have no build cache, so for them every
build scenario is a full build, and "check" is the closest dry run):
- cold: output folder and .kennisbank-cache deleted before each run;
- nochange: rebuild with a warm cache and nothing changed;
- edit-article: one sentence appended to one article's body;
- edit-term: one glossary term's summary changed (its tooltip is in every
  article that uses the term).
- check: ``kennisbank check`` (Hugo: --renderToMemory; Eleventy: --dryrun).
Edits are undone after each run and, for a tool with a cache, followed by an
untimed build, so every edit run sees exactly one changed file.

Results go to stdout and to WORK/results.md and WORK/results.json (WORK is
--work, default /tmp/kb-bench/<size>-s<seed>).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import anchors
import corpus

SCENARIOS = ("cold", "nochange", "edit-article", "edit-term", "check")
# Edits add new text each run (edit_marker): a content-addressed cache must not recognise it.
ARTICLE_EDIT = "Deze zin is toegevoegd om een kleine wijziging te meten"
TERM_EDIT = "Bijgewerkt"
MIB = 1024 * 1024
# A --timings line, e.g. "   related:   0.412 s" (kennisbank prints them on stderr).
STAGE_LINE = re.compile(r"^\s*([A-Za-z][\w .-]*?)\s*:\s*([0-9]+(?:\.[0-9]+)?)\s*s\s*$", re.M)


@dataclass
class Sample:
    """One measured command."""

    wall_s: float
    cpu_s: float  # user + system time of the process and the children it waited for
    peak_rss_mib: float  # summed over the process tree, sampled
    max_single_rss_mib: float  # largest single process (kernel rusage): a floor for the sum
    returncode: int
    output: str = ""  # stdout then stderr, kept with --timings
    stages: dict[str, float] = field(default_factory=dict)  # parsed "stage: 1.234 s" lines


@dataclass
class Tool:
    """How to build, check and clean one generator on the benchmark corpus."""

    name: str
    build: list[str]
    check: list[str] | None
    content: Path  # folder holding articles/, glossary/ ... as this tool reads them
    clean: list[Path]  # deleted before a cold run (output, caches)
    has_cache: bool  # an incremental builder: undoing an edit needs a resync build
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    keep_output: bool = False
    samples: dict[str, list[Sample]] = field(default_factory=dict)


def measure(cmd: list[str], tool: Tool, interval: float) -> Sample:
    """Run cmd to completion; wall time and peak summed RSS of its process tree."""
    peak = 0
    done = threading.Event()

    def sample(pid: int) -> None:
        nonlocal peak
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):  # a child may exit between the calls
                    total += p.memory_info().rss
            peak = max(peak, total)
            done.wait(interval)

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=tool.cwd, env={**os.environ, **tool.env}, stdout=out, stderr=err
        )
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace").strip()
    output = (stdout.rstrip() + "\n" + stderr).strip() if tool.keep_output else ""
    if proc.returncode != 0:
        print(f"  ! {tool.name}: exit {proc.returncode}: {shlex.join(cmd)}", file=sys.stderr)
        print(f"    {stderr[-1500:]}", file=sys.stderr)
    single = usage.ru_maxrss * 1024  # KiB on Linux
    return Sample(
        wall_s=round(wall, 4),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mib=round(max(peak, single) / MIB, 1),
        max_single_rss_mib=round(single / MIB, 1),
        returncode=proc.returncode,
        output=output,
        stages={m[1]: float(m[2]) for m in STAGE_LINE.finditer(output)},
    )


def quiet_run(cmd: list[str], tool: Tool) -> None:
    """An untimed run (warm-up, resync after an undone edit)."""
    result = subprocess.run(
        cmd,
        cwd=tool.cwd,
        env={**os.environ, **tool.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        print(
            f"  ! {tool.name}: untimed run failed: {result.stderr.decode()[-800:]}", file=sys.stderr
        )


# ---------------------------------------------------------------- edits


def edit_marker() -> str:
    """A word never used before, so no cache can have seen the edited text (even across runs)."""
    return f"meting-{time.time_ns():x}"


def append_sentence(text: str) -> str:
    """A real content edit of an article: one more sentence at the end of the body."""
    return f"{text.rstrip()}\n\n{ARTICLE_EDIT} ({edit_marker()}).\n"


def change_summary(text: str) -> str:
    """A real content edit of a term: its summary (tooltip text) gets longer."""
    addition = f" {TERM_EDIT} ({edit_marker()})."

    def edit(m: re.Match[str]) -> str:
        value = m.group(1)
        if value.startswith('"') and value.endswith('"'):
            return f'summary: {value[:-1]}{addition}"'
        return f"summary: {value}{addition}"

    new, n = re.subn(r"^summary: (.*)$", edit, text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit("edit-term: the chosen term has no summary line")
    return new


# ---------------------------------------------------------------- scenarios


class Bench:
    """Runs the scenarios over the tools in alternation and keeps the samples."""

    def __init__(
        self, tools: list[Tool], manifest: dict[str, Any], runs: int, interval: float
    ) -> None:
        self.tools = tools
        self.runs = runs
        self.interval = interval
        self.edits: dict[str, tuple[str, Callable[[str], str]]] = {
            "edit-article": (manifest["edit_article"], append_sentence),
            "edit-term": (manifest["edit_term"], change_summary),
        }

    def run(self, scenario: str) -> None:
        """All rounds of one scenario: each round runs every tool once, in the same order."""
        for tool in self.tools:
            tool.samples[scenario] = []
            if scenario != "cold" and tool.has_cache:
                quiet_run(tool.build, tool)  # a warm, in-sync cache
        for n in range(self.runs):
            for tool in self.tools:
                if scenario == "check" and tool.check is None:
                    continue
                sample = self.once(tool, scenario)
                tool.samples[scenario].append(sample)
                failed = "" if sample.returncode == 0 else f"  exit {sample.returncode}"
                print(
                    f"  {scenario:12} run {n + 1}/{self.runs} {tool.name:17}"
                    f" {sample.wall_s:8.2f} s {sample.cpu_s:8.2f} s CPU"
                    f" {sample.peak_rss_mib:8.1f} MiB{failed}",
                    file=sys.stderr,
                )

    def once(self, tool: Tool, scenario: str) -> Sample:
        """Prepare, measure and undo one run of one tool."""
        if scenario == "cold":
            for path in tool.clean:
                shutil.rmtree(path, ignore_errors=True)
        if scenario == "check" and tool.check is not None:
            return measure(tool.check, tool, self.interval)
        if scenario not in self.edits:
            return measure(tool.build, tool, self.interval)
        rel, edit = self.edits[scenario]
        target = tool.content / Path(rel).relative_to("content")
        original = target.read_bytes()
        target.write_text(edit(original.decode("utf-8")), encoding="utf-8")
        try:
            return measure(tool.build, tool, self.interval)
        finally:
            target.write_bytes(original)
            if tool.has_cache:
                quiet_run(tool.build, tool)  # the cache in step with the restored file


# ---------------------------------------------------------------- report


def stats(samples: list[Sample]) -> dict[str, float] | None:
    """Median, min and max of the successful samples."""
    ok = [s for s in samples if s.returncode == 0]
    if not ok:
        return None
    walls = [s.wall_s for s in ok]
    mems = [s.peak_rss_mib for s in ok]
    cpus = [s.cpu_s for s in ok]
    return {
        "runs": len(ok),
        "wall_median": statistics.median(walls),
        "wall_min": min(walls),
        "wall_max": max(walls),
        "cpu_median": statistics.median(cpus),
        "rss_median": statistics.median(mems),
        "rss_max": max(mems),
    }


def ratios(base: list[Sample], other: list[Sample]) -> tuple[float, float] | None:
    """Median of per-round ratios base/other (time, memory), over rounds where both succeeded."""
    pairs = [
        (a, b) for a, b in zip(base, other, strict=False) if a.returncode == 0 and b.returncode == 0
    ]
    if not pairs:
        return None
    return (
        statistics.median(a.wall_s / b.wall_s for a, b in pairs),
        statistics.median(a.peak_rss_mib / b.peak_rss_mib for a, b in pairs),
    )


def report(tools: list[Tool], scenarios: list[str], header: dict[str, object]) -> str:
    """The Markdown results: one table of figures, one of ratios, then --timings output."""
    lines = ["# kennisbank benchmark results", ""]
    lines += [f"- {k}: {v}" for k, v in header.items()]
    lines += [
        "",
        "| scenario | tool | runs | wall median (s) | min | max | CPU median (s) "
        "| peak RSS median (MiB) | max |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for sc in scenarios:
        for tool in tools:
            st = stats(tool.samples.get(sc, []))
            if st is None:
                note = "n/a" if sc == "check" and tool.check is None else "failed"
                lines.append(f"| {sc} | {tool.name} | 0 | {note} | | | | | |")
                continue
            lines.append(
                f"| {sc} | {tool.name} | {st['runs']} | {st['wall_median']:.2f} "
                f"| {st['wall_min']:.2f} | {st['wall_max']:.2f} | {st['cpu_median']:.2f} "
                f"| {st['rss_median']:.0f} | {st['rss_max']:.0f} |"
            )
    base = next((t for t in tools if t.name == "kennisbank"), None)
    others = [t for t in tools if t is not base]
    if base and others:
        lines += [
            "",
            "Ratios kennisbank / anchor, medians of the per-round ratios"
            " (below 1: kennisbank is faster or smaller):",
            "",
            "| scenario | "
            + " | ".join(f"time vs {t.name} | memory vs {t.name}" for t in others)
            + " |",
            "|---|" + "---:|---:|" * len(others),
        ]
        for sc in scenarios:
            cells = []
            for t in others:
                r = ratios(base.samples.get(sc, []), t.samples.get(sc, []))
                cells += [f"{r[0]:.2f}", f"{r[1]:.2f}"] if r else ["n/a", "n/a"]
            lines.append(f"| {sc} | " + " | ".join(cells) + " |")
    if base and base.keep_output:
        lines += stage_report(base, scenarios)
    return "\n".join(lines) + "\n"


def stage_report(tool: Tool, scenarios: list[str]) -> list[str]:
    """Median time of each --timings stage per scenario, then the first run's output verbatim."""
    lines = ["", "## kennisbank --timings", "", "| scenario | stage | median s | min | max |"]
    lines.append("|---|---|---:|---:|---:|")
    for sc in scenarios:
        runs = [s for s in tool.samples.get(sc, []) if s.returncode == 0]
        for stage in dict.fromkeys(k for s in runs for k in s.stages):
            times = [s.stages[stage] for s in runs if stage in s.stages]
            lines.append(
                f"| {sc} | {stage} | {statistics.median(times):.3f} "
                f"| {min(times):.3f} | {max(times):.3f} |"
            )
    for sc in scenarios:
        first = next((s for s in tool.samples.get(sc, []) if s.output), None)
        if first:
            lines += ["", f"{sc}, first run:", "", "```", first.output, "```"]
    return lines


# ---------------------------------------------------------------- setup


def read_manifest(site: Path) -> dict[str, Any] | None:
    """The corpus manifest written by corpus.py, if there is one."""
    path = site / corpus.MANIFEST
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def ensure_corpus(site: Path, size: str, seed: int, jobs: int, regen: bool) -> dict[str, Any]:
    """The corpus manifest, generating the corpus if it is missing or of another size/seed."""
    data = None if regen else read_manifest(site)
    wanted = (size, seed, corpus.FORMAT_VERSION)
    if data and (data.get("size"), data.get("seed"), data.get("format_version")) == wanted:
        return data
    print(f"generating the {size} corpus (seed {seed}) in {site}", file=sys.stderr)
    script = str(Path(corpus.__file__))
    cmd = [sys.executable, script, "--size", size, "--seed", str(seed), "--out", str(site)]
    subprocess.run([*cmd, "--jobs", str(jobs)], check=True, stdout=subprocess.DEVNULL)
    data = read_manifest(site)
    if data is None:
        raise SystemExit(f"corpus.py wrote no manifest in {site}")
    return data


def make_tools(
    args: argparse.Namespace, site: Path, work: Path, manifest: dict[str, Any]
) -> list[Tool]:
    """kennisbank and the requested anchors, with their prepared work folders."""
    tools: list[Tool] = []
    if args.kennisbank:
        kb = shlex.split(args.kennisbank)
        out = work / "out-kennisbank"
        build = [*kb, "build", "--source", str(site), "--output", str(out)]
        if args.jobs:
            build += ["--jobs", str(args.jobs)]
        if args.timings:
            build.append("--timings")
        if not args.no_quiet:
            build.append("--quiet")
        check = [*kb, "check", "--source", str(site)] + ([] if args.no_quiet else ["--quiet"])
        tools.append(
            Tool(
                "kennisbank",
                build,
                check,
                site / "content",
                # .<out>.spare: the tree the last swap retired, which write.py reuses
                [out, out.parent / f".{out.name}.spare", site / ".kennisbank-cache"],
                True,
                keep_output=args.timings,
            )
        )
    if args.with_hugo:
        root = anchors.prepare_hugo(site, work, manifest)
        hugo = anchors.hugo_binary()
        for variant, config in (("hugo", "hugo.toml"), ("hugo-related", "hugo.toml,related.toml")):
            out, cache = work / f"out-{variant}", work / f"cache-{variant}"
            base = [
                hugo,
                "--source",
                str(root),
                "--config",
                config,
                "--cacheDir",
                str(cache),
                "--quiet",
            ]
            tools.append(
                Tool(
                    variant,
                    [*base, "--destination", str(out)],
                    [*base, "--renderToMemory"],
                    root / "content",
                    [out, cache, root / "resources"],
                    False,
                )
            )
    if args.with_eleventy:
        root = anchors.prepare_eleventy(site, work, manifest)
        cmd = anchors.eleventy_command()
        for variant, related in (("eleventy", "0"), ("eleventy-related", "1")):
            out = work / f"out-{variant}"
            base = [*cmd, "--config=eleventy.config.mjs", "--quiet"]
            tools.append(
                Tool(
                    variant,
                    [*base, f"--output={out}"],
                    [*base, f"--output={out}", "--dryrun"],
                    root / "src",
                    [out, root / ".cache"],
                    False,
                    cwd=root,
                    env={"KB_BENCH_RELATED": related},
                )
            )
    return tools


def versions(args: argparse.Namespace) -> dict[str, str]:
    """Tool versions for the results header."""
    out: dict[str, str] = {}
    if args.with_hugo:
        text = subprocess.run(
            [anchors.hugo_binary(), "version"], capture_output=True, text=True
        ).stdout
        out["hugo"] = text.split()[1] if text else "?"
    if args.with_eleventy:
        out["eleventy"] = anchors.eleventy_version()
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(corpus.SIZES), default="small")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="comma-separated subset of " + ",".join(SCENARIOS),
    )
    ap.add_argument(
        "--kennisbank", default="kennisbank", help="command to run kennisbank ('' to leave it out)"
    )
    ap.add_argument(
        "--jobs", type=int, default=0, help="pass --jobs N to kennisbank build (0: its default)"
    )
    ap.add_argument(
        "--timings",
        action="store_true",
        help="pass --timings to kennisbank build; report its stage times",
    )
    ap.add_argument("--no-quiet", action="store_true", help="do not pass --quiet to kennisbank")
    ap.add_argument("--with-hugo", action="store_true")
    ap.add_argument("--with-eleventy", action="store_true")
    ap.add_argument("--work", type=Path, help="work folder (default /tmp/kb-bench/<size>-s<seed>)")
    ap.add_argument("--regen", action="store_true", help="regenerate the corpus even if present")
    ap.add_argument("--sample-ms", type=float, default=25.0, help="RSS sampling interval")
    args = ap.parse_args(argv)

    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    work: Path = args.work or Path("/tmp/kb-bench") / f"{args.size}-s{args.seed}"
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    manifest = ensure_corpus(site, args.size, args.seed, os.cpu_count() or 1, args.regen)
    tools = make_tools(args, site, work, manifest)
    if not tools:
        ap.error("nothing to measure: give --kennisbank CMD, --with-hugo or --with-eleventy")

    header: dict[str, object] = {
        "corpus": f"{args.size} (seed {args.seed}): {manifest['counts']}, "
        f"{manifest['words_per_article']['total']:,} words",
        "edit-term": f"{manifest['edit_term']} (used by {manifest['edit_term_used_by']} articles)",
        "runs": args.runs,
        "machine": f"{platform.platform()}, {os.cpu_count()} cpus, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
        "kennisbank": args.kennisbank or "-",
        **versions(args),
    }
    # Installed packages have their bytecode (pip compiles it). With this set, every timed
    # run of an editable install compiled each module changed since its .pyc: 0.1 s.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print("warm-up (untimed: file cache, binaries, bytecode)", file=sys.stderr)
    for tool in tools:
        quiet_run(tool.build, tool)
    bench = Bench(tools, manifest, args.runs, args.sample_ms / 1000)
    for sc in scenarios:
        bench.run(sc)

    text = report(tools, scenarios, header)
    print(text)
    (work / "results.md").write_text(text, encoding="utf-8")
    raw = {
        "header": header,
        "scenarios": scenarios,
        "commands": {t.name: {"build": t.build, "check": t.check} for t in tools},
        "samples": {
            t.name: {sc: [asdict(s) for s in ss] for sc, ss in t.samples.items()} for t in tools
        },
    }
    (work / "results.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    print(f"results: {work / 'results.md'} and results.json", file=sys.stderr)
    failed = any(s.returncode for t in tools for ss in t.samples.values() for s in ss)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
