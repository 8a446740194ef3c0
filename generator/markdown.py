"""The Markdown dialect, defined in exactly one place: `create_markdown`.

CommonMark plus tables, strikethrough, footnotes and GitHub-style heading ids;
`#` renders as <h2> (the page title is the only <h1>); links to other items'
Markdown files become their URLs; unsafe URLs stay plain text; glossary terms
become tooltip links (glossary_links.py).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from generator.glossary_links import Glossary, glossary_plugin


@dataclass(frozen=True)
class LinkTargets:
    """Where relative links in Markdown may point, known before any body is parsed."""

    items: dict[str, str] = field(default_factory=dict)  # source path -> href of the item
    drafts: frozenset[str] = frozenset()  # source paths of drafts left out of this build
    static: dict[str, str] = field(default_factory=dict)  # source path -> href of static file
    failed: frozenset[str] = frozenset()  # files with errors of their own: exist, not built


@dataclass(frozen=True)
class LinkUse:
    """A link from a body to another item (or to an anchor in the same one)."""

    target: str  # source path of the target item
    anchor: str  # "" when none
    line: int


@dataclass(frozen=True)
class OutsideUse:
    """A link or image in a body that points outside the site (for `check --external`)."""

    url: str
    line: int


@dataclass(frozen=True)
class Problem:
    """A diagnostic found while parsing; the caller adds the path."""

    code: str
    line: int
    field: str
    warning: bool
    params: tuple[tuple[str, str], ...] = ()


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_OUTSIDE = re.compile(r"^(https?:)?//", re.IGNORECASE)
_UNSAFE = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)


def _validate_link(url: str) -> bool:
    """Refuse script-bearing schemes; the link then stays plain text."""
    return not _UNSAFE.match(url)


def create_markdown(
    *, allow_html: bool, glossary: Glossary | None, targets: LinkTargets | None
) -> MarkdownIt:
    """The one MarkdownIt instance of a build, with every option and plugin."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=github_slug)
    md.core.ruler.push("shift_headings", _shift_headings)
    if glossary is not None:
        glossary_plugin(md, glossary)
    if targets is not None:
        md.core.ruler.push("resolve_links", _make_link_rule(targets))
    return md


def github_slug(title: str) -> str:
    """Heading id as GitHub makes it: lower case, spaces to -, punctuation but - and _ dropped."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _shift_headings(state: StateCore) -> None:
    """`#` becomes <h2>: the page title is the page's only <h1>."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def child_line(inline: Token, children: list[Token], index: int, offset: int) -> int:
    """File line of an inline child: its block's line plus the line breaks before it."""
    base = inline.map[0] if inline.map else 0
    breaks = sum(1 for c in children[:index] if c.type in ("softbreak", "hardbreak"))
    return offset + base + breaks + 1


def _make_link_rule(targets: LinkTargets):  # type: ignore[no-untyped-def]
    def rule(state: StateCore) -> None:
        env = state.env
        source: str = env.get("source", "")
        offset: int = env.get("line_offset", 0)
        problems: list[Problem] = env.setdefault("problems", [])
        uses: list[LinkUse] = env.setdefault("links", [])
        outside: list[OutsideUse] = env.setdefault("outside_links", [])
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children = block.children
            drop: set[int] = set()
            # Lines counted as we go: child_line() per child would be quadratic in the
            # children of one paragraph (40,000 emphasis markers took minutes).
            first_line = offset + (block.map[0] if block.map else 0) + 1
            breaks = 0
            for index, child in enumerate(children):
                if child.type in ("softbreak", "hardbreak"):
                    breaks += 1
                    continue
                line = first_line + breaks
                if child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    result = _resolve(href, source, targets, line, uses, problems, outside)
                    if result is None:
                        drop.update(_pair(children, index))
                    else:
                        child.attrSet("href", result)
                elif child.type == "image":
                    src = str(child.attrGet("src") or "")
                    if not child.content.strip():
                        problems.append(Problem("LNK003", line, "image", True))
                    resolved = _resolve(src, source, targets, line, uses, problems, outside)
                    if resolved is not None:
                        child.attrSet("src", resolved)
            if drop:
                block.children = [c for i, c in enumerate(children) if i not in drop]

    return rule


def _pair(children: list[Token], open_index: int) -> set[int]:
    """Indexes of a link_open and its matching link_close (text between is kept)."""
    depth = 0
    for index in range(open_index, len(children)):
        if children[index].type == "link_open":
            depth += 1
        elif children[index].type == "link_close":
            depth -= 1
            if depth == 0:
                return {open_index, index}
    return {open_index}


def _resolve(
    href: str,
    source: str,
    targets: LinkTargets,
    line: int,
    uses: list[LinkUse],
    problems: list[Problem],
    outside: list[OutsideUse],
) -> str | None:
    """The href to write for a link in `source`, or None to unlink a draft's link."""
    if not href or _SCHEME.match(href) or href.startswith(("/", "//")):
        if _OUTSIDE.match(href):
            outside.append(OutsideUse(href, line))
        return href
    parts = urlsplit(href)
    anchor = unquote(parts.fragment)
    if not parts.path:  # "#anchor" in the same document
        uses.append(LinkUse(source, anchor, line))
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
    if target in targets.items:
        uses.append(LinkUse(target, anchor, line))
        return targets.items[target] + (f"#{parts.fragment}" if parts.fragment else "")
    if target in targets.static:
        return targets.static[target]
    if target in targets.drafts:
        problems.append(Problem("REF002", line, "link", True, (("target", target),)))
        return None
    if target in targets.failed:  # the file exists; its own errors are reported already
        return href
    problems.append(Problem("LNK001", line, "link", False, (("target", unquote(href)),)))
    return href
