"""Full-text search over headlines, quotations and evidence spans, each hit joined to the graph."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from kg.facts.params import FIRST_PAGE, Page, key_of
from kg.facts.shape import page_of
from kg.store import Store


def search(store: Store, q: str, *, kind: str | None = None, page: Page = FIRST_PAGE) -> dict[str, Any]:
    """Texts holding every word of ``q`` (any case, accents folded), best first: each with the IRI of
    the headline's article, the quotation or the evidence span, its article, and a snippet with the
    matches in [brackets]. ``kind`` keeps one of title, quote, evidence."""
    total, hits = store.search(q, kind=kind, limit=page.limit, offset=page.offset)
    items = [{**asdict(hit), "id": key_of(hit.article)} for hit in hits]
    return page_of(total, page, items, q=q)


__all__ = ["search"]
