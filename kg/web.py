"""What a third-party HTTP client would do for ``kg.fetch``, done over the standard library's ``http.client``.

URLs normalised as browsers write them (scheme and host in lower case, IDNA, default port dropped,
unsafe characters percent-encoded, dot segments removed); gzip and deflate bodies decoded as they
arrive, under a size cap that holds for the decoded bytes too, so a compression bomb is refused;
the header values ``http.client`` leaves raw read (UTF-8 locations, charsets, ``Retry-After``);
host names resolved to the addresses a request would reach; certificates checked against certifi's
roots when it is installed, with no proxy or certificate setting taken from the environment.
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urlsplit

from kg.errors import FetchError

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
class Target:
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


def target(url: str) -> Target:
    """``url`` split and normalised; ``ValueError`` saying why when it is not a URL."""
    control = CONTROL.search(url)
    if control:  # urlsplit would drop tabs and newlines silently
        raise ValueError(f"a control character, {control.group()!r}")
    parts = urlsplit(url)  # lowers the scheme and the host; a bad port or IPv6 literal is a ValueError
    port = parts.port
    userinfo = parts.netloc.rpartition("@")[0]
    return Target(
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


def read_body(response: http.client.HTTPResponse, limit: int, target: Target) -> bytes:
    """The body with its content codings undone, refused as soon as the bytes read or the bytes
    decoded pass ``limit``."""
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


def _capped(pieces: Iterator[bytes], limit: int, target: Target) -> Iterator[bytes]:
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise FetchError(f"{target}: the body is larger than {limit:,} bytes")
        yield piece


def utf8(value: str | None) -> str | None:
    """A header value read as UTF-8 where it is (http.client decodes every header as Latin-1)."""
    if value is not None:
        with contextlib.suppress(UnicodeError):
            return value.encode("latin-1").decode("utf-8")
    return value


def charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type (quoted or not, any case), in lower case."""
    if content_type is None:
        return None
    message = email.message.Message()
    message["content-type"] = content_type
    return message.get_content_charset(None)


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses ``host`` resolves to, an IPv4 address written as IPv6 as the IPv4 it is, so
    the caller can refuse the ones it must not reach."""
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


@functools.cache
def tls_context() -> ssl.SSLContext:
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


__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_PORTS",
    "Target",
    "addresses",
    "charset",
    "read_body",
    "retry_after",
    "target",
    "tls_context",
    "utf8",
]
