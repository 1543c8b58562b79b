"""Result formats of the SPARQL endpoint and content negotiation over them.

SELECT/ASK answers are SPARQL results (JSON by default, XML, CSV, TSV); CONSTRUCT/DESCRIBE answers
are RDF graphs (Turtle by default, N-Triples, RDF/XML, JSON-LD). A client picks one with ``Accept``
(q-values honoured, the most specific matching range wins, server order breaks ties) or overrides
it with ``format=`` (a short name such as ``csv`` or ``ttl``, or a media type).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["results", "graph", "page"]


@dataclass(frozen=True, eq=False)  # one object per format: identity compares and hashes fast
class Format:
    """One serialisation the endpoint can answer in."""

    key: str
    kind: Kind
    media_type: str  # sent as Content-Type
    aliases: tuple[str, ...]  # further media types that select it in Accept
    names: tuple[str, ...]  # values of ``format=``
    iri: str  # http://www.w3.org/ns/formats/..., for the service description
    oxigraph: str  # Oxigraph's name of the format (QueryResultsFormat / RdfFormat attribute)
    rdflib: str  # rdflib serializer name

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def label(self) -> str:
        return f"{self.media_type} ({self.names[0]})"


_W3 = "http://www.w3.org/ns/formats/"

RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "results",
        "application/sparql-results+json",
        ("application/json",),
        ("json", "srj"),
        _W3 + "SPARQL_Results_JSON",
        "JSON",
        "json",
    ),
    Format(
        "xml",
        "results",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        ("xml", "srx"),
        _W3 + "SPARQL_Results_XML",
        "XML",
        "xml",
    ),
    Format("csv", "results", "text/csv", (), ("csv",), _W3 + "SPARQL_Results_CSV", "CSV", "csv"),
    Format("tsv", "results", "text/tab-separated-values", (), ("tsv",), _W3 + "SPARQL_Results_TSV", "TSV", "tsv"),
)

GRAPH_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "graph",
        "text/turtle",
        ("application/x-turtle",),
        ("turtle", "ttl"),
        _W3 + "Turtle",
        "TURTLE",
        "turtle",
    ),
    Format(
        "ntriples",
        "graph",
        "application/n-triples",
        (),
        ("ntriples", "nt", "n-triples"),
        _W3 + "N-Triples",
        "N_TRIPLES",
        "nt",
    ),
    Format(
        "rdfxml",
        "graph",
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        ("rdfxml", "rdf", "xml"),
        _W3 + "RDF_XML",
        "RDF_XML",
        "xml",
    ),
    Format(
        "jsonld",
        "graph",
        "application/ld+json",
        ("application/json",),
        ("jsonld", "json-ld", "json"),
        _W3 + "JSON-LD",
        "JSON_LD",
        "json-ld",
    ),
)

HTML_PAGE = Format("html", "page", "text/html", ("application/xhtml+xml",), ("html",), "", "", "")

ALL_FORMATS: tuple[Format, ...] = RESULT_FORMATS + GRAPH_FORMATS


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def wildcard(self) -> bool:
        return self.type == "*" or self.subtype == "*"

    def specificity(self, media_type: str) -> int:
        """3 for an exact match, 2 for ``type/*``, 1 for ``*/*``, 0 for no match."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type != mtype:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == msub else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped."""
    ranges: list[MediaRange] = []
    for entry in (header or "").split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        media = media.lower()
        if media == "*":
            media = "*/*"
        mtype, slash, subtype = media.partition("/")
        if not slash or not mtype or not subtype:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = -1.0
        if q >= 0:
            ranges.append(MediaRange(mtype, subtype, q))
    return ranges


def quality(fmt: Format, ranges: Sequence[MediaRange], *, explicit_only: bool = False, aliases: bool = True) -> float:
    """How much the client wants ``fmt``: the q of the most specific range matching any of its types.

    ``explicit_only`` ignores wildcard ranges; ``aliases=False`` matches only the canonical type.
    """
    best = 0.0
    for media_type in fmt.media_types if aliases else (fmt.media_type,):
        top_spec, top_q = 0, 0.0
        for r in ranges:
            if explicit_only and r.wildcard:
                continue
            spec = r.specificity(media_type)
            if spec > top_spec or (spec == top_spec and spec and r.q > top_q):
                top_spec, top_q = spec, r.q
        best = max(best, top_q)
    return best


def negotiate(
    accept: str | None, candidates: Sequence[Format], *, explicit_only: bool = False, aliases: bool = True
) -> Format | None:
    """The candidate the client prefers, the first candidate when it states no preference, else None.

    With ``explicit_only`` the client must name the format's media type (no wildcards, no default).
    """
    return _negotiate(accept, tuple(candidates), explicit_only, aliases)


@functools.lru_cache(maxsize=512)  # clients send few distinct Accept headers
def _negotiate(accept: str | None, candidates: tuple[Format, ...], explicit_only: bool, aliases: bool) -> Format | None:
    ranges = parse_accept(accept)
    if not ranges:
        return None if explicit_only else candidates[0]
    best, best_q = None, 0.0
    for fmt in candidates:  # server order breaks ties
        q = quality(fmt, ranges, explicit_only=explicit_only, aliases=aliases)
        if q > best_q:
            best, best_q = fmt, q
    return best


def by_name(value: str, candidates: Sequence[Format]) -> Format | None:
    """The candidate a ``format=`` value names (short name or media type), else None."""
    value = value.strip().lower().split(";")[0].strip()
    for fmt in candidates:
        if value in fmt.names or value in fmt.media_types:
            return fmt
    return None


def listing(candidates: Sequence[Format]) -> str:
    return ", ".join(f.label for f in candidates)


__all__ = [
    "ALL_FORMATS",
    "GRAPH_FORMATS",
    "HTML_PAGE",
    "RESULT_FORMATS",
    "Format",
    "MediaRange",
    "by_name",
    "listing",
    "negotiate",
    "parse_accept",
    "quality",
]
