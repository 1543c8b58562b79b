"""API fixtures: two hand-built article graphs in a store on disk, served by a real uvicorn process.

``api`` is an Oxigraph store at a temporary path served by ``uvicorn api.main:create_app
--factory`` on a free port of 127.0.0.1 (``KG_MAX_QUERY_BYTES=8192`` so size limits are cheap to
test); ``remote_api`` serves the same graphs from the session ``oxigraph serve`` process through the
``sparql:`` backend. Both processes are stopped at teardown.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from apisample import MAX_QUERY_BYTES, Served
from apisample import article_graphs as sample_graphs
from rdflib import Graph, URIRef

from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_api(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Run ``uvicorn api.main:create_app --factory`` with ``env``; yield its base URL once /health answers."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**clean, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"uvicorn exited with {proc.returncode}:\n{log_path.read_text()}")
                try:
                    if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the API did not answer within {START_TIMEOUT_S}s:\n{log_path.read_text()}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def article_graphs() -> dict[URIRef, Graph]:
    """The two hand-built article graphs, by article IRI."""
    return sample_graphs()


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory, article_graphs: dict[URIRef, Graph]) -> Iterator[Served]:
    """The API serving an on-disk Oxigraph store holding the two articles."""
    where = tmp_path_factory.mktemp("api")
    path = where / "store"
    with Store(f"oxigraph:{path}") as store:
        for graph in article_graphs.values():
            store.put_article(graph)
    env = {"KG_STORE": f"oxigraph:{path}", "KG_MAX_QUERY_BYTES": str(MAX_QUERY_BYTES)}
    with serve_api(env, where / "uvicorn.log") as base:
        yield Served(base, article_graphs)


@pytest.fixture(scope="session")
def remote_api(
    tmp_path_factory: pytest.TempPathFactory, oxigraph_server: str, article_graphs: dict[URIRef, Graph]
) -> Iterator[Served]:
    """The API over the ``sparql:`` backend, in front of the session ``oxigraph serve`` process."""
    spec = f"sparql:{oxigraph_server}/query,{oxigraph_server}/update"
    httpx.post(
        f"{oxigraph_server}/update",
        content="DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=10.0,
    ).raise_for_status()
    with Store(spec) as store:
        for graph in article_graphs.values():
            store.put_article(graph)
    where = tmp_path_factory.mktemp("remote-api")
    with serve_api({"KG_STORE": spec}, where / "uvicorn.log") as base:
        yield Served(base, article_graphs)
