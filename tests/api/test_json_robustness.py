"""One bad request never stops the server from storing the next article, and never gets a 500.

Against a real uvicorn on 127.0.0.1 over an on-disk store of two ingested articles (plus one stored
before text was checked at the door, its title holding a control character), writes enabled: each
bad POST /articles is refused in the one JSON error shape, then a good article is stored and
``kg stats`` counts it. Also: a GET /sparql too long for the HTTP parser is 414 in the same shape.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
from conftest import ROOT, serve_api

from kg.articles import make_article
from kg.store import Store

TOKEN = "robust-token-0123456789"
TEXT = (
    "German Chancellor Olaf Scholz laid a wreath in Berlin on Wednesday to mark the end of the war in Europe. "
    "The Soviet Union lost an estimated 27 million people in the war, Scholz said."
)


@dataclass(frozen=True)
class Served:
    base: str
    store: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Two sample articles ingested, one more stored with a control character in its title (as a store
    written before the door checked text may hold), served with KG_API_TOKEN."""
    from kg.ingest import ingest, ingest_article

    where = tmp_path_factory.mktemp("robust-api")
    spec = f"oxigraph:{where / 'store'}"
    articles = ROOT / "data" / "articles"
    with Store(spec) as store:
        summary = ingest(store, [articles / "05_d-day-80th-2024.txt", articles / "01_moscow-parade-2010-nato.txt"])
        assert summary.ok, summary.failures
        legacy = make_article("Veterans gathered in Moscow on Sunday for the Victory Day parade.", title="Parade")
        ingest_article(store, replace(legacy, title="Victory\x0bDay parade"))
    with serve_api({"KG_STORE": spec, "KG_API_TOKEN": TOKEN}, where / "uvicorn.log") as base:
        yield Served(base, spec)


def assert_error(response: httpx.Response, status: int, *words: str) -> None:
    """``status`` in the one JSON error shape, with every word in the detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status
    for word in words:
        assert word in body["error"]["detail"]


def kg_stats(spec: str) -> dict[str, int]:
    """``kg stats --format json`` on the served store, as a user would run it beside the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    kg = Path(sys.executable).parent / "kg"
    run = subprocess.run(
        [str(kg), "stats", "--store", spec, "--format", "json"], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


BAD_BODIES = {
    "surrogate-in-text": (b'{"title": "Parade", "text": "Veterans gathered. \\udfff"}', 422, ["'text'", "U+DFFF"]),
    "surrogate-in-title": (b'{"title": "Parade \\udfff", "text": "Veterans gathered."}', 422, ["'title'", "U+DFFF"]),
    "surrogate-in-outlet": (b'{"outlet": "\\ud800", "text": "Veterans gathered."}', 422, ["'outlet'", "U+D800"]),
    "surrogate-in-url-only": (b'{"url": "https://example.org/\\udfff"}', 422, ["'url'", "U+DFFF"]),
    "nul-in-text": (b'{"text": "Veterans\\u0000 gathered."}', 422, ["'text'", "NUL"]),
    "escape-in-title": (b'{"title": "\\u001b[31m", "text": "Veterans gathered."}', 422, ["'title'", "U+001B"]),
    "nested-400KB": (b"[" * 200_000 + b"]" * 200_000, 400, ["nested deeper"]),
    "huge-integer": (b'{"text": "Veterans gathered.", "n": ' + b"9" * 5000 + b"}", 400, ["number"]),
}


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_a_refused_post_never_stops_the_next_article_being_stored(served: Served, case: str) -> None:
    """Each bad POST /articles is a 4xx naming what is wrong; the good article posted next is stored
    (201) and ``kg stats`` counts it; deleting it leaves the store as it was."""
    body, status, words = BAD_BODIES[case]
    headers = {**served.auth, "Content-Type": "application/json"}
    before = kg_stats(served.store)["articles"]
    assert_error(httpx.post(f"{served.base}/articles", content=body, headers=headers, timeout=60), status, *words)
    good = {"title": f"Scholz in Berlin ({case})", "text": f"{TEXT} The case was {case}.", "published": "2025-05-08"}
    stored = httpx.post(f"{served.base}/articles", json=good, headers=served.auth, timeout=120)
    assert stored.status_code == 201, stored.text
    assert kg_stats(served.store)["articles"] == before + 1
    article_id = stored.json()["article"]["id"]
    assert httpx.delete(f"{served.base}/articles/{article_id}", headers=served.auth).status_code == 204
    assert kg_stats(served.store)["articles"] == before


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_entity_graph_exports_text_that_xml_cannot_hold(served: Served, fmt: str) -> None:
    """GET /graph/export?graph=entity over a title with a control character is 200 and reads back,
    the character replaced by U+FFFD in GraphML and GEXF."""
    response = httpx.get(f"{served.base}/graph/export", params={"graph": "entity", "format": fmt}, timeout=60)
    assert response.status_code == 200, response.text
    if fmt == "json":
        graph = nx.node_link_graph(response.json(), edges="edges")
    else:
        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(response.content))
    labels = {str(data.get("label", "")) for _, data in graph.nodes(data=True)}
    assert ("Victory\ufffdDay parade" if fmt != "json" else "Victory\x0bDay parade") in labels


def raw_request(base: str, request: bytes) -> bytes:
    """Send ``request`` as bytes on a new connection and read the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse_raw(answer: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


def test_a_get_query_too_long_for_the_http_parser_is_414_in_the_json_shape(served: Served) -> None:
    """A 70 KB GET /sparql URL (past what the HTTP parser reads) is 414 in the JSON error shape saying to
    use POST; the server answers the next request as before."""
    query = "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201%20%23" + "a" * 70_000
    answer = raw_request(served.base, f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    status, headers, body = parse_raw(answer)
    assert status == 414 and headers["content-type"] == "application/json"
    assert body["error"]["status"] == 414 and "POST" in body["error"]["detail"]
    assert httpx.get(f"{served.base}/health").status_code == 200


def test_a_request_the_http_parser_cannot_read_is_400_in_the_json_shape(served: Served) -> None:
    """A request line that is not HTTP gets 400 in the JSON error shape, not uvicorn's plain text."""
    status, headers, body = parse_raw(raw_request(served.base, b"NOT HTTP AT ALL\r\n\r\n"))
    assert status == 400 and headers["content-type"] == "application/json"
    assert set(body["error"]) == {"status", "title", "detail"}
