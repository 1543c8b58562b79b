"""``GET /leaders`` and ``GET /leaders/{key}``: people in office, with the articles that say so."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.deps import StoreDep
from api.routes.articles import cached_json
from api.schemas import PageDep, error_responses
from kg import facts
from kg.facts import Leader, LeaderDetail, Listing

router = APIRouter(tags=["leaders"])

ENTITY_HELP = "an IRI, a Wikidata ID (Q159) or a name (gazetteer names and aliases, or the label in the graph)"


@router.get(
    "/leaders",
    response_model=Listing[Leader],
    summary="Leaders, with one office each as an article states it",
    responses=error_responses(422, 503),
)
async def list_leaders(
    request: Request,
    store: StoreDep,
    page: PageDep,
    country: Annotated[
        str | None, Query(description=f"Country of an office: {ENTITY_HELP}.", examples=["Russia"])
    ] = None,
    role: Annotated[str | None, Query(description="A role, whole, any case.", examples=["President"])] = None,
    name: Annotated[str | None, Query(description="Part of the name, any case.", examples=["Putin"])] = None,
) -> Any:
    """People some article names in a current office, ordered by name. Each comes with how many
    articles say so (``sources``) and the office one of them states, with its source and evidence;
    ``GET /leaders/{key}`` lists every office per article."""
    call = partial(facts.leaders, store, name=name, role=role, country=country, page=page)
    return await cached_json(request, Listing[Leader], call, on_loop=True)


@router.get(
    "/leaders/{key}",
    response_model=LeaderDetail,
    summary="One person: offices per article, events, quotes, co-attendees",
    responses=error_responses(404, 422, 503),
)
async def get_leader(
    request: Request,
    store: StoreDep,
    page: PageDep,
    key: Annotated[str, Path(description="The person's key: a Wikidata ID or a local slug.", examples=["Q7747"])],
) -> Any:
    """The offices each article states (newest first), the events the person took part in, their
    quotations, and the people who took part in the same events. ``limit``/``offset`` page each list."""
    return await cached_json(request, LeaderDetail, partial(facts.leader, store, key, page=page))
