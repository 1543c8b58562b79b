"""Response models of the JSON API, with the examples ``/docs`` shows. A fact's response model is its
``kg.facts`` record itself (``Leader``, ``Event``, ``Casualty``, ``Quote``, their pages and
``kg.report.ArticleReport``), documented here by ``public``, so the API, the CLI report and the
notebooks read one shape; the other responses are the ``*Public`` models below.

Every fact carries its ``source`` (the article it was read from) and its ``evidence`` (the exact text
and its ``start``/``end`` offsets in the article body, in Unicode code points). Entities carry their
IRI, their key (the last IRI segment: a Wikidata ID or a local slug) and, when known, their Wikidata ID.
Lists are pages: ``total`` (all matches), ``limit``, ``offset`` and ``items``.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import textwrap
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, with_config

from kg import facts
from kg.facts import DEFAULT_LIMIT, MAX_LIMIT, Page
from kg.report import ArticleReport

T = TypeVar("T")
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

ARTICLE = "https://w3id.org/wwiikg/id/article/e3a38632994e89d9"


class ErrorBody(BaseModel):
    status: int
    title: str
    detail: str


class ErrorPublic(BaseModel):
    """The one shape of every error the API returns."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"error": {"status": 404, "title": "Not Found", "detail": "no person 'Q1'"}}}
    )

    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route may answer, all in the one error shape."""
    described = {
        400: "Malformed request",
        401: "Missing or wrong bearer token",
        403: "Writes are disabled (no KG_API_TOKEN configured)",
        404: "Unknown resource",
        406: "No representation matches Accept",
        413: "Request body too large",
        415: "Unsupported media or file type",
        422: "Invalid parameter or article",
        502: "The page at the URL could not be fetched",
        503: "The store is unavailable",
        504: "The page at the URL did not answer in time",
    }
    return {s: {"model": ErrorPublic, "description": described.get(s, "Error")} for s in statuses}


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
) -> Page:
    """``limit`` and ``offset`` as a ``kg.facts.Page`` (out of range: 422)."""
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page_params)]
FromQuery = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=DATE_PATTERN,
        description="From this date on, YYYY[-MM[-DD]] (for events: whose date overlaps [from, to]).",
        examples=["1945"],
    ),
]
ToQuery = Annotated[
    str | None,
    Query(alias="to", pattern=DATE_PATTERN, description="Up to this date, YYYY[-MM[-DD]].", examples=["2025-05"]),
]
ReportedAfterQuery = Annotated[
    str | None,
    Query(
        pattern=DATE_PATTERN,
        description="Report time: only what articles published on or after this date say, YYYY[-MM[-DD]].",
        examples=["2015"],
    ),
]
ReportedBeforeQuery = Annotated[
    str | None,
    Query(
        pattern=DATE_PATTERN,
        description="Report time: only what articles published before this date say, YYYY[-MM[-DD]].",
        examples=["2015"],
    ),
]


SOURCE: dict[str, Any] = {
    "article": ARTICLE,
    "id": "e3a38632994e89d9",
    "title": "Xi and Lula join Putin at 80th anniversary Victory Day parade",
    "outlet": "Eastern Front Review",
    "published": "2025-05-09",
    "url": "https://example.org/eastern-front-review/2025/05/09/victory-day-80th-xi-lula",
}


def field_docs(record: type[Any]) -> dict[str, str]:
    """Each field's docstring (the string literal under it) in ``record`` and the records it extends."""
    docs: dict[str, str] = {}
    for cls in reversed([c for c in record.__mro__ if dataclasses.is_dataclass(c)]):
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        statements = body.body if isinstance(body, ast.ClassDef) else []
        for field, doc in itertools.pairwise(statements):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def public(record: type[T], example: dict[str, Any] | None = None) -> type[T]:
    """Document a ``kg.facts`` record as the response model it is: each field described by its
    docstring, with the example ``/docs`` shows (``pydantic.with_config`` on the record). The API
    answers with the record's own fields, so a fact kind has one schema wherever it appears."""
    docs = field_docs(record)

    def extra(schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            if name in docs:
                prop.setdefault("description", docs[name])
        if example is not None:
            schema["example"] = example

    return with_config(ConfigDict(json_schema_extra=extra))(record)  # type: ignore[typeddict-item]


class PagePublic(BaseModel, Generic[T]):
    """One page of a list."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]


# --- facts: the kg.facts records, documented ----------------------------------------------

public(facts.Source, SOURCE)
public(facts.Evidence, {"start": 0, "end": 32, "text": "Russian President Vladimir Putin"})
for _record in (
    *(facts.Ref, facts.Listing, facts.Section, facts.Office, facts.Attendee, facts.EventBrief, facts.LeaderDetail),
    *(facts.Time, facts.Anniversary, facts.Commemorated, facts.FamilySpan, facts.Timeline),
    *(facts.FigureValue, facts.Casualties, ArticleReport),
):
    public(_record)

# --- leaders -----------------------------------------------------------------------------

public(
    facts.Leader,
    {
        "iri": "https://w3id.org/wwiikg/id/person/Q7747",
        "key": "Q7747",
        "name": "Vladimir Putin",
        "wikidata": "Q7747",
        "sources": 9,
        "offices": [
            {
                "iri": "https://w3id.org/wwiikg/id/office/e3a38632994e89d9-0-vladimir-putin",
                "role": "President",
                "country": {
                    "iri": "https://w3id.org/wwiikg/id/country/Q159",
                    "key": "Q159",
                    "name": "Russia",
                    "wikidata": "Q159",
                },
                "current": True,
                "source": SOURCE,
                "evidence": {"start": 0, "end": 32, "text": "Russian President Vladimir Putin"},
            }
        ],
    },
)
# --- quotes ------------------------------------------------------------------------------

public(
    facts.Quote,
    {
        "iri": "https://w3id.org/wwiikg/id/quote/bc43e5ec424968c0-1254",
        "text": "Our ancestors, our fathers and grandfathers have paid a huge price for peace and freedom,",
        "direct": True,
        "verb": "said",
        "speaker": {
            "iri": "https://w3id.org/wwiikg/id/person/Q7747",
            "key": "Q7747",
            "name": "Vladimir Putin",
            "wikidata": "Q7747",
        },
        "occasion": None,
        "source": SOURCE,
        "evidence": {"start": 1254, "end": 1356, "text": "“Our ancestors, ...” Putin said"},
    },
)

# --- events ------------------------------------------------------------------------------

public(
    facts.Event,
    {
        "iri": "https://w3id.org/wwiikg/id/event/e3a38632994e89d9-e101-107",
        "key": "e3a38632994e89d9-e101-107",
        "type": "parade",
        "family": "commemorative",
        "label": "military parade on Red Square",
        "date": "2025-05-09",
        "background": False,
        "wikidata": None,
        "time": {
            "text": "Friday",
            "value": "2025-05-09",
            "precision": "day",
            "rule": "weekday",
            "anchor": "2025-05-09",
            "resolved": True,
            "evidence": {"start": 78, "end": 84, "text": "Friday"},
        },
        "place": {
            "iri": "https://w3id.org/wwiikg/id/place/Q41116",
            "key": "Q41116",
            "name": "Red Square",
            "wikidata": "Q41116",
        },
        "participants": [
            {
                "iri": "https://w3id.org/wwiikg/id/person/Q7747",
                "key": "Q7747",
                "name": "Vladimir Putin",
                "wikidata": "Q7747",
            }
        ],
        "commemorates": {
            "iri": "https://w3id.org/wwiikg/id/event/e3a38632994e89d9-e42-74",
            "key": "e3a38632994e89d9-e42-74",
            "name": "Soviet victory over Nazi Germany",
            "wikidata": None,
            "date": "1945",
        },
        "anniversary": {"stated": 80, "computed": 80, "consistent": True},
        "source": SOURCE,
        "evidence": {"start": 101, "end": 107, "text": "parade"},
    },
)


# --- casualties --------------------------------------------------------------------------

public(
    facts.Casualty,
    {
        "iri": "https://w3id.org/wwiikg/id/figure/bc43e5ec424968c0-1680",
        "low": 27000000,
        "high": 27000000,
        "measure": "deaths",
        "hedge": "estimated",
        "scope": "troops and civilians",
        "surface": "27 million",
        "group": {
            "iri": "https://w3id.org/wwiikg/id/country/Q15180",
            "key": "Q15180",
            "name": "Soviet Union",
            "wikidata": "Q15180",
        },
        "event": None,
        "source": SOURCE,
        "evidence": {
            "start": 1639,
            "end": 1705,
            "text": "The Soviet Union lost an estimated 27 million troops and civilians",
        },
    },
)
public(
    facts.Spread,
    {
        "group": {
            "iri": "https://w3id.org/wwiikg/id/country/Q15180",
            "key": "Q15180",
            "name": "Soviet Union",
            "wikidata": None,
        },
        "measure": "deaths",
        "sources": 4,
        "stories": 3,
        "figures": 4,
        "distinct_figures": 1,
        "low_min": 27000000,
        "high_max": 27000000,
        "values": [{"low": 27000000, "high": 27000000}],
    },
)


# --- articles ----------------------------------------------------------------------------

public(
    facts.ArticleSummary,
    {
        "iri": ARTICLE,
        "id": "e3a38632994e89d9",
        "title": "Xi and Lula join Putin at 80th anniversary Victory Day parade",
        "url": "https://example.org/eastern-front-review/2025/05/09/victory-day-80th-xi-lula",
        "outlet": "Eastern Front Review",
        "published": "2025-05-09",
        "published_basis": "metadata",
    },
)


class ArticleIn(BaseModel):
    """One article to extract and store (JSON body of ``POST /articles``)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "example": {
                "title": "Veterans march in Moscow",
                "text": "Russian President Vladimir Putin watched the Victory Day parade on Red Square on May 9.",
                "published": "2025-05-09",
                "url": "https://example.org/2025/05/09/veterans",
                "outlet": "Example Wire",
            }
        },
    )

    text: str | None = Field(
        None, description="The article body (plain text). Leave it out to fetch the page at `url` and read it."
    )
    title: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD (relative dates resolve to it).")
    url: str | None = None
    outlet: str | None = None


# --- entities ----------------------------------------------------------------------------


class StatementPublic(BaseModel):
    """One thing an article states about a resource: a predicate and a value or an IRI."""

    predicate: str
    value: str | None = None
    iri: str | None = None
    datatype: str | None = None
    language: str | None = None


class EntityEvidencePublic(BaseModel):
    iri: str
    article: str
    start: int
    end: int
    text: str


class EntityPublic(BaseModel):
    """What the graph says about one IRI we mint, across all articles."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "iri": "https://w3id.org/wwiikg/id/country/Q159",
                "kind": "country",
                "key": "Q159",
                "name": "Russia",
                "labels": ["Russia"],
                "wikidata": "Q159",
                "same_as": ["http://www.wikidata.org/entity/Q159"],
                "types": ["https://schema.org/Country", "https://w3id.org/wwiikg/ontology#Country"],
                "statements": [],
                "evidence": [
                    {
                        "iri": "https://w3id.org/wwiikg/id/evidence/bc43e5ec424968c0-646-652",
                        "article": "https://w3id.org/wwiikg/id/article/bc43e5ec424968c0",
                        "start": 646,
                        "end": 652,
                        "text": "Russia",
                    }
                ],
                "evidence_total": 12,
                "links": {"html": "/id/country/Q159", "turtle": "/id/country/Q159?format=ttl"},
            }
        }
    )

    iri: str
    kind: str
    key: str
    name: str | None = None
    labels: list[str]
    wikidata: str | None = None
    same_as: list[str]
    types: list[str]
    statements: list[StatementPublic]
    evidence: list[EntityEvidencePublic] = Field(
        description="A page (limit/offset) of its mentions and fact evidence, with their articles."
    )
    evidence_total: int = Field(description="How many evidence spans there are in all.")
    links: dict[str, str] = Field(description="Other representations and richer views of the resource.")


# --- full-text search ---------------------------------------------------------------------


class SearchHitPublic(BaseModel):
    """One text that holds every word searched for, and where it sits in the graph."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "iri": "https://w3id.org/wwiikg/id/quote/e3a38632994e89d9-q1",
                "kind": "quote",
                "article": ARTICLE,
                "id": "e3a38632994e89d9",
                "text": "We will never forget the heroism of the Soviet soldiers.",
                "snippet": "We will never forget the [heroism] of the Soviet soldiers.",
            }
        }
    )

    iri: str = Field(description="The quotation, the evidence span, or (for a headline) the article.")
    kind: str = Field(description="title, quote or evidence.")
    article: str = Field(description="The article's IRI (also the name of its graph).")
    id: str = Field(description="The article id.")
    text: str = Field(description="The whole text.")
    snippet: str = Field(description="The text around the matches, each match in [brackets].")


class SearchPublic(PagePublic[SearchHitPublic]):
    """One page of search hits, best first."""

    q: str


__all__ = [
    "DATE_PATTERN",
    "ArticleIn",
    "EntityPublic",
    "ErrorPublic",
    "FromQuery",
    "PageDep",
    "PagePublic",
    "ReportedAfterQuery",
    "ReportedBeforeQuery",
    "SearchHitPublic",
    "SearchPublic",
    "ToQuery",
    "error_responses",
    "page_params",
    "public",
]
