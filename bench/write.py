"""The cost of one article write at a large store: add, replace and delete, with the views kept in step
(``kg.listing``), next to the same add without them.

    python bench/write.py --store /tmp/kg1m        # the store bench/api.py builds (--store), copied first
    python bench/write.py --store /tmp/kg1m -n 20  # 20 articles (default 8)
    python bench/write.py --store /tmp/kg1m --json # also print the figures as one JSON object

The store is copied to a temporary folder (the original is left as it was) and opened embedded; its
views are built first if they are absent or of an older version (``Store.ensure_listings``, not timed).
``-n`` articles new to the store (sample articles varied as ``bench/ingest.py`` does) are extracted and
prepared (``kg.store.prepare``, not timed), then each is written (add), written again (replace),
dropped (delete) and written without the views (``PreparedGraph.without_views``, then dropped). Each
figure is the median over the articles, in ms, of ``Store.put_prepared`` or ``Store.delete_graph``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from bench.ingest import SOURCE, make_articles  # noqa: E402


def measure(source: Path, n: int) -> dict[str, float | int]:
    from kg.extract import extract
    from kg.gazetteer import load as load_gazetteer
    from kg.mapping import to_graph
    from kg.nlp import load_pipeline
    from kg.store import Store, prepare

    nlp, gazetteer = load_pipeline(), load_gazetteer()
    articles = make_articles(10_000 + n, SOURCE)[-n:]  # variants far past those bench/api.py loads
    graphs = [to_graph(extract(a, nlp, gazetteer)) for a in articles]
    times: dict[str, list[float]] = {"add": [], "replace": [], "delete": [], "add_without_views": []}
    with tempfile.TemporaryDirectory(prefix="kg-write-") as work:
        copy = Path(work) / "store"
        shutil.copytree(source, copy)
        with Store(f"oxigraph:{copy}") as store:
            store.ensure_listings()
            quads = len(store.native)
            for graph in graphs:
                prepared = prepare(graph)
                bare = prepared.without_views()
                for case, write, arg in (
                    ("add", store.put_prepared, prepared),
                    ("replace", store.put_prepared, prepared),
                    ("delete", store.delete_graph, graph.identifier),
                    ("add_without_views", store.put_prepared, bare),
                ):
                    start = time.perf_counter()
                    write(arg)
                    times[case].append(time.perf_counter() - start)
                store.delete_graph(graph.identifier)
    out: dict[str, float | int] = {"quads": quads, "articles": n}
    out.update({f"{case}_ms": round(statistics.median(t) * 1000, 1) for case, t in times.items()})
    out["load_average"] = round(os.getloadavg()[0], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="an embedded store (bench/api.py --store)")
    parser.add_argument("-n", type=int, default=8, help="articles to write (default 8)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    if not (args.store / "CURRENT").is_file():
        raise SystemExit(f"no Oxigraph store at {args.store} (build one with bench/api.py --store {args.store})")
    figures = measure(args.store, args.n)
    print(f"{figures['quads']:,} quads, median of {args.n} articles, 1-minute load average {figures['load_average']}")
    for case in ("add", "replace", "delete", "add_without_views"):
        print(f"  {case:<18} {figures[f'{case}_ms']:>7.1f} ms")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
