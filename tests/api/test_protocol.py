"""``api.protocol``: uvicorn's request-response cycle with the response head written with the body's
first bytes (``OneWriteCycle``), whatever the response: sized, streamed, empty, HEAD, closing, cut."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from uvicorn.protocols.http.flow_control import FlowControl

from api.protocol import OneWriteCycle


class Transport:
    """What the cycle writes, one entry a write; and whether (and when) it was closed."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed_after: int | None = None

    def write(self, data: bytes) -> None:
        assert self.closed_after is None, "written after the close"
        self.writes.append(data)

    def close(self) -> None:
        self.closed_after = len(self.writes)

    def is_closing(self) -> bool:
        return self.closed_after is not None

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


def run(messages: list[dict[str, Any]], *, method: str = "GET", keep_alive: bool = True) -> tuple[Transport, list[int]]:
    """The cycle's writes for ``messages`` sent in turn, and how often it reported the response done."""
    transport, done = Transport(), []

    async def go() -> None:
        cycle = OneWriteCycle(
            scope={"type": "http", "method": method, "http_version": "1.1", "headers": []},  # type: ignore[typeddict-item]
            transport=transport,  # type: ignore[arg-type]
            flow=FlowControl(transport),  # type: ignore[arg-type]
            logger=logging.getLogger("test"),
            access_logger=logging.getLogger("test.access"),
            access_log=False,
            default_headers=[(b"server", b"test")],
            message_event=asyncio.Event(),
            expect_100_continue=False,
            keep_alive=keep_alive,
            on_response=lambda: done.append(len(transport.writes)),
        )
        for message in messages:
            await cycle.send(message)  # type: ignore[arg-type]

    asyncio.run(go())
    return transport, done


def start(*headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http.response.start", "status": 200, "headers": list(headers)}


def body(data: bytes, more: bool = False) -> dict[str, Any]:
    return {"type": "http.response.body", "body": data, "more_body": more}


def test_a_sized_response_goes_out_in_one_write() -> None:
    transport, done = run([start((b"content-length", b"5")), body(b"hello")])
    assert len(transport.writes) == 1
    head, _, rest = transport.writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\nserver: test\r\ncontent-length: 5") and rest == b"hello"
    assert done == [1]


def test_a_streamed_response_has_its_head_with_the_first_chunk_only() -> None:
    transport, _ = run([start(), body(b"ab", more=True), body(b"cd", more=True), body(b"")])
    assert len(transport.writes) == 3
    assert transport.writes[0].endswith(b"transfer-encoding: chunked\r\n\r\n2\r\nab\r\n")
    assert transport.writes[1:] == [b"2\r\ncd\r\n", b"0\r\n\r\n"]


@pytest.mark.parametrize(
    ("method", "keep_alive", "closed_after"),
    [("HEAD", True, None), ("HEAD", False, 1), ("GET", False, 1)],
)
def test_a_response_without_body_bytes_or_closing_still_sends_its_head_first(
    method: str, keep_alive: bool, closed_after: int | None
) -> None:
    """A HEAD answer (no body written) sends its head once the response is complete, before the
    close when the connection ends; so does a response that closes the connection."""
    data = b"" if method == "HEAD" else b"hello"
    transport, _ = run([start((b"content-length", b"5")), body(data)], method=method, keep_alive=keep_alive)
    assert len(transport.writes) == 1 and transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert transport.writes[0].endswith(b"\r\n\r\n" + data)
    assert transport.closed_after == closed_after
    assert b"connection: close" in transport.writes[0] or keep_alive


def test_uvicorn_checks_still_apply() -> None:
    """A body longer than its Content-Length is refused by uvicorn's own check, as without the held head."""
    with pytest.raises(RuntimeError, match="longer than Content-Length"):
        run([start((b"content-length", b"2")), body(b"hello")])
