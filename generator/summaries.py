"""Plain-text helpers: excerpts cut at a word boundary, first sentences, reading time."""

from __future__ import annotations

import math
import re

EXCERPT_LENGTH = 260  # the source site's excerpts are 256-271 characters
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(]?[A-ZÀ-ÖØ-Þ0-9])")


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The text, or its start cut at the last word boundary before `length`, with "…"."""
    clean = " ".join(text.split())
    if len(clean) <= length:
        return clean
    cut = clean[: length + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > length // 2 else clean[:length]
    return head.rstrip(" ,;:-–—(") + "…"


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (a term's one-line definition)."""
    clean = " ".join(text.split())
    parts = _SENTENCE_END.split(clean, maxsplit=1)
    return parts[0] if parts else ""


def reading_minutes(words: int, speed: int) -> int:
    """Minutes at `speed` words a minute, rounded up, at least 1."""
    return max(1, math.ceil(words / speed))
