"""Events the article reports (parades, ceremonies, visits, meetings) and the history it recalls.

Each event gets its type from a trigger word or a gazetteer name, a date from the temporal
expressions of its sentence, a place, and its participants. Historical background never takes a
date resolved against the publication date ("on Wednesday"), only dates the text states. A
commemoration "marking the 80th anniversary of X" links to X, with the anniversary as stated and as
computed from the two dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.articles import Article
from kg.extract.dates import OFFSET, offset_from, sentence_bounds
from kg.extract.numbers import word_number
from kg.gazetteer import Entry, Gazetteer, key
from kg.records import Event, Person, Ref, Span, TimeExpr, family

# a day named for what it remembers ("Liberation Day", "Total Defence Day", "the Day of Valour"), which the
# gazetteer may not know
_NAMED_DAY = (
    r"(?-i:(?:[A-Z][\w’'-]+\s+)?(?:Liberation|Victory|Armistice|Remembrance|Memorial|Veterans’?'?|Anzac|ANZAC|"
    r"Resistance|Defen[cs]e|Heroes’?'?|Martyrs’?'?|Independence|Mourning|Valou?r|Peace|Unity)\s+Day|"
    r"(?:National\s+)?Day\s+of\s+(?:[A-Z][\w’'-]+\s+){0,2}?(?:Remembrance|Mourning|Valou?r|Victory|Liberation|"
    r"Reconciliation|Commemoration))"
)
_KNOWN_AS = re.compile(
    r"\s+(?:(?:now|later|locally)\s+)?(?:known|remembered|referred\s+to)\s+as\s+(?:the\s+)?"
    r"[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|\d{1,4}|of|the)){0,4}(?<!\sof)(?<!\sthe)"
)
_PHASE_WORDS = frozenset("start beginning outbreak end war world second great patriotic the of".split())
_KILLING = frozenset("kill murder shoot slaughter massacre execute".split())
_ARMED = frozenset("troop soldier force unit army militia police policeman gunman occupier guard ss wehrmacht".split())
_DEFINING = frozenset("make declare designate proclaim establish name call set institute dedicate".split())
_TRIGGERS: list[tuple[str, str]] = [
    ("parade", r"parades?|paraded|(?-i:march(?:es|ed)?)"),  # "marched through Lod"; never the month
    ("ceremony", r"ceremon(?:y|ies)|wreath[- ]laying|service\s+of\s+remembrance|requiem|"
     r"(?:memorial|remembrance|civic|church|commemorative|religious|thanksgiving|funeral|ecumenical|interfaith|dawn)\s+services?|"
     r"(?:lay|lays|laid|laying|place[sd]?|placing)\s+(?:a\s+|the\s+)?(?:wreaths?|flowers)|unveil(?:ed|ing|s)?|"
     r"(?:memorial|requiem|holy|commemorative)\s+mass|"
     # "attended a service at the Kohima War Cemetery": a service where the dead are remembered
     r"services?(?=\s+(?:at|in)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){1,4}"
     r"(?-i:Cemetery|Memorial|Cathedral|Abbey|Church|Cenotaph|Chapel|Minster|Shrine|Arboretum)\b)|"
     r"(?:solemn|memorial|mourning|commemorative|funeral|remembrance)\s+(?:meetings?|rall(?:y|ies)|gatherings?)"),
    ("commemoration", r"commemorations?|celebrations?|vigil|minute\s+of\s+silence|moment\s+of\s+silence|"
     r"Immortal\s+Regiment\s+march(?:es)?|memorial\s+march(?:es)?|march\s+of\s+the\s+living|"
     r"(?:mark(?:ed|s|ing)?|commemorat(?:e|ed|es|ing)|celebrat(?:e|ed|es|ing))\s+(?:the\s+)?[\w-]+\s+anniversary|"
     r"mark(?:ed|s|ing)?\s+(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+years\s+(?:since|after|from)|"
     r"(?:air[- ]raid\s+)?sirens?\s+(?:sounded|wailed|rang\s+out|blared|sound|wail)|"
     rf"{_NAMED_DAY}"),
    ("speech", r"speech(?:es)?|"
     r"(?:deliver(?:ed|s|ing)?|gave|give[ns]?|made)\s+(?:(?!the\b|these\b|those\b)\w+\s+)?remarks|"
     r"(?:annual|memorial|commemorative|remembrance)\s+(?:[\w-]+\s+){0,2}?lecture|"
     r"address\s+to\s+the\s+nation|"
     r"addresse[sd]\s+the\s+(?:nation|crowd|ceremony|gathering|veterans|parade|audience|rally)|"
     r"(?:an|his|her|a|televised|keynote)\s+address(?=\s+(?:at|to|in|on|before)\b)|"
     r"(?:spoke|speaking|speaks)(?=\s+(?:[\w-]+\s+){0,4}?(?:to|at|before)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
     r"(?:veterans|crowds?|audience|ceremony|gathering|parade|nation|survivors|rally|commemoration|memorial)\b)"),
    ("meeting", r"met|meets|meeting|talks|summit|bilateral\s+meeting"),
    ("visit", r"visit(?:s|ed|ing)?|arrived\s+in|arrives\s+in|travell?(?:ed|ing|s)?\s+to|(?:flew|flown|flies)\s+to|"
     r"trip\s+to|state\s+visit"),
    ("war", r"[Ww]ar"),
    ("battle", r"battles?|sieges?|(?:capture|recapture)(?=\s+of\s+(?:the\s+)?[A-Z])|"
     r"(?:counter-?)?offensives?(?!\s+(?:weapons?|language|remarks?|comments?))"),
    ("invasion", r"invasions?|invaded|landings|D-Day"),
    ("liberation", r"liberation|liberated|lifting\s+of\s+the\s+siege|lifted\s+the\s+siege"),
    ("bombing", r"bombings?|bombed|atomic\s+bomb(?:s|ing)?|air\s+raids?|air\s+attacks?|air\s+armada|"
     r"dropped\s+an?\s+atomic\s+bomb|firebombing|blitz"),
    ("massacre", r"massacres?|slaughter|mass\s+killings?|mass\s+murder|pogrom|executions|mass\s+shootings?"),
    ("surrender", r"surrender(?:ed)?|capitulation|capitulated|(?-i:fall(?=\s+of\s+[A-Z]))"),  # "the fall of Singapore"
    ("other", r"protests?|protesters|demonstrat(?:ors|ions?)|protest\s+march|surprise\s+attacks?|attack\s+on|"
     r"assault\s+on|uprising|terror(?:ist)?\s+attacks?|shoot-?outs?|gunfights?|riots|rioting|clashes|"
     # the news a story of remembrance is told beside: votes and swearings-in
     r"(?:presidential|parliamentary|general|local|legislative)\s+elections?|referendum|inauguration|sworn\s+in"),
]  # fmt: skip
_TRIGGER_RE = [(t, re.compile(rf"\b(?:{p})\b", re.I if t != "war" else 0)) for t, p in _TRIGGERS]
_FAR = 500  # characters: a mention this far ahead of another day's happening is not that one
# which type a merged happening keeps: a speech is given at a ceremony or a commemoration, not the other way
_PRIORITY = {"parade": 0, "ceremony": 1, "commemoration": 3, "speech": 4, "meeting": 0, "visit": 1}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}  # fmt: skip
# what an anniversary is of: up to the clause's end, an initial's full stop ("U.S. air raids") aside
_WHAT = r"(?:\b(?:[A-Z]\.){2,}|[^,.;:()\n]){3,120}"
_ANNIVERSARY = re.compile(
    rf"\b(?P<ord>\d{{1,3}}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)\s+anniversary\s+of\s+(?:the\s+)?(?P<what>{_WHAT})",
    re.I,
)
_STRUCK_TYPES = frozenset({"invasion", "bombing", "liberation", "massacre", "battle"})  # done to a place
_ON_ANNIVERSARY = re.compile(r"\b(?:on|for|to\s+mark)\s+the\s+[\w-]+\s+anniversary\s+of\b", re.I)
_YEARS_SINCE = re.compile(
    rf"\b(?P<n>\d{{1,3}}|[a-z]+(?:-[a-z]+)?)\s+years\s+(?:since|after)\s+(?:the\s+)?(?P<what>{_WHAT})", re.I
)
_COMMEMORATES = re.compile(
    r"\b(?:mark(?:ed|s|ing)?|commemorat(?:e|ed|es|ing)|celebrat(?:e|ed|es|ing)|honou?r(?:ed|s|ing)?|"
    rf"in\s+memory\s+of|dedicated\s+to|remember(?:ed|s|ing)?)\s+(?:the\s+)?(?P<what>{_WHAT})",
    re.I,
)
# capitalised words that open a sentence, not a name: no part of a label's prefix
_OPENING_WORDS = re.compile(r"^(?:(?:The|A|An|At|In|On|For|During|After|Before|Since|By|With|From|As)[ \t]+)+")
_CALENDAR = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)
# verbs whose date is no event of the story: births, deaths of individuals, being, saying
_NOT_EVENT_VERBS = frozenset(
    """be have born bear die say tell add write call know become remain live serve lose mark commemorate
    celebrate remember honour honor attend take join come go work confirm announce report state
    happen occur publish update""".split()
)  # "the campaign occurred in 1942": what happened is the subject; "Published 19 August": the byline
# a wire story's dateline, opening its first lines: "ADDIS ABABA, Feb 19 (Reuters) -", "ITOMAN, Japan (AP) —"
_LEAD_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<city>[A-Z][A-Z’'.-]+(?:[ \t]+[A-Z][A-Z’'.-]+){0,3})"
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2})?"
    r"(?:,?[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8}))?[ \t]*(?:\([^()\n]{2,30}\)[ \t]*)?"
    r"(?:-{1,2}|—|–|:)[ \t]+(?=[A-Z“\"])"
)
_NO_DATELINE = frozenset(
    "READ MORE UPDATED UPDATE WATCH PHOTOS PHOTO VIDEO EXCLUSIVE BREAKING LIVE ANALYSIS OPINION".split()
)
_DATELINE = re.compile(r"(?:,\s*\d{4})?\s*(?:\([A-Z][\w .&-]{1,30}\)\s*)?(?:--|–|—)")
_TRIP_TO = re.compile(
    r"\b(?:travel\w*|went|go(?:es|ing)?|flew|fl(?:y|ies|ying)|trips?|journey\w*|visit\w*|arriv\w*|came|com(?:e|es|ing))"
    r"\s+(?:\w+\s+){0,2}?(?:to|in)\s+(?:the\s+)?$",
    re.I,
)
_TRIP_FOR = re.compile(
    r"[^.;!?]{0,40}?\b(?:to|for)\s+(?:mark|commemorate|attend|celebrate|join|take\s+part\s+in|watch|honou?r)"
    r"(?:\s+(?:in|the|a|an))*\s+(?:[\w’'-]+\s+){0,4}",
    re.I,
)
# verbs of reporting: their date is when something was said, not when what they report happened
_REPORTING_VERBS = frozenset(
    "say tell confirm announce report state add note explain write insist claim warn reveal disclose".split()
)
# what a dated clause's verb says happened, when it says more than "other"
_VERB_TYPES = {
    "gather": "commemoration", "mourn": "commemoration", "pray": "commemoration", "observe": "commemoration",
    "lay": "ceremony", "unveil": "ceremony", "consecrate": "ceremony", "dedicate": "ceremony", "inaugurate": "ceremony",
    "speak": "speech", "address": "speech", "broadcast": "speech",
    "meet": "meeting",
    "visit": "visit", "arrive": "visit", "travel": "visit", "fly": "visit", "tour": "visit",
    "invade": "invasion", "land": "invasion", "storm": "invasion", "attack": "bombing", "bomb": "bombing",
    "strike": "bombing", "drop": "bombing", "liberate": "liberation", "free": "liberation", "surrender": "surrender",
    "capitulate": "surrender", "massacre": "massacre", "slaughter": "massacre", "shoot": "massacre",
    "execute": "massacre", "besiege": "battle", "encircle": "battle", "capture": "battle", "defeat": "battle",
    # what courts, parliaments, governments and crowds do is news of its own, whatever the day recalls
    "rule": "other", "sentence": "other", "convict": "other", "acquit": "other", "vote": "other", "ratify": "other",
    "sign": "other", "approve": "other", "summon": "other", "expel": "other", "demolish": "other", "remove": "other",
    "dismantle": "other", "topple": "other", "relocate": "other", "exhume": "other", "rebury": "other",
    "prosecute": "other", "arrest": "other", "elect": "other", "sue": "other", "ban": "other", "riot": "other",
    "clash": "other", "protest": "other", "enact": "other", "adopt": "other", "pass": "other",
    "kill": "other", "crash": "other",  # a death this year is news of its own, not a remembrance
}  # fmt: skip
_BEFORE_CUE = re.compile(r"[^,;]{0,60}?\b(?:ahead\s+of|on\s+the\s+eve\s+of|in\s+the\s+run-up\s+to|prior\s+to)\b", re.I)
_FUTURE_CUE = re.compile(r"\b(?:will|would|plans?|planned|is\s+to|are\s+to|next|upcoming|later\s+this)\b", re.I)
_REPORTED = ("commemorative", "diplomatic")  # the families of what the news reports happening now
_CLAUSES = frozenset({"xcomp", "advcl", "ccomp", "relcl", "acl", "csubj", "conj"})  # a verb heading a clause of its own
_FORCED = re.compile(r"\b(?:forced|enforced|death|made|compelled|driven)\s+(?:to\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_ANOTHER = re.compile(r"\b(?:[Aa]nother|separate|second)\s+(?:[\w’'-]+\s+){0,2}$")
_BEGUN_VERBS = frozenset("celebrate commemorate mark honour honor remember observe".split())
# what happens again and again: "held annually", "every five years", "designated as", "known as the"
_RECURRING = re.compile(
    r"\b(?:annually|yearly|every\s+(?:\w+\s+)?years?|each\s+year|every\s+\w+day|designat(?:ed|es|ing)|"
    r"(?:celebrated|observed|marked|known|declared|proclaimed)\s+(?:\w+\s+)?as\s+the)\b",
    re.I,
)
_PHASE_BEFORE = re.compile(r"\b(?:end|lifting|breaking|break|start|beginning|outbreak|eve)\s+of\s+(?:the\s+)?$", re.I)
_FIRST_TO = re.compile(
    r",?\s+(?:\w+\s+)?bec(?:ame|omes?)\s+the\s+(?:first|second|third|last|only)\s+(?:[\w’'-]+\s+){0,4}?to\s+", re.I
)
# "veterans of the uprising", "survivors of the attack": what the people named lived through is history
_SURVIVED = re.compile(
    r"\b(?:veterans|survivors|victims|participants|heroes|fighters|insurgents|witnesses)\s+of\s+(?:the\s+)?"
    r"(?:[\w’'-]+\s+){0,2}$",
    re.I,
)
# the common noun a name qualifies, which a label does not cut off: "in the Polish capital"
_PLACE_NOUN = (
    r"(?:\s+(?:capital|city|town|village|port|harbou?r|coast|border|embassy|consulate|parliament|cemetery|"
    r"memorial|monument|museum|square|park|cathedral|church|synagogue|countryside|region|province)\b)"
)
# a named landmark in a label: "laid a wreath at the Isurava memorial", "a service at the Kranji War Cemetery"
_LANDMARK = re.compile(
    r"\b(?:at|in)\s+(?:the\s+)?(?P<n>(?:[A-Z][\w’'-]*\s+){1,4}(?i:cemetery|memorial|monument|museum|square|park|"
    r"cathedral|church|synagogue|cenotaph|shrine|mausoleum|arboretum|chapel))\b"
)
# nouns a historical trigger may qualify without being told of itself: "the massacre victims"
_QUALIFIED = frozenset("victim survivor memorial museum hall site monument cemetery grave".split())
_LANDMARK_AFTER = re.compile(
    r"\s+at\s+(?:the\s+(?=[A-Z])|(?=(?:[A-Z][\w’'-]*\s+){1,3}[A-Z]))(?P<n>(?:[A-Z][\w’'-]*\s+){0,3}(?:Monument|Memorial|Cemetery|Museum|Tomb|Cenotaph|Shrine|Mausoleum)"
    r"(?:\s+(?:to|of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})?)"
)
_BY_PHONE = re.compile(r"\s+(?:\w+\s+){0,3}?(?:by\s+(?:tele)?phone|by\s+video\s+link|in\s+a\s+(?:tele)?phone\s+call)\b")
_PLACE_PREP = re.compile(
    r"\b(?:(?:in|at|on|near|across|outside)\s+(?:the\s+)?|(?:streets|centre|center|heart|outskirts|suburbs|"
    r"city|town|village|cemetery|island|port)\s+of\s+)$",
    re.I,
)  # "marched through the streets of Minsk" marched in Minsk
_DESTINATION = re.compile(r"\b(?:to|in|at)\s+(?:the\s+)?$", re.I)  # visits: "travelled to Moscow"


_WAR_END = 1945
_HEADLINE_PLACE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+){0,2})")


def _holds_word(text: str, words: str) -> bool:
    """Whether ``words`` stand in ``text`` as whole words (no pattern compiled per name)."""
    at = text.find(words)
    while at != -1:
        end = at + len(words)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(words, at + 1)
    return False


# "the battles of Moscow and Leningrad": a plural trigger over two names
_PAIR = re.compile(r"\s+of\s+(?:the\s+)?(?P<a>[A-Z][\w’'-]+)\s+and\s+(?:of\s+)?(?:the\s+)?(?P<b>[A-Z][\w’'-]+)\b")


_GENERIC_EVENT_WORDS = frozenset(
    """the a this that battle battles war wars massacre massacres siege attack attacks bombing bombings raid raids
    invasion occupation uprising liberation surrender fighting killings tragedy genocide campaign offensive
    conflict""".split()
)


_WHEN = frozenset({"DATE", "TIME"})


def _subject_words(verb: Token) -> str:
    """The name of a verb's subject, without what qualifies it: "Premier Li Qiang" of "Premier Li Qiang of
    China met", "Nazi Germany" of "Nazi Germany surrendered"; nothing for a pronoun or a subject after it."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    subject = subjects[-1] if subjects else None
    if subject is None or subject.pos_ not in ("PROPN", "NOUN") or subject.ent_type_ in _WHEN:
        return ""  # "This year marks the 70th anniversary": a time is no subject worth a label
    if any(t.is_punct for t in verb.doc[subject.i + 1 : verb.i]):
        return ""  # "MANILA -- Filipinos", "Putin, who ..., met": no name that runs on to the verb
    start = subject.i
    doc = verb.doc
    while start > 0 and subject.i - start < 4:
        if start > subject.left_edge.i and doc[start - 1].dep_ in ("compound", "amod"):
            start -= 1
        elif (
            start >= 2 and doc[start - 1].text == "-" and not (doc[start - 2].whitespace_ or doc[start - 1].whitespace_)
        ):
            start -= 2  # "Willem-Alexander", "Akufo-Addo": a hyphenated name is one
        elif doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == start:
            start -= 1  # "King" of "King Willem-Alexander", whose parse hangs it on "Willem"
        else:
            break
    return doc[start : subject.i + 1].text


def _agree(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    """Two dates that may be one: equal, or one the other at a finer precision."""
    if a is None or b is None or not a.value or not b.value:
        return False
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _negated(verb: Token) -> bool:
    """ "did not visit", "never met": the verb tells what did not happen."""
    return any(c.dep_ == "neg" for c in verb.children)


def _same_day(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    return a is not None and b is not None and a.precision == b.precision == "day" and a.value == b.value


def names_something(label: str | None) -> bool:
    """ "the battle" names nothing; "Battle of Manila", "Holocaust", "Khatyn tragedy" do."""
    words = (label or "").replace("’", "'").split()
    return any(w.lower().strip("'s") not in _GENERIC_EVENT_WORDS for w in words) and any(w[:1].isupper() for w in words)


def _precision(value: str) -> str | None:
    """The precision of an ISO date, year-month or year."""
    return {4: "year", 7: "month", 10: "day"}.get(len(value))


def _months(start: str, end: str | None) -> int:
    """How many months an entry's event lasted, by its dates' years and months."""
    if not end:
        return 0
    a, b = start.split("-"), end.split("-")
    return (int(b[0]) - int(a[0])) * 12 + (int(b[1]) if len(b) > 1 else 12) - (int(a[1]) if len(a) > 1 else 1)


def ordinal(text: str) -> int | None:
    t = text.lower()
    if m := re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", t):
        return int(m.group(1))
    if t in _ORDINALS:
        return _ORDINALS[t]
    if "-" in t:
        tens, unit = t.split("-", 1)
        base, u = word_number(tens), _ORDINALS.get(unit)
        if base is not None and u is not None and u < 10:
            return base + u
    return None


@dataclass
class _Draft:
    type: str
    span: Span
    sentence: tuple[int, int]
    label: str
    time: TimeExpr | None = None
    place: Ref | None = None
    participants: list[Ref] = field(default_factory=list)
    wikidata: str | None = None
    entry: Entry | None = None
    commemorates: _Draft | None = None
    stated: int | None = None
    merged: _Draft | None = None
    clause: bool = False  # from a dated clause's verb, not an event word

    @property
    def root(self) -> _Draft:
        d = self
        while d.merged is not None:
            d = d.merged
        return d


class _Finder:
    def __init__(
        self,
        doc: Doc,
        article: Article,
        times: list[TimeExpr],
        people: tuple[Person, ...],
        gaz: Gazetteer,
        quoted: list[tuple[int, int]],
    ) -> None:
        self.quoted = quoted
        self.doc = doc
        self.text = article.text  # doc.text joins every token again
        self.ents = doc.ents  # a new tuple of spans at each read
        self.article = article
        self.times = times
        self.people = people
        self.gaz = gaz
        self.published: date | None = article.published
        self.bounds = sentence_bounds(self.text)
        self.drafts: list[_Draft] = []
        self._owned: dict[int, str | None] = {}
        self._scenes: dict[tuple[int, int], str | None] = {}
        self.dateline = _LEAD_DATELINE.search(self.text, 0, min(len(self.text), 400))
        if self.dateline is not None and set(self.dateline.group("city").split()) & _NO_DATELINE:
            self.dateline = None
        self.lead = self.dateline.end() if self.dateline is not None else 0  # where the story proper begins
        self.org_spans = [
            (e.start_char, e.end_char) for e in self.ents if e.label_ in ("ORG", "WORK_OF_ART", "LAW", "FAC")
        ]
        self.places = [(e.start_char, e.end_char, e.text) for e in self.ents if e.label_ in ("GPE", "LOC", "FAC")]

    def sentence(self, pos: int) -> tuple[int, int]:
        for s, e in self.bounds:
            if s <= pos < e:
                return s, e
        return (pos, pos)

    # --- candidates ----------------------------------------------------------------------

    def gazetteer_events(self) -> None:
        for ent in self.ents:
            if ent.label_ != "EVENT":
                continue
            hits = self.gaz.lookup(ent.text, "event", "commemoration")
            if not hits:
                continue
            entry = hits[0]
            etype = "commemoration" if entry.kind == "commemoration" else (entry.event_type or "other")
            if (longer := self._longer_name(ent.start_char, entry)) is not None:
                # "the 84th Patriots' Victory Day": another country's day, which only shares the words
                span = Span(longer, ent.end_char, self.text[longer : ent.end_char])
                if entry.kind == "commemoration":
                    self.drafts.append(_Draft("commemoration", span, self.sentence(longer), span.text))
                continue
            if entry.kind == "commemoration" and self._defines_a_day(ent.start_char, ent.end_char, known=True):
                continue  # "the UN made 27 January International Holocaust Remembrance Day"
            span = Span(ent.start_char, ent.end_char, ent.text)
            draft = _Draft(etype, span, self.sentence(span.start), entry.name, wikidata=entry.wikidata, entry=entry)
            draft.time = self._named_day(entry, span)
            self.drafts.append(draft)

    def _longer_name(self, start: int, entry: Entry) -> int | None:
        """Where a longer name begins that a gazetteer name ends ("Patriots' Victory Day", "Ethiopian Victory
        Day"), when its first word names no country or another country than the entry's; else None."""
        before = self.text[max(0, start - 60) : start]
        m = re.search(r"(?<![\w’'-])([A-Z][\w-]*)(?:['’]s?)?\s+$", before)
        word = self.doc.char_span(start - len(before) + m.start(1), start - len(before) + m.end(1)) if m else None
        if m is None or word is None or word.root.ent_type_ in ("DATE", "ORDINAL"):
            return None
        if word.root.pos_ != "PROPN" and word.root.ent_type_ not in ("EVENT", "NORP"):
            return None  # "Last Veterans Day", "On Victory Day": no name of its own
        country = self.gaz.country(m.group(1))
        if country is not None and (not entry.country or self.gaz.country(entry.country) in (None, country)):
            return None  # "Russia's Victory Day", "the Soviet Victory Day"
        # "World War II Battle of Stalingrad", "Holocaust Martyrs and Heroes Remembrance Day": names the
        # gazetteer knows, one before the other or as a whole
        run = re.search(r"(?:[A-Z][\w’'-]*\s+(?:(?:and|of|the)\s+)?){1,6}$", before)
        words = run.group(0).split() if run else []
        for k in range(len(words)):
            if self.gaz.lookup(" ".join(words[k:]) + " " + entry.name, "event", "commemoration"):
                return None
            if self.gaz.lookup(" ".join(words[: k + 1]), "event", "commemoration"):
                return None
        return start - len(before) + m.start(1)

    def _named_day(self, entry: Entry, span: Span) -> TimeExpr | None:
        """A recurring day ("Victory Day", --05-09) in the publication's year, if not after it."""
        if entry.kind != "commemoration" or not entry.date or not re.fullmatch(r"--\d\d-\d\d", entry.date):
            return None
        if self.published is None:
            return TimeExpr(span, None, None, "named-day")
        month, day = int(entry.date[2:4]), int(entry.date[5:7])
        try:
            value = date(self.published.year, month, day)
            if (value - self.published).days > 30:
                value = date(self.published.year - 1, month, day)
        except ValueError:
            return None
        if abs((value - self.published).days) > 7:
            return None  # "Holocaust Remembrance Day, held every 27 January" names a day, not this year's event
        return TimeExpr(span, value.isoformat(), "day", "named-day", self.published.isoformat())

    def trigger_events(self) -> None:
        taken = [(d.span.start, d.span.end) for d in self.drafts]
        for etype, pattern in _TRIGGER_RE:
            for m in pattern.finditer(self.text):
                s, e = m.span()
                if any(a <= s < b or a < e <= b for a, b in taken):
                    continue
                quoted = self._quoted(s)
                if quoted and family(etype) in _REPORTED:
                    continue
                # "the People's Liberation Army" names a body; "the Leyte Gulf Landings", which the parse took
                # for one, end on what happened
                if etype not in ("war", "battle", "massacre") and any(
                    a <= s and e <= b and not (e == b and family(etype) == "historical") for a, b in self.org_spans
                ):
                    continue
                if etype == "war" and not self._is_war(s, e):
                    continue
                label = self._label(s, e)
                # "the battles of Moscow and Leningrad": two battles, each named and placed, quoted or not
                pair = _PAIR.match(self.text[e : e + 80]) if family(etype) == "historical" else None
                whole = f"{self.text[s:e]} of {pair.group('a')} and {pair.group('b')}" if pair else ""
                if pair and self.text[s:e].lower().endswith("s") and not self.gaz.lookup(whole, "event"):
                    head = re.sub(r"s$", "", self.text[s:e])
                    prefix = label[: label.lower().find(self.text[s:e].lower())] if self.text[s:e] in label else ""
                    for name, start, end in (
                        (pair.group("a"), s, e),
                        (pair.group("b"), pair.start("b") + e, pair.end("b") + e),
                    ):
                        named = f"{head} of {name}"
                        entry = next(iter(self.gaz.lookup(named, "event")), None)
                        span = Span(start, end, self.text[start:end])
                        d = _Draft(etype, span, self.sentence(s), f"{prefix}{named}", entry=entry)
                        d.wikidata, d.place = entry.wikidata if entry else None, self._place(name)
                        self.drafts.append(d)
                    taken.append((s, pair.end("b") + e))
                    continue
                if quoted:  # quoted words report nothing of the day; the history they name is still history
                    self._quoted_history(etype, s, e)
                    continue
                if etype in ("battle", "invasion") and re.fullmatch(r"(?i)battles|sieges|invasions", self.text[s:e]):
                    continue  # "the battles of the Second World War" are no one battle
                if self._denied(s, e):
                    continue  # "Kishida did not visit the shrine", "the two leaders never met"
                if family(etype) == "historical" and self._qualifies_a_thing(s, e):
                    continue  # "a memorial day for the massacre victims": the victims, not the massacre, are told of
                if etype == "commemoration" and self._defines_a_day(s, e):
                    # "April 13 is the Day of Remembrance", "made 27 January Holocaust Remembrance Day": nor
                    # is its "Liberation" a liberation
                    taken.append((s, e))
                    continue
                if etype == "parade" and _FORCED.search(self.text[max(0, s - 40) : s]):
                    etype = "other"  # "prisoners were forced to march to Changi": a death march, no parade
                self.drafts.append(_Draft(etype, Span(s, e, self.text[s:e]), self.sentence(s), label))
                taken.append((s, e))

    def _defines_a_day(self, s: int, e: int, known: bool = False) -> bool:
        """A named day (one the gazetteer knows, if ``known``) the sentence defines or names, not one
        kept: the complement of "is", "made", "declared" or "designated", or a word on another noun."""
        if not known and not re.fullmatch(_NAMED_DAY, self.text[s:e]):
            return False
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if not known and root.dep_ in ("compound", "nmod") and root.head.i > root.i and root.head.pos_ == "NOUN":
            return True  # "this year's Liberation Day lecture", "its Liberation Day festivals": the noun tells
        # "23 September is Holocaust Memorial Day": a day the gazetteer knows is also kept that day
        return (root.dep_ in ("attr", "oprd", "acomp") and not known) or (
            root.dep_ in ("dobj", "ccomp", "xcomp", "appos") and root.head.lemma_ in _DEFINING
        )

    def _qualifies_a_thing(self, s: int, e: int) -> bool:
        """A historical trigger that only qualifies a noun of people or places ("the massacre victims", "the
        bombing survivors", "the massacre site")."""
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) != 1 or span[0].dep_ not in ("compound", "amod", "nmod"):
            return False
        head = span[0].head
        return head.i > span[0].i and head.pos_ == "NOUN" and head.lemma_ in _QUALIFIED

    def _denied(self, s: int, e: int) -> bool:
        """A trigger verb the text negates tells what did not happen."""
        span = self.doc.char_span(s, e, alignment_mode="expand")
        return span is not None and span[0].pos_ == "VERB" and _negated(span[0])

    def _quoted_history(self, etype: str, s: int, e: int) -> None:
        """ "He enlisted two days after the attack on Pearl Harbour," she said: words quoted are no
        report of the day, but recorded history they name is still that history."""
        d = _Draft(etype, Span(s, e, self.text[s:e]), self.sentence(s), self._label(s, e))
        entry = self._known(d)
        if entry is None or not entry.start or _months(entry.start, entry.end) > 2:
            return  # a war or a campaign of years quoted in passing frames what is said
        d.entry, d.wikidata, d.label = entry, entry.wikidata, entry.name
        d.type = entry.event_type or d.type  # "the attack on Pearl Harbor" was a bombing
        self.drafts.append(d)

    def _quoted(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.quoted)

    def _is_war(self, s: int, e: int) -> bool:
        left = self.text[max(0, s - 40) : s]
        right = self.text[e : e + 40]
        if re.search(r"(?:post|pre|cold|anti|civil)[- ]?$|\b(?:Cold|civil|trade|information)\s+$", left, re.I):
            return False
        if re.match(
            r"^\s*(?:veterans?|dead|crimes?|memorial|graves?|years|time|criminals?|effort|games|machine|of\s+words|"
            r"cemeter(?:y|ies)|museum|office|correspondents?|heroe?s?|widows?|brides?|zone|college|room|chest)",
            right,
            re.I,
        ):
            return False
        return bool(re.search(r"(?:[A-Z][\w’'-]*|\d{4})[\s’'s-]*$|\b(?:the|its|a)\s+$", left))

    def _label(self, s: int, e: int) -> str:
        left = self.text[max(0, s - 60) : s]
        m = re.search(
            r"((?:(?:[A-Z][\w’'-]*|military|victory|memorial|commemorative|state|annual|wreath-laying|"
            r"official|main|grand|national|anniversary|remembrance|solemn|\d{2,3}(?:st|nd|rd|th)|"
            r"Japanese|atomic|Nazi|German|Soviet|surprise)[ \t]+){0,4})$",  # within the line: no caption's credit
            left,
        )
        # "The ceremony" is the ceremony, "At Hiroshima's ceremony" Hiroshima's; the names before a verb
        # ("Premier Li Qiang of China met") are its subject, not part of what happened
        trigger = self.doc.char_span(s, e, alignment_mode="expand")
        if trigger is not None and trigger[0].pos_ in ("VERB", "AUX"):
            prefix = _subject_words(trigger[0]) + " "  # "Japan surrendered", "Premier Li Qiang met"
        else:
            prefix = _OPENING_WORDS.sub("", m.group(1)) if m else ""
        label = (prefix + self.text[s:e]).strip()
        # "the Battle for Moscow" is named like "the Battle of Moscow"; a name that ends on its trigger ("the
        # Leyte Gulf Landings") is whole, and "in Palo" after it says where something else happened
        prep = r"of|on|in|at|for" if re.fullmatch(r"(?i)battle", self.text[s:e]) else r"of|on|in|at"
        if prefix.strip() and prefix.strip()[:1].isupper() and self.text[s : s + 1].isupper():
            prep = r"of"
        right = re.match(
            rf"^\s+(?:{prep})\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*){{0,3}}(?:(?:\s+(?:military|war|national|main|central|old|new))?{_PLACE_NOUN})?",
            self.text[e : e + 70],
        )
        # "in Russia’s second city": a possessive opens a longer name, which the label does not cut
        if right and not re.search(rf"\b{_CALENDAR}\b", right.group(0)) and not re.search(r"[’']s$", right.group(0)):
            label += right.group(0)
        elif re.search(r"\b(?:since|after|from)$", label):  # "marked 80 years since" what
            what = re.split(r"[,.;:!?()\n]|\s(?:on|with|at|when|while|as|in\s+\d)\s", self.text[e : e + 80])[0]
            label += what if len(what) <= 60 else what[: what.rfind(" ", 0, 61)]
        elif known := _KNOWN_AS.match(self.text, e):
            label += known.group(0)  # "a massacre known as Yekatit 12": what the text calls it is its name
        return " ".join(label.split())

    # --- attributes ----------------------------------------------------------------------

    def attach_times(self) -> None:
        for t in self.times:
            if self._quoted(t.span.start) or self._not_a_date_of(t):
                continue
            s, e = self.sentence(t.span.start)
            candidates = [
                d
                for d in self.drafts
                if d.sentence == (s, e)
                and self._time_fits(d, t)
                and not self._reported_under(t, d)
                and not self._other_clause(t, d)
                and not self._aside(t, d)
                and not self._names_another(t, d)
                and (t.rule != "offset-ahead" or 0 <= d.span.start - t.span.end <= 40)
            ]
            if not candidates:
                continue
            best = min(candidates, key=lambda d: (self._modifier(d), *self._closeness(d.span, t.span)))
            # "The 2020 Canadian Commemorative Ceremony ... went ahead on Sunday": the day refines the year
            finer = (
                best.time is not None
                and best.time.value is not None
                and t.value is not None
                and len(t.value) > len(best.time.value)
                and t.value.startswith(best.time.value)
            )
            if (
                best.time is None
                or finer
                or self._closeness(best.span, t.span) < self._closeness(best.span, best.time.span)
            ):
                best.time = t

    def _reported_under(self, t: TimeExpr, d: _Draft) -> bool:
        """ "An official confirmed Friday that X had tried to limit the ceremony": Friday dates the
        confirming, not the ceremony inside what was reported."""
        when = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        what = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if when is None or what is None:
            return False
        verb = next((v for v in when.root.ancestors if v.pos_ in ("VERB", "AUX")), None)
        if verb is None or verb.lemma_ not in _REPORTING_VERBS:
            return False
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i != when.root.i), None)
        if clause is None:
            return False

        def inside(tok: Token) -> bool:  # a subtree spans its left edge to its right edge
            return clause.left_edge.i <= tok.i <= clause.right_edge.i

        return inside(what.root) and not inside(when.root)

    def _aside(self, t: TimeExpr, d: _Draft) -> bool:
        """ "Mark Rutte, who will become NATO's head in October, met Macron": a date in a relative clause on
        someone or something else than the event dates that clause, not the event."""
        when = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        what = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if when is None or what is None:
            return False
        verb = next((v for v in when.root.ancestors if v.pos_ in ("VERB", "AUX")), None)
        if verb is None or verb.dep_ not in ("relcl", "acl") or verb.head.ent_type_ != "PERSON":
            return False  # "Mark Rutte, who will become ...": what is said of a person is that person's
        inside = {tok.i for tok in what}
        # a noun's own phrase holds what qualifies it ("the massacre of riflemen perpetrated on 1 December")
        own = inside if what.root.pos_ in ("VERB", "AUX") else {tok.i for tok in what.root.subtree}
        clause = {tok.i for tok in verb.subtree}
        return verb.head.i not in own and not inside & clause

    def _names_another(self, t: TimeExpr, d: _Draft) -> bool:
        """ "its liberation from Japan's 1910-45 colonial rule": a year set before a noun dates that noun,
        not an event the noun qualifies."""
        if t.value is None or len(t.value) != 4:
            return False
        when = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        what = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if when is None or what is None:
            return False
        noun = when.root.head
        if when.root.dep_ == "pobj" and noun.lower_ == "of" and noun.head.pos_ == "PROPN":
            # "the Hunger Winter of 1944-45": the year of a named period is that period's
            return noun.head.ent_type_ not in ("GPE", "LOC") and not what.start <= noun.head.i < what.end
        return (
            when.root.dep_ in ("nummod", "compound", "amod", "nmod", "npadvmod")
            and noun.pos_ in ("NOUN", "PROPN")
            and noun.i >= when.end
            and not what.start <= noun.i < what.end
        )

    def _other_clause(self, t: TimeExpr, d: _Draft) -> bool:
        """ "The monument was erected in 1985 to recognise the Soviet invasion": the year dates the
        erecting; a historical event inside another clause of the date's verb takes none of its dates."""
        if family(d.type) != "historical":
            return False
        when = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        what = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if when is None or what is None:
            return False
        inside = {tok.i for tok in what}
        verb = None
        for tok in when.root.ancestors:
            if tok.i in inside:
                return False  # "the invasion of Poland on 1 September 1939": the date hangs on the event
            if tok.pos_ in ("VERB", "AUX"):
                verb = tok
                break
        if verb is None or verb.i in inside:
            return False
        # "it was on 8 May 1945 that the Act of Surrender entered into force": the cleft's clause is the date's
        cleft = (
            {c.i for c in verb.children if c.dep_ in ("ccomp", "relcl") and c.pos_ in ("VERB", "AUX")}
            if verb.lemma_ == "be"
            else set()
        )
        tok = what.root
        while tok.i != verb.i and tok.i not in cleft:
            if tok.dep_ in ("relcl", "advcl") and any(c.lower_ == "when" and c.dep_ == "advmod" for c in tok.children):
                # "marking the moment 83 years ago when British forces surrendered": a when-clause is of that time
                return False
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ in _CLAUSES:
                return True
            if tok.head.i == tok.i:
                return False  # the date's verb does not govern the event at all
            tok = tok.head
        return False

    def _closeness(self, a: Span, b: Span) -> tuple[int, int]:
        """How near a date is to a trigger: first by the parse ("met in Beijing ahead of Wednesday's
        parade ... Victory Day on May 9": Wednesday hangs on the parade, May 9 on Victory Day), then
        by characters."""
        return self._tree_distance(a, b), self._distance(a, b)

    def _tree_distance(self, a: Span, b: Span) -> int:
        x = self.doc.char_span(a.start, a.end, alignment_mode="expand")
        y = self.doc.char_span(b.start, b.end, alignment_mode="expand")
        if x is None or y is None or x.root.sent.start != y.root.sent.start:
            return 99
        if b.start >= a.end and re.fullmatch(r"\s+(?:on|in)\s+", self.text[a.end : b.start]):
            return 1  # "the shootout on Friday night": the date right behind a trigger is its own
        up = {tok.i: n for n, tok in enumerate([x.root, *x.root.ancestors])}
        for n, tok in enumerate([y.root, *y.root.ancestors]):
            if tok.i in up:
                return n + up[tok.i]
        return 99

    def orphan_dates(self, times: list[TimeExpr] | None = None) -> None:
        """A dated clause no trigger claimed still reports something: "Russia acknowledged the
        massacre in 1990", "a submarine collided with a trawler in 2001". It becomes an event of
        type "other" labelled by its verb and object, dated and placed like any other."""
        used = {id(d.time) for d in self.drafts if d.time is not None}
        dated: dict[int, int] = {}  # a clause's verb -> the end of the last date it took
        for t in self.times if times is None else times:
            if id(t) in used or t.value is None or self._quoted(t.span.start) or self._not_a_date_of(t):
                continue
            if any(d.span.start <= t.span.start and t.span.end <= d.span.end and not d.clause for d in self.drafts):
                continue  # "the September 18 Incident": a day in an event's name dates no clause
            if re.search(r"\(\s*$", self.text[max(0, t.span.start - 3) : t.span.start]) and any(
                0 <= t.span.start - d.span.end <= 3 and not d.clause for d in self.drafts
            ):
                continue  # "The Second World War (1939-1945) left ...": the dates in brackets are the war's
            if t.precision == "decade" or t.rule in (
                "deictic-day",
                "relative-year",
                "relative-month",
                "month-no-year",
                "offset-ahead",
            ):
                continue  # "today", "this year": too vague to be an event's own date
            span = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
            if span is None:
                continue
            verb = span.root.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            if verb.lemma_ == "be":  # "It was only in 1990 that Moscow acknowledged ...": the clefted verb
                verb = next((c for c in verb.children if c.dep_ in ("ccomp", "relcl") and c.pos_ == "VERB"), verb)
            # a death this year or last is news of its own ("died on Sunday at the age of 98"); the
            # dead of the war are figures, not events
            death = verb.lemma_ == "die" and self.published is not None and t.value[:4] >= str(self.published.year - 1)
            # "since 1995, Shenyang has sounded the alarm every year": the year a remembrance began
            begun = self._since(t) and (
                verb.lemma_ in _BEGUN_VERBS or bool(_RECURRING.search(self.text[slice(*self.sentence(t.span.start))]))
            )
            if verb.pos_ not in ("VERB", "AUX") or (verb.lemma_ in _NOT_EVENT_VERBS and not death and not begun):
                continue
            if _negated(verb):
                continue  # "did not visit the shrine on Tuesday": what did not happen is no event
            if verb.idx >= len(self.text):
                continue
            if (owner := self._relative_owner(verb)) is not None:
                # "the first air raid on the city, which killed 235 people on February 19, 1942"; an event
                # dated already ("Operation Dynamo, where the vessels assisted ... in May 1940") keeps its date
                owner.time = owner.time or t
                continue
            if (framing := self._framing_event(verb, t)) is not None:
                # "thousands killed by Italian forces in 1937, in a massacre known as Yekatit 12": the
                # killing is the massacre, and its date the massacre's
                framing.time = framing.time or t
                continue
            if verb.i in dated and re.fullmatch(
                r"\s*(?:and|to|until|till|through|[-–—])\s*", self.text[dated[verb.i] : t.span.start]
            ):
                continue  # "operated between July 1942 and October 1943": one happening, from its first date
            dated[verb.i] = t.span.end
            words = [verb] + [
                c for c in verb.children if c.dep_ in ("dobj", "prt", "attr", "nsubjpass") and c.idx >= self.lead
            ]
            start = min(w.idx for w in words)
            end = max(w.idx + len(w.text) for w in words)
            obj = next(
                (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr") and c.idx >= self.lead), None
            )
            what = [verb.lemma_, *(c.text.lower() for c in verb.children if c.dep_ == "prt")]  # "kick off"
            if obj is not None and obj.pos_ == "PRON":
                # "the tribunal, which was convened in 1946": the pronoun stands for the noun the clause
                # qualifies; any other pronoun ("they", "it") names nothing in a label
                noun = verb.head if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") else None
                what += [self._words(noun, upto=noun)] if noun is not None else []
            elif obj is not None:
                what.append(self._words(obj))
            label = " ".join(what)
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if death and subject is not None:
                label = "death of " + self._words(subject)
            # the clause's verb says what happened; failing that, a ceremony or visit it names ("hosted
            # a procession"); failing that, a clause dated this year in news of remembrance remembers
            etype = "other" if death else "commemoration" if begun else _VERB_TYPES.get(verb.lemma_)
            if etype == "other" and verb.lemma_ in _KILLING and self._armed_agent(verb):
                etype = "massacre"  # "the 218 villagers killed by SS troops": people killed by men under arms
            # "Mussolini was captured ... and executed on April 28": one man's death is no massacre
            done_to = obj or (
                next((c for c in verb.head.children if c.dep_ in ("nsubjpass", "dobj")), None)
                if verb.dep_ == "conj"
                else None
            )
            if etype == "massacre" and done_to is not None and done_to.ent_type_ == "PERSON":
                etype = "other"
            if verb.lemma_ in ("receive", "host", "welcome", "greet") and obj is not None and obj.ent_type_ == "PERSON":
                etype = "meeting"  # "Putin received Xi at the Kremlin": a leader received is a meeting
            if verb.lemma_ in ("speak", "talk") and _BY_PHONE.match(self.text, verb.idx + len(verb.text)):
                etype = "meeting"  # "Macron and Scholz spoke by phone": a call, not a speech
            if verb.lemma_ in ("fly", "travel") and not any(
                c.dep_ == "prep" and c.lower_ in ("to", "into") for c in verb.children
            ):
                etype = None  # "flew missions over Luzon": a flight that goes nowhere is no visit
            if (
                etype == "bombing"
                and verb.lemma_ == "attack"
                and obj is not None
                and self.gaz.country(self._words(obj))
            ):
                etype = "invasion"  # "Nazi Germany attacked the Soviet Union": a country attacked is invaded
            phrase = " ".join(w.text for w in verb.subtree)
            if etype is None:
                # a day the clause names ("made 27 January Holocaust Remembrance Day") is not what it does
                unnamed = re.sub(_NAMED_DAY, "", phrase)
                etype = next((t for t, p in _TRIGGER_RE if family(t) in _REPORTED and p.search(unnamed)), None)
            if etype is None and verb.dep_ in ("relcl", "acl") and verb.head.ent_type_ == "PERSON":
                continue  # "Cameron, whose Conservatives won a majority in Thursday's vote": an aside on a person
            if etype is None and _ON_ANNIVERSARY.search(phrase):
                etype = "commemoration"  # "a menorah was placed near the ravine in 1991, on the 50th anniversary"
            if etype is None and self.published is not None and t.value[:4] == str(self.published.year):
                etype = "commemoration"
            if etype and family(etype) == "commemorative" and int(t.value[:4]) <= _WAR_END:
                etype = "other"  # "crowds gathered in the streets" in May 1945 commemorated nothing yet
            self.drafts.append(
                _Draft(
                    etype or "other",
                    Span(start, end, self.text[start:end]),
                    self.sentence(start),
                    label,
                    time=t,
                    clause=True,
                )
            )

    def _relative_owner(self, verb: Token) -> _Draft | None:
        """The historical event a relative clause tells of: its date is that event's."""
        if verb.dep_ != "relcl" or verb.lemma_ in ("end", "finish", "conclude", "close"):
            return None  # "the siege, which ended in December 1941": an event is dated by its start
        # "the air raid on the city, which killed ...": the clause may hang on the raid's own object
        nouns = [verb.head]
        while nouns[-1].dep_ in ("pobj", "prep") and len(nouns) < 5:
            nouns.append(nouns[-1].head)
        history = (d for d in self.drafts if not d.clause and family(d.type) == "historical")
        return next((d for d in history if any(d.span.start <= n.idx < d.span.end for n in nouns)), None)

    def _words(self, head: Token, limit: int = 60, upto: Token | None = None) -> str:
        """The words of ``head``'s phrase (or of its start ``upto`` a word) as the article writes them, cut
        at a word's end near ``limit``."""
        last = upto or head.right_edge
        appos = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i), None)
        if upto is None and appos is not None and appos.left_edge.i > head.i:
            last = head.doc[appos.left_edge.i - 1]  # "Heydrich, the acting Reich Protector, ...": Heydrich
        text = " ".join(self.text[head.left_edge.idx : last.idx + len(last)].split()).rstrip(" ,;:–—-")
        if head.left_edge.is_sent_start and head.left_edge.pos_ == "DET":
            text = text[:1].lower() + text[1:]  # "The memorial was demolished": "demolish the memorial"
        if len(text) <= limit:
            return text
        return text[: text.rfind(" ", 0, limit + 1)].rstrip(" ,;:–—-") if " " in text[:limit] else text[:limit]

    @staticmethod
    def _armed_agent(verb: Token) -> bool:
        """Whether the killing's doer is men under arms: "SS troops killed", "killed by German soldiers"."""
        agents = [c for c in verb.children if c.dep_ == "nsubj"]
        agents += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return any(a.lemma_.lower() in _ARMED for a in agents)

    def _framing_event(self, verb: Token, t: TimeExpr) -> _Draft | None:
        """A historical event the clause's verb happened in: "killed ... in a massacre", "died during the
        raid", "killed in 1937, in a massacre" (which the parse may hang on another verb)."""
        for d in self.drafts:
            if not d.clause and family(d.type) == "historical" and d.type != "war" and d.span.start > t.span.end:
                gap = self.text[t.span.end : d.span.start]
                if re.fullmatch(r",?\s+(?:in|during)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}", gap):
                    return d
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                for d in self.drafts:
                    if (
                        not d.clause
                        and family(d.type) == "historical"
                        and d.type != "war"
                        and d.span.start <= obj.idx < d.span.end
                    ):
                        return d
        return None

    def _not_a_date_of(self, t: TimeExpr) -> bool:
        """'since 2019', 'until 2036', or a recurring date ('held annually on May 9') date no event."""
        before = self.text[max(0, t.span.start - 12) : t.span.start]
        if re.search(r"\b(?:until|till|by|through|to)\s+$", before, re.I):
            return True
        if re.search(r"\bbetween\s+[^,;.]{1,30}?\s+and\s+$", self.text[max(0, t.span.start - 45) : t.span.start], re.I):
            return True  # "between November 1942 and January 1943": a span is dated by its start
        if re.search(r"\bsince\s+$", before, re.I) and (
            not self._since(t)
            or re.search(r"\bfirst\b[^,;.]{0,40}$", self.text[max(0, t.span.start - 60) : t.span.start])
        ):
            return True  # "since 2015" dates what began that year; "since May", "the first time since 2019" nothing
        if _DATELINE.match(self.text[t.span.end : t.span.end + 30]):
            return True  # "SEOUL, Aug. 13 (Yonhap) --": the day the story was filed, no event's
        if t.rule == "month-day-no-year" and self._names_a_day(t):
            return True  # "the UN made 27 January Holocaust Remembrance Day": which day, not when
        s, e = self.sentence(t.span.start)
        recurring = _RECURRING.search(self.text[s:e])
        return bool(recurring) and t.rule in ("month-day-no-year", "weekday", "named-day")

    def _names_a_day(self, t: TimeExpr) -> bool:
        """A day the sentence makes, declares or designates something, not a day something happened."""
        span = self.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        while tok.dep_ in ("compound", "nummod", "appos") and tok.head.i != tok.i:
            tok = tok.head
        return tok.dep_ in ("dobj", "oprd") and tok.head.lemma_ in _DEFINING

    def _since(self, t: TimeExpr) -> bool:
        """ "Since 1995, Shenyang has sounded the alarm every year": a year after "since" is when
        what still goes on began, an event of that year in the annotation's sense."""
        return t.precision == "year" and bool(
            re.search(r"\bsince\s+$", self.text[max(0, t.span.start - 8) : t.span.start], re.I)
        )

    def _anniversary_year(self, t: TimeExpr) -> bool:
        """A year after the war that an anniversary in its sentence counts to from a year of the war is
        the year of the remembering, not of what is remembered."""
        if t.value is None or int(t.value[:4]) <= _WAR_END:
            return False
        s, e = self.sentence(t.span.start)
        for m in _ANNIVERSARY.finditer(self.text, s, e):
            n = ordinal(m.group("ord"))
            if n is not None and 1914 <= int(t.value[:4]) - n <= _WAR_END:
                return True
        return False

    def _modifier(self, d: _Draft) -> bool:
        """'... during World War II lasted from 1941': a framing event does not own the sentence's dates."""
        return bool(
            re.search(
                r"\b(?:during|amid|throughout|before|after|since|following)\s+(?:the\s+)?$",
                self.text[max(0, d.span.start - 20) : d.span.start],
                re.I,
            )
        )

    def _distance(self, a: Span, b: Span) -> int:
        gap = b.start - a.end if b.start >= a.end else a.start - b.end
        # a date after "in"/"on" right behind the trigger binds tighter than one before it
        return max(gap, 0) * (1 if b.start >= a.end else 2)

    def _time_fits(self, d: _Draft, t: TimeExpr) -> bool:
        historical = (
            family(d.type) == "historical"
            or (d.entry is not None and d.entry.kind == "event")
            or bool(_SURVIVED.search(self.text[max(0, d.span.start - 60) : d.span.start]))
        )
        if t.value is None:
            return not historical
        if t.rule == "relative-month" and self._tree_distance(d.span, t.span) > 2:
            return False  # "who leaves office next month, called the visit": the aside's, not the visit's
        if family(d.type) == "commemorative" and int(t.value[:4]) <= _WAR_END:
            return False  # "marking the 77th anniversary of the 1945 breakout": the year is the breakout's
        if historical:
            if self._anniversary_year(t):
                return False  # "in 2015, at a ceremony marking the 70th anniversary of its end": 1945 + 70
            if self._since(t) and d.entry is not None:
                return False  # "since 1995 ... to commemorate the September 18 Incident": when remembering began
            if t.rule not in ("absolute", "year-range-start", "day-range-start", "years-ago", "offset", "offset-ahead"):
                return False
            if self._long_war(d):
                return False  # "World War II" beside "on May 9, 1945" frames the day; a war of years has no day
            return self.published is None or int(t.value[:4]) < self.published.year - 2
        if self.published is not None and t.rule == "absolute" and int(t.value[:4]) < self.published.year - 1:
            # an old year far from a ceremony belongs to what the ceremony recalls, unless it frames
            # the whole sentence ("In 2005, ... the victory celebration")
            s, _ = self.sentence(t.span.start)
            framing = re.fullmatch(r"\s*(?:In|in|On|on|Back in)\s*", self.text[s : t.span.start])
            # "the 75th anniversary parade, which was finally held on 24 June 2020": near in the parse
            near = self._tree_distance(d.span, t.span) <= 3
            # "who in 1995 became the first Polish president to visit the camp": the year dates the visit
            first = _FIRST_TO.fullmatch(self.text[t.span.end : d.span.start])
            return bool(framing) or near or bool(first) or self._distance(d.span, t.span) <= 40
        return True

    def attach_places(self) -> None:
        for d in self.drafts:
            s, e = d.sentence
            if d.entry is not None:
                for p_s, p_e, name in self.places:
                    if d.span.start <= p_s and p_e <= d.span.end:
                        d.place = self._place(name)
                if d.place is not None:
                    continue
            options = []
            historical = family(d.type) == "historical"
            if d.type in _STRUCK_TYPES | {"visit"} and (struck := self._object_place(d)) is not None:
                # "Nazi Germany invaded the Soviet Union": the invaded, not the invader; "visited Okinawa"
                d.place = struck
                continue
            # "the 80th anniversary of the Leyte Gulf Landings in Palo": a whole name's event is not where
            # the sentence's remembrance is
            whole = (
                historical
                and d.span.text[:1].isupper()
                and bool(re.search(r"[A-Z][\w’'-]*\s+$", self.text[s : d.span.start]))
            )
            for p_s, p_e, name in self.places:
                if not (s <= p_s < e) or (d.span.start <= p_s < d.span.end) or (whole and p_s >= d.span.end):
                    continue
                if historical and not re.fullmatch(
                    # "surrendered to Japanese forces in Bataan": past whom it was done to or by
                    r"(?:\s+(?:to|by)\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?)?\s*,?\s*(?:in|at|on|of|near|over|against)\s+(?:the\s+)?",
                    self.text[d.span.end : p_s],
                ):
                    continue  # background events take only a place named right after them
                prep = _DESTINATION if d.type == "visit" else _PLACE_PREP
                if not prep.search(self.text[max(s, p_s - 12) : p_s]) and not re.match(
                    r"^(?:'s|’s)", self.text[p_e : p_e + 2]
                ):
                    continue  # "troops from India" did not march in India
                if self._owns_person(p_e):
                    continue  # "in the presence of Mauritania's Mohamed Ould Ghazouani": his country, not the place
                ref = self._place(name)
                if ref is not None:
                    # "met New Zealand's Prime Minister ... in Wellington": a place named as an owner after the
                    # trigger owns a person; one the trigger happens in wins
                    owner = p_s >= d.span.end and not prep.search(self.text[max(s, p_s - 12) : p_s])
                    options.append((owner, abs(p_s - d.span.end), ref))
            trip = None if historical else self._trip_for(d)
            landmark = None if historical else _LANDMARK.search(d.label)
            after = None if historical or self._own_place(d) else self._landmark_after(d)
            if trip is None and after is not None:
                # "laid a wreath at the Monument to the Warsaw Uprising": the landmark right after the deed,
                # which the parse did not name, beats a place further on ("a concert in Piłsudski Square")
                d.place = Ref("place", after)
                continue
            if trip is not None:
                d.place = trip
            elif options:
                d.place = min(options, key=lambda x: x[:2])[2]
            elif landmark is not None:
                # "laid a wreath at the Isurava memorial": a landmark the parse did not find is still where
                d.place = Ref("place", landmark.group("n"))
            elif historical:
                # "the Nanjing Massacre", "the Soviet invasion of Latvia": the place its name holds
                agent = self._agent(d)
                named = [
                    n
                    for p_s, _, n in self.places
                    if s <= p_s < e and n in d.label and len(n) > 2 and not (agent[0] <= p_s < agent[1])
                ]
                if named and (ref := self._place(named[-1])) is not None and ref.kind != "person":
                    d.place = ref
                elif re.search(r"\b(?:its|their)\s+$", self.text[max(s, d.span.start - 8) : d.span.start]):
                    d.place = self._subject_place(d)

    def _owns_person(self, end: int) -> bool:
        """A place named as the owner of a person right after it: "Canada's Minister of Veterans Affairs
        Ginette Petitpas Taylor"."""
        owner = re.match(r"(?:'s|’s)\s+((?:[A-Z][\w’'-]*\s+(?:of\s+(?:the\s+)?)?){0,5})", self.text[end : end + 80])
        if owner is None:
            return False
        first = end + owner.end(1)
        return any(end < m.start <= first for person in self.people for m in person.mentions)

    def _object_place(self, d: _Draft) -> Ref | None:
        """The place a trigger verb acts on: "invaded the Soviet Union", "bombed Darwin", "liberated Paris",
        "visited Hiroshima"."""
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is None or span[0].pos_ != "VERB":
            return None
        if span[0].dep_ == "acl" and d.type in _STRUCK_TYPES:
            # "Wieluń, a town bombed by the Luftwaffe": the place the participle qualifies, or the one the
            # noun it qualifies stands beside
            noun = span[0].head
            for tok in (noun, noun.head if noun.dep_ == "appos" else noun):
                for p_s, p_e, name in self.places:
                    if p_s <= tok.idx < p_e:
                        return self._place(name)
        obj = next((c for c in span[0].children if c.dep_ == "dobj"), None)
        if obj is None:
            return None
        for p_s, p_e, name in self.places:
            if obj.left_edge.idx <= p_s and p_e <= obj.idx + len(obj.text):
                return self._place(name)
        return None

    def _agent(self, d: _Draft) -> tuple[int, int]:
        """Where the active subject of a trigger verb stands: "Italy invaded hours later" names the
        invader, not the place of the invasion."""
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is None or span.root.pos_ != "VERB":
            return (0, 0)
        subject = next((c for c in span.root.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return (0, 0)
        return (subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge))

    def _subject_place(self, d: _Draft) -> Ref | None:
        """ "The Soviet Union lost 27 million ... following its invasion": what "its" stands for is the
        sentence's subject, and an invasion, occupation or bombing of a country happens there."""
        if d.type not in ("invasion", "liberation", "bombing", "massacre"):
            return None
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root.sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        words = self.text[subject.left_edge.idx : subject.idx + len(subject.text)]
        ref = self._place(re.sub(r"^(?:the|The)\s+", "", words))
        return ref if ref is not None and ref.kind == "country" else None

    def _trip_for(self, d: _Draft) -> Ref | None:
        """ "traveled to Moscow to commemorate Russia's Victory Day": held where the trip went, not in
        the country whose day it is."""
        s, _ = d.sentence
        for p_s, p_e, name in self.places:
            if (
                s <= p_s
                and p_e <= d.span.start
                and _TRIP_TO.search(self.text[max(s, p_s - 40) : p_s])
                and _TRIP_FOR.fullmatch(self.text[p_e : d.span.start])
            ):
                return self._place(name)
        return None

    def _place(self, name: str) -> Ref | None:
        name = re.sub(r"(?:'s|’s)$", "", name.strip())
        name = re.sub(r"\s+(?:on|in|at|by|for|to)$", "", name)  # "the Great Hall of the People on": the parse ran over
        if re.search(r"\s(?:of|the|and|in|at)$", name):
            return None  # "the Battle of": a name the NER cut short is no place
        hits = self.gaz.lookup(name, "place", "country")
        if hits:
            return _as_written(hits[0].ref, name)
        country = self.gaz.country(name)
        if country is not None:
            return _as_written(country.ref, name)
        if self.gaz.lookup(name, "person", "organisation"):
            return None
        if len(name.rstrip(".")) <= 2:
            return None  # "St" of "St Helier", which the parse cut short, is no place
        return Ref("place", name)

    def attach_participants(self) -> None:
        for person in self.people:
            if not person.leader:
                continue
            for mention in person.mentions:
                for d in self.drafts:
                    reported = family(d.type) in ("commemorative", "diplomatic")
                    if reported and d.sentence[0] <= mention.start < d.sentence[1] and person.ref not in d.participants:
                        d.participants.append(person.ref)

    def inherit_dates(self) -> None:
        """A reported ceremony or visit with no date of its own happened on the day the article
        reports (the nearest dated current event before it, else after it); future plans excepted."""
        reported = [d for d in self.drafts if d.merged is None and family(d.type) in ("commemorative", "diplomatic")]
        dated = [
            d
            for d in reported
            if d.time is not None
            and d.time.value
            and self._current(d)
            and d.time.rule != "inherited"
            # "will visit Tokyo later this month": a plan lends no day to what was reported
            and not (d.time.rule == "relative-month" and _FUTURE_CUE.search(self.text[slice(*d.sentence)]))
        ]
        # a named day ("Holocaust Remembrance Day") has its own day or none; it lends, never borrows
        current = [d for d in reported if not (d.entry is not None and d.entry.date)]
        if self.published is None:
            return
        if not dated:
            # nothing dated: a ceremony the news reports happened on the day its lead names ("joined veterans
            # in Ver-sur-Mer on Thursday"), failing that on the day it was published
            today = self.published.isoformat()
            lead = self._lead_day()
            for d in current:
                sentence = self.text[d.sentence[0] : d.sentence[1]]
                if d.time is None and family(d.type) == "commemorative" and not _FUTURE_CUE.search(sentence):
                    d.time = (
                        TimeExpr(lead.span, lead.value, "day", "inherited", lead.anchor)
                        if lead is not None
                        else TimeExpr(d.span, today, "day", "publication", today)
                    )
            return
        for d in current:
            if d.time is not None or _FUTURE_CUE.search(self.text[d.sentence[0] : d.sentence[1]]):
                continue
            if _BEFORE_CUE.match(self.text[d.span.end : d.sentence[1]]):
                continue  # "met in Beijing ahead of Wednesday's parade": some day before it, unsaid
            # the dated event its own sentence ties it to ("traveled to Moscow to commemorate Victory
            # Day"), else the nearest dated one before it, else the first
            near = [
                x
                for x in dated
                if x.sentence == d.sentence
                and self._tree_distance(x.span, d.span) < 99
                and not self._in_aside_apart(x, d)
            ]
            before = [x for x in dated if x.span.start < d.span.start and not self._in_aside_apart(x, d)]
            if near:
                source = min(near, key=lambda x: self._closeness(x.span, d.span)).time
            else:
                source = (before[-1] if before else dated[0]).time
            assert source is not None
            d.time = TimeExpr(source.span, source.value, source.precision, "inherited", source.anchor)

    def _in_aside_apart(self, x: _Draft, d: _Draft) -> bool:
        """Whether ``x`` is told in a relative clause that ``d`` is outside of: "Zelenskyy, who met Biden in
        Paris on Friday, also attended the ceremony" (the meeting's Friday is not the ceremony's day)."""
        span = self.doc.char_span(x.span.start, x.span.end, alignment_mode="expand")
        if span is None:
            return False
        clause = next((t for t in [span.root, *span.root.ancestors] if t.dep_ == "relcl"), None)
        if clause is None:
            return False
        return not (clause.left_edge.idx <= d.span.start < clause.right_edge.idx + len(clause.right_edge))

    def _lead_day(self) -> TimeExpr | None:
        """The day this week the first paragraph says something happened ("on Thursday", "yesterday")."""
        end = self.text.find("\n")
        end = len(self.text) if end == -1 else end
        for t in self.times:
            if t.span.start >= end:
                break
            past = t.value is not None and self.published is not None and t.value <= self.published.isoformat()
            if t.rule in ("weekday", "deictic-day") and past and not self._quoted(t.span.start):
                return t
        return None

    def anniversaries(self) -> None:
        for m in _ANNIVERSARY.finditer(self.text):
            n = ordinal(m.group("ord"))
            if n is None:
                continue
            target = self._commemorated(m.start("what"), m.group("what"), anniversary=True)
            owner = self._commemoration_near(m.start(), target)
            if owner is not None and target is not None:
                owner.commemorates, owner.stated = target, n
            elif target is not None and target.time is None and self.published is not None:
                # "This year marks the 75th anniversary of the abolition of the ghetto": 75 years back
                year = str(self.published.year - n)
                target.time = TimeExpr(target.span, year, "year", "anniversary", self.published.isoformat())
        for m in _YEARS_SINCE.finditer(self.text):
            # "to mark 80 years since the battle": an anniversary in other words
            n = int(m.group("n")) if m.group("n").isdigit() else word_number(m.group("n"))
            if n is None or not 1 <= n <= 200:
                continue
            target = self._commemorated(m.start("what"), m.group("what"))
            owner = self._commemoration_near(m.start(), target)
            if owner is not None and target is not None and owner.commemorates is None:
                owner.commemorates, owner.stated = target, n
        for m in _COMMEMORATES.finditer(self.text):
            target = self._commemorated(m.start("what"), m.group("what"))
            owner = self._commemoration_near(m.start(), target)
            if owner is not None and target is not None and owner.commemorates is None:
                owner.commemorates = target

    def _commemorated(self, start: int, what: str, anniversary: bool = False) -> _Draft | None:
        what = re.split(r"\s+(?:on|with|in\s+(?:Moscow|Beijing|the\s+capital)|and\s+(?:to|remember))\s+", what)[0]
        end = start + len(what)
        day = self.gaz.lookup(what, "commemoration")
        if day and day[0].commemorates and (event := self.gaz.by_id.get(day[0].commemorates)) is not None:
            # "the 75th anniversary of VE Day": the day recalls an event (Germany's surrender)
            for d in self.drafts:
                if d.wikidata == event.wikidata and family(d.type) == "historical":
                    return d
            d = _Draft(
                event.event_type or "other",
                Span(start, end, self.text[start:end]),
                self.sentence(start),
                event.name,
                wikidata=event.wikidata,
                entry=event,
            )
            self.drafts.append(d)
            return d
        if not day and re.match(rf"(?:the\s+|its\s+|their\s+)?{_NAMED_DAY}", what):
            return None  # "marked Liberation Day": the day is the commemoration; what it recalls, the text does not say
        inside = [d for d in self.drafts if start <= d.span.start < end and family(d.type) == "historical"]
        # "a night of air raids during World War II", "the WWII battle of El Alamein": the raids, the battle
        inside.sort(key=lambda d: (d.type == "war", d.span.start))
        phase = re.match(
            r"(?:the\s+)?(?P<p>lifting|liberation|end|start|beginning|outbreak|breaking)\s+of\s+", what, re.I
        )
        if inside and phase and inside[0].span.start >= start + phase.end():
            # "the lifting of the siege of Leningrad in January 1944": a phase of the siege, with its date
            inner = inside[0]
            etype = "liberation" if phase.group("p").lower() in ("lifting", "liberation", "breaking") else "war"
            label = what.strip()[:1].upper() + what.strip()[1:]
            d = _Draft(etype, Span(start, end, self.text[start:end]), self.sentence(start), label)
            if inner.time is not None and start <= inner.time.span.start < end + 30:
                d.time, inner.time = inner.time, None
            self.drafts.append(d)
            return d
        if inside:
            return inside[0]
        hits = None
        for size in range(len(what.split()), 0, -1):
            for i in range(len(what.split()) - size + 1):
                phrase = " ".join(what.split()[i : i + size])
                hits = self.gaz.lookup(phrase, "event")
                if hits:
                    break
            if hits:
                break
        if not hits and not re.match(
            r"(?:the\s+)?(?:[A-Z][\w’'-]*\s+)?(?:end|victory|start|beginning|outbreak|liberation|lifting|landings?|bombing|"
            r"attack|massacre|uprising|defeat|surrender|invasion|siege|battle|war)\b",
            what,
            re.I,
        ):
            if not anniversary or not re.match(
                r"(?:the\s+)?(?:[A-Z][\w’'-]*\s+)*[a-z]+(?:ion|ment|al|ure|ing)s?\b", what
            ):
                return None  # what is commemorated must be named by its head noun, not merely contain one
            # "the 50th anniversary of the awarding of the medal": a happening, whatever its kind
            label = what.strip()
            d = _Draft(
                "other", Span(start, end, self.text[start:end]), self.sentence(start), label[:1].upper() + label[1:]
            )
            self.drafts.append(d)
            return d
        entry = hits[0] if hits else None
        # what the words say it was; failing that, what the record says ("the September 18 Incident")
        said = next((t for t, p in _TRIGGER_RE if family(t) == "historical" and p.search(what)), None)
        etype = said or (entry.event_type if entry is not None else None) or "war"
        if re.search(r"\blifting\b|\bliberation\b", what, re.I):
            etype = "liberation"
        span = Span(start, end, self.text[start:end])
        label = what.strip()
        label = label[:1].upper() + label[1:]
        d = _Draft(etype, span, self.sentence(start), label, wikidata=entry.wikidata if entry else None, entry=entry)
        self.drafts.append(d)
        return d

    def _commemoration_near(self, pos: int, target: _Draft | None) -> _Draft | None:
        s, e = self.sentence(pos)
        options = [
            d for d in self.drafts if d.sentence == (s, e) and family(d.type) == "commemorative" and d is not target
        ]
        if not options:
            return None
        before = [d for d in options if d.span.start <= pos]
        return before[-1] if before else options[0]

    # --- merging and output --------------------------------------------------------------

    def merge(self) -> None:
        for i, d in enumerate(self.drafts):
            if d.merged is not None:
                continue
            roots = {id(x.root): x.root for x in self.drafts[:i]}.values()
            same = [o for o in roots if o is not d and self._same(o, d)]
            if not same:
                continue
            # "The ceremony marked the 80th anniversary": a mention joins the happening its sentence names
            o = next((x for x in same if x.sentence == d.sentence), same[0])
            d.merged = o
            self._absorb(o, d)

    def _same(self, a: _Draft, b: _Draft) -> bool:
        if family(a.type) != family(b.type):
            return False
        if a.wikidata and b.wikidata:
            return a.wikidata == b.wikidata
        if a.entry is not None and a.entry is b.entry:
            return True  # two mentions of one recorded event, Wikidata ID or not
        if family(a.type) == "historical" and a.type == b.type and _same_day(a.time, b.time):
            return True  # "Nazi Germany invaded the Soviet Union" and "Operation Barbarossa", both of 22 June 1941
        if (a.entry is None) != (b.entry is None) and (a if a.entry is None else b).type != "commemoration":
            return False  # Victory Day is not "the upcoming parade", though both are this year's
        if family(a.type) == "historical":
            if a.type != b.type:
                return False
            if a.time and b.time:
                return a.time.value == b.time.value
            return bool(a.place and b.place and a.place == b.place) or (
                a.time is None and b.time is None and key(a.label) == key(b.label)
            )
        # "began deporting on July 22, 1942" and "operated between July 1942 and ...": two happenings in
        # the month; a bare year ("in 1943") may be either
        da, db = (a.time.value if a.time else None), (b.time.value if b.time else None)
        if family(a.type) == "other" and da and db and da != db and min(len(da), len(db)) >= len("1942-07"):
            return False
        if family(a.type) == "other" and a.clause != b.clause and a.sentence != b.sentence:
            return False  # "the 1945 uprising" and, a sentence on, "Mussolini ... executed on April 28": two
        # a parade, a ceremony and the day's commemorations are three happenings; a visit is no meeting
        if a.type != b.type and not self._part_of(a, b):
            return False
        if a.type == b.type and (_ANOTHER.search(self.text[max(0, b.span.start - 50) : b.span.start])):
            return False  # "a separate commemorative ceremony", "another parade": the words say it is not the first
        where = self._where_said(a), self._where_said(b)
        if None not in where and where[0] != where[1]:
            return False  # "the Moscow V-Day parade" and "the parade in Sevastopol's harbour" are two parades
        if (
            a.type != b.type
            and "speech"
            not in (a.type, b.type)  # "towards the end of his speech": a speech is given at the day's event
            and (where[0] is None) != (where[1] is None)
            and self._national(a if where[0] is None else b)
            and self._paragraphs_apart(a, b)
        ):
            # "Italy marked the 80th anniversary" and, paragraphs on, "a march in Milan": the nation's day and a part
            return False
        scene = self._scene(a), self._scene(b)
        if scene != (None, None):
            # "In Tokyo, Ishiba attended a memorial service": a sentence that opens on a place sets a
            # scene of its own, and what happens there is not what happened elsewhere
            at = [s_ or w or (d.place.name if d.place else None) for s_, w, d in zip(scene, where, (a, b), strict=True)]
            if None not in at and at[0] != at[1]:
                return False
        if da and db:
            return _agree(a.time, b.time)
        if (da is None) != (db is None):
            if a.sentence == b.sentence:
                return True  # "in 2015, at a ceremony in Tokyo marking the 70th anniversary": one happening
            undated, dated = (a, b) if da is None else (b, a)
            day = dated.time.value if dated.time else None
            if day and len(day) == 10 and dated.span.start - undated.span.end > _FAR and day != self._news_day():
                return False  # "held a parade in the morning ... On January 18, a parade": the first is today's
        if da is None and db is None:
            return a.type == b.type or family(a.type) == "commemorative"
        return self._current(a) and self._current(b) and (a.type == b.type or family(a.type) == "commemorative")

    def _news_day(self) -> str | None:
        """The day the article reports: the first ceremony or visit dated to a day of this year or
        last, else the publication date."""
        reported = [
            d
            for d in self.drafts
            if family(d.type) in ("commemorative", "diplomatic")
            and d.time is not None
            and d.time.precision == "day"
            and self._current(d)
        ]
        if reported:
            return min(reported, key=lambda d: d.span.start).time.value  # type: ignore[union-attr]
        return self.published.isoformat() if self.published else None

    def _own_place(self, d: _Draft) -> str | None:
        """The place named right after a mention: "laid a wreath at the Tomb of the Unknown Soldier",
        "a candle-lighting ceremony at Poklonnaya Gora"."""
        if d.span.end not in self._owned:  # asked of every pair of drafts: found once per mention's end
            self._owned[d.span.end] = self._find_own_place(d)
        return self._owned[d.span.end]

    def _find_own_place(self, d: _Draft) -> str | None:
        for p_s, _, name in self.places:
            if p_s > d.span.end and re.fullmatch(r"\s+(?:at|in|on)\s+(?:the\s+)?", self.text[d.span.end : p_s]):
                ref = self._place(name)
                if ref is not None and ref.kind != "country":
                    return re.sub(r"^the\s+", "", ref.name, flags=re.I)
        return None

    def _national(self, d: _Draft) -> bool:
        """A happening a country holds: "Italy marked the 80th anniversary"."""
        m = re.match(r"([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})\s", d.label)
        return m is not None and self.gaz.country(m.group(1)) is not None

    def _paragraphs_apart(self, a: _Draft, b: _Draft) -> bool:
        first, last = sorted((a.span.start, b.span.start))
        return "\n" in self.text[first:last]

    def _where_said(self, d: _Draft) -> str | None:
        """The place a mention's own words give: in its name, right after it, or a landmark right after
        it ("a ceremony at Kranji War Cemetery" and "a memorial service at the Civilian War Memorial" are two)."""
        return self._named_place(d) or self._own_place(d) or self._landmark_after(d)

    def _landmark_after(self, d: _Draft) -> str | None:
        """A landmark named right after a mention, which the parse may not have found: "at Kranji War Cemetery"."""
        after = _LANDMARK_AFTER.match(self.text, d.span.end)
        return " ".join(after.group("n").split()) if after is not None else None

    def _scene(self, d: _Draft) -> str | None:
        """The place a sentence opens on: "In Berlin, the president laid a wreath"."""
        if d.sentence not in self._scenes:  # asked of every pair of drafts: found once per sentence
            self._scenes[d.sentence] = self._find_scene(d.sentence)
        return self._scenes[d.sentence]

    def _find_scene(self, sentence: tuple[int, int]) -> str | None:
        s, e = sentence
        m = re.match(r"\s*(?:In|At)\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}),", self.text[s:e])
        if m is None or not any(p_s == s + m.start(1) for p_s, _, _ in self.places):
            return None  # a place the parse found there: not "In March," or "In Brief,"
        ref = self._place(m.group(1))
        return ref.name if ref is not None and ref.kind != "person" else None

    def _named_place(self, d: _Draft) -> str | None:
        """The place a mention's own words name ("the Moscow V-Day parade"), not one its sentence lends."""
        for _, _, name in self.places:
            if len(name) > 2 and name in d.label:
                ref = self._place(name)
                if ref is not None and ref.kind != "country":
                    return ref.name
        return None

    @staticmethod
    def _part_of(a: _Draft, b: _Draft) -> bool:
        """A speech is given at another happening; "marking the 80th anniversary" says what another marks."""
        if "speech" in (a.type, b.type):
            return True
        return any(d.type == "commemoration" and "anniversary" in d.label.lower() for d in (a, b))

    def known_history(self) -> None:
        """A recorded historical event takes its gazetteer date where the text gives less ("78 years
        ago" gives a year, the entry the day); a date the text states and the entry contradicts stays."""
        for d in self.drafts:
            if d.merged is not None or family(d.type) in ("commemorative", "diplomatic"):
                continue
            if d.entry is not None and d.entry.kind == "event":
                entry: Entry | None = d.entry
            else:
                entry = None if d.clause else self._known(d)
            phase = re.match(r"(?:the\s+)?(end|lifting|fall|start|beginning|outbreak)\s+of\b", d.label, re.I)
            if phase and entry is not None and d.entry is None:
                # "the end of the Battle of Stalingrad" ended when the entry did; no war's end, which
                # differs by theatre (8 May in Europe, 2 September in Asia)
                edge = entry.end if phase.group(1).lower() in ("end", "lifting", "fall") else entry.start
                if edge and entry.event_type != "war" and (d.time is None or edge.startswith(d.time.value or "-")):
                    stated = d.time.value if d.time is not None else None
                    d.time = TimeExpr(d.time.span if d.time else d.span, edge, _precision(edge), "gazetteer", stated)
                continue
            if entry is None or not entry.start or _months(entry.start, entry.end) > 2:
                continue  # a war or the Holocaust frames a story; its first day is no date of it
            stated = d.time.value if d.time is not None else None
            if d.entry is None and stated and not self._near(stated, entry) and not self._current(d):
                # "British forces surrendered" 83 years ago is no surrender of Japan in 1945, nor "the German
                # garrison surrendered on April 25, 1945" Germany's of 8 May
                continue
            if d.entry is None:
                d.entry, d.wikidata = entry, d.wikidata or entry.wikidata
                if not names_something(d.label):
                    d.label = entry.name  # "the fierce, month-long battle" is the Battle of Manila
                if d.type == "other" and entry.event_type:
                    d.type = entry.event_type  # "the attack on Pearl Harbor" was a bombing
            if d.place is None and entry.place:
                d.place = self._place(entry.place)
            stated = d.time.value if d.time is not None else None
            if stated and self.published and int(stated[:4]) >= self.published.year - 1 > int(entry.start[:4]):
                stated, d.time = None, None  # this week's date belongs to this week's news, not to 1941
            if stated is None or (entry.start.startswith(stated) and len(entry.start) > len(stated)):
                span = d.time.span if d.time is not None else d.span
                d.time = TimeExpr(span, entry.start, _precision(entry.start), "gazetteer", stated)

    def _known(self, d: _Draft) -> Entry | None:
        """The gazetteer event whose every content word the draft's label holds ("the liberation of
        the Nazis' Auschwitz-Birkenau death camp" -> Liberation of Auschwitz), when just one does."""
        tail = re.match(r"[^,.;:()\n\"“”]{0,80}", self.text[d.span.start :])
        words = set(key(d.label).split()) | set(key(tail.group(0) if tail else "").split())
        # "Nazi Germany surrendered" names "Nazi Germany's surrender": a verb's lemma is its event's word
        span = self.doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
        if span is not None:
            words |= {key(t.lemma_) for t in span if t.pos_ == "VERB"}
            words |= self._owner_words(span)
        found = self.gaz.events_named_within(words)
        if not found and not names_something(d.label) and d.time is not None and d.time.precision == "day":
            # "a massacre which on October 3, 1943 cost the lives of 93": the one recorded massacre of that day
            found = self.gaz.events_begun_on(d.time.value or "", d.type)
        if len(found) > 1 and found[0].start and len({e.start for e in found}) == 1:
            # "the Allied invasion of Normandy": the landings, not the whole operation begun that day
            found = [min(found, key=lambda e: _months(e.start or "", e.end))]
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _owner_words(span: SpacySpan) -> set[str]:
        """ "Hiroshima marked the anniversary of its atomic bombing": "its" is the clause's subject's; so is
        what a place remembers ("Hiroshima marked 70 years since the atomic bombing")."""
        its = next((t for t in span.root.children if t.dep_ == "poss" and t.lower_ in ("its", "their")), None)
        verb = next((t for t in span.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
        if its is None and (verb is None or verb.lemma_ not in _BEGUN_VERBS):
            return set()
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb else None
        if subject is None:
            return set()
        if its is None and subject.ent_type_ != "GPE":
            return set()  # "Delegates marked 75 years since the battle": no place, no owner
        return {key(t.text) for t in subject.subtree if t.pos_ == "PROPN"}

    def _current(self, d: _Draft) -> bool:
        if d.time is None or d.time.value is None or self.published is None:
            return d.time is None
        return abs(int(d.time.value[:4]) - self.published.year) <= 1

    def _absorb(self, keep: _Draft, other: _Draft) -> None:
        if _PRIORITY.get(other.type, 9) < _PRIORITY.get(keep.type, 9) and family(other.type) == family(keep.type):
            keep.type, keep.label = other.type, other.label
        if keep.time is None or (
            other.time is not None
            and keep.time.value
            and other.time.value
            and len(other.time.value) > len(keep.time.value)
        ):
            keep.time = other.time or keep.time
        keep.place = keep.place or other.place
        for p in other.participants:
            if p not in keep.participants:
                keep.participants.append(p)
        if keep.commemorates is None and other.commemorates is not None:
            keep.commemorates, keep.stated = other.commemorates, other.stated
        keep.wikidata = keep.wikidata or other.wikidata

    def events(self) -> list[Event]:
        self.gazetteer_events()
        self.trigger_events()
        self.attach_times()
        self.orphan_dates()
        self.attach_places()
        self.attach_participants()
        self.anniversaries()
        self.merge()
        self.known_history()
        self._merge_known()
        self._merge_generic()
        self._offsets_from_events()
        self.inherit_dates()
        self._day_of_one_ceremony()
        for d in [d for d in self.drafts if d.merged is None]:
            target = d.commemorates.root if d.commemorates is not None else None
            if (
                target is not None
                and target.time is None
                and d.stated
                and d.time
                and d.time.value
                and d.time.precision in ("day", "year")
                and not self._long_war(target)
            ):
                # "the 65th anniversary of the end of the war" on 2010-05-09: the war ended in 1945
                year = int(d.time.value[:4]) - d.stated
                try:  # the same day that many years before, unless that was no day (29 February)
                    value, precision = date.fromisoformat(f"{year:04d}{d.time.value[4:]}").isoformat(), "day"
                except ValueError:
                    value, precision = str(year), "year"
                borrowed = d.time.rule == "publication" or (
                    d.time.rule == "inherited" and not d.sentence[0] <= d.time.span.start < d.sentence[1]
                )
                if borrowed:
                    value, precision = str(year), "year"  # a day borrowed from other news is no anniversary day
                target.time = TimeExpr(target.span, value, precision, "anniversary", d.time.value)
        self._merge_same_day()  # "marking 83 years since Nazi Germany invaded": Operation Barbarossa, once dated
        roots = [d for d in self.drafts if d.merged is None]
        keys: dict[int, str] = {}
        for d in roots:
            k = f"e{d.span.start}-{d.span.end}"
            while k in keys.values():
                k += "x"
            keys[id(d)] = k
        where = self._headline_place() or self._dateline_place()
        for d in roots:
            self._anniversary_day(d)
            if d.place is None and family(d.type) == "commemorative" and d.time is not None and self._current(d):
                d.place = where  # the day's ceremonies are where the headline says they were
        out: list[Event] = []
        for d in sorted(roots, key=lambda d: d.span.start):
            target = d.commemorates.root if d.commemorates is not None else None
            keep = (
                d.time is not None
                or d.place is not None
                or d.participants
                or d.wikidata
                or target is not None
                or any(x.commemorates is not None and x.commemorates.root is d for x in roots)
            )
            if family(d.type) == "diplomatic" and d.place is None and not d.participants:
                # "a visit", "the meeting" with no one and nowhere: no visit or meeting this story reports
                keep = d.time is not None and d.time.rule not in ("inherited", "weekday", "deictic-day")
            if not keep:
                continue
            computed = None
            if target is not None and target.time and target.time.value and d.time and d.time.value:
                computed = int(d.time.value[:4]) - int(target.time.value[:4])
                if target.time.rule == "anniversary":
                    computed = d.stated
            out.append(
                Event(
                    key=keys[id(d)],
                    type=d.type,
                    label=d.label,
                    span=d.span,
                    time=d.time,
                    place=d.place,
                    participants=tuple(d.participants),
                    commemorates=keys.get(id(target)) if target is not None else None,
                    anniversary_stated=d.stated,
                    anniversary_computed=computed if d.stated or computed else None,
                    background=self._background(d),
                    wikidata=d.wikidata,
                    clause=d.clause and d.entry is None,
                )
            )
        kept = {e.key for e in out}
        return [replace(e, commemorates=e.commemorates if e.commemorates in kept else None) for e in out]

    def _headline_place(self) -> Ref | None:
        """The place the headline names ("... celebrated in Banská Bystrica"), as the body spells it."""
        title = self.article.title or ""
        if not title:
            return None
        for _, _, name in self.places:
            if len(name) > 2 and _holds_word(title, name):
                ref = self._place(name)
                if ref is not None and ref.kind != "country":
                    return ref
        # "... celebrated in Banská Bystrica": a capitalised name after "in" the body also holds
        for m in _HEADLINE_PLACE.finditer(title):
            name = m.group(1)
            if _holds_word(self.text, name) and self.gaz.country(name) is None:
                return self._place(name)
        return None

    def _dateline_place(self) -> Ref | None:
        """The city a wire story is filed from ("ITOMAN, Japan (AP) —"), where its day's ceremonies were
        unless the text says otherwise."""
        if self.dateline is None:
            return None
        ref = self._place(self.dateline.group("city").title())
        return ref if ref is not None and ref.kind != "person" else None

    def _offsets_from_events(self) -> None:
        """ "The next day, Roosevelt asked Congress ...", "Just three days later, Germany declared war":
        an offset the text gave no day for counts from the last dated happening told before it, its
        date perhaps known only from history (the attack on Pearl Harbor), and dates a clause of its own."""
        taken = [(t.span.start, t.span.end) for t in self.times]
        found: list[TimeExpr] = []
        for m in OFFSET.finditer(self.text):
            if any(a < m.end() and m.start() < b for a, b in taken) or self._quoted(m.start()):
                continue
            told = [
                (d.span.start, d.root.time.value)
                for d in self.drafts
                if d.span.end <= m.start()
                and d.root.time is not None
                and d.root.time.precision == "day"
                and d.root.time.value
            ]
            # "Tuesday marks the 80th anniversary of the surprise strike. The next day, ...": what the
            # anniversary recalls was told after the day it is marked
            told += [
                (d.span.end, target.time.value)
                for d in self.drafts
                if d.span.end <= m.start()
                and (owner := d.commemorates or d.root.commemorates) is not None
                and (target := owner.root).time is not None
                and target.time.precision == "day"
                and target.time.value
            ]
            told += [(t.span.start, t.value) for t in found if t.span.end <= m.start() and t.value]
            if not told:
                continue
            last = max(pos for pos, _ in told)
            # of two days told at one place, the earlier: a weekday misread as this week's is no anchor
            time = offset_from(m, min(value for pos, value in told if pos == last))
            if time is not None:
                found.append(time)
                self.times.append(time)
        if found:
            self.orphan_dates(found)

    def _day_of_one_ceremony(self) -> None:
        """ "Yom HaShoah opened with an official ceremony at Yad Vashem": a named day whose one ceremony
        the story reports is that ceremony, unless other mentions speak of the day's commemorations."""
        roots = [d for d in self.drafts if d.merged is None]
        for d in roots:
            if d.entry is None or d.entry.kind != "commemoration" or d.time is None or d.time.precision != "day":
                continue
            if any(x.root is d and x is not d and x.entry is None for x in self.drafts):
                continue
            held = [
                x
                for x in roots
                if x.merged is None
                and x.entry is None
                and x.type == "ceremony"
                and x.time is not None
                and x.time.value == d.time.value
            ]
            if len(held) == 1:
                keep = held[0]
                d.merged = keep  # the ceremony is no instance of the day's Wikidata item: its ID stays behind
                keep.place = keep.place or d.place
                keep.participants.extend(p for p in d.participants if p not in keep.participants)
                if keep.commemorates is None and d.commemorates is not None:
                    keep.commemorates, keep.stated = d.commemorates, d.stated

    def _merge_generic(self) -> None:
        """ "the uprising" in a story that names one uprising ("the Warsaw Ghetto Uprising") is that one,
        unless it has a past date of its own that is not that one's ("the surrender signed at Reims on 7 May"
        beside "the German surrender" of 8 May; "The uprising began on Aug. 1, 1944" is the uprising)."""
        roots = [d for d in self.drafts if d.merged is None and family(d.type) in ("historical", "other")]
        named = [d for d in roots if names_something(d.label)]
        for d in roots:
            if names_something(d.label) or d.clause:
                continue
            head = d.span.text.lower().rstrip("s")
            same = [n for n in named if n is not d and head in n.label.lower()]
            if len(same) == 1 and (d.time is None or self._current(d) or _agree(d.time, same[0].time)):
                d.merged = same[0]
                self._absorb(same[0], d)

    def _merge_known(self) -> None:
        """Mentions linked to one recorded event only once its history was read ("the Allied invasion
        of Normandy" and "the Normandy landings") are one event."""
        first: dict[int, _Draft] = {}
        for d in self.drafts:
            if d.merged is not None or d.entry is None or family(d.type) != "historical":
                continue
            keep = first.setdefault(id(d.entry), d)
            if keep is d:
                continue
            if keep.clause and not d.clause:  # "slaughter" joins "the Nanjing Massacre", not the reverse
                first[id(d.entry)], keep, d = d, d, keep
            d.merged = keep
            self._absorb(keep, d)
        self._merge_same_day()
        known = [d for d in self.drafts if d.merged is None and d.entry is not None and family(d.type) == "historical"]
        # "the executions in April 1940" in a story of the Katyn massacre: a mention of the kind of the one
        # recorded event whose course holds its date is that event; a phase ("the end of the siege") is not
        for d in self.drafts:
            if d.merged is not None or d.entry is not None or d.clause or d.time is None or not d.time.value:
                continue
            if _PHASE_BEFORE.search(self.text[max(0, d.span.start - 30) : d.span.start]):
                continue
            same = [
                k
                for k in known
                if k.merged is None
                and k.type == d.type != "war"
                and not self._long_war(k)
                and self._within(d.time.value, k.entry)
            ]
            if len(same) == 1:
                d.merged = same[0]
                self._absorb(same[0], d)

    def _merge_same_day(self) -> None:
        """ "it was on 8 May 1945 that the Act of Unconditional Surrender entered into force": a dated clause,
        or a mention of the same kind, is the recorded event of that very day."""
        known = [d for d in self.drafts if d.merged is None and d.entry is not None and family(d.type) == "historical"]
        for d in self.drafts:
            if d.merged is not None or d.entry is not None or d.time is None or d.time.precision != "day":
                continue
            same = [
                k
                for k in known
                if k.time is not None
                and k.time.value == d.time.value
                and ((d.clause and k.sentence == d.sentence) or k.type == d.type or self._names_part_of(d, k))
            ]
            if len(same) == 1:
                d.merged = same[0]
                self._absorb(same[0], d)
        # "the 80th anniversary of the Leyte Gulf Landings ... The landings began on Oct. 20, 1944": two
        # mentions of a kind, one dated by its anniversary, the other by the text, are one happening
        days = [
            d
            for d in self.drafts
            if d.merged is None and family(d.type) == "historical" and d.time is not None and d.time.precision == "day"
        ]
        for i, d in enumerate(days):
            first = next(
                (k for k in days[:i] if k.merged is None and k.type == d.type and _same_day(k.time, d.time)), None
            )
            if first is not None and d.merged is None:
                d.merged = first
                self._absorb(first, d)

        # "The bomb killed an estimated 140,000 people by the end of 1945": a typed clause dated only by its
        # year tells more of the happening of that kind told before it, on a day of that year
        for d in self.drafts:
            if d.merged is not None or not d.clause or d.type == "other" or family(d.type) != "historical":
                continue
            if d.time is None or d.time.value is None or d.time.precision != "year":
                continue
            if _ANOTHER.search(self.text[max(d.sentence[0], d.span.start - 40) : d.span.start]):
                continue  # "a second bomb destroyed Nagasaki": another happening of the kind
            year = d.time.value
            # a place the clause names that the happening's name and place do not: "Japan would be defeated"
            # in 1945 is no part of the Battle of Manila
            named = [n for a, _, n in self.places if d.span.start <= a < d.span.end]
            earlier = [
                k
                for k in self.drafts
                if k is not d
                and k.merged is None
                and k.span.start < d.span.start
                and k.type == d.type
                and all(n in k.label or (k.place is not None and n in k.place.name) for n in named)
                and k.time is not None
                and (k.time.value or "").startswith(year + "-")
            ]
            if earlier:
                d.merged = earlier[-1]
                self._absorb(earlier[-1], d)

    @staticmethod
    def _names_part_of(d: _Draft, k: _Draft) -> bool:
        """ "The uprising began on August 1, 1944", "the start of the Warsaw Uprising": a mention whose
        event word ("uprising", not "start" or "war") is in the recorded event's name."""
        words = {
            w
            for w in set(key(d.span.text).split()) - _PHASE_WORDS
            if any(family(t) not in ("commemorative", "diplomatic") and p.fullmatch(w) for t, p in _TRIGGER_RE)
        }
        return any(w in words for w in key(k.label).split())

    @classmethod
    def _near(cls, value: str, entry: Entry) -> bool:
        """Whether a stated date may be a recorded event's, told another way: in its course at the date's
        precision, or a day a week off it ("the paper dated December 8, 1941" is Pearl Harbor still)."""
        if len(value) < 10 or not entry.start or len(entry.start) < 10:
            return cls._within(value, entry)
        try:
            day, start = date.fromisoformat(value), date.fromisoformat(entry.start)
            end = date.fromisoformat(entry.end) if entry.end and len(entry.end) == 10 else start
        except ValueError:
            return cls._within(value, entry)
        return start - timedelta(days=7) <= day <= end + timedelta(days=7)

    @staticmethod
    def _within(value: str, entry: Entry | None) -> bool:
        """Whether a date falls in a recorded event's course, at the date's precision."""
        if entry is None or not entry.start:
            return False
        end = entry.end or entry.start
        return entry.start[: len(value)] <= value <= end[: len(value)]

    def _anniversary_day(self, d: _Draft) -> None:
        """ "The year saw the commemoration of the 80th anniversary of the massacre of 1 December 1944":
        an anniversary the text dates to its year alone falls on the day it counts from."""
        target = d.commemorates.root if d.commemorates is not None else None
        if target is None or not d.stated or target.time is None or target.time.precision != "day":
            return
        then = target.time.value or ""
        year = int(then[:4]) + d.stated
        if d.time is None or d.time.precision != "year" or d.time.value != str(year):
            return
        try:
            day = date.fromisoformat(f"{year:04d}{then[4:]}")
        except ValueError:
            return  # 29 February: no such day that year
        d.time = TimeExpr(d.time.span, day.isoformat(), "day", "anniversary-day", d.time.value)

    @staticmethod
    def _long_war(d: _Draft) -> bool:
        """A war of years ("World War II") frames anniversaries; none of them gives it a day."""
        start = d.entry.start if d.entry is not None else None
        return d.type == "war" and bool(start) and _months(start or "", d.entry.end if d.entry else None) > 24

    def _background(self, d: _Draft) -> bool:
        if family(d.type) == "historical":
            return True
        if d.time is None or d.time.value is None or self.published is None:
            return False
        return int(d.time.value[:4]) < self.published.year - 1


def _as_written(ref: Ref, name: str) -> Ref:
    """ "the siege of Leningrad": the place is Saint Petersburg, as this article writes it."""
    name = re.sub(r"^(?:the|The)\s+", "", name)
    return ref if key(name) == key(ref.name) else replace(ref, written=name)


def find_events(
    doc: Doc,
    article: Article,
    times: list[TimeExpr],
    people: tuple[Person, ...],
    gazetteer: Gazetteer,
    quoted: list[tuple[int, int]] | None = None,
) -> list[Event]:
    """Events in ``doc``: current ones and the historical background, each with its evidence.

    ``quoted`` spans (direct quotations) are someone's words, not reported events or dates.
    """
    return _Finder(doc, article, times, people, gazetteer, quoted or []).events()


__all__ = ["find_events", "names_something", "ordinal"]
