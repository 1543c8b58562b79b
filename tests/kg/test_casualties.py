"""``find_casualties``: ranges, hedges, the group counted, the measure, and what is no figure at all.

Uses the real gazetteer (``data/gazetteer.json``); no spaCy. Dates are found first with
``find_times`` and passed as busy spans, as the extractor does.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

import kg.articles
import kg.extract
from kg.extract.casualties import find_casualties
from kg.extract.dates import find_times
from kg.gazetteer import Gazetteer
from kg.records import CasualtyFigure


def figures(text: str, gaz: Gazetteer, published: date | None = None) -> list[CasualtyFigure]:
    busy = [(t.span.start, t.span.end) for t in find_times(text, published)]
    return find_casualties(text, gaz, "test-article", busy)


def one(text: str, gaz: Gazetteer, published: date | None = None) -> CasualtyFigure:
    found = figures(text, gaz, published)
    assert len(found) == 1, [(f.span.text, f.low, f.high) for f in found]
    return found[0]


RANGES = [
    pytest.param(
        "China says 15 to 20 million of its people were killed in the war against Japan.",
        15_000_000,
        20_000_000,
        id="15-to-20-million",
    ),
    pytest.param(
        "Between 10,000 and 12,000 Polish officers were shot by the NKVD in the Katyn forest.",
        10_000,
        12_000,
        id="between-and",
    ),
    pytest.param(
        "The bomb killed 70,000-80,000 people in Hiroshima almost instantly.",
        70_000,
        80_000,
        id="hyphenated-range",
    ),
]


@pytest.mark.parametrize(("text", "low", "high"), RANGES)
def test_a_range_stays_a_range(text: str, low: int, high: int, gaz: Gazetteer) -> None:
    """A range is kept as stated, low and high, the scale of its upper end applied to both."""
    f = one(text, gaz)
    assert (f.low, f.high, f.measure) == (low, high, "deaths")


WORDS = [
    pytest.param("Six million Jews were murdered in the Holocaust.", 6_000_000, id="six-million"),
    pytest.param("One and a half million children perished in the Holocaust.", 1_500_000, id="one-and-a-half-million"),
    pytest.param("Twenty-seven million Soviet citizens died in the war.", 27_000_000, id="twenty-seven-million"),
]


@pytest.mark.parametrize(("text", "value"), WORDS)
def test_numbers_in_words(text: str, value: int, gaz: Gazetteer) -> None:
    """A figure written in words is one number, not a range between its words."""
    f = one(text, gaz)
    assert (f.low, f.high, f.measure) == (value, value, "deaths")


HEDGES = [
    pytest.param(
        "An estimated 25,000 people died when Allied bombers struck Dresden in February 1945.",
        25_000,
        "estimated",
        id="an-estimated",
    ),
    pytest.param(
        "At least 1.1 million people were killed at Auschwitz-Birkenau.", 1_100_000, "at least", id="at-least"
    ),
    pytest.param("More than 4,400 Allied soldiers died on D-Day.", 4_400, "more than", id="more-than"),
    pytest.param(
        "Nearly 300,000 people were killed in Nanjing, according to Chinese figures.", 300_000, "nearly", id="nearly"
    ),
    pytest.param("Some 200,000 civilians died during the Warsaw Uprising.", 200_000, "some", id="some"),
    pytest.param(
        "About 33,000 Jews were shot at Babi Yar over two days in September 1941.", 33_000, "about", id="about"
    ),
]


@pytest.mark.parametrize(("text", "value", "hedge"), HEDGES)
def test_hedges_are_kept(text: str, value: int, hedge: str, gaz: Gazetteer) -> None:
    """A hedged figure keeps its hedge, and the hedge is part of the evidence."""
    f = one(text, gaz)
    assert (f.low, f.high, f.hedge) == (value, value, hedge)
    assert f.span.start < f.number.start


GROUPS = [
    pytest.param("Six million Jews were murdered in the Holocaust.", "group", "Jews", None, id="jews"),
    pytest.param(
        "The Japanese attack on Pearl Harbor killed 2,403 Americans.", "country", "United States", "Q30", id="americans"
    ),
    pytest.param("Around 6 million Poles died during the German occupation.", "country", "Poland", "Q36", id="poles"),
    pytest.param(
        "The Soviet Union lost an estimated 27 million troops and civilians in the war.",
        "country",
        "Soviet Union",
        "Q15180",
        id="soviet-union-lost",
    ),
    pytest.param("China lost 14 million people in the war against Japan.", "country", "China", "Q148", id="china-lost"),
    pytest.param(
        "Poland lost about six million citizens during the war.", "country", "Poland", "Q36", id="poland-lost-citizens"
    ),
]


@pytest.mark.parametrize(("text", "kind", "name", "qid"), GROUPS)
def test_the_group_counted(text: str, kind: str, name: str, qid: str | None, gaz: Gazetteer) -> None:
    """The group comes from the figure's noun, or from the country the text says lost them."""
    f = one(text, gaz)
    assert f.group is not None
    assert (f.group.kind, f.group.name, f.group.wikidata) == (kind, name, qid)


PLACE_GROUPS = [
    pytest.param(
        "At least 1.1 million people were killed at Auschwitz-Birkenau.",
        "Auschwitz-Birkenau victims",
        id="at-sentence-end",
    ),
    pytest.param(
        "Nearly 300,000 people were killed in Nanjing, according to Chinese figures.", "Nanjing victims", id="in-clause"
    ),
]


@pytest.mark.parametrize(("text", "name"), PLACE_GROUPS)
def test_generic_victims_belong_to_the_place_named(text: str, name: str, gaz: Gazetteer) -> None:
    """ "people killed at X" counts the victims of X, named without the sentence's punctuation."""
    f = one(text, gaz)
    assert f.group is not None
    assert (f.group.kind, f.group.name) == ("group", name)


def test_a_month_is_no_place_of_victims(gaz: Gazetteer) -> None:
    """ "in February 1945" after the figure says when, not whose victims they were."""
    f = one("An estimated 25,000 people died when Allied bombers struck Dresden in February 1945.", gaz)
    assert f.group is None or "February" not in f.group.name


def test_the_country_that_lost_them_keeps_the_scope(gaz: Gazetteer) -> None:
    """ "lost an estimated 27 million troops and civilians": Soviet Union, hedge and scope kept."""
    f = one("The Soviet Union lost an estimated 27 million troops and civilians in the war.", gaz)
    assert (f.low, f.high, f.measure, f.hedge) == (27_000_000, 27_000_000, "deaths", "estimated")
    assert f.group is not None and f.group.wikidata == "Q15180"
    assert f.scope == "troops and civilians"


MEASURES = [
    pytest.param("The Japanese attack on Pearl Harbor killed 2,403 Americans.", 2_403, "deaths", id="killed"),
    pytest.param("Some 200,000 civilians died during the Warsaw Uprising.", 200_000, "deaths", id="died"),
    pytest.param("The siege of Leningrad claimed the lives of some 800,000 civilians.", 800_000, "deaths", id="lives"),
    pytest.param(
        "The Battle of Stalingrad caused nearly two million casualties on both sides.",
        2_000_000,
        "casualties",
        id="casualties",
    ),
    pytest.param("The raid on Pearl Harbor left 1,178 people wounded.", 1_178, "wounded", id="left-wounded"),
    pytest.param("More than 1,100 servicemen were wounded at Pearl Harbor.", 1_100, "wounded", id="were-wounded"),
]


@pytest.mark.parametrize(("text", "value", "measure"), MEASURES)
def test_the_measure(text: str, value: int, measure: str, gaz: Gazetteer) -> None:
    """Killed, died and lives are deaths; "casualties" and "wounded" are their own measures."""
    f = one(text, gaz)
    assert (f.low, f.measure) == (value, measure)


NOT_FIGURES = [
    pytest.param("About 14,000 troops marched across Red Square on Friday.", None, id="troops-marched"),
    pytest.param("Some 11,000 soldiers took part in the Victory Day parade.", None, id="troops-took-part"),
    pytest.param("Some 4,000 people gathered at the Khatyn memorial on Sunday.", None, id="crowd"),
    pytest.param("The war in Europe ended in 1945.", None, id="year"),
    pytest.param("Russia marked the 80th anniversary of the victory over Nazi Germany.", None, id="anniversary"),
    pytest.param("Shigeaki Mori, 79, who survived the bombing, embraced Obama.", None, id="age"),
    pytest.param("Britain fell silent for two minutes at 11 a.m.", None, id="minutes"),
    pytest.param(
        "Leaders gathered at the camp on January 27, the day it was liberated.", date(2020, 1, 27), id="date-day"
    ),
    pytest.param("The government spent $20 million on a new museum honouring the victims.", None, id="dollars"),
    pytest.param("The new museum at Prokhorovka cost 300 million rubles to build.", None, id="rubles"),
]


@pytest.mark.parametrize(("text", "published"), NOT_FIGURES)
def test_what_is_no_casualty_figure(text: str, published: date | None, gaz: Gazetteer) -> None:
    """Troops, crowds, years, anniversaries, ages, minutes, dates and money are no figures."""
    assert figures(text, gaz, published) == []


MIXED = [
    pytest.param(
        "Sirens sounded for two minutes across Israel to remember the six million Jews murdered in the Holocaust.",
        None,
        [6_000_000],
        id="minutes-and-victims",
    ),
    pytest.param(
        "On January 27 Soviet soldiers reached Auschwitz, where about 1.1 million people had been killed.",
        date(2020, 1, 27),
        [1_100_000],
        id="date-day-and-victims",
    ),
    pytest.param(
        "The new museum cost 300 million rubles, and honours the 1.8 million who died.",
        None,
        [1_800_000],
        id="money-and-victims",
    ),
    pytest.param(
        "About 2,000 people gathered in Khatyn on Sunday, where 149 villagers were killed in 1943.",
        None,
        [149],
        id="crowd-and-victims",
    ),
    pytest.param(
        "On Sunday 2,000 people gathered at Khatyn, where 149 villagers were killed.",
        None,
        [149],
        id="crowd-near-death-word",
    ),
    pytest.param(
        "Mourners laid 27 red carnations for the 27 million Soviet dead.", None, [27_000_000], id="flowers-and-victims"
    ),
    pytest.param(
        "The bombing of the port killed about 40,000 people, with only about 20 people taking part in the "
        "scaled-down memorial on Sunday.",
        None,
        [40_000],
        id="victims-and-those-taking-part",
    ),
]


@pytest.mark.parametrize(("text", "published", "values"), MIXED)
def test_only_the_dead_are_counted_beside_other_numbers(
    text: str, published: date | None, values: list[int], gaz: Gazetteer
) -> None:
    """Beside minutes, a date, money, a crowd or flowers, only the number of the dead is a figure."""
    assert [f.low for f in figures(text, gaz, published)] == values


ALL = [
    pytest.param(c.values[0], next((v for v in c.values[1:] if isinstance(v, date)), None), id=f"{kind}-{c.id}")
    for kind, cases in (("range", RANGES), ("words", WORDS), ("hedge", HEDGES), ("group", GROUPS),
                        ("place", PLACE_GROUPS), ("measure", MEASURES), ("mixed", MIXED))
    for c in cases
]  # fmt: skip


@pytest.mark.parametrize(("text", "published"), ALL)
def test_evidence_span_is_the_text_between_offsets(text: str, published: date | None, gaz: Gazetteer) -> None:
    """Each figure's evidence and number text equal text[start:end] and the number lies in the evidence."""
    for f in figures(text, gaz, published):
        assert text[f.span.start : f.span.end] == f.span.text
        assert text[f.number.start : f.number.end] == f.number.text
        assert f.span.start <= f.number.start < f.number.end <= f.span.end


def test_of_them_were_names_the_group(gaz: Gazetteer) -> None:
    """ "About one million of them were Jews" counts Jews, not the place named later."""
    fig = one("Of the victims, about one million of them were Jews, murdered in the Holocaust.", gaz)
    assert fig.low == 1_000_000 and fig.group is not None and fig.group.name == "Jews"


def test_the_toll_mentioned_again_keeps_its_group(gaz: Gazetteer) -> None:
    """A second estimate of "the toll" counts the same people as the first figure."""
    found = figures(
        "The siege killed around 800,000 civilians. Other estimates put the toll as high as 1.5 million.", gaz
    )
    assert [(f.low, f.group.name if f.group else None, f.hedge) for f in found] == [
        (800_000, "civilians", "about"),
        (1_500_000, "civilians", "up to"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param("Soldiers murdered at least 640 Greek non-combatants in the village.", "Greek non-combatants",
                     id="non-combatants"),
        pytest.param("Archives show that 2,150 Cretans were shot in reprisals.", "Cretans", id="capitalised-plural"),
        pytest.param("The ambush left 12 policemen dead.", "policemen", id="policemen"),
    ],
)  # fmt: skip
def test_people_named_outside_the_usual_nouns(text: str, name: str, gaz: Gazetteer) -> None:
    """Who died is any people the figure's own words name, not only the nouns of a closed list."""
    figure = one(text, gaz)
    assert figure.group is not None and figure.group.name == name
    assert figure.measure == "deaths"


def test_a_figure_takes_the_named_event_of_the_sentences_before(nlp: Language, gaz: Gazetteer) -> None:
    """ "claimed 90,000 lives" names no one: the figure belongs to the siege the paragraph is about."""
    text = (
        "The Siege of Sevastopol ended in July 1942 after months of shelling. The defenders held out for "
        "eight months. In all it claimed 90,000 lives."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2022-07-04"), nlp, gaz)
    (figure,) = x.figures
    assert figure.event_label is not None and "Sevastopol" in figure.event_label


def test_victims_with_no_name_belong_to_the_place_their_sentence_names(nlp: Language, gaz: Gazetteer) -> None:
    """ "Treblinka, where 800,000 people died": the group is the people in that place, never bare "people"."""
    text = "Visitors walked through the memorial at Treblinka, where 800,000 people died."
    x = kg.extract.extract(kg.articles.make_article(text, published="2022-07-04"), nlp, gaz)
    (figure,) = x.figures
    assert figure.group is not None and "Treblinka" in figure.group.name


def test_each_people_listed_with_its_figure_in_parentheses_is_a_figure(gaz: Gazetteer) -> None:
    """ "the dead were ethnic Poles (5,210), Roma (1,450) and Jews (3,900)": three figures, three peoples."""
    text = "Of the 10,560 people killed at the camp, the dead were ethnic Poles (5,210), Roma (1,450) and Jews (3,900)."
    found = {f.low: f.group.name if f.group else None for f in figures(text, gaz)}
    assert found[1450] == "Roma" and found[3900] == "Jews"
    assert found[5210] in ("ethnic Poles", "Poland")


def test_parenthesised_numbers_without_deaths_are_no_figures(gaz: Gazetteer) -> None:
    """ "(1,200 visitors a day)", "(pop. 700,000)" count no dead."""
    assert figures("The museum (1,200 visitors a day) opened in Lviv (pop. 700,000).", gaz) == []


def test_a_figure_naming_no_one_counts_the_dead_of_what_the_story_is_about(nlp: Language, gaz: Gazetteer) -> None:
    """ "Fifteen were killed" far from any named event belongs to the Battle of Westerplatte the story opens with."""
    text = (
        "Poland marked the anniversary of the Battle of Westerplatte on Sunday. The president laid a wreath. "
        "Veterans and schoolchildren sang. The guns fell silent after a week. Fifteen were killed."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2019-09-02"), nlp, gaz)
    (figure,) = x.figures
    assert figure.event_label is not None and "Westerplatte" in figure.event_label


def test_the_event_whose_clause_governs_the_figure_wins_over_a_mention(nlp: Language, gaz: Gazetteer) -> None:
    """ "the World War II blockade of Odessa, which killed 60,000 people": the blockade's toll, not the war's."""
    text = "The city recalled the World War II siege of Odessa, which killed 60,000 people, on Friday."
    x = kg.extract.extract(kg.articles.make_article(text, published="2021-10-15"), nlp, gaz)
    (figure,) = x.figures
    assert figure.event_label is not None and "siege" in figure.event_label.lower()


def test_a_word_saying_how_they_died_does_not_hide_who_died(gaz: Gazetteer) -> None:
    """ "4,000 murdered Jews", "93 innocent people": Jews and people, the adjective is no group."""
    assert one("The memorial lists the names of 4,000 murdered Jews from the town.", gaz).group.name == "Jews"
    figure = one("The raid cost the lives of 93 innocent people.", gaz)
    assert figure.measure == "deaths" and figure.low == 93


def test_a_bare_figure_counts_the_people_the_sentence_before_counted(gaz: Gazetteer) -> None:
    """ "Of the 3,000 Norwegians who sailed, 800 were captured. Another 400 were killed.": Norwegians."""
    text = "Of the 3,000 Norwegians who sailed that night, 800 were captured. Another 400 were killed."
    figure = one(text, gaz)
    assert figure.low == 400 and figure.group is not None and figure.group.name == "Norway"


def test_the_side_named_after_the_figure_is_its_group(gaz: Gazetteer) -> None:
    """ "70 killed on the Italian side": Italy's dead; the clause before keeps its own."""
    found = figures("Twelve defenders were killed, with some 70 killed on the Italian side.", gaz)
    by_low = {f.low: f.group.name if f.group else None for f in found}
    assert by_low[70] == "Italy"


def test_generic_victims_take_the_story_event_not_a_burial_place(nlp: Language, gaz: Gazetteer) -> None:
    """ "149 lives were cut short" in a story about the Khatyn massacre count its dead; a cemetery where
    victims lie is no group of theirs."""
    text = (
        "Belarus remembered the Khatyn massacre on Wednesday. The president spoke at the memorial. "
        "As many as 149 lives were cut short that day."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2023-03-22"), nlp, gaz)
    (figure,) = x.figures
    assert figure.event_label is not None and "Khatyn" in figure.event_label
    text = "About 500,000 civilians starved, many of whom are buried at the Piskaryovskoye cemetery."
    x = kg.extract.extract(kg.articles.make_article(text, published="2023-03-22"), nlp, gaz)
    (figure,) = x.figures
    assert figure.group is None or "Piskaryovskoye" not in figure.group.name


def test_the_verb_of_a_later_figure_is_not_the_first_figures(gaz: Gazetteer) -> None:
    """ "The toll at Stutthof reached 65,000 people, some 28,000 of them were Jews": two figures of the dead."""
    text = "The death toll at Stutthof reached 65,000 people, some 28,000 of them were Jews from the Baltic states."
    found = {f.low: f for f in figures(text, gaz)}
    assert set(found) == {65_000, 28_000}
    assert found[65_000].measure == "deaths"


def test_lower_case_allied_forces_are_a_group(gaz: Gazetteer) -> None:
    """ "the 120,000 allied forces who died": a group of its own, not nobody."""
    figure = one("The service honoured the 120,000 allied forces who died in the campaign.", gaz)
    assert figure.group is not None and figure.group.name == "allied forces"


def test_a_figure_set_off_by_dashes_counts_the_people_before_it(gaz: Gazetteer) -> None:
    """ "two thirds of Latvian Jews – some 70,000 people – were shot": Latvian Jews, and dead."""
    figure = one("In 1941 two thirds of Latvian Jews – some 70,000 people – were shot in the forests.", gaz)
    assert figure.measure == "deaths" and figure.low == 70_000
    assert figure.group is not None and figure.group.name == "Latvian Jews"


# the named event four sentences back, out of reach of the sentences just before the figure
_FILLER = "Sirens sounded at 5 p.m. Traffic stopped on the main roads. Crowds sang old songs in the squares. "


@pytest.mark.parametrize(
    ("text", "published", "low", "event_label"),
    [
        pytest.param(
            "Survivors gathered on Thursday to remember the atomic bombing of Hiroshima. "
            + _FILLER
            + "On August 6, 1945 the bomb exploded over the city centre. "
            "About 140,000 people had died by the end of the year.",
            "2015-08-06",
            140000,
            "atomic bombing of Hiroshima",
            id="naming-no-one",
        ),
        pytest.param(
            "Warsaw marked the 75th anniversary of the Warsaw Uprising on Thursday. "
            + _FILLER
            + "After 63 days the insurgents capitulated on 2 October. Around 16,000 fighters died.",
            "2019-08-01",
            16000,
            "Warsaw Uprising",
            id="naming-fighters",
        ),
    ],
)
def test_a_figure_beside_a_bare_verb_counts_the_dead_of_the_story(
    text: str, published: str, low: int, event_label: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "the bomb exploded ... About 140,000 people had died", "the insurgents capitulated ... 16,000
    fighters died": a bare verb names no event, so the figure, whoever it names, counts the dead of
    the named event the story is about, however far back the story named it."""
    x = kg.extract.extract(kg.articles.make_article(text, published=published), nlp, gaz)
    (figure,) = x.figures
    assert (figure.low, figure.event_label) == (low, event_label)
    assert figure.event == next(e.key for e in x.events if e.label == event_label)


@pytest.mark.parametrize(
    ("text", "low", "group"),
    [
        pytest.param("The camp's guards killed 1.1 million people, about one million of them Jews.", 1_000_000, "Jews"),
        pytest.param("The war killed 400,000 soldiers, around 3,000 of them Americans.", 3000, "United States"),
        pytest.param(
            "The country lost some 450,000 people in the war. About 67,000 of the dead were civilians.",
            67000,
            "civilians",
        ),
    ],
)
def test_a_part_of_the_dead_is_a_figure_of_its_own_people(text: str, low: int, group: str, gaz: Gazetteer) -> None:
    """ "about one million of them Jews", "67,000 of the dead were civilians": the part is a figure, its
    group who they were (a demonym its country), beside the whole."""
    found = figures(text, gaz)
    part = next(f for f in found if f.low == low)
    assert part.measure == "deaths" and part.group is not None and part.group.name == group
    assert len(found) == 2


def test_the_story_lead_is_a_named_event_before_a_clause(nlp: Language, gaz: Gazetteer) -> None:
    """A figure with no event near it counts the dead of the story's named event ("the bombing of
    Nagasaki"), not of a clause that merely holds a name ("a uranium bomb had destroyed Hiroshima")."""
    text = (
        "Bells rang across the city on Sunday. On August 6, 1945 a uranium bomb had destroyed Hiroshima. "
        "Sirens sounded at noon. Traffic stopped on the main roads. Crowds sang old songs in the squares. "
        "The bomb killed some 74,000 people by the end of the year. "
        "The bombing of Nagasaki came three days after Hiroshima."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2020-08-09"), nlp, gaz)
    (figure,) = x.figures
    assert figure.event == next(e.key for e in x.events if e.type == "bombing" and not e.clause)


def test_the_dead_of_both_sides_are_counted_together(gaz: Gazetteer) -> None:
    """ "with about 850,000 dead from both sides": the figure counts both armies, not a place nearby."""
    (f,) = figures("The battle on the Dnieper was among the bloodiest, with about 850,000 dead from both sides.", gaz)
    assert f.low == 850_000 and f.group is not None and f.group.name == "both sides"


def test_the_dead_of_a_bomb_are_the_bombing_s_not_the_surrender_s(nlp: Language, gaz: Gazetteer) -> None:
    """ "Japan surrendered six days later. The bomb killed some 74,000 people": the bombing's dead."""
    text = (
        "Nagasaki marked 75 years since the atomic bombing of Nagasaki on Sunday. "
        "The mayor read a peace declaration.\n\n"
        "Japan surrendered on August 15, 1945. The bomb killed some 74,000 people by the end of 1945."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2020-08-09"), nlp, gaz)
    (figure,) = x.figures
    bombing = next(e for e in x.events if e.type == "bombing")
    assert figure.event == bombing.key and "Nagasaki" in (figure.event_label or "")


def test_the_losses_put_at_a_figure_are_deaths(gaz: Gazetteer) -> None:
    """ "the losses were put at 20 million": losses with a bare number are the dead."""
    f = one("For decades the country's losses in the war were officially put at 7 million.", gaz)
    assert (f.low, f.measure) == (7_000_000, "deaths")


def test_a_range_of_estimates_ends_where_the_next_clause_begins(gaz: Gazetteer) -> None:
    """ "range from 30,000 to 90,000, and the figure ... is" keeps the range; the next clause's verb is not its."""
    found = figures(
        "Estimates of the number of victims at the camp range from 30,000 to 90,000, and the museum's count is lower.",
        gaz,
    )
    assert [(f.low, f.high, f.measure) for f in found] == [(30_000, 90_000, "deaths")]


def test_victims_belong_to_the_town_not_to_its_province_in_brackets(nlp: Language, gaz: Gazetteer) -> None:
    """ "Vinca (Belgrade) is the site of ... which made 300 victims": the province in brackets only says
    where the town lies."""
    x = kg.extract.extract(
        kg.articles.make_article(
            "Vinca (Belgrade) is the site of a reprisal killing of October 1941 which made 300 victims.",
            published="2021-10-21",
        ),
        nlp,
        gaz,
    )
    assert [f.group.name if f.group else None for f in x.figures] == ["victims in Vinca"]


def test_people_who_attend_are_no_dead_whoever_they_include(nlp: Language, gaz: Gazetteer) -> None:
    """ "Some 30,000 people, among them survivors and relatives of the victims, attended": the verb says
    they came, however many death words stand between the number and it."""
    text = (
        "Some 30,000 people, among them survivors and relatives of the victims, as well as envoys of 60 "
        "countries, attended the ceremony in the park. The raid killed 80,000 residents."
    )
    x = kg.extract.extract(kg.articles.make_article(text, published="2021-08-06"), nlp, gaz)
    assert [f.low for f in x.figures] == [80_000]


@pytest.mark.parametrize(
    "sentence",
    [
        "A group of 16 pupils chosen from the city's schools rang the memorial bell eight times for the victims.",
        "About 4,000 delegates from across the province paid silent tribute to the victims of the raid.",
    ],
)
def test_people_who_do_what_the_dead_cannot_are_no_dead(sentence: str, nlp: Language, gaz: Gazetteer) -> None:
    """The subject of an active verb that no dead do ("rang", "paid tribute") counts the living, however
    near the victims stand; the dead are the subject of "died", "were killed", "lost their lives"."""
    text = f"{sentence} The bombing of the city in 1944 killed 6,500 civilians, and 2,000 more died of their wounds."
    x = kg.extract.extract(kg.articles.make_article(text, published="2019-09-18"), nlp, gaz)
    assert sorted(f.low for f in x.figures) == [2_000, 6_500]


TALLIES = [
    pytest.param("By the spring the death toll in the valley had climbed to about 3,400.", 3400, id="toll-risen-to"),
    pytest.param(
        "The toll for the two river towns together is usually put at more than 12,000.", 12000, id="toll-put-at"
    ),
    pytest.param(
        "Hundreds of miners were shot in the reprisals. Local historians put the number at about 1,650.",
        1650,
        id="number-after-a-death-sentence",
    ),
    pytest.param(
        "The deportees starved in the camps. Estimates range from 18,000 to 25,000.", 18000, id="estimates-range"
    ),
]


@pytest.mark.parametrize(("text", "low"), TALLIES)
def test_a_bare_figure_giving_the_toll_counts_the_dead(text: str, low: int, gaz: Gazetteer) -> None:
    figure = one(text, gaz)
    assert (figure.low, figure.measure) == (low, "deaths")


@pytest.mark.parametrize(
    "text",
    [
        "The museum opened in May. The number of visitors reached 40,000 by the autumn.",
        "The exhibition drew crowds. Organisers put the number at about 12,000.",
        "The memorial lists the fallen. The number of veterans at the ceremony was 240.",
    ],
)
def test_a_number_tallying_the_living_is_no_figure(text: str, gaz: Gazetteer) -> None:
    assert figures(text, gaz) == []


def test_the_month_of_march_is_no_march_of_the_living(gaz: Gazetteer) -> None:
    figure = one("On a decree of 12 March, the guards shot 2,310 hostages from the town within a week.", gaz)
    assert (figure.low, figure.measure) == (2310, "deaths")


def test_a_figure_joined_by_along_with_is_one_more_item_of_the_dead(gaz: Gazetteer) -> None:
    found = figures(
        "The militia executed 410 prisoners from the fortress, along with some 260 people held in the town gaol.", gaz
    )
    assert [(f.low, f.measure) for f in found] == [(410, "deaths"), (260, "deaths")]


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        (
            "The memorial honours 2,400 men and women of the Merchant Navy who died at sea.",
            "group",
            "men and women of the Merchant Navy",
        ),
        ("Some 9,000 civilians of Rotterdam perished in the fire.", "group", "civilians of Rotterdam"),
        ("About 3,000 citizens of Greece were shot as hostages.", "country", "Greece"),
    ],
)
def test_people_of_a_named_force_or_place_are_its_dead(text: str, kind: str, name: str, gaz: Gazetteer) -> None:
    group = one(text, gaz).group
    assert group is not None
    assert (group.kind, group.name) == (kind, name)


def test_a_figure_with_thousands_set_apart_by_spaces_is_one_figure(gaz: Gazetteer) -> None:
    figure = one("Between 70 000 and 80 000 people died in the firestorm.", gaz)
    assert (figure.low, figure.high, figure.number.text) == (70_000, 80_000, "70 000 and 80 000")


@pytest.mark.parametrize(
    "text",
    [
        "Only 12 of the 310 registered victims are still alive.",
        "About 45 of the victims survived the fire.",
    ],
)
def test_victims_still_alive_are_no_dead(text: str, gaz: Gazetteer) -> None:
    assert figures(text, gaz) == []


def test_of_the_many_who_lived_only_those_killed_are_dead(gaz: Gazetteer) -> None:
    found = figures("Of the 60,000 Jews who lived in the city before the war, 54,000 were murdered.", gaz)
    assert [(f.low, f.measure) for f in found] == [(54000, "deaths")]


def test_of_the_many_killed_both_figures_count_the_dead(gaz: Gazetteer) -> None:
    found = figures("Of the 20,000 prisoners killed at the camp, 3,000 were children.", gaz)
    assert 20000 in {f.low for f in found}


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("In 1944, 212 villagers were burned alive in the church.", 212),
        ("Some 40 prisoners were hanged in the square.", 40),
    ],
)
def test_the_ways_of_killing_are_deaths(text: str, low: int, gaz: Gazetteer) -> None:
    figure = one(text, gaz)
    assert (figure.low, figure.measure) == (low, "deaths")


def test_burned_villages_are_no_dead(gaz: Gazetteer) -> None:
    assert figures("The occupiers burned 186 villages together with their people.", gaz) == []


def test_an_age_is_no_figure(gaz: Gazetteer) -> None:
    assert figures("The regiment's last veteran died on Tuesday, aged 101.", gaz) == []


def test_of_those_who_took_part_the_killed_are_dead(gaz: Gazetteer) -> None:
    figure = one("Of the 6,100 soldiers who landed at the beach, 1,380 were killed.", gaz)
    assert (figure.low, figure.measure) == (1380, "deaths")
    assert figure.group is not None and figure.group.name == "soldiers"


def test_a_small_part_of_a_counted_whole_killed_is_a_figure_of_that_whole(gaz: Gazetteer) -> None:
    figure = one("Of the 240 pupils, 61 were shot in the schoolyard.", gaz)
    assert (figure.low, figure.measure) == (61, "deaths")
    assert figure.group is not None and figure.group.name == "pupils"


@pytest.mark.parametrize(
    ("text", "low", "name"),
    [
        ("According to the mission's records, 27 gendarmes were killed.", 27, "gendarmes"),
        ("All of its 58 male inhabitants were executed.", 58, "male inhabitants"),
    ],
)
def test_people_no_list_names_are_named_by_the_figure(text: str, low: int, name: str, gaz: Gazetteer) -> None:
    figure = one(text, gaz)
    assert (figure.low, figure.measure) == (low, "deaths")
    assert figure.group is not None and figure.group.name == name


def test_each_side_of_a_while_clause_counts_its_own_losses(gaz: Gazetteer) -> None:
    found = figures(
        "The German 9th Army lost some 20,000 men, while the Allied troops suffered around 4,000 casualties.", gaz
    )
    groups = {f.low: f.group.name if f.group else None for f in found}
    assert groups == {20_000: "Germany", 4_000: "Allied troops"}


def test_of_them_counts_the_people_the_sentence_before_counted(gaz: Gazetteer) -> None:
    figure = one("About 2.5 million Indians served in the war. Some 87,000 of them were killed.", gaz)
    assert figure.low == 87_000
    assert figure.group is not None and figure.group.name == "India"


def test_the_event_a_figure_s_own_words_name_is_its_event(gaz: Gazetteer) -> None:
    found = figures(
        "Some 102,000 Jews were murdered in the Holocaust, and about 18,000 people died during the "
        "Hunger Winter of 1944-45.",
        gaz,
    )
    events = {f.low: f.event_label for f in found}
    assert events[102_000] == "Holocaust"
    assert events[18_000] != "Holocaust"


def test_a_figure_in_lakhs_is_counted_whole(gaz: Gazetteer) -> None:
    figure = one("Nearly 30 lakh civilians died in the Bengal famine.", gaz)
    assert (figure.low, figure.high, figure.measure) == (3_000_000, 3_000_000, "deaths")


def test_a_list_after_words_of_the_dead_gives_each_country_its_figure(gaz: Gazetteer) -> None:
    text = "Historians still debate the death toll of the war.\n\nChina: 15-20 million.\nGermany: 6.9-7.4 million.\n"
    found = figures(text, gaz)
    assert [(f.group.name if f.group else None, f.low, f.high, f.measure) for f in found] == [
        ("China", 15_000_000, 20_000_000, "deaths"),
        ("Germany", 6_900_000, 7_400_000, "deaths"),
    ]


def test_a_list_of_other_counts_is_no_figure(gaz: Gazetteer) -> None:
    text = "The museum counted its visitors last year.\n\nPoland: 1.2 million.\nGermany: 400,000.\n"
    assert figures(text, gaz) == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Germany lost 6.9-7.4 million people in the war.", 6_900_000, 7_400_000),
        ("Between one and 1.5 million prisoners died in the camp.", 1_000_000, 1_500_000),
    ],
)
def test_the_scale_of_a_range_s_high_end_applies_to_its_low_end(text: str, low: int, high: int, gaz: Gazetteer) -> None:
    figure = one(text, gaz)
    assert (figure.low, figure.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "low", "name"),
    [
        ("Three of the hostages were later shot.", 3, "hostages"),
        ("Five of its pilots were killed in action.", 5, "pilots"),
    ],
)
def test_a_small_part_of_a_people_killed_is_a_figure(text: str, low: int, name: str, gaz: Gazetteer) -> None:
    figure = one(text, gaz)
    assert (figure.low, figure.measure) == (low, "deaths")
    assert figure.group is not None and figure.group.name == name


def test_those_who_escaped_are_no_dead(gaz: Gazetteer) -> None:
    text = "Around 300 prisoners managed to escape, but half of them were later killed in the forest."
    assert [f.low for f in figures(text, gaz)] == []


def test_half_a_million_is_half_a_million(gaz: Gazetteer) -> None:
    figure = one("Nearly half a million civilians perished in the famine.", gaz)
    assert (figure.low, figure.hedge) == (500_000, "nearly")


def test_a_line_naming_the_toll_names_no_group(gaz: Gazetteer) -> None:
    figure = one("The raid on the port was the worst of the war.\n\nDeath toll: 25,000.\n", gaz)
    assert figure.low == 25_000 and figure.group is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Soviet losses are put at 8.7 million soldiers.", "Soviet Union"),
        ("The Red Army lost over a million men in the battle.", "Red Army"),
    ],
)
def test_whose_losses_the_words_before_say(text: str, name: str, gaz: Gazetteer) -> None:
    group = one(text, gaz).group
    assert group is not None and group.name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("About 1,500 British and Polish paratroopers were killed at the bridge.", "British and Polish paratroopers"),
        ("Of the 133 aircrew who took part, 53 were killed.", "aircrew"),
    ],
)
def test_soldiers_named_by_their_arm_are_the_group(text: str, name: str, gaz: Gazetteer) -> None:
    figures_named = [f.group.name for f in figures(text, gaz) if f.group]
    assert figures_named == [name]


def test_a_count_spelled_out_in_groups_is_one_figure(gaz: Gazetteer) -> None:
    figure = one("One million one hundred thousand people perished in the camp.", gaz)
    assert (figure.low, figure.high) == (1_100_000, 1_100_000)


@pytest.mark.parametrize(
    "text", ["Nearly one in four Belarusians died during the war.", "Three out of every ten soldiers died."]
)
def test_a_share_is_no_count(text: str, gaz: Gazetteer) -> None:
    assert figures(text, gaz) == []


def test_who_they_were_when_they_died_is_the_group(gaz: Gazetteer) -> None:
    found = figures("Some 9,000 servicemen died, among them more than 2,000 who died as prisoners of war.", gaz)
    assert {f.low: f.group.name if f.group else None for f in found}[2_000] == "prisoners of war"


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("No fewer than 3,000 prisoners died in the camp.", "at least"),
        ("In excess of 20,000 people were killed.", "more than"),
        ("Perhaps 40,000 civilians died in the famine.", "possibly"),
    ],
)
def test_hedges_keep_their_meaning(text: str, hedge: str, gaz: Gazetteer) -> None:
    assert one(text, gaz).hedge == hedge


@pytest.mark.parametrize(
    ("text", "low", "group"),
    [
        ("About 2,200 islanders were deported to camps in 1942, and 45 of them died there.", 45, "islanders"),
        ("Some 900 sailors were taken prisoner; 12 of them were later shot.", 12, "sailors"),
    ],
)
def test_a_small_number_of_them_who_died_counts_the_people_counted_before(
    text: str, low: int, group: str, gaz: Gazetteer
) -> None:
    f = one(text, gaz)
    assert (f.low, f.high, f.group.name if f.group else None) == (low, low, group)


def test_a_bare_number_after_killing_is_a_figure(gaz: Gazetteer) -> None:
    f = one("Three days later a second bomb destroyed much of Nagasaki, killing some 74,000.", gaz)
    assert (f.low, f.hedge, f.measure) == (74000, "some", "deaths")


def test_a_ratio_of_reprisal_is_no_toll(gaz: Gazetteer) -> None:
    text = "The general ordered that 100 civilians be shot for every German soldier killed."
    assert figures(text, gaz) == []


def test_a_group_is_never_a_word_cut_short(gaz: Gazetteer) -> None:
    """The words read after a figure stop at a length; the last one is whole or left out."""
    text = (
        "Between October 19 and 21, 1941, troops shot nearly 2,800 men and boys, including hundreds of "
        "high school students, in reprisal for attacks by partisans on German soldiers."
    )
    f = one(text, gaz)
    assert f.group is not None and f.group.name == "men and boys"


def test_aircraft_of_a_people_are_no_people(gaz: Gazetteer) -> None:
    text = "The two raids, carried out by 242 Japanese aircraft, killed at least 235 people in the harbour."
    assert [(f.low, f.hedge) for f in figures(text, gaz)] == [(235, "at least")]


def test_survivors_who_died_this_past_year_are_no_war_dead(gaz: Gazetteer) -> None:
    text = "About 120,000 Holocaust survivors live in Israel. More than 17,000 died over the past year."
    assert [f.low for f in figures(text, gaz) if f.measure == "deaths"] == []


def test_a_toll_and_the_part_of_it_after_of_whom_are_two_figures(gaz: Gazetteer) -> None:
    """ "put Soviet deaths at 26.6 million, of whom roughly 8.7 million were soldiers": both figures, the
    first the Soviet Union's by the words before it, the second its soldiers."""
    found = figures(
        "Official figures put Soviet deaths at 26.6 million, of whom roughly 8.7 million were soldiers.", gaz
    )
    assert [(f.low, f.group.name if f.group else None) for f in found] == [
        (26_600_000, "Soviet Union"),
        (8_700_000, "soldiers"),
    ]


def test_an_event_named_late_in_the_story_is_not_every_figure_s(nlp: Language, gaz: Gazetteer) -> None:
    """The dead of a figure no event is named near count what the story is about, which its headline
    or first paragraphs name: not the Holocaust, named once in its fourth paragraph."""
    text = (
        "Historians still disagree about how many people died.\n\n"
        "Most estimates say that 70 to 85 million people were killed.\n\n"
        "The losses were uneven across the continents.\n\n"
        "Poland's Jews were murdered in the Holocaust."
    )
    article = kg.articles.make_article(text, published="2025-09-02", title="The human cost of the war")
    (first, *_) = kg.extract.extract(article, nlp, gaz).figures
    assert first.low == 70_000_000 and first.event_label != "Holocaust"


def test_the_toll_restated_is_the_whole_s_not_the_part_s(gaz: Gazetteer) -> None:
    text = (
        "Official figures put Soviet deaths at 26.6 million, of whom roughly 8.7 million were soldiers. "
        "Some historians argue the true toll may have been as high as 27 million."
    )
    restated = next(f for f in figures(text, gaz) if f.low == 27_000_000)
    assert restated.group is not None and restated.group.name == "Soviet Union"
