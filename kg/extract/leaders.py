"""People and the offices an article states for them; which of them are leaders.

Mentions come from the NER (PERSON) and the gazetteer ruler. Within an article, short mentions
("Xi", "Mr Abe", "the Russian president") resolve to the full name they abbreviate; two different
full names never merge, even when they share a surname. A person is linked to the gazetteer (and so
to Wikidata) by full name, or by a short name only when exactly one gazetteer person bears it and
holds office at the publication date.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.tokens import Span as Tokens

from kg.articles import Article
from kg.gazetteer import Entry, Gazetteer, key
from kg.records import Office, Person, Ref, Span

# military ranks: an officer is a leader when quoted at the event, not for being named
_RANK = (
    r"(?:(?:Air\s+Chief|Air|Field)\s+Marshal|(?:Rear|Vice)\s+Admiral|Admiral|Adm\.|"
    r"(?:Lieutenant|Major|Brigadier)[- ]General|General|Gen\.|Brigadier|Colonel|Col\.)"
)
# "Minister for Culture, Community and Youth", "Minister of Labour, Employment and Veteran Affairs"
_PORTFOLIO = r"Minister\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]+(?:(?:,\s+|\s+and\s+)[A-Z][\w’'-]+){0,3}"
# a minister named by the portfolio before the word: "Education Minister Yoav Kisch", "Interior Minister"
_PORTFOLIO_MINISTER = (
    r"(?:Education|Health|Interior|Justice|Finance|Economy|Economic|Labou?r|Transport|Trade|Agriculture|"
    r"Environment|Energy|Science|Family|Youth|Sports?|Tourism|Communications?|Information|Digital|"
    r"Development|Infrastructure|Housing|Immigration|Integration|Heritage|Diaspora|Industry|Social\s+Affairs|"
    r"European\s+Affairs|Home\s+Affairs|Internal\s+Affairs|Foreign\s+Trade)\s+Minister"
)
# a secretary named by the portfolio before the word: "Veterans Affairs Secretary Raymundo Elefante"
_PORTFOLIO_SECRETARY = (
    r"(?:Veterans(?:'|’)?\s+Affairs|Interior|Education|Health|Energy|Labou?r|Transportation|Agriculture|Commerce|"
    r"Treasury|Homeland\s+Security|Army|Navy|Air\s+Force|Justice|Tourism|Trade|Finance|National\s+Defen[cs]e|"
    r"Foreign\s+Affairs|Culture|War)\s+Secretary"
)
ROLE_WORDS = (
    r"(?:Vice[- ]President|President[- ]elect|President|Prime\s+Minister|Deputy\s+Prime\s+Minister|Deputy\s+PM|"
    r"(?:Deputy|Vice|Acting)\s+(?:Foreign\s+|Defen[cs]e\s+)?Minister|Premier|"
    r"(?:Federal\s+)?Chancellor|Foreign\s+(?:Affairs\s+)?Minister|Minister\s+of\s+(?:Foreign\s+Affairs|Defen[cs]e|Culture|"
    r"Veterans(?:\s+Affairs)?|the\s+Armed\s+Forces)|"
    rf"{_PORTFOLIO}(?:\s+(?:Affairs|Policy))?|"
    r"(?:Additional\s+|Principal\s+)?Chief\s+Secretary|Principal\s+Secretary|Chief\s+Minister|"
    r"(?:Chief\s+)?Cabinet\s+Secretary|"
    r"(?:[Pp]residential|[Pp]rime\s+[Mm]inisterial)\s+(?:aide|adviser|advisor|envoy)|[Pp]arade\s+commander|"
    r"Defen[cs]e\s+(?:Minister|Secretary|Chief)|Foreign\s+Secretary|"
    rf"{_PORTFOLIO_SECRETARY}|"
    r"Home\s+Secretary|Culture\s+Minister|Veterans(?:'|’)?\s+Affairs\s+Minister|Armed\s+Forces\s+Minister|"
    rf"{_PORTFOLIO_MINISTER}|Secretary\s+of\s+the\s+(?:Navy|Army|Air\s+Force)|Under\s+Secretary|"
    r"Secretary\s+of\s+(?:State|Defen[cs]e)|State\s+Secretary|Secretary[- ]General|General\s+Secretary|"
    r"UN\s+Secretary[- ]General|High\s+Representative|High\s+Commissioner|Consul[- ]General|Commissioner|"
    r"Crown\s+Prince(?:ss)?|King|Queen|Emperor|Empress|Prince|Princess|Grand\s+Duke|Pope|Chairman|Chairwoman|"
    r"Governor[- ]General|(?:Lieutenant\s+|Acting\s+)?Governor|Gov\.|(?:Lord\s+)?Mayor|Ambassador|"
    r"Speaker|President\s+of\s+the\s+(?:Senate|Parliament|Assembly|Republic)|First\s+Minister|Taoiseach|Minister|"
    r"Senator|Sen\.|Rep\.|Congress(?:wo)?man|"
    r"Chief[- ]of[- ](?:the[- ])?(?:(?:Defen[cs]e|General|Air|Naval|Army)(?:[- ]Staff)?|Staff)|"
    r"First\s+Sea\s+Lord|Commander|Head\s+of\s+State|State\s+Councilor|Vice\s+Premier|Vice\s+Chairman|"
    r"(?:[Ss]enior|[Tt]op|[\w-]+-ranked)\s+(?:[\w()]+\s+){0,6}?official|(?:member\s+of\s+the\s+)?Politburo(?:\s+member)?|"
    r"member\s+of\s+the\s+Political\s+Bureau|"
    rf"{_RANK}|Leader|leader|[Hh]ead(?=\s+of\s)|Chief(?=\s+of\s))"
)
_HONORIFIC = (
    r"(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|Professor|Prof|Rev|Rabbi|Chief Rabbi|Bishop|"
    r"(?:His|Her) (?:Excellency|Majesty|Royal Highness)|HRH|Rep|Sen|Gov|Capt|Lt|Cpl|Sgt|Maj|Brig|Col|Gen|"
    r"General|Marshal|Field Marshal|Adm|Admiral|Acting|Ministers?)"
)
_TITLES = re.compile(rf"^{_HONORIFIC}\.?\s+")
# ranks and callings that stand before a name as a given name would, and are none (besides the
# honorifics and roles ``_TITLES`` and ``ROLE_WORDS`` already know)
_LOWER_TITLES = frozenset(
    """Lieutenant Captain Sergeant Corporal Private Class Midshipman Commodore Ensign Cadet Seaman Airman
    Trooper Gunner Sapper Rifleman Lance Warrant Officer Petty Chaplain Canon Father Brother Sister Mother
    Reverend Deacon Cardinal Archbishop Pastor Imam Elder Councillor Alderman Judge Justice Deputy Veteran
    Survivor Major Doctor""".split()
)
_ROLE_PREFIX = re.compile(rf"^(?:{ROLE_WORDS})\s+(?=[A-Z])")
_QUALIFIED_ROLE = re.compile(r"(?i)(?:presidential|prime\s+ministerial|parade)\s")
_NAME_WORD = r"(?:[A-Z][\w.’'-]*|[a-z]{1,3}-[A-Z][\w’'-]*)"  # "Lukashenka", "al-Sisi"
_ROLE = re.compile(ROLE_WORDS)  # compiled once: the alternation is long, and re's cache is shared
_PORTFOLIO_END = re.compile(rf"\b{_PORTFOLIO}$")
_THEN = r"(?P<then>(?i:then[- ]|former\s+|late\s+|ex-|outgoing\s+|incoming\s+|future\s+))?"
_COUNTRYISH = r"(?P<country>(?:[A-Z][\w.’'-]*\s+){0,3}?)"
# "Russian President Vladimir Putin", "then-US President Franklin D. Roosevelt", "Russia's foreign minister"
_OF = (
    r"(?:\s+(?:of|to|for|in)\s+(?P<of>(?:the\s+)?{w}(?:[ \t]+{w}){{0,2}})"
    r"(?:\s+(?:to|in)\s+{w}(?:[ \t]+{w})?)?)?"
    # a name's word ends at a full stop ("of Guinea.\n\nFormer French ..." is Guinea), not inside "U.S."
    # or "St. Petersburg"
).format(w=r"[A-Z](?:[\w’'-]|\.(?=\w))*(?:(?<=\.\w)\.|(?<=\b[A-Z][a-z])\.(?=[ \t]+[A-Z]))?")
# "Principal Secretary (Tourism) Dr. Rajesh Kumar": a portfolio in brackets between title and name
_BEFORE = re.compile(
    rf"{_THEN}{_COUNTRYISH}(?P<role>(?i:{ROLE_WORDS})){_OF}(?:\s+\([^()\n]{{1,40}}\))?(?:,?\s+{_HONORIFIC}\.?)?,?\s*$"
)
# a body's name as officials write it out: capitalised words joined by "of", "for", "and", then perhaps
# its acronym in brackets ("the Standing Committee of the Regional People's Assembly (RPA)", "the
# Assembly of the City of Kragujevac")
_CHAIN = (
    r"(?:the\s+)?[A-Z][\w./&’'-]*(?:\s+(?:(?:of|for|and|on)(?:\s+the)?\s+|the\s+)?[A-Z][\w./&’'-]*){0,9}"
    r"(?:\s+\([A-Z][\w&.’' -]{1,30}\))?"
)
# a capitalised title of such a body right before a name: "President of the Assembly of the City of
# Kragujevac Milan Jovanovic"
_LONG_TITLE = re.compile(rf"(?P<role>{ROLE_WORDS})\s+of\s+(?P<of>{_CHAIN}),?\s+(?:{_HONORIFIC}\.?\s+)?$")
_OF_NAME = re.compile(r"(?<=\s)of\s+(?:the\s+)?[A-Z]")
_ROLE_BEFORE = re.compile(rf"(?<![\w-])(?P<role>{ROLE_WORDS})(?=\s+$)")
_LONG_RUN = re.compile(
    r"\s+of\s+(?:the\s+)?(?P<run>[A-Z][\w’'-]*(?:\s+(?:(?:of|for|and|on)(?:\s+the)?\s+|the\s+)?"
    r"(?:[A-Z][\w’'-]*|\([A-Z][\w&.]{1,15}\))){2,12})(?=[,.;:]|\s+[a-z]|$)"
)
# a title first, then its body, then the holder, as official releases list guests: "Commissioner,
# Defense POW/MIA Accounting Agency, Kelly McKeague", "and Chief of the Bureau of Land Management,
# Tracy Stone-Manning"
_TITLE_FIRST = re.compile(
    rf"(?:^|[;:]\s+|,\s+(?=[^,]*?,\s+[^,]*,\s+$)|\band\s+)(?P<role>{ROLE_WORDS})"
    rf"(?:\s+of\s+(?P<of>{_CHAIN})|,\s+(?P<body>{_CHAIN})),\s+(?:{_HONORIFIC}\.?\s+)?$"
)
_TITLE_BEFORE_NEXT = re.compile(rf",\s+(?P<body>{_CHAIN}),\s+(?:{_HONORIFIC}\.?\s+)?{_NAME_WORD}\s+{_NAME_WORD}")
# "a deputy prime minister of the region, Kanat Omarov, said": a name after an office and a comma
_APPOS_NAME = re.compile(r",\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})(?=\s*,|\s+(?:said|says|told|added)\b)")
# "Ana Lind, from the Gold Coast, said", "Kenji Sato, 85, who": an age or a home town set off by commas
# after a capitalised name says the name is a person's, whatever the NER made of it
_APPOSED_PERSON = re.compile(
    r"\b(?P<name>[A-Z][\w’'-]+(?:[ ]+[A-Z][\w’'.-]+){1,2}),\s+"
    r"(?:aged\s+)?(?:\d{1,3}|from\s+(?:the\s+)?[A-Z][^,;.\n]{1,40}),\s+(?:who|said|says|told|added|recalled|explained)\b"
)
# "Sergio Mattarella, the Italian president," / "Duda, Poland's president"
_AFTER = re.compile(
    rf"^(?:,|\s+[-–—])?\s+(?:who\s+is\s+|who\s+was\s+)?(?:[Tt]he\s+|a\s+|(?:its|his|her)\s+)?(?:current\s+|longtime\s+)?{_THEN}(?P<country>(?:[A-Z][\w.’'-]*\s+){{0,3}}?)"
    rf"(?P<role>(?i:{ROLE_WORDS})){_OF}\b",
)
# "the Italian president, Sergio Mattarella"
# "the Italian president, Sergio Mattarella", "the mayor of Dresden, Dirk Hilbert",
# "Saxony's state premier, Michael Kretschmer"
_APPOS_BEFORE = re.compile(
    rf"(?:\b(?:[Tt]he|an?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+{_THEN}(?P<country>(?:[A-Z][\w.’'-]*\s+){{0,2}}?)|"
    rf"\b(?P<owner>[A-Z][\w.-]*(?:'s|’s))\s+(?:[\w-]+\s+)?)"
    rf"(?P<role>(?i:{ROLE_WORDS}))(?:\s+(?:of|to|for|in)\s+(?P<of>(?:the\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){{0,2}}))?\s*,\s*"
    # "the Lieutenant Governor, Vice Admiral Richard Cripwell": a rank or honorific before the name
    rf"(?:(?:{_RANK}|Sir|Dame|Lord|Lady|Dr\.?)\s+)?$"
)
# "Ministers Ana Lind, Jan Berg and ...": a plural title before a list of names
_LISTED = re.compile(
    r"\b(?P<role>Minister|President|Mayor|Ambassador|Governor|Senator)s\s+"
    r"(?:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3},?\s+(?:and\s+)?){0,6}$"
)
_LISTED_NAMES = re.compile(
    r"\b(?P<role>Minister|President|Mayor|Ambassador|Governor|Senator)s\s+"
    r"(?P<list>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}(?:,?\s+(?:and\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}){0,6})"
)
# "the speakers of the lower house and the senate, Ana Lind and Jan Berg": one office for each name
_PLURAL_LIST = re.compile(
    r"\b(?P<role>[Ss]peaker|[Pp]resident|[Mm]inister|[Mm]ayor|[Gg]overnor|[Aa]mbassador|[Hh]ead)s\s+of\s+[^.;:]{2,60}?,\s+"
    r"(?P<list>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}(?:,\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})*,?"
    r"\s+and\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})"
)
_PLURAL_APPOS = re.compile(
    r"\b(?P<role>[Ss]peaker|[Pp]resident|[Mm]inister|[Mm]ayor|[Gg]overnor|[Aa]mbassador|[Hh]ead)s\s+of\s+[^.;:]{2,60},\s+"
    r"(?:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}\s+and\s+)?$"
)
# "Kishida and his South Korean counterpart Yun Se", "his counterparts from Gambia, Ana Lind": the same office
_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?P<country>(?:[A-Z][\w’'-]*\s+){0,2})counterparts?(?:\s+from\s+(?P<of>[A-Z][\w’'-]+))?,?\s*$"
)
# a list of names and countries running on after "his counterparts": capitalised words, commas, "and", "from"
_COUNTERPART_LIST = re.compile(
    r"\b(?:his|her|their)\s+counterparts\s+(?:from|of)\s+(?P<rest>(?:[A-Z][\w’'.-]*|,|and|from|\s)+)$"
)
_LIST_COUNTRY_BEFORE = re.compile(r"(?:^|,\s+|from\s+)(?P<of>[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)?),?\s+(?:and\s+)?$")
_LIST_COUNTRY_AFTER = re.compile(r"\s+(?:from|of)\s+(?P<of>[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)?)")
_SENTENCE_END = re.compile(r"\b(\w+)[.!?][\"”’]?\s+(?=[A-Z“\"]|$)")
_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Jr Sr Gen Col Adm Gov Sen Rep Lt Maj Brig Sgt Cpl Capt Prof Rev No Dec Jan Feb Aug Sept Oct "
    "Nov Mt Ft".split()
)
_KINSHIP = re.compile(
    r"\b(?:husband|wife|son|daughter|widow|widower|father|mother|brother|sister|spouse|grandson|granddaughter|"
    r"cousin|nephew|niece|uncle|aunt|grandfather|grandmother|relative|descendant)\s+of\s+(?:the\s+)?[\w\s.’'-]{0,40}$|"
    # "his wife, Maria,", "his great-grandmother, Queen Wilhelmina"
    r"\b(?:his|her|their)\s+(?:great-)*(?:husband|wife|son|daughter|widow|widower|spouse|mother|father|grandmother|"
    r"grandfather)\s*,?\s*(?:[A-Z]\w+\s+)?$",
    re.I,
)
_NOMINAL = re.compile(
    r"\b(?:the|The)\s+(?:\d+-year-old\s+|(?:UN|U\.N\.|EU|NATO)\s+)?(?P<country>(?:[A-Z][\w.’'-]*\s+)?)"
    r"(?P<role>(?i:president|federal president|chancellor|prime minister|premier|leader|king|queen|emperor|pope|"
    r"head of state|monarch|foreign minister|defen[cs]e minister|minister|mayor|ambassador|governor|"
    r"secretary-general|senator|admiral)\b|(?<=Kremlin\s)(?:chief|boss)\b|"
    # a generic word ("the general public", "the chief executive") is a person only as a speaker
    r"(?i:general|chief|commander)(?=\s*[,.;:]|\s+(?:then\s+|also\s+)?(?:said|says|told|added|noted|stressed)\b))"
)
# what a role noun alone may stand for ("the head of state" is the president or the monarch)
_NOMINAL_ROLES = {
    "head of state": ("president", "king", "queen", "emperor", "grand duke"),
    "monarch": ("king", "queen", "emperor"),
    "federal president": ("president",),
    "chief": ("secretary-general", "chief", "commander"),
    "admiral": ("admiral", "adm."),
    "general": ("general", "gen."),
}
_TITLE_TAILS = frozenset({"Royal", "Consort", "Regent", "Mother", "Emeritus", "Dowager"})
_NOT_NAME_POS = frozenset({"VERB", "ADP", "ADV", "DET", "PRON", "SCONJ", "CCONJ", "AUX", "PART"})
_NOT_GIVEN = frozenset("the a an and but in on at of for to by from with as after before when while".split())
_ROLE_CANON = {
    "premier": "Premier",
    "pm": "Prime Minister",
    "foreign affairs minister": "Foreign Minister",
    "minister of foreign affairs": "Foreign Minister",
    "minister of defence": "Defence Minister",
    "minister of defense": "Defence Minister",
    "defense minister": "Defence Minister",
    "un secretary-general": "Secretary-General",
    "secretary general": "Secretary-General",
    "federal chancellor": "Chancellor",
    "deputy pm": "Deputy Prime Minister",
    "gov.": "Governor",
    "sen.": "Senator",
    "rep.": "Representative",
    "adm.": "Admiral",
    "gen.": "General",
    "col.": "Colonel",
    "defence chief": "Chief of Defence",
    "defense chief": "Chief of Defence",
}
# a name as news writes it after a title: capitalised words, with the particles of many languages
# a full stop only after an initial or "Jr": "George W. Bush", not "General Manoj Pande. Later, ..."
# what honours a person named after it: "the statues of ... and President Sergio Osmeña", "named after"
_HONOURED = re.compile(
    r"\b(?:(?:statues?|busts?|monuments?|memorials?|portraits?|graves?|tomb|mausoleum)\s+(?:to|of)|named\s+(?:after|for))"
    r"\s+(?:[^.;:!?]|\b(?:Gen|Lt|Col|Maj|Adm|Capt|Sgt|Dr|Mr|Mrs|Ms|St|Jr|Sr|Gov|Sen|Rep)\.)*$"
)
# a given name and a quoted nickname right before a surname: 'George "Johnny" Johnson'
NICKNAMED = re.compile(r"(?P<given>[A-Z][\w’'-]+)\s+[\"“‘](?P<nick>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)[\"”’]\s+")
_TITLED_WORD = r"(?:[A-Z]\.|[A-Z][\w’'-]*(?:(?<=Jr|Sr|St)\.)?)"
_NAME = (
    rf"{_TITLED_WORD}(?:\s+(?:(?:de|da|di|do|dos|van|von|der|den|del|la|le|bin|al|el|y|Di|De|Van|Von)\s+)?"
    rf"{_TITLED_WORD}){{0,3}}"
)
# "King Frederik", "Minister of Culture Liana Kas", "Ambassador to Peru Ana Lind": a title the NER left unnamed
_TITLED = re.compile(
    rf"(?<![\w-])(?P<role>{ROLE_WORDS})(?:\s+(?:of|to|for|in)\s+(?:the\s+)?[A-Z][\w’'-]+)?"
    rf"(?:\s+{_HONORIFIC}\.?)?\s+(?P<name>{_NAME})"
)
# "Ana Lind, mayor of Tartu," / "Jan Berg, Norwegian ambassador to Chile": an office after an unnamed name
_NAMED_APPOS = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}),\s+(?:the\s+)?(?:[A-Z][\w’'-]+\s+)?(?:deputy\s+|vice\s+)?"
    r"(?P<role>mayor|ambassador|minister|governor|commissioner|speaker|senator|consul[- ]general)\b"
)
_BODY_WORDS = frozenset(
    "District Command Committee Council Ministry Forces Army Navy Republic Union Party Assembly Region Office "
    "Department Government State National Parliament Senate Museum Commission Fleet Staff Corps".split()
)
# "the speaker of the Knesset Amir Ohana", "the mayor of Gdansk Ana Lind": a lower-case office of a
# named body, the holder's name running on after the body's
_TITLED_OF = re.compile(
    rf"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<role>(?i:{ROLE_WORDS}))\s+of\s+(?:the\s+)?"
    r"(?P<run>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){1,6})"
)
# words that end a name a title introduced ("Queen Mary and ...", "Mayor Ana Lind On Monday")
_NAME_STOP = frozenset(
    "the a an and or but in on at of for to by from with as after before when while on monday tuesday wednesday "
    "thursday friday saturday sunday his her their its this that".split()
)
# heads of bodies that are no state office: a community, church, congress or foundation
_CIVIL_BODY = re.compile(
    r"\b(?:Jewish|Communit(?:y|ies)|Congress|Association|Foundation|Society|Church|Bishops?|Conference|Museum|"
    r"Institute|Club|Forum|Company|University|Academy|Trust|Legion|Federation|Fund|Movement|Organi[sz]ation|"
    r"Cent(?:re|er)|Sant|Saint|Tourism|Union\s+of)\b",
    re.I,
)
# bodies of state whose names carry a civil body's word ("the Chinese People's Political Consultative
# Conference", "the National People's Congress")
_STATE_NAMED = re.compile(
    r"\b(?:People[’']s\s+Congress|Political\s+Consultative|Supreme\s+Soviet|State\s+Council)\b", re.I
)
# what a "head of" must head to hold a state office: a parliament's commission, the armed forces, a ministry
_STATE_BODY = re.compile(
    r"(?i)\b(?:parliament\w*|commission|ministry|government|state|armed\s+forces|army|navy|air\s+force|military|"
    r"department|agency|administration|delegation|cabinet|senate|assembly|province|region|city|district|presiden\w+)\b"
)
# roles that say a person leads without saying what office they hold
_GENERIC_ROLES = frozenset({"head", "head of state", "head of government", "leader"})
_BODY_HEADS = frozenset(
    {"President", "Chairman", "Chairwoman", "Vice Chairman", "Leader", "Commissioner", "Chief", "Head"}
)
_PEERAGE = re.compile(r"(?:Duke|Duchess|Earl|Countess|Prince|Princess)\s+of\s+[A-Z][\w-]+")
_SPOKESPERSON = re.compile(r"spokes(?:man|woman|person)|press\s+secretary", re.I)
# a former office holder is a leader only when the text has them take part
_TAKES_PART = re.compile(
    r"\b(?:attend(?:ed|s|ing)?|(?:was|were|also)\s+present|laid|lays|joined|took\s+part|participated|addressed|"
    r"spoke|delivered|unveiled|paid\s+(?:tribute|(?:his|her)\s+respects))\b"
)
# a title alone ("the Queen", "the Pope") names whoever held the office on the day of publication
# what a party is called by, before "leader": a leader of one takes part as a politician does
_PARTY = re.compile(
    r"\b(?:Labour|Conservatives?|Tory|Liberal|Democrats?|Democratic|Republicans?|Socialists?|Communists?|Greens?|"
    r"Party|Nationalists?|Law\s+and\s+Justice|PiS|CDU|CSU|SPD|LDP|KMT|Kuomintang|Likud|Fidesz)\b"
)
_TITLE_ONLY = {"King", "Queen", "Emperor", "Empress", "Pope", "Chancellor", "Grand Duke", "Secretary-General"}
_STATE_TITLES = {"President", "Prime Minister", "Chancellor", "Premier", "King", "Queen", "Emperor"}
_NEEDS_COUNTRY = {"Chancellor"}  # "the Chancellor" is German, Austrian or British's treasurer: the text must say


def _ends(full: str, short: str) -> bool:
    """Whether the look-up key ``short``, of two words or more, ends the key ``full`` ("marcos jr" of
    "ferdinand r marcos jr"), word for word."""
    f, t = full.split(), short.split()
    return 1 < len(t) <= len(f) and f[-len(t) :] == t


def is_rank(role: str) -> bool:
    """A military rank rather than an office ("Rear Admiral", "Col.")."""
    return re.fullmatch(_RANK, role, re.I) is not None


def can_lead(office: Office) -> bool:
    """An office whose holder, taking part, is a leader: current, and no spokesperson's."""
    return office.current and not _SPOKESPERSON.search(office.role)


def canonical_role(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    low = t.lower()
    if low in _ROLE_CANON:
        return _ROLE_CANON[low]
    if low.endswith(" official"):
        return "Official"  # "senior Communist Party official": the qualifiers are no part of the role
    small = ("of", "the", "for", "and", "to", "in")
    return " ".join(w.lower() if w.lower() in small else w[:1].upper() + w[1:] for w in t.split())


@dataclass
class _Cluster:
    name: str
    mentions: list[Span] = field(default_factory=list)
    entry: Entry | None = None
    offices: list[Office] = field(default_factory=list)
    kin_only: bool = True

    @property
    def tokens(self) -> set[str]:
        return set(key(self.name).split())


@dataclass(frozen=True)
class PeopleResult:
    people: tuple[Person, ...]
    clusters_by_offset: dict[int, Ref]  # mention start -> person ref, for attributions
    genders: dict[Ref, str | None]
    historical: frozenset[Ref] = frozenset()  # wartime figures, seldom the "he" of a modern quote


class _Finder:
    def __init__(self, doc: Doc, article: Article, gaz: Gazetteer) -> None:
        self.doc = doc
        self.text = article.text  # doc.text joins every token again
        self.ents = doc.ents  # a new tuple of spans at each read
        self.article = article
        self.gaz = gaz
        self.year = article.published.year if article.published else None
        self.clusters: list[_Cluster] = []
        self.by_mention: dict[int, _Cluster] = {}
        self._counts: dict[str, int] | None = None

    # --- mentions and clustering -----------------------------------------------------------

    def person_spans(self) -> list[Span]:
        spans: list[Span] = []
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            start, end = ent.start_char, ent.end_char
            # a sentence's first word the NER took into a name ("Following Moon's speech")
            if len(ent) > 1 and ent[0].pos_ in _NOT_NAME_POS and ent[0].is_sent_start:
                start = ent[1].idx
            name = self.text[start:end]
            while m := (_TITLES.match(name) or _ROLE_PREFIX.match(name)):
                start += m.end()
                name = self.text[start:end]
            # the last word of a title the NER took into the name ("Minister for Culture, Community
            # and Youth Edwin Tong")
            first = re.match(r"[A-Z][\w’'-]+\s+(?=[A-Z])", name)
            if first and _PORTFOLIO_END.search(self.text[max(0, start - 80) : start + len(first.group(0).rstrip())]):
                start += first.end()
            name = self.text[start:end]
            if dash := re.search(r"\s+[-–—]\s+[a-z]", name):
                end = start + dash.start()  # "Sir Colin Reid - head of the Armed Forces": the office follows
                name = name[: dash.start()]
            for suffix in ("'s", "’s", "'", "’"):
                if name.endswith(suffix):
                    end -= len(suffix)
                    name = name[: -len(suffix)]
            name = name.strip()
            if not name or not name[:1].isupper() or len(name) < 2:
                continue
            if _ROLE.fullmatch(name):
                continue  # "the Pope" alone: a title, resolved by date later
            if (name.isupper() or name in _TITLE_TAILS) and " " not in name:
                continue  # an acronym ("ADLS") or the end of a title ("the Princess Royal")
            if " " in name and _ROLE.fullmatch(name.rsplit(" ", 1)[1]):
                continue  # "Asan Mayor": a place and a title, the name follows
            # a given name the NER split off: before one word, or inside the parse of a longer name
            given = self._given_name_before(start) if " " not in name else self._given_name_within(ent, start)
            if given is not None:
                start, name = given, self.text[given : start + len(name)]
            if self.gaz.lookup(
                name, "country", "organisation", "place", "event", "commemoration"
            ) and not self.gaz.lookup(name, "person"):
                continue
            spans.append(Span(start, start + len(name), name))
        spans += self._titled_spans(spans)
        spans = self._apposed_spans(spans)
        return spans + self._peerage_spans(spans)

    def _apposed_spans(self, found: list[Span]) -> list[Span]:
        """``found`` with the names ``_APPOSED_PERSON`` shows to be people's: a name the NER cut or
        split ("Rec Ashwin" + "Sunil Hathiramani") is replaced, one it read whole stands."""
        for m in _APPOSED_PERSON.finditer(self.text):
            start, end, name = m.start("name"), m.end("name"), m.group("name")
            if any(s.start <= start and end <= s.end for s in found):
                continue  # the NER's name holds this one
            words = name.split()
            if any(w in _BODY_WORDS or self.gaz.country(w) for w in words) or self.gaz.lookup(
                name, "country", "organisation", "place", "event", "commemoration"
            ):
                continue
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or span[-1].pos_ != "PROPN":
                continue
            found = [s for s in found if not (s.start < end and start < s.end)]
            found.append(Span(start, end, name))
        return found

    def _peerage_spans(self, found: list[Span]) -> list[Span]:
        """ "the Duchess of Cornwall" where the NER saw no name: a title the gazetteer knows as a person's."""
        extra = []
        for m in re.finditer(rf"(?<=\b[Tt]he ){_PEERAGE.pattern}", self.text):
            if any(s.start < m.end() and m.start() < s.end for s in found):
                continue
            if self.gaz.one(m.group(0), "person") is not None:
                extra.append(Span(m.start(), m.end(), m.group(0)))
        return extra

    def _titled_spans(self, found: list[Span]) -> list[Span]:
        """Names the NER missed that a title introduces or an office follows ("King Frederik", "Ana Lind,
        mayor of Tartu"); one word is a name only when the gazetteer knows the title with it."""
        extra: list[Span] = []
        for pattern, role, start, name in self._candidates():
            words = name.split()
            while words and (key(words[-1]) in _NAME_STOP or _ROLE.fullmatch(words[-1]) or self.gaz.country(words[-1])):
                words.pop()  # "President Ana Lind Chinese President ...": the name ends before the next title
            while words and (key(words[0]) in _NAME_STOP or _ROLE.fullmatch(words[0])):
                start += len(words.pop(0)) + 1
                start = self.text.index(words[0], start) if words else start
            if len(words) == 1 and re.fullmatch(r"[A-Z][\w’'-]{3,}\.", words[0]):
                words[0] = words[0][:-1]  # "Minister of Culture Ruokytė-Jonsson.": the sentence's full stop
            name = " ".join(words)
            end = start + len(name)
            if not words or self.text[start:end] != name:
                continue  # nothing left, or a line break inside: not one name
            inside = [s for s in found if s.start < end and start < s.end]
            # the NER's own multi-word name stands; only a name it cut short is replaced
            if any(s.start < start or s.end > end or " " in s.text for s in inside) or any(
                s.start < end and start < s.end for s in extra
            ):
                continue
            if (
                self._not_a_person(name)
                or any(w in _BODY_WORDS for w in words)
                or (
                    pattern in (_TITLED, _LONG_RUN)
                    and self._in_body(start, end, len(role) + 1 if pattern is _TITLED else 0)
                )
            ):
                continue  # "Commander of the Leningrad Military District": a body, not a name
            # one word is a name when the gazetteer knows the title with it, or when it ends the full
            # name of someone the article named ("Minister of Culture Ruokytė-Jonsson")
            surname = any(len(f.text.split()) > 1 and f.text.split()[-1] == name for f in [*found, *extra])
            if (
                len(words) == 1
                and not surname
                and not self._known_by_title(f"{role} {name}" if pattern is _TITLED else name, name)
            ):
                continue
            if not any(t.pos_ == "PROPN" for t in self.doc.char_span(start, end, alignment_mode="expand") or ()):
                continue
            for s in inside:
                found.remove(s)  # "mayor Pavel Dostal" where the NER saw only "Pavel"
            extra.append(Span(start, end, name))
        return extra

    def _only_honoured(self, c: _Cluster) -> bool:
        """ "the bronze statues of Gen. Douglas MacArthur and President Sergio Osmeña": someone every mention
        of whom names what honours them takes part in nothing."""
        return all(_HONOURED.search(self.text, max(0, m.start - 80), m.start) for m in c.mentions)

    def _known_by_title(self, titled: str, name: str) -> bool:
        """ "King Frederik": a living holder the gazetteer knows by title and given name (not "Princess
        Royal", whose second word is no name, nor a wartime queen, who leads nothing now)."""
        entry = self.gaz.one(titled, "person")
        return entry is not None and not entry.historical and key(entry.name).split()[0] == key(name)

    def _candidates(self) -> Iterator[tuple[re.Pattern[str], str, int, str]]:
        for pattern in (_TITLED, _NAMED_APPOS):
            for m in pattern.finditer(self.text):
                yield pattern, m.group("role"), m.start("name"), m.group("name")
        for m in _TITLED_OF.finditer(self.text):
            if m.group("role")[:1].isupper():
                continue  # a capitalised title is _TITLED's
            split = self._body_then_name(m.start("run"), m.group("run"))
            if split is not None:
                yield _TITLED_OF, m.group("role"), split[0], split[1]
        for m in _APPOS_NAME.finditer(self.text):
            if _APPOS_BEFORE.search(self.text[max(0, m.start() - 80) : m.start() + 1]):
                yield _APPOS_BEFORE, "", m.start("name"), m.group("name")
        for of in _OF_NAME.finditer(self.text):
            # "President of the Assembly of the City of Kragujevac Milan Jovanovic": a long body's title
            # (found from its "of", as a title's long alternation is slow to run over a whole text)
            title = _ROLE_BEFORE.search(self.text, max(0, of.start() - 40), of.start())
            run = _LONG_RUN.match(self.text, title.end()) if title is not None else None
            if title is not None and title.group("role")[:1].isupper() and run is not None:
                split = self._body_then_name(run.start("run"), run.group("run"))
                if split is not None:
                    yield _LONG_RUN, title.group("role"), split[0], split[1]
        for pattern in (_LISTED_NAMES, _PLURAL_LIST):
            for m in pattern.finditer(self.text):
                for n in re.finditer(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}", m.group("list")):
                    yield pattern, m.group("role"), m.start("list") + n.start(), n.group(0)

    def _body_then_name(self, start: int, run: str) -> tuple[int, str] | None:
        """Where a body's name ends and a person's begins in "Parliament Tone Wilhelmsen Trøen": the body
        is one the NER, the gazetteer or its last word says is a body; the name is two to four words."""
        words = [(start + w.start(), w.group(0)) for w in re.finditer(r"\S+", run)]
        bodies = self._body_spans
        for k in range(1, len(words) - 1):
            name = words[k:]
            if not 2 <= len(name) <= 4 or any(w in _BODY_WORDS or not w[:1].isupper() for _, w in name):
                continue
            last_at, last = words[k - 1]
            body = self.text[start : last_at + len(last)]
            if not last[:1].isupper() and not re.fullmatch(r"\([A-Z][\w&.]*\)", last):
                continue  # a body's name ends in a name or its acronym, never in "of"
            if (
                last in _BODY_WORDS
                or (start, last_at + len(last)) in bodies
                or last_at + len(last) in self._body_ends
                or self.gaz.lookup(body, "country", "organisation", "place")
            ):
                return name[0][0], self.text[name[0][0] : name[-1][0] + len(name[-1][1])]
        return None

    @functools.cached_property
    def _body_spans(self) -> set[tuple[int, int]]:
        return {(e.start_char, e.end_char) for e in self.ents if e.label_ in ("ORG", "GPE", "LOC", "NORP", "FAC")}

    def _in_body(self, start: int, end: int, title: int = 0) -> bool:
        """Whether the NER read ``start:end`` as part of a longer body, place or people's name ("the
        National Park Service System"), not as a name of its own it merely mislabelled; a body that only
        took in the last words of the ``title`` characters before the name ("Minister for [Veterans Al
        Carns]") is the name mislabelled."""
        return any(
            s < end and start < e and (s < start or e > end) and not (start - title <= s < start and e == end)
            for s, e in self._body_spans
        )

    @functools.cached_property
    def _body_ends(self) -> set[int]:
        return {end for _, end in self._body_spans}

    def _not_a_person(self, name: str) -> bool:
        known = self.gaz.lookup(name, "country", "organisation", "place", "event", "commemoration")
        return (bool(known) and not self.gaz.lookup(name, "person")) or self.gaz.country(name) is not None

    def _given_name_before(self, start: int) -> int | None:
        """The start of a capitalised word right before ``start`` that completes a name the NER split."""
        m = re.search(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\s+$", self.text[max(0, start - 30) : start])
        if m is None or start - 30 + m.start(1) <= 0:
            return None
        word = m.group(1)
        if _TITLES.match(word + " ") or _ROLE_PREFIX.match(word + " X") or self.gaz.country(word):
            return None
        if word.lower() in _NOT_GIVEN:
            return None
        return start - len(m.group(0))

    def _given_name_within(self, ent: Tokens, start: int) -> int | None:
        """The start of a given name the NER left out of a longer name the parse holds it in ("India,
        Dominic Anthony Gerard Asquith said": "Dominic" a compound of "Asquith", outside the entity)."""
        first = next((t for t in ent if t.idx >= start), None)
        if first is None or first.i == 0:
            return None
        before = self.doc[first.i - 1]
        if (
            before.pos_ != "PROPN"
            or before.dep_ != "compound"
            or not ent.start <= before.head.i < ent.end
            or before.ent_type_
            or before.text in _LOWER_TITLES
            or before.i == 0
            or self.doc[before.i - 1].text not in (",", ";", ":", "(")
        ):
            return None  # "Minister of Education Heinz Faßmann", "Commodore Ann Lee": a title, not a given name
        return self._given_name_before(start)  # which also refuses titles, roles, countries and "the"

    def cluster(self) -> None:
        spans = self.person_spans()
        full = [s for s in spans if len(s.text.split()) > 1]
        for span in sorted(spans):
            if len(span.text.split()) > 1:
                self._add_full(span)
            else:
                self._add_short(span, later_full=[f for f in full if f.start > span.start])
        self._more_mentions()

    def _add_full(self, span: Span) -> None:
        k = key(span.text)
        entry = self._person_entry(span.text)
        for c in self.clusters:
            if key(c.name) == k or (entry is not None and c.entry is entry):
                self._attach(c, span)
                return
            # "Mr Putin" earlier, "Vladimir Putin" now: a short-only cluster grows its full name
            # "Marcos Jr." earlier, "Ferdinand R. Marcos Jr." now: a short form's full name ends with it
            grows = (len(c.name.split()) == 1 and c.tokens <= set(k.split())) or _ends(k, key(c.name))
            if grows and c.entry in (None, entry):
                c.name, c.entry = span.text, entry or c.entry
                self._attach(c, span)
                return
        # "Ferdinand R. Marcos Jr." earlier, "Marcos Jr." now: the end of one full name is its short form
        owners = [c for c in self.clusters if _ends(key(c.name), k)]
        if len(owners) == 1 and entry in (None, owners[0].entry):
            self._attach(owners[0], span)
            return
        c = _Cluster(span.text, entry=entry)
        self.clusters.append(c)
        self._attach(c, span)

    def _add_short(self, span: Span, later_full: list[Span]) -> None:
        k = key(span.text)
        nick = next((m for m in NICKNAMED.finditer(self.text, max(0, span.start - 40)) if m.end() == span.start), None)
        if nick is not None:
            # 'George "Johnny" Johnson': a given name and a nickname before the surname make one full name
            full = f"{nick.group('given')} {span.text}"
            entry = self._person_entry(full)
            c = next((c for c in self.clusters if key(c.name) == key(full)), None)
            if c is None:
                c = _Cluster(entry.name if entry else full, entry=entry)
                self.clusters.append(c)
            self._attach(c, span)
            return

        def ends(name: str) -> bool:  # "Ruokytė-Jonsson" ends "Liana Ruokytė-Jonsson", hyphen and all
            return k in key(name).split() or _ends(key(name), k)

        owners = [c for c in self.clusters if ends(c.name)]
        if owners:
            owner = max(owners, key=lambda c: c.mentions[-1].start)
            self._attach(owner, span)
            return
        # a later full name with this word ("Putin ... Vladimir Putin") takes it
        for f in later_full:
            if ends(f.text):
                self._add_full(f)
                owner = next(c for c in self.clusters if ends(c.name))
                self._attach(owner, span)
                return
        entry = self._person_entry(span.text, short=True)
        for c in self.clusters:
            if entry is not None and c.entry is entry:
                self._attach(c, span)
                return
        c = _Cluster(entry.name if entry else span.text, entry=entry)
        self.clusters.append(c)
        self._attach(c, span)

    def _attach(self, c: _Cluster, span: Span) -> None:
        if span.start in self.by_mention:
            return
        c.mentions.append(span)
        self.by_mention[span.start] = c
        if not _KINSHIP.search(self.text[max(0, span.start - 60) : span.start]):
            c.kin_only = False

    def _person_entry(self, name: str, short: bool = False) -> Entry | None:
        found = self.gaz.lookup(name, "person")
        if not found and len(name.split()) == 2:
            found = self.gaz.lookup(" ".join(reversed(name.split())), "person")  # "Ishiba Shigeru", family name first
        if len(found) > 1 and self.year is not None:
            in_office = [e for e in found if e.office_at(self.year)]
            found = in_office if in_office else found
        if len(found) == 1:
            entry = found[0]
            if short and not entry.historical and self.year is not None and not entry.office_at(self.year):
                return None  # a bare surname links only to someone in office at the time
            return entry
        return None

    def _more_mentions(self) -> None:
        """Bare surnames the NER missed."""
        for c in list(self.clusters):
            words = [w for w in c.name.split() if len(w) > 2 and w[:1].isupper()]
            for word in {words[0], words[-1]} if words else set():
                for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", self.text):
                    if self.text[m.start() - 1 : m.start()] == "(" and self.text[m.end() : m.end() + 1] == ")":
                        continue  # "Recruit (Rec) Ana Lind": a word in brackets abbreviates a title
                    owners = [x for x in self.clusters if key(word) in x.tokens]
                    if len(owners) == 1 and not self._inside_entity(m.start(), m.end()) and not self._overlaps(m):
                        self._attach(c, Span(m.start(), m.end(), word))

    def nominal(self) -> None:
        """Role nouns ("the Russian president", "the admiral") for the person holding that office, or a
        title alone ("the Queen") for whoever held it that day; read once the offices around names are known."""
        for m in _NOMINAL.finditer(self.text):
            if self._overlaps(m):
                continue
            target = self._nominal_target(m) or self._title_holder(m)
            if target is not None:
                span = Span(m.start(), m.end(), m.group(0))
                self._attach(target, span)
                if not target.offices and target.entry is None and m.group("role")[:1].islower():
                    # "The Serbian minister of labour noted": the title is the office of whom it names
                    country = self._country(m.group("country"))
                    office = Office(canonical_role(m.group("role")), country.ref if country else None, span, True)
                    target.offices.append(office)

    def _title_holder(self, m: re.Match[str]) -> _Cluster | None:
        """The cluster of whoever held a title named alone ("the Queen") on the publication date."""
        day = self.article.published
        country_text = m.group("country").strip()
        # "the Kremlin chief" is Russia's president
        role = "President" if country_text == "Kremlin" else canonical_role(m.group("role"))
        stated = self.gaz.country("Russia" if country_text == "Kremlin" else country_text) if country_text else None
        # "the Queen" alone, or "the Russian president": an office one person held on the day
        named = role in _TITLE_ONLY and m.group("role")[:1].isupper()
        if day is None or not (named or (stated is not None and role in _STATE_TITLES)):
            return None
        if re.match(r"[’']s\s+[A-Z]|\s+[A-Z][a-z]", self.text[m.end() : m.end() + 4]):
            return None  # "the Queen’s Own Rifles", "the Queen Mary hospital": a name, not the monarch
        holders = self.gaz.holders(role, day, stated.name if stated else None)
        if len(holders) > 1 or (role in _NEEDS_COUNTRY and stated is None):
            # several monarchs at once: the one whose country the article names most; English news's
            # "the Queen" or "the King" is the British one when the article names none of them
            counts = self._country_counts()
            ranked = sorted(holders, key=lambda h: -counts.get(h[1].country or "", 0))
            top = [h for h in ranked if counts.get(h[1].country or "", 0) == counts.get(ranked[0][1].country or "", 0)]
            if len(top) == 1 and counts.get(top[0][1].country or "", 0) > 0:
                holders = top
            else:
                holders = [h for h in holders if h[1].country == "United Kingdom" and role in ("King", "Queen")]
        if len(holders) != 1:
            return None
        entry = holders[0][0]
        names = {key(n) for n in (entry.name, *entry.aliases)}
        for c in self.clusters:
            if c.entry is entry:
                return c
            # "King Frederik ... the King": the holder's own name, which the gazetteer alone did not link
            if c.entry is None and any(key(f"{role} {c.name}") == n or key(c.name) == n for n in names):
                c.entry = entry
                return c
        c = _Cluster(entry.name, entry=entry)
        self.clusters.append(c)
        return c

    def _country_counts(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = {}
            for ent in self.ents:
                if ent.label_ in ("GPE", "NORP", "LOC"):
                    found = self.gaz.country(ent.text)
                    if found is None and (place := self.gaz.one(ent.text, "place")) is not None and place.country:
                        found = self.gaz.country(place.country)
                    if found is not None:
                        self._counts[found.name] = self._counts.get(found.name, 0) + 1
        return self._counts

    def _overlaps(self, m: re.Match[str]) -> bool:
        """Whether a candidate mention overlaps one already found ("Putin" inside "Vladimir Putin")."""
        return any(s.start < m.end() and m.start() < s.end for c in self.clusters for s in c.mentions)

    def _inside_entity(self, start: int, end: int) -> bool:
        for ent in self.ents:
            if ent.start_char <= start and end <= ent.end_char and ent.label_ != "PERSON":
                # a surname alone the NER labelled a place or a body is still the person's, unless the
                # gazetteer knows it as something else
                alone = (ent.start_char, ent.end_char) == (start, end)
                if not alone or self.gaz.lookup(ent.text, "country", "place", "organisation", "event"):
                    return True
        return start in self.by_mention

    def _nominal_target(self, m: re.Match[str]) -> _Cluster | None:
        role = canonical_role(m.group("role"))
        country = self.gaz.country(m.group("country").strip()) if m.group("country").strip() else None
        candidates = []
        later: list[tuple[int, _Cluster]] = []  # holders named only after a capitalised title ("The Federal President")
        for c in self.clusters:
            from_gaz = self._gaz_office(c)
            offices = c.offices or ([from_gaz] if from_gaz else [])
            before = [s for s in c.mentions if s.start < m.start()]
            if not before:
                head = role.lower().replace("-", " ").split()[-1]
                if m.group("role")[:1].isupper() and any(
                    o.role.lower().replace("-", " ").endswith(head) for o in offices
                ):
                    later.append((c.mentions[0].start, c))
                continue
            for o in offices:
                held = o.role.lower().replace("-", " ")
                words = [w.replace("-", " ") for w in _NOMINAL_ROLES.get(role.lower(), ())]
                own = role.lower().replace("-", " ")
                role_ok = role == "Leader" or (any(w in held for w in words) if words else held.endswith(own))
                country_ok = country is None or (o.country is not None and o.country.wikidata == country.wikidata)
                if role_ok and country_ok:
                    candidates.append((before[-1].start, c))
                    break
        if not candidates and not later and m.group(0)[:1] == "T" and role != "Leader":
            # "Ana Lind headed the delegation. ... The Serbian minister noted": a title opening a sentence
            # is the person named last, when the text has given them no office yet
            named = [
                (s.start, c)
                for c in self.clusters
                for s in c.mentions
                if s.start < m.start() and m.start() - s.start < 400
            ]
            if named:
                last = max(named, key=lambda x: x[0])[1]
                if not last.offices and self._gaz_office(last) is None and not (last.entry and last.entry.historical):
                    return last
        if not candidates and later:
            # "The Federal President gave a speech ... Federal President Frank-Walter Steinmeier": a title
            # the article names its holder by only later, in the next paragraphs
            first = min(later, key=lambda x: x[0])
            if first[0] - m.end() < 600:
                return first[1]
        return max(candidates, key=lambda x: x[0])[1] if candidates else None

    # --- offices -----------------------------------------------------------------------------

    def offices(self) -> None:
        for c in self.clusters:
            if not c.offices and c.entry is None and c.mentions and _PEERAGE.fullmatch(c.name):
                # "the Duchess of Cornwall": a royal or noble title is the name and the office at once
                first = c.mentions[0]
                c.offices.append(Office(c.name, None, first, True))
            for span in c.mentions:
                for office in self._offices_at(span):
                    # one statement per office: "Merkel, the German chancellor" twice is one claim
                    same = [
                        o
                        for o in c.offices
                        if (o.role, o.country, o.current) == (office.role, office.country, office.current)
                    ]
                    if not same:
                        c.offices.append(office)
        for c in self.clusters:
            if not c.offices:
                self._counterpart(c)

    def _counterpart(self, c: _Cluster) -> None:
        """The office of a counterpart: the possessor's role, in the counterpart's own country."""
        for span in c.mentions:
            line_start = self.text.rfind("\n", 0, span.start) + 1
            left_start = max(line_start, span.start - 60)
            m = _COUNTERPART.search(self.text[left_start : span.start])
            if m is not None:
                at, country = (
                    left_start + m.start(),
                    self._country(m.group("country") or "") or self._country(m.group("of") or ""),
                )
            else:
                # "his counterparts from Gambia, Adama Barrow, Guinea-Bissau, Umaro Sissoco Embaló, and
                # Assoumani Azali from Comoros": each name of the list, with the country beside it
                wide_start = max(line_start, span.start - 250)
                listed = _COUNTERPART_LIST.search(self.text[wide_start : span.start])
                if listed is None:
                    continue
                before = _LIST_COUNTRY_BEFORE.search(listed.group("rest"))
                after = _LIST_COUNTRY_AFTER.match(self.text[span.end : span.end + 40])
                country = (self._country(before.group("of")) if before else None) or (
                    self._country(after.group("of")) if after else None
                )
                if country is None:
                    continue
                at = wide_start + listed.start()
            owners = []
            for other in self.clusters:
                from_gaz = self._gaz_office(other)
                held = [o for o in other.offices if o.current] or ([from_gaz] if from_gaz and from_gaz.current else [])
                near = [s for s in other.mentions if line_start <= s.start < at]
                if other is not c and held and near:
                    owners.append((near[-1].start, held[0]))
            if owners:
                role = max(owners, key=lambda x: x[0])[1].role
                ref = country.ref if country else None
                start = at
                c.offices.append(Office(role, ref, Span(start, span.end, self.text[start : span.end])))
                return

    def _offices_at(self, span: Span) -> list[Office]:
        line_start = self.text.rfind("\n", 0, span.start) + 1
        left = self.text[max(line_start, span.start - 80) : span.start]
        for cut in reversed(list(_SENTENCE_END.finditer(left))):
            if cut.group(1) not in _ABBREVIATIONS and len(cut.group(1)) > 1:
                left = left[cut.end() :]
                break
        right = self.text[span.end : span.end + 80]
        found: list[Office | None] = []
        m = _BEFORE.search(left)
        # a lower-case role names an office when a country or place qualifies it ("Prague mayor X")
        qualified = self._country(m.group("country") or "") is not None if m else False
        # a lower-case office of a named body ("the speaker of the Knesset Amir Ohana") or of a
        # portfolio ("her defence minister Jan Berg") is an office too
        of_body = bool(m and m.group("of") and re.search(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+$", left[: m.start("role")]))
        portfolio = bool(
            m
            and " " in m.group("role").strip()
            and re.search(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+$", left[: m.start("role")])
        )
        if m and (
            m.group("role")[:1].isupper()
            or qualified
            or of_body
            or portfolio
            or m.group("country").strip().lower() == "opposition"
            or (m.group("role").lower() == "leader" and bool(_PARTY.search(m.group("country"))))
            or _QUALIFIED_ROLE.match(m.group("role"))
        ):
            found.append(self._office(m, span.start - len(left) + m.start(), span.end))
        m = _AFTER.match(right)
        if m and m.group("of"):
            # "Jan Berg, the president of the Parliament Ana Lind": the title is the next name's
            run = re.match(r"(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", right[m.start("of") :])
            if run and self._body_then_name(span.end + m.start("of") + run.start(1), run.group(1)) is not None:
                m = None
        if (
            m
            and m.group("role")[:1].isupper()
            and (n := _TITLE_BEFORE_NEXT.match(right, m.end()))
            and self._a_body(n, span.end)
        ):
            m = None  # "Kevin Schneider, Commissioner, Defense POW/MIA Accounting Agency, Kelly McKeague"
        if m and not (m.group("role")[:1].isupper() and re.match(rf"\s+{_NAME_WORD}\s+{_NAME_WORD}", right[m.end() :])):
            # "Tomasz Grodzki, Deputy Prime Minister Piotr Glinski": the title is the next name's
            found.append(self._office(m, span.start, span.end + m.end()))
        m = _APPOS_BEFORE.search(left)
        if m:
            found.append(self._office(m, span.start - len(left) + m.start(), span.end))
        if not any(o is not None and not is_rank(o.role) for o in found):
            found.append(self._long_title(span, line_start) or self._title_first(span))
        # a list of names after a plural office runs longer than one name's context
        wide = self.text[max(line_start, span.start - 160) : span.start]
        for pattern, context in ((_LISTED, left), (_PLURAL_APPOS, wide)):
            m = pattern.search(context)
            if m:
                found.append(self._office(m, span.start - len(context) + m.start(), span.end))
        offices = [o for o in found if o is not None]
        # "Admiral Sir Ann Lee, the First Sea Lord": the office says more than the rank, which is kept
        # after it ("the admiral said")
        held = [o for o in offices if not is_rank(o.role)][:1]
        return held + [o for o in offices if is_rank(o.role)][:1]

    def _long_title(self, span: Span, line_start: int) -> Office | None:
        """A capitalised title of a body named at length right before ``span``, the nearest that holds
        no other person and no sentence's end."""
        left_start = max(line_start, span.start - 200)
        for r in reversed(list(_ROLE.finditer(self.text, left_start, span.start))):
            if not r.group(0)[:1].isupper():
                continue
            m = _LONG_TITLE.match(self.text, r.start(), span.start)  # "$" is the name's start
            if m is None:
                continue
            inside = self.doc.char_span(m.start("of"), m.end("of"), alignment_mode="expand")
            if (
                inside is None
                or any(t.ent_type_ == "PERSON" for t in inside)
                or any(t.is_sent_start for t in inside[1:])
            ):
                return None
            return self._office(m, m.start(), span.end)
        return None

    def _title_first(self, span: Span) -> Office | None:
        """A title, its body and then the holder, listed from the sentence's start or after "and"."""
        tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None or not self.doc.has_annotation("SENT_START"):
            return None
        sent_start = tokens.sent.start_char
        m = _TITLE_FIRST.search(self.text[sent_start : span.start])
        if m is None or not m.group("role")[:1].isupper() or (m.group("body") and not self._a_body(m, sent_start)):
            return None
        group = "of" if m.group("of") else "body"
        inside = self.doc.char_span(sent_start + m.start(group), sent_start + m.end(group), alignment_mode="expand")
        if inside is None or any(t.ent_type_ == "PERSON" for t in inside):
            return None
        return self._office(m, sent_start + m.start("role"), span.end)

    def _a_body(self, m: re.Match[str], offset: int = 0) -> bool:
        """Whether a match's ``body`` names a body: a body's word, or an organisation the NER saw."""
        words = m.group("body").split()
        if any(w.strip("()") in _BODY_WORDS for w in words):
            return True
        inside = self.doc.char_span(offset + m.start("body"), offset + m.end("body"), alignment_mode="expand")
        return inside is not None and any(t.ent_type_ == "ORG" for t in inside)

    def _office(self, m: re.Match[str], start: int, end: int) -> Office | None:
        role = canonical_role(m.group("role"))
        country_text = (m.groupdict().get("country") or m.groupdict().get("owner") or "").strip()
        of = (m.groupdict().get("of") or "").strip()
        country = self._country(country_text) or self._country(of)
        if role == "Leader" and re.search(r"(?i)\bopposition\b", self.text[start:end]):
            role = "Opposition Leader"
        elif role == "Leader" and country is None and _PARTY.search(country_text):
            role = "Party Leader"  # "Labour leader Keir Starmer", "Law and Justice leader Jaroslaw Kaczynski"
        elif role == "Leader" and country is None:
            return None  # "community leader", "rebel leader": no office we can name
        tail = re.match(r"[^,;.()\n]{0,60}", self.text[end:])
        body = f"{country_text} {self.text[start:end]} {tail.group(0) if tail else ''}"
        if role in _BODY_HEADS and _CIVIL_BODY.search(body) and not _STATE_NAMED.search(body):
            return None  # the president of a community, a congress or a foundation holds no state office
        if role == "Head" and not _STATE_BODY.search(body):
            return None  # "the head of the family", the head of a people's council
        # "then French president" held the office at the time of the event told; "former" did not
        then = (m.groupdict().get("then") or "").strip().lower()
        current = not then or then.startswith("then")
        ref = country.ref if country else None
        return Office(role, ref, Span(start, end, self.text[start:end]), current)

    def _country(self, text: str) -> Entry | None:
        text = re.sub(r"^(?:the|The)\s+", "", text.strip())
        text = re.sub(r"(?:'s|’s)$", "", text)
        if not text:
            return None
        found = self.gaz.country(text)
        if found is None:
            for word in text.split():
                found = self.gaz.country(word)
                if found is not None:
                    break
        if found is None:
            # "the mayor of Dresden": the country the place is in
            place = next(iter(self.gaz.lookup(text, "place")), None)
            if place is not None and place.country:
                found = self.gaz.country(place.country)
        return found

    def _gaz_office(self, c: _Cluster) -> Office | None:
        if c.entry is None or c.entry.historical or not c.entry.offices:
            return None
        term = c.entry.office_at(self.year)
        current = term is not None
        if term is None and self.year is not None:
            earlier = [o for o in c.entry.offices if o.start is not None and o.start <= self.year]
            term = earlier[-1] if earlier else None
        if term is None:
            return None
        country = self.gaz.country(term.country) if term.country else None
        ref = country.ref if country else None
        first = c.mentions[0]
        return Office(term.role, ref, first, current)

    # --- result ------------------------------------------------------------------------------

    def result(self) -> PeopleResult:
        people: list[Person] = []
        by_offset: dict[int, Ref] = {}
        genders: dict[Ref, str | None] = {}
        for c in self.clusters:
            name = c.entry.name if c.entry else c.name
            offices = list(c.offices)
            if not offices and (g := self._gaz_office(c)) is not None:
                offices.append(g)
            elif offices and c.entry is not None:
                offices = [self._fill_country(o, c.entry) for o in offices]
            context = next((o.country.name for o in offices if o.country), self.article.id)
            ref = Ref("person", name, c.entry.wikidata if c.entry else None, scope=context)
            # a leader holds an office and takes part: text-stated offices must be current ("then-US
            # President Roosevelt" is not); a gazetteer office counts when the text states none
            # (a former chancellor at a past parade); wartime figures and officials' spouses are not
            if c.entry is not None and c.entry.historical:
                offices = [Office(o.role, o.country, o.span, False) for o in offices]
            stated = [o for o in c.offices if not _SPOKESPERSON.search(o.role)]
            if c.offices:
                # an officer named by rank alone leads only when quoted (see kg.extract), a former
                # holder only when the text has them take part
                active = any(o.current and not is_rank(o.role) for o in stated) or (
                    any(not o.current and re.search(r"(?i)\b(?:former|ex-)", o.span.text) for o in stated)
                    and self._takes_part(c)
                )
            else:
                active = any(can_lead(o) or not o.current for o in offices)
            leader = active and not (c.entry and c.entry.historical) and not c.kin_only and not self._only_honoured(c)
            people.append(Person(ref, tuple(sorted(c.mentions)), tuple(offices), leader, self._written(c, name)))
            for span in c.mentions:
                by_offset[span.start] = ref
            genders[ref] = c.entry.gender if c.entry else None
        pairs = zip(self.clusters, people, strict=True)
        historical = frozenset(p.ref for c, p in pairs if c.entry is not None and c.entry.historical)
        return PeopleResult(tuple(people), by_offset, genders, historical)

    @staticmethod
    def _written(c: _Cluster, name: str) -> str | None:
        """The article's own spelling of a full name the gazetteer spells otherwise ("Alyaksandr
        Lukashenka", "Abdel Fattah al-Sisi"); a shorter mention ("Lukashenka") is no spelling of it."""
        if c.entry is None:
            return None
        stems = {w[:5] for w in key(name).split() if len(w) > 2}
        names = [
            " ".join(m.text.split())
            for m in c.mentions
            if re.fullmatch(rf"(?:{_NAME_WORD}\s+){{1,3}}{_NAME_WORD}", m.text.strip())
            and not re.match(r"(?:The|A|An)\s", m.text.strip())  # "The Pope" is a title, not a spelling
            and {w[:5] for w in key(m.text).split()} & stems
        ]
        full = max(names, key=len, default="")
        if len(full.split()) < len(name.split()) or key(full) == key(name):
            return None
        return full

    def _takes_part(self, c: _Cluster) -> bool:
        for span in c.mentions:
            s = self.text.rfind(". ", 0, span.start) + 1
            e = self.text.find(". ", span.end)
            if _TAKES_PART.search(self.text[s : e if e != -1 else len(self.text)]):
                return True
        return False

    def _fill_country(self, office: Office, entry: Entry) -> Office:
        if office.country is not None:
            return office
        if office.role.lower() in _GENERIC_ROLES and (term := entry.office_at(self.year)) is not None:
            # "the heads of state of Gambia, Adama Barrow, and ...": the office he held that year
            country = self.gaz.country(term.country) if term.country else None
            return Office(term.role, country.ref if country else None, office.span, office.current)
        for term in reversed(entry.offices):
            if term.country and office.role.lower() in term.role.lower():
                country = self.gaz.country(term.country)
                if country is not None:
                    ref = country.ref
                    return Office(office.role, ref, office.span, office.current)
        return office


def find_people(doc: Doc, article: Article, gazetteer: Gazetteer) -> PeopleResult:
    """People in ``doc`` with their mentions and offices, linked to the gazetteer where certain."""
    finder = _Finder(doc, article, gazetteer)
    finder.cluster()
    finder.offices()
    finder.nominal()
    finder.offices()
    return finder.result()


__all__ = ["ROLE_WORDS", "PeopleResult", "canonical_role", "find_people"]
