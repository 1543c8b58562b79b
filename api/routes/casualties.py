"""``GET /casualties``: every source's casualty figure side by side, and how far they spread."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.schemas import PageDep, ReportedAfterQuery, ReportedBeforeQuery, error_responses
from kg import facts
from kg.facts import Casualties

router = APIRouter(tags=["casualties"])


@router.get(
    "/casualties",
    response_model=Casualties,
    summary="Casualty figures as each source states them, and their spread",
    responses=error_responses(422, 503),
)
async def list_casualties(
    request: Request,
    store: StoreDep,
    page: PageDep,
    group: Annotated[
        str | None,
        Query(
            description="Whose losses: an IRI, a Wikidata ID or a name (whole, any case).", examples=["Soviet Union"]
        ),
    ] = None,
    event: Annotated[
        str | None,
        Query(description="The event: its IRI, a Wikidata ID or part of its label.", examples=["World War II"]),
    ] = None,
    measure: Annotated[str | None, Query(description="What is counted: deaths, killed...", examples=["deaths"])] = None,
    independent: Annotated[
        bool,
        Query(
            description="true: a figure stated alike by several near-duplicate copies of one story is listed "
            "once, with the copies that state it."
        ),
    ] = False,
    reported_after: ReportedAfterQuery = None,
    reported_before: ReportedBeforeQuery = None,
) -> Any:
    """Each figure as one article states it: low and high (equal for a single number), hedge
    ("estimated"), measure, scope, the words, the source and the evidence. ``spread`` gives, per group
    and measure over all matching figures, the lowest low, the highest high, how many sources and
    distinct figures there are and each distinct figure, and ``stories``, how many independent
    stories those sources are (copies of one wire report count once). Figures are never merged into
    one number. ``reported_before=2015``: the figures as reported before 2015."""
    call = partial(
        facts.casualties,
        store,
        group=group,
        event=event,
        measure=measure,
        independent=independent,
        reported_after=reported_after,
        reported_before=reported_before,
        page=page,
    )
    return await cached_json(request, Casualties, call, on_loop=True)
