"""Automatic "Gerelateerde artikelen": score pairs that share terms, tags or rare words.

Never compares every pair: articles become rows of a sparse feature matrix
(features weighted by kind and rarity, IDF-like), and one sparse product per
block of rows scores only pairs that share something. Features that most
articles share are dropped (cf. Hugo's cardinalityThreshold). The README
explains the scoring.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.config import RelatedSettings
from generator.workers import Workers

if TYPE_CHECKING:
    from scipy import sparse

# numpy and scipy are imported where they are used: they take half a second to
# load, and a rebuild whose related lists come from the build cache needs neither.

_WORD = re.compile(r"[^\W\d_]{4,}")
# Words too common to say two articles are about the same thing.
STOPWORDS = frozenset(
    """
    aan alle alleen als ander andere beter bij binnen daar daarom dan dat deze die dit doen door
    een eens eigen elke en enkele er geen goed haar heeft hebben heel hem hier hij hoe hun
    iets ieder jaar jij jouw juist kan kunnen kun maar meer meest met mijn moet moeten naar
    niet niets nog nu of ons onze ook over meer sinds te tegen toch tot tussen uit van veel
    voor waar wat we welke wel werd wie wij wordt worden zich zijn zo zoals zonder zou zullen
    about after also been before being between both could does each from have into just
    more most much only other over same some such than that their them then there these
    they this those through very what when where which while will with would your
    """.split()
)
CARDINALITY_THRESHOLD = 0.5  # features on more than this share of articles are ignored
BLOCK = 128  # articles scored by one sparse product (its dense scores: 128 x n floats)
Picks = dict[str, tuple[str, ...]]  # article slug -> its automatic picks, best first


@dataclass(frozen=True)
class ArticleFeatures:
    slug: str
    ordinal: int  # publication date as a day number (recency)
    terms: frozenset[str]
    tags: frozenset[str]
    words: frozenset[str]


def distinctive_words(*texts: str) -> frozenset[str]:
    """Lower-cased words of 4+ letters that are not stopwords."""
    words = {w.lower() for text in texts for w in _WORD.findall(text)}
    return frozenset(w for w in words if w not in STOPWORDS)


def pick_related(
    articles: Sequence[ArticleFeatures],
    excluded: dict[str, set[str]],
    wanted: dict[str, int],
    settings: RelatedSettings,
) -> dict[str, tuple[str, ...]]:
    """For each article, up to wanted[slug] automatic picks, best first.

    `excluded[slug]` holds slugs already listed (explicit `related`); self is
    always excluded. Ties break on newer date, then slug.
    """
    import numpy as np

    n = len(articles)
    if n < 2 or not any(wanted.values()):
        return {a.slug: () for a in articles}
    matrix = _feature_matrix(articles, settings)
    ordinals = np.array([a.ordinal for a in articles], dtype=np.int64)
    span = max(1, int(ordinals.max() - ordinals.min()))
    freshness = (ordinals - ordinals.min()) / span  # 0 oldest .. 1 newest
    slug_rank = np.arange(n)  # articles arrive sorted by slug
    index_of = {a.slug: i for i, a in enumerate(articles)}
    result: dict[str, tuple[str, ...]] = {}
    block = BLOCK
    transposed = matrix.T.tocsr()  # CSR @ CSR: a CSC operand is converted for every block
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = (matrix[start:stop] @ transposed).toarray()
        for row in range(stop - start):
            i = start + row
            article = articles[i]
            k = wanted.get(article.slug, 0)
            if k <= 0:
                result[article.slug] = ()
                continue
            line = scores[row]
            line[i] = 0.0
            for slug in excluded.get(article.slug, ()):
                if slug in index_of:
                    line[index_of[slug]] = 0.0
            candidates = np.nonzero(line >= settings.min_score)[0]
            if candidates.size == 0:
                result[article.slug] = ()
                continue
            final = np.round(line[candidates] * (1.0 + settings.recency * freshness[candidates]), 9)
            if candidates.size > k:
                kth = np.partition(final, candidates.size - k)[candidates.size - k]
                keep = final >= kth
                candidates, final = candidates[keep], final[keep]
            order = np.lexsort((slug_rank[candidates], -ordinals[candidates], -final))
            result[article.slug] = tuple(articles[j].slug for j in candidates[order][:k])
    return result


WORKER_FROM = 2000  # articles; fewer are scored here (a worker would spend longer importing scipy)


def start_picks(
    articles: Sequence[ArticleFeatures],
    excluded: dict[str, set[str]],
    wanted: dict[str, int],
    settings: RelatedSettings,
    workers: Workers | int,
    *,
    timings: dict[str, float] | None = None,
) -> Callable[[], Picks]:
    """pick_related started in a worker; call the answer to wait for the picks.

    At 10,000 articles scoring takes about 3 s, which the parent spent alone
    while the workers waited. In a worker it runs beside the rendering of the
    pages that show no related list (the article pages are planned last).
    With one job, or few articles, the picks are scored here when first asked
    for. `timings` gets the seconds the scoring took, wherever it ran ("scoring").
    """
    scored: Callable[[], tuple[Picks, float]]
    if not isinstance(workers, Workers) or workers.count <= 1 or len(articles) < WORKER_FROM:
        scored = functools.partial(_picked, articles, excluded, wanted, settings)
    else:
        scored = workers.call(_picked, articles, excluded, wanted, settings)

    @functools.cache
    def picks() -> Picks:
        found, seconds = scored()
        if timings is not None:
            timings["scoring"] = seconds
        return found

    return picks


def _picked(
    articles: Sequence[ArticleFeatures],
    excluded: dict[str, set[str]],
    wanted: dict[str, int],
    settings: RelatedSettings,
) -> tuple[Picks, float]:
    """The picks, and the seconds they took (a build's --timings shows them)."""
    start = time.perf_counter()
    picks = pick_related(articles, excluded, wanted, settings)
    return picks, time.perf_counter() - start


def _feature_matrix(
    articles: Sequence[ArticleFeatures], settings: RelatedSettings
) -> sparse.csr_matrix:
    """Rows: articles; columns: shared features; sqrt(weight * idf) so X·Xᵀ sums weight * idf."""
    import numpy as np
    from scipy import sparse

    n = len(articles)
    kinds = (
        ("t", settings.weight_terms),
        ("g", settings.weight_tags),
        ("w", settings.weight_words),
    )
    postings: dict[tuple[str, str], list[int]] = {}
    for i, article in enumerate(articles):
        for prefix, values in (("t", article.terms), ("g", article.tags), ("w", article.words)):
            for value in values:
                postings.setdefault((prefix, value), []).append(i)
    weight_of = dict(kinds)
    limit = max(2, int(CARDINALITY_THRESHOLD * n)) if n >= 8 else n
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    column = 0
    for feature in sorted(postings):
        members = postings[feature]
        df = len(members)
        if df < 2 or df > limit:
            continue
        weight = math.sqrt(weight_of[feature[0]] * math.log(n / df + 1.0))
        rows.extend(members)
        cols.extend([column] * df)
        vals.extend([weight] * df)
        column += 1
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(column, 1)), dtype=np.float64)


TERMS_IN_WORKER_FROM = 200  # terms; fewer are counted here (sending them costs more)
RelatedTerms = dict[str, tuple[str, ...]]  # term slug -> its related terms, best first


def start_related_terms(
    term_articles: dict[str, tuple[str, ...]],
    see_also: dict[str, set[str]],
    count: int,
    workers: Workers | int,
) -> Callable[[], RelatedTerms]:
    """related_terms, in a worker when the workers already run; call the answer to wait.

    At 1,000 terms counting takes 0.26 s, which a cold build spent alone while
    the workers waited; in a worker it runs beside the parent making the
    articles' related features. Otherwise (one job, a small site, a pool not
    started) the terms are counted here, now.
    """
    if (
        isinstance(workers, Workers)
        and workers.running
        and len(term_articles) >= TERMS_IN_WORKER_FROM
    ):
        return workers.call(_counted_terms, term_articles, see_also, count)
    found = related_terms(term_articles, see_also, count)
    return lambda: found


def _counted_terms(
    term_articles: dict[str, tuple[str, ...]], see_also: dict[str, set[str]], count: int
) -> RelatedTerms:
    """related_terms as found in the worker when it runs (tests replace it there)."""
    return related_terms(term_articles, see_also, count)


def related_terms(
    term_articles: dict[str, tuple[str, ...]], see_also: dict[str, set[str]], count: int
) -> RelatedTerms:
    """Terms that share the most articles with each term, not repeating its see_also.

    Counted article by article: each pair of terms one article mentions shares
    it. Plain counting, not a sparse product: an article mentions 5 to 20
    terms, and importing numpy and scipy for this took a cold build longer
    than the counting (0.2 s at 1,000 terms).
    """
    slugs = sorted(term_articles)
    terms_of: dict[str, list[str]] = {}
    for slug in slugs:
        for article in term_articles[slug]:
            terms_of.setdefault(article, []).append(slug)
    shared: dict[str, Counter[str]] = {slug: Counter() for slug in slugs}
    for terms in terms_of.values():
        for slug in terms:
            shared[slug].update(terms)
    result: dict[str, tuple[str, ...]] = {}
    for slug in slugs:
        left_out = see_also.get(slug, set())
        # The best `count`, and as many more as could be left out: most shared, then by slug.
        best = heapq.nsmallest(
            count + 1 + len(left_out), ((-n, other) for other, n in shared[slug].items())
        )
        picks = [other for _, other in best if other != slug and other not in left_out]
        result[slug] = tuple(picks[:count])
    return result
