"""JSON list reads on the event loop: their queries go out on the app's asynchronous client, not
from a worker thread.

A cold list read is one query (two for some timeline pages) and about half a millisecond of Python
around it. Run in a worker thread (``anyio.to_thread``), it also pays two hand-offs between threads:
the loop wakes the worker, the worker wakes the loop. Each is a wait for a core to take the woken
thread, 0.2 ms together on this 2-core machine when idle (timed in the app), more when the cores are
busy, and it is the same again for every cold read.

``on_loop`` runs the read's own code (``kg.facts`` and the response model, unchanged) on the loop
under ``kg.backends.sparql.answers_from``: a query it posts that the book does not answer stops it
(``Unanswered``); the query goes out on ``api.proxy.HttpBackend``'s pooled connections while the
loop serves other requests, and the read runs again with the answer in its book, until it
completes. Running again repeats only the Python before the query (building its text). The read's
Python runs on the loop instead of in a thread, which costs other requests nothing: in a thread it
would hold the GIL all the same.

Only for queries to the server ``HttpBackend`` serves (the engine child, or a ``sparql:`` server),
and at most ``MAX_QUERIES`` of them. Anything else ends the attempt (``None``) and the caller runs
the read in a worker thread as before: a write, a query to another server, an engine that is
restarting or a connection that broke on the way (the thread waits out a restart and retries, as
``kg.backends.engine`` does), or a write through the store while a query was out (the book's answers
may predate it, and the next pass would take them for the store after it: ``Store.writes``). A query
that does not answer within the store's timeout fails as it would in the thread (the book answers the
read with the ``TimeoutError``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from api.proxy import HttpBackend
from kg.backends.sparql import Book, SparqlBackend, Unanswered, answers_from

MAX_QUERIES = 4  # a list read asks one or two; more, and the thread's single pass is cheaper
T = TypeVar("T")


async def on_loop(state: Any, compute: Callable[[], T]) -> T | None:
    """``compute()`` (a read of ``state.store``) run on the loop, its queries sent asynchronously;
    None when it cannot be (see the module docstring): then run it in a worker thread."""
    queries = getattr(state, "queries", None)
    backend = getattr(getattr(state, "store", None), "backend", None)
    if not isinstance(queries, HttpBackend) or not isinstance(backend, SparqlBackend):
        return None
    book: Book = {}
    deadline = asyncio.get_running_loop().time() + backend.timeout_s
    writes = state.store.writes
    while True:
        try:
            with answers_from(book):
                return compute()
        except Unanswered as need:
            request = need.request
        if len(book) >= MAX_QUERIES or not request.reads or request.url != queries.query_url:
            return None
        try:
            book[request] = await queries.read(request, deadline)
        except TimeoutError as exc:  # answered as the thread's request would be: it timed out
            book[request] = exc
        except OSError:
            return None
        if state.store.writes != writes:  # the book may hold answers from before a write the next pass sees
            return None


__all__ = ["MAX_QUERIES", "on_loop"]
