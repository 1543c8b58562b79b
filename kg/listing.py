"""The list view of an article graph: one JSON literal per listed fact, in a graph beside the article's.

The JSON list reads (``kg.facts``: events, the timeline, casualty figures, quotes, leaders, articles)
pick one page of facts from the article graphs, then need some twenty fields of each: label, date,
place, evidence, source... Read one triple pattern at a time, those cost Oxigraph 10 to 15 µs per
pattern per item, most of a cold read at a million quads. So every write of an article graph also
writes its *listing graph* ``id/listing/{article id}``: for each event, casualty figure, quotation
and office, and for the article itself, one ``wwii:listing`` literal (``rdf:JSON``) holding the fields
the list reads return, so a page's details are one lookup per item. The listing graph also holds the
article's *tallies* (``tally``: how many events, figures, quotations, and how many with each value of a
filter the lists take alone) and its events' dates as text (``wwii:listedDate``).

Views count across articles, each kept in step by the update that writes or drops an article graph
(its entries marked stale, then counted again; the counts view by difference, the stored listing's
tallies given back and the new one's added; ``Store.rebuild_views`` builds them whole): the
leaders view (per person named a leader), the spread view (per group and measure of the casualty
figures), the timeline view (per date: its events, by type) and the counts view (per tally, its sum:
the totals of the lists, read with one lookup).

A listing is derived from the article graph's own triples and nothing else (``listing_graph``), and is
written and dropped in the same atomic update as its article graph (``kg.store.prepare``,
``Store.delete_graph``), so readers never see one without the other. ``Store.ensure_listings`` writes
the listings of article graphs stored without them (by an older version, or loaded in bulk).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier

from kg.backends import plain_value
from kg.namespaces import ID, OA, SCHEMA, WWII

RDF_JSON = RDF.JSON
TALLY_PREFIX = str(ID["tally/"])
LEADERS_VIEW = ID["view/leaders"]
SPREAD_VIEW = ID["view/spread"]
TIMELINE_VIEW = ID["view/timeline"]
COUNTS_VIEW = ID["view/counts"]
VIEWS = (LEADERS_VIEW, SPREAD_VIEW, TIMELINE_VIEW, COUNTS_VIEW)  # the graphs that count across articles
ARTICLE_PREFIX = str(ID["article/"])
LISTING_PREFIX = str(ID["listing/"])

Triple = tuple[Any, Any, Any]
# compared as plain strings: rdflib's term equality and the DefinedNamespace lookups cost a Python call each
_TYPE, _LEADER, _GROUP = str(RDF.type), str(WWII.Leader), str(WWII.group)
_eq = str.__eq__
# the classes a tally counts facts of (``?event a ?argFamily``, ``?quote a ?argKind``)
_FAMILY_CLASSES = frozenset(WWII[c] for c in ("CommemorativeEvent", "DiplomaticEvent", "HistoricalEvent", "OtherEvent"))
_QUOTE_CLASSES = frozenset((WWII.DirectQuote, WWII.IndirectStatement))


def listing_name(article: URIRef | str) -> URIRef | None:
    """The listing graph of an article graph (``id/article/X`` -> ``id/listing/X``); None for other graphs."""
    text = str(article)
    if not text.startswith(ARTICLE_PREFIX) or len(text) == len(ARTICLE_PREFIX):
        return None
    return URIRef(LISTING_PREFIX + text[len(ARTICLE_PREFIX) :])


class _Graph:
    """The article graph's triples, indexed by subject and predicate."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.by: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.typed: dict[Any, list[Any]] = defaultdict(list)
        for s, p, o in triples:
            self.by[s][p].append(o)
            if _eq(p, _TYPE):
                self.typed[o].append(s)

    def all(self, s: Any, p: Any) -> list[Any]:
        values = self.by.get(s, {}).get(p, ())
        if len(values) < 2:
            return list(values)
        # one value per field, the same whichever order the triples came in: plain literals first
        return sorted(values, key=lambda v: (getattr(v, "language", None) is not None, str(v)))

    def one(self, s: Any, p: Any) -> Any:
        values = self.all(s, p)
        return values[0] if values else None

    def has(self, s: Any, p: Any, o: Any) -> bool:
        return o in self.by.get(s, {}).get(p, ())

    def labelled(self, s: Any, p: Any) -> tuple[Any, Any, Any]:
        """``OPTIONAL { s p ?x . ?x rdfs:label ?name } OPTIONAL { s p ?x . ?x wwii:wikidata ?qid }``:
        the first object with a label (else the first with a Wikidata ID), its label and its ID."""
        for x in self.all(s, p):
            name = self.one(x, RDFS.label)
            if name is not None:
                return x, name, self.one(x, WWII.wikidata)
        for x in self.all(s, p):
            qid = self.one(x, WWII.wikidata)
            if qid is not None:
                return x, None, qid
        return None, None, None

    def evidence(self, s: Any) -> dict[str, Any] | None:
        """``s wwii:evidence ?ev . ?ev oa:start ?start ; oa:end ?end ; oa:exact ?exact``."""
        for ev in self.all(s, WWII.evidence):
            start, end, exact = self.one(ev, OA.start), self.one(ev, OA.end), self.one(ev, OA.exact)
            if start is not None and end is not None and exact is not None:
                return {"start": start, "end": end, "exact": exact}
        return None


def _py(term: Any) -> Any:
    """A term as ``Backend.select`` gives it: numbers and booleans as such, everything else as text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return plain_value(str(term), str(term.datatype) if term.datatype is not None else None)
    return str(term)


def _event(g: _Graph, e: Any) -> dict[str, Any] | None:
    label, background, evidence = g.one(e, RDFS.label), g.one(e, WWII.background), g.evidence(e)
    if label is None or background is None or evidence is None:
        return None
    row: dict[str, Any] = {"type": g.one(e, WWII.eventType), "label": label, "background": background, **evidence}
    row["date"], row["wikidata"] = g.one(e, WWII.date), g.one(e, WWII.wikidata)
    row.update(surface=None, rule=None, resolved=None, anchor=None, precision=None)
    for t in g.all(e, WWII.time):
        surface, rule, resolved = g.one(t, WWII.surface), g.one(t, WWII.rule), g.one(t, WWII.resolved)
        if surface is not None and rule is not None and resolved is not None:
            row.update(surface=surface, rule=rule, resolved=resolved)
            row.update(anchor=g.one(t, WWII.anchor), precision=g.one(t, WWII.precision))
            break
    row["placeIri"], row["placeName"], row["placeWikidata"] = g.labelled(e, WWII.place)
    commemorated, label_ = None, None
    for c in g.all(e, WWII.commemorates):
        if (label_ := g.one(c, RDFS.label)) is not None:
            commemorated = c
            break
    date_of = [c for c in g.all(e, WWII.commemorates) if g.one(c, WWII.date) is not None]
    if commemorated is None and date_of:
        commemorated = date_of[0]
    row.update(commemorates=commemorated, commemoratesLabel=label_)
    row["commemoratesDate"] = g.one(commemorated, WWII.date) if commemorated is not None else None
    row["stated"] = g.one(e, WWII.anniversaryStated)
    row["computed"] = g.one(e, WWII.anniversaryComputed)
    row["consistent"] = g.one(e, WWII.anniversaryConsistent)
    row["participants"] = [
        [p, name, g.one(p, WWII.wikidata)] for p in g.all(e, WWII.participant) for name in g.all(p, RDFS.label)
    ]
    return row


def _figure(g: _Graph, f: Any) -> dict[str, Any] | None:
    fields = {k: g.one(f, WWII[k]) for k in ("low", "high", "measure", "surface")}
    evidence = g.evidence(f)
    if None in fields.values() or evidence is None:
        return None
    row: dict[str, Any] = {**fields, **evidence, "hedge": g.one(f, WWII.hedge), "scope": g.one(f, WWII.scope)}
    group, event = g.one(f, WWII.group), g.one(f, WWII.aboutEvent)
    row.update(group=group, groupLabel=g.one(f, WWII.groupLabel))
    row["groupWikidata"] = g.one(group, WWII.wikidata) if group is not None else None
    row.update(event=event, eventLabel=g.one(f, WWII.eventLabel))
    row["eventWikidata"] = g.one(event, WWII.wikidata) if event is not None else None
    return row


def _quote(g: _Graph, q: Any) -> dict[str, Any] | None:
    text, evidence = g.one(q, WWII.text), g.evidence(q)
    if text is None or evidence is None:
        return None
    speaker, speaker_name, speaker_qid = g.labelled(q, WWII.speaker)
    occasion, occasion_label = None, None
    for x in g.all(q, WWII.occasion):
        if (occasion_label := g.one(x, RDFS.label)) is not None:
            occasion = x
            break
    return {
        "text": text,
        **evidence,
        "direct": True if g.has(q, RDF.type, WWII.DirectQuote) else None,
        "verb": g.one(q, WWII.verb),
        "speaker": speaker,
        "speakerName": speaker_name,
        "speakerWikidata": speaker_qid,
        "occasion": occasion,
        "occasionLabel": occasion_label,
    }


def _office(g: _Graph, o: Any, holder: Any) -> dict[str, Any] | None:
    role, current, evidence = g.one(o, WWII.role), g.one(o, WWII.current), g.evidence(o)
    if role is None or current is None or evidence is None:
        return None
    country, name, wikidata = g.labelled(o, WWII.roleCountry)
    return {
        "role": role,
        "current": current,
        **evidence,
        "country": country,
        "countryName": name,
        "countryWikidata": wikidata,
        "wikidata": g.one(holder, WWII.wikidata),
    }


ARTICLE_FIELDS = ("title", "outlet", "published", "url", "basis")


def _article(g: _Graph, a: Any) -> dict[str, Any]:
    return {
        "title": g.one(a, SCHEMA.headline),
        "outlet": g.one(a, WWII.outlet),
        "published": g.one(a, SCHEMA.datePublished),
        "url": g.one(a, SCHEMA.url),
        "basis": g.one(a, WWII.publishedBasis),
    }


def tally(kind: str, facet: str | None = None, value: Any = None) -> URIRef:
    """The IRI a listing graph counts one kind of fact under (``id/tally/events``), or those of them
    with one value of a facet (``id/tally/events/type/parade``; an IRI value by a hash of it)."""
    if facet is None:
        return URIRef(TALLY_PREFIX + kind)
    key = str(value)
    if isinstance(value, URIRef):
        key = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return URIRef(f"{TALLY_PREFIX}{kind}/{facet}/{quote(key, safe='')}")


def tallied(
    kind: str, bindings: Mapping[str, Identifier | None], facets: Mapping[str, str], query: str
) -> tuple[str, dict[str, Identifier | None]]:
    """The list query to run for ``bindings``: ``{query}_tallied``, whose total is a sum of tallies,
    when at most one parameter is bound and ``facets`` names it (parameter -> facet), else ``query``."""
    bound = [(k, v) for k, v in bindings.items() if v is not None]
    if not bound:
        return f"{query}_tallied", {**bindings, "argTally": tally(kind)}
    if len(bound) == 1 and bound[0][0] in facets:
        name, value = bound[0]
        return f"{query}_tallied", {**bindings, "argTally": tally(kind, facets[name], value)}
    return query, dict(bindings)


def _tallies(g: _Graph) -> list[Triple]:
    """``tally wwii:tally n``: how many facts of each kind the article graph holds, as the list reads
    count them (events: subjects of ``wwii:eventType``; casualty figures: of ``wwii:measure``;
    quotations and statements: of ``wwii:text``), and how many of them have each value of the facets
    a list filters on alone (an event's type and family, a figure's group, a quotation's kind)."""
    counts: dict[URIRef, int] = defaultdict(int)
    for kind, predicate, facets in (
        ("events", WWII.eventType, (("type", WWII.eventType, None), ("family", RDF.type, _FAMILY_CLASSES))),
        ("figures", WWII.measure, (("group", WWII.group, None),)),
        ("quotes", WWII.text, (("kind", RDF.type, _QUOTE_CLASSES),)),
    ):
        counts[tally(kind)] += 0  # every kind is tallied, none as 0: a listing without tallies is an old one
        for props in g.by.values():
            if not props.get(predicate):
                continue
            counts[tally(kind)] += 1
            for facet, p, allowed in facets:
                for value in set(props.get(p, ())):
                    if allowed is None or value in allowed:
                        counts[tally(kind, facet, value)] += 1
    return [(key, WWII.tally, Literal(n)) for key, n in counts.items()]


def listing_graph(name: URIRef, triples: Iterable[Triple]) -> tuple[URIRef, list[Triple]] | None:
    """The listing graph of the article graph ``name`` holding ``triples``: its name and triples
    (``subject wwii:listing "{...}"^^rdf:JSON``); None when ``name`` names no article graph."""
    listing = listing_name(name)
    if listing is None:
        return None
    g = _Graph(triples)
    article = _article(g, name)
    rows: list[tuple[Any, dict[str, Any] | None]] = [(e, _event(g, e)) for e in g.typed[WWII.Event]]
    rows += [(f, _figure(g, f)) for f in g.typed[WWII.CasualtyFigure]]
    rows += [(q, _quote(g, q)) for q in g.typed[WWII.Quotation]]
    for holder, props in g.by.items():
        for o in props.get(WWII.holdsOffice, ()):
            rows.append((o, _office(g, o, holder)))
    out = []
    for subject, row in [(name, article), *rows]:
        if row is not None:
            row = {**article, **row}  # each fact with its source: one lookup a fact
            text = json.dumps(_plain(row), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            out.append((subject, WWII.listing, Literal(text, datatype=RDF_JSON)))
    dates = [(s, WWII.listedDate, Literal(str(d))) for s, props in g.by.items() for d in props.get(WWII.date, ())]
    return listing, out + _tallies(g) + dates


def view_keys(triples: Iterable[Triple]) -> tuple[list[Any], list[Any]]:
    """What an article graph's triples count in the views: the people named a leader (``?p a
    wwii:Leader``, the leaders view) and the groups of casualty figures (``wwii:group``, the spread view)."""
    people: dict[Any, None] = {}
    groups: dict[Any, None] = {}
    for s, p, o in triples:
        if _eq(p, _TYPE) and _eq(o, _LEADER) and isinstance(o, URIRef):
            people[s] = None
        elif _eq(p, _GROUP):
            groups[o] = None
    return list(people), list(groups)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return _py(value)


@functools.lru_cache(maxsize=2048)
def _fields(listing: str) -> tuple[dict[str, Any], list[Any] | None]:
    """A listing's fields but its participants, and its participants: parsed once per text (the same
    text, the same fields; shared, so never changed)."""
    fields = json.loads(listing)
    return fields, fields.pop("participants", None)


def expand(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a list read with their ``listing`` JSON (the fact's fields and its article's) unpacked
    into fields, as if each field had been read on its own; an event's participants become one row
    each (none: one row with no participant), as a join on them returns them."""
    out: list[dict[str, Any]] = []
    for row in rows:
        fact = row.pop("listing", None)
        for key in ARTICLE_FIELDS:
            row.setdefault(key, None)
        if fact is None:
            out.append(row)
            continue
        fields, participants = _fields(fact)
        row.update(fields)
        if participants is None:
            out.append(row)
        elif not participants:
            out.append({**row, "participant": None, "participantName": None, "participantWikidata": None})
        else:
            for iri, name, wikidata in participants:
                out.append({**row, "participant": iri, "participantName": name, "participantWikidata": wikidata})
    return out


__all__ = [
    "COUNTS_VIEW",
    "LEADERS_VIEW",
    "LISTING_PREFIX",
    "RDF_JSON",
    "SPREAD_VIEW",
    "TALLY_PREFIX",
    "TIMELINE_VIEW",
    "VIEWS",
    "expand",
    "listing_graph",
    "listing_name",
    "tallied",
    "tally",
    "view_keys",
]
