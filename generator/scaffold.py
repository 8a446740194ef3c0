"""`kennisbank new` and `kennisbank init`: new files with valid front matter, never prompting.

The only writes outside output/ and the cache; they refuse to overwrite.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import frontmatter

from generator.urls import slugify

KINDS = {"article": "articles", "term": "glossary", "theme": "themes", "page": "pages"}


class ScaffoldError(Exception):
    """A file that would be overwritten, or a title that gives no slug."""


def dutch_plural(word: str) -> str:
    """A first guess at the Dutch plural of a term, offered as an alias to check."""
    lower = word.lower()
    if lower.endswith(("heid",)):
        return word[:-4] + "heden"
    if lower.endswith(("el", "em", "er", "en", "je", "ie")):
        return word + "s"
    if lower.endswith(("a", "o", "u", "i", "y")):
        return word + "'s"
    if lower.endswith("e"):
        return word + "n"
    return word + "en"


def front_matter(kind: str, title: str, today: dt.date) -> dict[str, Any]:
    if kind == "article":
        return {"title": title, "date": today.isoformat(), "tags": [], "summary": ""}
    if kind == "term":
        last = title.split()[-1]
        plural = " ".join([*title.split()[:-1], dutch_plural(last)])
        return {"term": title, "aliases": [plural], "see_also": []}
    if kind == "theme":
        return {
            "title": title,
            "summary": "",
            "sections": [
                {"title": "Tools en instrumenten", "links": []},
                {"title": "Kennis uit onderzoek", "links": []},
                {"title": "Ook interessant", "links": []},
            ],
        }
    return {"title": title}


_BODIES = {
    "article": "Schrijf hier de eerste alinea: die wordt de samenvatting in lijsten.\n",
    "term": "Schrijf hier in één zin wat het begrip betekent. Daarna volgt de volledige uitleg.\n",
    "theme": "Schrijf hier de inleiding van het thema.\n",
    "page": "Schrijf hier de tekst van de pagina.\n",
}


def new_item(root: Path, kind: str, title: str, today: dt.date | None = None) -> Path:
    """Create content/<collection>/<slug>.md and return its path."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"'{title}' gives no usable file name: use letters or digits")
    path = root / "content" / KINDS[kind] / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} exists already: choose another title or edit that file")
    meta = front_matter(kind, title, today or dt.date.today())
    if kind == "article" and not meta["summary"]:
        del meta["summary"]
    if kind == "theme" and not meta["summary"]:
        del meta["summary"]
    post = frontmatter.Post(_BODIES[kind], **meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n", "utf-8")
    return path


SITE_YAML = """\
title: {title}
base_url: https://www.example.org/
language: {language}
description: Een kennisbank voor het onderwijs
default_author: Redactie
glossary:
  link: first
related:
  count: 6
search: true
menu:
  - {{title: Artikelen, url: /artikelen/}}
  - {{title: Begrippen, url: /begrippen/}}
  - {{title: Thema's, url: /themas/}}
"""

TEMPLATES_README = """\
# Template overrides

Put a file here with the same name as a file of the default theme to replace
it, for example `article.html`, `partials/header.html`, `assets/site.css` or
`strings/nl.yaml`. Every file you do not override comes from the theme that
ships with kennisbank. See the README of kennisbank for the list of templates
and the names they can use (`site`, `page`, `view`).
"""


def init_site(target: Path, *, title: str = "Mijn kennisbank", language: str = "nl") -> list[Path]:
    """Create a new, buildable site in TARGET (which must be empty or absent)."""
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty: choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    (target / "site.yaml").write_text(SITE_YAML.format(title=title, language=language), "utf-8")
    (target / "templates").mkdir()
    (target / "templates" / "README.md").write_text(TEMPLATES_README, "utf-8")
    (target / ".gitignore").write_text("/output/\n.kennisbank-cache/\n", "utf-8")
    today = dt.date(2024, 1, 15)
    made = [
        new_item(target, "term", "Samenwerkend leren", today),
        new_item(target, "article", "Welkom in de kennisbank", today),
        new_item(target, "theme", "Samen leren", today),
        new_item(target, "page", "Over ons", today),
    ]
    article = made[1]
    article.write_text(
        article.read_text("utf-8").replace(
            _BODIES["article"],
            "Deze kennisbank verzamelt artikelen over samenwerkend leren in de klas.\n\n"
            '## Hoe je begint\n\nSchrijf een artikel met `kennisbank new article "Titel"`.\n',
        ),
        "utf-8",
    )
    return [target / "site.yaml", *made]
