"""The only place that mints IRIs and picks predicates: ``Extraction`` -> one article graph.

IRIs:
- articles ``id/article/{hash16}`` (also the name of the article's graph); stories of near-duplicate
  copies ``id/story/{hash16 of the story's first article}``;
- people, countries, places, organisations with a Wikidata ID ``id/{kind}/{QID}``, shared by every
  article that names them; without one, ``id/{kind}/{slug}-{hash8}`` from name, type and context;
- everything an article states (offices, events, dates, figures, quotes, evidence)
  ``id/{kind}/{article}-{offset}``, so two sources' facts never merge; events found in the gazetteer
  carry ``owl:sameAs`` to Wikidata so researchers can line them up across articles.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.articles import Article
from kg.namespaces import ID, OA, SCHEMA, WD, WWII
from kg.records import CasualtyFigure, Event, Extraction, Mention, Person, Quote, Ref, Span, TimeExpr, family
from kg.stories import StoryLink

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]

_KIND_CLASSES = {
    "person": (WWII.Person, SCHEMA.Person),
    "country": (WWII.Country, SCHEMA.Country),
    "place": (WWII.Place, SCHEMA.Place),
    "organisation": (WWII.Organisation, SCHEMA.Organization),
    "group": (WWII.Group,),
}
_FAMILY_CLASSES = {
    "commemorative": WWII.CommemorativeEvent,
    "diplomatic": WWII.DiplomaticEvent,
    "historical": WWII.HistoricalEvent,
    "other": WWII.OtherEvent,
}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (for readable local IRIs)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))[:48] or "x"


def local_key(name: str, kind: str, context: str) -> str:
    """A stable key for an entity outside the gazetteer: its normalised name, type and context."""
    digest = hashlib.sha256(f"{kind}\x1f{slug(name)}\x1f{context}".encode()).hexdigest()[:8]
    return f"{slug(name)}-{digest}"


def article_iri(article: Article | str) -> URIRef:
    return ID[f"article/{article if isinstance(article, str) else article.id}"]


def story_iri(key: str) -> URIRef:
    return ID[f"story/{key}"]


def ref_iri(ref: Ref) -> URIRef:
    return ID[f"{ref.kind}/{ref.wikidata or local_key(ref.name, ref.kind, ref.scope)}"]


def event_iri(article_id: str, event: Event | str) -> URIRef:
    return ID[f"event/{article_id}-{event if isinstance(event, str) else event.key}"]


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` -> xsd:date, ``YYYY-MM`` -> xsd:gYearMonth, ``YYYY`` -> xsd:gYear."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth}.get(len(value), XSD.gYear)
    return Literal(value, datatype=datatype)


class _Writer:
    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.article = extraction.article
        self.aid = extraction.article.id
        self.a = article_iri(extraction.article)
        self.triples: dict[Triple, None] = {}  # a set that keeps the order of writing
        self.known: set[URIRef] = set()

    def add(self, s: URIRef | BNode, p: URIRef, o: URIRef | Literal | BNode) -> None:
        self.triples[(s, p, o)] = None

    def evidence(self, span: Span) -> URIRef:
        ev = ID[f"evidence/{self.aid}-{span.start}-{span.end}"]
        if ev not in self.known:
            self.known.add(ev)
            for cls in (WWII.Evidence, OA.TextPositionSelector, OA.TextQuoteSelector):
                self.add(ev, RDF.type, cls)
            self.add(ev, OA.hasSource, self.a)
            self.add(ev, OA.start, Literal(span.start, datatype=XSD.integer))
            self.add(ev, OA.end, Literal(span.end, datatype=XSD.integer))
            self.add(ev, OA.exact, Literal(span.text))
        return ev

    def entity(self, ref: Ref) -> URIRef:
        node = ref_iri(ref)
        if node not in self.known:
            self.known.add(node)
            for cls in _KIND_CLASSES[ref.kind]:
                self.add(node, RDF.type, cls)
            self.add(node, RDFS.label, Literal(ref.name))
            if ref.kind == "person":
                self.add(node, SCHEMA.name, Literal(ref.name))
            if ref.wikidata:
                self.add(node, OWL.sameAs, WD[ref.wikidata])
                self.add(node, WWII.wikidata, Literal(ref.wikidata))
        return node

    def write(self) -> list[Triple]:
        self.write_article()
        for mention in self.x.mentions:
            self.write_mention(mention)
        for person in self.x.people:
            self.write_person(person)
        for time in self.x.times:
            self.write_time(time)
        for event in self.x.events:
            self.write_event(event)
        for figure in self.x.figures:
            self.write_figure(figure)
        for quote in self.x.quotes:
            self.write_quote(quote)
        return list(self.triples)

    def write_article(self) -> None:
        art, a = self.article, self.a
        self.add(a, RDF.type, WWII.Article)
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, WWII.textHash, Literal(art.text_hash))
        self.add(a, SCHEMA.articleBody, Literal(art.text))
        if art.title:
            self.add(a, SCHEMA.headline, Literal(art.title))
        if art.url:
            self.add(a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI))
        if art.outlet:
            self.add(a, WWII.outlet, Literal(art.outlet))
        if art.published:
            self.add(a, SCHEMA.datePublished, Literal(art.published.isoformat(), datatype=XSD.date))
        if art.published_basis:
            self.add(a, WWII.publishedBasis, Literal(art.published_basis))

    def write_mention(self, mention: Mention) -> None:
        self.add(self.entity(mention.ref), WWII.mention, self.evidence(mention.span))

    def write_person(self, person: Person) -> None:
        node = self.entity(person.ref)
        if person.leader:
            self.add(node, RDF.type, WWII.Leader)
        if person.written:
            self.add(node, SCHEMA.alternateName, Literal(person.written))
        for span in person.mentions:
            self.add(node, WWII.mention, self.evidence(span))
        for office in person.offices:
            o = ID[f"office/{self.aid}-{office.span.start}-{slug(person.ref.name)}"]
            self.add(node, WWII.holdsOffice, o)
            self.add(o, RDF.type, WWII.Office)
            self.add(o, WWII.role, Literal(office.role))
            self.add(o, WWII.current, Literal(office.current))
            if office.country is not None:
                self.add(o, WWII.roleCountry, self.entity(office.country))
            self.add(o, WWII.evidence, self.evidence(office.span))

    def time_iri(self, time: TimeExpr) -> URIRef:
        suffix = "" if time.rule != "inherited" else "-inherited"
        return ID[f"time/{self.aid}-{time.span.start}-{time.span.end}{suffix}"]

    def write_time(self, time: TimeExpr) -> URIRef:
        t = self.time_iri(time)
        if t in self.known:
            return t
        self.known.add(t)
        self.add(t, RDF.type, WWII.TemporalExpression)
        self.add(t, WWII.surface, Literal(time.span.text))
        self.add(t, WWII.rule, Literal(time.rule))
        self.add(t, WWII.resolved, Literal(time.resolved))
        if time.value is not None:
            self.add(t, WWII.value, date_literal(time.value))
        if time.precision is not None:
            self.add(t, WWII.precision, Literal(time.precision))
        if time.anchor is not None:
            self.add(t, WWII.anchor, date_literal(time.anchor))
        self.add(t, WWII.evidence, self.evidence(time.span))
        return t

    def write_event(self, event: Event) -> None:
        e = event_iri(self.aid, event)
        cls = WWII.OtherEvent if event.type == "other" else WWII[event.type.capitalize()]
        self.add(e, RDF.type, WWII.Event)
        self.add(e, RDF.type, cls)
        self.add(e, RDF.type, _FAMILY_CLASSES[family(event.type)])
        self.add(e, RDFS.label, Literal(event.label))
        self.add(e, WWII.eventType, Literal(event.type))
        self.add(e, WWII.background, Literal(event.background))
        self.add(e, WWII.evidence, self.evidence(event.span))
        if event.time is not None:
            self.add(e, WWII.time, self.write_time(event.time))
            if event.time.value is not None:
                self.add(e, WWII.date, date_literal(event.time.value))
        if event.place is not None:
            self.add(e, WWII.place, self.entity(event.place))
            if event.place.written:
                self.add(e, WWII.placeName, Literal(event.place.written))
        for ref in event.participants:
            self.add(e, WWII.participant, self.entity(ref))
        if event.commemorates is not None:
            self.add(e, WWII.commemorates, event_iri(self.aid, event.commemorates))
        if event.anniversary_stated is not None:
            self.add(e, WWII.anniversaryStated, Literal(event.anniversary_stated))
        if event.anniversary_computed is not None:
            self.add(e, WWII.anniversaryComputed, Literal(event.anniversary_computed))
        if event.anniversary_stated is not None and event.anniversary_computed is not None:
            self.add(e, WWII.anniversaryConsistent, Literal(event.anniversary_stated == event.anniversary_computed))
        if event.wikidata:
            self.add(e, OWL.sameAs, WD[event.wikidata])
            self.add(e, WWII.wikidata, Literal(event.wikidata))

    def write_figure(self, figure: CasualtyFigure) -> None:
        f = ID[f"figure/{self.aid}-{figure.number.start}"]
        self.add(f, RDF.type, WWII.CasualtyFigure)
        self.add(f, WWII.low, Literal(figure.low))
        self.add(f, WWII.high, Literal(figure.high))
        self.add(f, WWII.measure, Literal(figure.measure))
        self.add(f, WWII.surface, Literal(figure.number.text))
        self.add(f, WWII.evidence, self.evidence(figure.span))
        if figure.hedge:
            self.add(f, WWII.hedge, Literal(figure.hedge))
        if figure.scope:
            self.add(f, WWII.scope, Literal(figure.scope))
        if figure.group is not None:
            self.add(f, WWII.group, self.entity(figure.group))
            self.add(f, WWII.groupLabel, Literal(figure.group.name))
        if figure.event is not None:
            self.add(f, WWII.aboutEvent, event_iri(self.aid, figure.event))
        if figure.event_label:
            self.add(f, WWII.eventLabel, Literal(figure.event_label))

    def write_quote(self, quote: Quote) -> None:
        q = ID[f"quote/{self.aid}-{quote.span.start}"]
        self.add(q, RDF.type, WWII.Quotation)
        self.add(q, RDF.type, SCHEMA.Quotation)
        self.add(q, RDF.type, WWII.DirectQuote if quote.direct else WWII.IndirectStatement)
        self.add(q, WWII.text, Literal(quote.text))
        self.add(q, WWII.evidence, self.evidence(quote.span))
        if quote.speaker is not None:
            self.add(q, WWII.speaker, self.entity(quote.speaker))
        if quote.verb:
            self.add(q, WWII.verb, Literal(quote.verb))
        if quote.occasion is not None:
            self.add(q, WWII.occasion, event_iri(self.aid, quote.occasion))


def to_triples(extraction: Extraction) -> tuple[URIRef, list[Triple]]:
    """The article's named graph as its name and its triples, without building an rdflib ``Graph``
    (ingest serialises them straight away: adding 650 triples to a ``Graph`` cost as much as the rest
    of the mapping)."""
    writer = _Writer(extraction)
    return writer.a, writer.write()


def to_graph(extraction: Extraction) -> Graph:
    """The article's named graph: everything the article states, each fact with its evidence."""
    name, triples = to_triples(extraction)
    graph = Graph(identifier=name)
    for triple in triples:
        graph.add(triple)
    return graph


def story_graph(article_id: str, link: StoryLink, signature: str) -> Graph:
    """What the article's graph says about its story: the story, the copy it matched and how similar
    (none for a story's first article), and its MinHash signature (from which the index is rebuilt)."""
    a = article_iri(article_id)
    g = Graph(identifier=a)
    story = story_iri(link.story)
    g.add((story, RDF.type, WWII.Story))
    g.add((a, WWII.story, story))
    if link.copy_of is not None:
        g.add((a, WWII.copyOf, article_iri(link.copy_of)))
        # canonical lexical form ("0.5", not "0.500"): Oxigraph keeps decimals canonical, and exports compare
        g.add((a, WWII.storySimilarity, Literal(Decimal(str(round(link.similarity, 3))), datatype=XSD.decimal)))
    g.add((a, WWII.minhash, Literal(signature)))
    return g


__all__ = [
    "article_iri",
    "date_literal",
    "event_iri",
    "local_key",
    "ref_iri",
    "slug",
    "story_graph",
    "story_iri",
    "to_graph",
    "to_triples",
]
