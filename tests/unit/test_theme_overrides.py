"""A site's templates/ overrides the default theme file by file; strings key by key."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.build import build
from tests.conftest import MakeSite, page

ARTICLE = "---\ntitle: Samen leren\ndate: 2024-06-11\n---\nTekst van het artikel.\n"


def test_an_overridden_template_replaces_only_that_file(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/samen.md": ARTICLE,
            "templates/404.html": '{% extends "base.html" %}{% block main %}<h1>Eigen 404</h1>{% endblock %}\n',
        }
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    assert BeautifulSoup(page(result, "404.html"), "html.parser").h1.get_text() == "Eigen 404"
    article = BeautifulSoup(page(result, "artikelen/samen/index.html"), "html.parser")
    assert article.h1.get_text() == "Samen leren"


def test_a_partial_strings_file_overrides_only_its_keys(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/samen.md": ARTICLE,
            "templates/strings/nl.yaml": "skip_link: Direct naar de tekst\n",
        }
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    html = page(result, "artikelen/samen/index.html")
    assert "Ingeschatte leestijd: 1 minuut" in html
    assert "Direct naar de tekst" in html
    assert "Naar de inhoud" not in html


def test_a_template_error_is_reported_with_the_template_file_and_line(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/samen.md": ARTICLE,
            "templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ view.nonexistent }}\n{% endblock %}\n",
            "content/pages/over.md": "---\ntitle: Over\n---\nTekst.\n",
        }
    )
    result = build(root, jobs=1)
    assert not result.ok
    (error,) = result.report.errors
    assert (error.path, error.line, error.code) == ("templates/page.html", 3, "TPL001")
