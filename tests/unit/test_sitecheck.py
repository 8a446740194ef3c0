"""`kennisbank check`: every internal link and #anchor of the built site, in memory."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from generator import sitecheck
from generator.build import BuildResult, build
from generator.cli import main
from generator.diagnostics import Report
from generator.outputs import OutputFile
from generator.sitecheck import SiteCheck, check_site
from tests.conftest import MakeSite

BROKEN_SITE = Path(__file__).resolve().parent.parent / "sites" / "links-broken"

ARTICLE = "---\ntitle: A\ndate: 2024-01-01\n---\n"
FOOTER = """\
<footer class="site-footer">
<div class="wrap">
{links}
</div>
</footer>
"""


def _check(root: Path) -> tuple[Report, SiteCheck]:
    result = build(root, jobs=1)
    assert result.ok and result.content is not None, result.report.format_lines()
    report = Report()
    stats = check_site(result.outputs, result.content, result.config, root, report)
    return report, stats


def _problems(report: Report) -> list[tuple[str, int, str, str]]:
    return [(d.path, d.line, d.code, dict(d.params)["target"]) for d in report]


def test_the_example_site_has_no_broken_links(example_build: BuildResult) -> None:
    assert example_build.content is not None
    report = Report()
    stats = check_site(
        example_build.outputs, example_build.content, example_build.config, Path(), report
    )
    assert report.format_lines() == []
    assert stats.broken == 0
    assert stats.links > 1000  # every page's menu, breadcrumbs, cards and body links


def test_every_deliberate_mistake_is_reported_where_it_was_written() -> None:
    """Links the build cannot see: site.yaml menu, a template override, absolute links and
    anchors in Markdown. Each is reported once, at its own file and line."""
    report, stats = _check(BROKEN_SITE)
    expected = (BROKEN_SITE / "expected.txt").read_text("utf-8").splitlines()
    assert report.format_lines("nl") == expected
    assert stats.broken > len(expected)  # the menu and footer links are on every page


def test_check_command_reports_broken_links_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(BROKEN_SITE, site)
    assert main(["check", "--source", str(site)]) == 1
    err = capsys.readouterr().err
    for line in (BROKEN_SITE / "expected.txt").read_text("utf-8").splitlines():
        assert line in err
    assert sorted(p.name for p in site.iterdir()) == [
        "content",
        "expected.txt",
        "site.yaml",
        "templates",
    ]


def test_check_command_passes_the_example_site_without_touching_output(
    example_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example_copy / "output").mkdir()
    (example_copy / "output" / "stale.html").write_text('<a href="/nergens/">x</a>', "utf-8")
    assert main(["check", "--quiet", "--source", str(example_copy)]) == 0
    assert capsys.readouterr().err == ""  # --quiet prints errors only: there are none
    assert [p.name for p in (example_copy / "output").iterdir()] == ["stale.html"]
    assert not (example_copy / ".kennisbank-cache").exists()


def test_links_respect_the_base_path_of_base_url(make_site: MakeSite) -> None:
    body = (
        "[goed](/kennisbank/artikelen/b/) [fout](/artikelen/b/)\n"
        "[map](/kennisbank/artikelen) [thuis](/kennisbank/) [zonder](/kennisbank)\n"
    )
    root = make_site(
        {"content/articles/a.md": ARTICLE + body, "content/articles/b.md": ARTICLE},
        site_yaml="title: T\nbase_url: https://org.github.io/kennisbank/\n",
    )
    report, _ = _check(root)
    assert _problems(report) == [("content/articles/a.md", 5, "LNK005", "/artikelen/b/")]


def test_absolute_urls_of_the_site_itself_are_checked(make_site: MakeSite) -> None:
    body = (
        "[goed](https://kb.example.org/artikelen/b/) [fout](https://kb.example.org/nergens/)\n"
        "[ook fout](http://KB.example.org:80/weg/) [elders](https://elders.example/nergens/)\n"
        "[mail](mailto:a@example.org) [bel](tel:+31201234567)\n"
    )
    root = make_site({"content/articles/a.md": ARTICLE + body, "content/articles/b.md": ARTICLE})
    report, _ = _check(root)
    assert _problems(report) == [
        ("content/articles/a.md", 5, "LNK005", "https://kb.example.org/nergens/"),
        ("content/articles/a.md", 6, "LNK005", "http://KB.example.org:80/weg/"),
    ]


def test_anchors_are_checked_against_the_built_target_page(make_site: MakeSite) -> None:
    body = (
        "[sectie](/themas/t/#kb-section-1) [kop](/artikelen/b/#de-kop)\n"
        "[weg](/artikelen/b/#weg) [vraag](/artikelen/b/?x=1#de-kop) [feed](/feed.xml#x)\n"
    )
    theme = "---\ntitle: T\nsections:\n  - title: Een\n    links: []\n---\n"
    root = make_site(
        {
            "content/articles/a.md": ARTICLE + body,
            "content/articles/b.md": ARTICLE + "## De kop\n",
            "content/themes/t.md": theme,
        }
    )
    report, _ = _check(root)
    assert report.format_lines() == [
        "content/articles/a.md:6: link: broken anchor in the built page /artikelen/a/:"
        " /artikelen/b/#weg (the page has no element with id 'weg')"
    ]


def test_template_links_built_from_expressions_are_reported_once(make_site: MakeSite) -> None:
    footer = FOOTER.format(links='<a href="{{ site.home }}weg/">Weg</a>')
    root = make_site({"content/articles/a.md": ARTICLE, "templates/partials/footer.html": footer})
    report, stats = _check(root)
    # No file holds "/weg/" as written: one diagnostic naming the first page and how many more.
    (only,) = report.sorted()
    assert (only.path, only.code) == ("", "LNK005")
    pages = dict(only.params)["page"]
    assert pages == f"/ (+{stats.broken - 1})"  # the home page first, then how many more
    assert stats.broken == stats.pages - 2  # every HTML page; not sitemap.xml and feed.xml


def test_relative_links_and_srcset_in_templates_are_resolved(make_site: MakeSite) -> None:
    links = (
        '<a href="../">Terug</a> <a href="feed.xml">Feed</a> <a href="#top">Boven</a>\n'
        '<img alt="" src="{{ site.home }}img/a.png" srcset="/img/a.png 1x, /img/b.png 2x">'
    )
    root = make_site(
        {
            "content/static/img/a.png": b"png",
            "templates/partials/footer.html": FOOTER.format(links=links),
        }
    )
    report, _ = _check(root)
    # "feed.xml" is relative: from /tags/ it is /tags/feed.xml, which does not exist.
    targets = {(d.path, dict(d.params)["target"]) for d in report}
    assert targets == {
        ("templates/partials/footer.html", "/img/b.png"),
        ("templates/partials/footer.html", "feed.xml"),
    }
    feed = next(d for d in report if dict(d.params)["target"] == "feed.xml")
    # Fine from / and /404.html; broken from the 6 list pages one folder down.
    assert dict(feed.params)["page"] == "/artikelen/ (+5)"


def test_pages_kept_in_the_build_cache_are_checked_like_pages_in_memory() -> None:
    result = build(BROKEN_SITE, jobs=1)
    assert result.ok and result.content is not None
    fetched = [
        OutputFile(f.path, fetch=functools.partial(bytes, f.data)) if f.data is not None else f
        for f in result.outputs
    ]
    assert all(f.data is None for f in fetched if f.path.endswith(".html"))
    report = Report()
    check_site(fetched, result.content, result.config, BROKEN_SITE, report)
    assert (
        report.format_lines("nl") == (BROKEN_SITE / "expected.txt").read_text("utf-8").splitlines()
    )


def test_parsing_in_worker_processes_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitecheck, "PARALLEL_FROM", 1)
    result = build(BROKEN_SITE, jobs=1)
    assert result.ok and result.content is not None
    serial, parallel = Report(), Report()
    one = check_site(result.outputs, result.content, result.config, BROKEN_SITE, serial, jobs=1)
    two = check_site(result.outputs, result.content, result.config, BROKEN_SITE, parallel, jobs=2)
    assert parallel.format_lines() == serial.format_lines() != []
    assert one == two


def test_links_in_static_html_files_are_checked(make_site: MakeSite) -> None:
    static = '<!doctype html>\n<title>Oud</title>\n<p><a href="/artikelen/weg/">weg</a></p>\n'
    root = make_site({"content/articles/a.md": ARTICLE, "content/static/oud.html": static})
    report, _ = _check(root)
    assert _problems(report) == [("content/static/oud.html", 3, "LNK005", "/artikelen/weg/")]
