"""Glossary linking on the Markdown token stream, pinned by tests/markdown_cases/glossary_links.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import glossary_match
from generator.glossary_links import Glossary, TermInfo
from generator.glossary_match import NARROWED, TermMatcher
from generator.markdown import LinkTargets, create_markdown
from generator.parse import parse_body

CASES = Path(__file__).resolve().parent.parent / "markdown_cases" / "glossary_links.md"
TERMS = {
    "sl": (["samenwerkend leren"], "Samenwerkend leren", "Leren in groepjes."),
    "leren": (["leren"], "Leren", "Kennis opdoen."),
    "tos": (["TOS"], "TOS", "Taalontwikkelingsstoornis."),
    "plg": (
        ["professionele leergemeenschap", "PLG"],
        "Professionele leergemeenschap",
        "Team dat samen leert.",
    ),
}
_TIP = re.compile(
    r'<span class="glossary-tooltip" role="tooltip" id="[a-z-]*term-([a-z]+)-\d+">'
    r'<span class="glossary-tooltip-term">[^<]*</span>[^<]*</span>'
)


def glossary(mode: str = "first") -> Glossary:
    matcher = TermMatcher((form, slug) for slug, (forms, _, _) in TERMS.items() for form in forms)
    infos = {
        slug: TermInfo(term, f"/begrippen/{slug}/", summary)
        for slug, (_, term, summary) in TERMS.items()
    }
    return Glossary(matcher, infos, mode)


def render(text: str, mode: str = "first", own: str | None = None) -> str:
    md = create_markdown(allow_html=False, glossary=glossary(mode), targets=LinkTargets())
    html = parse_body(md, text, source="content/articles/x.md", line_offset=0, own_term=own).html
    return _TIP.sub(lambda m: f"<tip:{m[1]}>", html)


def load_cases() -> list[tuple[str, str, str]]:
    blocks = CASES.read_text("utf-8").split("\n.\n")
    cases = []
    # The file starts with a free-text preamble ending in a blank line before the first title.
    first_title = blocks[0].strip().split("\n\n")[-1]
    blocks[0] = first_title
    for i in range(0, len(blocks) - 2, 3):
        title, source, expected = blocks[i].strip(), blocks[i + 1], blocks[i + 2]
        cases.append((title, source + "\n", expected + "\n"))
    return cases


@pytest.mark.parametrize("narrowed", [NARROWED, 0], ids=["narrowed", "whole pattern"])
@pytest.mark.parametrize(
    ("title", "source", "expected"), load_cases(), ids=[c[0] for c in load_cases()]
)
def test_markdown_case(
    title: str, source: str, expected: str, narrowed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case once with a pattern of the forms in its text (a rebuild's first bodies),
    once with the pattern of every form."""
    monkeypatch.setattr(glossary_match, "NARROWED", narrowed)
    mode = (
        "all"
        if title.startswith("mode all")
        else "none"
        if title.startswith("mode none")
        else "first"
    )
    own = "sl" if title.startswith("own page") else None
    assert render(source, mode, own) == expected


def test_every_mention_is_counted_even_when_only_the_first_is_linked() -> None:
    md = create_markdown(allow_html=False, glossary=glossary(), targets=LinkTargets())
    parsed = parse_body(md, "leren leren\n\n## leren\n\nTOS", source="a.md", line_offset=0)
    assert dict(parsed.mentions) == {"leren": 2, "tos": 1}
    assert dict(parsed.heading_forms) == {"leren": 1}


def test_an_article_that_opts_out_links_and_counts_nothing() -> None:
    md = create_markdown(allow_html=False, glossary=glossary(), targets=LinkTargets())
    parsed = parse_body(md, "samenwerkend leren", source="a.md", line_offset=0, glossary=False)
    assert parsed.mentions == ()
    assert "glossary-term" not in parsed.html


def test_tooltip_is_a_sibling_of_the_link_named_by_aria_describedby() -> None:
    md = create_markdown(allow_html=False, glossary=glossary(), targets=LinkTargets())
    html = parse_body(md, "Over TOS.", source="a.md", line_offset=0, id_prefix="p-").html
    assert (
        '<a class="glossary-term" data-term="tos" href="/begrippen/tos/" aria-describedby="p-term-tos-1">TOS</a>'
        '<span class="glossary-tooltip" role="tooltip" id="p-term-tos-1">'
        '<span class="glossary-tooltip-term">TOS</span> Taalontwikkelingsstoornis.</span>'
    ) in html


_TAGS = re.compile(r"<[^>]+>")
words = st.sampled_from(
    ["leren", "samenwerkend", "TOS", "tos", "PLG", "de", "een", "klas", "risico's", "-", "/"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=30), st.sampled_from([" ", "\n"]))
def test_linking_changes_no_visible_text_only_wraps_terms(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    linked = create_markdown(allow_html=False, glossary=glossary("all"), targets=LinkTargets())
    plain = create_markdown(allow_html=False, glossary=None, targets=LinkTargets())
    html_linked = parse_body(linked, text, source="a.md", line_offset=0).html
    html_plain = parse_body(plain, text, source="a.md", line_offset=0).html
    visible = _TAGS.sub("", _TIP.sub("", html_linked))
    assert visible == _TAGS.sub("", html_plain)
    assert html_linked.count("<a ") == html_linked.count("</a>")
    assert html_linked.count('role="tooltip"') == html_linked.count('class="glossary-term"')
