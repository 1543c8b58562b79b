"""Conformance of ``/sparql`` to the W3C SPARQL 1.1 suites (``../shared/w3c``), over HTTP.

    manifests -> cases (suite) -> one store with every dataset, served by uvicorn (server)
              -> per case: dataset as default-graph-uri / named-graph-uri, POST /sparql (runner)
              -> answer vs result file (results) -> Report

``python -m tests.w3c.run`` prints the full report; ``pytest tests/w3c`` asserts on it.
"""
