"""``GET /.well-known/void``: a VoID description of the dataset (RFC 5785 well-known location)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.routing import NoMatchFound

from api.deps import StoreDep
from api.routes.articles import cached
from api.routes.entities import JSONLD, NTRIPLES, TURTLE, choose
from api.schemas import error_responses
from kg import facts

router = APIRouter(tags=["linked data"])


@router.get(
    "/.well-known/void",
    summary="VoID description of the dataset",
    response_class=Response,
    responses={
        200: {
            "description": "A void:Dataset: SPARQL endpoint, triples, entities, vocabularies, URI space, one "
            "void:subset per article graph.",
            "content": {
                "text/turtle": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
        **error_responses(406, 503),
    },
)
async def void(request: Request, store: StoreDep, format: str | None = None) -> Response:
    """Turtle by default; ``Accept`` (or ``format=``) may ask for JSON-LD or N-Triples instead."""
    chosen = choose(request.headers.get("accept"), format, (TURTLE, JSONLD, NTRIPLES))
    base = str(request.base_url).rstrip("/")
    try:
        endpoint = str(request.url_for("sparql"))
    except NoMatchFound:
        endpoint = base + "/sparql"

    def work() -> Response:
        graph = facts.void(store, dataset=base + "/.well-known/void", sparql_endpoint=endpoint)
        body = graph.serialize(format=chosen.rdflib, encoding="utf-8")
        return Response(body, media_type=chosen.media_type, headers={"Vary": "Accept"})

    return await cached(request, work, vary=f"{chosen.key} {base}")
