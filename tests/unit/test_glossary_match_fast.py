"""Matching lower-cased text without IGNORECASE finds exactly what case-insensitive matching finds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import glossary_match
from generator.glossary_match import TermMatcher

FORMS = [
    ("professionele leergemeenschap", "plg"),
    ("PLG", "plg"),
    ("leerling", "leerling"),
    ("leerlingen", "leerling"),
    ("risico's", "risico"),
    ("CI/CD", "cicd"),
    ("sociaal-emotioneel leren", "sel"),
    ("être", "etre"),
    ("Straße", "strasse"),
    ("İstanbul", "istanbul"),
    ("ſchool", "longs"),
    ("σοφία", "sofia"),
]
ALPHABET = "aAeEiIsSlLpPgGrRnN çëÉßẞİıſσςΣµμKKÅ'’-/\n.,"


def both(matcher: TermMatcher, text: str) -> tuple[list[object], list[object]]:
    fast = list(matcher.find(text))
    slow = TermMatcher.__new__(TermMatcher)
    # As if some form folded apart: the case-insensitive pattern only.
    slow.__dict__.update(matcher.__dict__, _forms_fold_apart=True)
    return fast, list(slow.find(text))


@pytest.mark.parametrize(
    "text",
    [
        "De Professionele Leergemeenschap en een PLG, plg en Plg.",
        "Leerlingen en leerling; RISICO'S en risico’s.",
        "CI/CD en ci/cd, sociaal-emotioneel\nleren",
        "ÊTRE en être, STRASSE en straße, ISTANBUL en İstanbul en istanbul",
        "ſchool en school, ΣΟΦΊΑ en σοφία",
    ],
)
def test_the_fast_path_finds_what_case_insensitive_matching_finds(text: str) -> None:
    fast, slow = both(TermMatcher(FORMS), text)
    assert fast == slow


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_any_text_of_tricky_characters_matches_the_same(text: str) -> None:
    forms = [("leer", "a"), ("ss", "b"), ("is", "c"), ("ΣΑ", "d"), ("µm", "e"), ("K", "f")]
    fast, slow = both(TermMatcher(forms), text)
    assert fast == slow


def test_the_characters_kept_apart_are_all_that_re_folds_differently() -> None:
    """Recomputed from the running Python: the list in glossary_match must cover them all."""
    import _sre
    import re._casefix as casefix  # the extra case-insensitive equivalences of `re`

    apart = set()
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if char.lower() != chr(_sre.unicode_tolower(code)):
            apart.add(char)
    for code, others in casefix._EXTRA_CASES.items():
        apart.update(chr(c) for c in (code, *others) if c >= 128)
    missing = [c for c in apart if not glossary_match._FOLDS_APART.match(c)]
    assert missing == []


def test_the_example_articles_match_the_same() -> None:
    root = Path(__file__).resolve().parents[2] / "content"
    forms = [("leergemeenschap", "a"), ("professionele leercultuur", "b"), ("TOS", "c")]
    matcher = TermMatcher(forms)
    for path in sorted(root.rglob("*.md")):
        fast, slow = both(matcher, path.read_text(encoding="utf-8"))
        assert fast == slow, path
