"""Numbers as news write them: "27 million", "1.1 million", "2,403", "six million",
"one and a half million", "twenty-seven", "hundreds of thousands"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    # South Asian news counts in lakhs and crores: "30 lakh civilians", "2.5 crore people"
    "lakh": 100_000,
    "lakhs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}

WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
LARGE_SCALE = r"(?:thousand|million|billion|lakhs?|crores?)"
SCALE = rf"(?:hundred|{LARGE_SCALE})"
# thousands set apart by a space, as much of the world writes them ("70 000", "6\u202f000\u202f000") or by
# points when there are two groups or more ("6.000.000"); a decimal comma before a scale ("1,5 million")
_GROUPED = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?![\d,])"  # "1,50,000", as South Asian news groups a lakh and a half
    r"|\d{1,3}(?:,\d{3})+"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,.]\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d,.]\d)"
)
_DECIMAL_COMMA = rf"\d+,\d{{1,2}}(?=\s*(?:{SCALE}|m|mn|bn)\b)"
# One number: digits (with separators / decimals) or words, optionally followed by scale words.
# a fraction of a scale: "half a million", "a quarter of a million", "three-quarters of a million"
_FRACTION = r"(?:half\s+an?|a\s+quarter(?:\s+of\s+a)?|three[- ]quarters\s+of\s+a)\s+(?:million|billion|thousand)"
_FRACTIONS = {"half": 0.5, "a quarter": 0.25, "three quarters": 0.75, "three-quarters": 0.75}
NUMBER = (
    rf"(?:{_FRACTION}|(?:{_GROUPED}|{_DECIMAL_COMMA}|\d+(?:\.\d+)?)(?:\s*(?:{SCALE}|m|mn|bn)\b)?(?:\s+{SCALE})?"
    # "one million one hundred thousand", "two hundred and fifty thousand": groups of words, each with its scale
    rf"|(?:{WORD}(?:[- ]{WORD})?(?:\s+and\s+(?:a\s+)?half)?(?:\s+{SCALE}){{1,2}}(?:\s+and\s+a\s+half)?"
    rf"(?:\s+(?:and\s+)?{WORD}(?:[- ]{WORD})?(?:\s+{SCALE}){{0,2}}(?![\w-]))*"
    rf"|{WORD}(?:-{WORD})?))"
)
NUMBER_RE = re.compile(rf"\b{NUMBER}\b", re.I)


def word_number(text: str) -> int | None:
    """Integer value of a number written in words ("twenty-seven", "six", "one million one hundred
    thousand"), else None."""
    total = current = 0
    for word in re.split(r"[- ]+", text.lower().strip()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "million", "billion"):
            total += max(current, 1) * SCALES[word]
            current = 0
        elif word == "and":
            continue
        else:
            return None
    return total + current


def parse_number(text: str) -> int | None:
    """Integer value of one number in digits, words or both ("1.1 million", "one and a half million")."""
    t = re.sub(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}(?!\d))", "", text.lower().strip())  # "70 000"
    t = t.replace("\u00a0", " ")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", t.split()[0] if t.split() else ""):
        t = t.replace(".", "")  # "6.000.000"
    t = re.sub(r"^(\d+),(\d{1,2})(?=\s*(?:[a-z]|$))", r"\1.\2", t)  # "1,5 million"
    fraction = re.match(r"(half|a quarter|three[- ]quarters)\s+(?:of\s+)?(?:an?\s+)?(?=\w)", t)
    if fraction:
        scale_word = t[fraction.end() :].strip()
        return round(_FRACTIONS[fraction.group(1)] * SCALES[scale_word]) if scale_word in SCALES else None
    if re.fullmatch(rf"(?:{WORD}|hundred|thousand|million|billion|and|[- ])+", t) and len(re.findall(SCALE, t)) > 1:
        compound = word_number(t)  # "one million one hundred thousand"
        if compound is not None and not re.search(r"\bhalf\b", t):
            return compound
    half = " and a half" in t or "-and-a-half" in t
    t = t.replace("and a half", "").replace("-and-a-half", "")
    parts = t.split()
    if not parts:
        return None
    scale = 1
    while parts and parts[-1] in SCALES:
        scale *= SCALES[parts.pop()]
    if parts and re.fullmatch(r"\d[\d,.]*(m|mn|bn)", parts[-1]):
        suffix = re.sub(r"[\d,.]", "", parts[-1])
        parts[-1] = parts[-1][: -len(suffix)]
        scale *= SCALES[suffix]
    head = " ".join(parts)
    if not head:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d{1,2}(,\d{2})+,\d{3}|\d+(\.\d+)?", head):  # "1,50,000": a lakh and a half
        if len(head.replace(",", "").split(".")[0]) > 12:
            return None  # a serial number or a run of digits, not a count of people (and beyond float)
        base = float(head.replace(",", ""))
    else:
        value = word_number(head)
        if value is None:
            return None
        base = float(value)
    if half:
        base += 0.5
    result = base * scale
    if result != int(result) and scale == 1:
        return None  # "2.5 people" is no count
    return round(result)


__all__ = ["LARGE_SCALE", "NUMBER", "NUMBER_RE", "SCALE", "parse_number", "word_number"]
