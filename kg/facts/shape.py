"""The records every fact kind shares (evidence, source, entity references, pages) and the helpers
that read them from query rows.

Records are frozen dataclasses; each field's docstring is its description in the JSON API
(``api/schemas.py`` derives the response models from these records).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from kg.facts.params import Page, key_of

T = TypeVar("T")
# records kept per fact kind by the builders that read a fact from its listing (``listed_event``...):
# a listing is its fact's fields as written with its article (``kg.listing``), so one text always gives
# one record, and a write that changes a fact changes its text; 2,048 events take about 7 MB
LISTED_RECORDS = 2048


@dataclass(frozen=True)
class Evidence:
    """The exact span of the article body a fact was read from: ``body[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Source:
    """The article a fact was read from."""

    article: str
    """The article's IRI (also the name of its graph)."""
    id: str
    """The article id: 16 hex digits of the hash of its text."""
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    """Publication date, YYYY-MM-DD."""
    url: str | None = None


@dataclass(frozen=True)
class Ref:
    """A person, country, place, organisation, group or event, by IRI and name."""

    iri: str | None = None
    """The entity's IRI; it dereferences to a description."""
    key: str | None = None
    """The last segment of the IRI, as used in /entities/{kind}/{key}."""
    name: str | None = None
    wikidata: str | None = None
    """The Wikidata ID, when the entity is in the gazetteer."""
    written: str | None = field(default=None, kw_only=True)  # after the fields of Ref's subclasses
    """The name as the article writes it, where that differs ("Leningrad" for Saint Petersburg)."""


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One page of a list: ``total`` matches over all pages, ``items`` those of this page."""

    total: int
    """How many items match, over all pages."""
    limit: int
    offset: int
    items: tuple[T, ...]


@dataclass(frozen=True)
class Section(Generic[T]):
    """One page of a list inside a detail view (its ``limit``/``offset`` are the view's)."""

    total: int
    """How many items there are in all."""
    items: tuple[T, ...]


def total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"] or 0) if rows else 0


def ref(iri: str | None, name: Any = None, wikidata: Any = None) -> Ref | None:
    if iri is None:
        return None
    return Ref(iri, key_of(iri), name, wikidata)


def source(row: Mapping[str, Any], prefix: str = "") -> Source | None:
    article = row.get(prefix + "article")
    if article is None:
        return None
    return Source(
        article=article,
        id=key_of(article) or "",
        title=row.get(prefix + "title"),
        outlet=row.get(prefix + "outlet"),
        published=row.get(prefix + "published"),
        url=row.get(prefix + "url"),
    )


def evidence(row: Mapping[str, Any], prefix: str = "") -> Evidence | None:
    if row.get(prefix + "start") is None:
        return None
    return Evidence(row[prefix + "start"], row[prefix + "end"], row[prefix + "exact"])


def copies(row: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The articles of a story that state a fact alike (``independent=true`` reads), else None."""
    return tuple(sorted(row["copies"].split())) if row.get("copies") is not None else None


def grouped(rows: Iterable[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    """Rows grouped by ``row[key]`` in first-seen order (rows without it are dropped)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get(key) is not None:
            groups.setdefault(row[key], []).append(row)
    return list(groups.values())


def unique(items: Iterable[T | None]) -> tuple[T, ...]:
    out: list[T] = []
    for item in items:
        if item is not None and item not in out:
            out.append(item)
    return tuple(out)


def listing(rows: list[dict[str, Any]], page: Page, items: Iterable[T]) -> Listing[T]:
    return Listing(total(rows), page.limit, page.offset, tuple(items))


def page_of(total: Any, page: Page, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A page of JSON-ready dicts, for reads that are not facts (search hits)."""
    return {"total": int(total or 0), "limit": page.limit, "offset": page.offset, "items": items, **extra}


def as_json(value: Any) -> Any:
    """A record (or records) as JSON values, as the JSON API gives them: dicts, lists, text, numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
