"""Rows as JSON-ready dicts: pages, references, sources, evidence, offices and quotations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kg.facts.params import Page, key_of


def page_of(total: Any, page: Page, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"total": int(total or 0), "limit": page.limit, "offset": page.offset, "items": items, **extra}


def total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"] or 0) if rows else 0


def ref(iri: str | None, name: Any = None, wikidata: Any = None) -> dict[str, Any] | None:
    if iri is None:
        return None
    return {"iri": iri, "key": key_of(iri), "name": name, "wikidata": wikidata}


def source(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any] | None:
    article = row.get(prefix + "article")
    if article is None:
        return None
    return {
        "article": article,
        "id": key_of(article),
        "title": row.get(prefix + "title"),
        "outlet": row.get(prefix + "outlet"),
        "published": row.get(prefix + "published"),
        "url": row.get(prefix + "url"),
    }


def evidence(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any] | None:
    if row.get(prefix + "start") is None:
        return None
    return {"start": row[prefix + "start"], "end": row[prefix + "end"], "text": row[prefix + "exact"]}


def grouped(rows: Iterable[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    """Rows grouped by ``row[key]`` in first-seen order (rows without it are dropped)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get(key) is not None:
            groups.setdefault(row[key], []).append(row)
    return list(groups.values())


def unique(items: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item is not None and item not in out:
            out.append(item)
    return out


def office(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "iri": row["office"],
        "role": row["role"],
        "country": ref(row.get("country"), row.get("countryName"), row.get("countryWikidata")),
        "current": bool(row["current"]),
        "source": source(row),
        "evidence": evidence(row),
    }


def quote_item(row: Mapping[str, Any], *, with_speaker: bool = True) -> dict[str, Any]:
    return {
        "iri": row["quote"],
        "text": row["text"],
        "direct": bool(row.get("direct")),
        "verb": row.get("verb"),
        "speaker": ref(row.get("speaker"), row.get("speakerName"), row.get("speakerWikidata"))
        if with_speaker
        else None,
        "occasion": ref(row.get("occasion"), row.get("occasionLabel")),
        "source": source(row),
        "evidence": evidence(row),
        "story": row.get("story"),
        "copies": sorted(row["copies"].split()) if row.get("copies") is not None else None,
    }
