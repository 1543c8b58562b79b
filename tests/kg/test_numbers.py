"""``parse_number``: numbers as news write them, in digits, with separators and scales, or in words.

Pure: no spaCy, no gazetteer.
"""

from __future__ import annotations

import pytest

from kg.extract.numbers import NUMBER_RE, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6", 6),
        ("80", 80),
        ("2403", 2403),
        ("2,403", 2403),
        ("33,771", 33771),
        ("1,100,000", 1_100_000),
        ("27 million", 27_000_000),
        ("1.1 million", 1_100_000),
        ("4.5 million", 4_500_000),
        ("27m", 27_000_000),
        ("six million", 6_000_000),
        ("Six million", 6_000_000),
        ("one and a half million", 1_500_000),
        ("twenty-seven", 27),
        ("twenty-seven million", 27_000_000),
        ("a million", 1_000_000),
        ("three hundred thousand", 300_000),
        ("seventy thousand", 70_000),
    ],
)
def test_parse_number_reads_digits_and_words(text: str, expected: int) -> None:
    """Each way news writes a count parses to the integer a reader means."""
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["2.5", "several thousand", "hundreds", "millions", ""])
def test_parse_number_refuses_what_is_no_whole_count(text: str) -> None:
    """A bare fraction or a vague quantity is no count of people, so it parses to None."""
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("sentence", "surface"),
    [
        ("The Soviet Union lost 27 million people in the war.", "27 million"),
        ("Some 1.1 million people were murdered at Auschwitz.", "1.1 million"),
        ("The attack killed 2,403 Americans.", "2,403"),
        ("Six million Jews were murdered in the Holocaust.", "Six million"),
        ("One and a half million children perished.", "One and a half million"),
    ],
)
def test_number_pattern_takes_the_whole_number(sentence: str, surface: str) -> None:
    """The number pattern matches the full surface, scale word included, not a piece of it."""
    found = [m.group(0) for m in NUMBER_RE.finditer(sentence)]
    assert surface in found


def test_a_run_of_hundreds_of_digits_is_no_count_and_no_crash() -> None:
    """A 400-digit number (a fuzzer's, or a scanned serial) is no count of people; it used to overflow."""
    assert parse_number("9" * 400) is None
    assert parse_number("1" + "0" * 13) is None
    assert parse_number("120,000,000") == 120_000_000


@pytest.mark.parametrize(
    ("sentence", "surface", "value"),
    [
        ("The siege cost 641 000 lives.", "641 000", 641_000),
        ("The siege cost 641\u00a0000 lives.", "641\u00a0000", 641_000),
        ("Some 6\u202f000\u202f000 were murdered.", "6\u202f000\u202f000", 6_000_000),
        ("Some 6.000.000 were murdered.", "6.000.000", 6_000_000),
        ("Nearly 1,5 million were killed.", "1,5 million", 1_500_000),
    ],
)
def test_thousands_set_apart_by_spaces_or_points_and_a_decimal_comma(sentence: str, surface: str, value: int) -> None:
    """Outlets that group thousands with a space (or point) and write a decimal comma are read as their
    readers read them, as one number, not as two or as a tenfold error."""
    found = [m.group(0) for m in NUMBER_RE.finditer(sentence)]
    assert found[-1] == surface
    assert parse_number(surface) == value


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("On 9 May 1945 300 veterans marched.", [9, 1945, 300]), ("In 2014 500 people came.", [2014, 500])],
)
def test_a_year_beside_a_number_stays_apart(sentence: str, expected: list[int]) -> None:
    """A four-digit year before a count is no thousands group of it."""
    assert [parse_number(m.group(0)) for m in NUMBER_RE.finditer(sentence)] == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("30 lakh", 3_000_000), ("1.5 lakh", 150_000), ("2.5 crore", 25_000_000), ("1,50,000", 150_000)],
)
def test_lakhs_and_crores_count_as_south_asian_news_writes_them(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("half a million", 500_000),
        ("a quarter of a million", 250_000),
        ("a quarter million", 250_000),
        ("three-quarters of a million", 750_000),
    ],
)
def test_a_fraction_of_a_scale_is_that_share_of_it(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one million one hundred thousand", 1_100_000),
        ("two hundred and fifty thousand", 250_000),
        ("nine hundred and ninety-nine", 999),
    ],
)
def test_a_number_spelled_out_in_groups_is_one_number(text: str, value: int) -> None:
    assert parse_number(text) == value
    assert [m.group(0) for m in NUMBER_RE.finditer(f"Some {text} died.")] == [text]
