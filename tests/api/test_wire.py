"""The engine's HTTP client (``api.wire``): answers parsed however the server frames and splits them.

A scripted server on 127.0.0.1 answers each request with the next reply of its script, sent in
pieces a few milliseconds apart, and closes the connection where the script says so.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from api.wire import Client, ConnectionLost, StaleConnection

CLOSE = b""  # in a script: close the connection instead of answering
CUT = b"<cut>"  # at the end of a reply: close the connection after sending it
BODY = (
    b'{"head":{"vars":["s"]},"results":{"bindings":['
    + b",".join([b'{"s":{"type":"literal","value":"x"}}'] * 40)
    + b"]}}"
)


def _chunked(body: bytes, size: int = 100, *, extension: bytes = b"", trailer: bytes = b"", end: bool = True) -> bytes:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\ntransfer-encoding: chunked\r\n\r\n"
    chunks = [
        b"%x%s\r\n%s\r\n" % (len(body[i : i + size]), extension, body[i : i + size]) for i in range(0, len(body), size)
    ]
    return head + b"".join(chunks) + (b"0\r\n" + trailer + b"\r\n" if end else b"")


def _sized(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)


@pytest.fixture
def server() -> Iterator[tuple[str, list[bytes], list[int]]]:
    """The URL of a server answering from its script (a list of replies), and the connections it accepted."""
    script: list[bytes] = []
    accepted: list[int] = []
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2)
            while not stop.is_set():
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(65536)
                    if not data:
                        return
                    request += data
                head, _, body = request.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                while len(body) < length:
                    body += conn.recv(65536)
                reply = script.pop(0) if script else CLOSE
                if reply == CLOSE:
                    return
                cut = reply.endswith(CUT)
                reply = reply.removesuffix(CUT)
                for i in range(0, len(reply), 700):  # in pieces, as a server writes while it computes
                    conn.sendall(reply[i : i + 700])
                    time.sleep(0.002)
                if cut or (b"content-length" not in reply and b"chunked" not in reply):
                    return

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(1)
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query", script, accepted
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


def _ask(url: str, times: int = 1, *, upto: int = 0) -> list[tuple[int, bytes]]:
    async def run() -> list[tuple[int, bytes]]:
        client = Client(url)
        answers = []
        try:
            for _ in range(times):
                response = await client.request("POST", "/query", b"ASK {}", upto=upto)
                try:
                    answers.append((response.status, await response.read()))
                finally:
                    response.close()
        finally:
            await client.aclose()
        return answers

    return asyncio.run(run())


@pytest.mark.parametrize("upto", [0, 64, 1 << 20])
@pytest.mark.parametrize(
    "reply",
    [
        _chunked(BODY),
        _chunked(BODY, size=7),
        _chunked(BODY, extension=b";name=value"),
        _chunked(BODY, trailer=b"x-trailer: 1\r\n"),
        _sized(BODY),
    ],
    ids=["chunked", "small-chunks", "chunk-extension", "trailer", "content-length"],
)
def test_a_body_reads_whole_however_it_is_framed_and_split(
    server: tuple[str, list[bytes], list[int]], reply: bytes, upto: int
) -> None:
    """Chunked (any chunk size, extensions, trailers) or sized, sent in pieces: the body, and the
    connection reused for the next request."""
    url, script, accepted = server
    script += [reply, reply]
    assert _ask(url, 2, upto=upto) == [(200, BODY), (200, BODY)]
    assert len(accepted) == 1


def test_a_body_that_ends_with_the_connection_reads_whole(server: tuple[str, list[bytes], list[int]]) -> None:
    """No length and not chunked: the body is what came before the server closed."""
    url, script, _ = server
    script.append(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n" + BODY)
    assert _ask(url) == [(200, BODY)]


@pytest.mark.parametrize(
    "reply",
    [_chunked(BODY, end=False), b"HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n" + BODY],
    ids=["chunked", "content-length"],
)
def test_a_body_cut_short_is_a_lost_connection(server: tuple[str, list[bytes], list[int]], reply: bytes) -> None:
    """The server closes before the body's end: ConnectionLost, never a short body."""
    url, script, _ = server
    script.append(reply + CUT)
    with pytest.raises(ConnectionLost):
        _ask(url)


def test_a_malformed_answer_is_a_lost_connection(server: tuple[str, list[bytes], list[int]]) -> None:
    """Bytes that are no HTTP answer: ConnectionLost."""
    url, script, _ = server
    script.append(b"SPARQL/9 fine thanks\r\n\r\n")
    with pytest.raises(ConnectionLost):
        _ask(url)


def test_a_reused_connection_closed_before_the_answer_is_stale(server: tuple[str, list[bytes], list[int]]) -> None:
    """The server drops a kept connection instead of answering: StaleConnection (the caller may retry)."""
    url, script, _ = server
    script += [_sized(b"first"), CLOSE]
    with pytest.raises(StaleConnection):
        _ask(url, 2)
