"""Search indexing at the end of a build: Pagefind runs on the new tree before it goes live."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import OutputFile
from generator.search import SearchIndexer, SearchIndexError
from generator.write import write_site
from tests.conftest import MakeSite

SITE = """\
title: Zoektest
base_url: https://kb.example.org/
search: {search}
"""
ARTICLE = """\
---
title: Samen leren
date: 2024-06-11
---
Leraren onderzoeken samen vragen uit de klas.
"""


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(
        {"content/articles/samen-leren.md": ARTICLE}, site_yaml=SITE.format(search="true")
    )


def test_build_writes_a_pagefind_index_in_the_site_language(site: Path) -> None:
    assert main(["build", "--source", str(site), "--quiet"]) == 0
    entry = json.loads((site / "output/pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["nl"]
    assert entry["languages"]["nl"]["page_count"] >= 1
    assert (site / "output/pagefind/pagefind.js").is_file()


def test_search_off_builds_without_index_or_page_and_says_so_once(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(
        {"content/articles/samen-leren.md": ARTICLE}, site_yaml=SITE.format(search="false")
    )
    assert main(["build", "--source", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.count("zoeken staat uit") == 1
    built = files(root / "output")
    assert not any(p.startswith(("pagefind/", "zoeken/")) for p in built)
    pages = {p: data for p, data in built.items() if p.endswith(".html")}
    for path, data in pages.items():  # no box, link or structured data leads to a search page
        assert b'role="search"' not in data, path
        assert b"/zoeken/" not in data and b"SearchAction" not in data, path


def test_failed_indexing_reports_out002_and_leaves_output_untouched(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--source", str(site), "--quiet"]) == 0
    before = files(site / "output")
    (site / "content/articles/samen-leren.md").write_text(ARTICLE.replace("klas", "school"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    assert main(["build", "--source", str(site)]) == 1
    err = capsys.readouterr().err
    assert "zoekindex kon niet gemaakt worden" in err
    assert files(site / "output") == before
    assert sorted(p.name for p in site.iterdir()) == [
        ".kennisbank-cache",
        "content",
        "output",
        "site.yaml",
    ]


def test_a_missing_pagefind_binary_is_reported_not_a_crash(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-pagefind"))
    assert main(["build", "--source", str(site), "--verbose"]) == 1
    assert "[OUT002]" in capsys.readouterr().err
    assert not (site / "output").exists()


def test_timings_show_search_indexing_as_its_own_stage(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--source", str(site), "--timings"]) == 0
    stages = [line.split(":")[0].strip() for line in capsys.readouterr().out.splitlines()]
    assert "search" in stages
    assert "render" in stages


def test_an_unchanged_site_with_search_stays_unchanged_and_keeps_its_index(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--source", str(site)]) == 0
    index_before = files(site / "output/pagefind")
    capsys.readouterr()
    assert main(["build", "--source", str(site)]) == 0
    assert "(ongewijzigd)" in capsys.readouterr().out  # the summary is in the site language
    assert files(site / "output/pagefind") == index_before


def test_a_hook_that_fails_drops_the_new_tree(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_site([OutputFile("index.html", b"old")], out)

    def fail(staged: Path) -> None:
        assert (staged / "index.html").read_bytes() == b"new"
        raise SearchIndexError("boom")

    with pytest.raises(SearchIndexError):
        write_site([OutputFile("index.html", b"new")], out, before_swap=fail)
    assert files(out) == {"index.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_indexer_records_its_time_only_after_running(tmp_path: Path) -> None:
    indexer = SearchIndexer()
    assert indexer.seconds is None
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><title>x</title></head>'
        "<body><main data-pagefind-body><p>Leraren leren samen.</p></main></body></html>"
    )
    indexer(tmp_path)
    assert indexer.seconds is not None and indexer.seconds > 0
    assert (tmp_path / "pagefind/pagefind.js").is_file()


# Pagefind 1.x writes its filter and metadata indexes in an order of its own from run to run
# (Pagefind/pagefind#638: fragments are stable since 1.3, those indexes are not), and the
# entry file names them by hash. Everything else a build writes must be byte-identical.
PAGEFIND_UNSTABLE = re.compile(
    r"pagefind/(pagefind-entry\.json|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta|filter/.+\.pf_filter)"
)


def test_two_clean_builds_with_search_differ_only_in_pagefinds_own_unstable_indexes(
    example_copy: Path,
) -> None:
    first, second = example_copy / "first", example_copy / "second"
    for out in (first, second):
        command = ["build", "--source", str(example_copy), "--output", str(out), "--quiet"]
        assert main([*command, "--no-cache"]) == 0
    one, two = files(first), files(second)
    stable = sorted(p for p in one if not PAGEFIND_UNSTABLE.fullmatch(p))
    assert stable == sorted(p for p in two if not PAGEFIND_UNSTABLE.fullmatch(p))
    assert [p for p in stable if one[p] != two[p]] == []
    assert any(p.startswith("pagefind/fragment/") for p in stable)  # the index itself is compared
    assert sum(p.endswith(".html") for p in stable) > 30
