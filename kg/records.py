"""Frozen records the extractor produces; each fact holds the evidence span it came from.

``kg.mapping`` turns an ``Extraction`` into RDF; nothing else reads these records' internals, so
what reaches users is what the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.articles import Article

EVENT_TYPES = (
    "parade",
    "commemoration",
    "ceremony",
    "speech",
    "meeting",
    "visit",
    "war",
    "battle",
    "invasion",
    "liberation",
    "bombing",
    "massacre",
    "surrender",
    "other",
)
FAMILIES = {
    "parade": "commemorative",
    "commemoration": "commemorative",
    "ceremony": "commemorative",
    "speech": "commemorative",
    "meeting": "diplomatic",
    "visit": "diplomatic",
    "other": "other",
}


def family(event_type: str) -> str:
    """The event family: commemorative, diplomatic, historical or other."""
    return FAMILIES.get(event_type, "historical")


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets into the article text, and the exact text between them."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Ref:
    """An entity a fact points to: from the gazetteer (with a Wikidata ID) or minted locally."""

    kind: str  # person, country, place, organisation, group, event
    name: str
    wikidata: str | None = None
    # what tells two same-named entities apart when there is no Wikidata ID (a person's country, or
    # the article); the mapping mints the IRI from it, so extraction knows nothing of IRIs
    scope: str = ""
    # the name as this article writes it where the entity's own differs ("Leningrad" for Saint
    # Petersburg): kept beside the fact, never part of what the entity is
    written: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TimeExpr:
    """A temporal expression: surface text, normalised value, precision, and how it was resolved."""

    span: Span
    value: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; None when unresolved
    precision: str | None  # day, month, year, decade
    rule: str
    anchor: str | None = None  # ISO date a relative expression was resolved against

    @property
    def resolved(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Office:
    """A role and country a person holds, as one article states it."""

    role: str
    country: Ref | None
    span: Span
    current: bool = True


@dataclass(frozen=True)
class Person:
    """A person mentioned in an article, with every mention and the offices stated."""

    ref: Ref
    mentions: tuple[Span, ...]
    offices: tuple[Office, ...] = ()
    leader: bool = False  # holds a current office and takes part in what is reported
    written: str | None = None  # the name as this article spells it, where it differs ("Lukashenka")


@dataclass(frozen=True)
class Event:
    """An event the article reports or recalls."""

    key: str
    type: str
    label: str
    span: Span
    time: TimeExpr | None = None
    place: Ref | None = None
    participants: tuple[Ref, ...] = ()
    commemorates: str | None = None  # key of another Event in the same extraction
    anniversary_stated: int | None = None
    anniversary_computed: int | None = None
    background: bool = False
    wikidata: str | None = None
    # read from a dated clause's verb ("destroyed Hiroshima"), not named by an event word or the gazetteer
    clause: bool = False


@dataclass(frozen=True)
class CasualtyFigure:
    """How many people of a group a source says were killed (or wounded...), kept as stated."""

    span: Span
    number: Span
    low: int
    high: int
    measure: str  # deaths, casualties, wounded, missing, prisoners
    hedge: str | None = None
    group: Ref | None = None
    event: str | None = None  # key of an Event in the same extraction
    event_label: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class Quote:
    """Something a person said: a direct quotation or an indirect statement."""

    span: Span
    text: str
    speaker: Ref | None
    verb: str | None = None
    direct: bool = True
    occasion: str | None = None  # key of an Event


@dataclass(frozen=True)
class Mention:
    """A non-person entity (country, place, organisation) named in the text."""

    ref: Ref
    span: Span


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    people: tuple[Person, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[CasualtyFigure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpr, ...] = field(default=())

    @property
    def fact_count(self) -> int:
        return len(self.people) + len(self.events) + len(self.figures) + len(self.quotes)
