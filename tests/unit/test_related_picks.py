"""pick_related agrees with the rule scored article by article, ties and block edges included."""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np
import pytest

from generator import related
from generator.config import RelatedSettings
from generator.related import ArticleFeatures, _feature_matrix, pick_related, start_picks
from generator.workers import Workers


def reference_picks(
    articles: list[ArticleFeatures],
    excluded: dict[str, set[str]],
    wanted: dict[str, int],
    settings: RelatedSettings,
) -> dict[str, tuple[str, ...]]:
    """The rule, one article at a time: candidates at or above min_score, best score first,
    then the newer date, then the slug."""
    matrix = _feature_matrix(articles, settings)
    scores = (matrix @ matrix.T).toarray()
    ordinals = np.array([a.ordinal for a in articles])
    span = max(1, int(ordinals.max() - ordinals.min()))
    freshness = (ordinals - ordinals.min()) / span
    result: dict[str, tuple[str, ...]] = {}
    for i, article in enumerate(articles):
        line = scores[i].copy()
        line[i] = 0.0
        for j, other in enumerate(articles):
            if other.slug in excluded.get(article.slug, ()):
                line[j] = 0.0
        ranked = sorted(
            (
                (-round(float(line[j] * (1.0 + settings.recency * freshness[j])), 9), -a.ordinal, j)
                for j, a in enumerate(articles)
                if line[j] >= settings.min_score
            ),
        )
        k = wanted.get(article.slug, 0)
        result[article.slug] = tuple(articles[j].slug for *_, j in ranked[: max(k, 0)])
    return result


def random_site(
    seed: int, n: int
) -> tuple[list[ArticleFeatures], dict[str, set[str]], dict[str, int]]:
    rng = random.Random(f"related-{seed}")
    articles = [
        ArticleFeatures(
            slug=f"a{i:03d}",
            ordinal=738000 + rng.choice([0, 0, 5, 9]),  # many equal dates: ties reach the slug
            terms=frozenset(rng.sample(["t1", "t2", "t3", "t4", "t5"], rng.randint(0, 3))),
            tags=frozenset(rng.sample(["g1", "g2", "g3"], rng.randint(0, 2))),
            words=frozenset(rng.sample(["les", "toets", "klas", "school"], rng.randint(0, 2))),
        )
        for i in range(n)
    ]
    slugs = [a.slug for a in articles]
    excluded = {s: set(rng.sample(slugs, rng.randint(0, 2))) for s in slugs if rng.random() < 0.2}
    wanted = {s: rng.choice([0, 1, 3, 6, 6, 6, n + 5]) for s in slugs}
    return articles, excluded, wanted


@pytest.mark.parametrize("seed", range(12))
def test_block_picks_equal_the_article_by_article_rule(seed: int) -> None:
    articles, excluded, wanted = random_site(seed, n=40 + 23 * seed)  # some sites span blocks
    settings = RelatedSettings(min_score=0.5 if seed % 2 else 1.0, recency=0.1 * (seed % 3))
    assert pick_related(articles, excluded, wanted, settings) == reference_picks(
        articles, excluded, wanted, settings
    )


def test_a_site_larger_than_a_block_is_scored_in_blocks() -> None:
    articles, excluded, wanted = random_site(99, n=600)
    settings = RelatedSettings()
    assert pick_related(articles, excluded, wanted, settings) == reference_picks(
        articles, excluded, wanted, settings
    )


def test_picks_started_in_a_worker_are_the_picks_scored_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles, excluded, wanted = random_site(5, n=300)
    settings = RelatedSettings(min_score=0.5, recency=0.1)
    here = pick_related(articles, excluded, wanted, settings)
    parent = os.getpid()

    def elsewhere(*args: Any) -> dict[str, tuple[str, ...]]:
        assert os.getpid() != parent, "scored in the parent, not in a worker"
        return pick_related(*args)

    monkeypatch.setattr(related, "pick_related", elsewhere)  # the forked workers see it too
    monkeypatch.setattr(related, "WORKER_FROM", 1)
    timings: dict[str, float] = {}
    with Workers(2) as workers:
        wait = start_picks(articles, excluded, wanted, settings, workers, timings=timings)
        assert wait() == here
        assert wait() is wait()  # waited for once
    assert timings["scoring"] > 0
    monkeypatch.setattr(related, "pick_related", pick_related)
    assert start_picks(articles, excluded, wanted, settings, 1)() == here
    assert sum(map(len, here.values())) > len(articles)  # picks were made, not all empty
