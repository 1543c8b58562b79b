"""A small HTTP/1.1 client for SPARQL servers: pooled keep-alive connections, bodies read chunk by chunk.

``/sparql`` forwards every query, so the client is on the hot path. httpx costs about 0.9 ms per
request here (measured: 1,100 sequential requests/s against ``oxigraph serve`` on 127.0.0.1, 590/s
with 1,000 in flight), more than Oxigraph needs to answer a lookup; this client does what the proxy
needs and nothing else. It speaks HTTP/1.1 over TCP or TLS, sends ``Content-Length`` bodies, reads
``Content-Length``, chunked and close-delimited bodies, and keeps idle connections for reuse. No
redirects, proxies, cookies or compression (it asks for ``identity``).

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


class ConnectFailed(OSError):
    """No connection could be made: the request was not sent."""


class ConnectionLost(OSError):
    """The connection broke after the request was sent (the server may have seen it)."""


class StaleConnection(ConnectionLost):
    """A reused keep-alive connection closed before any byte of the answer: the server may have
    closed it while idle, or died while working on the request; only the caller can tell."""


class _Connection:
    __slots__ = ("idle_since", "reader", "reused", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.reused, self.idle_since = reader, writer, False, 0.0

    def usable(self) -> bool:
        return not self.writer.is_closing() and not self.reader.at_eof()

    def close(self) -> None:
        self.writer.close()


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
        self._raw = bytearray()

    @property
    def content_type(self) -> str:
        return self.headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()

    async def read_chunk(self) -> bytes:
        """The next piece of the body (as much as has arrived); ``b""`` at its end."""
        if self._done:
            return b""
        reader = self._conn.reader
        try:
            if self._chunked:
                return await self._read_chunked(reader)
            if self._left > 0:
                data = await reader.read(min(self._left, 1 << 16))
                if not data:
                    raise ConnectionLost("the server closed the connection before the end of the body")
                self._left -= len(data)
                if self._left == 0:
                    self._end()
                return data
            data = await reader.read(1 << 16)  # close-delimited
            return data or self._end()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            raise ConnectionLost(f"malformed or cut response body: {exc}") from exc
        except ConnectionError as exc:
            raise ConnectionLost(str(exc) or type(exc).__name__) from exc

    async def _read_chunked(self, reader: asyncio.StreamReader) -> bytes:
        # decode every whole chunk that has arrived, so a response costs a few reads, not two per chunk
        buf = self._raw
        while True:
            pos, spans, end = 0, list[tuple[int, int]](), False
            while (eol := buf.find(b"\r\n", pos)) >= 0:
                line = buf[pos:eol]
                size = int(line.split(b";")[0] if b";" in line else line, 16)
                if size == 0:
                    trailer = buf.find(b"\r\n\r\n", eol)  # the end, after any trailers
                    if trailer >= 0:
                        pos, end = trailer + 4, True
                    break
                if len(buf) < eol + size + 4:
                    break
                spans.append((eol + 2, eol + 2 + size))
                pos = eol + size + 4
            if spans:
                with memoryview(buf) as view:
                    data = b"".join([view[a:b] for a, b in spans])
            else:
                data = b""
            del buf[:pos]
            if end:
                self._end()
                return data
            if data:
                return data
            more = await reader.read(1 << 16)
            if not more:
                raise ConnectionLost("the server closed the connection before the end of the body")
            buf += more

    async def read(self) -> bytes:
        parts = []
        while chunk := await self.read_chunk():
            parts.append(chunk)
        return b"".join(parts)

    def _end(self) -> bytes:
        self._done = True
        return b""

    def close(self) -> None:
        """Give the connection back for reuse if the body was read whole, else close it."""
        if self._conn is None:
            return
        conn, self._conn = self._conn, None  # type: ignore[assignment]
        if self._done and self._keep:
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
            conn.writer.write(message)
            await conn.writer.drain()
            head = await conn.reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            conn.close()
            why = str(exc) or type(exc).__name__
            if conn.reused and (isinstance(exc, ConnectionError) or not getattr(exc, "partial", b"")):
                raise StaleConnection(why) from exc
            raise ConnectionLost(why) from exc
        except BaseException:
            conn.close()
            raise
        try:
            status, response_headers = _parse_head(head)
        except ValueError as exc:
            conn.close()
            raise ConnectionLost(f"malformed response head: {exc}") from exc
        return Response(self, conn, status, response_headers)

    async def _connection(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if conn.usable() and now - conn.idle_since < IDLE_EXPIRY_S:
                conn.reused = True
                return conn
            conn.close()
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port, ssl=self._ssl)
        except OSError as exc:
            raise ConnectFailed(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        return _Connection(reader, writer)

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
