"""Events as the articles state them: the ``Event`` record, read as a page (``events``), one event
(``event``) or from one article's graph (``article_events``); ``kg.facts.timeline`` orders them by date."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import ConfigError, NotFound
from kg.facts.params import (
    FAMILIES,
    FAMILY_CLASS,
    FIRST_PAGE,
    WWII,
    Page,
    date_arg,
    entity_args,
    entity_iri,
    family_of,
    gaz,
    key_of,
    reported_args,
)
from kg.facts.shape import (
    LISTED_RECORDS,
    Evidence,
    Listing,
    Ref,
    Source,
    evidence,
    grouped,
    listing,
    ref,
    source,
    unique,
)
from kg.gazetteer import Gazetteer
from kg.listing import expand, tallied
from kg.records import EVENT_TYPES
from kg.store import Store


@dataclass(frozen=True)
class Time:
    """The temporal expression an event's date was read from, and how it was resolved."""

    text: str
    """The words in the article, e.g. 'on May 9' or 'Wednesday’s'."""
    value: str | None
    """The resolved date: YYYY, YYYY-MM or YYYY-MM-DD."""
    precision: str | None
    rule: str
    """How it was resolved, e.g. 'absolute', 'month-day-no-year', 'weekday'."""
    anchor: str | None
    """The date relative expressions were resolved against."""
    resolved: bool
    evidence: Evidence | None = None
    """Where the expression stands (not read in an article's report)."""


@dataclass(frozen=True)
class Anniversary:
    """The anniversary a commemoration marks: as the article states it, as computed from the dates."""

    stated: int | None = None
    computed: int | None = None
    consistent: bool | None = None


@dataclass(frozen=True)
class Commemorated(Ref):
    """The event a commemoration commemorates, with its date."""

    date: str | None = None


@dataclass(frozen=True)
class Event:
    """An event as one article states it."""

    iri: str
    key: str
    type: str
    family: str | None
    """commemorative, diplomatic, historical or other."""
    label: str
    date: str | None
    """YYYY, YYYY-MM or YYYY-MM-DD, as precise as the text."""
    background: bool
    """True for history the article recalls, false for what it reports."""
    wikidata: str | None
    time: Time | None
    place: Ref | None
    participants: tuple[Ref, ...]
    commemorates: Commemorated | None
    anniversary: Anniversary | None
    source: Source
    evidence: Evidence


@dataclass(frozen=True)
class EventBrief:
    """An event a person took part in, as one article states it."""

    iri: str
    key: str
    type: str
    family: str | None
    label: str
    date: str | None
    source: Source
    evidence: Evidence


def event_args(
    *,
    type: str | None,
    family: str | None,
    date_from: str | None,
    date_to: str | None,
    place: str | None,
    participant: str | None,
    commemorates: str | None,
    reported_after: str | None,
    reported_before: str | None,
    gazetteer: Gazetteer | None,
) -> dict[str, Identifier | None]:
    if type is not None and type not in EVENT_TYPES:
        raise ConfigError(f"unknown event type {type[:40]!r}; use one of {', '.join(EVENT_TYPES)}")
    if family is not None and family not in FAMILIES:
        raise ConfigError(f"unknown event family {family[:40]!r}; use one of {', '.join(FAMILIES)}")
    bindings: dict[str, Identifier | None] = {
        "type": Literal(type) if type else None,
        "argFamily": URIRef(WWII + FAMILY_CLASS[family]) if family else None,
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
        **reported_args(reported_after, reported_before),
    }
    bindings.update(entity_args("argPlace", place, ("place", "country"), gazetteer))
    bindings.update(entity_args("argParticipant", participant, ("person", "country", "organisation"), gazetteer))
    if commemorates and commemorates.startswith(("http://", "https://")):
        bindings["argCommemorates"] = URIRef(commemorates.strip())
    else:
        commemorated = entity_args("argCommemorates", commemorates, (), gazetteer)
        bindings.update({k: v for k, v in commemorated.items() if k != "argCommemorates"})
    return bindings


def event_of(group: list[dict[str, Any]], *, src: Source | None = None) -> Event:
    """An event from its query rows (one per participant); ``src`` when the rows are one article's."""
    row = group[0]
    time = None
    if row.get("surface") is not None:
        time = Time(
            text=row["surface"],
            value=row["date"],
            precision=row.get("precision"),
            rule=row["rule"],
            anchor=row.get("anchor"),
            resolved=bool(row["resolved"]),
            evidence=Evidence(row["timeStart"], row["timeEnd"], row["timeExact"])
            if row.get("timeStart") is not None
            else None,
        )
    anniversary = None
    if row.get("stated") is not None or row.get("computed") is not None:
        anniversary = Anniversary(row["stated"], row["computed"], row["consistent"])
    commemorated = None
    if row.get("commemorates") is not None:
        target = row["commemorates"]
        commemorated = Commemorated(
            target,
            key_of(target),
            row.get("commemoratesLabel"),
            row.get("commemoratesWikidata"),
            date=row.get("commemoratesDate"),
        )
    participants = unique(
        ref(r.get("participant"), r.get("participantName"), r.get("participantWikidata")) for r in group
    )
    return Event(
        iri=row["event"],
        key=key_of(row["event"]) or "",
        type=row["type"],
        family=family_of(row["type"]),
        label=row["label"],
        date=row["date"],
        background=bool(row["background"]),
        wikidata=row["wikidata"],
        time=time,
        place=_place(row),
        participants=tuple(sorted(participants, key=lambda p: (str(p.name), p.iri or ""))),
        commemorates=commemorated,
        anniversary=anniversary,
        source=src or source(row),  # type: ignore[arg-type]  # list rows always name their article
        evidence=evidence(row),  # type: ignore[arg-type]  # every event has its evidence
    )


def listed_events(rows: Iterable[dict[str, Any]]) -> Iterator[Event]:
    """The events of a list read's rows (``?event``, ``?article``, ``?listing``: ``kg.listing``), one per
    event in the rows' order; those with a listing built from it once (``listed_event``)."""
    for group in grouped(rows, "event"):
        row = group[0]
        if row.get("listing") is None:
            yield event_of(expand(group))
        else:
            yield listed_event(row["event"], row["article"], row["listing"])


@functools.lru_cache(maxsize=LISTED_RECORDS)
def listed_event(event: str, article: str, listing: str) -> Event:
    """The event ``listing`` states (its fields and its article's; the rows' other columns are
    overridden by it or unused), read once per listing text: see ``LISTED_RECORDS``."""
    return event_of(expand([{"event": event, "article": article, "listing": listing}]))


def _place(row: Mapping[str, Any]) -> Ref | None:
    place = ref(row.get("placeIri"), row.get("placeName"), row.get("placeWikidata"))
    written = row.get("placeWritten")
    return place if place is None or not written else replace(place, written=written)


def event_brief(row: Mapping[str, Any]) -> EventBrief:
    return EventBrief(
        iri=row["event"],
        key=key_of(row["event"]) or "",
        type=row["type"],
        family=family_of(row["type"]),
        label=row["label"],
        date=row["date"],
        source=source(row),  # type: ignore[arg-type]  # the rows name their article
        evidence=evidence(row),  # type: ignore[arg-type]
    )


def events(
    store: Store,
    *,
    type: str | None = None,
    family: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    participant: str | None = None,
    commemorates: str | None = None,
    reported_after: str | None = None,
    reported_before: str | None = None,
    dated: bool = False,
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> Listing[Event]:
    """Events as the articles state them (one per article that reports or recalls it), with date,
    place, participants, commemorated event, anniversary, source and evidence.

    ``date_from``/``date_to`` (``YYYY[-MM[-DD]]``) keep events whose date overlaps the range;
    ``place`` and ``participant`` take an IRI, a Wikidata ID or a name; ``commemorates`` an event
    IRI, a Wikidata ID or part of the commemorated event's label; ``reported_after``/``reported_before``
    keep what articles published on or after / before a date report.
    """
    bindings = event_args(
        type=type,
        family=family,
        date_from=date_from,
        date_to=date_to,
        place=place,
        participant=participant,
        commemorates=commemorates,
        reported_after=reported_after,
        reported_before=reported_before,
        gazetteer=gaz(gazetteer),
    )
    if dated:
        bindings["argDated"] = Literal(True)
    query, bindings = tallied("events", bindings, {"type": "type", "argFamily": "family"}, "api_events")
    rows = store.select(query, bindings, limit=page.limit, offset=page.offset)
    return listing(rows, page, listed_events(rows))


def event(store: Store, ref: str) -> Event:
    """One event as its article states it; ``ref`` is the IRI or the key. ``NotFound`` if unknown."""
    iri = ref if ref.startswith(("http://", "https://")) else str(entity_iri("event", ref))
    rows = store.select("api_event", {"event": URIRef(iri)})
    if not rows:
        raise NotFound(f"no event {ref[:80]!r}")
    return event_of(rows)


def article_events(store: Store, article: URIRef, src: Source) -> list[Event]:
    """The events of one article's graph, in text order, each with its participants; a commemorated
    event is named by its label in the same graph."""
    participants: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.select("article_participants", {"article": article}):
        participants[row["event"]].append({"participant": row["participant"], "participantName": row["name"]})
    rows = grouped(store.select("article_events", {"article": article}), "event")  # a second place repeats a row
    labels = {g[0]["event"]: g[0]["label"] for g in rows}
    out = []
    for group in rows:
        row = {**group[0], "placeIri": group[0]["place"], "commemoratesLabel": labels.get(group[0]["commemorates"])}
        out.append(event_of([{**row, **p} for p in participants[row["event"]]] or [row], src=src))
    return out
