"""Vocabularies used by the graph, as rdflib ``DefinedNamespace`` classes.

``WWII`` mirrors ``ontology/wwii.ttl``; a misspelt term fails at import time, not in a query
(``tests/kg/test_namespaces.py`` checks that every term here is declared in the ontology).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD, DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/wwiikg/"
ID = Namespace(BASE + "id/")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
ONTOLOGY_GRAPH = URIRef(BASE + "ontology")


class WWII(DefinedNamespace):
    """The project's own ontology terms (``ontology/wwii.ttl``)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes
    Article: URIRef
    Person: URIRef
    Leader: URIRef
    Office: URIRef
    Country: URIRef
    Organisation: URIRef
    Place: URIRef
    Group: URIRef
    Event: URIRef
    CommemorativeEvent: URIRef
    DiplomaticEvent: URIRef
    HistoricalEvent: URIRef
    OtherEvent: URIRef
    Parade: URIRef
    Commemoration: URIRef
    Ceremony: URIRef
    Speech: URIRef
    Meeting: URIRef
    Visit: URIRef
    War: URIRef
    Battle: URIRef
    Invasion: URIRef
    Liberation: URIRef
    Bombing: URIRef
    Massacre: URIRef
    Surrender: URIRef
    TemporalExpression: URIRef
    CasualtyFigure: URIRef
    Quotation: URIRef
    DirectQuote: URIRef
    IndirectStatement: URIRef
    Evidence: URIRef
    Story: URIRef

    # articles
    outlet: URIRef
    textHash: URIRef
    publishedBasis: URIRef

    # stories: near-duplicate copies of one report
    story: URIRef
    storySimilarity: URIRef
    copyOf: URIRef
    minhash: URIRef

    # the list view beside each article graph, and the leaders view (kg.listing)
    listing: URIRef
    tally: URIRef
    tallyTotal: URIRef
    listedDate: URIRef
    leaderSources: URIRef
    leaderArticle: URIRef
    leaderName: URIRef
    stale: URIRef
    spreadGroup: URIRef
    spreadMeasure: URIRef
    spreadLabel: URIRef
    spreadLow: URIRef
    spreadHigh: URIRef
    spreadSources: URIRef
    spreadStories: URIRef
    spreadFigures: URIRef
    spreadValue: URIRef
    spreadRow: URIRef
    timelineDate: URIRef
    timelineRow: URIRef

    # people and offices
    holdsOffice: URIRef
    role: URIRef
    roleCountry: URIRef
    current: URIRef
    country: URIRef
    wikidata: URIRef

    # events
    eventType: URIRef
    time: URIRef
    date: URIRef
    place: URIRef
    placeName: URIRef
    participant: URIRef
    commemorates: URIRef
    anniversaryStated: URIRef
    anniversaryComputed: URIRef
    anniversaryConsistent: URIRef
    background: URIRef

    # temporal expressions
    surface: URIRef
    value: URIRef
    precision: URIRef
    anchor: URIRef
    rule: URIRef
    resolved: URIRef

    # casualty figures
    group: URIRef
    groupLabel: URIRef
    aboutEvent: URIRef
    eventLabel: URIRef
    low: URIRef
    high: URIRef
    measure: URIRef
    hedge: URIRef
    scope: URIRef

    # quotations
    speaker: URIRef
    text: URIRef
    verb: URIRef
    occasion: URIRef

    # evidence
    evidence: URIRef
    mention: URIRef


__all__ = ["BASE", "ID", "OA", "ONTOLOGY_GRAPH", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SEM", "WD", "WWII", "XSD"]
