"""How the harness compares answers: blank nodes, numeric forms, order, CSV (``tests/w3c/results.py``)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .results import Solutions, compare, read_answer

EX = "http://example.org/"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes


def table(*rows: Mapping[str, Node]) -> Solutions:
    return Solutions(frozenset(k for row in rows for k in row), tuple(dict(row) for row in rows))


def test_solutions_match_as_a_multiset() -> None:
    """Row order does not matter without ORDER BY, but how often a row occurs does."""
    a, b = {"x": URIRef(EX + "a")}, {"x": URIRef(EX + "b")}
    assert compare(table(a, b, a), table(a, a, b)) is None
    assert compare(table(a, b, b), table(a, a, b)) is not None


def test_blank_nodes_match_up_to_a_bijection() -> None:
    """Labels are free, but one expected blank node maps to one answered blank node everywhere."""
    expected = table({"x": BNode("b0"), "y": BNode("b0")}, {"x": BNode("b1"), "y": BNode("b2")})
    renamed = table({"x": BNode("q"), "y": BNode("r")}, {"x": BNode("z"), "y": BNode("z")})
    merged = table({"x": BNode("z"), "y": BNode("z")}, {"x": BNode("z"), "y": BNode("r")})
    assert compare(expected, renamed) is None
    assert compare(expected, merged) is not None


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (Literal("2.0", datatype=XSD.decimal), Literal("2", datatype=XSD.decimal), True),
        (Literal("1.0E6", datatype=XSD.double), Literal("1000000", datatype=XSD.double), True),
        (Literal("2", datatype=XSD.integer), Literal("2.0", datatype=XSD.decimal), False),
        (Literal("x"), Literal("x", datatype=XSD.string), True),
        (Literal("x", lang="en"), Literal("x"), False),
        (Literal("NaN", datatype=XSD.double), Literal("NaN", datatype=XSD.double), True),
    ],
)
def test_literals_match_by_term_or_numeric_value(expected: Literal, actual: Literal, same: bool) -> None:
    """A numeric literal matches another of its datatype and value; everything else matches as a term."""
    assert (compare(table({"x": expected}), table({"x": actual})) is None) is same


def test_order_by_keys_must_come_in_order() -> None:
    """With ORDER BY ?k the sort keys must come in the expected order; ties may come in any order."""
    rows = [
        {"k": Literal(1), "v": Literal("a")},
        {"k": Literal(1), "v": Literal("b")},
        {"k": Literal(2), "v": Literal("c")},
    ]
    assert compare(table(*rows), table(rows[1], rows[0], rows[2]), order_by=["k"]) is None
    assert compare(table(*rows), table(rows[2], rows[0], rows[1]), order_by=["k"]) is not None


def test_csv_is_compared_as_text_with_numbers_by_value() -> None:
    """CSV has no types: cells are strings, numbers equal by value, blank nodes up to a bijection."""
    expected = read_answer(b"s,o\r\nhttp://example.org/s,1.0E6\r\n_:b0,x\r\n", "text/csv")
    actual = read_answer(b"s,o\r\nhttp://example.org/s,1000000\r\n_:zz,x\r\n", "text/csv")
    other = read_answer(b"s,o\r\nhttp://example.org/s,1000001\r\n_:zz,x\r\n", "text/csv")
    assert compare(expected, actual) is None
    assert compare(expected, other) is not None


def test_graphs_match_up_to_isomorphism() -> None:
    """CONSTRUCT answers match when the graphs are isomorphic, whatever the blank node labels."""
    expected = Graph().parse(data="_:a <http://example.org/p> _:b . _:b <http://example.org/p> 1 .", format="turtle")
    actual = Graph().parse(data="_:x <http://example.org/p> _:y . _:y <http://example.org/p> 1 .", format="turtle")
    assert compare(expected, actual) is None
    actual.add((BNode(), URIRef(EX + "p"), Literal(2)))
    assert compare(expected, actual) is not None
