"""Where a screened /sparql query runs, with a time limit, a row cap and no truncated 200s.

``open_backend(settings, state)`` picks the backend from the store spec and sets ``state.store``
(the ``Store`` the JSON routes use through ``StoreDep``) and ``state.queries`` (the backend):

- ``oxigraph:PATH`` -> ``HttpBackend`` over a supervised ``oxigraph serve`` child (``api.engine``)
  that owns the store; ``state.store`` is a ``Store`` over ``kg.backends.engine.EngineBackend``,
  whose reads wait out an engine restart instead of failing.
- ``sparql:QUERY_URL[,UPDATE_URL]`` -> ``HttpBackend`` over that server, the same way; it cannot
  be restarted, so a query that overruns is abandoned there (the server's own limits apply).
- ``virtuoso:URL`` -> ``UnservedBackend``: the JSON routes read Virtuoso through ``state.store``
  (``kg.backends.virtuoso``), but /sparql answers 501: streaming Virtuoso's own bytes would pass its
  quirks to clients (skolem IRIs for blank nodes, its system graphs, ASK answered as a SELECT).
- ``memory:`` (tests only) -> ``InProcessBackend``: the embedded Oxigraph backend in a worker thread.
  It does NOT guarantee what the others do: a query past its time limit is abandoned but keeps a
  thread and a core busy until it ends (embedded Oxigraph cannot be cancelled), the whole answer is
  serialised in memory before the row cap applies, and a crash of the engine (e.g. a parser stack
  overflow that the nesting limit missed) takes the API down with it.

``HttpBackend.run`` POSTs the query to the engine (``api.wire``, pooled keep-alive connections)
with ``Accept`` set to the client's format (or N-Triples for CONSTRUCT/DESCRIBE, converted after the
cap), streams the answer through ``api.results.RowLimiter`` under one deadline
(``asyncio.timeout_at``), and returns Oxigraph's own bytes. Past the deadline the client gets 503
and the engine is reclaimed (killed and restarted), because Oxigraph would otherwise go on
computing. A connection lost mid-answer is a 503 too; the request is retried once only if it never
reached the engine, or if the engine was reclaimed for another query (a crash is not retried: this
query may be its cause). Each engine generation gets a fresh connection pool, so no request goes out
on a socket of a dead child.

This is the one module of ``api`` that talks to a backend without ``kg.store.Store``: /sparql
streams the engine's own bytes (any results format, under a row cap and a deadline that kills the
engine when it passes), which a facade returning converted results cannot do.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode, urlsplit

import anyio
import anyio.to_thread
from fastapi import HTTPException
from rdflib import URIRef

from api.engine import Engine
from api.guard import first_line, probe
from api.negotiation import Format
from api.results import Incomplete, RowLimiter, to_graph_format
from api.wire import READ_UPTO_BYTES, Client, ConnectFailed, ConnectionLost, Response, StaleConnection
from kg.backends.engine import EngineBackend
from kg.backends.oxigraph import OxigraphBackend, absolute_iri
from kg.backends.sparql import Request as SparqlRequest
from kg.backends.sparql import Response as SparqlResponse
from kg.config import Settings
from kg.errors import QueryError, StoreError
from kg.store import Store, StoreSpec

NTRIPLES = "application/n-triples"
RETRY_AFTER = {"Retry-After": "1"}
CONVERT_INLINE_BYTES = 64 * 1024  # larger graphs are converted in a worker thread
RESTART_WAIT_S = 10.0
KEPT_MESSAGES = 256  # requests to the engine kept made, per client
_STORAGE_TROUBLE = re.compile(r"\bIO error|rocksdb|corrupt|no space|storage", re.IGNORECASE)
T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """One screened query and how to answer it."""

    text: str
    fmt: Format  # the client's format
    boolean: bool = False  # ASK
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    limit_s: float = 30.0  # the time limit, for messages

    @property
    def wire_key(self) -> str:
        """The format asked of the engine: the client's, or N-Triples for graphs."""
        return "ntriples" if self.fmt.kind == "graph" else self.fmt.key

    def params(self) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in self.default_graphs] + [
            ("named-graph-uri", g) for g in self.named_graphs
        ]


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    capped: bool = False


class QueryBackend(Protocol):
    """What /sparql needs from wherever queries run."""

    remote: bool  # a server we do not control: protocol dataset parameters are not forwarded

    async def graphs_held(self, iris: Sequence[str], deadline: float) -> set[str]: ...

    async def parse_error(self, text: str, deadline: float, limit_s: float) -> str | None: ...

    async def run(self, job: Job, deadline: float) -> Answer: ...

    async def aclose(self) -> None: ...


def timed_out(limit_s: float) -> HTTPException:
    return HTTPException(503, f"the query ran longer than {limit_s:g} s and was abandoned; narrow it or add a LIMIT")


def _graphs_query(iris: Sequence[str]) -> str:
    values = " ".join(f"<{absolute_iri(i)}>" for i in iris)
    return f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"


def _finish(limiter: RowLimiter) -> bytes:
    try:
        return limiter.finish()
    except Incomplete as exc:
        raise HTTPException(503, f"the engine's answer was cut short ({exc}); nothing of it was sent") from None


async def _to_client_format(job: Job, body: bytes) -> bytes:
    if job.fmt.kind != "graph" or job.fmt.key == "ntriples":
        return body
    if len(body) <= CONVERT_INLINE_BYTES:
        return to_graph_format(body, job.fmt)
    return await anyio.to_thread.run_sync(to_graph_format, body, job.fmt)


class HttpBackend:
    """Queries sent to a SPARQL server over HTTP: the supervised engine child, or a remote server."""

    def __init__(self, query_url: str, engine: Engine | None = None) -> None:
        self.engine = engine
        self.remote = engine is None
        self.query_url = query_url
        self._client = Client(query_url)
        self._client_generation = engine.generation if engine is not None else 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._messages: dict[tuple[str, tuple[tuple[str, str], ...], str], bytes] = {}
        self._messages_of: Client | None = None

    @property
    def query_url(self) -> str:
        return self._query_url

    @query_url.setter
    def query_url(self, url: str) -> None:
        self._query_url = url
        self._path = urlsplit(url).path or "/"
        self._client = Client(url)

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _message(self, client: Client, text: str, params: Sequence[tuple[str, str]], accept: str) -> bytes:
        """The request that posts ``text``, made once per client (clients repeat their queries)."""
        key = (text, tuple(params), accept)
        if self._messages_of is not client:
            self._messages, self._messages_of = {}, client
        message = self._messages.get(key)
        if message is None:
            target = f"{self._path}?{urlencode(params)}" if params else self._path
            headers = [("Content-Type", "application/sparql-query"), ("Accept", accept)]
            headers.append(("Accept-Encoding", "identity"))
            message = client.message("POST", target, text.encode("utf-8"), headers)
            if len(self._messages) >= KEPT_MESSAGES:
                self._messages.clear()
            self._messages[key] = message
        return message

    def _client_for(self, generation: int) -> Client:
        if generation != self._client_generation:  # a new child: never reuse a socket of the old one
            self._background(self._client.aclose())
            self._client, self._client_generation = Client(self._query_url), generation
        return self._client

    async def _ready(self, deadline: float) -> int:
        """The engine generation to send to, once it listens; 503 if not before the deadline."""
        if self.engine is None:
            return 0
        remaining = deadline - asyncio.get_running_loop().time()
        if not await self.engine.wait_ready(remaining):
            raise HTTPException(503, "the query engine is restarting; try again in a moment", headers=RETRY_AFTER)
        return self.engine.generation

    async def _replaced(self, generation: int, deadline: float) -> bool:
        """Wait until an engine newer than ``generation`` listens; False at the deadline."""
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            if self.engine is not None and self.engine.ready and self.engine.generation != generation:
                return True
            await asyncio.sleep(0.01)
        return False

    def _retryable(self, exc: OSError, generation: int) -> bool:
        if self.engine is None:
            return isinstance(exc, StaleConnection)  # a remote closed an idle connection as we sent
        if isinstance(exc, ConnectFailed):
            return True  # it never reached the engine
        return self.engine.ended_by(generation) == "reclaim"  # killed for another query

    async def _exchange(
        self,
        text: str,
        params: Sequence[tuple[str, str]],
        accept: str,
        deadline: float,
        limit_s: float,
        consume: Callable[[Response], Awaitable[T]],
        upto: int = 0,
    ) -> T:
        """POST ``text`` and hand the response to ``consume``, all under ``deadline`` (``upto``: as
        ``api.wire.Client.request``)."""
        for attempt in range(3):
            generation = await self._ready(deadline)
            client = self._client_for(generation)
            message = self._message(client, text, params, accept)
            try:
                async with asyncio.timeout_at(deadline):
                    response = await client.send(message, upto=upto)
                    try:
                        return await consume(response)
                    finally:
                        response.close()
            except TimeoutError:
                if self.engine is not None:  # the engine is still computing: stop it before answering
                    await self.engine.reclaim(generation)
                raise timed_out(limit_s) from None
            except (ConnectFailed, ConnectionLost) as exc:
                retry = attempt < 2 and self._retryable(exc, generation)
                if retry and (self.engine is None or await self._replaced(generation, deadline)):
                    continue
                if self.engine is None:
                    raise StoreError(f"the SPARQL server at {self.query_url} failed: {first_line(exc)}") from exc
                raise HTTPException(
                    503,
                    "the query engine stopped while running this query and is restarting; try again in a moment",
                    headers=RETRY_AFTER,
                ) from exc
        raise HTTPException(503, "the query engine is restarting; try again in a moment", headers=RETRY_AFTER)

    async def read(self, request: SparqlRequest, deadline: float) -> SparqlResponse:
        """``request`` (a query as ``kg.backends.sparql.HttpPool`` would post it to this server) on
        the pooled connections, its answer read whole under ``deadline`` (``TimeoutError``): the JSON
        reads on the event loop (``api.reads``). One attempt, no waiting: ``ConnectFailed`` while the
        engine is not listening, ``ConnectionLost`` when the connection broke; the caller then reads
        the way that waits out a restart."""
        if self.engine is not None and not self.engine.ready:
            raise ConnectFailed("the query engine is restarting")
        client = self._client_for(self.engine.generation if self.engine is not None else 0)
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [*request.headers, ("Accept-Encoding", "identity")]  # as HttpPool sends it
        async with asyncio.timeout_at(deadline):
            response = await client.send(client.message("POST", target, request.body, headers), upto=READ_UPTO_BYTES)
            try:
                body = await response.read()
            finally:
                response.close()
        names = {name.decode("latin-1"): value.decode("latin-1") for name, value in response.headers.items()}
        return SparqlResponse(response.status, names, body)

    async def run(self, job: Job, deadline: float) -> Answer:
        accept = NTRIPLES if job.fmt.kind == "graph" else job.fmt.media_type

        async def consume(response: Response) -> RowLimiter:
            if response.status != 200:
                raise self._refusal(response.status, await response.read(), job.limit_s)
            limiter = RowLimiter(job.wire_key, job.max_rows, boolean=job.boolean)
            chunk = await response.read_upto(READ_UPTO_BYTES)
            while chunk:
                if limiter.feed(chunk):
                    break  # past the cap: closing the connection stops the engine
                chunk = await response.read_chunk()
            return limiter

        limiter = await self._exchange(
            job.text, job.params(), accept, deadline, job.limit_s, consume, upto=READ_UPTO_BYTES
        )
        body = await _to_client_format(job, _finish(limiter))
        return Answer(body, job.fmt.media_type, limiter.capped)

    async def parse_error(self, text: str, deadline: float, limit_s: float) -> str | None:
        """None if ``text`` parses, else the parser's message (evaluated on an empty dataset)."""
        nothing = [("default-graph-uri", "urn:x-wwiikg:nothing"), ("named-graph-uri", "urn:x-wwiikg:nothing")]

        async def consume(response: Response) -> str | None:
            if response.status == 200:
                return None  # the body is not read: closing drops the connection, and the evaluation
            body = await response.read()
            if response.status == 400:
                return first_line(body.decode("utf-8", "replace"))
            raise self._refusal(response.status, body, limit_s)

        params = [] if self.remote else nothing
        return await self._exchange(text, params, "*/*", deadline, limit_s, consume)

    async def graphs_held(self, iris: Sequence[str], deadline: float) -> set[str]:
        if not iris:
            return set()

        async def consume(response: Response) -> bytes:
            body = await response.read()
            if response.status != 200:
                raise self._refusal(response.status, body, 0)
            return body

        body = await self._exchange(_graphs_query(iris), [], "text/tab-separated-values", deadline, 0, consume)
        lines = body.decode("utf-8").splitlines()[1:]
        return {line.strip()[1:-1] for line in lines if line.startswith("<")}

    def _refusal(self, status: int, body: bytes, limit_s: float) -> Exception:
        message = first_line(body.decode("utf-8", "replace")) if body.strip() else f"HTTP {status}"
        if status == 400:
            if message.startswith("error at"):
                return QueryError(f"malformed SPARQL: {message}")
            return QueryError(f"the query engine refused the query: {message}")
        if "cancelled" in message:
            return timed_out(limit_s)
        if status == 500 and not _STORAGE_TROUBLE.search(message):
            # Oxigraph answers 500 for evaluation errors of the query itself (an unknown function...)
            return QueryError(f"query failed: {message}")
        where = "the query engine" if self.engine is not None else f"the SPARQL server at {self.query_url}"
        return StoreError(f"{where} failed to answer (HTTP {status}): {message}")


class UnservedBackend:
    """/sparql is not served over this store: every query is a clean 501."""

    remote = True

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def _refused(self) -> HTTPException:
        return HTTPException(
            501, f"/sparql is not available over a {self.kind}: store; the JSON routes are, or query the server itself"
        )

    async def aclose(self) -> None:
        return None

    async def graphs_held(self, iris: Sequence[str], deadline: float) -> set[str]:
        raise self._refused()

    async def parse_error(self, text: str, deadline: float, limit_s: float) -> str | None:
        raise self._refused()

    async def run(self, job: Job, deadline: float) -> Answer:
        raise self._refused()


class InProcessBackend:
    """Embedded Oxigraph in a worker thread of this process (``memory:`` stores; see the module docstring)."""

    remote = False

    def __init__(self, store: Store) -> None:
        self.store = store

    async def aclose(self) -> None:
        return None

    async def _thread(self, fn: Callable[[], T], deadline: float, limit_s: float) -> T:
        remaining = deadline - asyncio.get_running_loop().time()
        with anyio.move_on_after(max(0.0, remaining)):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
        raise timed_out(limit_s)

    async def graphs_held(self, iris: Sequence[str], deadline: float) -> set[str]:
        return await self._thread(lambda: {i for i in iris if self.store.has_graph(URIRef(i))}, deadline, 0)

    async def parse_error(self, text: str, deadline: float, limit_s: float) -> str | None:
        def parse() -> str | None:
            try:
                probe(text)
            except SyntaxError as exc:
                return first_line(exc)
            return None

        return await self._thread(parse, deadline, limit_s)

    async def run(self, job: Job, deadline: float) -> Answer:
        return await self._thread(lambda: self._run(job), deadline, job.limit_s)

    def _run(self, job: Job) -> Answer:
        backend = self.store.backend
        assert isinstance(backend, OxigraphBackend)
        kind, body = backend.answer(
            job.text,
            results_format=job.fmt.oxigraph,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
        )
        graph = kind == "graph"
        if graph != (job.fmt.kind == "graph"):
            raise HTTPException(406, f"{job.fmt.label} cannot express this query's answer")
        limiter = RowLimiter(job.wire_key, job.max_rows, boolean=kind == "boolean")
        limiter.feed(body)
        out = _finish(limiter)
        if graph and job.fmt.key != "ntriples":
            out = to_graph_format(out, job.fmt)
        return Answer(out, job.fmt.media_type, limiter.capped)


@asynccontextmanager
async def open_backend(settings: Settings, state: Any) -> AsyncIterator[QueryBackend]:
    """Start what serves queries for ``settings.store``; set ``state.store`` and ``state.queries``."""
    spec = StoreSpec.parse(settings.store)
    backend: QueryBackend
    store: Store
    engine: Engine | None = None
    if spec.kind == "oxigraph":
        engine = Engine(spec.path)
        await engine.start()
        engine_backend = backend = HttpBackend(engine.query_url, engine)

        def moved(e: Engine) -> None:  # the store's backend follows the engine by itself
            engine_backend.query_url = e.query_url

        engine.on_moved = moved
        store = Store(EngineBackend(engine))
        store.sole_writer = True  # the engine holds the store's lock, and only this app talks to it
        await anyio.to_thread.run_sync(store.ensure_listings)  # the store is ours: bring it up to date
    elif spec.kind == "sparql":
        store = await anyio.to_thread.run_sync(Store, settings.store)
        backend = HttpBackend(spec.query_url or "")
    elif spec.kind == "virtuoso":
        store = await anyio.to_thread.run_sync(Store, settings.store)
        backend = UnservedBackend(spec.kind)
    else:
        store = await anyio.to_thread.run_sync(Store, settings.store)
        store.sole_writer = True  # in this process only
        await anyio.to_thread.run_sync(store.ensure_listings)  # the store is ours: bring it up to date
        backend = InProcessBackend(store)
    state.store, state.queries = store, backend
    try:
        yield backend
    finally:
        with contextlib.suppress(Exception):
            await backend.aclose()
        await anyio.to_thread.run_sync(state.store.close)
        if engine is not None:
            await engine.stop()


__all__ = [
    "Answer",
    "HttpBackend",
    "InProcessBackend",
    "Job",
    "QueryBackend",
    "UnservedBackend",
    "open_backend",
    "timed_out",
]
