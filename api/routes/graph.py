"""``/graph/*``: the networkx views of ``kg.analytics`` over HTTP, every edge with its evidence.

    /graph/neighbors/{node}   the part of a graph within ``depth`` edges of a node
    /graph/path               the shortest chain of stated facts between two nodes
    /graph/centrality         nodes ranked by degree, betweenness, eigenvector or PageRank
    /graph/export             a whole graph as GraphML, GEXF or node-link JSON

A node is named by its IRI or its path under ``https://w3id.org/wwiikg/id/`` (``person/Q7747``).
Graphs are built by ``kg.analytics`` in a worker thread and kept per app until the next write
through this API, under the same rule as the read cache (only when this app is the store's one
writer); the answers themselves go through the read cache.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Annotated, Any, Literal

import networkx as nx
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.routes.articles import ReadCache, cached, json_response, read_cache
from api.schemas import error_responses
from kg import analytics
from kg.errors import NotFound
from kg.facts import KINDS
from kg.namespaces import ID
from kg.store import Store

router = APIRouter(prefix="/graph", tags=["graph"])

GraphName = Literal["entity", "coattendance", "country", "leader-event", "commemoration"]
CentralityKind = Literal["degree", "betweenness", "eigenvector", "pagerank"]
ExportFormat = Literal["graphml", "gexf", "json"]

BUILDERS: dict[str, Callable[[Store], nx.Graph]] = {
    "entity": analytics.entity_graph,
    "coattendance": analytics.coattendance_graph,
    "country": analytics.country_graph,
    "leader-event": analytics.leader_event_graph,
    "commemoration": analytics.commemoration_graph,
}
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "json": "application/json"}
SHARED_EVENT = "shared event"  # co-attendance and country edges: both ends were at the same event
MAX_DEPTH = 3
_SCHEME = re.compile(r"^(https?):/+")  # a path segment may arrive with its '//' folded to '/'
# edge keys that the response spells out as facts; the remaining scalars go to ``attributes``
_EDGE_STRUCTURE = {"facts", "events", "evidence", "article", "outlet", "exact", "relationship", "weight"}


# --- response models ---------------------------------------------------------------------


class GraphEvidencePublic(BaseModel):
    """Where a fact was read: ``body[start:end] == text`` in the article's body."""

    article: str = Field(description="The article's IRI.")
    id: str = Field(description="The article id (last IRI segment).")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    text: str
    start: int
    end: int


class NodeRefPublic(BaseModel):
    """A person, event, country or article, by IRI and label."""

    iri: str
    key: str = Field(description="The last segment of the IRI.")
    label: str
    kind: str = Field(description="leader, person, event, country or article.")


class NodePublic(NodeRefPublic):
    """A node of a graph with what the graph says about it."""

    wikidata: str | None = None
    distance: int | None = Field(None, description="Edges from the centre of a neighbourhood.")
    attributes: dict[str, Any] = Field(default_factory=dict, description="Country, date, type, outlet...")


class FactPublic(BaseModel):
    """One statement behind an edge, with its evidence."""

    relationship: str = Field(description="wwii:participant, wwii:holdsOffice, ... or 'shared event'.")
    subject: str | None = None
    object: str | None = None
    event: str | None = Field(None, description="For a shared event: the event's IRI.")
    event_label: str | None = None
    event_date: str | None = None
    role: str | None = Field(None, description="For wwii:holdsOffice: the office.")
    leaders: list[str] | None = Field(None, description="For a joint commemoration: the leaders there.")
    evidence: GraphEvidencePublic


class EdgePublic(BaseModel):
    source: str
    target: str
    relationship: str
    weight: float | None = Field(None, description="Shared events, for co-attendance and country graphs.")
    attributes: dict[str, Any] = Field(default_factory=dict)
    facts: list[FactPublic]


class NeighborhoodPublic(BaseModel):
    graph: str
    center: NodePublic
    depth: int
    nodes: list[NodePublic]
    edges: list[EdgePublic]


class StepPublic(BaseModel):
    """One edge of a path: from ``source`` to ``target`` because the article states ``relationship``."""

    source: NodeRefPublic
    target: NodeRefPublic
    relationship: str
    subject: str
    object: str
    evidence: GraphEvidencePublic


class PathPublic(BaseModel):
    source: NodePublic
    target: NodePublic
    length: int = Field(description="Number of steps.")
    cost: float = Field(description="1 per stated fact, 2 per 'mentioned in the same article'.")
    steps: list[StepPublic]


class ScorePublic(BaseModel):
    rank: int
    iri: str
    key: str
    label: str
    kind: str | None = None
    score: float


class CentralityPublic(BaseModel):
    graph: str
    kind: str
    nodes: int
    edges: int
    items: list[ScorePublic]


# --- built graphs, kept until a write ----------------------------------------------------


@dataclass
class GraphCache:
    """Graphs (and article metadata) built from the store, valid for one read-cache generation."""

    entries: dict[str, tuple[int, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, name: str, build: Callable[[], Any], reads: ReadCache) -> Any:
        generation = reads.generation
        with self.lock:
            hit = self.entries.get(name)
        if hit is not None and hit[0] == generation:
            return hit[1]
        value = build()  # two requests may both build it; cheaper than making one wait on a lock
        with self.lock:
            if reads.enabled and reads.generation == generation:
                self.entries[name] = (generation, value)
        return value


@dataclass(frozen=True)
class Graphs:
    """What a request needs to read graphs: the store, the app's graph cache and its read cache."""

    store: Store
    cache: GraphCache
    reads: ReadCache

    def graph(self, name: str) -> nx.Graph:
        return self.cache.get(name, lambda: BUILDERS[name](self.store), self.reads)

    def articles(self) -> dict[str, dict[str, Any]]:
        def build() -> dict[str, dict[str, Any]]:
            return {r["article"]: r for r in self.store.rows("graph_articles")}

        return self.cache.get("articles", build, self.reads)


def graphs(request: Request, store: Store) -> Graphs:
    state = request.app.state
    cache = getattr(state, "graph_cache", None)
    if cache is None:
        cache = state.graph_cache = GraphCache()
    return Graphs(store, cache, read_cache(request))


# --- shaping -----------------------------------------------------------------------------


def node_iri(ref: str, graph: nx.Graph) -> str:
    """The node ``ref`` names in ``graph``: an IRI, ``id/kind/key``, ``kind/key`` or a bare key (tried as each kind)."""
    text = ref.strip()
    if _SCHEME.match(text):
        candidates = [_SCHEME.sub(lambda m: m.group(1) + "://", text)]
    else:
        path = text.removeprefix("/").removeprefix("id/")
        candidates = [str(ID[path])] if "/" in path else [str(ID[f"{kind}/{path}"]) for kind in KINDS]
    for iri in candidates:
        if iri in graph:
            return iri
    raise NotFound(f"no node {ref[:120]!r} in the {graph.graph.get('name', 'graph')} graph")


def _plain(value: Any) -> bool:
    """A scalar, or a list of scalars: what attributes carry over to the JSON as they are."""
    if isinstance(value, list):
        return all(isinstance(v, str | int | float | bool) for v in value)
    return isinstance(value, str | int | float | bool)


def _scalars(data: Mapping[str, Any], skip: set[str]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in skip and _plain(value)}


def _node(graph: nx.Graph, iri: str, distance: int | None = None) -> dict[str, Any]:
    data = graph.nodes[iri]
    return {
        "iri": iri,
        "key": iri.rstrip("/").rsplit("/", 1)[-1],
        "label": str(data.get("label", iri)),
        "kind": str(data.get("kind", "")),
        "wikidata": data.get("wikidata"),
        "distance": distance,
        "attributes": _scalars(data, {"label", "kind", "wikidata", "bipartite"}),
    }


def _evidence(where: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    meta = articles.get(where["article"], {})
    return {
        "article": where["article"],
        "id": where["article"].rsplit("/", 1)[-1],
        "title": meta.get("title"),
        "outlet": where.get("outlet") or meta.get("outlet"),
        "published": meta.get("published"),
        "text": where["exact"],
        "start": int(where["start"]),
        "end": int(where["end"]),
    }


def _facts(graph: nx.Graph, u: str, v: str, articles: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every statement behind edge u-v, whichever view it comes from."""
    data = graph.edges[u, v]
    if "facts" in data:  # entity graph
        return [
            {
                "relationship": f["relationship"],
                "subject": f["subject"],
                "object": f["object"],
                "role": f.get("role"),
                "evidence": _evidence(f, articles),
            }
            for f in data["facts"]
        ]
    if "events" in data:  # co-attendance and country graphs
        return [
            {
                "relationship": SHARED_EVENT,
                "event": e["event"],
                "event_label": e.get("label"),
                "event_date": e.get("date"),
                "leaders": e.get("leaders"),
                "evidence": _evidence(e, articles),
            }
            for e in data["events"]
        ]
    # leader-event (the event states its participant) and commemoration (u commemorates v) graphs
    subject, obj = (v, u) if graph.nodes[u].get("kind") == "leader" and not graph.is_directed() else (u, v)
    return [
        {"relationship": data["relationship"], "subject": subject, "object": obj, "evidence": _evidence(e, articles)}
        for e in data["evidence"]
    ]


def _edge(graph: nx.Graph, u: str, v: str, articles: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    data = graph.edges[u, v]
    return {
        "source": u,
        "target": v,
        "relationship": data.get("relationship", SHARED_EVENT),
        "weight": data.get("weight"),
        "attributes": _scalars(data, _EDGE_STRUCTURE),
        "facts": _facts(graph, u, v, articles),
    }


def neighborhood(source: Graphs, name: str, ref: str, depth: int) -> dict[str, Any]:
    graph = source.graph(name)
    center = node_iri(ref, graph)
    sub = nx.ego_graph(graph, center, radius=depth, undirected=True)
    hops = nx.single_source_shortest_path_length(sub.to_undirected(as_view=True), center)
    articles = source.articles()
    order = sorted(sub, key=lambda n: (hops[n], str(sub.nodes[n].get("label", n)), n))
    return {
        "graph": name,
        "center": _node(sub, center, 0),
        "depth": depth,
        "nodes": [_node(sub, n, hops[n]) for n in order],
        "edges": [_edge(sub, u, v, articles) for u, v in sorted(sub.edges(), key=lambda e: (hops[e[0]], e))],
    }


def explain(source: Graphs, start: str, end: str) -> dict[str, Any]:
    """``analytics.explain_path`` on the cached entity graph: the cheapest chain, facts before mentions."""
    graph = source.graph("entity")
    a, b = node_iri(start, graph), node_iri(end, graph)
    try:
        path = nx.shortest_path(graph, a, b, weight="cost")
    except nx.NetworkXNoPath:
        raise NotFound(f"nothing in the graph connects {a} and {b}") from None
    articles = source.articles()
    steps = []
    for u, v in pairwise(path):
        fact = graph.edges[u, v]["facts"][0]  # kg.analytics sorts them: stated facts first
        steps.append(
            {
                "source": _node(graph, u),
                "target": _node(graph, v),
                "relationship": fact["relationship"],
                "subject": fact["subject"],
                "object": fact["object"],
                "evidence": _evidence(fact, articles),
            }
        )
    cost = sum(graph.edges[u, v]["cost"] for u, v in pairwise(path))
    return {"source": _node(graph, a), "target": _node(graph, b), "length": len(steps), "cost": cost, "steps": steps}


def ranking(source: Graphs, name: str, kind: CentralityKind, limit: int) -> dict[str, Any]:
    graph = source.graph(name)
    scores = analytics.centrality(graph, kind)[:limit]
    items = [
        {
            "rank": i,
            "iri": iri,
            "key": iri.rstrip("/").rsplit("/", 1)[-1],
            "label": label,
            "kind": graph.nodes[iri].get("kind"),
            "score": score,
        }
        for i, (iri, label, score) in enumerate(scores, 1)
    ]
    return {
        "graph": name,
        "kind": kind,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "items": items,
    }


# --- routes ------------------------------------------------------------------------------

GraphQuery = Annotated[
    GraphName,
    Query(
        description="Which view: entity (people, events, countries, articles), coattendance, country, "
        "leader-event or commemoration."
    ),
]


@router.get(
    "/neighbors/{node:path}",
    response_model=NeighborhoodPublic,
    summary="A node's neighbourhood, every edge with the facts and evidence behind it",
    responses=error_responses(404, 422, 503),
)
async def neighbors(
    request: Request,
    store: StoreDep,
    node: Annotated[str, Path(description="An IRI, or its path under /id/: person/Q7747.", examples=["person/Q7747"])],
    depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description="How many edges out.")] = 1,
    graph: GraphQuery = "entity",
) -> Response:
    """Nodes within ``depth`` edges of ``node`` (each with its ``distance``) and the edges among them.

    In the ``entity`` graph a leader's co-attendees are two edges away (leader - event - leader); in
    ``coattendance`` they are neighbours, each shared event with the text that states it."""
    source = graphs(request, store)
    return await cached(request, lambda: json_response(NeighborhoodPublic, neighborhood(source, graph, node, depth)))


@router.get(
    "/path",
    response_model=PathPublic,
    summary="How two entities are connected: the shortest chain of stated facts, with evidence",
    responses=error_responses(404, 422, 503),
)
async def path(
    request: Request,
    store: StoreDep,
    start: Annotated[str, Query(alias="from", description="An IRI or person/Q7747.", examples=["person/Q7747"])],
    end: Annotated[str, Query(alias="to", description="An IRI or person/Q15031.", examples=["person/Q15031"])],
) -> Response:
    """Each step names the two nodes, the RDF statement behind the edge and where it was read (article,
    outlet, date, exact text, offsets). Stated facts cost 1 and "mentioned in the same article" 2, so
    the path prefers what the articles state. 404 when a node is unknown or nothing connects them."""
    source = graphs(request, store)
    return await cached(request, lambda: json_response(PathPublic, explain(source, start, end)))


@router.get(
    "/centrality",
    response_model=CentralityPublic,
    summary="The most central nodes of a graph",
    responses=error_responses(422, 503),
)
async def centrality(
    request: Request,
    store: StoreDep,
    graph: GraphQuery = "coattendance",
    kind: Annotated[CentralityKind, Query(description="The measure.")] = "degree",
    limit: Annotated[int, Query(ge=1, le=500, description="How many nodes, highest score first.")] = 20,
) -> Response:
    """``degree`` and ``betweenness`` ignore weights; ``eigenvector`` and ``pagerank`` use the number of
    shared events where the graph has it."""
    source = graphs(request, store)
    return await cached(request, lambda: json_response(CentralityPublic, ranking(source, graph, kind, limit)))


@router.get(
    "/export",
    summary="A whole graph as GraphML, GEXF (Gephi) or node-link JSON",
    responses={
        200: {"content": {t: {} for t in MEDIA_TYPES.values()}, "description": "The graph, as an attachment."},
        **error_responses(422, 503),
    },
)
async def export(
    request: Request,
    store: StoreDep,
    graph: GraphQuery = "coattendance",
    fmt: Annotated[ExportFormat, Query(alias="format", description="graphml, gexf or json.")] = "graphml",
) -> Response:
    """Lists (evidence, shared events) are JSON text in GraphML and GEXF attributes, arrays in JSON.
    Read back with ``nx.read_graphml``, ``nx.read_gexf`` or ``nx.node_link_graph(data, edges="edges")``."""
    source = graphs(request, store)
    headers = {"Content-Disposition": f'attachment; filename="wwiikg-{graph}.{fmt}"'}

    def render() -> Response:
        return Response(analytics.export(source.graph(graph), fmt), media_type=MEDIA_TYPES[fmt], headers=headers)

    return await cached(request, render)
