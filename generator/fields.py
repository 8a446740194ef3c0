"""Value checks shared by site.yaml and front matter: text, booleans, numbers, dates, lists.

Each check takes a raw YAML value and returns the typed value or raises
FieldError carrying a catalogue code, so callers add the path, line and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class FieldError(Exception):
    """A bad value: `code` and `params` name the message in the catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class WrittenDate:
    """A date as the editor wrote it: the calendar date plus the original text.

    A full ISO date-time is shown as written, so output never depends on the
    machine's time zone.
    """

    date: dt.date
    text: str  # "2024-06-11" or "2024-06-11T09:30:00+02:00"


def kind_of(value: Any) -> str:
    """The catalogue word for a YAML value's type (for "not X" messages)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "integer"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def text(value: Any, *, allow_empty: bool = False) -> str:
    """Text; numbers are accepted as written (a title may be `1984`)."""
    if type(value) is str:  # nearly always: tried first (validating 10,000 articles reads 50,000)
        result = value.strip()
    elif isinstance(value, bool) or value is None or not isinstance(value, str | int | float):
        if value is None and allow_empty:
            return ""
        raise FieldError("VAL001", expected="text", got=kind_of(value))
    else:
        result = str(value).strip()
    if not result and not allow_empty:
        raise FieldError("VAL005")
    return result


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError("VAL001", expected="boolean", got=kind_of(value))
    return value


def integer(value: Any, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError("VAL001", expected="integer", got=kind_of(value))
    if value < minimum:
        raise FieldError("VAL004", minimum=minimum, value=value)
    return value


def text_list(value: Any) -> tuple[str, ...]:
    """A list of text; a single string counts as a list of one."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return (text(value),)
    if not isinstance(value, list):
        raise FieldError("VAL001", expected="text or list", got=kind_of(value))
    return tuple(text(item) for item in value)


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date(value: Any) -> WrittenDate:
    """A YYYY-MM-DD date, or a full ISO date-time kept as written."""
    if isinstance(value, dt.date):  # an explicit `!!timestamp` tag: YAML built it already
        value = value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str):
        raise FieldError("VAL001", expected="date", got=kind_of(value))
    written = value.strip()
    match = _DATE.match(written)
    if not match:
        raise FieldError("VAL002", value=written)
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        if len(written) > 10:
            dt.datetime.fromisoformat(written)
    except ValueError:
        raise FieldError("VAL002", value=written) from None
    return WrittenDate(day, written)


def one_of(value: Any, allowed: Iterable[str]) -> str:
    choices = list(allowed)
    word = text(value)
    if word not in choices:
        raise FieldError(
            "VAL003", allowed=", ".join(choices), value=word, candidate=closest(word, choices)
        )
    return word


def closest(word: str, choices: Iterable[str]) -> str:
    """The choice an editor most likely meant, or '' (for "did you mean" hints)."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else ""


_LINK = re.compile(r"(/|https?://[^/\s]|mailto:|tel:)", re.IGNORECASE)


def link_url(value: Any) -> str:
    """A path on the site (/artikelen/) or an http(s), mailto: or tel: address.

    Anything else could be javascript: or data: that runs when a reader clicks.
    """
    url = text(value)
    if not _LINK.match(url):
        raise FieldError("VAL008", value=url)
    return url


def http_url(value: Any) -> str:
    url = text(value)
    if not re.match(r"https?://[^/\s]+", url):
        raise FieldError("VAL006", value=url)
    return url
