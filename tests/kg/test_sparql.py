"""kg.sparql: one way of binding values into query text, with or without #@bind markers."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError
from kg.sparql import bind, is_graph_query, prepare


def test_a_query_without_a_marker_gets_values_first_in_its_where_group() -> None:
    """No #@bind: the VALUES block opens the outer WHERE group, so filters and joins see it."""
    text = bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("urn:x"), "o": Literal('say "hi"')})
    assert text == 'SELECT ?s WHERE { VALUES (?s ?o) { (<urn:x> "say \\"hi\\"") }\n ?s ?p ?o }'


def test_markers_take_the_values_and_unbound_parameters_are_left_out() -> None:
    """With #@bind markers every marked group gets the block; a None binding is not bound at all."""
    text = prepare("api_leaders", {"argName": Literal("Putin"), "argRole": None})
    assert 'VALUES (?argName) { ("Putin") }' in text and "#?argRole " in text


def test_a_tuple_of_values_is_a_values_row_each() -> None:
    """A parameter bound to a tuple takes each value in order, the others beside it; none for ()."""
    text = bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("urn:x"), "o": (Literal("a"), Literal("b"))})
    assert 'VALUES (?s ?o) { (<urn:x> "a") (<urn:x> "b") }' in text
    assert "VALUES (?o) {  }" in bind("SELECT ?s WHERE { ?s ?p ?o }", {"o": ()})
    with pytest.raises(QueryError):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": (URIRef("urn:x"),), "o": (Literal("a"),)})


@pytest.mark.parametrize("value", [URIRef("not an iri"), URIRef("relative/path"), BNode("b1"), 7])
def test_unsafe_values_are_query_errors(value: object) -> None:
    """What cannot be written as a safe N-Triples term is refused before any query runs."""
    with pytest.raises(QueryError):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": value})  # type: ignore[dict-item]


def test_a_query_without_a_where_group_cannot_be_bound() -> None:
    """Nowhere to put the block: a QueryError, not a query that silently ignores the value."""
    with pytest.raises(QueryError):
        bind("DROP ALL", {"s": URIRef("urn:x")})


@pytest.mark.parametrize(
    ("text", "graph"),
    [
        ("PREFIX a: <urn:a#>\n# a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("describe <urn:x>", True),
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("ASK { }", False),
    ],
)
def test_graph_queries_are_told_from_solution_queries(text: str, graph: bool) -> None:
    """CONSTRUCT and DESCRIBE (after any prologue) answer graphs; SELECT and ASK solutions."""
    assert is_graph_query(text) is graph


def test_a_prepared_query_is_made_once_and_each_binding_written_as_it_is() -> None:
    """``prepare`` keeps each text it made: asked again it gives the same text, and values that differ
    only in how they are written (a lexical form, a datatype, a language, an IRI for a literal) each
    their own, as ``bind`` writes them."""
    from rdflib.namespace import XSD

    from kg.sparql import load_query

    values = [
        Literal("1", datatype=XSD.integer),
        Literal("01", datatype=XSD.integer, normalize=False),
        Literal("1"),
        Literal("1", lang="en"),
        Literal("1", datatype=XSD.string),
        URIRef("urn:x:1"),
        (Literal("1"), Literal("2")),
    ]
    texts = set()
    for value in values:
        text = prepare("api_timeline_page", {"date": value, "argListed": None}, lateral=True)
        assert text == bind(load_query("api_timeline_page"), {"date": value, "argListed": None}, lateral=True)
        assert prepare("api_timeline_page", {"date": value, "argListed": None}, lateral=True) is text
        texts.add(text)
    assert len(texts) == len(values)
    with pytest.raises(QueryError):
        prepare("api_timeline_page", {"date": "1920"})  # type: ignore[dict-item]  # not a term
