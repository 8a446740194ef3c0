"""Every built page is valid HTML (html-validate: standard + document) and its in-page references resolve.

html-validate runs once per site over all its pages. Two sites: the example
site, and tests/sites/every-markup (every Markdown construct, a base_url with
a path, pagination, a term nobody uses, a section without links).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildResult, build
from tests.conftest import REPO

HTML_VALIDATE = REPO / "tests/node/node_modules/.bin/html-validate"
CONFIG = REPO / "tests/node/htmlvalidate.json"
MARKUP_SITE = REPO / "tests/sites/every-markup"
# Attributes whose value names ids in the same page (space-separated lists for aria-*).
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "for")


@pytest.fixture(scope="module")
def markup_build() -> BuildResult:
    result = build(MARKUP_SITE, jobs=1)
    assert result.ok, result.report.format_lines()
    return result


def pages(result: BuildResult) -> dict[str, str]:
    return {
        f.path: f.data.decode("utf-8")
        for f in result.outputs
        if f.path.endswith(".html") and f.data is not None
    }


@pytest.fixture(scope="module")
def validation(
    example_build: BuildResult, markup_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """html-validate's messages per site, from one run over every page (node starts once).

    A copy of one page with a misnested tag rides along as "broken", to prove
    that the run reports problems at all.
    """
    if not HTML_VALIDATE.exists():
        pytest.fail(
            "html-validate is missing: run `npm ci --prefix tests/node` (scripts/test does)"
        )
    root = tmp_path_factory.mktemp("html")
    sites = {"example": pages(example_build), "markup": pages(markup_build)}
    sites["broken"] = {"404.html": sites["example"]["404.html"].replace("</main>", "</div></main>")}
    for site, files in sites.items():
        for path, text in files.items():
            target = root / site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    files = sorted(str(root / site / path) for site, f in sites.items() for path in f)
    done = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(CONFIG), "--formatter", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    found: dict[str, list[str]] = {site: [] for site in sites}
    for report in json.loads(done.stdout):
        site, path = Path(report["filePath"]).relative_to(root).as_posix().split("/", 1)
        found[site] += [
            f"{path}:{m['line']}:{m['column']}: {m['ruleId']}: {m['message']}"
            for m in report["messages"]
        ]
    return found


def dangling_references(html: str) -> list[str]:
    """References (aria-*, for, href="#...") to ids the page does not have, and repeated ids."""
    doc = BeautifulSoup(html, "html.parser")
    ids = [str(el["id"]) for el in doc.find_all(id=True)]
    problems = [f"id {i!r} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known = set(ids)
    for name in ID_REFERENCES:
        for element in doc.find_all(attrs={name: True}):
            for target in str(element[name]).split():
                if target not in known:
                    problems.append(f'{element.name}[{name}="{target}"]')
    for link in doc.find_all("a", href=True):
        href = str(link["href"])
        if href.startswith("#") and href[1:] not in known:
            problems.append(f'a[href="{href}"]')
    return problems


def test_every_page_of_the_example_site_is_valid_html(validation: dict[str, list[str]]) -> None:
    assert validation["example"] == []


def test_every_page_of_the_markup_site_is_valid_html(validation: dict[str, list[str]]) -> None:
    assert validation["markup"] == []


def test_the_validator_reports_a_misnested_tag(validation: dict[str, list[str]]) -> None:
    assert any("close-order" in line for line in validation["broken"])


@pytest.mark.parametrize("site", ["example", "markup"])
def test_every_in_page_reference_names_an_id_in_the_page(
    site: str, example_build: BuildResult, markup_build: BuildResult
) -> None:
    result = example_build if site == "example" else markup_build
    problems = {path: dangling_references(html) for path, html in pages(result).items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_a_reference_to_a_missing_id_is_found() -> None:
    html = (
        '<p id="a"><a href="#b" aria-describedby="a c">x</a></p>'
        '<label for="q">Q</label><span id="a"></span>'
    )
    assert dangling_references(html) == [
        "id 'a' is used twice",
        'a[aria-describedby="c"]',
        'label[for="q"]',
        'a[href="#b"]',
    ]
