"""`kennisbank new` and `kennisbank init`: new files with valid front matter, never prompting.

The only writes outside output/ and the cache; they refuse to overwrite. New
files follow the site language (site.yaml's `language:`, Dutch when unknown).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from generator.starter import starter_files
from generator.theme import default_theme_dir
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


def plural(word: str, language: str) -> str:
    """A first guess at the plural of a term in the site language."""
    if language == "nl":
        return dutch_plural(word)
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


_SECTIONS = {
    "nl": ("Tools en instrumenten", "Kennis uit onderzoek", "Ook interessant"),
    "en": ("Tools and instruments", "Research", "Also of interest"),
}


def front_matter(kind: str, title: str, today: dt.date, language: str = "nl") -> dict[str, Any]:
    if kind == "article":
        return {"title": title, "date": today.isoformat(), "tags": []}
    if kind == "term":
        words = title.split()
        return {"term": title, "aliases": [" ".join([*words[:-1], plural(words[-1], language)])]}
    if kind == "theme":
        sections = [{"title": name, "links": []} for name in _SECTIONS[language]]
        return {"title": title, "sections": sections}
    return {"title": title}


_BODIES = {
    "nl": {
        "article": "Schrijf hier de eerste alinea: zonder `summary:` wordt die de samenvatting"
        " in lijsten.\n",
        "term": "Schrijf hier in één zin wat het begrip betekent; die zin verschijnt in de"
        " tooltip. Daarna volgt de volledige uitleg.\n",
        "theme": "Schrijf hier de inleiding van het thema.\n",
        "page": "Schrijf hier de tekst van de pagina.\n",
    },
    "en": {
        "article": "Write the first paragraph here: without `summary:` it becomes the summary"
        " in lists.\n",
        "term": "Say in one sentence what the term means; that sentence appears in the"
        " tooltip. The full explanation follows.\n",
        "theme": "Write the introduction of the theme here.\n",
        "page": "Write the text of the page here.\n",
    },
}


def site_language(root: Path) -> str:
    """The `language:` of ROOT/site.yaml; Dutch when the file or key is missing or unreadable."""
    try:
        data = yaml.safe_load((root / "site.yaml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "nl"
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in _BODIES else "nl"


def new_item(root: Path, kind: str, title: str, today: dt.date | None = None) -> Path:
    """Create content/<collection>/<slug>.md and return its path."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"'{title}' gives no usable file name: use letters or digits")
    path = root / "content" / KINDS[kind] / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} exists already: choose another title or edit that file")
    language = site_language(root)
    meta = front_matter(kind, title, today or dt.date.today(), language)
    import frontmatter  # here: every command imports this module, only `new` needs it

    post = frontmatter.Post(_BODIES[language][kind], **meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n", "utf-8")
    return path


def init_site(target: Path, *, title: str = "Mijn kennisbank", language: str = "nl") -> list[Path]:
    """Create a new, buildable site in TARGET (which must be empty or absent)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} is not an empty folder: choose a new folder")
    theme = default_theme_dir()
    theme_files = sorted(p.relative_to(theme).as_posix() for p in theme.rglob("*") if p.is_file())
    made: list[Path] = []
    for relative, text in starter_files(title, language, theme_files).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        made.append(path)
    return made
