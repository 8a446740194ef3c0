"""The editors' report: advice computed from Content + SiteIndex, and its sections.

`kennisbank check` adds these warnings to the Report (`build` leaves them out
to stay short): glossary terms no article uses, articles without tags that
nothing links to, summaries that had to be derived, and aliases that match
suspiciously often or only in headings. `sections` groups a Report for printing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Report

if TYPE_CHECKING:  # only types: the CLI prints report sections without loading the index stage
    from generator.index import SiteIndex
    from generator.model import Article, Content, Page, Theme

# An alias found in at least this share of the articles, and in at least
# GREEDY_MIN_ARTICLES of them, is probably an everyday word that links too much.
GREEDY_SHARE = 0.3
GREEDY_MIN_ARTICLES = 3


def add_editorial_warnings(content: Content, index: SiteIndex, report: Report) -> None:
    """Add the editors' report warnings (MD002-MD006) for a site that built without errors."""
    for term in content.terms:
        if not index.term_articles.get(term.slug):
            report.warning("MD002", term.source, 1, "term")
    for article in content.articles:
        if not article.tags and not index.inbound.get(article.source):
            report.warning("MD003", article.source, _closing_line(article), "tags")
    # Terms are left out: their first sentence is the definition by design.
    items: list[Article | Theme | Page] = [*content.articles, *content.themes, *content.pages]
    for item in items:
        if item.source in index.derived_summaries:
            report.warning("MD004", item.source, _closing_line(item), "summary")
    _alias_warnings(content, index, report)


def _closing_line(item: Article | Theme | Page) -> int:
    """The closing --- of the front matter: where a missing field is to be added."""
    return max(item.body.line - 1, 1)


def _alias_warnings(content: Content, index: SiteIndex, report: Report) -> None:
    with_glossary = sum(1 for a in content.articles if a.glossary)
    threshold = max(GREEDY_MIN_ARTICLES, math.ceil(GREEDY_SHARE * with_glossary))
    form_hits = _form_hits(content, index)
    heading_only = _heading_only_forms(content, index)
    for term in content.terms:
        for alias in term.aliases:
            form = alias.lower()
            hits, articles = form_hits.get(form, (0, 0))
            if articles >= threshold:
                report.warning(
                    "MD005", term.source, 1, "aliases", alias=alias, count=hits, articles=articles
                )
            elif form in heading_only:
                report.warning("MD006", term.source, 1, "aliases", alias=alias)


def _form_hits(content: Content, index: SiteIndex) -> dict[str, tuple[int, int]]:
    """Matched form (lower-cased) -> (occurrences, articles) over every article.

    Made here, for `check` only: in the index stage it cost every rebuild 0.1 s.
    """
    hits: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for article in content.articles:
        for form, count in index.bodies[article.source].forms:
            hits[form] += count
            articles[form] += 1
    return {form: (hits[form], articles[form]) for form in hits}


def _heading_only_forms(content: Content, index: SiteIndex) -> frozenset[str]:
    """Forms matched in some article's headings and in no article's text."""
    in_text: set[str] = set()
    in_headings: set[str] = set()
    for article in content.articles:
        body = index.bodies[article.source]
        in_text.update(form for form, _ in body.forms)
        in_headings.update(form for form, _ in body.heading_forms)
    return frozenset(in_headings - in_text)


@dataclass(frozen=True)
class Section:
    """One heading of the editors' report and the diagnostics under it."""

    key: str  # a key of SECTION_CODES; `heading(key, language)` gives its title
    diagnostics: tuple[Diagnostic, ...]


# Report section -> the codes it gathers; everything else is listed before the report.
SECTION_CODES: dict[str, frozenset[str]] = {
    "links": frozenset({f"LNK{n:03}" for n in (1, 2, 5, 7, 8, 9, 10, 11)}),
    "unused_terms": frozenset({"MD002"}),
    "orphans": frozenset({"MD003"}),
    "summaries": frozenset({"MD004"}),
    "aliases": frozenset({"MD005", "MD006"}),
}
HEADINGS: dict[str, dict[str, str]] = {
    "title": {"en": "Editors' report", "nl": "Redactierapport"},
    "links": {"en": "Broken links and anchors", "nl": "Kapotte links en ankers"},
    "unused_terms": {
        "en": "Glossary terms that no article uses",
        "nl": "Begrippen die in geen enkel artikel voorkomen",
    },
    "orphans": {
        "en": "Articles without tags that nothing links to",
        "nl": "Artikelen zonder tags waar niets naar linkt",
    },
    "summaries": {
        "en": "Summaries taken from the first paragraph",
        "nl": "Samenvattingen die uit de eerste alinea komen",
    },
    "aliases": {
        "en": "Aliases that match suspiciously often or only in headings",
        "nl": "Aliassen die verdacht vaak of alleen in koppen voorkomen",
    },
    "none": {"en": "none", "nl": "geen"},
    "later": {
        "en": "the rest of the report follows once the errors are fixed",
        "nl": "de rest van het rapport volgt als de fouten hersteld zijn",
    },
}


def heading(key: str, language: str) -> str:
    words = HEADINGS[key]
    return words.get(language, words["en"])


def split_report(diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Section]]:
    """Split sorted diagnostics into (the rest, the report's sections in order)."""
    rest: list[Diagnostic] = []
    grouped: dict[str, list[Diagnostic]] = {key: [] for key in SECTION_CODES}
    for diagnostic in diagnostics:
        for key, codes in SECTION_CODES.items():
            if diagnostic.code in codes:
                grouped[key].append(diagnostic)
                break
        else:
            rest.append(diagnostic)
    sections = [Section(key, tuple(found)) for key, found in grouped.items()]
    return rest, sections
