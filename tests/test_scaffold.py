"""`kennisbank init` and `kennisbank new`: new sites and files that build and pass check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import pytest

from generator.build import build
from generator.cli import main
from generator.editorial import add_editorial_warnings
from generator.scaffold import ScaffoldError, init_site, new_item, plural
from generator.theme import default_theme_dir
from tests.conftest import page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_init_then_build_gives_a_working_site(tmp_path: Path, language: str) -> None:
    root = tmp_path / "site"
    init_site(root, title="Onze kennisbank: samen", language=language)
    assert main(["build", "--quiet", "--source", str(root)]) == 0
    home = (root / "output" / "index.html").read_text("utf-8")
    assert "Onze kennisbank: samen" in home
    articles = "artikelen" if language == "nl" else "articles"
    glossary = "begrippen" if language == "nl" else "glossary"
    welcome = "welkom" if language == "nl" else "welcome"
    article = (root / "output" / articles / welcome / "index.html").read_text("utf-8")
    assert 'class="glossary-term"' in article  # the example term is linked
    assert f'lang="{language}"' in article
    assert (root / "output" / glossary / "index.html").is_file()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_new_site_passes_check_strict_without_any_warning(
    tmp_path: Path, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "site"
    init_site(root, language=language)
    assert main(["check", "--strict", "--source", str(root)]) == 0
    result = build(root, jobs=1)
    assert result.content is not None and result.index is not None
    add_editorial_warnings(result.content, result.index, result.report)
    assert result.report.format_lines() == []


def test_init_makes_an_empty_templates_folder_that_documents_overrides(tmp_path: Path) -> None:
    root = tmp_path / "site"
    made = init_site(root)
    templates = root / "templates"
    assert [p.name for p in templates.iterdir()] == ["README.md"]
    readme = (templates / "README.md").read_text("utf-8")
    theme = default_theme_dir()
    for name in ("article.html", "partials/footer.html", "assets/site.css", "strings/nl.yaml"):
        assert (theme / name).is_file()
        assert f"`{name}`" in readme
    assert root / "site.yaml" in made
    assert (root / ".gitignore").read_text("utf-8") == "/output/\n.kennisbank-cache/\n"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError):
        init_site(tmp_path / "site")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["notes.txt"]


def test_new_files_build_and_follow_the_site_language(tmp_path: Path) -> None:
    root = tmp_path / "site"
    init_site(root, language="en")
    today = dt.date(2024, 6, 11)
    made = {
        kind: new_item(root, kind, title, today)
        for kind, title in [
            ("article", "Reading: a how-to"),
            ("term", "Reading strategy"),
            ("theme", "Reading"),
            ("page", "Contact"),
        ]
    }
    assert made["article"].name == "reading-a-how-to.md"
    term = frontmatter.load(str(made["term"]))
    assert term["aliases"] == ["Reading strategies"]
    theme = frontmatter.load(str(made["theme"]))
    assert [s["title"] for s in theme["sections"]] == [
        "Tools and instruments",
        "Research",
        "Also of interest",
    ]
    article = frontmatter.load(str(made["article"]))
    assert article["title"] == "Reading: a how-to" and str(article["date"]) == "2024-06-11"
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    assert "Reading: a how-to" in page(result, "articles/reading-a-how-to/index.html")


def test_new_in_a_dutch_site_writes_dutch_and_refuses_to_overwrite(tmp_path: Path) -> None:
    root = tmp_path / "site"
    init_site(root)
    path = new_item(root, "term", "Leerling", dt.date(2024, 6, 11))
    assert frontmatter.load(str(path))["aliases"] == ["Leerlingen"]
    assert "in één zin" in path.read_text("utf-8")
    with pytest.raises(ScaffoldError, match="exists already"):
        new_item(root, "term", "Leerling")
    with pytest.raises(ScaffoldError, match="no usable file name"):
        new_item(root, "article", "???")


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("Thema", "nl", "Thema's"),
        ("Vaardigheid", "nl", "Vaardigheden"),
        ("Docent", "nl", "Docenten"),
        ("Strategy", "en", "Strategies"),
        ("Class", "en", "Classes"),
        ("Day", "en", "Days"),
    ],
)
def test_plural_guesses(word: str, language: str, expected: str) -> None:
    assert plural(word, language) == expected
