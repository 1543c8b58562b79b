"""kg.backends.sparql.HttpPool: keep-alive connections, each request in one write, every way an answer
ends (a length, chunks, the server's close) read whole, and a server that drops or stalls an answer an
error the engine backend knows (a transport error, or a timeout), never a short answer."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from kg.backends.sparql import TRANSPORT_ERRORS, Book, HttpPool, Request, Response, Unanswered, answers_from

Answer = Callable[[bytes], list[bytes]]  # the request's body -> what the server writes, piece by piece
BODY = b'{"head":{"vars":[]},"results":{"bindings":[]}}' * 40


class Server:
    """A socket server answering each request with the pieces ``answer`` makes of its body; it keeps
    the connection (unless ``close``), and records the requests and the connections it accepted."""

    def __init__(self, answer: Answer, *, close: bool = False) -> None:
        self.answer, self.close = answer, close
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.first_reads: list[bytes] = []  # the first read of each request: all of it, sent in one write
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        with conn:
            pending = b""
            while True:
                time.sleep(0.01)  # the whole request is there by now, if it was written at once
                data = conn.recv(65536)
                if not data:
                    return
                self.first_reads.append(data)
                pending += data
                head, _, rest = pending.partition(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                while len(rest) < length:
                    rest += conn.recv(65536)
                pending = rest[length:]
                for piece in self.answer(rest[:length]):
                    conn.sendall(piece)
                    time.sleep(0.002)
                if self.close:
                    return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"


@pytest.fixture
def pool() -> Iterator[HttpPool]:
    pool = HttpPool(timeout_s=2.0)
    yield pool
    pool.close()


def with_length(body: bytes) -> list[bytes]:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(BODY + body)
    return [head, BODY[:100], BODY[100:] + body]


def chunked(body: bytes) -> list[bytes]:
    data = BODY + body
    pieces = [b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"]
    pieces += [b"%x\r\n%s\r\n" % (len(data[i : i + 700]), data[i : i + 700]) for i in range(0, len(data), 700)]
    return [*pieces, b"0\r\n\r\n"]


def until_close(body: bytes) -> list[bytes]:
    return [b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n", BODY, body]


@pytest.mark.parametrize("answer", [with_length, chunked])
def test_answers_are_read_whole_and_the_connection_kept(pool: HttpPool, answer: Answer) -> None:
    """An answer of a given length or in chunks is read whole, headers in lower case, and the next
    request goes out on the same connection, each request in one write."""
    server = Server(answer)
    for n in range(3):
        response = pool.post(server.url, b"SELECT %d" % n, {"Content-Type": "application/sparql-query"})
        assert (response.status_code, response.content) == (200, BODY + b"SELECT %d" % n)
        assert response.headers["content-type"] == "application/json"
    assert server.connections == 1
    assert all(read.endswith(b"\r\n\r\nSELECT %d" % n) for n, read in enumerate(server.first_reads))
    assert b"content-type: application/sparql-query\r\n" in server.first_reads[0].lower()


def test_an_answer_that_ends_at_the_close_is_read_whole_on_a_new_connection_each(pool: HttpPool) -> None:
    """An answer with neither length nor chunks ends where the server closes: read whole, and the
    connection not kept."""
    server = Server(until_close, close=True)
    for n in range(2):
        assert pool.post(server.url, b"ASK %d" % n, {}).content == BODY + b"ASK %d" % n
    assert server.connections == 2


@pytest.mark.parametrize("answer", [with_length, chunked])
def test_an_answer_cut_by_the_server_is_a_transport_error(pool: HttpPool, answer: Answer) -> None:
    """A server that closes the connection half-way through an answer raises a transport error (which
    the engine backend retries after a restart), never a short answer."""
    server = Server(lambda body: answer(body)[:2], close=True)
    with pytest.raises(TRANSPORT_ERRORS):
        pool.post(server.url, b"SELECT", {})


def test_a_server_that_does_not_answer_times_out(pool: HttpPool) -> None:
    """No answer within the pool's time limit: TimeoutError."""
    server = Server(lambda body: [time.sleep(3) or b""])  # type: ignore[func-returns-value]
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        pool.post(server.url, b"SELECT", {})
    assert time.monotonic() - start < 2.9


def test_a_server_that_is_not_there_is_a_transport_error(pool: HttpPool) -> None:
    """Connection refused: a transport error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TRANSPORT_ERRORS):
        pool.post(f"http://127.0.0.1:{port}/query", b"SELECT", {})


def test_under_a_book_requests_are_answered_from_it_and_none_goes_out(pool: HttpPool) -> None:
    """Under ``answers_from`` a request is answered from the book (or fails as recorded: a timeout),
    one the book lacks raises ``Unanswered`` with the request as it would have gone out, and nothing
    reaches the server; outside it, the same pool sends again."""
    server = Server(with_length)
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    book: Book = {}
    with answers_from(book), pytest.raises(Unanswered) as asked:
        pool.post(server.url, b"SELECT 1", headers)
    request = asked.value.request
    assert request == Request(server.url, b"SELECT 1", tuple(headers.items()))
    assert request.reads
    assert not Request(server.url, b"DROP ALL", (("Content-Type", "application/sparql-update"),)).reads
    book[request] = Response(200, {"content-type": "application/json"}, b"{}")
    book[Request(server.url, b"SELECT 2", tuple(headers.items()))] = TimeoutError("no answer")
    with answers_from(book):
        assert pool.post(server.url, b"SELECT 1", headers).content == b"{}"
        with pytest.raises(TimeoutError):
            pool.post(server.url, b"SELECT 2", headers)
    assert server.connections == 0
    assert pool.post(server.url, b"SELECT 1", headers).content == BODY + b"SELECT 1"
    assert server.connections == 1
