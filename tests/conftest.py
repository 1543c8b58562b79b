"""Shared fixtures: a real Oxigraph server for the session, a fresh ``Store`` per backend, and a real
web site on 127.0.0.1 for the tests that fetch pages, feeds and robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import running_oxigraph, running_virtuoso
from websample import Site, serve_site

from kg.store import Store


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server: needs a live `oxigraph serve` process (deselect with -m 'not server')")
    config.addinivalue_line("markers", "virtuoso: needs Debian's virtuoso-opensource (deselect with -m 'not virtuoso')")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of an ``oxigraph serve`` process running for the session."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-server")) as base:
        yield base


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL endpoint URL of a Virtuoso Open Source server running for the session: a fresh
    database in a temporary directory, on free ports of 127.0.0.1, its ``SPARQL`` user allowed to update."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        yield endpoint


def clear_virtuoso(endpoint: str) -> None:
    """Drop every graph of ours from the session Virtuoso (never ``DROP ALL``: that drops its own)."""
    from kg.backends.virtuoso import VirtuosoBackend

    backend = VirtuosoBackend(endpoint)
    try:
        for row in backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            backend.update(f"DROP GRAPH <{row['g']}>")
    finally:
        backend.close()


@pytest.fixture(
    params=[
        "oxigraph",
        "memory",
        pytest.param("sparql", marks=pytest.mark.server),
        pytest.param("virtuoso", marks=pytest.mark.virtuoso),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty ``Store`` on each backend: on-disk Oxigraph, in-memory Oxigraph, SPARQL server, Virtuoso."""
    kind = request.param
    if kind == "oxigraph":
        s = Store(f"oxigraph:{tmp_path}/store")
    elif kind == "memory":
        s = Store("memory:")
    elif kind == "virtuoso":
        endpoint = request.getfixturevalue("virtuoso_server")  # started only when a virtuoso test runs
        clear_virtuoso(endpoint)
        s = Store(f"virtuoso:{endpoint}")
    else:
        base = request.getfixturevalue("oxigraph_server")  # started only when a sparql test runs
        response = httpx.post(
            f"{base}/update",
            content="DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
            timeout=10.0,
        )
        response.raise_for_status()
        s = Store(f"sparql:{base}/query,{base}/update")
    try:
        yield s
    finally:
        s.close()


# --- a real web site on 127.0.0.1 ---------------------------------------------------------


@pytest.fixture
def site() -> Iterator[Site]:
    """A web site on a free port of 127.0.0.1, serving what the test puts in ``site.routes``; stopped after."""
    with serve_site() as web:
        yield web
