"""GET /search against a real uvicorn and engine: hits joined to the graph's IRIs, clean 4xx for bad input."""

from __future__ import annotations

import httpx
import pytest
from apisample import Served

from kg.namespaces import ID, WWII


def test_a_headline_word_finds_its_article(api: Served) -> None:
    """'parade' is in one headline (and no quotation): the hit is the article, with a snippet."""
    body = httpx.get(f"{api.base}/search", params={"q": "Parade", "kind": "title"}).json()
    assert body["total"] == 1 and body["q"] == "Parade" and body["limit"] == 50
    hit = body["items"][0]
    assert hit["kind"] == "title" and hit["iri"] == hit["article"]
    assert hit["id"] == hit["article"].rsplit("/", 1)[-1] and "[parade]" in hit["snippet"]
    assert httpx.get(hit["article"].replace("https://w3id.org/wwiikg", api.base)).status_code in (200, 303)


def test_a_quotation_is_found_by_its_words(api: Served) -> None:
    """The quotation's IRI comes back, the resource its graph states the text of."""
    hits = httpx.get(f"{api.base}/search", params={"q": "remember fell", "kind": "quote"}).json()["items"]
    assert [(h["iri"], h["text"]) for h in hits] == [
        (str(ID["quote/a1b2c3d4e5f60718-120"]), "We remember those who fell.")
    ]
    ask = f"ASK {{ <{hits[0]['iri']}> <{WWII.text}> ?t }}"
    assert httpx.get(f"{api.base}/sparql", params={"query": ask}).json()["boolean"] is True


def test_pages_of_hits(api: Served) -> None:
    """limit/offset page the hits; total counts them all."""
    first = httpx.get(f"{api.base}/search", params={"q": "putin", "limit": 1}).json()
    second = httpx.get(f"{api.base}/search", params={"q": "putin", "limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] >= 1
    assert first["items"] != second["items"] or first["total"] == 1


@pytest.mark.parametrize(
    ("params", "status"),
    [({"q": "!!!"}, 400), ({"q": "x", "kind": "body"}, 400), ({}, 422), ({"q": "x" * 501}, 422)],
)
def test_bad_searches_are_clean_errors(api: Served, params: dict[str, str], status: int) -> None:
    """No words, an unknown kind, no q, a q too long: the API's JSON error with a 4xx, never a 500."""
    response = httpx.get(f"{api.base}/search", params=params)
    assert response.status_code == status and response.json()["error"]["status"] == status


def test_an_unknown_word_is_an_empty_page(api: Served) -> None:
    """Nothing matches: 200 with no items."""
    body = httpx.get(f"{api.base}/search", params={"q": "zzyzx"}).json()
    assert body["total"] == 0 and body["items"] == []
