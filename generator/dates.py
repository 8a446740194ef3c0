"""Dates as readers see them ("11 juni 2024") and as machines read them (ISO, RFC 3339)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

from generator.fields import WrittenDate


def display_date(date: WrittenDate, language: str) -> str:
    """The date in the site language, from CLDR: "11 juni 2024", "June 11, 2024"."""
    return _long_date(date.date, language)


@lru_cache(maxsize=8192)
def _long_date(day: dt.date, language: str) -> str:
    # Babel looks the locale's data up on every call; a site shows the same dates on many pages.
    return format_date(day, format="long", locale=language)


def iso_date(date: WrittenDate) -> str:
    """As written: "2024-06-11" or the full date-time the editor gave."""
    return date.text


def rfc3339(date: WrittenDate) -> str:
    """For Atom: a full timestamp; a plain date is midnight UTC, a naive time is UTC."""
    if len(date.text) <= 10:
        return f"{date.date.isoformat()}T00:00:00Z"
    parsed = dt.datetime.fromisoformat(date.text)
    if parsed.tzinfo is None:
        return parsed.isoformat() + "Z"
    return parsed.isoformat()
