"""kg.backends: the registry, the capabilities, one conversion of results on every backend, the
engine backend riding out a real engine restart, and what the Virtuoso backend does for Virtuoso."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from api.engine import Engine
from kg.backends import Capabilities, StoreSpec, open_backend
from kg.backends.engine import EngineBackend
from kg.backends.oxigraph import OxigraphBackend
from kg.backends.sparql import SparqlBackend
from kg.backends.virtuoso import SKOLEM, VirtuosoBackend, excluding, skolemise
from kg.errors import ConfigError, QueryError, StoreError, StoreUnwritable
from kg.store import Store

XSD = "http://www.w3.org/2001/XMLSchema#"
G = URIRef("https://w3id.org/wwiikg/id/article/0123456789abcdef")
S = URIRef("https://w3id.org/wwiikg/id/person/Q1")
VALUES = """SELECT ?int ?dec ?bool ?date ?lang ?iri ?none WHERE {
  ?s <urn:p:int> ?int ; <urn:p:dec> ?dec ; <urn:p:bool> ?bool ; <urn:p:date> ?date ; <urn:p:lang> ?lang ;
     <urn:p:iri> ?iri .
  OPTIONAL { ?s <urn:p:missing> ?none }
}"""


def test_the_registry_opens_each_backend_by_its_spec_name() -> None:
    """memory: and oxigraph: are embedded Oxigraph, sparql: a SPARQL server (not contacted on open)."""
    assert isinstance(open_backend("memory:"), OxigraphBackend)
    remote = open_backend("sparql:http://127.0.0.1:9/query,http://127.0.0.1:9/update")
    assert isinstance(remote, SparqlBackend)
    assert (remote.query_url, remote.update_url) == ("http://127.0.0.1:9/query", "http://127.0.0.1:9/update")
    assert StoreSpec.parse("oxigraph:x") == StoreSpec("oxigraph", path="x")
    virtuoso = open_backend("virtuoso:http://127.0.0.1:9/sparql")
    assert isinstance(virtuoso, VirtuosoBackend)
    assert virtuoso.query_url == virtuoso.update_url == "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "spec", ["nosuch:x", "engine:", ":", "oxigraph:", "sparql:ftp://h/q", "virtuoso:", "virtuoso:http://h/q,http://h/u"]
)
def test_specs_no_backend_serves_are_config_errors(spec: str) -> None:
    """An unknown name, the engine (built around a live process, never from a string) and a bad rest."""
    with pytest.raises(ConfigError):
        open_backend(spec)


def test_embedded_oxigraph_states_its_capabilities() -> None:
    """Embedded Oxigraph has LATERAL joins, a bulk loader, transactions and a text index beside it."""
    expected = Capabilities(lateral=True, bulk_load=True, transactions=True, full_text=True)
    assert open_backend("memory:").capabilities == expected


@pytest.mark.server
def test_a_sparql_server_is_asked_once_whether_it_has_lateral(oxigraph_server: str) -> None:
    """`oxigraph serve` evaluates LATERAL; the probe's answer is kept."""
    backend = SparqlBackend(f"{oxigraph_server}/query", f"{oxigraph_server}/update")
    assert backend.capabilities.lateral is True
    backend._query_url = "http://127.0.0.1:9/query"  # unreachable now: the answer is not asked again
    assert backend.capabilities.lateral is True


@pytest.mark.server
def test_a_retrying_update_is_refused_at_once_when_wrong_and_stores_when_right(oxigraph_server: str) -> None:
    """A malformed update is the writer's fault: no retry. A good one lands."""
    backend = SparqlBackend(f"{oxigraph_server}/query", f"{oxigraph_server}/update")
    started = time.monotonic()
    with pytest.raises(StoreError, match="refused the update: HTTP 400") as refused:
        backend.update_retrying("INSERT DATA { <urn:a> }", attempts=4)
    assert not isinstance(refused.value, StoreUnwritable) and time.monotonic() - started < 0.5
    backend.update_retrying("INSERT DATA { GRAPH <urn:g:retry> { <urn:a> <urn:b> <urn:c> } }", attempts=4)
    assert backend.select("SELECT ?o WHERE { GRAPH <urn:g:retry> { <urn:a> <urn:b> ?o } }") == [{"o": "urn:c"}]


def test_a_retrying_update_to_a_server_gone_is_unwritable_after_its_attempts() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/update"
    backend = SparqlBackend(url, url)
    with pytest.raises(StoreUnwritable, match=r"after 3 attempts"):
        backend.update_retrying("INSERT DATA { <urn:a> <urn:b> <urn:c> }", attempts=3, pause_s=0.01)


def test_select_reads_the_same_plain_values_on_every_backend(store: Store) -> None:
    """Numbers as int/float, booleans as bool, everything else as text, unbound as None."""
    graph = Graph(identifier=G)
    for p, o in (
        ("int", Literal(1945)),
        ("dec", Literal("2.5", datatype=URIRef(XSD + "decimal"))),
        ("bool", Literal(True)),
        ("date", Literal("1945-05-09", datatype=URIRef(XSD + "date"))),
        ("lang", Literal("Sieg", lang="de")),
        ("iri", S),
    ):
        graph.add((S, URIRef(f"urn:p:{p}"), o))
    store.put_graph(graph)
    assert store.backend.select(VALUES) == [
        {"int": 1945, "dec": 2.5, "bool": True, "date": "1945-05-09", "lang": "Sieg", "iri": str(S), "none": None}
    ]


def test_malformed_sparql_is_a_query_error_on_every_backend(store: Store) -> None:
    """The backend's parser refuses it, whichever backend it is."""
    with pytest.raises(QueryError):
        store.backend.select("SELECT ?x WHERE {")


# --- the supervised engine -----------------------------------------------------------------


@pytest.fixture
def engine() -> Iterator[Engine]:
    """A real supervised `oxigraph serve` (in memory), its event loop in a thread of the test."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    supervised = Engine(None)
    asyncio.run_coroutine_threadsafe(supervised.start(), loop).result(timeout=30)
    try:
        yield supervised
    finally:
        asyncio.run_coroutine_threadsafe(supervised.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def test_a_read_cut_by_an_engine_crash_waits_for_the_restart(engine: Engine) -> None:
    """SIGKILL the child, then read at once: the read waits for the next generation and answers."""
    backend = EngineBackend(engine)
    assert backend.select("SELECT (1 AS ?x) WHERE {}") == [{"x": 1}]
    first = engine.generation
    assert engine.pid is not None
    os.kill(engine.pid, signal.SIGKILL)
    assert backend.select("SELECT (2 AS ?x) WHERE {}") == [{"x": 2}]
    assert engine.generation > first


def test_the_lateral_probe_rides_out_a_restart_too(engine: Engine) -> None:
    """The first read of a new backend asks the engine about LATERAL: that question waits for a restart too."""
    backend = EngineBackend(engine)
    assert engine.pid is not None
    os.kill(engine.pid, signal.SIGKILL)
    assert backend.capabilities.lateral is True


def test_a_read_with_no_engine_back_in_time_is_a_store_error(engine: Engine) -> None:
    """An engine that does not come back within the wait: StoreError (503 in the API), not a hang."""
    backend = EngineBackend(engine, restart_wait_s=0.3)
    engine.port = _closed_port()  # where nothing listens: as if the engine were down for good
    started = time.monotonic()
    with pytest.raises(StoreError):
        backend.select("SELECT (1 AS ?x) WHERE {}")
    assert time.monotonic() - started < 5


def _closed_port() -> int:
    from api.engine import free_port

    return free_port()


# --- Virtuoso ---------------------------------------------------------------------------------


def test_skolemising_touches_only_blank_nodes() -> None:
    """``_:b`` becomes an IRI scoped by the graph; the same text inside a literal or an IRI stays."""
    update = 'INSERT DATA { GRAPH <urn:g> { _:b1 <urn:p> "_:b1 said \\" _:b2" . <urn:x_:y> <urn:p> _:b2 } }'
    out = skolemise(update)
    assert '"_:b1 said \\" _:b2"' in out and "<urn:x_:y>" in out
    assert "_:" not in out.replace('"_:b1 said \\" _:b2"', "").replace("<urn:x_:y>", "")
    assert out.count(SKOLEM) == 2
    assert skolemise(update.replace("urn:g", "urn:other")) != out  # another graph, other IRIs


def test_queries_blind_to_virtuosos_graphs_unless_they_name_one() -> None:
    """``GRAPH ?g`` and the default graph get the exclusion pragmas; a query naming its graph does
    not (Virtuoso 7.2 would find nothing in it)."""
    assert excluding("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").startswith("define input:")
    assert excluding("SELECT ?from WHERE { ?from ?p ?o }").startswith("define input:")
    named_queries = (
        "SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } }",
        "SELECT * FROM <urn:g> WHERE { ?s ?p ?o }",
        "PREFIX id: <urn:id:> SELECT * FROM NAMED id:g WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
    for named in named_queries:
        assert excluding(named) == named


@pytest.mark.virtuoso
def test_virtuoso_states_its_capabilities(virtuoso_server: str) -> None:
    """No LATERAL (the probe asks Virtuoso), no loader, transactions or text index of ours; an
    update request is applied whole, so a graph replacement is atomic."""
    assert open_backend(f"virtuoso:{virtuoso_server}").capabilities == Capabilities(graph_replace=True)


def _raw(endpoint: str, query: str) -> list[dict[str, str]]:
    """A query sent to Virtuoso as it is, past the backend."""
    response = httpx.post(endpoint, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


@pytest.mark.virtuoso
def test_virtuosos_own_graphs_are_never_seen(virtuoso_server: str) -> None:
    """Virtuoso holds thousands of quads of its own; through the backend GRAPH ?g, graph_names and
    stats see only what we stored."""
    own = int(_raw(virtuoso_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    with Store(f"virtuoso:{virtuoso_server}") as store:
        for name in store.graph_names():
            store.delete_graph(name)
        assert store.backend.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == [{"n": 0}]
        assert store.backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 0}]
        assert store.graph_names() == [] and store.stats()["quads"] == 0
    assert own > 1000


@pytest.mark.virtuoso
def test_blank_nodes_are_stored_as_iris_and_read_as_blank_nodes(virtuoso_server: str) -> None:
    """Virtuoso holds a skolem IRI; query, select and graph() give the blank node back."""
    graph = Graph(identifier=G)
    node = BNode("n1")
    graph.add((S, URIRef("urn:p:about"), node))
    with Store(f"virtuoso:{virtuoso_server}") as store:
        store.put_graph(graph)
        try:
            stored = _raw(virtuoso_server, f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <urn:p:about> ?o }} }}")
            assert stored[0]["o"].startswith(SKOLEM)
            (row,) = store.backend.query(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <urn:p:about> ?o }} }}")
            assert isinstance(row[0], BNode)  # type: ignore[index]
            assert store.backend.select(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}") == [
                {"o": str(row[0])}  # type: ignore[index]
            ]
            text = f'SELECT ?t WHERE {{ BIND("{SKOLEM}x" AS ?t) }}'  # a literal that only looks like one
            assert store.backend.select(text) == [{"t": f"{SKOLEM}x"}]
            (triple,) = store.graph(G)
            assert isinstance(triple[2], BNode)
        finally:
            store.delete_graph(G)


@pytest.mark.virtuoso
def test_a_graph_replacement_is_atomic_for_readers(virtuoso_server: str) -> None:
    """While one thread replaces a graph again and again, a reader always sees the whole old or the
    whole new graph, never none or both."""
    size = 40

    def version(n: int) -> Graph:
        graph = Graph(identifier=G)
        for i in range(size):
            graph.add((S, URIRef(f"urn:p:{i}"), Literal(f"version {n}")))
        return graph

    with Store(f"virtuoso:{virtuoso_server}") as writer, Store(f"virtuoso:{virtuoso_server}") as reader:
        writer.put_graph(version(0))
        done = threading.Event()

        def replace() -> None:
            try:
                for n in range(1, 30):
                    writer.put_graph(version(n))
            finally:
                done.set()

        thread = threading.Thread(target=replace)
        thread.start()
        seen = set()
        count = f"SELECT (COUNT(*) AS ?n) (SAMPLE(?o) AS ?v) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
        while not done.is_set():
            (row,) = reader.backend.select(count)
            assert row["n"] == size, row
            seen.add(row["v"])
        thread.join()
        writer.delete_graph(G)
    assert len(seen) > 1  # the reader did see replacements happen
