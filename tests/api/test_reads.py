"""JSON reads on the event loop (``api.reads.on_loop``): the answer the worker thread would give,
or None (the caller reads in the thread) for whatever the loop must not or cannot do.

Over the session ``oxigraph serve`` (a ``sparql:`` store and ``api.proxy.HttpBackend`` on the same
server, as the app has them); the app's own reads over its engine child go this way in every
``kg_api`` test (``test_json_reads``, ``test_json_writes``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from api.proxy import HttpBackend
from api.reads import MAX_QUERIES, on_loop
from kg.errors import QueryError, StoreError
from kg.store import Store

pytestmark = pytest.mark.server

GRAPH = "urn:x-test:reads"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-test:reads> { ?s ?p ?o } }"


@pytest.fixture
def state(oxigraph_server: str) -> Iterator[SimpleNamespace]:
    """``app.state`` as the app has it over ``oxigraph_server``: the store and the /sparql backend."""
    base = oxigraph_server
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x:a> <urn:x:p> 1 . <urn:x:b> <urn:x:p> 2 }} }}"
    for text in (f"DROP SILENT GRAPH <{GRAPH}>", update):
        headers = {"Content-Type": "application/sparql-update"}
        httpx.post(f"{base}/update", content=text, headers=headers, timeout=10).raise_for_status()
    store = Store(f"sparql:{base}/query,{base}/update")
    try:
        yield SimpleNamespace(store=store, queries=HttpBackend(f"{base}/query"))
    finally:
        store.close()


def run_on_loop(state: SimpleNamespace, compute: Callable[[], Any]) -> Any:
    """``on_loop(state, compute)`` in a loop of its own, closing the connections it opened there."""

    async def run() -> Any:
        queries = state.queries
        try:
            return await on_loop(state, compute)
        finally:
            await queries.aclose()
            state.queries = HttpBackend(queries.query_url)

    return asyncio.run(run())


def loop_and_thread(state: SimpleNamespace, compute: Callable[[], Any]) -> tuple[Any, int | None, Any]:
    """``on_loop``'s result, the thread ``compute`` completed in there (None: not at all), and ``compute()``."""
    done: list[int] = []

    def traced() -> Any:
        result = compute()
        done.append(threading.get_ident())
        return result

    return run_on_loop(state, traced), done[0] if done else None, compute()


def test_a_read_runs_on_the_loop_and_answers_as_in_a_thread(state: SimpleNamespace) -> None:
    """A read of two queries (the second depends on the first) completes on the loop's own thread,
    with what the same code answers with blocking requests."""

    def read() -> list[dict[str, Any]]:
        n = state.store.backend.select(COUNT)[0]["n"]
        return state.store.backend.select(f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s <urn:x:p> {n} }} }}")

    on_the_loop, where, in_a_thread = loop_and_thread(state, read)
    assert on_the_loop == in_a_thread == [{"s": "urn:x:b"}]
    assert where == threading.get_ident()  # asyncio.run's loop runs in this thread


def test_a_store_read_with_its_named_queries_answers_alike(state: SimpleNamespace) -> None:
    """``Store.select`` (a named query, the server's LATERAL support asked on first use) on the loop."""
    on_the_loop, _, in_a_thread = loop_and_thread(state, lambda: state.store.select("article_count"))
    assert on_the_loop == in_a_thread


def test_a_refused_query_fails_as_in_a_thread(state: SimpleNamespace) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        loop_and_thread(state, lambda: state.store.backend.select("SELECT ?x WHERE {"))


def test_a_query_past_the_timeout_fails_as_in_a_thread(state: SimpleNamespace) -> None:
    """The book answers the read with the timeout, which the backend reports as a blocking request's."""
    state.store.backend.timeout_s = 0.0
    with pytest.raises(StoreError, match="did not answer within"):
        run_on_loop(state, lambda: state.store.backend.select(COUNT))


@pytest.mark.parametrize(
    "compute",
    [
        pytest.param(lambda s: s.store.backend.update(f"DROP GRAPH <{GRAPH}>"), id="a write"),
        pytest.param(
            lambda s: [s.store.backend.select(f"{COUNT} LIMIT {i + 1}") for i in range(MAX_QUERIES + 1)], id="queries"
        ),
    ],
)
def test_writes_and_long_reads_are_left_to_the_thread(state: SimpleNamespace, compute: Callable[[Any], Any]) -> None:
    """A write never goes out from the loop (nothing is written), nor a read of more than
    ``MAX_QUERIES`` queries: both are None, for the thread to run."""
    assert run_on_loop(state, lambda: compute(state)) is None
    assert state.store.backend.select(COUNT) == [{"n": 2}]


def test_another_server_or_a_broken_connection_is_left_to_the_thread(state: SimpleNamespace) -> None:
    """A query to a server the /sparql backend does not serve, or one that cannot be reached (an
    engine restarting, a dead port), is None: the thread's path waits and retries as it knows how."""
    state.queries = HttpBackend("http://127.0.0.1:9/query")  # nothing listens on the discard port
    assert run_on_loop(state, lambda: state.store.backend.select(COUNT)) is None
    state.store = Store("sparql:http://127.0.0.1:9/query")
    assert run_on_loop(state, lambda: state.store.backend.select(COUNT)) is None


def test_stores_not_served_over_http_are_left_to_the_thread() -> None:
    state = SimpleNamespace(store=Store("memory:"), queries=None)
    assert asyncio.run(on_loop(state, lambda: state.store.select("article_count"))) is None


def test_a_write_while_a_query_is_out_leaves_the_read_to_the_thread(state: SimpleNamespace) -> None:
    """The answers in the book may predate a write made through the store while a query was out; the
    next pass would take them for the store after it (a view's shape kept per ``Store.writes``): None."""
    read = state.queries.read

    async def with_a_write(*args: Any) -> Any:
        answer = await read(*args)
        state.store.writes += 1  # as Store._update counts a write that completed meanwhile
        return answer

    state.queries.read = with_a_write
    assert run_on_loop(state, lambda: state.store.backend.select(COUNT)) is None
