"""SPARQL and JSON API throughput and latency: our app next to a plain ``oxigraph serve`` on the same data.

    python bench/api.py                          # build a >= 1M-quad store, 10 s per case, 8 connections
    python bench/api.py --store /tmp/kg1m        # build it there once, reuse it on later runs
    python bench/api.py -d 3 --min-quads 200000  # a quick smoke run
    python bench/api.py --json                   # also print the figures as one JSON object

1. **Store.** Every sample article in ``data/articles`` is extracted once (``kg.extract.extract``,
   ``kg.mapping.to_graph``) and its facts serialised as N-Quads. The articles are varied as
   ``bench/ingest.py`` does (its ``make_articles``); a variant's graph is its sample's facts with the
   sample's article id replaced by the variant's (in every IRI minted from it, and the graph name),
   plus the variant's own article triples (text, hash, date, URL: ``to_graph`` of an empty
   extraction). They are bulk-loaded (pyoxigraph ``Store.bulk_load``) until the store holds at least
   ``--min-quads`` quads, plus the ontology graph. No spaCy run per variant, so 1M quads take ~30 s.
2. **Servers**, on free ports of 127.0.0.1: (a) ours, ``python -m uvicorn api.main:create_app --factory
   --http api.protocol:HttpProtocol --no-access-log`` (as ``kg serve`` runs it) with
   ``KG_STORE=oxigraph:<store>`` (its ``oxigraph serve`` child owns the store),
   and (b) a plain ``oxigraph serve --union-default-graph`` on a copy of the store (an Oxigraph store
   can be opened by one process only). Both are stopped at the end, also after an error.
3. **Load**, per case: a check, a warm-up, then ``--duration`` seconds at ``--concurrency``
   connections, with ``wrk`` when it is installed (else an asyncio/httpx load generator); every
   non-200 answer is an error. SPARQL cases are the same GET request (``?query=``, ``Accept:
   application/sparql-results+json``) to our ``/sparql`` and to the plain server's ``/query``, run in
   ABBA order (half the duration each time), and both answers must be the same.

See ``bench/README.md`` for the cases, the targets and what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# run as a script, bench/ comes first on sys.path, and this file would shadow the `api` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ingest import SOURCE, base_articles, make_articles  # noqa: E402

HOST = "127.0.0.1"
OXIGRAPH_BIN = Path(sys.executable).parent / "oxigraph"
SPARQL_JSON = "application/sparql-results+json"
WRK_MARK = "WRK-RESULT "
CHUNK_BYTES = 64 * 1024 * 1024  # N-Quads handed to one bulk_load call
MB = 1024 * 1024
# what `kg serve` runs (its HTTP protocol, the access log off); one process, uvloop and httptools when installed
APP_COMMAND = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
APP_COMMAND += ["--http", "api.protocol:HttpProtocol", "--no-access-log", "--log-level", "warning"]
UNION = "--union-default-graph"  # as our engine child runs: the default graph is the union of all graphs

PREFIXES = """PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
PERSON = "https://w3id.org/wwiikg/id/person/Q7747"  # Vladimir Putin
ARTICLE = "{article}"  # in a query: the first article graph (by IRI) in which PERSON holds an office

# (name, query, target: ours/plain req/s at least)
SPARQL_CASES: tuple[tuple[str, str, float], ...] = (
    (  # what one article says about a person and their office, and the article's title and date
        "lookup",
        PREFIXES
        + f"""SELECT ?s ?p ?o WHERE {{
  GRAPH <{ARTICLE}> {{
    {{ VALUES ?s {{ <{PERSON}> }} ?s ?p ?o }}
    UNION {{ <{PERSON}> wwii:holdsOffice ?s . ?s ?p ?o }}
    UNION {{ VALUES (?s ?p) {{ (<{ARTICLE}> schema:headline) (<{ARTICLE}> schema:datePublished) }} ?s ?p ?o }}
  }}
}}""",
        0.25,
    ),
    (  # events with their type and date
        "100 rows",
        PREFIXES
        + """SELECT ?event ?type ?date WHERE {
  GRAPH ?g { ?event wwii:eventType ?type ; wwii:date ?date }
} LIMIT 100""",
        0.5,
    ),
    (  # leaders with the events they took part in, as one article states it
        "join",
        PREFIXES
        + """SELECT ?leader ?name ?event ?type WHERE {
  GRAPH ?g {
    ?event wwii:participant ?leader ; wwii:eventType ?type .
    ?leader a wwii:Leader ; rdfs:label ?name .
  }
} LIMIT 100""",
        0.5,
    ),
)
LOOKUP_GRAPH_QUERY = f"""PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
SELECT ?g WHERE {{ GRAPH ?g {{ <{PERSON}> wwii:holdsOffice ?o }} }} ORDER BY ?g LIMIT 1"""

JSON_CASES: tuple[str, ...] = (
    "/leaders?limit=20",
    "/casualties?group=Soviet%20Union",
    "/events?type=parade&limit=20",
)
# list endpoints measured cold and warm only (no load run): every JSON list read, default filters
JSON_LATENCY_ONLY: tuple[str, ...] = (
    "/events?limit=20",
    "/casualties?limit=20",
    "/quotes?limit=20",
    "/timeline?limit=20",
    "/articles?limit=20",
)
JSON_P50_TARGET_MS = 5.0  # under load (wrk p50), and cold: p50 of distinct URLs the read cache misses
COLD_URLS = 21  # distinct URLs per JSON case for the cold p50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the store ---------------------------------------------------------------------------

_BNODE = re.compile(rb"_:([A-Za-z0-9_]+)")


def build_store(path: Path, min_quads: int, source: Path) -> dict[str, Any]:
    """A store of varied article graphs holding at least ``min_quads`` quads (see the module docstring)."""
    from pyoxigraph import RdfFormat
    from rdflib import Graph

    from kg.extract import extract
    from kg.gazetteer import load as load_gazetteer
    from kg.listing import VIEWS
    from kg.mapping import article_iri, to_graph
    from kg.nlp import load_pipeline
    from kg.records import Extraction
    from kg.store import Store

    views = tuple(f"<{v}> .\n".encode() for v in VIEWS)

    def nquads(graph: Graph) -> bytes:
        """The graph as the store writes it (with its listing graph), without the views, which count
        across articles and are built once the variants are loaded (``ensure_listings``)."""
        scratch = Store("memory:")
        scratch.put_graph(graph)
        data = bytes(scratch.native.dump(format=RdfFormat.N_QUADS))
        return b"".join(line for line in data.splitlines(keepends=True) if not line.endswith(views))

    start = time.perf_counter()
    bases = base_articles(source)
    nlp, gazetteer = load_pipeline(), load_gazetteer()
    templates: list[tuple[bytes, bytes, int]] = []  # article id, N-Quads of its facts, quads
    for article in bases:
        graph = to_graph(extract(article, nlp, gazetteer))
        own = f"<{article_iri(article)}> ".encode()  # the article's own triples: text, title, date...
        facts = b"".join(line for line in nquads(graph).splitlines(keepends=True) if not line.startswith(own))
        templates.append((article.id.encode(), facts, len(graph)))
    extracted = time.perf_counter()
    per_round = sum(t[2] for t in templates)
    rounds = math.ceil(min_quads / per_round)
    variants = make_articles(rounds * len(bases), source)  # variant i varies bases[i % len(bases)]
    log(
        f"extracted {len(bases)} sample articles in {extracted - start:.1f} s ({per_round:,} quads); "
        f"loading {len(variants):,} variants ..."
    )

    store = Store(f"oxigraph:{path}")
    try:
        chunk: list[bytes] = []
        size = 0
        for i, variant in enumerate(variants):
            article_id, facts, _ = templates[i % len(templates)]
            data = facts.replace(article_id, variant.id.encode())  # in every IRI minted from the article
            if b"_:" in data:  # blank nodes: one set per variant, not shared between them
                data = _BNODE.sub(rb"_:\1v" + str(i).encode(), data)
            data += nquads(to_graph(Extraction(article=variant)))  # its own text, hash, date, url
            chunk.append(data)
            size += len(data)
            if size >= CHUNK_BYTES or i == len(variants) - 1:
                store.native.bulk_load(input=b"".join(chunk), format=RdfFormat.N_QUADS)
                chunk, size = [], 0
        store.ensure_ontology()
        store.ensure_listings()  # the views, from every variant
        store.flush()
        quads = len(store.native)
    finally:
        store.close()
    seconds = time.perf_counter() - start
    return {
        "built": True,
        "samples": len(bases),
        "articles": len(variants),
        "quads": quads,
        "extract_seconds": round(extracted - start, 2),
        "build_seconds": round(seconds, 2),
        "store_mb": round(_dir_bytes(path) / MB, 1),
    }


def lookup_graph(path: Path) -> str:
    """The article graph the lookup case reads (see ``ARTICLE``)."""
    from kg.store import Store

    with Store(f"oxigraph:{path}", read_only=True) as store:
        rows = list(store.native.query(LOOKUP_GRAPH_QUERY))
    if not rows:
        raise SystemExit(f"no article in the store at {path} names {PERSON} with an office")
    return str(rows[0]["g"].value)


def existing_store(path: Path) -> dict[str, Any]:
    from kg.store import Store

    with Store(f"oxigraph:{path}", read_only=True) as store:
        quads = len(store.native)
        articles = int(store.rows("article_count")[0]["articles"] or 0)
    return {"built": False, "articles": articles, "quads": quads, "store_mb": round(_dir_bytes(path) / MB, 1)}


def _dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- the servers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    probe: str  # a path that answers 200 once the server is ready
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    _log: TextIO | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self._log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )

    def wait_ready(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with code {self.proc.returncode}; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + self.probe, headers={"Accept": SPARQL_JSON}, timeout=5).status_code == 200:
                    return
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within {timeout:g} s; see {self.log_path}")

    def stop(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # ours stops its engine child in its lifespan
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None


def engine_pid(app: Server) -> int | None:
    """The pid of our app's ``oxigraph serve`` child (its own session, so not in the app's group)."""
    if app.proc is None:
        return None
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        if int(stat[stat.rfind(")") + 2 :].split()[1]) == app.proc.pid and "oxigraph" in stat[: stat.rfind(")")]:
            return int(entry.name)
    return None


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a live process (0 if gone)."""
    if pid is None:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- load --------------------------------------------------------------------------------

WRK_SCRIPT = """
non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200") end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"non200":%d,"socket_errors":%d,'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    "WRK-RESULT ", summary.requests, summary.duration, summary.bytes, bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Load:
    requests: int
    seconds: float
    errors: int  # non-200 answers and failed requests
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(url: str, headers: dict[str, str], duration: float, concurrency: int, threads: int, script: Path) -> Load:
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{max(1, round(duration))}s", "-s", str(script)]
    cmd += ["--timeout", "30s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=False, timeout=duration + 90)
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARK):
            r = json.loads(line[len(WRK_MARK) :])
            return Load(
                requests=r["requests"],
                seconds=r["duration_us"] / 1e6,
                errors=r["non200"] + r["socket_errors"],
                p50_ms=r["p50_us"] / 1000,
                p90_ms=r["p90_us"] / 1000,
                p99_ms=r["p99_us"] / 1000,
                max_ms=r["max_us"] / 1000,
            )
    raise SystemExit(f"wrk failed (exit code {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def run_python(url: str, headers: dict[str, str], duration: float, concurrency: int) -> Load:
    """``concurrency`` asyncio workers on one pooled httpx client, each looping until the deadline."""
    import httpx

    async def main() -> Load:
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
            loop = asyncio.get_running_loop()
            start = loop.time()
            deadline = start + duration

            async def worker() -> None:
                nonlocal errors
                while loop.time() < deadline:
                    t0 = time.perf_counter()
                    try:
                        response = await client.get(url)
                        await response.aread()
                        ok = response.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    latencies.append(time.perf_counter() - t0)
                    errors += not ok

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            seconds = loop.time() - start
        ordered = sorted(latencies) or [0.0]

        def pct(q: float) -> float:
            return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] * 1000

        return Load(len(latencies), seconds, errors, pct(0.5), pct(0.9), pct(0.99), ordered[-1] * 1000)

    return asyncio.run(main())


@dataclass
class Case:
    kind: str  # "sparql" or "json"
    name: str
    server: str  # "ours" or "plain"
    path: str
    headers: dict[str, str]
    target: float | None = None
    query: str | None = None  # SPARQL cases: the query sent (URL-encoded in ``path``)
    rows: int | None = None
    check: str = ""
    cold_ms: float | None = None  # JSON: p50 of COLD_URLS distinct URLs, each a read-cache miss
    seq_p50_ms: float | None = None  # 1 connection, sequential; for JSON cases cached (warm)
    loaded: bool = True  # False: a JSON case measured cold and warm only
    answer: str | None = None  # digest of the parsed answer
    load: Load | None = None
    cpu: dict[str, float] = field(default_factory=dict)  # cores busy, per process
    cpu_ms_per_request: float | None = None  # app + engine + plain CPU time per request
    load_avg: float = 0.0


def count_rows(body: Any) -> int | None:
    if isinstance(body, dict) and "results" in body:
        return len(body["results"]["bindings"])
    if isinstance(body, dict):
        for key in ("items", "figures", "results", "data"):
            if isinstance(body.get(key), list):
                return len(body[key])
    if isinstance(body, list):
        return len(body)
    return None


def preflight(case: Case, base: str, sequential: int = 20) -> None:
    """Sequential requests before the load, each of which must be 200 with JSON.

    Sets ``rows``, ``answer`` and ``seq_p50_ms`` (one connection, one request at a time, as a
    Python client sees it: for JSON cases the warm latency, answered from the read cache); for JSON
    cases also ``cold_ms``, the p50 over ``COLD_URLS`` distinct URLs (an unused query parameter
    varies), each of which misses the read cache and is computed from the store.
    """
    import httpx

    with httpx.Client(base_url=base, headers=case.headers, timeout=60) as client:
        response = client.get(case.path)
        if response.status_code != 200:
            case.check = f"HTTP {response.status_code}: {response.text[:200]}"
            return
        try:
            body = response.json()
        except ValueError:
            case.check = "not JSON"
            return
        case.rows = count_rows(body)
        case.answer = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()
        case.check = "ok"
        times = []
        for _ in range(sequential):
            t0 = time.perf_counter()
            again = client.get(case.path)
            times.append(time.perf_counter() - t0)
            if again.status_code != 200:
                case.check = f"HTTP {again.status_code} on a repeat"
        case.seq_p50_ms = round(statistics.median(times) * 1000, 2)
        if case.kind == "json":  # the read cache keys on the query string: a new one misses it
            sep = "&" if "?" in case.path else "?"
            times = []
            for i in range(COLD_URLS):
                t0 = time.perf_counter()
                miss = client.get(f"{case.path}{sep}_bench={time.time_ns()}-{i}")
                times.append(time.perf_counter() - t0)
                if miss.status_code != 200:
                    case.check = f"uncached HTTP {miss.status_code}"
            case.cold_ms = round(statistics.median(times) * 1000, 2)


def make_cases(article: str) -> list[Case]:
    cases = []
    for name, template, target in SPARQL_CASES:
        text = template.replace(ARTICLE, article)
        q = quote(text, safe="")
        accept = {"Accept": SPARQL_JSON}
        cases.append(Case("sparql", name, "ours", f"/sparql?query={q}", accept, target, text))
        cases.append(Case("sparql", name, "plain", f"/query?query={q}", accept, target, text))
    for path in JSON_CASES:
        cases.append(Case("json", path, "ours", path, {"Accept": "application/json"}, JSON_P50_TARGET_MS))
    for path in JSON_LATENCY_ONLY:
        json_case = Case("json", path, "ours", path, {"Accept": "application/json"}, JSON_P50_TARGET_MS)
        json_case.loaded = False
        cases.append(json_case)
    return cases


def merge(loads: list[Load]) -> Load:
    """Slices of one case as one: counts summed; percentiles the mean of the slices' (max the max)."""
    return Load(
        requests=sum(x.requests for x in loads),
        seconds=sum(x.seconds for x in loads),
        errors=sum(x.errors for x in loads),
        p50_ms=statistics.fmean(x.p50_ms for x in loads),
        p90_ms=statistics.fmean(x.p90_ms for x in loads),
        p99_ms=statistics.fmean(x.p99_ms for x in loads),
        max_ms=max(x.max_ms for x in loads),
    )


class Runner:
    """Runs load against one case and books the CPU the three server processes spent meanwhile."""

    def __init__(self, servers: dict[str, Server], args: argparse.Namespace, script: Path | None) -> None:
        self.servers, self.args, self.script = servers, args, script
        app, plain = servers["ours"].proc, servers["plain"].proc
        self.pids = {
            "app": app.pid if app is not None else None,
            "engine": engine_pid(servers["ours"]),
            "plain": plain.pid if plain is not None else None,
        }
        self.slices: dict[int, list[Load]] = {}
        self.cpu: dict[int, dict[str, float]] = {}

    def go(self, case: Case, seconds: float, *, book: bool = True) -> None:
        url = self.servers[case.server].base + case.path
        before = {k: cpu_seconds(pid) for k, pid in self.pids.items()}
        if self.script is not None:
            load = run_wrk(url, case.headers, seconds, self.args.concurrency, self.args.threads, self.script)
        else:
            load = run_python(url, case.headers, seconds, self.args.concurrency)
        if not book:
            return
        spent = self.cpu.setdefault(id(case), dict.fromkeys(self.pids, 0.0))
        for k, pid in self.pids.items():
            spent[k] += cpu_seconds(pid) - before[k]
        self.slices.setdefault(id(case), []).append(load)

    def finish(self, case: Case) -> None:
        case.load = load = merge(self.slices[id(case)])
        spent = self.cpu[id(case)]
        case.cpu = {k: round(v / load.seconds, 2) for k, v in spent.items()}
        case.cpu_ms_per_request = round(sum(spent.values()) * 1000 / load.requests, 3) if load.requests else None
        case.load_avg = round(os.getloadavg()[0], 2)
        log(
            f"{case.kind:6} {case.name:34} {case.server:5}: {load.rps:9,.0f} req/s  "
            f"p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms  errors {load.errors}  "
            f"({case.check}, {case.rows} rows; load average {case.load_avg})"
        )


def measure(cases: list[Case], servers: dict[str, Server], args: argparse.Namespace, script: Path | None) -> None:
    """Every case: a check, a warm-up, then the measured load.

    A SPARQL case's two servers run in ABBA order (ours, plain, plain, ours; each half the duration),
    so a change in what else the machine runs meanwhile weighs on both alike.
    """
    runner = Runner(servers, args, script)
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(f"{case.kind} {case.name}", []).append(case)
    for group in groups.values():
        for case in group:
            preflight(case, servers[case.server].base)
            if not case.loaded:
                continue
            if args.warmup > 0:
                runner.go(case, args.warmup, book=False)
        if not all(case.loaded for case in group):
            continue
        if len(group) == 2:
            a, b = group
            for case in (a, b, b, a):
                runner.go(case, args.duration / 2)
            if a.answer is not None and a.answer != b.answer:
                a.check = b.check = "the two servers' answers differ"
        else:
            for case in group:
                runner.go(case, args.duration)
        for case in group:
            runner.finish(case)


# --- the report --------------------------------------------------------------------------


def _fmt(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def table(cases: list[Case]) -> str:
    head = ["case", "server", "rows", "requests", "errors", "req/s", "p50 ms", "p99 ms"]
    head += ["1-conn p50 ms", "CPU ms/req", "cores app/engine/plain"]
    rows = [head]
    for c in cases:
        if c.load is None:
            continue
        cores = f"{c.cpu.get('app', 0):.2f} / {c.cpu.get('engine', 0):.2f} / {c.cpu.get('plain', 0):.2f}"
        rows.append(
            [
                f"{c.kind} {c.name}",
                "ours" if c.server == "ours" else "oxigraph serve",
                _fmt(c.rows),
                _fmt(c.load.requests),
                _fmt(c.load.errors),
                _fmt(c.load.rps, 0),
                _fmt(c.load.p50_ms),
                _fmt(c.load.p99_ms),
                _fmt(c.seq_p50_ms),
                _fmt(c.cpu_ms_per_request),
                cores,
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        out = [cells[0].ljust(widths[0]), cells[1].ljust(widths[1])]
        out += [c.rjust(w) for c, w in zip(cells[2:], widths[2:], strict=True)]
        return "| " + " | ".join(out) + " |"

    rule = "|" + "|".join("-" * (w + 2) if i < 2 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def verdicts(cases: list[Case]) -> list[dict[str, Any]]:
    out = []
    by = {(c.name, c.server): c for c in cases if c.kind == "sparql"}
    for name, _, target in SPARQL_CASES:
        ours, plain = by.get((name, "ours")), by.get((name, "plain"))
        if ours is None or plain is None or ours.load is None or plain.load is None or not plain.load.rps:
            continue
        ratio = ours.load.rps / plain.load.rps
        out.append(
            {
                "case": f"sparql {name}",
                "measure": "req/s ours / plain",
                "value": round(ratio, 3),
                "target": f">= {target:g}",
                "met": ratio >= target,
                "p50_ratio": round(ours.load.p50_ms / plain.load.p50_ms, 2) if plain.load.p50_ms else None,
            }
        )
    for c in cases:
        if c.kind == "json" and c.cold_ms is not None:
            out.append(
                {
                    "case": f"json {c.name}",
                    "measure": "cold p50 ms",
                    "value": round(c.cold_ms, 2),
                    "target": f"<= {JSON_P50_TARGET_MS:g}",
                    "met": c.cold_ms <= JSON_P50_TARGET_MS,
                }
            )
        if c.kind == "json" and c.load is not None:
            out.append(
                {
                    "case": f"json {c.name}",
                    "measure": "p50 ms under load",
                    "value": round(c.load.p50_ms, 2),
                    "target": f"<= {JSON_P50_TARGET_MS:g}",
                    "met": c.load.p50_ms <= JSON_P50_TARGET_MS,
                }
            )
    return out


def report(cases: list[Case], info: dict[str, Any], as_json: bool) -> bool:
    print()
    print(table(cases))
    print()
    print(
        f"{info['cpus']} CPUs; store {info['store']['quads']:,} quads, {info['store']['articles']:,} articles; "
        f"load generator {info['loadgen']}, {info['concurrency']} connections, {info['duration']:g} s per case "
        f"after {info['warmup']:g} s warm-up; load average before {info['load_before']}, after {info['load_after']}"
    )
    print(
        "1-conn p50: sequential requests from a Python client before the load. CPU ms/req: CPU time of the "
        "server processes per request; cores: CPU seconds per second (app: the uvicorn process; engine: its "
        "oxigraph child; plain: oxigraph serve)"
    )
    print(
        f"JSON reads, 1 connection, sequential: cold = p50 of {COLD_URLS} distinct URLs (each a read-cache miss, "
        "computed from the store); warm = p50 of 20 repeats of one URL (answered from the read cache)"
    )
    for c in cases:
        if c.kind == "json":
            print(f"json {c.name:40} cold p50 {_fmt(c.cold_ms):>7} ms   warm p50 {_fmt(c.seq_p50_ms):>6} ms")
    for c in cases:
        if c.check != "ok":
            print(f"CHECK FAILED {c.kind} {c.name} ({c.server}): {c.check}")
    print()
    checks = verdicts(cases)
    for v in checks:
        extra = f" (p50 ours/plain {v['p50_ratio']:.2f})" if v.get("p50_ratio") is not None else ""
        print(
            f"{v['case']:40} {v['measure']:19} {v['value']:8.2f}  target {v['target']:7} "
            f"{'met' if v['met'] else 'MISSED'}{extra}"
        )
    errors = sum(c.load.errors for c in cases if c.load is not None)
    failed = [c for c in cases if c.check != "ok"]
    print(f"errors (non-200 or failed requests): {errors}; failed checks: {len(failed)}")
    if as_json:
        results = []
        for c in cases:
            d = asdict(c)
            d.pop("headers")
            d["path"] = c.path if c.kind == "json" else c.path.split("?", 1)[0]
            if c.load is not None:
                d["load"]["rps"] = round(c.load.rps, 1)
            results.append(d)
        print(json.dumps({**info, "results": results, "verdicts": checks}))
    return errors == 0 and not failed


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark /sparql and the JSON API against a plain `oxigraph serve` on a >= 1M-quad store.",
    )
    parser.add_argument("--store", type=Path, default=None, help="store directory: reused if it exists, else built")
    parser.add_argument("--min-quads", type=int, default=1_000_000, help="quads to build (default 1,000,000)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="sample articles to vary (default data/articles)")
    parser.add_argument("-d", "--duration", type=float, default=10.0, help="seconds of load per case (default 10)")
    parser.add_argument("-c", "--concurrency", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto", help="default: wrk if found")
    parser.add_argument("--work-dir", type=Path, default=None, help="where the temp store, copy and logs go")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (built store, logs)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.concurrency < 1 or args.threads < 1 or args.min_quads < 1:
        parser.error("--duration, --concurrency, --threads and --min-quads must be positive")
    if args.threads > args.concurrency:
        args.threads = args.concurrency
    return args


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so the servers are stopped on the way out


@contextlib.contextmanager
def running(servers: list[Server], timeout: float) -> Iterator[None]:
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(timeout)
        yield
    finally:
        for server in servers:
            server.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    loadgen = args.loadgen
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    if loadgen == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --loadgen python")
    if not OXIGRAPH_BIN.is_file():
        raise SystemExit(f"no oxigraph server binary at {OXIGRAPH_BIN}; install the 'oxigraph' package")
    if args.work_dir is not None:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kg-apibench-", dir=args.work_dir))
    load_before = round(os.getloadavg()[0], 2)
    ok = False
    try:
        store = args.store.resolve() if args.store is not None else work / "store"
        if store.is_dir() and any(store.iterdir()):
            log(f"reusing the store at {store}")
            store_info = existing_store(store)
        else:
            log(f"building a store of >= {args.min_quads:,} quads at {store} ...")
            partial = store.with_name(store.name + ".partial")  # so a failed build is never reused
            shutil.rmtree(partial, ignore_errors=True)
            store_info = build_store(partial, args.min_quads, args.source)
            if store.exists():
                store.rmdir()  # empty
            partial.rename(store)
        log(
            f"store: {store_info['quads']:,} quads, {store_info['articles']:,} articles, "
            f"{store_info['store_mb']:,.1f} MB"
        )
        built = f"built in {store_info['build_seconds']:.1f} s" if store_info["built"] else "reused"
        print(f"store: {store_info['quads']:,} quads, {store_info['articles']:,} articles ({built})")
        store_info["lookup_graph"] = lookup_graph(store)
        t0 = time.perf_counter()
        copy = work / "plain-copy"
        shutil.copytree(store, copy)
        log(f"copied the store for the plain server in {time.perf_counter() - t0:.1f} s")

        app_port, plain_port = free_port(), free_port()
        app = Server(
            "our app",
            [*APP_COMMAND, "--host", HOST, "--port", str(app_port)],
            app_port,
            "/health",
            work / "app.log",
            env={"KG_STORE": f"oxigraph:{store}"},
        )
        plain = Server(
            "oxigraph serve",
            [str(OXIGRAPH_BIN), "serve", "--location", str(copy), "--bind", f"{HOST}:{plain_port}", UNION],
            plain_port,
            "/query?query=" + quote("ASK {}", safe=""),
            work / "plain.log",
        )
        script: Path | None = None
        if loadgen == "wrk":
            script = work / "bench.lua"
            script.write_text(WRK_SCRIPT, encoding="utf-8")
        with running([app, plain], timeout=120):
            log(f"ours at {app.base} (engine pid {engine_pid(app)}), oxigraph serve at {plain.base}")
            cases = make_cases(store_info["lookup_graph"])
            measure(cases, {"ours": app, "plain": plain}, args, script)
        info = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "store": store_info,
            "loadgen": loadgen if loadgen == "python" else f"wrk -t{args.threads}",
            "concurrency": args.concurrency,
            "duration": args.duration,
            "warmup": args.warmup,
            "load_before": load_before,
            "load_after": round(os.getloadavg()[0], 2),
        }
        ok = report(cases, info, args.json)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
