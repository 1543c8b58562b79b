"""Quotations: the speaker wherever the attribution sits, the verb, and indirect speech kept apart.

Runs the whole extractor (spaCy pipeline + gazetteer, loaded once per session) on short passages.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

import kg.articles
import kg.extract
import kg.extract.quotes
import kg.gazetteer
import kg.nlp
from kg.gazetteer import Gazetteer
from kg.records import Extraction, Quote


def run(text: str, published: str, nlp: Language, gaz: Gazetteer) -> Extraction:
    return kg.extract.extract(kg.articles.make_article(text, published=published), nlp, gaz)


def direct(x: Extraction) -> list[Quote]:
    return [q for q in x.quotes if q.direct]


def speakers(x: Extraction) -> dict[str, str | None]:
    """Each direct quote's first ten characters, and who spoke it."""
    return {q.text[:10]: q.speaker.name if q.speaker else None for q in direct(x)}


def said(x: Extraction) -> list[tuple[str, str | None, str | None]]:
    """(quoted words without a closing full stop, speaker, verb) of each direct quote, in order."""
    return [(q.text.rstrip("."), q.speaker.name if q.speaker else None, q.verb) for q in direct(x)]


ATTRIBUTED = [
    pytest.param(
        '"We lost the battle, but we had not yet lost the war," President Ana Reyes expressed during the rites.',
        "2023-04-09",
        [("We lost the battle, but we had not yet lost the war", "Ana Reyes", "expressed")],
        id="after-name-expressed",
    ),
    pytest.param(
        '"We will never forget the price our people paid for victory," Putin said.',
        "2025-05-09",
        [("We will never forget the price our people paid for victory", "Vladimir Putin", "said")],
        id="after-name-said",
    ),
    pytest.param(
        '"The truth about the war must be defended," said Russian President Vladimir Putin.',
        "2020-05-09",
        [("The truth about the war must be defended", "Vladimir Putin", "said")],
        id="after-said-name",
    ),
    pytest.param(
        'Chinese President Xi Jinping arrived in Moscow on Wednesday. Xi said: "China and Russia stood together '
        'against fascism."',
        "2025-05-08",
        [("China and Russia stood together against fascism", "Xi Jinping", "said")],
        id="before-colon",
    ),
    pytest.param(
        'Speaking on Omaha Beach, Emmanuel Macron called the veterans "the liberators of Europe" and thanked them.',
        "2024-06-06",
        [("the liberators of Europe", "Emmanuel Macron", "called")],
        id="middle-of-sentence",
    ),
    pytest.param(
        'German Chancellor Olaf Scholz said that Germany "bears eternal responsibility" for the crimes of the '
        "Nazi era.",
        "2024-06-06",
        [("bears eternal responsibility", "Olaf Scholz", "said")],
        id="middle-said-that",
    ),
    pytest.param(
        'Russian President Vladimir Putin hosted the parade. "No one will be forgotten," the Russian leader said.',
        "2015-05-09",
        [("No one will be forgotten", "Vladimir Putin", "said")],
        id="after-role-noun",
    ),
    pytest.param(
        'King Charles III spoke at the British Normandy Memorial. "We must never forget," the King said, as veterans '
        "looked on.",
        "2024-06-06",
        [("We must never forget", "Charles III", "said")],
        id="after-the-king",
    ),
    pytest.param(
        '"This place is a warning to all of us. We must never let it happen again," Polish President Andrzej '
        "Duda said.",
        "2020-01-27",
        [("This place is a warning to all of us. We must never let it happen again", "Andrzej Duda", "said")],
        id="multi-sentence-quote",
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), ATTRIBUTED)
def test_speaker_verb_and_words(text: str, published: str, expected: list, nlp: Language, gaz: Gazetteer) -> None:
    """Each direct quote is found whole, with the speaker named around it and the verb used."""
    assert said(run(text, published, nlp, gaz)) == expected


FOLLOW_ON = [
    pytest.param(
        '"Their courage saved Europe," Joe Biden said at the American cemetery. "We will not walk away," he added.',
        "2024-06-06",
        [("Their courage saved Europe", "Joe Biden", "said"), ("We will not walk away", "Joe Biden", "added")],
        id="he-added",
    ),
    pytest.param(
        'Macron spoke first. "Democracy is never guaranteed," Biden said. "Every generation must defend it," he added.',
        "2024-06-06",
        [
            ("Democracy is never guaranteed", "Joe Biden", "said"),
            ("Every generation must defend it", "Joe Biden", "added"),
        ],
        id="he-added-after-another-name",
    ),
    pytest.param(
        '"Their sacrifice must never be forgotten," Biden said, standing beside Macron. "We will not walk away," '
        "he added.",
        "2024-06-06",
        [
            ("Their sacrifice must never be forgotten", "Joe Biden", "said"),
            ("We will not walk away", "Joe Biden", "added"),
        ],
        id="he-added-is-the-last-speaker-not-the-last-name",
    ),
    pytest.param(
        'Polish President Andrzej Duda spoke at the gate of the former camp. "Auschwitz is a symbol of the Holocaust," '
        'Duda said. "We have a duty to pass on the truth about it."',
        "2020-01-27",
        [
            ("Auschwitz is a symbol of the Holocaust", "Andrzej Duda", "said"),
            ("We have a duty to pass on the truth about it", "Andrzej Duda", "said"),
        ],
        id="two-quotes-one-paragraph",
    ),
    pytest.param(
        'German President Frank-Walter Steinmeier spoke in Warsaw.\n\n"I ask for forgiveness," Steinmeier said. '
        '"We Germans bear the guilt for the crimes committed here."',
        "2024-07-31",
        [
            ("I ask for forgiveness", "Frank-Walter Steinmeier", "said"),
            ("We Germans bear the guilt for the crimes committed here", "Frank-Walter Steinmeier", "said"),
        ],
        id="two-quotes-after-a-paragraph-break",
    ),
    pytest.param(
        'Russian President Vladimir Putin met Chinese leader Xi Jinping. "Our peoples fought side by side," Putin '
        'said. Xi said: "We must uphold the outcome of the war."',
        "2015-05-09",
        [
            ("Our peoples fought side by side", "Vladimir Putin", "said"),
            ("We must uphold the outcome of the war", "Xi Jinping", "said"),
        ],
        id="two-speakers",
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), FOLLOW_ON)
def test_follow_on_quotes_keep_their_speaker(
    text: str, published: str, expected: list, nlp: Language, gaz: Gazetteer
) -> None:
    """ "he added" and an unattributed second quote go to the last named speaker, not just the last name."""
    assert said(run(text, published, nlp, gaz)) == expected


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        (
            'Chinese President Xi Jinping reviewed the troops. "Peace must be cherished and defended," Xi stressed.',
            "stressed",
        ),
        ('Putin told the crowd that the country "will always remember its heroes" and laid flowers.', "told"),
        ('"We owe them everything," Macron said at Omaha Beach.', "said"),
        ('Biden spoke after Macron. "France will not forget," Macron added.', "added"),
    ],
)
def test_the_verb_is_recorded(text: str, verb: str, nlp: Language, gaz: Gazetteer) -> None:
    """The reporting verb of a direct quote is kept as written."""
    quotes = direct(run(text, "2025-05-09", nlp, gaz))
    assert [q.verb for q in quotes] == [verb]


INDIRECT = [
    pytest.param(
        "Chinese President Xi Jinping met Putin in the Kremlin. Mutual visits, Xi said, have become a tradition "
        "between the two countries.",
        "2015-05-08",
        "Xi Jinping",
        ("Mutual visits", "have become a tradition"),
        id="parenthetical-said",
    ),
    pytest.param(
        "Polish President Andrzej Duda said the world must remember the victims of Auschwitz.",
        "2020-01-27",
        "Andrzej Duda",
        ("the world must remember the victims of Auschwitz",),
        id="said-clause",
    ),
]


@pytest.mark.parametrize(("text", "published", "speaker", "words"), INDIRECT)
def test_indirect_speech_is_no_direct_quote(
    text: str, published: str, speaker: str, words: tuple[str, ...], nlp: Language, gaz: Gazetteer
) -> None:
    """Reported speech without quote marks is kept with direct=False and never among direct quotes."""
    x = run(text, published, nlp, gaz)
    indirect = [q for q in x.quotes if not q.direct]
    assert len(indirect) == 1
    q = indirect[0]
    assert q.speaker is not None and q.speaker.name == speaker
    assert all(w in q.text for w in words)
    assert not any(words[0] in d.text for d in direct(x))


def test_scare_quotes_without_a_speaker_are_no_quote(nlp: Language, gaz: Gazetteer) -> None:
    """A quoted name nobody says ("Immortal Regiment") is not a quotation."""
    x = run('The so-called "Immortal Regiment" march drew huge crowds in Moscow.', "2025-05-09", nlp, gaz)
    assert x.quotes == ()


ALL = [
    pytest.param(c.values[0], c.values[1], id=f"{kind}-{c.id}")
    for kind, cases in (("attributed", ATTRIBUTED), ("follow-on", FOLLOW_ON), ("indirect", INDIRECT))
    for c in cases
]


@pytest.mark.parametrize(("text", "published"), ALL)
def test_evidence_span_is_the_text_between_offsets(text: str, published: str, nlp: Language, gaz: Gazetteer) -> None:
    """Each quote's evidence text equals the article body between its offsets."""
    x = run(text, published, nlp, gaz)
    body = x.article.text
    for q in x.quotes:
        assert body[q.span.start : q.span.end] == q.span.text


SHORT_AND_NEAR = [
    pytest.param(
        'Prime Minister Mette Frederiksen called the quiet ceremony a "paradox" for a day of freedom.',
        "2020-05-04",
        [("paradox", "Mette Frederiksen", "called")],
        id="one-word-called",
    ),
    pytest.param(
        'Chancellor Olaf Scholz described the attack as a "rupture" in German history.',
        "2023-11-09",
        [("rupture", "Olaf Scholz", "described")],
        id="one-word-described",
    ),
    pytest.param(
        'In a letter he sent to the mayor, Emmanuel Macron wrote that "France must remember" the soldiers.',
        "2024-12-01",
        [("France must remember", "Emmanuel Macron", "wrote")],
        id="the-attribution-nearest-the-quote",
    ),
    pytest.param(
        '"We were only boys, but we knew what we fought for," said a former US soldier, Walter Briggs.',
        "2015-05-03",
        [("We were only boys, but we knew what we fought for", "Walter Briggs", "said")],
        id="said-a-description-then-the-name",
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), SHORT_AND_NEAR)
def test_short_quotes_and_the_nearest_attribution(
    text: str, published: str, expected: list, nlp: Language, gaz: Gazetteer
) -> None:
    """A single quoted word its own sentence attributes is a quote; the attribution nearest the quote wins."""
    assert said(run(text, published, nlp, gaz)) == expected


def test_a_single_quoted_word_without_a_reporting_verb_is_no_quote(nlp: Language, gaz: Gazetteer) -> None:
    """ "Putin's "victory" parade" names no saying: one word needs a verb of speech in its sentence."""
    x = run('Vladimir Putin watched the "victory" parade from the stand.', "2025-05-09", nlp, gaz)
    assert direct(x) == []


DISTANT = [
    pytest.param(
        "Rear Admiral Anne Kowalski laid a wreath at the harbour.\n\n"
        '"Every sailor we lost here is remembered," the admiral said.',
        "2023-05-08",
        [("Every sailor we lost here is remembered", "Anne Kowalski", "said")],
        id="a-role-noun-as-speaker",
    ),
    pytest.param(
        "Navy Adm. Anne Kowalski, the commander of the Pacific Fleet, met the veterans.\n\n"
        '"It is a privilege to stand with you," the admiral said.',
        "2023-05-08",
        [("It is a privilege to stand with you", "Anne Kowalski", "said")],
        id="a-rank-kept-beside-an-office",
    ),
    pytest.param(
        "President Sergio Mattarella visited the village on Sunday. The head of state then stressed: "
        '"Memory is a duty we owe to the dead."',
        "2024-08-12",
        [("Memory is a duty we owe to the dead", "Sergio Mattarella", "stressed")],
        id="the-head-of-state",
    ),
    pytest.param(
        "The mayor, Ana Lind, spoke at the square. She told the crowd that the town would never forget.\n\n"
        '"Our grandparents rebuilt this place from ruins. We owe them our freedom."',
        "2023-05-08",
        [("Our grandparents rebuilt this place from ruins. We owe them our freedom", "Ana Lind", "told")],
        id="a-paragraph-continuing-reported-speech",
    ),
    pytest.param(
        "Polish President Andrzej Duda spoke in Wielun, which Hitler's bombers destroyed first. "
        '"We remember every victim," he said.',
        "2019-09-01",
        [("We remember every victim", "Andrzej Duda", "said")],
        id="he-is-not-the-wartime-figure-named-in-passing",
    ),
    pytest.param(
        "UN Secretary-General Antonio Guterres spoke in New York.\n\n"
        '"Hatred must never again become policy," the UN chief said.',
        "2024-01-27",
        [("Hatred must never again become policy", "António Guterres", "said")],
        id="the-un-chief",
    ),
    pytest.param(
        "Margaret Thompson, who has lived in Canada for 70 years, said she was nine when the war ended. "
        '"My brother and I were the only ones of our class who came back."',
        "2023-05-08",
        [("My brother and I were the only ones of our class who came back", "Margaret Thompson", "said")],
        id="a-sentence-continuing-reported-speech",
    ),
    pytest.param(
        'Senator Mary Collins and Representative Tom Udall presented the medal. "They served with honour and '
        'waited too long for this," said Sen. Collins.',
        "2017-10-25",
        [("They served with honour and waited too long for this", "Mary Collins", "said")],
        id="said-an-abbreviated-title-and-name",
    ),
    pytest.param(
        'Veterans met the delegation at the hall. "It was a day we will never forget," retired Navy Capt. Jose Ramos '
        "said.",
        "2015-04-22",
        [("It was a day we will never forget", "Jose Ramos", "said")],
        id="a-described-name-before-the-verb",
    ),
    pytest.param(
        "Ambassador Sergey Ivanov was summoned to the ministry. He was told that Warsaw rejects the "
        '"historical insinuation" voiced in Moscow, the deputy foreign minister, Marcin Nowicki, said.',
        "2019-12-30",
        [("historical insinuation", "Marcin Nowicki", "said")],
        id="the-closing-clause-names-the-speaker",
    ),
    pytest.param(
        "Secretary-General Antonio Guterres spoke in New York.\n\nTo combat hate, he urged everyone to speak out."
        '\n\n"Let us never be silent in the face of bigotry."',
        "2024-01-27",
        [("Let us never be silent in the face of bigotry", "António Guterres", "urged")],
        id="a-paragraph-after-a-pronoun-reporting-speech",
    ),
    pytest.param(
        "The memorial was unveiled on Thursday. Michael Ashby, a businessman, paid for most of it.\n\n"
        'The former deputy chairman of the Labour Party said: "These men were ordered to do it, and they did."',
        "2012-06-28",
        [("These men were ordered to do it, and they did", "Michael Ashby", "said")],
        id="a-description-of-the-person-named-last",
    ),
    pytest.param(
        'In a letter he sent to President Ana Lind, Emmanuel Macron wrote that France "must acknowledge" '
        'that a "massacre" took place.',
        "2024-12-01",
        [("must acknowledge", "Emmanuel Macron", "wrote"), ("massacre", "Emmanuel Macron", "wrote")],
        id="a-second-quote-in-the-sentence",
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), DISTANT)
def test_speakers_named_before_the_quote(
    text: str, published: str, expected: list, nlp: Language, gaz: Gazetteer
) -> None:
    """Role nouns, a speech reported a paragraph before, and "he" past a wartime figure find the speaker."""
    assert said(run(text, published, nlp, gaz)) == expected


def test_a_name_in_quotation_marks_is_no_quote(nlp: Language, gaz: Gazetteer) -> None:
    """Veterans' words are quotes; "Hellfire Pass", title-cased and quoted, is a name."""
    x = run('Ana Lind, who visited what POWs called "Hellfire Pass", said it moved her.', "2023-04-25", nlp, gaz)
    assert direct(x) == []


WRAPPED = (
    "BERLIN, May 8 Germany will never forget\n"
    "the suffering its armies brought to Europe,\n"
    "Chancellor Olaf Scholz said on Monday at a ceremony\n"
    "in the Bundestag.\n"
    '"We carry this history with us, and we\n'
    'carry it together," Scholz told the deputies\n'
    "gathered in the chamber."
)


def test_hard_wrapped_copy_is_read_across_its_line_breaks(nlp: Language, gaz: Gazetteer) -> None:
    """Wire copy broken every 50 characters: the quote runs over the break, its evidence keeps the break."""
    x = run(WRAPPED, "2023-05-08", nlp, gaz)
    quotes = direct(x)
    assert [(q.text.split()[:4], q.speaker.name if q.speaker else None) for q in quotes] == [
        (["We", "carry", "this", "history"], "Olaf Scholz")
    ]
    assert all(x.article.text[q.span.start : q.span.end] == q.span.text for q in quotes)


def test_unwrapping_keeps_offsets_and_leaves_prose_alone() -> None:
    """Only the mid-sentence breaks of wrapped copy become spaces; ordinary paragraphs are untouched."""
    assert "\n" not in kg.extract.quotes.unwrapped(WRAPPED).split("Bundestag.")[0]
    assert len(kg.extract.quotes.unwrapped(WRAPPED)) == len(WRAPPED)
    prose = "One paragraph ends here.\nAnother one follows.\nAnd a third.\nA fourth.\nA fifth."
    assert kg.extract.quotes.unwrapped(prose) == prose


def test_the_pronoun_right_before_the_verb_speaks_not_the_person_it_turns_to(nlp: Language, gaz: Gazetteer) -> None:
    """ "Turning to his Polish counterpart, he said: ..." is the visitor speaking, named before."""
    text = (
        "German President Frank-Walter Steinmeier laid a wreath in Warsaw with Polish President Andrzej Duda. "
        '"We bow our heads," Steinmeier said.\n\n'
        'Turning to his Polish counterpart he said: "I am deeply grateful that you came with me here."'
    )
    x = run(text, "2019-08-01", nlp, gaz)
    by = speakers(x)
    assert by["I am deepl"] == "Frank-Walter Steinmeier"


def test_he_said_is_the_full_name_just_named_not_an_official_further_back(nlp: Language, gaz: Gazetteer) -> None:
    """A veteran named once in the paragraph before "he said" speaks, not the admiral quoted earlier."""
    text = (
        'Admiral Bill Gortney, commander of U.S. Northern Command, welcomed the veterans. "It is a privilege '
        'to be with you," the admiral said.\n\n'
        "The veterans said they were proud to be guests at the lunch.\n\n"
        "Retired Lt. Heriberto Canete Lopez expressed his pleasure with the afternoon events.\n\n"
        '"I am very happy to be sitting here with the best friends from the United States," he said.'
    )
    x = run(text, "2016-11-05", nlp, gaz)
    by = speakers(x)
    assert by["I am very "] == "Heriberto Canete Lopez"


def test_said_the_former_translator_is_the_person_just_described(nlp: Language, gaz: Gazetteer) -> None:
    """'"...," said the former translator' is the man named before."""
    text = (
        "Among them was 95-year-old Gao Wenbin, who represented China at the tribunal.\n\n"
        '"History should never be forgotten," said the former translator and secretary at the forum.'
    )
    x = run(text, "2016-05-05", nlp, gaz)
    by = speakers(x)
    assert by["History sh"] == "Gao Wenbin"


def test_a_title_and_the_surname_of_someone_named_is_that_person(nlp: Language, gaz: Gazetteer) -> None:
    """ "‘...’, says Minister of Culture Ruokytė-Jonsson." after "Minister of Culture Liana Ruokytė-Jonsson":
    the minister speaks, one person, though the NER saw neither name."""
    text = (
        "On Sunday, Minister of Culture Liana Ruokytė-Jonsson laid a wreath at the monument.\n\n"
        "‘The tragedy of the Jewish people is the tragedy of Lithuania’, says Minister of Culture "
        "Ruokytė-Jonsson.\n\nIn three years, about 200 thousand people were killed."
    )
    x = run(text, "2018-09-23", nlp, gaz)
    assert [p.ref.name for p in x.people] == ["Liana Ruokytė-Jonsson"]
    by = speakers(x)
    assert by["The traged"] == "Liana Ruokytė-Jonsson"


def test_a_said_that_lost_its_subject_is_the_paragraph_s_last_named(nlp: Language, gaz: Gazetteer) -> None:
    """'"Polish soldiers sacrificed their souls ..."- said.': the veteran the paragraph just named."""
    text = (
        "Prof. Wojciech Narębski, who fought in the battle as a soldier of the Polish 2nd Corps, paid tribute "
        "to his comrades. “Polish soldiers sacrificed their souls to God, their bodies to Italy and their "
        "hearts to Poland”- said."
    )
    by = speakers(run(text, "2014-05-18", nlp, gaz))
    assert by["Polish sol"] == "Wojciech Narębski"


def test_a_word_a_leader_calls_something_is_his_quote(nlp: Language, gaz: Gazetteer) -> None:
    """'its president, Ana Lind, has downplayed the pandemic as a "psychosis."': Lind's word."""
    text = (
        "Belarus held its parade despite the pandemic, and its longtime president, Alyaksandr Lukashenka, "
        "has downplayed the pandemic as a “psychosis.”"
    )
    (quote,) = direct(run(text, "2020-05-09", nlp, gaz))
    assert quote.text == "psychosis." and quote.speaker is not None and "Lukashenk" in quote.speaker.name


def test_a_title_the_article_names_its_holder_by_later_is_that_holder(nlp: Language, gaz: Gazetteer) -> None:
    """ "The Federal President gave a speech ...: '...'" before "Federal President Frank-Walter Steinmeier"."""
    text = (
        'The Federal President gave a speech at the ceremony in Nuremberg: "The desire to use the means of '
        'the law was a start."\n\n'
        "Federal President Frank-Walter Steinmeier spoke in the historical courtroom 600."
    )
    by = speakers(run(text, "2020-11-21", nlp, gaz))
    assert by["The desire"] == "Frank-Walter Steinmeier"


def test_a_description_with_an_initialism_before_the_name_names_the_speaker(nlp: Language, gaz: Gazetteer) -> None:
    """'"...," said a former U.S. pilot, Ann Lee.': the initialism's full stops end no sentence."""
    x = run(
        '"We flew over the camp every day," said a former U.S. pilot, Ann Lee. "Nobody told us."',
        "2015-05-03",
        nlp,
        gaz,
    )
    assert set(speakers(x).values()) == {"Ann Lee"}
    assert len(speakers(x)) == 2


def test_a_speaker_known_by_her_home_town_keeps_her_quotes(nlp: Language, gaz: Gazetteer) -> None:
    """A name the NER read as a body's (a caption line above it) is still the person who speaks, then "she"."""
    x = run(
        "The dawn service drew about 1,000 people.\n\nMaree Colquhoun\n\n"
        'Maree Colquhoun, from the Sunshine Coast, said she "wept" during the service.\n\n'
        '"I could not stop thinking of them," she said.',
        "2022-02-15",
        nlp,
        gaz,
    )
    assert said(x) == [
        ("wept", "Maree Colquhoun", "said"),
        ("I could not stop thinking of them", "Maree Colquhoun", "said"),
    ]


def test_a_statement_after_sentences_glued_together_is_its_own_speakers(nlp: Language, gaz: Gazetteer) -> None:
    """Scraped copy that lost the space after a full stop ("reported.Ahead") still has two sentences, and
    the second quote is the minister's, not the first speaker's."""
    x = run(
        '"Today we remember all of the victims," said Jan Novak, the head of the council, the broadcaster '
        'reported.Ahead of the event, Foreign Minister Ana Lind released a statement reading, "We will not '
        'forget them."',
        "2020-08-02",
        nlp,
        gaz,
    )
    assert [s for _, s, _ in said(x)] == ["Jan Novak", "Ana Lind"]


@pytest.mark.parametrize(
    "phrase", ["billed as “quiet but proud”", "known as “the long march home”", "dubbed “the last parade”"]
)
def test_what_a_thing_is_called_is_no_ones_quote(phrase: str, nlp: Language, gaz: Gazetteer) -> None:
    """A name or label in quotation marks after "billed as", "known as" or "dubbed" is what the thing is
    called, not words the sentence's speaker said; the speaker's own quotation stands."""
    x = run(f"“We remember them all,” Mayor Ana Berg said at a ceremony {phrase} on Friday.", "2020-05-09", nlp, gaz)
    assert said(x) == [("We remember them all", "Ana Berg", "said")]


def test_said_before_a_described_name_ends_at_the_full_stop_of_that_sentence(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Chilean President Gabriel Boric opened the exhibition in Santiago.\n\n"
        '"Memory is a duty we owe the dead," said Uruguayan President Yamandú Orsi. Argentine Foreign '
        "Minister Diana Mondino sent a message of her own."
    )
    assert speakers(run(text, "2024-06-04", nlp, gaz)) == {"Memory is ": "Yamandú Orsi"}


def test_the_words_of_a_body_are_not_those_of_the_person_named_last(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Prime Minister Ana Lind laid a wreath at the memorial on Monday.\n\n"
        'The Japanese embassy said in a statement that Japan "deeply mourns the loss of life".'
    )
    assert speakers(run(text, "2025-02-19", nlp, gaz)) == {}


def test_a_nickname_in_quotation_marks_is_no_quote(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        'Flight Lieutenant Arthur "Dusty" Pennell, the last of the crew, has died aged 100, his family said on '
        "Monday. Prime Minister Ana Lind paid tribute to him."
    )
    assert direct(run(text, "2023-05-15", nlp, gaz)) == []


def test_a_person_named_in_an_aside_on_the_speaker_does_not_speak(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Prime Minister Ana Lind laid a wreath at the memorial on Sunday.\n\n"
        'The Prince of Wales, who met Lind in 2023, said the veterans were "the finest of their generation".'
    )
    assert "Ana Lind" not in {q.speaker.name for q in direct(run(text, "2024-11-10", nlp, gaz)) if q.speaker}


def test_he_who_spoke_in_wartime_is_the_wartime_figure_just_named(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Ambassador Ana Lind unveiled a plaque on Thursday at the house where General Charles de Gaulle lived.\n\n"
        "It was from a studio in London that de Gaulle broadcast his appeal of 18 June 1940. "
        '"France has lost a battle, but France has not lost the war," he declared.'
    )
    assert speakers(run(text, "2025-06-19", nlp, gaz)) == {"France has": "Charles de Gaulle"}


def test_a_quote_inside_a_sentence_is_not_the_next_sentence_s_speaker(nlp: Language, gaz: Gazetteer) -> None:
    """A full stop after "weapons" ends the sentence; the mayor who speaks after it did not say the words
    the prime minister's sentence quotes."""
    text = (
        'Prime Minister Shigeru Ishiba told the ceremony that Japan would "lead the international community" '
        'toward a world without nuclear weapons. Mayor Kazumi Matsui warned that "the world is heading toward '
        'military buildup."'
    )
    said = {q.text.rstrip("."): q.speaker.name if q.speaker else None for q in run(text, "2025-08-06", nlp, gaz).quotes}
    assert said == {
        "lead the international community": "Shigeru Ishiba",
        "the world is heading toward military buildup": "Kazumi Matsui",
    }
