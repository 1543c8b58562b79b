"""The app object in-process: error mapping, last-resort handler, timeouts, store lifecycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import httpx
import pytest
from apisample import article_graphs, stored
from fastapi import FastAPI
from rdflib import Graph, Literal, URIRef

from api.errors import STATUS_BY_ERROR
from api.main import create_app
from kg.config import Settings
from kg.errors import (
    ConfigError,
    EmptyArticle,
    KGError,
    NotFound,
    QueryError,
    QueryRefused,
    StoreError,
    StoreLocked,
    UnsupportedFormat,
    ValidationFailed,
)
from kg.store import Store


def call(app: FastAPI, fn: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]) -> httpx.Response:
    """Run ``fn`` against ``app`` inside its lifespan, as an ASGI client; unhandled errors become responses."""

    async def main() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await fn(client)

    return anyio.run(main)


def memory_app(**settings: object) -> FastAPI:
    return create_app(Settings(store="memory:", **settings))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("no article 'abc'"), 404),
        (QueryError("malformed SPARQL: x"), 400),
        (QueryRefused("updates are not allowed"), 403),
        (StoreError("the store is gone"), 503),
        (StoreLocked("the store is open in another process"), 503),
        (UnsupportedFormat("no reader for .docx"), 415),
        (EmptyArticle("no text"), 422),
        (ValidationFailed("missing headline"), 422),
        (ConfigError("bad date"), 400),
        (KGError("something else"), 500),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_library_errors_map_to_statuses(error: KGError, status: int) -> None:
    """Each library error class becomes its HTTP status, with its message as the detail."""
    app = memory_app()

    @app.get("/boom")
    async def boom() -> None:
        raise error

    response = call(app, lambda c: c.get("/boom"))
    assert response.status_code == status
    assert response.json() == {"error": {"status": status, "title": response.reason_phrase, "detail": str(error)}}


def test_every_library_error_class_has_a_status() -> None:
    """Every class in kg.errors is mapped (directly) to an HTTP status."""
    import kg.errors

    classes = {getattr(kg.errors, name) for name in kg.errors.__all__}
    assert classes <= set(STATUS_BY_ERROR)


def test_request_validation_error_is_422_in_the_same_shape() -> None:
    """A path parameter of the wrong type is 422 with the JSON error shape naming the parameter."""
    app = memory_app()

    @app.get("/probe/{n}")
    async def article(n: int) -> dict[str, int]:
        return {"n": n}

    response = call(app, lambda c: c.get("/probe/abc"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422
    assert error["title"] == "Unprocessable Entity"
    assert "path.n" in error["detail"]


def test_unexpected_exception_is_500_without_traceback() -> None:
    """A bug in a route answers 500 in the JSON error shape, without the exception's text or traceback."""
    app = memory_app()

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("secret internals at /etc/passwd")

    response = call(app, lambda c: c.get("/bug"))
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["status"] == 500
    assert error["title"] == "Internal Server Error"
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_unexpected_exception_in_a_query_is_500_with_cors_headers() -> None:
    """/sparql, answered outside the app's middleware, still answers a bug with the JSON 500 (no
    traceback) and carries what CORSMiddleware would add."""
    app = memory_app()

    class Broken:
        remote = False

        async def run(self, job: object, deadline: float) -> None:
            raise RuntimeError("secret internals at /etc/passwd")

    async def query(client: httpx.AsyncClient) -> httpx.Response:
        app.state.queries = Broken()
        return await client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})

    response = call(app, query)
    assert response.status_code == 500
    assert response.json()["error"]["status"] == 500 and "secret" not in response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-sparql-maxrows" in response.headers["access-control-expose-headers"].lower()
    assert response.headers["vary"] == "Origin"


def test_slow_query_is_abandoned_with_503() -> None:
    """A query running longer than KG_QUERY_TIMEOUT answers 503 instead of hanging."""
    app = memory_app(query_timeout=0.05)

    async def slow(client: httpx.AsyncClient) -> httpx.Response:
        graph = Graph(identifier=URIRef("https://w3id.org/wwiikg/id/article/00000000000000aa"))
        for i in range(40):
            graph.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
        app.state.store.put_article(graph)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        return await client.get("/sparql", params={"query": query})

    response = call(app, slow)
    assert response.status_code == 503
    assert "abandoned" in response.json()["error"]["detail"]


def test_memory_backend_serves_queries() -> None:
    """With KG_STORE=memory: the app starts empty and answers /health and /sparql."""
    app = memory_app()

    async def use(client: httpx.AsyncClient) -> httpx.Response:
        assert (await client.get("/health")).json() == {"status": "ok", "store": "memory", "articles": 0}
        for graph in article_graphs().values():
            app.state.store.put_article(graph)
        return await client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})

    response = call(app, use)
    expected = len(stored(article_graphs().values()).native)  # with the listings and the views
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


def test_store_is_opened_at_startup_and_closed_at_shutdown(tmp_path: Path) -> None:
    """While the app runs it holds the on-disk store; after shutdown the store can be opened again."""
    spec = f"oxigraph:{tmp_path / 'store'}"
    app = create_app(Settings(store=spec))

    async def while_running(client: httpx.AsyncClient) -> httpx.Response:
        with pytest.raises(StoreLocked):
            Store(spec)
        return await client.get("/health")

    assert call(app, while_running).json()["store"] == "oxigraph"
    with Store(spec) as store:
        assert store.stats()["articles"] == 0


def test_create_app_reads_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """create_app() without arguments takes its settings from KG_* variables."""
    monkeypatch.setenv("KG_STORE", "memory:")
    monkeypatch.setenv("KG_MAX_QUERY_BYTES", "123")
    app = create_app()
    assert app.state.settings.store == "memory:"
    assert app.state.settings.max_query_bytes == 123
