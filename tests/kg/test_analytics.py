"""Analysts' networkx views (kg.analytics) on a store built from eleven of the sample articles in data/articles."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import analytics
from kg.errors import ConfigError, NotFound
from kg.ingest import ingest
from kg.namespaces import ID, OA, SCHEMA, WD, WWII
from kg.store import Store

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
# a fixed set (every input format; Moscow and Beijing parades, D-Day, Hiroshima, Pearl Harbor, Nanjing,
# two VE Days, Katyn and Babi Yar), so the module stays fast and its expectations hold as the corpus grows
SAMPLES = [
    "01_moscow-parade-2010-nato.txt",
    "02_moscow-parade-2015-xi.md",
    "03_moscow-parade-2025-80th.json",
    "04_beijing-parade-2015.html",
    "05_d-day-80th-2024.txt",
    "07_obama-hiroshima-2016.json",
    "08_abe-pearl-harbor-2016.txt",
    "09_nanjing-80th-2017.md",
    "11_ve-day-75th-2020.txt",
    "14_katyn-and-babi-yar.jsonl",
    "19_ve-day-70th-2015-london.txt",
]
PUTIN = str(ID["person/Q7747"])
XI = str(ID["person/Q15031"])
OBAMA = str(ID["person/Q76"])
RUSSIA = str(ID["country/Q159"])
CHINA = str(ID["country/Q148"])
BUILDERS: dict[str, Callable[[Store], nx.Graph]] = {
    "leader_event": analytics.leader_event_graph,
    "coattendance": analytics.coattendance_graph,
    "country": analytics.country_graph,
    "commemoration": analytics.commemoration_graph,
    "entity": analytics.entity_graph,
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An on-disk store holding the sample articles, ingested once for the module."""
    s = Store(f"oxigraph:{tmp_path_factory.mktemp('analytics')}/store")
    summary = ingest(s, [ARTICLES / name for name in SAMPLES])
    assert summary.ok and summary.articles == len(SAMPLES) + 1  # the .jsonl file holds two articles
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="module")
def bodies(store: Store) -> dict[str, str]:
    """Article IRI -> schema:articleBody, read with SPARQL."""
    articles = [row["article"] for row in store.rows("graph_articles")]
    return {a: store.rows("article_meta", article=URIRef(a))[0]["text"] for a in articles}


@pytest.fixture(scope="module")
def graphs(store: Store) -> dict[str, nx.Graph]:
    """Each view, built once for the module."""
    return {name: build(store) for name, build in BUILDERS.items()}


def step_evidence(step: analytics.Step) -> dict:
    """A path step's evidence as the edges carry theirs: article, exact text, offsets."""
    return {
        "article": step.article.article,
        "exact": step.evidence.text,
        "start": step.evidence.start,
        "end": step.evidence.end,
    }


def assert_evidence_in_body(evidence: dict, bodies: dict[str, str]) -> None:
    body = bodies[evidence["article"]]
    assert evidence["exact"]
    assert body[evidence["start"] : evidence["end"]] == evidence["exact"]


# --- the views -------------------------------------------------------------------------------


def test_leader_event_graph_is_bipartite_leaders_to_events(graphs: dict[str, nx.Graph]) -> None:
    """Every edge joins a leader to an event, and leaders carry name, Wikidata ID and country."""
    g = graphs["leader_event"]
    assert g.number_of_edges() > 20
    for u, v in g.edges:
        assert {g.nodes[u]["kind"], g.nodes[v]["kind"]} == {"leader", "event"}
    assert nx.bipartite.is_bipartite_node_set(g, {n for n, d in g.nodes(data=True) if d["bipartite"] == 0})
    putin = g.nodes[PUTIN]
    assert (putin["name"], putin["wikidata"], putin["country"], putin["country_iri"]) == (
        "Vladimir Putin",
        "Q7747",
        "Russia",
        RUSSIA,
    )


def test_leader_event_edges_carry_evidence_from_the_article(graphs: dict[str, nx.Graph], bodies: dict) -> None:
    """Each participation edge names its article and outlet, and its text is the article's at the offsets."""
    g = graphs["leader_event"]
    for _, _, data in g.edges(data=True):
        assert data["relationship"] == "wwii:participant"
        assert data["article"] in bodies and data["outlet"] and data["exact"]
        for evidence in data["evidence"]:
            assert_evidence_in_body(evidence, bodies)


def test_putin_and_xi_coattend_events_with_evidence(graphs: dict[str, nx.Graph], bodies: dict) -> None:
    """Putin and Xi share at least one event, each listed with its evidence; weight counts them."""
    g = graphs["coattendance"]
    assert g.has_edge(PUTIN, XI)
    edge = g.edges[PUTIN, XI]
    assert edge["weight"] == len(edge["events"]) >= 1
    assert any(e["type"] == "parade" for e in edge["events"])
    for event in edge["events"]:
        assert_evidence_in_body(event, bodies)
    assert all(d["kind"] == "leader" for _, d in g.nodes(data=True))


def test_country_graph_links_russia_and_china(graphs: dict[str, nx.Graph]) -> None:
    """Russia and China are joined by commemorations that Putin and Xi both attended."""
    g = graphs["country"]
    assert (g.nodes[RUSSIA]["label"], g.nodes[CHINA]["label"]) == ("Russia", "China")
    edge = g.edges[RUSSIA, CHINA]
    assert edge["weight"] == len(edge["events"]) >= 1
    assert any({PUTIN, XI} <= set(e["leaders"]) for e in edge["events"])
    assert all(d["kind"] == "country" and d["commemorations"] >= 1 for _, d in g.nodes(data=True))


def test_commemoration_graph_links_a_parade_to_the_end_of_the_war(graphs: dict[str, nx.Graph]) -> None:
    """A Moscow or Beijing parade commemorates a 1945 event, with a stated anniversary of 70 or 80."""
    g = graphs["commemoration"]
    assert g.is_directed()
    found = []
    for source, target, data in g.edges(data=True):
        parade = g.nodes[source]
        where = f"{parade['label']} {parade.get('place', '')}"
        in_city = any(city in where for city in ("Moscow", "Red Square", "Beijing"))
        if parade["type"] == "parade" and in_city and g.nodes[target].get("date", "").startswith("1945"):
            found.append((data.get("anniversary_stated"), data.get("anniversary_computed")))
    assert any(stated in (70, 80) and computed == stated for stated, computed in found)


def test_commemorated_events_with_wikidata_are_grouped_under_the_wikidata_iri(graphs: dict[str, nx.Graph]) -> None:
    """A commemorated event linked to Wikidata is one node named by its Wikidata IRI, listing its members."""
    g = graphs["commemoration"]
    grouped = [n for n, d in g.nodes(data=True) if d.get("role") == "commemorated" and d.get("wikidata")]
    assert grouped
    for node in grouped:
        assert node == str(WD[g.nodes[node]["wikidata"]])
        assert all(m.startswith(str(ID["event/"])) for m in g.nodes[node]["members"])
    surrender = g.nodes[str(WD["Q700983"])]  # German Instrument of Surrender, in both VE Day articles
    assert len(surrender["members"]) == 2
    assert g.in_degree(str(WD["Q700983"])) == 2


# --- measures --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["degree", "betweenness", "eigenvector", "pagerank"])
def test_centrality_ranks_putin_near_the_top_of_coattendance(
    graphs: dict[str, nx.Graph], kind: analytics.CentralityKind
) -> None:
    """Putin, who attends the most multi-leader events, is among the five most central leaders."""
    ranked = analytics.centrality(graphs["coattendance"], kind)
    assert len(ranked) == graphs["coattendance"].number_of_nodes()
    assert [score for *_, score in ranked] == sorted((score for *_, score in ranked), reverse=True)
    assert (PUTIN, "Vladimir Putin") in [(n, label) for n, label, _ in ranked[:5]]


def test_centrality_works_on_the_directed_commemoration_graph(graphs: dict[str, nx.Graph]) -> None:
    """Eigenvector centrality, undefined on acyclic digraphs, is taken on the undirected graph instead."""
    g = graphs["commemoration"]
    assert len(analytics.centrality(g, "eigenvector")) == g.number_of_nodes()


def test_centrality_rejects_an_unknown_kind(graphs: dict[str, nx.Graph]) -> None:
    """An unknown centrality kind is a ConfigError, not a KeyError."""
    with pytest.raises(ConfigError):
        analytics.centrality(graphs["coattendance"], "closeness")  # type: ignore[arg-type]  # deliberately wrong


@pytest.mark.parametrize("method", ["greedy", "louvain"])
@pytest.mark.parametrize("name", ["coattendance", "country", "commemoration", "entity"])
def test_communities_partition_every_node(
    graphs: dict[str, nx.Graph], name: str, method: analytics.CommunityMethod
) -> None:
    """Communities cover every node exactly once, each with one label per node."""
    g = graphs[name]
    found = analytics.communities(g, method)
    assert sum(len(c.nodes) for c in found) == g.number_of_nodes()
    assert set().union(*(c.nodes for c in found)) == set(g.nodes)
    assert all(len(c.labels) == len(c.nodes) for c in found)
    assert [len(c.nodes) for c in found] == sorted((len(c.nodes) for c in found), reverse=True)


# --- paths and neighbourhoods ------------------------------------------------------------------


def test_explain_path_between_putin_and_xi_goes_through_an_event_they_shared(store: Store, bodies: dict) -> None:
    """Putin and Xi are two participant steps apart, via an event whose evidence is in the article."""
    steps = analytics.explain_path(store, PUTIN, XI)
    assert len(steps) == 2
    assert [s.relationship for s in steps] == ["wwii:participant", "wwii:participant"]
    assert steps[0].target == steps[1].source
    for step in steps:
        assert_evidence_in_body(step_evidence(step), bodies)


def test_explain_path_between_two_leaders_chains_steps_with_evidence(store: Store, bodies: dict) -> None:
    """From Obama to Xi every step continues the last, names its statement and quotes its article."""
    steps = analytics.explain_path(store, OBAMA, XI)
    assert steps and steps[0].source == OBAMA and steps[-1].target == XI
    assert [s.target for s in steps[:-1]] == [s.source for s in steps[1:]]
    for step in steps:
        assert {step.subject, step.object} == {step.source, step.target}
        assert step.relationship.startswith("wwii:") and step.source_label and step.target_label
        assert step.article.outlet and step.article.id == step.article.article.rsplit("/", 1)[-1]
        assert_evidence_in_body(step_evidence(step), bodies)


def test_explain_path_raises_not_found_for_an_unknown_iri(store: Store) -> None:
    """An IRI that is not in the graph is NotFound."""
    with pytest.raises(NotFound):
        analytics.explain_path(store, PUTIN, str(ID["person/nobody"]))


def isolated_article(aid: str, name: str) -> Graph:
    """A hand-built article graph that mentions one person and nothing else."""
    from rdflib.namespace import XSD  # not at module level: pytest's collection probes it and rdflib warns

    article, person, ev = ID[f"article/{aid}"], ID[f"person/{aid}"], ID[f"evidence/{aid}-0-{len(name)}"]
    g = Graph(identifier=article)
    g.add((article, RDF.type, WWII.Article))
    g.add((article, SCHEMA.articleBody, Literal(name)))
    g.add((person, RDF.type, WWII.Person))
    g.add((person, RDFS.label, Literal(name)))
    g.add((person, WWII.mention, ev))
    g.add((ev, OA.hasSource, article))
    g.add((ev, OA.start, Literal(0, datatype=XSD.nonNegativeInteger)))
    g.add((ev, OA.end, Literal(len(name), datatype=XSD.nonNegativeInteger)))
    g.add((ev, OA.exact, Literal(name)))
    return g


def test_explain_path_raises_not_found_when_nothing_connects_them() -> None:
    """Two people in unrelated articles have no path: NotFound, not an empty list."""
    with Store("memory:") as s:
        s.put_article(isolated_article("0123456789abcdef", "Ada"))
        s.put_article(isolated_article("fedcba9876543210", "Bo"))
        with pytest.raises(NotFound):
            analytics.explain_path(s, str(ID["person/0123456789abcdef"]), str(ID["person/fedcba9876543210"]))


def test_neighbors_of_xi_are_his_events_countries_and_articles(store: Store) -> None:
    """Xi's depth-1 neighbourhood holds the events he took part in and the articles that mention him."""
    hood = analytics.neighbors(store, XI)
    assert XI in hood
    assert all(hood.has_edge(XI, n) for n in hood if n != XI)
    kinds = {d["kind"] for _, d in hood.nodes(data=True)}
    assert {"event", "article", "country"} <= kinds
    assert analytics.neighbors(store, XI, depth=2).number_of_nodes() > hood.number_of_nodes()


def test_neighbors_raises_not_found_for_an_unknown_iri(store: Store) -> None:
    """An IRI that is not in the graph is NotFound."""
    with pytest.raises(NotFound):
        analytics.neighbors(store, str(ID["country/Q0"]))


# --- export ------------------------------------------------------------------------------------

READERS: dict[str, Callable[[bytes], nx.Graph]] = {
    "graphml": lambda data: nx.read_graphml(io.BytesIO(data)),
    "gexf": lambda data: nx.read_gexf(io.BytesIO(data)),
    "json": lambda data: nx.node_link_graph(json.loads(data), edges="edges"),
}


@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_export_round_trips(graphs: dict[str, nx.Graph], name: str, fmt: analytics.ExportFormat) -> None:
    """An exported graph reads back with networkx: same nodes, edges, labels and kinds."""
    g = graphs[name]
    back = READERS[fmt](analytics.export(g, fmt))
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    assert back.is_directed() == g.is_directed()
    for node, data in g.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
        assert back.nodes[node]["kind"] == data["kind"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_keeps_lists_as_json_text(graphs: dict[str, nx.Graph], fmt: analytics.ExportFormat) -> None:
    """In GraphML and GEXF, the events of a co-attendance edge are JSON text that parses back to the list."""
    g = graphs["coattendance"]
    back = READERS[fmt](analytics.export(g, fmt))
    assert json.loads(back.edges[PUTIN, XI]["events"]) == g.edges[PUTIN, XI]["events"]
    assert float(back.edges[PUTIN, XI]["weight"]) == g.edges[PUTIN, XI]["weight"]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_portable_attributes_are_strings_numbers_or_booleans(graphs: dict[str, nx.Graph], name: str) -> None:
    """After portable(), every node and edge attribute is a scalar, one type per attribute name."""
    g = analytics.portable(graphs[name])
    types: dict[str, set[type]] = {}
    for data in [d for _, d in g.nodes(data=True)] + [d for *_, d in g.edges(data=True)]:
        for key, value in data.items():
            assert isinstance(value, str | int | float | bool)
            types.setdefault(key, set()).add(type(value))
    assert all(len(seen) == 1 for seen in types.values())


def test_export_rejects_an_unknown_format(graphs: dict[str, nx.Graph]) -> None:
    """An unknown export format is a ConfigError."""
    with pytest.raises(ConfigError):
        analytics.export(graphs["country"], "dot")  # type: ignore[arg-type]  # deliberately wrong
