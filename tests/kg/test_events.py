"""Events: current ones with dates resolved against publication, background history, anniversaries, places.

Runs the whole extractor (spaCy pipeline + gazetteer, loaded once per session) on short passages.
Weekdays used below: 2023-02-02 Thu, 2024-01-27 Sat, 2024-08-01 Thu, 2025-01-27 Mon, 2025-05-09 Fri,
2025-09-03 Wed.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

import kg.articles
import kg.extract
import kg.gazetteer
import kg.nlp
from kg.gazetteer import Gazetteer
from kg.records import Event, Extraction, family


def run(text: str, published: str, nlp: Language, gaz: Gazetteer) -> Extraction:
    return kg.extract.extract(kg.articles.make_article(text, published=published), nlp, gaz)


def of_type(x: Extraction, event_type: str) -> Event:
    found = [e for e in x.events if e.type == event_type]
    assert len(found) == 1, [(e.type, e.label) for e in x.events]
    return found[0]


def by_key(x: Extraction, key: str | None) -> Event:
    assert key is not None
    return next(e for e in x.events if e.key == key)


PARADES = [
    pytest.param(
        "China will hold a military parade in Beijing on Wednesday to mark the end of the war in Asia.",
        "2025-09-01",
        "2025-09-03",
        id="future-parade-on-wednesday",
    ),
    pytest.param(
        "Thousands of soldiers marched in the parade on Red Square on Friday.",
        "2025-05-10",
        "2025-05-09",
        id="past-parade-on-friday",
    ),
    pytest.param(
        "Thousands of soldiers marched in the parade on Red Square on Friday, as Putin watched with Xi.",
        "2025-05-09",
        "2025-05-09",
        id="parade-on-the-day-of-publication",
    ),
]


@pytest.mark.parametrize(("text", "published", "day"), PARADES)
def test_a_parade_on_a_weekday_takes_that_date(
    text: str, published: str, day: str, nlp: Language, gaz: Gazetteer
) -> None:
    """A parade "on Wednesday" is dated by the weekday resolved against publication, and is current."""
    parade = of_type(run(text, published, nlp, gaz), "parade")
    assert parade.time is not None
    assert parade.time.value == day
    assert not parade.background


BACKGROUND = [
    pytest.param(
        "Russia marked the 80th anniversary of the end of the war on Friday; the war had begun in 1941.",
        "2025-05-09",
        id="same-sentence",
    ),
    pytest.param(
        "Russia marked the 80th anniversary of the end of the war on Friday. The war had begun in 1941.",
        "2025-05-10",
        id="next-sentence",
    ),
]


@pytest.mark.parametrize(("text", "published"), BACKGROUND)
def test_the_anniversary_is_current_and_the_war_is_background(
    text: str, published: str, nlp: Language, gaz: Gazetteer
) -> None:
    """The anniversary takes the Friday date; the war it recalls is background and never takes that date."""
    x = run(text, published, nlp, gaz)
    marking = of_type(x, "commemoration")
    assert marking.time is not None and marking.time.value == "2025-05-09"
    assert not marking.background
    wars = [e for e in x.events if e.type == "war"]
    assert wars
    for war in wars:
        assert war.background
        assert war.time is None or war.time.value is None or war.time.value[:4] < "1946"
        assert war.time is None or war.time.rule not in ("weekday", "weekday-possessive", "deictic-day")
    assert by_key(x, marking.commemorates).type == "war"


@pytest.mark.parametrize(("text", "published"), BACKGROUND)
def test_a_weekday_is_no_part_of_a_background_label(text: str, published: str, nlp: Language, gaz: Gazetteer) -> None:
    """The war's label is not stretched over the date that follows it ("war on Friday")."""
    x = run(text, published, nlp, gaz)
    for war in (e for e in x.events if e.type == "war"):
        assert "Friday" not in war.label


WARSAW = (
    "Polish President Andrzej Duda attended a ceremony in Warsaw on Thursday marking the 80th anniversary of the "
    "Warsaw Uprising, which broke out on August 1, 1944."
)
ANNIVERSARIES = [
    pytest.param(
        "Survivors gathered on Monday for a ceremony marking the 80th anniversary of the liberation of Auschwitz, "
        "which Soviet troops freed in January 1945.",
        "2025-01-28",
        "2025-01-27",
        "liberation",
        "1945",
        id="liberation-of-auschwitz",
    ),
    pytest.param(
        "On Saturday, St Petersburg held a ceremony at the Piskaryovskoye Memorial Cemetery marking the 80th "
        "anniversary of the lifting of the siege of Leningrad in January 1944.",
        "2024-01-27",
        "2024-01-27",
        "liberation",
        "1944",
        id="lifting-of-the-siege-of-leningrad",
    ),
    pytest.param(
        WARSAW,
        "2024-08-02",
        "2024-08-01",
        None,
        "1944",
        id="warsaw-uprising",
    ),
]


@pytest.mark.parametrize(("text", "published", "day", "recalled_type", "recalled_year"), ANNIVERSARIES)
def test_a_commemoration_links_to_what_it_marks(
    text: str, published: str, day: str, recalled_type: str | None, recalled_year: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "marking the 80th anniversary of X" links the ceremony to X, stated 80 and computed 80 from X's year."""
    x = run(text, published, nlp, gaz)
    ceremony = of_type(x, "ceremony")
    assert ceremony.time is not None and ceremony.time.value == day
    assert not ceremony.background
    assert ceremony.commemorates is not None
    recalled = by_key(x, ceremony.commemorates)
    if recalled_type is not None:
        assert recalled.type == recalled_type
    assert recalled.background
    assert recalled.time is not None and recalled.time.value is not None
    assert recalled.time.value[:4] == recalled_year
    assert recalled.time.rule in ("absolute", "gazetteer")
    assert ceremony.anniversary_stated == 80
    assert ceremony.anniversary_computed == 80


def test_the_warsaw_uprising_is_linked_to_wikidata(nlp: Language, gaz: Gazetteer) -> None:
    """The commemorated Warsaw Uprising is the gazetteer event, with its Wikidata ID."""
    x = run(WARSAW, "2024-08-02", nlp, gaz)
    recalled = by_key(x, of_type(x, "ceremony").commemorates)
    assert recalled.wikidata == "Q1402078"


PLACES = [
    pytest.param(
        "Leaders attended a ceremony in Warsaw on Thursday to honour the insurgents of 1944.",
        "2024-08-02",
        "Warsaw",
        "Q270",
        id="ceremony-in-warsaw",
    ),
    pytest.param(
        "A wreath-laying ceremony was held in Volgograd on Thursday to mark the 80th anniversary of the Battle of "
        "Stalingrad.",
        "2023-02-03",
        "Volgograd",
        None,
        id="ceremony-in-volgograd",
    ),
]


@pytest.mark.parametrize(("text", "published", "place", "qid"), PLACES)
def test_a_place_is_attached(
    text: str, published: str, place: str, qid: str | None, nlp: Language, gaz: Gazetteer
) -> None:
    """ "a ceremony in Warsaw" places the ceremony in Warsaw."""
    ceremony = of_type(run(text, published, nlp, gaz), "ceremony")
    assert ceremony.place is not None
    assert ceremony.place.name == place
    if qid is not None:
        assert ceremony.place.wikidata == qid


ALL = [
    pytest.param(c.values[0], c.values[1], id=f"{kind}-{c.id}")
    for kind, cases in (
        ("parade", PARADES),
        ("background", BACKGROUND),
        ("anniversary", ANNIVERSARIES),
        ("place", PLACES),
    )
    for c in cases
]


@pytest.mark.parametrize(("text", "published"), ALL)
def test_evidence_span_is_the_text_between_offsets(text: str, published: str, nlp: Language, gaz: Gazetteer) -> None:
    """Every event's evidence, and its date's, equals the body between its offsets."""
    x = run(text, published, nlp, gaz)
    body = x.article.text
    assert x.events
    for e in x.events:
        assert body[e.span.start : e.span.end] == e.span.text
        if e.time is not None:
            assert body[e.time.span.start : e.time.span.end] == e.time.span.text


@pytest.mark.parametrize(
    ("text", "published", "event_type", "value"),
    [
        pytest.param(
            "It was only in 1990 that Moscow officially acknowledged responsibility for the killings.",
            "2020-04-13",
            "other",
            "1990",
            id="acknowledged",
        ),
        pytest.param(
            "In 2005, German Chancellor Gerhard Schroeder unveiled a plaque in the city.",
            "2015-05-09",
            "ceremony",
            "2005",
            id="unveiled-is-a-ceremony",
        ),
        pytest.param(
            "More than 40 world leaders gathered in Jerusalem on 23 January 2020.",
            "2020-01-27",
            "commemoration",
            "2020-01-23",
            id="gathered-is-a-commemoration",
        ),
    ],
)
def test_a_dated_clause_without_a_trigger_is_still_an_event(
    text: str, published: str, event_type: str, value: str, nlp: Language, gaz: Gazetteer
) -> None:
    """A date no trigger word claims still dates the clause's verb, typed by that verb."""
    x = run(text, published, nlp, gaz)
    found = [e for e in x.events if e.time is not None and e.time.value == value]
    assert found and found[0].type == event_type
    assert x.article.text[found[0].span.start : found[0].span.end] == found[0].span.text


def test_known_history_takes_the_gazetteer_day_where_the_text_gives_a_year(nlp: Language, gaz: Gazetteer) -> None:
    """ "80 years ago" dates the attack to a year; the gazetteer entry knows the day, and says so."""
    x = run(
        "Veterans returned to Hawaii on Tuesday to remember the attack on Pearl Harbor 80 years ago.",
        "2021-12-08",
        nlp,
        gaz,
    )
    attack = next(e for e in x.events if e.wikidata == "Q52418")
    assert attack.background
    assert attack.time is not None and attack.time.value == "1941-12-07"
    assert attack.time.rule == "gazetteer" and attack.time.anchor == "1941"


def test_a_known_event_named_in_other_words_is_linked(nlp: Language, gaz: Gazetteer) -> None:
    """ "the liberation of the Nazi camp at Auschwitz" holds every content word of Liberation of Auschwitz."""
    x = run("In 1945 Soviet soldiers carried out the liberation of the Nazi camp at Auschwitz.", "2020-01-20", nlp, gaz)
    liberation = of_type(x, "liberation")
    assert liberation.time is not None and liberation.time.value == "1945-01-27"
    assert liberation.time.rule == "gazetteer" and liberation.time.anchor == "1945"


def test_a_stated_date_that_differs_from_the_gazetteer_stays(nlp: Language, gaz: Gazetteer) -> None:
    """What the text states wins over the entry: a day the text gives is never replaced."""
    x = run(
        "The attack on Pearl Harbor, which the paper dated December 8, 1941, shocked America.", "2021-12-08", nlp, gaz
    )
    attack = next(e for e in x.events if e.wikidata == "Q52418")
    assert attack.time is not None and attack.time.value == "1941-12-08"


def test_a_war_does_not_take_its_first_day(nlp: Language, gaz: Gazetteer) -> None:
    """A war frames a story: its gazetteer start is no date of what the article says of it."""
    x = run("Veterans of World War II laid wreaths at the memorial in Warsaw on Sunday.", "2024-09-02", nlp, gaz)
    for war in (e for e in x.events if e.type == "war"):
        assert war.time is None or war.time.rule != "gazetteer"


@pytest.mark.parametrize(
    ("text", "published", "families"),
    [
        pytest.param(
            "The town hosted a procession of vintage military vehicles on Sunday.",
            "2023-05-08",
            {"commemorative"},
            id="a-procession-this-year-remembers",
        ),
        pytest.param(
            "On May 4, 1945, crowds gathered in the streets of Copenhagen with flags.",
            "2025-05-05",
            {"historical", "other"},
            id="crowds-in-1945-commemorated-nothing-yet",
        ),
    ],
)
def test_a_dated_clause_takes_its_family_from_its_time_and_words(
    text: str, published: str, families: set[str], nlp: Language, gaz: Gazetteer
) -> None:
    """A dated clause without a trigger noun: this year's is a commemoration, 1945's is history."""
    from kg.records import family

    x = run(text, published, nlp, gaz)
    dated = [e for e in x.events if e.time is not None and e.time.value]
    assert dated, [(e.type, e.label) for e in x.events]
    assert {family(e.type) for e in dated} <= families


def test_an_anniversary_on_a_day_dates_what_it_marks_to_that_day(nlp: Language, gaz: Gazetteer) -> None:
    """A ceremony on 2023-09-23 marking the 80th anniversary of an unrecorded event dates it 1943-09-23,
    by the rule "anniversary" with the ceremony's day as anchor."""
    x = run(
        "On Saturday the town held a ceremony marking the 80th anniversary of the end of the occupation.",
        "2023-09-24",
        nlp,
        gaz,
    )
    ceremony = of_type(x, "ceremony")
    assert ceremony.time is not None and ceremony.time.value == "2023-09-23"
    recalled = by_key(x, ceremony.commemorates)
    assert recalled.time is not None and recalled.time.value == "1943-09-23"
    assert recalled.time.rule == "anniversary" and recalled.time.anchor == "2023-09-23"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("Exactly 80 years ago the village was burned down by the occupiers.", "1943-03-22", id="exactly"),
        pytest.param("The village was burned down 80 years ago today.", "1943-03-22", id="today"),
        pytest.param("The village was burned down 80 years ago.", "1943", id="a-year-only"),
    ],
)
def test_years_ago_is_a_day_only_when_the_text_says_so(text: str, value: str) -> None:
    """ "exactly 80 years ago" and "80 years ago today" are a day; "80 years ago" alone is a year."""
    from datetime import date

    from kg.extract.dates import find_times

    (ago,) = [t for t in find_times(text, date(2023, 3, 22)) if t.rule == "years-ago"]
    assert ago.value == value


def test_a_historical_event_is_placed_where_its_name_says(nlp: Language, gaz: Gazetteer) -> None:
    """ "the Soviet occupation of Latvia" in 1940 happened in Latvia, though no preposition says "in"."""
    x = run("Speakers recalled the 1940 Soviet invasion of Latvia and its victims.", "2022-08-28", nlp, gaz)
    invasion = of_type(x, "invasion")
    assert invasion.place is not None and invasion.place.name == "Latvia"


SEED_LIKE = (
    "The two presidents met in Hanoi ahead of Saturday's naval parade marking the end of the war, with the "
    "prime minister having earlier flown to Moscow to commemorate Russia's Victory Day on May 9."
)


def test_a_meeting_ahead_of_a_parade_does_not_take_the_parade_day(nlp: Language, gaz: Gazetteer) -> None:
    """ "met ... ahead of Saturday's parade": the meeting was some day before it; no date is invented."""
    x = run(SEED_LIKE, "2025-09-04", nlp, gaz)
    meeting = of_type(x, "meeting")
    assert meeting.time is None or meeting.time.value is None
    assert of_type(x, "parade").time.value == "2025-09-06"  # type: ignore[union-attr]


def test_a_trip_takes_the_date_of_what_its_own_clause_says_it_was_for(nlp: Language, gaz: Gazetteer) -> None:
    """ "flown to Moscow to commemorate Victory Day on May 9" was in May, not on the parade's day."""
    x = run(SEED_LIKE, "2025-09-04", nlp, gaz)
    visit = of_type(x, "visit")
    assert visit.time is not None and visit.time.value == "2025-05-09"
    assert visit.place is not None and visit.place.name == "Moscow"


def test_a_named_day_is_not_merged_into_another_kind_of_event(nlp: Language, gaz: Gazetteer) -> None:
    """Victory Day and this year's parade are two happenings, whatever their dates."""
    x = run(SEED_LIKE, "2025-09-04", nlp, gaz)
    victory = next(e for e in x.events if e.label == "Victory Day")
    assert victory.type == "commemoration"
    assert victory.time is not None and victory.time.value == "2025-05-09"


def test_the_end_of_a_recorded_battle_is_the_day_it_ended(nlp: Language, gaz: Gazetteer) -> None:
    """A Sunday ceremony for "the end of the Battle of Stalingrad" does not move the battle's end to a Sunday."""
    x = run(
        "Veterans gathered in Volgograd on Sunday to mark the 80th anniversary of the end of the Battle of Stalingrad.",
        "2023-02-06",
        nlp,
        gaz,
    )
    end = next(e for e in x.events if e.label.lower().startswith("end of"))
    assert end.time is not None and end.time.value == "1943-02-02" and end.time.rule == "gazetteer"


def test_a_visit_with_no_one_and_nowhere_is_no_event(nlp: Language, gaz: Gazetteer) -> None:
    """ "the visit" with no visitor, no place and only a borrowed date reports no visit."""
    x = run(
        "Veterans laid wreaths in Arnhem on Saturday. Organisers said the visit had been emotional for many.",
        "2024-09-22",
        nlp,
        gaz,
    )
    assert not [e for e in x.events if e.type in ("visit", "meeting")]


def test_a_ceremony_with_no_date_in_a_story_with_none_happened_on_the_day_of_publication(
    nlp: Language, gaz: Gazetteer
) -> None:
    """Nothing in the story is dated: the ceremony it reports took place on the day it ran, by rule "publication"."""
    x = run("Survivors attended a ceremony at the war cemetery, laying flowers at the graves.", "2017-02-15", nlp, gaz)
    ceremony = of_type(x, "ceremony")
    assert ceremony.time is not None and ceremony.time.value == "2017-02-15"
    assert ceremony.time.rule == "publication"


def test_a_commemoration_never_takes_a_wartime_year(nlp: Language, gaz: Gazetteer) -> None:
    """ "marking the 77th anniversary of the 1945 breakout": 1945 is the breakout's year, not the visit's."""
    x = run(
        "The president visited the camp on Friday to mark the 77th anniversary of the 1945 breakout of prisoners.",
        "2022-04-23",
        nlp,
        gaz,
    )
    for event in x.events:
        if event.type in ("commemoration", "ceremony", "parade", "speech") and event.time and event.time.value:
            assert event.time.value[:4] == "2022"


def test_a_named_day_far_from_publication_is_no_dated_event(nlp: Language, gaz: Gazetteer) -> None:
    """A day named in passing ("Holocaust Remembrance Day, held each January") is not this year's event in June."""
    x = run("The museum also takes part in International Holocaust Remembrance Day.", "2022-06-10", nlp, gaz)
    for event in x.events:
        assert event.time is None or event.time.value is None


def test_a_bare_mention_linked_to_a_recorded_event_takes_its_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "The month-long battle ended with Manila liberated" is the Battle of Manila, and the figure counts its dead."""
    x = run(
        "The month-long battle ended with Manila liberated, at the cost of over 100,000 civilian lives.",
        "2015-02-03",
        nlp,
        gaz,
    )
    battle = next(e for e in x.events if e.type == "battle")
    assert "Manila" in battle.label
    (figure,) = x.figures
    assert figure.event_label is not None and "Manila" in figure.event_label


def test_a_clause_is_not_renamed_after_the_event_it_remembers(nlp: Language, gaz: Gazetteer) -> None:
    """ "Veterans returned ... to remember the attack on Pearl Harbor": the return is no attack."""
    x = run("Veterans returned to Hawaii on Tuesday to remember the attack on Pearl Harbor.", "2021-12-08", nlp, gaz)
    for event in x.events:
        if event.wikidata == "Q52418":
            assert event.background


def test_an_anniversary_held_on_29_february_dates_what_it_marks_to_a_year(nlp: Language, gaz: Gazetteer) -> None:
    """A ceremony on 2020-02-29 marking the 75th anniversary: 1945 had no 29 February, so a year."""
    x = run(
        "On Saturday the town held a ceremony marking the 75th anniversary of the end of the occupation.",
        "2020-02-29",
        nlp,
        gaz,
    )
    recalled = by_key(x, of_type(x, "ceremony").commemorates)
    assert recalled.time is not None and recalled.time.value == "1945" and recalled.time.precision == "year"


def test_an_anniversary_of_any_happening_is_an_event(nlp: Language, gaz: Gazetteer) -> None:
    """ "This year marks the 75th anniversary of the abolition of the ghetto": the abolition, 75 years back."""
    x = run("This year marks the 75th anniversary of the abolition of the Vilnius ghetto.", "2018-09-23", nlp, gaz)
    abolition = next(e for e in x.events if e.label.lower().startswith("abolition"))
    assert abolition.time is not None and abolition.time.value == "1943"
    assert abolition.time.rule == "anniversary"


def test_the_day_something_was_reported_dates_no_event_inside_the_report(nlp: Language, gaz: Gazetteer) -> None:
    """ "An aide confirmed Tuesday that the mayor had wanted a smaller parade": Tuesday is the confirming."""
    text = (
        "Veterans marched through Arnhem on Sunday. A municipal aide confirmed Tuesday that the mayor had "
        "tried to limit the parade to a few hundred marchers."
    )
    x = run(text, "2024-09-24", nlp, gaz)
    assert all(e.time is None or e.time.value != "2024-09-24" for e in x.events), [
        (e.type, e.label, e.time.value if e.time else None) for e in x.events
    ]


def test_a_dateline_dates_the_story_not_its_events(nlp: Language, gaz: Gazetteer) -> None:
    """ "OSLO, May 7 (Reuters) -- ... a ceremony this weekend": May 7 is when the story was filed."""
    text = "OSLO, May 7 (Reuters) -- The government will hold a wreath-laying ceremony at the fortress on Saturday."
    x = run(text, "2021-05-07", nlp, gaz)
    ceremony = of_type(x, "ceremony")
    assert ceremony.time is not None and ceremony.time.value == "2021-05-08"


def test_marking_years_since_is_a_commemoration(nlp: Language, gaz: Gazetteer) -> None:
    """ "Delegates on Saturday marked 80 years since the battle": the marking is a commemoration, dated."""
    x = run("Delegates from former foes on Saturday marked 80 years since the battle of Kursk.", "2023-07-15", nlp, gaz)
    marking = of_type(x, "commemoration")
    assert marking.time is not None and marking.time.value == "2023-07-15"


def test_a_parade_and_a_ceremony_on_one_day_are_two_happenings(nlp: Language, gaz: Gazetteer) -> None:
    """Tanks rolled in a parade, and a wreath-laying ceremony followed: two events of the same day; the
    speech given at the ceremony and the phrase of what it marked are no further events."""
    text = (
        "Thousands watched a military parade through the centre of Minsk on Monday. Later in the day, "
        "the president attended a wreath-laying ceremony marking the 80th anniversary of the city's "
        "liberation, where he gave a speech."
    )
    x = run(text, "2024-07-01", nlp, gaz)
    parade, ceremony = of_type(x, "parade"), of_type(x, "ceremony")
    assert parade.key != ceremony.key
    assert parade.time is not None and ceremony.time is not None
    assert parade.time.value == ceremony.time.value == "2024-07-01"
    assert not [e for e in x.events if e.type == "speech"]


def test_a_commemoration_a_trip_went_to_is_held_where_the_trip_went(nlp: Language, gaz: Gazetteer) -> None:
    """ "flew to Moscow to attend Russia's Victory Day parade": the parade was in Moscow, not "Russia"."""
    text = "Last week the Serbian president flew to Moscow to attend Russia's Victory Day parade."
    x = run(text, "2023-05-15", nlp, gaz)
    held = [e for e in x.events if family_of(e) == "commemorative"]
    assert held and all(e.place is not None and e.place.name == "Moscow" for e in held)


def test_its_invasion_happened_in_the_country_the_sentence_is_about(nlp: Language, gaz: Gazetteer) -> None:
    """ "Poland lost six million citizens after its invasion in September 1939": the invasion of Poland."""
    text = "Poland lost six million citizens in the years that followed its invasion in September 1939."
    x = run(text, "2019-09-01", nlp, gaz)
    invasion = of_type(x, "invasion")
    assert invasion.place is not None and invasion.place.name == "Poland"


def family_of(e: Event) -> str:
    return family(e.type)


def test_what_a_court_or_council_did_this_week_is_news_not_a_commemoration(nlp: Language, gaz: Gazetteer) -> None:
    """ "The district council on Tuesday removed the tank memorial": an event of its own, type other."""
    text = "Veterans protested after the district council on Tuesday removed the tank memorial from the square."
    x = run(text, "2022-08-26", nlp, gaz)
    removal = next(e for e in x.events if e.label.startswith("remove"))
    assert removal.type == "other"
    assert removal.time is not None and removal.time.value == "2022-08-23"


def test_an_anniversary_dated_by_other_news_gives_only_a_year(nlp: Language, gaz: Gazetteer) -> None:
    """A ceremony that borrows its day from the parade beside it ("The ceremony marked the 80th
    anniversary of the uprising") says the uprising's year, not its day; a mention of the anniversary
    joins the ceremony its sentence names, never the parade of the sentence before."""
    text = (
        "Crowds watched Saturday's military parade in the capital. "
        "The ceremony marked the 80th anniversary of the uprising against the occupiers."
    )
    x = run(text, "2024-08-26", nlp, gaz)
    ceremony = of_type(x, "ceremony")
    target = by_key(x, ceremony.commemorates)
    assert target.time is not None and (target.time.value, target.time.precision) == ("1944", "year")
    assert of_type(x, "parade").commemorates is None


def test_two_mentions_of_one_recorded_event_are_one_event(nlp: Language, gaz: Gazetteer) -> None:
    """An entry with no Wikidata ID is still one event: its name twice is one happening, and a mention
    linked to it only by its words ("the liberation of the Nazi camp at Auschwitz") joins it too."""
    x = run(
        "Operation Dragoon opened a second front in France. Historians still debate Operation Dragoon.",
        "2019-08-14",
        nlp,
        gaz,
    )
    assert [e.label for e in x.events if e.type == "invasion"] == ["Operation Dragoon"]
    x = run(
        "In 1945 Soviet soldiers carried out the liberation of the Nazi camp at Auschwitz. "
        "Historians have written much about the liberation of Auschwitz.",
        "2020-01-20",
        nlp,
        gaz,
    )
    liberation = of_type(x, "liberation")
    assert liberation.time is not None and liberation.time.value == "1945-01-27"


def test_an_anniversary_dated_to_its_year_falls_on_the_day_it_counts_from(nlp: Language, gaz: Gazetteer) -> None:
    """ "In 2019 the town held a commemoration of the 75th anniversary of the massacre carried out on
    June 10, 1944": the commemoration is dated 2019-06-10, the year it was stated kept as its anchor."""
    text = (
        "In 2019 the town held a commemoration of the 75th anniversary of the massacre carried out on "
        "June 10, 1944 in the village."
    )
    x = run(text, "2019-12-30", nlp, gaz)
    commemoration = of_type(x, "commemoration")
    assert commemoration.time is not None
    assert (commemoration.time.value, commemoration.time.rule, commemoration.time.anchor) == (
        "2019-06-10",
        "anniversary-day",
        "2019",
    )
    assert by_key(x, commemoration.commemorates).type == "massacre"


def test_the_days_ceremonies_are_where_the_headline_says(nlp: Language, gaz: Gazetteer) -> None:
    """A commemoration the body places nowhere takes the place its headline names, as the body spells
    it, even where the NER saw no place; a country in the headline places nothing."""
    article = kg.articles.make_article(
        "Thousands attended the commemoration on Sunday. The mayor of Kragujevac laid a wreath.",
        published="2021-10-21",
        title="Wreaths laid in Kragujevac for the victims of 1941",
    )
    commemoration = of_type(kg.extract.extract(article, nlp, gaz), "commemoration")
    assert commemoration.place is not None and commemoration.place.name == "Kragujevac"
    article = kg.articles.make_article(
        "Thousands attended the commemoration on Sunday in the capital of Serbia.",
        published="2021-10-21",
        title="Wreaths laid in Serbia",
    )
    assert of_type(kg.extract.extract(article, nlp, gaz), "commemoration").place is None


def test_an_unnamed_event_is_the_one_recorded_event_of_its_type_on_its_day(nlp: Language, gaz: Gazetteer) -> None:
    """ "a massacre on October 3, 1943" names nothing, but one recorded massacre began that day: it is
    that one, with its name; a day with no recorded event of the type links nothing."""
    x = run(
        "Villagers gathered on Sunday where a massacre on October 3, 1943 killed 93 people.", "2014-03-09", nlp, gaz
    )
    assert of_type(x, "massacre").label == "Lingiades massacre"
    x = run(
        "Villagers gathered on Sunday where a massacre on October 4, 1943 killed 93 people.", "2014-03-09", nlp, gaz
    )
    assert of_type(x, "massacre").label == "massacre"


def test_a_clause_dated_by_a_range_is_one_event_from_its_first_date(nlp: Language, gaz: Gazetteer) -> None:
    """ "operated between July 1942 and October 1943" is one happening that began in July 1942; a date of
    the same clause that is no end of a range ("fled in 1944") stays an event of its own."""
    text = "The camp operated between July 1942 and October 1943, and its guards fled in 1944."
    x = run(text, "2022-08-02", nlp, gaz)
    dated = sorted((e.label, e.time.value) for e in x.events if e.time is not None)
    assert dated == [("flee", "1944"), ("operate", "1942-07")]


def test_a_war_of_years_takes_no_day_of_its_sentence(nlp: Language, gaz: Gazetteer) -> None:
    """ "... on 30 April 1945, days before World War II ended in Europe": the day is the flag's, not the
    war's, which lasted six years; the war stays an undated, linked event."""
    text = "The Red Army raised its flag over the Reichstag on 30 April 1945, days before World War II ended in Europe."
    x = run(text, "2020-05-09", nlp, gaz)
    war = of_type(x, "war")
    assert war.wikidata is not None and war.time is None


def test_as_the_in_a_sentence_is_no_recurring_date(nlp: Language, gaz: Gazetteer) -> None:
    """ "... on Wednesday, ... as the last survivors grow old": "as the" says nothing of a yearly date,
    so Wednesday dates the commemoration, and the anniversary dates the bombing to 1945."""
    text = (
        "Hiroshima marked the 80th anniversary of its atomic bombing on Wednesday, with its mayor urging "
        "young people to act as the last survivors grow old."
    )
    x = run(text, "2025-08-06", nlp, gaz)
    marked = of_type(x, "commemoration")
    assert marked.time is not None and marked.time.value == "2025-08-06"
    bombing = by_key(x, marked.commemorates)
    assert bombing.time is not None and bombing.time.value.startswith("1945")


def test_a_plural_event_over_two_names_is_two_events_unless_recorded_as_one(nlp: Language, gaz: Gazetteer) -> None:
    """ "the sieges of Leningrad and Sevastopol" are two sieges, each named, placed and linked; "the atomic
    bombings of Hiroshima and Nagasaki" is one recorded event; "the battles of the war" is none."""
    x = run("Veterans of the sieges of Leningrad and Sevastopol laid wreaths.", "2024-05-09", nlp, gaz)
    sieges = sorted((e.label, e.place.name if e.place else None) for e in x.events if e.type == "battle")
    assert sieges == [("siege of Leningrad", "Saint Petersburg"), ("siege of Sevastopol", "Sevastopol")]
    assert next(e for e in x.events if e.label == "siege of Leningrad").wikidata == "Q151860"
    x = run("Japan marked the anniversary of the atomic bombings of Hiroshima and Nagasaki.", "2024-08-06", nlp, gaz)
    assert [e.wikidata for e in x.events if e.type == "bombing"] == ["Q488"]
    x = run("He fought in the battles of the Second World War in 1944.", "2024-05-09", nlp, gaz)
    assert not [e for e in x.events if e.type == "battle"]


def test_a_bare_mention_is_the_one_named_event_of_its_kind(nlp: Language, gaz: Gazetteer) -> None:
    """ "a symbol of the uprising" after "the Warsaw Ghetto Uprising" is that uprising, not a second event."""
    text = (
        "Daffodils dotted the crowd on Thursday as leaders praised the fighters of the Warsaw Ghetto Uprising. "
        "Addressing the crowd, much of which wore daffodils – a symbol of the uprising – the president spoke."
    )
    x = run(text, "2018-04-20", nlp, gaz)
    assert [e.label for e in x.events if family(e.type) in ("historical", "other")] == ["Warsaw Ghetto Uprising"]


def test_an_offset_counts_from_the_last_happening_told_even_one_dated_by_history(nlp: Language, gaz: Gazetteer) -> None:
    """ "The next day, Roosevelt asked Congress ..." after the attack on Pearl Harbor, whose day only the
    gazetteer gives: 1941-12-08; "Just three days later" counts on from that: 1941-12-11."""
    text = (
        "Veterans came to Hawaii this week to remember the attack on Pearl Harbor.\n\n"
        "The next day, Roosevelt asked Congress to declare war on Japan. "
        "Just three days later, Germany and Italy declared war on the United States."
    )
    x = run(text, "2021-12-07", nlp, gaz)
    offsets = sorted((e.time.value, e.time.anchor) for e in x.events if e.time is not None and e.time.rule == "offset")
    assert offsets == [("1941-12-08", "1941-12-07"), ("1941-12-11", "1941-12-08")]


@pytest.mark.parametrize(
    ("text", "published", "kind", "day"),
    [
        pytest.param(
            "Earlier in the morning, the defence secretary placed a wreath at the Cenotaph in London.",
            "2020-08-15",
            "ceremony",
            "2020-08-15",
            id="a-wreath-placed",
        ),
        pytest.param(
            "On Sunday the president unveiled a memorial to the victims in Prague.",
            "2021-05-10",
            "ceremony",
            "2021-05-09",
            id="a-memorial-unveiled",
        ),
        pytest.param(
            "Dozens of veterans marched through the streets of Lod on Tuesday.",
            "2017-05-10",
            "parade",
            "2017-05-09",
            id="veterans-marched",
        ),
        pytest.param(
            "A remembrance service was held at the cathedral on Sunday morning.",
            "2010-11-15",
            "ceremony",
            "2010-11-14",
            id="a-remembrance-service",
        ),
        pytest.param(
            "On Monday a solemn meeting in memory of the convoy was held at the Monument of Victory.",
            "2016-08-30",
            "ceremony",
            "2016-08-29",
            id="a-solemn-meeting-is-no-talks",
        ),
    ],
)
def test_what_people_do_at_a_commemoration_is_a_happening(
    text: str, published: str, kind: str, day: str, nlp: Language, gaz: Gazetteer
) -> None:
    """Laying a wreath, unveiling a memorial, marching and a solemn meeting in memory are happenings of
    their own, named by a verb or by words that are no diplomatic talks."""
    event = of_type(run(text, published, nlp, gaz), kind)
    assert event.time is not None and event.time.value == day


def test_the_month_of_march_is_no_march(nlp: Language, gaz: Gazetteer) -> None:
    x = run("The city fell to the Red Army in March 1945.", "2025-03-10", nlp, gaz)
    assert not [e for e in x.events if e.type == "parade"]


def test_a_forced_march_is_no_parade(nlp: Language, gaz: Gazetteer) -> None:
    x = run("Today prisoners of war were forced to march to Changi, where they were interned.", "2022-02-15", nlp, gaz)
    assert not [e for e in x.events if e.type == "parade"]


def test_a_named_day_with_one_ceremony_is_that_ceremony(nlp: Language, gaz: Gazetteer) -> None:
    """ "marked Yom HaShoah with an official ceremony at Yad Vashem": one happening, held at Yad Vashem."""
    text = (
        "Israel marked Yom HaShoah on Wednesday night with an official ceremony at Yad Vashem in Jerusalem. "
        "The ceremony was attended by the prime minister."
    )
    reported = [e for e in run(text, "2021-04-08", nlp, gaz).events if family(e.type) == "commemorative"]
    assert [(e.type, e.time.value if e.time else None) for e in reported] == [("ceremony", "2021-04-07")]
    assert reported[0].place is not None and reported[0].place.name == "Yad Vashem"


def test_a_date_of_another_clause_is_no_date_of_the_history_it_names(nlp: Language, gaz: Gazetteer) -> None:
    """ "erected in 1985 to recognise the Soviet invasion": 1985 dates the erecting, not the invasion."""
    x = run("The Riga monument was erected in 1985 to recognise the Soviet invasion of Latvia.", "2022-08-28", nlp, gaz)
    invasion = of_type(x, "invasion")
    assert invasion.time is None or invasion.time.value != "1985"
    assert any(e.time is not None and e.time.value == "1985" and e.type == "other" for e in x.events)


def test_an_anniversary_is_of_the_first_event_its_words_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "the 75th anniversary of a night of U.S. air raids during World War II": of the raids (initials
    with full stops inside), which it dates to 1945, not of the war that frames them."""
    text = (
        "Tokyo on Tuesday marked the 75th anniversary of a night of U.S. air raids during World War II "
        "that killed about 100,000 people."
    )
    x = run(text, "2020-03-10", nlp, gaz)
    marking = of_type(x, "commemoration")
    raids = by_key(x, marking.commemorates)
    assert raids.type == "bombing"
    assert raids.time is not None and raids.time.value == "1945-03-10"


def test_of_recorded_events_begun_the_same_day_the_text_names_the_shortest(nlp: Language, gaz: Gazetteer) -> None:
    """ "the Allied invasion of Normandy on June 6" names the landings and the operation begun that day:
    its day is the same either way, and it links to the landings."""
    text = "Operation Dragoon took place in 1944, two months after the famous Allied invasion of Normandy on June 6."
    normandy = next(e for e in run(text, "2019-08-14", nlp, gaz).events if "Normandy" in e.label)
    assert normandy.time is not None and normandy.time.value == "1944-06-06"
    assert normandy.wikidata == gaz.lookup("Normandy landings", "event")[0].wikidata


def test_an_anniversary_of_a_battle_in_a_war_is_of_the_battle_and_dates_no_war(nlp: Language, gaz: Gazetteer) -> None:
    """ "75 years since the pivotal WWII battle of El Alamein": the battle is what is marked; the war,
    years long, takes no day from it."""
    text = "Delegates from former foes on Saturday marked 75 years since the pivotal WWII battle of El Alamein."
    x = run(text, "2017-10-21", nlp, gaz)
    marked = by_key(x, of_type(x, "commemoration").commemorates)
    assert marked.type == "battle" and "El Alamein" in marked.label
    assert of_type(x, "war").time is None


def test_two_parades_whose_own_words_name_two_places_are_two(nlp: Language, gaz: Gazetteer) -> None:
    """ "the naval parade in Sevastopol ... the Moscow Victory Day parade": one day, two parades."""
    text = (
        "Putin reviewed the naval parade in Sevastopol on Friday, "
        "hours after taking part in the Moscow Victory Day parade."
    )
    parades = [e for e in run(text, "2014-05-10", nlp, gaz).events if e.type == "parade"]
    assert sorted(e.place.name for e in parades if e.place is not None) == ["Moscow", "Sevastopol"]


def test_a_dated_clause_that_mentions_history_is_still_todays_happening(nlp: Language, gaz: Gazetteer) -> None:
    """ "daffodils dotted the crowd on Thursday as leaders extolled the fighters of the uprising": the
    clause is this Thursday's remembrance, not an uprising; the uprising keeps its own day."""
    text = (
        "Sirens wailed and daffodils dotted the crowd on Thursday as leaders extolled the fighters "
        "of the Warsaw Ghetto Uprising."
    )
    x = run(text, "2018-04-20", nlp, gaz)
    today = [e for e in x.events if e.time is not None and e.time.value == "2018-04-19"]
    assert [family(e.type) for e in today] == ["commemorative"]


def test_a_separate_happening_of_one_kind_stays_apart(nlp: Language, gaz: Gazetteer) -> None:
    """ "a separate commemorative ceremony" on the same day is a second ceremony, not the first again."""
    text = (
        "About 10 people took part in a memorial ceremony at a hall in Sumida Ward on Tuesday. "
        "A separate commemorative ceremony to be hosted by the city in the afternoon was called off."
    )
    ceremonies = [e for e in run(text, "2020-03-10", nlp, gaz).events if e.type == "ceremony"]
    assert len(ceremonies) == 2


@pytest.mark.parametrize(
    ("text", "published", "kind", "day"),
    [
        pytest.param(
            "The fall of Singapore to the Japanese in 1942 shocked Britain.", "2022-02-15", "surrender", "1942-02-15"
        ),
        pytest.param("Protesters took to the streets in Chemnitz on Monday.", "2018-08-28", "other", "2018-08-27"),
        pytest.param(
            "The anniversary comes less than two months before the presidential election on March 18.",
            "2018-02-02",
            "other",
            "2018-03-18",
        ),
        pytest.param("He will be sworn in as president on Saturday.", "2014-06-05", "other", "2014-06-07"),
    ],
)
def test_a_fall_a_protest_and_a_vote_are_events(
    text: str, published: str, kind: str, day: str, nlp: Language, gaz: Gazetteer
) -> None:
    """History's falls and the news a remembrance is told beside (protests, elections, swearings-in)."""
    found = [e.time.value for e in run(text, published, nlp, gaz).events if e.type == kind and e.time is not None]
    assert found == [day]


def test_a_death_in_this_news_is_an_event_and_the_wars_dead_are_not(nlp: Language, gaz: Gazetteer) -> None:
    """ "died on Sunday at the age of 98" is news of its own; "died in 1944" in the war is a figure's
    matter, no event."""
    x = run("The last veteran of the unit died on Sunday at the age of 98.", "2021-12-07", nlp, gaz)
    assert [(e.type, e.label, e.time.value if e.time else None) for e in x.events] == [
        ("other", "death of the last veteran of the unit", "2021-12-05")
    ]
    assert not run("His father died in 1944 near Arnhem.", "2021-12-07", nlp, gaz).events


def test_a_verb_names_the_recorded_event_its_noun_would(nlp: Language, gaz: Gazetteer) -> None:
    """ "weeks before Nazi Germany surrendered" is the German surrender of 8 May 1945."""
    x = run(
        "The camp was liberated by British troops just weeks before Nazi Germany surrendered.", "2005-04-17", nlp, gaz
    )
    found = [e for e in x.events if e.type == "surrender"]
    assert [(e.wikidata is not None, e.time.value if e.time else None) for e in found] == [(True, "1945-05-08")]


SINCE = [
    pytest.param(
        "Since 2009, the town has honoured the memory of the deported on the day the camp was closed.",
        "2024-08-02",
        "2009",
        id="honoured-since",
    ),
    pytest.param(
        "Since 1987, the city has rung its church bells every year to remember the night of the raid.",
        "2023-11-14",
        "1987",
        id="recurring-since",
    ),
]


@pytest.mark.parametrize(("text", "published", "year"), SINCE)
def test_a_remembrance_held_since_a_year_began_that_year(
    text: str, published: str, year: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "Since 1995, Shenyang has sounded the alarm every year": a remembrance that goes on is dated to
    the year it began."""
    x = run(text, published, nlp, gaz)
    assert any(family(e.type) == "commemorative" and e.time is not None and e.time.value == year for e in x.events), [
        (e.type, e.label, e.time) for e in x.events
    ]


def test_the_first_time_since_a_year_dates_nothing(nlp: Language, gaz: Gazetteer) -> None:
    x = run("The president marched in the parade for the first time since 2019.", "2023-05-09", nlp, gaz)
    assert not [e for e in x.events if e.time is not None and e.time.value == "2019"]


def test_a_known_event_keeps_its_date_beside_since(nlp: Language, gaz: Gazetteer) -> None:
    """ "Since 1995 ... to commemorate the Battle of Stalingrad": 1995 is when the remembering began."""
    x = run(
        "Since 1995, the city has sounded its sirens every year to commemorate the Battle of Stalingrad.",
        "2023-02-02",
        nlp,
        gaz,
    )
    assert not [e for e in x.events if family(e.type) == "historical" and e.time is not None and e.time.value == "1995"]


def test_two_dated_happenings_in_one_month_stay_two(nlp: Language, gaz: Gazetteer) -> None:
    """ "began deporting on 22 July 1942" and "operated from July 1942": two happenings of the month,
    not one dated to the day of the first."""
    text = (
        "On 14 March 1941, the occupiers began deporting families from the valley to the quarry. "
        "The quarry camp operated between March 1941 and May 1944."
    )
    days = sorted(e.time.value for e in run(text, "2021-03-14", nlp, gaz).events if e.time and e.time.value < "1950")
    assert days == ["1941-03", "1941-03-14"]


def test_a_past_date_near_in_the_parse_dates_the_event_however_many_words_lie_between(
    nlp: Language, gaz: Gazetteer
) -> None:
    """ "postpone its annual harbour parade, which was eventually staged along the waterfront on
    3 October 2021": the relative clause dates the parade, not the day of publication."""
    text = (
        "The lockdown forced the city to postpone its annual harbour parade, which was eventually staged "
        "along the waterfront on 3 October 2021, months late."
    )
    parade = of_type(run(text, "2023-05-09", nlp, gaz), "parade")
    assert parade.time is not None and parade.time.value == "2021-10-03"


def test_recorded_history_named_in_a_quote_is_still_that_history(nlp: Language, gaz: Gazetteer) -> None:
    """Quoted words report nothing of the day, but "the attack on Pearl Harbor" they name is the
    recorded attack; an unrecorded attack in a quote is no event."""
    text = (
        '"My grandfather joined up the week after the attack on Pearl Harbor," Mary Jones said. '
        '"An attack on our memory is underway," Tom Smith said.'
    )
    events = run(text, "2022-08-08", nlp, gaz).events
    assert [(e.type, e.time.value if e.time else None) for e in events] == [("bombing", "1941-12-07")]
    assert events[0].wikidata is not None


def test_a_cleft_date_dates_the_event_of_its_clause(nlp: Language, gaz: Gazetteer) -> None:
    """ "It was on 2 September 1945 that the surrender of Japan was signed": the date is the surrender's."""
    x = run(
        "It was on 2 September 1945 that the surrender of the Japanese garrison was signed.", "2025-09-02", nlp, gaz
    )
    surrender = of_type(x, "surrender")
    assert surrender.time is not None and surrender.time.value == "1945-09-02"


def test_a_mention_on_the_day_of_a_recorded_event_of_its_kind_is_that_event(nlp: Language, gaz: Gazetteer) -> None:
    """ "the Luftwaffe attacked the undefended town on 1 September 1939" beside "the bombing of Wielun":
    one recorded bombing, not two."""
    text = (
        "Poland marked the anniversary of the bombing of Wielun. "
        "The Luftwaffe bombed the undefended town at dawn on 1 September 1939, killing hundreds."
    )
    bombings = [e for e in run(text, "2024-09-01", nlp, gaz).events if e.type == "bombing"]
    assert len(bombings) == 1, [(e.label, e.time) for e in bombings]
    assert bombings[0].time is not None and bombings[0].time.value == "1939-09-01"


def test_two_battles_named_in_a_quote_are_two_battles(nlp: Language, gaz: Gazetteer) -> None:
    text = '"The fate of the war was decided in the battles of Kursk and Stalingrad," Ivan Petrov said.'
    battles = [e for e in run(text, "2024-05-09", nlp, gaz).events if e.type == "battle"]
    assert sorted(e.label for e in battles) == ["battle of Kursk", "battle of Stalingrad"]
    assert all(e.place is not None for e in battles)


def test_a_day_being_designated_is_no_event_of_that_day(nlp: Language, gaz: Gazetteer) -> None:
    """ "enacted a law designating Aug. 14 as a day to honour the victims": Aug. 14 recurs; it dates nothing."""
    x = run(
        "Parliament last year enacted a law designating Aug. 14 as a day to honour the victims.", "2018-08-10", nlp, gaz
    )
    assert not [e for e in x.events if e.time is not None and e.time.value.endswith("-08-14")]


def test_its_names_the_owner_of_a_recorded_event(nlp: Language, gaz: Gazetteer) -> None:
    """ "Hiroshima marked the anniversary of its atomic bombing": the bombing of Hiroshima, dated by the record."""
    x = run("Hiroshima marked the 79th anniversary of its atomic bombing on Tuesday.", "2024-08-06", nlp, gaz)
    bombing = of_type(x, "bombing")
    assert bombing.wikidata is not None and "Hiroshima" in bombing.label
    assert bombing.time is not None and bombing.time.value == "1945-08-06"


def test_a_date_right_behind_a_trigger_is_its_own(nlp: Language, gaz: Gazetteer) -> None:
    """ "The commemoration was marred by the shootout on Friday night": Friday dates the shootout, and
    the commemoration keeps the day the story gives it."""
    text = (
        "Veterans on Saturday marked 75 years since the battle. "
        "The commemoration, held under tight security, was marred by the shootout on Friday night in the desert."
    )
    x = run(text, "2017-10-21", nlp, gaz)
    shootout = next(e for e in x.events if "shootout" in e.label)
    assert shootout.type == "other" and shootout.time is not None and shootout.time.value == "2017-10-20"
    assert not [e for e in x.events if family(e.type) == "commemorative" and e.time and e.time.value == "2017-10-20"]


def test_a_commemorated_event_the_record_knows_takes_its_kind(nlp: Language, gaz: Gazetteer) -> None:
    """ "the 92nd anniversary of the September 18 Incident": the recorded incident (type other), not a war."""
    x = run("Shenyang marked the 92nd anniversary of the September 18 Incident on Monday.", "2023-09-18", nlp, gaz)
    incident = next(e for e in x.events if e.time is not None and e.time.value == "1931-09-18")
    assert incident.type == "other"
    assert not [e for e in x.events if e.type == "war"]


def test_a_day_refines_the_year_a_ceremony_is_named_with(nlp: Language, gaz: Gazetteer) -> None:
    """ "The 2020 Canadian Commemorative Ceremony ... went as scheduled on Sunday": Sunday, 6 December 2020."""
    text = (
        "The 2020 Canadian Commemorative Ceremony, an annual memorial for the Canadian soldiers who served in "
        "the Battle of Hong Kong, went as scheduled on Sunday despite the fourth wave of the pandemic."
    )
    ceremonies = [e for e in run(text, "2020-12-07", nlp, gaz).events if family(e.type) == "commemorative"]
    assert [e.time.value if e.time else None for e in ceremonies] == ["2020-12-06"]


def test_a_mention_dated_within_a_recorded_course_is_that_event(nlp: Language, gaz: Gazetteer) -> None:
    """ "the executions in April 1940" in a story of the Katyn massacre (April-May 1940): one massacre."""
    text = (
        "Poland remembered the Katyn massacre on Tuesday. "
        "The executions in April 1940 killed thousands of Polish officers."
    )
    massacres = [e for e in run(text, "2021-04-13", nlp, gaz).events if e.type == "massacre"]
    assert len(massacres) == 1 and massacres[0].label == "Katyn massacre"


def test_a_phase_of_a_recorded_course_stays_its_own(nlp: Language, gaz: Gazetteer) -> None:
    """ "the partial breaking of the siege in January 1943" is no second mention of the whole siege."""
    text = (
        "The Siege of Leningrad lasted from September 1941 to January 1944. "
        "The partial breaking of the siege in January 1943 opened a land corridor to the city."
    )
    dated = {e.time.value for e in run(text, "2024-01-27", nlp, gaz).events if e.time is not None}
    assert "1943-01" in dated


def test_a_span_between_two_dates_is_dated_by_its_start(nlp: Language, gaz: Gazetteer) -> None:
    """ "fought between November 1942 and January 1943": the end of the span is no event of its own."""
    text = "The Beachhead campaign was fought between November 1942 and January 1943 on the coast of Papua."
    dates = sorted(e.time.value for e in run(text, "2017-11-02", nlp, gaz).events if e.time and e.time.value)
    assert "1943-01" not in dates


def test_a_happening_verb_dates_its_subject_not_an_event_of_its_own(nlp: Language, gaz: Gazetteer) -> None:
    """ "what happened in 1942": the verb that says something happened names no happening."""
    text = "Few of the survivors would talk about what happened in 1942 at the camp."
    assert [e.label for e in run(text, "2017-02-15", nlp, gaz).events] == []


def test_the_battle_for_a_place_is_named_like_the_battle_of_it(nlp: Language, gaz: Gazetteer) -> None:
    """ "The Battle for Moscow" names its place, as "the Battle of Moscow" would."""
    x = run("The Battle for Moscow raged in the winter of 1941.", "2021-12-05", nlp, gaz)
    battle = next(e for e in x.events if e.type == "battle")
    assert battle.label == "Battle for Moscow"
    assert battle.place is not None and battle.place.name == "Moscow"
    assert [e.name for e in gaz.lookup("the battle for Stalingrad", "event")] == ["Battle of Stalingrad"]


def test_what_a_place_remembers_is_its_own_history(nlp: Language, gaz: Gazetteer) -> None:
    """ "Hiroshima marked 70 years since the atomic bombing": the atomic bombing of Hiroshima."""
    x = run("Hiroshima marked 70 years since the atomic bombing on Thursday.", "2015-08-06", nlp, gaz)
    bombing = next(e for e in x.events if e.type == "bombing")
    assert bombing.label == "Atomic bombing of Hiroshima" and bombing.time is not None
    assert bombing.time.value == "1945-08-06"


def test_addressing_the_nation_is_a_speech(nlp: Language, gaz: Gazetteer) -> None:
    """ "In the evening the Queen addressed the nation": a speech of the day, beside the day itself."""
    text = (
        "Britain marked the 75th anniversary of VE Day on Friday. "
        "In the evening the Queen addressed the nation from Windsor Castle."
    )
    speeches = [e for e in run(text, "2020-05-08", nlp, gaz).events if e.type == "speech"]
    assert [e.time.value if e.time else None for e in speeches] == ["2020-05-08"]


def test_speaking_to_veterans_is_a_speech_and_what_they_fought_in_takes_no_weekday(
    nlp: Language, gaz: Gazetteer
) -> None:
    """ "was speaking to veterans of the uprising on Tuesday": Tuesday dates the speech; the uprising those
    people fought in is history, never this week."""
    x = run("The mayor was speaking in Bratislava to veterans of the uprising on Tuesday.", "2022-06-09", nlp, gaz)
    speech = of_type(x, "speech")
    assert speech.time is not None and speech.time.value == "2022-06-07"
    assert all(e.time is None or e.time.value != "2022-06-07" for e in x.events if e.type != "speech")


def test_the_year_someone_became_the_first_to_visit_dates_the_visit(nlp: Language, gaz: Gazetteer) -> None:
    """ "who in 1995 became the first president to visit the camp": 1995 is the visit's year, not today's."""
    x = run(
        '"We must remember," said the mayor, who in 1995 became the first German official to visit the camp.',
        "2020-01-27",
        nlp,
        gaz,
    )
    visit = of_type(x, "visit")
    assert visit.time is not None and visit.time.value == "1995"


def test_an_undated_happening_told_early_is_not_another_days_named_later(nlp: Language, gaz: Gazetteer) -> None:
    """ "the city, which in the morning held a military parade" (the day the story reports), and far below
    "On February 1 the president attended a parade in Szeged": two parades, each on its own day."""
    text = (
        "Hungary on Saturday marked 80 years since the end of the siege of Budapest. The capital, which in "
        "the morning held a military parade of some 800 soldiers, was decked out in flags.\n\n"
        "The siege lasted more than fifty days and left much of the city in ruins. Historians still argue "
        "about how many civilians died in the cellars and streets during those weeks of fighting.\n\n"
        "Veterans' groups have long asked for a national museum of the siege, and the government promised "
        "last year to build one on the Buda side of the river, near the castle district.\n\n"
        "Officials said the museum would open in two years. Many residents laid flowers at memorials across "
        "the city during the day, and churches rang their bells at noon in memory of the dead.\n\n"
        "On February 1 the president attended a parade in Szeged marking the liberation of the city."
    )
    x = run(text, "2025-02-15", nlp, gaz)
    parades = sorted(str(e.time.value if e.time else None) for e in x.events if e.type == "parade")
    assert parades == ["2025-02-01", "2025-02-15"], [(e.type, e.label, e.time) for e in x.events]


def test_event_labels_are_the_articles_words(nlp: Language, gaz: Gazetteer) -> None:
    """A label reads as the article writes it: no caption credit from the line above, no leading
    article, no possessive cut off from the name it opens, no space before a comma or inside
    "so-called", and its verb's particle kept ("blew up")."""
    text = (
        "Photo: Anna Kowalczyk\n\n"
        "The ceremony began at noon on Saturday in Gdańsk. The parade in Poland’s northern port followed it.\n\n"
        "In 1944, partisans blew up a so-called armoured train of the Wehrmacht, near Lublin, the report says."
    )
    x = run(text, "2019-09-01", nlp, gaz)
    labels = sorted(e.label for e in x.events)
    assert "ceremony" in labels and "parade" in labels, labels
    clause = next(e for e in x.events if e.label.startswith("blow"))
    assert clause.label.startswith("blow up a so-called armoured train of the Wehrmacht"), clause.label
    assert " ," not in clause.label and " - " not in clause.label


def test_a_years_since_label_says_since_what(nlp: Language, gaz: Gazetteer) -> None:
    """ "Gdańsk marked 80 years since the shelling of the Westerplatte depot on Sunday": the label runs
    on to what the years are counted from, and stops before the day; a sentence's "At" opens no label."""
    x = run(
        "Gdańsk marked 80 years since the shelling of the Westerplatte depot on Sunday. "
        "At Gdańsk's ceremony, veterans laid wreaths.",
        "2019-09-02",
        nlp,
        gaz,
    )
    labels = [e.label for e in x.events]
    assert "Gdańsk marked 80 years since the shelling of the Westerplatte depot" in labels, labels
    assert not any(label.startswith("At ") for label in labels), labels


def test_a_killing_in_this_news_is_no_remembrance(nlp: Language, gaz: Gazetteer) -> None:
    """ "A plane crash killed the governor on Saturday": news of its own, not a commemoration, whatever
    the story around it remembers."""
    x = run(
        "Wreaths were laid at the war memorial on Friday. A plane crash killed the regional governor on Saturday.",
        "2010-04-12",
        nlp,
        gaz,
    )
    killing = next(e for e in x.events if e.label.startswith("kill"))
    assert killing.type == "other" and killing.time is not None and killing.time.value == "2010-04-10"


def test_a_pronoun_in_a_clause_label_gives_way_to_the_noun_it_stands_for(nlp: Language, gaz: Gazetteer) -> None:
    """ "The tribunal, which was convened in 1946": the label names the tribunal, not "which"; a pronoun
    with no noun to stand for ("they were deported in 1942") is left out."""
    x = run(
        "Veterans remembered the trial on Sunday.\n\nThe tribunal, which was convened in 1946, heard the case "
        "for two years. Their families said they were deported in 1942.",
        "2016-05-03",
        nlp,
        gaz,
    )
    labels = sorted(e.label for e in x.events if e.label.startswith(("convene", "deport")))
    assert labels == ["convene the tribunal", "deport"], labels


def test_a_march_through_the_streets_of_a_city_is_held_there(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Leaders met in Vilnius on Wednesday.\n\n"
        "On Thursday, thousands of people marched through the streets of Kaunas to mark the day."
    )
    march = of_type(run(text, "2024-08-03", nlp, gaz), "parade")
    assert march.place is not None
    assert (march.place.name, march.time and march.time.value) == ("Kaunas", "2024-08-01")


def test_a_meeting_is_where_it_was_held_not_in_the_country_of_a_guest(nlp: Language, gaz: Gazetteer) -> None:
    text = "Prime Minister Anthony Albanese met Indonesia's President Prabowo Subianto in Darwin on Tuesday."
    meeting = of_type(run(text, "2025-05-16", nlp, gaz), "meeting")
    assert meeting.place is not None
    assert meeting.place.name == "Darwin"


def test_a_verb_s_label_names_its_subject_not_the_words_before_it(nlp: Language, gaz: Gazetteer) -> None:
    text = "Premier Li Qiang of China met Prime Minister Christopher Luxon in Wellington on Tuesday."
    meeting = of_type(run(text, "2024-06-16", nlp, gaz), "meeting")
    assert meeting.label.startswith("Premier Li Qiang met")


def test_a_visit_the_text_denies_is_no_visit(nlp: Language, gaz: Gazetteer) -> None:
    text = "Prime Minister Fumio Kishida did not visit the Yasukuni Shrine in Tokyo on Tuesday."
    assert [e for e in run(text, "2023-08-16", nlp, gaz).events if e.type == "visit"] == []


def test_a_year_an_anniversary_counts_to_is_the_remembering_s(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "The emperor spoke of deep remorse over the war in 2015, at a ceremony in Tokyo marking the "
        "70th anniversary of its end."
    )
    x = run(text, "2024-02-19", nlp, gaz)
    assert [e.time.value for e in x.events if e.type == "war" and e.time] != ["2015"]
    ceremony = of_type(x, "ceremony")
    assert ceremony.time is not None and ceremony.time.value == "2015"


def test_a_deed_done_on_an_anniversary_is_a_remembrance(nlp: Language, gaz: Gazetteer) -> None:
    text = "A bronze plaque was set into the wall of the station in 1992, on the 50th anniversary of the deportation."
    x = run(text, "2022-06-01", nlp, gaz)
    assert [(e.type, e.time and e.time.value) for e in x.events if e.time and e.time.value == "1992"] == [
        ("commemoration", "1992")
    ]


def test_a_dateline_is_no_subject_in_a_label(nlp: Language, gaz: Gazetteer) -> None:
    text = "VILNIUS -- Lithuanians on Sunday marked the 80th anniversary of the liberation of the city."
    x = run(text, "2024-07-15", nlp, gaz)
    assert of_type(x, "commemoration").label.startswith("Lithuanians marked")


def test_a_day_in_the_name_of_an_event_dates_no_clause(nlp: Language, gaz: Gazetteer) -> None:
    text = "The war, which began with the September 18 Incident in 1931, lasted fourteen years."
    x = run(text, "2025-09-03", nlp, gaz)
    assert [e.label for e in x.events if e.time and e.time.value and e.time.value.startswith("2025")] == []


def test_the_generic_mention_dated_as_the_named_event_is_that_event(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Wreaths were laid in the capital on Thursday for the anniversary of the Warsaw Uprising.\n\n"
        "The uprising began on 1 August 1944 and lasted 63 days."
    )
    x = run(text, "2024-08-02", nlp, gaz)
    assert [e.label for e in x.events if e.time and e.time.value == "1944-08-01"] == ["Warsaw Uprising"]


def test_a_label_keeps_the_common_noun_a_name_qualifies(nlp: Language, gaz: Gazetteer) -> None:
    text = "The president spoke on Sunday at a ceremony in the Slovak capital."
    assert of_type(run(text, "2024-08-26", nlp, gaz), "ceremony").label == "ceremony in the Slovak capital"


def test_a_hyphenated_name_in_a_label_is_whole(nlp: Language, gaz: Gazetteer) -> None:
    text = "President Nana Akufo-Addo laid a wreath at the cenotaph in Accra on Monday."
    assert of_type(run(text, "2024-11-12", nlp, gaz), "ceremony").label.startswith("President Nana Akufo-Addo laid")


def test_a_relative_clause_dates_the_event_it_tells_of(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Veterans gathered in Broome on Monday to remember the Japanese air raid on the town, "
        "which killed at least 88 people on March 3, 1942."
    )
    x = run(text, "2025-03-04", nlp, gaz)
    assert [e.time.value for e in x.events if e.type == "bombing" and e.time] == ["1942-03-03"]


def test_a_speech_at_a_remembrance_leaves_the_remembrance_its_type(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "The governor attended a service in Hobart on Monday marking 80 years since the end of the war.\n\n"
        "Speaking to the crowd, the governor said the state owed its freedom to those who served."
    )
    x = run(text, "2025-08-19", nlp, gaz)
    assert [e.type for e in x.events if e.time and e.time.value == "2025-08-18"] == ["commemoration"]


def test_an_invasion_is_placed_in_the_invaded_country_not_the_invader(nlp: Language, gaz: Gazetteer) -> None:
    text = "Historians recalled that Nazi Germany invaded Poland in September 1939."
    x = run(text, "2024-09-01", nlp, gaz)
    invasions = [e for e in x.events if e.type == "invasion"]
    assert invasions and all(e.place is not None and e.place.name == "Poland" for e in invasions)


def test_a_clause_dated_by_its_anniversary_is_the_recorded_event_of_that_day(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Russian President Vladimir Putin laid flowers at the Tomb of the Unknown Soldier by the Kremlin wall on "
        "Saturday, marking 83 years since Nazi Germany invaded the Soviet Union.\n\n"
        "The invasion, codenamed Operation Barbarossa, began at dawn on June 22, 1941."
    )
    x = run(text, "2024-06-23", nlp, gaz)
    assert [(e.label, e.time and e.time.value) for e in x.events if e.type == "invasion"] == [
        ("Operation Barbarossa", "1941-06-22")
    ]


def test_a_date_said_of_a_person_aside_is_not_the_meeting_s(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Veterans gathered at the memorial in Arnhem on Thursday.\n\n"
        "Prime Minister Ana Lind, who will become the alliance's secretary-general in October, "
        "met President Jan Kos in Oosterbeek."
    )
    x = run(text, "2024-09-20", nlp, gaz)
    assert [e.time.value for e in x.events if e.type == "meeting" and e.time and e.time.value] != ["2024-10"]


def test_war_in_the_name_of_a_cemetery_is_no_war(nlp: Language, gaz: Gazetteer) -> None:
    text = "The minister laid a wreath at Ranville War Cemetery on Thursday."
    assert [e for e in run(text, "2024-06-07", nlp, gaz).events if e.type == "war"] == []


def test_undated_ceremonies_happen_on_the_day_the_lead_names(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Royals joined veterans at the memorial in Ver-sur-Mer on Thursday.\n\n"
        "The defence minister attended the ceremony at Juno Beach."
    )
    assert of_type(run(text, "2024-06-07", nlp, gaz), "ceremony").time.value == "2024-06-06"


def test_a_byline_s_publication_date_is_no_event(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Veterans remember the raid\n\nBy a staff writer\nPublished 19 August 2024\n\n"
        "Veterans gathered in Dieppe on Monday to mark the 82nd anniversary of the raid. "
        "The minister attended a ceremony at the cemetery."
    )
    x = run(text, "2024-08-19", nlp, gaz)
    assert not [e for e in x.events if "publish" in e.label.lower()]


def test_the_invader_named_as_subject_is_not_where_the_invasion_was(nlp: Language, gaz: Gazetteer) -> None:
    text = "Athens rejected the ultimatum at dawn. Italy invaded hours later, but the attack soon stalled."
    x = run(text, "2025-10-28", nlp, gaz)
    assert [e.place.name for e in x.events if e.type == "invasion" and e.place] == []


def test_a_year_before_another_noun_dates_that_noun_not_the_event(nlp: Language, gaz: Gazetteer) -> None:
    text = "The island celebrated the 80th anniversary of its liberation from the 1940-45 occupation on Friday."
    x = run(text, "2025-05-09", nlp, gaz)
    dates = [e.time.value for e in x.events if e.type == "liberation" and e.time]
    assert dates and not any(d.startswith("1940") for d in dates)


def test_a_sentence_opening_on_another_city_is_another_ceremony(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Thousands attended a ceremony in Seoul on Friday to mark the end of colonial rule.\n\n"
        "In Tokyo, the prime minister attended a memorial service for the war dead."
    )
    x = run(text, "2025-08-15", nlp, gaz)
    assert len([e for e in x.events if e.type == "ceremony"]) == 2


def test_a_service_at_a_war_cemetery_is_a_ceremony(nlp: Language, gaz: Gazetteer) -> None:
    text = "A delegation led by the defence minister attended a service at the Kranji War Cemetery on Friday."
    assert of_type(run(text, "2025-02-16", nlp, gaz), "ceremony").time.value == "2025-02-14"


def test_an_offensive_is_a_battle(nlp: Language, gaz: Gazetteer) -> None:
    text = "The Japanese offensive against the hill towns began in March 1944 and was halted by July."
    assert of_type(run(text, "2024-04-04", nlp, gaz), "battle").time.value == "1944-03"


def test_a_guest_s_country_is_not_where_the_ceremony_was(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "President Faye presided over the ceremony on Sunday in the presence of several heads of state, "
        "including Gambia's Adama Barrow."
    )
    place = of_type(run(text, "2024-12-01", nlp, gaz), "ceremony").place
    assert place is None or place.name != "Gambia"


def test_the_cemetery_of_a_town_places_the_ceremony_in_the_town(nlp: Language, gaz: Gazetteer) -> None:
    text = "The president presided over a ceremony at the military cemetery of Thiaroye on Sunday."
    place = of_type(run(text, "2024-12-01", nlp, gaz), "ceremony").place
    assert place is not None and place.name == "Thiaroye"


def test_an_apposition_on_the_object_stays_out_of_a_clause_label(nlp: Language, gaz: Gazetteer) -> None:
    text = "Resistance fighters ambushed the governor, the occupiers' deputy in the province, on 3 March 1943."
    labels = [e.label for e in run(text, "2023-03-03", nlp, gaz).events if e.time and e.time.value == "1943-03-03"]
    assert labels and not any("deputy" in label for label in labels)


def test_a_country_attacked_is_invaded(nlp: Language, gaz: Gazetteer) -> None:
    text = "Historians recalled that on 22 June 1941 Nazi Germany attacked the Soviet Union without warning."
    assert of_type(run(text, "2025-06-22", nlp, gaz), "invasion").time.value == "1941-06-22"


def test_ceremonies_at_two_named_places_are_two(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "The president laid a wreath at the Tomb of the Unknown Soldier on Sunday. "
        "At dawn, veterans had held a candle-lighting ceremony at Poklonnaya Gora."
    )
    x = run(text, "2025-06-22", nlp, gaz)
    assert len([e for e in x.events if e.type == "ceremony"]) == 2


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Hundreds attended a dawn service at the cenotaph in Albany on Friday.", "ceremony"),
        ("The novelist gave the annual memorial lecture at the university on Sunday.", "speech"),
    ],
)
def test_services_and_lectures_of_remembrance_are_events(
    text: str, event_type: str, nlp: Language, gaz: Gazetteer
) -> None:
    assert of_type(run(text, "2025-06-22", nlp, gaz), event_type).time is not None


def test_a_landmark_in_the_label_places_the_ceremony(nlp: Language, gaz: Gazetteer) -> None:
    text = "The governor laid a wreath at the Isurava memorial on Saturday."
    place = of_type(run(text, "2025-06-22", nlp, gaz), "ceremony").place
    assert place is not None and place.name == "Isurava memorial"


def test_the_year_of_a_named_period_is_that_period_s(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Some 102,000 Jews were murdered in the Holocaust, and about 18,000 people died during "
        "the Hunger Winter of 1944-45."
    )
    x = run(text, "2025-05-04", nlp, gaz)
    assert [e.time.value for e in x.events if e.type == "massacre" and e.time and e.time.value] in ([], ["1941"])


def test_a_gazetteer_day_inside_a_longer_name_is_another_day(nlp: Language, gaz: Gazetteer) -> None:
    text = "Ethiopia on Saturday celebrated the 84th Patriots' Victory Day with wreaths at the monument."
    x = run(text, "2025-05-05", nlp, gaz)
    days = [(e.label, e.time.value if e.time else None, e.wikidata) for e in x.events if e.type == "commemoration"]
    assert days == [("Patriots' Victory Day", "2025-05-03", None)]


def test_a_country_s_own_gazetteer_day_is_that_day(nlp: Language, gaz: Gazetteer) -> None:
    text = "Russia's Victory Day was marked with a parade in Moscow."
    x = run(text, "2025-05-09", nlp, gaz)
    assert [e.time.value for e in x.events if e.type == "commemoration" and e.time] == ["2025-05-09"]


def test_a_trigger_qualifying_the_victims_is_no_event_of_that_year(nlp: Language, gaz: Gazetteer) -> None:
    text = "In 2014, the legislature designated 13 December as a national memorial day for the massacre victims."
    x = run(text, "2024-12-13", nlp, gaz)
    assert [e for e in x.events if e.type == "massacre"] == []


def test_a_flight_that_goes_nowhere_is_no_visit(nlp: Language, gaz: Gazetteer) -> None:
    text = "The squadron flew missions over Luzon and Formosa between June and August 1945."
    assert [e for e in run(text, "2025-11-17", nlp, gaz).events if e.type == "visit"] == []


def test_a_name_the_parse_took_for_a_body_still_names_the_landings(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "President Ana Lind led the commemoration of the 80th anniversary of the Leyte Gulf Landings in Palo "
        "on Sunday.\n\nThe landings began on Oct. 20, 1944."
    )
    x = run(text, "2024-10-20", nlp, gaz)
    assert [(e.label, e.time.value if e.time else None) for e in x.events if e.type == "invasion"] == [
        ("Leyte Gulf Landings", "1944-10-20")
    ]


def test_a_day_before_a_parade_dates_the_parade_not_the_talks(nlp: Language, gaz: Gazetteer) -> None:
    text = "Xi and Putin held talks in Beijing on Tuesday, a day before a military parade."
    x = run(text, "2025-09-02", nlp, gaz)
    dates = {e.type: e.time.value for e in x.events if e.time}
    assert (dates.get("meeting"), dates.get("parade")) == ("2025-09-02", "2025-09-03")


def test_sirens_sounded_in_remembrance_are_a_commemoration(nlp: Language, gaz: Gazetteer) -> None:
    text = "Sirens sounded across the city at 5 p.m. yesterday as residents stopped to remember the uprising."
    assert of_type(run(text, "2024-08-02", nlp, gaz), "commemoration").time.value == "2024-08-01"


def test_the_landmark_right_after_the_deed_is_where_it_happened(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "President Ana Lind laid a wreath at the Monument to the Warsaw Uprising this morning, and will attend "
        "a concert in Piłsudski Square tonight."
    )
    place = of_type(run(text, "2024-08-02", nlp, gaz), "ceremony").place
    assert place is not None and place.name == "Monument to the Warsaw Uprising"


def test_dates_in_brackets_after_a_war_are_the_war_s_not_a_clause_s(nlp: Language, gaz: Gazetteer) -> None:
    text = "The Second World War (1939-1945) left more than 60 million dead."
    assert [e.label for e in run(text, "2025-05-06", nlp, gaz).events if e.type == "other"] == []


def test_the_capture_of_a_place_is_a_battle(nlp: Language, gaz: Gazetteer) -> None:
    text = "The division took part in the capture of Monte Castello (21 February 1945)."
    assert of_type(run(text, "2025-05-06", nlp, gaz), "battle").time.value == "1945-02-21"


def test_remarks_delivered_at_a_memorial_are_a_speech(nlp: Language, gaz: Gazetteer) -> None:
    text = "President Ana Lind delivered remarks at the memorial on Sunday."
    assert of_type(run(text, "2025-05-12", nlp, gaz), "speech").time.value == "2025-05-11"


@pytest.mark.parametrize(
    "text",
    [
        "President Ana Lind received Prime Minister Jan Kos at the palace on Friday.",
        "President Ana Lind and Prime Minister Jan Kos spoke by phone on Friday.",
    ],
)
def test_a_leader_received_or_called_is_a_meeting(text: str, nlp: Language, gaz: Gazetteer) -> None:
    x = run(text, "2025-05-12", nlp, gaz)
    assert [e.type for e in x.events if e.time and e.time.value == "2025-05-09"] == ["meeting"]


def test_a_place_visited_is_where_the_visit_was(nlp: Language, gaz: Gazetteer) -> None:
    """ "visited Hiroshima": the place a visit verb takes is its place, with no preposition before it."""
    visit = of_type(run("President Ana Lind visited Hiroshima on Monday.", "2025-06-24", nlp, gaz), "visit")
    assert visit.place is not None and visit.place.name == "Hiroshima"
    assert visit.time is not None and visit.time.value == "2025-06-23"


def test_last_month_dates_the_visit_it_qualifies(nlp: Language, gaz: Gazetteer) -> None:
    text = "Emperor Naruhito visited Okinawa last month and offered flowers at the mausoleum."
    visit = of_type(run(text, "2025-06-23", nlp, gaz), "visit")
    assert visit.time is not None and (visit.time.value, visit.time.precision) == ("2025-05", "month")


def test_next_month_in_an_aside_does_not_date_the_visit(nlp: Language, gaz: Gazetteer) -> None:
    text = "The president, who leaves office next month, called the visit to Pearl Harbor historic on Tuesday."
    x = run(text, "2016-12-28", nlp, gaz)
    assert all(e.time is None or e.time.value != "2017-01" for e in x.events), [(e.label, e.time) for e in x.events]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Jersey and Guernsey marked Liberation Day on Friday with church services.", "Liberation Day"),
        ("The country observed Total Defence Day on Friday.", "Total Defence Day"),
        ("Filipinos marked the Day of Valor on Friday at Mount Samat.", "Day of Valor"),
    ],
)
def test_a_day_named_for_what_it_remembers_is_a_commemoration(
    text: str, label: str, nlp: Language, gaz: Gazetteer
) -> None:
    """A named day the gazetteer does not know is still a commemoration on the day it is kept, and
    no happening of the past: "Liberation Day" is no liberation."""
    x = run(text, "2025-05-10", nlp, gaz)
    days = [e for e in x.events if e.type == "commemoration" and label in e.label]
    assert [e.time.value if e.time else None for e in days] == ["2025-05-09"], [(e.type, e.label) for e in x.events]
    assert [e.label for e in x.events if family(e.type) == "historical"] == []


@pytest.mark.parametrize(
    "text",
    [
        "April 13 in Poland is the Day of Remembrance of the Victims of the Katyn Massacre.",
        "The United Nations made 27 January International Holocaust Remembrance Day in 2005.",
    ],
)
def test_a_day_defined_is_no_commemoration(text: str, nlp: Language, gaz: Gazetteer) -> None:
    x = run(text, "2021-04-13", nlp, gaz)
    assert [e.label for e in x.events if e.type == "commemoration"] == []


def test_a_killing_in_a_massacre_dates_the_massacre_by_its_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "thousands killed ... in 1937, in a massacre known as Yekatit 12": the killing is the massacre,
    whose name the text gives after "known as"."""
    text = (
        "Crowds gathered on Wednesday to remember thousands killed by occupying forces in 1937, "
        "in a massacre known as Yekatit 12."
    )
    massacre = of_type(run(text, "2025-02-20", nlp, gaz), "massacre")
    assert massacre.label == "massacre known as Yekatit 12"
    assert massacre.time is not None and massacre.time.value == "1937"


def test_a_wire_dateline_places_the_day_and_is_no_part_of_a_label(nlp: Language, gaz: Gazetteer) -> None:
    text = "ITOMAN, Japan (AP) — Okinawans gathered on Monday to remember the dead of the battle."
    x = run(text, "2025-06-24", nlp, gaz)
    (day,) = [e for e in x.events if e.time is not None and e.time.value == "2025-06-23"]
    assert day.place is not None and day.place.name == "Itoman"
    assert "ITOMAN" not in day.label and "ITOMAN" not in day.span.text


def test_a_when_clause_takes_the_date_of_the_moment_it_qualifies(nlp: Language, gaz: Gazetteer) -> None:
    """ "marking the moment 83 years ago when British forces surrendered the island to the Japanese army":
    the surrender is of 1942, and no surrender of Japan in 1945 because its words name Japan."""
    text = (
        "Sirens sounded across the island on Saturday, marking the moment 83 years ago when British forces "
        "surrendered the island to the Japanese army."
    )
    surrender = of_type(run(text, "2025-02-16", nlp, gaz), "surrender")
    assert surrender.time is not None and surrender.time.value == "1942"
    assert surrender.wikidata is None and surrender.place is None


def test_services_at_two_landmarks_are_two_happenings(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "The minister spoke at a ceremony at Kranji War Cemetery on Saturday. The prime minister attended "
        "a memorial service at the Civilian War Memorial earlier in the day."
    )
    x = run(text, "2025-02-16", nlp, gaz)
    places = sorted(e.place.name for e in x.events if e.type == "ceremony" and e.place is not None)
    assert places == ["Civilian War Memorial", "Kranji War Cemetery"], [(e.type, e.label) for e in x.events]


def test_a_place_name_the_parse_cut_to_an_abbreviation_is_none(nlp: Language, gaz: Gazetteer) -> None:
    text = "Veterans marched in a parade in St Peter Port on Friday."
    parade = of_type(run(text, "2025-05-10", nlp, gaz), "parade")
    assert parade.place is None or parade.place.name not in ("St", "St.")


def test_a_clause_dated_by_its_year_tells_more_of_the_happening_told_before(nlp: Language, gaz: Gazetteer) -> None:
    """ "shot 14,587 prisoners of war in 1940" after the massacre of April 1940 is that massacre; "Japan would
    be defeated" in 1945 names a place the Battle of Manila does not, and stays its own."""
    text = (
        "The Katyn massacre began in April 1940 in the forest near Smolensk. The NKVD shot 14,587 prisoners "
        "of war in 1940."
    )
    assert len([e for e in run(text, "2020-04-13", nlp, gaz).events if e.type == "massacre"]) == 1
    text = (
        "The Battle of Manila lasted from Feb. 3 to March 3, 1945. In the latter part of 1945, Japan would be "
        "defeated by the Allied forces."
    )
    dated = sorted(e.time.value for e in run(text, "2015-02-03", nlp, gaz).events if e.time and e.time.value)
    assert dated == ["1945", "1945-02-03"]


def test_a_town_bombed_is_where_the_bombing_was(nlp: Language, gaz: Gazetteer) -> None:
    text = "The prime minister attended a ceremony in Wieluń, a town bombed by the Luftwaffe before dawn that day."
    bombing = of_type(run(text, "2025-09-01", nlp, gaz), "bombing")
    assert bombing.place is not None and bombing.place.name == "Wieluń"


def test_a_named_day_that_qualifies_a_noun_is_no_commemoration(nlp: Language, gaz: Gazetteer) -> None:
    """ "invited to give this year's Liberation Day lecture": the lecture was the event, and it was called
    off; the chancellor took part in no Liberation Day."""
    text = (
        "Chancellor Angela Merkel had been invited to give this year's Liberation Day lecture, but the event "
        "was called off on Tuesday."
    )
    x = run(text, "2020-05-05", nlp, gaz)
    assert [e.label for e in x.events if "Liberation Day" in e.label] == []


def test_a_plan_for_later_this_month_lends_no_date(nlp: Language, gaz: Gazetteer) -> None:
    """The visit planned for later this month dates no visit reported today."""
    text = (
        "President Lee Jae-myung spoke at a ceremony in Seoul on Friday. Lee will visit Tokyo later this month.\n\n"
        "In Pyongyang, leader Kim Jong-un visited the Russian Embassy to mark the anniversary."
    )
    x = run(text, "2025-08-16", nlp, gaz)
    embassy = [e for e in x.events if e.place is not None and e.place.name == "Pyongyang"]
    assert embassy and all(e.time is not None and e.time.value == "2025-08-15" for e in embassy)


def test_a_surrender_to_someone_somewhere_is_placed_there(nlp: Language, gaz: Gazetteer) -> None:
    text = "The soldiers surrendered to Japanese forces in Bataan on April 9, 1942, after months of fighting."
    surrender = of_type(run(text, "2025-04-09", nlp, gaz), "surrender")
    assert surrender.place is not None and surrender.place.name == "Bataan"


def test_the_nation_s_day_and_a_march_paragraphs_on_are_two(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Italy marked the 80th anniversary of its liberation from Nazi-fascism on Friday.\n\n"
        "Premier Giorgia Meloni wrote on social media that the day marked the end of fascism.\n\n"
        "Opposition leader Elly Schlein joined a march in Milan."
    )
    x = run(text, "2025-04-26", nlp, gaz)
    day = [e for e in x.events if e.time is not None and e.time.value == "2025-04-25"]
    milan = [e.type for e in day if e.place is not None and e.place.name == "Milan"]
    assert len(day) == 2 and milan == ["parade"], [(e.type, e.label) for e in x.events]


def test_a_garrison_s_surrender_is_not_the_country_s(nlp: Language, gaz: Gazetteer) -> None:
    """ "the German garrison surrendered to partisans on April 25, 1945": no surrender of Germany on 8 May."""
    text = "In Genoa, where the German garrison surrendered to partisans on April 25, 1945, the president spoke."
    surrender = of_type(run(text, "2025-04-26", nlp, gaz), "surrender")
    assert surrender.wikidata is None and surrender.time is not None and surrender.time.value == "1945-04-25"


def test_one_man_executed_is_no_massacre(nlp: Language, gaz: Gazetteer) -> None:
    text = "Benito Mussolini was captured by partisans near Lake Como and executed on April 28, 1945."
    x = run(text, "2025-04-26", nlp, gaz)
    assert [e.type for e in x.events if e.time is not None and e.time.value == "1945-04-28"] == ["other"]


def test_the_uprising_that_began_that_day_is_the_recorded_uprising(nlp: Language, gaz: Gazetteer) -> None:
    """ "the start of the Warsaw Uprising" and "The uprising began on August 1, 1944" are the Warsaw
    Uprising, on its first day, not two more happenings."""
    text = (
        "Leaders met on Wednesday at a ceremony marking 80 years since the start of the Warsaw Uprising.\n\n"
        "The uprising began on August 1, 1944 and lasted 63 days."
    )
    history = [e for e in run(text, "2024-08-01", nlp, gaz).events if family(e.type) != "commemorative"]
    assert [(e.label, e.time.value if e.time else None) for e in history] == [("Warsaw Uprising", "1944-08-01")]


@pytest.mark.parametrize(
    "text",
    [
        "The president laid a wreath on Tuesday at the memorial to the 218 villagers killed by SS troops 81 years ago.",
        "In 1944 German soldiers shot 218 villagers in reprisal for a partisan attack.",
    ],
)
def test_people_killed_by_men_under_arms_is_a_massacre(text: str, nlp: Language, gaz: Gazetteer) -> None:
    x = run(text, "2025-06-10", nlp, gaz)
    assert [e.type for e in x.events if e.time is not None and e.time.value == "1944"] == ["massacre"]


def test_a_meeting_in_an_aside_lends_no_day_to_the_ceremony(nlp: Language, gaz: Gazetteer) -> None:
    """ "Zelenskyy, who met Biden in Paris on Friday, also attended the ceremony": the ceremony is the
    day the story leads with, not the aside's Friday."""
    text = (
        "Leaders joined veterans on Thursday to mark the 80th anniversary of D-Day.\n\n"
        "President Volodymyr Zelenskyy, who met Biden in Paris on Friday, also attended the international "
        "ceremony at Omaha Beach."
    )
    x = run(text, "2024-06-07", nlp, gaz)
    ceremony = next(
        e for e in x.events if family(e.type) == "commemorative" and "Omaha" in (e.place.name if e.place else "")
    )
    assert ceremony.time is not None and ceremony.time.value == "2024-06-06"
