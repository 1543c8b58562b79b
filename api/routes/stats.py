"""``GET /stats``: counts of what the store holds (``Store.stats()``)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep

router = APIRouter(tags=["service"])


@router.get("/stats", response_model=dict[str, int], summary="Counts of articles, people, events, quads...")
async def stats(store: StoreDep) -> dict[str, int]:
    """Articles, people, leaders, events, casualty figures, direct quotations (``quotes``), indirect
    statements (``statements``) and quads in the store. Each equals the ``total`` of its list:
    ``/quotes`` lists quotations and statements, ``/quotes?direct=true`` the quotations."""
    return await run_in_threadpool(store.stats)
