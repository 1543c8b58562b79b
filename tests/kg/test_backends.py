"""kg.backends: the registry, the capabilities, one conversion of results on every backend, and the
engine backend riding out a real engine restart."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef

from api.engine import Engine
from kg.backends import Capabilities, StoreSpec, open_backend
from kg.backends.engine import EngineBackend
from kg.backends.oxigraph import OxigraphBackend
from kg.backends.sparql import SparqlBackend
from kg.errors import ConfigError, QueryError, StoreError
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


@pytest.mark.parametrize("spec", ["nosuch:x", "engine:", ":", "oxigraph:", "sparql:ftp://h/q"])
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
