"""The editors' report: unused terms, unreachable articles, derived summaries, greedy aliases."""

from __future__ import annotations

from pathlib import Path

from generator.build import BuildResult, build
from generator.diagnostics import Diagnostic, Report, Severity
from generator.editorial import add_editorial_warnings, split_report
from tests.conftest import MakeSite


def editorial(root: Path) -> list[tuple[str, str, int, str]]:
    """(code, path, line, alias or "") of every editorial warning of the site in ROOT."""
    result: BuildResult = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    assert result.content is not None and result.index is not None
    report = Report()
    add_editorial_warnings(result.content, result.index, report)
    assert all(d.severity is Severity.WARNING for d in report)
    return [(d.code, d.path, d.line, dict(d.params).get("alias", "")) for d in report]


def article(title: str, body: str, *, tags: str = "[Thema]", summary: bool = True) -> str:
    lines = ["---", f"title: {title}", "date: 2024-05-01"]
    if tags:
        lines.append(f"tags: {tags}")
    if summary:
        lines.append(f"summary: Over {title.lower()}.")
    return "\n".join([*lines, "---", body, ""])


TERM = """\
---
term: Formatief evalueren
aliases: [feedback, formatieve evaluatie]
summary: Tussentijds nagaan wat leerlingen al kunnen.
---
Uitleg.
"""


def test_a_term_that_no_article_uses_is_reported(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/glossary/formatief-evalueren.md": TERM,
            "content/glossary/rekenen.md": "---\nterm: Rekenen\nsummary: Met getallen.\n---\nx\n",
            "content/articles/a.md": article("A", "Formatief evalueren werkt."),
        }
    )
    assert ("MD002", "content/glossary/rekenen.md", 1, "") in editorial(root)
    assert not any(f[1] == "content/glossary/formatief-evalueren.md" for f in editorial(root))


def test_an_article_without_tags_that_nothing_links_to_is_reported(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/alleen.md": article("Alleen", "Tekst.", tags=""),
            "content/articles/gelinkt.md": article("Gelinkt", "Tekst.", tags=""),
            "content/articles/getagd.md": article("Getagd", "Zie [gelinkt](gelinkt.md)."),
            "content/articles/in-thema.md": article("In thema", "Tekst.", tags=""),
            "content/themes/t.md": (
                "---\ntitle: T\nsummary: S.\nsections:\n  - title: S\n"
                "    links:\n      - article: in-thema\n---\nIntro.\n"
            ),
        }
    )
    found = [f for f in editorial(root) if f[0] == "MD003"]
    # Reported at the closing --- of the front matter, where `tags:` would go.
    assert found == [("MD003", "content/articles/alleen.md", 5, "")]


def test_summaries_derived_from_the_body_are_reported_except_for_terms(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {
            "content/articles/zonder.md": article("Zonder", "Eerste alinea.", summary=False),
            "content/articles/met.md": article("Met", "Eerste alinea."),
            "content/pages/over.md": "---\ntitle: Over\n---\nOver ons.\n",
            "content/glossary/term.md": "---\nterm: Term\n---\nDe definitie. Meer uitleg.\n",
        }
    )
    found = {(f[1], f[2]) for f in editorial(root) if f[0] == "MD004"}
    assert found == {("content/articles/zonder.md", 5), ("content/pages/over.md", 3)}


def test_an_alias_found_in_many_of_the_articles_is_reported(make_site: MakeSite) -> None:
    files = {"content/glossary/formatief-evalueren.md": TERM}
    for n in range(10):
        body = "Geef feedback." if n < 3 else "Iets anders."
        files[f"content/articles/a{n}.md"] = article(f"Artikel {n}", body)
    root = make_site(files)
    greedy = [f for f in editorial(root) if f[0] == "MD005"]
    assert greedy == [("MD005", "content/glossary/formatief-evalueren.md", 1, "feedback")]


def test_an_alias_in_few_articles_is_not_reported(make_site: MakeSite) -> None:
    files = {"content/glossary/formatief-evalueren.md": TERM}
    for n in range(10):
        body = "Geef feedback." if n < 2 else "Formatief evalueren."
        files[f"content/articles/a{n}.md"] = article(f"Artikel {n}", body)
    assert not [f for f in editorial(make_site(files)) if f[0] == "MD005"]


def test_an_alias_that_occurs_only_in_headings_is_reported(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/glossary/formatief-evalueren.md": TERM,
            "content/articles/a.md": article(
                "A", "## Formatieve evaluatie\n\nFormatief evalueren."
            ),
        }
    )
    found = [f for f in editorial(root) if f[0] == "MD006"]
    assert found == [
        ("MD006", "content/glossary/formatief-evalueren.md", 1, "formatieve evaluatie")
    ]


def test_a_clean_site_gets_no_editorial_warnings(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/glossary/formatief-evalueren.md": TERM,
            "content/articles/a.md": article("A", "Formatief evalueren werkt."),
        }
    )
    assert editorial(root) == []


def test_the_report_groups_links_and_advice_into_sections_and_keeps_the_rest_apart() -> None:
    def diagnostic(code: str, line: int) -> Diagnostic:
        return Diagnostic("content/articles/a.md", line, code, "x", Severity.WARNING)

    found = [diagnostic(c, n) for n, c in enumerate(["VAL002", "LNK001", "MD004", "MD005"], 1)]
    rest, sections = split_report(found)
    assert [d.code for d in rest] == ["VAL002"]
    by_key = {s.key: [d.code for d in s.diagnostics] for s in sections}
    assert by_key == {
        "links": ["LNK001"],
        "unused_terms": [],
        "orphans": [],
        "summaries": ["MD004"],
        "aliases": ["MD005"],
    }
