"""The HTTP side of `kennisbank serve`: files of output/ only, live reload, the error overlay.

Request paths are decoded once and resolved strictly inside output/; anything
that would leave it (`..`, encoded or not, backslashes, NUL, symbolic links
out) is a 404. Every HTML response gets the same-origin reload script, and,
while the last build failed, the overlay that lists its problems.
"""

from __future__ import annotations

import html
import mimetypes
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote

PREFIX = "/__kennisbank/"
KEEPALIVE_SECONDS = 15.0  # an SSE comment this often notices tabs that were closed
_ASSET_TYPES = {"live.js": "text/javascript", "overlay.css": "text/css"}
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


class LiveState:
    """What every request thread needs to know: the build number and the current failure."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.build = 0  # bumped after every build that changed what a browser shows
        self.overlay: str | None = None  # HTML of the error overlay while the last build failed
        # Held while output/ is swapped and while a request reads from it: a page and
        # the overlay shown with it always come from the same build.
        self.tree = threading.Lock()
        self.base_path = "/"  # from site.yaml's base_url: links in the pages start with it
        self.language = "nl"
        self.stopping = False

    def publish(self, overlay: str | None, *, base_path: str, language: str) -> None:
        """Record a finished build and wake every open event stream.

        Under the tree lock too: a request never sees the new build number with the
        old overlay (its page would then not be told to reload). Locks are always
        taken in this order, tree first.
        """
        with self.tree, self._changed:
            self.build += 1
            self.overlay = overlay
            self.base_path, self.language = base_path, language
            self._changed.notify_all()

    def go_live(self, swap: Callable[[], None]) -> None:
        """Swap a successful build's tree into place and drop the overlay, as one step."""
        with self.tree:
            swap()
            self.overlay = None

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the build number passes `seen`, the server stops, or time runs out."""
        with self._changed:
            self._changed.wait_for(lambda: self.build != seen or self.stopping, timeout)
            return self.build

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server on the loopback interface that knows the site it serves."""

    daemon_threads = True  # open event streams must not keep the process alive

    def __init__(self, port: int, out_dir: Path, state: LiveState) -> None:
        self.out_dir, self.state = out_dir, state
        super().__init__(("127.0.0.1", port), PreviewHandler)


def resolve(out_dir: Path, request_path: str, base_path: str = "/") -> Path | None:
    """The file inside out_dir that a request path names, or None (then: 404).

    A directory resolves to itself (the caller redirects or adds index.html).
    """
    path = request_path.split("?", 1)[0].split("#", 1)[0]
    if "\\" in path or "\x00" in path:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded or not decoded.startswith("/"):
        return None
    if base_path != "/" and decoded.startswith(base_path):
        decoded = "/" + decoded[len(base_path) :]
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        return None
    root = out_dir.resolve()
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root):
        return None  # a symbolic link out of output/
    return real if real.is_file() or real.is_dir() else None


def overlay_html(lines: list[tuple[str, list[str]]], language: str, *, crashed: bool) -> str:
    """The overlay: a visible, announced alert listing every problem and its source line."""
    words = _OVERLAY[language if language in _OVERLAY else "en"]
    items = []
    for text, excerpt in lines:
        block = f"<pre>{html.escape(chr(10).join(excerpt))}</pre>" if excerpt else ""
        items.append(f"<li><code>{html.escape(text)}</code>{block}</li>")
    lead = words["crash"] if crashed else words["lead"]
    return (
        '<div id="kennisbank-overlay" role="alert" aria-labelledby="kennisbank-overlay-title">'
        f'<h2 id="kennisbank-overlay-title">{words["title"]}</h2>'
        f"<p>{lead}</p><ul>{''.join(items)}</ul></div>"
    )


_OVERLAY = {
    "nl": {
        "title": "De site kon niet gebouwd worden",
        "lead": "Herstel wat hieronder staat en sla het bestand op: deze pagina ververst dan "
        "vanzelf. Tot die tijd zie je de laatste versie die wel gebouwd kon worden.",
        "crash": "Er ging iets mis in kennisbank zelf, niet in je tekst. "
        "Meld dit met de melding hieronder; opslaan probeert het opnieuw.",
        "empty": "Nog geen site",
    },
    "en": {
        "title": "The site could not be built",
        "lead": "Fix what is listed below and save the file: this page then reloads by "
        "itself. Until then you see the last version that did build.",
        "crash": "Something went wrong inside kennisbank, not in your text. "
        "Report it with the message below; saving tries again.",
        "empty": "No site yet",
    },
}


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer  # narrowed: this handler only runs inside a PreviewServer
    server_version = "kennisbank-serve"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: an editor's terminal shows builds, not every request."""

    def _respond(self, *, head: bool) -> None:
        out_dir, state = self.server.out_dir, self.server.state
        if not _local_host(self.headers.get("Host")):
            # A page elsewhere must not read the preview through a rebound DNS name.
            self._send(b"forbidden", HTTPStatus.FORBIDDEN, "text/plain", head=head)
            return
        base_path = state.base_path
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "events":
            self._events()
            return
        if path.startswith(PREFIX):
            self._asset(path.removeprefix(PREFIX), head=head)
            return
        if base_path != "/" and path in ("/", base_path.rstrip("/")):
            self._redirect(base_path)
            return
        with state.tree:  # the page and the overlay from one build, never across a swap
            found = _lookup(out_dir, path, base_path)
            overlay, build, language = state.overlay, state.build, state.language
        if isinstance(found, str):
            self._redirect(found)
            return
        status, data, kind = found
        if data is None:
            data, kind = _empty_page(language), "text/html"
        if kind == "text/html":
            data = inject(data, build, overlay)
            kind = "text/html; charset=utf-8"
        self._send(data, status, kind, head=head)

    def _send(self, data: bytes, status: HTTPStatus, kind: str, *, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview is always the newest build
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _asset(self, name: str, *, head: bool) -> None:
        if name not in _ASSET_TYPES:
            self._send(b"not found", HTTPStatus.NOT_FOUND, "text/plain", head=head)
            return
        data = resources.files("generator").joinpath("serve_assets", name).read_bytes()
        self._send(data, HTTPStatus.OK, f"{_ASSET_TYPES[name]}; charset=utf-8", head=head)

    def _events(self) -> None:
        """Server-sent events: `reload` after every build that changed what pages show."""
        state = self.server.state
        query = parse_qs(self.path.partition("?")[2])
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = state.build
        try:
            since = int(query.get("since", [""])[0])
        except ValueError:
            since = seen
        try:
            self.wfile.write(b"retry: 1000\n\n")
            if since != seen:  # a build finished after this page was served
                self.wfile.write(f"event: reload\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not state.stopping:
                now = state.wait(seen, KEEPALIVE_SECONDS)
                if state.stopping:
                    break
                message = f"event: reload\ndata: {now}\n\n" if now != seen else ": ping\n\n"
                seen = now
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def _local_host(host: str | None) -> bool:
    """True for a missing Host header or one naming this machine (any port)."""
    if host is None:
        return True
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.lower() in ("127.0.0.1", "localhost", "[::1]")


def _lookup(
    out_dir: Path, request_path: str, base_path: str
) -> str | tuple[HTTPStatus, bytes | None, str]:
    """What a request gets from output/: a redirect's target, or (status, data, type).

    data None: an empty page (nothing built yet, or no 404 page of the site's own).
    """
    if not out_dir.is_dir():  # no build has succeeded yet
        return HTTPStatus.SERVICE_UNAVAILABLE, None, "text/html"
    target = resolve(out_dir, request_path, base_path)
    if target is not None and target.is_dir():
        if not request_path.endswith("/"):
            relative = target.relative_to(out_dir.resolve()).as_posix()
            return base_path + quote(relative + "/") if relative else base_path
        target = target / "index.html"
    status = HTTPStatus.OK
    if target is None or not target.is_file():
        status, target = HTTPStatus.NOT_FOUND, out_dir / "404.html"
        if not target.is_file():
            return status, None, "text/html"
    try:
        data = target.read_bytes()
    except OSError:  # unreadable, or a folder named like a file: nothing to show
        return HTTPStatus.SERVICE_UNAVAILABLE, None, "text/html"
    return status, data, mimetypes.guess_type(target.name)[0] or "application/octet-stream"


def inject(page: bytes, build: int, overlay: str | None) -> bytes:
    """Add the reload script (and the overlay while the last build failed) to an HTML page."""
    head = (
        f'<script src="{PREFIX}live.js" data-build="{build}" defer></script>'
        f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
    ).encode()
    lower = page.lower()
    at = lower.find(b"</head>")
    page = page[:at] + head + page[at:] if at >= 0 else head + page
    if overlay is None:
        return page
    body = _BODY_TAG.search(page)
    where = body.end() if body else len(head)
    return page[:where] + overlay.encode() + page[where:]


def _empty_page(language: str) -> bytes:
    """A minimal page for when output/ holds nothing to show (yet)."""
    words = _OVERLAY[language if language in _OVERLAY else "en"]
    lang = html.escape(language)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{words['empty']}</title></head><body><main><h1>{words['empty']}</h1></main>"
        "</body></html>"
    ).encode()
