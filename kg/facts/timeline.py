"""The dated events in date order (``Event`` records) and the span of each event family."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal

from kg.facts.events import Event, event_args, event_of
from kg.facts.params import FAMILIES, FIRST_PAGE, Page, family_of, gaz
from kg.facts.shape import Listing, grouped, total
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.store import Store


@dataclass(frozen=True)
class FamilySpan:
    """How many dated events of one family the (filtered) timeline holds, and their span."""

    events: int = 0
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True)
class Timeline(Listing[Event]):
    """Dated events in date order; ``families`` keeps commemorative and historical events apart."""

    items: tuple[Event, ...]
    families: Mapping[str, FamilySpan] = field(default_factory=dict)
    """Per family (commemorative, diplomatic, historical, other): events and first/last date."""


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
) -> Timeline:
    """Dated events in date order, each with its ``family``; ``families`` counts each family
    (commemorative, diplomatic, historical, other) over the whole filtered timeline, with its span."""
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
    if all(v is None for v in bindings.values()):
        return _viewed(store, page)
    rows = expand(store.select("api_timeline", bindings, limit=page.limit, offset=page.offset))
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for r in store.select("api_timeline_families", bindings):
        _add(families, r["type"], int(r["events"] or 0), r["first"], r["last"])
    items = tuple(event_of(g) for g in grouped(rows, "event"))
    spans = {name: FamilySpan(**lane) for name, lane in families.items()}
    return Timeline(total(rows), page.limit, page.offset, items, families=spans)


def _add(families: dict[str, dict[str, Any]], type: str, events: int, first: str | None, last: str | None) -> None:
    lane = families[family_of(type) or "other"]
    lane["events"] += events
    lane["first"] = min(filter(None, (lane["first"], first)), default=None)
    lane["last"] = max(filter(None, (lane["last"], last)), default=None)


def _viewed(store: Store, page: Page) -> Timeline:
    """The unfiltered timeline from the timeline view (``kg.listing``): the dates in order with their
    events per type give the total, the families and the dates the page falls on; each of those dates'
    slice of events is read in index order (``api_timeline_date.rq``), as the full sort leaves them."""
    dates = []
    per_type: dict[str, list[Any]] = {}  # type -> [events, first date, last date]
    view = store.select("api_timeline_view")
    for line in ((view[0]["rows"] if view else None) or "").splitlines():
        date, events, types = line.split("\t", 2)
        dates.append((date, int(events)))
        pairs = types.split()
        for type, n in zip(pairs[::2], pairs[1::2], strict=True):
            lane = per_type.setdefault(type, [0, date, date])
            lane[0] += int(n)
            lane[1], lane[2] = min(lane[1], date), max(lane[2], date)
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for type, (events, first, last) in per_type.items():
        _add(families, type, events, first, last)
    dates.sort()
    rows: list[dict[str, Any]] = []
    start, end = page.offset, page.offset + page.limit  # the page's positions in the whole timeline
    position = 0
    for date, events in dates:
        if position + events > start and position < end:
            skip = max(start - position, 0)
            take = min(end, position + events) - position - skip
            rows += store.select("api_timeline_date", {"date": Literal(date)}, limit=take, offset=skip)
        position += events
    items = tuple(event_of(g) for g in grouped(expand(rows), "event"))
    spans = {name: FamilySpan(**lane) for name, lane in families.items()}
    return Timeline(position, page.limit, page.offset, items, families=spans)
