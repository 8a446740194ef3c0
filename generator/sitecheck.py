"""Check the built site in memory: every internal link, src and #anchor must resolve.

Takes the build's OutputFiles (never output/), reads each page with html.parser
and reports LNK005 (no page or file there) and LNK008 (no such id in the page),
each at the file that wrote the link when it can be found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from generator.config import CONFIG_FILE, SiteConfig
from generator.diagnostics import Report
from generator.model import Content
from generator.render import OutputFile
from generator.theme import Theme
from generator.urls import output_path

# Attributes that hold one URL; srcset holds several and meta content some.
_URL_ATTRS = frozenset({"href", "src", "action", "poster", "data", "cite"})
_META_URLS = frozenset({"og:url", "og:image", "twitter:image"})
_WEB = ("http", "https")


@dataclass(frozen=True)
class SiteCheck:
    """What the check looked at, for the closing line of `kennisbank check`."""

    pages: int
    links: int
    broken: int


@dataclass(frozen=True)
class _Ref:
    url: str  # as written in the page, entities decoded
    line: int  # line in the built file


@dataclass(frozen=True)
class _Broken:
    page: str  # output path of the page that holds the link
    ref: _Ref
    target: str  # output path the link leads to ("" when outside the site's base path)
    anchor: str  # the missing id, "" when the page itself is missing


def check_site(
    outputs: Sequence[OutputFile],
    content: Content,
    config: SiteConfig,
    site_root: Path,
    report: Report,
) -> SiteCheck:
    """Report every internal link and anchor of the built site that leads nowhere."""
    files = {f.path for f in outputs}
    pages: dict[str, _PageScan] = {}
    for output in outputs:
        if output.data is not None and output.path.endswith((".html", ".xml")):
            pages[output.path] = _scan(output.data.decode("utf-8", "replace"))
    broken: list[_Broken] = []
    links = 0
    for path, scan in pages.items():
        for ref in scan.refs:
            links += 1
            problem = _resolve(ref, path, config, files, pages)
            if problem is not None:
                broken.append(problem)
    _Reporter(content, config, site_root, report).add_all(broken)
    return SiteCheck(len(pages), links, len(broken))


class _PageScan(HTMLParser):
    """The ids of one page and every URL in it, with lines; also sitemap <loc> entries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[_Ref] = []
        self._in_loc = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        for name, value in values.items():
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in _URL_ATTRS:
                self.refs.append(_Ref(value, line))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.refs.append(_Ref(url, line))
        meta = values.get("property") or values.get("name") or ""
        if tag == "meta" and meta in _META_URLS and "content" in values:
            self.refs.append(_Ref(values["content"], line))
        self._in_loc = tag == "loc"

    def handle_endtag(self, tag: str) -> None:
        self._in_loc = False

    def handle_data(self, data: str) -> None:
        if self._in_loc and data.strip():
            self.refs.append(_Ref(data.strip(), self.getpos()[0]))


def _scan(text: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(text)
    scan.close()
    return scan


def _resolve(
    ref: _Ref,
    page: str,
    config: SiteConfig,
    files: set[str],
    pages: Mapping[str, _PageScan],
) -> _Broken | None:
    """None when the link works or leaves the site; otherwise what is missing."""
    href = ref.url.strip()
    if not href:
        return None
    try:
        # Resolved the way a browser does, against the page's own address.
        parts = urlsplit(urljoin(config.urls.absolute("/" + page), href))
        site = urlsplit(config.base_url)
        if parts.scheme.lower() not in _WEB or _host(parts.netloc) != _host(site.netloc):
            return None  # mailto:, tel:, or another site: `check --external` is for those
    except ValueError:  # an unparsable URL (a bad IPv6 literal) works nowhere
        return _Broken(page, ref, "", "")
    base = config.urls.base_path
    if not (parts.path + "/").startswith(base):
        return _Broken(page, ref, "", "")  # the same host, but outside where the site lives
    target = _file_for(unquote(parts.path[len(base) :]), files)
    if target is None:
        return _Broken(page, ref, "", "")
    anchor = unquote(parts.fragment)
    scan = pages.get(target)
    # "#top" and "#" scroll to the top without an element (HTML standard, "scroll to the fragment").
    if not anchor or anchor.lower() == "top" or scan is None or not target.endswith(".html"):
        return None
    return None if anchor in scan.ids else _Broken(page, ref, target, anchor)


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
        self.texts: dict[str, list[str] | None] = {}
        self.shared = [CONFIG_FILE, *_template_files(site_root)]

    def add_all(self, broken: Sequence[_Broken]) -> None:
        on_pages: dict[tuple[str, str], set[str]] = {}
        for problem in broken:
            on_pages.setdefault((problem.ref.url, problem.anchor), set()).add(problem.page)
        grouped: dict[tuple[str, int, str, str], list[str]] = {}
        for problem in broken:
            shared = len(on_pages[(problem.ref.url, problem.anchor)]) > 1
            path, line = self._origin(problem, shared=shared)
            key = (path, line, problem.ref.url, problem.anchor)
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
        wanted = self._written_forms(problem.ref.url)
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
        if name not in self.texts:
            try:
                path = self._file(name)
                self.texts[name] = path.read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self.texts[name] = None
        for number, text in enumerate(self.texts[name] or (), 1):
            if any(form in text for form in wanted):
                return number
        return 0

    def _file(self, name: str) -> Path:
        if name.startswith("templates/"):
            return Theme(self.site_root).find(name.removeprefix("templates/"))
        return self.site_root / name


def _item_sources(content: Content, config: SiteConfig) -> dict[str, str]:
    """Output path -> source file of the item the page shows."""
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
