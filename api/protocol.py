"""The HTTP protocol the API runs on: uvicorn's httptools protocol, its refusals in our JSON error shape.

uvicorn answers a request it cannot parse with a bare ``400 Invalid HTTP request received.`` in plain
text, and httptools cannot parse a URL longer than 65,535 bytes at all, so a long ``GET /sparql``
query ended there. ``HttpProtocol`` answers a URL over ``MAX_URL_BYTES`` with 414 (send the query by
POST) as soon as the request line grows past it, without buffering the rest, and any other request
it cannot parse with 400, both in the one JSON shape of ``api.errors``. ``kg serve`` runs it; with
uvicorn itself: ``uvicorn api.main:create_app --factory --http api.protocol:HttpProtocol``.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import error_body

MAX_URL_BYTES = 65_535  # the most httptools.parse_url reads


class UrlTooLong(Exception):
    """Raised in the parser's URL callback to stop reading a request line that is too long."""


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with 414 for long URLs and JSON bodies for its own refusals."""

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


__all__ = ["MAX_URL_BYTES", "HttpProtocol"]
