"""Dutch dictionary order for the glossary A–Z (ICU), not code-point order."""

from __future__ import annotations

from generator.collation import index_letter, sort_key


def test_dutch_order_handles_accents_case_and_ij() -> None:
    words = [
        "Zee",
        "IJsland",
        "ezel",
        "Ëerst",
        "eerst",
        "Ideaal",
        "Appel",
        "aap",
        "Über",
        "Uil",
        "10-minutengesprek",
    ]
    assert sorted(words, key=sort_key("nl")) == [
        "10-minutengesprek",
        "aap",
        "Appel",
        "eerst",
        "Ëerst",
        "ezel",
        "Ideaal",
        "IJsland",
        "Über",
        "Uil",
        "Zee",
    ]


def test_code_point_order_would_be_wrong() -> None:
    words = ["Ëerst", "ezel", "Zee"]
    assert sorted(words) != sorted(words, key=sort_key("nl"))


def test_index_letters_fold_accents_and_file_ij_under_i() -> None:
    assert [index_letter(w) for w in ["Ëerst", "IJsland", "über", "3D-printen", "’t Hooft"]] == [
        "E",
        "I",
        "U",
        "#",
        "T",
    ]
