"""`kennisbank check --external`: every outside URL of the site, where it is written, checked.

Collects http(s) URLs from theme links, related outside pages, Markdown bodies and
the site.yaml menu, checks them with external_links.py (cached in the site's
.kennisbank-cache/), and reports each use: broken links are errors; redirects,
slow hosts and sites that refuse automated checks are warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator import __version__
from generator.config import CONFIG_FILE, SiteConfig
from generator.diagnostics import Report, Severity
from generator.external_links import (
    LinkResult,
    LinkSource,
    LinkStatus,
    check_external_links,
    linkcheck_user_agent,
)
from generator.index import SiteIndex
from generator.model import Content, OutsideRef

CACHE_FILE = Path(".kennisbank-cache") / "external-links.json"
TIMEOUT = 10.0  # seconds per request, DNS included
RETRIES = 2
_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)


def collect_outside_links(
    content: Content, index: SiteIndex, config: SiteConfig, site_root: Path
) -> dict[str, list[LinkSource]]:
    """Every outside URL of the site -> each file and line that uses it, in file order."""
    found: dict[str, list[LinkSource]] = {}

    def add(url: str, path: str, line: int) -> None:
        uses = found.setdefault(url, [])
        if LinkSource(path, line) not in uses:
            uses.append(LinkSource(path, line))

    site_yaml = _lines(site_root / CONFIG_FILE)
    for entry in config.menu:
        if _WEB_URL.match(entry.url):
            add(entry.url, CONFIG_FILE, _line_of(site_yaml, 1, entry.url, len(site_yaml)))

    for theme in content.themes:
        lines = _lines(site_root / theme.source)
        for section in theme.sections:
            for link in section.links:
                if link.kind == "outside":
                    add(link.target, theme.source, _line_of(lines, link.line, link.target))
    for article in content.articles:
        for ref in article.related:
            if isinstance(ref, OutsideRef):
                add(ref.url, article.source, ref.line)
    for key, body in index.bodies.items():
        source = key.split("#", 1)[0]  # theme section intros are parsed as "source#section-N"
        for use in body.outside_links:
            url = "https:" + use.url if use.url.startswith("//") else use.url
            add(url, source, use.line)
    return {url: found[url] for url in sorted(found)}


def check_outside_links(
    content: Content,
    index: SiteIndex,
    config: SiteConfig,
    site_root: Path,
    report: Report,
    *,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
) -> int:
    """Check every outside URL once and report each use of a failing one; return the count."""
    urls = collect_outside_links(content, index, config, site_root)
    results = check_external_links(
        urls,
        cache_file=site_root / CACHE_FILE,
        timeout=timeout,
        retries=retries,
        user_agent=linkcheck_user_agent(__version__),
    )
    report_results(results, urls, report, timeout=timeout)
    return len(results)


def report_results(
    results: Mapping[str, LinkResult],
    urls: Mapping[str, Sequence[LinkSource]],
    report: Report,
    *,
    timeout: float,
) -> None:
    """One diagnostic per use of a URL that did not simply work."""
    for url, sources in urls.items():
        result = results.get(url)
        if result is None or result.status is LinkStatus.OK:
            continue
        code, severity, params = _diagnostic(result, timeout)
        for source in sources:
            report.add(code, source.path, source.line, "link", severity, url=url, **params)


def _diagnostic(result: LinkResult, timeout: float) -> tuple[str, Severity, dict[str, str]]:
    if result.status is LinkStatus.REDIRECTED:
        return "LNK009", Severity.WARNING, {"final": result.final_url or ""}
    if result.status is LinkStatus.TIMEOUT:
        return "LNK010", Severity.WARNING, {"seconds": f"{timeout:g}"}
    if result.status is LinkStatus.ERROR and result.http_status is not None:
        # 401, 403, 429: the site answers, but not to a checker; a reader may get through.
        return "LNK011", Severity.WARNING, {"detail": result.detail}
    # A 404, or nothing listening, no such host, a bad certificate: readers get nowhere.
    return "LNK007", Severity.ERROR, {"detail": result.detail}


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], start: int, url: str, within: int = 8) -> int:
    """The line that holds `url`, looked for from `start` on (a theme link's entry starts
    at its `- title:` line, its `url:` follows); `start` when it is not found."""
    for number in range(start, min(start + within, len(lines) + 1)):
        if url in lines[number - 1]:
            return number
    return start
