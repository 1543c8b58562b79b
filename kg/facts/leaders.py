"""People in office as the articles state them: the ``Leader`` record (with its ``Office``s), read as
a page (``leaders``), one person (``leader``) or from one article's graph (``article_leaders``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.errors import NotFound
from kg.facts.events import EventBrief, event_brief
from kg.facts.params import FIRST_PAGE, Page, entity_args, entity_iri, gaz, key_of, text_arg
from kg.facts.quotes import Quote, quote_of
from kg.facts.shape import Evidence, Listing, Ref, Section, Source, evidence, grouped, listing, ref, source, unique
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.store import Store


@dataclass(frozen=True)
class Office:
    """An office one article says a person holds (or held)."""

    iri: str | None
    """The office's IRI (not read in an article's report)."""
    role: str
    country: Ref | None
    current: bool
    """Whether the article presents the office as held at the time."""
    source: Source
    evidence: Evidence


@dataclass(frozen=True)
class Leader:
    """A person some article names in a current office, with the office(s) an article states."""

    iri: str
    key: str
    name: str
    """The name the graph labels the person with (the gazetteer's, if known)."""
    wikidata: str | None
    sources: int
    """How many articles name the person a leader (in the filtered office); 1 in an article's report."""
    offices: tuple[Office, ...]
    """The office(s) one of those articles states, with evidence."""
    written: str | None = None
    """In an article's report: the name as that article spells it."""
    mentions: tuple[Evidence, ...] = ()
    """In an article's report: where that article names the person."""


@dataclass(frozen=True)
class Attendee(Ref):
    """A person who took part in some of the same events."""

    shared_events: int = 0
    """How many events (as stated per article) they shared."""


@dataclass(frozen=True)
class LeaderDetail:
    """Everything the articles say about one person; each list is a page of ``limit``/``offset``."""

    iri: str
    key: str
    name: str
    wikidata: str | None
    sources: int
    """How many articles describe the person."""
    limit: int
    offset: int
    offices: Section[Office]
    """Offices per article, newest article first."""
    events: Section[EventBrief]
    """Events they took part in, newest first."""
    quotes: Section[Quote]
    co_attendees: Section[Attendee]
    """People who took part in the same events, most shared events first."""


def office_of(row: Mapping[str, Any], *, src: Source | None = None) -> Office:
    return Office(
        iri=row.get("office"),
        role=row["role"],
        country=ref(row.get("country"), row.get("countryName"), row.get("countryWikidata")),
        current=bool(row["current"]),
        source=src or source(row),  # type: ignore[arg-type]  # list rows always name their article
        evidence=evidence(row),  # type: ignore[arg-type]  # every office has its evidence
    )


def leaders(
    store: Store,
    *,
    name: str | None = None,
    role: str | None = None,
    country: str | None = None,
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> Listing[Leader]:
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
    items = (
        Leader(
            iri=group[0]["person"],
            key=key_of(group[0]["person"]) or "",
            name=group[0]["name"],
            wikidata=group[0]["wikidata"],
            sources=int(group[0]["sources"] or 0),
            offices=unique(office_of(r) for r in group if r.get("office")),
        )
        for group in grouped(rows, "person")
    )
    return listing(rows, page, items)


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


def leader(store: Store, person: str, *, page: Page = FIRST_PAGE) -> LeaderDetail:
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
            offices.append(office_of(row))
        elif section == "event":
            events_.append(event_brief(row))
        elif section == "quote":
            quotes_.append(quote_of(row, with_speaker=False))
        elif section == "coattendee":
            other = row["other"]
            others.append(
                Attendee(other, key_of(other), row["otherName"], row["otherWikidata"], shared_events=row["shared"])
            )
    return LeaderDetail(
        iri=iri,
        key=key_of(iri) or "",
        name=head["name"],
        wikidata=head["wikidata"],
        sources=int(head["sources"] or 0),
        limit=page.limit,
        offset=page.offset,
        offices=Section(totals.get("offices", 0), unique(offices)),
        events=Section(totals.get("events", 0), unique(events_)),
        quotes=Section(totals.get("quotes", 0), unique(quotes_)),
        co_attendees=Section(totals.get("coattendees", 0), unique(others)),
    )


def article_leaders(store: Store, article: URIRef, src: Source) -> list[Leader]:
    """The leaders one article's graph names, in the order it first mentions them, each with the
    offices it states (current first) and every mention."""
    mentions: dict[str, list[Evidence]] = defaultdict(list)
    for row in store.select("article_mentions", {"article": article}):
        mentions[row["person"]].append(Evidence(row["start"], row["end"], row["exact"]))
    people: dict[str, list[dict[str, Any]]] = {}
    for row in store.select("article_leaders", {"article": article}):
        people.setdefault(row["person"], []).append(row)
    out = []
    for person, group in people.items():
        first = group[0]
        offices = tuple(
            replace(office_of(r, src=src), country=Ref(name=r["country"], wikidata=r["countryWikidata"]))
            if r["country"] is not None
            else office_of(r, src=src)
            for r in group
            if r["role"] is not None
        )
        out.append(
            Leader(
                iri=person,
                key=key_of(person) or "",
                name=first["name"],
                wikidata=first["wikidata"],
                sources=1,
                offices=offices,
                written=first["written"] or first["name"],
                mentions=tuple(mentions.get(person, [])),
            )
        )
    return sorted(out, key=lambda x: x.mentions[0].start if x.mentions else 0)
