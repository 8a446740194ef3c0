"""Related articles: explicit first, then automatic picks by shared terms, tags and rare words."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from generator import related as related_module
from generator.build import BuildResult, build
from generator.related import related_terms, start_related_terms
from generator.workers import Workers
from tests.conftest import MakeSite


def article(title: str, date: str, body: str = "Tekst.", **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


def related(result: BuildResult, slug: str) -> list[str]:
    assert result.index is not None
    return [e.slug or f"outside:{e.url}" for e in result.index.related[slug]]


def site(make_site: MakeSite, files: dict[str, str], count: int = 6) -> BuildResult:
    root: Path = make_site(
        files, site_yaml=f"title: T\nbase_url: https://x.org/\nrelated:\n  count: {count}\n"
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


TERMS = {
    "content/glossary/rekenen.md": "---\nterm: Rekenen\n---\nRekenen is werken met getallen.\n",
    "content/glossary/taal.md": "---\nterm: Taalonderwijs\n---\nTaalonderwijs is lessen in taal.\n",
    "content/glossary/spel.md": "---\nterm: Spelend leren\n---\nSpelend leren is leren door spel.\n",
}


def test_explicit_entries_come_first_in_their_order_even_beyond_count(make_site: MakeSite) -> None:
    files = {
        "content/articles/a.md": article("A", "2024-01-01", related="[d, c, b]"),
        "content/articles/b.md": article("B", "2024-01-02"),
        "content/articles/c.md": article("C", "2024-01-03"),
        "content/articles/d.md": article("D", "2024-01-04"),
    }
    assert related(site(make_site, files, count=2), "a") == ["d", "c", "b"]


def test_outside_pages_in_related_keep_title_and_url(make_site: MakeSite) -> None:
    files = {
        "content/articles/a.md": article(
            "A", "2024-01-01", related="\n  - {title: Kennisnet, url: 'https://www.kennisnet.nl/'}"
        ),
    }
    result = site(make_site, files)
    assert related(result, "a") == ["outside:https://www.kennisnet.nl/"]
    assert result.index is not None
    assert result.index.related["a"][0].title == "Kennisnet"


def test_fill_up_ranks_articles_sharing_more_first(make_site: MakeSite) -> None:
    files = {
        **TERMS,
        "content/articles/a.md": article(
            "A", "2024-01-01", "Rekenen en taalonderwijs.", tags="[rekenen]"
        ),
        "content/articles/b.md": article(
            "B", "2024-01-02", "Rekenen en taalonderwijs.", tags="[rekenen]"
        ),
        "content/articles/c.md": article("C", "2024-01-03", "Rekenen.", tags="[sport]"),
        "content/articles/d.md": article("D", "2024-01-04", "Over iets anders."),
        "content/articles/e.md": article("E", "2024-01-05", "Spelend leren.", tags="[sport]"),
        "content/articles/f.md": article("F", "2024-01-06", "Spelend leren.", tags="[muziek]"),
        "content/articles/g.md": article("G", "2024-01-07", "Niets.", tags="[muziek]"),
        "content/articles/h.md": article("H", "2024-01-08", "Ook niets.", tags="[kunst]"),
        "content/articles/i.md": article("I", "2024-01-09", "Leeg.", tags="[kunst]"),
    }
    result = site(make_site, files)
    assert related(result, "a") == ["b", "c"]


def test_articles_sharing_nothing_are_left_out_a_shorter_list_is_better(
    make_site: MakeSite,
) -> None:
    files = {
        "content/articles/a.md": article("Appels", "2024-01-01", tags="[fruit]"),
        "content/articles/b.md": article("Bomen", "2024-01-02", tags="[natuur]"),
    }
    assert related(site(make_site, files), "a") == []


def test_ties_break_on_newer_date_then_slug(make_site: MakeSite) -> None:
    files = {
        **TERMS,
        "content/articles/a.md": article("A", "2024-01-01", "Rekenen.", tags="[x]"),
        "content/articles/old.md": article("Old", "2023-01-01", "Rekenen.", tags="[x]"),
        "content/articles/new.md": article("New", "2024-05-01", "Rekenen.", tags="[x]"),
        "content/articles/new2.md": article("New2", "2024-05-01", "Rekenen.", tags="[x]"),
        **{
            f"content/articles/z{i}.md": article(f"Z{i}", "2020-01-01", "Geen.", tags=f"[y{i}]")
            for i in range(6)
        },
    }
    result = site(make_site, files)
    assert related(result, "a") == ["new", "new2", "old"]


def test_self_drafts_and_explicit_entries_are_not_picked_again(make_site: MakeSite) -> None:
    files = {
        **TERMS,
        "content/articles/a.md": article("A", "2024-01-01", "Rekenen.", tags="[x]", related="[b]"),
        "content/articles/b.md": article("B", "2024-01-02", "Rekenen.", tags="[x]"),
        "content/articles/c.md": article("C", "2024-01-03", "Rekenen.", tags="[x]"),
        "content/articles/d.md": article("D", "2024-01-04", "Rekenen.", tags="[x]", draft="true"),
        **{
            f"content/articles/z{i}.md": article(f"Z{i}", "2020-01-01", "Geen.", tags=f"[y{i}]")
            for i in range(6)
        },
    }
    assert related(site(make_site, files), "a") == ["b", "c"]


def test_count_limits_the_total_length(make_site: MakeSite) -> None:
    files = {
        **TERMS,
        **{
            f"content/articles/a{i}.md": article(
                f"A{i}", f"2024-01-{i + 1:02d}", "Rekenen.", tags="[x]"
            )
            for i in range(8)
        },
        **{
            f"content/articles/z{i}.md": article(f"Z{i}", "2020-01-01", "Geen.", tags=f"[y{i}]")
            for i in range(10)
        },
    }
    result = site(make_site, files, count=3)
    assert len(related(result, "a0")) == 3


def test_a_tag_that_almost_every_article_has_does_not_make_them_related(
    make_site: MakeSite,
) -> None:
    files = {
        f"content/articles/a{i}.md": article(
            f"Stuk {i}", f"2024-01-{i + 1:02d}", "Tekst.", tags="[onderwijs]"
        )
        for i in range(10)
    }
    assert related(site(make_site, files), "a0") == []


def test_featured_follows_site_yaml_order_then_flagged_newest_first(make_site: MakeSite) -> None:
    files = {
        "content/articles/a.md": article("A", "2024-01-01"),
        "content/articles/b.md": article("B", "2024-01-02", featured="true"),
        "content/articles/c.md": article("C", "2024-01-03", featured="true"),
        "content/articles/d.md": article("D", "2024-01-04"),
    }
    root = make_site(files, site_yaml="title: T\nbase_url: https://x.org/\nfeatured: [d, a]\n")
    result = build(root, jobs=1)
    assert result.index is not None
    assert result.index.featured == ("d", "a", "c", "b")


def _related_terms_by_pairs(
    term_articles: dict[str, tuple[str, ...]], see_also: dict[str, set[str]], count: int
) -> dict[str, tuple[str, ...]]:
    """The definition, pair by pair: most articles in common first, then by slug."""
    result = {}
    for term, articles in term_articles.items():
        shared = [
            (-len(set(articles) & set(theirs)), other)
            for other, theirs in term_articles.items()
            if other != term and other not in see_also.get(term, set())
        ]
        result[term] = tuple(other for n, other in sorted(shared) if n < 0)[:count]
    return result


def test_related_terms_share_the_most_articles_then_go_by_slug() -> None:
    term_articles = {
        "toets": ("a", "b", "c"),
        "rubric": ("a", "b"),
        "feedback": ("c",),
        "portfolio": ("d",),
        "cijfer": ("a", "b", "c"),
    }
    picks = related_terms(term_articles, {"toets": {"cijfer"}}, 2)
    assert picks["toets"] == ("rubric", "feedback")  # cijfer shares more, but is a see_also
    assert picks["rubric"] == ("cijfer", "toets")  # a tie of two: by slug
    assert picks["portfolio"] == ()  # shares nothing
    assert related_terms(term_articles, {}, 0)["toets"] == ()


def test_related_terms_match_the_pairwise_definition() -> None:
    rng = random.Random(11)
    for _ in range(150):
        terms = [f"t{i:02d}" for i in range(rng.randint(1, 30))]
        articles = [f"a{i}" for i in range(rng.randint(0, 40))]
        term_articles = {
            t: tuple(sorted(rng.sample(articles, rng.randint(0, min(6, len(articles))))))
            for t in terms
        }
        see_also = {t: set(rng.sample(terms, rng.randint(0, min(3, len(terms))))) for t in terms}
        count = rng.randint(0, 5)
        assert related_terms(term_articles, see_also, count) == _related_terms_by_pairs(
            term_articles, see_also, count
        )


def test_related_terms_counted_in_a_running_worker_are_those_counted_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(5)
    articles = [f"a{i}" for i in range(400)]
    terms = [f"t{i:03d}" for i in range(250)]
    term_articles = {t: tuple(sorted(rng.sample(articles, rng.randint(0, 12)))) for t in terms}
    see_also = {t: set(rng.sample(terms, rng.randint(0, 2))) for t in terms}
    here = related_terms(term_articles, see_also, 4)
    parent = os.getpid()
    places: list[bool] = []

    def counting(*args: Any) -> dict[str, tuple[str, ...]]:
        places.append(os.getpid() == parent)
        return related_terms(*args)

    monkeypatch.setattr(related_module, "related_terms", counting)  # forked workers see it too
    with Workers(2) as workers:
        assert start_related_terms(term_articles, see_also, 4, workers)() == here
        assert places == [True], "counted in a worker before the pool was started"
        workers.start()
        wait = start_related_terms(term_articles, see_also, 4, workers)
        assert wait() == here
    assert places == [True], "counted in the parent though the workers ran"
    small = dict(list(term_articles.items())[: related_module.TERMS_IN_WORKER_FROM - 1])
    with Workers(2) as workers:
        workers.start()
        start_related_terms(small, see_also, 4, workers)()
    assert places == [True, True]  # a small glossary is not worth sending
    assert sum(map(len, here.values())) > len(terms)  # terms were related, not all empty
