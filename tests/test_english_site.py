"""An English site: URLs, dates, UI strings and <html lang> follow `language: en`."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.build import build
from tests.conftest import MakeSite, page


def test_english_site_uses_english_urls_dates_and_labels(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/team-learning.md": "---\ntitle: Team learning\ndate: 2024-06-11\n"
            "tags: [Teams]\n---\nA professional learning community learns together.\n",
            "content/glossary/plc.md": "---\nterm: Professional learning community\naliases: [PLC]\n---\n"
            "A team that learns together. More text.\n",
            "content/themes/culture.md": "---\ntitle: Culture\nsections:\n  - title: Tools\n    links:\n"
            "      - term: plc\n---\nIntro.\n",
        },
        site_yaml="title: KB\nbase_url: https://kb.example.org/\nlanguage: en\n",
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    paths = {o.path for o in result.outputs}
    assert {
        "articles/team-learning/index.html",
        "glossary/plc/index.html",
        "themes/culture/index.html",
        "resources/index.html",
        "search/index.html",
        "tags/teams/index.html",
    } <= paths
    doc = BeautifulSoup(page(result, "articles/team-learning/index.html"), "html.parser")
    assert doc.html is not None and doc.html["lang"] == "en"
    assert doc.select_one(".reading-time").get_text() == "Estimated reading time: 1 minute"
    assert doc.select_one(".dates time").get_text() == "June 11, 2024"
    link = doc.select_one("a.glossary-term")
    assert link is not None and link["href"] == "/glossary/plc/"


def test_english_diagnostics_are_in_english(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nsumary: x\n---\nx\n"},
        site_yaml="title: KB\nbase_url: https://kb.example.org/\nlanguage: en\n",
    )
    result = build(root, jobs=1)
    assert result.report.format_lines(result.config.language) == [
        "content/articles/a.md:4: sumary: unknown field (did you mean 'summary'?)"
    ]
