"""Row caps and truncation checks on real Oxigraph serialisations (``api.results``, ``api.proxy``).

The cut must leave a well-formed answer whatever the literals hold, however the bytes are chunked;
and the way ``oxigraph serve`` ends a stream it cancels (measured here on the real binary) must be
recognised, so that such a body never goes out as a 200.
"""

from __future__ import annotations

import asyncio
import csv
import io
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi import HTTPException

from api.engine import free_port
from api.errors import status_for
from api.negotiation import GRAPH_FORMATS, RESULT_FORMATS
from api.proxy import HttpBackend, Job
from api.results import CANCELLED, Incomplete, RowLimiter, to_graph_format
from kg.errors import KGError

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
TRICKY = ['a},{"b', 'say "hi"', "two\nlines", "<result>x</result>", "a,b", "tab\there", "", "é ü 中"]
ROWS = 120
FORMATS = {f.key: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}


def _store() -> ox.Store:
    store = ox.Store()
    for i in range(ROWS):
        text = f"{TRICKY[i % len(TRICKY)]} {i}"
        store.add(
            ox.Quad(ox.NamedNode(f"http://example.org/s{i:03}"), ox.NamedNode("http://example.org/p"), ox.Literal(text))
        )
    return store


STORE = _store()
SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"


def _serialised(key: str) -> bytes:
    if key == "ntriples":
        return bytes(STORE.query("CONSTRUCT WHERE { ?s ?p ?o }").serialize(format=ox.RdfFormat.N_TRIPLES))
    fmt = getattr(ox.QueryResultsFormat, FORMATS[key].oxigraph)
    return bytes(STORE.query(SELECT).serialize(format=fmt))


def _rows(key: str, body: bytes) -> list[tuple[str, ...]]:
    if key == "csv":
        return [tuple(r) for r in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    if key == "ntriples":
        return [(str(q.subject), str(q.object)) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, FORMATS[key].oxigraph))
    return [tuple(str(row[v]) for v in parsed.variables) for row in parsed]  # type: ignore[union-attr]


def _feed(limiter: RowLimiter, body: bytes, size: int) -> None:
    for at in range(0, len(body), size):
        if limiter.feed(body[at : at + size]):
            return


@pytest.mark.parametrize("size", [1, 7, 4096])
@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv", "ntriples"])
def test_cut_keeps_exactly_the_first_rows_well_formed(key: str, size: int) -> None:
    """120 rows of tricky literals capped at 50, fed in any chunk size: the first 50 rows, still parseable."""
    body = _serialised(key)
    limiter = RowLimiter(key, 50)
    _feed(limiter, body, size)
    assert limiter.capped
    cut = limiter.finish()
    assert _rows(key, cut) == _rows(key, body)[:50]


@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv", "ntriples"])
def test_answers_within_the_cap_pass_through_unchanged(key: str) -> None:
    """An answer of 120 rows under a cap of 120 is returned byte for byte, not marked as cut."""
    body = _serialised(key)
    limiter = RowLimiter(key, ROWS)
    _feed(limiter, body, 1000)
    assert not limiter.capped
    assert limiter.finish() == body


@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv"])
def test_boolean_answers_are_complete(key: str) -> None:
    """ASK answers in every results format count as complete."""
    body = bytes(STORE.query("ASK {}").serialize(format=getattr(ox.QueryResultsFormat, FORMATS[key].oxigraph)))
    limiter = RowLimiter(key, 10, boolean=True)
    limiter.feed(body)
    assert limiter.finish() == body


@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv", "ntriples"])
def test_a_body_that_stops_early_is_incomplete(key: str) -> None:
    """The same answers cut mid-row, or with Oxigraph's cancel message appended, are Incomplete."""
    body = _serialised(key)
    for broken in (
        body[: body.index(b"say", len(body) // 2) + 2],  # in the middle of a literal
        body + CANCELLED,
        body[: body.rfind(b"\n", 0, len(body) - 2) + 1] + CANCELLED,
    ):
        limiter = RowLimiter(key, 1000)
        limiter.feed(broken)
        with pytest.raises(Incomplete):
            limiter.finish()


@pytest.mark.parametrize("key", ["turtle", "rdfxml", "jsonld"])
def test_graphs_convert_from_ntriples(key: str) -> None:
    """N-Triples converted by Oxigraph to Turtle, RDF/XML and JSON-LD hold the same triples."""
    body = _serialised("ntriples")
    out = to_graph_format(body, FORMATS[key])
    media = FORMATS[key].media_type
    triples = {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in ox.parse(out, format=ox.RdfFormat.from_media_type(media))
    }
    assert len(triples) == ROWS


# --- what oxigraph serve really sends when it cancels a query mid-stream ----------------------


@pytest.fixture(scope="module")
def cancelling_server() -> Iterator[str]:
    """An in-memory ``oxigraph serve --timeout-s 1`` holding 300 triples."""
    port = free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.05)
        data = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(300))
        httpx.post(
            f"{base}/store?default", content=data, headers={"Content-Type": "application/n-triples"}
        ).raise_for_status()
        yield base
    finally:
        proc.kill()
        proc.wait()


def test_oxigraph_serve_ends_a_cancelled_stream_with_a_200_and_its_message(cancelling_server: str) -> None:
    """A GROUP BY cancelled by --timeout-s is a 200 whose body ends with Oxigraph's message; it is Incomplete."""
    query = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?a"

    def ask(key: str) -> tuple[str, httpx.Response]:
        media = FORMATS[key].media_type
        return key, httpx.post(
            f"{cancelling_server}/query", data={"query": query}, headers={"Accept": media}, timeout=30
        )

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, ["json", "xml", "csv", "tsv"]))
    for key, response in answers:
        assert response.status_code == 200
        assert response.content.endswith(CANCELLED), (key, response.content[-80:])
        limiter = RowLimiter(key, 10_000)
        limiter.feed(response.content)
        with pytest.raises(Incomplete):
            limiter.finish()


@pytest.fixture
def fake_engine() -> Iterator[tuple[str, list[bytes]]]:
    """A SPARQL server on 127.0.0.1 that answers each query with the next canned raw HTTP response."""
    replies: list[bytes] = []
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                if replies:
                    conn.sendall(replies.pop(0))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query", replies
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


def _chunked(body: bytes, *, end: bool) -> bytes:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\ntransfer-encoding: chunked\r\n\r\n"
    return head + f"{len(body):x}\r\n".encode() + body + b"\r\n" + (b"0\r\n\r\n" if end else b"")


@pytest.mark.parametrize("ending", ["cancel-message", "connection-cut"])
def test_the_proxy_never_passes_a_truncated_answer(fake_engine: tuple[str, list[bytes]], ending: str) -> None:
    """A 200 that ends with Oxigraph's cancel message, or a connection cut mid-answer, becomes a 503."""
    url, replies = fake_engine
    rows = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"1"}}'
    replies.append(_chunked(rows + CANCELLED, end=True) if ending == "cancel-message" else _chunked(rows, end=False))

    async def run() -> None:
        backend = HttpBackend(url)
        try:
            job = Job("SELECT ?s WHERE { ?s ?p ?o }", FORMATS["json"], limit_s=5)
            await backend.run(job, asyncio.get_running_loop().time() + 5)
        finally:
            await backend.aclose()

    with pytest.raises((HTTPException, KGError)) as caught:
        asyncio.run(run())
    error = caught.value
    status = error.status_code if isinstance(error, HTTPException) else status_for(error)
    assert status == 503, error
