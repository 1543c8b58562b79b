"""kg/mapping.py: ``to_triples`` (what ingest serialises) and ``to_graph`` are one mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kg.articles import read_article
from kg.extract import extract
from kg.gazetteer import Gazetteer
from kg.mapping import article_iri, to_graph, to_triples
from kg.store import Store, prepare

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
