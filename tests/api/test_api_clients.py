"""Off-the-shelf SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) work against /sparql."""

from __future__ import annotations

from typing import Any

import pytest
from apisample import ASK_PUTIN, EVENTS_QUERY, LABELS_CONSTRUCT, LEADERS_QUERY, Served
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper


def test_sparqlwrapper_select_json(api: Served) -> None:
    """SPARQLWrapper's SELECT with JSON return format gets both leaders."""
    client = SPARQLWrapper(api.sparql)
    client.setQuery(LEADERS_QUERY)
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Emmanuel Macron", "Vladimir Putin"]


def test_sparqlwrapper_ask_by_post(api: Served) -> None:
    """SPARQLWrapper's ASK sent by POST answers true."""
    client = SPARQLWrapper(api.sparql)
    client.setQuery(ASK_PUTIN)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    assert result["boolean"] is True


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select(api: Served, method: str) -> None:
    """rdflib's Graph(store=SPARQLStore(url)).query() returns the 4 event rows, by GET, POST and form POST."""
    graph = Graph(store=SPARQLStore(api.sparql, method=method))
    rows = list(graph.query(EVENTS_QUERY))
    assert [str(row.label) for row in rows] == [  # type: ignore[union-attr]
        "Normandy landings",
        "German surrender",
        "D-Day anniversary ceremony",
        "Victory Day parade",
    ]


def test_rdflib_sparqlstore_construct(api: Served) -> None:
    """rdflib's SPARQLStore gets a CONSTRUCT back as a graph of the 5 event labels."""
    result = Graph(store=SPARQLStore(api.sparql)).query(LABELS_CONSTRUCT)
    assert result.graph is not None
    assert len(result.graph) == 5
    assert Literal("Débarquement de Normandie", lang="fr") in set(result.graph.objects())
