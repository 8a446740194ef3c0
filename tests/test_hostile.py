"""Hostile content: no payload an editor writes may run as script in a reader's browser.

tests/sites/hostile/ puts script, event handlers, javascript: and data: URLs,
template syntax and breakouts in every field and in Markdown. The built pages
are parsed and scanned: no <script> but the theme's own asset and JSON-LD, no
on*= attribute, no script URL, no frame or object. The payloads must still be
there as text: neutralised, not silently dropped.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from tests.conftest import MakeSite, page
from tests.htmlscan import Finding, scan_page

HOSTILE = Path(__file__).resolve().parent / "sites" / "hostile"


def scan_site(result: BuildResult, assets: str = "/assets/") -> list[Finding]:
    """Findings in every HTML page, and in the HTML of every feed entry."""
    findings: list[Finding] = []
    for output in result.outputs:
        if output.path.endswith(".html"):
            scanner = scan_page(output.path, page(result, output.path), assets)
            findings += scanner.findings
            if not scanner.csp:
                findings.append(Finding(output.path, "no Content-Security-Policy"))
        elif output.path == "feed.xml":
            atom = "{http://www.w3.org/2005/Atom}"
            root = ET.fromstring(page(result, "feed.xml"))
            for index, element in enumerate(root.iter()):
                is_html = element.get("type") == "html" and element.text
                if element.tag in (f"{atom}content", f"{atom}summary") and is_html:
                    findings += scan_page(f"feed.xml#{index}", element.text, assets).findings
    return findings


@pytest.fixture(scope="module")
def hostile() -> BuildResult:
    result = build(HOSTILE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


@pytest.fixture(scope="module")
def hostile_with_html(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The same content with markdown.allow_html: raw HTML passes, through the sanitiser."""
    root = tmp_path_factory.mktemp("hostile-html")
    shutil.copytree(HOSTILE, root, dirs_exist_ok=True)
    site_yaml = root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "markdown:\n  allow_html: true\n", "utf-8")
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


def test_hostile_site_has_no_script_handler_or_script_url(hostile: BuildResult) -> None:
    assert scan_site(hostile) == []


def test_hostile_site_with_raw_html_allowed_is_sanitised(hostile_with_html: BuildResult) -> None:
    assert scan_site(hostile_with_html) == []


def test_raw_html_allowed_keeps_harmless_markup(hostile_with_html: BuildResult) -> None:
    """The sanitiser removes what runs script, not the editor's formatting."""
    body = page(hostile_with_html, "artikelen/ruwe-html/index.html")
    assert "<b>vet</b>" in body
    assert "alert('block')" not in body  # a script's text goes with it


def test_example_site_has_no_script_handler_or_script_url(example_build: BuildResult) -> None:
    assert scan_site(example_build) == []


def test_every_page_allows_only_the_sites_own_scripts(hostile: BuildResult) -> None:
    for output in hostile.outputs:
        if output.path.endswith(".html"):
            (policy,) = scan_page(output.path, page(hostile, output.path)).csp
            directives = {
                part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
            }
            assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"], output.path
            assert directives["object-src"] == ["'none'"]
            assert directives["base-uri"] == ["'self'"]
            assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("artikelen/ruwe-html/index.html", "<script>alert('block')</script>"),
        ("artikelen/ruwe-html/index.html", '<img src="x" onerror="alert(\'img\')">'),
        ("artikelen/ruwe-html/index.html", "<script>alert('title')</script> & </title>"),
        ("artikelen/ruwe-html/index.html", "<b onclick=alert('tag')>Didactiek</b>"),
        ("artikelen/links/index.html", "[javascript](javascript:alert('js'))"),
        ("artikelen/links/index.html", "<javascript:alert('autolink')>"),
        ("artikelen/sjablonen/index.html", "{{ site.title }}, {{ 7*7 }}"),
        ("artikelen/sjablonen/index.html", "{% for x in range(3) %}herhaling{% endfor %}"),
        ("artikelen/sjablonen/index.html", "</script><script>alert('term summary')</script>"),
        ("begrippen/leerling/index.html", "<img src=x onerror=alert('term body')>"),
        ("themas/thema/index.html", "<script>alert('resource')</script>"),
        ("over/index.html", "<style>body{display:none}</style>"),
    ],
)
def test_payloads_are_shown_as_text(hostile: BuildResult, path: str, payload: str) -> None:
    """Neutralised, not dropped: the reader sees exactly what the editor wrote."""
    assert payload in _visible_text(page(hostile, path))


def test_template_syntax_in_content_is_never_evaluated(hostile: BuildResult) -> None:
    body = page(hostile, "artikelen/sjablonen/index.html")
    assert "49" not in _visible_text(body)
    assert "herhalingherhaling" not in body
    assert "{{ ''.class.mro[1].subclasses() }}" in _visible_text(body)  # __x__ is bold
    assert "&lt;class" not in body


def test_json_ld_cannot_be_closed_by_a_title(hostile: BuildResult) -> None:
    body = page(hostile, "artikelen/ruwe-html/index.html")
    blocks = scan_page("ruwe-html", body).json_ld
    names = [json.loads(b).get("headline") for b in blocks]
    assert "<script>alert('title')</script> & </title><h1>dubbel</h1>" in names
    assert all("</" not in b for b in blocks)


def test_python_yaml_tags_are_refused_and_never_run(make_site: MakeSite, tmp_path: Path) -> None:
    marker = tmp_path / "gehackt"
    root = make_site(
        {
            "content/articles/a.md": (
                f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n'
                "date: 2024-03-01\n---\nTekst.\n"
            ),
            "content/articles/b.md": (
                "---\ntitle: B\ndate: 2024-03-01\n"
                f"extra: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path [{marker}]]\n"
                "---\nTekst.\n"
            ),
        }
    )
    result = build(root, jobs=1)
    assert [(d.path, d.code) for d in result.report.errors] == [
        ("content/articles/a.md", "FM001"),
        ("content/articles/b.md", "FM001"),
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("field_yaml", "code"),
    [
        ("menu:\n  - {title: Kwaad, url: \"javascript:alert('menu')\"}\n", "VAL008"),
        ("menu:\n  - {title: Kwaad, url: ' JavaScript:alert(1)'}\n", "VAL008"),
        ("menu:\n  - {title: Kwaad, url: 'data:text/html,<script>alert(1)</script>'}\n", "VAL008"),
        ("base_url: \"javascript:alert('base')//\"\n", "VAL006"),
    ],
)
def test_script_urls_in_site_yaml_are_refused(
    make_site: MakeSite, field_yaml: str, code: str
) -> None:
    site_yaml = "title: Testsite\n" + (
        field_yaml
        if field_yaml.startswith("base_url")
        else "base_url: https://kb.example.org/\n" + field_yaml
    )
    root = make_site({}, site_yaml=site_yaml)
    result = build(root, jobs=1)
    assert [d.code for d in result.report.errors] == [code]


@pytest.mark.parametrize(
    "link_yaml",
    [
        "{title: Kwaad, url: \"javascript:alert('link')\"}",
        "{title: Kwaad, url: 'data:text/html;base64,PHNjcmlwdD4='}",
    ],
)
def test_script_urls_in_theme_and_related_links_are_refused(
    make_site: MakeSite, link_yaml: str
) -> None:
    root = make_site(
        {
            "content/themes/t.md": f"---\ntitle: T\nsections:\n  - title: S\n    links:\n      - {link_yaml}\n---\nx\n",
            "content/articles/a.md": f"---\ntitle: A\ndate: 2024-03-01\nrelated:\n  - {link_yaml}\n---\nx\n",
        }
    )
    result = build(root, jobs=1)
    assert sorted((d.path, d.code) for d in result.report.errors) == [
        ("content/articles/a.md", "VAL006"),
        ("content/themes/t.md", "VAL006"),
    ]


def _visible_text(body: str) -> str:
    """The page as a reader sees it: tags removed, entities decoded."""
    without_scripts = re.sub(r"<script\b[^>]*>.*?</script>", " ", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", without_scripts))


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan itself must catch what it is for (a scan that finds nothing proves nothing)."""
    bad = (
        '<script>alert(1)</script><a href=" javascript:x">a</a><b onclick="x">b</b>'
        '<iframe src="https://x"></iframe><script src="https://cdn.example/x.js"></script>'
        '<script type="application/ld+json">{}</script>'
        '<script src="/assets/site.js"></script>'
    )
    found = [f.what for f in scan_page("probe", bad).findings]
    assert len(found) == 5, found
