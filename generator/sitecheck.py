"""Check the built site in memory: every internal link, src and #anchor must resolve.

Takes the build's OutputFiles (never output/), reads each page with html.parser
and reports LNK005 (no page or file there) and LNK008 (no such id in the page),
each at the file that wrote the link when it can be found.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from generator.config import CONFIG_FILE, SiteConfig
from generator.diagnostics import Report
from generator.model import Content
from generator.outputs import OutputFile
from generator.theme import Theme
from generator.urls import output_path
from generator.workers import Workers

# Attributes that hold one URL; srcset holds several and meta content some.
_URL_ATTRS = frozenset({"href", "src", "action", "poster", "data", "cite"})
_META_URLS = frozenset({"og:url", "og:image", "twitter:image"})
_WEB = ("http", "https")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class SiteCheck:
    """What the check looked at, for the closing line of `kennisbank check`."""

    pages: int
    links: int
    broken: int


@dataclass(frozen=True)
class _Broken:
    page: str  # output path of the page that holds the link
    url: str  # as written in the page, entities decoded
    anchor: str  # the missing id, "" when the page or file itself is missing


def check_site(
    outputs: Sequence[OutputFile],
    content: Content,
    config: SiteConfig,
    site_root: Path,
    report: Report,
    *,
    jobs: int | None = 1,
) -> SiteCheck:
    """Report every internal link and anchor of the built site that leads nowhere.

    Pages are parsed in `jobs` worker processes (None: all cores) when there are many.
    """
    files = {f.path for f in outputs}
    pages = _scan_pages([f for f in outputs if f.path.endswith((".html", ".xml"))], jobs)
    resolver = _Resolver(config, files)
    broken: list[_Broken] = []
    links = 0
    for path, scan in pages.items():
        links += len(scan.refs)
        folder = path.rpartition("/")[0]
        for url in dict.fromkeys(scan.refs):  # each distinct URL of the page once
            found = resolver.resolve(url, folder)
            if found is None:
                continue
            target, anchor = found
            if target is None:
                broken.append(_Broken(path, url, ""))
            elif anchor and target in pages and anchor not in pages[target].ids:
                broken.append(_Broken(path, url, anchor))
    if broken:
        _Reporter(content, config, site_root, report).add_all(broken)
    return SiteCheck(len(pages), links, len(broken))


PARALLEL_FROM = 300  # pages; below this, starting workers costs more than it saves
_BATCH = 2000  # pages read into memory at a time (they may come from the build cache)


@dataclass(frozen=True)
class _Scanned:
    """What the check keeps of a page: its ids and the URLs in it."""

    ids: frozenset[str]
    refs: tuple[str, ...]


def _scan_pages(outputs: Sequence[OutputFile], jobs: int | None) -> dict[str, _Scanned]:
    pages: dict[str, _Scanned] = {}
    # New interpreters, not forks: the build before left this process large.
    with Workers(jobs, fresh=True) as workers:
        for start in range(0, len(outputs), _BATCH):
            # read() fetches a page kept in the build cache, or reads a static .html file
            # from content/static/; output/ is never read.
            batch = [(f.path, f.read()) for f in outputs[start : start + _BATCH]]
            chunks = workers.map(
                _no_setup, _scan_chunk, None, batch, parallel_from=PARALLEL_FROM, chunk=50
            )
            for chunk in chunks:
                pages.update(chunk)
    return pages


def _no_setup(setup: None) -> None:
    return setup


def _scan_chunk(_: None, batch: list[tuple[str, bytes]]) -> list[tuple[str, _Scanned]]:
    """Parse pages (in a worker process when there are many)."""
    found: list[tuple[str, _Scanned]] = []
    for path, data in batch:
        text = data.decode("utf-8", "replace")
        scan = _scan_xml(text) if path.endswith(".xml") else _scan(text)
        found.append((path, _Scanned(frozenset(scan.ids), tuple(scan.refs))))
    return found


class _PageScan(HTMLParser):
    """The ids of one page and every URL in it (href, src, srcset, action, og:url...)."""

    def __init__(self) -> None:
        # Text is never needed, so character references in it need not be decoded
        # (attribute values are decoded either way); that parses a third faster.
        super().__init__(convert_charrefs=False)
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in _URL_ATTRS:
                self.refs.append(value)
            elif name == "srcset":
                self.refs.extend(c.split()[0] for c in value.split(",") if c.strip())
        if tag == "meta":
            values = dict(attrs)
            if (values.get("property") or values.get("name")) in _META_URLS and values.get(
                "content"
            ):
                self.refs.append(values["content"] or "")


def _scan(text: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(text)
    scan.close()
    return scan


_LOC = re.compile(r"<loc>\s*([^<]*?)\s*</loc>")


def _scan_xml(text: str) -> _PageScan:
    """Feeds and sitemaps: <link href> through the parser, <loc> entries by pattern."""
    scan = _scan(text)
    scan.refs.extend(html.unescape(url) for url in _LOC.findall(text))
    return scan


class _Resolver:
    """Where a URL in a page leads, as a browser resolves it; cached, as most URLs repeat."""

    def __init__(self, config: SiteConfig, files: set[str]) -> None:
        self.urls, self.files = config.urls, files
        self.host = _host(urlsplit(config.base_url).netloc)
        self.cache: dict[tuple[str, str], tuple[str | None, str] | None] = {}

    def resolve(self, url: str, folder: str) -> tuple[str | None, str] | None:
        """None for outside and non-web URLs; else (output file or None if none, #anchor)."""
        url = url.strip()
        # Only a relative URL depends on the folder of the page it is in.
        relative = not url.startswith("/") and not _SCHEME.match(url)
        key = (folder if relative else "", url)
        if key not in self.cache:
            self.cache[key] = self._resolve(url, folder) if url else None
        return self.cache[key]

    def _resolve(self, url: str, folder: str) -> tuple[str | None, str] | None:
        page = self.urls.absolute(f"/{folder}/" if folder else "/")
        try:
            parts = urlsplit(urljoin(page, url))
            if parts.scheme.lower() not in _WEB or _host(parts.netloc) != self.host:
                return None  # mailto:, tel:, or another site: `check --external` is for those
        except ValueError:  # an unparsable URL (a bad IPv6 literal) works nowhere
            return None, ""
        base = self.urls.base_path
        if not (parts.path + "/").startswith(base):
            return None, ""  # the same host, but outside the folder the site lives in
        target = _file_for(unquote(parts.path[len(base) :]), self.files)
        anchor = unquote(parts.fragment)
        # "#top" scrolls to the top without an element (HTML standard, "scroll to the fragment");
        # only HTML pages have ids to check.
        if anchor.lower() == "top" or target is None or not target.endswith(".html"):
            anchor = ""
        return target, anchor


def _host(netloc: str) -> str:
    return netloc.lower().removesuffix(":443").removesuffix(":80")


def _file_for(relative: str, files: set[str]) -> str | None:
    """The output file a site-relative path is served from, as static hosts do it."""
    if relative in files:
        return relative
    candidate = output_path("/" + relative)
    if candidate in files:
        return candidate
    # "/artikelen" without its slash: hosts redirect to the folder's index.html.
    folder = f"{relative}/index.html"
    return folder if relative and folder in files else None


class _Reporter:
    """Turns broken links into diagnostics at the file that wrote them, once per origin."""

    def __init__(
        self, content: Content, config: SiteConfig, site_root: Path, report: Report
    ) -> None:
        self.config, self.site_root, self.report = config, site_root, report
        self.item_of_page = _item_sources(content, config)
        self.texts: dict[str, list[str]] = {}  # site.yaml and templates, read once
        self.shared = [CONFIG_FILE, *_template_files(site_root)]

    def add_all(self, broken: Sequence[_Broken]) -> None:
        on_pages: dict[tuple[str, str], set[str]] = {}
        for problem in broken:
            on_pages.setdefault((problem.url, problem.anchor), set()).add(problem.page)
        grouped: dict[tuple[str, int, str, str], list[str]] = {}
        for problem in broken:
            shared = len(on_pages[(problem.url, problem.anchor)]) > 1
            path, line = self._origin(problem, shared=shared)
            key = (path, line, problem.url, problem.anchor)
            grouped.setdefault(key, []).append(problem.page)
        for (path, line, url, anchor), found_on in grouped.items():
            pages = sorted({_site_path(page) for page in found_on})
            shown = pages[0] + (f" (+{len(pages) - 1})" if len(pages) > 1 else "")
            code = "LNK008" if anchor else "LNK005"
            self.report.error(code, path, line, "link", page=shown, target=url, anchor=anchor)

    def _origin(self, problem: _Broken, *, shared: bool) -> tuple[str, int]:
        """The item's own file if the link is written there, else site.yaml or a template.

        A link a template builds from expressions is written in no file as it reads.
        On several pages it comes from the theme and gets no file (the message
        names the pages); on one page it is reported at that page's item.
        """
        wanted = self._written_forms(problem.url)
        item = self.item_of_page.get(problem.page)
        for name in ([item] if item else []) + self.shared:
            line = self._find(name, wanted)
            if line:
                return name, line
        return (item, 1) if item and not shared else ("", 1)

    def _written_forms(self, url: str) -> tuple[str, ...]:
        base = self.config.urls.base_path.rstrip("/")
        forms = [url]
        if base and url.startswith(base + "/"):
            forms.append(url[len(base) :])
        return tuple(forms)

    def _find(self, name: str, wanted: tuple[str, ...]) -> int:
        """The first line of file `name` that holds one of `wanted`, or 0."""
        lines = self.texts.get(name)
        if lines is None:
            lines = self._lines(name)
            if name in self.shared:  # asked for every page; an item's file once or so
                self.texts[name] = lines
        for number, text in enumerate(lines, 1):
            if any(form in text for form in wanted):
                return number
        return 0

    def _lines(self, name: str) -> list[str]:
        try:
            return self._file(name).read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    def _file(self, name: str) -> Path:
        if name.startswith("templates/"):
            return Theme(self.site_root).find(name.removeprefix("templates/"))
        return self.site_root / name


def _item_sources(content: Content, config: SiteConfig) -> dict[str, str]:
    """Output path -> the source file the page was made from."""
    urls = config.urls
    found: dict[str, str] = {}
    for article in content.articles:
        found[output_path(urls.article(article.slug))] = article.source
    for term in content.terms:
        found[output_path(urls.term(term.slug))] = term.source
    for theme in content.themes:
        found[output_path(urls.theme(theme.slug))] = theme.source
    for page in content.pages:
        found[output_path(urls.page(page.slug))] = page.source
    for static in content.static:  # an .html file an editor put in content/static/
        found[static.site_path.lstrip("/")] = static.source
    return found


def _template_files(site_root: Path) -> list[str]:
    """Every template name of the theme (the site's own first), as "templates/<name>"."""
    names: dict[str, None] = {}
    for folder in Theme(site_root).dirs:
        for path in sorted(folder.rglob("*.html")):
            names.setdefault("templates/" + path.relative_to(folder).as_posix(), None)
    return list(names)


def _site_path(page: str) -> str:
    """The address an editor knows: "artikelen/x/index.html" -> "/artikelen/x/"."""
    return "/" + page.removesuffix("index.html")
