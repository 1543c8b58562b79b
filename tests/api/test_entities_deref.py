"""Every IRI we mint dereferences: HTML for people, Turtle / JSON-LD / N-Triples for machines, JSON for the API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID

from kg.namespaces import OA, WWII

if TYPE_CHECKING:
    from conftest import KGApi

PUTIN = URIRef("https://w3id.org/wwiikg/id/person/Q7747")


def fetch(api: KGApi, path: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(f"{api.base}{path}", headers=headers, params=params, timeout=30.0)
    assert response.status_code == 200, response.text
    return response


def test_person_page_for_people(kg_api: KGApi) -> None:
    """A browser gets an HTML page: the name, the Wikidata link, offices with evidence and source links."""
    response = fetch(kg_api, "/id/person/Q7747", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    page = response.text
    assert "<h1>Vladimir Putin</h1>" in page
    assert 'href="https://www.wikidata.org/wiki/Q7747"' in page
    assert re.search(r'href="/id/article/[0-9a-f]{16}"', page)
    assert "Russian President Vladimir Putin" in page
    assert "Xi Jinping" in page
    assert "<script" not in page and "http://" not in page.split("<body>")[0].replace("http://www.w3.org", "")


def test_default_representation_of_an_iri_is_html(kg_api: KGApi) -> None:
    """No Accept (or */*) on /id/... gives HTML; on /entities/... JSON."""
    assert fetch(kg_api, "/id/person/Q7747").headers["content-type"].startswith("text/html")
    assert fetch(kg_api, "/id/person/Q7747", "*/*").headers["content-type"].startswith("text/html")
    assert fetch(kg_api, "/entities/person/Q7747").headers["content-type"].startswith("application/json")


def test_turtle_parses_and_describes_the_person_with_evidence(kg_api: KGApi) -> None:
    """Turtle parses with rdflib: the person's own triples from every article, plus their evidence nodes."""
    response = fetch(kg_api, "/id/person/Q7747", "text/turtle")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (PUTIN, RDFS.label, Literal("Vladimir Putin")) in graph
    assert (PUTIN, RDF.type, WWII.Leader) in graph
    mentions = set(graph.objects(PUTIN, WWII.mention))
    assert len(mentions) >= 5
    for ev in mentions:
        assert graph.value(ev, OA.exact) is not None and graph.value(ev, OA.hasSource) is not None
    offices = set(graph.objects(PUTIN, WWII.holdsOffice))
    assert len(offices) >= 5


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")
@pytest.mark.parametrize(
    ("accept", "fmt", "rdflib_format"),
    [
        ("application/ld+json", "jsonld", "json-ld"),
        ("application/n-triples", "nt", "nt"),
        ("text/turtle", "ttl", "turtle"),
    ],
)
def test_machine_formats_hold_the_same_triples(kg_api: KGApi, accept: str, fmt: str, rdflib_format: str) -> None:
    """JSON-LD, N-Triples and Turtle, by Accept or by format=, parse to the same graph."""
    turtle = Graph().parse(data=fetch(kg_api, "/id/country/Q159", "text/turtle").text, format="turtle")
    for response in (fetch(kg_api, "/id/country/Q159", accept), fetch(kg_api, "/id/country/Q159", None, format=fmt)):
        assert response.headers["content-type"].startswith(accept)
        graph = Graph().parse(data=response.text, format=rdflib_format)
        assert len(graph) == len(turtle) > 0
        assert graph.isomorphic(turtle)


def test_entity_json_summary(kg_api: KGApi) -> None:
    """/entities/{kind}/{key} gives names, Wikidata, types, evidence with articles, and links to the rest."""
    body = fetch(kg_api, "/entities/country/Q159").json()
    assert body["iri"] == "https://w3id.org/wwiikg/id/country/Q159"
    assert body["name"] == "Russia" and body["wikidata"] == "Q159"
    assert "https://w3id.org/wwiikg/ontology#Country" in body["types"]
    assert body["evidence"] and all(e["text"] and e["article"] for e in body["evidence"])
    assert body["links"]["turtle"] == "/id/country/Q159?format=ttl"
    person = fetch(kg_api, "/entities/person/Q7747").json()
    assert person["links"]["api"] == "/leaders/Q7747" and person["wikidata"] == "Q7747"


def test_event_article_and_fact_iris_dereference(kg_api: KGApi) -> None:
    """Events, articles and per-article facts (offices, figures, evidence) have pages and RDF too."""
    parade = httpx.get(f"{kg_api.base}/events", params={"type": "parade", "limit": 1}).json()["items"][0]
    page = fetch(kg_api, f"/id/event/{parade['key']}", "text/html").text
    assert parade["label"] in page and "Evidence" in page
    article_id = parade["source"]["id"]
    article_page = fetch(kg_api, f"/id/article/{article_id}", "text/html").text
    assert parade["source"]["title"].replace("'", "&#x27;") in article_page
    figure = httpx.get(f"{kg_api.base}/casualties", params={"limit": 1}).json()["items"][0]
    figure_key = figure["iri"].rsplit("/", 1)[-1]
    graph = Graph().parse(data=fetch(kg_api, f"/id/figure/{figure_key}", "text/turtle").text, format="turtle")
    assert graph.value(URIRef(figure["iri"]), WWII.low) is not None
    assert figure["surface"] in fetch(kg_api, f"/id/figure/{figure_key}", "text/html").text
    evidence_key = f"{article_id}-{parade['evidence']['start']}-{parade['evidence']['end']}"
    assert parade["evidence"]["text"] in fetch(kg_api, f"/id/evidence/{evidence_key}").text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")
def test_void_describes_the_dataset(kg_api: KGApi) -> None:
    """/.well-known/void is Turtle: a void:Dataset with the SPARQL endpoint, counts, URI space, vocabularies
    and one subset per article graph."""
    response = fetch(kg_api, "/.well-known/void")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = next(graph.subjects(VOID.sparqlEndpoint, None))
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert str(graph.value(dataset, VOID.sparqlEndpoint)) == f"{kg_api.base}/sparql"
    assert str(graph.value(dataset, VOID.uriSpace)) == "https://w3id.org/wwiikg/id/"
    assert int(graph.value(dataset, VOID.triples)) > 5000  # type: ignore[arg-type]
    assert int(graph.value(dataset, VOID.entities)) > 100  # type: ignore[arg-type]
    assert URIRef("https://w3id.org/wwiikg/ontology#") in set(graph.objects(dataset, VOID.vocabulary))
    subsets = set(graph.objects(dataset, VOID.subset))
    articles = [s for s in subsets if "/article/" in str(graph.value(s, URIRef("http://purl.org/dc/terms/source")))]
    assert len(articles) == kg_api.articles
    as_jsonld = fetch(kg_api, "/.well-known/void", "application/ld+json")
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)
