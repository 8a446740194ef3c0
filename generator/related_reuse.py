"""The automatic related picks of a build, taken from the last build whenever its inputs allow.

Scoring 10,000 articles takes about 3 s, and even making their features (the
words of title and summary, terms, tags, date) took a rebuild 0.4 s. The picks
depend only on those features, the explicit related lists and the settings.
So each build leaves its state: every article's file digest and feature
digest, and the picks. A rebuild makes the features only of the articles
whose file changed since; when those features are as before, so are the
picks (and the state is kept again only once many files have changed).
Otherwise the features of every article are made and the picks looked up by
all of them (an undone edit hits), or scored anew.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.cache import BuildCache
from generator.config import SiteConfig
from generator.digests import stable_digest
from generator.glossary_links import Glossary
from generator.model import Article, Content
from generator.parse import ParsedBody
from generator.related import ArticleFeatures, Picks, distinctive_words, start_picks
from generator.workers import Workers

STATE = "related state"  # cache kind: digest of the settings and explicit lists -> _State
PICKS = "related"  # cache kind: digest of every article's features -> the picks

# Articles whose file changed since the state was kept, with the same features: up to this
# many have their features made again by every build, rather than the state (3 MB at
# 10,000 articles) pickled and kept again after each edit of an article's text.
RESTATE_FROM = 50


@dataclass(frozen=True)
class _State:
    files: dict[str, str]  # article slug -> sha256 of its file
    features: dict[str, str]  # article slug -> digest of its features
    picks: Picks
    key: str  # the picks' key among those kept by features (PICKS)


def related_picks(
    content: Content,
    config: SiteConfig,
    glossary: Glossary,
    features_of: Callable[[Article], ArticleFeatures],
    excluded: dict[str, set[str]],
    wanted: dict[str, int],
    cache: BuildCache | None,
    workers: Workers | int = 1,
    timings: dict[str, float] | None = None,
) -> Callable[[], Picks]:
    """For each article, its automatic picks (best first), reused from the last build if it can.

    Call the answer for the picks: when they must be scored anew, that runs in
    a worker meanwhile (related.start_picks), and they are kept in the cache
    once they are in. `features_of` makes an article's features (from its
    file, its parsed body and the term forms). Besides the articles, the picks
    read the settings, the term forms that find mentions, and the explicit
    lists: a change in any of them starts from a state of its own.
    """
    explicit = (sorted((s, sorted(slugs)) for s, slugs in excluded.items()), sorted(wanted.items()))
    context = stable_digest((config, glossary.matcher.signature, glossary.mode, explicit))
    files = {a.slug: content.digests[a.source] for a in content.articles}
    kept = cache if cache is not None and cache.enabled else None
    last = kept.load(STATE, [context]).get(context) if kept is not None else None
    if kept is not None and isinstance(last, _State) and last.files.keys() == files.keys():
        changed = [a for a in content.articles if last.files[a.slug] != files[a.slug]]
        if all(stable_digest(_row(features_of(a))) == last.features[a.slug] for a in changed):
            kept.reused(STATE, 1)
            kept.mark_used(PICKS, [last.key])  # kept too: undoing a later edit finds them
            if len(changed) > RESTATE_FROM:
                kept.store(STATE, {context: _State(files, last.features, last.picks, last.key)})
            return _ready(last.picks)
    features = [features_of(a) for a in content.articles]
    if kept is None:
        return start_picks(features, excluded, wanted, config.related, workers, timings=timings)
    rows = [_row(f) for f in features]
    key = stable_digest((rows, *explicit, config.related))
    digests = {row[0]: stable_digest(row) for row in rows}
    found = kept.load(PICKS, [key])
    if key in found:
        kept.reused(PICKS, 1)
        picks: Picks = found[key]
        kept.store(STATE, {context: _State(files, digests, picks, key)})
        return _ready(picks)
    scored = start_picks(features, excluded, wanted, config.related, workers, timings=timings)

    def keep() -> Picks:
        """The picks, kept in the cache as they come in (RelatedLists asks once)."""
        picks = scored()
        kept.store(PICKS, {key: picks})
        kept.store(STATE, {context: _State(files, digests, picks, key)})
        return picks

    return keep


def _ready(picks: Picks) -> Callable[[], Picks]:
    return lambda: picks


Row = tuple[str, int, list[str], list[str], list[str]]


def _row(features: ArticleFeatures) -> Row:
    """The features in a canonical form (sorted lists, not sets): what the keys hash."""
    f = features
    return (f.slug, f.ordinal, sorted(f.terms), sorted(f.tags), sorted(f.words))


def article_features(
    bodies: Mapping[str, ParsedBody], summaries: Mapping[str, str]
) -> Callable[[Article], ArticleFeatures]:
    """What related scoring reads of an article: date, terms mentioned, tags, distinctive words."""

    def features_of(article: Article) -> ArticleFeatures:
        mentions = bodies[article.source].mentions
        return ArticleFeatures(
            slug=article.slug,
            ordinal=article.date.date.toordinal(),
            terms=frozenset(s for s, _ in mentions) if article.glossary else frozenset(),
            tags=frozenset(t.slug for t in article.tags),
            words=distinctive_words(article.title, summaries[article.source]),
        )

    return features_of
