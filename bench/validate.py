"""`kg validate` speed: SHACL over every article graph of data/articles, pyshacl alone against ours.

    python bench/validate.py            # the 42 sample articles, every graph both ways
    python bench/validate.py -n 5       # only the first 5 graphs (the pyshacl-only way is slow)

pyshacl alone re-parses each SHACL-SPARQL constraint's query for every focus node; ``kg.validate``
runs pyshacl on the other shapes and each such query once per graph. Both must report the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from kg.ingest import ingest  # noqa: E402
from kg.store import Store  # noqa: E402
from kg.validate import Report, shapes, validate_graph  # noqa: E402


def pyshacl_alone(graph: object) -> Report:
    from pyshacl import validate

    conforms, _, _ = validate(graph, shacl_graph=shapes(), inference="none", advanced=True)
    return Report(str(getattr(graph, "identifier", "")), bool(conforms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=None, help="validate only the first N graphs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store(f"oxigraph:{tmp}/store") as store:
        summary = ingest(store, [ROOT / "data" / "articles"])
        names = store.graph_names()[: args.n]
        graphs = [store.graph(name) for name in names]
    print(f"{len(graphs)} article graphs from {summary.articles} articles", file=sys.stderr)
    figures = {}
    for label, check in (("kg.validate", validate_graph), ("pyshacl alone", pyshacl_alone)):
        start = time.perf_counter()
        reports = [check(g) for g in graphs]
        seconds = time.perf_counter() - start
        figures[label] = (seconds, sum(r.conforms for r in reports))
        print(f"{label:<14} {seconds:8.1f} s  {seconds / len(graphs):6.2f} s/graph  {figures[label][1]} conform")
    ours, theirs = figures["kg.validate"][0], figures["pyshacl alone"][0]
    print(f"speed-up       {theirs / ours:8.1f}x")


if __name__ == "__main__":
    main()
