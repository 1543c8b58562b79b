"""The HTTP protocol the API runs on: uvicorn's httptools protocol, its refusals in our JSON error shape.

uvicorn answers a request it cannot parse with a bare ``400 Invalid HTTP request received.`` in plain
text, and httptools cannot parse a URL longer than 65,535 bytes at all, so a long ``GET /sparql``
query ended there. ``HttpProtocol`` answers a URL over ``MAX_URL_BYTES`` with 414 (send the query by
POST) as soon as the request line grows past it, without buffering the rest, and any other request
it cannot parse with 400, both in the one JSON shape of ``api.errors``. ``kg serve`` runs it; with
uvicorn itself: ``uvicorn api.main:create_app --factory --http api.protocol:HttpProtocol``.

It also hands requests to ``/sparql`` to the app's ``sparql_direct`` entry (``api.main.App``), which
answers queries before the middleware uvicorn wraps the app in and the app's own layers: about 15 us
of a lookup's ~120 us in the API. Every other request, and the whole app under any other protocol
(the tests' in-process clients), goes the usual way.

And it writes each response's head with the first bytes of its body, in one write (``OneWriteCycle``):
uvicorn writes the head as soon as the app starts the response, then the body. To a client waiting
for the answer, each write is a wake-up: on this 2-core VM the head's write call alone took 0.3 to
0.4 ms (``strace -T``, cold JSON reads of 43 KB; one write of head and body: 0.04 to 0.09 ms), and
the client woke twice.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn._types import ASGI3Application, ASGISendEvent  # uvicorn's own types (not exported elsewhere)
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from api.errors import error_body

MAX_URL_BYTES = 65_535  # the most httptools.parse_url reads
SPARQL_PATH = "/sparql"
_direct: dict[int, tuple[ASGI3Application, ASGI3Application]] = {}  # id(the server's app) -> (it, its /sparql entry)


def sparql_entry(app: ASGI3Application) -> ASGI3Application:
    """What answers /sparql requests for ``app`` (the server's app, in uvicorn's middleware): the
    ``sparql_direct`` entry of the app found by following ``.app`` inward, else ``app`` itself."""
    known = _direct.get(id(app))
    if known is not None and known[0] is app:
        return known[1]
    inner: object = app
    while inner is not None and not hasattr(inner, "sparql_direct"):
        inner = getattr(inner, "app", None)
    entry = inner.sparql_direct(app) if inner is not None else app  # type: ignore[attr-defined]
    _direct[id(app)] = (app, entry)
    return entry


class _Head:
    """Stands in for the transport while uvicorn writes a response's head: keeps what it writes."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class _WithHead:
    """Stands in for the transport while uvicorn writes a body: the kept head goes out with the first
    write, or alone before the transport is closed."""

    def __init__(self, transport: asyncio.Transport, head: bytes) -> None:
        self.transport = transport
        self.head = head

    def write(self, data: bytes) -> None:
        head, self.head = self.head, b""
        self.transport.write(head + data if head else data)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def flush(self) -> None:
        if self.head:
            head, self.head = self.head, b""
            if not self.transport.is_closing():
                self.transport.write(head)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class OneWriteCycle(RequestResponseCycle):
    """uvicorn's request-response cycle, the response head written with the body's first bytes.

    ``send`` is uvicorn's (its checks, framing, keep-alive, flow control) with the transport stood in
    for: the head is kept when the app starts the response, and written with the body's first write,
    or alone once the response is complete without one (a HEAD request) or before a close."""

    held: bytes = b""

    async def send(self, message: ASGISendEvent) -> None:
        transport = self.transport
        if message["type"] == "http.response.start" and not self.response_started:
            head = _Head(transport)
            self.transport = head  # type: ignore[assignment]
            try:
                await super().send(message)
            finally:
                self.transport, self.held = transport, b"".join(head.parts)
            return
        if not self.held:
            await super().send(message)
            return
        body = _WithHead(transport, self.held)
        self.transport = body  # type: ignore[assignment]
        try:
            await super().send(message)
        finally:
            self.transport, self.held = transport, body.head
            if self.held and (self.response_complete or self.disconnected):
                body.flush()
                self.held = b""


class UrlTooLong(Exception):
    """Raised in the parser's URL callback to stop reading a request line that is too long."""


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with 414 for long URLs and JSON bodies for its own refusals."""

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        if app is self.app and cycle.scope["path"] == SPARQL_PATH:  # not uvicorn's 503 (limit_concurrency)
            app = sparql_entry(app)
        if type(cycle) is RequestResponseCycle:  # made by uvicorn's on_headers_complete, not yet run
            cycle.__class__ = OneWriteCycle
        super()._start_asgi_task(cycle, app)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_URL_BYTES:
            raise UrlTooLong  # surfaces from feed_data as an HttpParserError: send_400_response answers

    def send_400_response(self, msg: str) -> None:
        if len(getattr(self, "url", b"")) > MAX_URL_BYTES:
            status, detail = 414, f"the URL is longer than {MAX_URL_BYTES} bytes; send a long query by POST"
        else:
            status, detail = 400, msg.rstrip(".")
        body = json.dumps(error_body(status, detail)).encode("utf-8")
        reason = b"URI Too Long" if status == 414 else b"Bad Request"
        content = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: %d\r\n" % len(body),
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()


__all__ = ["MAX_URL_BYTES", "HttpProtocol", "OneWriteCycle", "sparql_entry"]
