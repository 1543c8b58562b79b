"""/health, /stats, CORS and the OpenAPI document, against a real uvicorn process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from apisample import PREFIXES, Served
from rdflib import Graph, URIRef

from kg.store import Store


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
        "statements": 0,
        "quads": api.quads,
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


def test_kg_serve_logs_no_line_per_engine_query(tmp_path: Path, article_graphs: dict[URIRef, Graph]) -> None:
    """`kg serve --no-access-log` answering JSON routes writes no httpx INFO line per engine query."""
    path = tmp_path / "store"
    with Store(f"oxigraph:{path}") as store:
        for graph in article_graphs.values():
            store.put_article(graph)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    kg = Path(sys.executable).parent / "kg"
    log = tmp_path / "serve.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(kg), "serve", "--store", f"oxigraph:{path}", "--port", str(port), "--no-access-log"],
            env=clean,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                assert proc.poll() is None, log.read_text()
                try:
                    if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            for route in ("/leaders", "/events", "/quotes", "/stats", "/casualties"):
                assert httpx.get(f"{base}{route}", timeout=30).status_code == 200, route
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text()
    assert "Uvicorn running" in text
    assert "httpx" not in text and "HTTP Request" not in text, text
