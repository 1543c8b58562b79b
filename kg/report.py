"""An article's facts, read back from its graph with SPARQL (never from Python records), as the
same records the JSON API lists (``kg.facts``): ``article_report`` for ``kg extract`` and
``GET /articles/{id}``, ``eval_view`` for the scorer's shape (``../shared/eval/README.md``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rdflib import URIRef

from kg.facts.articles import ArticleSummary, article_summary
from kg.facts.casualties import Casualty, article_casualties
from kg.facts.events import Event, article_events
from kg.facts.leaders import Leader, article_leaders
from kg.facts.quotes import Quote, article_quotes
from kg.store import Store


@dataclass(frozen=True)
class ArticleReport:
    """One article: its metadata and every fact read from it, each with its evidence."""

    article: ArticleSummary
    leaders: tuple[Leader, ...]
    events: tuple[Event, ...]
    casualties: tuple[Casualty, ...]
    quotes: tuple[Quote, ...]
    """Direct quotations."""
    statements: tuple[Quote, ...]
    """Indirect statements."""


def article_report(store: Store, article: URIRef) -> ArticleReport:
    """Metadata and every fact of one stored article, each with its evidence; ``NotFound`` if unknown."""
    summary = article_summary(store, article)
    src = summary.source
    said = article_quotes(store, article, src)
    return ArticleReport(
        article=summary,
        leaders=tuple(article_leaders(store, article, src)),
        events=tuple(article_events(store, article, src)),
        casualties=tuple(article_casualties(store, article, src)),
        quotes=tuple(q for q in said if q.direct),
        statements=tuple(q for q in said if not q.direct),
    )


def _name(ref: dict[str, Any] | None) -> Any:
    return None if ref is None else ref["name"]


def eval_view(report: ArticleReport) -> dict[str, Any]:
    """The report as JSON in the scorer's shape: every record's fields, with the names the scorer
    reads as text (a leader's ``name`` as the article spells it, with its first office's ``role`` and
    ``country``; an event's ``place`` as the article names it; a figure's ``group``, ``event``, ``what``
    (its measure) and ``qualifier`` (its hedge); a quote's ``speaker``). ``events`` holds the dated or placed events;
    the others (undated and unplaced, such as a commemorated war named without a date) follow as
    ``other_events``, which the scorer does not read, so nothing the graph holds is left out."""
    out = asdict(report)
    spelled = {p["iri"]: p["written"] or p["name"] for p in out["leaders"]}
    for p in out["leaders"]:
        first = p["offices"][0] if p["offices"] else None
        p["name"] = spelled[p["iri"]]
        p["role"] = first["role"] if first else None
        p["country"] = _name(first["country"]) if first else None
    for e in out["events"]:
        place = e["place"]
        e["place"] = None if place is None else place["written"] or place["name"]  # as the article names it
    for c in out["casualties"]:
        c.update(group=_name(c["group"]), event=_name(c["event"]), what=c["measure"], qualifier=c["hedge"])
    for q in (*out["quotes"], *out["statements"]):
        speaker = q["speaker"]
        q["speaker"] = None if speaker is None else spelled.get(speaker["iri"], speaker["name"])
    events = out.pop("events")
    out["events"] = [e for e in events if e["date"] or e["place"]]
    out["other_events"] = [e for e in events if not (e["date"] or e["place"])]
    return out


__all__ = ["ArticleReport", "article_report", "eval_view"]
