"""People in office as the articles state them: ``leaders`` (a page) and ``leader`` (one person)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.errors import NotFound
from kg.facts.params import FIRST_PAGE, Page, entity_args, entity_iri, family_of, gaz, key_of, text_arg
from kg.facts.shape import evidence, grouped, office, page_of, quote_item, ref, source, total, unique
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.store import Store


def leaders(
    store: Store,
    *,
    name: str | None = None,
    role: str | None = None,
    country: str | None = None,
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> dict[str, Any]:
    """People some article names in a current office, by name; each with the number of articles that
    do, and the office one of them states (role, country, source, evidence).

    ``name`` matches part of the name; ``role`` a whole role (any case); ``country`` a country's
    IRI, Wikidata ID or name (the gazetteer's names and aliases, or the label in the graph).
    """
    bindings: dict[str, Identifier | None] = {"argName": text_arg(name), "argRole": text_arg(role)}
    bindings.update(entity_args("argCountry", country, ("country",), gaz(gazetteer)))
    query = "api_leaders" if role or country else "api_leaders_view"  # without those filters: the view
    rows = expand(store.select(query, bindings, limit=page.limit, offset=page.offset))
    rows.sort(key=_office_order(rows))  # each person's offices: current first, then in text order
    items = []
    for group in grouped(rows, "person"):
        first = group[0]
        items.append(
            {
                "iri": first["person"],
                "key": key_of(first["person"]),
                "name": first["name"],
                "wikidata": first["wikidata"],
                "sources": int(first["sources"] or 0),
                "offices": unique(office(r) for r in group if r.get("office")),
            }
        )
    return page_of(total(rows), page, items)


def _office_order(rows: list[dict[str, Any]]) -> Callable[[dict[str, Any]], tuple[int, bool, int]]:
    """Rows in the query's order of people; each person's offices current first, then by position."""
    rank: dict[Any, int] = {}
    for row in rows:
        rank.setdefault(row.get("person"), len(rank))
    return lambda r: (rank[r.get("person")], not r.get("current"), r.get("start") or 0)


def _section_order(row: dict[str, Any]) -> tuple[str, tuple[int, str], int]:
    """Offices and quotes newest article first, events newest first, co-attendees by shared events
    (unbound dates last); Python's sort keeps the engine's order of ties."""
    when = row.get("date") if row["section"] == "event" else row.get("published")
    return row["section"], (when is None, _inverted(str(when or ""))), -int(row.get("shared") or 0)


def _inverted(text: str) -> str:
    """A key that sorts ``text`` descending in an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text) + chr(0x10FFFF)


def leader(store: Store, person: str, *, page: Page = FIRST_PAGE) -> dict[str, Any]:
    """One person: the offices each article states, the events they took part in, their quotations,
    and the people who took part in the same events; each list a page of ``page``.

    ``person`` is the IRI or the key (``Q7747``); ``NotFound`` when no article names them.
    """
    iri = person if person.startswith(("http://", "https://")) else str(entity_iri("person", person))
    rows = store.select("api_leader", {"person": URIRef(iri)}, limit=page.limit, offset=page.offset)
    rows.sort(key=_section_order)  # as each section's page was ordered (a join may not keep it: Virtuoso)
    head = next((r for r in rows if r["section"] == "person"), None)
    if head is None:
        raise NotFound(f"no person {person[:80]!r}")
    totals = {r["section"]: int(r["total"] or 0) for r in rows if r["total"] is not None}
    offices, events_, quotes_, others = [], [], [], []
    for row in rows:
        section = row["section"]
        if section == "office":
            offices.append(office(row))
        elif section == "event":
            events_.append(
                {
                    "iri": row["event"],
                    "key": key_of(row["event"]),
                    "type": row["type"],
                    "family": family_of(row["type"]),
                    "label": row["label"],
                    "date": row["date"],
                    "source": source(row),
                    "evidence": evidence(row),
                }
            )
        elif section == "quote":
            quotes_.append(quote_item(row, with_speaker=False))
        elif section == "coattendee":
            other = ref(row["other"], row["otherName"], row["otherWikidata"]) or {}
            others.append({**other, "shared_events": row["shared"]})
    return {
        "iri": iri,
        "key": key_of(iri),
        "name": head["name"],
        "wikidata": head["wikidata"],
        "sources": int(head["sources"] or 0),
        "limit": page.limit,
        "offset": page.offset,
        "offices": {"total": totals.get("offices", 0), "items": unique(offices)},
        "events": {"total": totals.get("events", 0), "items": unique(events_)},
        "quotes": {"total": totals.get("quotes", 0), "items": unique(quotes_)},
        "co_attendees": {"total": totals.get("coattendees", 0), "items": unique(others)},
    }
