"""A scan of built HTML for anything that could run script: used by the hostile and fuzz tests.

Parses with html.parser, as a browser would tokenise, and lists every <script>
that is not the site's own asset or JSON-LD, every on*= attribute, every
script URL and every frame or plugin element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


@dataclass
class Finding:
    page: str
    what: str


@dataclass
class _Scanner(HTMLParser):
    """Collects everything in one page that could run script."""

    page: str
    assets: str  # the path every own script must start with ("/assets/")
    findings: list[Finding] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    _in_ld: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self._find(f"<{tag} {name}={value!r}>")
            if name in _URL_ATTRIBUTES and _SCRIPT_URL.match(value or ""):
                own_icon = tag == "link" and values.get("rel") == "icon"
                if not (own_icon and (value or "").startswith("data:image/svg+xml,")):
                    self._find(f"<{tag} {name}={value!r}>")
        if tag in _FORBIDDEN_TAGS:
            self._find(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._find("<meta http-equiv=refresh>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(values.get("content", ""))
        if tag == "script":
            if values.get("type") == "application/ld+json" and "src" not in values:
                self._in_ld = True
                self.json_ld.append("")
            elif not values.get("src", "").startswith(self.assets):
                self._find(f"<script {values}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data

    def _find(self, what: str) -> None:
        self.findings.append(Finding(self.page, what))


def scan_page(name: str, text: str, assets: str = "/assets/") -> _Scanner:
    scanner = _Scanner(name, assets)
    scanner.feed(text)
    scanner.close()
    # html.parser ends a script at the first "</script": a JSON-LD block that let
    # text out would show up as a second, foreign script element above.
    for block in scanner.json_ld:
        json.loads(block)
    return scanner
