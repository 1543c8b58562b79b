"""``python -m tests.w3c.run``: the W3C SPARQL 1.1 suites against a freshly served API, with the full report.

Builds the store, starts the API, runs the protocol tests and every query evaluation and syntax test,
prints the report; exits 1 when the query suite passes less than the threshold (as the pytest run).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

from .runner import PASS_THRESHOLD, Runner, protocol_report, store_graphs
from .server import REPO_ROOT, deploy
from .suite import protocol_cases, query_cases, suites_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.w3c.run", description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="TEXT", help="run only the query cases whose label contains TEXT")
    args = parser.parse_args(argv)
    root = suites_root(REPO_ROOT)
    if not root.is_dir():
        print(f"no W3C SPARQL suites at {root}", file=sys.stderr)
        return 2
    started = time.monotonic()
    cases = [c for c in query_cases(root) if not args.only or args.only in c.label]
    protocol = protocol_cases(root)
    with (
        tempfile.TemporaryDirectory(prefix="w3c-") as tmp,
        deploy(Path(tmp), store_graphs(cases, protocol)) as endpoints,
        Runner(endpoints) as runner,
        httpx.Client(timeout=30.0) as client,
    ):
        passed, total, failures = protocol_report(client, f"{endpoints.main}/sparql", protocol)
        report = runner.run_all(cases)
    print(f"W3C SPARQL 1.1 protocol: {passed}/{total} passed (query tests as the manifest says, updates refused)")
    print("\n".join(failures))
    print()
    print(report.render())
    print(f"\n{time.monotonic() - started:.1f} s")
    return 0 if report.pass_rate >= PASS_THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
