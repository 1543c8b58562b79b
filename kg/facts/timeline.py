"""The dated events in date order (``Event`` records) and the span of each event family."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
    rows = expand(store.select("api_timeline", bindings, limit=page.limit, offset=page.offset))
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for r in store.select("api_timeline_families", bindings):
        lane = families[family_of(r["type"]) or "other"]
        lane["events"] += int(r["events"] or 0)
        lane["first"] = min(filter(None, (lane["first"], r["first"])), default=None)
        lane["last"] = max(filter(None, (lane["last"], r["last"])), default=None)
    items = tuple(event_of(g) for g in grouped(rows, "event"))
    spans = {name: FamilySpan(**lane) for name, lane in families.items()}
    return Timeline(total(rows), page.limit, page.offset, items, families=spans)
