"""The SPARQL 1.1 Protocol on /sparql: request forms, result formats, datasets, service description."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from apisample import (
    ASK_NOBODY,
    ASK_PUTIN,
    D_DAY,
    EVENTS_QUERY,
    LABELS_CONSTRUCT,
    LEADERS_QUERY,
    PREFIXES,
    VICTORY_DAY,
    Served,
)
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.listing import VIEWS, listing_name
from kg.mapping import article_iri

SRX = "{http://www.w3.org/2005/sparql-results#}"
SD = "http://www.w3.org/ns/sparql-service-description#"


def _labels(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return [b["label"]["value"] for b in response.json()["results"]["bindings"]]


EVENT_LABELS = ["Normandy landings", "German surrender", "D-Day anniversary ceremony", "Victory Day parade"]


def test_get_query_returns_json_results_by_default(api: Served) -> None:
    """GET ?query= answers SPARQL JSON with the 4 dated events, oldest first."""
    assert _labels(httpx.get(api.sparql, params={"query": EVENTS_QUERY})) == EVENT_LABELS


def test_post_form_query(api: Served) -> None:
    """POST application/x-www-form-urlencoded query= gives the same rows as GET."""
    assert _labels(httpx.post(api.sparql, data={"query": EVENTS_QUERY})) == EVENT_LABELS


def test_post_sparql_query_body(api: Served) -> None:
    """POST application/sparql-query with the raw query as body gives the same rows as GET."""
    response = httpx.post(
        api.sparql, content=EVENTS_QUERY.encode(), headers={"Content-Type": "application/sparql-query; charset=utf-8"}
    )
    assert _labels(response) == EVENT_LABELS


def test_default_graph_is_the_union_of_article_graphs(api: Served) -> None:
    """Without GRAPH, a pattern sees the triples of every graph at once: both article graphs, their
    listing graphs and the views."""
    response = httpx.get(api.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == api.quads


def test_graph_clause_sees_each_article_graph(api: Served) -> None:
    """GRAPH ?g lists exactly the two article graphs, their two listing graphs and the two views."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    rows = httpx.get(api.sparql, params={"query": query}).json()["results"]["bindings"]
    articles = {article_iri(VICTORY_DAY), article_iri(D_DAY)}
    expected = {str(a) for a in articles} | {str(listing_name(a)) for a in articles} | {str(v) for v in VIEWS}
    assert {r["g"]["value"] for r in rows} == expected == api.graph_names


def test_select_as_xml(api: Served) -> None:
    """Accept: application/sparql-results+xml gives an XML document with one <result> per leader."""
    response = httpx.get(
        api.sparql, params={"query": LEADERS_QUERY}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(response.content)
    results = root.findall(f"{SRX}results/{SRX}result")
    names = [r.find(f"{SRX}binding[@name='name']/{SRX}literal").text for r in results]  # type: ignore[union-attr]
    assert names == ["Emmanuel Macron", "Vladimir Putin"]


def test_select_as_csv(api: Served) -> None:
    """Accept: text/csv gives a header line and one line per event."""
    response = httpx.get(api.sparql, params={"query": EVENTS_QUERY}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert len(lines) == 5
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["label"] for r in rows] == EVENT_LABELS


def test_select_as_tsv(api: Served) -> None:
    """Accept: text/tab-separated-values gives a ?var header and one tab-separated line per event."""
    response = httpx.get(api.sparql, params={"query": EVENTS_QUERY}, headers={"Accept": "text/tab-separated-values"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    lines = response.text.strip().splitlines()
    assert lines[0].split("\t") == ["?event", "?label", "?date"]
    assert len(lines) == 5
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_format_parameter_overrides_accept(api: Served) -> None:
    """format=csv wins over an Accept header asking for JSON."""
    response = httpx.get(
        api.sparql,
        params={"query": LEADERS_QUERY, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "leader,name"


def test_accept_q_values_pick_the_preferred_format(api: Served) -> None:
    """Accept with q-values yields the format with the highest q (TSV over JSON here)."""
    response = httpx.get(
        api.sparql,
        params={"query": LEADERS_QUERY},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/tab-separated-values, */*;q=0.1"},
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_ask_true_and_false(api: Served) -> None:
    """ASK answers a JSON boolean: true for Putin's Wikidata id, false for an id nobody has."""
    yes = httpx.get(api.sparql, params={"query": ASK_PUTIN}).json()
    no = httpx.get(api.sparql, params={"query": ASK_NOBODY}).json()
    assert yes["boolean"] is True
    assert no["boolean"] is False


def test_ask_as_xml(api: Served) -> None:
    """ASK with Accept XML gives <boolean>true</boolean>."""
    response = httpx.get(api.sparql, params={"query": ASK_PUTIN}, headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(response.content).find(f"{SRX}boolean").text == "true"  # type: ignore[union-attr]


def _labels_graph(api: Served, accept: str | None = None, fmt: str | None = None) -> tuple[Graph, str]:
    params = {"query": LABELS_CONSTRUCT, **({"format": fmt} if fmt else {})}
    response = httpx.get(api.sparql, params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    return Graph().parse(data=response.content, format=media), media


def _expected_labels(api: Served) -> Graph:
    g = Graph()
    for graph in api.graphs.values():
        for s, _, label in graph.triples((None, RDFS.label, None)):
            if (s, RDF.type, URIRef("https://w3id.org/wwiikg/ontology#Event")) in graph:
                g.add((s, RDFS.label, label))
    return g


def test_construct_defaults_to_turtle(api: Served) -> None:
    """CONSTRUCT without Accept answers Turtle holding the 5 event labels, French one included."""
    graph, media = _labels_graph(api)
    assert media == "text/turtle"
    assert len(graph) == 5
    assert set(graph) == set(_expected_labels(api))
    assert Literal("Débarquement de Normandie", lang="fr") in set(graph.objects())


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("text/turtle", "text/turtle"),
    ],
)
def test_construct_in_each_rdf_format(api: Served, accept: str, media: str) -> None:
    """CONSTRUCT in N-Triples, RDF/XML, JSON-LD and Turtle each parse to the same 5 triples."""
    graph, got = _labels_graph(api, accept=accept)
    assert got == media
    assert set(graph) == set(_expected_labels(api))


def test_construct_format_parameter(api: Served) -> None:
    """format=nt gives N-Triples, one line per triple."""
    response = httpx.get(api.sparql, params={"query": LABELS_CONSTRUCT, "format": "nt"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert len(response.text.strip().splitlines()) == 5


def test_describe_returns_turtle_about_the_resource(api: Served) -> None:
    """DESCRIBE of a leader answers Turtle whose subjects include that leader."""
    putin = "https://w3id.org/wwiikg/id/person/Q7747"
    response = httpx.get(api.sparql, params={"query": f"DESCRIBE <{putin}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(putin), RDFS.label, Literal("Vladimir Putin")) in graph


def test_default_graph_uri_restricts_the_default_graph(api: Served) -> None:
    """default-graph-uri naming the D-Day article makes only its 2 events visible."""
    response = httpx.get(api.sparql, params={"query": EVENTS_QUERY, "default-graph-uri": str(article_iri(D_DAY))})
    assert _labels(response) == ["Normandy landings", "D-Day anniversary ceremony"]


def test_named_graph_uri_restricts_graph_clauses(api: Served) -> None:
    """named-graph-uri naming the Victory Day article makes GRAPH ?g see only that graph."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.post(api.sparql, data={"query": query, "named-graph-uri": str(article_iri(VICTORY_DAY))})
    rows = response.json()["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [str(article_iri(VICTORY_DAY))]


def test_dataset_params_on_sparql_query_post(api: Served) -> None:
    """With an application/sparql-query body, default-graph-uri comes from the URL and is honoured."""
    response = httpx.post(
        api.sparql,
        params={"default-graph-uri": str(article_iri(VICTORY_DAY))},
        content=EVENTS_QUERY,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert _labels(response) == ["German surrender", "Victory Day parade"]


def test_unicode_query_text_round_trips(api: Served) -> None:
    """A query with non-ASCII text in a literal finds the French label."""
    query = PREFIXES + 'SELECT ?e WHERE { ?e rdfs:label "Débarquement de Normandie"@fr }'
    for response in (
        httpx.get(api.sparql, params={"query": query}),
        httpx.post(api.sparql, content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        rows = response.json()["results"]["bindings"]
        assert [r["e"]["value"] for r in rows] == [f"https://w3id.org/wwiikg/id/event/{D_DAY}-landings"]


def test_word_service_in_a_literal_is_fine(api: Served) -> None:
    """A query that merely mentions 'service' in a string or a name runs normally."""
    query = PREFIXES + 'SELECT ?service WHERE { BIND("SERVICE <http://example.org/> {}" AS ?service) }'
    response = httpx.get(api.sparql, params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_update_words_inside_a_query_are_fine(api: Served) -> None:
    """A SELECT whose literal says 'INSERT DATA' or 'DROP ALL' is a query, not an update."""
    query = 'SELECT ?x WHERE { VALUES ?x { "INSERT DATA { <a> <b> <c> }" "DROP ALL" } }'
    response = httpx.get(api.sparql, params={"query": query})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 2


def test_service_description_in_turtle(api: Served) -> None:
    """GET /sparql without a query and Accept: text/turtle describes an sd:Service for SPARQL 1.1 Query."""
    response = httpx.get(api.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=RDF.type, object=URIRef(SD + "Service"))
    assert service is not None
    assert graph.value(service, URIRef(SD + "endpoint")) == URIRef(api.sparql)
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    formats = set(graph.objects(service, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert len(formats) == 8


def test_html_query_form(api: Served) -> None:
    """GET /sparql without a query from a browser gives an HTML form that posts a query to /sparql."""
    response = httpx.get(
        api.sparql, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'action="/sparql"' in response.text
    assert '<textarea name="query"' in response.text


def test_html_form_submission_answers_results(api: Served) -> None:
    """Submitting the form as a browser does returns results; its format select can force JSON."""
    response = httpx.post(
        api.sparql,
        data={"query": LEADERS_QUERY, "format": ""},
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.status_code == 200
    # the browser's application/xml;q=0.9 beats */*;q=0.8, and names SPARQL XML results
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    forced = httpx.post(api.sparql, data={"query": LEADERS_QUERY, "format": "json"})
    assert len(json.loads(forced.content)["results"]["bindings"]) == 2


def test_update_form_parameter_is_refused_with_403(api: Served) -> None:
    """A standard `update=` form body (SPARQL 1.1 Update protocol) is a 403 'not allowed', not 400 'missing query'."""
    update = "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }"
    for response in (
        httpx.post(api.sparql, data={"update": update}),
        httpx.get(api.sparql, params={"update": update}),
    ):
        assert response.status_code == 403, response.text
        assert "not allowed" in response.json()["error"]["detail"]
    count = httpx.get(api.sparql, params={"query": "ASK { <https://example.org/s> ?p ?o }"}).json()
    assert count["boolean"] is False
