"""API fixtures: two hand-built article graphs in a store on disk, served by a real uvicorn process.

``api`` is an Oxigraph store at a temporary path served by ``uvicorn api.main:create_app
--factory`` on a free port of 127.0.0.1 (``KG_MAX_QUERY_BYTES=8192`` so size limits are cheap to
test); ``remote_api`` serves the same graphs from the session ``oxigraph serve`` process through the
``sparql:`` backend, ``virtuoso_api`` from the session Virtuoso server through the ``virtuoso:``
backend. The processes are stopped at teardown.

For the query engine's limits and the query page: ``engine_api`` serves the two articles plus a
300-triple filler graph with small limits (50 rows, 10 s) and exposes the uvicorn process, so a
test can find and kill its ``oxigraph serve`` child; ``corpus_api`` serves ``data/articles``
ingested by ``kg ingest``; ``processes`` reads /proc.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from apisample import MAX_QUERY_BYTES, Served
from apisample import article_graphs as sample_graphs
from rdflib import Graph, Literal, URIRef
from servers import running_oxigraph, running_virtuoso

from kg.namespaces import ONTOLOGY_GRAPH
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
    with serve_api_process(env, log_path) as (base, _):
        yield base


@contextmanager
def serve_api_process(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serve_api``, yielding the uvicorn process too."""
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
                "--http",
                "api.protocol:HttpProtocol",
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
            yield base, proc
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
        store.ensure_listings()  # as `kg ingest` leaves a store
        for graph in article_graphs.values():
            store.put_article(graph)
    where = tmp_path_factory.mktemp("remote-api")
    with serve_api({"KG_STORE": spec}, where / "uvicorn.log") as base:
        yield Served(base, article_graphs)


@pytest.fixture(scope="session")
def virtuoso_api(
    tmp_path_factory: pytest.TempPathFactory, virtuoso_server: str, article_graphs: dict[URIRef, Graph]
) -> Iterator[Served]:
    """The API over the ``virtuoso:`` backend, in front of the session Virtuoso server."""
    spec = f"virtuoso:{virtuoso_server}"
    with Store(spec) as store:
        for name in store.backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            store.backend.update(f"DROP GRAPH <{name['g']}>")  # never DROP ALL: Virtuoso's own graphs
        store.ensure_listings()  # as `kg ingest` leaves a store
        for graph in article_graphs.values():
            store.put_article(graph)
    where = tmp_path_factory.mktemp("virtuoso-api")
    with serve_api({"KG_STORE": spec}, where / "uvicorn.log") as base:
        yield Served(base, article_graphs)


# --- the JSON API over the sample articles (tests/api/test_json_*.py, test_entities_*.py) ---

API_TOKEN = "test-token-0123456789"
MAX_UPLOAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class KGApi:
    """A running API over ``data/articles``, ingested into a fresh on-disk store, writes enabled."""

    base: str
    token: str
    max_upload: int
    articles: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Corpus:
    """``data/articles`` ingested once into an on-disk store (closed): copied by the APIs that serve it."""

    path: Path
    articles: int

    def copy(self, where: Path) -> Path:
        """A copy of the store at ``where / "store"`` (the full-text index is rebuilt on first use)."""
        shutil.copytree(self.path, where / "store")
        return where / "store"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """``data/articles`` ingested with ``kg.ingest.ingest``, once per session."""
    from kg.ingest import ingest

    path = tmp_path_factory.mktemp("corpus") / "store"
    with Store(f"oxigraph:{path}") as store:
        summary = ingest(store, [ROOT / "data" / "articles"])
    assert summary.ok and summary.articles >= 16, summary.failures
    return Corpus(path, summary.articles)


@pytest.fixture(scope="session")
def kg_api(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[KGApi]:
    """``data/articles`` ingested with ``kg.ingest.ingest`` and served with KG_API_TOKEN set (and
    KG_ALLOW_PRIVATE, so posted URLs may point at a test site on 127.0.0.1)."""
    where = tmp_path_factory.mktemp("kg-api")
    path = corpus.copy(where)
    env = {
        "KG_STORE": f"oxigraph:{path}",
        "KG_API_TOKEN": API_TOKEN,
        "KG_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES),
        # POST /articles {"url"} tests fetch from a site on 127.0.0.1
        "KG_ALLOW_PRIVATE": "true",
        "KG_FETCH_DELAY": "0",
    }
    with serve_api(env, where / "uvicorn.log") as base:
        yield KGApi(base, API_TOKEN, MAX_UPLOAD_BYTES, corpus.articles)


# --- the same corpus on the other backends: `oxigraph serve` (sparql:) and Virtuoso (virtuoso:) ---


def _served_env(spec: str) -> dict[str, str]:
    """The environment of an API over ``spec`` with writes enabled, as ``kg_api``'s (the tests on
    these never write: they read, or are refused before anything is written)."""
    return {"KG_STORE": spec, "KG_API_TOKEN": API_TOKEN, "KG_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES)}


@pytest.fixture(scope="session")
def served_corpus_remote(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[KGApi]:
    """The corpus in its own ``oxigraph serve`` process (a copy of the store), behind the API as a
    ``sparql:`` store, with KG_API_TOKEN set."""
    where = tmp_path_factory.mktemp("corpus-remote")
    with running_oxigraph(corpus.copy(where)) as server:
        spec = f"sparql:{server}/query,{server}/update"
        with serve_api(_served_env(spec), where / "uvicorn.log") as base:
            yield KGApi(base, API_TOKEN, MAX_UPLOAD_BYTES, corpus.articles)


@pytest.fixture(scope="session")
def served_corpus_virtuoso(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[KGApi]:
    """The corpus in its own Virtuoso server, every graph written through ``Store.put_graph``, behind
    the API as a ``virtuoso:`` store, with KG_API_TOKEN set."""
    where = tmp_path_factory.mktemp("corpus-virtuoso")
    with running_virtuoso(where) as endpoint:
        with Store(f"oxigraph:{corpus.path}", read_only=True) as source, Store(f"virtuoso:{endpoint}") as target:
            target.ensure_listings()  # as `kg ingest` leaves a store
            for name in [*source.graph_names(), ONTOLOGY_GRAPH]:  # each article's listing is written with it
                target.put_graph(source.graph(name))
        with serve_api(_served_env(f"virtuoso:{endpoint}"), where / "uvicorn.log") as base:
            yield KGApi(base, API_TOKEN, MAX_UPLOAD_BYTES, corpus.articles)


@pytest.fixture(
    scope="session",
    params=[
        "oxigraph",
        pytest.param("oxigraph-serve", marks=pytest.mark.server),
        pytest.param("virtuoso", marks=pytest.mark.virtuoso),
    ],
)
def reads_api(request: pytest.FixtureRequest) -> KGApi:
    """The corpus served by the API over each backend: embedded Oxigraph (the API's own engine, as
    ``kg_api``), an ``oxigraph serve`` process (``sparql:``) and Virtuoso (``virtuoso:``), each with
    KG_API_TOKEN set. For the read and error tests, which must hold alike on every backend (and never
    write: a write would change the store the other tests of the session read)."""
    fixture = {"oxigraph": "kg_api", "oxigraph-serve": "served_corpus_remote", "virtuoso": "served_corpus_virtuoso"}
    return request.getfixturevalue(fixture[request.param])  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def readonly_api(tmp_path_factory: pytest.TempPathFactory, article_graphs: dict[URIRef, Graph]) -> Iterator[str]:
    """The API over the two hand-built articles with no KG_API_TOKEN: writes are disabled."""
    where = tmp_path_factory.mktemp("kg-api-readonly")
    path = where / "store"
    with Store(f"oxigraph:{path}") as store:
        for graph in article_graphs.values():
            store.put_article(graph)
    with serve_api({"KG_STORE": f"oxigraph:{path}"}, where / "uvicorn.log") as base:
        yield base


# --- the query engine, its limits and the query page (test_engine_*, test_sparql_*, test_page_*) ---

ENGINE_MAX_RESULTS = 50
ENGINE_QUERY_TIMEOUT_S = 10.0
ENGINE_MAX_QUERY_BYTES = 32 * 1024
FILLER_TRIPLES = 300  # enough that a 4-way cartesian product (8e9 rows) never finishes


def child_pids(pid: int, name: str) -> list[int]:
    """Live (not zombie) child processes of ``pid`` whose command is ``name``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if comm == name and rest[0] != "Z" and int(rest[1]) == pid:
            found.append(int(entry.name))
    return found


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


@dataclass(frozen=True)
class EngineApi:
    """A running API whose ``oxigraph serve`` child can be watched and killed."""

    base: str
    uvicorn: subprocess.Popen[bytes]
    log: Path
    max_results: int = ENGINE_MAX_RESULTS
    filler_triples: int = FILLER_TRIPLES
    max_query_bytes: int = ENGINE_MAX_QUERY_BYTES

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @staticmethod
    def alive(pid: int) -> bool:
        return pid_alive(pid)

    def engine_pid(self, timeout: float = 10.0) -> int:
        """The pid of the engine child, waiting for one while it restarts."""
        deadline = time.monotonic() + timeout
        while True:
            pids = child_pids(self.uvicorn.pid, "oxigraph")
            if len(pids) == 1:
                return pids[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"expected one oxigraph child of {self.uvicorn.pid}, found {pids}")
            time.sleep(0.05)


def filler_graph() -> Graph:
    """``FILLER_TRIPLES`` triples in one graph: data for expensive queries."""
    graph = Graph(identifier=URIRef("https://w3id.org/wwiikg/id/article/f111e7f111e7f111"))
    for i in range(FILLER_TRIPLES):
        graph.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
    return graph


def write_store(path: Path, graphs: Iterable[Graph]) -> None:
    """An on-disk Oxigraph store holding ``graphs``, written with pyoxigraph and closed.

    Not through ``kg.store.Store``: under pytest the first ``Store`` a process opens can stay
    referenced (a frame of ``Store._open`` outlives the call), keeping RocksDB's lock, and the
    engine child could then not open the store.
    """
    store = pyoxigraph.Store(str(path))
    for graph in graphs:
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(str(graph.identifier)))
    store.flush()
    del store


@pytest.fixture(scope="session")
def engine_api(tmp_path_factory: pytest.TempPathFactory, article_graphs: dict[URIRef, Graph]) -> Iterator[EngineApi]:
    """The two articles plus a filler graph, with a row cap of 50 and a 10 s time limit; tests may kill its engine."""
    where = tmp_path_factory.mktemp("engine-api")
    path = where / "store"
    write_store(path, (*article_graphs.values(), filler_graph()))
    env = {
        "KG_STORE": f"oxigraph:{path}",
        "KG_MAX_RESULTS": str(ENGINE_MAX_RESULTS),
        "KG_QUERY_TIMEOUT": str(ENGINE_QUERY_TIMEOUT_S),
        "KG_MAX_QUERY_BYTES": str(ENGINE_MAX_QUERY_BYTES),
    }
    log = where / "uvicorn.log"
    with serve_api_process(env, log) as (base, proc):
        yield EngineApi(base, proc, log)


@pytest.fixture(scope="session")
def corpus_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``data/articles`` ingested by ``kg ingest`` into a fresh store (never written to) and served; its base URL."""
    where = tmp_path_factory.mktemp("corpus-api")
    path = where / "store"
    kg = Path(sys.executable).parent / "kg"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    run = subprocess.run(
        [str(kg), "ingest", str(ROOT / "data" / "articles"), "--store", f"oxigraph:{path}"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with serve_api({"KG_STORE": f"oxigraph:{path}"}, where / "uvicorn.log") as base:
        yield base


@dataclass(frozen=True)
class Processes:
    """/proc lookups for tests that start and kill servers."""

    children = staticmethod(child_pids)
    alive = staticmethod(pid_alive)


@pytest.fixture
def processes() -> Processes:
    """``children(pid, name)`` and ``alive(pid)`` from /proc."""
    return Processes()


# --- a real headless browser (test_page_*.py) ---

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium driven by Debian's chromedriver, logging every network request."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
