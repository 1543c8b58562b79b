"""``GET /health``: is the store answering, and how many articles does it hold."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from kg.store import StoreSpec

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    store: str
    articles: int


@router.get("/health", response_model=Health, summary="Liveness and store check")
async def health(store: StoreDep, settings: SettingsDep) -> Health:
    """``ok`` with the configured backend kind and the number of article graphs; 503 if the store fails."""
    rows = await run_in_threadpool(store.rows, "article_count")
    articles = int(rows[0]["articles"] or 0) if rows else 0
    # the configured kind: an oxigraph: store is reached through its engine process, as a SPARQL server
    return Health(store=StoreSpec.parse(settings.store).kind, articles=articles)
