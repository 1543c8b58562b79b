"""Ingest throughput and memory, next to plain spaCy on the same texts.

    python bench/ingest.py                      # 1,000 articles, 1 and 2 processes, a local:2 Dask cluster
    python bench/ingest.py -n 50 --workers 1    # a quick smoke run
    python bench/ingest.py --no-cluster         # worker processes only
    python bench/ingest.py --json               # also print the figures as one JSON object

The sample articles in ``data/articles`` are varied into N distinct articles (paragraphs reordered,
a numbered closing sentence, the publication date shifted), written as ``.json`` files and ingested
through the CLI's own path, ``kg.ingest.ingest(store, [folder], workers=w)``, into a fresh on-disk
Oxigraph store. The cluster runs go through ``kg.cluster.ingest_on_cluster(store, [folder],
"local:N")``: into the same kind of on-disk store (the client writes), and into an ``oxigraph serve``
child on 127.0.0.1 (the workers write). Every configuration runs in a fresh subprocess of this script
(hidden ``--one`` mode), so its peak memory is its own. See ``bench/README.md`` for what each figure
means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from kg.articles import Article, read_articles  # noqa: E402

SOURCE = ROOT / "data" / "articles"
MARK = "BENCH-RESULT "
MB = 1024 * 1024


# --- the articles ------------------------------------------------------------------------


def base_articles(source: Path) -> list[Article]:
    """Every article in the sample folder, read the way ``kg ingest`` reads it."""
    from kg.ingest import collect_files

    files, missing = collect_files([source])
    if missing or not files:
        raise SystemExit(f"no sample articles under {source}")
    return [a for f in files for a in read_articles(f)]


def variant(base: Article, i: int, rounds: int) -> Article:
    """Variant ``i`` of ``base`` (``rounds`` = how many earlier variants of it exist).

    The lead paragraph stays first; the others are rotated by ``rounds``, a numbered correspondent
    line closes the text (so every variant has its own text hash and IRI), and the publication
    date moves ``rounds`` days on.
    """
    paragraphs = [p for p in base.text.split("\n\n") if p.strip()]
    lead, rest = paragraphs[:1], paragraphs[1:]
    if rest:
        shift = rounds % len(rest)
        rest = rest[shift:] + rest[:shift]
    text = "\n\n".join([*lead, *rest, f"Correspondent report no. {i + 1}."])
    published = base.published + timedelta(days=rounds) if base.published else None
    url = f"{base.url}?report={i + 1}" if base.url else None
    return replace(base, text=text, published=published, url=url, source=None)


def make_articles(n: int, source: Path) -> list[Article]:
    bases = base_articles(source)
    out = [variant(bases[i % len(bases)], i, i // len(bases)) for i in range(n)]
    ids = {a.id for a in out}
    if len(ids) != len(out):
        raise SystemExit(f"generated articles collide: {len(out)} articles, {len(ids)} distinct ids")
    return out


def write_articles(articles: list[Article], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, a in enumerate(articles):
        obj = {
            "title": a.title,
            "text": a.text,
            "published": a.published.isoformat() if a.published else None,
            "published_basis": a.published_basis,
            "url": a.url,
            "outlet": a.outlet,
        }
        (folder / f"{i:05d}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


# --- memory ------------------------------------------------------------------------------


def _ppid_map() -> dict[int, int]:
    out: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        out[int(entry.name)] = int(fields[1])
    return out


def _tree(root: int) -> list[int]:
    parents = _ppid_map()
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += frontier
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class PssSampler:
    """Peak proportional set size of this process and all its descendants, sampled every 0.2 s.

    PSS splits pages shared after ``fork`` between the processes that share them, so the sum is
    what the whole run really occupies (summing RSS would count the model once per worker).
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_kb = 0
        self.available = Path(f"/proc/{os.getpid()}/smaps_rollup").exists()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = sum(_pss_kb(pid) for pid in _tree(os.getpid()))
        self.peak_kb = max(self.peak_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> PssSampler:
        if self.available:
            self._sample()
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()
            self._sample()


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _memory(sampler: PssSampler) -> dict[str, float | None]:
    """Peak memory figures, and the 1-minute load average (other processes competing for the CPUs)."""
    return {
        "load_avg": round(os.getloadavg()[0], 2),
        "rss_main_mb": round(_maxrss_mb(resource.RUSAGE_SELF), 1),
        "rss_worker_mb": round(_maxrss_mb(resource.RUSAGE_CHILDREN), 1) or None,
        "pss_total_mb": round(sampler.peak_kb / 1024, 1) if sampler.available else None,
    }


# --- one configuration (runs in its own subprocess) --------------------------------------


def run_ingest(folder: Path, store_dir: Path, workers: int) -> dict[str, Any]:
    from kg.ingest import ingest
    from kg.store import Store

    with PssSampler() as sampler:
        cpu, start = _cpu_seconds(), time.perf_counter()
        store = Store(f"oxigraph:{store_dir}")
        summary = ingest(store, [folder], workers=workers)
        store.close()
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    with Store(f"oxigraph:{store_dir}", read_only=True) as check:
        stats = check.stats()
    return _ingest_result("ingest", workers, summary, seconds, cpu, stats, store_dir) | _memory(sampler)


def _ingest_result(
    kind: str, processes: int, summary: Any, seconds: float, cpu: float, stats: dict[str, int], store_dir: Path
) -> dict[str, Any]:
    """One ingest run's figures: rates, what the store holds after it, its size on disk."""
    size = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
    return {
        "kind": kind,
        "processes": processes,
        "articles": summary.articles,
        "files": summary.files,
        "failures": [f"{f.path}: {f.reason}" for f in summary.failures],
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 2),
        "articles_per_s": round(summary.articles / seconds, 2),
        "facts": summary.facts,
        "facts_per_s": round(summary.facts / seconds, 1),
        "quads": summary.quads,
        "quads_per_s": round(summary.quads / seconds, 1),
        "store_articles": stats.get("articles", 0),
        "store_quads": stats.get("quads", 0),
        "store_mb": round(size / MB, 1),
    }


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """An ``oxigraph serve`` child on a free port of 127.0.0.1; its ``sparql:`` store spec."""
    import httpx

    from api.engine import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    binary = Path(sys.executable).parent / "oxigraph"
    cmd = [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1.0)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"oxigraph serve did not start ({' '.join(cmd)})") from None
                time.sleep(0.1)
        yield f"sparql:{base}/query,{base}/update"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run_cluster(folder: Path, store_dir: Path, workers: int, server: bool) -> dict[str, Any]:
    """``kg ingest --cluster local:N`` into an on-disk store (the client writes) or an ``oxigraph serve``
    (the workers write)."""
    from kg.cluster import ingest_on_cluster
    from kg.store import Store

    with contextlib.ExitStack() as stack:
        spec = stack.enter_context(oxigraph_server(store_dir)) if server else f"oxigraph:{store_dir}"
        with PssSampler() as sampler:
            cpu, start = _cpu_seconds(), time.perf_counter()
            store = Store(spec)
            summary = ingest_on_cluster(store, [folder], f"local:{workers}")
            store.close()
            seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        with Store(spec) as check:
            stats = check.stats()
        absorbed = store_absorbs(spec, writers=workers) if server else {}
    kind = "cluster-server" if server else "cluster"
    return _ingest_result(kind, workers, summary, seconds, cpu, stats, store_dir) | absorbed | _memory(sampler)


def store_absorbs(spec: str, writers: int, batch: int = 8) -> dict[str, Any]:
    """What the server absorbs alone: every article graph it holds, read back and posted again by
    ``writers`` concurrent clients in updates of ``batch`` articles, as the cluster's workers post
    them (each replaces its graph: ``DROP SILENT GRAPH`` then ``INSERT DATA``)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from kg.namespaces import ID
    from kg.store import Store, prepare

    with Store(spec) as store:
        names = [g for g in store.graph_names() if str(g).startswith(str(ID["article/"]))]
        graphs = [prepare(store.graph(name)) for name in names]
        update_url = spec.partition(",")[2] or spec.removeprefix("sparql:")
    bodies = [" ;\n".join(g.update for g in graphs[i : i + batch]).encode() for i in range(0, len(graphs), batch)]
    headers = {"Content-Type": "application/sparql-update"}
    with httpx.Client(timeout=120) as client:

        def post(body: bytes) -> None:
            client.post(update_url, content=body, headers=headers).raise_for_status()

        start = time.perf_counter()
        with ThreadPoolExecutor(writers) as pool:
            list(pool.map(post, bodies))
        seconds = time.perf_counter() - start
    quads = sum(g.triples for g in graphs)
    return {
        "store_writers": writers,
        "store_replace_seconds": round(seconds, 3),
        "store_quads_per_s": round(quads / seconds, 1),
        "store_articles_per_s": round(len(graphs) / seconds, 1),
    }


def run_spacy(folder: Path, processes: int) -> dict[str, Any]:
    from kg.ingest import collect_files
    from kg.nlp import load_pipeline

    files, _ = collect_files([folder])
    texts = [a.text for f in files for a in read_articles(f)]
    with PssSampler() as sampler:
        cpu, start = _cpu_seconds(), time.perf_counter()
        nlp = load_pipeline()
        loaded = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16, n_process=processes))
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        piped = time.perf_counter() - loaded
    return {
        "kind": "spacy",
        "processes": processes,
        "articles": len(docs),
        "tokens": sum(len(d) for d in docs),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 2),
        "load_seconds": round(loaded - start, 3),
        "pipe_seconds": round(piped, 3),
        "articles_per_s": round(len(docs) / seconds, 2),
        "pipe_articles_per_s": round(len(docs) / piped, 2),
        **_memory(sampler),
    }


def one(args: argparse.Namespace) -> None:
    folder = Path(args.folder)
    if args.one == "ingest":
        result = run_ingest(folder, Path(args.store), args.procs)
    elif args.one in ("cluster", "cluster-server"):
        result = run_cluster(folder, Path(args.store), args.procs, server=args.one == "cluster-server")
    else:
        result = run_spacy(folder, args.procs)
    print(MARK + json.dumps(result), flush=True)


def in_subprocess(argv: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *argv]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return dict(json.loads(line[len(MARK) :]))
    sys.stderr.write(done.stderr)
    raise SystemExit(f"benchmark run failed ({' '.join(argv)}), exit code {done.returncode}")


# --- the report --------------------------------------------------------------------------

COLUMNS = (
    "configuration",
    "articles",
    "seconds",
    "CPU s",
    "articles/s",
    "facts/s",
    "quads",
    "peak RSS MB",
    "worker RSS MB",
    "total PSS MB",
)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


NAMES = {
    "ingest": "kg ingest --workers {p}",
    "cluster": "kg ingest --cluster local:{p}",
    "cluster-server": "kg ingest --cluster local:{p} -> oxigraph serve",
    "spacy": "spaCy pipe n_process={p}",
}


def _name(r: dict[str, Any]) -> str:
    return NAMES[r["kind"]].format(p=r["processes"])


def _row(r: dict[str, Any]) -> list[str]:
    name = _name(r)
    values = [
        name,
        r["articles"],
        r["seconds"],
        r["cpu_seconds"],
        r["articles_per_s"],
        r.get("facts_per_s"),
        r.get("quads"),
        r["rss_main_mb"],
        r["rss_worker_mb"],
        r["pss_total_mb"],
    ]
    return [_cell(v) for v in values]


def table(results: list[dict[str, Any]]) -> str:
    rows = [list(COLUMNS), *(_row(r) for r in results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        out = [cells[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
        return "| " + " | ".join(out) + " |"

    rule = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def cluster_figures(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each cluster run against ``--workers`` at the same process count: the rate ratio, and the
    extra time per article (wall seconds x processes, so core-ms; and CPU ms) the cluster path costs."""
    ours = {r["processes"]: r for r in results if r["kind"] == "ingest"}
    out = []
    for r in results:
        base = ours.get(r["processes"])
        if not r["kind"].startswith("cluster") or base is None or not r["articles"]:
            continue
        p = r["processes"]
        out.append(
            {
                "configuration": _name(r),
                "processes": p,
                "vs_workers": round(r["articles_per_s"] / base["articles_per_s"], 3),
                "overhead_core_ms_per_article": round((r["seconds"] - base["seconds"]) * p * 1000 / r["articles"], 1),
                "overhead_cpu_ms_per_article": round(
                    (r["cpu_seconds"] - base["cpu_seconds"]) * 1000 / r["articles"], 1
                ),
                "core_s_per_article": round(r["seconds"] * p / r["articles"], 4),
                "quads_per_s": r.get("quads_per_s"),
            }
        )
    return out


def ratios(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ours = {r["processes"]: r for r in results if r["kind"] == "ingest"}
    theirs = {r["processes"]: r for r in results if r["kind"] == "spacy"}
    out = []
    for p in sorted(set(ours) & set(theirs)):
        a, b = ours[p], theirs[p]
        out.append(
            {
                "processes": p,
                "ingest_vs_spacy": round(a["articles_per_s"] / b["articles_per_s"], 3),
                "ingest_vs_spacy_pipe_only": round(a["articles_per_s"] / b["pipe_articles_per_s"], 3),
            }
        )
    return out


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark `kg ingest` (articles/s, facts/s, peak memory) against plain spaCy.",
    )
    parser.add_argument("-n", type=int, default=1000, help="articles to generate (default 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="process counts to run (default: 1 2)")
    parser.add_argument(
        "--store-dir", type=Path, default=None, help="where the articles and stores go (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated articles and stores")
    parser.add_argument("--no-spacy", action="store_true", help="skip the plain spaCy runs")
    parser.add_argument(
        "--cluster", type=int, nargs="+", default=[2], help="local Dask cluster sizes to run (default: 2)"
    )
    parser.add_argument("--no-cluster", action="store_true", help="skip the Dask cluster runs")
    parser.add_argument(
        "--cluster-store",
        choices=("disk", "server"),
        nargs="+",
        default=["disk", "server"],
        help="cluster runs into an on-disk store (the client writes) and/or an oxigraph serve (the workers write)",
    )
    parser.add_argument("--source", type=Path, default=SOURCE, help="sample articles to vary (default data/articles)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    # hidden: one configuration in this process
    parser.add_argument("--one", choices=("ingest", "cluster", "cluster-server", "spacy"), help=argparse.SUPPRESS)
    parser.add_argument("--procs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.n < 1 or any(w < 1 for w in [*args.workers, *args.cluster]):
        parser.error("-n, --workers and --cluster must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.one:
        one(args)
        return

    from kg.gazetteer import GAZETTEER_FILE

    if not GAZETTEER_FILE.is_file():
        raise SystemExit(f"no gazetteer at {GAZETTEER_FILE}; the pipeline needs it")
    if args.store_dir is not None:
        args.store_dir.mkdir(parents=True, exist_ok=True)
    load_before = f"{os.getloadavg()[0]:.2f}"
    work = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=args.store_dir))
    log = sys.stderr
    try:
        folder = work / "articles"
        articles = make_articles(args.n, args.source)
        write_articles(articles, folder)
        chars = sum(len(a.text) for a in articles)
        print(f"{len(articles):,} articles ({chars / len(articles):,.0f} characters on average) in {folder}", file=log)

        results: list[dict[str, Any]] = []
        for w in args.workers:
            print(f"ingest, {w} process(es) ...", file=log, flush=True)
            store = work / f"store-w{w}"
            argv = ["--one", "ingest", "--procs", str(w), "--folder", str(folder), "--store", str(store)]
            results.append(in_subprocess(argv))
            if not args.keep:
                shutil.rmtree(store, ignore_errors=True)
        for w in [] if args.no_cluster else args.cluster:
            for where in args.cluster_store:
                kind = "cluster-server" if where == "server" else "cluster"
                print(f"ingest on a local:{w} Dask cluster into {where} ...", file=log, flush=True)
                store = work / f"store-{kind}-{w}"
                argv = ["--one", kind, "--procs", str(w), "--folder", str(folder), "--store", str(store)]
                results.append(in_subprocess(argv))
                if not args.keep:
                    shutil.rmtree(store, ignore_errors=True)
        if not args.no_spacy:
            for w in args.workers:
                print(f"plain spaCy, n_process={w} ...", file=log, flush=True)
                results.append(in_subprocess(["--one", "spacy", "--procs", str(w), "--folder", str(folder)]))
    finally:
        if args.keep:
            print(f"kept {work}", file=log)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(table(results))
    print()
    print(f"{os.cpu_count()} CPUs; load average before the runs {load_before}, after {os.getloadavg()[0]:.2f}")
    for r in results:
        if r["kind"] != "spacy":
            failed = len(r["failures"])
            print(
                f"{_name(r).removeprefix('kg ')}: {r['facts']:,} facts; "
                f"store holds {r['store_articles']:,} articles, {r['store_quads']:,} quads (with the ontology), "
                f"{r['store_mb']:,.1f} MB on disk; {failed} failed; load average {r['load_avg']}"
            )
        else:
            print(
                f"spaCy n_process={r['processes']}: model load {r['load_seconds']:.1f} s, "
                f"pipe {r['pipe_seconds']:.1f} s ({r['pipe_articles_per_s']:.1f} docs/s), "
                f"{r['tokens']:,} tokens; load average {r['load_avg']}"
            )
    rel = ratios(results)
    for x in rel:
        print(
            f"{x['processes']} process(es): ingest runs at {x['ingest_vs_spacy']:.0%} of plain spaCy's rate "
            f"({x['ingest_vs_spacy_pipe_only']:.0%} of spaCy's rate without its model load)"
        )
    for r in results:
        if "store_quads_per_s" in r:
            print(
                f"oxigraph serve alone, {r['store_writers']} writers posting the same graphs again: "
                f"{r['store_quads_per_s']:,.0f} quads/s ({r['store_articles_per_s']:,.1f} articles/s)"
            )
    clustered = cluster_figures(results)
    for c in clustered:
        print(
            f"{c['configuration']}: {c['vs_workers']:.2f}x the rate of --workers {c['processes']}; the cluster path "
            f"costs {c['overhead_core_ms_per_article']:+.1f} core-ms ({c['overhead_cpu_ms_per_article']:+.1f} CPU ms) "
            f"per article, start-up included; {c['core_s_per_article']:.3f} core-s per article in all, "
            f"{c['quads_per_s']:,.0f} quads/s into the store"
        )
    if args.json:
        info = {"n": args.n, "cpus": os.cpu_count(), "python": sys.version.split()[0], "load_before": load_before}
        print(json.dumps({**info, "results": results, "ratios": rel, "cluster": clustered}))
    if any(r.get("failures") for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
