"""``/id/{kind}/{key}`` and ``/entities/{kind}/{key}``: every IRI we mint dereferences.

One resource, several representations, picked by ``Accept`` (or ``format=``): an HTML page for
people, Turtle, JSON-LD or N-Triples for machines (the triples about the resource across all article
graphs, plus its evidence nodes), and a JSON summary. ``/id/...`` (the IRI's own path) prefers HTML,
``/entities/...`` JSON. An ``Accept`` that matches none is 406; an IRI we never minted, or one no
article mentions, is 404.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import pages
from api.deps import StoreDep
from api.negotiation import HTML_PAGE, Format, by_name, listing, negotiate
from api.routes.articles import cached
from api.schemas import EntityPublic, PageDep, error_responses
from kg import facts
from kg.facts import Page
from kg.report import article_report
from kg.store import Store

router = APIRouter(tags=["linked data"])

_W3 = "http://www.w3.org/ns/formats/"
TURTLE = Format(
    "turtle", "graph", "text/turtle", ("application/x-turtle",), ("turtle", "ttl"), _W3 + "Turtle", "TURTLE", "turtle"
)
JSONLD = Format(
    "jsonld", "graph", "application/ld+json", (), ("jsonld", "json-ld"), _W3 + "JSON-LD", "JSON_LD", "json-ld"
)
NTRIPLES = Format(
    "ntriples", "graph", "application/n-triples", (), ("ntriples", "nt"), _W3 + "N-Triples", "N_TRIPLES", "nt"
)
JSON_VIEW = Format("json", "page", "application/json", (), ("json",), "", "", "")

FOR_PEOPLE = (HTML_PAGE, TURTLE, JSONLD, NTRIPLES, JSON_VIEW)
FOR_API = (JSON_VIEW, HTML_PAGE, TURTLE, JSONLD, NTRIPLES)

KindPath = Annotated[
    str,
    Path(description="What the IRI names: " + ", ".join(facts.KINDS) + ".", examples=["person"]),
]
KeyPath = Annotated[str, Path(description="The last segment of the IRI.", examples=["Q7747"])]
FormatQuery = Annotated[
    str | None,
    Query(alias="format", description="Overrides Accept: html, json, ttl, jsonld or nt.", examples=["ttl"]),
]

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resource, in the negotiated representation.",
        "content": {
            "application/json": {"schema": EntityPublic.model_json_schema()},
            "text/html": {"schema": {"type": "string"}},
            "text/turtle": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {"type": "object"}},
            "application/n-triples": {"schema": {"type": "string"}},
        },
    },
    **error_responses(404, 406, 503),
}


def choose(accept: str | None, fmt: str | None, candidates: tuple[Format, ...]) -> Format:
    """The representation to send, or 406."""
    if fmt is not None:
        chosen = by_name(fmt, candidates)
        if chosen is None:
            raise HTTPException(406, f"unknown format={fmt[:40]!r}; use html, json, ttl, jsonld or nt")
        return chosen
    chosen = negotiate(accept, candidates)
    if chosen is None:
        raise HTTPException(406, f"no representation matches Accept: {accept}; available: {listing(candidates)}")
    return chosen


def alternates(kind: str, key: str) -> dict[str, str]:
    base = f"/id/{kind}/{key}"
    return {
        "text/html": base + "?format=html",
        "text/turtle": base + "?format=ttl",
        "application/ld+json": base + "?format=jsonld",
        "application/n-triples": base + "?format=nt",
        "application/json": f"/entities/{kind}/{key}",
    }


def _links(kind: str, key: str) -> dict[str, str]:
    links = {
        "html": f"/id/{kind}/{key}?format=html",
        "turtle": f"/id/{kind}/{key}?format=ttl",
        "jsonld": f"/id/{kind}/{key}?format=jsonld",
        "ntriples": f"/id/{kind}/{key}?format=nt",
    }
    api_view = {"person": f"/leaders/{key}", "event": f"/events/{key}", "article": f"/articles/{key}"}.get(kind)
    if api_view:
        links["api"] = api_view
    return links


def render(store: Store, kind: str, key: str, fmt: Format, page: Page) -> Response:
    """The resource in ``fmt`` (runs in a worker thread: every branch queries the store)."""
    iri = facts.entity_iri(kind, key)
    headers = {
        "Vary": "Accept",
        "Link": ", ".join(f'<{h}>; rel="alternate"; type="{t}"' for t, h in alternates(kind, key).items()),
    }
    if fmt.kind == "graph":
        body = facts.describe_as(store, iri, fmt.rdflib)
        return Response(body, media_type=fmt.media_type, headers=headers)
    if fmt is JSON_VIEW:
        data = facts.entity(store, kind, key, page=page)
        payload = EntityPublic(**data, links=_links(kind, key)).model_dump(mode="json")
        return JSONResponse(payload, headers=headers)
    alt = alternates(kind, key)
    if kind == "person":
        text = pages.person_page(asdict(facts.leader(store, key, page=page)), alt)
    elif kind == "event":
        text = pages.event_page(asdict(facts.event(store, key)), alt)
    elif kind == "article":
        text = pages.article_page(asdict(article_report(store, iri)), alt)
    else:
        text = pages.entity_page(facts.entity(store, kind, key, page=page), alt)
    return HTMLResponse(text, headers=headers)


@router.get(
    "/id/{kind}/{key}",
    summary="Dereference an IRI we mint (HTML for people, RDF for machines)",
    response_class=Response,
    responses=RESPONSES,
)
async def dereference(
    request: Request, store: StoreDep, page: PageDep, kind: KindPath, key: KeyPath, fmt: FormatQuery = None
) -> Response:
    """``https://w3id.org/wwiikg/id/{kind}/{key}`` served here: HTML by default and for browsers;
    ``text/turtle``, ``application/ld+json`` or ``application/n-triples`` give the triples about the
    resource across every article graph, with its evidence nodes; ``application/json`` a summary."""
    chosen = choose(request.headers.get("accept"), fmt, FOR_PEOPLE)
    return await cached(request, partial(render, store, kind, key, chosen, page), vary=chosen.key)


@router.get(
    "/entities/{kind}/{key}",
    summary="One resource as JSON (or any representation /id/ serves)",
    response_class=Response,
    responses=RESPONSES,
)
async def get_entity(
    request: Request, store: StoreDep, page: PageDep, kind: KindPath, key: KeyPath, fmt: FormatQuery = None
) -> Response:
    """What the articles say about the resource: names, Wikidata ID, types, statements and the
    evidence spans with their articles, plus links to the other representations. ``Accept`` picks
    HTML, Turtle, JSON-LD or N-Triples instead."""
    chosen = choose(request.headers.get("accept"), fmt, FOR_API)
    return await cached(request, partial(render, store, kind, key, chosen, page), vary=chosen.key)
