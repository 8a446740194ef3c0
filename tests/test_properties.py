"""Property-based tests: no front matter or Markdown makes the build raise; problems are diagnostics.

Hypothesis writes front matter as random text and as random YAML structures
(every field name of every collection, values of every type), and Markdown from
the characters and snippets that drive the parser. Value checks may raise
only FieldError, the project's own error type; loading, validating, indexing
and rendering raise nothing at all, report every problem with a path and a
line, and never put script into a page.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import fields
from generator.build import build
from generator.diagnostics import Severity
from generator.glossary_links import Glossary, TermInfo
from generator.glossary_match import TermMatcher
from generator.load import split_front_matter
from generator.markdown import LinkTargets, create_markdown
from generator.parse import parse_body
from generator.validate import ALLOWED_FIELDS
from generator.yamlsource import YamlProblem, parse_yaml
from tests.htmlscan import scan_page

QUICK = settings(max_examples=300, deadline=None, database=None)
BUILDS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

FIELD_NAMES = sorted({name for names in ALLOWED_FIELDS.values() for name in names})
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.dates().map(str)
    | st.sampled_from(["2024-02-30", "2024-06-11T09:30:00+02:00", "javascript:alert(1)", "", " "])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*FIELD_NAMES, "url", "links", "x"]), inner, max_size=4)
    ),
    max_leaves=20,
)
FRONT_MATTER = st.dictionaries(
    st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=8), VALUES, max_size=8
)
YAML_TEXT = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \t\nabc01é\u00a0\x85")) | st.characters(),
    max_size=200,
)
MARKDOWN_SNIPPETS = st.sampled_from(
    [
        "*",
        "_",
        "**",
        "`",
        "```",
        "~~",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "<",
        ">",
        "#",
        "## ",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        "\n",
        "\n\n",
        "  \n",
        "\\",
        "&amp;",
        "&#x6A;",
        "[^1]",
        "[^1]: ",
        "javascript:",
        "data:",
        "<script>",
        "</script>",
        "{{ x }}",
        "leerling",
        "Leerling",
        "AVG",
        "samen leren",
        "risico's",
        "IJ",
        "b.md",
        "b.md#kop",
        "#kop",
        "../glossary/avg.md",
        "concept.md",
        "http://x.nl",
        "<b>",
        "\t",
        "é",
        "\u200b",
    ]
)
MARKDOWN = st.lists(MARKDOWN_SNIPPETS | st.text(max_size=6), max_size=60).map("".join)
TARGETS = LinkTargets(
    items={"content/articles/b.md": "/artikelen/b/", "content/glossary/avg.md": "/begrippen/avg/"},
    drafts=frozenset({"content/articles/concept.md"}),
)
TERMS = {"leerling": ["Leerling", "leerlingen"], "avg": ["AVG"], "samen": ["samen leren"]}
GLOSSARY = Glossary(
    TermMatcher((form, slug) for slug, forms in TERMS.items() for form in forms),
    {slug: TermInfo(slug, f"/begrippen/{slug}/", "Uitleg.") for slug in TERMS},
)
CHECKS = [
    fields.text,
    fields.boolean,
    fields.integer,
    fields.text_list,
    fields.date,
    fields.http_url,
    fields.link_url,
    lambda value: fields.one_of(value, ["first", "all"]),
]


@QUICK
@given(st.sampled_from(CHECKS), VALUES | st.just(dt.datetime(2024, 1, 1)) | st.just(b"x"))
def test_value_checks_raise_only_field_errors(check: Any, value: Any) -> None:
    try:
        check(value)
    except fields.FieldError as error:
        assert error.code.startswith("VAL")


def _split_by_lines(text: str) -> tuple[str, int, int, str, int] | None:
    """The plain reading of the front matter rule, line by line (what split_front_matter does)."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "", 1, 1, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, index + 1, "\n".join(lines[index + 1 :]), index + 2
    return None


@QUICK
@given(
    st.lists(
        st.sampled_from(["---", "--- ", "...", "---\t", " ---", "x---", "title: a", "", "tekst"])
        | st.text(alphabet="-.: \tab\r", max_size=6),
        max_size=8,
    ),
    st.booleans(),
)
def test_split_front_matter_agrees_with_reading_line_by_line(lines: list[str], end: bool) -> None:
    text = "\n".join(lines) + ("\n" if end else "")
    assert split_front_matter(text) == _split_by_lines(text)


@QUICK
@given(YAML_TEXT)
def test_any_front_matter_text_parses_or_gives_a_problem_with_a_line(text: str) -> None:
    split = split_front_matter(f"---\n{text}\n---\nTekst.\n")
    if split is None:  # the text itself held a closing --- line too early; still no exception
        return
    fm, first, closing, _, _ = split
    parsed = parse_yaml(fm, first_line=first, default_line=closing)
    if isinstance(parsed, YamlProblem):
        assert 1 <= parsed.line <= closing
        assert parsed.problem


@QUICK
@given(MARKDOWN, st.booleans(), st.sampled_from(["first", "all", "none"]))
def test_any_markdown_renders_without_script(text: str, allow_html: bool, mode: str) -> None:
    glossary = Glossary(GLOSSARY.matcher, GLOSSARY.terms, mode)
    md = create_markdown(allow_html=allow_html, glossary=glossary, targets=TARGETS)
    body = parse_body(md, text, source="content/articles/a.md", line_offset=3)
    if not allow_html:  # with raw HTML the sanitiser runs after this (see the build property)
        assert scan_page("body", body.html).findings == []
    last = 3 + text.count("\n") + text.count("\r") + 1
    assert all(3 < use.line <= last for use in body.links)
    assert all(3 < problem.line <= last for problem in body.problems)


def _site(root: Path, collection: str, front_matter: str, body: str, allow_html: bool) -> None:
    (root / "site.yaml").write_text(
        "title: T\nbase_url: https://kb.example.org/\nsearch: false\n"
        f"markdown:\n  allow_html: {str(allow_html).lower()}\n",
        "utf-8",
    )
    folder = root / "content" / collection
    folder.mkdir(parents=True)
    (folder / "x.md").write_text(f"---\n{front_matter}---\n{body}", "utf-8")
    (root / "content/articles").mkdir(parents=True, exist_ok=True)
    (root / "content/articles/b.md").write_text(
        "---\ntitle: B\ndate: 2024-03-01\n---\n## Kop\n\nTekst.\n", "utf-8"
    )


def _dump(front_matter: dict[str, Any]) -> str:
    clean = {k: _no_nan(v) for k, v in front_matter.items()}
    return yaml.safe_dump(clean, allow_unicode=True, sort_keys=False)


def _no_nan(value: Any) -> Any:
    """NaN never equals itself; replaced so failing examples print and shrink cleanly."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    return value


@BUILDS
@given(
    st.sampled_from(sorted(ALLOWED_FIELDS)),
    FRONT_MATTER.map(_dump) | YAML_TEXT.map(lambda t: t + "\n"),
    MARKDOWN,
    st.booleans(),
)
def test_any_item_builds_or_is_reported_never_raises(
    collection: str, front_matter: str, body: str, allow_html: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _site(root, collection, front_matter, body, allow_html)
        result = build(root, jobs=1)
    for diagnostic in result.report.diagnostics:
        assert diagnostic.line >= 1
        assert diagnostic.path in ("content/" + collection + "/x.md", "content/articles/b.md")
        for language in ("nl", "en"):
            assert "{" not in diagnostic.format(language).split(": ", 1)[0]
    if result.ok:
        for output in result.outputs:
            if output.path.endswith(".html"):
                assert scan_page(output.path, output.read().decode()).findings == []
    else:
        assert any(d.severity is Severity.ERROR for d in result.report.diagnostics)
