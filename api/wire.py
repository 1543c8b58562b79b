"""A small HTTP/1.1 client for SPARQL servers: pooled keep-alive connections, bodies read as they come.

``/sparql`` forwards every query, so the client is on the hot path. A general-purpose HTTP client
costs about 0.9 ms per request here (measured: 1,100 sequential requests/s against ``oxigraph serve``
on 127.0.0.1, 590/s with 1,000 in flight), more than Oxigraph needs to answer a lookup; this client does what the proxy
needs and nothing else, on an ``asyncio.Protocol`` with one receive buffer per connection. It speaks
HTTP/1.1 over TCP or TLS, sends ``Content-Length`` bodies, reads ``Content-Length``, chunked and
close-delimited bodies (decoding every chunk that has arrived at once), and keeps idle
connections for reuse (``IDLE_EXPIRY_S``). No redirects, proxies, cookies or compression (it asks
for ``identity``).

Failures are ``OSError`` subclasses, so a caller can tell a request that never left
(``ConnectFailed``: safe to retry) from one that broke after it was sent (``ConnectionLost``, and
its ``StaleConnection`` when a reused connection closed before any byte came back).
A response must be closed (``close``); one whose body was not read to the end closes its connection.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from urllib.parse import urlsplit

IDLE_CONNECTIONS = 64
IDLE_EXPIRY_S = 5.0  # well under servers' idle timeouts (oxigraph serve: 60 s), so reuse rarely races a close
MAX_HEAD_BYTES = 64 * 1024
HIGH_WATER_BYTES = 4 * 1024 * 1024


class ConnectFailed(OSError):
    """No connection could be made: the request was not sent."""


class ConnectionLost(OSError):
    """The connection broke after the request was sent (the server may have seen it)."""


class StaleConnection(ConnectionLost):
    """A reused keep-alive connection closed before any byte of the answer: the server may have
    closed it while idle, or died while working on the request; only the caller can tell."""


class _Connection(asyncio.Protocol):
    """One TCP connection: bytes received so far, and a way to wait for more."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reused = False
        self.idle_since = 0.0
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > HIGH_WATER_BYTES and self.transport is not None and not self._paused:
            self._paused = True  # the reader is behind: let TCP push back on the server
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def more(self) -> None:
        """Wait until more bytes arrive; ``ConnectionLost`` if the connection closes first."""
        if self.closed:
            raise ConnectionLost("the server closed the connection")
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None
        if self.closed and not self.buf:
            raise ConnectionLost("the server closed the connection")

    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class Response:
    """Status, headers (lower-cased byte names) and a body read with ``read_chunk`` or ``read``."""

    def __init__(self, client: Client, conn: _Connection, status: int, headers: dict[bytes, bytes]) -> None:
        self.status = status
        self.headers = headers
        self._client, self._conn = client, conn
        self._chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        length = headers.get(b"content-length")
        self._left = int(length) if length is not None and not self._chunked else -1
        self._keep = headers.get(b"connection", b"").lower() != b"close" and (self._chunked or self._left >= 0)
        self._done = status in (204, 304) or self._left == 0

    @property
    def content_type(self) -> str:
        return self.headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()

    async def read_chunk(self) -> bytes:
        """The next piece of the body (as much as has arrived); ``b""`` at its end."""
        conn = self._conn
        while not self._done:
            buf = conn.buf
            if self._chunked:
                data = self._dechunk(buf)
            elif self._left >= 0:
                data = bytes(buf[: self._left])
                del buf[: len(data)]
                self._left -= len(data)
                self._done = self._left == 0
            else:  # close-delimited
                data = bytes(buf)
                buf.clear()
                self._done = conn.closed
            if data or self._done:
                return data
            if conn.closed:
                if self._left < 0 and not self._chunked:
                    self._done = True
                    return b""
                raise ConnectionLost("the server closed the connection before the end of the body")
            await conn.more()
        return b""

    def _dechunk(self, buf: bytearray) -> bytes:
        """Every whole chunk in ``buf`` (removed from it); sets ``_done`` at the last chunk.

        Oxigraph sends results in chunks of about 1 KB (26 for a 100-row JSON answer), so this loop
        is on the hot path: one ``find`` and one ``int`` a chunk; a size line with an extension
        (``;name=value``, which Oxigraph never sends) takes the slower way."""
        pos, end, spans = 0, len(buf), list[tuple[int, int]]()
        while (eol := buf.find(b"\r\n", pos)) >= 0:
            try:
                size = int(buf[pos:eol], 16)
            except ValueError:
                size = _chunk_size(bytes(buf[pos:eol]))
            if size <= 0:
                if size < 0:  # int() reads a sign, which no size line has
                    raise ConnectionLost(f"malformed chunk size {bytes(buf[pos:eol])[:20]!r}")
                trailer = buf.find(b"\r\n\r\n", eol)  # the end, after any trailers
                if trailer >= 0:
                    pos, self._done = trailer + 4, True
                break
            start = eol + 2
            if end < start + size + 2:
                break
            spans.append((start, start + size))
            pos = start + size + 2
        if len(spans) == 1:
            data = bytes(buf[spans[0][0] : spans[0][1]])
        elif spans:
            with memoryview(buf) as view:
                data = b"".join([view[a:b] for a, b in spans])
        else:
            data = b""
        del buf[:pos]
        return data

    async def read(self) -> bytes:
        parts = []
        while chunk := await self.read_chunk():
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        """Give the connection back for reuse if the body was read whole, else close it."""
        conn, self._conn = self._conn, None  # type: ignore[assignment]
        if conn is None:
            return
        if self._done and self._keep and not conn.buf:
            self._client._release(conn)
        else:
            conn.close()


class Client:
    """Requests to one ``http://`` or ``https://`` origin over a pool of keep-alive connections."""

    def __init__(self, url: str, *, idle: int = IDLE_CONNECTIONS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = parts.path or "/"
        self._ssl = ssl.create_default_context() if parts.scheme == "https" else None
        default = (parts.scheme == "https" and self.port == 443) or (parts.scheme == "http" and self.port == 80)
        self._host_header = parts.netloc.rpartition("@")[2] if not default else self.host
        self._idle: list[_Connection] = []
        self._max_idle = idle
        self._closed = False

    async def request(
        self, method: str, target: str, body: bytes = b"", headers: list[tuple[str, str]] | None = None
    ) -> Response:
        """Send one request (``target`` is the path and query) and read the response head."""
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host_header}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers or ()]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        conn = await self._connection()
        try:
            assert conn.transport is not None
            conn.transport.write(message)
            while (end := conn.buf.find(b"\r\n\r\n")) < 0:
                if len(conn.buf) > MAX_HEAD_BYTES:
                    raise ConnectionLost("response head too large")
                try:
                    await conn.more()
                except ConnectionLost as exc:
                    if conn.reused and not conn.buf:
                        raise StaleConnection(str(exc)) from exc
                    raise
            head = bytes(conn.buf[: end + 4])
            del conn.buf[: end + 4]
            status, response_headers = _parse_head(head)
        except ValueError as exc:
            conn.close()
            raise ConnectionLost(f"malformed response head: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return Response(self, conn, status, response_headers)

    async def _connection(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if conn.usable() and now - conn.idle_since < IDLE_EXPIRY_S:
                conn.reused = True
                return conn
            conn.close()
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(_Connection, self.host, self.port, ssl=self._ssl)
        except OSError as exc:
            raise ConnectFailed(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        return conn

    def _release(self, conn: _Connection) -> None:
        if self._closed or len(self._idle) >= self._max_idle or not conn.usable():
            conn.close()
        else:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _chunk_size(line: bytes) -> int:
    """The size on a chunk's size line that ``int`` alone could not read: with an extension, or bad."""
    try:
        return int(line.split(b";")[0], 16)
    except ValueError:
        raise ConnectionLost(f"malformed chunk size {line[:20]!r}") from None


def _parse_head(head: bytes) -> tuple[int, dict[bytes, bytes]]:
    status_line, *lines = head[:-4].split(b"\r\n")
    version, _, rest = status_line.partition(b" ")
    if not version.startswith(b"HTTP/1."):
        raise ValueError(status_line[:80].decode("latin-1"))
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    return int(rest[:3]), headers


__all__ = ["Client", "ConnectFailed", "ConnectionLost", "Response", "StaleConnection"]
