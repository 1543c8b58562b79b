"""kg/mapping.py: ``to_triples`` (what ingest serialises) and ``to_graph`` are one mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.articles import make_article, read_article
from kg.extract import extract
from kg.gazetteer import Gazetteer
from kg.mapping import article_iri, to_graph, to_triples
from kg.namespaces import WWII
from kg.report import article_report
from kg.store import Store, prepare
from kg.validate import validate_graph

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"


@pytest.mark.parametrize("name", ["05_d-day-80th-2024.txt", "03_moscow-parade-2025-80th.json"])
def test_to_triples_are_the_triples_of_to_graph(name: str, nlp: Language, gaz: Gazetteer) -> None:
    """The same name, the same triples, none twice; prepared either way, the store holds the same quads."""
    article = read_article(SAMPLES / name)
    extraction = extract(article, nlp, gaz)
    graph = to_graph(extraction)
    iri, triples = to_triples(extraction)
    assert iri == graph.identifier == article_iri(article)
    assert len(triples) == len(set(triples)) == len(graph)
    assert set(triples) == set(graph)
    stored = []
    for prepared in (prepare(graph), prepare((iri, triples))):
        assert prepared.triples == len(graph)
        with Store("memory:") as store:
            store.put_prepared(prepared)
            stored.append(set(store.quads()))
    assert stored[0] == stored[1]


def test_a_place_keeps_the_name_the_article_gives_it(nlp: Language, gaz: Gazetteer) -> None:
    """ "the siege of Leningrad" is placed in Saint Petersburg (its Wikidata ID) and reported as
    "Leningrad"; a place written as it is named gets no second name."""
    text = (
        "On Sunday Russia marked 75 years since the end of the World War II siege of Leningrad. "
        "Putin laid flowers at a cemetery in Moscow."
    )
    article = make_article(text, published="2019-01-28")
    graph = to_graph(extract(article, nlp, gaz))
    with Store("memory:") as store:
        store.put_article(graph)
        events = article_report(store, article_iri(article)).events
    places = {e.label: e.place.written or e.place.name for e in events if e.place is not None}
    assert places["World War II siege of Leningrad"] == "Leningrad"
    assert any(place == "Moscow" for place in places.values())
    written = {str(o) for o in graph.objects(None, WWII.placeName)}
    assert written == {"Leningrad"}
    assert validate_graph(graph).conforms
