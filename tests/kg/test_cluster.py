"""Ingest on a Dask cluster (kg/cluster.py), against real parts: a scheduler and two workers started
here on 127.0.0.1, an ``oxigraph serve`` child as the shared store, the sample articles."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner
from websample import WIRE, WIRE_COPY, Route, Site, page

from kg.cli import app
from kg.cluster import ClusterSpec, Item, connect, extract_batch, ingest_on_cluster, write_batch
from kg.errors import ClusterError, ConfigError
from kg.fetch import FetchPolicy
from kg.ingest import Failure, ingest
from kg.namespaces import ID, ONTOLOGY_GRAPH
from kg.store import Store
from kg.stories import StoryLink

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
DASK = Path(sys.executable).parent / "dask"
START_TIMEOUT_S = 60.0
LOOPBACK_HTTP = ("--no-dashboard", "--dashboard-address", "127.0.0.1:0")  # their status pages: loopback, any port


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT_S) as client:
        client.wait_for_workers(n, timeout=START_TIMEOUT_S)


def _cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process so far, in clock ticks (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@contextlib.contextmanager
def running_cluster(logs: Path, workers: int) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A ``dask scheduler`` and single-threaded ``dask worker`` processes (no nanny) on 127.0.0.1,
    stopped after; the scheduler's address and the worker processes."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> subprocess.Popen[bytes]:
        with (logs / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, cwd=logs)
        procs.append(proc)
        return proc

    start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), *LOOPBACK_HTTP)
    worker_args = ["--nthreads", "1", "--no-nanny", *LOOPBACK_HTTP, "--host", "127.0.0.1"]
    started = [start(f"worker{i}", "worker", address, *worker_args, "--name", f"w{i}") for i in range(1, workers + 1)]
    try:
        _wait_for_workers(address, workers)
        yield address, started
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two workers, w1 and w2, for the module."""
    with running_cluster(tmp_path_factory.mktemp("dask"), 2) as cluster:
        yield cluster


@pytest.fixture
def server_store(oxigraph_server: str) -> Iterator[tuple[str, Store]]:
    """The session's ``oxigraph serve``, emptied: its ``sparql:`` spec and a ``Store`` on it."""
    httpx.post(
        f"{oxigraph_server}/update", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}
    ).raise_for_status()
    spec = f"sparql:{oxigraph_server}/query,{oxigraph_server}/update"
    with Store(spec) as store:
        yield spec, store


def _article_quads(store: Store) -> set[tuple[Any, ...]]:
    """Every quad but the ontology's: the article graphs, their listing graphs and the views."""
    return {q for q in store.quads() if q[3] != ONTOLOGY_GRAPH}


def _article_graphs(quads: set[tuple[Any, ...]]) -> set[Any]:
    """The article graphs among the graphs of ``quads`` (not their listings, nor the views)."""
    return {q[3] for q in quads if str(q[3]).startswith(str(ID["article/"]))}


@pytest.fixture(scope="module")
def single_process() -> tuple[Any, set[tuple[Any, ...]]]:
    """The samples ingested the plain way, in this process: the summary and the article quads."""
    with Store("memory:") as store:
        summary = ingest(store, [SAMPLES])
        return summary, _article_quads(store)


def test_a_killed_worker_loses_nothing_and_the_store_equals_a_single_process_ingest(
    dask_cluster: tuple[str, list[subprocess.Popen[bytes]]],
    server_store: tuple[str, Store],
    single_process: tuple[Any, set[tuple[Any, ...]]],
) -> None:
    """kill -9 of a worker mid-run: its batches run again on the other, every article stored once, quad for quad."""
    address, workers = dask_cluster
    _, store = server_store
    expected_summary, expected_quads = single_process
    import threading

    victim = workers[1]
    done: list[str] = []
    busy: list[int] = []
    stop = threading.Event()

    def kill_when_busy() -> None:
        """Once the run has stored something, kill -9 w2 while it is extracting (busy on its CPU)."""
        before = _cpu_ticks(victim.pid)
        while not stop.wait(0.1):
            now = _cpu_ticks(victim.pid)
            if done and now - before >= 5:  # 50 ms of CPU in 100 ms: a batch, not a heartbeat
                busy.append(now - before)
                os.kill(victim.pid, signal.SIGKILL)
                return
            before = now

    killer = threading.Thread(target=kill_when_busy, daemon=True)
    killer.start()
    try:
        summary = ingest_on_cluster(store, [SAMPLES], address, progress=done.append, batch_size=2)
    finally:
        stop.set()
        killer.join()
    assert busy, "w2 was never seen extracting while the run went on"
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert len(done) == summary.files == expected_summary.files
    assert not summary.failures
    assert (summary.articles, summary.facts, summary.quads) == (
        expected_summary.articles,
        expected_summary.facts,
        expected_summary.quads,
    )
    assert summary.stories == expected_summary.stories
    got = _article_quads(store)
    assert {q[3] for q in got} == {q[3] for q in expected_quads}
    assert len(_article_graphs(got)) == expected_summary.articles
    assert got == expected_quads


def test_the_cli_ingests_on_the_cluster_with_the_summary_of_kg_ingest(
    dask_cluster: tuple[str, list[subprocess.Popen[bytes]]], server_store: tuple[str, Store], tmp_path: Path
) -> None:
    """`kg ingest --cluster tcp://...` prints kg ingest's summary; a bad file is reported and skipped (exit 1)."""
    address, _ = dask_cluster
    spec, store = server_store
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("05_d-day-80th-2024.txt", "01_moscow-parade-2010-nato.txt"):
        if (SAMPLES / name).is_file():
            shutil.copy(SAMPLES / name, folder / name)
    good = len(list(folder.iterdir()))
    assert good
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--cluster", address, "--store", spec, "-q"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"failed: {folder / 'broken.json'}: ")
    assert lines[-1].startswith(f"{good} articles from {good + 1} files: ")
    assert lines[-1].endswith("; 1 failed")
    again = CliRunner().invoke(app, ["ingest", str(folder), "--cluster", address, "--store", spec, "-q"])
    assert f"{good} already stored, skipped" in again.output
    assert len([g for g in store.graph_names() if g != ONTOLOGY_GRAPH]) == good


def test_pages_and_their_copies_are_grouped_as_in_one_process(
    dask_cluster: tuple[str, list[subprocess.Popen[bytes]]], site: Site
) -> None:
    """Web pages are fetched by the client and extracted on the cluster; a copy joins the story of its original."""
    address, _ = dask_cluster
    site.routes["/robots.txt"] = Route(b"User-agent: *\n", content_type="text/plain")
    site.routes["/wire.html"] = Route(page("Putin watches Victory Day parade", WIRE, published="2025-05-09"))
    site.routes["/copy.html"] = Route(page("Victory Day in Moscow", WIRE_COPY, published="2025-05-09"))
    urls = [site.url("/wire.html"), site.url("/copy.html"), site.url("/gone.html")]
    policy = FetchPolicy(allow_private=True, delay=0, retries=0)
    with Store("memory:") as one, Store("memory:") as many:
        expected = ingest(one, urls, fetch=policy)
        got = ingest_on_cluster(many, urls, address, fetch=policy)
        assert got.copies == expected.copies == 1
        assert got.stories == expected.stories
        assert [f.path for f in got.failures] == [f.path for f in expected.failures] == [urls[2]]
        assert _article_quads(many) == _article_quads(one)


def test_an_article_sent_twice_is_stored_once(server_store: tuple[str, Store]) -> None:
    """A batch written again (its worker died before answering) replaces its graphs: no quad doubles."""
    from kg.articles import read_article

    spec, store = server_store
    path = SAMPLES / "05_d-day-80th-2024.txt"
    batch = extract_batch([Item(str(path), str(path), read_article(path))])
    link = StoryLink(batch[0].article_id, 1.0)  # type: ignore[union-attr]
    update_url = spec.split(",", 1)[1]
    assert write_batch(batch, [link], update_url) == [""]
    once = _article_quads(store)
    assert write_batch(batch, [link], update_url) == [""]
    assert _article_quads(store) == once
    assert len(_article_graphs(once)) == 1


def test_an_update_the_server_refuses_fails_alone(server_store: tuple[str, Store]) -> None:
    """A batch the server refuses is sent again article by article: the good one is stored, the bad one reported."""
    from dataclasses import replace

    from kg.articles import read_article
    from kg.mapping import article_iri
    from kg.store import PreparedGraph

    spec, store = server_store
    path = SAMPLES / "05_d-day-80th-2024.txt"
    (good,) = extract_batch([Item(str(path), str(path), read_article(path))])
    assert not isinstance(good, Failure)
    other = "0" * 16
    broken = f"INSERT DATA {{ GRAPH <{article_iri(other)}> {{ <a:b> "  # cut short: the server answers 400
    bad = replace(good, article_id=other, prepared=PreparedGraph(article_iri(other), broken, 1))
    links = [StoryLink(good.article_id, 1.0), StoryLink(other, 1.0)]
    reasons = write_batch([good, bad], links, spec.split(",", 1)[1])
    assert reasons[0] == ""
    assert reasons[1].startswith("SPARQL server refused the update: HTTP 400")
    assert _article_graphs(_article_quads(store)) == {good.prepared.name}


def test_a_local_cluster_writes_an_embedded_store_through_the_client(tmp_path: Path) -> None:
    """`--cluster local:1` starts its own worker; into an on-disk store the client is the one writer."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "05_d-day-80th-2024.txt", folder)
    spec = f"oxigraph:{tmp_path}/store"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--cluster", "local:1", "--store", spec, "-q"])
    assert result.exit_code == 0, result.output
    with Store(f"oxigraph:{tmp_path}/plain") as plain:
        expected = ingest(plain, [folder])
    assert result.output.strip().splitlines()[-1] == (
        f"1 articles from 1 files: {expected.facts} facts, {expected.quads} quads; 0 failed"
    )


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("tcp://127.0.0.1:8786", ClusterSpec(address="tcp://127.0.0.1:8786")),
        ("tls://scheduler.example:8786", ClusterSpec(address="tls://scheduler.example:8786")),
        ("local:2", ClusterSpec(local=2)),
    ],
)
def test_a_cluster_spec_is_an_address_or_a_local_size(text: str, spec: ClusterSpec) -> None:
    """tcp:// and tls:// addresses with a port, or local:N."""
    assert ClusterSpec.parse(text) == spec


@pytest.mark.parametrize("text", ["local:0", "local:", "local:x", "127.0.0.1:8786", "tcp://host", "http://h:1", ""])
def test_a_malformed_cluster_spec_is_refused(text: str) -> None:
    """Anything else is a ConfigError saying what --cluster takes."""
    with pytest.raises(ConfigError, match="--cluster"):
        ClusterSpec.parse(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "local:0"], "error: --cluster local:N needs a number of workers of at least 1, got 'local:0'"),
        (["--cluster", "local:1", "--workers", "2"], "error: --workers and --cluster do not go together"),
    ],
)
def test_the_cli_refuses_a_bad_cluster_in_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    """One line on stderr and a non-zero exit, before any store is opened."""
    spec = f"oxigraph:{tmp_path}/store"
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES), "--store", spec, *args])
    assert result.exit_code != 0
    assert result.output.strip().startswith(message)
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "store").exists()


def test_an_unreachable_scheduler_is_a_cluster_error() -> None:
    """Nothing listening at the address: ClusterError once the connect timeout has passed."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    reached = connect(ClusterSpec(address=address), timeout=1)
    with pytest.raises(ClusterError, match=re.escape(f"cannot reach the Dask scheduler at {address}: ")), reached:
        pass
    assert time.monotonic() - start < 30


def test_a_run_whose_last_worker_dies_stops_with_one_line(tmp_path: Path) -> None:
    """No worker left: the run stops after no_worker_timeout with a ClusterError, instead of waiting for ever."""
    with running_cluster(tmp_path, 1) as (address, (worker,)):

        def progress(source: str) -> None:
            if worker.poll() is None:
                os.kill(worker.pid, signal.SIGKILL)

        with Store("memory:") as store, pytest.raises(ClusterError, match=r"^no Dask worker left for 1 s \("):
            ingest_on_cluster(store, [SAMPLES], address, progress=progress, batch_size=1, no_worker_timeout=1)
        assert worker.wait(timeout=10) == -signal.SIGKILL


def test_a_batch_written_past_the_deferral_leaves_the_views_alone(server_store: tuple[str, Store]) -> None:
    """A worker told the views are deferred (``views=False``) writes the articles and their listings
    only; the views are the run's to build at its end."""
    from kg.articles import read_article
    from kg.listing import VIEWS

    spec, store = server_store
    path = SAMPLES / "05_d-day-80th-2024.txt"
    batch = extract_batch([Item(str(path), str(path), read_article(path))])
    link = StoryLink(batch[0].article_id, 1.0)  # type: ignore[union-attr]
    assert write_batch(batch, [link], spec.split(",", 1)[1], views=False) == [""]
    graphs = {q[3] for q in _article_quads(store)}
    assert len(_article_graphs(_article_quads(store))) == 1 and not graphs & set(VIEWS)


def test_a_long_run_builds_the_views_at_its_end_as_kg_ingest_does(
    dask_cluster: tuple[str, list[subprocess.Popen[bytes]]],
    server_store: tuple[str, Store],
    single_process: tuple[Any, set[tuple[Any, ...]]],
) -> None:
    """Past defer_views_after the workers write without the views; the run builds them at its end:
    the store holds what one process writes, the views included."""
    address, _ = dask_cluster
    _, store = server_store
    summary = ingest_on_cluster(store, [SAMPLES], address, defer_views_after=3)
    assert not summary.failures
    assert _article_quads(store) == single_process[1]
