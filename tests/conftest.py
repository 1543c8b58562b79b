"""Shared fixtures: a real Oxigraph server for the session, a fresh ``Store`` per backend, and a real
web site on 127.0.0.1 for the tests that fetch pages, feeds and robots.txt."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websample import Site, serve_site

from kg.store import Store

OXIGRAPH_BIN = Path(sys.executable).parent / "oxigraph"
SERVER_START_TIMEOUT_S = 15.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server: needs a live `oxigraph serve` process (deselect with -m 'not server')")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of an ``oxigraph serve`` process running for the session."""
    if not OXIGRAPH_BIN.is_file():
        pytest.skip(f"no oxigraph server binary at {OXIGRAPH_BIN}")
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (location.parent / "oxigraph-server.log").open("wb")
    # --union-default-graph: queries without GRAPH (e.g. stats.rq) see every named graph,
    # as they do on the embedded backends (rdflib Dataset default_union=True).
    proc = subprocess.Popen(
        [
            str(OXIGRAPH_BIN),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {proc.returncode}; see {log.name}")
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer within {SERVER_START_TIMEOUT_S}s") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(params=["oxigraph", "memory", pytest.param("sparql", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty ``Store`` on each backend: on-disk Oxigraph, in-memory Oxigraph, SPARQL server."""
    kind = request.param
    if kind == "oxigraph":
        s = Store(f"oxigraph:{tmp_path}/store")
    elif kind == "memory":
        s = Store("memory:")
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
