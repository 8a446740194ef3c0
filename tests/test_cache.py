"""The build cache: a cached build writes exactly what a clean build writes, after every kind of
edit, reuses only what is still valid, and a damaged, foreign or outdated cache is never trusted.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import bodies as bodies_module
from generator import build as build_module
from generator import cache as cache_module
from generator import related, related_reuse
from generator.build import BuildResult, build
from generator.cache import (
    BULK,
    BULK_FROM,
    CACHE_FILE,
    TEMPLATE_CODE,
    BuildCache,
    CacheError,
    _pack,
    _unpack,
    memoized,
)
from generator.cli import CACHE_DIR, main
from generator.context import Strings, ViewBuilder
from generator.page_inputs import KINDS, page_input_keys
from generator.pages import SitePlan
from generator.related import pick_related
from generator.theme import Theme
from generator.urls import output_path
from generator.workers import Workers

ARTICLE = "content/articles/hoogsensitiviteit-in-de-klas.md"
TERM = "content/glossary/basisondersteuning.md"
# The articles whose text mentions the term (each shows its tooltip).
TERM_USERS = 2


def files(result: BuildResult) -> dict[str, bytes]:
    """Every output file's bytes, wherever the build keeps them."""
    assert result.ok, result.report.format_lines()
    return {f.path: f.read() for f in result.outputs}


def cached_build(root: Path, **options: object) -> BuildResult:
    result = build(root, jobs=1, cache_dir=root / CACHE_DIR, **options)  # type: ignore[arg-type]
    return result


def clean_build(root: Path) -> dict[str, bytes]:
    return files(build(root, jobs=1))


def edit(root: Path, relative: str, change: Callable[[str], str]) -> None:
    path = root / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def add_term_summary(text: str) -> str:
    """TERM's edit: a summary of its own, so its tooltip in every article using it changes."""
    return text.replace("term: Basisondersteuning", "term: Basisondersteuning\nsummary: Kort.")


def rebuild_after(root: Path, relative: str, change: Callable[[str], str]) -> BuildResult:
    """Build with the cache, edit, build again with it: the second result (cache still open)."""
    first = cached_build(root)
    files(first)
    first.close()
    edit(root, relative, change)
    return cached_build(root)


def assert_same_as_clean(result: BuildResult, root: Path) -> None:
    cached = files(result)
    result.close()
    clean = clean_build(root)
    assert sorted(cached) == sorted(clean)
    assert [p for p in clean if cached[p] != clean[p]] == []


def test_an_unchanged_site_reuses_every_body_and_page(example_copy: Path) -> None:
    first = cached_build(example_copy)
    made = first.counts
    first.close()
    second = cached_build(example_copy)
    assert made["body made"] > 30 and made["page made"] > 60
    assert second.counts["body made"] == 0 and second.counts["page made"] == 0
    # Article, term, list, index and theme pages are found by their inputs, without
    # planning them; the rest by their views. 19 articles fit one list page; each tag has a
    # page of its own; the index pages: glossary, themes, resources, tags; one theme.
    assert second.index is not None and len(second.index.tags) > 10
    lists = 1 + len(second.index.tags)
    assert second.counts["input-keyed page reused"] == 19 + 12 + lists + 4 + 1
    assert (
        second.counts["page reused"] + second.counts["input-keyed page reused"] == made["page made"]
    )
    assert_same_as_clean(second, example_copy)


def test_editing_article_text_reparses_that_article_and_rerenders_its_pages(
    example_copy: Path,
) -> None:
    result = rebuild_after(
        example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij.")
    )
    assert result.counts["body made"] == 1
    # Only the edited article's features were made: as before, so the last picks stand.
    assert result.counts["related state reused"] == 1 and result.counts["related made"] == 0
    # The article's page, and the word count feeds its reading time shown in lists: few pages.
    assert 1 <= result.counts["page made"] < 20
    assert_same_as_clean(result, example_copy)


def test_editing_an_article_title_rerenders_every_page_that_shows_it(example_copy: Path) -> None:
    result = rebuild_after(
        example_copy,
        ARTICLE,
        lambda t: t.replace("title: Hoogsensitiviteit in de klas", "title: Gevoelige kinderen"),
    )
    # Bodies are keyed by their file's digest: the edited file's body alone is parsed again.
    assert result.counts["body made"] == 1
    assert result.counts["page made"] > 3  # the article, lists, tags, term and theme pages
    html = files(result)["artikelen/hoogsensitiviteit-in-de-klas/index.html"].decode()
    assert "Gevoelige kinderen" in html
    assert_same_as_clean(result, example_copy)


def test_editing_a_term_summary_reparses_exactly_the_articles_showing_its_tooltip(
    example_copy: Path,
) -> None:
    result = rebuild_after(example_copy, TERM, add_term_summary)
    assert result.counts["body made"] == TERM_USERS
    assert_same_as_clean(result, example_copy)


def test_front_matter_is_parsed_once_and_an_edited_file_again(example_copy: Path) -> None:
    first = cached_build(example_copy)
    parsed = first.counts["front-matter made"]
    first.close()
    result = rebuild_after(example_copy, ARTICLE, lambda t: t.replace("title:", "title:  ", 1))
    assert parsed > 30
    assert result.counts["front-matter made"] == 1
    assert result.counts["front-matter reused"] == parsed - 1
    assert_same_as_clean(result, example_copy)


def test_a_yaml_error_is_reported_again_when_its_parse_comes_from_the_cache(
    example_copy: Path,
) -> None:
    edit(example_copy, ARTICLE, lambda t: t.replace("title:", "title: [niet dicht", 1))
    first = cached_build(example_copy)
    second = cached_build(example_copy)
    for result in (first, second):
        assert not result.ok
        assert ("FM001", ARTICLE) in [(d.code, d.path) for d in result.report.errors]
        result.close()
    assert first.report.errors == second.report.errors
    assert second.counts["front-matter made"] == 0


THEME = "content/themes/professionele-leercultuur.md"
CITED = "content/articles/wat-is-een-professionele-leercultuur.md"  # the theme links to it


@pytest.mark.parametrize(
    ("relative", "change", "shown_on"),
    [
        # The theme's title is shown on the article pages it cites.
        (
            THEME,
            lambda t: t.replace("title: Professionele leercultuur", "title: Leren als team", 1),
            CITED,
        ),
        # A related or featured article's new title is shown on other article pages.
        (
            "content/articles/betekenis-professionele-leergemeenschap.md",
            lambda t: t.replace('title: "Betekenis:', 'title: "Uitleg:', 1),
            "content/articles/wat-is-een-professionele-leercultuur.md",
        ),
        # A term's summary is shown on the page of a term that lists it under see-also.
        (
            "content/glossary/schoolzelfevaluatie.md",
            lambda t: t.replace(
                "term: Schoolzelfevaluatie", "term: Schoolzelfevaluatie\nsummary: Kort."
            ),
            TERM,
        ),
        # An article becoming featured is listed in every other article's sidebar.
        (
            CITED,
            lambda t: t.replace("date: 2023-10-03", "date: 2023-10-03\nfeatured: true"),
            ARTICLE,
        ),
    ],
    ids=["theme-title", "related-title", "see-also-summary", "featured-flag"],
)
def test_pages_reused_by_their_inputs_follow_edits_elsewhere(
    example_copy: Path, relative: str, change: Callable[[str], str], shown_on: str
) -> None:
    before = files(build(example_copy, jobs=1))[_page_of(shown_on)]
    result = rebuild_after(example_copy, relative, change)
    if relative == CITED:  # every article page shows the featured articles: all made anew
        assert result.counts["input-keyed page made"] >= 19
    else:  # the input keys were used, not bypassed
        assert result.counts["input-keyed page reused"] > 0
    assert files(result)[_page_of(shown_on)] != before
    assert_same_as_clean(result, example_copy)


@pytest.mark.parametrize(
    ("relative", "change", "index_page"),
    [
        # A term's new name: the glossary lists it, under another letter.
        (
            "content/glossary/groepsdynamiek.md",
            lambda t: t.replace("term: Groepsdynamiek", "term: Klimaat in de groep", 1),
            "glossary_index",
        ),
        # A theme's summary is on its card in the theme list; a link more changes its count.
        (
            THEME,
            lambda t: t.replace("summary: Instrumenten,", "summary: Middelen,", 1),
            "theme_list",
        ),
        (
            THEME,
            lambda t: t.replace(
                "      - title: Edualdo\n",
                "      - title: Nog een bron\n        url: https://example.org/bron\n"
                "      - title: Edualdo\n",
                1,
            ),
            "theme_list",
        ),
        # An outside link's title, and the title of the theme citing it, are on the resources page.
        (THEME, lambda t: t.replace("title: Edualdo", "title: Edualdo (site)", 1), "resources"),
        (
            THEME,
            lambda t: t.replace("title: Professionele leercultuur", "title: Leren als team", 1),
            "resources",
        ),
        # The theme page shows the cards of the articles and terms it links to.
        (
            "content/articles/betekenis-professionele-leergemeenschap.md",
            lambda t: t.replace('title: "Betekenis:', 'title: "Uitleg:', 1),
            "theme:professionele-leercultuur",
        ),
        (
            "content/glossary/professionele-leercultuur.md",
            lambda t: t.replace(
                "term: Professionele leercultuur", "term: Professionele leercultuur\nsummary: Kort."
            ),
            "theme:professionele-leercultuur",
        ),
        (
            THEME,
            lambda t: t.replace("title: Edualdo", "title: Edualdo (site)", 1),
            "theme:professionele-leercultuur",
        ),
        # A new tag on an article is listed in the tag index, with its count.
        (
            ARTICLE,
            lambda t: t.replace("tags: [welbevinden,", "tags: [nieuw thema, welbevinden,", 1),
            "tag_index",
        ),
    ],
    ids=[
        "term-name",
        "theme-summary",
        "theme-links",
        "resource-title",
        "citing-theme",
        "theme-article-title",
        "theme-term-summary",
        "theme-link-title",
        "new-tag",
    ],
)
def test_index_and_theme_pages_reused_by_their_inputs_follow_what_they_show(
    example_copy: Path, relative: str, change: Callable[[str], str], index_page: str
) -> None:
    clean = build(example_copy, jobs=1)
    name, _, slug = index_page.partition(":")
    urls = clean.config.urls
    page = output_path(getattr(urls, name)(*([slug] if slug else [])))
    before = files(clean)[page]
    result = rebuild_after(example_copy, relative, change)
    assert result.counts["input-keyed page reused"] > 0  # the input keys were used
    assert files(result)[page] != before
    assert_same_as_clean(result, example_copy)


def test_the_input_keys_cover_exactly_the_pages_of_their_kinds(example_build: BuildResult) -> None:
    """Pages of those kinds are kept by their input keys alone: one left out would never be."""
    content, index, config = example_build.content, example_build.index, example_build.config
    assert content is not None and index is not None
    keyed = page_input_keys(content, index, config, "shared")
    assert {page.kind for page in keyed} == KINDS
    root = Path(__file__).parents[1]
    strings = Strings(Theme(root).strings(config.language))
    planned = SitePlan(ViewBuilder(content, index, config, strings)).pages({})
    of_kinds = sorted(spec.page.path for spec in planned if spec.page.kind in KINDS)
    assert sorted(page.path for page in keyed) == of_kinds
    assert len(of_kinds) == len(set(of_kinds)) > 40


def test_pages_keyed_by_their_inputs_get_no_key_of_their_view(example_copy: Path) -> None:
    result = cached_build(example_copy)
    pages = [f for f in result.outputs if f.path.endswith(".html")]
    result.close()
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        (by_view,) = db.execute("SELECT count(*) FROM entry WHERE kind = 'page'").fetchone()
        (by_inputs,) = db.execute(
            "SELECT count(*) FROM entry WHERE kind = 'input-keyed page'"
        ).fetchone()
    assert by_view == sum(1 for f in pages if f.kind not in KINDS) > 0  # home, 404, search...
    assert by_inputs == sum(1 for f in pages if f.kind in KINDS)
    # An edit that changes a file but no page is rendered again, by its inputs, the same.
    result = rebuild_after(example_copy, ARTICLE, lambda text: text + "\n\n")
    assert result.counts["page made"] == 1
    assert_same_as_clean(result, example_copy)


def test_a_rebuild_that_lists_nothing_new_does_not_load_icu(example_copy: Path) -> None:
    """Sorting is ICU's only job, and it takes 0.04 s to import: unchanged index pages skip it."""
    cached_build(example_copy).close()
    edit(example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij."))
    script = (
        "import sys; from pathlib import Path; from generator.build import build; "
        "root = Path(sys.argv[1]); "
        f"result = build(root, jobs=1, cache_dir=root / {CACHE_DIR!r}); "
        "print(result.ok, result.counts['page made'], 'icu' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(example_copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    ok, made, icu = done.stdout.split()
    assert (ok, icu) == ("True", "False") and int(made) >= 1


def _page_of(source: str) -> str:
    section = "artikelen" if "/articles/" in source else "begrippen"
    return f"{section}/{Path(source).stem}/index.html"


def test_editing_a_template_rerenders_the_pages_and_keeps_the_bodies(example_copy: Path) -> None:
    templates = example_copy / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("<p>{{ page.title }}</p>\n", encoding="utf-8")
    result = rebuild_after(
        example_copy, "templates/404.html", lambda t: t.replace("<p>", "<p class=x>")
    )
    assert result.counts["body made"] == 0
    assert files(result)["404.html"].startswith(b"<p class=x>")
    assert_same_as_clean(result, example_copy)


def test_a_link_target_turning_draft_reparses_the_bodies_that_link_to_it(
    example_copy: Path,
) -> None:
    target = "content/articles/de-gouden-weken-en-de-blijvende-kracht-van-groepsdynamiek.md"
    result = rebuild_after(
        example_copy, target, lambda t: t.replace("---\n", "---\ndraft: true\n", 1)
    )
    assert "REF002" in result.report.codes()  # the link to it is now plain text
    assert result.counts["body made"] >= 1
    assert_same_as_clean(result, example_copy)


def test_editing_site_yaml_is_a_change_like_any_other(example_copy: Path) -> None:
    result = rebuild_after(
        example_copy, "site.yaml", lambda t: t.replace("title: ", "title: Nieuwe ", 1)
    )
    assert not result.reused
    assert_same_as_clean(result, example_copy)


def test_an_unchanged_site_is_reused_whole_and_its_report_repeated(example_copy: Path) -> None:
    (example_copy / "content/articles/kort.md").write_text(
        "---\ntitle: Kort\ndate: 2024-01-01\n---\n## Kop\n\n#### Te diep\n", encoding="utf-8"
    )
    first = cached_build(example_copy, reuse_unchanged=True)
    assert "MD001" in first.report.codes()  # a warning: the site still builds
    expected = (files(first), first.report.format_lines())
    first.close()
    second = cached_build(example_copy, reuse_unchanged=True)
    assert second.reused and second.content is None
    assert "MD001" in second.report.codes()
    assert (files(second), second.report.format_lines()) == expected


def test_a_cache_restored_into_a_fresh_copy_is_used_by_content_not_file_times(
    example_copy: Path, tmp_path: Path
) -> None:
    files(cached_build(example_copy))
    clone = tmp_path / "clone"
    shutil.copytree(example_copy, clone)  # new file times everywhere
    for path in clone.rglob("*"):
        os.utime(path, (1, 1))
    result = cached_build(clone)
    assert result.counts["body made"] == 0 and result.counts["page made"] == 0
    assert_same_as_clean(result, clone)


def test_related_picks_are_reused_while_the_changed_articles_keep_their_features(
    example_copy: Path,
) -> None:
    # A term's new summary changes no article: no feature is made, the picks stand.
    result = rebuild_after(example_copy, TERM, add_term_summary)
    assert result.counts["related state reused"] == 1
    assert result.counts["related reused"] == 0 and result.counts["related made"] == 0
    assert_same_as_clean(result, example_copy)
    # A sentence added to an article changes its file, not its features: picks reused.
    edit(example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij."))
    again = cached_build(example_copy)
    assert again.counts["related state reused"] == 1 and again.counts["related made"] == 0
    assert again.counts["related state made"] == 0  # not kept again for one changed file
    assert_same_as_clean(again, example_copy)
    # A new title changes its words: every article's features are made, the picks scored.
    edit(example_copy, ARTICLE, lambda t: t.replace("title: ", "title: Rekenen en ", 1))
    titled = cached_build(example_copy)
    assert titled.counts["related state reused"] == 0 and titled.counts["related made"] == 1
    assert_same_as_clean(titled, example_copy)
    # Undone: the picks of the features before are found again, not scored.
    edit(example_copy, ARTICLE, lambda t: t.replace("title: Rekenen en ", "title: ", 1))
    undone = cached_build(example_copy)
    assert undone.counts["related reused"] == 1 and undone.counts["related made"] == 0
    assert_same_as_clean(undone, example_copy)


def test_body_html_is_read_only_for_the_pages_rendered_again(example_copy: Path) -> None:
    result = rebuild_after(
        example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij.")
    )
    assert result.index is not None
    bodies = result.index.bodies
    unread = {key for key in bodies if key not in bodies._html}  # still in the cache only
    # The term and theme pages were reused whole (a theme's body and each section intro);
    # every article is in the feed, which shows its HTML.
    assert result.content is not None
    themes = {theme.source for theme in result.content.themes}
    theme_bodies = {key for key in bodies if key.partition("#")[0] in themes}
    assert len(theme_bodies) > len(themes)
    assert unread == {term.source for term in result.content.terms} | theme_bodies
    assert all(bodies[key].html == "" for key in bodies)  # HTML only through bodies.html()
    assert_same_as_clean(result, example_copy)


@pytest.mark.parametrize("damage", ["deleted", "garbled"])
def test_body_html_missing_from_the_cache_is_parsed_again(example_copy: Path, damage: str) -> None:
    cached_build(example_copy).close()
    edit(example_copy, "site.yaml", lambda t: t.replace("count: 6", "count: 5"))  # every page
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        if damage == "deleted":
            db.execute("DELETE FROM entry WHERE kind = 'body-html'")
        else:
            db.execute("UPDATE entry SET value = X'00' WHERE kind = 'body-html'")
    # Found when a page reads it: that body is parsed again in the build's process, and kept.
    result = cached_build(example_copy)
    assert result.counts["body made"] == 0 and result.counts["body-html made"] > 30
    assert_same_as_clean(result, example_copy)
    result.close()
    edit(example_copy, "site.yaml", lambda t: t.replace("count: 5", "count: 4"))
    again = cached_build(example_copy)  # the HTML made again was kept: nothing to make now
    assert again.counts["body-html made"] == 0
    assert_same_as_clean(again, example_copy)


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(
    example_copy: Path,
) -> None:
    cached_build(example_copy).close()
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        query = "SELECT count(*) FROM entry WHERE kind = ?"
        assert db.execute(query, (TEMPLATE_CODE,)).fetchone()[0] >= 5
        # Valid marshal data of other code, under a checksum that no longer fits.
        db.execute("UPDATE entry SET value = ? WHERE kind = ?", (marshal.dumps(1), TEMPLATE_CODE))
    edit(example_copy, "site.yaml", lambda t: t.replace("count: 6", "count: 5"))  # every page
    assert_same_as_clean(cached_build(example_copy), example_copy)


def test_a_file_that_is_not_a_database_is_discarded(example_copy: Path) -> None:
    cache = example_copy / CACHE_DIR
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(b"this is not SQLite at all" * 100)
    result = cached_build(example_copy)
    assert result.cache is not None and result.cache.discarded
    assert result.counts["body made"] > 30
    assert_same_as_clean(result, example_copy)


def test_a_foreign_database_is_discarded(example_copy: Path) -> None:
    cache = example_copy / CACHE_DIR
    cache.mkdir()
    with sqlite3.connect(cache / CACHE_FILE) as db:
        db.execute("CREATE TABLE entry (kind, key, value)")
    result = cached_build(example_copy)
    assert result.cache is not None and result.cache.discarded
    assert_same_as_clean(result, example_copy)


def test_a_cache_of_another_generator_version_is_discarded(example_copy: Path) -> None:
    cached_build(example_copy).close()
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE meta SET value = 'other' WHERE name = 'code'")
    result = cached_build(example_copy)
    assert result.cache is not None and result.cache.discarded
    assert result.counts["body made"] > 30
    assert_same_as_clean(result, example_copy)


def test_damaged_entries_are_ignored_and_made_again(example_copy: Path) -> None:
    cached_build(example_copy).close()
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        # Bit rot inside values SQLite itself cannot see: checksums must catch it.
        db.execute("UPDATE entry SET value = CAST('garbage' AS BLOB)")
    result = cached_build(example_copy)
    assert result.counts["body made"] > 30 and result.counts["page made"] > 60
    assert_same_as_clean(result, example_copy)


def test_a_damaged_list_of_used_entries_never_breaks_a_build(example_copy: Path) -> None:
    cached_build(example_copy).close()
    with sqlite3.connect(example_copy / CACHE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE used SET entries = CAST('no checksum' AS BLOB)")
    edit(example_copy, ARTICLE, lambda text: text + "\nEen zin die de lijst laat opruimen.\n")
    result = cached_build(example_copy)
    assert_same_as_clean(result, example_copy)
    assert cached_build(example_copy).ok  # and the cache after it still builds


def test_a_used_list_reads_back_and_a_flipped_byte_is_caught() -> None:
    entries = {("body", "a" * 64), ("page", "b" * 64), ("file", "c")}
    blob = _pack(entries)
    assert _unpack(blob) == {f"{kind}\0{key}" for kind, key in entries}
    assert _unpack(_pack(set())) == set()
    flipped = bytearray(blob)
    flipped[-1] ^= 1
    with pytest.raises(sqlite3.DatabaseError):
        _unpack(bytes(flipped))


def test_entries_used_by_the_last_successful_build_survive_a_sweep(tmp_path: Path) -> None:
    """Undoing an edit finds what the build before the edit made (the used lists are read back)."""
    for value in ("before", "edited"):
        cache = BuildCache(tmp_path)
        cache.store("body", {value: value, "shared": 1})
        cache.finish(ok=True)
        cache.close()
    cache = BuildCache(tmp_path)
    assert cache.load("body", ["before", "edited", "shared"]) == {
        "before": "before",
        "edited": "edited",
        "shared": 1,
    }
    cache.close()


def _written_keys(directory: Path) -> set[tuple[str, str]]:
    """The entries the file holds, as another process would see them."""
    with sqlite3.connect(directory / CACHE_FILE) as db:
        return set(db.execute("SELECT kind, key FROM entry"))


def test_a_deferring_connection_hands_its_entries_over_unwritten(tmp_path: Path) -> None:
    """A worker's connection writes nothing: the build's own connection writes what it stored."""
    parent = BuildCache(tmp_path)
    worker = BuildCache.attach(tmp_path, deferred=True)
    worker.store("body", {"a": ("parsed", 1)})
    worker.store_bytes("body-html", {"h": b"<p>x</p>"})
    (digest,) = worker.store_files([b"<html>page</html>"])
    assert _written_keys(tmp_path) == set()
    rows = worker.take_rows()
    assert {(kind, key) for kind, key, _, _ in rows} == {
        ("body", "a"),
        ("body-html", "h"),
        ("file", digest),
    }
    assert worker.take_rows() == []
    worker.close()
    parent.write_rows(rows)
    # They are read back through the connection that took them, and kept at the end.
    assert parent.load("body", ["a"]) == {"a": ("parsed", 1)}
    assert parent.kept_files([digest]) == {digest}
    parent.finish(ok=True)
    parent.close()
    again = BuildCache(tmp_path)
    assert again.load_bytes("body-html", ["h"]) == {"h": b"<p>x</p>"}
    again.close()


def test_entries_handed_over_are_written_in_batches_and_before_any_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "_WRITE_ROWS", 3)
    parent = BuildCache(tmp_path)
    worker = BuildCache.attach(tmp_path, deferred=True)
    worker.store("body", {"a": 1, "b": 2})
    parent.write_rows(worker.take_rows())
    assert _written_keys(tmp_path) == set()  # waiting for more
    worker.store("body", {"c": 3, "d": 4})
    parent.write_rows(worker.take_rows())
    assert _written_keys(tmp_path) == {("body", k) for k in "abcd"}  # four rows: one batch
    worker.store("page", {"p": 5})
    parent.write_rows(worker.take_rows())
    assert parent.holds("page")  # a read writes what waits first
    assert ("page", "p") in _written_keys(tmp_path)
    worker.store("page", {"q": 6})
    parent.write_rows(worker.take_rows())
    parent.store("body", {"e": 7})  # a store of its own takes what waits along
    assert {("page", "q"), ("body", "e")} <= _written_keys(tmp_path)
    worker.store("page", {"r": 8})
    parent.write_rows(worker.take_rows())
    worker.close()
    parent.close()  # and so does closing
    assert ("page", "r") in _written_keys(tmp_path)


def test_a_deferring_connection_to_a_read_only_cache_holds_nothing(tmp_path: Path) -> None:
    BuildCache(tmp_path).close()
    worker = BuildCache.attach(tmp_path, write=False, deferred=True)
    worker.store("body", {"a": 1})
    assert worker.take_rows() == []
    worker.close()


def test_loads_find_every_stored_key_across_batches_kinds_and_replacements(
    tmp_path: Path,
) -> None:
    """Rows are fetched by id in table order: keys of other kinds, replaced values and keys
    never stored must not leak in or go missing, however the batches fall."""
    cache = BuildCache(tmp_path)
    keys = [f"{n:04d}" for n in range(1_234)]  # more than two batches of ids
    for start in range(0, len(keys), 100):  # interleaved with another kind, as builds write
        cache.store("body", {key: ("body", key) for key in keys[start : start + 100]})
        cache.store("page", {key: ("page", key) for key in keys[start : start + 100]})
    cache.store("body", {key: ("new", key) for key in keys[::7]})  # replaced: new row ids
    cache.finish(ok=True)
    cache.close()
    cache = BuildCache(tmp_path)
    asked = [*reversed(keys), "missing", keys[3]]
    expected = {key: ("new" if n % 7 == 0 else "body", key) for n, key in enumerate(keys)}
    assert cache.load("body", asked) == expected
    assert cache.load("page", keys[:5]) == {key: ("page", key) for key in keys[:5]}
    assert cache.load("body", []) == {}
    cache.close()


def bulk_build(
    directory: Path, asked: list[list[str]], new: dict[str, str] | None = None
) -> tuple[dict[str, Any], BuildCache]:
    """One build's worth of cache use: bulk loads of `asked` (a call each), stores of `new`."""
    cache = BuildCache(directory)
    found: dict[str, Any] = {}
    for keys in asked:
        found |= cache.load("body", keys, bulk=True)
    cache.store("body", new or {})
    cache.finish(ok=True)
    cache.close()
    return found, cache


def test_values_read_from_many_rows_are_kept_as_one_bulk_and_read_from_it(
    tmp_path: Path,
) -> None:
    """The first rebuild reads rows and keeps what it found as one value; the next reads that."""
    values = {f"k{n:03d}": f"value {n}" for n in range(2 * BULK_FROM)}
    keys = sorted(values)
    half = len(keys) // 2
    bulk_build(tmp_path, [], values)  # a clean build: row by row
    # Two loads in one build (as the load stage asks unread files, then read ones):
    # the bulk holds what both found.
    found, cache = bulk_build(tmp_path, [keys[:half], [*keys[half:], "missing"]])
    assert found == values
    assert cache.counts["body from rows"] == len(values) and cache.counts[f"{BULK} made"] == 1
    found, cache = bulk_build(tmp_path, [[*keys, "missing"]], {"new": "row"})
    assert found == values
    assert cache.counts["body from rows"] == 0 and cache.counts[f"{BULK} made"] == 0
    # A value beside the bulk comes from its row; one row is too few to make the bulk again.
    found, cache = bulk_build(tmp_path, [[*keys, "new"]])
    assert found == values | {"new": "row"}
    assert cache.counts["body from rows"] == 1 and cache.counts[f"{BULK} made"] == 0


def test_a_bulk_is_made_again_once_rows_give_over_a_tenth_of_what_is_read(
    tmp_path: Path,
) -> None:
    values = {f"k{n:04d}": n for n in range(20 * BULK_FROM)}
    bulk_build(tmp_path, [], values)
    bulk_build(tmp_path, [list(values)])  # the bulk of every value
    edited = {f"e{n:04d}": n for n in range(2 * BULK_FROM)}  # a tenth of 20: not yet
    _, cache = bulk_build(tmp_path, [list(values) + list(edited)], edited)
    assert cache.counts[f"{BULK} made"] == 0
    _, cache = bulk_build(tmp_path, [list(values) + list(edited)])
    assert cache.counts["body from rows"] == len(edited) and cache.counts[f"{BULK} made"] == 0
    more = {f"m{n:04d}": n for n in range(2 * BULK_FROM)}
    _, cache = bulk_build(tmp_path, [[*values, *edited, *more]], more)
    _, cache = bulk_build(tmp_path, [[*values, *edited, *more]])
    assert cache.counts[f"{BULK} made"] == 1  # 4 of 24 from rows
    found, cache = bulk_build(tmp_path, [[*values, *edited, *more]])
    assert found == values | edited | more and cache.counts["body from rows"] == 0


@pytest.mark.parametrize("damage", ["bytes", "not a mapping"])
def test_a_damaged_bulk_is_ignored_and_its_values_read_from_their_rows(
    tmp_path: Path, damage: str
) -> None:
    values = {f"k{n:03d}": n for n in range(2 * BULK_FROM)}
    bulk_build(tmp_path, [], values)
    bulk_build(tmp_path, [list(values)])
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        if damage == "bytes":
            db.execute("UPDATE entry SET value = CAST('garbage' AS BLOB) WHERE kind = ?", (BULK,))
        else:  # intact, but not what a bulk holds: its checksum matches
            cache = BuildCache(tmp_path)
            cache.store(BULK, {"body": ["not", "a", "mapping"]})
            cache.close()
    found, cache = bulk_build(tmp_path, [list(values)])
    assert found == values
    assert cache.counts["body from rows"] == len(values) and cache.counts[f"{BULK} made"] == 1


@pytest.mark.parametrize(
    "relative, change",
    [
        (ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij.")),
        (ARTICLE, lambda t: t.replace("title: Hoogsensitiviteit", "title: Gevoeligheid")),
        (TERM, add_term_summary),
    ],
)
def test_rebuilds_reading_from_bulks_write_what_a_clean_build_writes(
    example_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    relative: str,
    change: Callable[[str], str],
) -> None:
    """The example site is small: with bulks made from a single row, every bulk kind is one."""
    monkeypatch.setattr(cache_module, "BULK_FROM", 1)
    cached_build(example_copy).close()  # clean: rows
    compacting = cached_build(example_copy)  # reads rows, makes bulks
    assert compacting.counts[f"{BULK} made"] == 3  # front matter, bodies, input-keyed pages
    compacting.close()
    edit(example_copy, relative, change)
    result = cached_build(example_copy)
    assert result.counts["front-matter from rows"] == 0 and result.counts["body from rows"] == 0
    assert result.counts["front-matter reused"] > 30 and result.counts["body reused"] > 30
    assert_same_as_clean(result, example_copy)


def written_pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def clean_pages(root: Path) -> dict[str, bytes]:
    return {p: data for p, data in clean_build(root).items() if p.endswith(".html")}


def test_a_damaged_page_found_while_writing_makes_the_cli_build_again(example_copy: Path) -> None:
    out = example_copy / "output"
    assert main(["build", "--source", str(example_copy), "--quiet"]) == 0
    shutil.rmtree(out)  # the next build must take every page from the cache
    for kept in (example_copy / CACHE_DIR / "files").rglob("*"):
        if kept.is_file():
            kept.unlink()  # replaced, not edited: the pages of the live site stay as they were
            kept.write_bytes(b"garbage")
    assert main(["build", "--source", str(example_copy), "--quiet"]) == 0
    assert written_pages(out) == clean_pages(example_copy)


def test_a_page_edited_in_place_in_output_does_not_come_back(example_copy: Path) -> None:
    """Pages are hard-linked from the cache: an edit in place changes the cached file too."""
    out = example_copy / "output"
    assert main(["build", "--source", str(example_copy), "--quiet"]) == 0
    page = out / "artikelen/hoogsensitiviteit-in-de-klas/index.html"
    with page.open("r+b") as handle:  # the same inode, as an editor saving in place would
        handle.write(b"<!-- edited by hand -->")
    edit(example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Nieuw."))
    shutil.rmtree(out)
    assert main(["build", "--source", str(example_copy), "--quiet"]) == 0
    assert written_pages(out) == clean_pages(example_copy)


def test_no_cache_builds_clean_and_starts_the_cache_anew(example_copy: Path) -> None:
    cached_build(example_copy).close()
    result = cached_build(example_copy, fresh_cache=True)
    assert result.counts["body made"] > 30 and result.counts["body reused"] == 0
    assert_same_as_clean(result, example_copy)


def test_a_successful_build_drops_entries_no_recent_build_used(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.store("body", {"a": 1})
    cache.finish(ok=True)
    cache.close()
    for value in (2, 3):
        cache = BuildCache(tmp_path)
        cache.store("body", {"b": value})
        cache.finish(ok=True)
        cache.close()
    cache = BuildCache(tmp_path)
    assert cache.load("body", ["a", "b"]) == {"b": 3}
    cache.close()


def test_the_sweep_waits_until_a_tenth_of_the_entries_used_are_new(tmp_path: Path) -> None:
    """Reading every key to sweep cost an edit rebuild 0.15 s: a few new entries wait."""
    kept = {f"k{i}": i for i in range(100)}

    def run(new: dict[str, int]) -> None:
        cache = BuildCache(tmp_path)
        assert cache.load("body", kept) == kept
        cache.store("body", new)
        cache.finish(ok=True)
        cache.close()

    first = BuildCache(tmp_path)
    first.store("body", kept)
    first.finish(ok=True)
    first.close()
    run({"old": 1})  # 1 made of 101 used
    run({})  # "old" unused now, but 1 made since the last sweep is too few to sweep
    look = BuildCache(tmp_path)
    assert set(look.load("body", ["old"], touch=False)) == {"old"}
    look.close()
    run({f"new{i}": i for i in range(10)})  # 11 made since the last sweep, 110 used: sweep
    look = BuildCache(tmp_path)
    assert set(look.load("body", ["old", "new0", "k0"], touch=False)) == {"new0", "k0"}
    look.close()


def test_page_keys_do_not_depend_on_the_process_hash_seed(example_copy: Path) -> None:
    """Two processes with different string hashing must find each other's pages."""
    script = (
        "import json, sys; from pathlib import Path; from generator.build import build; "
        "r = build(Path(sys.argv[1]), jobs=1, cache_dir=Path(sys.argv[1]) / '.kennisbank-cache'); "
        "print(json.dumps(r.counts))"
    )
    counts = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(example_copy)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        counts.append(json.loads(done.stdout))
    assert counts[0]["page made"] > 60
    assert counts[1].get("page made", 0) == 0 and counts[1].get("body made", 0) == 0


@pytest.mark.parametrize("damage", ["truncate", "zeros"])
def test_a_truncated_or_zeroed_cache_file_never_breaks_the_build(
    example_copy: Path, damage: str
) -> None:
    cached_build(example_copy).close()
    path = example_copy / CACHE_DIR / CACHE_FILE
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(data[:4096] + bytes(len(data) - 4096))
    result = cached_build(example_copy)
    assert_same_as_clean(result, example_copy)


def test_a_read_only_cache_is_reused_and_never_written(example_copy: Path) -> None:
    cached_build(example_copy).close()
    path = example_copy / CACHE_DIR / CACHE_FILE
    before = path.read_bytes()
    edit(example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Nieuw."))
    result = cached_build(example_copy, write_cache=False)
    assert result.counts["body reused"] > 30 and result.counts["body made"] == 1
    assert_same_as_clean(result, example_copy)
    assert path.read_bytes() == before


def test_a_read_only_cache_that_is_not_there_is_not_made(example_copy: Path) -> None:
    result = cached_build(example_copy, write_cache=False)
    assert_same_as_clean(result, example_copy)
    assert not (example_copy / CACHE_DIR).exists()


def test_kept_files_are_checked_as_they_are_placed_and_only_intact_ones_are_linked(
    tmp_path: Path,
) -> None:
    cache = BuildCache(tmp_path / "cache")
    intact, damaged = cache.store_files([b"<p>heel</p>", b"<p>stuk</p>"])
    cache.finish(ok=True)
    cache.close()
    cache = BuildCache(tmp_path / "cache")
    assert cache.files is not None
    first, second = cache.output("a.html", intact), cache.output("b.html", damaged)
    stored = cache.files.path(damaged)
    recorded = stored.stat().st_mtime_ns
    stored.write_bytes(b"<p>STUK</p>")  # same size, new time: found by its hash
    # A new time for sure: file times on some kernels only move once per clock tick.
    os.utime(stored, ns=(recorded + 10**9, recorded + 10**9))
    assert first.place is not None and second.place is not None
    assert first.place(tmp_path / "a.html")
    assert (tmp_path / "a.html").read_bytes() == b"<p>heel</p>"
    assert not second.place(tmp_path / "b.html")  # never linked: the writer reads it instead
    assert not (tmp_path / "b.html").exists()
    with pytest.raises(CacheError):
        second.read()
    cache.close()


def test_a_few_kept_files_are_checked_one_by_one_and_many_with_one_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = BuildCache(tmp_path / "cache")
    kept = cache.store_files([f"<p>{n}</p>".encode() for n in range(60)])
    cache.finish(ok=True)
    cache.close()
    queries: list[int | None] = []
    real = BuildCache._stamps

    def spy(self: BuildCache, digests: Any) -> Any:
        queries.append(None if digests is None else len(list(digests)))
        return real(self, digests)

    monkeypatch.setattr(BuildCache, "_stamps", spy)
    cache = BuildCache(tmp_path / "cache")
    placed = tmp_path / "placed"
    placed.mkdir()
    for n, digest in enumerate(kept):
        output = cache.output(f"{n}.html", digest)
        assert output.place is not None and output.place(str(placed / f"{n}.html"))
        assert (placed / f"{n}.html").read_bytes() == f"<p>{n}</p>".encode()
    cache.close()
    # An edit rebuild places a handful: each its own stamp; a full build: all at once.
    assert queries == [1] * 50 + [None]


def test_a_kept_file_found_intact_under_another_time_gets_that_time_recorded(
    tmp_path: Path,
) -> None:
    cache = BuildCache(tmp_path / "cache")
    (touched,) = cache.store_files([b"<p>oud</p>"])
    cache.finish(ok=True)
    cache.close()
    cache = BuildCache(tmp_path / "cache")
    assert cache.files is not None
    stored = cache.files.path(touched)
    os.utime(stored, ns=(1, 1))  # as in a cache restored elsewhere
    output = cache.output("c.html", touched)
    assert output.place is not None and output.place(tmp_path / "c.html")  # hashed: intact
    cache.close()
    with sqlite3.connect(tmp_path / "cache" / CACHE_FILE) as db:
        query = "SELECT value FROM entry WHERE kind = 'file' AND key = ?"
        (value,) = db.execute(query, (touched,)).fetchone()
    assert bytes(value) == f"{stored.stat().st_size} 1".encode()


@pytest.mark.parametrize(
    ("relative", "change"),
    [
        # The title on one card: the list page and tag pages showing it, nothing else.
        (ARTICLE, lambda t: t.replace("title: ", "title: Anders over ", 1)),
        # A new date moves the article to the front: every page of the list after it shifts.
        (ARTICLE, lambda t: t.replace("date: 2022-06-21", "date: 2026-01-05", 1)),
        # A tag dropped: the tag loses a card, the other lists stay.
        (ARTICLE, lambda t: t.replace("tags: [welbevinden, ", "tags: [", 1)),
        # The oldest article left out as a draft: 18 cards fill 6 pages, not 7, and every
        # page's "Pagina n van 6" changes though its cards do not.
        (ARTICLE, lambda t: t.replace("date: 2022-06-21", "date: 2022-06-21\ndraft: true", 1)),
        # A new article: one more card, and maybe one more page, in the lists it joins.
        (
            "content/articles/nieuw-artikel.md",
            lambda _: "---\ntitle: Nieuw\ndate: 2021-02-03\ntags: [welbevinden]\n---\nTekst.\n",
        ),
    ],
    ids=["card-title", "date-moves-it", "tag-dropped", "page-count", "article-added"],
)
def test_paged_lists_reused_by_their_inputs_follow_edits(
    example_copy: Path, relative: str, change: Callable[[str], str]
) -> None:
    site_yaml = example_copy / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "pagination:\n  per_page: 3\n", encoding="utf-8")
    first = cached_build(example_copy)
    lists = [f.path for f in first.outputs if f.path.startswith("artikelen/pagina/")]
    assert len(lists) >= 5  # 19 articles, 3 a page: the list's pages 2 and on
    first.close()
    path = example_copy / relative
    path.write_text(change(path.read_text() if path.exists() else ""), encoding="utf-8")
    result = cached_build(example_copy)
    assert result.counts["input-keyed page reused"] > 19  # list pages among them
    assert_same_as_clean(result, example_copy)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_that_stops_before_render_scores_no_related_lists(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Render never runs after an error (or a warning, when strict), and only article pages
    read the related lists: they are not scored, in this process or in a worker."""
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(related, "WORKER_FROM", 1)  # with two jobs, picks go to a worker
    scored: list[str] = []  # pick_related calls in this process
    sent: list[str] = []  # tasks handed to a worker

    def counted(*args: Any, **kwargs: Any) -> dict[str, tuple[str, ...]]:
        scored.append("here")
        return pick_related(*args, **kwargs)

    def call(self: Workers, *args: Any) -> Any:
        sent.append("worker")
        return original_call(self, *args)

    original_call = Workers.call
    monkeypatch.setattr(related, "pick_related", counted)
    monkeypatch.setattr(Workers, "call", call)

    def cached(**options: bool) -> BuildResult:
        return build(example_copy, jobs=jobs, cache_dir=example_copy / CACHE_DIR, **options)

    assert cached().ok
    expected = ["here"] if jobs == 1 else ["worker"]
    assert scored + sent == expected
    # A new title changes the article's features: a good build would score the picks anew.
    edit(example_copy, ARTICLE, lambda t: t.replace("title: ", "title: Rekenen en ", 1))
    edit(example_copy, ARTICLE, lambda t: t + "\nZie [de gids](bestaat-niet.md).\n")
    failed = cached()
    assert not failed.ok and "LNK001" in failed.report.codes()
    assert scored + sent == expected and failed.counts["related made"] == 0
    # Warnings alone stop a strict build just as well.
    edit(example_copy, ARTICLE, lambda t: t.replace("\nZie [de gids](bestaat-niet.md).\n", ""))
    edit(example_copy, ARTICLE, lambda t: t + "\n#### Te diep\n\nTekst.\n")
    strict = cached(strict=True)
    assert not strict.ok and "MD001" in strict.report.codes()
    assert not strict.report.has_errors()
    assert scored + sent == expected and strict.counts["related made"] == 0
    # Not strict, the same site builds, and its picks are scored and kept as in any build.
    mended = cached()
    assert mended.ok and scored + sent == expected * 2 and mended.counts["related made"] == 1
    assert_same_as_clean(mended, example_copy)


def test_the_first_build_of_a_cache_does_not_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swept: list[int] = []
    real = BuildCache._sweep

    def spy(self: BuildCache) -> None:
        swept.append(self._generation)
        real(self)

    monkeypatch.setattr(BuildCache, "_sweep", spy)
    for generation in (1, 2, 3):
        cache = BuildCache(tmp_path)
        cache.store("body", {f"g{generation}-{i}": i for i in range(10)})
        cache.finish(ok=True)
        cache.close()
    assert swept == [2, 3]  # the first held only what it made; the others had enough new
    look = BuildCache(tmp_path)  # the third dropped what neither it nor the second used
    assert set(look.load("body", ["g1-0", "g2-0", "g3-0"], touch=False)) == {"g2-0", "g3-0"}
    look.close()


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One "x" for each cached body checked against this build's tooltips."""
    calls: list[str] = []
    real = bodies_module._shown_tooltips

    def spy(tooltips: Any, mentions: Any) -> str:
        calls.append("x")
        return real(tooltips, mentions)

    monkeypatch.setattr(bodies_module, "_shown_tooltips", spy)
    return calls


def _an_article_edit_checks_only_its_body(root: Path, checked: list[str]) -> None:
    checked.clear()
    edit(root, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij."))
    result = cached_build(root)
    assert result.counts["body made"] == 1 and result.counts["body reused"] > 30
    assert checked == ["x"]  # only for the body parsed again, as it is kept
    assert_same_as_clean(result, root)
    result.close()


def test_bodies_made_under_the_same_tooltips_and_links_are_taken_without_a_check_each(
    example_copy: Path, checked: list[str]
) -> None:
    """An article edit leaves every tooltip and link table as it was: one comparison per body."""
    cached_build(example_copy).close()
    _an_article_edit_checks_only_its_body(example_copy, checked)
    cached_build(example_copy).close()
    checked.clear()
    edit(example_copy, TERM, add_term_summary)  # a tooltip changed: every body is checked
    result = cached_build(example_copy)
    assert result.counts["body made"] == TERM_USERS
    assert len(checked) >= result.counts["body reused"]  # and the parsed ones, as kept
    assert_same_as_clean(result, example_copy)


def test_bodies_found_to_hold_under_changed_tooltips_are_not_checked_again(
    example_copy: Path, checked: list[str]
) -> None:
    """After a tooltip changes for good, the bodies checked against it once are taken
    without a check by the builds after; and a tooltip changed back finds each body as
    it really is (a body parsed again under other tooltips is another body)."""
    cached_build(example_copy).close()
    original = (example_copy / TERM).read_text(encoding="utf-8")
    edit(example_copy, TERM, add_term_summary)  # kept: every body is checked once
    cached_build(example_copy).close()
    _an_article_edit_checks_only_its_body(example_copy, checked)
    # Another term's tooltip changed and changed back: its users, parsed again in between,
    # are other bodies than the ones that held before (with their key alone they would
    # pass, showing the in-between tooltip).
    other = "content/glossary/groepsdynamiek.md"
    before = (example_copy / other).read_text(encoding="utf-8")
    edit(
        example_copy,
        other,
        lambda t: t.replace("term: Groepsdynamiek", "term: Groepsdynamiek\nsummary: Tijdelijk."),
    )
    cached_build(example_copy).close()
    edit(example_copy, other, lambda _: before)
    result = cached_build(example_copy)
    assert result.counts["body made"] >= 1
    assert_same_as_clean(result, example_copy)
    result.close()
    # The first term as it was: its users were parsed again under the new summary.
    edit(example_copy, TERM, lambda _: original)
    result = cached_build(example_copy)
    assert result.counts["body made"] >= TERM_USERS - 1
    assert_same_as_clean(result, example_copy)


def test_the_related_state_is_kept_again_once_enough_files_changed(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(related_reuse, "RESTATE_FROM", 0)
    result = rebuild_after(
        example_copy, ARTICLE, lambda t: t.replace("overvol.", "overvol. Een zin erbij.")
    )
    assert result.counts["related state reused"] == 1 and result.counts["related state made"] == 1
    result.close()
    again = cached_build(example_copy)  # the state knows the edited file now: nothing changed
    assert again.counts["related state made"] == 0 and again.counts["related made"] == 0
    assert_same_as_clean(again, example_copy)


def test_a_memoized_value_is_computed_once_then_kept_for_the_next_build(tmp_path: Path) -> None:
    """memoized starts the computing, keeps its result when it is waited for, and a build
    with equal inputs gets the kept value without starting anything."""
    started: list[str] = []

    def start(value: str) -> Callable[[], str]:
        started.append(value)
        return lambda: value

    cache = BuildCache(tmp_path)
    waiting = memoized(cache, "sums", ("inputs", 1), lambda: start("first"))
    assert started == ["first"]  # started at once: it runs while the caller goes on
    assert waiting() == "first"
    assert waiting() == "first"
    cache.finish(ok=True)
    cache.close()
    cache = BuildCache(tmp_path)
    assert memoized(cache, "sums", ("inputs", 1), lambda: start("again"))() == "first"
    assert memoized(cache, "sums", ("inputs", 2), lambda: start("other"))() == "other"
    assert started == ["first", "other"]
    assert cache.counts["sums reused"] == 1
    cache.close()
    assert memoized(None, "sums", ("inputs", 1), lambda: start("no cache"))() == "no cache"
