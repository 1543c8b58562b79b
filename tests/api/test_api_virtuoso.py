"""The JSON API over the ``virtuoso:`` backend (a real Virtuoso Open Source behind the API): the same
answers as over embedded Oxigraph, for the same two articles; /sparql is a clean 501 there."""

from __future__ import annotations

import httpx
import pytest
from apisample import D_DAY, VICTORY_DAY, Served

pytestmark = pytest.mark.virtuoso

READS = [
    "/stats",
    "/events",
    "/events?reported_before=2025",
    "/timeline",
    "/casualties",
    "/casualties?reported_after=2025",
    "/leaders",
    "/leaders/Q7747",
    "/quotes",
    "/articles",
    f"/articles/{VICTORY_DAY}",
    f"/articles/{D_DAY}",
    "/entities/person/Q7747",
    "/graph/export?graph=entity&format=json",
]


def test_health_names_the_virtuoso_backend(virtuoso_api: Served) -> None:
    """/health over Virtuoso says store=virtuoso and counts both articles (none of Virtuoso's own graphs)."""
    assert httpx.get(f"{virtuoso_api.base}/health").json() == {"status": "ok", "store": "virtuoso", "articles": 2}


@pytest.mark.parametrize("path", READS)
def test_json_reads_answer_as_over_embedded_oxigraph(virtuoso_api: Served, api: Served, path: str) -> None:
    """Each JSON read answers 200 with the same body as the embedded store holding the same articles."""
    over_virtuoso = httpx.get(f"{virtuoso_api.base}{path}", timeout=30)
    assert over_virtuoso.status_code == 200, over_virtuoso.text
    expected = httpx.get(f"{api.base}{path}", timeout=30).json()
    assert over_virtuoso.json() == expected


def test_unknown_article_is_404(virtuoso_api: Served) -> None:
    """An absent article is 404 in the one JSON error shape, as on every store."""
    response = httpx.get(f"{virtuoso_api.base}/articles/ffffffffffffffff")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_search_is_a_clean_503(virtuoso_api: Served) -> None:
    """Full-text search needs the index kept beside an embedded store: over Virtuoso, 503 naming why."""
    response = httpx.get(f"{virtuoso_api.base}/search", params={"q": "parade"})
    assert response.status_code == 503
    assert "full-text index" in response.json()["error"]["detail"]


def test_sparql_is_a_clean_501(virtuoso_api: Served) -> None:
    """/sparql is not served over Virtuoso: 501 in the JSON error shape, never a 500."""
    response = httpx.get(virtuoso_api.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    assert response.status_code == 501, response.text
    assert response.json()["error"]["status"] == 501
    assert "virtuoso" in response.json()["error"]["detail"]
