"""PyYAML's syntax problems explained for editors, in English and Dutch, with a fix to try.

PyYAML says "mapping values are not allowed here"; an editor needs "a colon in
a value needs quotes". messages.py uses this table for CFG002 and FM001; a
problem not listed here is shown as PyYAML wrote it.
"""

from __future__ import annotations

# (start of PyYAML's problem text, {language: (what is wrong, how to fix it)}), first match wins.
YAML_PROBLEMS: tuple[tuple[str, dict[str, tuple[str, str]]], ...] = (
    (
        "mapping values are not allowed here",
        {
            "en": (
                "a colon where YAML does not expect one",
                'a colon inside a text needs quotes around the whole value, like title: "Theme: '
                'learning together"; a new field must not be indented',
            ),
            "nl": (
                "een dubbele punt op een plek waar YAML die niet verwacht",
                "staat er een dubbele punt in de tekst, zet de hele waarde dan tussen "
                'aanhalingstekens, zoals title: "Thema: samen leren"; '
                "een nieuw veld springt niet in",
            ),
        },
    ),
    (
        "could not find expected ':'",
        {
            "en": (
                "the colon after a field name is missing",
                "write `field: value`; a text that goes on to the next line must be indented",
            ),
            "nl": (
                "de dubbele punt na een veldnaam ontbreekt",
                "schrijf `veld: waarde`; loopt een tekst door op de volgende regel, spring die in",
            ),
        },
    ),
    (
        "found character '\\t'",
        {
            "en": ("a tab is not allowed here", "indent with spaces, not with tabs"),
            "nl": ("een tab is hier niet toegestaan", "spring in met spaties, niet met tabs"),
        },
    ),
    (
        "found a tab character",
        {
            "en": ("a tab is not allowed here", "indent with spaces, not with tabs"),
            "nl": ("een tab is hier niet toegestaan", "spring in met spaties, niet met tabs"),
        },
    ),
    (
        "found undefined alias",
        {
            "en": (
                "a value starts with *, which YAML reads as a reference",
                "put the value in quotes",
            ),
            "nl": (
                "een waarde begint met *, dat leest YAML als een verwijzing",
                "zet de waarde tussen aanhalingstekens",
            ),
        },
    ),
    (
        "expected alphabetic or numeric character",
        {
            "en": (
                "a value starts with & or *, which YAML reads as a reference",
                "put the value in quotes",
            ),
            "nl": (
                "een waarde begint met & of *, dat leest YAML als een verwijzing",
                "zet de waarde tussen aanhalingstekens",
            ),
        },
    ),
    (
        "found character",
        {
            "en": (
                "a value starts with a character YAML does not allow there",
                "put the value in quotes",
            ),
            "nl": (
                "een waarde begint met een teken dat YAML daar niet toestaat",
                "zet de waarde tussen aanhalingstekens",
            ),
        },
    ),
    (
        "found unexpected end of stream",
        {
            "en": (
                "a quoted text is never closed",
                "end the text with the same quote it starts with",
            ),
            "nl": (
                "een tekst tussen aanhalingstekens wordt niet afgesloten",
                "sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint",
            ),
        },
    ),
    (
        "unacceptable character",
        {
            "en": (
                "an invisible control character is not allowed here",
                "delete it: retype this part of the line",
            ),
            "nl": (
                "een onzichtbaar stuurteken is hier niet toegestaan",
                "verwijder het: typ dit deel van de regel opnieuw",
            ),
        },
    ),
    (
        # A tag such as !!python/object/apply:os.system: refused, never executed.
        "could not determine a constructor for the tag",
        {
            "en": (
                "a YAML tag (a value starting with !) is not allowed",
                "remove the tag; a text that starts with ! goes in quotes",
            ),
            "nl": (
                "een YAML-tag (een waarde die met ! begint) is niet toegestaan",
                "haal de tag weg; een tekst die met ! begint hoort tussen aanhalingstekens",
            ),
        },
    ),
    (
        "found unknown escape character",
        {
            "en": (
                "a backslash inside double quotes",
                "use single quotes around the value, or write the backslash twice",
            ),
            "nl": (
                "een backslash (\\) tussen dubbele aanhalingstekens",
                "zet de waarde tussen enkele aanhalingstekens, of schrijf de backslash twee keer",
            ),
        },
    ),
    (
        "did not find expected '-' indicator",
        {
            "en": (
                "a list item is indented differently from the others",
                "start every item with `- ` and indent all items equally",
            ),
            "nl": (
                "een item van de lijst springt anders in dan de andere",
                "begin elk item met `- ` en laat alle items even ver inspringen",
            ),
        },
    ),
    (
        "expected ',' or ']'",
        {
            "en": (
                "a list in [ ] is not closed properly",
                "separate the items with commas and end the list with ]",
            ),
            "nl": (
                "een lijst tussen [ ] is niet goed afgesloten",
                "scheid de items met komma's en sluit de lijst af met ]",
            ),
        },
    ),
    (
        "expected ',' or '}'",
        {
            "en": (
                "a { } value is not closed properly",
                "separate the pairs with commas and end with }",
            ),
            "nl": (
                "een waarde tussen { } is niet goed afgesloten",
                "scheid de paren met komma's en sluit af met }",
            ),
        },
    ),
    (
        "did not find expected key",
        {
            "en": (
                "the indentation or the quotes are not right",
                "indent fields that belong together equally and close every quote",
            ),
            "nl": (
                "de inspringing of de aanhalingstekens kloppen niet",
                "laat velden die bij elkaar horen even ver inspringen "
                "en sluit elk aanhalingsteken af",
            ),
        },
    ),
    (
        "expected <block end>, but found '<scalar>'",
        {
            "en": (
                "there is more text after the closing quote",
                "put the whole value in quotes; a text with an apostrophe goes in double quotes",
            ),
            "nl": (
                "er staat nog tekst na het afsluitende aanhalingsteken",
                "zet de hele waarde tussen aanhalingstekens; een tekst met een apostrof "
                "tussen dubbele aanhalingstekens",
            ),
        },
    ),
    (
        "expected <block end>",
        {
            "en": (
                "the indentation is not right",
                "indent lines that belong together equally",
            ),
            "nl": (
                "de inspringing klopt niet",
                "laat regels die bij elkaar horen precies even ver inspringen",
            ),
        },
    ),
)


def explain(problem: str, language: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a PyYAML problem text; None when it is not known."""
    for start, texts in YAML_PROBLEMS:
        if problem.startswith(start):
            return texts.get(language, texts["en"])
    return None
