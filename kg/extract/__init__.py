"""Extraction: an ``Article`` -> spaCy ``Doc`` -> facts, one pure function per fact kind.

``extract(article)`` returns an ``Extraction``; ``kg.mapping.to_graph`` turns it into RDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.articles import Article
from kg.extract.casualties import BURIED, find_casualties
from kg.extract.dates import find_times
from kg.extract.events import find_events, names_something
from kg.extract.leaders import can_lead, find_people
from kg.extract.quotes import find_quotes
from kg.gazetteer import Gazetteer, key
from kg.gazetteer import load as load_gazetteer
from kg.records import CasualtyFigure, Event, Extraction, Mention, Person, Quote, Ref


def _leaders_who_speak(people: tuple[Person, ...], quotes: list[Quote]) -> tuple[Person, ...]:
    """A person with an office who is quoted takes part, whatever else the text says of them."""
    speakers = {q.speaker for q in quotes if q.speaker is not None and q.direct}
    out = []
    for p in people:
        if not p.leader and p.ref in speakers and any(can_lead(o) for o in p.offices):
            p = replace(p, leader=True)
        out.append(p)
    return tuple(out)


def _country_mentions(doc: Doc, gaz: Gazetteer) -> tuple[Mention, ...]:
    from kg.records import Span

    found = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "NORP", "LOC"):
            continue
        country = gaz.country(ent.text)
        if country is None:
            continue
        found.append(Mention(country.ref, Span(ent.start_char, ent.end_char, ent.text)))
    return tuple(found)


_WEAPONS = frozenset("bomb bombs blast explosion raid raids bombing bombings".split())


def _bombing_by(verb: Token, f: CasualtyFigure, events: list[Event]) -> Event | None:
    """ "The bomb killed some 74,000 people", "had died by the end of that year from the blast": the dead
    of the bombing the story told before (failing that, after), not of the surrender it goes on to."""
    agents = [c for c in verb.children if c.dep_ == "nsubj"] + [
        g
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in ("from", "in", "by")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if not any(a.lemma_.lower() in _WEAPONS for a in agents):
        return None
    bombings = [e for e in events if e.type == "bombing"]
    bombings = [e for e in bombings if names_something(e.label)] or bombings
    before = [e for e in bombings if e.span.start < f.number.start]
    return before[-1] if before else (bombings[0] if bombings else None)


def _governing_event(f: CasualtyFigure, doc: Doc, events: list[Event]) -> Event | None:
    """The event whose phrase governs the figure in the parse: "the siege of Leningrad, which
    claimed 800,000 lives", "the massacre cost the lives of 93 people", "a raid that killed 900"."""
    number = doc.char_span(f.number.start, f.number.end, alignment_mode="expand")
    if number is None:
        return None

    def owner(tok: Token) -> Event | None:
        hits = [e for e in events if e.span.start <= tok.idx < e.span.end]
        return min(hits, key=lambda e: e.span.end - e.span.start) if hits else None

    verb = next((t for t in number.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None and (bombing := _bombing_by(verb, f, events)) is not None:
        return bombing
    sent = number.root.sent
    for hops, tok in enumerate(number.root.ancestors):
        if hops >= 6 or not sent.start <= tok.i < sent.end:
            break
        if (hit := owner(tok)) is not None:
            return hit
        if tok.pos_ in ("VERB", "AUX"):
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass") and (hit := owner(child)) is not None:
                    return hit
            if tok.dep_ == "relcl" and (hit := owner(tok.head)) is not None:
                return hit
    return None


def _in_title(label: str, title: str) -> bool:
    words = [w for w in key(label).split() if len(w) > 3]
    return bool(words) and all(w in key(title).split() for w in words)


def _link_events(
    figures: list[CasualtyFigure], events: list[Event], doc: Doc, text: str, title: str = ""
) -> list[CasualtyFigure]:
    """Each figure counts the dead of an event: the gazetteer event its sentence names, else the
    historical event nearest before it in its sentence or the one before, preferring one that names
    something; a figure whose own words name no one and no event ("claimed 150,000 lives") takes the
    named event of the sentences just before it."""
    from kg.extract.dates import sentence_bounds
    from kg.records import family

    bounds = sentence_bounds(text)
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text.strip())]
    story_lead = breaks[1] if len(breaks) > 1 else len(text)
    historical = [e for e in events if family(e.type) != "commemorative" and e.background]
    out = []
    for f in figures:
        index = next((i for i, (a, b) in enumerate(bounds) if a <= f.span.start < b), 0)
        prev = bounds[max(0, index - 1)][0]
        named = [e for e in historical if f.event_label and e.label == f.event_label]
        near = [e for e in historical if prev <= e.span.start < f.span.end]
        governing = _governing_event(f, doc, historical)
        # an event an event word or the gazetteer names beats a clause's verb ("had destroyed Hiroshima")
        picks = (
            named
            or [e for e in near if names_something(e.label) and not e.clause][-1:]
            or [e for e in near if names_something(e.label)][-1:]
            or near[-1:]
        )
        if governing is not None and names_something(governing.label):
            picks = named = [governing]  # the parse's owner beats a mere mention in the sentence
            f = replace(f, event_label=governing.label)
        if not names_something(f.event_label) and not (picks and names_something(picks[0].label)):
            earlier = bounds[max(0, index - 3)][0]
            context = [e for e in historical if earlier <= e.span.start < prev and names_something(e.label)]
            # failing that, a figure with no named event near it ("Fifteen were killed", "16,000 fighters
            # died" beside a bare "capitulated") counts the dead of what the story is about: the named
            # event it mentions first
            lead = [e for e in historical if names_something(e.label) and e.type != "war"]
            lead = [e for e in lead if not e.clause] or lead
            # what the story is about: named in its headline or its first paragraphs (the Holocaust
            # named in the fifth paragraph of a story of every country's war dead is no event of theirs)
            lead = [e for e in lead if e.span.start < story_lead or _in_title(e.label, title)]
            picks = context[-1:] or lead[:1] or picks
        if picks:
            label = f.event_label if names_something(f.event_label) else picks[0].label
            f = replace(f, event=picks[0].key, event_label=label or f.event_label)
        out.append(f)
    return out


_TOWN_BEFORE = re.compile(
    r"(?P<town>[A-Z][\w’'-]*(?:\s+(?:(?:di|de|del|della|des|du|sur|am|an|im|la|le|en|of)\s+)?[A-Z][\w’'-]*){0,3})\s+\($"
)
_NO_ONE = frozenset(
    "people persons lives victims dead civilians soldiers troops residents inhabitants civilian military war".split()
)


# verbs whose subject may be the dead: "27 million died", "30,000 killed", "a million lost their lives",
# "the dead numbered 300,000", "2,000 soldiers lie buried here"
_DEAD_SUBJECT_VERBS = frozenset(
    """die perish fall lose kill murder massacre succumb starve drown burn freeze vanish disappear lie rest
    remain be include number total reach exceed account comprise make""".split()
)


def _the_living(figures: list[CasualtyFigure], doc: Doc) -> list[CasualtyFigure]:
    """Figures without those counting people who do something the dead cannot ("55,000 people attended
    the ceremony", "a group of 12 veterans struck the bell"): the parse, not the words around the
    number, says what the verb is about. A figure whose people are the subject
    of an active verb counts the dead only when that verb, or one it is joined to, lets it ("died",
    "were killed", "fought and died")."""
    out = []
    for f in figures:
        span = doc.char_span(f.number.start, f.number.end, alignment_mode="expand")
        noun = span.root.head if span is not None and span.root.dep_ == "nummod" else None
        if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
            noun = noun.head.head  # "a group of 12 people struck": the group is the subject
        verb = noun.head if noun is not None and noun.dep_ == "nsubj" else None
        if verb is not None and verb.pos_ == "VERB":
            verbs = [verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")]
            if not any(v.lemma_ in _DEAD_SUBJECT_VERBS for v in verbs):
                continue
        out.append(f)
    return out


def _placed_groups(figures: list[CasualtyFigure], doc: Doc, text: str) -> list[CasualtyFigure]:
    """A figure whose words name no one ("70,000 people died") and no event counts the dead of the
    place its sentence names ("Bergen-Belsen, where 70,000 people died"): the group says so."""
    out = []
    for f in figures:
        named = f.group is not None and not set(f.group.name.lower().split()) <= _NO_ONE
        if named or names_something(f.event_label):
            out.append(f)
            continue
        sentence = doc.char_span(f.span.start, f.span.end, alignment_mode="expand")
        places = [] if sentence is None else [e for e in sentence.sent.ents if e.label_ in ("GPE", "LOC", "FAC")]
        places = [p for p in places if not BURIED.search(text[max(0, p.start_char - 50) : p.start_char])]
        if not places:
            out.append(f)
            continue
        place = min(places, key=lambda e: abs(e.start_char - f.number.start))
        where = place.text
        # "Marzabotto (Bologna)": the place in brackets is the province of the one named before it
        town = _TOWN_BEFORE.search(text, max(0, place.start_char - 80), place.start_char)
        if town is not None and text[place.end_char : place.end_char + 1] == ")":
            where = town.group("town")
        base = f.group.name if f.group is not None else "people"
        name = f"{base} in {where}"
        out.append(replace(f, group=Ref("group", name)))
    return out


def extract_doc(doc: Doc, article: Article, gazetteer: Gazetteer) -> Extraction:
    """Every fact in an already-parsed article."""
    times = find_times(article.text, article.published)
    people = find_people(doc, article, gazetteer)
    quotes = find_quotes(article.text, people)
    persons = _leaders_who_speak(people.people, quotes)
    quoted = [(q.span.start, q.span.end) for q in quotes if q.direct]
    events = find_events(doc, article, times, persons, gazetteer, quoted)
    busy = [(t.span.start, t.span.end) for t in times]
    figures = _placed_groups(
        _the_living(find_casualties(article.text, gazetteer, article.id, busy), doc), doc, article.text
    )
    figures = _link_events(figures, events, doc, article.text, article.title or "")
    return Extraction(
        article=article,
        people=persons,
        mentions=_country_mentions(doc, gazetteer),
        events=tuple(events),
        figures=tuple(figures),
        quotes=tuple(quotes),
        times=tuple(times),
    )


def extract(article: Article, nlp: Language | None = None, gazetteer: Gazetteer | None = None) -> Extraction:
    """Every fact in one article (loads the default pipeline and gazetteer when not given)."""
    from kg.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    gazetteer = gazetteer or load_gazetteer()
    return extract_doc(nlp(article.text), article, gazetteer)


def extract_many(
    articles: Iterable[Article], nlp: Language | None = None, gazetteer: Gazetteer | None = None, batch_size: int = 16
) -> Iterator[Extraction]:
    """Extractions for many articles, parsed in batches with ``nlp.pipe``."""
    from kg.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    gazetteer = gazetteer or load_gazetteer()
    items = list(articles)
    for doc, article in zip(nlp.pipe((a.text for a in items), batch_size=batch_size), items, strict=True):
        yield extract_doc(doc, article, gazetteer)


__all__ = ["extract", "extract_doc", "extract_many"]
