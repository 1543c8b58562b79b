"""Real servers for the tests, each on free ports of 127.0.0.1 and stopped on exit: ``oxigraph serve``
over a store directory, and Virtuoso Open Source over a fresh database.

Imported as a plain module (pytest puts ``tests`` on ``sys.path``), by ``conftest.py`` and
``api/conftest.py``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_oxigraph(location: Path) -> Iterator[str]:
    """An ``oxigraph serve`` process over the store at ``location`` (made if absent), on a free port;
    its base URL once it answers. Stopped on exit."""
    if not OXIGRAPH_BIN.is_file():
        pytest.skip(f"no oxigraph server binary at {OXIGRAPH_BIN}")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (location.parent / f"{location.name}-server.log").open("wb")
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
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_virtuoso(where: Path) -> Iterator[str]:
    """A Virtuoso server with a fresh database in ``where``; its SPARQL endpoint URL. Stopped on exit."""
    if not VIRTUOSO_BIN.is_file() or not VIRTUOSO_ISQL.is_file():
        pytest.skip(f"Virtuoso is not installed ({VIRTUOSO_BIN}): apt-get install virtuoso-opensource")
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
        stop(proc)
        log.close()


__all__ = ["OXIGRAPH_BIN", "VIRTUOSO_BIN", "running_oxigraph", "running_virtuoso", "stop"]
