"""Response models of the JSON API (``*Public``), with the examples ``/docs`` shows.

Every fact carries its ``source`` (the article it was read from) and its ``evidence`` (the exact text
and its ``start``/``end`` offsets in the article body, in Unicode code points). Entities carry their
IRI, their key (the last IRI segment: a Wikidata ID or a local slug) and, when known, their Wikidata ID.
Lists are pages: ``total`` (all matches), ``limit``, ``offset`` and ``items``.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from kg.facts import DEFAULT_LIMIT, MAX_LIMIT, Page

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


class SourcePublic(BaseModel):
    """The article a fact was read from."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "article": ARTICLE,
                "id": "e3a38632994e89d9",
                "title": "Xi and Lula join Putin at 80th anniversary Victory Day parade",
                "outlet": "Eastern Front Review",
                "published": "2025-05-09",
                "url": "https://example.org/eastern-front-review/2025/05/09/victory-day-80th-xi-lula",
            }
        }
    )

    article: str = Field(description="The article's IRI (also the name of its graph).")
    id: str = Field(description="The article id: 16 hex digits of the hash of its text.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    url: str | None = None


class EvidencePublic(BaseModel):
    """The exact span of the article body a fact was read from: ``body[start:end] == text``."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"start": 0, "end": 32, "text": "Russian President Vladimir Putin"}}
    )

    start: int
    end: int
    text: str


class RefPublic(BaseModel):
    """A person, country, place, organisation, group or event, by IRI and name."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "iri": "https://w3id.org/wwiikg/id/country/Q159",
                "key": "Q159",
                "name": "Russia",
                "wikidata": "Q159",
            }
        }
    )

    iri: str | None = Field(None, description="The entity's IRI; it dereferences to a description.")
    key: str | None = Field(None, description="The last segment of the IRI, as used in /entities/{kind}/{key}.")
    name: str | None = None
    wikidata: str | None = Field(None, description="The Wikidata ID, when the entity is in the gazetteer.")


class PagePublic(BaseModel, Generic[T]):
    """One page of a list."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]


class SectionPublic(BaseModel, Generic[T]):
    """One page of a list inside a detail view (``limit``/``offset`` are the view's)."""

    total: int
    items: list[T]


# --- leaders -----------------------------------------------------------------------------


class OfficePublic(BaseModel):
    """An office one article says a person holds (or held)."""

    iri: str
    role: str
    country: RefPublic | None = None
    current: bool = Field(description="Whether the article presents the office as held at the time.")
    source: SourcePublic
    evidence: EvidencePublic


class LeaderPublic(BaseModel):
    """A person some article names in a current office, with one office an article states."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
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
                        "source": SourcePublic.model_config["json_schema_extra"]["example"],  # type: ignore[index]
                        "evidence": {"start": 0, "end": 32, "text": "Russian President Vladimir Putin"},
                    }
                ],
            }
        }
    )

    iri: str
    key: str
    name: str
    wikidata: str | None = None
    sources: int = Field(description="How many articles name the person a leader (in the filtered office).")
    offices: list[OfficePublic] = Field(description="The office(s) one of those articles states, with evidence.")


class EventBriefPublic(BaseModel):
    """An event a person took part in, as one article states it."""

    iri: str
    key: str
    type: str
    family: str | None = None
    label: str
    date: str | None = None
    source: SourcePublic
    evidence: EvidencePublic


class AttendeePublic(RefPublic):
    """A person who took part in some of the same events."""

    shared_events: int = Field(description="How many events (as stated per article) they shared.")


class QuotePublic(BaseModel):
    """A quotation (``direct``) or an indirect statement, as one article reports it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
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
                "source": SourcePublic.model_config["json_schema_extra"]["example"],  # type: ignore[index]
                "evidence": {"start": 1254, "end": 1356, "text": "“Our ancestors, ...” Putin said"},
            }
        }
    )

    iri: str
    text: str
    direct: bool
    verb: str | None = None
    speaker: RefPublic | None = None
    occasion: RefPublic | None = None
    source: SourcePublic
    evidence: EvidencePublic
    story: str | None = Field(
        None, description="The story (near-duplicate copies of one report) the source article belongs to."
    )
    copies: list[str] | None = Field(
        None, description="With independent=true: every article of the story that reports these words."
    )


class LeaderDetailPublic(BaseModel):
    """Everything the articles say about one person; each list is a page of ``limit``/``offset``."""

    iri: str
    key: str
    name: str
    wikidata: str | None = None
    sources: int = Field(description="How many articles describe the person.")
    limit: int
    offset: int
    offices: SectionPublic[OfficePublic] = Field(description="Offices per article, newest article first.")
    events: SectionPublic[EventBriefPublic] = Field(description="Events they took part in, newest first.")
    quotes: SectionPublic[QuotePublic]
    co_attendees: SectionPublic[AttendeePublic] = Field(
        description="People who took part in the same events, most shared events first."
    )


# --- events ------------------------------------------------------------------------------


class TimePublic(BaseModel):
    """The temporal expression an event's date was read from, and how it was resolved."""

    text: str = Field(description="The words in the article, e.g. 'on May 9' or 'Wednesday’s'.")
    value: str | None = Field(None, description="The resolved date: YYYY, YYYY-MM or YYYY-MM-DD.")
    precision: str | None = None
    rule: str = Field(description="How it was resolved, e.g. 'absolute', 'month-day-no-year', 'weekday'.")
    anchor: str | None = Field(None, description="The date relative expressions were resolved against.")
    resolved: bool
    evidence: EvidencePublic | None = None


class AnniversaryPublic(BaseModel):
    """The anniversary a commemoration marks: as the article states it, as computed from the dates."""

    stated: int | None = None
    computed: int | None = None
    consistent: bool | None = None


class CommemoratedPublic(RefPublic):
    """The event a commemoration commemorates, with its date."""

    date: str | None = None


class EventPublic(BaseModel):
    """An event as one article states it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
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
                "source": SourcePublic.model_config["json_schema_extra"]["example"],  # type: ignore[index]
                "evidence": {"start": 101, "end": 107, "text": "parade"},
            }
        }
    )

    iri: str
    key: str
    type: str
    family: str | None = Field(None, description="commemorative, diplomatic, historical or other.")
    label: str
    date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the text.")
    background: bool = Field(description="True for history the article recalls, false for what it reports.")
    wikidata: str | None = None
    time: TimePublic | None = None
    place: RefPublic | None = None
    participants: list[RefPublic] = []
    commemorates: CommemoratedPublic | None = None
    anniversary: AnniversaryPublic | None = None
    source: SourcePublic
    evidence: EvidencePublic


class FamilySpanPublic(BaseModel):
    """How many dated events of one family the (filtered) timeline holds, and their span."""

    events: int
    first: str | None = None
    last: str | None = None


class TimelinePublic(PagePublic[EventPublic]):
    """Dated events in date order; ``families`` keeps commemorative and historical events apart."""

    families: dict[str, FamilySpanPublic] = Field(
        description="Per family (commemorative, diplomatic, historical, other): events and first/last date."
    )


# --- casualties --------------------------------------------------------------------------


class CasualtyPublic(BaseModel):
    """One source's casualty figure, as stated: a range (low = high for one number), hedge, scope."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
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
                "source": SourcePublic.model_config["json_schema_extra"]["example"],  # type: ignore[index]
                "evidence": {
                    "start": 1639,
                    "end": 1705,
                    "text": "The Soviet Union lost an estimated 27 million troops and civilians",
                },
            }
        }
    )

    iri: str
    low: int
    high: int
    measure: str = Field(description="What is counted: deaths, killed, victims, wounded...")
    hedge: str | None = Field(None, description="How the article hedges it: estimated, about, more than...")
    scope: str | None = None
    surface: str = Field(description="The number as written.")
    group: RefPublic | None = None
    event: RefPublic | None = None
    source: SourcePublic
    evidence: EvidencePublic
    story: str | None = Field(
        None, description="The story (near-duplicate copies of one report) the source article belongs to."
    )
    copies: list[str] | None = Field(
        None, description="With independent=true: every article of the story that states this figure."
    )


class FigureValuePublic(BaseModel):
    low: int
    high: int


class SpreadPublic(BaseModel):
    """How far the sources disagree about one group and measure (never one merged number)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
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
            }
        }
    )

    group: RefPublic | None = None
    measure: str
    sources: int = Field(description="Articles stating a figure.")
    stories: int = Field(
        0, description="Independent stories among those articles: near-duplicate copies of one report count once."
    )
    figures: int = Field(description="Figures stated (an article may state several).")
    distinct_figures: int
    low_min: int = Field(description="The lowest low any source states.")
    high_max: int = Field(description="The highest high any source states.")
    values: list[FigureValuePublic] = Field(description="Each distinct (low, high) stated.")


class CasualtiesPublic(PagePublic[CasualtyPublic]):
    """Casualty figures side by side, and their spread per group and measure over all matches."""

    spread: list[SpreadPublic]


# --- articles ----------------------------------------------------------------------------


class ArticleSummaryPublic(BaseModel):
    """A stored article's metadata."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "iri": ARTICLE,
                "id": "e3a38632994e89d9",
                "title": "Xi and Lula join Putin at 80th anniversary Victory Day parade",
                "url": "https://example.org/eastern-front-review/2025/05/09/victory-day-80th-xi-lula",
                "outlet": "Eastern Front Review",
                "published": "2025-05-09",
                "published_basis": "metadata",
            }
        }
    )

    iri: str
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_basis: str | None = Field(None, description="Where the date comes from: metadata, given...")


class ReportArticlePublic(ArticleSummaryPublic):
    pass


class ReportEvidencePublic(BaseModel):
    start: int
    end: int
    text: str


class ReportOfficePublic(BaseModel):
    role: str
    country: str | None = None
    country_wikidata: str | None = None
    current: bool
    evidence: ReportEvidencePublic


class ReportLeaderPublic(BaseModel):
    name: str = Field(description="The name as this article spells it.")
    canonical: str = Field(description="The name the graph labels the person with (the gazetteer's, if known).")
    role: str | None = None
    country: str | None = None
    wikidata: str | None = None
    iri: str
    offices: list[ReportOfficePublic]
    mentions: list[ReportEvidencePublic]


class ReportTimePublic(BaseModel):
    text: str
    value: str | None = None
    precision: str | None = None
    rule: str
    anchor: str | None = None
    resolved: bool


class ReportAnniversaryPublic(BaseModel):
    stated: int | None = None
    computed: int | None = None
    consistent: bool | None = None


class ReportParticipantPublic(BaseModel):
    name: str
    iri: str


class ReportEventPublic(BaseModel):
    type: str
    label: str
    date: str | None = None
    place: str | None = None
    iri: str
    background: bool
    time: ReportTimePublic | None = None
    commemorates: str | None = Field(None, description="IRI of the commemorated event.")
    anniversary: ReportAnniversaryPublic | None = None
    participants: list[ReportParticipantPublic]
    wikidata: str | None = None
    evidence: ReportEvidencePublic


class ReportCasualtyPublic(BaseModel):
    group: str | None = None
    event: str | None = None
    low: int
    high: int
    what: str = Field(description="The measure: deaths, killed...")
    qualifier: str | None = Field(None, description="The hedge: estimated, about...")
    scope: str | None = None
    surface: str
    iri: str
    event_iri: str | None = None
    evidence: ReportEvidencePublic


class ReportQuotePublic(BaseModel):
    speaker: str | None = None
    text: str
    verb: str | None = None
    direct: bool
    iri: str
    speaker_iri: str | None = None
    evidence: ReportEvidencePublic


class ArticleReportPublic(BaseModel):
    """One article: its metadata and every fact read from it, each with its evidence."""

    article: ReportArticlePublic
    leaders: list[ReportLeaderPublic]
    events: list[ReportEventPublic]
    casualties: list[ReportCasualtyPublic]
    quotes: list[ReportQuotePublic]
    statements: list[ReportQuotePublic] = Field(description="Indirect statements.")


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
    "AnniversaryPublic",
    "ArticleIn",
    "ArticleReportPublic",
    "ArticleSummaryPublic",
    "AttendeePublic",
    "CasualtiesPublic",
    "CasualtyPublic",
    "CommemoratedPublic",
    "EntityPublic",
    "ErrorPublic",
    "EventBriefPublic",
    "EventPublic",
    "EvidencePublic",
    "FromQuery",
    "LeaderDetailPublic",
    "LeaderPublic",
    "OfficePublic",
    "PageDep",
    "PagePublic",
    "QuotePublic",
    "RefPublic",
    "ReportedAfterQuery",
    "ReportedBeforeQuery",
    "SearchHitPublic",
    "SearchPublic",
    "SourcePublic",
    "SpreadPublic",
    "TimelinePublic",
    "ToQuery",
    "error_responses",
    "page_params",
]
