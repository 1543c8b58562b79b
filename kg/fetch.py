"""Fetching the pages a user asks for, politely, and reading each as an ``Article``.

Polite means: a user agent that says who we are, a time limit per request, a size cap on every
body, robots.txt obeyed (RFC 9309: a missing robots.txt allows all, an erroring one forbids all),
one request at a time per host with at least ``delay`` seconds between them (longer if robots.txt
asks), and retries of timeouts, 429 and 5xx with exponential back-off (``Retry-After`` honoured).
Private, loopback and link-local addresses are refused unless ``allow_private`` is set, at every
redirect hop, so a URL cannot reach the services next to us. (The address is checked when resolved;
a DNS answer that changes between the check and the connection is not caught.)

Requests go out over the standard library's ``http.client``, one connection per request (polite
fetching is slow on purpose: there is nothing worth keeping alive). ``kg.backends.sparql.HttpPool``
sends SPARQL over it to HTTPS servers (to others over sockets and httptools' parser), and no
third-party HTTP client is imported outside the store backends. What such a client would do (URLs
normalised as browsers write them, gzip and deflate decoded under the size cap, certificates
checked) is done in ``kg.web``.

Nothing else in the library touches the network: only the URLs a user names, their redirects and
their hosts' robots.txt are fetched.
"""

from __future__ import annotations

import contextlib
import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

from kg import web
from kg.articles import MAX_FILE_BYTES, Article, from_html
from kg.errors import EmptyArticle, FetchError, FetchRefused, FetchTimeout, UnsupportedFormat

USER_AGENT = "wwiikg/0.1 (research; +https://w3id.org/wwiikg)"
ROBOTS_AGENT = "wwiikg"
HTML_TYPES = ("text/html", "application/xhtml+xml")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
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


@dataclass(frozen=True)
class _Answer:
    """A response read whole: its status line, the headers we act on and the decoded body."""

    status: int
    reason: str
    content_type: str | None
    location: str | None
    retry_after: str | None
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
        self._hosts: dict[str, _Host] = {}
        self._open: set[http.client.HTTPConnection] = set()  # the connection of a request under way

    def close(self) -> None:
        while self._open:
            self._open.pop().close()

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
            answer = self._request(target)
            if answer.status in REDIRECT_STATUSES and answer.location is not None:
                current = urljoin(str(target), answer.location)
                continue
            if answer.status >= 400:
                raise FetchError(f"{current}: HTTP {answer.status} {answer.reason}".rstrip())
            media = (answer.content_type or "").split(";")[0].strip().lower()
            if accept is not None and media not in accept:
                raise UnsupportedFormat(f"{current}: not a web page ({media or 'no media type'})")
            return Page(str(target), answer.status, media, web.charset(answer.content_type), answer.body)
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _check(self, url: str) -> web.Target:
        try:
            target = web.target(url)
        except ValueError as exc:  # UnicodeError (a host IDNA cannot encode) is one too
            raise FetchRefused(f"{url[:200]}: not a URL ({exc})") from None
        if target.scheme not in web.DEFAULT_PORTS or not target.host:
            raise FetchRefused(f"{url[:200]}: only http and https URLs are fetched")
        if not self.policy.allow_private:
            for address in web.addresses(*target.address):
                if not address.is_global:
                    raise FetchRefused(
                        f"{url}: {target.host} is a private or loopback address ({address}); "
                        "allow it with --allow-private"
                    )
        return target

    def _robots(self, target: web.Target) -> RobotFileParser:
        host = self._host(target)
        if host.robots is None:
            parser = RobotFileParser()
            try:
                answer = self._request(replace(target, path="/robots.txt", query=None, fragment=None))
            except FetchTimeout:
                raise
            except FetchError as exc:  # a server error, after the retries: RFC 9309 says do not crawl
                raise FetchRefused(f"{target}: robots.txt of {target.host} cannot be read ({exc})") from None
            if answer.status >= 500:
                parser.parse(["User-agent: *", "Disallow: /"])
            elif answer.status >= 400 or (answer.status in REDIRECT_STATUSES and answer.location is not None):
                parser.parse([])
            else:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
                crawl_delay = parser.crawl_delay(ROBOTS_AGENT)
                if crawl_delay is not None:
                    host.delay = min(float(crawl_delay), MAX_WAIT_S)
            host.robots = parser
        return host.robots

    def _host(self, target: web.Target) -> _Host:
        return self._hosts.setdefault(f"{target.scheme}://{target.netloc}", _Host())

    def _request(self, target: web.Target) -> _Answer:
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
                answer = self._read(target)
                if answer.status not in RETRY_STATUSES:
                    return answer
                retry_after = web.retry_after(answer.retry_after)
                failure: FetchError = FetchError(f"{target}: HTTP {answer.status} {answer.reason}")
            except TimeoutError:  # connecting or waiting for bytes (socket.timeout is TimeoutError)
                failure = FetchTimeout(f"{target}: no answer within {self.policy.timeout:g} s")
            except (OSError, http.client.HTTPException) as exc:  # refused, reset, TLS, a broken answer
                failure = FetchError(f"{target}: {_reason(exc)}")
            if attempt >= self.policy.retries:
                if attempt:
                    raise type(failure)(f"{failure} (after {attempt + 1} tries)")
                raise failure
            backoff = self.policy.backoff * 2**attempt
            self.sleep(min(max(backoff, retry_after or 0.0), MAX_WAIT_S))
            attempt += 1

    def _read(self, target: web.Target) -> _Answer:
        host, port = target.address
        connection = (
            http.client.HTTPSConnection(host, port, timeout=self.policy.timeout, context=web.tls_context())
            if target.scheme == "https"
            else http.client.HTTPConnection(host, port, timeout=self.policy.timeout)
        )
        headers = {
            "User-Agent": self.policy.user_agent,
            "Accept": "*/*",
            "Accept-Encoding": web.ACCEPT_ENCODING,
            "Connection": "close",
        }
        if target.authorization:
            headers["Authorization"] = target.authorization
        self._open.add(connection)
        try:
            connection.request("GET", target.request_target, headers=headers)
            response = connection.getresponse()
            body = web.read_body(response, self.policy.max_bytes, target)
        finally:
            connection.close()
            self._open.discard(connection)
        header = response.getheader  # a repeated header: its values joined by ", "
        return _Answer(
            response.status,
            response.reason,
            header("content-type"),
            web.utf8(header("location")),
            header("retry-after"),
            body,
        )


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
