"""The parameters of fact queries: pages, dates, text, entity filters, and the IRIs we mint."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import ConfigError, NotFound
from kg.gazetteer import Gazetteer
from kg.namespaces import ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

KINDS = (
    "article",
    "person",
    "country",
    "place",
    "organisation",
    "group",
    "event",
    "office",
    "time",
    "figure",
    "quote",
    "evidence",
)
FAMILIES = ("commemorative", "diplomatic", "historical", "other")

FAMILY_CLASS = {
    "commemorative": "CommemorativeEvent",
    "diplomatic": "DiplomaticEvent",
    "historical": "HistoricalEvent",
    "other": "OtherEvent",
}
WWII = "https://w3id.org/wwiikg/ontology#"
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_QID = re.compile(r"Q[1-9]\d*")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")


@dataclass(frozen=True)
class Page:
    """Which slice of a list to return."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ConfigError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must not be negative, not {self.offset}")


FIRST_PAGE = Page()


def date_arg(value: str | None, name: str) -> Literal | None:
    """A ``from``/``to`` bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if not _DATE.fullmatch(value):
        raise ConfigError(f"{name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}")
    return Literal(value)


def reported_args(after: str | None, before: str | None) -> dict[str, Identifier | None]:
    """Report-time bounds: what articles published on or after ``after`` / before ``before`` say."""
    return {
        "argReportedAfter": date_arg(after, "reported_after"),
        "argReportedBefore": date_arg(before, "reported_before"),
    }


def text_arg(value: str | None) -> Literal | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return Literal(value) if value else None


def entity_args(
    prefix: str, value: str | None, kinds: Iterable[str], gazetteer: Gazetteer | None
) -> dict[str, Identifier]:
    """One entity filter as the binding the queries want, the most selective first.

    An IRI binds ``?{prefix}``; a Wikidata ID, or a name the gazetteer knows (names and aliases,
    any case), binds the entity's IRI when its kind is known, else ``?{prefix}Qid``; any other
    name binds ``?{prefix}Name`` (matched against labels in the graph).
    """
    text = " ".join((value or "").split())
    if not text:
        return {}
    kinds = tuple(kinds)
    if text.startswith(("http://", "https://")):
        return {prefix: URIRef(text)}
    entries = []
    if gazetteer is not None:
        if _QID.fullmatch(text):
            entry = gazetteer.by_id.get(text)
            entries = [entry] if entry is not None else []
        else:
            entries = [e for e in gazetteer.lookup(text, *kinds) if e.wikidata]
    qids = {e.wikidata for e in entries}
    if len(qids) == 1:
        entry = entries[0]
        if entry.kind in kinds:
            return {prefix: ID[f"{entry.kind}/{entry.wikidata}"]}
        return {prefix + "Qid": Literal(entry.wikidata)}
    if _QID.fullmatch(text):
        return {prefix + "Qid": Literal(text)}
    return {prefix + "Name": Literal(text)}


def default_gazetteer() -> Gazetteer | None:
    """The packaged gazetteer, used to resolve names in filters; None when it cannot be read."""
    from kg.gazetteer import load

    try:
        return load()
    except ConfigError:
        return None


def entity_iri(kind: str, key: str) -> URIRef:
    """``https://w3id.org/wwiikg/id/{kind}/{key}``; ``NotFound`` for a kind or key we never mint."""
    if kind not in KINDS or not _KEY.fullmatch(key):
        raise NotFound(f"no {kind} {key[:60]!r}")
    return ID[f"{kind}/{key}"]


def key_of(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("/", 1)[-1]


def gaz(gazetteer: Gazetteer | bool | None) -> Gazetteer | None:
    if gazetteer is False:
        return None
    if gazetteer is None or gazetteer is True:
        return default_gazetteer()
    return gazetteer


def family_of(event_type: str | None) -> str | None:
    from kg.records import family

    return None if event_type is None else family(event_type)
