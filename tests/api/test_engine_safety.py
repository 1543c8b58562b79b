"""/sparql's safety limits against a real uvicorn with a real ``oxigraph serve`` child (``engine_api``).

Read-only, no outbound requests, size and nesting limits, a time limit that really stops the query,
recovery from an engine crash, and the row cap. Tests that restart the engine leave it running.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from apisample import ASK_PUTIN

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL = "SELECT ?s WHERE { ?s <http://example.org/p> 7 }"


EngineApi = Any  # tests/api/conftest.py: the engine_api fixture


def assert_json_error(response: httpx.Response, status: int, *words: str) -> str:
    """The response is the API's JSON error shape with ``status``; returns its detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["title"] and error["detail"]
    for word in words:
        assert word.lower() in error["detail"].lower(), error["detail"]
    return str(error["detail"])


def stats(api: EngineApi) -> dict[str, int]:
    return dict(httpx.get(f"{api.base}/stats", timeout=10).json())


def count(api: EngineApi, pattern: str = "?s ?p ?o") -> int:
    response = httpx.get(api.sparql, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"}, timeout=10)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it: (base URL, connections)."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.05)
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


UPDATES = [
    "INSERT DATA { <http://example.org/x> <http://example.org/y> <http://example.org/z> }",
    "DROP ALL",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\nINSERT { ?s ex:seen true } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES, ids=["insert-data", "drop-all", "delete-where", "insert-where"])
def test_updates_are_403_and_the_store_is_unchanged(engine_api: EngineApi, update: str) -> None:
    """SPARQL Update by GET, form POST or body POST is 403 and no triple is added or removed."""
    before, quads = stats(engine_api), count(engine_api)
    for response in (
        httpx.get(engine_api.sparql, params={"query": update}),
        httpx.post(engine_api.sparql, data={"query": update}),
        httpx.post(engine_api.sparql, content=update, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert_json_error(response, 403, "read-only")
    assert stats(engine_api) == before
    assert count(engine_api) == quads
    assert count(engine_api, "<http://example.org/x> ?p ?o") == 0


def test_service_load_and_foreign_from_are_refused_without_any_connection(
    engine_api: EngineApi, listener: tuple[str, list[object]]
) -> None:
    """SERVICE, LOAD and FROM / FROM NAMED naming a local listener are 400, and it is never contacted."""
    url, connections = listener
    refused = {
        "SELECT * WHERE { SERVICE <URL/sparql> { ?s ?p ?o } }": "SERVICE is not allowed",
        "select * { service silent <URL/sparql> { ?s ?p ?o } }": "SERVICE is not allowed",
        "LOAD <URL/data.ttl>": "LOAD is not allowed",
        "LOAD SILENT <URL/data.ttl> INTO GRAPH <http://example.org/g>": "LOAD is not allowed",
        "SELECT * FROM <URL/data.ttl> WHERE { ?s ?p ?o }": "no graph",
        "SELECT * FROM NAMED <URL/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }": "no graph",
        "PREFIX remote: <URL/> ASK FROM remote:data WHERE { ?s ?p ?o }": "no graph",
    }
    for query, words in refused.items():
        text = query.replace("URL", url)
        assert_json_error(httpx.post(engine_api.sparql, data={"query": text}), 400, words)
        assert_json_error(httpx.get(engine_api.sparql, params={"query": text}), 400, words)
    time.sleep(0.2)  # a connection attempt in flight would have landed by now
    assert connections == []


def test_from_naming_a_held_graph_selects_it(engine_api: EngineApi) -> None:
    """FROM <an article graph> restricts the default graph to that article (not the union)."""
    query = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/wwiikg/id/article/f111e7f111e7f111> WHERE { ?s ?p ?o }"
    response = httpx.get(engine_api.sparql, params={"query": query})
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == engine_api.filler_triples


def test_query_over_the_size_limit_is_413(engine_api: EngineApi) -> None:
    """A query one byte over KG_MAX_QUERY_BYTES is 413 whichever way it is sent."""
    limit = engine_api.max_query_bytes
    query = "ASK {}\n#" + "x" * (limit - 7)
    assert len(query.encode()) == limit + 1
    assert_json_error(httpx.post(engine_api.sparql, data={"query": query}), 413, str(limit))
    body = httpx.post(engine_api.sparql, content=query, headers={"Content-Type": "application/sparql-query"})
    assert_json_error(body, 413, str(limit))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + " ]" * 200 + " }",
        'SELECT * WHERE { ?s ?p "' + ")" * 200 + '" ' + "{" * 200 + " ?s ?p ?o " + "}" * 200 + " }",
    ],
    ids=["braces-3000", "parentheses-3000", "brackets-200", "closers-in-a-string"],
)
def test_deep_nesting_is_400_and_the_engine_lives_on(engine_api: EngineApi, query: str) -> None:
    """Nesting that would crash or stall Oxigraph's parser is 400 before it is parsed; the engine keeps its pid."""
    pid = engine_api.engine_pid()
    assert_json_error(httpx.post(engine_api.sparql, data={"query": query}, timeout=10), 400, "deep")
    assert engine_api.engine_pid() == pid
    assert httpx.get(engine_api.sparql, params={"query": ASK_PUTIN}).json()["boolean"] is True


def test_nesting_at_the_limit_runs(engine_api: EngineApi) -> None:
    """64 nested groups, the limit, are answered normally."""
    query = "SELECT * WHERE " + "{" * 63 + " ?s <http://example.org/p> 7 " + "}" * 63
    response = httpx.post(engine_api.sparql, data={"query": query}, timeout=10)
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 1


def test_cartesian_aggregate_is_503_in_time_while_the_server_keeps_answering(engine_api: EngineApi) -> None:
    """A never-ending aggregate with timeout=1.5 is 503 within 2.5 s; /health and a small query answer meanwhile."""
    pid = engine_api.engine_pid()
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        heavy = pool.submit(httpx.post, engine_api.sparql, data={"query": CARTESIAN, "timeout": "1.5"}, timeout=30)
        time.sleep(0.3)  # the aggregate is now running in the engine
        meanwhile = []
        while not heavy.done() and len(meanwhile) < 6:
            t0 = time.monotonic()
            health = httpx.get(f"{engine_api.base}/health", timeout=5)
            small = httpx.get(engine_api.sparql, params={"query": SMALL}, timeout=5)
            meanwhile.append((health.status_code, small.status_code, time.monotonic() - t0))
            time.sleep(0.1)
        response = heavy.result()
        elapsed = time.monotonic() - started
    assert_json_error(response, 503, "1.5 s")
    assert elapsed < 1.5 + 1.0
    assert len(meanwhile) >= 3
    assert all(h == 200 and s == 200 and took < 1.0 for h, s, took in meanwhile), meanwhile
    # the runaway query was stopped before the 503 was sent: its engine is gone, a new one answers
    assert not engine_api.alive(pid)
    assert engine_api.engine_pid() != pid
    response = httpx.get(engine_api.sparql, params={"query": SMALL}, timeout=10)
    assert len(response.json()["results"]["bindings"]) == 1


def test_timeout_parameter_only_lowers_the_limit(engine_api: EngineApi) -> None:
    """timeout=3600 does not raise the 10 s limit; a non-number or non-positive timeout is 400."""
    ok = httpx.get(engine_api.sparql, params={"query": SMALL, "timeout": "3600"})
    assert ok.status_code == 200
    for bad in ("soon", "0", "-1", "nan"):
        assert_json_error(httpx.get(engine_api.sparql, params={"query": SMALL, "timeout": bad}), 400, "timeout")


def test_killed_engine_gives_a_clean_503_then_recovers(engine_api: EngineApi) -> None:
    """SIGKILL of the engine mid-query: that query is 503 in the JSON shape, and the next ones are answered."""
    pid = engine_api.engine_pid()
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(httpx.post, engine_api.sparql, data={"query": CARTESIAN, "timeout": "8"}, timeout=30)
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
        started = time.monotonic()
        response = running.result()
    assert_json_error(response, 503, "restarting")
    assert time.monotonic() - started < 2.0
    assert "retry-after" in response.headers
    deadline = time.monotonic() + 10
    while True:
        answer = httpx.get(engine_api.sparql, params={"query": SMALL}, timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert answer.status_code == 200, answer.text
    assert engine_api.engine_pid() != pid
    assert httpx.get(f"{engine_api.base}/health", timeout=10).json()["articles"] == 2
    assert "died (signal 9)" in engine_api.log.read_text()


def test_json_reads_in_flight_as_the_engine_dies_wait_for_the_next_one(engine_api: EngineApi) -> None:
    """Sixteen clients read JSON the read cache cannot answer, without pause, while the engine is killed
    with SIGKILL: every answer is 200, from the old engine or the restarted one (reads cut by the kill
    used to be 503 "SPARQL server unreachable")."""
    leaders = f"{engine_api.base}/leaders"
    assert httpx.get(leaders, params={"name": "before"}, timeout=30).status_code == 200
    pid = engine_api.engine_pid()
    stop = time.monotonic() + 3.0

    def client(n: int) -> list[httpx.Response]:
        answers = []
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                answers.append(http.get(leaders, params={"name": f"c{n}-{len(answers)}"}))
        return answers

    with ThreadPoolExecutor(16) as pool:
        running = [pool.submit(client, n) for n in range(16)]
        time.sleep(1.0)
        os.kill(pid, signal.SIGKILL)
        answers = [a for r in running for a in r.result()]
    assert engine_api.engine_pid() != pid
    failed = [f"{a.status_code} {a.text[:120]}" for a in answers if a.status_code != 200]
    assert len(answers) > 50 and not failed, failed


def test_events_under_load_as_the_engine_is_killed_are_503_or_200_never_500(engine_api: EngineApi) -> None:
    """Eight clients read /events (each URL new, so the read cache cannot answer) while the engine is
    killed twice: every answer is 200, or a clean 503 while no engine listens; never a 500, and the
    last answers are 200s from the restarted engine."""
    events = f"{engine_api.base}/events"
    assert httpx.get(events, params={"participant": "before"}, timeout=30).status_code == 200
    stop = time.monotonic() + 4.0

    def client(n: int) -> list[httpx.Response]:
        answers = []
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                answers.append(http.get(events, params={"participant": f"e{n}-{len(answers)}", "limit": 5}))
        return answers

    with ThreadPoolExecutor(8) as pool:
        running = [pool.submit(client, n) for n in range(8)]
        for _ in range(2):
            time.sleep(1.0)
            os.kill(engine_api.engine_pid(), signal.SIGKILL)
        answers = [a for r in running for a in r.result()]
    unexpected = [f"{a.status_code} {a.text[:120]}" for a in answers if a.status_code not in (200, 503)]
    assert len(answers) > 40 and not unexpected, unexpected
    assert all(a.json()["error"]["status"] == 503 for a in answers if a.status_code == 503)
    assert httpx.get(events, params={"participant": "after"}, timeout=30).status_code == 200


def test_a_query_that_crashes_the_engine_gets_503_and_the_api_recovers(engine_api: EngineApi) -> None:
    """6,000 parentheses hidden from the lexical depth count overflow the engine's stack: 503, then answers."""
    # `?o<'x>'` lexes as an IRI then a string, but parses as `?o < 'x>'`; strings of closing
    # parentheses keep the raw count down. oxigraph 0.5.13 aborts ("stack overflow") on this text.
    blocks = "(" * 60 + '")' + ")" * 59 + '" || '
    query = "BASE <http://example.org/> SELECT * WHERE { ?s ?p ?o FILTER(?o<'x>' || "
    query += blocks * 100 + "true" + ")" * 6000 + " || ?o = '') }"
    pid = engine_api.engine_pid()
    response = httpx.post(engine_api.sparql, data={"query": query}, timeout=30)
    if response.status_code == 400:
        pytest.skip("the lexical depth check now catches this query; the crash path is tested by SIGKILL")
    assert_json_error(response, 503, "restarting")
    assert engine_api.uvicorn.poll() is None
    deadline = time.monotonic() + 10
    while (answer := httpx.get(engine_api.sparql, params={"query": SMALL}, timeout=10)).status_code != 200:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.1)
    assert engine_api.engine_pid() != pid
    assert "stack overflow" in engine_api.log.read_text()


CAPPED = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"


@pytest.mark.parametrize(
    ("accept", "rows"),
    [
        ("application/sparql-results+json", lambda r: len(r.json()["results"]["bindings"])),
        ("application/sparql-results+xml", lambda r: r.text.count("<result>")),
        ("text/csv", lambda r: len(r.text.splitlines()) - 1),
        ("text/tab-separated-values", lambda r: len(r.text.splitlines()) - 1),
    ],
    ids=["json", "xml", "csv", "tsv"],
)
def test_row_cap_gives_the_first_rows_and_says_so(engine_api: EngineApi, accept: str, rows) -> None:  # type: ignore[no-untyped-def]
    """300 matching rows with KG_MAX_RESULTS=50: 50 well-formed rows and X-SPARQL-MaxRows: 50."""
    response = httpx.get(engine_api.sparql, params={"query": CAPPED}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-maxrows"] == str(engine_api.max_results)
    assert rows(response) == engine_api.max_results


def test_row_cap_counts_triples_of_construct(engine_api: EngineApi) -> None:
    """A CONSTRUCT of 300 triples answers 50 triples of Turtle, with the header."""
    from rdflib import Graph

    query = "CONSTRUCT WHERE { ?s <http://example.org/p> ?o }"
    response = httpx.get(engine_api.sparql, params={"query": query}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-maxrows"] == str(engine_api.max_results)
    assert len(Graph().parse(data=response.text, format="turtle")) == engine_api.max_results


def test_a_cross_origin_page_can_read_the_cap_header(engine_api: EngineApi) -> None:
    """A capped answer to a cross-origin request exposes X-SPARQL-MaxRows to the page's script."""
    response = httpx.get(engine_api.sparql, params={"query": CAPPED}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-sparql-maxrows" in response.headers["access-control-expose-headers"].lower()


def test_answers_under_the_cap_carry_no_header(engine_api: EngineApi) -> None:
    """An answer with fewer rows than the cap is whole and has no X-SPARQL-MaxRows header."""
    response = httpx.get(engine_api.sparql, params={"query": CAPPED + " LIMIT 50"})
    assert len(response.json()["results"]["bindings"]) == 50
    assert "x-sparql-maxrows" not in response.headers
