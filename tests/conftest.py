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
VIRTUOSO_BIN = Path("/usr/bin/virtuoso-t")  # Debian's virtuoso-opensource (installed by .ci/run)
VIRTUOSO_ISQL = Path("/usr/bin/isql-vt")
VIRTUOSO_START_TIMEOUT_S = 60.0
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server: needs a live `oxigraph serve` process (deselect with -m 'not server')")
    config.addinivalue_line("markers", "virtuoso: needs Debian's virtuoso-opensource (deselect with -m 'not virtuoso')")


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
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL endpoint URL of a Virtuoso Open Source server running for the session: a fresh
    database in a temporary directory, on free ports of 127.0.0.1, its ``SPARQL`` user allowed to update."""
    if not VIRTUOSO_BIN.is_file() or not VIRTUOSO_ISQL.is_file():
        pytest.skip(f"Virtuoso is not installed ({VIRTUOSO_BIN}): apt-get install virtuoso-opensource")
    where = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = where / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=where, sql_port=sql_port, http_port=http_port))
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    log = (where / "stdout.log").open("wb")
    proc = subprocess.Popen(
        [str(VIRTUOSO_BIN), "+foreground", "+configfile", str(ini)], cwd=where, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + VIRTUOSO_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {proc.returncode}; see {where / 'virtuoso.log'}")
            try:
                if httpx.post(endpoint, data={"query": "ASK {}"}, timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not answer within {VIRTUOSO_START_TIMEOUT_S}s")
            time.sleep(0.2)
        subprocess.run(
            [str(VIRTUOSO_ISQL), str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=30,
        )
        yield endpoint
    finally:
        _stop(proc)
        log.close()


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
