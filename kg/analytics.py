"""Networkx views of the graph for analysts, built from the store with SPARQL (``kg/queries/graph_*.rq``).

Nodes are IRI strings with a ``label`` for display and a ``kind`` (``leader``, ``person``, ``event``,
``country``, ``article``). Every edge that states a fact carries its evidence: ``article``,
``outlet`` and ``exact`` (the text it was read from) for the first source, and ``evidence``, the
list of every source with its ``start``/``end`` offsets into the article body.

    leader_event_graph(store)    leaders -- events they took part in        (bipartite Graph)
    coattendance_graph(store)    leader -- leader, weight = shared events   (Graph)
    country_graph(store)         country -- country, weight = joint commemorations
    commemoration_graph(store)   commemoration -> commemorated event         (DiGraph)
    entity_graph(store)          people, events, countries and articles together, for
                                 explain_path(store, a, b) and neighbors(store, iri, depth)

``centrality`` and ``communities`` work on any of them; ``export`` writes GraphML, GEXF or
node-link JSON.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations, pairwise
from typing import Any, Literal

import networkx as nx

from kg.errors import ConfigError, NotFound
from kg.facts.shape import Evidence, Source
from kg.namespaces import WD
from kg.store import Store

CentralityKind = Literal["degree", "betweenness", "eigenvector", "pagerank"]
CommunityMethod = Literal["greedy", "louvain"]
ExportFormat = Literal["graphml", "gexf", "json"]

PARTICIPANT = "wwii:participant"
HOLDS_OFFICE = "wwii:holdsOffice"
COMMEMORATES = "wwii:commemorates"
PLACE = "wwii:place"
MENTION = "wwii:mention"
EVIDENCE = "wwii:evidence"
# cost of an edge in explain_path: a stated fact beats "both are mentioned in the same article"
FACT_COST = 1.0
MENTION_COST = 2.0
_COSTS = {MENTION: MENTION_COST, EVIDENCE: MENTION_COST}


@dataclass(frozen=True)
class Step:
    """One edge of a path: the two nodes, the RDF statement behind it, and where it was read: the
    ``article`` (a ``kg.facts.Source``) and the ``evidence`` in its body (a ``kg.facts.Evidence``),
    the records every fact read carries."""

    source: str
    source_label: str
    target: str
    target_label: str
    relationship: str
    subject: str
    object: str
    article: Source
    evidence: Evidence


@dataclass(frozen=True)
class Community:
    """A set of nodes that are more connected to each other than to the rest, with their labels."""

    nodes: frozenset[str]
    labels: tuple[str, ...]


# --- what the store says, one named query each ------------------------------------------------


def _articles(store: Store) -> dict[str, dict[str, Any]]:
    return {row["article"]: row for row in store.rows("graph_articles")}


def _evidence(row: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    outlet = articles.get(row["article"], {}).get("outlet")
    return {
        "article": row["article"],
        "outlet": outlet,
        "exact": row["exact"],
        "start": int(row["start"]),
        "end": int(row["end"]),
    }


def _sorted_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in a stable order, so graphs (and their exports) are the same from run to run."""
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r.values()))


def _leaders(store: Store) -> dict[str, dict[str, Any]]:
    """Leader node attributes; ``country`` is the one most articles name a current office of."""
    best: dict[str, tuple[tuple[bool, int], dict[str, Any]]] = {}
    for row in _sorted_rows(store.rows("graph_leaders")):
        attrs: dict[str, Any] = {"label": row["name"], "kind": "leader", "name": row["name"]}
        if row["wikidata"]:
            attrs["wikidata"] = row["wikidata"]
        if row["country"]:
            attrs["country"] = row["countryName"] or row["country"]
            attrs["country_iri"] = row["country"]
        score = (row["country"] is not None, int(row["articles"]))
        if row["leader"] not in best or score > best[row["leader"]][0]:
            best[row["leader"]] = (score, attrs)
    return {iri: attrs for iri, (_, attrs) in sorted(best.items())}


def _people(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for row in _sorted_rows(store.rows("graph_people")):
        attrs: dict[str, Any] = {"label": row["name"], "kind": "leader" if row["leader"] else "person"}
        if row["wikidata"]:
            attrs["wikidata"] = row["wikidata"]
        out[row["person"]] = attrs
    return out


def _countries(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for row in _sorted_rows(store.rows("graph_countries")):
        attrs: dict[str, Any] = {"label": row["name"], "kind": "country"}
        if row["wikidata"]:
            attrs["wikidata"] = row["wikidata"]
        out[row["country"]] = attrs
    return out


def _events(store: Store, articles: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Event node attributes, from the first article (in IRI order) that states the event."""
    out: dict[str, dict[str, Any]] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for row in _sorted_rows(store.rows("graph_events")):
        sources[row["event"]].add(row["article"])
        if row["event"] in out:
            continue
        attrs: dict[str, Any] = {"label": row["label"], "kind": "event", "type": row["type"]}
        for key in ("family", "date", "wikidata"):
            if row[key] is not None:
                attrs[key] = row[key]
        if row["place"] is not None:
            attrs["place"] = row["placeName"]
            attrs["place_iri"] = row["place"]
        attrs["article"] = row["article"]
        outlet = articles.get(row["article"], {}).get("outlet")
        if outlet:
            attrs["outlet"] = outlet
        out[row["event"]] = attrs
    for iri, attrs in out.items():
        attrs["articles"] = len(sources[iri])
    return out


def _article_nodes(articles: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for iri, row in sorted(articles.items()):
        attrs: dict[str, Any] = {"label": row["title"] or iri.rsplit("/", 1)[-1], "kind": "article"}
        for key in ("outlet", "published"):
            if row[key]:
                attrs[key] = row[key]
        out[iri] = attrs
    return out


def _add_fact(graph: nx.Graph, u: str, v: str, evidence: dict[str, Any], **attrs: Any) -> None:
    """Add (or extend) edge u-v with one more piece of evidence; ``attrs`` set on first sight."""
    if graph.has_edge(u, v):
        data = graph.edges[u, v]
        if evidence not in data["evidence"]:
            data["evidence"].append(evidence)
    else:
        graph.add_edge(u, v, **attrs, evidence=[evidence])


def _finish_evidence(graph: nx.Graph) -> None:
    """Sort each edge's evidence and copy the first source to flat ``article``/``outlet``/``exact``."""
    for _, _, data in graph.edges(data=True):
        if "evidence" not in data:
            continue
        data["evidence"].sort(key=lambda e: (e["article"], e["start"], e["end"]))
        first = data["evidence"][0]
        data["article"] = first["article"]
        data["exact"] = first["exact"]
        if first["outlet"]:
            data["outlet"] = first["outlet"]


# --- the views ---------------------------------------------------------------------------------


def leader_event_graph(store: Store) -> nx.Graph:
    """Bipartite graph of every leader (``bipartite=0``) and the events they took part in (``bipartite=1``).

    Leaders carry ``name``, ``wikidata``, ``country`` (label) and ``country_iri``; events ``type``,
    ``family``, ``date`` (a date, year-month or year), ``place``. Each edge carries the event's
    evidence and ``countries``: the countries of the leader's current offices in that article.
    """
    articles = _articles(store)
    leaders = _leaders(store)
    events = _events(store, articles)
    graph = nx.Graph(name="leaders and events")
    for iri, attrs in leaders.items():
        graph.add_node(iri, bipartite=0, **attrs)
    for row in _sorted_rows(store.rows("graph_participation")):
        leader, event = row["participant"], row["event"]
        if leader not in leaders:
            continue
        if event not in graph:
            graph.add_node(event, bipartite=1, **events.get(event, {"label": event, "kind": "event"}))
        _add_fact(graph, leader, event, _evidence(row, articles), relationship=PARTICIPANT, countries=[])
        countries = graph.edges[leader, event]["countries"]
        if row["country"] and row["country"] not in countries:
            countries.append(row["country"])
    _finish_evidence(graph)
    return graph


def _event_entry(graph: nx.Graph, event: str, evidence: Mapping[str, Any]) -> dict[str, Any]:
    data = graph.nodes[event]
    return {
        "event": event,
        "label": data.get("label"),
        "type": data.get("type"),
        "date": data.get("date"),
        **evidence,
    }


def _leader_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "bipartite"}


def coattendance_graph(store: Store) -> nx.Graph:
    """Leaders linked when they took part in the same event; ``weight`` = number of shared events.

    Each edge's ``events`` lists the shared events (IRI, label, type, date) with the evidence that
    states them (article, outlet, exact text, offsets).
    """
    bipartite = leader_event_graph(store)
    graph = nx.Graph(name="co-attendance")
    for node, data in bipartite.nodes(data=True):
        if data["kind"] == "leader":
            graph.add_node(node, **_leader_attrs(data))
    for event, data in bipartite.nodes(data=True):
        if data["kind"] != "event":
            continue
        attendees = sorted(bipartite.neighbors(event))
        for a, b in combinations(attendees, 2):
            entry = _event_entry(bipartite, event, bipartite.edges[a, event]["evidence"][0])
            if graph.has_edge(a, b):
                graph.edges[a, b]["events"].append(entry)
            else:
                graph.add_edge(a, b, events=[entry])
    for _, _, data in graph.edges(data=True):
        data["weight"] = len(data["events"])
    return graph


def country_graph(store: Store) -> nx.Graph:
    """Countries linked when their leaders attended the same commemorative event; ``weight`` = events.

    A leader's country is the country of their current office in the article that reports the
    event, else the one most articles give them. Each edge's ``events`` lists the commemorations,
    with evidence and the ``leaders`` of the two countries there; each country has
    ``commemorations``, the number it attended.
    """
    bipartite = leader_event_graph(store)
    countries = _countries(store)
    graph = nx.Graph(name="joint commemorations")
    attended: dict[str, int] = defaultdict(int)
    for event, data in bipartite.nodes(data=True):
        if data["kind"] != "event" or data.get("family") != "commemorative":
            continue
        by_country: dict[str, set[str]] = defaultdict(set)
        for leader in bipartite.neighbors(event):
            edge = bipartite.edges[leader, event]
            home = edge["countries"] or [bipartite.nodes[leader].get("country_iri")]
            for country in home:
                if country:
                    by_country[country].add(leader)
        for country in by_country:
            attended[country] += 1
            if country not in graph:
                graph.add_node(country, **countries.get(country, {"label": country, "kind": "country"}))
        evidence = bipartite.edges[min(bipartite.neighbors(event)), event]["evidence"][0]
        for a, b in combinations(sorted(by_country), 2):
            entry = _event_entry(bipartite, event, evidence)
            entry["leaders"] = sorted(by_country[a] | by_country[b])
            if graph.has_edge(a, b):
                graph.edges[a, b]["events"].append(entry)
            else:
                graph.add_edge(a, b, events=[entry])
    for country, count in attended.items():
        graph.nodes[country]["commemorations"] = count
    for _, _, data in graph.edges(data=True):
        data["weight"] = len(data["events"])
    return graph


def commemoration_graph(store: Store) -> nx.DiGraph:
    """Commemorations -> the historical events they commemorate, with the anniversary on each edge.

    Commemorated events that articles link to the same Wikidata item are one node, whose id is the
    Wikidata IRI and whose ``members`` lists the article-level event IRIs. Edges carry
    ``anniversary_stated`` (what the article says), ``anniversary_computed`` (from the two dates)
    and ``anniversary_consistent`` when the store has them, and the commemoration's evidence.
    """
    articles = _articles(store)
    events = _events(store, articles)
    graph = nx.DiGraph(name="commemorations")
    for row in _sorted_rows(store.rows("graph_commemorations")):
        source, member = row["event"], row["target"]
        target = str(WD[row["targetWikidata"]]) if row["targetWikidata"] else member
        if source not in graph:
            graph.add_node(source, role="commemoration", **events.get(source, {"label": source, "kind": "event"}))
        if target not in graph:
            attrs = dict(events.get(member, {"label": member, "kind": "event"}))
            graph.add_node(target, **attrs, role="commemorated", members=[])
        if member not in graph.nodes[target].setdefault("members", []):
            graph.nodes[target]["members"].append(member)
        anniversary = {
            f"anniversary_{key}": row[key] for key in ("stated", "computed", "consistent") if row[key] is not None
        }
        _add_fact(graph, source, target, _evidence(row, articles), relationship=COMMEMORATES, **anniversary)
    _finish_evidence(graph)
    return graph


def entity_graph(store: Store) -> nx.Graph:
    """People, events, countries and articles, linked by every fact between them, with evidence.

    Edges: event - participant (``wwii:participant``), person - country of an office
    (``wwii:holdsOffice``, with ``role``), event - commemorated event (``wwii:commemorates``),
    event - country it took place in (``wwii:place``), and entity - article that mentions it
    (``wwii:mention``; for events ``wwii:evidence``). Each edge keeps every statement in ``facts``
    (relationship, subject, object, evidence), and ``cost``: 1 for a fact, 2 for a mention, so
    shortest paths prefer what the articles state over what they merely mention together.
    """
    articles = _articles(store)
    nodes: dict[str, dict[str, Any]] = {}
    nodes.update(_article_nodes(articles))
    nodes.update(_countries(store))
    nodes.update(_people(store))
    nodes.update(_events(store, articles))
    graph = nx.Graph(name="entities")
    graph.add_nodes_from(sorted(nodes.items()))

    def add(subject: str, obj: str, relationship: str, row: Mapping[str, Any], cost: float, **extra: Any) -> None:
        if subject not in graph or obj not in graph or subject == obj:
            return
        fact = {"relationship": relationship, "subject": subject, "object": obj, **extra, **_evidence(row, articles)}
        if not graph.has_edge(subject, obj):
            graph.add_edge(subject, obj, facts=[fact], cost=cost)
            return
        data = graph.edges[subject, obj]
        if fact not in data["facts"]:
            data["facts"].append(fact)
            data["cost"] = min(data["cost"], cost)

    for row in _sorted_rows(store.rows("graph_participation")):
        add(row["event"], row["participant"], PARTICIPANT, row, FACT_COST)
    for row in _sorted_rows(store.rows("graph_offices")):
        add(row["person"], row["country"], HOLDS_OFFICE, row, FACT_COST, role=row["role"], current=row["current"])
    for row in _sorted_rows(store.rows("graph_commemorations")):
        add(row["event"], row["target"], COMMEMORATES, row, FACT_COST)
    for row in _sorted_rows(store.rows("graph_places")):
        add(row["event"], row["country"], PLACE, row, FACT_COST)
    for row in _sorted_rows(store.rows("graph_mentions")):
        via = EVIDENCE if nodes.get(row["entity"], {}).get("kind") == "event" else MENTION
        add(row["entity"], row["article"], via, row, MENTION_COST)

    for _, _, data in graph.edges(data=True):
        data["facts"].sort(key=lambda f: (_COSTS.get(f["relationship"], FACT_COST), f["article"], f["start"]))
        best = data["facts"][0]
        data["relationship"] = best["relationship"]
        data["article"] = best["article"]
        data["exact"] = best["exact"]
        if best["outlet"]:
            data["outlet"] = best["outlet"]
    return graph


def explain_path(store: Store, source_iri: str, target_iri: str) -> list[Step]:
    """The shortest chain of stated facts from one entity to another, each step with its evidence.

    Runs over ``entity_graph`` (people, events, countries, articles); ``NotFound`` when either IRI
    is not in it or nothing connects them.
    """
    articles = _articles(store)
    graph = entity_graph(store)
    source, target = str(source_iri), str(target_iri)
    for iri in (source, target):
        if iri not in graph:
            raise NotFound(f"no person, event, country or article {iri}")
    try:
        path = nx.shortest_path(graph, source, target, weight="cost")
    except nx.NetworkXNoPath:
        raise NotFound(f"nothing in the graph connects {source} and {target}") from None
    steps = []
    for u, v in pairwise(path):
        fact = graph.edges[u, v]["facts"][0]
        meta = articles.get(fact["article"], {})
        published = meta.get("published")
        article = Source(
            fact["article"],
            fact["article"].rsplit("/", 1)[-1],
            title=meta.get("title"),
            outlet=fact["outlet"],
            published=None if published is None else str(published),
        )
        steps.append(
            Step(
                source=u,
                source_label=graph.nodes[u]["label"],
                target=v,
                target_label=graph.nodes[v]["label"],
                relationship=fact["relationship"],
                subject=fact["subject"],
                object=fact["object"],
                article=article,
                evidence=Evidence(fact["start"], fact["end"], fact["exact"]),
            )
        )
    return steps


def neighbors(store: Store, iri: str, depth: int = 1) -> nx.Graph:
    """The part of ``entity_graph`` within ``depth`` edges of ``iri``; ``NotFound`` for an unknown IRI."""
    if depth < 0:
        raise ConfigError(f"depth must be 0 or more, got {depth}")
    graph = entity_graph(store)
    node = str(iri)
    if node not in graph:
        raise NotFound(f"no person, event, country or article {node}")
    sub: nx.Graph = nx.ego_graph(graph, node, radius=depth)
    sub.graph["name"] = f"neighbourhood of {node}"
    sub.graph["center"] = node
    return sub


# --- measures ----------------------------------------------------------------------------------


def _label(graph: nx.Graph, node: Any) -> str:
    return str(graph.nodes[node].get("label", node))


def _weight(graph: nx.Graph) -> str | None:
    return "weight" if any("weight" in d for _, _, d in graph.edges(data=True)) else None


def centrality(graph: nx.Graph, kind: CentralityKind = "degree") -> list[tuple[str, str, float]]:
    """``(node, label, score)`` for every node, highest score first.

    ``degree`` and ``betweenness`` ignore weights (a weight here is a strength, not a distance);
    ``eigenvector`` and ``pagerank`` use ``weight`` when the edges have one. Eigenvector centrality
    is computed on the undirected graph, since it is undefined on acyclic directed ones.
    """
    if graph.number_of_nodes() == 0:
        return []
    weight = _weight(graph)
    measures: dict[str, Callable[[], Mapping[Any, float]]] = {
        "degree": lambda: nx.degree_centrality(graph),
        "betweenness": lambda: nx.betweenness_centrality(graph),
        "eigenvector": lambda: nx.eigenvector_centrality(
            graph.to_undirected(as_view=True) if graph.is_directed() else graph, max_iter=1000, weight=weight
        ),
        "pagerank": lambda: nx.pagerank(graph, weight=weight),
    }
    if kind not in measures:
        raise ConfigError(f"unknown centrality {kind!r}; use one of {', '.join(measures)}")
    scores = measures[kind]()
    ranked = [(str(n), _label(graph, n), float(s)) for n, s in scores.items()]
    return sorted(ranked, key=lambda t: (-t[2], t[1], t[0]))


def communities(graph: nx.Graph, method: CommunityMethod = "greedy", *, seed: int = 0) -> list[Community]:
    """A partition of every node into communities (greedy modularity or Louvain), largest first."""
    if graph.number_of_nodes() == 0:
        return []
    weight = _weight(graph)
    if method == "greedy":
        parts: Iterable[Iterable[Any]] = nx.community.greedy_modularity_communities(graph, weight=weight)
    elif method == "louvain":
        parts = nx.community.louvain_communities(graph, weight=weight, seed=seed)
    else:
        raise ConfigError(f"unknown community method {method!r}; use greedy or louvain")
    out = []
    for part in parts:
        nodes = sorted(part, key=lambda n: (_label(graph, n), str(n)))
        out.append(Community(frozenset(str(n) for n in nodes), tuple(_label(graph, n) for n in nodes)))
    return sorted(out, key=lambda c: (-len(c.nodes), c.labels))


# --- export ------------------------------------------------------------------------------------

# keys that networkx's GEXF writer takes for structure (ids, labels, spells, edge direction)
_GEXF_NODE_RESERVED = {"id", "pid", "start", "end", "viz", "parents", "slices", "spells"}
_GEXF_EDGE_RESERVED = {"id", "type", "start", "end", "slices", "spells"}


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# characters XML 1.0 cannot hold (the GraphML writer refuses them; the GEXF writer would write broken XML)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _flatten(items: Iterable[dict[str, Any]], reserved: set[str]) -> None:
    """Make attribute values scalars, one type per key (a key that mixes types becomes text)."""
    items = list(items)
    for data in items:
        for key in list(data):
            value = _scalar(data.pop(key))
            if isinstance(value, str):
                value = _NOT_XML.sub("\ufffd", value)
            if value is not None:
                data[f"{key}_" if key in reserved else key] = value
    types: dict[str, set[type]] = defaultdict(set)
    for data in items:
        for key, value in data.items():
            types[key].add(type(value))
    for key, seen in types.items():
        if len(seen) < 2:
            continue
        to: Callable[[Any], Any] = float if seen <= {int, float} else _text
        for data in items:
            if key in data:
                data[key] = to(data[key])


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def portable(graph: nx.Graph, *, gexf: bool = False) -> nx.Graph:
    """A copy of ``graph`` whose attributes GraphML and GEXF can hold: strings, numbers and booleans.

    Lists and dicts become JSON text, dates ISO text, ``None`` is dropped, characters XML cannot hold
    become U+FFFD; with ``gexf``, keys the GEXF writer reserves (``start``, ``end``, edge ``type``...)
    get a trailing underscore.
    """
    out = graph.copy()
    _flatten([out.graph], set())
    _flatten((d for _, d in out.nodes(data=True)), _GEXF_NODE_RESERVED if gexf else set())
    _flatten((d for *_, d in out.edges(data=True)), _GEXF_EDGE_RESERVED if gexf else set())
    return out


def export(graph: nx.Graph, fmt: ExportFormat) -> bytes:
    """``graph`` as GraphML, GEXF 1.2 (Gephi) or node-link JSON (``edges`` key), UTF-8 encoded.

    GraphML and GEXF get ``portable`` attributes (lists as JSON text); JSON keeps lists as arrays.
    Read back with ``nx.read_graphml``, ``nx.read_gexf`` or ``nx.node_link_graph(data, edges="edges")``.
    """
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(portable(graph), buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(portable(graph, gexf=True), buffer, encoding="utf-8")
    elif fmt == "json":
        data = _jsonable(nx.node_link_data(graph, edges="edges"))
        buffer.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    else:
        raise ConfigError(f"unknown graph format {fmt!r}; use graphml, gexf or json")
    return buffer.getvalue()


__all__ = [
    "Community",
    "Step",
    "centrality",
    "coattendance_graph",
    "commemoration_graph",
    "communities",
    "country_graph",
    "entity_graph",
    "explain_path",
    "export",
    "leader_event_graph",
    "neighbors",
    "portable",
]
