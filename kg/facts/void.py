"""The VoID description of the store."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.facts.params import WWII, key_of
from kg.namespaces import ID
from kg.store import Store

_VOID_PARTITIONS = (
    ("Article", "articles"),
    ("Person", "people"),
    ("Leader", "leaders"),
    ("Event", "events"),
    ("CasualtyFigure", "casualty_figures"),
    ("DirectQuote", "quotes"),
    ("IndirectStatement", "statements"),
)


def void(store: Store, *, dataset: str, sparql_endpoint: str) -> Graph:
    """A VoID description of the store: triples, entities, classes, vocabularies, the URI space, the
    SPARQL endpoint, and one ``void:subset`` per article graph with its triple count."""
    from rdflib.namespace import DCTERMS, VOID, XSD

    from kg.namespaces import BASE, OA, SCHEMA, SEM

    per_graph = store.select("api_void", {})
    counts = store.select("api_void_counts", {})
    c = counts[0] if counts else {}
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("wwii", BASE + "ontology#")
    root = URIRef(f"{dataset}#dataset")
    total = sum(int(r["triples"] or 0) for r in per_graph)
    g.add((root, RDF_TYPE, VOID.Dataset))
    g.add((root, DCTERMS.title, Literal("WWII commemoration knowledge graph")))
    g.add(
        (
            root,
            DCTERMS.description,
            Literal(
                "News about the memory of World War II as RDF: one named graph per article, every fact with the text "
                "span it was read from."
            ),
        )
    )
    g.add((root, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    g.add((root, VOID.uriSpace, Literal(str(ID))))
    g.add((root, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((root, VOID.entities, Literal(int(c.get("entities") or 0), datatype=XSD.integer)))
    g.add((root, VOID.classes, Literal(int(c.get("classes") or 0), datatype=XSD.integer)))
    g.add((root, VOID.exampleResource, ID["person/Q7747"]))
    for vocabulary in (
        BASE + "ontology#",
        str(SCHEMA),
        str(OA),
        str(SEM),
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/ns/prov#",
    ):
        g.add((root, VOID.vocabulary, URIRef(vocabulary)))
    articles_ = [r for r in per_graph if r["article"]]
    g.add((root, URIRef(WWII + "articleGraphs"), Literal(len(articles_), datatype=XSD.integer)))
    for r in sorted(articles_, key=lambda r: r["g"]):
        subset = URIRef(f"{dataset}#article-{key_of(r['g'])}")
        g.add((root, VOID.subset, subset))
        g.add((subset, RDF_TYPE, VOID.Dataset))
        g.add((subset, DCTERMS.source, URIRef(r["g"])))
        g.add((subset, VOID.triples, Literal(int(r["triples"] or 0), datatype=XSD.integer)))
    # one count per kind: each class partition holds what /stats and `kg stats` count
    stats = store.stats()
    for cls, kind in _VOID_PARTITIONS:
        partition = URIRef(f"{dataset}#class-{kind}")
        g.add((root, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(WWII + cls)))
        g.add((partition, VOID.entities, Literal(stats.get(kind, 0), datatype=XSD.integer)))
    ontology = [r for r in per_graph if r["g"] == BASE + "ontology"]
    if ontology:
        subset = URIRef(f"{dataset}#ontology")
        g.add((root, VOID.subset, subset))
        g.add((subset, RDF_TYPE, VOID.Dataset))
        g.add((subset, DCTERMS.source, URIRef(BASE + "ontology")))
        g.add((subset, VOID.triples, Literal(int(ontology[0]["triples"] or 0), datatype=XSD.integer)))
    return g


RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
