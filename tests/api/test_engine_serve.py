"""`kg serve` runs the whole service: uvicorn, and the ``oxigraph serve`` child that owns the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from apisample import ASK_PUTIN, article_graphs

from api.engine import free_port
from kg.errors import StoreLocked
from kg.store import Store

KG = Path(sys.executable).parent / "kg"


def _store(tmp_path: Path) -> str:
    spec = f"oxigraph:{tmp_path / 'store'}"
    with Store(spec) as store:
        for graph in article_graphs().values():
            store.put_article(graph)
    return spec


def _kg_serve(spec: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(KG), "serve", "--store", spec, "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def _gone(pid: int, processes: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while processes.alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not processes.alive(pid)


def test_kg_serve_answers_through_its_engine_and_stops_it(tmp_path: Path, processes: Any) -> None:
    """`kg serve` holds the store in an oxigraph child and answers /sparql; on SIGTERM both exit and the store opens."""
    spec = _store(tmp_path)
    proc, base = _kg_serve(spec, tmp_path / "serve.log")
    try:
        [engine] = processes.children(proc.pid, "oxigraph")
        assert httpx.get(f"{base}/sparql", params={"query": ASK_PUTIN}).json()["boolean"] is True
        with pytest.raises(StoreLocked):
            Store(spec)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    assert _gone(engine, processes)
    with Store(spec) as store:
        assert store.stats()["articles"] == 2


def test_a_killed_api_takes_its_engine_with_it(tmp_path: Path, processes: Any) -> None:
    """SIGKILL of `kg serve` ends its oxigraph child too, so the store is not left locked."""
    spec = _store(tmp_path)
    proc, _ = _kg_serve(spec, tmp_path / "serve.log")
    [engine] = processes.children(proc.pid, "oxigraph")
    proc.kill()
    proc.wait(timeout=10)
    assert _gone(engine, processes)
    with _opened(spec) as store:
        assert store.stats()["articles"] == 2


def _opened(spec: str, timeout: float = 10.0) -> Store:
    """The store, once the kernel has released the dead engine's lock (a moment on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Store(spec)
        except StoreLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_locked_store_stops_kg_serve_with_one_clear_line(tmp_path: Path) -> None:
    """`kg serve` on a store another process holds exits non-zero, saying the store is open elsewhere."""
    spec = _store(tmp_path)
    with Store(spec):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
        run = subprocess.run(
            [str(KG), "serve", "--store", spec, "--port", str(free_port())],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode != 0
    output = (run.stdout + run.stderr).strip()
    assert "open in another process" in output
    assert len(output.splitlines()) == 1, output
