"""Quotations and indirect statements with speaker, source, evidence and story."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier

from kg.facts.params import FIRST_PAGE, WWII, Page, date_arg, entity_args, gaz, text_arg
from kg.facts.shape import grouped, page_of, quote_item, total
from kg.gazetteer import Gazetteer
from kg.listing import expand
from kg.store import Store


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
) -> dict[str, Any]:
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
    query = "api_quotes_stories" if independent else "api_quotes"
    rows = expand(store.select(query, bindings, limit=page.limit, offset=page.offset))
    return page_of(total(rows), page, [quote_item(g[0]) for g in grouped(rows, "quote")])
