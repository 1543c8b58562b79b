"""Sample data for the API tests: two hand-built article graphs and the queries the tests ask.

Imported as a plain module (pytest puts ``tests/api`` on ``sys.path``), not from ``conftest``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.mapping import article_iri, event_iri
from kg.namespaces import ID, SCHEMA, WD, WWII
from kg.store import Store

MAX_QUERY_BYTES = 8192  # the API under test runs with KG_MAX_QUERY_BYTES set to this

VICTORY_DAY = "a1b2c3d4e5f60718"
D_DAY = "0f1e2d3c4b5a6978"

PREFIXES = """PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# 4 dated events (2 per article), oldest first
EVENTS_QUERY = (
    PREFIXES
    + """SELECT ?event ?label ?date WHERE {
  ?event a wwii:Event ; rdfs:label ?label ; wwii:date ?date .
  FILTER(lang(?label) = "")
} ORDER BY ?date"""
)
# the 2 leaders, by name
LEADERS_QUERY = PREFIXES + "SELECT ?leader ?name WHERE { ?leader a wwii:Leader ; rdfs:label ?name } ORDER BY ?name"
# every label of every event: 5 triples (one event also has a French label)
LABELS_CONSTRUCT = PREFIXES + "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a wwii:Event ; rdfs:label ?l }"
ASK_PUTIN = PREFIXES + 'ASK { ?p a wwii:Leader ; wwii:wikidata "Q7747" }'
ASK_NOBODY = PREFIXES + 'ASK { ?p a wwii:Leader ; wwii:wikidata "Q1" }'


def _person(g: Graph, qid: str, name: str) -> URIRef:
    node = ID[f"person/{qid}"]
    for cls in (WWII.Person, WWII.Leader, SCHEMA.Person):
        g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(name)))
    g.add((node, SCHEMA.name, Literal(name)))
    g.add((node, WWII.wikidata, Literal(qid)))
    g.add((node, OWL.sameAs, WD[qid]))
    return node


def _place(g: Graph, qid: str, name: str) -> URIRef:
    node = ID[f"place/{qid}"]
    g.add((node, RDF.type, WWII.Place))
    g.add((node, RDFS.label, Literal(name)))
    return node


def _event(g: Graph, aid: str, key: str, classes: tuple[URIRef, ...], label: str, date: str, bg: bool) -> URIRef:
    node = event_iri(aid, key)
    for cls in (WWII.Event, *classes):
        g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(label)))
    g.add((node, WWII.eventType, Literal(classes[0].split("#")[-1].lower())))
    g.add((node, WWII.date, Literal(date, datatype=XSD.date)))
    g.add((node, WWII.background, Literal(bg)))
    return node


def _article(aid: str, headline: str, published: str, outlet: str, body: str) -> Graph:
    a = article_iri(aid)
    g = Graph(identifier=a)
    g.add((a, RDF.type, WWII.Article))
    g.add((a, RDF.type, SCHEMA.NewsArticle))
    g.add((a, SCHEMA.headline, Literal(headline)))
    g.add((a, SCHEMA.datePublished, Literal(published, datatype=XSD.date)))
    g.add((a, WWII.outlet, Literal(outlet)))
    g.add((a, WWII.textHash, Literal(f"sha256:{aid}")))
    g.add((a, SCHEMA.articleBody, Literal(body)))
    return g


def victory_day_graph() -> Graph:
    g = _article(
        VICTORY_DAY,
        "Putin hosts Victory Day parade on Red Square",
        "2025-05-09",
        "Example Wire",
        "Vladimir Putin watched the parade marking 80 years since the surrender of Nazi Germany.",
    )
    putin = _person(g, "Q7747", "Vladimir Putin")
    parade = _event(
        g, VICTORY_DAY, "parade", (WWII.Parade, WWII.CommemorativeEvent), "Victory Day parade", "2025-05-09", False
    )
    surrender = _event(
        g, VICTORY_DAY, "surrender", (WWII.Surrender, WWII.HistoricalEvent), "German surrender", "1945-05-08", True
    )
    g.add((parade, WWII.place, _place(g, "Q649", "Moscow")))
    g.add((parade, WWII.participant, putin))
    g.add((parade, WWII.commemorates, surrender))
    g.add((parade, WWII.anniversaryStated, Literal(80)))
    quote = ID[f"quote/{VICTORY_DAY}-120"]
    for cls in (WWII.Quotation, WWII.DirectQuote):
        g.add((quote, RDF.type, cls))
    g.add((quote, WWII.text, Literal("We remember those who fell.")))
    g.add((quote, WWII.speaker, putin))
    return g


def d_day_graph() -> Graph:
    g = _article(
        D_DAY,
        "Macron leads D-Day ceremony in Normandy",
        "2024-06-06",
        "Example Times",
        "Emmanuel Macron honoured the 4,414 Allied soldiers killed on 6 June 1944.",
    )
    macron = _person(g, "Q3052772", "Emmanuel Macron")
    ceremony = _event(
        g,
        D_DAY,
        "ceremony",
        (WWII.Ceremony, WWII.CommemorativeEvent),
        "D-Day anniversary ceremony",
        "2024-06-06",
        False,
    )
    landings = _event(
        g, D_DAY, "landings", (WWII.Invasion, WWII.HistoricalEvent), "Normandy landings", "1944-06-06", True
    )
    g.add((landings, RDFS.label, Literal("Débarquement de Normandie", lang="fr")))
    g.add((ceremony, WWII.place, _place(g, "Q15878", "Normandy")))
    g.add((ceremony, WWII.participant, macron))
    g.add((ceremony, WWII.commemorates, landings))
    figure = ID[f"figure/{D_DAY}-40"]
    g.add((figure, RDF.type, WWII.CasualtyFigure))
    g.add((figure, WWII.low, Literal(4414)))
    g.add((figure, WWII.high, Literal(4414)))
    g.add((figure, WWII.measure, Literal("killed")))
    g.add((figure, WWII.surface, Literal("4,414")))
    g.add((figure, WWII.aboutEvent, landings))
    return g


@dataclass(frozen=True)
class Served:
    """A running API process and what it serves."""

    base: str
    graphs: dict[URIRef, Graph]

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def triples(self) -> int:
        """The triples of the article graphs."""
        return sum(len(g) for g in self.graphs.values())

    @property
    def quads(self) -> int:
        """Every quad the store holds once the article graphs are written through ``Store``: the
        article graphs, their listing graphs and the views (the list view, ontology/README.md)."""
        return len(stored(self.graphs.values()).native)

    @property
    def graph_names(self) -> set[str]:
        """Every named graph the store holds: the article graphs, their listings and the views."""
        return {str(q.graph_name.value) for q in stored(self.graphs.values()).native}


def stored(graphs: Iterable[Graph]) -> Store:
    """An in-memory store holding ``graphs``, each written with ``Store.put_article``, brought up to
    date first as the API does when it opens a store of its own (``Store.ensure_listings``)."""
    store = Store("memory:")
    store.ensure_listings()
    for graph in graphs:
        store.put_article(graph)
    return store


def article_graphs() -> dict[URIRef, Graph]:
    """The two article graphs, by article IRI."""
    return {g.identifier: g for g in (victory_day_graph(), d_day_graph())}  # type: ignore[misc]
