"""The matcher's fast paths find exactly what the plain way finds.

Lower-cased text matched without IGNORECASE, as case-insensitive matching;
a pattern of only the forms whose first word occurs in a document, as the
pattern of every form.
"""

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


PLAIN = FORMS[:9]  # none folds apart: what narrowing is for
# Tricky characters, none of which folds apart (the whole pattern is used for those).
PLAIN_ALPHABET = "aAeEiIsSlLpPgGrRnNoOfFcCdD çëÉßẞKÅ'’-/\n.,"


def narrowed_and_whole(
    forms: list[tuple[str, str]], pieces: list[str], texts: list[str]
) -> tuple[list[list[object]], list[list[object]], TermMatcher]:
    whole = TermMatcher(forms)
    narrow = TermMatcher(forms).narrowed(lambda: iter(pieces))
    assert narrow._forms_fold_apart is False and "_narrowed_count" in vars(narrow)
    assert narrow.narrowed(lambda: iter(pieces)) is narrow  # it is never narrowed again
    return [list(narrow.find(t)) for t in texts], [list(whole.find(t)) for t in texts], narrow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=PLAIN_ALPHABET, max_size=40), min_size=1, max_size=5))
def test_a_narrowed_pattern_finds_what_the_whole_pattern_finds(pieces: list[str]) -> None:
    """As the glossary rule matches: single text tokens, and runs of consecutive ones joined
    as they are (a soft break becomes a newline)."""
    forms = [*PLAIN, ("leer", "a"), ("ss", "b"), ("is", "c"), ("K", "f"), ("pl g", "g")]
    runs = [
        joiner.join(pieces[start:stop])
        for start in range(len(pieces))
        for stop in range(start + 1, len(pieces) + 1)
        for joiner in ("", "\n")
    ]
    narrowed, whole, narrow = narrowed_and_whole(forms, pieces, runs)
    assert narrowed == whole
    assert narrow._source != TermMatcher(forms)._source or all(
        form.partition(" ")[0].lower() in "".join(pieces).lower() for form, _ in forms
    )


def test_a_narrowed_pattern_holds_only_the_forms_whose_first_word_occurs() -> None:
    pieces = ["Een PLG van de professionele", "leergemeenschap, en leerlingen."]
    runs = [pieces[0] + "\n" + pieces[1], *pieces]
    narrowed, whole, narrow = narrowed_and_whole(PLAIN, pieces, runs)
    assert narrowed == whole and [m.slug for m in whole[0]] == ["plg", "plg", "leerling"]
    assert narrow._source is not None
    assert "leerling" in narrow._source and "risico" not in narrow._source
    nothing = TermMatcher(PLAIN).narrowed(lambda: iter(["Geen enkel begrip."]))
    assert nothing._source is None and list(nothing.find("Geen enkel begrip.")) == []


def test_the_whole_pattern_is_used_after_a_few_documents_and_where_narrowing_is_not_exact() -> None:
    matcher = TermMatcher(PLAIN)
    asked: list[int] = []

    def texts() -> list[str]:
        asked.append(1)
        return ["een leerling"]

    for _ in range(glossary_match.NARROWED):
        assert matcher.narrowed(texts) is not matcher
    assert matcher.narrowed(texts) is matcher  # the whole pattern pays its compiling now
    assert len(asked) == glossary_match.NARROWED
    fresh = TermMatcher(PLAIN)
    assert fresh.narrowed(lambda: ["ΣΟΦΙΑ en een leerling"]) is fresh  # σ, ς: case-insensitive
    folding = TermMatcher(FORMS)  # holds forms that fold apart (ſchool, σοφία, İstanbul)
    assert folding.narrowed(lambda: ["een leerling"]) is folding
    compiled = TermMatcher(PLAIN)
    list(compiled.find("een leerling"))
    assert compiled.narrowed(lambda: ["een leerling"]) is compiled


def test_narrowing_builds_nothing_of_the_whole_pattern() -> None:
    """Regression: checking for forms through the whole pattern's text built that text (0.014 s
    for 1,000 terms), half of what narrowing spares."""
    matcher = TermMatcher(PLAIN)
    narrow = matcher.narrowed(lambda: ["een leerling"])
    assert narrow is not matcher and list(narrow.find("een leerling"))
    assert "_source" not in vars(matcher)
    assert TermMatcher([]).narrowed(lambda: ["een leerling"])._source is None


def test_a_matcher_pickles_the_same_however_many_documents_it_narrowed_for() -> None:
    """Workers know the build's setup by its pickle: what ran before must not change it."""
    import pickle

    matcher = TermMatcher(PLAIN)
    before = pickle.dumps(matcher)
    matcher.narrowed(lambda: ["een leerling"])
    assert pickle.dumps(matcher) == before
    copy = pickle.loads(before)
    assert copy.narrowed(lambda: ["een leerling"]) is not copy
