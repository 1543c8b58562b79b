"""``GET /search``: full-text search over headlines, quotations and evidence spans."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.schemas import PageDep, SearchPublic, error_responses
from kg import facts

router = APIRouter(tags=["search"])


@router.get(
    "/search",
    response_model=SearchPublic,
    summary="Full-text search of headlines, quotations and evidence",
    responses=error_responses(400, 422, 503),
)
async def search(
    request: Request,
    store: StoreDep,
    page: PageDep,
    q: Annotated[
        str, Query(max_length=500, description="Words; a hit holds them all (any case).", examples=["parade"])
    ],
    kind: Annotated[
        str | None, Query(description="Only this kind of text: title, quote or evidence.", examples=["quote"])
    ] = None,
) -> Any:
    """Texts that hold every word of ``q``, best first, each with the IRI it belongs to (the quotation,
    the evidence span, or the article for a headline), its article, and a snippet."""
    return await cached_json(request, SearchPublic, partial(facts.search, store, q, kind=kind, page=page))
