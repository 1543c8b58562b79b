"""Faults, measured on real processes: what users see, and what the store holds afterwards.

    python bench/faults.py               # all four, about three minutes
    python bench/faults.py engine lock   # some of them: engine, ingest, lock, disk

- **engine**: ``kg serve`` over the sample articles under load (16 clients mixing /sparql and
  uncached JSON reads); its ``oxigraph serve`` child is killed with SIGKILL. Printed: every status
  the clients saw and how often, and for /sparql and the JSON routes the time from the kill to the
  first answer after it that the new engine served.
- **ingest**: 200 articles (the samples, varied as ``bench/ingest.py`` does) ingested cleanly; then
  again into a fresh store, ``kg ingest`` killed with SIGKILL half-way. Every article graph in the
  killed store is compared quad for quad with the clean store's; ``kg ingest`` is run again and the
  whole store compared with the clean one.
- **lock**: ``kg ingest`` into the store a running ``kg serve`` holds: its exit code and stderr.
- **disk**: ``kg ingest`` of the 200 articles into a store on an 8 MB tmpfs (needs root for
  ``mount``): its exit code and last lines, then every article graph left compared with the clean
  store's.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from rdflib import Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ingest import make_articles, write_articles  # noqa: E402  (bench/ingest.py)

from api.engine import free_port  # noqa: E402
from kg.namespaces import ONTOLOGY_GRAPH  # noqa: E402
from kg.store import Store  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
SOURCE = ROOT / "data" / "articles"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}


def kg(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], capture_output=True, text=True, env=ENV, timeout=timeout, check=False)


@contextmanager
def serving(spec: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    proc = subprocess.Popen(
        [KG, "serve", "--store", spec, "--port", str(port)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def children(pid: int, name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            if comm == name and rest[0] != "Z" and int(rest[1]) == pid:
                found.append(int(entry.name))
    return found


def graphs(spec: str) -> dict[str, set[tuple[Any, ...]]]:
    """Every named graph's triples, by graph."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    with Store(spec, read_only=True) as store:
        for s, p, o, g in store.quads():
            out.setdefault(str(g), set()).add((s, p, o))
    return out


def same(a: dict[str, set[tuple[Any, ...]]], b: dict[str, set[tuple[Any, ...]]]) -> bool:
    """Equal graph for graph; the ontology graph (loaded with fresh blank nodes by each store) up to isomorphism."""
    onto = str(ONTOLOGY_GRAPH)
    if {g: t for g, t in a.items() if g != onto} != {g: t for g, t in b.items() if g != onto}:
        return False
    left, right = Graph(), Graph()
    for graph, triples in ((left, a.get(onto, set())), (right, b.get(onto, set()))):
        for triple in triples:
            graph.add(triple)
    return isomorphic(left, right)


def corpus(where: Path, n: int = 200) -> Path:
    folder = where / "articles"
    write_articles(make_articles(n, SOURCE), folder)
    return folder


# --- the four faults ------------------------------------------------------------------------------


def engine(where: Path) -> None:
    spec = f"oxigraph:{where / 'engine-store'}"
    kg("ingest", str(SOURCE), "--store", spec, "-q")
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/wwiikg/ontology#Leader> } LIMIT 5 OFFSET {n}"
    with serving(spec) as (base, proc):
        log: list[tuple[float, float, str, int]] = []
        details: dict[str, str] = {}
        killed_at = 0.0

        async def client(http: httpx.AsyncClient, stop: float) -> None:
            while (now := time.monotonic()) < stop:
                if random.random() < 0.5:
                    kind, url = "sparql", "/sparql"
                    params = {"query": query.replace("{n}", str(random.randrange(10**6)))}
                else:  # a new key each time: never answered from the read cache
                    kind, url, params = "json", "/leaders", {"name": f"x{random.randrange(10**9)}"}
                try:
                    response = await http.get(url, params=params, headers={"Accept": "application/json"})
                    status = response.status_code
                    if status != 200:
                        details.setdefault(f"{kind} {status}", response.text[:200])
                except httpx.TransportError as exc:
                    status = 0
                    details.setdefault(f"{kind} 0", repr(exc))
                log.append((now, time.monotonic(), kind, status))

        async def load() -> None:
            nonlocal killed_at
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                stop = time.monotonic() + 8
                tasks = [asyncio.create_task(client(http, stop)) for _ in range(16)]
                await asyncio.sleep(3)
                (child,) = children(proc.pid, "oxigraph")
                killed_at = time.monotonic()
                os.kill(child, signal.SIGKILL)
                await asyncio.gather(*tasks)

        asyncio.run(load())
    statuses = dict(sorted(Counter(f"{kind} {status}" for _, _, kind, status in log).items()))
    print(f"engine: {len(log)} requests in 8 s, SIGKILL to the engine at 3 s; statuses {statuses}")
    for key, detail in sorted(details.items()):
        print(f"  first {key}: {detail}")
    for kind in ("sparql", "json"):
        after = [(end, status) for start, end, k, status in log if k == kind and start > killed_at]
        bad = [status for end, status in after if status != 200]
        first_ok = min((end for end, status in after if status == 200), default=float("nan"))
        print(
            f"  {kind}: first 200 sent after the kill answered {first_ok - killed_at:.2f} s after it; "
            f"non-200 after the kill: {Counter(bad)}"
        )


def ingest(where: Path) -> None:
    folder = corpus(where)
    clean = f"oxigraph:{where / 'clean'}"
    started = time.monotonic()
    run = kg("ingest", str(folder), "--store", clean, "-q")
    took = time.monotonic() - started
    print(f"ingest: clean run {took:.1f} s: {run.stdout.strip()}")
    clean_graphs = graphs(clean)
    killed = f"oxigraph:{where / 'killed'}"
    proc = subprocess.Popen([KG, "ingest", str(folder), "--store", killed, "-q"], env=ENV, stdout=subprocess.DEVNULL)
    time.sleep(took / 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    half = graphs(killed)
    articles = [g for g in half if "/article/" in g]
    whole = [g for g in articles if half[g] == clean_graphs.get(g)]
    print(f"  SIGKILL at {took / 2:.1f} s: {len(articles)} article graphs stored, {len(whole)} equal to the clean ones")
    started = time.monotonic()
    again = kg("ingest", str(folder), "--store", killed, "-q")
    print(f"  re-run {time.monotonic() - started:.1f} s: {again.stdout.strip()} (exit {again.returncode})")
    after = graphs(killed)
    quads = sum(len(q) for q in after.values())
    print(
        f"  store after the re-run equals the clean store quad for quad: {same(after, clean_graphs)} "
        f"({quads} quads, {len(after)} graphs; the ontology graph's blank nodes up to isomorphism)"
    )


def lock(where: Path) -> None:
    spec = f"oxigraph:{where / 'lock-store'}"
    kg("ingest", str(SOURCE / "05_d-day-80th-2024.txt"), "--store", spec, "-q")
    with serving(spec):
        run = kg("ingest", str(SOURCE), "--store", spec)
    print(f"lock: kg ingest beside kg serve: exit {run.returncode}, stderr {run.stderr.strip()!r}")


def disk(where: Path) -> None:
    folder = where / "articles" if (where / "articles").is_dir() else corpus(where)
    clean = where / "clean"
    if not clean.is_dir():
        kg("ingest", str(folder), "--store", f"oxigraph:{clean}", "-q")
    clean_graphs = graphs(f"oxigraph:{clean}")
    small = where / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(small)], check=False).returncode:
        print("disk: skipped (mounting a tmpfs needs root)")
        return
    try:
        spec = f"oxigraph:{small / 'store'}"
        run = kg("ingest", str(folder), "--store", spec, "-q")
        lines = run.stderr.strip().splitlines()
        print(f"disk: ingest into an 8 MB filesystem: exit {run.returncode}, {len(lines)} stderr lines, ")
        print(f"  traceback: {'Traceback' in run.stderr}; first: {lines[:1]}; last: {lines[-1:]}")
        print(f"  stdout: {run.stdout.strip()!r}")
        try:
            left = graphs(spec)
        except Exception as exc:  # what a user would meet opening the store again
            print(f"  reopening the store: {type(exc).__name__}: {exc}")
            return
        articles = [g for g in left if "/article/" in g]
        whole = [g for g in articles if left[g] == clean_graphs.get(g)]
        print(f"  left on disk: {len(articles)} article graphs, {len(whole)} equal to the clean ones")
    finally:
        subprocess.run(["umount", str(small)], check=False)


FAULTS = {"engine": engine, "ingest": ingest, "lock": lock, "disk": disk}


def main(argv: list[str]) -> None:
    chosen = argv or list(FAULTS)
    with tempfile.TemporaryDirectory(prefix="wwiikg-faults-") as tmp:
        for name in chosen:
            FAULTS[name](Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
