"""The FastAPI application.

Run it with ``uvicorn api.main:create_app --factory`` (settings from ``KG_*``, e.g.
``KG_STORE=oxigraph:data/store``). There is deliberately no module-level ``app``: importing this
module reads no environment and opens nothing. The store is opened once in the lifespan and
closed (flushed) at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.routes import health, sparql, stats
from kg.config import Settings
from kg.store import Store

TITLE = "WWII commemoration knowledge graph"


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app serving the store named by ``settings.store`` (default: ``Settings()`` from env)."""
    settings = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await anyio.to_thread.run_sync(Store, settings.store)
        app.state.store = store
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(store.close)

    app = FastAPI(
        title=TITLE,
        summary="WWII commemoration news as an RDF knowledge graph, with a SPARQL 1.1 endpoint.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        max_age=3600,
    )
    app.include_router(health.router)
    app.include_router(stats.router)
    app.include_router(sparql.router)
    return app


__all__ = ["create_app"]
