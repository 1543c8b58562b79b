"""``GET /timeline``: dated events in date order, commemorative and historical apart."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.routes.events import (
    CommemoratesQuery,
    FamilyQuery,
    ParticipantQuery,
    PlaceQuery,
    TypeQuery,
)
from api.schemas import (
    FromQuery,
    PageDep,
    ReportedAfterQuery,
    ReportedBeforeQuery,
    ToQuery,
    error_responses,
)
from kg import facts
from kg.facts import Timeline

router = APIRouter(tags=["events"])


@router.get(
    "/timeline",
    response_model=Timeline,
    summary="Dated events in date order, with their family",
    responses=error_responses(422, 503),
)
async def get_timeline(
    request: Request,
    store: StoreDep,
    page: PageDep,
    family: FamilyQuery = None,
    type: TypeQuery = None,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    place: PlaceQuery = None,
    participant: ParticipantQuery = None,
    commemorates: CommemoratesQuery = None,
    reported_after: ReportedAfterQuery = None,
    reported_before: ReportedBeforeQuery = None,
) -> Any:
    """Every dated event, oldest first, each with its ``family``. ``families`` counts the
    commemorative, diplomatic, historical and other events of the whole (filtered) timeline with
    their first and last dates; ``family=commemorative`` or ``family=historical`` gives one lane."""
    call = partial(
        facts.timeline,
        store,
        type=type,
        family=family,
        date_from=date_from,
        date_to=date_to,
        place=place,
        participant=participant,
        commemorates=commemorates,
        reported_after=reported_after,
        reported_before=reported_before,
        page=page,
    )
    return await cached_json(request, Timeline, call, on_loop=True)
