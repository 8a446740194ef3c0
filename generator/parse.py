"""Parse one Markdown body once -> ParsedBody: its HTML plus what the index needs.

The HTML, the glossary mentions, the outgoing links, the headings (anchors),
the first paragraph and the word count all come from the same token stream,
so the text that is linked is exactly the text that is indexed. A pure
function of its inputs: worker processes and the cache can wrap it.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Heading:
    level: int  # as rendered (h2..h6)
    id: str
    text: str


@dataclass(frozen=True)
class ParsedBody:
    html: str
    headings: tuple[Heading, ...]
    first_paragraph: str  # plain text
    words: int
    mentions: tuple[tuple[str, int], ...]  # (term slug, occurrences), sorted
    forms: tuple[tuple[str, int], ...]  # (matched text lower-cased, occurrences)
    heading_forms: tuple[tuple[str, int], ...]
    links: tuple[LinkUse, ...]
    problems: tuple[Problem, ...]
    outside_links: tuple[OutsideUse, ...] = ()  # http(s) links and images, for check --external

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.id for h in self.headings)


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
    headings = _headings(tokens, line_offset, problems)
    return ParsedBody(
        html=html,
        headings=headings,
        first_paragraph=_first_paragraph(tokens),
        words=sum(len(_WORD.findall(t)) for t in _texts(tokens)),
        mentions=_sorted_counts(use.mentions if isinstance(use, GlossaryUse) else {}),
        forms=_sorted_counts(use.forms if isinstance(use, GlossaryUse) else {}),
        heading_forms=_sorted_counts(use.heading_forms if isinstance(use, GlossaryUse) else {}),
        links=tuple(_list(env, "links")),
        problems=tuple(problems),
        outside_links=tuple(_list(env, "outside_links")),
    )


def _list(env: dict[str, object], key: str) -> list[Any]:
    value = env.get(key, [])
    assert isinstance(value, list)
    return value


def _sorted_counts(counts: object) -> tuple[tuple[str, int], ...]:
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


def _headings(tokens: list[Token], offset: int, problems: list[Problem]) -> tuple[Heading, ...]:
    found: list[Heading] = []
    previous = 1  # the page title
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        if level > previous + 1:
            line = offset + (token.map[0] if token.map else 0) + 1
            params = (("level", str(level)), ("previous", str(previous)))
            problems.append(Problem("MD001", line, "heading", True, params))
        previous = level
        text = " ".join(_plain(tokens[index + 1].children or []).split())
        found.append(Heading(level, str(token.attrGet("id") or ""), text))
    return tuple(found)


__all__ = ["Heading", "ParsedBody", "child_line", "parse_body"]
