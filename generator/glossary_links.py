"""markdown-it core rule: turn glossary term mentions in text into accessible tooltip links.

Shaped like markdown-it's linkify rule: walk each inline token's children and
split matching text into text, the link's opening HTML, the matched words as
text, then the closing HTML with its tooltip. It runs
after `text_join`, so an escaped character does not keep a phrase from being
linked. Headings, links, code, images and the term's own page are skipped;
every mention (linked or not) is recorded in env for "Gebruikt in" and related
articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from generator.glossary_match import TermMatcher


@dataclass(frozen=True)
class TermInfo:
    """What a tooltip shows and where it links."""

    term: str
    href: str
    summary: str


@dataclass(frozen=True)
class Glossary:
    """The site's terms for linking, built once per build."""

    matcher: TermMatcher
    terms: dict[str, TermInfo]
    mode: str = "first"  # first | all | none


@dataclass
class GlossaryUse:
    """What the rule found in one document (lives in env["glossary_use"])."""

    mentions: Counter[str] = field(default_factory=Counter)  # slug -> occurrences
    forms: Counter[str] = field(default_factory=Counter)  # matched text (lower) -> occurrences
    heading_forms: Counter[str] = field(default_factory=Counter)  # found only in headings
    linked: set[str] = field(default_factory=set)
    tooltip_count: int = 0


def glossary_plugin(md: MarkdownIt, glossary: Glossary) -> None:
    """Register the term-linking rule; env may carry `glossary_off`, `own_term`, `id_prefix`."""

    def rule(state: StateCore) -> None:
        env = state.env
        if env.get("glossary_off") or not glossary.matcher:
            return
        use: GlossaryUse = env.setdefault("glossary_use", GlossaryUse())
        tokens = state.tokens
        # The first bodies of a process get a pattern of the forms they hold (TermMatcher.narrowed).
        matcher = glossary.matcher.narrowed(lambda: _texts(tokens))
        here = glossary if matcher is glossary.matcher else replace(glossary, matcher=matcher)
        for index, token in enumerate(tokens):
            if token.type != "inline" or not token.children:
                continue
            in_heading = index > 0 and tokens[index - 1].type == "heading_open"
            if in_heading:
                _count_heading_forms(token.children, here, use)
                continue
            token.children = _link_children(token.children, here, env, use)

    md.core.ruler.after("text_join", "glossary_links", rule)


def _texts(tokens: list[Token]) -> Iterator[str]:
    """Every text the rule matches in, in pieces: the text children of every inline token."""
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text":
                    yield child.content


def _count_heading_forms(children: list[Token], glossary: Glossary, use: GlossaryUse) -> None:
    for child in children:
        if child.type == "text":
            for match in glossary.matcher.find(child.content):
                use.heading_forms[child.content[match.start : match.end].lower()] += 1


def _link_children(
    children: list[Token], glossary: Glossary, env: MutableMapping[str, Any], use: GlossaryUse
) -> list[Token]:
    """Rebuild one inline token's children, linking terms in runs of text outside links.

    The children stay the same list when no run changed (most inline tokens link nothing).
    """
    out: list[Token] | None = None  # made at the first run that changes
    start = -1  # first child of the current run of text and soft breaks
    depth = 0
    for index, child in enumerate(children):
        kind = child.type
        if depth == 0 and (kind == "text" or kind == "softbreak"):
            if start < 0:
                start = index
            continue
        if start >= 0:
            out = _relink(children, start, index, out, glossary, env, use)
            start = -1
        if kind == "link_open":
            depth += 1
        elif kind == "link_close":
            depth -= 1
        if out is not None:
            out.append(child)
    if start >= 0:
        out = _relink(children, start, len(children), out, glossary, env, use)
    return children if out is None else out


def _relink(
    children: list[Token],
    start: int,
    stop: int,
    out: list[Token] | None,
    glossary: Glossary,
    env: MutableMapping[str, Any],
    use: GlossaryUse,
) -> list[Token] | None:
    """Link the run children[start:stop]; `out` (the rebuilt children so far) as it now stands."""
    linked = _link_run(children[start:stop], glossary, env, use)
    if linked is None:
        if out is not None:
            out.extend(children[start:stop])
        return out
    if out is None:
        out = children[:start]
    out.extend(linked)
    return out


def _link_run(
    run: list[Token], glossary: Glossary, env: MutableMapping[str, Any], use: GlossaryUse
) -> list[Token] | None:
    """Link matches in a run of text and soft breaks (a term may span a line break).

    None when nothing in the run is linked.
    """
    if len(run) == 1:
        text = run[0].content if run[0].type == "text" else "\n"
    else:
        text = "".join([t.content if t.type == "text" else "\n" for t in run])
    own = env.get("own_term")
    pieces: list[Token] = []
    last = 0
    changed = False
    for match in glossary.matcher.find(text):
        if match.slug == own:
            continue
        use.mentions[match.slug] += 1
        use.forms[text[match.start : match.end].lower()] += 1
        if glossary.mode == "none" or (glossary.mode == "first" and match.slug in use.linked):
            continue
        use.linked.add(match.slug)
        changed = True
        pieces.extend(_text_tokens(text[last : match.start]))
        pieces.extend(_term_tokens(text[match.start : match.end], match.slug, glossary, env, use))
        last = match.end
    if not changed:
        return None
    pieces.extend(_text_tokens(text[last:]))
    return pieces


def _text_tokens(text: str) -> list[Token]:
    if "\n" not in text:
        return [Token("text", "", 0, content=text)] if text else []
    tokens: list[Token] = []
    for i, part in enumerate(text.split("\n")):
        if i:
            tokens.append(Token("softbreak", "br", 0))
        if part:
            tokens.append(Token("text", "", 0, content=part))
    return tokens


def _term_tokens(
    words: str, slug: str, glossary: Glossary, env: MutableMapping[str, Any], use: GlossaryUse
) -> list[Token]:
    """The link and its tooltip, as the HTML a link_open token with these attributes renders.

    Raw HTML tokens rather than link_open and link_close: the link is finished
    (its href needs no resolving), and rendering attributes token by token took
    a tenth of the rule's time. The words stay text tokens: they are read (word
    count, first paragraph).
    """
    info = glossary.terms[slug]
    use.tooltip_count += 1
    tip_id = escapeHtml(f"{env.get('id_prefix', '')}term-{slug}-{use.tooltip_count}")
    link = (
        f'<a class="glossary-term" data-term="{escapeHtml(slug)}" href="{escapeHtml(info.href)}"'
        f' aria-describedby="{tip_id}">'
    )
    tooltip = (
        f'</a><span class="glossary-tooltip" role="tooltip" id="{tip_id}">'
        f'<span class="glossary-tooltip-term">{escapeHtml(info.term)}</span> '
        f"{escapeHtml(info.summary)}</span>"
    )
    return [
        Token("html_inline", "", 0, content=link),
        *_text_tokens(words),
        Token("html_inline", "", 0, content=tooltip),
    ]
