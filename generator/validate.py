"""SourceDoc -> typed model objects, one diagnostic per bad field; bad items are dropped.

Single-file checks run here, field by field; cross-file rules (duplicate slugs,
references, term forms, URL collisions) live in crossref.py and run after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, TypeVar

from generator import fields
from generator.config import SiteConfig
from generator.diagnostics import Report
from generator.fields import FieldError
from generator.load import SourceDoc
from generator.model import (
    Article,
    ArticleRef,
    Body,
    GlossaryTerm,
    OutsideRef,
    Page,
    RelatedRef,
    Tag,
    Theme,
    ThemeLink,
    ThemeSection,
)
from generator.urls import slugify

T = TypeVar("T")

ALLOWED_FIELDS: dict[str, tuple[str, ...]] = {
    "articles": (
        "title",
        "date",
        "author",
        "updated",
        "summary",
        "tags",
        "related",
        "featured",
        "reading_time",
        "glossary",
        "draft",
        "extra",
    ),
    "glossary": ("term", "aliases", "summary", "see_also", "tags", "extra"),
    "themes": ("title", "summary", "sections", "extra"),
    "pages": ("title", "summary", "menu", "extra"),
}
REQUIRED_FIELDS = {
    "articles": ("title", "date"),
    "glossary": ("term",),
    "themes": ("title", "sections"),
    "pages": ("title",),
}
_SECTION_KEYS = ("title", "intro", "links")
_LINK_KEYS = ("article", "term", "title", "url", "description", "kind")

Item = Article | GlossaryTerm | Theme | Page


class _Fields:
    """Reads one document's fields; each problem is reported at the field's line."""

    def __init__(self, doc: SourceDoc, report: Report) -> None:
        self.doc, self.report = doc, report
        self.meta: dict[str, Any] = doc.meta if isinstance(doc.meta, dict) else {}
        self.ok = True

    def fail(self, exc: FieldError, *key: str | int) -> None:
        self.ok = False
        self.report.error(
            exc.code, self.doc.path, self.doc.lines.line(*key), _dotted(key), **exc.params
        )

    def get(self, name: str, check: Callable[[Any], T], default: T | Any) -> T:
        if name not in self.meta:
            return default
        try:
            return check(self.meta[name])
        except FieldError as exc:
            self.fail(exc, name)
            return default

    def tags(self) -> tuple[Tag, ...]:
        names: tuple[str, ...] = self.get("tags", fields.text_list, ())
        tags: dict[str, Tag] = {}
        for index, name in enumerate(names):
            slug = slugify(name)
            if not slug:
                self.fail(FieldError("VAL007", value=name, example="leesonderwijs"), "tags", index)
                continue
            tags.setdefault(slug, Tag(name, slug))
        return tuple(tags.values())

    def refs(self, name: str) -> tuple[ArticleRef, ...]:
        slugs: tuple[str, ...] = self.get(name, fields.text_list, ())
        return tuple(
            ArticleRef(slugify(s), self.doc.lines.line(name, i)) for i, s in enumerate(slugs)
        )

    def body(self) -> Body:
        return Body(self.doc.body, self.doc.body_line)

    def extra(self) -> dict[str, Any]:
        def mapping(value: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise FieldError("VAL001", expected="mapping", got=fields.kind_of(value))
            return value

        return self.get("extra", mapping, {})


def _dotted(key: tuple[str | int, ...]) -> str:
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def validate_doc(doc: SourceDoc, config: SiteConfig, report: Report) -> Item | None:
    """Turn one SourceDoc into its model object, or None when a field is wrong."""
    if doc.meta is not None and not isinstance(doc.meta, dict):
        # At the first line of the front matter, where what is not a `field: value` starts.
        report.error("FM002", doc.path, doc.lines.lines.get((), doc.lines.default), "")
        return None
    if not doc.slug:  # "!!!.md" would be written over its collection's index page
        report.error(
            "VAL007", doc.path, 1, "", value=PurePosixPath(doc.path).stem, example="samen-leren"
        )
        return None
    reader = _Fields(doc, report)
    for dup in doc.duplicates:
        reader.ok = False
        report.error("FM011", doc.path, dup.line, dup.key)
    allowed = ALLOWED_FIELDS[doc.collection]
    for name in reader.meta:
        if name not in allowed:
            reader.ok = False
            report.error(
                "FM003",
                doc.path,
                doc.lines.line(str(name)),
                str(name),
                allowed=", ".join(allowed),
                candidate=fields.closest(str(name), allowed),
            )
    for name in REQUIRED_FIELDS[doc.collection]:
        if name not in reader.meta:
            reader.ok = False
            report.error("FM004", doc.path, doc.lines.default, name, field=name)
    item = _BUILDERS[doc.collection](reader, config)
    return item if reader.ok and item is not None else None


def _article(f: _Fields, config: SiteConfig) -> Article | None:
    # Every field is read before giving up on a bad date, so one run reports them all.
    date = f.get("date", fields.date, None)
    title = f.get("title", fields.text, "")
    author = f.get("author", fields.text, "") or config.default_author
    updated = f.get("updated", fields.date, None)
    summary = f.get("summary", fields.text, None)
    tags = f.tags()
    related = _related(f)
    featured = f.get("featured", fields.boolean, False)
    reading_time = f.get("reading_time", lambda v: fields.integer(v, minimum=1), None)
    glossary = f.get("glossary", fields.boolean, True)
    draft = f.get("draft", fields.boolean, False)
    extra = f.extra()
    if date is None:
        return None
    return Article(
        slug=f.doc.slug,
        source=f.doc.path,
        title=title,
        date=date,
        author=author,
        body=f.body(),
        updated=updated,
        summary=summary,
        tags=tags,
        related=related,
        featured=featured,
        reading_time=reading_time,
        glossary=glossary,
        draft=draft,
        extra=extra,
    )


def _related(f: _Fields) -> tuple[RelatedRef, ...]:
    value = f.meta.get("related")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    refs: list[RelatedRef] = []
    for index, item in enumerate(items):
        line = (
            f.doc.lines.line("related", index)
            if isinstance(value, list)
            else f.doc.lines.line("related")
        )
        try:
            if isinstance(item, dict):
                unknown = set(item) - {"title", "url"}
                if unknown or "url" not in item or "title" not in item:
                    raise FieldError("VAL001", expected="related entry", got="mapping")
                refs.append(
                    OutsideRef(fields.text(item["title"]), fields.http_url(item["url"]), line)
                )
            else:
                refs.append(ArticleRef(slugify(fields.text(item)), line))
        except FieldError as exc:
            f.fail(exc, "related", index)
    return tuple(refs)


def _term(f: _Fields, config: SiteConfig) -> GlossaryTerm | None:
    term = f.get("term", fields.text, "")
    aliases = f.get("aliases", fields.text_list, ())
    return GlossaryTerm(
        slug=f.doc.slug,
        source=f.doc.path,
        term=term,
        body=f.body(),
        aliases=tuple(dict.fromkeys(a for a in aliases if a != term)),
        summary=f.get("summary", fields.text, None),
        see_also=f.refs("see_also"),
        tags=f.tags(),
        extra=f.extra(),
    )


def _theme(f: _Fields, config: SiteConfig) -> Theme | None:
    sections: list[ThemeSection] = []
    raw = f.meta.get("sections")
    if raw is not None and not isinstance(raw, list):
        f.fail(FieldError("VAL001", expected="list", got=fields.kind_of(raw)), "sections")
    for index, section in enumerate(raw if isinstance(raw, list) else []):
        built = _section(f, index, section)
        if built is not None:
            sections.append(built)
    return Theme(
        slug=f.doc.slug,
        source=f.doc.path,
        title=f.get("title", fields.text, ""),
        body=f.body(),
        sections=tuple(sections),
        summary=f.get("summary", fields.text, None),
        extra=f.extra(),
    )


def _section(f: _Fields, index: int, section: Any) -> ThemeSection | None:
    key = ("sections", index)
    if not isinstance(section, dict):
        f.fail(FieldError("VAL001", expected="mapping", got=fields.kind_of(section)), *key)
        return None
    _unknown_keys(f, section, _SECTION_KEYS, key)
    if "title" not in section:
        f.ok = False
        f.report.error(
            "FM004", f.doc.path, f.doc.lines.line(*key), _dotted((*key, "title")), field="title"
        )
        return None
    try:
        title = fields.text(section["title"])
        intro_text = fields.text(section.get("intro"), allow_empty=True)
    except FieldError as exc:
        f.fail(exc, *key)
        return None
    links_raw = section.get("links") or []
    if not isinstance(links_raw, list):
        f.fail(FieldError("VAL001", expected="list", got=fields.kind_of(links_raw)), *key, "links")
        links_raw = []
    links = [_link(f, (*key, "links", i), raw) for i, raw in enumerate(links_raw)]
    intro_line = f.doc.lines.line(*key, "intro")
    intro = (
        Body(intro_text, intro_line + 1 if "\n" in intro_text else intro_line)
        if intro_text
        else None
    )
    return ThemeSection(title, intro, tuple(link for link in links if link), f.doc.lines.line(*key))


def _link(f: _Fields, key: tuple[str | int, ...], raw: Any) -> ThemeLink | None:
    line = f.doc.lines.line(*key)
    if not isinstance(raw, dict):
        f.fail(FieldError("VAL001", expected="link", got=fields.kind_of(raw)), *key)
        return None
    _unknown_keys(f, raw, _LINK_KEYS, key)
    try:
        title = fields.text(raw["title"]) if "title" in raw else None
        description = fields.text(raw["description"]) if "description" in raw else None
        label = fields.text(raw["kind"]) if "kind" in raw else None
        targets = [k for k in ("article", "term", "url") if k in raw]
        if len(targets) != 1:
            raise FieldError("VAL001", expected="link", got="mapping")
        kind = targets[0]
        if kind == "url":
            if title is None:
                f.ok = False
                f.report.error("FM004", f.doc.path, line, _dotted((*key, "title")), field="title")
                return None
            return ThemeLink(
                "outside", fields.http_url(raw["url"]), line, title, description, label
            )
        slug = slugify(fields.text(raw[kind]))
        return ThemeLink(
            "article" if kind == "article" else "term", slug, line, title, description, label
        )
    except FieldError as exc:
        f.fail(exc, *key)
        return None


def _unknown_keys(
    f: _Fields, raw: dict[str, Any], allowed: tuple[str, ...], key: tuple[str | int, ...]
) -> None:
    for name in raw:
        if name not in allowed:
            f.ok = False
            f.report.error(
                "FM003",
                f.doc.path,
                f.doc.lines.line(*key, str(name)),
                _dotted((*key, str(name))),
                allowed=", ".join(allowed),
                candidate=fields.closest(str(name), allowed),
            )


def _page(f: _Fields, config: SiteConfig) -> Page | None:
    return Page(
        slug=f.doc.slug,
        source=f.doc.path,
        title=f.get("title", fields.text, ""),
        body=f.body(),
        summary=f.get("summary", fields.text, None),
        menu=f.get("menu", fields.integer, None),
        extra=f.extra(),
    )


_BUILDERS: dict[str, Callable[[_Fields, SiteConfig], Item | None]] = {
    "articles": _article,
    "glossary": _term,
    "themes": _theme,
    "pages": _page,
}
