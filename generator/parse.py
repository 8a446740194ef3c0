"""Parse one Markdown body once -> ParsedBody: its HTML plus what the index needs.

The HTML, the glossary mentions, the outgoing links, the headings (anchors),
the first paragraph and the word count all come from the same token stream,
so the text that is linked is exactly the text that is indexed. A pure
function of its inputs: worker processes and the cache can wrap it.
"""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.glossary_links import GlossaryUse
from generator.markdown import LinkUse, OutsideUse, Problem, child_line

# A word: letters or digits, joined by single apostrophes or hyphens ("risico's").
# Possessive (never backtracks, same matches): counting took a twelfth of parsing.
_WORD = re.compile(r"\w++(?:['’-]\w++)*+")


Counts = tuple[tuple[str, int], ...]  # (text, occurrences), sorted


@dataclass(frozen=True)
class ParsedBody:
    """One body's HTML and facts; a rebuild unpickles one for every body of the site.

    So it holds few objects: heading ids as strings, and the matched forms,
    which only `check`'s alias statistics read, packed as one bytes value.
    """

    html: str
    anchors: tuple[str, ...]  # the ids of its headings, in order
    first_paragraph: str  # plain text
    words: int
    mentions: Counts  # (term slug, occurrences)
    packed_forms: bytes  # marshalled (forms, heading_forms): see the properties
    links: tuple[LinkUse, ...]
    problems: tuple[Problem, ...]
    outside_links: tuple[OutsideUse, ...] = ()  # http(s) links and images, for check --external

    @property
    def forms(self) -> Counts:
        """(matched text lower-cased, occurrences) of the linked and countable matches."""
        forms: Counts = marshal.loads(self.packed_forms)[0]
        return forms

    @property
    def heading_forms(self) -> Counts:
        """(matched text lower-cased, occurrences) of matches found only in headings."""
        forms: Counts = marshal.loads(self.packed_forms)[1]
        return forms


def parse_body(
    md: MarkdownIt,
    text: str,
    *,
    source: str,
    line_offset: int,
    glossary: bool = True,
    own_term: str | None = None,
    id_prefix: str = "",
) -> ParsedBody:
    """Parse and render `text` (which starts at file line line_offset + 1)."""
    env: dict[str, object] = {
        "source": source,
        "line_offset": line_offset,
        "glossary_off": not glossary,
        "own_term": own_term,
        "id_prefix": id_prefix,
    }
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    use = env.get("glossary_use")
    problems: list[Problem] = list(_list(env, "problems"))
    anchors = _anchors(tokens, line_offset, problems)
    forms = _sorted_counts(use.forms if isinstance(use, GlossaryUse) else {})
    heading_forms = _sorted_counts(use.heading_forms if isinstance(use, GlossaryUse) else {})
    return ParsedBody(
        html=html,
        anchors=anchors,
        first_paragraph=_first_paragraph(tokens),
        words=sum(len(_WORD.findall(t)) for t in _texts(tokens)),
        mentions=_sorted_counts(use.mentions if isinstance(use, GlossaryUse) else {}),
        packed_forms=marshal.dumps((forms, heading_forms)),
        links=tuple(_list(env, "links")),
        problems=tuple(problems),
        outside_links=tuple(_list(env, "outside_links")),
    )


def _list(env: dict[str, object], key: str) -> list[Any]:
    value = env.get(key, [])
    assert isinstance(value, list)
    return value


def _sorted_counts(counts: object) -> Counts:
    assert isinstance(counts, dict)
    return tuple(sorted(counts.items()))


def _plain(children: list[Token]) -> str:
    """Reader-visible text of inline children (tooltips and raw HTML left out)."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _texts(tokens: list[Token]) -> list[str]:
    texts: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            texts.append(_plain(token.children))
        elif token.type in ("fence", "code_block"):
            texts.append(token.content)
    return texts


def _first_paragraph(tokens: list[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            inline = tokens[index + 1]
            text = " ".join(_plain(inline.children or []).split())
            if text:
                return text
    return ""


def _anchors(tokens: list[Token], offset: int, problems: list[Problem]) -> tuple[str, ...]:
    """The headings' ids; a heading that skips a level is reported (MD001)."""
    found: list[str] = []
    previous = 1  # the page title
    for token in tokens:
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        if level > previous + 1:
            line = offset + (token.map[0] if token.map else 0) + 1
            params = (("level", str(level)), ("previous", str(previous)))
            problems.append(Problem("MD001", line, "heading", True, params))
        previous = level
        found.append(str(token.attrGet("id") or ""))
    return tuple(found)


__all__ = ["ParsedBody", "child_line", "parse_body"]
