"""Temporal expressions: absolute, partial and relative dates, resolved against publication.

Every expression keeps its surface text, value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), precision
(never filled in: "June 1941" stays a month) and the rule used. Relative expressions ("on
Wednesday", "last year", "May 9") resolve against the publication date; without one they stay
unresolved (value None) rather than guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, timedelta

from kg.extract.numbers import word_number
from kg.records import Span, TimeExpr

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|Sept|Aug|Oct|Nov|Dec|Jan|Feb)"
)
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMWORD = r"(?:[0-9]{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+ty(?:[- ][a-z]+)?)"

# (rule, pattern) in order of precedence: earlier patterns claim their text first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # a range of days whose year comes at its end: "Feb. 3 to March 3, 1945", "29 September - 5 October
    # 1944", "Sept. 29-30, 1941", "the night of 9/10 June 1942": the start takes the end's year, never the
    # publication's
    (
        "day-range",
        re.compile(
            rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})\s*(?:-|–|to|through|until|and)\s*(?:(?P<m2>{MONTH})\s+)?"
            rf"(?P<d2>{DAY}),?\s+(?P<y>{YEAR})\b"
            rf"|\b(?P<xd>{DAY})(?:\s+(?P<xm>{MONTH}))?\s*(?:-|–|/|to|until|and)\s*(?P<xd2>{DAY})\s+(?P<xm2>{MONTH}),?\s+"
            rf"(?P<xy>{YEAR})\b"
        ),
    ),
    # a day in digits: ISO ("1941-06-22"), day first with points ("22.06.1941", as Europe writes it), or
    # with slashes when only one reading is a date ("22/06/1941", "6/22/1941"); "03/09/2025" stays a year
    (
        "numeric",
        re.compile(
            rf"\b(?P<iy>{YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12][0-9]|3[01])\b(?!-)"
            rf"|(?<![\d.])(?P<pd>0?[1-9]|[12][0-9]|3[01])\.(?P<pm>0?[1-9]|1[0-2])\.(?P<py>{YEAR})\b(?!\.\d)"
            rf"|(?<![\d/])(?P<sa>[0-9]{{1,2}})/(?P<sb>[0-9]{{1,2}})/(?P<sy>{YEAR})\b(?!/)"
        ),
    ),
    ("md-y", re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})(?:,\s*|\s+of\s+|\s+)(?P<y>{YEAR})\b")),
    ("dm-y", re.compile(rf"\b(?P<d>{DAY})(?:\s+|(?<=st|nd|rd|th)\s+of\s+)(?P<m>{MONTH})(?:,\s*|\s+)(?P<y>{YEAR})\b")),
    # months listed before their year: "late May and early June of 1940", "April, May and July 1944"
    (
        "mm-y",
        re.compile(
            rf"\b(?P<m>{MONTH})(?:\s*,\s*(?:(?:early|late|mid-?)\s*)?{MONTH}){{0,10}},?\s+(?:and|to|through|-|–)\s+"
            rf"(?:(?:early|late|mid-?)\s*)?{MONTH}(?:\s+of|,)?\s+(?P<y>{YEAR})\b"
        ),
    ),
    ("m-y", re.compile(rf"\b(?P<m>{MONTH})(?:\s+of|,)?\s+(?P<y>{YEAR})\b")),
    ("md", re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})\b(?!\s*(?:,\s*)?{YEAR})(?![,.]?\d)")),
    ("dm", re.compile(rf"\b(?P<d>{DAY})(?:\s+|(?<=st|nd|rd|th)\s+of\s+)(?P<m>{MONTH})\b(?!\s*,?\s*{YEAR})")),
    # a month alone, after a word that makes it a date ("In November, the ground was plowed"; never "May")
    (
        "m",
        re.compile(
            rf"\b(?P<mod>[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|[Ll]ast|[Nn]ext|[Tt]his|[Bb]y|[Uu]ntil|[Ss]ince)\s+"
            rf"(?:(?:early|late|mid-?)\s*)?(?P<m>{MONTH})\b(?!\s*[,.]?\s*\d)"
        ),
    ),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<y>1[89][0-9]0|20[0-9]0)'?s\b")),
    ("y-range", re.compile(rf"\b(?P<y>{YEAR})\s*(?:-|–|to)\s*(?:{YEAR}|\d\d)\b")),
    # "just after 1900 GMT" is a time of day, not a year
    (
        "y",
        re.compile(
            rf"(?<![\d,.$£€])\b(?P<y>{YEAR})\b(?![,.]\d)(?!\s*(?:-|–)\s*\d)(?!\s*(?:GMT|UTC|BST|CET|hours|hrs)\b)"
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<mod>last|this|next|on|early|late)\s+)?(?P<wd>{WEEKDAY})(?P<pos>'s|’s)?\b")),
    (
        "day-word",
        re.compile(r"\b(?P<w>today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening)\b", re.I),
    ),
    ("year-word", re.compile(r"\b(?P<w>(?:this|last|next|earlier this|later this)\s+year)\b", re.I)),
    ("month-word", re.compile(r"\b(?P<w>(?:this|last|next|earlier this|later this)\s+month)\b", re.I)),
    ("years-ago", re.compile(rf"\b(?P<n>{NUMWORD})\s+years\s+(?P<w>ago|earlier|before)\b", re.I)),
]
_FUTURE = re.compile(
    r"\b(will|shall|'ll|ahead of|upcoming|next|to be held|is due|are due|set to|(?<!as )scheduled|plans? to|"
    r"expected to|is to|are to|preparing|prepares)\b",
    re.I,
)
# a sentence that speaks of what is still to come: "would hold their own event on 28 April"
_LOOKS_AHEAD = re.compile(rf"{_FUTURE.pattern}|\b(?:would|before|upcoming|coming|seeking|due|planned)\b", re.I)
_AHEAD_DAYS = 60  # how far ahead of publication a bare day may be this year's without a word that looks ahead
_PRESENT = re.compile(
    r"\b(?:holds|hosts|opens|begins|starts|takes\s+place|(?:is|are)\s+(?:holding|hosting|opening|taking\s+place))\b",
    re.I,
)
# a full stop ends a sentence unless it closes an abbreviation ("U.S.", "Mr.", "Dec.", "St.")
_REPORTED = re.compile(r"\b(?:said|says|told|added|noted|stressed|warned|declared|wrote)\b")
_SENTENCE_END = re.compile(
    r"(?<![A-Z]\.[A-Z]\.)(?<![a-z]\.[a-z]\.)(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)(?<!\bGen\.)"
    r"(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.)(?<=[.!?])[\"”’]?\s+(?=[\"“‘A-Z0-9])"
    # a line break ends a sentence, unless hard-wrapped copy breaks one mid-clause ("were\nmurdered")
    r"|\n\s*\n\s*|(?<![a-z,;])\n|\n(?![a-z])"
    # scraped copy that lost the space between two sentences ("as reported.Ahead of the event")
    r"|(?<=[a-z]{2}[.!?])[\"”’]?(?=[A-Z][a-z])"
)


# what a name holding a year may call: "the Memorare Manila 1945 monument", "the Liberation 1944 Museum"
_NAMED_THING = re.compile(
    r"\s+(?:monument|memorial|museum|park|square|street|avenue|bridge|hall|centre|center|cemetery|plaque|"
    r"statue|foundation|association|society|prize|medal|award|school|library|archives?|exhibition|collection)\b",
    re.I,
)


def _in_a_name(text: str, start: int, end: int) -> bool:
    """A year between a capitalised word and what a place or body is called is part of its name."""
    before = re.search(r"(?<=[\w,’'] )([A-Z][\w’'-]+)\s$", text[max(0, start - 30) : start])  # not a sentence's first
    if before is None or before.group(1).lower() in _MONTHS:
        return False
    return bool(_NAMED_THING.match(text, end))


def month_number(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


@functools.lru_cache(maxsize=8)  # each extractor asks again for the same article's
def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """Rough sentence boundaries (used for tense cues only)."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return tuple(bounds)


def _sentence_at(bounds: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in bounds:
        if start <= pos <= end:
            return start, end
    return 0, 0


def find_times(text: str, published: date | None) -> list[TimeExpr]:
    """Every temporal expression in ``text``, in order, resolved against ``published``."""
    taken: list[tuple[int, int]] = []
    found: list[TimeExpr] = []
    bounds = sentence_bounds(text)
    for rule, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if rule == "weekday" and m.group("mod") == "on":
                start = m.start("wd")  # the evidence is the day, not "on"
            if any(s < end and start < e for s, e in taken):
                continue
            if rule == "y" and _in_a_name(text, start, end):
                continue
            time = _resolve(rule, m, Span(start, end, text[start:end]), published, text, bounds)
            if time is not None:
                taken.append((start, end))
                found.append(time)
    times = _context_years(sorted(found, key=lambda t: t.span.start), text, published, bounds)
    times = [_last_year(t, text, published, bounds) for t in times]
    return _offsets(times, text)


OFFSET = re.compile(
    rf"\b(?:(?P<next>the\s+(?:next|following)\s+day|the\s+day\s+(?:after|before))|"
    # "Italy invaded hours later": the anchor's own day
    rf"(?P<same>(?:(?:{NUMWORD}|a\s+few|several|some)\s+)?hours\s+(?:later|afterwards)|an\s+hour\s+later)|"
    rf"(?P<n>{NUMWORD}|a)\s+(?P<unit>days?|weeks?)\s+(?P<dir>later|earlier|afterwards|before)\b)",
    re.I,
)


def _offsets(times: list[TimeExpr], text: str) -> list[TimeExpr]:
    """ "The next day", "three days later", "a week earlier": counted from the day stated last
    before it in the same paragraph (its anchor), never from publication."""
    taken = [(t.span.start, t.span.end) for t in times]
    out = list(times)
    for m in OFFSET.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        before = [
            t
            for t in out
            if t.span.end <= m.start() and t.precision == "day" and t.value and "\n" not in text[t.span.end : m.start()]
        ]
        if not before:
            continue
        anchor = max(before, key=lambda t: t.span.start)
        assert anchor.value is not None
        time = offset_from(m, anchor.value)
        if time is not None:
            out.append(time)
    return sorted(out, key=lambda t: t.span.start)


_NOUN_AFTER = re.compile(r"\s+(?:a|an|the|his|her|its|their|this|that|[A-Z][\w’'-]*(?:'s|’s)?)\b")


def offset_from(m: re.Match[str], anchor: str) -> TimeExpr | None:
    """The day an offset expression names, counted from ``anchor`` (an ISO day)."""
    if m.group("same"):
        days = 0
    elif m.group("next"):
        days = -1 if "before" in m.group("next").lower() else 1
    else:
        word = m.group("n").lower()
        n = 1 if word == "a" else int(word) if word.isdigit() else word_number(word)
        if n is None or n > 60:
            return None
        days = n * (7 if m.group("unit").lower().startswith("week") else 1)
        days = -days if m.group("dir").lower() in ("earlier", "before") else days
        if m.group("dir").lower() == "before" and _NOUN_AFTER.match(m.string, m.end()):
            # "talks on Tuesday, a day before a military parade": the parade is the day after, and the words
            # date what they name, not the talks
            value = (date.fromisoformat(anchor) - timedelta(days=days)).isoformat()
            return TimeExpr(Span(m.start(), m.end(), m.group(0)), value, "day", "offset-ahead", anchor)
    value = (date.fromisoformat(anchor) + timedelta(days=days)).isoformat()
    return TimeExpr(Span(m.start(), m.end(), m.group(0)), value, "day", "offset", anchor)


def _last_year(t: TimeExpr, text: str, published: date | None, bounds: Sequence[tuple[int, int]]) -> TimeExpr:
    """ "the October 7 terror attacks" in a story of January 2024: a day months after publication,
    with nothing in its sentence looking ahead, is last year's."""
    if t.rule != "month-day-no-year" or t.value is None or published is None:
        return t
    if (date.fromisoformat(t.value) - published).days <= _AHEAD_DAYS:
        return t
    s, e = _sentence_at(bounds, t.span.start)
    if _FUTURE.search(text[s:e]) or _PRESENT.search(text[s:e]):
        return t
    try:
        value = date(published.year - 1, int(t.value[5:7]), int(t.value[8:10]))
    except ValueError:
        return t
    return TimeExpr(t.span, value.isoformat(), "day", t.rule, t.anchor)


def _context_years(
    times: list[TimeExpr], text: str, published: date | None, bounds: Sequence[tuple[int, int]]
) -> list[TimeExpr]:
    """A day without a year that would fall after publication ("Japan announced its surrender on
    15 August" in May 2016) takes the past year stated before it in its paragraph ("6 August 1945")."""
    out: list[TimeExpr] = []
    last: TimeExpr | None = None
    story: TimeExpr | None = None  # the last full date of the story so far, whatever its paragraph
    for t in times:
        if last is not None and "\n" in text[last.span.end : t.span.start]:
            last = None  # a new paragraph forgets the old year
        if t.rule in ("absolute", "day-range-start") and t.value is not None:
            last = t
            story = t if t.precision == "day" else story
        elif (
            t.rule == "month-day-no-year"
            and t.value
            and last is None
            and story is not None
            and story.value
            and published is not None
            and t.value > published.isoformat()
            and int(story.value[:4]) < published.year - 1
            and not _LOOKS_AHEAD.search(text[slice(*_sentence_at(bounds, t.span.start))])
        ):
            # "Congress declared war on Japan on 8 December", a paragraph after "7 December 1941",
            # in a story of 7 December 2021: a day ahead of publication that nothing looks ahead to
            # is of the history the story last dated
            try:
                value = date(int(story.value[:4]), int(t.value[5:7]), int(t.value[8:10])).isoformat()
                t = TimeExpr(t.span, value, "day", "month-day-context-year", story.value)
            except ValueError:
                pass
        elif t.rule == "month-no-year" and t.value and last is not None and last.value and published is not None:
            year = int(last.value[:4])
            if year < published.year - 1:  # "In August 1943 ... In November, the ground was plowed": 1943
                t = TimeExpr(t.span, f"{year:04d}{t.value[4:]}", "month", "month-context-year", last.value)
        elif t.rule == "month-day-no-year" and t.value and last is not None and last.value and published is not None:
            year = int(last.value[:4])
            # only when the publication's year would put the day after publication
            # or when a full date of that year went before it in its sentence ("Paulus surrendered on
            # 31 January 1943; the last troops laid down their arms on 2 February")
            same = last.precision == "day" and not re.search(r"[.!?]\s", text[last.span.end : t.span.start])
            if year < published.year - 1 and (t.value > published.isoformat() or same):
                try:
                    value = date(year, int(t.value[5:7]), int(t.value[8:10])).isoformat()
                    t = TimeExpr(t.span, value, "day", "month-day-context-year", last.value)
                except ValueError:
                    pass
        out.append(t)
    return out


def _resolve(
    rule: str, m: re.Match[str], span: Span, published: date | None, text: str, bounds: Sequence[tuple[int, int]]
) -> TimeExpr | None:
    g = m.groupdict()
    anchor = published.isoformat() if published else None
    if rule == "day-range":
        first, day, last = (g["m"], g["d"], g["m2"]) if g["m"] else (g["xm"] or g["xm2"], g["xd"], g["xm2"])
        year = int(g["y"] or g["xy"])
        start_month, end_month = month_number(first), month_number(last or first)
        try:  # "December 20 to January 5, 1945" began in 1944
            value = date(year - (start_month > end_month), start_month, int(re.sub(r"\D", "", day)))
        except ValueError:
            return None
        return TimeExpr(span, value.isoformat(), "day", "day-range-start")
    if rule == "numeric":
        if g["iy"]:
            year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
        elif g["py"]:
            year, month, day = int(g["py"]), int(g["pm"]), int(g["pd"])
        else:
            a, b = int(g["sa"]), int(g["sb"])
            if (a > 12) == (b > 12):
                return TimeExpr(Span(m.start("sy"), m.end("sy"), g["sy"]), g["sy"], "year", "absolute")
            year, month, day = int(g["sy"]), min(a, b), max(a, b)
        try:
            return TimeExpr(span, date(year, month, day).isoformat(), "day", "absolute")
        except ValueError:
            return None
    if rule in ("md-y", "dm-y"):
        try:
            value = date(int(g["y"]), month_number(g["m"]), int(re.sub(r"\D", "", g["d"])))
        except ValueError:
            return None
        return TimeExpr(span, value.isoformat(), "day", "absolute")
    if rule in ("m-y", "mm-y"):
        if rule == "m-y" and g["m"] == "May" and not re.match(r"May\s*(,|of)?\s*\d", span.text):
            return None
        return TimeExpr(span, f"{int(g['y']):04d}-{month_number(g['m']):02d}", "month", "absolute")
    if rule == "decade":
        return TimeExpr(span, g["y"], "decade", "absolute")
    if rule in ("y", "y-range"):
        return TimeExpr(span, g["y"], "year", "absolute" if rule == "y" else "year-range-start")
    if rule in ("md", "dm"):
        day = int(re.sub(r"\D", "", g["d"]))
        month = month_number(g["m"])
        if published is None:
            return TimeExpr(span, None, None, "month-day-no-year")
        try:
            value = date(published.year, month, day)
        except ValueError:
            return None
        return TimeExpr(span, value.isoformat(), "day", "month-day-no-year", anchor)
    if rule == "m":
        if published is None:
            return TimeExpr(span, None, None, "month-no-year")
        month, mod = month_number(g["m"]), g["mod"].lower()
        # the publication's year, as for "May 9"; "last May" the one before it, "next May" the one after
        year = published.year
        if mod == "last" and month >= published.month:
            year -= 1
        elif mod == "next" and month <= published.month:
            year += 1
        return TimeExpr(span, f"{year:04d}-{month:02d}", "month", "month-no-year", anchor)
    if rule == "weekday":
        return _weekday(m, span, published, text, bounds)
    if rule == "day-word":
        if published is None:
            return TimeExpr(span, None, None, "deictic-day")
        shift = {"yesterday": -1, "tomorrow": 1}.get(g["w"].lower(), 0)
        return TimeExpr(span, (published + timedelta(days=shift)).isoformat(), "day", "deictic-day", anchor)
    if rule == "year-word":
        if published is None:
            return TimeExpr(span, None, None, "relative-year")
        shift = {"last": -1, "next": 1}.get(g["w"].split()[0].lower(), 0)
        return TimeExpr(span, str(published.year + shift), "year", "relative-year", anchor)
    if rule == "month-word":  # "visited Okinawa last month": the month before the publication's
        if published is None:
            return TimeExpr(span, None, None, "relative-month")
        shift = {"last": -1, "next": 1}.get(g["w"].split()[0].lower(), 0)
        year, month = divmod(published.year * 12 + published.month - 1 + shift, 12)
        return TimeExpr(span, f"{year:04d}-{month + 1:02d}", "month", "relative-month", anchor)
    if rule == "years-ago":
        n = int(g["n"]) if g["n"].isdigit() else word_number(g["n"])
        if n is None or n > 200:
            return None
        if published is None:
            return TimeExpr(span, None, None, "years-ago")
        before, after = text[max(0, span.start - 30) : span.start], text[span.end : span.end + 30]
        if re.search(r"\b(?:exactly|this\s+day|on\s+this\s+date)\s+$", before, re.I) or re.match(
            r"\s*(?:today|to\s+the\s+day|on\s+this\s+(?:very\s+)?day)\b", after, re.I
        ):
            # "exactly 80 years ago", "75 years ago today": the same day, that many years back
            try:
                value = published.replace(year=published.year - n)
            except ValueError:  # 29 February
                value = published.replace(year=published.year - n, day=28)
            return TimeExpr(span, value.isoformat(), "day", "years-ago", anchor)
        return TimeExpr(span, str(published.year - n), "year", "years-ago", anchor)
    return None


def _weekday(
    m: re.Match[str], span: Span, published: date | None, text: str, bounds: Sequence[tuple[int, int]]
) -> TimeExpr:
    rule = "weekday-possessive" if m.group("pos") else "weekday"
    if published is None:
        return TimeExpr(span, None, None, rule)
    target = _WEEKDAYS.index(m.group("wd").lower())
    mod = (m.group("mod") or "").lower()
    s, e = _sentence_at(bounds, span.start)
    # a future cue counts before the day, or after it unless reported speech intervenes
    # ("On Monday, Duda said Poland will never forget" is about Monday past)
    after = _REPORTED.split(text[span.end : e], maxsplit=1)[0]
    cue = _FUTURE.search(text[s : span.start]) or _FUTURE.search(after)
    if not cue:  # "Nagasaki holds its own ceremony on Sunday": the present of a timetable is ahead
        cue = _PRESENT.search(text[max(s, span.start - 80) : span.start]) or _PRESENT.search(after[:60])
    future = mod == "next" or (mod != "last" and bool(cue))
    if target == published.weekday() and mod not in ("last", "next"):
        value = published
    elif future:
        value = published + timedelta(days=(target - published.weekday()) % 7 or 7)
    else:
        value = published - timedelta(days=(published.weekday() - target) % 7 or 7)
    return TimeExpr(span, value.isoformat(), "day", rule, published.isoformat())


__all__ = ["find_times", "month_number", "sentence_bounds"]
