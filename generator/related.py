"""Automatic "Gerelateerde artikelen": score pairs that share terms, tags or rare words.

Never compares every pair: articles become rows of a sparse feature matrix
(features weighted by kind and rarity, IDF-like), and one sparse product per
block of rows scores only pairs that share something. Features that most
articles share are dropped (cf. Hugo's cardinalityThreshold). The README
explains the scoring.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.config import RelatedSettings

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
    boost = 1.0 + settings.recency * freshness
    index_of = {a.slug: i for i, a in enumerate(articles)}
    ranks = _Ranks(-ordinals, np.arange(n))  # newer first, then slug (articles come sorted by slug)
    result: dict[str, tuple[str, ...]] = {}
    transposed = matrix.T.tocsc()
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        scores = (matrix[start:stop] @ transposed).toarray()
        rows = np.arange(stop - start)
        scores[rows, rows + start] = 0.0  # never itself
        for row in rows.tolist():
            for slug in excluded.get(articles[start + row].slug, ()):
                if slug in index_of:
                    scores[row, index_of[slug]] = 0.0
        final = np.round(scores * boost, 9)
        final[scores < settings.min_score] = -np.inf  # not a candidate
        del scores
        wants = np.array([wanted.get(articles[i].slug, 0) for i in range(start, stop)])
        picks = _best(final, wants, ranks)
        for row, picked in enumerate(picks):
            result[articles[start + row].slug] = tuple(articles[j].slug for j in picked)
    return result


_BLOCK = 256  # rows scored at once: a dense block of 256 x n scores (20 MB at 10,000 articles)


@dataclass(frozen=True)
class _Ranks:
    """Tie-breakers after the score, smaller first: -date ordinal, then slug order."""

    newer: Any  # numpy array
    slug: Any


def _best(final: Any, wants: Any, ranks: _Ranks) -> list[list[int]]:
    """Per row, the columns of its `wants[row]` best scores (-inf: no candidate), best first.

    Whole blocks at once, not row by row (a Python loop per article cost a
    second at 10,000): rows wanting the same number share one partition, every
    score tied with the last one kept stays in, and one lexsort orders them all
    by score, then newer date, then slug.
    """
    import numpy as np

    n = final.shape[1]
    picks: list[list[int]] = [[] for _ in range(final.shape[0])]
    for k in sorted({int(k) for k in wants.tolist() if k > 0}):
        rows = np.nonzero(wants == k)[0]
        block = final[rows]
        if k < n:
            kth = np.partition(block, n - k, axis=1)[:, n - k]  # each row's k-th best score
            keep = (block >= kth[:, None]) & (block > -np.inf)
        else:
            keep = block > -np.inf
        r, c = np.nonzero(keep)
        order = np.lexsort((ranks.slug[c], ranks.newer[c], -block[r, c], r))
        for row, column in zip(r[order].tolist(), c[order].tolist(), strict=True):
            chosen = picks[int(rows[row])]
            if len(chosen) < k:
                chosen.append(column)
    return picks


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


def related_terms(
    term_articles: dict[str, tuple[str, ...]], see_also: dict[str, set[str]], count: int
) -> dict[str, tuple[str, ...]]:
    """Terms that share the most articles with each term, not repeating its see_also."""
    import numpy as np
    from scipy import sparse

    slugs = sorted(term_articles)
    article_ids: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, slug in enumerate(slugs):
        for article in term_articles[slug]:
            rows.append(i)
            cols.append(article_ids.setdefault(article, len(article_ids)))
    if not rows:
        return dict.fromkeys(slugs, ())
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(slugs), len(article_ids))
    )
    shared = (matrix @ matrix.T).toarray()
    result: dict[str, tuple[str, ...]] = {}
    for i, slug in enumerate(slugs):
        line = shared[i]
        picks: list[tuple[float, str]] = [
            (-float(line[j]), slugs[j])
            for j in np.nonzero(line > 0)[0]
            if j != i and slugs[j] not in see_also.get(slug, set())
        ]
        result[slug] = tuple(s for _, s in sorted(picks)[:count])
    return result
