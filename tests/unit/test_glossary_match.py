"""The glossary matcher: whole words, longest match, case rules, separators (CONTENT-FORMAT.md)."""

from __future__ import annotations

import pickle

import pytest

from generator.glossary_match import TermMatcher, is_all_caps

FORMS = [
    ("samenwerkend leren", "sl"),
    ("leren", "leren"),
    ("TOS", "tos"),
    ("DAT", "dat"),
    ("risico", "risico"),
    ("Professionele leergemeenschap", "plg"),
    ("professionele leergemeenschappen", "plg"),
    ("PLG", "plg"),
    ("coöperatief leren", "coop"),
    ("CO2", "co2"),
    ("CI/CD", "cicd"),
    ("ijsland", "ijs"),
]


def found(text: str) -> list[tuple[str, str]]:
    matcher = TermMatcher(FORMS)
    return [(text[m.start : m.end], m.slug) for m in matcher.find(text)]


def test_longest_match_wins_over_a_shorter_term_inside_it() -> None:
    assert found("Wij doen aan samenwerkend leren.") == [("samenwerkend leren", "sl")]


def test_a_term_may_span_a_line_break() -> None:
    assert found("samenwerkend\nleren") == [("samenwerkend\nleren", "sl")]


def test_matching_ignores_case_for_ordinary_forms() -> None:
    assert found("LEREN en Leren") == [("LEREN", "leren"), ("Leren", "leren")]


def test_all_capitals_forms_match_only_in_capitals() -> None:
    assert found("dat is DAT, Dat niet") == [("DAT", "dat")]
    assert found("tos TOS Tos") == [("TOS", "tos")]


def test_words_continue_through_letters_digits_underscores_and_apostrophes() -> None:
    assert found("TOSCA TOS2 TOS_x risico's risico’s") == []


def test_hyphen_and_slash_separate_words() -> None:
    assert found("hoog-risico en risico/kans") == [("risico", "risico"), ("risico", "risico")]


def test_diacritics_are_letters_of_the_word() -> None:
    assert found("coöperatief leren, cooperatief leren") == [
        ("coöperatief leren", "coop"),
        ("leren", "leren"),
    ]
    assert found("leren-ë leréén") == [("leren", "leren")]


def test_plural_alias_is_its_own_form() -> None:
    assert found("professionele leergemeenschappen") == [
        ("professionele leergemeenschappen", "plg")
    ]


def test_digits_and_slashes_in_capital_forms() -> None:
    assert found("CO2-uitstoot en CI/CD") == [("CO2", "co2"), ("CI/CD", "cicd")]


def test_ij_is_matched_regardless_of_case() -> None:
    assert found("IJsland") == [("IJsland", "ijs")]


def test_a_rejected_capital_form_falls_back_to_a_shorter_valid_form() -> None:
    matcher = TermMatcher([("NT2 LEREN", "nt2l"), ("nt2", "nt2")])
    text = "nt2 leren"
    assert [(text[m.start : m.end], m.slug) for m in matcher.find(text)] == [("nt2", "nt2")]


def test_empty_glossary_matches_nothing() -> None:
    assert list(TermMatcher([]).find("alles")) == []


@pytest.mark.parametrize(
    ("form", "caps"),
    [("TOS", True), ("CO2", True), ("CI/CD", True), ("Tos", False), ("123", False)],
)
def test_all_caps_means_a_letter_and_no_lower_case(form: str, caps: bool) -> None:
    assert is_all_caps(form) is caps


def test_the_matcher_is_one_compiled_pattern_for_the_whole_glossary() -> None:
    many = [(f"begrip{i}", f"b{i}") for i in range(2000)]
    matcher = TermMatcher(many)
    assert matcher.pattern is not None
    text = "Hier staan begrip7 en begrip1999 maar niet begrip20000."
    assert [m.slug for m in matcher.find(text)] == ["b7", "b1999"]


def test_a_pickled_matcher_is_the_same_whatever_it_compiled_before() -> None:
    """Workers get the matcher pickled: without the patterns it compiled (each worker
    compiles what it uses), so a setup pickles to the same bytes, the key workers know it by."""
    matcher = TermMatcher([("leerkracht", "leerkracht"), ("PLG", "plg")])
    before = pickle.dumps(matcher)
    text = "De leerkracht en de PLG, ſchool."  # ſ folds apart: both patterns get compiled
    found = [m.slug for m in matcher.find(text)]
    assert found == ["leerkracht", "plg"]
    assert matcher.pattern is not None
    assert pickle.dumps(matcher) == before
    assert [m.slug for m in pickle.loads(before).find(text)] == found
