"""Any SPARQL 1.1 Query + Update server: ``sparql:QUERY_URL[,UPDATE_URL]``, over pooled keep-alive connections.

Queries are POSTed as ``application/sparql-query``: SELECT and ASK answers are read as SPARQL JSON
(which keeps literals exactly; XML results fold ``\\r\\n``), graphs as N-Triples. A server's 400 is a
``QueryError`` with the server's first line; any other failure, and a server that cannot be reached
or does not answer within ``timeout_s``, a ``StoreError`` (``StoreUnreachable`` when the request
never got an answer, which a supervisor may retry: see ``kg.backends.engine``).

Whether the server evaluates SEP-0006 ``LATERAL`` is asked once, on first use.

Requests go out through ``HttpPool``, a few lines over the standard library's sockets and httptools'
parser (``http.client`` for HTTPS): a JSON list read is a query or two to a server on the same
machine, and httpx's request and response models cost 0.3 to 0.4 ms a request more, most of what
such a query takes; ``http.client``, 0.2 ms more.

Under ``answers_from(book)`` no request goes out: ``HttpPool.post`` answers from the book, or raises
``Unanswered`` with the request it needs. A caller with an asynchronous client of its own (the API's
event loop: ``api.reads``) runs the same reading code that way, fetches each missing answer without
blocking, and runs the code again until it completes.
"""

from __future__ import annotations

import http.client
import io
import json
import select
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httptools
from rdflib import Graph
from rdflib.query import Result

from kg.backends import Backend, Capabilities, StoreSpec, first_line, plain_value, register
from kg.errors import ConfigError, QueryError, StoreError, StoreUnwritable
from kg.sparql import is_graph_query

TIMEOUT_S = 60.0
LATERAL_PROBE = "SELECT ?x WHERE { BIND(1 AS ?x) LATERAL { SELECT ?y WHERE { BIND(?x AS ?y) } } }"
JSON_RESULTS = "application/sparql-results+json"
SPARQL_QUERY = "application/sparql-query"
NTRIPLES = "application/n-triples"


class StoreUnreachable(StoreError):
    """The server could not be reached, or dropped the connection before answering."""


@dataclass(frozen=True)
class Response:
    """An HTTP answer, read whole."""

    status_code: int
    headers: Mapping[str, str]  # names in lower case
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def _readable(sock: Any) -> bool:
    """Whether a socket has something to read now (on an idle keep-alive connection: the server's close)."""
    poller = select.poll()  # not select.select, which fails on descriptors past 1023
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


# what a request that got no answer raises: refused, reset, closed mid-answer, a broken status line
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)
READ_BYTES = 256 * 1024  # what one recv takes: a list read's answer is 5 to 60 KB


class _Answer:
    """httptools' callbacks: what an answer holds once its message is complete."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.head_done = False
        self.complete = False
        self.keep_alive = False
        self.parser = httptools.HttpResponseParser(self)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True
        self.keep_alive = self.parser.should_keep_alive()  # asked here: the parser forgets it after

    def ends_at_close(self) -> bool:
        """Whether the body is everything until the server closes (no length, not chunked)."""
        chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        return self.head_done and not chunked and "content-length" not in self.headers


class _Connection:
    """One plain-HTTP keep-alive connection. The request goes out in one write (headers and body:
    the server reads it whole at one wake-up, where ``http.client`` writes them apart) and the answer
    is parsed by httptools (C) from large reads: about 0.2 ms less a query to a server on the same
    machine than ``http.client``'s line-by-line reading of a chunked answer."""

    def __init__(self, host: str, port: int, timeout_s: float) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.sock: socket.socket | None = None

    def exchange(self, target: str, body: bytes, headers: Mapping[str, str]) -> tuple[Response, bool]:
        """The answer to one POST, and whether the connection must be closed after it."""
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout_s)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        lines = [f"POST {target} HTTP/1.1", f"Host: {host}:{self.port}", "Accept-Encoding: identity"]
        lines += [f"{k}: {v}" for k, v in headers.items()] + [f"Content-Length: {len(body)}", "", ""]
        self.sock.sendall("\r\n".join(lines).encode("latin-1") + body)
        answer = _Answer()
        while not answer.complete:
            data = self.sock.recv(READ_BYTES)
            if not data:
                if answer.ends_at_close():
                    break
                raise http.client.RemoteDisconnected("the server closed the connection before its answer ended")
            try:
                answer.parser.feed_data(data)
            except httptools.HttpParserError as exc:
                raise http.client.HTTPException(f"malformed answer: {exc}") from exc
        response = Response(answer.parser.get_status_code(), answer.headers, b"".join(answer.body))
        return response, not answer.keep_alive

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class _TlsConnection:
    """One HTTPS keep-alive connection, through ``http.client`` (remote servers)."""

    def __init__(self, host: str, port: int, timeout_s: float) -> None:
        self.conn = http.client.HTTPSConnection(host, port, timeout=timeout_s)

    @property
    def sock(self) -> Any:
        return self.conn.sock

    def exchange(self, target: str, body: bytes, headers: Mapping[str, str]) -> tuple[Response, bool]:
        self.conn.request("POST", target, body=body, headers=dict(headers))
        answer = self.conn.getresponse()
        content = answer.read()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, content), answer.will_close

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class Request:
    """A query as ``HttpPool.post`` would send it, for a caller that sends it another way."""

    url: str
    body: bytes
    headers: tuple[tuple[str, str], ...]

    @property
    def reads(self) -> bool:
        """A SPARQL query (not an update or anything else): safe to send again, from anywhere."""
        return any(k.lower() == "content-type" and v == SPARQL_QUERY for k, v in self.headers)


Book = dict[Request, Response | TimeoutError]
_BOOK: ContextVar[Book | None] = ContextVar("kg_backends_sparql_book", default=None)


class Unanswered(BaseException):
    """Raised by ``HttpPool.post`` under ``answers_from`` for a request the book does not answer.
    A ``BaseException``, so that no ``except Exception`` between the read and its caller mistakes it
    for a failure of the read."""

    def __init__(self, request: Request) -> None:
        super().__init__(request.url)
        self.request = request


@contextmanager
def answers_from(book: Book) -> Iterator[None]:
    """``HttpPool.post`` in this context (this thread or task) answers from ``book`` (a recorded
    ``Response``, or a ``TimeoutError`` to raise as a timed-out request would) and sends nothing:
    a request the book lacks raises ``Unanswered``."""
    token = _BOOK.set(book)
    try:
        yield
    finally:
        _BOOK.reset(token)


class HttpPool:
    """Keep-alive HTTP/1.1 connections, one request at a time each, shared by threads.

    ``post`` raises ``TimeoutError`` when the server does not answer within ``timeout_s`` and one of
    ``TRANSPORT_ERRORS`` when it cannot be reached or drops the connection. An idle connection the
    server has closed meanwhile is never reused (checked before each use), so a request is sent once.
    """

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._idle: dict[tuple[str, str, int], list[_Connection | _TlsConnection]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Response:
        book = _BOOK.get()
        if book is not None:
            request = Request(url, body, tuple(headers.items()))
            answer = book.get(request)
            if answer is None:
                raise Unanswered(request)
            if isinstance(answer, TimeoutError):
                raise answer
            return answer
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = self._take(key)
        try:
            response, will_close = conn.exchange(target, body, headers)
        except BaseException:
            conn.close()
            raise
        if will_close:
            conn.close()
        else:
            self._give(key, conn)
        return response

    def _take(self, key: tuple[str, str, int]) -> _Connection | _TlsConnection:
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                conn = idle.pop()
                if conn.sock is not None and not _readable(conn.sock):
                    return conn  # nothing to read on an idle connection: the server has not closed it
                conn.close()
        scheme, host, port = key
        return (_TlsConnection if scheme == "https" else _Connection)(host, port, self.timeout_s)

    def _give(self, key: tuple[str, str, int], conn: _Connection | _TlsConnection) -> None:
        with self._lock:
            if self._closed:
                conn.close()
            else:
                self._idle.setdefault(key, []).append(conn)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conns in self._idle.values():
                for conn in conns:
                    conn.close()
            self._idle.clear()


@register
class SparqlBackend(Backend):
    """A SPARQL 1.1 server we reach over HTTP."""

    kinds: ClassVar[tuple[str, ...]] = ("sparql",)

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout_s: float = TIMEOUT_S) -> None:
        self._query_url = query_url
        self._update_url = update_url or query_url
        self.timeout_s = timeout_s
        self._client = self._new_client()
        self._lateral: bool | None = None

    @classmethod
    def parse_spec(cls, kind: str, rest: str) -> StoreSpec:
        query_url, _, update_url = rest.partition(",")
        if not query_url.startswith(("http://", "https://")):
            raise ConfigError(f"store spec 'sparql:' needs a query URL, got {rest!r}")
        return StoreSpec("sparql", query_url=query_url, update_url=update_url or query_url)

    @classmethod
    def open(cls, spec: StoreSpec, *, read_only: bool = False) -> SparqlBackend:
        backend = cls(spec.query_url or "", spec.update_url)
        backend.read_only = read_only
        return backend

    @property
    def query_url(self) -> str:
        return self._query_url

    @property
    def update_url(self) -> str:
        return self._update_url

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(lateral=self.lateral_support())

    def lateral_support(self) -> bool:
        """Whether the server evaluates LATERAL: asked once (an unreachable server is asked again)."""
        if self._lateral is None:
            try:
                self._post(LATERAL_PROBE, JSON_RESULTS)
                self._lateral = True
            except QueryError:
                self._lateral = False
        return self._lateral

    # --- HTTP ---------------------------------------------------------------------------

    def _new_client(self) -> HttpPool:
        return HttpPool(self.timeout_s)

    def _post(self, text: str, accept: str, *, update: bool = False) -> Response:
        url = self.update_url if update else self.query_url
        media = "application/sparql-update" if update else SPARQL_QUERY
        try:
            response = self._client.post(url, text.encode("utf-8"), {"Content-Type": media, "Accept": accept})
        except TimeoutError as exc:
            raise StoreError(f"the SPARQL server did not answer within {self.timeout_s:g} s") from exc
        except TRANSPORT_ERRORS as exc:
            raise StoreUnreachable(f"SPARQL server unreachable: {first_line(exc)}") from exc
        if response.status_code == 400:
            what = "update" if update else "query"
            if update:
                raise StoreError(f"SPARQL server refused the {what}: {_reason(response)}")
            raise QueryError(f"malformed SPARQL: {_reason(response)}")
        if response.status_code not in (200, 204):
            raise StoreError(f"SPARQL server error {response.status_code}: {_reason(response)}")
        return response

    def _json(self, text: str) -> Any:
        response = self._post(text, JSON_RESULTS)
        try:
            return response.json()
        except ValueError as exc:
            raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {exc}") from exc

    # --- Backend ------------------------------------------------------------------------

    def select(self, text: str) -> list[dict[str, Any]]:
        body = self._json(text)
        try:
            return _rows(body["head"]["vars"], body["results"]["bindings"])
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {exc}") from exc

    def query(self, text: str) -> Result:
        if is_graph_query(text):
            response = self._post(text, NTRIPLES)
            graph = Graph()
            try:
                graph.parse(data=response.content.decode("utf-8"), format="nt")
            except Exception as exc:  # rdflib's parsers raise several unrelated types
                raise StoreError(f"the SPARQL server's graph is not N-Triples: {first_line(exc)}") from exc
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        response = self._post(text, JSON_RESULTS)
        try:
            return Result.parse(io.BytesIO(response.content), format="json")
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the SPARQL server's answer is not SPARQL JSON results: {exc}") from exc

    def construct(self, text: str, media_type: str) -> bytes | None:
        try:
            response = self._post(text, media_type)
        except StoreError as exc:
            if isinstance(exc, StoreUnreachable):
                raise
            return None  # e.g. 406: the server cannot write that format, rdflib will
        if response.headers.get("content-type", "").split(";")[0].strip() != media_type:
            return None
        return response.content

    def update(self, text: str) -> None:
        self._post(text, "*/*", update=True)

    def update_retrying(self, text: str, attempts: int, pause_s: float = 0.5) -> None:
        """One update, tried again with back-off while the server is unreachable or answers 5xx, 408
        or 429 (busy, not wrong); any other refusal is a ``StoreError`` at once, and the last of
        ``attempts`` failures a ``StoreUnwritable``. Writers that share a server use this: several
        cluster workers each post their own batches."""
        body = text.encode("utf-8")
        headers = {"Content-Type": "application/sparql-update", "Accept": "*/*"}
        why = ""
        for _ in range(attempts):
            try:
                answer = self._client.post(self.update_url, body, headers)
            except TimeoutError:
                why = f"no answer within {self.timeout_s:g} s"
            except TRANSPORT_ERRORS as exc:
                why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if answer.status_code < 300:
                    return
                detail = answer.text.strip()
                reason = f"HTTP {answer.status_code}" + (f": {first_line(detail)}" if detail else "")
                if answer.status_code < 500 and answer.status_code not in (408, 429):
                    raise StoreError(f"SPARQL server refused the update: {reason}")
                why = reason
            time.sleep(pause_s)
            pause_s *= 2
        raise StoreUnwritable(f"write failed: {self.update_url}: {why} (after {attempts} attempts)")

    def close(self) -> None:
        self._client.close()


def _reason(response: Response) -> str:
    text = response.text.strip()
    return first_line(text) if text else f"HTTP {response.status_code}"


_LITERALS = frozenset(("literal", "typed-literal"))


def _rows(names: list[str], bindings: list[dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each binding as a dict of every variable's plain value (None when unbound). Only the bound
    variables are visited: the list reads' rows bind a few of theirs (a page row or a total, from
    one UNION), and a lookup per variable and a call per value were a third of the time."""
    empty = dict.fromkeys(names)
    rows = []
    for binding in bindings:
        row = empty.copy()
        for name, term in binding.items():
            if name in row:
                if term["type"] in _LITERALS and (datatype := term.get("datatype")) is not None:
                    row[name] = plain_value(term["value"], datatype)
                else:
                    row[name] = term["value"]
        rows.append(row)
    return rows


def _value(binding: dict[str, Any] | None) -> Any:
    if binding is None:
        return None
    if binding["type"] not in ("literal", "typed-literal"):
        return binding["value"]
    return plain_value(binding["value"], binding.get("datatype"))


__all__ = [
    "SPARQL_QUERY",
    "TIMEOUT_S",
    "TRANSPORT_ERRORS",
    "Book",
    "HttpPool",
    "Request",
    "Response",
    "SparqlBackend",
    "StoreUnreachable",
    "Unanswered",
    "answers_from",
]
