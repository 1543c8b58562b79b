"""SHACL validation (kg/validate.py): the same verdicts and messages as pyshacl on the whole shapes, faster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import RDF, Graph, Literal, Namespace

from kg.articles import make_article
from kg.extract import extract
from kg.mapping import to_graph
from kg.validate import Report, shapes, validate_graph

OA = Namespace("http://www.w3.org/ns/oa#")
WWII = Namespace("https://w3id.org/wwiikg/ontology#")
TEXT = (
    "Russian President Vladimir Putin watched a military parade on Red Square on Friday to mark the 80th "
    "anniversary of the Soviet victory over Nazi Germany. The Soviet Union lost about 27 million people in "
    'the war. "We will never forget," Putin said.'
)


def pyshacl_alone(graph: Graph) -> Report:
    """What pyshacl says with the whole shapes file, SHACL-SPARQL included (the slow way)."""
    from pyshacl import validate

    conforms, results, _ = validate(graph, shacl_graph=shapes(), inference="none", advanced=True)
    sh = Namespace("http://www.w3.org/ns/shacl#")
    messages = [
        f"{results.value(r, sh.focusNode)}: {results.value(r, sh.resultMessage)}"  # type: ignore[union-attr]
        for r in results.subjects(sh.resultSeverity, None)  # type: ignore[union-attr]
    ]
    return Report(str(graph.identifier), bool(conforms), tuple(sorted(messages)))


@pytest.fixture(scope="module")
def article_graph() -> Graph:
    return to_graph(extract(make_article(TEXT, title="Parade", published="2025-05-09")))


@pytest.fixture
def broken(article_graph: Graph) -> Iterator[Graph]:
    """The article graph with one evidence text changed and one event given a second type class."""
    graph = Graph(identifier=article_graph.identifier)
    for triple in article_graph:
        graph.add(triple)
    evidence = next(iter(graph.subjects(OA.exact, None)))
    graph.set((evidence, OA.exact, Literal("words the article never had")))
    event = next(iter(graph.subjects(WWII.eventType, None)))
    graph.add((event, RDF.type, WWII.Battle))
    yield graph


def test_a_sound_article_graph_conforms(article_graph: Graph) -> None:
    """An extracted article graph conforms, as pyshacl on the whole shapes also says."""
    report = validate_graph(article_graph)
    assert report.conforms and report.messages == ()
    assert pyshacl_alone(article_graph).conforms


def test_broken_graph_gets_the_messages_pyshacl_gives(broken: Graph) -> None:
    """A wrong oa:exact and a second event type class: the same messages, word for word, as pyshacl alone."""
    report = validate_graph(broken)
    assert not report.conforms
    assert report.messages == pyshacl_alone(broken).messages
    wrong = [m for m in report.messages if "words the article never had" in m]
    assert wrong and "is not the text of schema:articleBody" in wrong[0]
    assert any("more than one event type class" in m for m in report.messages)
