"""The cache keys made without pickling whole items: each covers everything its value is made of."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from generator import index, page_inputs
from generator.bodies import BodyJob, _job_key
from generator.build import BuildResult
from generator.index import RelatedEntry
from generator.model import ArticleRef, GlossaryTerm
from generator.page_inputs import item_inputs

ARTICLE = "content/articles/hoogsensitiviteit-in-de-klas.md"


def test_content_holds_the_sha256_of_every_valid_file(example_build: BuildResult) -> None:
    content = example_build.content
    assert content is not None
    items = [*content.articles, *content.terms, *content.themes, *content.pages]
    assert sorted(content.digests) == sorted(item.source for item in items)
    root = Path(__file__).parents[2]
    data = (root / ARTICLE).read_bytes()
    assert content.digests[ARTICLE] == hashlib.sha256(data).hexdigest()


def test_the_item_inputs_follow_path_slug_bytes_and_resolved_references(
    example_build: BuildResult,
) -> None:
    content = example_build.content
    assert content is not None
    article = next(a for a in content.articles if a.source == ARTICLE)
    base = item_inputs(article, content)
    assert item_inputs(dataclasses.replace(article), content) == base

    # The same bytes under another name make another page (its own URL and slug).
    copy = dataclasses.replace(article, slug="kopie", source="content/articles/kopie.md")
    copied = dataclasses.replace(content, digests={**content.digests, copy.source: "same"})
    renamed = dataclasses.replace(article, source=copy.source)
    assert item_inputs(copy, copied) != base
    assert item_inputs(renamed, copied) != item_inputs(copy, copied)

    edited = dataclasses.replace(content, digests={**content.digests, ARTICLE: "other bytes"})
    assert item_inputs(article, edited) != base

    # A related reference dropped by crossref (its target turned draft) changes the item.
    curated = next(a for a in content.articles if a.related)
    fewer = dataclasses.replace(curated, related=curated.related[1:])
    more = dataclasses.replace(curated, related=(*curated.related, ArticleRef("x", 1)))
    digests = {item_inputs(a, content) for a in (curated, fewer, more)}
    assert len(digests) == 3


def test_a_terms_inputs_follow_its_see_also(example_build: BuildResult) -> None:
    content = example_build.content
    assert content is not None
    term = next(t for t in content.terms if t.see_also)
    assert isinstance(term, GlossaryTerm)
    trimmed = dataclasses.replace(term, see_also=term.see_also[:-1])
    assert item_inputs(trimmed, content) != item_inputs(term, content)


def test_every_article_and_term_has_its_own_inputs(example_build: BuildResult) -> None:
    content = example_build.content
    assert content is not None
    keys = {item_inputs(i, content) for i in [*content.articles, *content.terms]}
    assert len(keys) == len(content.articles) + len(content.terms)


_OTHER_VALUES = {str: "anders", int: 99, bool: False, type(None): "term"}


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(BodyJob)])
def test_the_body_key_changes_with_every_field_of_the_job(name: str) -> None:
    """A field added to BodyJob and left out of the key would make a stale body a hit."""
    job = BodyJob("content/a.md", "content/a.md", "Tekst.\n", 5, True, None, "")
    value = getattr(job, name)
    changed = dataclasses.replace(job, **{name: _OTHER_VALUES[type(value)]})
    assert _job_key("setup", changed) != _job_key("setup", job)
    assert _job_key("setup", job) == _job_key("setup", dataclasses.replace(job))
    assert _job_key("other setup", job) != _job_key("setup", job)


def test_the_body_key_cannot_confuse_none_with_its_name() -> None:
    job = BodyJob("k", "k", "t", 1, True, None, "")
    assert _job_key("s", job) != _job_key("s", dataclasses.replace(job, own_term="None"))


def test_a_related_entry_changes_the_article_key_by_every_field(
    example_build: BuildResult,
) -> None:
    """The article key takes related entries field by field: a field added later is in it."""
    content, index = example_build.content, example_build.index
    assert content is not None and index is not None
    article = next(a for a in content.articles if index.related[a.slug])
    path = example_build.config.urls.article(article.slug)

    def key(entries: tuple[RelatedEntry, ...]) -> str:
        related = {**index.related, article.slug: entries}
        changed = dataclasses.replace(index, related=related)
        pages = page_inputs.page_input_keys(content, changed, example_build.config, "s")
        return next(page.key for page in pages if page.path == path)

    first = index.related[article.slug][0]
    base = key(index.related[article.slug])
    for field in dataclasses.fields(RelatedEntry):
        value = getattr(first, field.name)
        other = not value if isinstance(value, bool) else ("anders" if value != "anders" else "x")
        if field.name == "slug":  # another article of the site: its card is known
            other = next(a.slug for a in content.articles if a.slug != value)
        entry = dataclasses.replace(first, **{field.name: other})
        assert key((entry, *index.related[article.slug][1:])) != base, field.name


def test_a_body_cut_from_a_known_file_is_keyed_by_the_file_digest() -> None:
    """The text is a function of the file's bytes: their digest stands for it in the key."""
    job = BodyJob("k", "k", "Tekst.", 1, source_digest="a" * 64)
    assert _job_key("s", job) != _job_key("s", dataclasses.replace(job, source_digest="b" * 64))
    assert _job_key("s", job) == _job_key("s", dataclasses.replace(job, markdown="Tekst, ander."))
    assert _job_key("s", job) != _job_key("s", dataclasses.replace(job, source_digest=""))


def test_every_job_of_a_site_carries_its_file_digest(example_build: BuildResult) -> None:
    content = example_build.content
    assert content is not None
    jobs = index._jobs(content)
    assert len(jobs) > len(content.articles) + len(content.terms)
    assert all(job.source_digest == content.digests[job.source] for job in jobs)
