"""Excerpts, first sentences, reading time and dates in the site language."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.dates import display_date, rfc3339
from generator.fields import WrittenDate
from generator.summaries import excerpt, first_sentence, reading_minutes


def test_short_text_is_its_own_excerpt() -> None:
    assert excerpt("Een korte alinea.") == "Een korte alinea."


def test_long_text_is_cut_at_a_word_boundary_near_260_characters_with_an_ellipsis() -> None:
    words = ("onderwijs " * 60).strip()
    cut = excerpt(words)
    assert cut.endswith("…")
    assert 240 <= len(cut) <= 262
    assert not cut[:-1].endswith(" ")
    assert cut[:-1].split()[-1] == "onderwijs"


def test_excerpt_collapses_whitespace() -> None:
    assert excerpt("een\n  twee\tdrie") == "een twee drie"


def test_first_sentence_stops_at_the_first_full_stop_before_a_capital() -> None:
    text = "Een PLG is een team dat samen leert. Het team deelt doelen. Enz."
    assert first_sentence(text) == "Een PLG is een team dat samen leert."


def test_first_sentence_keeps_abbreviations_followed_by_lower_case() -> None:
    assert first_sentence("Bijv. samen leren, o.a. in groepjes. Tweede zin.") == (
        "Bijv. samen leren, o.a. in groepjes."
    )


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (228, 1), (229, 2), (456, 2), (457, 3)]
)
def test_reading_time_rounds_up_and_is_at_least_one_minute(words: int, minutes: int) -> None:
    assert reading_minutes(words, 228) == minutes


def test_dutch_date_is_written_out() -> None:
    assert display_date(WrittenDate(dt.date(2024, 6, 11), "2024-06-11"), "nl") == "11 juni 2024"


def test_english_date_is_written_out() -> None:
    assert display_date(WrittenDate(dt.date(2024, 6, 11), "2024-06-11"), "en") == "June 11, 2024"


def test_a_date_time_keeps_its_written_offset_in_the_feed() -> None:
    written = WrittenDate(dt.date(2024, 6, 11), "2024-06-11T09:30:00+02:00")
    assert rfc3339(written) == "2024-06-11T09:30:00+02:00"
    assert rfc3339(WrittenDate(dt.date(2024, 6, 11), "2024-06-11")) == "2024-06-11T00:00:00Z"
