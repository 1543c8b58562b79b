"""/sparql over the ``sparql:`` backend (a real ``oxigraph serve`` behind the API), through rdflib."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import httpx
import pytest
from apisample import ASK_NOBODY, ASK_PUTIN, EVENTS_QUERY, LABELS_CONSTRUCT, LEADERS_QUERY, Served
from rdflib import Graph

from kg.mapping import article_iri

pytestmark = pytest.mark.server

SRX = "{http://www.w3.org/2005/sparql-results#}"


def test_health_names_the_sparql_backend(remote_api: Served) -> None:
    """/health over a remote store says store=sparql and counts both articles."""
    assert httpx.get(f"{remote_api.base}/health").json() == {"status": "ok", "store": "sparql", "articles": 2}


def test_select_json(remote_api: Served) -> None:
    """A SELECT answers SPARQL JSON with both leaders."""
    response = httpx.get(remote_api.sparql, params={"query": LEADERS_QUERY})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Emmanuel Macron", "Vladimir Putin"]


def test_select_xml_csv_tsv(remote_api: Served) -> None:
    """The same SELECT parses as XML, and has 1 header + 4 lines as CSV and as TSV."""
    get = lambda accept: httpx.get(remote_api.sparql, params={"query": EVENTS_QUERY}, headers={"Accept": accept})  # noqa: E731
    root = ET.fromstring(get("application/sparql-results+xml").content)
    assert len(root.findall(f"{SRX}results/{SRX}result")) == 4
    assert len(list(csv.reader(io.StringIO(get("text/csv").text)))) == 5
    tsv = get("text/tab-separated-values").text.strip().splitlines()
    assert tsv[0].split("\t") == ["?event", "?label", "?date"]
    assert len(tsv) == 5


def test_ask(remote_api: Served) -> None:
    """ASK answers true and false as SPARQL JSON booleans."""
    assert httpx.get(remote_api.sparql, params={"query": ASK_PUTIN}).json()["boolean"] is True
    assert httpx.post(remote_api.sparql, data={"query": ASK_NOBODY}).json()["boolean"] is False


def test_update_is_403_and_changes_nothing(remote_api: Served) -> None:
    """DROP ALL sent to /sparql is 403 and both articles are still there."""
    response = httpx.post(remote_api.sparql, data={"query": "DROP ALL"})
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403
    assert httpx.get(f"{remote_api.base}/health").json()["articles"] == 2


def test_service_and_malformed_are_400(remote_api: Served) -> None:
    """SERVICE and a syntax error are refused with 400 before the server sees them."""
    service = httpx.get(remote_api.sparql, params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert service.status_code == 400
    malformed = httpx.get(remote_api.sparql, params={"query": "SELECT * WHERE {"})
    assert malformed.status_code == 400
    assert malformed.json()["error"]["detail"].startswith("malformed SPARQL")


def test_dataset_parameters_not_supported_yet(remote_api: Served) -> None:
    """default-graph-uri on the remote backend is a clear 400 for now."""
    response = httpx.get(
        remote_api.sparql, params={"query": LEADERS_QUERY, "default-graph-uri": str(article_iri("a1b2c3d4e5f60718"))}
    )
    assert response.status_code == 400
    assert "not supported" in response.json()["error"]["detail"]


def test_construct_turtle(remote_api: Served) -> None:
    """A CONSTRUCT answers Turtle with the 5 event labels."""
    response = httpx.get(remote_api.sparql, params={"query": LABELS_CONSTRUCT})
    assert response.status_code == 200, response.text
    assert len(Graph().parse(data=response.text, format="turtle")) == 5
