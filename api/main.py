"""The FastAPI application.

Run it with ``uvicorn api.main:create_app --factory`` or ``kg serve`` (settings from ``KG_*``,
e.g. ``KG_STORE=oxigraph:data/store``). There is deliberately no module-level ``app``: importing this
module reads no environment and opens nothing. The lifespan starts what serves the store
(``api.proxy.open_backend``: for ``oxigraph:PATH``, a supervised ``oxigraph serve`` child that owns
it) and stops it at shutdown; ``app.state.store`` is the ``Store`` behind ``StoreDep`` and
``app.state.queries`` runs ``/sparql`` queries. ``/static`` serves ``api/static`` (the query page);
``/docs`` and ``/redoc`` use the Swagger UI and ReDoc assets of the ``fastapi-offline`` package.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import install_error_handlers
from api.proxy import open_backend
from api.routes import (
    articles,
    casualties,
    entities,
    events,
    health,
    leaders,
    quotes,
    search,
    sparql,
    stats,
    timeline,
    void,
)
from api.routes.docs import install_docs
from api.routes.graph import router as graph_router
from api.routes.sparql import MAX_ROWS_HEADER, STATIC_DIR, SparqlFastPath
from kg.config import Settings
from kg.facts.params import default_gazetteer

TITLE = "WWII commemoration knowledge graph"
TELEMETRY_RECHECK_S = 1.0


# what CORSMiddleware (every origin allowed) adds to an answer to a request with an Origin
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": MAX_ROWS_HEADER}


class App(FastAPI):
    """FastAPI with ``SparqlFastPath`` outside its middleware: /sparql queries are answered before
    any other layer (``api.routes.sparql.SparqlFastPath`` does what those layers would)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SparqlFastPath(super().build_middleware_stack(), cors=CORS_HEADERS)

    def sparql_direct(self, outer: ASGIApp) -> ASGIApp:
        """``outer`` (this app as the server runs it, in the server's own middleware) with /sparql
        queries handed straight to ``SparqlFastPath``, past every layer between: what
        ``api.protocol.HttpProtocol`` runs for requests to /sparql. While FastAPI's telemetry is on
        (asked at most once a second: the answer reads the environment), or before the app has
        started, everything goes through ``outer``."""
        telemetry = getattr(self, "_native_telemetry", None)
        asked, on = -TELEMETRY_RECHECK_S, False

        async def direct(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal asked, on
            if (now := time.monotonic()) - asked >= TELEMETRY_RECHECK_S:
                asked, on = now, telemetry is not None and bool(telemetry.enabled())
            fast = self.middleware_stack
            if on or not isinstance(fast, SparqlFastPath):
                await outer(scope, receive, send)
                return
            scope["app"] = self  # as Starlette's __call__ sets it
            await fast.handle(scope, receive, send, outer)

        return direct


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app serving the store named by ``settings.store`` (default: ``Settings()`` from env)."""
    settings = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_backend(settings, app.state):
            # read now, not by the first read that filters on a name (53 ms; on the loop: api.reads)
            await anyio.to_thread.run_sync(default_gazetteer)
            yield

    app = App(
        title=TITLE,
        summary="WWII commemoration news as an RDF knowledge graph, with a SPARQL 1.1 endpoint.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from local assets: no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=[MAX_ROWS_HEADER],  # so a page on another origin can tell a cut answer
        max_age=3600,
    )
    install_docs(app)  # mounted before /static, which would otherwise shadow /static/docs
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(stats.router)
    app.include_router(sparql.router)
    app.include_router(leaders.router)
    app.include_router(events.router)
    app.include_router(timeline.router)
    app.include_router(casualties.router)
    app.include_router(quotes.router)
    app.include_router(search.router)
    app.include_router(articles.router)
    app.include_router(entities.router)
    app.include_router(void.router)
    app.include_router(graph_router)
    return app


__all__ = ["create_app"]
