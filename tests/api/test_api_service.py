"""/health, /stats, CORS and the OpenAPI document, against a real uvicorn process."""

from __future__ import annotations

import threading
import time

import httpx
from apisample import PREFIXES, Served


def test_health_reports_backend_and_article_count(api: Served) -> None:
    """/health says ok, names the Oxigraph backend and counts the two stored articles."""
    response = httpx.get(f"{api.base}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "oxigraph", "articles": 2}


def test_stats_counts_what_the_store_holds(api: Served) -> None:
    """/stats counts 2 articles, 2 people (both leaders), 4 events, 1 figure, 1 quote and every quad."""
    stats = httpx.get(f"{api.base}/stats").json()
    assert stats == {
        "articles": 2,
        "people": 2,
        "leaders": 2,
        "events": 4,
        "casualty_figures": 1,
        "quotes": 1,
        "quads": api.triples,
    }


def test_cors_preflight_allows_any_origin_to_post_queries(api: Served) -> None:
    """A browser preflight for a cross-origin POST of application/sparql-query is allowed."""
    response = httpx.options(
        api.sparql,
        headers={
            "Origin": "https://yasgui.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_cors_header_on_cross_origin_query(api: Served) -> None:
    """A cross-origin GET query gets Access-Control-Allow-Origin: * on its results."""
    response = httpx.get(api.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_openapi_lists_the_endpoints(api: Served) -> None:
    """The OpenAPI document lists /health, /stats and both methods of /sparql."""
    paths = httpx.get(f"{api.base}/openapi.json").json()["paths"]
    assert {"/health", "/stats", "/sparql"} <= set(paths)
    assert {"get", "post"} <= set(paths["/sparql"])


def test_slow_query_does_not_block_other_requests(api: Served) -> None:
    """While a heavy query runs, /health still answers quickly (queries run off the event loop)."""
    heavy = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j rdfs:label ?k }"
    took: list[float] = []

    def run_heavy() -> None:
        start = time.monotonic()
        httpx.get(api.sparql, params={"query": heavy}, timeout=60).raise_for_status()
        took.append(time.monotonic() - start)

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.1)  # let the heavy query start
    latencies: list[float] = []
    while thread.is_alive() and len(latencies) < 5:
        start = time.monotonic()
        assert httpx.get(f"{api.base}/health", timeout=10).status_code == 200
        latencies.append(time.monotonic() - start)
    thread.join()
    assert took and took[0] > 0.3, "the heavy query was too quick to tell anything"
    # blocked, the first /health would wait for the heavy query to finish
    assert latencies and min(latencies) < took[0] / 2
