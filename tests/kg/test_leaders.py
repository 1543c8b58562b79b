"""People and their offices: role, country and Wikidata ID, one person per individual, and who is a leader.

Runs the whole extractor (spaCy pipeline + gazetteer, loaded once per session) on short passages.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from spacy.language import Language

import kg.articles
import kg.extract
import kg.gazetteer
import kg.nlp
from kg.gazetteer import Gazetteer
from kg.records import Extraction, Person


def run(text: str, published: str, nlp: Language, gaz: Gazetteer) -> Extraction:
    return kg.extract.extract(kg.articles.make_article(text, published=published), nlp, gaz)


def person(x: Extraction, name: str) -> Person:
    found = [p for p in x.people if p.ref.name == name]
    assert len(found) == 1, f"{name!r} among {[p.ref.name for p in x.people]}"
    return found[0]


OFFICES = [
    pytest.param(
        "Russian President Vladimir Putin watched the parade from the stand on Red Square.",
        "2025-05-09",
        "Vladimir Putin",
        "Q7747",
        "President",
        "Russia",
        id="title-before-name",
    ),
    pytest.param(
        "The Italian president, Sergio Mattarella, laid a wreath at the Altare della Patria.",
        "2025-04-25",
        "Sergio Mattarella",
        "Q3956186",
        "President",
        "Italy",
        id="appositive-before",
    ),
    pytest.param(
        "Angela Merkel, the German chancellor, laid a wreath at the Tomb of the Unknown Soldier in Moscow.",
        "2015-05-10",
        "Angela Merkel",
        "Q567",
        "Chancellor",
        "Germany",
        id="appositive-after",
    ),
    pytest.param(
        "Foreign Minister Sergei Lavrov met his Chinese counterpart in Moscow.",
        "2025-05-08",
        "Sergey Lavrov",
        "Q58217",
        "Foreign Minister",
        "Russia",
        id="minister-country-from-gazetteer",
    ),
    pytest.param(
        "Chinese President Xi Jinping watched the parade in Moscow.",
        "2015-05-09",
        "Xi Jinping",
        "Q15031",
        "President",
        "China",
        id="chinese-president-xi-jinping",
    ),
    pytest.param(
        "French President Emmanuel Macron greeted veterans at Omaha Beach.",
        "2024-06-06",
        "Emmanuel Macron",
        "Q3052772",
        "President",
        "France",
        id="french-president",
    ),
]


@pytest.mark.parametrize(("text", "published", "name", "qid", "role", "country"), OFFICES)
def test_a_leader_with_role_country_and_wikidata(
    text: str, published: str, name: str, qid: str | None, role: str, country: str, nlp: Language, gaz: Gazetteer
) -> None:
    """The stated office gives the role and country; the gazetteer gives the Wikidata ID."""
    p = person(run(text, published, nlp, gaz), name)
    assert p.leader
    assert p.ref.wikidata == qid
    assert [(o.role, o.country.name if o.country else None, o.current) for o in p.offices][:1] == [
        (role, country, True)
    ]


PUTIN = (
    "Russian President Vladimir Putin opened the ceremony on Red Square. Later, Putin laid flowers at the Eternal "
    "Flame. Mr Putin then spoke with veterans, and the Russian president thanked them."
)


def test_later_mentions_resolve_to_the_same_person(nlp: Language, gaz: Gazetteer) -> None:
    """ "Putin", "Mr Putin" and "the Russian president" are mentions of the one Vladimir Putin."""
    x = run(PUTIN, "2025-05-09", nlp, gaz)
    putins = [p for p in x.people if "Putin" in p.ref.name]
    assert len(putins) == 1
    p = putins[0]
    assert p.ref.wikidata == "Q7747"
    expected = [
        PUTIN.index("Vladimir Putin"),
        PUTIN.index("Putin laid"),
        PUTIN.index("Putin then"),
        PUTIN.index("the Russian president"),
    ]
    for start in expected:
        assert any(m.start <= start < m.end for m in p.mentions), PUTIN[start : start + 20]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        pytest.param(PUTIN, "2025-05-09", id="putin"),
        pytest.param(
            "Russian President Vladimir Putin met Chinese leader Xi Jinping in the Kremlin.", "2015-05-08", id="xi"
        ),
        pytest.param(
            "Kim Jong Un visited the Kumsusan Palace of the Sun, where his grandfather Kim Il Sung lies in state.",
            "2020-08-15",
            id="kims",
        ),
    ],
)
def test_each_mention_is_counted_once(text: str, published: str, nlp: Language, gaz: Gazetteer) -> None:
    """No mention of a person lies inside another of their mentions ("Putin" within "Vladimir Putin")."""
    x = run(text, published, nlp, gaz)
    for p in x.people:
        spans = sorted(p.mentions)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start, f"{p.ref.name}: {a.text!r} and {b.text!r} overlap"


SHARED_SURNAMES = [
    pytest.param(
        "Former US President George H. W. Bush flew combat missions in the Pacific war. His son, George W. Bush, "
        "attended the 60th anniversary of D-Day in Normandy.",
        "2004-06-06",
        {"George H. W. Bush": "Q23505", "George W. Bush": "Q207"},
        id="two-bushes",
    ),
    pytest.param(
        "Kim Jong Un visited the Kumsusan Palace of the Sun, where his grandfather Kim Il Sung lies in state.",
        "2020-08-15",
        {"Kim Jong Un": "Q56226", "Kim Il Sung": None},
        id="two-kims",
    ),
]


@pytest.mark.parametrize(("text", "published", "people"), SHARED_SURNAMES)
def test_people_sharing_a_surname_never_merge(
    text: str, published: str, people: dict[str, str | None], nlp: Language, gaz: Gazetteer
) -> None:
    """Two different people with one surname are two persons, each with their own mentions."""
    x = run(text, published, nlp, gaz)
    found = {name: person(x, name) for name in people}
    assert {name: p.ref.wikidata for name, p in found.items()} == people
    a, b = found.values()
    assert a.ref != b.ref
    assert not {m.start for m in a.mentions} & {m.start for m in b.mentions}
    for name, p in found.items():
        assert any(m.text == name for m in p.mentions)


HISTORICAL = [
    pytest.param(
        "Historians recalled that Joseph Stalin and Franklin D. Roosevelt met at Yalta in 1945.",
        ["Joseph Stalin", "Franklin D. Roosevelt"],
        id="full-names",
    ),
    pytest.param(
        "Historians recalled that Stalin and Roosevelt met at Yalta in February 1945.",
        ["Joseph Stalin", "Franklin D. Roosevelt"],
        id="surnames",
    ),
    pytest.param(
        "Visitors to the Livadia Palace still ask where Churchill and Stalin sat.",
        ["Winston Churchill", "Joseph Stalin"],
        id="churchill-and-stalin",
    ),
]


@pytest.mark.parametrize(("text", "names"), HISTORICAL)
def test_a_historical_figure_is_a_person_but_no_leader(
    text: str, names: list[str], nlp: Language, gaz: Gazetteer
) -> None:
    """Stalin, Roosevelt or Churchill only mentioned are persons, linked to Wikidata, and never leaders."""
    x = run(text, "2025-02-04", nlp, gaz)
    for name in names:
        p = person(x, name)
        assert p.ref.wikidata is not None
        assert not p.leader


FORMER = [
    pytest.param(
        "The Yalta conference was attended by then-US President Franklin D. Roosevelt.",
        "2025-02-04",
        "Franklin D. Roosevelt",
        id="then-us-president",
    ),
    pytest.param(
        "The museum's new wing was designed after a visit by former US President Barack Obama in 2016.",
        "2024-06-06",
        "Barack Obama",
        id="former-lower-case",
    ),
    pytest.param(
        "Former US President George H. W. Bush flew combat missions in the Pacific war.",
        "2004-06-06",
        "George H. W. Bush",
        id="former-sentence-start",
    ),
]


@pytest.mark.parametrize(("text", "published", "name"), FORMER)
def test_a_past_office_is_not_current_and_makes_no_leader(
    text: str, published: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "then-" or "former" marks the stated office current=False, and its holder is no leader."""
    p = person(run(text, published, nlp, gaz), name)
    assert [(o.role, o.country.name if o.country else None, o.current) for o in p.offices] == [
        ("President", "United States", False)
    ]
    assert not p.leader


MERKEL_AND_HUSBAND = (
    "German Chancellor Angela Merkel laid a wreath at the Tomb of the Unknown Soldier in Moscow. Her husband, "
    "Joachim Sauer, accompanied her."
)
KIN = [
    pytest.param(
        "Doug Emhoff, the husband of Vice President Kamala Harris, toured the Normandy American Cemetery.",
        "2024-06-05",
        "Doug Emhoff",
        id="husband-of-vice-president",
    ),
    pytest.param(
        "Joachim Sauer, the husband of German Chancellor Angela Merkel, also attended the concert.",
        "2015-05-10",
        "Joachim Sauer",
        id="husband-of-chancellor",
    ),
    pytest.param(
        MERKEL_AND_HUSBAND,
        "2015-05-10",
        "Joachim Sauer",
        id="her-husband",
    ),
]


@pytest.mark.parametrize(("text", "published", "name"), KIN)
def test_the_husband_of_an_official_is_no_leader(
    text: str, published: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    """A spouse named beside an official takes no office from them and is not a leader."""
    p = person(run(text, published, nlp, gaz), name)
    assert p.offices == ()
    assert not p.leader


def test_the_official_beside_a_spouse_stays_a_leader(nlp: Language, gaz: Gazetteer) -> None:
    """Merkel, who laid the wreath, is a leader though her husband is named after her."""
    x = run(MERKEL_AND_HUSBAND, "2015-05-10", nlp, gaz)
    merkel = person(x, "Angela Merkel")
    assert merkel.leader
    assert [(o.role, o.country.name if o.country else None) for o in merkel.offices][:1] == [("Chancellor", "Germany")]


ALL = [
    pytest.param(c.values[0], c.values[1], id=f"{kind}-{c.id}")
    for kind, cases in (("office", OFFICES), ("surname", SHARED_SURNAMES), ("former", FORMER), ("kin", KIN))
    for c in cases
] + [pytest.param(PUTIN, "2025-05-09", id="putin")]


@pytest.mark.parametrize(("text", "published"), ALL)
def test_evidence_span_is_the_text_between_offsets(text: str, published: str, nlp: Language, gaz: Gazetteer) -> None:
    """Each mention's and each office's evidence text equals the body between its offsets."""
    x = run(text, published, nlp, gaz)
    body = x.article.text
    for p in x.people:
        for m in p.mentions:
            assert body[m.start : m.end] == m.text
        for o in p.offices:
            assert body[o.span.start : o.span.end] == o.span.text


@pytest.mark.parametrize(
    ("text", "name", "role", "leader"),
    [
        pytest.param(
            "Steinmeier laid a wreath with the mayor of Dresden, Dirk Hilbert, on Thursday.",
            "Dirk Hilbert",
            "Mayor",
            True,
            id="mayor-of-a-city",
        ),
        pytest.param(
            "Ten years ago the then French president, Francois Hollande, hosted the leaders in Normandy.",
            "François Hollande",
            "President",
            True,
            id="then-president-took-part",
        ),
        pytest.param(
            "The Duke of Kent, a cousin of Queen Elizabeth II, stood in the human chain.",
            "Elizabeth II",
            "Queen",
            False,
            id="a-cousin-of-the-queen",
        ),
    ],
)
def test_offices_stated_around_a_name(
    text: str, name: str, role: str, leader: bool, nlp: Language, gaz: Gazetteer
) -> None:
    """Appositive and "then" offices are read; a monarch named only as a relative is no participant."""
    p = person(run(text, "2020-02-13", nlp, gaz), name)
    assert role in {o.role for o in p.offices}
    assert p.leader is leader


def test_a_split_name_is_not_linked_by_its_surname(nlp: Language, gaz: Gazetteer) -> None:
    """ "after Roman Herzog did so in 1994" is not Isaac Herzog, whatever the NER split."""
    x = run(
        "Steinmeier was the second German head of state to speak there, after Roman Herzog did so in 1994.",
        "2024-08-01",
        nlp,
        gaz,
    )
    assert all(p.ref.wikidata is None or "Isaac" not in p.ref.name for p in x.people)


def test_a_former_holder_who_takes_part_is_a_leader(nlp: Language, gaz: Gazetteer) -> None:
    """ "former" keeps the office past, but a former president present at the ceremony takes part in it."""
    p = person(
        run("The ceremony was also attended by former US President Barack Obama.", "2024-06-06", nlp, gaz),
        "Barack Obama",
    )
    assert [o.current for o in p.offices] == [False]
    assert p.leader


UNLISTED = [
    pytest.param(
        "On Sunday, Minister of Culture Rasa Vaitkute laid flowers at the memorial in the forest.",
        "Rasa Vaitkute",
        "Minister of Culture",
        id="minister-of-a-domain-before-an-unknown-name",
    ),
    pytest.param(
        "Guests included Tomas Lindqvist, Swedish ambassador to Estonia, and several veterans.",
        "Tomas Lindqvist",
        "Ambassador",
        id="ambassador-to-a-country-after-the-name",
    ),
    pytest.param(
        "Wreaths were laid by Oslo mayor Erik Hansen and local veterans.",
        "Erik Hansen",
        "Mayor",
        id="lower-case-role-after-a-place",
    ),
    pytest.param(
        "The deputy foreign minister, Karel Novotny, spoke to reporters after the ceremony.",
        "Karel Novotny",
        "Deputy Foreign Minister",
        id="deputy-minister-apposition",
    ),
    pytest.param(
        "Ministers Ivan Horvat, Marko Kovac and Ana Babic laid wreaths at the monument.",
        "Marko Kovac",
        "Minister",
        id="a-plural-title-before-a-list",
    ),
    pytest.param(
        "Air Chief Marshal Sir Alan Grey, the Chief of the Air Staff, stood at the Cenotaph.",
        "Alan Grey",
        "Chief of the Air Staff",
        id="an-office-beats-a-rank",
    ),
    pytest.param(
        "Minister for Trade, Industry and Energy Lena Holm, the guest of honour, opened the exhibition.",
        "Lena Holm",
        "Minister for Trade, Industry and Energy",
        id="a-ministry-of-several-portfolios",
    ),
    pytest.param(
        "The president's message was read out by presidential aide Tomas Vavra.",
        "Tomas Vavra",
        "Presidential Aide",
        id="lower-case-presidential-aide",
    ),
    pytest.param(
        "In the chief secretary's absence, Principal Secretary Rajan Mehta welcomed the veterans.",
        "Rajan Mehta",
        "Principal Secretary",
        id="a-secretary-of-a-state-government",
    ),
]


@pytest.mark.parametrize(("text", "name", "role"), UNLISTED)
def test_officials_in_no_gazetteer_are_found_from_the_text(
    text: str, name: str, role: str, nlp: Language, gaz: Gazetteer
) -> None:
    """Titles before a name, appositions after it and plural titles make leaders the gazetteer never heard of."""
    p = person(run(text, "2023-05-08", nlp, gaz), name)
    assert role in {o.role for o in p.offices}
    assert p.leader


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "Sara Levi, president of the Jewish Community of Turin, welcomed the guests.",
            "Sara Levi",
            id="president-of-a-community",
        ),
        pytest.param(
            "Veterans Association President Piet de Vries read the names of the fallen.",
            "Piet de Vries",
            id="president-of-an-association",
        ),
        pytest.param(
            "Colonel Hans Berger led the liberation of the town in 1945.",
            "Hans Berger",
            id="a-rank-without-words",
        ),
    ],
)
def test_heads_of_civil_bodies_and_unquoted_officers_are_no_leaders(
    text: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    """A community's or association's president holds no state office; a rank leads only when quoted."""
    assert not person(run(text, "2023-05-08", nlp, gaz), name).leader


def test_an_officer_quoted_at_the_event_is_a_leader(nlp: Language, gaz: Gazetteer) -> None:
    """A rank alone makes no leader, but the officer who speaks at the ceremony takes part."""
    x = run('"We remember every sailor," said Rear Admiral Anne Kowalski at the harbour.', "2023-05-08", nlp, gaz)
    assert person(x, "Anne Kowalski").leader


def test_a_spokesperson_is_no_leader(nlp: Language, gaz: Gazetteer) -> None:
    """A foreign ministry spokesperson speaks for a government but is no official taking part."""
    x = run('Foreign ministry spokeswoman Hua Chunying said the visit was "a provocation".', "2014-04-23", nlp, gaz)
    assert not person(x, "Hua Chunying").leader


@pytest.mark.parametrize(
    ("text", "published", "name"),
    [
        pytest.param(
            "The Queen laid a wreath at the Cenotaph in London on Remembrance Sunday.",
            "2019-11-10",
            "Elizabeth II",
            id="the-queen-in-2019",
        ),
        pytest.param(
            "The King laid a wreath at the Cenotaph in London on Remembrance Sunday.",
            "2023-11-12",
            "Charles III",
            id="the-king-in-2023",
        ),
        pytest.param(
            "In Tokyo, the Emperor expressed deep remorse at the memorial service for the war dead.",
            "2023-08-15",
            "Naruhito",
            id="the-emperor-of-japan-in-2023",
        ),
        pytest.param(
            "In Tokyo, the Emperor expressed deep remorse at the memorial service for the war dead.",
            "2015-08-15",
            "Akihito",
            id="the-emperor-of-japan-in-2015",
        ),
        pytest.param(
            "The Pope prayed for the victims of the war at the Vatican.",
            "2020-05-08",
            "Pope Francis",
            id="the-pope-in-2020",
        ),
        pytest.param(
            "In Madrid, the King laid a wreath for the Spanish soldiers who died in the war.",
            "2021-05-09",
            "Felipe VI",
            id="the-king-of-the-country-the-article-names",
        ),
        pytest.param(
            "The Queen opened the exhibition in Copenhagen, the Danish capital, with the mayor of Copenhagen.",
            "2020-05-04",
            "Margrethe II",
            id="the-queen-of-the-country-the-article-names",
        ),
    ],
)
def test_a_title_alone_is_whoever_held_it_on_the_day(
    text: str, published: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "the Queen", "the King", "the Emperor", "the Pope" resolve by the publication date and the article's country."""
    assert person(run(text, published, nlp, gaz), name).leader


def test_a_title_and_one_name_make_one_monarch(nlp: Language, gaz: Gazetteer) -> None:
    """ "King Frederik", which the NER misses, is a leader, and "the King" later is the same person."""
    x = run("King Frederik laid a wreath in Copenhagen. Later the King met veterans.", "2025-05-04", nlp, gaz)
    kings = [p for p in x.people if "Frederik" in p.ref.name]
    assert len(kings) == 1 and kings[0].leader
    assert len(kings[0].mentions) == 2


def test_a_surname_the_ner_labelled_a_place_stays_the_persons(nlp: Language, gaz: Gazetteer) -> None:
    """ "said Kowalczyk" tagged GPE by the NER is still Samuel Kowalczyk, named in full before it."""
    from spacy.tokens import Doc, Span

    words = ["Samuel", "Kowalczyk", "spoke", ".", "Later", "Kowalczyk", "left", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, False, True, True, True, False, False])
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 5, 6, label="GPE")]
    article = kg.articles.make_article(doc.text, published="2023-06-04")
    people = kg.extract.leaders.find_people(doc, article, gaz).people
    assert [(p.ref.name, len(p.mentions)) for p in people] == [("Samuel Kowalczyk", 2)]


def test_an_opposition_leader_holds_an_office(nlp: Language, gaz: Gazetteer) -> None:
    """ "Opposition leader X" names an office though no country qualifies it."""
    x = run("Opposition leader Daniel Weiss laid flowers at the memorial with veterans.", "2016-05-09", nlp, gaz)
    p = person(x, "Daniel Weiss")
    assert "Opposition Leader" in {o.role for o in p.offices} and p.leader


def test_an_office_stops_at_the_end_of_its_sentence(nlp: Language, gaz: Gazetteer) -> None:
    """The role that ends one sentence is not the office of the name that opens the next."""
    x = run(
        "The guests included the Israeli ambassador to Greece.  Professor Daniel Weiss spoke on history.",
        "2019-01-27",
        nlp,
        gaz,
    )
    assert not person(x, "Daniel Weiss").offices


def test_an_acronym_is_no_person(nlp: Language, gaz: Gazetteer) -> None:
    """An association's acronym the NER takes for a name ("ADLS") is no one."""
    x = run("Rear Admiral ADLS said the crossing would be postponed.", "2020-05-01", nlp, gaz)
    assert all(not p.ref.name.isupper() for p in x.people)


def test_a_place_and_a_title_are_no_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "Asan Mayor Frankie Cruz": a name never ends in a title, so the person is the one after it."""
    x = run("Asan Mayor Frankie Cruz welcomed the veterans to the park.", "2019-07-21", nlp, gaz)
    assert not any(p.ref.name.endswith("Mayor") for p in x.people)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        pytest.param(
            "The Prince of Wales attended the service with the Duke of Edinburgh.",
            "Duke of Edinburgh",
            "Duke of Edinburgh",
            id="a-royal-title-is-name-and-office",
        ),
        pytest.param(
            "Senior Communist Party official Wang Hongwei attended the memorial ceremony in Nanjing.",
            "Wang Hongwei",
            "Official",
            id="a-senior-party-official",
        ),
        pytest.param(
            "Russia will be represented by its ambassador to Belarus, Sergei Volkov, at the parade.",
            "Sergei Volkov",
            "Ambassador",
            id="its-ambassador-to-a-country",
        ),
    ],
)
def test_titles_and_officials_the_role_list_names(
    text: str, name: str, role: str, nlp: Language, gaz: Gazetteer
) -> None:
    """Royal titles, senior party officials and an ambassador introduced by "its" are leaders."""
    p = person(run(text, "2020-05-09", nlp, gaz), name)
    assert role in {o.role for o in p.offices} and p.leader


def test_a_plural_office_before_two_names_gives_each_the_office(nlp: Language, gaz: Gazetteer) -> None:
    """ "the speakers of the lower house and the Senate, A and B": both are speakers, both leaders."""
    text = "The ceremony was attended by the speakers of the lower house and the Senate, Marek Nowak and Jan Kowalski."
    x = run(text, "2020-09-01", nlp, gaz)
    for name in ("Marek Nowak", "Jan Kowalski"):
        p = person(x, name)
        assert "Speaker" in {o.role for o in p.offices} and p.leader


def test_a_counterpart_holds_the_same_office_in_their_country(nlp: Language, gaz: Gazetteer) -> None:
    """ "Kishida and his South Korean counterpart X": X is South Korea's foreign minister."""
    text = "Japanese Foreign Minister Fumio Kishida and his South Korean counterpart Park Min Soo signed the agreement."
    p = person(run(text, "2015-12-28", nlp, gaz), "Park Min Soo")
    assert [(o.role, o.country.name if o.country else None) for o in p.offices] == [("Foreign Minister", "South Korea")]
    assert p.leader


def test_a_portfolio_in_brackets_stands_between_title_and_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "Principal Secretary (Tourism) Dr. Rajesh Kumar": the title is his."""
    text = "The event was graced by Principal Secretary (Tourism) Dr. Rajesh Kumar as the Guest of Honour."
    p = person(run(text, "2019-06-17", nlp, gaz), "Rajesh Kumar")
    assert [o.role for o in p.offices] == ["Principal Secretary"]


def test_each_counterpart_of_a_list_holds_the_office_in_the_country_beside_them(nlp: Language, gaz: Gazetteer) -> None:
    """ "his counterparts from Gambia, A, Guinea-Bissau, B, and C from Comoros": each a president of
    the country named beside them, before or after."""
    text = (
        "President Bassirou Diomaye Faye welcomed his counterparts from Gambia, Adama Barrow, "
        "and Assoumani Azali from Comoros."
    )
    x = run(text, "2024-12-01", nlp, gaz)
    for name, country in (("Adama Barrow", "Gambia"), ("Assoumani Azali", "Comoros")):
        # as the article writes the name: a gazetteer link may give it another order ("Azali Assoumani")
        p = next(p for p in x.people if name in (p.ref.name, p.written))
        assert [(o.role, o.country.name if o.country else None) for o in p.offices] == [("President", country)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "Among the dead were the president, his wife, Ewa, the chief of the general staff and the bank governor.",
            "Ewa",
            id="a-wife-named-in-a-list-of-officials",
        ),
        pytest.param(
            "The king remembered his great-grandmother, Queen Wilhelmina, and her broadcasts from London.",
            "Wilhelmina",
            id="a-great-grandmother-who-was-queen",
        ),
    ],
)
def test_relatives_named_beside_offices_are_no_leaders(text: str, name: str, nlp: Language, gaz: Gazetteer) -> None:
    """ "his wife, Ewa, the chief of ..." and "his great-grandmother, Queen X" name relatives, not officials."""
    x = run(text, "2020-05-04", nlp, gaz)
    assert not any(p.leader for p in x.people if name in p.ref.name)


def test_the_end_of_a_title_is_no_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "Princess Anne, the Princess Royal": "Royal" is the rest of a title, not a second person."""
    x = run("Princess Anne, the Princess Royal, laid a wreath at the Cenotaph.", "2022-11-13", nlp, gaz)
    assert all(p.ref.name != "Royal" for p in x.people)


def test_the_articles_own_spelling_is_kept_beside_the_reference_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "Alyaksandr Lukashenka" is the gazetteer's Alexander Lukashenko (same Wikidata ID), and the
    article's report names him as the article does; a surname alone or a title is no spelling."""
    from kg.mapping import article_iri, to_graph
    from kg.report import article_report, eval_view
    from kg.store import Store

    text = (
        "Belarusian President Alyaksandr Lukashenka laid a wreath at the Victory Monument in Minsk. "
        '"We will never forget," Lukashenka said. The president then met veterans.'
    )
    article = kg.articles.make_article(text, published="2020-05-09")
    x = kg.extract.extract(article, nlp, gaz)
    p = next(p for p in x.people if p.leader)
    assert p.ref.name == "Alexander Lukashenko" and p.ref.wikidata is not None
    assert p.written == "Alyaksandr Lukashenka"
    with Store("memory:") as store:
        store.put_article(to_graph(x))
        report = article_report(store, article_iri(article))
    (leader,) = report.leaders
    assert (leader.written, leader.name) == ("Alyaksandr Lukashenka", "Alexander Lukashenko")
    assert {q.speaker.iri for q in report.quotes if q.speaker} == {leader.iri}
    assert {q["speaker"] for q in eval_view(report)["quotes"]} == {"Alyaksandr Lukashenka"}  # kg extract's JSON


def test_a_name_spelt_as_the_gazetteer_spells_it_has_no_second_spelling(nlp: Language, gaz: Gazetteer) -> None:
    x = run("Russian President Vladimir Putin laid a wreath. The president spoke briefly.", "2020-05-09", nlp, gaz)
    assert person(x, "Vladimir Putin").written is None


def test_names_listed_after_a_plural_office_each_hold_it(nlp: Language, gaz: Gazetteer) -> None:
    """ "the speakers of the lower house and the senate, A and B": both are speakers, and the title of
    the name after them ("Deputy Prime Minister C") is C's alone, whatever the NER made of B."""
    text = (
        "The ceremony was attended by the speakers of the lower house and the senate, Ana Lindqvist and "
        "Jan Bergström, Deputy Prime Minister Piotr Nowak, and ministers."
    )
    x = run(text, "2020-09-01", nlp, gaz)
    for name in ("Ana Lindqvist", "Jan Bergström"):
        p = person(x, name)
        assert p.leader and [o.role for o in p.offices] == ["Speaker"]
    assert [o.role for o in person(x, "Piotr Nowak").offices] == ["Deputy Prime Minister"]


def test_an_office_after_a_name_ends_with_its_sentence(nlp: Language, gaz: Gazetteer) -> None:
    """ "Moussa Diallo, the President of Guinea.\n\nFormer French ...": the office is Guinea's, and the
    full stop ends it before the next sentence's capitals."""
    text = (
        "Guests included Moussa Diallo, the President of Guinea.\n\n"
        "Former French President Nicolas Sarkozy was also present."
    )
    x = run(text, "2019-08-15", nlp, gaz)
    office = person(x, "Moussa Diallo").offices[0]
    assert office.role == "President" and office.country is not None and office.country.name == "Guinea"


def test_a_peerage_title_alone_names_whoever_held_it(nlp: Language, gaz: Gazetteer) -> None:
    """ "the Duchess of Cornwall" in 2015 is Camilla, with the title as her office that year."""
    x = run("The Prince of Wales laid a wreath, watched by the Duchess of Cornwall.", "2015-08-15", nlp, gaz)
    camilla = person(x, "Camilla")
    assert camilla.leader
    assert [(o.role, o.current) for o in camilla.offices] == [("Duchess of Cornwall", True)]


def test_a_lower_case_office_of_a_named_body_runs_on_into_its_holder(nlp: Language, gaz: Gazetteer) -> None:
    """ "her defence minister B, the president of the Parliament C and ...": C is the president, named
    after the body's name without a comma, and B keeps his own portfolio."""
    text = (
        "Prime Minister Erna Solberg, her defense minister Frank Bakke-Jensen, the president of the Parliament "
        "Tone Wilhelmsen Trøen and Defense Chief Haakon Bruun-Hanssen welcomed the royal family."
    )
    x = run(text, "2020-05-08", nlp, gaz)
    president = person(x, "Tone Wilhelmsen Trøen")
    assert president.leader and [o.role for o in president.offices] == ["President"]
    assert [o.role for o in person(x, "Frank Bakke-Jensen").offices] == ["Defence Minister"]


def test_the_mayor_of_a_city_names_the_mayor_however_the_ner_read_her(nlp: Language, gaz: Gazetteer) -> None:
    """ "the speaker of the Knesset A B", "the mayor of Gdansk C D": the names after the body's."""
    x = run(
        "The ceremony was attended by the speaker of the Knesset Amir Ohana. "
        "Earlier, the mayor of Gdansk Aleksandra Dulkiewicz spoke.",
        "2023-05-09",
        nlp,
        gaz,
    )
    assert [o.role for o in person(x, "Amir Ohana").offices] == ["Speaker"]
    assert [o.role for o in person(x, "Aleksandra Dulkiewicz").offices] == ["Mayor"]


def test_the_end_of_a_full_name_is_its_short_form_either_way_round(nlp: Language, gaz: Gazetteer) -> None:
    """ "Ferdinand R. Marcos Jr." and "Marcos Jr." are one president, whichever comes first; the
    father, "Ferdinand Marcos", is not the end of the son's name and stays apart."""
    for text in (
        'President Ferdinand R. Marcos Jr. spoke at the shrine. "We remember," President Marcos Jr. said.',
        'President Marcos Jr. spoke at the shrine. "We remember," President Ferdinand R. Marcos Jr. said.',
    ):
        x = run(text, "2023-04-10", nlp, gaz)
        assert [p.ref.name for p in x.people] == ["Ferdinand R. Marcos Jr."]
    x = run(
        "President Ferdinand R. Marcos Jr. recalled the rule of his father, Ferdinand Marcos.", "2023-04-10", nlp, gaz
    )
    assert sorted(p.ref.name for p in x.people) == ["Ferdinand Marcos", "Ferdinand R. Marcos Jr."]


TITLES_AT_LENGTH = [
    pytest.param(
        "President of the Assembly of the City of Kragujevac Milan Jovanovic laid a wreath at the memorial park.",
        "Milan Jovanovic",
        "President",
        id="a-long-body-between-title-and-name",
    ),
    pytest.param(
        "Commander, Pacific Air Forces, Gen. Kevin Schneider, Commissioner, Defense POW/MIA Accounting Agency, Kelly "
        "McKeague, and Chief of the Bureau of Land Management, Tracy Stone-Manning, spoke at the ceremony.",
        "Kelly McKeague",
        "Commissioner",
        id="title-body-holder-as-releases-list-guests",
    ),
    pytest.param(
        "Commander, Pacific Air Forces, Gen. Kevin Schneider, Commissioner, Defense POW/MIA Accounting Agency, Kelly "
        "McKeague, and Chief of the Bureau of Land Management, Tracy Stone-Manning, spoke at the ceremony.",
        "Tracy Stone-Manning",
        "Chief",
        id="and-title-of-body-then-holder",
    ),
    pytest.param(
        # the NER reads this name as a body's
        "The memorial was restored last year, a deputy prime minister of the region, Kanat Omarov, said.",
        "Kanat Omarov",
        "Deputy Prime Minister",
        id="an-office-then-a-name-after-a-comma",
    ),
    pytest.param(
        "Under the plan, said Tomasz Wrona, head of the parliamentary commission on restitution, claims will be filed.",
        "Tomasz Wrona",
        "Head",
        id="head-of-a-state-body",
    ),
    pytest.param(
        "Among the guests were Air Marshal Sir Colin Reid - head of the Armed Forces - and two veterans.",
        "Colin Reid",
        "Head",
        id="an-office-after-a-dash",
    ),
]


@pytest.mark.parametrize(("text", "name", "role"), TITLES_AT_LENGTH)
def test_titles_written_out_at_length_name_their_holders(
    text: str, name: str, role: str, nlp: Language, gaz: Gazetteer
) -> None:
    """Officials' titles as official releases and state media write them: a body's name at length, the
    title and its body before the holder, an office before a comma, "head of" a state body."""
    p = person(run(text, "2023-05-30", nlp, gaz), name)
    assert role in {o.role for o in p.offices}
    assert p.leader


def test_the_head_of_a_civil_body_holds_no_office(nlp: Language, gaz: Gazetteer) -> None:
    """ "head of" a council of a people or a family names no state office."""
    x = run(
        '"We remember them all," said Marek Duda, the head of the Council of Silesian Roma, on Sunday.',
        "2023-08-02",
        nlp,
        gaz,
    )
    assert not person(x, "Marek Duda").leader


def test_a_body_the_ner_read_whole_is_no_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "Chief of the National Wildlife Refuge System": the end of a body's name is no person."""
    x = run("Chief of the National Park Service System, Ana Lind, and veterans laid wreaths.", "2023-06-07", nlp, gaz)
    assert [p.ref.name for p in x.people] == ["Ana Lind"]


def test_a_leader_called_only_a_head_of_state_holds_the_office_of_that_year(nlp: Language, gaz: Gazetteer) -> None:
    """ "the heads of state of Gambia, Adama Barrow, and ...": the gazetteer's office for the year, with its
    country, not a bare "Head" of nowhere."""
    x = run(
        "Among the guests were the heads of state of Gambia, Adama Barrow, and of Liberia, who laid wreaths.",
        "2024-12-01",
        nlp,
        gaz,
    )
    p = person(x, "Adama Barrow")
    assert {(o.role, o.country.name if o.country else None) for o in p.offices} == {("President", "Gambia")}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the NER sees no name here, or only its end ("Kumar Pillai"); the age says where the name runs
        (
            'Recruit (Rec) Hana Osman, 22, said: "It is an honour to stand here."\n\n'
            "Rec Arjun Sunil Mehta, 19, who received his rifle on Saturday, said that he was proud.",
            "Arjun Sunil Mehta",
        ),
        ("Rec Ashwin Kumar Pillai, 19, who received his rifle on Saturday, was proud.", "Ashwin Kumar Pillai"),
        # a caption line above makes the NER read the name as a body's; the home town says it is a person's
        (
            "The dawn service drew about 1,000 people.\n\nMaree Colquhoun\n\n"
            'Maree Colquhoun, from the Sunshine Coast, said she "wept" during the service.',
            "Maree Colquhoun",
        ),
    ],
)
def test_an_age_or_a_home_town_after_a_name_makes_it_a_persons(
    text: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    x = run(text, "2022-02-15", nlp, gaz)
    assert name in {p.ref.name for p in x.people}, [p.ref.name for p in x.people]


def test_a_title_abbreviated_in_brackets_is_no_mention(nlp: Language, gaz: Gazetteer) -> None:
    """ "Recruit (Rec) Hana Osman": "Rec" opens "Rec Ravi Sunil Kumaran" further on, yet names no one here."""
    x = run(
        "Minister Edwin Lau was guest of honour.\n\n"
        'Recruit (Rec) Hana Osman, 22, said: "It is an honour to stand here."'
        "\n\nRec Ravi Sunil Kumaran, 19, who received his rifle on Saturday, said that he was proud.",
        "2022-02-15",
        nlp,
        gaz,
    )
    assert [(q.speaker.name if q.speaker else None) for q in x.quotes if q.direct] == ["Hana Osman"]


def test_a_title_opening_the_next_sentence_is_the_office_of_the_person_named_before(
    nlp: Language, gaz: Gazetteer
) -> None:
    """ "Ivana Horvat headed a delegation ... The Croatian minister of veterans' affairs said": the text gave
    her no office before, and the title that opens the next sentence is hers."""
    text = (
        "Ivana Horvat on Wednesday headed a delegation that laid wreaths at the memorial.\n\n"
        "The Croatian minister of veterans' affairs said after the ceremony that the city had been bombed "
        "without warning."
    )
    p = person(run(text, "2019-04-06", nlp, gaz), "Ivana Horvat")
    assert [(o.role, o.country.name if o.country else None) for o in p.offices] == [("Minister", "Croatia")]
    assert p.leader


@pytest.mark.parametrize("name", ["Fergus Charles Edward Lyall", "Hugo James Pemberton", "Dominic James Hale"])
def test_a_given_name_the_ner_left_out_after_a_title_and_a_comma_is_the_names_start(
    name: str, nlp: Language, gaz: Gazetteer
) -> None:
    """ "British High Commissioner to Kenya, Fergus Charles Edward Lyall said": the NER reads
    "Charles Edward Lyall"; the parse holds "Fergus" in the name, and the title is the whole name's."""
    x = run(
        '"Reconciliation is only possible through dedicated efforts by us all." British High Commissioner '
        f'to Kenya, {name} said, "We are here to remember the soldiers who lost their lives."',
        "2019-04-10",
        nlp,
        gaz,
    )
    p = person(x, name)
    assert [(o.role, o.country.name if o.country else None) for o in p.offices] == [
        ("High Commissioner", "United Kingdom")
    ]
    assert [q.speaker.name if q.speaker else None for q in x.quotes if q.direct] == [name]


def test_a_rank_before_a_name_is_no_given_name(nlp: Language, gaz: Gazetteer) -> None:
    """ "..., Lieutenant James Pemberton said": a rank stands where a given name would, and is none."""
    x = run("Wreaths were laid at the cemetery on Sunday, Lieutenant James Pemberton said.", "2019-04-10", nlp, gaz)
    assert "Lieutenant James Pemberton" not in {p.ref.name for p in x.people}


@pytest.mark.parametrize(
    ("title", "role", "country"),
    [
        (
            "Chairman of the National Committee of the Chinese People's Political Consultative Conference (CPPCC)",
            "Chairman",
            "China",
        ),
        ("Vice Chairman of the Standing Committee of the National People's Congress", "Vice Chairman", None),
    ],
)
def test_a_body_of_state_named_with_a_civil_bodys_word_is_a_state_office(
    title: str, role: str, country: str | None, nlp: Language, gaz: Gazetteer
) -> None:
    """A congress or a conference is mostly a civil body, whose head holds no state office; the
    People's Congress and the Political Consultative Conference are bodies of state."""
    x = run(
        f"Wreaths were laid at the memorial hall in Nanjing on Wednesday. {title} Gao Ruilin, "
        "who spoke at the ceremony, said the victims would never be forgotten.",
        "2019-12-13",
        nlp,
        gaz,
    )
    p = person(x, "Gao Ruilin")
    assert [(o.role, o.country.name if o.country else None) for o in p.offices] == [(role, country)]


def test_a_title_that_opens_a_name_is_no_monarch(nlp: Language, gaz: Gazetteer) -> None:
    """ "a veteran of the Queen’s Own Rifles" names a regiment, not the Queen; "the Queen laid a wreath" is her."""
    regiment = run(
        "At the cemetery near Caen, Tom Hale, a veteran of the Queen’s Own Rifles, saluted the graves.",
        "2009-06-06",
        nlp,
        gaz,
    )
    assert "Elizabeth II" not in {p.ref.name for p in regiment.people}
    monarch = run("At the Cenotaph on Sunday the Queen laid a wreath.", "2009-11-08", nlp, gaz)
    assert "Elizabeth II" in {p.ref.name for p in monarch.people}


@pytest.mark.parametrize(
    ("published", "name"),
    [("2021-11-20", "Angela Merkel"), ("2021-12-20", "Olaf Scholz"), ("2025-05-01", "Olaf Scholz")],
)
def test_the_chancellor_is_whoever_held_the_office_that_day(
    published: str, name: str, nlp: Language, gaz: Gazetteer
) -> None:
    text = "Germany remembered the victims of the war. The Chancellor laid a wreath at the Neue Wache in Berlin."
    assert name in {p.ref.name for p in run(text, published, nlp, gaz).people}


def test_japan_s_chief_cabinet_secretary_is_an_office(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Japan's chief cabinet secretary Taro Sasaki said the shrine visit was private. "
        '"We pray for peace," Sasaki said.'
    )
    people = {p.ref.name: p for p in run(text, "2024-08-15", nlp, gaz).people}
    offices = [(o.role, o.country and o.country.name) for o in people["Taro Sasaki"].offices]
    assert ("Chief Cabinet Secretary", "Japan") in offices


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Labour leader Ann Hollis laid a wreath at the Cenotaph on Sunday.", "Ann Hollis", "Party Leader"),
        ("Israel's Health Minister Dan Levi attended the ceremony on Monday.", "Dan Levi", "Health Minister"),
        ("Secretary of the Navy Paul Reyes spoke at the memorial on Monday.", "Paul Reyes", "Secretary of the Navy"),
    ],
)
def test_party_leaders_and_ministers_named_by_portfolio_hold_offices(
    text: str, name: str, role: str, nlp: Language, gaz: Gazetteer
) -> None:
    people = {p.ref.name: p for p in run(text, "2022-11-14", nlp, gaz).people}
    assert role in [o.role for o in people[name].offices]


def test_a_rebel_leader_holds_no_office(nlp: Language, gaz: Gazetteer) -> None:
    people = {p.ref.name: p for p in run("Rebel leader Omar Said did not attend.", "2022-11-14", nlp, gaz).people}
    assert all(not p.offices for p in people.values())


def test_a_name_after_a_title_ends_at_the_full_stop(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "The minister laid a wreath at the memorial, accompanied by Chief of Army Staff General Manoj Pande. "
        "Later, he flew to Kohima."
    )
    names = [p.ref.name for p in run(text, "2024-04-04", nlp, gaz).people]
    assert "Manoj Pande" in names and not any("." in name for name in names)


def test_a_surname_after_a_given_name_and_nickname_is_that_person_s(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        'The last surviving member of the raid, Squadron Leader George "Johnny" Johnson, has died aged 101. '
        "Johnson was a bomb aimer on one of the Lancasters."
    )
    x = run(text, "2022-12-08", nlp, gaz)
    assert [p.ref.name for p in x.people if "Johnson" in p.ref.name] == ["George Johnson"]
    assert not [p for p in x.people if p.leader]


def test_a_leader_named_only_as_whom_a_statue_honours_takes_part_in_nothing(nlp: Language, gaz: Gazetteer) -> None:
    text = (
        "Ambassadors laid wreaths on Sunday at the foot of the bronze statues of Gen. Douglas MacArthur and "
        "President Sergio Osmeña."
    )
    assert not [p.ref.name for p in run(text, "2024-10-20", nlp, gaz).people if p.leader]


def test_a_title_opening_a_name_is_no_title_holder(nlp: Language, gaz: Gazetteer) -> None:
    text = "Veterans met on Sunday near the Queen Mary hospital to remember the fallen."
    assert [p.ref.name for p in run(text, "2015-06-06", nlp, gaz).people if p.leader] == []


def test_a_name_written_family_name_first_links_to_its_holder(nlp: Language, gaz: Gazetteer) -> None:
    text = "Prime Minister Ishiba Shigeru sent a message to the ceremony in Jakarta on Sunday."
    known = gaz.lookup("Shigeru Ishiba", "person")
    assert known, "the gazetteer holds the prime minister"
    linked = {p.ref.wikidata for p in run(text, "2024-12-01", nlp, gaz).people}
    assert known[0].wikidata in linked


def test_a_portfolio_the_parse_ran_into_the_name_is_still_the_title(nlp: Language, gaz: Gazetteer) -> None:
    text = "Britain's Minister for Veterans Al Carns attended the ceremony on Thursday."
    leaders = {p.ref.name for p in run(text, "2025-06-19", nlp, gaz).people if p.leader}
    assert leaders == {"Al Carns"}


@pytest.mark.parametrize(
    ("text", "role", "country"),
    [
        ("The Kremlin chief watched the parade on Red Square.", "President", "Russia"),
        ("The French president laid a wreath at the memorial.", "President", "France"),
    ],
)
def test_an_office_named_with_its_country_is_its_holder_that_day(
    text: str, role: str, country: str, nlp: Language, gaz: Gazetteer
) -> None:
    day = date(2024, 5, 9)
    holders = gaz.holders(role, day, country)
    assert len(holders) == 1, "the gazetteer holds one holder that day"
    leaders = [p for p in run(text, day.isoformat(), nlp, gaz).people if p.leader]
    assert [p.ref.wikidata for p in leaders] == [holders[0][0].wikidata]


def test_a_title_alone_is_named_by_its_holder_not_by_the_title(nlp: Language, gaz: Gazetteer) -> None:
    day = date(2024, 6, 1)
    holder = gaz.holders("Pope", day, None)[0][0]
    x = run("The Pope prayed for the victims of the war.", day.isoformat(), nlp, gaz)
    assert [(p.ref.name, p.written) for p in x.people] == [(holder.name, None)]


def test_an_office_before_a_rank_and_name_is_the_office(nlp: Language, gaz: Gazetteer) -> None:
    """ "the Lieutenant Governor, Vice Admiral Richard Cripwell": the office, not the rank, makes him
    an official at the parade."""
    text = "In Guernsey, the Lieutenant Governor, Vice Admiral Richard Cripwell, took the salute at a parade."
    cripwell = person(run(text, "2025-05-09", nlp, gaz), "Richard Cripwell")
    assert cripwell.leader and [o.role for o in cripwell.offices][:1] == ["Lieutenant Governor"]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Veterans Affairs Secretary Raymundo Elefante said a dozen veterans remain.", "Raymundo Elefante",
         "Veterans Affairs Secretary"),
        ("Navy Secretary Carlos Del Toro spoke at the memorial.", "Carlos Del Toro", "Navy Secretary"),
    ],
)  # fmt: skip
def test_a_secretary_named_by_portfolio_is_an_official(
    text: str, name: str, role: str, nlp: Language, gaz: Gazetteer
) -> None:
    p = person(run(text, "2025-04-09", nlp, gaz), name)
    assert p.leader and [o.role for o in p.offices][:1] == [role]
