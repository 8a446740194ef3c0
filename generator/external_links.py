"""Outside link checks for `kennisbank check --external`: concurrent HTTP checks with a hard
time bound per request (DNS included), retries, a per-host limit, a JSON result cache, and
the per-source-file report. Never run by default; only the `--external` flag calls it.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import os
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urldefrag, urlsplit

import httpx

__all__ = [
    "DEFAULT_USER_AGENT",
    "LinkResult",
    "LinkSource",
    "LinkStatus",
    "check_external_links",
    "linkcheck_user_agent",
]

_log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "kennisbank-linkcheck"
CACHE_VERSION = 1
MAX_REDIRECTS = 10
_WEB_SCHEMES = ("http", "https")

_P = ParamSpec("_P")
_T = TypeVar("_T")


def linkcheck_user_agent(version: str) -> str:
    """The User-Agent sent with every check, so site owners can tell who is asking."""
    return f"{DEFAULT_USER_AGENT}/{version}"


@dataclass(frozen=True)
class LinkSource:
    """Where a URL is used: a site-relative source file ("/" separators) and a 1-based line."""

    path: str
    line: int


class LinkStatus(enum.Enum):
    OK = "ok"
    REDIRECTED = "redirected"  # works, but via 301/302/303/307/308: the link should be updated
    BROKEN = "broken"  # the server answered with an error (4xx, or 5xx after retries)
    TIMEOUT = "timeout"  # no answer within the per-request bound
    ERROR = "error"  # could not be checked: DNS, refused, TLS, or the site refuses checkers


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: LinkStatus
    http_status: int | None  # the last HTTP status seen, None without an answer
    final_url: str | None  # where a redirect chain ended (or failed), None if never moved
    detail: str  # short human reason: "404 Not Found", "connection refused", ...
    from_cache: bool = False


# --------------------------------------------------------------------------- public entry


def check_external_links(
    urls: Mapping[str, Sequence[LinkSource]],
    *,
    cache_file: Path | None,
    timeout: float = 10.0,
    retries: int = 2,
    per_host: int = 4,
    concurrency: int = 32,
    cache_ttl_ok: float = 7 * 86400,
    cache_ttl_failed: float = 3600,
    user_agent: str = DEFAULT_USER_AGENT,
    backoff: float = 0.5,
    clock: Callable[[], float] = time.time,
) -> dict[str, LinkResult]:
    """Check every http(s) URL in `urls`; other schemes (mailto:, tel:) are left out.

    Each request (a HEAD, or the GET fallback, with its redirect chain) is bounded by
    `timeout` seconds including DNS. Failures without an answer, 5xx and 429 are retried
    `retries` times after `backoff * attempt` seconds; a 404 is never retried. A host that
    gave no answer at all (timeout, refused, DNS) is not asked again in this run: its other
    URLs get the same result at once, so a slow host is reported rather than waited on.
    Worst case for one URL: (retries + 1) * 2 * timeout + backoff * retries * (retries + 1) / 2.

    Results still fresh in `cache_file` are reused (OK/REDIRECTED for `cache_ttl_ok`
    seconds, failures for `cache_ttl_failed`), so CI does not ask the same sites on every
    push. Runs its own event loop, so call it from synchronous code only.
    """
    if timeout <= 0 or retries < 0 or per_host < 1 or concurrency < 1 or backoff < 0:
        raise ValueError("timeout > 0, retries >= 0, per_host >= 1, concurrency >= 1, backoff >= 0")

    web_urls = [url for url in urls if _is_web_url(url)]
    cached = _load_cache(cache_file) if cache_file is not None else {}
    now = clock()

    results: dict[str, LinkResult] = {}
    checked_at: dict[str, float] = {}
    to_check: list[str] = []
    for url in web_urls:
        entry = cached.get(url)
        if entry is not None:
            when, result = entry
            ttl = cache_ttl_ok if result.status in _WORKING else cache_ttl_failed
            if 0 <= now - when < ttl:
                results[url] = result
                checked_at[url] = when
                continue
        to_check.append(url)

    if to_check:
        settings = _Settings(timeout, retries, per_host, concurrency, user_agent, backoff)
        fresh = _run_in_own_loop(_check_all(to_check, settings))
        done = clock()
        for url, outcome in fresh.items():
            results[url] = outcome.result
            if outcome.cacheable:
                checked_at[url] = done

    if cache_file is not None:
        _save_cache(cache_file, {url: (checked_at[url], results[url]) for url in checked_at})
    return {url: results[url] for url in web_urls}


# --------------------------------------------------------------------------- checking

_WORKING = (LinkStatus.OK, LinkStatus.REDIRECTED)
_RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_REFUSED_CHECKS = frozenset({401, 403, 429})  # the page may well work in a browser


@dataclass(frozen=True)
class _Settings:
    timeout: float
    retries: int
    per_host: int
    concurrency: int
    user_agent: str
    backoff: float


@dataclass(frozen=True)
class _Outcome:
    """One URL's result, and whether it came from asking (worth caching) or was inferred."""

    result: LinkResult
    cacheable: bool = True


@dataclass(frozen=True)
class _Attempt:
    """What one try found. `dead_host` is set when a host gave no answer at all."""

    result: LinkResult
    retry: bool
    dead_host: tuple[str, str, int] | None = None


class _NoAnswer(Exception):
    """A request got no HTTP answer; carries the result and the host that failed."""

    def __init__(
        self, status: LinkStatus, detail: str, request_url: httpx.URL, *, garbled: bool = False
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.request_url = request_url
        self.garbled = garbled  # connected, but the answer was cut off or malformed


async def _check_all(urls: Sequence[str], settings: _Settings) -> dict[str, _Outcome]:
    """Check each distinct URL (fragments dropped) once, all in one client."""
    targets: dict[str, list[str]] = {}
    for url in urls:
        targets.setdefault(urldefrag(url).url, []).append(url)
    limits = httpx.Limits(
        max_connections=settings.concurrency,
        max_keepalive_connections=min(settings.concurrency, 20),
    )
    async with httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
        timeout=httpx.Timeout(settings.timeout),
        limits=limits,
        follow_redirects=False,  # followed by hand, to know which host of a chain failed
    ) as client:
        checker = _Checker(client, settings)
        outcomes = await asyncio.gather(*(checker.check(target) for target in targets))
    results: dict[str, _Outcome] = {}
    for (target, originals), outcome in zip(targets.items(), outcomes, strict=True):
        for url in originals:
            results[url] = _Outcome(_with_url(outcome.result, url, target), outcome.cacheable)
    return results


def _with_url(result: LinkResult, url: str, target: str) -> LinkResult:
    if url == target:
        return result
    return LinkResult(url, result.status, result.http_status, result.final_url, result.detail)


class _Checker:
    def __init__(self, client: httpx.AsyncClient, settings: _Settings) -> None:
        self._client = client
        self._settings = settings
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._dead_hosts: dict[tuple[str, str, int], LinkResult] = {}

    async def check(self, url: str) -> _Outcome:
        try:
            first = httpx.URL(url)
            host = first.host
        except (httpx.InvalidURL, ValueError) as exc:
            return _Outcome(LinkResult(url, LinkStatus.BROKEN, None, None, f"invalid URL ({exc})"))
        if not host:
            return _Outcome(LinkResult(url, LinkStatus.BROKEN, None, None, "invalid URL (no host)"))
        host_slots = self._host_slots.setdefault(host, asyncio.Semaphore(self._settings.per_host))

        # The host slot is kept through the retries (and their backoff): the host is not
        # asked more often meanwhile, and a host that gives no answer is known as dead
        # before its next URL is tried.
        async with host_slots:
            attempt: _Attempt | None = None
            for number in range(self._settings.retries + 1):
                if number:
                    await asyncio.sleep(self._settings.backoff * number)
                known = self._dead_hosts.get(_host_key(first))
                if known is not None:
                    inferred = LinkResult(url, known.status, None, None, known.detail)
                    return _Outcome(inferred, cacheable=False)
                try:
                    async with self._slots:
                        attempt = await self._attempt(url)
                except _DeadHost as dead:
                    inferred = LinkResult(url, dead.result.status, None, None, dead.detail)
                    return _Outcome(inferred, cacheable=False)
                if not attempt.retry:
                    break
            assert attempt is not None
            if attempt.dead_host is not None:
                self._dead_hosts.setdefault(attempt.dead_host, attempt.result)
            return _Outcome(attempt.result)

    async def _attempt(self, url: str) -> _Attempt:
        """HEAD first; GET when HEAD is answered with an error or mishandled, as many
        servers get HEAD wrong (405, 501, but also 403, 404 or 500, or a dropped
        connection). A 429 is not asked again with GET: that would only add to the load."""
        try:
            answer = await self._fetch("HEAD", url)
            if answer.status_code >= 400 and answer.status_code != 429:
                answer = await self._fetch("GET", url)
        except _NoAnswer as failure:
            if failure.garbled:
                try:
                    answer = await self._fetch("GET", url)
                except _NoAnswer as second:
                    return self._no_answer(url, second)
            else:
                return self._no_answer(url, failure)
        return _classify(url, answer)

    def _no_answer(self, url: str, failure: _NoAnswer) -> _Attempt:
        moved = _moved(url, failure.request_url)
        result = LinkResult(url, failure.status, None, moved, failure.detail)
        if failure.status is LinkStatus.BROKEN:  # a bad URL: asking again will not help
            return _Attempt(result, retry=False)
        return _Attempt(result, retry=True, dead_host=_host_key(failure.request_url))

    async def _fetch(self, method: str, url: str) -> _Answer:
        """One request and its redirect chain, within one per-request bound (DNS included:
        httpx's own timeouts do not cover getaddrinfo, asyncio.timeout does)."""
        request = self._client.build_request(method, url)
        redirected = False
        try:
            async with asyncio.timeout(self._settings.timeout):
                for _ in range(MAX_REDIRECTS + 1):
                    known = self._dead_hosts.get(_host_key(request.url))
                    if known is not None:
                        raise _DeadHost(known, request.url)
                    response = await self._client.send(request, stream=True)
                    await response.aclose()
                    following = response.next_request
                    if following is None or following.url.scheme not in _WEB_SCHEMES:
                        final = following.url if following is not None else request.url
                        moved = _moved(url, final) if following or redirected else None
                        return _Answer(response.status_code, response.reason_phrase, moved)
                    request = following
                    redirected = True
        except (TimeoutError, httpx.TimeoutException):
            detail = f"no answer within {self._settings.timeout:g} s"
            raise _NoAnswer(LinkStatus.TIMEOUT, detail, request.url) from None
        except httpx.UnsupportedProtocol as exc:
            raise _NoAnswer(LinkStatus.BROKEN, f"invalid URL ({exc})", request.url) from None
        except httpx.ConnectError as exc:
            raise _NoAnswer(LinkStatus.ERROR, _connect_failure(exc), request.url) from None
        except (httpx.ProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            detail = f"bad answer ({_short(exc)})"
            raise _NoAnswer(LinkStatus.ERROR, detail, request.url, garbled=True) from None
        except (httpx.TransportError, OSError) as exc:
            detail = f"connection failed ({_short(exc)})"
            raise _NoAnswer(LinkStatus.ERROR, detail, request.url) from None
        return _Answer(0, "", _moved(url, request.url))  # the loop ran out: too many redirects


class _DeadHost(Exception):
    """A redirect led to a host that already gave no answer in this run."""

    def __init__(self, result: LinkResult, request_url: httpx.URL) -> None:
        super().__init__(result.detail)
        self.result = result
        self.detail = result.detail
        self.request_url = request_url


@dataclass(frozen=True)
class _Answer:
    status_code: int  # 0: the redirect chain was too long
    reason: str
    moved_to: str | None  # where redirects led, if not back to the URL itself


def _classify(url: str, answer: _Answer) -> _Attempt:
    code = answer.status_code
    moved = answer.moved_to
    if code == 0:
        detail = f"more than {MAX_REDIRECTS} redirects"
        return _Attempt(LinkResult(url, LinkStatus.BROKEN, None, moved, detail), retry=False)
    detail = _status_text(code, answer.reason)
    if code < 400:
        status = LinkStatus.REDIRECTED if moved else LinkStatus.OK
        detail = f"redirected to {moved} ({detail})" if moved else detail
        return _Attempt(LinkResult(url, status, code, moved, detail), retry=False)
    retry = code in _RETRY_STATUSES
    if code in _REFUSED_CHECKS or code >= 600:
        detail = f"{detail}; the site refuses automated checks, check it by hand"
        return _Attempt(LinkResult(url, LinkStatus.ERROR, code, moved, detail), retry=retry)
    return _Attempt(LinkResult(url, LinkStatus.BROKEN, code, moved, detail), retry=retry)


def _moved(url: str, final: httpx.URL) -> str | None:
    """The final URL, unless it is the checked one (a redirect back to itself, as cookie
    checks do, or only a different spelling of it)."""
    return None if final == httpx.URL(url) else str(final)


def _status_text(code: int, reason: str) -> str:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = reason
    return f"{code} {phrase}".strip()


def _host_key(url: httpx.URL) -> tuple[str, str, int]:
    port = url.port if url.port is not None else (443 if url.scheme == "https" else 80)
    return (url.scheme, url.host, port)


def _connect_failure(exc: BaseException) -> str:
    """Name the cause of a failed connection in words an editor understands."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "DNS lookup failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not valid ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error ({cause.reason or cause})"
    text = _short(exc)
    if "refused" in text.lower():
        return "connection refused"
    if "name or service" in text.lower() or "nodename" in text.lower():
        return "DNS lookup failed"
    return f"could not connect ({text})"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                todo.append(linked)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _is_web_url(url: str) -> bool:
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        scheme = url.partition(":")[0]
    return scheme.lower() in _WEB_SCHEMES


# --------------------------------------------------------------------------- event loop


class _DaemonThreadExecutor(ThreadPoolExecutor):
    """The loop's executor, used only for getaddrinfo. Each call gets a daemon thread, and
    shutdown does not wait: a DNS lookup that hangs must not hold up the end of the run
    (asyncio.run would join it) nor the exit of the process."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        future: Future[_T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                value = fn(*args, **kwargs)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(value)

        threading.Thread(target=run, name="kennisbank-linkcheck-dns", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


def _run_in_own_loop(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run on a private event loop; in a thread of its own when this thread already runs one
    (a caller inside an async framework, or a test process where a browser driver left a loop)."""

    def run() -> _T:
        with asyncio.Runner() as runner:
            runner.get_loop().set_default_executor(_DaemonThreadExecutor(max_workers=1))
            return runner.run(coroutine)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    box: list[_T] = []
    failure: list[BaseException] = []

    def in_thread() -> None:
        try:
            box.append(run())
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    worker = threading.Thread(target=in_thread, name="kennisbank-linkcheck")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return box[0]


# --------------------------------------------------------------------------- cache


def _load_cache(path: Path) -> dict[str, tuple[float, LinkResult]]:
    """Read the cache; anything unreadable, corrupt or of another version counts as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    links = data.get("links")
    if not isinstance(links, dict):
        return {}
    entries: dict[str, tuple[float, LinkResult]] = {}
    for url, raw in links.items():
        parsed = _parse_entry(url, raw)
        if parsed is not None:
            entries[url] = parsed
    return entries


def _parse_entry(url: str, raw: object) -> tuple[float, LinkResult] | None:
    if not isinstance(raw, dict):
        return None
    checked, status, code = raw.get("checked"), raw.get("status"), raw.get("http_status")
    final, detail = raw.get("final_url"), raw.get("detail")
    if not isinstance(checked, int | float) or isinstance(checked, bool):
        return None
    if not (code is None or (isinstance(code, int) and not isinstance(code, bool))):
        return None
    if not (final is None or isinstance(final, str)) or not isinstance(detail, str):
        return None
    try:
        link_status = LinkStatus(status)
    except ValueError:
        return None
    return float(checked), LinkResult(url, link_status, code, final, detail, from_cache=True)


def _save_cache(path: Path, entries: Mapping[str, tuple[float, LinkResult]]) -> None:
    """Write atomically (temp file + os.replace) so an interrupted run leaves the old cache.
    A cache that cannot be written only costs a re-check next time, so it is logged, not
    raised."""
    links = {
        url: {
            "checked": checked,
            "status": result.status.value,
            "http_status": result.http_status,
            "final_url": result.final_url,
            "detail": result.detail,
        }
        for url, (checked, result) in entries.items()
    }
    text = json.dumps({"version": CACHE_VERSION, "links": links}, sort_keys=True, indent=1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
            Path(temp_name).replace(path)  # os.replace: atomic on POSIX and Windows
        except BaseException:
            with contextlib.suppress(OSError):
                Path(temp_name).unlink()
            raise
    except OSError as exc:
        _log.warning("could not write the link cache %s: %s", path, exc)
