"""Front matter and site.yaml validation: exact messages, lines and codes, all errors at once."""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from tests.conftest import MakeSite

ARTICLE = """\
---
title: Samen leren
date: 2024-06-11
---
Tekst.
"""


def lines(root: Path, language: str = "en") -> list[str]:
    result = build(root, jobs=1)
    return result.report.format_lines(language)


def test_a_valid_site_has_no_diagnostics(make_site: MakeSite) -> None:
    root = make_site({"content/articles/samen.md": ARTICLE})
    assert lines(root) == []


def test_unknown_field_is_reported_at_its_line_with_a_did_you_mean_hint(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nauther: Piet\n---\nx\n"}
    )
    assert lines(root) == [
        "content/articles/a.md:4: auther: unknown field (did you mean 'author'?)"
    ]
    assert lines(root, "nl") == [
        "content/articles/a.md:4: auther: onbekend veld (bedoelde je 'author'?)"
    ]


def test_missing_required_field_is_reported_at_the_closing_line(make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": "---\ndate: 2024-01-01\ntags: [a]\n---\nx\n"})
    assert lines(root) == [
        "content/articles/a.md:4: title: required field is missing (add `title:` to the front matter)"
    ]


def test_an_empty_file_reports_missing_fields_at_line_one(make_site: MakeSite) -> None:
    root = make_site({"content/articles/leeg.md": ""})
    assert lines(root) == [
        "content/articles/leeg.md:1: date: required field is missing (add `date:` to the front matter)",
        "content/articles/leeg.md:1: title: required field is missing (add `title:` to the front matter)",
    ]


def test_impossible_date_is_reported_with_the_written_value(make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": "---\ntitle: A\ndate: 2024-02-30\n---\nx\n"})
    assert lines(root, "nl") == [
        "content/articles/a.md:3: date: '2024-02-30' is geen geldige datum "
        "(schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-06-11)"
    ]


def test_wrong_type_names_what_was_expected(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nfeatured: misschien\n---\nx\n"}
    )
    assert lines(root) == [
        "content/articles/a.md:4: featured: must be true or false, not text (write true or false)"
    ]


def test_yaml_syntax_error_points_at_the_file_line(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [a, b\n---\nx\n"}
    )
    (line,) = lines(root)
    assert line.startswith(  # PyYAML's problem, explained for an editor (yamlproblems.py)
        "content/articles/a.md:4: invalid YAML in front matter: a list in [ ] is not closed"
    )


def test_front_matter_that_is_not_a_mapping_is_an_error(make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": "---\n- title\n- date\n---\nx\n"})
    assert lines(root) == [  # the line where the list starts, which the excerpt shows
        "content/articles/a.md:2: front matter must be a mapping of fields "
        "(write `field: value` lines between the --- lines)"
    ]


def test_dangling_related_slug_is_reported_at_its_list_line(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nrelated:\n  - b\n  - bestaat-niet\n---\nx\n",
            "content/articles/b.md": ARTICLE,
        }
    )
    assert lines(root) == [
        "content/articles/a.md:6: related: unknown article 'bestaat-niet' "
        "(use the file name without .md of an existing article)"
    ]


def test_related_list_that_names_the_article_itself_is_an_error(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nrelated: [a]\n---\nx\n"}
    )
    assert lines(root) == [
        "content/articles/a.md:4: related: refers to itself (remove 'a' from the list)"
    ]


def test_duplicate_slug_across_sub_folders_names_both_files(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/2023/plg.md": ARTICLE, "content/articles/2024/PLG.md": ARTICLE}
    )
    assert lines(root) == [
        "content/articles/2024/PLG.md:1: slug 'plg' is used by two files: "
        "content/articles/2023/plg.md and content/articles/2024/PLG.md (rename one of the files)"
    ]


def test_a_reference_to_a_draft_is_dropped_with_a_warning(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nrelated: [concept]\n---\nx\n",
            "content/articles/concept.md": "---\ntitle: C\ndate: 2024-01-01\ndraft: true\n---\nx\n",
        }
    )
    result = build(root, jobs=1)
    assert result.ok
    assert result.report.format_lines() == [
        "content/articles/a.md:4: warning: related: 'concept' is a draft and is left out "
        "(publish it or remove the reference)"
    ]
    assert not any(o.path.startswith("artikelen/concept/") for o in result.outputs)
    with_drafts = build(root, drafts=True, jobs=1)
    assert with_drafts.report.format_lines() == []
    assert any(o.path == "artikelen/concept/index.html" for o in with_drafts.outputs)


def test_two_terms_sharing_a_form_name_both_files(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/glossary/a.md": "---\nterm: Leerkracht\naliases: [leraar]\n---\nx\n",
            "content/glossary/b.md": "---\nterm: Leraar\n---\ny\n",
        }
    )
    assert lines(root) == [
        "content/glossary/a.md:1: aliases: 'Leraar' is also a form of the term in content/glossary/b.md "
        "(a word can link to one term only: remove it from one of the two files)",
        "content/glossary/b.md:1: aliases: 'Leraar' is also a form of the term in content/glossary/a.md "
        "(a word can link to one term only: remove it from one of the two files)",
    ]


def test_site_yaml_unknown_key_and_missing_base_url(make_site: MakeSite) -> None:
    root = make_site({}, site_yaml="title: X\nlanguge: nl\n")
    assert lines(root) == [
        "site.yaml:1: base_url: required key is missing (add `base_url:` to site.yaml)",
        "site.yaml:2: languge: unknown key (did you mean 'language'?)",
    ]


def test_site_yaml_bad_nested_value_names_the_dotted_key(make_site: MakeSite) -> None:
    root = make_site(
        {}, site_yaml="title: X\nbase_url: https://x.org/\nglossary:\n  link: eerste\n"
    )
    assert lines(root) == [
        "site.yaml:4: glossary.link: must be one of first, all, none, not 'eerste' (choose one of first, all, none)"
    ]


def test_theme_link_to_a_missing_article_fails_at_the_link_line(make_site: MakeSite) -> None:
    theme = """\
    ---
    title: Thema
    sections:
      - title: Kennis
        links:
          - article: bestaat-niet
    ---
    Intro.
    """
    root = make_site({"content/themes/t.md": theme})
    assert lines(root) == [
        "content/themes/t.md:6: sections.links.article: unknown article 'bestaat-niet' "
        "(use the file name without .md of an existing article)"
    ]


def test_a_broken_site_reports_every_error_in_one_run(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/yaml.md": "---\ntitle: [oops\n---\nx\n",
            "content/articles/notitle.md": "---\ndate: 2024-01-01\n---\nx\n",
            "content/articles/unknown.md": "---\ntitle: U\ndate: 2024-01-01\nsumary: s\n---\nx\n",
            "content/articles/baddate.md": "---\ntitle: D\ndate: 2024-13-01\n---\nx\n",
            "content/articles/dangling.md": "---\ntitle: R\ndate: 2024-01-01\nrelated: [nergens]\n---\nx\n",
            "content/articles/sub/dangling.md": ARTICLE,
            "content/articles/link.md": "---\ntitle: L\ndate: 2024-01-01\n---\nZie [dit](ontbreekt.md).\n",
        }
    )
    result = build(root, jobs=1)
    assert not result.ok
    assert [(d.path, d.line, d.code) for d in result.report.errors] == [
        ("content/articles/baddate.md", 3, "VAL002"),
        ("content/articles/dangling.md", 4, "REF001"),
        ("content/articles/link.md", 5, "LNK001"),
        ("content/articles/notitle.md", 3, "FM004"),
        ("content/articles/sub/dangling.md", 1, "REF004"),
        ("content/articles/unknown.md", 4, "FM003"),
        ("content/articles/yaml.md", 2, "FM001"),
    ]
