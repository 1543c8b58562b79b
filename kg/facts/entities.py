"""Resources we mint: descriptions as RDF (``describe``, ``describe_as``) and as JSON (``entity``)."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from kg.errors import ConfigError, NotFound
from kg.facts.params import FIRST_PAGE, Page, entity_iri
from kg.facts.shape import total
from kg.namespaces import ID
from kg.store import Store

RDF_MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}


def describe_as(store: Store, iri: str | URIRef, fmt: str) -> bytes:
    """``describe(store, iri)`` serialised as ``fmt`` (turtle, nt, json-ld, xml); the backend
    serialises when it can, which is much faster than rdflib for a resource named in many articles."""
    if fmt not in RDF_MEDIA_TYPES:
        raise ConfigError(f"cannot serialise a description as {fmt!r}")
    resource = URIRef(str(iri))
    if not store.select("api_exists", {"resource": resource}):
        raise NotFound(f"nothing is known about <{iri}>")
    body = store.construct("api_describe", {"resource": resource}, RDF_MEDIA_TYPES[fmt])
    if body is None:
        body = describe(store, resource).serialize(format=fmt, encoding="utf-8")
    return body


def describe(store: Store, iri: str | URIRef) -> Graph:
    """What the graph says about one resource across all articles, with its evidence nodes (a
    Concise-Bounded-Description-like graph); ``NotFound`` when no article says anything about it."""
    from kg.namespaces import OA, OWL, RDF, RDFS, SCHEMA, WD, WWII, XSD

    graph = Graph()
    for prefix, ns in (
        ("wwii", str(WWII)),
        ("schema", SCHEMA),
        ("oa", OA),
        ("owl", OWL),
        ("rdfs", RDFS),
        ("rdf", RDF),
        ("xsd", XSD),
        ("wd", WD),
    ):
        graph.bind(prefix, ns)
    for kind in ("article", "person", "country", "place", "organisation", "group", "event", "evidence"):
        graph.bind(kind, ID[f"{kind}/"])
    for triple in store.triples("api_describe", {"resource": URIRef(str(iri))}):
        graph.add(triple)
    if not any(True for _ in graph.triples((URIRef(str(iri)), None, None))):
        raise NotFound(f"nothing is known about <{iri}>")
    return graph


def entity(store: Store, kind: str, key: str, *, page: Page = FIRST_PAGE) -> dict[str, Any]:
    """One resource we mint: names, Wikidata ID, types, what the articles state about it (each
    predicate and value once, at most 1,000), and a page of the text spans it was read from.

    ``NotFound`` when no article says anything about it.
    """
    from kg.namespaces import OWL, RDF, RDFS, SCHEMA, WWII

    iri = entity_iri(kind, key)
    rows = store.select("api_entity", {"resource": iri})
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>")
    labels, wikidata, same_as, types, statements = set(), set(), set(), set(), []
    for row in rows:
        p, o = row["p"], row["o"]
        if p in (str(RDFS.label), str(SCHEMA.name)):
            labels.add(str(o))
        elif p == str(WWII.wikidata):
            wikidata.add(str(o))
        elif p == str(OWL.sameAs):
            same_as.add(str(o))
        elif p == str(RDF.type):
            types.add(str(o))
        else:
            value = str(o)
            if p == str(SCHEMA.articleBody) and len(value) > 280:
                value = value[:280] + "…"
            statements.append(
                {
                    "predicate": p,
                    "value": None if row["isIri"] else value,
                    "iri": value if row["isIri"] else None,
                    "datatype": row["datatype"] or None,
                    "language": row["language"] or None,
                }
            )
    statements.sort(key=lambda st: (st["predicate"], str(st["iri"] or st["value"])))
    spans = store.select("api_entity_evidence", {"resource": iri}, limit=page.limit, offset=page.offset)
    evidence = [
        {"iri": r["ev"], "article": r["article"], "start": r["start"], "end": r["end"], "text": r["exact"]}
        for r in spans
        if r["ev"] is not None
    ]
    evidence.sort(key=lambda e: (e["article"], e["start"]))
    ordered = sorted(labels)
    return {
        "iri": str(iri),
        "kind": kind,
        "key": key,
        "name": ordered[0] if ordered else None,
        "labels": ordered,
        "wikidata": min(wikidata) if wikidata else None,
        "same_as": sorted(same_as),
        "types": sorted(types),
        "statements": statements,
        "evidence": evidence,
        "evidence_total": total(spans),
    }
