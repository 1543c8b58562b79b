"""Fetching the pages a user asks for, politely, and reading each as an ``Article``.

Polite means: a user agent that says who we are, a time limit per request, a size cap on every
body, robots.txt obeyed (RFC 9309: a missing robots.txt allows all, an erroring one forbids all),
one request at a time per host with at least ``delay`` seconds between them (longer if robots.txt
asks), and retries of timeouts, 429 and 5xx with exponential back-off (``Retry-After`` honoured).
Private, loopback and link-local addresses are refused unless ``allow_private`` is set, at every
redirect hop, so a URL cannot reach the services next to us. (The address is checked when resolved;
a DNS answer that changes between the check and the connection is not caught.)

Nothing else in the library touches the network: only the URLs a user names, their redirects and
their hosts' robots.txt are fetched.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

import httpx

from kg.articles import MAX_FILE_BYTES, Article, from_html
from kg.errors import EmptyArticle, FetchError, FetchRefused, FetchTimeout, UnsupportedFormat

USER_AGENT = "wwiikg/0.1 (research; +https://w3id.org/wwiikg)"
ROBOTS_AGENT = "wwiikg"
HTML_TYPES = ("text/html", "application/xhtml+xml")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT_S = 60.0  # the longest back-off or Retry-After we sit through
MIN_WORDS = 20  # fewer words than this on a web page is not an article


@dataclass(frozen=True)
class FetchPolicy:
    """How we fetch: identity, limits, pace and what we refuse."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    max_bytes: int = MAX_FILE_BYTES
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    allow_private: bool = False
    robots: bool = True


@dataclass(frozen=True)
class Page:
    """A fetched body: the URL it came from after redirects, its media type and charset."""

    url: str
    status: int
    media_type: str
    charset: str | None
    body: bytes


@dataclass
class _Host:
    last: float = float("-inf")
    delay: float = 0.0
    robots: RobotFileParser | None = None


@dataclass
class Fetcher:
    """An HTTP client that keeps the policy: one per run, so pace and robots.txt are per host."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            timeout=self.policy.timeout,
            follow_redirects=False,  # each hop is checked (address, robots.txt) before it is followed
            trust_env=False,
            headers={"User-Agent": self.policy.user_agent},
        )
        self._hosts: dict[str, _Host] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, accept: tuple[str, ...] | None = None) -> Page:
        """The body at ``url`` (redirects followed); ``accept`` limits the media types taken."""
        current = url
        for _ in range(self.policy.max_redirects + 1):
            target = self._check(current)
            if self.policy.robots and not self._robots(target).can_fetch(ROBOTS_AGENT, str(target)):
                raise FetchRefused(f"{current}: robots.txt of {target.host} disallows it")
            response, body = self._request(target)
            if response.is_redirect and "location" in response.headers:
                current = urljoin(str(target), response.headers["location"])
                continue
            if response.status_code >= 400:
                raise FetchError(f"{current}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if accept is not None and media not in accept:
                raise UnsupportedFormat(f"{current}: not a web page ({media or 'no media type'})")
            return Page(str(target), response.status_code, media, response.charset_encoding, body)
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _check(self, url: str) -> httpx.URL:
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchRefused(f"{url[:200]}: not a URL ({exc})") from None
        if target.scheme not in ("http", "https") or not target.host:
            raise FetchRefused(f"{url[:200]}: only http and https URLs are fetched")
        if not self.policy.allow_private:
            port = target.port or (443 if target.scheme == "https" else 80)
            for address in _addresses(target.host, port):
                if not address.is_global:
                    raise FetchRefused(
                        f"{url}: {target.host} is a private or loopback address ({address}); "
                        "allow it with --allow-private"
                    )
        return target

    def _robots(self, target: httpx.URL) -> RobotFileParser:
        host = self._host(target)
        if host.robots is None:
            parser = RobotFileParser()
            robots_url = str(target.copy_with(path="/robots.txt", query=None, fragment=None))
            try:
                response, body = self._request(httpx.URL(robots_url))
            except FetchTimeout:
                raise
            except FetchError as exc:  # a server error, after the retries: RFC 9309 says do not crawl
                raise FetchRefused(f"{target}: robots.txt of {target.host} cannot be read ({exc})") from None
            if response.status_code >= 500:
                parser.parse(["User-agent: *", "Disallow: /"])
            elif response.status_code >= 400 or response.is_redirect:
                parser.parse([])
            else:
                parser.parse(body.decode("utf-8", "replace").splitlines())
                crawl_delay = parser.crawl_delay(ROBOTS_AGENT)
                if crawl_delay is not None:
                    host.delay = min(float(crawl_delay), MAX_WAIT_S)
            host.robots = parser
        return host.robots

    def _host(self, target: httpx.URL) -> _Host:
        key = f"{target.scheme}://{target.netloc.decode('ascii')}"
        return self._hosts.setdefault(key, _Host())

    def _request(self, target: httpx.URL) -> tuple[httpx.Response, bytes]:
        """One GET with the host's pace, the size cap and retries with back-off."""
        host = self._host(target)
        attempt = 0
        while True:
            wait = host.last + max(self.policy.delay, host.delay) - self.clock()
            if wait > 0:
                self.sleep(wait)
            host.last = self.clock()
            retry_after: float | None = None
            try:
                response, body = self._read(target)
                if response.status_code not in RETRY_STATUSES:
                    return response, body
                retry_after = _retry_after(response.headers.get("retry-after"))
                failure: FetchError = FetchError(f"{target}: HTTP {response.status_code} {response.reason_phrase}")
            except httpx.TimeoutException:
                failure = FetchTimeout(f"{target}: no answer within {self.policy.timeout:g} s")
            except httpx.TransportError as exc:
                failure = FetchError(f"{target}: {_reason(exc)}")
            if attempt >= self.policy.retries:
                if attempt:
                    raise type(failure)(f"{failure} (after {attempt + 1} tries)")
                raise failure
            backoff = self.policy.backoff * 2**attempt
            self.sleep(min(max(backoff, retry_after or 0.0), MAX_WAIT_S))
            attempt += 1

    def _read(self, target: httpx.URL) -> tuple[httpx.Response, bytes]:
        limit = self.policy.max_bytes
        with self._client.stream("GET", target) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{target}: the body is larger than {limit:,} bytes")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{target}: the body is larger than {limit:,} bytes")
                chunks.append(chunk)
        return response, b"".join(chunks)


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    out = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        out.append(address)
    return out


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def page_article(page: Page, *, source: str | None = None) -> Article:
    """The article on a fetched (or archived) page: text, title, outlet and date from the page, the URL kept."""
    raw: str | bytes = page.body
    if page.charset:
        with contextlib.suppress(LookupError):  # an unknown charset name: trafilatura guesses from the bytes
            raw = page.body.decode(page.charset, "replace")
    article = from_html(raw, url=page.url, source=source or page.url)
    words = len(article.text.split())
    if words < MIN_WORDS:
        # on a page with no article, trafilatura's fallbacks return what is left: a menu item, a caption
        plural = "" if words == 1 else "s"
        raise EmptyArticle(f"no article text found on the page (only {words} word{plural} outside the page furniture)")
    return article


def fetch_article(fetcher: Fetcher, url: str) -> Article:
    """Fetch one web page and read its article; ``EmptyArticle`` when the page has none."""
    return page_article(fetcher.get(url, accept=HTML_TYPES), source=url)


__all__ = ["HTML_TYPES", "USER_AGENT", "FetchPolicy", "Fetcher", "Page", "fetch_article", "is_url", "page_article"]
