"""``GET /quotes``: quotations and indirect statements, with speaker, source and evidence."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.schemas import FromQuery, PageDep, ToQuery, error_responses
from kg import facts
from kg.facts import Listing, Quote

router = APIRouter(tags=["quotes"])


@router.get(
    "/quotes",
    response_model=Listing[Quote],
    summary="Quotations and indirect statements",
    responses=error_responses(422, 503),
)
async def list_quotes(
    request: Request,
    store: StoreDep,
    page: PageDep,
    speaker: Annotated[
        str | None,
        Query(description="The speaker: an IRI, a Wikidata ID, or (part of) a name.", examples=["Putin"]),
    ] = None,
    q: Annotated[str | None, Query(description="Part of the quoted text, any case.", examples=["peace"])] = None,
    direct: Annotated[
        bool | None, Query(description="true: direct quotations only; false: indirect statements only.")
    ] = None,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    independent: Annotated[
        bool,
        Query(
            description="true: words reported alike by several near-duplicate copies of one story are listed "
            "once, with the copies that report them."
        ),
    ] = False,
) -> Any:
    """What people said, as the articles report it; ``from``/``to`` bound the publication date.
    Each quotation names its ``story``; ``independent=true`` counts stories, not copies."""
    call = partial(
        facts.quotes,
        store,
        speaker=speaker,
        q=q,
        direct=direct,
        date_from=date_from,
        date_to=date_to,
        independent=independent,
        page=page,
    )
    return await cached_json(request, Listing[Quote], call, on_loop=True)
