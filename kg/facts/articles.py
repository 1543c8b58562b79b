"""The stored articles with their metadata."""

from __future__ import annotations

from typing import Any

from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, Page, date_arg, key_of, text_arg
from kg.facts.shape import page_of, total
from kg.store import Store


def articles(
    store: Store,
    *,
    outlet: str | None = None,
    q: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: Page = FIRST_PAGE,
) -> dict[str, Any]:
    """The stored articles with their metadata; ``q`` matches part of the headline."""
    bindings: dict[str, Identifier | None] = {
        "argOutlet": text_arg(outlet),
        "argQ": text_arg(q),
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
    }
    rows = store.select("api_articles", bindings, limit=page.limit, offset=page.offset)
    items = [
        {
            "iri": r["article"],
            "id": key_of(r["article"]),
            "title": r["title"],
            "url": r["url"],
            "outlet": r["outlet"],
            "published": r["published"],
            "published_basis": r["basis"],
        }
        for r in rows
        if r["article"] is not None
    ]
    return page_of(total(rows), page, items)
