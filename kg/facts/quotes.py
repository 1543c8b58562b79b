"""Quotations and indirect statements with speaker, source, evidence and story: the ``Quote`` record,
read across all articles (``quotes``) or from one article's graph (``article_quotes``)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, WWII, Page, date_arg, entity_args, gaz, text_arg
from kg.facts.shape import (
    LISTED_RECORDS,
    Evidence,
    Listing,
    Ref,
    Source,
    copies,
    evidence,
    grouped,
    listing,
    ref,
    source,
)
from kg.gazetteer import Gazetteer
from kg.listing import expand, tallied
from kg.store import Store


@dataclass(frozen=True)
class Quote:
    """A quotation (``direct``) or an indirect statement, as one article reports it."""

    iri: str
    text: str
    direct: bool
    verb: str | None
    speaker: Ref | None
    occasion: Ref | None
    source: Source
    evidence: Evidence
    story: str | None = None
    """The story (near-duplicate copies of one report) the source article belongs to."""
    copies: tuple[str, ...] | None = None
    """With independent=true: every article of the story that reports these words."""


def quote_of(row: Mapping[str, Any], *, with_speaker: bool = True, src: Source | None = None) -> Quote:
    """A quote from one query row; ``src`` is the source when the rows are one article's."""
    return Quote(
        iri=row["quote"],
        text=row["text"],
        direct=bool(row.get("direct")),
        verb=row.get("verb"),
        speaker=ref(row.get("speaker"), row.get("speakerName"), row.get("speakerWikidata")) if with_speaker else None,
        occasion=ref(row.get("occasion"), row.get("occasionLabel")),
        source=src or source(row),  # type: ignore[arg-type]  # list rows always name their article
        evidence=evidence(row),  # type: ignore[arg-type]  # every quote has its evidence
        story=row.get("story"),
        copies=copies(row),
    )


def listed_quotes(rows: Iterable[dict[str, Any]]) -> Iterator[Quote]:
    """The quotes of a list read's rows (``?quote``, ``?article``, ``?story``, ``?copies``,
    ``?listing``: ``kg.listing``), one per quote in the rows' order; those with a listing built from it
    once (``listed_quote``)."""
    for group in grouped(rows, "quote"):
        r = group[0]
        if r.get("listing") is None:
            yield quote_of(expand(group)[0])
        else:
            yield listed_quote(r["quote"], r["article"], r.get("story"), r.get("copies"), r["listing"])


@functools.lru_cache(maxsize=LISTED_RECORDS)
def listed_quote(quote: str, article: str, story: str | None, copies: str | None, listing: str) -> Quote:
    """The quote ``listing`` states, read once per listing text and row: see ``LISTED_RECORDS``."""
    row = {"quote": quote, "article": article, "story": story, "copies": copies, "listing": listing}
    return quote_of(expand([row])[0])


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    q: str | None = None,
    direct: bool | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    independent: bool = False,
    page: Page = FIRST_PAGE,
    gazetteer: Gazetteer | bool | None = None,
) -> Listing[Quote]:
    """Quotations (``direct``) and indirect statements with speaker, source, evidence and story.

    ``speaker`` takes an IRI, a Wikidata ID or (part of) a name; ``q`` part of the text (any case);
    ``date_from``/``date_to`` bound the article's publication date. With ``independent``, words
    reported alike by several near-duplicate copies of one story are listed once, with ``copies``.
    """
    bindings: dict[str, Identifier | None] = {
        "argQ": text_arg(q),
        "argFrom": date_arg(date_from, "from"),
        "argTo": date_arg(date_to, "to"),
        "argKind": None if direct is None else URIRef(WWII + ("DirectQuote" if direct else "IndirectStatement")),
    }
    bindings.update(entity_args("argSpeaker", speaker, ("person",), gaz(gazetteer)))
    if independent:
        query, listed = "api_quotes_stories", bindings
    else:
        query, listed = tallied("quotes", bindings, {"argKind": "kind"}, "api_quotes")
    rows = store.select(query, listed, limit=page.limit, offset=page.offset)
    return listing(rows, page, listed_quotes(rows))


def article_quotes(store: Store, article: URIRef, src: Source) -> list[Quote]:
    """The quotations and statements of one article's graph, in text order."""
    return [quote_of(row, src=src) for row in store.select("article_quotes", {"article": article})]
