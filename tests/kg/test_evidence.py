"""Evidence in the graph: on sample articles of every input format, each fact's evidence selector
(``oa:start``, ``oa:end``, ``oa:exact``) points at exactly that text of the ``schema:articleBody``.

Runs the whole extractor (spaCy pipeline + gazetteer, loaded once per session) and ``kg.mapping``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from spacy.language import Language

import kg.articles
import kg.extract
import kg.gazetteer
import kg.mapping
import kg.nlp
from kg.gazetteer import Gazetteer
from kg.namespaces import OA, SCHEMA, WWII

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
SAMPLES = [
    "01_moscow-parade-2010-nato.txt",
    "02_moscow-parade-2015-xi.md",
    "03_moscow-parade-2025-80th.json",
    "04_beijing-parade-2015.html",
    "14_katyn-and-babi-yar.jsonl",
]
NS = {"oa": OA, "schema": SCHEMA, "wwii": WWII}
# every kind of fact the graph states, and the predicate that ties it to its evidence
FACT_EVIDENCE = """
SELECT ?fact ?ev ?start ?end ?exact WHERE {
  { ?fact wwii:evidence ?ev } UNION { ?fact wwii:mention ?ev }
  ?ev oa:start ?start ; oa:end ?end ; oa:exact ?exact .
}
"""
WITHOUT_EVIDENCE = """
SELECT ?fact WHERE {
  ?fact a ?cls .
  FILTER NOT EXISTS { ?fact wwii:evidence ?ev }
}
"""


@pytest.fixture(scope="module")
def graphs(nlp: Language, gaz: Gazetteer) -> dict[str, list[tuple[kg.articles.Article, Graph]]]:
    """Each sample file's articles with their graphs, extracted once for the module."""
    out = {}
    for name in SAMPLES:
        articles = kg.articles.read_articles(ARTICLES / name)
        out[name] = [(a, kg.mapping.to_graph(kg.extract.extract(a, nlp, gaz))) for a in articles]
    return out


def body_of(g: Graph) -> str:
    bodies = list(g.objects(None, SCHEMA.articleBody))
    assert len(bodies) == 1
    return str(bodies[0])


@pytest.mark.parametrize("name", SAMPLES)
def test_every_evidence_span_is_the_body_between_its_offsets(name: str, graphs: dict) -> None:
    """For every fact in the graph, articleBody[oa:start:oa:end] == oa:exact."""
    for article, g in graphs[name]:
        body = body_of(g)
        assert body == article.text
        rows = list(g.query(FACT_EVIDENCE, initNs=NS))
        assert len(rows) > 10
        bad = [
            (str(r.fact), int(r.start), int(r.end), str(r.exact), body[int(r.start) : int(r.end)])
            for r in rows
            if body[int(r.start) : int(r.end)] != str(r.exact)
        ]
        assert bad == []


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize(
    "cls",
    [WWII.Event, WWII.CasualtyFigure, WWII.Quotation, WWII.Office, WWII.TemporalExpression],
    ids=["event", "figure", "quote", "office", "time"],
)
def test_every_fact_has_evidence(name: str, cls: URIRef, graphs: dict) -> None:
    """No event, figure, quote, office or date reaches the graph without an evidence span."""
    for _article, g in graphs[name]:
        missing = list(g.query(WITHOUT_EVIDENCE, initNs=NS, initBindings={"cls": cls}))
        assert missing == []


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_yield_facts_of_each_kind(name: str, graphs: dict) -> None:
    """Each sample gives people, events and dates, so the span checks above are not vacuous."""
    for _article, g in graphs[name]:
        for cls in (WWII.Person, WWII.Event, WWII.TemporalExpression):
            assert next(g.subjects(RDF.type, cls), None) is not None, cls
