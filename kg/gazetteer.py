"""The gazetteer: known people, countries, places, organisations, events and commemorations.

Loaded from ``data/gazetteer.json`` (format in ``data/GAZETTEER.md``); every entry carries its
Wikidata ID. Look-ups are by lower-cased name or alias; a name shared by several entries (a surname,
"Kim") returns all of them and the caller disambiguates, never the gazetteer.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.records import Ref

GAZETTEER_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"


@functools.lru_cache(maxsize=1 << 16)  # extraction asks for the same few thousand names again and again
def key(name: str) -> str:
    """Look-up form of a name: accents dropped, case folded, punctuation and 'the' removed."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", "", text).replace("-", " ")
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


_ROLE_RANK = {
    role: rank
    for rank, role in enumerate(
        ["president", "king", "queen", "emperor", "prime minister", "chancellor", "premier", "pope",
         "federal president", "vice president", "foreign minister", "defence minister", "secretary of state",
         "secretary-general", "general secretary"]
    )
}  # fmt: skip


@dataclass(frozen=True)
class OfficeTerm:
    role: str
    country: str | None
    start: int | None
    end: int | None
    start_day: date | None = None  # where the change of holder fell within a year ("2022-09-08")
    end_day: date | None = None

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)

    def covers_day(self, day: date) -> bool:
        """Held on ``day``: to the day where the term's bounds give one, else by year."""
        after = day >= self.start_day if self.start_day else self.start is None or self.start <= day.year
        before = day <= self.end_day if self.end_day else self.end is None or day.year <= self.end
        return after and before


def _year_and_day(value: Any) -> tuple[int | None, date | None]:
    """An office bound as written: a year (2022) or a day ("2022-09-08")."""
    if value is None:
        return None, None
    if isinstance(value, int):
        return value, None
    day = date.fromisoformat(str(value))
    return day.year, day


@dataclass(frozen=True)
class Entry:
    """One gazetteer entity."""

    kind: str  # person, country, place, organisation, event, commemoration
    name: str
    wikidata: str | None
    aliases: tuple[str, ...] = ()
    offices: tuple[OfficeTerm, ...] = ()
    historical: bool = False
    gender: str | None = None
    demonyms: tuple[str, ...] = ()
    country: str | None = None
    event_type: str | None = None
    start: str | None = None
    end: str | None = None
    date: str | None = None  # --MM-DD for commemorations
    commemorates: str | None = None
    place: str | None = None  # where a recorded event happened

    @property
    def ref(self) -> Ref:
        """What a fact points to when it points to this entry."""
        return Ref(self.kind, self.name, self.wikidata)

    def office_at(self, year: int | None) -> OfficeTerm | None:
        """The office held in ``year`` (the latest one when unknown)."""
        if not self.offices:
            return None
        held = [o for o in self.offices if year is None or o.covers(year)]
        if not held:
            return None
        if year is None:
            held = [o for o in held if o.end is None] or held[-1:]
        # several at once (General Secretary, President, CMC chairman): the one news names first
        return min(held, key=lambda o: (_ROLE_RANK.get(o.role.lower(), 50), -(o.start or 0)))


@dataclass
class Gazetteer:
    """Entries indexed by look-up key."""

    entries: list[Entry] = field(default_factory=list)
    index: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, Entry] = field(default_factory=dict)
    by_id: dict[str, Entry] = field(default_factory=dict)
    # each event name's content words (two or more), under each of those words
    event_words: dict[str, list[tuple[frozenset[str], Entry]]] = field(default_factory=lambda: defaultdict(list))
    # events by the day they began ("1943-10-03")
    event_days: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if entry.wikidata:
            self.by_id.setdefault(entry.wikidata, entry)
        for name in (entry.name, *entry.aliases):
            # "the Battle for Moscow" is the Battle of Moscow; news writes both
            keys = [key(name)] + (
                [key(re.sub(r"(?i)^battle of ", "battle for ", name))] if entry.kind == "event" else []
            )
            for k in keys:
                if k and entry not in self.index[k]:
                    self.index[k].append(entry)
            content = content_words(name)
            if entry.kind == "event" and len(content) >= 2:
                for word in content:
                    self.event_words[word].append((content, entry))
        if entry.kind == "event" and entry.start and len(entry.start) == 10:
            self.event_days[entry.start].append(entry)
        for demonym in entry.demonyms:
            self.demonyms.setdefault(key(demonym), entry)

    def lookup(self, name: str, *kinds: str) -> list[Entry]:
        found = self.index.get(key(name), [])
        return [e for e in found if not kinds or e.kind in kinds]

    def one(self, name: str, *kinds: str) -> Entry | None:
        found = self.lookup(name, *kinds)
        return found[0] if len(found) == 1 else None

    def country(self, name: str) -> Entry | None:
        """A country by name, alias or demonym ("Russian", "U.S.")."""
        return self.one(name, "country") or self.demonyms.get(key(name))

    def events_named_within(self, words: set[str]) -> list[Entry]:
        """Events one of whose names has every content word in ``words`` ("the liberation of the
        Nazis' Auschwitz-Birkenau death camp" holds "Liberation of Auschwitz"), each once."""
        found: dict[str, Entry] = {}
        for word in words:
            for content, entry in self.event_words.get(word, ()):
                if content <= words:
                    found[entry.name] = entry
        return list(found.values())

    def events_begun_on(self, day: str, event_type: str) -> list[Entry]:
        """Recorded events of one type that began on ``day`` (an ISO date)."""
        return [e for e in self.event_days.get(day, ()) if e.event_type == event_type]

    def of_kind(self, *kinds: str) -> Iterable[Entry]:
        return (e for e in self.entries if e.kind in kinds)

    def holders(self, role: str, day: date, country: str | None = None) -> list[tuple[Entry, OfficeTerm]]:
        """Who held ``role`` (of ``country``, by name) on ``day``: "the Queen" in 2020, "the Pope" in 2024."""
        found = []
        for entry in self.of_kind("person"):
            for term in entry.offices:
                same = term.role.lower() == role.lower() and (country is None or term.country == country)
                if same and term.covers_day(day):
                    found.append((entry, term))
        return found


_FUNCTION_WORDS = frozenset("of the on in at and to a an by for from".split())


def content_words(name: str) -> frozenset[str]:
    """A name's words that say something: "the Battle of Kursk" -> {battle, kursk}."""
    return frozenset(key(name).split()) - _FUNCTION_WORDS


def _term(raw: dict[str, Any]) -> OfficeTerm:
    start, start_day = _year_and_day(raw.get("from"))
    end, end_day = _year_and_day(raw.get("to"))
    return OfficeTerm(raw.get("role", ""), raw.get("country"), start, end, start_day, end_day)


def _entry(kind: str, raw: dict[str, Any]) -> Entry:
    offices = tuple(_term(o) for o in raw.get("offices") or ())
    return Entry(
        kind=kind,
        name=raw["name"],
        wikidata=raw.get("wikidata"),
        aliases=tuple(raw.get("aliases") or ()),
        offices=offices,
        historical=bool(raw.get("historical")),
        gender=raw.get("gender"),
        demonyms=tuple(raw.get("demonyms") or ()),
        country=raw.get("country"),
        event_type=raw.get("type"),
        start=raw.get("start"),
        end=raw.get("end"),
        date=raw.get("date"),
        commemorates=raw.get("commemorates"),
        place=raw.get("place") if kind == "event" else None,
    )


_SECTIONS = {
    "people": "person",
    "countries": "country",
    "places": "place",
    "organisations": "organisation",
    "events": "event",
    "commemorations": "commemoration",
}


def from_dict(data: dict[str, Any]) -> Gazetteer:
    gaz = Gazetteer()
    for section, kind in _SECTIONS.items():
        for raw in data.get(section) or ():
            gaz.add(_entry(kind, raw))
    return gaz


@functools.cache
def load(path: str | None = None) -> Gazetteer:
    """The gazetteer from ``path`` (default ``data/gazetteer.json``), cached per path."""
    file = Path(path) if path else GAZETTEER_FILE
    try:
        return from_dict(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ConfigError(f"gazetteer not found at {file}") from exc
    except (json.JSONDecodeError, KeyError) as exc:
        raise ConfigError(f"gazetteer at {file} is malformed: {exc}") from exc


__all__ = ["Entry", "Gazetteer", "OfficeTerm", "from_dict", "key", "load"]
