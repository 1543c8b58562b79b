"""Casualty figures side by side, each as its source states it, and their spread: the ``Casualty``
record, read across all articles (``casualties``) or from one article's graph (``article_casualties``)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, Page, entity_args, gaz, reported_args, text_arg
from kg.facts.shape import LISTED_RECORDS, Evidence, Listing, Ref, Source, evidence, grouped, ref, source, total
from kg.gazetteer import Gazetteer
from kg.listing import expand, tallied
from kg.store import Store


@dataclass(frozen=True)
class Casualty:
    """One source's casualty figure, as stated: a range (low = high for one number), hedge, scope."""

    iri: str
    low: int
    high: int
    measure: str
    """What is counted: deaths, killed, victims, wounded..."""
    hedge: str | None
    """How the article hedges it: estimated, about, more than..."""
    scope: str | None
    surface: str
    """The number as written."""
    group: Ref | None
    """Whose losses; a group the gazetteer does not know has a name and no IRI."""
    event: Ref | None
    """The event the losses belong to (an event named but not extracted has a name and no IRI)."""
    source: Source
    evidence: Evidence
    story: str | None = None
    """The story (near-duplicate copies of one report) the source article belongs to."""
    copies: tuple[str, ...] | None = None
    """With independent=true: every article of the story that states this figure."""


@dataclass(frozen=True)
class FigureValue:
    low: int
    high: int


@dataclass(frozen=True)
class Spread:
    """How far the sources disagree about one group and measure (never one merged number)."""

    group: Ref | None
    measure: str
    sources: int
    """Articles stating a figure."""
    stories: int
    """Independent stories among those articles: near-duplicate copies of one report count once."""
    figures: int
    """Figures stated (an article may state several)."""
    distinct_figures: int
    low_min: int
    """The lowest low any source states."""
    high_max: int
    """The highest high any source states."""
    values: tuple[FigureValue, ...]
    """Each distinct (low, high) stated."""


@dataclass(frozen=True)
class Casualties(Listing[Casualty]):
    """Casualty figures side by side, and their spread per group and measure over all matches."""

    items: tuple[Casualty, ...]
    spread: tuple[Spread, ...] = ()


def casualty_of(r: Mapping[str, Any], *, src: Source | None = None, independent: bool = False) -> Casualty:
    """A figure from one query row; ``src`` is the source when the rows are one article's."""
    group = ref(r.get("group"), r.get("groupLabel"), r.get("groupWikidata"))
    if group is None and r.get("groupLabel"):
        group = Ref(name=r["groupLabel"])
    event = ref(r.get("event"), r.get("eventLabel"), r.get("eventWikidata"))
    if event is None and r.get("eventLabel"):
        event = Ref(name=r["eventLabel"])
    return Casualty(
        iri=r["figure"],
        low=r["low"],
        high=r["high"],
        measure=r["measure"],
        hedge=r.get("hedge"),
        scope=r.get("scope"),
        surface=r["surface"],
        group=group,
        event=event,
        source=src or source(r),  # type: ignore[arg-type]  # list rows always name their article
        evidence=evidence(r),  # type: ignore[arg-type]  # every figure has its evidence
        story=r.get("story"),
        copies=tuple(sorted((r.get("copies") or "").split())) if independent else None,
    )


def listed_casualties(rows: Iterable[dict[str, Any]], *, independent: bool = False) -> Iterator[Casualty]:
    """The figures of a list read's rows (``?figure``, ``?article``, ``?story``, ``?copies``,
    ``?listing``: ``kg.listing``), one per figure in the rows' order; those with a listing built from
    it once (``listed_casualty``)."""
    for group in grouped(rows, "figure"):
        r = group[0]
        if r.get("listing") is None:
            yield casualty_of(expand(group)[0], independent=independent)
        else:
            yield listed_casualty(r["figure"], r["article"], r.get("story"), r.get("copies"), r["listing"], independent)


@functools.lru_cache(maxsize=LISTED_RECORDS)
def listed_casualty(
    figure: str, article: str, story: str | None, copies: str | None, listing: str, independent: bool
) -> Casualty:
    """The figure ``listing`` states, read once per listing text and row: see ``LISTED_RECORDS``."""
    row = {"figure": figure, "article": article, "story": story, "copies": copies, "listing": listing}
    return casualty_of(expand([row])[0], independent=independent)


def casualties(
    store: Store,
    *,
    group: str | None = None,
    event: str | None = None,
    measure: str | None = None,
    independent: bool = False,
    reported_after: str | None = None,
    reported_before: str | None = None,
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> Casualties:
    """Every source's casualty figure side by side, each as stated (low, high, hedge, measure, scope,
    evidence), and ``spread``: per group and measure, the lowest low, the highest high, the number of
    sources, of independent stories and of distinct figures over all matching figures. Figures are
    never merged into one.

    Each figure names its ``story`` (the near-duplicate copies of one report). With ``independent``,
    a figure stated alike by several copies of one story is listed once, with its evidence in one
    copy and ``copies``, every article of the story that states it.

    ``group`` takes an IRI, a Wikidata ID or a name (whole, any case); ``event`` an event IRI, a
    Wikidata ID or part of the event's label; ``reported_after``/``reported_before`` keep the figures
    of articles published on or after / before a date ("as reported before 2015").
    """
    resolver = gaz(gazetteer)
    bindings: dict[str, Identifier | None] = {
        "measure": text_arg(measure),
        **reported_args(reported_after, reported_before),
    }
    bindings.update(entity_args("argGroup", group, ("country", "group"), resolver))
    if event and event.startswith(("http://", "https://")):
        bindings["argEvent"] = URIRef(event.strip())
    else:
        bindings.update({k: v for k, v in entity_args("argEvent", event, (), resolver).items() if k != "argEvent"})
    if independent:
        query, listed = "api_casualties_stories", bindings
    else:
        query, listed = tallied("figures", bindings, {"argGroup": "group"}, "api_casualties")
    answer = store.select(query, listed, limit=page.limit, offset=page.offset)
    rows = [r for r in answer if r.get("spread") is None]
    items = tuple(listed_casualties(rows, independent=independent))
    spread_bindings = {("group" if k == "argGroup" else k): v for k, v in bindings.items()}
    # without filters, or only a group IRI and a measure: the spread view, kept in step with every write
    viewed = all(v is None for k, v in spread_bindings.items() if k not in ("group", "measure"))
    if query == "api_casualties_tallied":  # its answer holds the spread view's rows too
        spread = _viewed_spread(tuple(r["spread"] for r in answer if r.get("spread") is not None))
    elif viewed:
        spread = _viewed_spread(tuple(r["row"] for r in store.select("api_casualty_spread_view", spread_bindings)))
    else:
        spread = _spreads(store.select("api_casualty_spread", spread_bindings))
    return Casualties(total(rows), page.limit, page.offset, items, spread=spread)


@functools.lru_cache(maxsize=64)
def _viewed_spread(entries: tuple[str, ...]) -> tuple[Spread, ...]:
    """The spread view's entries as records, read once per answer (a write that changes the view
    changes its entries' text)."""
    return _spreads(_view_rows(entries))


def _spreads(rows: Iterable[Mapping[str, Any]]) -> tuple[Spread, ...]:
    spread = []
    for r in rows:
        pairs = (pair.partition("-") for pair in (r["values"] or "").split())
        values = sorted((FigureValue(int(low), int(high)) for low, _, high in pairs), key=lambda v: (v.low, v.high))
        spread.append(
            Spread(
                group=ref(r["group"], r["groupLabel"]),
                measure=r["measure"],
                sources=int(r["sources"] or 0),
                stories=int(r["stories"] or 0),
                figures=int(r["figures"] or 0),
                distinct_figures=len(values),
                low_min=r["minLow"],
                high_max=r["maxHigh"],
                values=tuple(values),
            )
        )
    return tuple(spread)


SPREAD_LIMIT = 200  # entries, as api_casualty_spread.rq
_ROW_FIELDS = ("sources", "stories", "figures", "minLow", "maxHigh", "group", "measure", "values", "groupLabel")


def _view_rows(entries: Iterable[str]) -> list[dict[str, Any]]:
    """The spread view's entries (``wwii:spreadRow``: the columns of api_casualty_spread.rq, tab-separated,
    the label last), most sources first, then by label, measure and group, as many as the query keeps."""
    rows = []
    for entry in entries:
        row: dict[str, Any] = dict(zip(_ROW_FIELDS, entry.split("\t", len(_ROW_FIELDS) - 1), strict=True))
        for key in _ROW_FIELDS[:5]:
            row[key] = int(row[key])
        rows.append(row)
    rows.sort(key=lambda r: (-r["sources"], r["groupLabel"], r["measure"], r["group"]))
    return rows[:SPREAD_LIMIT]


def article_casualties(store: Store, article: URIRef, src: Source) -> list[Casualty]:
    """The casualty figures of one article's graph, in text order (groups by name: the query reads labels)."""
    return [
        casualty_of({**row, "groupLabel": row["group"], "group": None}, src=src)
        for row in store.select("article_casualties", {"article": article})
    ]
