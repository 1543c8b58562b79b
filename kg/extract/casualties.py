"""Casualty figures: ranges, hedges, the group counted, the measure, and the event.

Only people killed are deaths; "casualties" (killed and wounded), wounded, missing and prisoners
are other measures, and troops deployed are no figure at all. A figure is kept as stated: "15 to 20
million" stays a range, "an estimated 27 million" keeps its hedge.
"""

from __future__ import annotations

import re

from kg.extract.dates import sentence_bounds
from kg.extract.numbers import LARGE_SCALE, NUMBER, SCALE, parse_number
from kg.gazetteer import Entry, Gazetteer
from kg.records import CasualtyFigure, Ref, Span

_HEDGES = (
    r"no\s+(?:fewer|less)\s+than|not\s+less\s+than|in\s+excess\s+of|perhaps|possibly|"
    r"an\s+estimated|estimated|at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|roughly|"
    r"approximately|as\s+many\s+as|as\s+high\s+as|close\s+to|fewer\s+than|less\s+than|upwards\s+of|well\s+over|just\s+over|"
    r"just\s+under|an\s+estimated\s+total\s+of|a\s+total\s+of|tens\s+of|hundreds\s+of"
)
# a figure starts a word ("ten" inside "often" is none); the lookahead lets the scan skip the rest fast
_RANGE = re.compile(
    r"\b(?=[\da-z])(?:"
    rf"(?:(?P<hedge>{_HEDGES})\s+)?(?:between\s+(?P<low>{NUMBER})\s+and\s+(?P<high>{NUMBER})"
    rf"|(?P<low2>{NUMBER})(?:\s*(?:–|to)\s*|(?<=\d)-(?=\d)|\s+-\s+)(?P<high2>{NUMBER}))\b"
    rf"|(?:(?P<hedge1>{_HEDGES})\s+)?(?P<one>{NUMBER})\b)",
    re.I,
)
_DEATH = re.compile(  # lower case only: "Memorial Hall of the Victims" names a place, not deaths
    r"\b(?:killed|killing|dead|deaths?|died|die|dying|lives|life|lost|loss(?:es)?|murdered|murder|perished|"
    r"slaughtered|massacred|executed|exterminated|starved|frozen\s+to\s+death|death\s+toll|fatalities|"
    r"victims|claimed|shot|gassed|annihilated|wiped\s+out|slain|fallen|fell|toll|burn(?:ed|t)\s+(?:alive|to\s+death)|"
    r"buried\s+alive|hanged|drowned|beheaded|bayoneted|tortured\s+to\s+death|suffocated)\b",
)
# verbs after "were"/"was" that leave the measure to other words: "are estimated to have died"
# nouns that add nothing to a demonym: "450,000 British lives" counts the United Kingdom's dead,
# while "Chinese soldiers" or "British civilians" name a group of their own
_POPULATION_WORDS = frozenset("people persons lives dead citizens nationals".split())
_NEUTRAL_VERBS = frozenset(
    """estimated believed thought said reported feared confirmed buried known among
    wounded injured missing""".split()
)
_CASUALTY = re.compile(r"\bcasualties\b", re.I)
_WOUNDED = re.compile(r"\b(?:wounded|injured|injuries)\b", re.I)
_MISSING = re.compile(r"\bmissing\b", re.I)
_PRISONER_ONLY = re.compile(r"\b(?:taken\s+prisoner|captured|deported|evacuated|rescued|survived|survivors)\b", re.I)
_PEOPLE_NOUNS = (
    r"people|persons|lives|civilians|soldiers|troops|servicemen|service\s+members|sailors|marines|airmen|"
    r"prisoners\s+of\s+war|prisoners|POWs|victims|Jews|children|women|men|boys|girls|residents|inhabitants|citizens|"
    r"officers|Poles|Roma|Americans|Britons|Soviets|Chinese|Japanese|Germans|Russians|Ukrainians|Belarusians|"
    r"Frenchmen|Canadians|Australians|Filipinos|Koreans|Allied\s+(?:troops|soldiers|forces|servicemen)|"
    r"servicemen\s+and\s+women|dead|fighters|partisans|insurgents|defenders|inmates|patients|Red\s+Army\s+soldiers|"
    r"labou?rers|workers|villagers|refugees|internees|detainees|deportees|conscripts|crew(?:men)?|passengers|"
    r"personnel|families|Poles|Slavs|Sinti|(?:non-)?combatants|policemen|police\s+officers|hostages|guerrillas|"
    r"pilots|nurses|priests|students|pupils|schoolchildren|babies|infants|peasants|farmers|miners|militants|rebels|"
    r"family\s+members|relatives|comrades|members|forces|paratroopers|commandos|infantrymen|riflemen|gunners|"
    r"guardsmen|legionnaires|volunteers|recruits|cadets|seamen|aircrew|servicewomen|"
    # a people named by a capitalised plural ("3,474 Cretans", "47,627 Serbs"): a group of its own
    r"(?-i:[A-Z][a-z]{2,}(?:ans|ians|ese|ns|s))(?=\s+(?:were|was|died|perished|killed|dead|lost|murdered|who)\b)"
)
# words that say how people died or who they were, not which people: "93 innocent people", "6 million
# murdered Jews" count people and Jews
_VICTIM_ADJ = r"(?:innocent|unarmed|defenceless|defenseless|murdered|slain|fallen|killed|dead|ordinary|young|elderly)"
# a word that says which of the people, not who they were: "its 33 adult inhabitants"
_QUALITY = rf"(?!(?:were|was|are|is|of|and|or|in|the|who|had|have|been|also|all|{_PEOPLE_NOUNS})\b)[a-z]{{3,}}"
# a people no list names, known by what befell them: "35 tirailleurs were killed", "12 monks died"
_NAMED_BY_DEATH = (
    r"[a-z]{3,}s(?=\s+(?:(?:were|had\s+been)\s+(?:\w+ly\s+)?(?:killed|murdered|executed|shot|massacred|slain|gassed|"
    r"hanged)|died|perished)\b)"
)
# people named by sex or age, whose group is whose they were: "men and women of the Commonwealth forces"
_KIN = frozenset("men women children boys girls".split())
_FORCES = r"(?:forces|army|armies|navy|fleet|units|divisions?|regiments?)"
# where the dead lie is no group of theirs: "many of whom are buried at the Piskaryovskoye cemetery"
BURIED = re.compile(r"\b(?:buried|interred|laid\s+to\s+rest|reburied|graves?)\b", re.I)
# a number of people named in the sentences before a bare figure: "5,000 Canadians", "240 Poles"
_COUNTED = re.compile(
    rf"{NUMBER}\s+(?:{_VICTIM_ADJ}\s+)?(?P<g>(?:[A-Z][\w-]+\s+){{0,2}}(?:{_PEOPLE_NOUNS}|[A-Z][a-z]{{2,}}(?:ans|ians|ese|ns)))\b"
)
# a people named right before a parenthesised figure: "Roma (16,173)", "ethnic Serbs (47,627)"
_LISTED = re.compile(
    rf"(?P<g>\b(?:(?:(?!(?:and|or|were|are|was|of|including|included)\b)[a-z]+|[A-Z][\w-]+)\s+)?(?:[A-Z][\w-]+|{_PEOPLE_NOUNS}))\s*\(\s*(?:about\s+|some\s+)?$"
)
_NOT_PEOPLE = re.compile(
    # "242 Japanese aircraft", "eight enemy ships": a thing counted, whoever owned it
    r"^\s*(?:(?:(?-i:[A-Z][\w-]+)|enemy|allied|military|war)\s+(?=aircraft|planes?|warplanes?|bombers?|ships?|"
    r"tanks?|vehicles|guns?|vessels|submarines|destroyers|warships))?"
    r"(?:%|per\s*cent|percent|years?|km|kilomet|miles?|tons?|tonnes?|tanks?|aircraft|planes?|ships?|warplanes?|"
    r"bombers?|vessels|submarines|destroyers|warships|"
    r"guns?|rubles?|roubles?|dollars?|euros?|pounds?|yuan|yen|square|metres?|meters?|feet|times|days?|"
    r"hours?|weeks?|months?|minutes?|seconds?|kilomet|metres|st\b|nd\b|rd\b|th\b|anniversary|visitors?|spectators?|copies|views|votes|"
    r"vehicles|pieces|units|bombs?|missiles?|rounds|villages|towns|cities|hamlets|settlements|houses|homes|"
    r"buildings|churches|schools)",
    re.I,
)
# a place named as what a bombing, raid, siege or massacre struck
_STRUCK = re.compile(
    r"\b(?:bomb(?:s|ed|ing)?|raids?|attacks?|siege|massacre|destruction|blockade|fall)\s+(?:\w+\s+){0,4}?"
    r"(?:of|on|over|in|at)\s+(?:the\s+)?(?P<p>[A-Z][\w’'-]+)"
    r"|\b(?P<p2>[A-Z][\w’'-]+)(?:'s|’s)?\s+(?:bombing|siege|massacre|blockade)\b"
)
_CALENDAR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# a noun whose value a bare figure gives: "the toll ... put at 200,000", "the figure most often cited is
# about 100,000", "Estimates range from 70,000 to 200,000"; the last one in the words before the figure
_TALLY = re.compile(
    r"(?:\b(?P<toll>(?:death\s+)?toll)|\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]heir|[Ii]ts|[Oo]fficial|[Tt]otal|[Ff]inal)\s+"
    r"(?:\w+\s+)?(?:number|figures?|estimates?|count|tally)|\b(?:[Ee]stimates|[Ff]igures))\b(?!\s+of\s+(?!the\s+dead))"
    r"(?!.*\b(?:toll|number|figures?|estimates?|count|tally)\b)",
)
# "Of the 140,000 Jews who lived there, 102,000 were murdered": the first figure counts all of whom the
# second counts the dead, unless its own words say they died ("Of the 6 million Jews killed, ...")
_BASE = re.compile(r"(?:^|[^\w])[Oo]f\s+(?:the\s+|all\s+the\s+)?$")
_BASE_REST = re.compile(
    rf"([^,;.]*),\s+(?:(?:only|just|some|about|nearly|almost|around|over|more\s+than)\s+)*{NUMBER}\b", re.I
)
_WHOLE = re.compile(
    rf"\b[Oo]f\s+(?:the\s+|all\s+the\s+)?(?:(?:{_HEDGES})\s+)?{NUMBER}\s+(?P<g>(?:[A-Z][\w-]+\s+){{0,2}}"
    rf"(?:{_PEOPLE_NOUNS}|[A-Z][a-z]{{2,}}(?:ans|ians|ese|ns)))\b[^,;.]*,\s*"
    r"(?:(?:only|just|some|about|nearly|almost|around|over|more\s+than)\s+)*$"
)
# "five of its pilots were killed": the people a small number is a part of, and what befell them
_PART_OF = re.compile(
    rf"\s+of\s+(?:its|their|the|his|her|our)\s+(?P<g>(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE_NOUNS}))\s+"
    r"(?:were|was|had\s+been|have\s+been)\s+(?:(?:\w+ly|later|then|also|all)\s+)?(?P<v>\w+)"
)
# "and 45 of them died there": a part of the people the sentence told of, and what befell them
_OF_THEM = re.compile(
    r"\s+of\s+(?:them|those|these|whom)\s+(?:(?:were|was|had\s+been|have\s+been|had|have)\s+)?"
    r"(?:(?:\w+ly|later|then|also|all|subsequently)\s+)?(?P<v>\w+)"
)
# the people a number counted before in the sentence: "About 2,200 islanders were deported ..."
_COUNTED_BEFORE = re.compile(
    r"\b\d[\d,.]*\s+(?:[A-Za-z-]+\s+)?(?P<n>(?!(?:years|months|weeks|days|hours|decades|percent|times)\b)[a-z]+s)\b"
)
_OWNED_TOLL = re.compile(
    r"\b(?P<d>[A-Z][\w-]+)(?:'s|’s)?\s+(?:(?:military|civilian|war|wartime|total)\s+)?(?:deaths|losses|dead|death\s+toll)"
    r"\s+(?:at|to|of|as)\s+(?:(?:about|around|some|nearly|roughly|over|more\s+than|at\s+least)\s+)?$"
)
_TALLY_WORDS = re.compile(
    r"(?i)(?:(?:total|final|official|estimated)\s+)?(?:death\s+toll|toll|dead|deaths|killed|casualties|victims|losses|total)"
)
# a list's entry: "Soviet Union: 24-27 million", "- Poland: around 5.8 million"
_LIST_ENTRY = re.compile(rf"\s*(?:[-•*–]\s+)?(?P<g>[A-Z][\w.’' -]{{1,40}}?)\s*:\s*(?:(?:{_HEDGES})\s+)?")
_ALIVE = re.compile(
    r"\b(?:(?:are|is|were|was|remain(?:s|ed)?)\s+(?:still\s+)?alive|still\s+(?:alive|living)|survived|survive|surviving|"
    r"escap(?:e|ed|es|ing)|fled)\b"  # "200 fighters managed to escape, but half of them were later killed"
)
_NOT_DEATHS_CONTEXT = re.compile(
    r"\b(?:(?-i:marched|march)|(?:took|tak(?:e|es|ing))\s+part|participat(?:ed|ing|e|es)|attend(?:ed|ing|s)?|landed|"
    r"stormed|deployed|mobilized|mobilised|served|veterans|spectators|watch(?:ed|ing)|gather(?:ed|ing)|invited|"
    r"paraded|join(?:ed|ing)|welcomed|greeted|mourners|crowds?|visitors)\b",
    re.I,
)


def _canon_hedge(text: str | None) -> str | None:
    if not text:
        return None
    t = " ".join(text.lower().split())
    return {"an estimated": "estimated", "over": "more than", "around": "about", "approximately": "about",
            "roughly": "about", "almost": "nearly", "as many as": "up to", "well over": "more than",
            "upwards of": "more than", "just over": "more than", "close to": "nearly",
            "as high as": "up to", "no fewer than": "at least", "no less than": "at least",
            "not less than": "at least", "in excess of": "more than", "perhaps": "possibly"}.get(t, t)  # fmt: skip


class _Finder:
    def __init__(self, text: str, gaz: Gazetteer, article_id: str, busy: list[tuple[int, int]]) -> None:
        self.text = text
        self.gaz = gaz
        self.article_id = article_id
        self.busy = busy  # dates and other spans whose digits are no figures
        self.quality: dict[int, int] = {}
        self.last_group: Ref | None = None  # the last figure's group, for "the toll" mentioned again
        self.bounds = sentence_bounds(text)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around text[start:end]."""
        for s, e in self.bounds:
            if s <= start < e:
                return s, max(e, end)
        return start, end

    def figures(self) -> list[CasualtyFigure]:
        found: list[CasualtyFigure] = []
        for m in _RANGE.finditer(self.text):
            fig = self._figure(m)
            if fig is not None:
                found.append(fig)
        return _dedupe(found, self.quality)

    def _figure(self, m: re.Match[str]) -> CasualtyFigure | None:
        text = self.text
        if m.group("one") is not None:
            low_text, high_text = m.group("one"), m.group("one")
            num_start, num_end = m.start("one"), m.end("one")
            hedge = m.group("hedge1")
        else:
            lo, hi = ("low", "high") if m.group("low") is not None else ("low2", "high2")
            low_text, high_text = m.group(lo), m.group(hi)
            num_start, num_end = m.start(lo), m.end(hi)
            hedge = m.group("hedge")
        if any(a < num_end and num_start < b for a, b in self.busy):
            return None
        low, high = parse_number(low_text), parse_number(high_text)
        # "15 to 20 million", "6.9-7.4 million": the scale of the high end applies to the low end
        scale = re.search(rf"(?i)(?:\s+|(?<=\d))({LARGE_SCALE}|m|mn|bn)$", high_text)
        own_scale = re.search(rf"(?i)\b{SCALE}\b|\d(?:m|mn|bn)\b", low_text)
        if scale and not own_scale and (low is None or low < (high or 0) / 100):
            low = parse_number(f"{low_text} {scale.group(1)}")
        if low is None or high is None:
            return None
        if high < low or high < 2:
            return None
        if re.fullmatch(r"1[89]\d\d|20\d\d", low_text.strip()) and (
            low == high or re.fullmatch(r"1[89]\d\d|20\d\d", high_text.strip())
        ):
            return None  # a year or a span of years
        after = text[num_end : num_end + 40]
        if _NOT_PEOPLE.match(after) or re.match(r"^(?:th|st|nd|rd)\b", after):
            return None
        before = text[max(0, m.start() - 20) : m.start()]
        if re.search(
            r"[$£€]\s*$|\bNo\.\s*$|\bpage\s*$|\baged\s*$|\bage\s+of\s*$|\b(?:in|out\s+of)\s+(?:every\s+)?$", before
        ):
            return None  # money, a number or page, an age ("died in March, aged 101"), a share ("one in four")
        if re.match(r"\s+(?:in|out\s+of)\s+(?:every\s+)?(?:\d|[a-z]+\b(?<!the)(?<!their))", after) and high < 100:
            return None  # "one in four Belarusians died": a share, not a count
        if hedge is None:
            hm = re.search(rf"\b({_HEDGES})\s+(?:of\s+)?(?:the\s+)?$", text[max(0, m.start() - 25) : m.start()], re.I)
            hedge = hm.group(1) if hm else None
        c_start, c_end = self.clause(m.start(), num_end)
        clause = text[c_start:c_end]
        # the words around the number that can say what it counts: up to a dash, semicolon or sentence end
        parts = re.split(r"\s[—–-]\s|;|(?<=[.!?])\s+(?=[A-Z“\"])", text[num_end:c_end], maxsplit=2)
        right = parts[0][:100]
        if len(parts[0]) > 100:
            right = right[: right.rfind(" ")]  # no word cut short ("on G" of "on German soldiers")
        left = re.split(r"\s[—–-]\s|;", text[max(c_start, m.start() - 45) : m.start()])[-1]
        # "90 percent of Lithuanian Jews – about 200,000 people – were killed": a figure set off by dashes
        # is an aside; its sentence goes on after the closing dash, and whom it counts stands before it
        aside = re.search(r"\bof\s+(?:the\s+)?(?P<g>(?:[A-Z][\w-]+\s+){1,3})[—–-]\s$", text[c_start : m.start()])
        if aside and len(parts) > 1 and re.match(r"\s*[—–-]\s", text[num_end + len(parts[0]) :]):
            right = (parts[0] + " " + parts[1])[:100]
        group_m = re.match(
            rf"\s*(?:{_VICTIM_ADJ}\s+)?(?:(?:[A-Z][\w-]+|[a-z]+-[A-Z][\w-]+|allied|enemy|foreign)\s+(?:and\s+)?){{0,3}}"
            rf"(?:{_QUALITY}\s+)?(?:{_PEOPLE_NOUNS}|{_NAMED_BY_DEATH})"
            rf"(?:,?\s+and\s+(?:{_PEOPLE_NOUNS}))?\b",
            after,
        )
        if (
            re.search(r"[A-Z][\w.’'-]*,\s*$", text[max(0, num_start - 30) : num_start])
            and re.match(r"\s*,", after)
            and high < 130
        ):
            return None  # "Shigeaki Mori, 79," is an age
        died = re.match(r"\s*(?:(?:were|was|had\s+been|have\s+been|had|have)\s+)?(?:\w+ly\s+)?(?P<v>\w+)", after)
        # "Five of its pilots were killed in action": a part of a people, and what befell them
        part = None if group_m else _PART_OF.match(after) or _OF_THEM.match(after)
        part = part if part and _DEATH.fullmatch(part.group("v")) else None
        if not group_m and high < 100 and not part and not (died and _DEATH.fullmatch(died.group("v"))):
            return None  # small bare numbers ("two", "17") count people only with a noun or a death word
        verb = re.search(
            r"(?<!who )(?<!that )(?<!which )"
            r"\b(?:were|was|are|is|had\s+been|have\s+been|has\s+been)\s+(?:(?:\w+ly|later|then|also)\s+)?(\w+)",
            # the number's own clause: "80,000 people, about 60,000 of them were Jews" is about the 60,000
            # and "30,000 to 90,000, and the museum's count is lower" ends at its ", and the"
            re.split(
                r",\s+(?:about|some|around|nearly|over|more\s+than|up\s+to)?\s*\d|,\s+and\s+(?:the|a|an)\s|,?\s+but\s"
                # "26.6 million, of whom 8.7 million were soldiers": what follows is about a part of them
                r"|,\s+(?:of\s+(?:whom|which|them)|including|among\s+(?:them|whom))\b",
                right,
                maxsplit=1,
            )[0],
        )
        death_first = _DEATH.search(right)
        if re.match(rf"\s*(?:of\s+(?:them|those|whom)\s+)?(?:were|was)\s+(?:[A-Z]|(?:{_PEOPLE_NOUNS})\b)", right):
            verb = None  # "one million of them were Jews": who, not what happened
        if verb and death_first and death_first.start() < verb.start():
            verb = None  # "... who died during the campaign are carved into stone": the death comes first
        if verb and not _DEATH.match(right, verb.start(1)) and verb.group(1).lower() not in _NEUTRAL_VERBS:
            return None  # "20,000 women were raped": the number's own verb is no death
        own = re.split(r",|\bwhere\b|\bwho\b|\bwhich\b|\bwhen\b", right, maxsplit=1)[0]
        base = (
            _BASE_REST.match(text, num_end, c_end)
            if _BASE.search(text[max(c_start, m.start() - 12) : m.start()])
            else None
        )
        if base and not _DEATH.search(base.group(1)):
            return None  # "Of the 140,000 Jews who lived there, 102,000 were murdered": all of them, not the dead
        if _ALIVE.search(own):
            return None  # "nine of the 240 registered victims are still alive", "300 survived the raid"
        # the words before, within the figure's own clause: "Of the 4,963 who took part, 916 were killed"
        near = re.split(r",\s", left)[-1][-25:]
        if _NOT_DEATHS_CONTEXT.search(near) or (_NOT_DEATHS_CONTEXT.search(own) and not _DEATH.search(own)):
            return None  # "Xi joined about 10,000 people", "2,000 people gathered at Khatyn, where ..."
        listed = re.match(r"\s*\)", text[num_end:]) and _LISTED.search(text[max(c_start, m.start() - 40) : m.start()])
        measure = self._measure(left + " " + right, after, bool(group_m))
        if measure is None and listed and _DEATH.search(clause):
            measure = "deaths"  # "the dead: ethnic Serbs (47,627), Roma (16,173) and Jews (13,116)"
        if (
            measure is None
            and re.search(r"(?:,|\band|\bincluding|\bincluded|:|\balong\s+with|\bas\s+well\s+as)\s*$", left)
            and _DEATH.search(clause)
        ):
            # one item of a list of the dead: "..., some 21,000 Roma and ...", "along with some 7,300 ..."
            measure = "deaths"
        prev = next((text[a:b] for a, b in reversed(self.bounds) if b <= c_start), "")
        tally = None
        if measure is None and not group_m:
            tally = self._tally(text[c_start : m.start()], prev)
            measure = "deaths" if tally else None
        # "China: 15-20 million." on a line of its own, in a list after words of the dead
        line_start = text.rfind("\n", 0, m.start()) + 1
        entry = _LIST_ENTRY.fullmatch(text, line_start, m.start())
        if entry and _TALLY_WORDS.fullmatch(entry.group("g").strip()):
            entry = None  # "Death toll: 25,000": the line says what, not whose
        if entry and measure is None and _DEATH.search(text[max(0, line_start - 400) : line_start]):
            measure, tally = "deaths", entry
        if measure is None:
            return None
        clear = tally or re.search(
            r"\b(?:dead|died|killed|killing|lives|victims|murdered|perished|lost|deaths|toll|losses)\b",
            left + right,
            re.I,
        )
        continues = re.match(r"\s*(?:of\s+(?:its|their|whom|them|those|the\s+dead)|who|were|was|had|have)\b", after)
        if not group_m and measure == "deaths" and not clear and not continues and not listed and not part:
            return None  # bare numbers need a noun or a clear death word
        if re.match(
            r"\s*(?:[\w,]+\s+){0,4}?(?:over|in|during)\s+the\s+(?:past|last)\s+(?:year|12\s+months|twelve\s+months)\b",
            right,
        ):
            return None  # "More than 17,000 died over the past year": survivors' deaths of this year, not the war's
        if re.search(r"\bfor\s+(?:every|each)\b", right[:60]):
            return None  # "100 civilians shot for every German soldier killed": a ratio ordered, not a toll
        if _NOT_DEATHS_CONTEXT.search(right[:60]) and not _DEATH.search(right[:60]) and not _DEATH.search(left):
            return None  # "some 2,000 people, with veterans among them": unless "that killed 2,000 people, with ..."
        if "estimated" in clause.lower() and hedge is None:
            hedge = "estimated"
        group, scope, quality = self._group(group_m, text[c_start : m.start()], right, prev)
        if entry and quality < 3:
            name = entry.group("g").strip()
            country = self.gaz.country(name)
            group = self._ref("country", country.name, country.wikidata) if country else self._ref("group", name, None)
            quality = 3
        if aside and (group is None or set(group.name.lower().split()) <= _POPULATION_WORDS):
            group, quality = self._ref("group", aside.group("g").strip(), None), 2
        if part and part.groupdict().get("g") and (group is None or quality <= 1):
            name = " ".join(part.group("g").split())
            group, quality = self._ref("group", name, None), 2
        if part and not part.groupdict().get("g") and (group is None or quality <= 1):
            counted = list(_COUNTED_BEFORE.finditer(text[c_start : m.start()]))
            if counted:  # "About 2,200 islanders were deported ..., and 45 of them died there"
                group, quality = self._ref("group", counted[-1].group("n"), None), 2
        owned = _OWNED_TOLL.search(text[c_start : m.start()])
        if owned and (group is None or quality <= 1) and (country := self.gaz.country(owned.group("d"))) is not None:
            # "put Soviet deaths at 26.6 million": whose deaths the words before the figure say
            group, quality = self._ref("country", country.name, country.wikidata), 3
        whole = _WHOLE.search(text[c_start : m.start()])
        if whole and (group is None or quality <= 1):
            # "Of the 105 children, 82 were gassed": a part of the people the clause opened on
            name = " ".join(whole.group("g").split())
            country = self.gaz.country(name)
            group, quality = (
                (self._ref("country", country.name, country.wikidata) if country else self._ref("group", name, None)),
                2,
            )
        if group is None and listed:
            # "ethnic Serbs (47,627), Roma (16,173) and Jews (13,116)": each people its own figure
            name = listed.group("g")
            country = self.gaz.country(name)
            group = self._ref("country", country.name, country.wikidata) if country else self._ref("group", name, None)
            quality = 2
        # "the toll" restated later is the whole's, not a part's ("..., of whom roughly 8.7 million were soldiers")
        a_part = re.search(r"\bof\s+(?:whom|them|those|these)\s+(?:\w+\s+)?$", text[c_start : m.start()])
        if group is not None and quality >= 2 and not a_part and not part:
            self.last_group = group
        # the event the figure's own words name ("18,000 died during the Hunger Winter") before any other
        # its sentence names ("102,000 were murdered in the Holocaust, and ...")
        event = self._event(right) or self._event(clause)
        if event is None and entry:
            event = self._event(text[max(0, line_start - 400) : line_start])  # the list's own heading
        end = max(num_end + (group_m.end() if group_m else 0), num_end)
        span_start = m.start() if (m.group("hedge") or m.group("hedge1")) else num_start
        figure = CasualtyFigure(
            span=Span(span_start, end, text[span_start:end]),
            number=Span(num_start, num_end, text[num_start:num_end]),
            low=low,
            high=high,
            measure=measure,
            hedge=_canon_hedge(hedge),
            group=group,
            event_label=event.name if event else None,
            scope=scope,
        )
        self.quality[id(figure)] = quality
        return figure

    @staticmethod
    def _tally(before: str, prev: str) -> re.Match[str] | None:
        """The noun a bare figure is the value of, when it tallies the dead: "the toll had risen to about
        140,000", "historians put the number at 1.1 million" after a sentence about the victims."""
        noun = _TALLY.search(before)
        if noun is None or re.search(r"\d", before[noun.end() :]) or len(before[noun.end() :].split()) > 10:
            return None
        if noun.group("toll") or _DEATH.search(before[: noun.start()]) or _DEATH.search(prev):
            return noun
        return None

    def _measure(self, clause: str, after: str, has_noun: bool) -> str | None:
        if _CASUALTY.search(after[:30]) or (_CASUALTY.search(clause) and not _DEATH.search(clause)):
            return "casualties"
        if _WOUNDED.search(after[:25]) and not _DEATH.search(after[:25]):
            return "wounded"
        if _MISSING.search(after[:25]):
            return "missing"
        if _DEATH.search(clause):
            return "deaths"
        if _PRISONER_ONLY.search(clause):
            return None
        return None

    def _group(
        self, group_m: re.Match[str] | None, before: str, right: str, prev: str = ""
    ) -> tuple[Ref | None, str | None, int]:
        """Who the figure counts, and how surely: 3 named in the figure's own words, 2 in an
        apposition, 1 only derived from a place, 0 unknown."""
        noun = re.sub(rf"^{_VICTIM_ADJ}\s+", "", " ".join(group_m.group(0).split())) if group_m else ""
        scope = None
        generic = {"people", "persons", "lives", "victims", "dead"}
        # population nouns yield to the country that lost them: "Poland lost six million citizens"
        population = generic | {"citizens", "civilians", "soldiers", "troops", "residents", "inhabitants", "servicemen"}
        population |= {"civilian", "military", "war"}  # "100,000 civilian lives", "822 war dead"
        if re.search(r"\band\b", noun) or re.fullmatch(r"(?:troops|soldiers|civilians)", noun, re.I):
            scope = noun
        # a country or demonym in the noun phrase ("6 million Jews", "2,403 Americans")
        words = noun.split()
        rest = {w.lower() for w in words[1:] if w.lower() != "and"}
        for w in words:
            country = self.gaz.country(w)
            if country is not None and w[:1].isupper():
                demonym = w.lower() in (d.lower() for d in country.demonyms)
                # "2,403 Americans", "450,000 British lives", "Japanese soldiers and civilians": the country
                if demonym and (len(words) == 1 or (words[0] == w and rest <= _POPULATION_WORDS)):
                    return self._ref("country", country.name, country.wikidata), scope, 3
                return self._ref("group", noun, None), scope, 3
        bare = {w.lower() for w in words if w.lower() != "and"} <= population
        if not bare and rest <= _KIN and words and words[0].lower() in _KIN:
            bare = True  # "The Japanese 15th Army lost some 53,000 men": whose men the subject says
        # "1.7 million men and women of the Commonwealth forces", "civilians of Leningrad": whose they were
        owner = (
            re.match(
                rf"\s+(?P<of>of\s+(?:the\s+)?(?P<n>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){{0,2}}(?:\s+{_FORCES})?))\b",
                right[group_m.end() :],
            )
            if group_m and (bare or rest <= _KIN)
            else None
        )
        if owner and not _CALENDAR.match(owner.group("n")):
            if (country := self.gaz.country(owner.group("n"))) is not None:
                return self._ref("country", country.name, country.wikidata), scope, 3
            return self._ref("group", f"{noun} {owner.group('of')}", None), scope, 3
        if noun and not bare:
            return self._ref("group", noun, None), scope, 3  # "Allied soldiers", "Asian labourers"
        # "About one million of them were Jews", "about one million of them Jews", "67,000 of the dead
        # were civilians": a part of the dead counted before, named by who they were
        were = re.match(
            r"^\s*(?:(?:of\s+(?:them|those|whom|the\s+dead|the\s+victims)\s+)(?:(?:were|was)\s+)?|(?:were|was)\s+)"
            rf"(?P<n>(?:[A-Z][\w-]+\s*){{1,3}}|(?:{_PEOPLE_NOUNS})\b)",
            right,
        )
        if were:
            name = were.group("n").strip()
            if (country := self.gaz.country(name)) is not None:
                return self._ref("country", country.name, country.wikidata), scope, 2
            return self._ref("group", name, None), scope, 2
        # "more than 8,000 who died as prisoners of war": who they were when they died
        died_as = re.match(
            rf"^\s*(?:\w+\s+)?who\s+(?:died|were\s+killed|perished|were\s+murdered)\s+as\s+(?P<n>(?:[A-Z][\w-]+\s+)?(?:{_PEOPLE_NOUNS}))\b",
            right,
        )
        if died_as:
            return self._ref("group", died_as.group("n"), None), scope, 2
        # "27 million people that the Soviet Union is estimated to have lost"
        rel = re.match(
            r"^\s*(?:\w+\s+){0,3}?(?:that|which|whom)\s+(?:the\s+)?(?P<n>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})",
            right,
        )
        if rel and (country := self.gaz.country(rel.group("n"))) is not None:
            return self._ref("country", country.name, country.wikidata), scope, 3
        # the country that lost them, named before the figure: "The Soviet Union lost", "China's war ... claimed"
        # within the figure's own clause: "The Japanese lost 53,000, while the Allied forces suffered 16,700"
        subject = re.split(r"\s(?:--|—|–)\s|:|;|,\s+(?:while|whereas|but)\s", before)[-1]
        for cm in re.finditer(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}", subject):
            name = re.sub(r"(?:'s|’s)$", "", cm.group(0))
            country = self.gaz.country(name)
            if country is None or country.name.lower().startswith(("nazi", "empire of", "imperial")):
                continue
            # the country must own the loss: "China's war ...", "The Soviet Union lost ..."
            owns = cm.group(0).endswith(("'s", "’s")) or re.match(
                r"\s+(?:\w+\s+){0,4}?(?:lost|suffered|mourns|mourned|counts|counted|saw|paid)\b", subject[cm.end() :]
            )
            if owns and not re.search(r"\b(?:of|against|by|with|from)\s+$", subject[: cm.start()]):
                return self._ref("country", country.name, country.wikidata), scope, 3
        # "the Allied forces suffered around 16,700 casualties": the people who suffered the loss
        sufferer = re.search(
            rf"\b(?:the\s+)?(?P<n>(?:[A-Z][\w-]+\s+){{1,3}}(?:{_PEOPLE_NOUNS}|(?-i:Army|Navy|Fleet|Corps|Air\s+Force|Division|Regiment|Brigade)))"
            rf"\s+(?:\w+\s+)?(?:lost|suffered)\s+(?:\w+\s+){{0,2}}$",
            subject,
        )
        if sufferer:
            name = re.sub(r"^The\s+", "", " ".join(sufferer.group("n").split()))
            return self._ref("group", name, None), scope, 3
        # "an estimated 50 killed and 120 injured on the German side"
        side = re.search(r"\bon\s+the\s+(?P<d>[A-Z][\w-]+)\s+side\b", re.split(r"[,;]", right, maxsplit=1)[0])
        if side and (country := self.gaz.country(side.group("d"))) is not None:
            return self._ref("country", country.name, country.wikidata), scope, 3
        # "about two million dead from both sides": the dead of both sides together
        if re.match(r"^\s*(?:\w+\s+)?(?:on|from|of)\s+both\s+sides\b", right):
            return self._ref("group", "both sides", None), scope, 2
        # "the 22,000 victims, mainly army and police officers,"
        appos = re.match(
            r"^\s*(?:\w+\s+)?,\s+(?:mainly|mostly|chiefly|largely|including|among\s+them)\s+(?P<n>[^,]{3,60}),", right
        )
        if appos:
            return self._ref("group", appos.group("n").strip(), None), scope, 2
        # the place or event the victims belong to: "murdered at the Auschwitz-Birkenau complex"
        for cm in re.finditer(
            r"\b(?:at|in|on|of|from)\s+(?:the\s+)?(?P<n>[A-Z][\w.’'-]*(?:[\s-]+(?:of\s+)?[A-Z][\w.’'-]*){0,3})", right
        ):
            name = cm.group("n").rstrip(".")
            if BURIED.search(right[: cm.start()]):
                break  # where the dead lie is no group of theirs
            if _CALENDAR.match(name):
                continue  # "in February 1945" is a date, not where the victims were
            if re.match(r"(?:'s|’s)", right[cm.end() : cm.end() + 2]) or self.gaz.lookup(name, "person"):
                continue  # "on Stalin's orders": a person, not where the victims were
            if self.gaz.country(name) is not None and not self.gaz.lookup(name, "place"):
                continue
            return self._ref("group", f"{name} victims", None), scope, 1
        # "the number of Chinese who died at around 14 million"
        of = re.search(
            r"\b(?:number|toll|count)\s+of\s+(?:the\s+)?(?P<n>[\w-]+(?:\s+[\w-]+)?)\s+(?:who|that)\s+(?:died|were\s+killed|perished)",
            before,
        )
        if of:
            country = self.gaz.country(of.group("n"))
            if country is not None:
                return self._ref("country", country.name, country.wikidata), scope, 3
            return self._ref("group", of.group("n"), None), scope, 2
        # "Soviet losses at 26.6 million": the demonym's country
        losses = re.search(r"\b(?P<d>[A-Z][\w-]+)\s+(?:war\s+)?(?:losses|dead|death\s+toll|toll)\b", before)
        if losses and (country := self.gaz.country(losses.group("d"))) is not None:
            return self._ref("country", country.name, country.wikidata), scope, 3
        if noun and noun.lower() not in generic and not (bare and noun.split()[-1].lower() in generic):
            return self._ref("group", noun, None), scope, 2
        # "other estimates put the toll as high as 1.5 million": the toll already counted
        if self.last_group is not None and re.search(r"\b(?:toll|figure|number|estimates?)\b", before[-60:]):
            return self.last_group, scope, 1
        # "About 140,000 people had died by the end of 1945" after "the bomb dropped on Hiroshima":
        # the place a bombing, siege or massacre just named struck
        for context in (before, prev):
            struck = [
                p
                for m in _STRUCK.finditer(context)
                if (p := m.group("p") or m.group("p2")) and self.gaz.lookup(p, "place") and not self.gaz.country(p)
            ]
            if struck:
                return self._ref("group", struck[-1], None), scope, 1
        # "Of the nearly 5,000 Canadians who took part, ... Another 900 were killed": the people the
        # sentence before counted
        if not noun:
            counted = [
                g
                for cm in _COUNTED.finditer(prev + " " + before)
                if not set((g := " ".join(cm.group("g").split())).lower().split()) <= population
            ]
            if counted:
                words = counted[-1].split()
                country = self.gaz.country(words[0]) if len(words) == 1 else None
                if country is not None:
                    return self._ref("country", country.name, country.wikidata), scope, 1
                return self._ref("group", counted[-1], None), scope, 1
        if noun:
            return self._ref("group", noun, None), scope, 0
        return None, scope, 0

    @staticmethod
    def _ref(kind: str, name: str, qid: str | None) -> Ref:
        return Ref(kind, name, qid)  # countries, places and groups ("Jews") are shared by every article naming them

    def _event(self, clause: str) -> Entry | None:
        for cm in re.finditer(r"[A-Z][\w.’'-]*(?:[\s-]+(?:of\s+|the\s+)?[A-Z][\w.’'-]*){0,4}", clause):
            hit = self.gaz.lookup(cm.group(0), "event")
            if hit:
                return hit[0]
        if re.search(r"\bthe war\b|\bthe Second World War\b|\bWorld War (?:II|Two|2)\b", clause):
            hit = self.gaz.lookup("World War II", "event")
            return hit[0] if hit else None
        return None


def _dedupe(figures: list[CasualtyFigure], quality: dict[int, int]) -> list[CasualtyFigure]:
    """The same figure repeated in one article is one claim; keep its most specific mention."""
    best: dict[tuple[int, int, str], CasualtyFigure] = {}
    for f in figures:
        k = (f.low, f.high, f.measure)
        old = best.get(k)
        if old is None or quality[id(f)] > quality[id(old)]:
            best[k] = f
    keep = {id(f) for f in best.values()}
    return [f for f in figures if id(f) in keep]


def find_casualties(
    text: str, gazetteer: Gazetteer, article_id: str, busy: list[tuple[int, int]] | None = None
) -> list[CasualtyFigure]:
    """Every casualty figure stated in ``text``, one per distinct claim; ``busy`` spans (dates) hold none."""
    return _Finder(text, gazetteer, article_id, busy or []).figures()


__all__ = ["find_casualties"]
