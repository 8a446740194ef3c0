"""The index of all outside resources: theme links deduplicated by normalised URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from generator.model import Theme

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def normalise_url(url: str) -> str:
    """One key per resource: lower-case scheme and host, no tracking parameters, no trailing /."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(sorted(query)), ""))


def host_name(url: str) -> str:
    """The host as readers know it: "www.edualdo.nl" -> "edualdo.nl"."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


@dataclass(frozen=True)
class Resource:
    url: str  # as first written
    key: str  # normalised
    title: str
    description: str
    label: str  # the `kind:` label ("" when none)
    host: str
    themes: tuple[str, ...]  # slugs of the themes that cite it, sorted


def collect_resources(themes: Sequence[Theme]) -> tuple[Resource, ...]:
    """Every outside link of every theme, once per normalised URL (first mention wins)."""
    found: dict[str, Resource] = {}
    cited: dict[str, set[str]] = {}
    for theme in themes:
        for section in theme.sections:
            for link in section.links:
                if link.kind != "outside":
                    continue
                key = normalise_url(link.target)
                cited.setdefault(key, set()).add(theme.slug)
                known = found.get(key)
                if known is not None:
                    # A later mention fills in what the first one left out.
                    found[key] = replace(
                        known,
                        description=known.description or link.description or "",
                        label=known.label or link.label or "",
                    )
                else:
                    found[key] = Resource(
                        url=link.target,
                        key=key,
                        title=link.title or host_name(link.target),
                        description=link.description or "",
                        label=link.label or "",
                        host=host_name(link.target),
                        themes=(),
                    )
    return tuple(
        Resource(r.url, r.key, r.title, r.description, r.label, r.host, tuple(sorted(cited[k])))
        for k, r in sorted(found.items())
    )
