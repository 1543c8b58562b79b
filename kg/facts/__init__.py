"""Facts across all article graphs, for the JSON API and for notebooks, one module per fact kind:
leaders, events (and the timeline), casualty figures, quotes, articles, entity descriptions, the
VoID description, and full-text search.

Each fact kind has one record, a frozen dataclass (``Leader``, ``Event``, ``Casualty``, ``Quote``),
the one read shape of that kind: the lists and detail reads here, an article's report
(``kg.report``), the JSON API (its response models derive from the records), the notebooks' frames
(``kg.frames.records_frame``) all return or take them. Lists are ``Listing`` records (``total``,
``limit``, ``offset``, ``items``).

Every fact comes back with its source (the article: IRI, title, outlet, publication date, URL)
and its evidence (the exact text and its ``start``/``end`` offsets in the article body).

Everything is read through ``kg.store.Store.select`` from the ``kg/queries/api_*.rq`` files (see
``kg.sparql`` for how parameters are bound). Oxigraph 0.5 (embedded, or as the server behind a
``sparql:`` store) shapes how those are written:

- a one-line group ending in ``# lateral`` runs once per row of what precedes it where the backend
  has LATERAL joins: page first, details after;
- two large patterns are wrapped in subqueries when joined, so they are scanned once and hash-joined
  rather than looked up row by row; FILTERs stay outside ``GRAPH`` blocks;
- shared nodes (people, countries) are described again in every article graph, so their labels are
  read from one representative graph (``SAMPLE(?g)``), never joined across the union;
- nothing large is sorted on IRIs (Oxigraph decodes each one to compare it): unsorted pages come in
  index order, which is stable; the filtered timeline is the exception, its ties of one date broken
  by IRI (a total order, so pages never split them differently); the unfiltered one sorts the
  events of its page's dates in Python.
"""

from __future__ import annotations

from kg.facts.articles import ArticleSummary, articles
from kg.facts.casualties import Casualties, Casualty, FigureValue, Spread, casualties
from kg.facts.entities import RDF_MEDIA_TYPES, describe, describe_as, entity
from kg.facts.events import (
    Anniversary,
    Commemorated,
    Event,
    EventBrief,
    Time,
    event,
    events,
)
from kg.facts.leaders import Attendee, Leader, LeaderDetail, Office, leader, leaders
from kg.facts.params import (
    DEFAULT_LIMIT,
    FAMILIES,
    KINDS,
    MAX_LIMIT,
    Page,
    date_arg,
    default_gazetteer,
    entity_args,
    entity_iri,
    family_of,
    key_of,
    text_arg,
)
from kg.facts.quotes import Quote, quotes
from kg.facts.search import search
from kg.facts.shape import Evidence, Listing, Ref, Section, Source, as_json
from kg.facts.timeline import FamilySpan, Timeline, timeline
from kg.facts.void import void
from kg.records import EVENT_TYPES
from kg.sparql import prepare

__all__ = [
    "DEFAULT_LIMIT",
    "EVENT_TYPES",
    "FAMILIES",
    "KINDS",
    "MAX_LIMIT",
    "RDF_MEDIA_TYPES",
    "Anniversary",
    "ArticleSummary",
    "Attendee",
    "Casualties",
    "Casualty",
    "Commemorated",
    "Event",
    "EventBrief",
    "Evidence",
    "FamilySpan",
    "FigureValue",
    "Leader",
    "LeaderDetail",
    "Listing",
    "Office",
    "Page",
    "Quote",
    "Ref",
    "Section",
    "Source",
    "Spread",
    "Time",
    "Timeline",
    "articles",
    "as_json",
    "casualties",
    "date_arg",
    "default_gazetteer",
    "describe",
    "describe_as",
    "entity",
    "entity_args",
    "entity_iri",
    "event",
    "events",
    "family_of",
    "key_of",
    "leader",
    "leaders",
    "prepare",
    "quotes",
    "search",
    "text_arg",
    "timeline",
    "void",
]
