"""``GET /events`` and ``GET /events/{key}``: events as the articles state them."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.schemas import (
    FromQuery,
    PageDep,
    ReportedAfterQuery,
    ReportedBeforeQuery,
    ToQuery,
    error_responses,
)
from kg import facts
from kg.facts import Event, Listing

router = APIRouter(tags=["events"])

EventType = Literal[
    "parade",
    "commemoration",
    "ceremony",
    "speech",
    "meeting",
    "visit",
    "war",
    "battle",
    "invasion",
    "liberation",
    "bombing",
    "massacre",
    "surrender",
    "other",
]
Family = Literal["commemorative", "diplomatic", "historical", "other"]
ENTITY_HELP = "an IRI, a Wikidata ID or a name"

TypeQuery = Annotated[EventType | None, Query(description="The event type.", examples=["parade"])]
FamilyQuery = Annotated[Family | None, Query(description="The event family.", examples=["commemorative"])]
PlaceQuery = Annotated[str | None, Query(description=f"Place or country: {ENTITY_HELP} (whole).", examples=["Moscow"])]
ParticipantQuery = Annotated[
    str | None, Query(description=f"A participant: {ENTITY_HELP} (or part of one).", examples=["Xi Jinping"])
]
CommemoratesQuery = Annotated[
    str | None,
    Query(description="The commemorated event: its IRI, a Wikidata ID, or part of its label.", examples=["victory"]),
]


@router.get(
    "/events",
    response_model=Listing[Event],
    summary="Events, each as one article states it",
    responses=error_responses(422, 503),
)
async def list_events(
    request: Request,
    store: StoreDep,
    page: PageDep,
    type: TypeQuery = None,
    family: FamilyQuery = None,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    place: PlaceQuery = None,
    participant: ParticipantQuery = None,
    commemorates: CommemoratesQuery = None,
    reported_after: ReportedAfterQuery = None,
    reported_before: ReportedBeforeQuery = None,
) -> Any:
    """Events with date (and the words it was read from), place, participants, the event they
    commemorate and the anniversary, source and evidence. Pages come in a stable index order
    (grouped by type); ``GET /timeline`` gives dated events in date order."""
    call = partial(
        facts.events,
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
    return await cached_json(request, Listing[Event], call, on_loop=True)


@router.get(
    "/events/{key}",
    response_model=Event,
    summary="One event",
    responses=error_responses(404, 503),
)
async def get_event(
    request: Request,
    store: StoreDep,
    key: Annotated[
        str, Path(description="The event's key (the last segment of its IRI).", examples=["e3a38632994e89d9-e101-107"])
    ],
) -> Any:
    """Participants; the date with its surface text, anchor and resolution rule; the commemorated
    event and the anniversary (stated, computed, consistent); the source and the evidence."""
    return await cached_json(request, Event, partial(facts.event, store, key))
