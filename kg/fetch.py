"""Fetching the pages a user asks for, politely, and reading each as an ``Article``.

Polite means: a user agent that says who we are, a time limit per request, a size cap on every
body, robots.txt obeyed (RFC 9309: a missing robots.txt allows all, an erroring one forbids all),
one request at a time per host with at least ``delay`` seconds between them (longer if robots.txt
asks), and retries of timeouts, 429 and 5xx with exponential back-off (``Retry-After`` honoured).
Private, loopback and link-local addresses are refused unless ``allow_private`` is set, at every
redirect hop, so a URL cannot reach the services next to us. (The address is checked when resolved;
a DNS answer that changes between the check and the connection is not caught.)

Requests go out over the standard library's ``http.client``, one connection per request (polite
fetching is slow on purpose: there is nothing worth keeping alive). It is the library's one HTTP
stack: ``kg.backends.sparql.HttpPool`` sends SPARQL over it too, and no third-party HTTP client is
imported outside the store backends. So what such a client would do is done here: URLs normalised
as browsers write them (scheme and host in lower case, IDNA, default port dropped, unsafe characters
percent-encoded, dot segments removed), gzip and deflate bodies decoded as they arrive (the size cap
holds for the decoded bytes too, so a compression bomb is refused), certificates checked against
certifi's roots when it is installed, and no proxy or certificate setting taken from the environment.

Nothing else in the library touches the network: only the URLs a user names, their redirects and
their hosts' robots.txt are fetched.
"""

from __future__ import annotations

import base64
import contextlib
import email.message
import functools
import http.client
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from kg.articles import MAX_FILE_BYTES, Article, from_html
from kg.errors import EmptyArticle, FetchError, FetchRefused, FetchTimeout, UnsupportedFormat

USER_AGENT = "wwiikg/0.1 (research; +https://w3id.org/wwiikg)"
ROBOTS_AGENT = "wwiikg"
HTML_TYPES = ("text/html", "application/xhtml+xml")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_WAIT_S = 60.0  # the longest back-off or Retry-After we sit through
MIN_WORDS = 20  # fewer words than this on a web page is not an article
DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK_BYTES = 64 * 1024  # bodies are read and decoded in pieces this large, so the size cap stops them early
ACCEPT_ENCODING = "gzip, deflate"
# zlib window bits per content coding: 47 reads a gzip or a zlib header; "deflate" falls back to raw
INFLATE_WBITS = {"gzip": 47, "x-gzip": 47, "deflate": zlib.MAX_WBITS}
MAX_CODINGS = 4  # codings stacked on one body ("gzip, gzip"): more is an attack, not a page
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# what the WHATWG URL standard percent-encodes in each part, besides controls, space and non-ASCII
PATH_UNSAFE = '"#<>?`{}'
QUERY_UNSAFE = '"#<>'
FRAGMENT_UNSAFE = '"<>`'


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
class _Target:
    """A URL split and normalised as browsers write it: ``str`` of it is the URL we report."""

    scheme: str  # lower case
    host: str  # lower case, IDNA for a name; an IPv6 address without its brackets
    port: int | None  # None for the scheme's default
    userinfo: str  # "user:password", percent-encoded, or ""
    path: str
    query: str | None
    fragment: str | None

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        # always with the port: http.client reads a bare "::1" as host ":" and port 1
        return self.host, self.port or DEFAULT_PORTS.get(self.scheme, 80)

    @property
    def request_target(self) -> str:
        return (self.path or "/") + ("" if self.query is None else f"?{self.query}")

    @property
    def authorization(self) -> str | None:
        """Basic credentials from the URL's ``user:password@``, if it has them."""
        if not self.userinfo:
            return None
        user, _, password = self.userinfo.partition(":")
        return "Basic " + base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")

    def __str__(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        query = "" if self.query is None else f"?{self.query}"
        fragment = "" if self.fragment is None else f"#{self.fragment}"
        return f"{self.scheme}://{userinfo}{self.netloc}{self.path}{query}{fragment}"


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
            return Page(str(target), answer.status, media, _charset(answer.content_type), answer.body)
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _check(self, url: str) -> _Target:
        try:
            target = _target(url)
        except ValueError as exc:  # UnicodeError (a host IDNA cannot encode) is one too
            raise FetchRefused(f"{url[:200]}: not a URL ({exc})") from None
        if target.scheme not in DEFAULT_PORTS or not target.host:
            raise FetchRefused(f"{url[:200]}: only http and https URLs are fetched")
        if not self.policy.allow_private:
            for address in _addresses(*target.address):
                if not address.is_global:
                    raise FetchRefused(
                        f"{url}: {target.host} is a private or loopback address ({address}); "
                        "allow it with --allow-private"
                    )
        return target

    def _robots(self, target: _Target) -> RobotFileParser:
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

    def _host(self, target: _Target) -> _Host:
        return self._hosts.setdefault(f"{target.scheme}://{target.netloc}", _Host())

    def _request(self, target: _Target) -> _Answer:
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
                retry_after = _retry_after(answer.retry_after)
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

    def _read(self, target: _Target) -> _Answer:
        host, port = target.address
        connection = (
            http.client.HTTPSConnection(host, port, timeout=self.policy.timeout, context=_tls_context())
            if target.scheme == "https"
            else http.client.HTTPConnection(host, port, timeout=self.policy.timeout)
        )
        headers = {
            "User-Agent": self.policy.user_agent,
            "Accept": "*/*",
            "Accept-Encoding": ACCEPT_ENCODING,
            "Connection": "close",
        }
        if target.authorization:
            headers["Authorization"] = target.authorization
        self._open.add(connection)
        try:
            connection.request("GET", target.request_target, headers=headers)
            response = connection.getresponse()
            body = self._body(target, response)
        finally:
            connection.close()
            self._open.discard(connection)
        header = response.getheader  # a repeated header: its values joined by ", "
        return _Answer(
            response.status,
            response.reason,
            header("content-type"),
            _utf8(header("location")),
            header("retry-after"),
            body,
        )

    def _body(self, target: _Target, response: http.client.HTTPResponse) -> bytes:
        """The body with its content codings undone, refused as soon as the bytes read or the bytes
        decoded pass the size cap."""
        limit = self.policy.max_bytes
        declared = response.getheader("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{target}: the body is larger than {limit:,} bytes")
        # undone last-applied first; a coding we do not know (we never ask for one) is left on
        codings = [c.strip().lower() for c in response.getheader("content-encoding", "").split(",")]
        inflaters = [_Inflater(c) for c in reversed(codings) if c in INFLATE_WBITS]
        if len(inflaters) > MAX_CODINGS:
            raise FetchError(f"{target}: more than {MAX_CODINGS} content codings")
        raw = _capped(_chunks(response), limit, target)
        try:
            return b"".join(_capped(_decoded(raw, inflaters), limit, target))
        except zlib.error as exc:  # corrupt, not busy: not retried
            raise FetchError(f"{target}: the {', '.join(codings)} body cannot be decoded ({exc})") from None


class _Inflater:
    """One gzip or deflate coding undone as the body arrives, in pieces of at most ``CHUNK_BYTES``."""

    def __init__(self, coding: str) -> None:
        self._zlib = zlib.decompressobj(INFLATE_WBITS[coding])
        self._may_be_raw = coding == "deflate"  # servers send "deflate" zlib-wrapped (RFC 9110) and raw

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._zlib.decompress(data, CHUNK_BYTES)
            except zlib.error:
                if not self._may_be_raw:
                    raise
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._may_be_raw = False
                continue
            self._may_be_raw = False
            data = self._zlib.unconsumed_tail  # left over when the piece filled up
            if piece:
                yield piece

    def flush(self) -> bytes:
        return self._zlib.flush()


def _chunks(response: http.client.HTTPResponse) -> Iterator[bytes]:
    while data := response.read1(CHUNK_BYTES):
        yield data


def _decoded(chunks: Iterator[bytes], inflaters: Sequence[_Inflater]) -> Iterator[bytes]:
    """The chunks with every coding undone: piece by piece, so a compression bomb is read only up to the cap."""
    for chunk in chunks:
        yield from _undo(inflaters, chunk)
    for i, inflater in enumerate(inflaters):
        yield from _undo(inflaters[i + 1 :], inflater.flush())


def _undo(inflaters: Sequence[_Inflater], data: bytes) -> Iterator[bytes]:
    if not inflaters:
        if data:
            yield data
        return
    for piece in inflaters[0].feed(data):
        yield from _undo(inflaters[1:], piece)


def _capped(pieces: Iterator[bytes], limit: int, target: _Target) -> Iterator[bytes]:
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise FetchError(f"{target}: the body is larger than {limit:,} bytes")
        yield piece


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificates checked against certifi's roots when it is installed (the same roots on every
    machine), else the system's; made once, as reading the roots takes a while."""
    try:
        import certifi
    except ImportError:
        context = ssl.create_default_context()
    else:
        context = ssl.create_default_context(cafile=certifi.where())  # no SSL_CERT_FILE from the environment
    context.set_alpn_protocols(["http/1.1"])
    return context


def _target(url: str) -> _Target:
    """``url`` split and normalised; ``ValueError`` saying why when it is not a URL."""
    control = CONTROL.search(url)
    if control:  # urlsplit would drop tabs and newlines silently
        raise ValueError(f"a control character, {control.group()!r}")
    parts = urlsplit(url)  # lowers the scheme and the host; a bad port or IPv6 literal is a ValueError
    port = parts.port
    userinfo = parts.netloc.rpartition("@")[0]
    return _Target(
        scheme=parts.scheme,
        host=_ascii_host(parts.hostname or ""),
        port=None if port == DEFAULT_PORTS.get(parts.scheme) else port,
        userinfo=_escape(userinfo, PATH_UNSAFE + "/@"),
        path=_escape(_without_dots(parts.path), PATH_UNSAFE),
        query=_escape(parts.query, QUERY_UNSAFE) if parts.query else None,
        fragment=_escape(parts.fragment, FRAGMENT_UNSAFE) if parts.fragment else None,
    )


def _ascii_host(host: str) -> str:
    """A host name in ASCII: IDNA 2008 as browsers write it (the ``idna`` package, when
    installed; else the standard library's IDNA 2003, which differs on a few letters such as ß)."""
    if host.isascii():
        return host
    try:
        import idna
    except ImportError:
        return host.encode("idna").decode("ascii")
    return idna.encode(host).decode("ascii")


def _escape(text: str, unsafe: str) -> str:
    """``text`` with space, non-ASCII and ``unsafe`` characters percent-encoded as UTF-8; escapes kept."""
    return "".join(quote(c, safe="") if c in unsafe or not "!" <= c <= "~" else c for c in text)


def _without_dots(path: str) -> str:
    """The path with its ``.`` and ``..`` segments resolved (RFC 3986, 5.2.4): ``/a/./b/../c`` is ``/a/c``."""
    segments = path.split("/")
    if "." not in segments and ".." not in segments:
        return path
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # "/a/." is the directory "/a/"
    return "/".join(kept)


def _utf8(value: str | None) -> str | None:
    """A header value read as UTF-8 where it is (http.client decodes every header as Latin-1)."""
    if value is not None:
        with contextlib.suppress(UnicodeError):
            return value.encode("latin-1").decode("utf-8")
    return value


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type (quoted or not, any case), in lower case."""
    if content_type is None:
        return None
    message = email.message.Message()
    message["content-type"] = content_type
    return message.get_content_charset(None)


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
