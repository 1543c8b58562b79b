"""The stored articles with their metadata: the ``ArticleSummary`` record, listed (``articles``) or
one article's (``article_summary``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.errors import NotFound
from kg.facts.params import FIRST_PAGE, Page, date_arg, key_of, text_arg
from kg.facts.shape import Listing, Source, listing
from kg.listing import expand
from kg.store import Store


@dataclass(frozen=True)
class ArticleSummary:
    """A stored article's metadata."""

    iri: str
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_basis: str | None = None
    """Where the date comes from: metadata, given..."""

    @property
    def source(self) -> Source:
        """The article as the source of the facts read from it."""
        return Source(self.iri, self.id, self.title, self.outlet, self.published, self.url)


def summary_of(iri: str, r: Mapping[str, Any]) -> ArticleSummary:
    return ArticleSummary(iri, key_of(iri) or "", r["title"], r["url"], r["outlet"], r["published"], r["basis"])


def articles(
    store: Store,
    *,
    outlet: str | None = None,
    q: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page: Page = FIRST_PAGE,
) -> Listing[ArticleSummary]:
    """The stored articles with their metadata; ``q`` matches part of the headline."""
    bindings: dict[str, Identifier | None] = {
        "argOutlet": text_arg(outlet),
        "argQ": text_arg(q),
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
    }
    rows = expand(store.select("api_articles", bindings, limit=page.limit, offset=page.offset))
    return listing(rows, page, (summary_of(r["article"], r) for r in rows if r["article"] is not None))


def article_summary(store: Store, article: URIRef) -> ArticleSummary:
    """One stored article's metadata; ``NotFound`` when the store has no such article."""
    rows = store.select("article_meta", {"article": article})
    if not rows:
        raise NotFound(f"no article {article}")
    return summary_of(str(article), rows[0])
