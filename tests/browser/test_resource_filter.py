"""The filter of "Alle bronnen" in Chromium: the full list without JavaScript, narrowed with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def resources(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{site_url}/bronnen/")
    yield tab
    context.close()


def _visible_titles(tab: Any) -> list[str]:
    return [
        " ".join(t.split()).removesuffix(" (externe website)")
        for t in tab.locator("li.resource:visible a.resource-title").all_inner_texts()
    ]


def test_every_resource_is_listed_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/bronnen/")
    assert tab.locator("li.resource").count() == 7
    assert tab.locator("li.resource:visible").count() == 7
    assert not tab.locator("[data-resource-filter]").is_visible()  # no box that cannot work
    context.close()


def test_typing_narrows_the_list_and_hides_empty_kinds(resources: Any) -> None:
    box = resources.locator("#kb-resource-filter")
    assert box.is_visible()
    box.fill("edualdo")
    assert _visible_titles(resources) == ["Edualdo"]
    assert resources.locator(".resource-group:visible").count() == 1
    assert resources.locator("[data-resource-filter] [role=status]").inner_text() == "1 / 7"


def test_every_word_must_match_in_any_field(resources: Any) -> None:
    box = resources.locator("#kb-resource-filter")
    box.fill("PLATFORM leraren")  # kind and description, case ignored
    assert sorted(_visible_titles(resources)) == ["Edualdo", "Platform samen opleiden"]
    box.fill("ou.nl")  # the host name
    assert _visible_titles(resources) == ["Onderzoek van het RdMC (Open Universiteit)"]


def test_clearing_the_filter_shows_everything_again(resources: Any) -> None:
    box = resources.locator("#kb-resource-filter")
    box.fill("geen-enkele-bron")
    assert _visible_titles(resources) == []
    assert resources.locator("[data-resource-filter] [role=status]").inner_text() == "0 / 7"
    box.fill("")
    assert len(_visible_titles(resources)) == 7
    assert resources.locator("[data-resource-filter] [role=status]").inner_text() == ""
