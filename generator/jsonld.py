"""Structured data (schema.org JSON-LD) for each page kind, serialised safely for <script>."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from generator.context import Link


def to_script(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> block; "<" escaped so text cannot end it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def breadcrumb_list(crumbs: Sequence[Link], absolute: dict[str, str]) -> dict[str, Any]:
    """BreadcrumbList; `absolute` maps each crumb href to its canonical URL."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c.title, "item": absolute[c.href]}
            for i, c in enumerate(crumbs, 1)
        ],
    }


def website(
    name: str, url: str, description: str, language: str, search: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "url": url,
        "inLanguage": language,
    }
    if description:
        data["description"] = description
    if search:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": f"{search}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        }
    return data


def collection_page(name: str, url: str, description: str, language: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        "description": description,
        "inLanguage": language,
    }


def web_page(name: str, url: str, description: str, language: str) -> dict[str, Any]:
    return {**collection_page(name, url, description, language), "@type": "WebPage"}


def article(
    *,
    headline: str,
    url: str,
    description: str,
    author: str,
    author_is_organisation: bool,
    published: str,
    modified: str,
    words: int,
    minutes: int,
    language: str,
    publisher: str,
    keywords: Sequence[str],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline,
        "url": url,
        "mainEntityOfPage": url,
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "wordCount": words,
        "timeRequired": f"PT{minutes}M",
        "inLanguage": language,
        "publisher": {"@type": "Organization", "name": publisher},
    }
    if author:
        kind = "Organization" if author_is_organisation else "Person"
        data["author"] = {"@type": kind, "name": author}
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return data


def defined_term(
    name: str, url: str, description: str, aliases: Sequence[str], set_url: str, set_name: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": name,
        "url": url,
        "description": description,
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": set_name, "url": set_url},
    }
    if aliases:
        data["alternateName"] = list(aliases)
    return data


def defined_term_set(name: str, url: str, terms: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "name": name,
        "url": url,
        "hasDefinedTerm": [{"@type": "DefinedTerm", "name": n, "url": u} for n, u in terms],
    }
