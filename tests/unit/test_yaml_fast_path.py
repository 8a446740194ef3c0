"""Front matter read by libyaml gives exactly what the Python parser gives, problems included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import yamlsource
from generator.load import split_front_matter
from generator.yamlsource import parse_yaml

TESTS = Path(__file__).resolve().parent.parent

DOCUMENTS = [
    "title: Een titel\ndate: 2024-06-11\ntags: [a, b]\n",
    "title: 'Quoted: yes'\nsummary: >\n  Folded\n  text\nrelated:\n  - slug-a\n  - {title: X, url: 'https://x.nl'}\n",
    "a: 1\na: 2\nb:\n  c: 3\n  c: 4\n",  # duplicates are reported with their lines
    "base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n",
    "draft: yes\ncount: 012\nratio: 1e3\nempty:\nnull_value: ~\n",
    "title: [unclosed\n",
    'title: "unclosed quote\n',
    "a: b: c\n",
    "\tindented: with a tab\n",
    "title: control \x07 character\n",
    "- a list\n- at the top\n",
    "",
]


def _outcome(read: Callable[[], object]) -> object:
    """The result, or the exception raised (type and text), so both can be compared."""
    try:
        return read()
    except Exception as exc:
        return (type(exc), str(exc))


@pytest.mark.parametrize("text", DOCUMENTS)
def test_libyaml_and_python_read_a_document_the_same(text: str) -> None:
    fast = _outcome(lambda: parse_yaml(text, first_line=2, default_line=9))
    python = _outcome(lambda: yamlsource._parse(yamlsource._PlainLoader, text, 2, 9))
    assert fast == python


def test_every_test_fixture_front_matter_reads_the_same() -> None:
    count = 0
    for path in sorted(TESTS.rglob("*.md")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        split = split_front_matter(text)
        if split is None or "yaml-alias-bomb" in str(path):  # the bomb is compared by its test
            continue
        fm, first, closing = split[0], split[1], split[2]
        assert parse_yaml(fm, first_line=first, default_line=closing) == yamlsource._parse(
            yamlsource._PlainLoader, fm, first, closing
        ), path
        count += 1
    assert count > 50


def test_valid_front_matter_is_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    if yamlsource._FastLoader is None:
        pytest.skip("PyYAML was built without libyaml")

    class Refuse(yamlsource._PlainLoader):
        def __init__(self, text: str) -> None:
            raise AssertionError("the Python parser was used")

    monkeypatch.setattr(yamlsource, "_PlainLoader", Refuse)
    data, lines, _ = parse_yaml("title: X\ntags: [a]\n", first_line=2, default_line=4)  # type: ignore[misc]
    assert data == {"title": "X", "tags": ["a"]} and lines.line("tags") == 3
