"""An article's facts as JSON, read back from its graph with SPARQL (never from Python records).

The shape is the one ``../shared/eval/README.md`` describes (``leaders``, ``events``,
``casualties``, ``quotes``), with IRIs, Wikidata IDs and evidence spans added to each fact.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import URIRef

from kg.store import Store


def _evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {"start": row["start"], "end": row["end"], "text": row["exact"]}


def _date(value: Any) -> str | None:
    return None if value is None else str(value)


def article_report(store: Store, article: URIRef) -> dict[str, Any]:
    """Metadata and every fact of one stored article, each with its evidence."""
    meta = store.rows("article_meta", article=article)
    if not meta:
        from kg.errors import NotFound

        raise NotFound(f"no article {article}")
    m = meta[0]
    return {
        "article": {
            "iri": str(article),
            "id": str(article).rsplit("/", 1)[-1],
            "title": m["title"],
            "url": m["url"],
            "outlet": m["outlet"],
            "published": _date(m["published"]),
            "published_basis": m["basis"],
        },
        "leaders": leaders(store, article),
        "events": events(store, article),
        "casualties": casualties(store, article),
        "quotes": [q for q in quotes(store, article) if q["direct"]],
        "statements": [q for q in quotes(store, article) if not q["direct"]],
    }


def leaders(store: Store, article: URIRef) -> list[dict[str, Any]]:
    by_person: dict[str, dict[str, Any]] = {}
    for row in store.rows("article_leaders", article=article):
        person = row["person"]
        item = by_person.setdefault(
            person,
            {
                "name": row["written"] or row["name"],  # as this article spells it
                "canonical": row["name"],
                "role": None,
                "country": None,
                "wikidata": row["wikidata"],
                "iri": person,
                "offices": [],
            },
        )
        if row["role"] is None:
            continue
        office = {
            "role": row["role"],
            "country": row["country"],
            "country_wikidata": row["countryWikidata"],
            "current": bool(row["current"]),
            "evidence": _evidence(row),
        }
        item["offices"].append(office)
        if item["role"] is None:
            item["role"], item["country"] = row["role"], row["country"]
    mentions = defaultdict(list)
    for row in store.rows("article_mentions", article=article):
        mentions[row["person"]].append(_evidence(row))
    for person, item in by_person.items():
        item["mentions"] = mentions.get(person, [])
    return sorted(by_person.values(), key=lambda x: x["mentions"][0]["start"] if x["mentions"] else 0)


def events(store: Store, article: URIRef) -> list[dict[str, Any]]:
    participants = defaultdict(list)
    for row in store.rows("article_participants", article=article):
        participants[row["event"]].append({"name": row["name"], "iri": row["participant"]})
    out = []
    seen: set[str] = set()
    for row in store.rows("article_events", article=article):
        if row["event"] in seen:
            continue  # one row per event: extra values (a second place...) repeat the row
        seen.add(row["event"])
        date = None
        if row["surface"] is not None:
            date = {
                "text": row["surface"],
                "value": _date(row["date"]),
                "precision": row["precision"],
                "rule": row["rule"],
                "anchor": _date(row["anchor"]),
                "resolved": bool(row["resolved"]),
            }
        out.append(
            {
                "type": row["type"],
                "label": row["label"],
                "date": _date(row["date"]),
                "place": row["placeWritten"] or row["placeName"],  # as this article names it
                "iri": row["event"],
                "background": bool(row["background"]),
                "time": date,
                "commemorates": row["commemorates"],
                "anniversary": {"stated": row["stated"], "computed": row["computed"], "consistent": row["consistent"]}
                if row["stated"] is not None or row["computed"] is not None
                else None,
                "participants": participants.get(row["event"], []),
                "wikidata": row["wikidata"],
                "evidence": _evidence(row),
            }
        )
    return out


def casualties(store: Store, article: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "group": row["group"],
            "event": row["eventLabel"],
            "low": row["low"],
            "high": row["high"],
            "what": row["measure"],
            "qualifier": row["hedge"],
            "scope": row["scope"],
            "surface": row["surface"],
            "iri": row["figure"],
            "event_iri": row["event"],
            "evidence": _evidence(row),
        }
        for row in store.rows("article_casualties", article=article)
    ]


def quotes(store: Store, article: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "speaker": row["written"] or row["speakerName"],
            "text": row["text"],
            "verb": row["verb"],
            "direct": bool(row["direct"]),
            "iri": row["quote"],
            "speaker_iri": row["speaker"],
            "evidence": _evidence(row),
        }
        for row in store.rows("article_quotes", article=article)
    ]


def eval_view(report: dict[str, Any]) -> dict[str, Any]:
    """The report as the scorer reads it: ``events`` holds the dated or placed events; the others
    (undated and unplaced, such as a commemorated war named without a date) follow as ``other_events``,
    which the scorer does not read, so nothing the graph holds is left out."""
    out = dict(report)
    out["events"] = [e for e in report["events"] if e["date"] or e["place"]]
    out["other_events"] = [e for e in report["events"] if not (e["date"] or e["place"])]
    return out


__all__ = ["article_report", "casualties", "eval_view", "events", "leaders", "quotes"]
