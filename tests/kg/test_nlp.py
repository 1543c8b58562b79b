"""The pipeline's gazetteer matching: names found whole and typed, whichever way their accents are written."""

from __future__ import annotations

import pytest
from spacy.language import Language

import kg.articles
import kg.extract
from kg.gazetteer import Gazetteer
from kg.nlp import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguéma", "Nguema"),
        ("Vučić", "Vucic"),
        ("Wałęsa", "Walesa"),
        ("Bełżec", "Belzec"),
        ("Straße", "Straße"),  # ß is two letters in ASCII: kept, so offsets still hold
        ("Red Square", "Red Square"),
    ],
)
def test_fold_drops_accents_one_character_for_one(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # the gazetteer writes "Nguema"; the model alone reads the accented name as an organisation
        ("Gabon's delegation was led by Brice Oligui Nguéma.", "Brice Oligui Nguéma", "PERSON"),
        # the gazetteer writes "Würzburg"; the text drops the accent, and the model reads no event
        ("The Bombing of Wurzburg was remembered on Sunday.", "Bombing of Wurzburg", "EVENT"),
    ],
)
def test_gazetteer_names_match_whatever_their_accents(nlp: Language, text: str, name: str, label: str) -> None:
    ents = {(e.text, e.label_) for e in nlp(text).ents}
    assert (name, label) in ents, ents


def test_a_leader_spelled_with_other_accents_keeps_the_gazetteer_office(nlp: Language, gaz: Gazetteer) -> None:
    text = "Gabon's delegation was led by Brice Oligui Nguéma, who laid a wreath at the memorial."
    x = kg.extract.extract(kg.articles.make_article(text, published="2024-12-01"), nlp, gaz)
    found = [p for p in x.people if "Oligui Nguema" in p.ref.name]  # the gazetteer's name for him
    assert len(found) == 1, [p.ref.name for p in x.people]
    offices = {(o.role, o.country.name if o.country else None) for o in found[0].offices}
    assert ("President", "Gabon") in offices
