"""The dated events in date order (``Event`` records) and the span of each event family."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from kg.facts.events import Event, event_args, listed_events
from kg.facts.params import FAMILIES, FIRST_PAGE, Page, family_of, gaz
from kg.facts.shape import Listing, total
from kg.gazetteer import Gazetteer
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
    rows = store.select("api_timeline", bindings, limit=page.limit, offset=page.offset)
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for r in rows:
        if r["events"] is not None:
            _add(families, r["type"], int(r["events"]), r["first"], r["last"])
    listed = sorted((r for r in rows if r["events"] is None), key=_order)
    items = tuple(listed_events(listed))
    spans = {name: FamilySpan(**lane) for name, lane in families.items()}
    return Timeline(total(listed), page.limit, page.offset, items, families=spans)


def _add(families: dict[str, dict[str, Any]], type: str, events: int, first: str | None, last: str | None) -> None:
    lane = families[family_of(type) or "other"]
    lane["events"] += events
    lane["first"] = min(filter(None, (lane["first"], first)), default=None)
    lane["last"] = max(filter(None, (lane["last"], last)), default=None)


@dataclass(frozen=True)
class _Shape:
    """The unfiltered timeline as its view gives it: the dates in order with their events, the
    position of each date's first event, the total and the families."""

    dates: tuple[tuple[str, int, int], ...]  # (date, events, position of its first)
    total: int
    families: Mapping[str, FamilySpan]

    def slices(self, page: Page) -> tuple[tuple[str, ...], int, int]:
        """The dates ``page`` falls on, the events of the first of them it skips and how many it takes."""
        start, end = page.offset, page.offset + page.limit
        dates = tuple(d for d, events, at in self.dates if at + events > start and at < end)
        if not dates:
            return (), 0, 0
        first = next(at for d, _, at in self.dates if d == dates[0])
        return dates, start - first, min(end, self.total) - start


@functools.lru_cache(maxsize=8)
def _shape(rows: str) -> _Shape:
    """The timeline view's rows (``api_timeline_page.rq``'s ``?rows``) read: parsed once per text."""
    counted: list[tuple[str, int]] = []
    per_type: dict[str, list[Any]] = {}  # type -> [events, first date, last date]
    for line in rows.splitlines():
        date, count, types = line.split("\t", 2)
        counted.append((date, int(count)))
        pairs = types.split()
        for type, n in zip(pairs[::2], pairs[1::2], strict=True):
            lane = per_type.setdefault(type, [0, date, date])
            lane[0] += int(n)
            lane[1], lane[2] = min(lane[1], date), max(lane[2], date)
    families: dict[str, dict[str, Any]] = {f: {"events": 0, "first": None, "last": None} for f in FAMILIES}
    for type, (n, first, last) in per_type.items():
        _add(families, type, n, first, last)
    dates: list[tuple[str, int, int]] = []
    position = 0
    for day, events in sorted(counted):
        dates.append((day, events, position))
        position += events
    spans = {name: FamilySpan(**lane) for name, lane in families.items()}
    return _Shape(tuple(dates), position, spans)


# per store, the view's rows its last unfiltered timeline read, and the store's count of writes before
# that read (``Store.writes``): where the next page's dates are, and with ``Store.sole_writer`` and no
# write since, the shape itself
_last_rows: weakref.WeakKeyDictionary[Store, tuple[int, str]] = weakref.WeakKeyDictionary()


def _viewed(store: Store, page: Page) -> Timeline:
    """The unfiltered timeline from the timeline view (``kg.listing``): the view's rows and the events
    of the dates the page falls on by the view as last read (``api_timeline_page.rq``; asked again,
    once, should the rows in the answer put the page on other dates: the view changed since), cut in
    Python from those dates' events in date and IRI order. Their listings come in the same answer when
    those dates hold at most ``INLINE_EXTRA`` events more than the page (one query), else the page's
    are read next (``api_timeline_listings.rq``).

    The view's rows (~150 dates, 10 KB at a million quads: a third of the query's time) are left out
    when the store has its ``sole_writer`` and no write went through it since they were last read:
    the view is then the one read last, and so is where the page falls."""
    writes = store.writes
    seen, text = _last_rows.get(store, (-1, ""))
    known = store.sole_writer and seen == writes
    shape = _shape(text)
    guess = shape.slices(page)[0]
    inline = _inline(shape, guess, page)
    rows = _dates(store, guess, inline, shape=not known)
    if not known:
        text = next((r["rows"] or "" for r in rows if r["key"] is None), "")
        _last_rows[store] = (writes, text)
        shape = _shape(text)
    dates, skip, take = shape.slices(page)
    if dates != guess:
        inline = _inline(shape, dates, page)
        rows = _dates(store, dates, inline, shape=False)
    keyed = [r for r in rows if r["key"] is not None]
    chosen = sorted(tuple(r["key"].split(" ", 1)) for r in keyed)[skip : skip + take]
    wanted = set(chosen)  # an event of two dates is on the page once per date chosen
    found: list[dict[str, Any]] = []
    if inline:
        for r in keyed:
            date, event = r["key"].split(" ", 1)
            if (date, event) in wanted and r["listing"] is not None:
                found.append({"event": event, "date": date, "article": r["article"], "listing": r["listing"]})
    elif chosen:
        found = store.select("api_timeline_listings", {"event": tuple(URIRef(e) for _, e in chosen)})
    items = tuple(listed_events(sorted((r for r in found if _order(r) in wanted), key=_order)))
    return Timeline(shape.total, page.limit, page.offset, items, families=shape.families)


INLINE_EXTRA = 50  # listings read beyond the page's to save a second query (about 1 KB and 15 us each)


def _inline(shape: _Shape, dates: tuple[str, ...], page: Page) -> bool:
    """Whether to read the listings of every event of ``dates`` with them (few more than the page's)."""
    held = {d: events for d, events, _ in shape.dates}
    return bool(dates) and sum(held.get(d, 0) for d in dates) <= page.limit + INLINE_EXTRA


def _order(row: dict[str, Any]) -> tuple[str, str]:
    """The timeline's order, a total one: by date, and the events of one date by IRI, so a page's end
    falls between the same two events whatever the page size, the engine and its join order."""
    return str(row["date"] or ""), str(row["event"])


def _dates(store: Store, dates: tuple[str, ...], listed: bool, *, shape: bool) -> list[dict[str, Any]]:
    bindings = {
        "date": tuple(Literal(d) for d in dates),
        "argListed": Literal(True) if listed else None,
        "argShape": Literal(True) if shape else None,
    }
    return store.select("api_timeline_page", bindings)
