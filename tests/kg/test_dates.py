"""``find_times``: absolute, partial and relative dates, resolved against the publication date.

Pure: no spaCy. Weekdays used below: 2016-12-28 Wed, 2020-01-27 Mon, 2020-05-08 Fri, 2021-05-09 Sun,
2024-06-04 Tue, 2024-08-01 Thu, 2025-01-28 Tue, 2025-05-09 Fri, 2025-09-01 Mon.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import find_times
from kg.records import TimeExpr


def time_at(text: str, published: date | None, surface: str) -> TimeExpr:
    """The one temporal expression whose evidence is ``surface``."""
    found = [t for t in find_times(text, published) if t.span.text == surface]
    assert len(found) == 1, f"{surface!r} not found once in {[t.span.text for t in find_times(text, published)]}"
    return found[0]


ABSOLUTE = [
    # (text, surface, value, precision, rule)
    (
        "Germany invaded the Soviet Union in June 1941, opening the Eastern Front.",
        "June 1941",
        "1941-06",
        "month",
        "absolute",
    ),
    ("Germany signed its surrender in May 1945 in Berlin.", "May 1945", "1945-05", "month", "absolute"),
    (
        "Beijing held its victory parade on September 3, 2025, in Tiananmen Square.",
        "September 3, 2025",
        "2025-09-03",
        "day",
        "absolute",
    ),
    (
        "The parade on 3 September 2025 marked eighty years since Japan's surrender.",
        "3 September 2025",
        "2025-09-03",
        "day",
        "absolute",
    ),
    (
        "Japanese troops entered Nanjing on Dec. 13 of 1937, and the killing lasted for weeks.",
        "Dec. 13 of 1937",
        "1937-12-13",
        "day",
        "absolute",
    ),
    (
        "Soviet soldiers reached the gates of Auschwitz on January 27, 1945.",
        "January 27, 1945",
        "1945-01-27",
        "day",
        "absolute",
    ),
    ("Japanese forces captured Nanjing in 1937 after a brutal campaign.", "1937", "1937", "year", "absolute"),
    (
        "Veterans of the 1941-1945 war laid flowers at the Eternal Flame.",
        "1941-1945",
        "1941",
        "year",
        "year-range-start",
    ),
    (
        "Veterans of the 1941–1945 war laid flowers at the Eternal Flame.",
        "1941–1945",
        "1941",
        "year",
        "year-range-start",
    ),
    (
        "Russian officials still call it the Great Patriotic War of 1941-45.",
        "1941-45",
        "1941",
        "year",
        "year-range-start",
    ),  # months listed before their year begin with the first: "late May and early June of 1940"
    (
        "The little ships crossed the Channel in late May and early June of 1940.",
        "May and early June of 1940",
        "1940-05",
        "month",
        "absolute",
    ),
    (
        "The city was bombed by the Allies in April, May, June, July and September 1944.",
        "April, May, June, July and September 1944",
        "1944-04",
        "month",
        "absolute",
    ),
]
ABSOLUTE_IDS = [case[1] for case in ABSOLUTE]


@pytest.mark.parametrize(("text", "surface", "value", "precision", "rule"), ABSOLUTE, ids=ABSOLUTE_IDS)
def test_absolute_dates_keep_their_stated_precision(
    text: str, surface: str, value: str, precision: str, rule: str
) -> None:
    """A stated date keeps its own precision ("June 1941" stays a month, never a day) and needs no anchor."""
    t = time_at(text, date(2025, 5, 9), surface)
    assert (t.value, t.precision, t.rule) == (value, precision, rule)
    assert t.anchor is None


@pytest.mark.parametrize(("text", "surface", "value", "precision", "rule"), ABSOLUTE, ids=ABSOLUTE_IDS)
def test_absolute_dates_do_not_need_a_publication_date(
    text: str, surface: str, value: str, precision: str, rule: str
) -> None:
    """Without a publication date an absolute date resolves exactly as with one."""
    t = time_at(text, None, surface)
    assert (t.value, t.precision, t.rule) == (value, precision, rule)


RELATIVE = [
    # (text, published, surface, value, precision, rule)
    pytest.param(
        "On Monday, King Charles visited the former camp at Auschwitz with survivors.",
        date(2025, 1, 28),
        "Monday",
        "2025-01-27",
        "day",
        "weekday",
        id="past-weekday-is-the-day-before",
    ),
    pytest.param(
        "Putin watched the parade on Red Square on Friday.",
        date(2025, 5, 9),
        "Friday",
        "2025-05-09",
        "day",
        "weekday",
        id="weekday-of-publication-is-that-day",
    ),
    pytest.param(
        "Soldiers rehearsed in Beijing ahead of Wednesday's parade.",
        date(2025, 9, 1),
        "Wednesday's",
        "2025-09-03",
        "day",
        "weekday-possessive",
        id="ahead-of-wednesdays-parade",
    ),
    pytest.param(
        "Macron will host veterans in Normandy on Thursday.",
        date(2024, 6, 4),
        "Thursday",
        "2024-06-06",
        "day",
        "weekday",
        id="future-weekday",
    ),
    pytest.param(
        "Tuesday's visit to the USS Arizona Memorial was Abe's first.",
        date(2016, 12, 28),
        "Tuesday's",
        "2016-12-27",
        "day",
        "weekday-possessive",
        id="tuesdays-visit",
    ),
    pytest.param(
        "On Monday, Duda said Poland will never forget the victims of Auschwitz.",
        date(2025, 1, 28),
        "Monday",
        "2025-01-27",
        "day",
        "weekday",
        id="past-report-of-future-words",
    ),
    pytest.param(
        "Russia marked Victory Day on May 9 with a parade on Red Square.",
        date(2025, 5, 10),
        "May 9",
        "2025-05-09",
        "day",
        "month-day-no-year",
        id="month-day-takes-publication-year",
    ),
    pytest.param(
        "Britain falls silent today to remember the end of the war in Europe.",
        date(2020, 5, 8),
        "today",
        "2020-05-08",
        "day",
        "deictic-day",
        id="today",
    ),
    pytest.param(
        "Last year the parade was postponed because of the pandemic.",
        date(2021, 5, 9),
        "Last year",
        "2020",
        "year",
        "relative-year",
        id="last-year",
    ),
    pytest.param(
        "Two years ago Duda laid a wreath at the same monument.",
        date(2024, 8, 1),
        "Two years ago",
        "2022",
        "year",
        "years-ago",
        id="two-years-ago",
    ),
    pytest.param(
        "Obama recalled that the bomb fell on Hiroshima 71 years ago.",
        date(2016, 5, 27),
        "71 years ago",
        "1945",
        "year",
        "years-ago",
        id="71-years-ago",
    ),
    pytest.param(
        "Soviet soldiers reached the camp seventy-five years ago.",
        date(2020, 1, 27),
        "seventy-five years ago",
        "1945",
        "year",
        "years-ago",
        id="years-ago-in-words",
    ),
    pytest.param(
        "The veterans' service went ahead as scheduled on Sunday despite the storm.",
        date(2021, 3, 15),
        "Sunday",
        "2021-03-14",
        "day",
        "weekday",
        id="as-scheduled-is-past",
    ),
    pytest.param(
        "The ministry said the memorial service will be held at 10 a.m. Saturday at the cemetery.",
        date(2021, 3, 12),
        "Saturday",
        "2021-03-13",
        "day",
        "weekday",
        id="a-m-ends-no-sentence",
    ),
]


@pytest.mark.parametrize(("text", "published", "surface", "value", "precision", "rule"), RELATIVE)
def test_relative_dates_resolve_against_publication(
    text: str, published: date, surface: str, value: str, precision: str, rule: str
) -> None:
    """A relative expression resolves against the publication date, which is recorded as its anchor."""
    t = time_at(text, published, surface)
    assert (t.value, t.precision, t.rule) == (value, precision, rule)
    assert t.anchor == published.isoformat()
    assert t.resolved


@pytest.mark.parametrize(("text", "published", "surface", "value", "precision", "rule"), RELATIVE)
def test_relative_dates_stay_unresolved_without_publication(
    text: str, published: date, surface: str, value: str, precision: str, rule: str
) -> None:
    """Without a publication date a relative expression is kept, with its rule, but never guessed."""
    t = time_at(text, None, surface)
    assert t.value is None
    assert t.precision is None
    assert t.anchor is None
    assert t.rule == rule
    assert not t.resolved


ALL_TEXTS = [pytest.param(c[0], date(2025, 5, 9), id=c[1]) for c in ABSOLUTE] + [
    pytest.param(p.values[0], p.values[1], id=p.id) for p in RELATIVE
]


@pytest.mark.parametrize(("text", "published"), ALL_TEXTS)
@pytest.mark.parametrize("with_date", [True, False], ids=["published", "no-date"])
def test_evidence_span_is_the_text_between_offsets(text: str, published: date, with_date: bool) -> None:
    """Every temporal expression's evidence text equals text[start:end]."""
    for t in find_times(text, published if with_date else None):
        assert text[t.span.start : t.span.end] == t.span.text


def test_several_expressions_come_back_in_text_order() -> None:
    """Several dates in one passage are all found, in the order they appear."""
    text = "On Friday, Russia held its parade; the war had begun in June 1941 and ended in May 1945."
    times = find_times(text, date(2025, 5, 9))
    assert [t.span.text for t in times] == ["Friday", "June 1941", "May 1945"]
    assert [t.value for t in times] == ["2025-05-09", "1941-06", "1945-05"]


def test_may_as_a_verb_is_no_month() -> None:
    """The modal verb "may" followed by a year is no month."""
    text = "Officials said the 2025 parade may be the largest since 2015."
    assert [t.value for t in find_times(text, date(2025, 5, 1))] == ["2025", "2015"]


@pytest.mark.parametrize(
    ("text", "published", "surface", "value", "rule"),
    [
        pytest.param(
            "The first bomb fell on 6 August 1945. Japan announced its surrender on 15 August.",
            date(2016, 5, 27),
            "15 August",
            "1945-08-15",
            "month-day-context-year",
            id="after-publication-takes-the-stated-year",
        ),
        pytest.param(
            "The war began in 1937. Xi attended a celebration on Sept. 3 for the anniversary.",
            date(2014, 12, 13),
            "Sept. 3",
            "2014-09-03",
            "month-day-no-year",
            id="before-publication-keeps-the-publication-year",
        ),
        pytest.param(
            "The first bomb fell on 6 August 1945.\n\nJapan will mark the surrender on 15 August.",
            date(2016, 5, 27),
            "15 August",
            "2016-08-15",
            "month-day-no-year",
            id="a-new-paragraph-forgets-the-year",
        ),
    ],
)
def test_a_day_without_a_year_after_a_past_year(
    text: str, published: date, surface: str, value: str, rule: str
) -> None:
    """A day without a year that would fall after publication takes the paragraph's stated past year."""
    t = time_at(text, published, surface)
    assert (t.value, t.rule) == (value, rule)


def test_days_later_count_from_the_day_stated_before() -> None:
    """ "The next day" and "three days later" count from the last day the text stated, one after another."""
    from datetime import date

    from kg.extract.dates import find_times

    text = (
        "The harbour was attacked on December 7, 1941. The next day, the president asked for war. "
        "Three days later, two more powers declared war."
    )
    offsets = [t for t in find_times(text, date(2021, 12, 7)) if t.rule == "offset"]
    assert [(t.value, t.anchor) for t in offsets] == [("1941-12-08", "1941-12-07"), ("1941-12-11", "1941-12-08")]


def test_days_later_with_no_day_before_stay_unresolved() -> None:
    """With no stated day to count from, "two days later" is not counted from publication."""
    from datetime import date

    from kg.extract.dates import find_times

    assert not [t for t in find_times("Two days later, the town was freed.", date(2021, 12, 7)) if t.rule == "offset"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("The siege lasted from Feb. 3 to March 3, 1945.", "1945-02-03", id="month-day-to-month-day-year"),
        pytest.param("the September 21-October 22, 1944 offensive", "1944-09-21", id="hyphenated"),
        pytest.param("Jews were shot there on Sept. 29-30, 1941.", "1941-09-29", id="two-days-one-month"),
        pytest.param("The villages burned from 29 September to 5 October 1944.", "1944-09-29", id="day-month-first"),
        pytest.param("It raged from December 20 to January 5, 1945.", "1944-12-20", id="across-new-year"),
    ],
)
def test_a_range_of_days_starts_in_the_year_its_end_states(text: str, value: str) -> None:
    """The start of "Feb. 3 to March 3, 1945" is 1945-02-03, never February of the publication year."""
    from datetime import date

    from kg.extract.dates import find_times

    (first,) = find_times(text, date(2020, 10, 20))[:1]
    assert (first.value, first.precision, first.rule) == (value, "day", "day-range-start")


def test_hard_wrapped_copy_keeps_its_sentences_whole() -> None:
    """A break mid-clause ("were\\nmurdered") is wrapping; one after a full stop or a blank line ends a sentence."""
    from kg.extract.dates import sentence_bounds

    text = "Six million Jews were\nmurdered in the Holocaust.\nSurvivors spoke.\n\nA new paragraph"
    sentences = [text[a:b] for a, b in sentence_bounds(text)]
    assert sentences[0] == "Six million Jews were\nmurdered in the Holocaust."
    assert sentences[1:] == ["Survivors spoke.", "A new paragraph"]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # scraped copy that lost the space between two sentences
        ("The event was held online.Roma groups took part in it.", 2),
        ("“We must not forget,” he said of the militarism.”President Lind spoke next.", 2),
        # no sentence ends inside an abbreviation, a name or an address
        ("He lives in St.Petersburg now.", 1),
        ("The U.S.Army band played.", 1),
        ("Read it at example.com today.", 1),
    ],
)
def test_sentences_glued_by_a_lost_space_are_still_two(text: str, sentences: int) -> None:
    from kg.extract.dates import sentence_bounds

    assert len(sentence_bounds(text)) == sentences


@pytest.mark.parametrize(
    ("text", "published", "surface", "value", "rule"),
    [
        pytest.param(
            "In August 1943, the guards began to tear the camp down. In November, the ground was plowed.",
            date(2022, 8, 2),
            "In November",
            "1943-11",
            "month-context-year",
            id="a-story-of-1943-keeps-its-year",
        ),
        pytest.param(
            "In August, the government set up a commemoration committee.",
            date(2024, 12, 28),
            "In August",
            "2024-08",
            "month-no-year",
            id="the-publication-year",
        ),
        pytest.param(
            "The veterans will sail to Dunkirk next May.",
            date(2020, 5, 20),
            "next May",
            "2021-05",
            "month-no-year",
            id="next-may",
        ),
        pytest.param(
            "The memorial was unveiled last June.",
            date(2020, 5, 20),
            "last June",
            "2019-06",
            "month-no-year",
            id="last-june",
        ),
    ],
)
def test_a_month_alone_is_a_date_of_month_precision(
    text: str, published: date, surface: str, value: str, rule: str
) -> None:
    """ "In November" after a paragraph's past year is that year's November; otherwise the publication's."""
    t = time_at(text, published, surface)
    assert (t.value, t.precision, t.rule) == (value, "month", rule)


def test_a_month_alone_needs_a_word_that_makes_it_a_date() -> None:
    text = "Officials said May would decide. The March of the Living went ahead."
    assert find_times(text, date(2025, 5, 1)) == []


def test_a_timetable_in_the_present_is_ahead() -> None:
    """ "Nagasaki holds its own ceremony on Sunday", in a story of Thursday 6 August 2015: the 9th."""
    t = time_at("Nagasaki holds its own ceremony on Sunday.", date(2015, 8, 6), "Sunday")
    assert t.value == "2015-08-09"


def test_a_day_after_a_full_date_in_its_sentence_takes_that_year() -> None:
    """ "Paulus surrendered on 31 January 1943; the last troops laid down their arms on 2 February",
    published on 2 February 2023: the last troops surrendered in 1943."""
    text = "Paulus surrendered on 31 January 1943; the last troops laid down their arms on 2 February."
    assert time_at(text, date(2023, 2, 2), "2 February").value == "1943-02-02"
    # a bare year is no full date: "a ceremony ... in 1937 and a celebration on Sept. 3" stays this year's
    other = "He attended a ceremony for the war that began in 1937 and a celebration on Sept. 3 this year."
    assert time_at(other, date(2014, 12, 13), "Sept. 3").value == "2014-09-03"


def test_a_day_months_ahead_is_last_years_unless_the_sentence_looks_ahead() -> None:
    """ "in the wake of the October 7 attacks", in a story of January 2024: October 2023. A day
    months ahead is this year's only when its sentence says so ("will be held")."""
    past = "Leaders spoke in the wake of the 14 November bombings in the port."
    assert time_at(past, date(2024, 2, 1), "14 November").value == "2023-11-14"
    ahead = "The memorial will be unveiled on 14 November in the port."
    assert time_at(ahead, date(2024, 2, 1), "14 November").value == "2024-11-14"
    soon = "Veterans gather on 9 May at the memorial."  # weeks ahead: this year's
    assert time_at(soon, date(2024, 4, 1), "9 May").value == "2024-05-09"


def test_a_day_ahead_that_nothing_looks_ahead_to_is_of_the_history_last_dated() -> None:
    """ "Congress declared war on Japan on 8 December", a paragraph after "7 December 1941", in a
    story of 7 December 2021: 1941. A day the sentence looks ahead to stays this year's."""
    text = (
        "The raid began at dawn on 7 December 1941.\n\n"
        "The harbour burned for days. Congress declared war on Japan on 8 December.\n\n"
        "Veterans would gather again on 9 December."
    )
    published = date(2021, 12, 7)
    assert time_at(text, published, "8 December").value == "1941-12-08"
    assert time_at(text, published, "9 December").value == "2021-12-09"


def test_a_time_of_day_is_no_year() -> None:
    """ "sirens began to sound just after 1900 GMT": seven in the evening, not the year 1900."""
    times = find_times("Sirens began to sound just after 1900 GMT and bombs fell until 0600 hours.", date(2010, 11, 14))
    assert not [t for t in times if t.value in ("1900", "0600")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The invasion began on 1941-06-22 at dawn.", "1941-06-22"),
        ("The invasion began on 22.06.1941 at dawn.", "1941-06-22"),
        ("The invasion began on 22/06/1941 at dawn.", "1941-06-22"),
        ("The invasion began on 6/22/1941 at dawn.", "1941-06-22"),
        ("The war in Europe ended on the 8th of May 1945.", "1945-05-08"),
    ],
)
def test_a_day_written_in_figures_or_as_the_nth_of_a_month(text: str, value: str) -> None:
    (time,) = find_times(text, date(2021, 6, 22))
    assert (time.value, time.precision) == (value, "day")


def test_a_day_in_figures_that_reads_two_ways_keeps_only_its_year() -> None:
    (time,) = find_times("The decree was signed on 03/09/1945.", date(2021, 6, 22))
    assert (time.value, time.precision, time.span.text) == ("1945", "year", "1945")


@pytest.mark.parametrize(
    "text",
    [
        "Wreaths were laid at the Memorare Manila 1945 monument in Intramuros.",
        "Veterans met at the Liberation 1944 Museum in Overloon.",
    ],
)
def test_a_year_in_the_name_of_a_place_is_no_date(text: str) -> None:
    assert find_times(text, date(2024, 2, 19)) == []


def test_a_year_after_a_sentence_s_first_word_is_still_a_date() -> None:
    (time,) = find_times("In 1945 museum staff hid the collection.", date(2024, 2, 19))
    assert time.value == "1945"


def test_hours_later_is_the_day_stated_before() -> None:
    text = "On 28 October 1940 the government rejected the ultimatum. Troops crossed the border hours later."
    offsets = [t for t in find_times(text, date(2025, 10, 28)) if t.rule == "offset"]
    assert [(t.span.text, t.value) for t in offsets] == [("hours later", "1940-10-28")]


def test_days_before_a_named_happening_date_that_happening() -> None:
    text = "The leaders held talks on Tuesday, a day before a military parade in the capital."
    offsets = [t for t in find_times(text, date(2025, 9, 2)) if t.span.text == "a day before"]
    assert [(t.value, t.rule) for t in offsets] == [("2025-09-03", "offset-ahead")]


def test_a_night_across_two_days_starts_on_the_first() -> None:
    found = find_times("On the night of 9/10 June 1942 the village burned.", date(2024, 6, 10))
    assert [(t.span.text, t.value, t.rule) for t in found] == [("9/10 June 1942", "1942-06-09", "day-range-start")]


@pytest.mark.parametrize(
    ("phrase", "published", "value"),
    [
        ("last month", date(2025, 1, 23), "2024-12"),
        ("earlier this month", date(2025, 1, 23), "2025-01"),
        ("next month", date(2025, 12, 2), "2026-01"),
    ],
)
def test_a_month_named_by_its_distance_resolves_against_publication(phrase: str, published: date, value: str) -> None:
    (t,) = find_times(f"The emperor visited the island {phrase}.", published)
    assert (t.span.text, t.value, t.precision, t.rule) == (phrase, value, "month", "relative-month")
