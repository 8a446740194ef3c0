"""site.yaml -> SiteConfig (frozen), with a diagnostic for every bad key.

Every key except `title` and `base_url` has a default; unknown keys are errors
with a "did you mean" hint, because a typo silently ignored is a setting lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import fields
from generator.diagnostics import Report
from generator.fields import FieldError
from generator.load import report_not_utf8
from generator.urls import SECTIONS, UrlScheme, slugify
from generator.yamlsource import LineMap, YamlProblem, parse_yaml

CONFIG_FILE = "site.yaml"
LANGUAGES = ("nl", "en")
LINK_MODES = ("first", "all", "none")


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str  # as written: site path ("/artikelen/") or absolute URL


@dataclass(frozen=True)
class RelatedSettings:
    """How automatic "Gerelateerde artikelen" picks are scored (see README)."""

    count: int = 6
    weight_terms: float = 3.0  # per shared glossary term, scaled by its rarity
    weight_tags: float = 2.0  # per shared tag, scaled by its rarity
    weight_words: float = 1.0  # per shared distinctive title/summary word
    min_score: float = 1.0  # weaker candidates are left out: a short list beats a bad one
    recency: float = 0.1  # mild preference for newer articles (fraction of the score)


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # always ends in "/"
    language: str = "nl"
    description: str = ""
    default_author: str = ""
    reading_speed: int = 228  # words a minute, Dutch silent reading (Brysbaert 2019)
    glossary_link: str = "first"
    related: RelatedSettings = field(default_factory=RelatedSettings)
    search: bool = True
    allow_html: bool = False
    per_page: int = 20
    featured: tuple[str, ...] = ()
    featured_lines: tuple[int, ...] = ()  # site.yaml line of each featured slug
    menu: tuple[MenuEntry, ...] = ()
    paths: Mapping[str, str] = field(default_factory=dict)
    nofollow: bool = False  # rel="nofollow" on outside links
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def urls(self) -> UrlScheme:
        return UrlScheme(self.base_url, self.language, dict(self.paths))


_TOP_KEYS = (
    "title",
    "base_url",
    "language",
    "description",
    "default_author",
    "reading_speed",
    "glossary",
    "related",
    "search",
    "markdown",
    "pagination",
    "featured",
    "menu",
    "paths",
    "links",
    "extra",
)
_NESTED_KEYS = {
    "glossary": ("link",),
    "related": ("count", "weights", "min_score", "recency"),
    "markdown": ("allow_html",),
    "pagination": ("per_page",),
    "links": ("nofollow",),
}
_WEIGHT_KEYS = ("terms", "tags", "words")


class _Reader:
    """Reads keys of the parsed YAML, reporting each bad value at its line."""

    def __init__(self, data: dict[str, Any], lines: LineMap, report: Report) -> None:
        self.data, self.lines, self.report = data, lines, report

    def get(self, key: tuple[str, ...], check: Callable[[Any], Any], default: Any) -> Any:
        node: Any = self.data
        for part in key:
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        try:
            return check(node)
        except FieldError as exc:
            self.report.error(
                exc.code, CONFIG_FILE, self.lines.line(*key), ".".join(key), **exc.params
            )
            return default

    def mapping(self, key: str, allowed: tuple[str, ...]) -> None:
        """Report a nested value that is not a mapping, and its unknown keys."""
        value = self.data.get(key)
        if value is None:
            return
        if not isinstance(value, dict):
            self.report.error(
                "VAL001",
                CONFIG_FILE,
                self.lines.line(key),
                key,
                expected="mapping",
                got=fields.kind_of(value),
            )
            return
        for sub in value:
            if sub not in allowed:
                self.report.error(
                    "CFG004",
                    CONFIG_FILE,
                    self.lines.line(key, sub),
                    f"{key}.{sub}",
                    allowed=", ".join(allowed),
                    candidate=fields.closest(str(sub), allowed),
                )


def load_config(root: Path, report: Report) -> SiteConfig:
    """Read ROOT/site.yaml; problems go to `report` and usable defaults are returned."""
    path = root / CONFIG_FILE
    fallback = SiteConfig(title="", base_url="https://example.invalid/")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        report.error("CFG001", CONFIG_FILE, 1, "")
        return fallback
    except UnicodeDecodeError as exc:
        report_not_utf8(report, CONFIG_FILE, exc)
        return fallback
    except OSError as exc:
        report.error("FM010", CONFIG_FILE, 1, "", problem=exc.strerror or str(exc))
        return fallback
    parsed = parse_yaml(raw.replace("\r\n", "\n").replace("\r", "\n"), first_line=1, default_line=1)
    if isinstance(parsed, YamlProblem):
        report.error_at("CFG002", CONFIG_FILE, parsed.line, parsed.column, problem=parsed.problem)
        return fallback
    data, lines, duplicates = parsed
    for dup in duplicates:
        report.error("FM011", CONFIG_FILE, dup.line, dup.key)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error("CFG003", CONFIG_FILE, 1, "")
        return fallback
    return _read_config(data, lines, report)


def _read_config(data: dict[str, Any], lines: LineMap, report: Report) -> SiteConfig:
    reader = _Reader(data, lines, report)
    for key in data:
        if key not in _TOP_KEYS:
            report.error(
                "CFG004",
                CONFIG_FILE,
                lines.line(key),
                str(key),
                allowed=", ".join(_TOP_KEYS),
                candidate=fields.closest(str(key), _TOP_KEYS),
            )
    for key, allowed in _NESTED_KEYS.items():
        reader.mapping(key, allowed)
    for key in ("title", "base_url"):
        if key not in data:
            report.error("CFG005", CONFIG_FILE, 1, key, field=key)

    base_url = reader.get(("base_url",), fields.http_url, "https://example.invalid/")
    weights = (
        data.get("related", {}).get("weights") if isinstance(data.get("related"), dict) else None
    )
    if weights is not None and not isinstance(weights, dict):
        report.error(
            "VAL001",
            CONFIG_FILE,
            lines.line("related", "weights"),
            "related.weights",
            expected="mapping",
            got=fields.kind_of(weights),
        )
    elif isinstance(weights, dict):
        for sub in weights:
            if sub not in _WEIGHT_KEYS:
                report.error(
                    "CFG004",
                    CONFIG_FILE,
                    lines.line("related", "weights", sub),
                    f"related.weights.{sub}",
                    allowed=", ".join(_WEIGHT_KEYS),
                    candidate=fields.closest(str(sub), _WEIGHT_KEYS),
                )
    number = _number
    related = RelatedSettings(
        count=reader.get(("related", "count"), fields.integer, 6),
        weight_terms=reader.get(("related", "weights", "terms"), number, 3.0),
        weight_tags=reader.get(("related", "weights", "tags"), number, 2.0),
        weight_words=reader.get(("related", "weights", "words"), number, 1.0),
        min_score=reader.get(("related", "min_score"), number, 1.0),
        recency=reader.get(("related", "recency"), number, 0.1),
    )
    featured, featured_lines = _featured(data, lines, report)
    return SiteConfig(
        title=reader.get(("title",), fields.text, ""),
        base_url=base_url.rstrip("/") + "/",
        language=reader.get(("language",), lambda v: fields.one_of(v, LANGUAGES), "nl"),
        description=reader.get(("description",), fields.text, ""),
        default_author=reader.get(("default_author",), fields.text, ""),
        reading_speed=reader.get(("reading_speed",), lambda v: fields.integer(v, minimum=1), 228),
        glossary_link=reader.get(
            ("glossary", "link"), lambda v: fields.one_of(v, LINK_MODES), "first"
        ),
        related=related,
        search=reader.get(("search",), fields.boolean, True),
        allow_html=reader.get(("markdown", "allow_html"), fields.boolean, False),
        per_page=reader.get(("pagination", "per_page"), lambda v: fields.integer(v, minimum=1), 20),
        featured=featured,
        featured_lines=featured_lines,
        menu=reader.get(("menu",), _menu, ()),
        paths=reader.get(("paths",), _paths, {}),
        nofollow=reader.get(("links", "nofollow"), fields.boolean, False),
        extra=reader.get(("extra",), _mapping, {}),
    )


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError("VAL001", expected="integer", got=fields.kind_of(value))
    if value < 0:
        raise FieldError("VAL004", minimum=0, value=value)
    return float(value)


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError("VAL001", expected="mapping", got=fields.kind_of(value))
    return value


def _featured(
    data: dict[str, Any], lines: LineMap, report: Report
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    value = data.get("featured")
    if value is None:
        return (), ()
    try:
        slugs = fields.text_list(value)
    except FieldError as exc:
        report.error(exc.code, CONFIG_FILE, lines.line("featured"), "featured", **exc.params)
        return (), ()
    line_of = [lines.line("featured", i) for i in range(len(slugs))]
    return tuple(slugify(s) for s in slugs), tuple(line_of)


def _menu(value: Any) -> tuple[MenuEntry, ...]:
    if not isinstance(value, list):
        raise FieldError("VAL001", expected="list", got=fields.kind_of(value))
    entries = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) - {"title", "url"}
            or not {"title", "url"} <= set(item)
        ):
            raise FieldError("VAL001", expected="menu entry", got=fields.kind_of(item))
        entries.append(MenuEntry(fields.text(item["title"]), fields.link_url(item["url"])))
    return tuple(entries)


def _paths(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise FieldError("VAL001", expected="mapping", got=fields.kind_of(value))
    result = {}
    for key, word in value.items():
        section = fields.one_of(key, SECTIONS)
        slug = slugify(fields.text(word))
        if not slug:
            raise FieldError("VAL007", value=word, example="artikelen")
        result[section] = slug
    return result
