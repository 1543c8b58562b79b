"""Events as the articles state them: ``events``, ``event`` and the dated ``timeline``."""

from __future__ import annotations

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
from kg.facts.shape import evidence, grouped, page_of, ref, source, total, unique
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.records import EVENT_TYPES
from kg.store import Store


def _event_args(
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


def _event(group: list[dict[str, Any]]) -> dict[str, Any]:
    row = group[0]
    time = None
    if row.get("surface") is not None:
        time = {
            "text": row["surface"],
            "value": row["date"],
            "precision": row.get("precision"),
            "rule": row["rule"],
            "anchor": row.get("anchor"),
            "resolved": bool(row["resolved"]),
            "evidence": {"start": row["timeStart"], "end": row["timeEnd"], "text": row["timeExact"]}
            if row.get("timeStart") is not None
            else None,
        }
    anniversary = None
    if row.get("stated") is not None or row.get("computed") is not None:
        anniversary = {"stated": row["stated"], "computed": row["computed"], "consistent": row["consistent"]}
    commemorated = None
    if row.get("commemorates") is not None:
        commemorated = {
            **ref(row["commemorates"], row["commemoratesLabel"], row.get("commemoratesWikidata")),  # type: ignore[dict-item]
            "date": row.get("commemoratesDate"),
        }
    return {
        "iri": row["event"],
        "key": key_of(row["event"]),
        "type": row["type"],
        "family": family_of(row["type"]),
        "label": row["label"],
        "date": row["date"],
        "background": bool(row["background"]),
        "wikidata": row["wikidata"],
        "time": time,
        "place": ref(row["placeIri"], row["placeName"], row["placeWikidata"]),
        "participants": sorted(
            unique(ref(r["participant"], r["participantName"], r["participantWikidata"]) for r in group),
            key=lambda p: (str(p["name"]), p["iri"]),
        ),
        "commemorates": commemorated,
        "anniversary": anniversary,
        "source": source(row),
        "evidence": evidence(row),
    }


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
) -> dict[str, Any]:
    """Events as the articles state them (one per article that reports or recalls it), with date,
    place, participants, commemorated event, anniversary, source and evidence.

    ``date_from``/``date_to`` (``YYYY[-MM[-DD]]``) keep events whose date overlaps the range;
    ``place`` and ``participant`` take an IRI, a Wikidata ID or a name; ``commemorates`` an event
    IRI, a Wikidata ID or part of the commemorated event's label; ``reported_after``/``reported_before``
    keep what articles published on or after / before a date report.
    """
    bindings = _event_args(
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
    rows = expand(store.select("api_events", bindings, limit=page.limit, offset=page.offset))
    return page_of(total(rows), page, [_event(g) for g in grouped(rows, "event")])


def event(store: Store, ref: str) -> dict[str, Any]:
    """One event as its article states it; ``ref`` is the IRI or the key. ``NotFound`` if unknown."""
    iri = ref if ref.startswith(("http://", "https://")) else str(entity_iri("event", ref))
    rows = store.select("api_event", {"event": URIRef(iri)})
    if not rows:
        raise NotFound(f"no event {ref[:80]!r}")
    return _event(rows)


def timeline(
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
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """Dated events in date order, each with its ``family``; ``families`` counts each family
    (commemorative, diplomatic, historical, other) over the whole filtered timeline, with its span."""
    bindings = _event_args(
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
    rows = expand(store.select("api_timeline", bindings, limit=page.limit, offset=page.offset))
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for r in store.select("api_timeline_families", bindings):
        lane = families[family_of(r["type"]) or "other"]
        lane["events"] += int(r["events"] or 0)
        lane["first"] = min(filter(None, (lane["first"], r["first"])), default=None)
        lane["last"] = max(filter(None, (lane["last"], r["last"])), default=None)
    return page_of(total(rows), page, [_event(g) for g in grouped(rows, "event")], families=families)
