"""Casualty figures side by side, each as its source states it, and their spread."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, Page, entity_args, gaz, reported_args, text_arg
from kg.facts.shape import evidence, grouped, page_of, ref, source, total
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.store import Store


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
) -> dict[str, Any]:
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
    query = "api_casualties_stories" if independent else "api_casualties"
    rows = expand(store.select(query, bindings, limit=page.limit, offset=page.offset))
    items = [
        {
            "iri": r["figure"],
            "low": r["low"],
            "high": r["high"],
            "measure": r["measure"],
            "hedge": r["hedge"],
            "scope": r["scope"],
            "surface": r["surface"],
            "group": ref(r["group"], r["groupLabel"], r["groupWikidata"])
            if r["group"]
            else ({"iri": None, "key": None, "name": r["groupLabel"], "wikidata": None} if r["groupLabel"] else None),
            "event": ref(r["event"], r["eventLabel"], r["eventWikidata"]),
            "source": source(r),
            "evidence": evidence(r),
            "story": r["story"],
            "copies": sorted((r.get("copies") or "").split()) if independent else None,
        }
        for g in grouped(rows, "figure")
        for r in g[:1]
    ]
    spread_bindings = {("group" if k == "argGroup" else k): v for k, v in bindings.items()}
    # without filters, or only a group IRI and a measure: the spread view, kept in step with every write
    viewed = all(v is None for k, v in spread_bindings.items() if k not in ("group", "measure"))
    spread = []
    for r in store.select("api_casualty_spread_view" if viewed else "api_casualty_spread", spread_bindings):
        values = []
        for pair in (r["values"] or "").split():
            low, _, high = pair.partition("-")
            values.append({"low": int(low), "high": int(high)})
        values.sort(key=lambda v: (v["low"], v["high"]))
        spread.append(
            {
                "group": ref(r["group"], r["groupLabel"]),
                "measure": r["measure"],
                "sources": int(r["sources"] or 0),
                "stories": int(r["stories"] or 0),
                "figures": int(r["figures"] or 0),
                "distinct_figures": len(values),
                "low_min": r["minLow"],
                "high_max": r["maxHigh"],
                "values": values,
            }
        )
    return page_of(total(rows), page, items, spread=spread)
