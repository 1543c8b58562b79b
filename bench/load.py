"""Load held: ``kg serve`` over the sample articles, driven by ``wrk`` for 30 s at 16 and at 64
connections, each request drawn from a mix of /sparql queries and uncached JSON reads.

    python bench/load.py                 # 30 s at 16, then at 64 connections
    python bench/load.py --seconds 10 --connections 16

Printed per run: requests, requests/s, non-2xx answers, socket errors, answers slower than wrk's
10 s timeout, p50/p99/max latency, and the resident memory of the API process and of its
``oxigraph serve`` child before and after. Needs ``wrk`` on the PATH (Debian: ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from faults import SOURCE, children, kg, serving  # bench/faults.py

# wrk picks a request path per request from this list: /sparql (GET, url-encoded) and JSON reads
# with varying parameters, so the API's read cache helps little
_LUA = r"""
local paths = {}
local queries = {
  "SELECT ?s WHERE { ?s a <https://w3id.org/wwiikg/ontology#Leader> } LIMIT 5 OFFSET %d",
  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
  "SELECT ?e ?d WHERE { ?e <https://w3id.org/wwiikg/ontology#date> ?d } ORDER BY ?d LIMIT 10 OFFSET %d",
}
local json = { "/leaders?limit=10&offset=%d", "/events?limit=10&offset=%d", "/casualties?limit=5&offset=%d",
               "/quotes?limit=5&offset=%d", "/timeline?from=1939&to=1945&limit=%d", "/stats" }
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
for i = 0, 199 do
  local q = queries[(i % #queries) + 1]
  paths[#paths + 1] = "/sparql?query=" .. encode(string.format(q, i))
  local j = json[(i % #json) + 1]
  paths[#paths + 1] = string.format(j, (i % 20) + 1)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], { Accept = "application/json" })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d timeouts=%d p50=%.1f p99=%.1f max=%.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, action="append")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    connections = args.connections or [16, 64]
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        script = where / "mix.lua"
        script.write_text(_LUA)
        spec = f"oxigraph:{where / 'store'}"
        kg("ingest", str(SOURCE), "--store", spec, "-q")
        print(
            "| connections | seconds | requests | requests/s | non-2xx | socket errors | over 10 s | p50 ms | p99 ms |"
            " max ms | API RSS MB before/after | engine RSS MB before/after |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for n in connections:
            with serving(spec) as (base, proc):
                engine = children(proc.pid, "oxigraph")
                before = (rss_mb(proc.pid), sum(rss_mb(p) for p in engine))
                run = subprocess.run(
                    [
                        "wrk",
                        "-t",
                        "2",
                        "-c",
                        str(n),
                        "-d",
                        f"{args.seconds}s",
                        "--timeout",
                        "10s",
                        "-s",
                        str(script),
                        base,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                engine = children(proc.pid, "oxigraph")
                after = (rss_mb(proc.pid), sum(rss_mb(p) for p in engine))
            m = re.search(
                r"RESULT requests=(\d+) non2xx=(\d+) errors=(\d+) timeouts=(\d+) "
                r"p50=([\d.]+) p99=([\d.]+) max=([\d.]+)",
                run.stdout,
            )
            if m is None:
                print(run.stdout + run.stderr, file=sys.stderr)
                return 1
            requests, non2xx, errors, timeouts = int(m[1]), int(m[2]), int(m[3]), int(m[4])
            print(
                f"| {n} | {args.seconds} | {requests:,} | {requests / args.seconds:,.0f} | {non2xx} | {errors} | "
                f"{timeouts} | {float(m[5]):.1f} | {float(m[6]):.1f} | {float(m[7]):.0f} | "
                f"{before[0]:.0f} / {after[0]:.0f} | {before[1]:.0f} / {after[1]:.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
