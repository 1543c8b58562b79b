"""Quotations and indirect statements with speaker, source, evidence and story: the ``Quote`` record,
read across all articles (``quotes``) or from one article's graph (``article_quotes``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, WWII, Page, date_arg, entity_args, gaz, text_arg
from kg.facts.shape import Evidence, Listing, Ref, Source, copies, evidence, grouped, listing, ref, source
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
    rows = expand(store.select(query, listed, limit=page.limit, offset=page.offset))
    return listing(rows, page, (quote_of(g[0]) for g in grouped(rows, "quote")))


def article_quotes(store: Store, article: URIRef, src: Source) -> list[Quote]:
    """The quotations and statements of one article's graph, in text order."""
    return [quote_of(row, src=src) for row in store.select("article_quotes", {"article": article})]
