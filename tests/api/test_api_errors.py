"""Every refusal of the real server: the right status and one JSON error shape, and no writes."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from apisample import ASK_PUTIN, LABELS_CONSTRUCT, LEADERS_QUERY, MAX_QUERY_BYTES, Served

from kg.mapping import article_iri


def assert_error(response: httpx.Response, status: int, *words: str) -> str:
    """The response is ``{"error": {"status", "title", "detail"}}`` with ``status``; returns the detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "title", "detail"}
    assert error["status"] == status
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["detail"], str) and error["detail"]
    assert "Traceback" not in error["detail"]
    for word in words:
        assert word.lower() in error["detail"].lower()
    return error["detail"]


def test_unknown_route_is_404(api: Served) -> None:
    """An unknown path answers 404 Not Found in the JSON error shape."""
    detail = assert_error(httpx.get(f"{api.base}/no-such-thing"), 404)
    assert detail == "Not Found"


def test_wrong_method_is_405_with_allow(api: Served) -> None:
    """PUT /sparql answers 405 in the JSON error shape and says which methods are allowed."""
    response = httpx.put(api.sparql, content="x")
    assert_error(response, 405)
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_unacceptable_accept_is_406(api: Served) -> None:
    """Accept: image/png matches no result format: 406 listing the available ones."""
    response = httpx.get(api.sparql, params={"query": LEADERS_QUERY}, headers={"Accept": "image/png"})
    assert_error(response, 406, "application/sparql-results+json", "text/turtle")


def test_graph_format_for_select_is_406(api: Served) -> None:
    """Asking for Turtle from a SELECT is 406: Turtle cannot hold a result table."""
    response = httpx.get(api.sparql, params={"query": LEADERS_QUERY}, headers={"Accept": "text/turtle"})
    assert_error(response, 406, "SELECT")


def test_table_format_for_construct_is_406(api: Served) -> None:
    """Asking for CSV from a CONSTRUCT is 406."""
    response = httpx.get(api.sparql, params={"query": LABELS_CONSTRUCT}, headers={"Accept": "text/csv"})
    assert_error(response, 406, "CONSTRUCT")


def test_unknown_format_parameter_is_406(api: Served) -> None:
    """format=yaml is not a format we serve: 406."""
    response = httpx.get(api.sparql, params={"query": LEADERS_QUERY, "format": "yaml"})
    assert_error(response, 406, "yaml")


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_wrong_post_content_type_is_415(api: Served, content_type: str | None) -> None:
    """POST with a body that is neither form-encoded nor application/sparql-query is 415."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.post(api.sparql, content=LEADERS_QUERY.encode(), headers=headers)
    assert_error(response, 415)


def test_non_utf8_charset_is_415(api: Served) -> None:
    """An application/sparql-query body declared as latin-1 is refused with 415."""
    response = httpx.post(
        api.sparql, content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=iso-8859-1"}
    )
    assert_error(response, 415, "UTF-8")


def test_non_utf8_body_is_400(api: Served) -> None:
    """An application/sparql-query body that is not UTF-8 is 400."""
    body = 'SELECT * WHERE { ?s ?p "caf\xe9" }'.encode("latin-1")
    response = httpx.post(api.sparql, content=body, headers={"Content-Type": "application/sparql-query"})
    assert_error(response, 400, "UTF-8")


def test_non_utf8_form_and_url_are_400(api: Served) -> None:
    """Percent-encoded bytes that are not UTF-8, in a form body or in the URL, are 400."""
    form = httpx.post(
        api.sparql, content=b"query=ASK%20%7B%7D%FF", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_error(form, 400, "UTF-8")
    url = httpx.get(f"{api.sparql}?query=ASK%20%7B%7D%FF")
    assert_error(url, 400, "UTF-8")


@pytest.mark.parametrize(
    "send",
    [
        lambda url: httpx.get(url, headers={"Accept": "application/sparql-results+json"}),
        lambda url: httpx.get(url, params={"query": "  "}),
        lambda url: httpx.post(url, data={"format": "json"}),
        lambda url: httpx.post(url, content=b"", headers={"Content-Type": "application/sparql-query"}),
    ],
    ids=["get-without-query", "get-blank-query", "form-without-query", "empty-body"],
)
def test_missing_query_is_400(api: Served, send) -> None:  # type: ignore[no-untyped-def]
    """No query (absent, blank, or an empty body) is 400 saying the query is missing."""
    assert_error(send(api.sparql), 400, "missing query")


def test_malformed_query_is_400_with_parser_message(api: Served) -> None:
    """A syntax error is 400 with the parser's one-line message and position."""
    detail = assert_error(httpx.get(api.sparql, params={"query": "SELECT * WHERE { ?s ?p "}), 400, "malformed")
    assert "error at 1:" in detail
    assert "\n" not in detail


def test_two_query_parameters_are_400(api: Served) -> None:
    """Two query= parameters are ambiguous: 400."""
    response = httpx.get(api.sparql, params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert_error(response, 400, "one query")


UPDATES = [
    'PREFIX ex: <http://example.org/> INSERT DATA { GRAPH ex:g { ex:a ex:b "c" } }',
    "DROP ALL",
    "CLEAR DEFAULT",
    f"DROP GRAPH <{article_iri('a1b2c3d4e5f60718')}>",
    "# a comment first\nPREFIX wwii: <https://w3id.org/wwiikg/ontology#>\nDELETE WHERE { ?s a wwii:Leader }",
    'INSERT { ?s <http://example.org/says> "customer service" } WHERE { ?s ?p ?o }',
]


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_update_is_403_and_changes_nothing(api: Served, update: str) -> None:
    """SPARQL Update text is refused with 403 by GET, form POST and body POST, and the store is unchanged."""
    before = httpx.get(f"{api.base}/stats").json()
    responses = [
        httpx.get(api.sparql, params={"query": update}),
        httpx.post(api.sparql, data={"query": update}),
        httpx.post(api.sparql, content=update.encode(), headers={"Content-Type": "application/sparql-query"}),
        httpx.post(api.sparql, content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
    ]
    for response in responses[:3]:
        assert_error(response, 403, "update")
    assert_error(responses[3], 415)
    assert httpx.get(f"{api.base}/stats").json() == before
    assert httpx.get(api.sparql, params={"query": ASK_PUTIN}).json()["boolean"] is True


def test_store_unchanged_after_insert_attempt(api: Served) -> None:
    """After a refused INSERT DATA the inserted triple is absent and both articles remain."""
    triple = "<http://example.org/a> <http://example.org/b> <http://example.org/c>"
    assert_error(httpx.post(api.sparql, data={"query": f"INSERT DATA {{ {triple} }}"}), 403)
    ask = httpx.get(api.sparql, params={"query": f"ASK {{ {triple} }}"}).json()
    assert ask["boolean"] is False
    assert httpx.get(f"{api.base}/health").json()["articles"] == 2


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it: (base URL, connections)."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.1)
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
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", seen
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


SERVICE_QUERIES = {
    "plain": "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "lower-case-silent": "select * where { ?x ?y ?z . service silent <URL> { ?s ?p ?o } }",
    "ask": "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "prefixed": "PREFIX ex: <URL#> ASK { ?s ?p ex: SERVICE ex:x { ?s ?p ?o } }",
    "nested": "SELECT * { { SELECT * { SERVICE <URL> { ?s ?p ?o } } } }",
    "after-less-than": "SELECT * WHERE { ?a ?b ?c FILTER(?a<'x>'+'y') SERVICE <URL> { } FILTER(?c='z') }",
    "escaped": "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    "variable": "SELECT * WHERE { BIND(<URL> AS ?endpoint) SERVICE ?endpoint { ?s ?p ?o } }",
}


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_service_is_400_and_never_reaches_the_network(
    api: Served, listener: tuple[str, list[object]], name: str
) -> None:
    """A query with a SERVICE clause (any case or form) is 400 and nothing connects to its endpoint."""
    url, connections = listener
    query = SERVICE_QUERIES[name].replace("URL", url)
    assert_error(httpx.get(api.sparql, params={"query": query}), 400)
    assert_error(httpx.post(api.sparql, data={"query": query}), 400)
    assert connections == []


def test_service_message_names_service(api: Served) -> None:
    """The SERVICE refusal says that federated queries are not allowed."""
    response = httpx.get(api.sparql, params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"})
    assert_error(response, 400, "SERVICE is not allowed")


def test_load_is_400(api: Served) -> None:
    """LOAD (an update that fetches a URL) is 400 and says LOAD is not allowed."""
    response = httpx.post(api.sparql, data={"query": "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://e/g>"})
    assert_error(response, 400, "LOAD is not allowed")


def test_nonexistent_default_graph_is_400(api: Served) -> None:
    """default-graph-uri naming a graph the store does not hold is 400 naming that graph."""
    response = httpx.get(api.sparql, params={"query": LEADERS_QUERY, "default-graph-uri": "http://example.org/nope"})
    assert_error(response, 400, "http://example.org/nope")


def test_nonexistent_named_graph_is_400(api: Served) -> None:
    """named-graph-uri naming a graph the store does not hold is 400."""
    response = httpx.post(
        api.sparql,
        data={"query": LEADERS_QUERY, "named-graph-uri": [str(article_iri("a1b2c3d4e5f60718")), "http://e/nope"]},
    )
    assert_error(response, 400, "http://e/nope")


def test_relative_graph_iri_is_400(api: Served) -> None:
    """default-graph-uri that is not an absolute IRI is 400."""
    response = httpx.get(api.sparql, params={"query": LEADERS_QUERY, "default-graph-uri": "not an iri"})
    assert_error(response, 400, "IRI")


def _big_query() -> str:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n# "
    return query + "a" * (MAX_QUERY_BYTES + 1 - len(query))


def test_query_over_the_size_limit_is_413(api: Served) -> None:
    """A query one byte over KG_MAX_QUERY_BYTES is 413 by GET, form POST and body POST."""
    query = _big_query()
    assert len(query.encode()) == MAX_QUERY_BYTES + 1
    assert_error(httpx.get(api.sparql, params={"query": query}), 413, str(MAX_QUERY_BYTES))
    assert_error(httpx.post(api.sparql, data={"query": query}), 413, str(MAX_QUERY_BYTES))
    body = httpx.post(api.sparql, content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert_error(body, 413, str(MAX_QUERY_BYTES))


def test_query_at_the_size_limit_runs(api: Served) -> None:
    """A query of exactly KG_MAX_QUERY_BYTES bytes is accepted."""
    query = _big_query()[:-1]
    response = httpx.post(api.sparql, content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200, response.text


def test_huge_body_is_413_without_reading_it_all(api: Served) -> None:
    """A 5 MB form body is refused with 413."""
    response = httpx.post(
        api.sparql,
        content=b"query=" + b"a" * 5_000_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(response, 413)
