"""The starter site of `kennisbank init`, in Dutch and English: files as {path: text}.

Small but complete: one term, two articles that use it, a theme page and a free
page, written so that `kennisbank check --strict` passes on a brand-new site.
"""

from __future__ import annotations

from generator.urls import SECTION_WORDS

_SITE = {
    "nl": {"description": "Een kennisbank voor het onderwijs", "author": "Redactie"},
    "en": {"description": "A knowledge base for education", "author": "Editors"},
}
_MENU = {"nl": ("Artikelen", "Begrippen", "Thema's"), "en": ("Articles", "Glossary", "Themes")}
_FILES = {
    "nl": {
        "content/glossary/samenwerkend-leren.md": """\
---
term: Samenwerkend leren
aliases: [samen leren]
summary: Leerlingen werken in kleine groepen aan een gezamenlijk doel en leren van elkaar.
---
Bij samenwerkend leren werken leerlingen in kleine groepen aan een taak die ze
alleen samen kunnen afmaken. Iedereen is verantwoordelijk voor zijn eigen deel
en voor het resultaat van de groep.
""",
        "content/articles/welkom.md": """\
---
title: Welkom in de kennisbank
date: 2024-01-15
tags: [Aan de slag]
summary: Hoe deze kennisbank werkt en hoe je er zelf een artikel aan toevoegt.
---
Deze kennisbank verzamelt artikelen over samenwerkend leren in de klas. Begrippen
worden vanzelf gelinkt: wie over een begrip beweegt, ziet de uitleg.

## Zelf schrijven

Maak een nieuw artikel met `kennisbank new article "Titel"` en bekijk het meteen
met `kennisbank serve`. Lees ook [Samenwerken in de klas](samenwerken-in-de-klas.md).
""",
        "content/articles/samenwerken-in-de-klas.md": """\
---
title: Samenwerken in de klas
date: 2024-01-16
tags: [Aan de slag, Didactiek]
summary: Drie manieren om samenwerkend leren morgen in je klas te beginnen.
---
Samenwerkend leren lukt het best als elke leerling een eigen rol heeft. Begin
klein: laat leerlingen in tweetallen een opdracht voorbereiden en wissel daarna
van rol.
""",
        "content/themes/samen-leren.md": """\
---
title: Samen leren
summary: Artikelen en begrippen over leren van en met elkaar.
sections:
  - title: Om te beginnen
    links:
      - article: welkom
      - article: samenwerken-in-de-klas
      - term: samenwerkend-leren
---
Alles op deze site over leren van en met elkaar.
""",
        "content/pages/over-ons.md": """\
---
title: Over ons
summary: Wie deze kennisbank maakt en waarom.
menu: 1
---
Schrijf hier wie de kennisbank maakt en voor wie.
""",
        "templates/README.md": """\
# Eigen templates

Deze map is leeg: de site gebruikt het standaardthema van kennisbank. Wil je
iets anders? Zet hier een bestand met dezelfde naam als in het standaardthema;
dat vervangt dan alleen dat ene bestand, de rest blijft uit het thema komen.
Bijvoorbeeld `partials/footer.html`, `assets/site.css` of `strings/nl.yaml`
(de teksten van knoppen en koppen).

Bestanden van het standaardthema:

{files}
""",
    },
    "en": {
        "content/glossary/cooperative-learning.md": """\
---
term: Cooperative learning
aliases: [learning together]
summary: Pupils work in small groups towards a shared goal and learn from each other.
---
In cooperative learning, pupils work in small groups on a task they can only
finish together. Each of them is responsible for their own part and for the
result of the group.
""",
        "content/articles/welcome.md": """\
---
title: Welcome to the knowledge base
date: 2024-01-15
tags: [Getting started]
summary: How this knowledge base works and how to add an article yourself.
---
This knowledge base collects articles about cooperative learning in the
classroom. Glossary terms are linked by themselves: hover one to see what it means.

## Writing your own

Create an article with `kennisbank new article "Title"` and preview it at once
with `kennisbank serve`. Also read [Working together in class](working-together.md).
""",
        "content/articles/working-together.md": """\
---
title: Working together in class
date: 2024-01-16
tags: [Getting started, Teaching]
summary: Three ways to start with cooperative learning in your class tomorrow.
---
Cooperative learning works best when every pupil has a role of their own. Start
small: let pupils prepare a task in pairs, then swap roles.
""",
        "content/themes/learning-together.md": """\
---
title: Learning together
summary: Articles and terms about learning from and with each other.
sections:
  - title: To begin with
    links:
      - article: welcome
      - article: working-together
      - term: cooperative-learning
---
Everything on this site about learning from and with each other.
""",
        "content/pages/about.md": """\
---
title: About
summary: Who makes this knowledge base, and why.
menu: 1
---
Write here who makes this knowledge base and for whom.
""",
        "templates/README.md": """\
# Your own templates

This folder is empty: the site uses kennisbank's default theme. To change
something, put a file here with the same name as in the default theme; it
replaces only that file, and everything else still comes from the theme. For
example `partials/footer.html`, `assets/site.css` or `strings/en.yaml` (the
words on buttons and headings).

Files of the default theme:

{files}
""",
    },
}

SITE_YAML = """\
title: {title}
base_url: https://www.example.org/
language: {language}
description: {description}
default_author: {author}
glossary:
  link: first
related:
  count: 6
search: true
menu:
{menu}"""

GITIGNORE = "/output/\n.kennisbank-cache/\n"


def starter_files(title: str, language: str, theme_files: list[str]) -> dict[str, str]:
    """Every file of a new site, by path relative to the site folder."""
    words = SECTION_WORDS[language]
    menu = "".join(
        f'  - {{title: "{label}", url: /{words[section]}/}}\n'
        for label, section in zip(_MENU[language], ("articles", "glossary", "themes"), strict=True)
    )
    files = {
        "site.yaml": SITE_YAML.format(
            title=_yaml_text(title), language=language, menu=menu, **_SITE[language]
        ),
        ".gitignore": GITIGNORE,
    }
    listing = "\n".join(f"- `{name}`" for name in theme_files)
    for path, text in _FILES[language].items():
        files[path] = text.replace("{files}", listing)
    return files


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar: any title is safe, colons and quotes included."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
