"""The glossary matcher: finds every term form in a text, in one pass, for any glossary size.

One regular expression is compiled per build from a trie of all forms, so the
regex engine (C code) does the scanning and the cost hardly grows with the
number of terms. Rules (CONTENT-FORMAT.md, Markdown): whole words, longest
match first, case ignored except for forms written entirely in capitals;
hyphens and slashes separate words, letters, digits, `_` and apostrophes do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

WORD_CHARS = r"\w'’"  # characters that continue a word: "risico's" is one word
_SPACE = re.compile(r"\s+")
NARROWED = 10  # documents matched by narrowed patterns before the whole one pays its compiling
# Lower-case characters that `re` matches case-insensitively in ways str.lower()
# does not reproduce (ſ and s, ı and i, σ and ς, µ and μ...; re._casefix and the
# simple lower-case mapping). Text or forms with one of them are matched by the
# case-insensitive pattern; all other text is lower-cased and matched by the
# same pattern without IGNORECASE, which is twice as fast and finds the same.
_FOLDS_APART = re.compile(
    "[\xb5\u0130\u0131\u017f\u0345\u0390\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba"
    "\u03bc\u03c0\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1"
    "\u03f5\u0432\u0434\u043e\u0441\u0442\u044a\u0463\u1c80-\u1c88\u1e61\u1e9b"
    "\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06]"
)


def is_all_caps(form: str) -> bool:
    """At least one letter and no lower-case letter: `TOS`, `CO2`, `CI/CD`."""
    return any(ch.isalpha() for ch in form) and not any(ch.islower() for ch in form)


def _key(text: str) -> str:
    """Case- and spacing-insensitive key of a form or of matched text."""
    return _SPACE.sub(" ", text.lower())


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    slug: str


@dataclass(frozen=True)
class _Form:
    written: str  # NFC, spaces collapsed
    slug: str
    caps: bool


class TermMatcher:
    """All forms of all terms, compiled once; `find` yields non-overlapping matches."""

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        """Build from (form, term slug) pairs."""
        self._forms: dict[str, list[_Form]] = {}
        for form, slug in forms:
            written = _SPACE.sub(" ", unicodedata.normalize("NFC", form).strip())
            if not written:
                continue
            entry = _Form(written, slug, is_all_caps(written))
            self._forms.setdefault(_key(written), []).append(entry)
        self._forms_fold_apart = any(_FOLDS_APART.search(key) for key in self._forms)
        self._narrowed_count = 0  # documents matched by a narrowed() matcher so far
        self.signature = "\n".join(
            f"{key}\t{f.written}\t{f.slug}" for key in sorted(self._forms) for f in self._forms[key]
        )

    def __bool__(self) -> bool:
        return bool(self._forms)

    def __getstate__(self) -> dict[str, object]:
        """Without compiled patterns: a worker compiles what it uses, and the pickled matcher
        (part of the key workers know a setup by) is the same whatever ran before."""
        state = dict(self.__dict__)
        for name in ("_source", "_insensitive", "_lowered", "_narrowed_count"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _narrowed_count=0)

    @cached_property
    def _source(self) -> str | None:
        """The pattern's text (None: no forms)."""
        return _pattern_source(sorted(self._forms)) if self._forms else None

    @cached_property
    def _insensitive(self) -> re.Pattern[str] | None:
        """The pattern, matching case-insensitively (for text where lower() does not do)."""
        return re.compile(self._source, re.IGNORECASE) if self._source is not None else None

    @cached_property
    def _lowered(self) -> re.Pattern[str] | None:
        """The same pattern for lower-cased text, without IGNORECASE (twice as fast)."""
        return re.compile(self._source) if self._source is not None else None

    # Each compiled when first used: most rebuilds parse no body, most texts need only
    # the second (compiling one for the forms of 1,000 terms takes 0.03 s).

    def narrowed(self, texts: Callable[[], Iterable[str]]) -> TermMatcher:
        """A matcher that finds in `texts` what this one finds, compiled for fewer forms.

        An edit rebuild parses a body or two: compiling the pattern of every
        form (0.04 s for 1,000 terms) cost more than the parse. So the first
        NARROWED documents a matcher sees are matched with a pattern of only the
        forms whose first word occurs in them; after that, or where that is not
        exact, this matcher. `texts()` gives every text of the document that
        find() will be given, as pieces of it: a first word holds no space, so
        it lies inside one piece or across pieces that follow one another,
        and it is then in their concatenation. Exact on the lower-cased path
        only (case-insensitive matching may match a word written otherwise).
        """
        # Not self._source: building the whole pattern's text (0.014 s) is what this spares.
        if not self._forms or self._forms_fold_apart or "_lowered" in self.__dict__:
            return self
        if self._narrowed_count >= NARROWED:
            return self
        self._narrowed_count += 1
        text = "".join(texts())
        lowered = text.lower()
        if len(lowered) != len(text) or _FOLDS_APART.search(lowered):
            return self
        keys = [key for key in sorted(self._forms) if key.partition(" ")[0] in lowered]
        narrow = TermMatcher.__new__(TermMatcher)
        narrow.__dict__.update(
            _forms=self._forms,
            _forms_fold_apart=False,
            signature=self.signature,
            _narrowed_count=NARROWED,
            _source=_pattern_source(keys) if keys else None,
        )
        return narrow

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The one case-insensitive pattern of every form (None: no forms)."""
        return self._insensitive

    def find(self, text: str) -> Iterator[Match]:
        """Yield matches left to right, each the longest valid form at its position."""
        if self._source is None:
            return
        pattern: re.Pattern[str] | None = None
        haystack = text
        if not self._forms_fold_apart:
            lowered = text.lower()
            if len(lowered) == len(text) and not _FOLDS_APART.search(lowered):
                pattern, haystack = self._lowered, lowered
        if pattern is None:
            pattern = self._insensitive
        assert pattern is not None
        pos = 0
        while True:
            m = pattern.search(haystack, pos)
            if m is None:
                return
            found = self._longest_valid(text, m.start(), m.end(), pattern, haystack)
            if found is None:
                pos = m.start() + 1
                continue
            yield found
            pos = found.end

    def _longest_valid(
        self, text: str, start: int, end: int, pattern: re.Pattern[str], haystack: str
    ) -> Match | None:
        """Check case rules; when the longest candidate fails, try shorter ones at `start`."""
        while end > start:
            slug = self._slug_for(text[start:end])
            if slug is not None and _ends_word(text, end):
                return Match(start, end, slug)
            shorter = pattern.match(haystack, start, end - 1)
            if shorter is None:
                return None
            end = shorter.end()
        return None

    def _slug_for(self, matched: str) -> str | None:
        for form in self._forms.get(_key(matched), ()):
            if not form.caps or _SPACE.sub(" ", matched) == form.written:
                return form.slug
        return None


_WORD_CHAR = re.compile(f"[{WORD_CHARS}]")


def _ends_word(text: str, end: int) -> bool:
    return end >= len(text) or not _WORD_CHAR.match(text, end)


def _pattern_source(keys: list[str]) -> str:
    """One pattern (case-insensitive when compiled so): a trie of the keys, whole words only."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    body = _trie_regex(trie)
    return rf"(?<![{WORD_CHARS}])(?:{body})(?![{WORD_CHARS}])"


def _trie_regex(node: dict) -> str:  # type: ignore[type-arg]
    """Regex for a trie node; longer continuations are tried before ending here."""
    branches = []
    for ch in sorted(k for k in node if k):
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch]))
    if not branches:
        return ""
    alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{alternation})?" if "" in node else alternation
