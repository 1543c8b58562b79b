"""Everyday clients against /sparql on the sample articles: curl, and pandas through SPARQLWrapper."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from typing import Any

import pandas as pd
import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from api.routes.sparql import EXAMPLES_DIR

LEADERS = EXAMPLES_DIR / "1-leaders-at-commemorations.rq"


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl on PATH")
def test_curl_posts_a_query_file_and_gets_csv(corpus_api: str) -> None:
    """curl --data-urlencode query@file.rq with Accept: text/csv prints a CSV table of leaders."""
    command = ["curl", "-sS", "--fail-with-body", "-H", "Accept: text/csv"]
    run = subprocess.run(
        [*command, "--data-urlencode", f"query@{LEADERS}", f"{corpus_api}/sparql"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert rows and {"leaderName", "commemoration", "outlet"} <= set(rows[0])
    assert "Vladimir Putin" in {r["leaderName"] for r in rows}


def test_curl_error_is_json_with_a_status(corpus_api: str) -> None:
    """A refused query through curl gets HTTP 403 and the JSON error body."""
    run = subprocess.run(
        ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--data-urlencode", "query=DROP ALL", f"{corpus_api}/sparql"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    body, status = run.stdout.rsplit("\n", 1)
    assert status == "403"
    assert '"status":403' in body


def test_pandas_reads_csv_results_from_sparqlwrapper(corpus_api: str) -> None:
    """SPARQLWrapper's CSV answer loads into a pandas DataFrame, one row per leader and commemoration."""
    client = SPARQLWrapper(f"{corpus_api}/sparql")
    client.setQuery(LEADERS.read_text())
    client.setReturnFormat(CSV)
    frame = pd.read_csv(io.BytesIO(client.query().convert()))  # type: ignore[arg-type]
    assert {"date", "commemoration", "leaderName", "outlet"} <= set(frame.columns)
    assert len(frame) >= 10
    assert frame.groupby("leaderName").size()["Vladimir Putin"] >= 3


def test_pandas_frame_from_sparqlwrapper_json(corpus_api: str) -> None:
    """SPARQLWrapper's JSON bindings become a DataFrame with typed numbers for the figures."""
    client = SPARQLWrapper(f"{corpus_api}/sparql")
    client.setQuery((EXAMPLES_DIR / "2-group-losses-by-source.rq").read_text())
    client.setReturnFormat(JSON)
    result: Any = client.query().convert()
    frame = pd.DataFrame([{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]])
    frame["low"] = pd.to_numeric(frame["low"])
    assert (frame["groupName"] == "Soviet Union").all()
    assert frame["low"].max() == 27_000_000
    assert frame["outlet"].nunique() >= 2
