"""Deterministic benchmark corpus for kennisbank, written in the content format.

    python bench/corpus.py --size small --out /tmp/kb-small [--seed 1] [--jobs 2]

Same size and seed give a byte-identical tree: every random choice comes from
a ``random.Random`` seeded with a string naming what it decides (so articles
can be rendered in any order or process), iteration is over sorted or indexed
data, and nothing reads the clock. The glossary is made of words that the
filler text never uses (see vocab.py), so the terms an article uses are
exactly the ones the generator inserted; ``.bench/corpus.json`` in the output
records them, with size statistics and the files the edit scenarios of
bench/run.py change. bench/check_corpus.py verifies a tree independently.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vocab

MANIFEST = Path(".bench") / "corpus.json"
FORMAT_VERSION = 1  # bump when the generated text changes for a given seed


@dataclass(frozen=True)
class Size:
    """Item counts of one corpus size."""

    articles: int
    terms: int

    @property
    def themes(self) -> int:
        """About one theme per 100 articles, at least 10."""
        return max(10, self.articles // 100)


SIZES: dict[str, Size] = {
    "tiny": Size(120, 60),  # for quick harness tests only
    "small": Size(1_000, 300),
    "medium": Size(10_000, 1_000),
    "large": Size(50_000, 2_000),
}

WORDS_MIN, WORDS_MAX, WORDS_MODE = 300, 1_500, 1_050  # triangular: mean 950
TERMS_MIN, TERMS_MAX = 5, 20
FIRST_DAY, LAST_DAY = date(2012, 1, 1), date(2025, 6, 30)
WORD_TOKEN = re.compile(r"[^\s\w]*\w\S*")  # a whitespace-separated token with a letter or digit
RESERVED_YAML = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
PLAIN_YAML = re.compile(r"^[A-Za-zÀ-ÿ0-9][^:#\[\]{}&*!|>\"%@`]*$")


# ---------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    """The content format's slug rule: fold diacritics, runs of non [a-z0-9] to '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def heading_id(text: str) -> str:
    """GitHub-style heading id, for the '#anchor' of links to other articles."""
    kept = re.sub(r"[^\w\- ]", "", text.lower())
    return kept.replace(" ", "-")


def yaml_str(value: str) -> str:
    """A YAML scalar: plain when unambiguous (as an editor writes it), else double-quoted."""
    if (
        PLAIN_YAML.match(value)
        and value.lower() not in RESERVED_YAML
        and not re.fullmatch(r"[-+0-9.eE_:]+", value)
        and not value.endswith(" ")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def cap(text: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower 'TOS')."""
    return text[:1].upper() + text[1:]


def word_count(body: str) -> int:
    """Words of a Markdown body as a reader sees them (link targets and list markers dropped)."""
    body = re.sub(r"\]\([^)]*\)", "]", body)
    body = re.sub(r"^\s*\d+\.\s", "", body, flags=re.M)
    return len(WORD_TOKEN.findall(body))


def zipf_cum(n: int, exponent: float, total: float) -> list[float]:
    """Zipf weights for n ranks scaled to sum to total (not cumulative)."""
    raw = [1.0 / (rank + 1) ** exponent for rank in range(n)]
    scale = total / sum(raw)
    return [w * scale for w in raw]


def cumulative(weights: list[float]) -> list[float]:
    """Running sums, the form random.choices and bisect want."""
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


# ---------------------------------------------------------------- the plan


@dataclass
class Term:
    """One glossary entry and the forms the article text may use for it."""

    slug: str
    term: str
    aliases: list[str]
    text_forms: list[str]  # forms inserted in articles (term in text case, aliases)
    form_weights: list[float]
    summary: str | None = None
    see_also: list[str] = field(default_factory=list)


@dataclass
class Topic:
    """A cluster of articles sharing tags, terms and words; one theme page each."""

    title: str
    slug: str
    tags: list[str]
    terms: list[int]
    vocab: list[str]
    cum_weights: list[float]


@dataclass
class Article:
    """What other items need to know about an article before any body is written."""

    index: int
    slug: str
    title: str
    topic: int
    day: date
    words: int
    terms: list[int]
    headings: list[str]
    wrap: bool


@dataclass
class Corpus:
    """The whole plan: everything except article bodies, which render() writes."""

    size_name: str
    seed: int
    tags: list[str]
    terms: list[Term]
    topics: list[Topic]
    articles: list[Article]
    by_topic: list[list[int]]
    featured: set[int]
    term_index: dict[str, int] = field(default_factory=dict)


def filler_words() -> set[str]:
    """Every word the filler text can produce, lower-cased."""
    words = {w.lower() for w in vocab.FUNCTION_WORDS + vocab.GENERAL_WORDS}
    words |= {p + s for p in vocab.TOPIC_PREFIXES for s in vocab.TOPIC_SUFFIXES}
    words |= {w.lower() for title in vocab.SECTION_TITLES for w in title.split()}
    return words


def make_tags() -> list[str]:
    """About 200 tags with distinct slugs: the base list plus level-suffixed variants."""
    tags = list(vocab.TAG_BASE)
    for suffix in vocab.TAG_SUFFIXES:
        tags += [f"{t} {suffix}" for t in vocab.TAG_BASE[:32]]
    seen: set[str] = set()
    unique = []
    for tag in tags:
        if slugify(tag) not in seen:
            seen.add(slugify(tag))
            unique.append(tag)
    return unique[:200]


def make_glossary(n: int, seed: int, banned: set[str]) -> list[Term]:
    """n terms whose forms (case-folded) are unique and never filler words."""
    rng = random.Random(f"{seed}/glossary")
    nouns = [
        (p + h, p + hp, p, h)
        for p in vocab.TERM_PREFIXES
        for h, hp in vocab.TERM_HEADS
        if not p.startswith(h) and not h.startswith(p)
    ]
    rng.shuffle(nouns)
    n_multi = max(3, round(n * 0.07))
    taken: set[str] = set(banned)
    slugs: set[str] = set()
    abbrevs: set[str] = set()
    terms: list[Term] = []
    for noun, plural, prefix, head in nouns:
        if len(terms) >= n:
            break
        multi = len(terms) % 14 == 7 and n_multi > 0  # spread multi-word terms through the list
        if multi:
            adj = rng.choice(vocab.TERM_ADJECTIVES)
            full, full_pl = f"{adj} {noun}", f"{adj} {plural}"
            abbr = (adj[0] + prefix[0] + head[0]).upper() if rng.random() < 0.45 else None
            if abbr and (abbr in abbrevs or abbr.lower() in taken):
                abbr = None
            forms = [full, full_pl] + ([abbr] if abbr else [])
            if abbr and rng.random() < 0.35:  # the abbreviation is the entry ("TOS")
                display, aliases = abbr, [full, full_pl]
            else:
                display, aliases = cap(full), [full_pl] + ([abbr] if abbr else [])
            weights = [0.5, 0.3] + ([0.4] if abbr else [])
        else:
            forms = [noun, plural]
            display, aliases, weights = cap(noun), [plural], [0.6, 0.4]
        folded = [f.lower() for f in forms]
        slug = slugify(display)
        if any(f in taken for f in folded) or slug in slugs or len(set(folded)) < len(folded):
            continue
        taken.update(folded)
        slugs.add(slug)
        if multi:
            n_multi -= 1
            if abbr:
                abbrevs.add(abbr)
        terms.append(Term(slug, display, aliases, forms, weights))
    if len(terms) < n:
        raise SystemExit(f"glossary: only {len(terms)} distinct terms for {n} requested")
    return terms


def make_topics(size: Size, seed: int, tags: list[str], n_terms: int) -> list[Topic]:
    """Topics with their own tag set, term set and word mix (see Topic)."""
    rng = random.Random(f"{seed}/topics")
    titles = [f"{s} {q}".strip() for q in vocab.THEME_QUALIFIERS for s in vocab.THEME_SUBJECTS]
    if len(titles) < size.themes:
        raise SystemExit(f"only {len(titles)} theme titles for {size.themes} themes")
    pool = sorted({p + s for p in vocab.TOPIC_PREFIXES for s in vocab.TOPIC_SUFFIXES})
    function_w = zipf_cum(len(vocab.FUNCTION_WORDS), 1.0, 0.45)
    topics = []
    for t in range(size.themes):
        home = list(range(t, n_terms, size.themes))  # every term is home to a topic
        extra = rng.sample(range(n_terms), min(n_terms, 30))
        topic_terms = sorted(set(home) | set(extra))
        words = rng.sample(pool, 25)
        general = list(vocab.GENERAL_WORDS)
        rng.shuffle(general)
        vocab_list = list(vocab.FUNCTION_WORDS) + general + words
        weights = function_w + zipf_cum(len(general), 0.6, 0.48) + zipf_cum(25, 0.6, 0.07)
        topics.append(
            Topic(
                title=titles[t],
                slug=slugify(titles[t]),
                tags=rng.sample(tags, rng.randint(5, 9)),
                terms=topic_terms,
                vocab=vocab_list,
                cum_weights=cumulative(weights),
            )
        )
    return topics


def article_title(rng: random.Random, topic: Topic, terms: list[Term], words: list[str]) -> str:
    """A headline in one of the shapes an education site uses."""
    subject = topic.title.split(" in ")[0].split(" voor ")[0]
    term = terms[0].term if terms[0].term.isupper() else terms[0].term.lower()
    word = rng.choice(words)
    group = rng.randint(1, 8)
    shapes = (
        f"{subject}: zo pak je {word} aan",
        f"Wat is {term}?",
        f"{rng.randint(3, 12)} tips voor {word} in groep {group}",
        f"Zo werk je met {term} in de klas",
        f"{cap(word)} en {term}: wat werkt?",
        f"Aan de slag met {word} in groep {group}",
        f"Hoe {subject.lower()} en {term} elkaar versterken",
        f"Ervaringen met {word} op school",
    )
    return rng.choice(shapes)


def plan(size_name: str, seed: int) -> Corpus:
    """Decide everything but the article bodies, in a fixed order."""
    size = SIZES[size_name]
    banned = filler_words()
    assert not banned & set(vocab.TERM_ADJECTIVES), "adjective is a filler word"
    tags = make_tags()
    terms = make_glossary(size.terms, seed, banned)
    topics = make_topics(size, seed, tags, len(terms))
    rng = random.Random(f"{seed}/articles")
    term_pop = cumulative(zipf_cum(len(terms), 0.7, 1.0))  # a few terms are everywhere
    span = (LAST_DAY - FIRST_DAY).days
    articles: list[Article] = []
    slugs: set[str] = set()
    by_topic: list[list[int]] = [[] for _ in topics]
    for i in range(size.articles):
        t = rng.randrange(len(topics))
        topic = topics[t]
        k = rng.randint(TERMS_MIN, TERMS_MAX)
        chosen: list[int] = []
        while len(chosen) < k:
            if rng.random() < 0.7:
                cand = rng.choice(topic.terms)
            else:
                cand = bisect.bisect_left(term_pop, rng.random() * term_pop[-1])
            if cand not in chosen:
                chosen.append(cand)
        words = round(rng.triangular(WORDS_MIN + 10, WORDS_MAX - 10, WORDS_MODE))
        n_sections = min(7, max(2, round(words / 220)))
        title = article_title(rng, topic, [terms[c] for c in chosen], topic.vocab[-25:])
        slug, n = slugify(title), 1
        while slug in slugs:
            n += 1
            slug = slugify(f"{title} {n}")
        if n > 1:
            title = f"{title} ({n})"
        slugs.add(slug)
        articles.append(
            Article(
                index=i,
                slug=slug,
                title=title,
                topic=t,
                day=FIRST_DAY + timedelta(days=rng.randrange(span)),
                words=words,
                terms=chosen,
                headings=rng.sample(vocab.SECTION_TITLES, n_sections),
                wrap=rng.random() < 0.3,
            )
        )
        by_topic[t].append(i)
    ensure_every_term_used(articles, len(terms), topics, by_topic)
    featured = set(random.Random(f"{seed}/featured").sample(range(size.articles), 6))
    return Corpus(size_name, seed, tags, terms, topics, articles, by_topic, featured)


def ensure_every_term_used(
    articles: list[Article], n_terms: int, topics: list[Topic], by_topic: list[list[int]]
) -> None:
    """Give each unused term to an article of its home topic that has room."""
    used = {t for a in articles for t in a.terms}
    for term in range(n_terms):
        if term in used:
            continue
        home = term % len(topics)
        candidates = by_topic[home] or range(len(articles))
        for idx in candidates:
            if len(articles[idx].terms) < TERMS_MAX:
                articles[idx].terms.append(term)
                break
        else:  # no room anywhere in the topic: swap out a term used elsewhere
            articles[candidates[0]].terms[-1] = term


# ---------------------------------------------------------------- rendering


class Words:
    """A pre-drawn stream of filler words for one article (one choices() call: fast)."""

    def __init__(self, rng: random.Random, topic: Topic, n: int) -> None:
        self.items = rng.choices(topic.vocab, cum_weights=topic.cum_weights, k=n)
        self.pos = 0
        self.rng = rng
        self.topic = topic

    def take(self, n: int) -> list[str]:
        """The next n words, drawing more if the stream runs dry."""
        if self.pos + n > len(self.items):
            self.items += self.rng.choices(
                self.topic.vocab, cum_weights=self.topic.cum_weights, k=n + 200
            )
        out = self.items[self.pos : self.pos + n]
        self.pos += n
        return out


def sentence_text(tokens: list[str], rng: random.Random, end: str = ".") -> str:
    """Capitalised sentence with an occasional comma."""
    if len(tokens) > 7 and rng.random() < 0.3:
        at = rng.randrange(3, len(tokens) - 2)
        tokens = [*tokens[:at], tokens[at] + ",", *tokens[at + 1 :]]
    return cap(" ".join(tokens)) + end


def wrap(text: str, width: int = 80) -> str:
    """Greedy hard wrap, as editors who wrap their Markdown do."""
    lines: list[str] = []
    line: list[str] = []
    length = 0
    for word in text.split(" "):
        if line and length + 1 + len(word) > width:
            lines.append(" ".join(line))
            line, length = [], 0
        length += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


class BodyBuilder:
    """Blocks of one article body, built to an exact word budget."""

    def __init__(self, rng: random.Random, words: Words) -> None:
        self.rng = rng
        self.words = words
        # (kind, rows): rows are sentences, list items, table cells, or the heading's words
        self.blocks: list[tuple[str, list[list[str]]]] = []
        self.text_slots: list[list[str]] = []  # sentences and list items that may get terms
        self.has_table = False

    def sentences(self, budget: int, low: int = 6, high: int = 20) -> list[list[str]]:
        """Sentences using exactly budget words (the last one may be short)."""
        out: list[list[str]] = []
        while budget > 0:
            n = min(self.rng.randint(low, high), budget)
            if n < 3 and out:
                out[-1] += self.words.take(n)
            else:
                out.append(self.words.take(n))
            budget -= n
        self.text_slots.extend(out)
        return out

    def section(self, budget: int) -> None:
        """Paragraphs, lists, a sub-heading or a table, until budget is spent."""
        rng = self.rng
        first = True
        while budget > 0:
            roll = rng.random()
            if first or roll < 0.5 or budget < 25:
                n = min(budget, rng.randint(40, 110))
                self.blocks.append(("p", self.sentences(n)))
            elif roll < 0.72:
                items = rng.randint(3, 7)
                n = min(budget, items * rng.randint(5, 12))
                kind = "ol" if rng.random() < 0.25 else "ul"
                self.blocks.append((kind, self.sentences(n, 4, 12)))
            elif roll < 0.9:
                head = self.words.take(rng.randint(2, 5))
                n = min(budget - len(head), rng.randint(40, 100))
                budget -= len(head)
                self.blocks.append(("h3", [head]))
                if n > 0:
                    self.blocks.append(("p", self.sentences(n)))
            elif budget >= 60 and not self.has_table:
                rows = [self.words.take(rng.randint(1, 3)) for _ in range(rng.randint(3, 5) * 3)]
                n = sum(len(r) for r in rows) + 5  # + the header's words
                self.blocks.append(("table", rows))
                self.has_table = True
            else:
                n = min(budget, rng.randint(40, 110))
                self.blocks.append(("p", self.sentences(n)))
            budget -= n
            first = False

    def render(self, wrapped: bool) -> str:
        """Markdown text of the blocks."""
        rng = self.rng
        out = []
        for kind, data in self.blocks:
            if kind in ("h2", "h3"):
                out.append(f"{'#' * int(kind[1])} {cap(' '.join(data[0]))}")
            elif kind == "p":
                text = " ".join(
                    sentence_text(s, rng, "?" if rng.random() < 0.05 else ".") for s in data
                )
                out.append(wrap(text) if wrapped else text)
            elif kind in ("ul", "ol"):
                out.append(
                    "\n".join(
                        f"{'-' if kind == 'ul' else f'{n}.'} {sentence_text(s, rng, '')}"
                        for n, s in enumerate(data, 1)
                    )
                )
            elif kind == "table":
                rows = data
                lines = ["| Fase | Wat je doet | Voorbeeld |", "| --- | --- | --- |"]
                for r in range(0, len(rows), 3):
                    lines.append(
                        "| " + " | ".join(cap(" ".join(c)) for c in rows[r : r + 3]) + " |"
                    )
                out.append("\n".join(lines))
        return "\n\n".join(out) + "\n"


def article_links(corpus: Corpus, art: Article, rng: random.Random) -> list[tuple[str, str]]:
    """1-3 (wrapper words, relative Markdown link target) pairs; every target exists."""
    links = []
    mates = corpus.by_topic[art.topic]
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.75 and len(mates) > 1:
            other = corpus.articles[rng.choice(mates)]
            if other.index == art.index:
                other = corpus.articles[(art.index + 1) % len(corpus.articles)]
            target = f"{other.slug}.md"
            if rng.random() < 0.3:
                target += "#" + heading_id(rng.choice(other.headings))
            lead = rng.choice(("Lees ook", "Meer hierover in", "Zie ook", "Vergelijk"))
        else:
            term = corpus.terms[rng.choice(art.terms)]
            target = f"../glossary/{term.slug}.md"
            lead = rng.choice(("Zie de uitleg bij", "Lees meer over", "Kijk bij"))
        links.append((lead, target))
    return links


def render_article(corpus: Corpus, art: Article) -> tuple[str, dict[str, int]]:
    """Front matter and body of one article, and its statistics."""
    rng = random.Random(f"{corpus.seed}/body/{art.index}")
    topic = corpus.topics[art.topic]
    words = Words(rng, topic, art.words + 300)
    mentions: list[str] = []
    for t in art.terms:
        term = corpus.terms[t]
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            form = rng.choices(term.text_forms, weights=term.form_weights)[0]
            mentions.append(form)
    links = article_links(corpus, art, rng)
    link_sentences = []
    for lead, target in links:
        text = words.take(rng.randint(2, 5))
        link_sentences.append([*lead.split(), f"[{' '.join(text)}]({target})"])
    fixed = sum(len(m.split()) for m in mentions)
    fixed += sum(len(s) - 1 + len(s[-1].split()) for s in link_sentences)
    fixed += sum(len(h.split()) for h in art.headings)
    budget = art.words - fixed
    b = BodyBuilder(rng, words)
    intro = max(30, budget // (len(art.headings) * 6))
    b.blocks.append(("p", b.sentences(intro)))
    per_section = (budget - intro) // len(art.headings)
    for n, heading in enumerate(art.headings):
        b.blocks.append(("h2", [heading.split()]))
        last = n == len(art.headings) - 1
        b.section(budget - intro - per_section * n if last else per_section)
    paragraphs = [blk for blk in b.blocks if blk[0] == "p"]
    for sentence in link_sentences:
        para = rng.choice(paragraphs)[1]
        para.insert(rng.randint(0, len(para)), sentence)
    slots = b.text_slots
    for mention in mentions:
        slot = rng.choice(slots)
        slot.insert(rng.randint(0, len(slot)), mention)
    body = b.render(art.wrap)
    return front_matter_article(corpus, art, rng, words) + body, {
        "words": word_count(body),
        "terms": len(art.terms),
    }


def front_matter_article(corpus: Corpus, art: Article, rng: random.Random, words: Words) -> str:
    """Realistic front matter: optional fields on a share of the articles."""
    topic = corpus.topics[art.topic]
    lines = ["---", f"title: {yaml_str(art.title)}", f"date: {art.day.isoformat()}"]
    if rng.random() < 0.15:
        updated = min(art.day + timedelta(days=rng.randint(10, 700)), LAST_DAY)
        lines.append(f"updated: {updated.isoformat()}")
    if rng.random() < 0.4:
        lines.append(f"author: {yaml_str(rng.choice(vocab.AUTHORS))}")
    if rng.random() < 0.5:
        summary = sentence_text(words.take(rng.randint(12, 24)), rng)
        lines.append(f"summary: {yaml_str(summary)}")
    n_tags = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
    tags = sorted(set(rng.sample(topic.tags, min(n_tags, len(topic.tags)))))
    if rng.random() < 0.15:
        tags = sorted({*tags[:-1], rng.choice(corpus.tags)})
    if len(tags) == 1 and rng.random() < 0.5:
        lines.append(f"tags: {yaml_str(tags[0])}")
    else:
        lines.append("tags:")
        lines += [f"  - {yaml_str(t)}" for t in tags]
    if rng.random() < 0.1:
        mates = [i for i in corpus.by_topic[art.topic] if i != art.index]
        picks = rng.sample(mates, min(len(mates), rng.randint(1, 3)))
        if picks:
            lines.append("related:")
            lines += [f"  - {corpus.articles[p].slug}" for p in picks]
            if rng.random() < 0.2:
                host = rng.choice(vocab.OUTSIDE_HOSTS)
                lines.append(f"  - title: {yaml_str(cap(' '.join(words.take(3))))}")
                lines.append(f"    url: {host}/artikel/{art.index}")
    if art.index in corpus.featured:
        lines.append("featured: true")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def render_term(corpus: Corpus, index: int) -> str:
    """A glossary file: 2-5 sentences of definition, optional summary and see_also."""
    rng = random.Random(f"{corpus.seed}/term/{index}")
    term = corpus.terms[index]
    topic = corpus.topics[index % len(corpus.topics)]
    words = Words(rng, topic, 120)
    lines = ["---", f"term: {yaml_str(term.term)}"]
    if term.aliases:
        lines.append("aliases:")
        lines += [f"  - {yaml_str(a)}" for a in term.aliases]
    if term.summary:
        lines.append(f"summary: {yaml_str(term.summary)}")
    if term.see_also:
        lines.append("see_also:")
        lines += [f"  - {s}" for s in term.see_also]
    lines.append("---")
    sentences = [f"{term.term} {' '.join(words.take(rng.randint(8, 16)))}."]
    for _ in range(rng.randint(1, 4)):
        toks = words.take(rng.randint(7, 16))
        if term.see_also and rng.random() < 0.4:
            other = corpus.terms[corpus.term_index[term.see_also[0]]]
            toks.insert(rng.randint(1, len(toks)), other.text_forms[0])
        sentences.append(sentence_text(toks, rng))
    return "\n".join(lines) + "\n\n" + " ".join(sentences) + "\n"


def decorate_glossary(corpus: Corpus) -> None:
    """Summaries and see_also, decided after the glossary so slugs exist."""
    rng = random.Random(f"{corpus.seed}/glossary-extra")
    slugs = [t.slug for t in corpus.terms]
    corpus.term_index = {s: i for i, s in enumerate(slugs)}
    topic = corpus.topics[0]
    words = Words(rng, topic, 200)
    for i, term in enumerate(corpus.terms):
        if rng.random() < 0.4:
            term.summary = f"{term.term} {' '.join(words.take(rng.randint(8, 15)))}."
        if rng.random() < 0.6:
            picks = rng.sample(range(len(slugs)), rng.randint(1, 3))
            term.see_also = sorted({slugs[p] for p in picks if p != i})


def render_theme(corpus: Corpus, t: int) -> str:
    """A theme page: curated sections of article, term and outside links."""
    rng = random.Random(f"{corpus.seed}/theme/{t}")
    topic = corpus.topics[t]
    words = Words(rng, topic, 400)
    members = corpus.by_topic[t]

    def text(lo: int, hi: int) -> str:
        return sentence_text(words.take(rng.randint(lo, hi)), rng)

    lines = ["---", f"title: {yaml_str(topic.title)}", f"summary: {yaml_str(text(10, 20))}"]
    lines.append("sections:")
    lines += ["  - title: Kennis uit onderzoek", f"    intro: {yaml_str(text(8, 18))}"]
    lines.append("    links:" if members else "    links: []")
    for i in sorted(rng.sample(members, min(len(members), rng.randint(3, 8)))):
        lines.append(f"      - article: {corpus.articles[i].slug}")
        if rng.random() < 0.15:
            lines.append(f"        description: {yaml_str(text(6, 12))}")
    lines += ["  - title: Begrippen", "    links:"]
    for i in sorted(rng.sample(topic.terms, min(len(topic.terms), rng.randint(3, 6)))):
        lines.append(f"      - term: {corpus.terms[i].slug}")
    lines += [
        "  - title: Tools en instrumenten",
        f"    intro: {yaml_str(text(8, 16))}",
        "    links:",
    ]
    for n in range(rng.randint(2, 5)):
        host = rng.choice(vocab.OUTSIDE_HOSTS)
        name = cap(" ".join(words.take(rng.randint(1, 3))))
        lines += [
            f"      - title: {yaml_str(name)}",
            f"        url: {host}/{topic.slug}/{n + 1}",
            f"        description: {yaml_str(text(6, 14))}",
            f"        kind: {rng.choice(vocab.OUTSIDE_KINDS)}",
        ]
    if rng.random() < 0.3:
        lines += ["  - title: Binnenkort", f"    intro: {yaml_str(text(8, 16))}", "    links: []"]
    lines.append("---")
    body = "\n\n".join(text(10, 20) + " " + text(10, 20) for _ in range(rng.randint(1, 3)))
    return "\n".join(lines) + "\n\n" + body + "\n"


PAGES: tuple[tuple[str, str, int | None], ...] = (
    ("over-ons", "Over ons", 1),
    ("contact", "Contact", 2),
    ("colofon", "Colofon", None),
    ("privacy", "Privacyverklaring", None),
    ("toegankelijkheid", "Toegankelijkheid", None),
)


def render_page(corpus: Corpus, n: int) -> str:
    """A free page with a heading or two."""
    slug, title, menu = PAGES[n]
    rng = random.Random(f"{corpus.seed}/page/{slug}")
    words = Words(rng, corpus.topics[0], 400)
    lines = ["---", f"title: {title}", f"summary: {sentence_text(words.take(10), rng)}"]
    if menu is not None:
        lines.append(f"menu: {menu}")
    lines.append("---")
    parts = [" ".join(sentence_text(words.take(rng.randint(8, 16)), rng) for _ in range(3))]
    for heading in rng.sample(vocab.SECTION_TITLES, 2):
        parts.append(f"## {heading}")
        parts.append(" ".join(sentence_text(words.take(rng.randint(8, 16)), rng) for _ in range(3)))
    return "\n".join(lines) + "\n\n" + "\n\n".join(parts) + "\n"


def site_yaml(corpus: Corpus) -> str:
    """Site settings; search off because figures are taken without it."""
    return (
        f"title: Kennisbank Onderwijs ({corpus.size_name})\n"
        "base_url: https://kennisbank.example.org/\n"
        "language: nl\n"
        "description: Benchmarkcorpus van een kennisbank voor het onderwijs\n"
        "default_author: Redactie Kennisbank Onderwijs\n"
        "glossary:\n  link: first\n"
        "related:\n  count: 6\n"
        "search: false\n"
        "pagination:\n  per_page: 20\n"
        "menu:\n"
        "  - {title: Artikelen, url: /artikelen/}\n"
        "  - {title: Begrippen, url: /begrippen/}\n"
        "  - {title: Thema's, url: /themas/}\n"
    )


# ---------------------------------------------------------------- writing

_CORPUS: Corpus | None = None  # set before workers fork


def write_articles(out: str, start: int, stop: int) -> list[tuple[int, int, int]]:
    """Render and write articles[start:stop]; return (index, words, terms) per article."""
    assert _CORPUS is not None
    folder = Path(out) / "content" / "articles"
    stats = []
    for art in _CORPUS.articles[start:stop]:
        text, st = render_article(_CORPUS, art)
        (folder / f"{art.slug}.md").write_text(text, encoding="utf-8")
        stats.append((art.index, st["words"], st["terms"]))
    return stats


def generate(size_name: str, seed: int, out: Path, jobs: int) -> dict[str, object]:
    """Write the whole tree to out (replacing it) and return the manifest."""
    global _CORPUS
    corpus = plan(size_name, seed)
    decorate_glossary(corpus)
    _CORPUS = corpus
    if out.exists():
        shutil.rmtree(out)
    for sub in ("articles", "glossary", "themes", "pages"):
        (out / "content" / sub).mkdir(parents=True)
    (out / "site.yaml").write_text(site_yaml(corpus), encoding="utf-8")
    for i, term in enumerate(corpus.terms):
        (out / "content" / "glossary" / f"{term.slug}.md").write_text(
            render_term(corpus, i), encoding="utf-8"
        )
    for t, topic in enumerate(corpus.topics):
        (out / "content" / "themes" / f"{topic.slug}.md").write_text(
            render_theme(corpus, t), encoding="utf-8"
        )
    for n, (slug, _, _) in enumerate(PAGES):
        (out / "content" / "pages" / f"{slug}.md").write_text(
            render_page(corpus, n), encoding="utf-8"
        )
    n = len(corpus.articles)
    chunk = 500
    ranges = [(i, min(n, i + chunk)) for i in range(0, n, chunk)]
    stats: list[tuple[int, int, int]] = []
    if jobs > 1:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for part in pool.map(
                write_articles, [str(out)] * len(ranges), *zip(*ranges, strict=False)
            ):
                stats += part
    else:
        for start, stop in ranges:
            stats += write_articles(str(out), start, stop)
    return manifest(corpus, stats)


def manifest(corpus: Corpus, stats: list[tuple[int, int, int]]) -> dict[str, object]:
    """What the harness and check_corpus.py need: counts, statistics, edit targets, term use."""
    words = sorted(s[1] for s in stats)
    per_article = sorted(s[2] for s in stats)
    usage = [0] * len(corpus.terms)
    for art in corpus.articles:
        for t in art.terms:
            usage[t] += 1
    # Edit targets: a typical article, and a term with a summary used by a median
    # number of articles.
    edit_article = corpus.articles[len(corpus.articles) // 2]
    with_summary = sorted(
        (i for i, t in enumerate(corpus.terms) if t.summary), key=lambda i: (usage[i], i)
    )
    edit_term = with_summary[len(with_summary) // 2]
    return {
        "format_version": FORMAT_VERSION,
        "size": corpus.size_name,
        "seed": corpus.seed,
        "counts": {
            "articles": len(corpus.articles),
            "terms": len(corpus.terms),
            "themes": len(corpus.topics),
            "pages": len(PAGES),
            "tags": len(set(corpus.tags)),
        },
        "words_per_article": {
            "min": words[0],
            "median": words[len(words) // 2],
            "mean": round(sum(words) / len(words), 1),
            "max": words[-1],
            "total": sum(words),
        },
        "terms_per_article": {
            "min": per_article[0],
            "mean": round(sum(per_article) / len(per_article), 2),
            "max": per_article[-1],
        },
        "articles_per_term": {"min": min(usage), "max": max(usage)},
        "edit_article": f"content/articles/{edit_article.slug}.md",
        "edit_term": f"content/glossary/{corpus.terms[edit_term].slug}.md",
        "edit_term_used_by": usage[edit_term],
        "article_terms": {
            a.slug: sorted(corpus.terms[t].slug for t in a.terms) for a in corpus.articles
        },
        "term_forms": {t.slug: t.text_forms for t in corpus.terms},
    }


def main(argv: list[str] | None = None) -> int:
    """CLI: generate one corpus and print its statistics."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="site folder to (re)create")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = ap.parse_args(argv)
    started = time.monotonic()
    data = generate(args.size, args.seed, args.out, max(1, args.jobs))
    path = args.out / MANIFEST
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    summary = {
        k: data[k]
        for k in ("counts", "words_per_article", "terms_per_article", "articles_per_term")
    }
    print(json.dumps(summary, indent=1))
    print(f"wrote {args.out} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
