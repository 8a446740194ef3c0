"""The catalogue of diagnostic texts, in English and Dutch, keyed by stable code.

Content problems are shown in the site language (editors of a Dutch site read
Dutch); every text lives here, once, so wording is consistent and testable.
Codes: CFG site.yaml, FM front matter and files, REF cross-references,
LNK links and anchors, MD Markdown structure, TPL templates, OUT output.
"""

from __future__ import annotations

import string

from generator.yamlproblems import explain

# code -> language -> (message, hint or ""). Placeholders use str.format names.
CATALOGUE: dict[str, dict[str, tuple[str, str]]] = {
    # --- site.yaml -------------------------------------------------------
    "CFG001": {
        "en": ("site.yaml is missing", "run `kennisbank init DIR` or pass --source"),
        "nl": ("site.yaml ontbreekt", "maak een site met `kennisbank init MAP` of geef --source"),
    },
    "CFG002": {
        "en": ("invalid YAML: {problem}", "check indentation and quotes on this line"),
        "nl": (
            "ongeldige YAML: {problem}",
            "controleer inspringing en aanhalingstekens op deze regel",
        ),
    },
    "CFG003": {
        "en": ("site.yaml must be a mapping of keys to values", "write `key: value` lines"),
        "nl": ("site.yaml moet uit `sleutel: waarde`-regels bestaan", "schrijf `sleutel: waarde`"),
    },
    "CFG004": {
        "en": ("unknown key", "allowed keys: {allowed}"),
        "nl": ("onbekende sleutel", "toegestane sleutels: {allowed}"),
    },
    "CFG005": {
        "en": ("required key is missing", "add `{field}:` to site.yaml"),
        "nl": ("verplichte sleutel ontbreekt", "voeg `{field}:` toe aan site.yaml"),
    },
    # --- files and front matter -----------------------------------------
    "FM001": {
        "en": ("invalid YAML in front matter: {problem}", "check indentation and quotes"),
        "nl": (
            "ongeldige YAML in de front matter: {problem}",
            "controleer inspringing en aanhalingstekens",
        ),
    },
    "FM002": {
        "en": (
            "front matter must be a mapping of fields",
            "write `field: value` lines between the --- lines",
        ),
        "nl": (
            "front matter moet uit `veld: waarde`-regels bestaan",
            "schrijf `veld: waarde` tussen de twee regels met ---",
        ),
    },
    "FM003": {
        "en": ("unknown field", "allowed fields: {allowed}; free-form data goes under extra:"),
        "nl": ("onbekend veld", "toegestane velden: {allowed}; vrije gegevens horen onder extra:"),
    },
    "FM004": {
        "en": ("required field is missing", "add `{field}:` to the front matter"),
        "nl": ("verplicht veld ontbreekt", "voeg `{field}:` toe aan de front matter"),
    },
    "FM006": {
        "en": (
            "file is not valid UTF-8 (byte {byte} at column {column})",
            "save the file as UTF-8 in your editor",
        ),
        "nl": (
            "bestand is geen geldige UTF-8 (byte {byte} in kolom {column})",
            "sla het bestand op als UTF-8",
        ),
    },
    "FM007": {
        "en": ("front matter is not closed", "end the front matter with a line holding only ---"),
        "nl": (
            "front matter is niet afgesloten",
            "sluit de front matter af met een regel met alleen ---",
        ),
    },
    "FM008": {
        "en": (
            "symbolic link points outside the site ({target})",
            "copy the file into the site instead",
        ),
        "nl": (
            "symbolische link wijst buiten de site ({target})",
            "kopieer het bestand naar de site",
        ),
    },
    "FM009": {
        "en": (
            "file is ignored: only .md files are read here",
            "move it to content/static/ if it should be published",
        ),
        "nl": (
            "bestand wordt genegeerd: hier worden alleen .md-bestanden gelezen",
            "zet het in content/static/ als het gepubliceerd moet worden",
        ),
    },
    "FM010": {
        "en": ("the file cannot be read: {problem}", "check the file's permissions"),
        "nl": (
            "het bestand kan niet gelezen worden: {problem}",
            "controleer de rechten van het bestand",
        ),
    },
    "FM011": {
        "en": ("the same field is given twice", "remove one of the two lines"),
        "nl": ("hetzelfde veld staat er twee keer", "haal een van beide regels weg"),
    },
    "FM012": {
        "en": (
            "symbolic link leads to no file ({target})",
            "remove the link or point it at a file inside the site",
        ),
        "nl": (
            "symbolische link leidt naar geen bestand ({target})",
            "haal de link weg of laat hem naar een bestand in de site wijzen",
        ),
    },
    # --- values (site.yaml and front matter alike) -----------------------
    "VAL001": {
        "en": ("must be {expected}, not {got}", "{example}"),
        "nl": ("moet {expected} zijn, niet {got}", "{example}"),
    },
    "VAL002": {
        "en": (
            "'{value}' is not a valid date",
            "write the date as YYYY-MM-DD, for example 2024-06-11",
        ),
        "nl": (
            "'{value}' is geen geldige datum",
            "schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-06-11",
        ),
    },
    "VAL003": {
        "en": ("must be one of {allowed}, not '{value}'", "choose one of {allowed}"),
        "nl": ("moet een van {allowed} zijn, niet '{value}'", "kies een van {allowed}"),
    },
    "VAL004": {
        "en": (
            "must be at least {minimum}, not {value}",
            "use a whole number of {minimum} or more",
        ),
        "nl": (
            "moet minstens {minimum} zijn, niet {value}",
            "gebruik een heel getal van {minimum} of meer",
        ),
    },
    "VAL005": {
        "en": ("must not be empty", "fill in a value or remove the line"),
        "nl": ("mag niet leeg zijn", "vul een waarde in of haal de regel weg"),
    },
    "VAL006": {
        "en": (
            "'{value}' is not an absolute http(s) URL",
            "write it like https://www.example.org/",
        ),
        "nl": (
            "'{value}' is geen absolute http(s)-URL",
            "schrijf het volledige adres, zoals https://www.example.org/",
        ),
    },
    "VAL007": {
        "en": (
            "'{value}' is not a usable slug",
            "use letters a-z, digits and hyphens, like {example}",
        ),
        "nl": (
            "'{value}' is geen bruikbare slug",
            "gebruik letters a-z, cijfers en streepjes, zoals {example}",
        ),
    },
    "VAL008": {
        "en": (
            "'{value}' is neither a path on the site nor a web address",
            "write a path such as /artikelen/ or an address such as https://www.example.org/",
        ),
        "nl": (
            "'{value}' is geen pad op de site en geen webadres",
            "schrijf een pad zoals /artikelen/ of een adres zoals https://www.example.org/",
        ),
    },
    # --- cross references -----------------------------------------------
    "REF001": {
        "en": ("unknown {kind} '{target}'", "use the file name without .md of an existing {kind}"),
        "nl": (
            "onbekend {kind} '{target}'",
            "gebruik de bestandsnaam zonder .md van een bestaand {kind}",
        ),
    },
    "REF002": {
        "en": ("'{target}' is a draft and is left out", "publish it or remove the reference"),
        "nl": (
            "'{target}' is een concept en wordt weggelaten",
            "publiceer het of haal de verwijzing weg",
        ),
    },
    "REF003": {
        "en": ("refers to itself", "remove '{target}' from the list"),
        "nl": ("verwijst naar zichzelf", "haal '{target}' uit de lijst"),
    },
    "REF004": {
        "en": (
            "slug '{slug}' is used by two files: {first} and {second}",
            "rename one of the files",
        ),
        "nl": (
            "slug '{slug}' wordt door twee bestanden gebruikt: {first} en {second}",
            "geef een van de bestanden een andere naam",
        ),
    },
    "REF005": {
        "en": (
            "'{form}' is also a form of the term in {other}",
            "a word can link to one term only: remove it from one of the two files",
        ),
        "nl": (
            "'{form}' is ook een vorm van het begrip in {other}",
            "een woord kan maar naar één begrip linken: haal het uit een van beide bestanden",
        ),
    },
    "REF006": {
        "en": ("URL {url} is produced twice: by {first} and by {second}", "rename one of them"),
        "nl": (
            "URL {url} wordt twee keer gemaakt: door {first} en door {second}",
            "geef een van beide een andere naam",
        ),
    },
    "REF007": {
        "en": ("'{target}' is listed twice", "remove the repeated entry"),
        "nl": ("'{target}' staat twee keer in de lijst", "haal de herhaling weg"),
    },
    # --- links and anchors ----------------------------------------------
    "LNK001": {
        "en": (
            "link target '{target}' does not exist",
            "write the relative path to an existing .md file",
        ),
        "nl": (
            "linkdoel '{target}' bestaat niet",
            "schrijf het relatieve pad naar een bestaand .md-bestand",
        ),
    },
    "LNK002": {
        "en": ("anchor '#{anchor}' does not exist in {target}", "existing anchors: {allowed}"),
        "nl": ("anker '#{anchor}' bestaat niet in {target}", "bestaande ankers: {allowed}"),
    },
    "LNK003": {
        "en": (
            "image has no alt text",
            "describe the image between the brackets: ![what it shows](...)",
        ),
        "nl": (
            "afbeelding heeft geen alt-tekst",
            "beschrijf de afbeelding tussen de haken: ![wat erop staat](...)",
        ),
    },
    "LNK005": {
        "en": (
            "broken link in the built page {page}: {target}",
            "the site has no page or file at this address",
        ),
        "nl": (
            "kapotte link in de gebouwde pagina {page}: {target}",
            "de site heeft geen pagina of bestand op dit adres",
        ),
    },
    "LNK007": {
        "en": ("{url} is broken ({detail})", "fix or remove the link"),
        "nl": ("{url} werkt niet ({detail})", "verbeter of verwijder de link"),
    },
    "LNK008": {
        "en": (
            "broken anchor in the built page {page}: {target}",
            "the page has no element with id '{anchor}'",
        ),
        "nl": (
            "kapot anker in de gebouwde pagina {page}: {target}",
            "de pagina heeft geen element met id '{anchor}'",
        ),
    },
    "LNK009": {
        "en": ("{url} redirects to {final}", "update the link"),
        "nl": ("{url} stuurt door naar {final}", "werk de link bij"),
    },
    "LNK010": {
        "en": ("{url} did not answer within {seconds} s", "the host is slow; try again later"),
        "nl": (
            "{url} gaf geen antwoord binnen {seconds} s",
            "de server is traag; probeer het later nog eens",
        ),
    },
    "LNK011": {
        "en": ("{url} could not be checked ({detail})", "open it in a browser to check it"),
        "nl": (
            "{url} kon niet worden gecontroleerd ({detail})",
            "open de link in een browser om hem te controleren",
        ),
    },
    # --- Markdown structure and editorial advice --------------------------
    "MD001": {
        "en": (
            "heading level skips from h{previous} to h{level}",
            "use one more # than the heading above",
        ),
        "nl": (
            "kopniveau springt van h{previous} naar h{level}",
            "gebruik één # meer dan de kop erboven",
        ),
    },
    "MD002": {
        "en": ("glossary term is used by no article", "use it in an article or remove it"),
        "nl": (
            "begrip wordt in geen enkel artikel gebruikt",
            "gebruik het in een artikel of verwijder het",
        ),
    },
    "MD003": {
        "en": (
            "article has no tags and nothing links to it",
            "add tags or link to it from another page",
        ),
        "nl": (
            "artikel heeft geen tags en niets linkt ernaar",
            "voeg tags toe of link ernaar vanaf een andere pagina",
        ),
    },
    "MD004": {
        "en": ("no summary: the first paragraph is used", "add `summary:` for a better excerpt"),
        "nl": (
            "geen samenvatting: de eerste alinea wordt gebruikt",
            "voeg `summary:` toe voor een betere samenvatting",
        ),
    },
    "MD005": {
        "en": (
            "alias '{alias}' matches {count} times in {articles} articles",
            "an alias that is an everyday word links too much: check it",
        ),
        "nl": (
            "alias '{alias}' komt {count} keer voor in {articles} artikelen",
            "een alias die ook een gewoon woord is, linkt te vaak: kijk of hij nodig is",
        ),
    },
    "MD006": {
        "en": (
            "alias '{alias}' occurs only in headings",
            "headings are never linked: check whether the alias is needed",
        ),
        "nl": (
            "alias '{alias}' komt alleen in koppen voor",
            "koppen worden nooit gelinkt: kijk of de alias nodig is",
        ),
    },
    # --- templates and output --------------------------------------------
    "TPL001": {
        "en": ("template error: {problem}", "while rendering {page}"),
        "nl": ("fout in template: {problem}", "bij het maken van {page}"),
    },
    "OUT001": {
        "en": ("static file {url} collides with a generated page", "rename or move the file"),
        "nl": (
            "statisch bestand {url} botst met een gemaakte pagina",
            "geef het bestand een andere naam of plek",
        ),
    },
    "OUT002": {
        "en": (
            "search index could not be built: {problem}",
            "output/ was left as it was; reinstall kennisbank, or set `search: false` in site.yaml",
        ),
        "nl": (
            "zoekindex kon niet gemaakt worden: {problem}",
            "output/ is niet veranderd; installeer kennisbank opnieuw, of zet `search: false` in site.yaml",
        ),
    },
    "OUT003": {
        "en": (
            "{out} holds the site itself or other files, and a build replaces all of it",
            "choose an empty folder, or leave --output out to build into output/",
        ),
        "nl": (
            "{out} bevat de site zelf of andere bestanden, en een build vervangt alles daarin",
            "kies een lege map, of laat --output weg om in output/ te bouwen",
        ),
    },
}

# One-line notices the command line prints (not problems: they never fail a build).
NOTICES: dict[str, dict[str, str]] = {
    "search_off": {
        "en": "search is off (search: false in site.yaml): no search index and no search page",
        "nl": "zoeken staat uit (search: false in site.yaml): geen zoekindex en geen zoekpagina",
    },
}


class _Defaulting(dict[str, str]):
    """Missing placeholders render as empty text instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


_formatter = string.Formatter()


# Words that fill {expected} and {got}, per language.
KIND_WORDS: dict[str, dict[str, str]] = {
    "text": {"en": "text", "nl": "tekst"},
    "boolean": {"en": "true or false", "nl": "true of false"},
    "integer": {"en": "a whole number", "nl": "een heel getal"},
    "list": {"en": "a list", "nl": "een lijst"},
    "text or list": {"en": "text or a list of text", "nl": "tekst of een lijst met tekst"},
    "mapping": {
        "en": "a mapping of `key: value` lines",
        "nl": "een reeks `sleutel: waarde`-regels",
    },
    "date": {"en": "a date", "nl": "een datum"},
    "link": {
        "en": "a link (article:, term: or title: with url:)",
        "nl": "een link (article:, term: of title: met url:)",
    },
    "related entry": {
        "en": "an article slug or {title, url}",
        "nl": "een artikel-slug of {title, url}",
    },
    "menu entry": {"en": "a {title, url} entry", "nl": "een {title, url}-regel"},
    "nothing": {"en": "empty", "nl": "leeg"},
}
EXAMPLES: dict[str, dict[str, str]] = {
    "text": {"en": "write the text after the colon", "nl": "schrijf de tekst na de dubbele punt"},
    "boolean": {"en": "write true or false", "nl": "schrijf true of false"},
    "integer": {"en": "write a number such as 6", "nl": "schrijf een getal zoals 6"},
    "list": {"en": "write one `- item` per line", "nl": "schrijf één `- item` per regel"},
    "text or list": {"en": "write one `- item` per line", "nl": "schrijf één `- item` per regel"},
    "mapping": {
        "en": "indent `key: value` lines under it",
        "nl": "zet ingesprongen `sleutel: waarde`-regels eronder",
    },
    "date": {"en": "write YYYY-MM-DD", "nl": "schrijf JJJJ-MM-DD"},
    "link": {
        "en": "write `- article: slug`, `- term: slug` or `- title: ...` with `url: ...`",
        "nl": "schrijf `- article: slug`, `- term: slug` of `- title: ...` met `url: ...`",
    },
    "related entry": {
        "en": "write `- slug` or `- {title: ..., url: ...}`",
        "nl": "schrijf `- slug` of `- {title: ..., url: ...}`",
    },
    "menu entry": {
        "en": "write `- {title: ..., url: ...}`",
        "nl": "schrijf `- {title: ..., url: ...}`",
    },
}


# The kinds of item a reference names (REF001's {kind}): "onbekend artikel", not "article".
ITEM_WORDS: dict[str, dict[str, str]] = {
    "article": {"en": "article", "nl": "artikel"},
    "term": {"en": "term", "nl": "begrip"},
}


def _translate_kinds(params: dict[str, str], language: str) -> dict[str, str]:
    out = dict(params)
    for name in ("expected", "got"):
        word = params.get(name)
        if word in KIND_WORDS:
            out[name] = KIND_WORDS[word].get(language, KIND_WORDS[word]["en"])
    item = params.get("kind", "")
    if item in ITEM_WORDS:
        out["kind"] = ITEM_WORDS[item].get(language, item)
    expected = params.get("expected", "")
    if "example" not in params and expected in EXAMPLES:
        out["example"] = EXAMPLES[expected].get(language, EXAMPLES[expected]["en"])
    return out


_DID_YOU_MEAN = {"en": "did you mean '{candidate}'?", "nl": "bedoelde je '{candidate}'?"}
_YAML_CODES = frozenset({"CFG002", "FM001"})  # their {problem} is PyYAML's text


def render_message(code: str, language: str, params: dict[str, str]) -> tuple[str, str | None]:
    """Return (message, hint) for a code in `language` (falling back to English).

    A `candidate` parameter (a close match for a typo) replaces the hint with
    "did you mean ...?", which helps an editor more than a list of choices.
    """
    entry = CATALOGUE[code]
    message, hint = entry.get(language, entry["en"])
    if params.get("candidate"):
        hint = _DID_YOU_MEAN.get(language, _DID_YOU_MEAN["en"])
    explained = explain(params.get("problem", ""), language) if code in _YAML_CODES else None
    if explained is not None:  # PyYAML's words replaced by what an editor can act on
        params = {**params, "problem": explained[0]}
        hint = explained[1]
    values = _Defaulting(_translate_kinds(params, language))
    text = _formatter.vformat(message, (), values)
    hint_text = _formatter.vformat(hint, (), values).strip()
    return text, hint_text or None
