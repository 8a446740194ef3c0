"""The closing line of build and check, in the site language: pages per kind, warnings, time.

Pages are counted from the output files by the kind each page was rendered as,
so the numbers are what a reader can open (an unchanged rebuild that reuses the
last build counts the same); every other HTML page counts as a list.
"""

from __future__ import annotations

from collections import Counter

from generator.build import BuildResult
from generator.diagnostics import Report

KINDS = ("articles", "terms", "themes", "pages", "tags", "lists")

# word -> language -> (singular, plural)
_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "articles": {"en": ("article", "articles"), "nl": ("artikel", "artikelen")},
    "terms": {"en": ("term", "terms"), "nl": ("begrip", "begrippen")},
    "themes": {"en": ("theme", "themes"), "nl": ("thema", "thema's")},
    "pages": {"en": ("page", "pages"), "nl": ("pagina", "pagina's")},
    "tags": {"en": ("tag page", "tag pages"), "nl": ("tagpagina", "tagpagina's")},
    "lists": {"en": ("list", "lists"), "nl": ("overzicht", "overzichten")},
    "files": {"en": ("file", "files"), "nl": ("bestand", "bestanden")},
    "errors": {"en": ("error", "errors"), "nl": ("fout", "fouten")},
    "warnings": {"en": ("warning", "warnings"), "nl": ("waarschuwing", "waarschuwingen")},
}
_PHRASES: dict[str, dict[str, str]] = {
    "built": {
        "en": "Done: {files} in {out}{same} ({kinds}), {warnings}, {time}",
        "nl": "Klaar: {files} in {out}{same} ({kinds}), {warnings}, {time}",
    },
    "same": {"en": " (unchanged)", "nl": " (ongewijzigd)"},
    "checked": {
        "en": "Checked {files} ({kinds}): {errors}, {warnings}, {time}",
        "nl": "{files} gecontroleerd ({kinds}): {errors}, {warnings}, {time}",
    },
    "failed": {
        "en": "Nothing written: {errors}, {warnings}, {time}",
        "nl": "Niets geschreven: {errors}, {warnings}, {time}",
    },
    "check_failed": {
        "en": "Not ready to publish: {errors}, {warnings}, {time}",
        "nl": "Nog niet klaar om te publiceren: {errors}, {warnings}, {time}",
    },
    "strict": {
        "en": " (--strict: warnings count as errors)",
        "nl": " (--strict: waarschuwingen tellen als fouten)",
    },
}


def count(n: int, word: str, language: str) -> str:
    """`1 artikel`, `3 artikelen`."""
    forms = _WORDS[word].get(language, _WORDS[word]["en"])
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def seconds(value: float, language: str) -> str:
    text = f"{value:.2f} s"
    return text.replace(".", ",") if language == "nl" else text


def page_kinds(result: BuildResult) -> Counter[str]:
    """Count the HTML output files by page kind (see KINDS)."""
    kinds: Counter[str] = Counter()
    for output in result.outputs:
        if output.path.endswith(".html"):
            kinds[_KIND_OF_PAGE.get(output.kind, "lists")] += 1
    return kinds


# PageView.kind -> summary kind; home, lists, glossary, search and 404 are "lists".
_KIND_OF_PAGE = {
    "article": "articles",
    "term": "terms",
    "theme": "themes",
    "page": "pages",
    "tag": "tags",
    "tags": "tags",
}


def _kinds_text(result: BuildResult, language: str) -> str:
    kinds = page_kinds(result)
    return ", ".join(count(kinds[k], k, language) for k in KINDS if kinds[k])


def _phrase(key: str, language: str) -> str:
    return _PHRASES[key].get(language, _PHRASES[key]["en"])


def _tally(report: Report, language: str) -> dict[str, str]:
    return {
        "errors": count(len(report.errors), "errors", language),
        "warnings": count(len(report.warnings), "warnings", language),
    }


def build_summary(result: BuildResult, *, out: str, changed: bool, elapsed: float) -> str:
    """The last line of a build that wrote the site (or found it already up to date)."""
    language = result.config.language
    return _phrase("built", language).format(
        files=count(len(result.outputs), "files", language),
        out=out,
        same="" if changed else _phrase("same", language),
        kinds=_kinds_text(result, language),
        time=seconds(elapsed, language),
        **_tally(result.report, language),
    )


def check_summary(result: BuildResult, *, elapsed: float, strict: bool = False) -> str:
    """The last line of `check`; with errors it says the site is not ready."""
    language = result.config.language
    tally = _tally(result.report, language)
    time = seconds(elapsed, language)
    if not result.outputs:
        return _phrase("check_failed", language).format(time=time, **tally)
    text = _phrase("checked", language).format(
        files=count(len(result.outputs), "files", language),
        kinds=_kinds_text(result, language),
        time=time,
        **tally,
    )
    return text + (_phrase("strict", language) if strict and result.report.warnings else "")


def failed_summary(result: BuildResult, *, elapsed: float) -> str:
    """The last line of a build that stopped on errors: nothing was written."""
    language = result.config.language
    return _phrase("failed", language).format(
        time=seconds(elapsed, language), **_tally(result.report, language)
    )
