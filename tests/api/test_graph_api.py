"""``/graph/*`` over the sample articles: neighbourhoods, explanation paths, centrality and exports,
checked the way a user reads them (who is connected to whom, and the text that says so)."""

from __future__ import annotations

import io
import json
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
import networkx as nx
import pytest

from api.routes.articles import ReadCache
from api.routes.graph import GraphCache, Graphs, explain
from kg.articles import make_article
from kg.errors import NotFound

if TYPE_CHECKING:
    from conftest import KGApi

ID = "https://w3id.org/wwiikg/id/"
PUTIN = ID + "person/Q7747"
XI = ID + "person/Q15031"
MACRON = ID + "person/Q3052772"
SCHOLZ = ID + "person/Q61053"
VIEWS = ["coattendance", "country", "leader-event", "commemoration", "entity"]


def get(api: KGApi, path: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{api.base}{path}", params=params, timeout=60.0)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()  # type: ignore[no-any-return]


def assert_error(response: httpx.Response, status: int, *words: str) -> None:
    """``status`` in the API's one JSON error shape, its detail naming ``words``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    for word in words:
        assert word in body["error"]["detail"]


@cache
def body(base: str, article: str) -> str:
    """The article's text as the store holds it, read over /sparql."""
    query = f"SELECT ?b WHERE {{ GRAPH <{article}> {{ <{article}> <https://schema.org/articleBody> ?b }} }}"
    response = httpx.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return str(response.json()["results"]["bindings"][0]["b"]["value"])


def assert_evidence(api: KGApi, evidence: dict[str, Any]) -> None:
    """The evidence names its article (IRI, outlet, date) and its text is that slice of the body."""
    assert evidence["article"] == ID + "article/" + evidence["id"]
    assert evidence["outlet"] and evidence["published"] and evidence["title"]
    assert (
        evidence["text"]
        and body(api.base, evidence["article"])[evidence["start"] : evidence["end"]] == evidence["text"]
    )


def edge_between(page: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    return next(e for e in page["edges"] if {e["source"], e["target"]} == {a, b})


# --- neighbours --------------------------------------------------------------------------


def test_putin_coattendees_include_xi_with_the_events_and_their_evidence(kg_api: KGApi) -> None:
    """In the co-attendance graph Xi is Putin's neighbour; each shared event comes with the text stating it."""
    page = get(kg_api, "/graph/neighbors/person/Q7747", graph="coattendance")
    assert page["center"]["label"] == "Vladimir Putin" and page["center"]["distance"] == 0
    xi = next(n for n in page["nodes"] if n["iri"] == XI)
    assert xi["label"] == "Xi Jinping" and xi["distance"] == 1 and xi["attributes"]["country"] == "China"
    edge = edge_between(page, PUTIN, XI)
    assert edge["weight"] == len(edge["facts"]) >= 2
    assert any("Victory Day" in (fact["event_label"] or "") for fact in edge["facts"])
    for fact in edge["facts"]:
        assert fact["relationship"] == "shared event" and fact["event"].startswith(ID + "event/")
        assert_evidence(kg_api, fact["evidence"])


def test_entity_neighbourhood_reaches_xi_through_an_event_they_both_attended(kg_api: KGApi) -> None:
    """In the entity graph Putin's events are one edge away and Xi two: Putin - parade - Xi, each edge a stated fact."""
    near = get(kg_api, "/graph/neighbors/person/Q7747")
    assert {n["kind"] for n in near["nodes"]} >= {"leader", "event", "article"}
    assert XI not in {n["iri"] for n in near["nodes"]}
    far = get(kg_api, "/graph/neighbors/person/Q7747", depth=2)
    assert next(n for n in far["nodes"] if n["iri"] == XI)["distance"] == 2
    events = {n["iri"] for n in far["nodes"] if n["kind"] == "event" and n["distance"] == 1}
    shared = [e for e in far["edges"] if {e["source"], e["target"]} & {XI} and {e["source"], e["target"]} & events]
    assert shared, "no event links Putin and Xi"
    event = ({shared[0]["source"], shared[0]["target"]} - {XI}).pop()
    for edge in (shared[0], edge_between(far, PUTIN, event)):
        fact = edge["facts"][0]
        assert fact["relationship"] == "wwii:participant" and fact["subject"] == event
        assert_evidence(kg_api, fact["evidence"])


@pytest.mark.parametrize(
    "node",
    [
        "person/Q7747",
        "id/person/Q7747",
        "Q7747",
        PUTIN,
        quote(PUTIN, safe=""),
        "https:/w3id.org/wwiikg/id/person/Q7747",
    ],
)
def test_a_node_is_named_by_its_iri_or_its_path(kg_api: KGApi, node: str) -> None:
    """An IRI (plain, percent-encoded or with its '//' folded), id/kind/key, kind/key or a bare key all name Putin."""
    page = get(kg_api, f"/graph/neighbors/{node}", depth=0)
    assert page["center"]["iri"] == PUTIN and [n["iri"] for n in page["nodes"]] == [PUTIN] and page["edges"] == []


def test_commemorated_events_have_their_commemorations_as_neighbours(kg_api: KGApi) -> None:
    """In the commemoration graph a commemoration's neighbour is the event it marks, with the anniversary."""
    ranked = get(kg_api, "/graph/centrality", graph="commemoration", limit=1)["items"][0]
    page = get(kg_api, f"/graph/neighbors/{quote(ranked['iri'], safe='')}", graph="commemoration")
    assert len(page["nodes"]) >= 3
    for edge in page["edges"]:
        assert edge["relationship"] == "wwii:commemorates" and edge["target"] == ranked["iri"]
        assert_evidence(kg_api, edge["facts"][0]["evidence"])
    assert any(edge["attributes"].get("anniversary_stated") for edge in page["edges"])


# --- paths -------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [("person/Q7747", "person/Q15031"), ("Q15031", "person/Q3052772")])
def test_path_between_two_leaders_is_a_chain_of_steps_with_evidence(kg_api: KGApi, start: str, end: str) -> None:
    """Each step continues from the last, names the statement behind it and the text it was read from."""
    path = get(kg_api, "/graph/path", **{"from": start, "to": end})
    steps = path["steps"]
    assert path["length"] == len(steps) >= 2
    assert steps[0]["source"]["iri"] == path["source"]["iri"] and steps[-1]["target"]["iri"] == path["target"]["iri"]
    for before, after in pairwise(steps):
        assert before["target"]["iri"] == after["source"]["iri"]
    for step in steps:
        assert {step["subject"], step["object"]} == {step["source"]["iri"], step["target"]["iri"]}
        assert step["relationship"].startswith("wwii:")
        assert_evidence(kg_api, step["evidence"])


def test_path_prefers_what_articles_state_over_what_they_mention_together(kg_api: KGApi) -> None:
    """Putin to Xi goes through an event they both attended (two stated facts), not a shared article."""
    path = get(kg_api, "/graph/path", **{"from": PUTIN, "to": XI})
    assert path["cost"] == 2.0 and [s["relationship"] for s in path["steps"]] == ["wwii:participant"] * 2
    assert path["steps"][0]["target"]["kind"] == "event"


def test_unknown_nodes_are_404(kg_api: KGApi) -> None:
    """A node no article names is 404 in the JSON error shape, for neighbours and paths alike."""
    assert_error(httpx.get(f"{kg_api.base}/graph/neighbors/person/Q1"), 404, "person/Q1")
    assert_error(httpx.get(f"{kg_api.base}/graph/path", params={"from": PUTIN, "to": "person/Q1"}), 404, "Q1")


def test_no_path_is_not_found() -> None:
    """Two nodes in different components: NotFound (404 over HTTP), naming both."""
    graph = nx.Graph(name="entities")
    graph.add_node(PUTIN, label="Vladimir Putin", kind="leader")
    graph.add_node(XI, label="Xi Jinping", kind="leader")
    cache = GraphCache({"entity": (0, graph), "articles": (0, {})})
    source = Graphs(store=None, cache=cache, reads=ReadCache(enabled=True))  # type: ignore[arg-type]  # all cached
    with pytest.raises(NotFound, match="connects"):
        explain(source, PUTIN, XI)


# --- centrality --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["degree", "betweenness", "eigenvector", "pagerank"])
def test_putin_is_among_the_most_central_coattendees(kg_api: KGApi, kind: str) -> None:
    """Putin, at most parades and anniversaries, is in the top three by every measure; scores come highest first."""
    page = get(kg_api, "/graph/centrality", graph="coattendance", kind=kind, limit=10)
    items = page["items"]
    assert page["kind"] == kind and len(items) == 10 and page["nodes"] > 50
    assert [i["rank"] for i in items] == list(range(1, 11))
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert PUTIN in [i["iri"] for i in items[:3]]


def test_country_centrality_puts_russia_first(kg_api: KGApi) -> None:
    """Russia's leaders share the most commemorations with other countries' leaders."""
    items = get(kg_api, "/graph/centrality", graph="country", limit=3)["items"]
    assert items[0]["label"] == "Russia" and items[0]["kind"] == "country"


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/graph/centrality", {"graph": "people"}, "graph"),
        ("/graph/centrality", {"kind": "closeness"}, "kind"),
        ("/graph/centrality", {"limit": 0}, "limit"),
        ("/graph/neighbors/person/Q7747", {"depth": 9}, "depth"),
        ("/graph/neighbors/person/Q7747", {"depth": "two"}, "depth"),
        ("/graph/export", {"format": "pdf"}, "format"),
        ("/graph/path", {"from": PUTIN}, "to"),
    ],
)
def test_bad_parameters_are_422(kg_api: KGApi, path: str, params: dict[str, Any], field: str) -> None:
    """An unknown graph, measure or format, an out-of-range number or a missing end is 422, naming the parameter."""
    assert_error(httpx.get(f"{kg_api.base}{path}", params=params), 422, field)


# --- exports -----------------------------------------------------------------------------

READERS = {
    "graphml": lambda data: nx.read_graphml(io.BytesIO(data)),
    "gexf": lambda data: nx.read_gexf(io.BytesIO(data)),
    "json": lambda data: nx.node_link_graph(json.loads(data), edges="edges"),
}
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "json": "application/json"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
@pytest.mark.parametrize("view", VIEWS)
def test_exports_read_back_with_networkx(kg_api: KGApi, view: str, fmt: str) -> None:
    """Each export is an attachment of the right type that networkx reads back whole, labels included."""
    response = httpx.get(f"{kg_api.base}/graph/export", params={"graph": view, "format": fmt}, timeout=60.0)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPES[fmt])
    assert response.headers["content-disposition"] == f'attachment; filename="wwiikg-{view}.{fmt}"'
    graph = READERS[fmt](response.content)
    counts = get(kg_api, "/graph/centrality", graph=view, limit=1)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (counts["nodes"], counts["edges"])
    if view in {"coattendance", "entity"}:
        assert graph.nodes[PUTIN]["label"] == "Vladimir Putin"


def test_coattendance_export_keeps_the_evidence_of_each_edge(kg_api: KGApi) -> None:
    """In GraphML the shared events of an edge are JSON text naming the article, outlet and exact words."""
    response = httpx.get(f"{kg_api.base}/graph/export", params={"graph": "coattendance"}, timeout=60.0)
    graph = nx.read_graphml(io.BytesIO(response.content))
    events = json.loads(graph.edges[PUTIN, XI]["events"])
    assert graph.edges[PUTIN, XI]["weight"] == len(events)
    assert all(e["article"].startswith(ID + "article/") and e["exact"] and e["outlet"] for e in events)


# --- the cache follows writes ------------------------------------------------------------

TEXT = (
    "German Chancellor Olaf Scholz and Polish President Andrzej Duda laid wreaths together at a ceremony "
    "in Warsaw on Wednesday to mark the end of the war in Europe."
)
ARTICLE = {
    "title": "Scholz and Duda lay wreaths in Warsaw",
    "text": TEXT,
    "published": "2025-05-08",
    "outlet": "Test Wire",
}


def scholz_sources(api: KGApi) -> set[str]:
    page = get(api, "/graph/neighbors/person/Q61053", graph="coattendance")
    return {f["evidence"]["article"] for e in page["edges"] for f in e["facts"]}


def test_graphs_are_rebuilt_after_a_write(kg_api: KGApi) -> None:
    """An article added through the API shows in the next neighbourhood; once deleted it is gone again."""
    article = ID + "article/" + make_article(TEXT).id
    assert article not in scholz_sources(kg_api)
    created = httpx.post(f"{kg_api.base}/articles", json=ARTICLE, headers=kg_api.auth, timeout=60.0)
    assert created.status_code == 201, created.text
    try:
        assert article in scholz_sources(kg_api)
    finally:
        deleted = httpx.delete(f"{kg_api.base}/articles/{make_article(TEXT).id}", headers=kg_api.auth)
        assert deleted.status_code == 204, deleted.text
    assert article not in scholz_sources(kg_api)
