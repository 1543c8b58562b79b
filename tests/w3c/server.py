"""The API under test: a store built on disk first, then served by ``uvicorn api.main:create_app``.

Every graph any test needs is loaded into ONE store before the server starts, each file into the
named graph that is its ``file:`` URL (or, for the protocol tests, the IRI the manifest names). A
test then picks its dataset per request with ``default-graph-uri`` / ``named-graph-uri``, exactly
as a client of the endpoint would: nothing is reloaded between tests, and nothing reaches the
store except through the API. Loading happens before the API opens the store, so it works the same
whichever process ends up owning the store directory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0
QUERY_TIMEOUT_S = 20.0


def build_store(location: Path, graphs: Mapping[str, Path | str]) -> frozenset[str]:
    """Load each source (a file, or N-Triples text) into its named graph; the IRIs of the non-empty graphs."""
    store = pyoxigraph.Store(str(location))
    try:
        for iri, source in graphs.items():
            graph = pyoxigraph.NamedNode(iri)
            if isinstance(source, Path):
                store.load(path=source, base_iri=source.resolve().as_uri(), to_graph=graph)
            else:
                store.load(source, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
        store.flush()
        return frozenset(
            g.value for g in store.named_graphs() if next(store.quads_for_pattern(None, None, None, g), None)
        )
    finally:
        del store  # closing releases the directory lock before the server opens it


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(location: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env |= {"KG_STORE": f"oxigraph:{location}", "KG_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S)}
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def _wait(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the API exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the API did not answer within {START_TIMEOUT_S:g}s:\n{log.read_text(errors='replace')}"
            )
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class Endpoints:
    """The two APIs of a run: ``main`` over every dataset, ``empty`` over an empty store."""

    main: str
    empty: str
    held: frozenset[str]  # IRIs of the non-empty graphs in the main store


@contextmanager
def deploy(workdir: Path, graphs: Mapping[str, Path | str]) -> Iterator[Endpoints]:
    """Build the main store from ``graphs`` and an empty one under ``workdir``; serve both."""
    held = build_store(workdir / "main", graphs)
    with serve(workdir / "main", workdir / "empty") as (main, empty):
        yield Endpoints(main, empty, held)


@contextmanager
def serve(*locations: Path) -> Iterator[list[str]]:
    """Serve each store directory with its own API process (started together); yield their base URLs."""
    with ExitStack() as stack:
        started = []
        for location in locations:
            log = location.parent / f"{location.name}.uvicorn.log"
            proc, base = _start(location, log)
            stack.callback(_stop, proc)
            started.append((proc, base, log))
        for proc, base, log in started:
            _wait(proc, base, log)
        yield [base for _, base, _ in started]


__all__ = ["REPO_ROOT", "Endpoints", "build_store", "deploy", "serve"]
