"""The command line: exit codes, what build and check print, --quiet, --verbose, YAML carets."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.console import Console, is_interactive
from generator.diagnostics import Report
from tests.conftest import MakeSite

SITE_YAML = """\
title: Testsite
base_url: https://kb.example.org/
language: nl
search: false
"""
ARTICLE = """\
---
title: Samen leren
date: 2024-03-01
tags: [Didactiek]
summary: Over samen leren.
---
Bij samen leren leren leerlingen van elkaar.
"""
TERM = """\
---
term: Samen leren
summary: Leren van en met elkaar.
---
Uitleg.
"""
NO_SUMMARY = "---\ntitle: Zonder\ndate: 2024-03-02\ntags: [Didactiek]\n---\nTekst.\n"


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(
        {"content/articles/samen-leren.md": ARTICLE, "content/glossary/samen-leren.md": TERM},
        site_yaml=SITE_YAML,
    )


@pytest.fixture(autouse=True)
def plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")  # as in CI: plain lines, no colour


def test_build_ends_with_a_summary_of_pages_per_kind_warnings_and_time(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"Klaar: {len(list((site / 'output').rglob('*.*')))} bestanden")
    assert "1 artikel, 1 begrip, " in summary
    assert "1 tagpagina" not in summary and "2 tagpagina's" in summary  # the tag and the index
    assert "0 waarschuwingen" in summary and summary.endswith(" s")
    assert "[1/5] load" in err and "[5/5] write" in err  # plain stage lines in CI


def test_build_with_an_error_exits_1_writes_nothing_and_says_so(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/articles/kapot.md").write_text("---\ntitle: Kapot\n---\nTekst.\n")
    assert main(["build", "--source", str(site)]) == 1
    out, err = capsys.readouterr()
    assert "content/articles/kapot.md:3: date: verplicht veld ontbreekt" in err
    assert out.strip().startswith("Niets geschreven: 1 fout")
    assert not (site / "output").exists()


def test_a_yaml_mistake_shows_the_line_with_a_caret_under_the_column(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = ARTICLE.replace("title: Samen leren", "title: Samen: leren")
    (site / "content/articles/samen-leren.md").write_text(broken)
    assert main(["build", "--source", str(site)]) == 1
    lines = capsys.readouterr().err.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("content/articles/")))
    assert lines[at].startswith("content/articles/samen-leren.md:2: ongeldige YAML")
    assert "dubbele punt" in lines[at]  # explained in Dutch, not PyYAML's English
    assert lines[at + 1] == "  2 | title: Samen: leren"
    assert lines[at + 2] == "    |             ^"
    assert lines[at + 2].index("^") == lines[at + 1].index(": leren")  # under the second colon


def test_a_yaml_mistake_in_site_yaml_shows_its_line_and_caret(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({}, site_yaml="title: Test\nbase_url: 'https://x.org/\nlanguage: en\n")
    assert main(["build", "--source", str(root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("site.yaml:")))
    # An unclosed quote is shown where it opens, not at the end of the file.
    assert lines[at].startswith("site.yaml:2: ongeldige YAML: een tekst tussen aanhalingstekens")
    assert lines[at + 1 :] == ["  2 | base_url: 'https://x.org/", "    |           ^"]


def test_quiet_prints_errors_only(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content/articles/zonder.md").write_text(NO_SUMMARY)
    assert main(["check", "--quiet", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    (site / "content/articles/kapot.md").write_text("---\ntitle: Kapot\n---\nTekst.\n")
    assert main(["check", "--quiet", "--source", str(site)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0].startswith("content/articles/kapot.md:3: date:")
    assert "waarschuwing" not in err and "Redactierapport" not in err


def test_verbose_prints_codes_and_stage_timings(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/articles/zonder.md").write_text(NO_SUMMARY)
    assert main(["check", "--verbose", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    assert "content/articles/zonder.md:5: [MD004] waarschuwing: summary:" in err
    for stage in ("load", "validate", "index", "render"):
        assert f"{stage:>10}: " in out


def test_check_ends_with_the_editors_report_and_strict_fails_on_its_warnings(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/articles/zonder.md").write_text(NO_SUMMARY)
    assert main(["check", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    report = err[err.index("Redactierapport") :].splitlines()
    assert report[1:] == [
        "  Kapotte links en ankers: geen",
        "  Begrippen die in geen enkel artikel voorkomen: geen",
        "  Artikelen zonder tags waar niets naar linkt: geen",
        "  Samenvattingen die uit de eerste alinea komen: 1",
        "    content/articles/zonder.md:5: waarschuwing: summary: geen samenvatting: de eerste"
        " alinea wordt gebruikt (voeg `summary:` toe voor een betere samenvatting)",
        "  Aliassen die verdacht vaak of alleen in koppen voorkomen: geen",
    ]
    assert "0 fouten, 1 waarschuwing" in out
    assert main(["check", "--strict", "--source", str(site)]) == 1
    assert "--strict: waarschuwingen tellen als fouten" in capsys.readouterr().out


def test_build_leaves_the_editors_advice_out(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/articles/zonder.md").write_text(NO_SUMMARY)
    assert main(["build", "--strict", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    assert "MD004" not in err and "samenvatting" not in err and "0 waarschuwingen" in out


def test_check_with_errors_shows_no_misleading_none_in_the_report(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/articles/kapot.md").write_text("---\ntitle: Kapot\n---\nTekst.\n")
    assert main(["check", "--source", str(site)]) == 1
    out, err = capsys.readouterr()
    assert ": geen" not in err
    assert "de rest van het rapport volgt als de fouten hersteld zijn" in err
    assert out.strip().startswith("Nog niet klaar om te publiceren: 1 fout")


def test_check_never_touches_output(site: Path) -> None:
    output = site / "output"
    output.mkdir()
    (output / "index.html").write_text("not a real site")
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*")}
    assert main(["check", "--source", str(site)]) == 0
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*")} == before
    assert not list(site.glob(".output*"))


def _command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` as its own process, without a terminal or stdin."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_new_and_init_run_without_a_terminal_and_never_prompt(tmp_path: Path) -> None:
    env = {**os.environ, "CI": "true"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return _command(*args, env=env)

    made = run("init", str(tmp_path / "site"))
    assert made.returncode == 0, made.stderr
    added = run("new", "article", "Een nieuw artikel", "--source", str(tmp_path / "site"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip().endswith("content/articles/een-nieuw-artikel.md")
    again = run("new", "article", "Een nieuw artikel", "--source", str(tmp_path / "site"))
    assert again.returncode == 1 and "exists already" in again.stderr


def test_the_command_flushes_everything_and_exits_with_the_command_s_code(site: Path) -> None:
    # build and check end with os._exit (cli.run): what they print must be out, with the code.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return _command(*args, "--source", str(site), env=env)

    added = command("new", "article", "Nog een artikel")  # exits the ordinary way
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip().endswith("content/articles/nog-een-artikel.md")
    built = command("build", "--timings", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    assert "render:" in built.stdout + built.stderr  # among the last lines a build prints
    assert (site / "output" / "index.html").is_file()
    checked = command("check", "--jobs", "1")
    assert checked.returncode == 0, checked.stderr
    article = site / "content" / "articles" / "samen-leren.md"
    article.write_text("---\ntitle: [kapot\n---\nTekst.\n", encoding="utf-8")
    for failed in (command("build", "--jobs", "1"), command("check", "--jobs", "1")):
        assert failed.returncode == 1
        assert "content/articles/samen-leren.md:2:" in failed.stderr


def test_plain_lines_in_ci_and_in_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not is_interactive(io.StringIO())
    assert not is_interactive(Terminal())  # CI=true (autouse fixture)
    monkeypatch.setenv("CI", "")
    assert is_interactive(Terminal())


def test_a_progress_bar_on_a_terminal_leaves_no_stage_lines_behind() -> None:
    err = io.StringIO()
    console = Console(err=err, out=io.StringIO(), interactive=True)
    with console.progress() as progress:
        for stage in ("load", "validate", "index", "render", "write"):
            progress(stage)
    assert "[1/5]" not in err.getvalue()


def test_errors_repeated_at_one_line_show_its_source_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: x\n---\n{{ kapot }}\n")
    report = Report()
    for page in ("/a/", "/b/"):
        report.error("TPL001", "a.md", 4, "", problem="kapot", page=page)
    err = io.StringIO()
    Console(err=err, interactive=False).report(report, "nl", tmp_path)
    assert err.getvalue().count("4 | {{ kapot }}") == 1


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_command_the_process_ends_after_leaves_its_build_to_the_exit(
    site: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Freeing a site's objects one by one is wasted on a process that is ending: `run`
    exits without it. Within the process (serve, tests) they are freed as usual."""
    from generator import cli
    from generator.build import BuildResult

    left: list[object] = []
    monkeypatch.setattr(cli, "_LEFT_FOR_EXIT", left)
    assert main([command, "--source", str(site), "--quiet"]) == 0
    assert left == []
    collecting = gc.isenabled()
    try:
        assert main([command, "--source", str(site), "--quiet"], ending=True) == 0
    finally:  # `ending` also leaves the cycle collector off: not for the tests after this one
        if collecting:
            gc.enable()
    [kept] = left
    assert isinstance(kept, list) and kept
    assert all(isinstance(r, BuildResult) for r in kept)
