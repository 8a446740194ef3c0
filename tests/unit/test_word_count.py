"""The word count behind reading times: what counts as one word, wherever it stands."""

from __future__ import annotations

import random
import re

import pytest

from generator.markdown import create_markdown
from generator.parse import _WORD, parse_body


def words(text: str) -> int:
    md = create_markdown(allow_html=False, glossary=None, targets=None)
    return parse_body(md, text, source="x.md", line_offset=0).words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het risico's van toetsen", 4),  # an apostrophe joins
        ("de kind’s fiets", 3),  # so does a typographic one
        ("een zelf-evaluatie-formulier", 2),  # hyphens join
        ("a--b en a-'b", 5),  # two joiners in a row do not
        ("'t is - zo — ja", 4),  # lone marks are no words
        ("CO2 in 2024", 3),  # digits are word characters
        ("*nadruk* en `code`\n\n```\nblok code\n```", 5),  # code counts, markup not
        ("[link tekst](https://example.org/a-b)", 2),  # the link text, not its target
    ],
)
def test_what_counts_as_a_word(text: str, expected: int) -> None:
    assert words(text) == expected


def test_the_fast_pattern_finds_what_the_plain_one_does() -> None:
    """_WORD is possessive for speed; it matches exactly what the backtracking form does."""
    plain = re.compile(r"\w+(?:['’-]\w+)*")
    rng = random.Random("word-count")
    alphabet = "ab1_-'’ .é\n"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _WORD.findall(text) == plain.findall(text), text
