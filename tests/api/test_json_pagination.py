"""Pages and filters of the JSON API, on every backend (embedded Oxigraph, oxigraph serve, Virtuoso): stable
pages, bad values refused, client values never become SPARQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import pytest

if TYPE_CHECKING:
    from conftest import KGApi

LISTS = ["/leaders", "/events", "/timeline", "/casualties", "/quotes", "/articles"]


def get(api: KGApi, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{api.base}{path}", params=params, timeout=30.0)


def counts(api: KGApi) -> dict[str, int]:
    response = get(api, "/stats")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", LISTS)
def test_pages_carry_total_limit_offset_items(reads_api: KGApi, path: str) -> None:
    """Every list answers {total, limit, offset, items}; the default limit is 50."""
    body = get(reads_api, path).json()
    assert {"total", "limit", "offset", "items"} <= set(body)
    assert body["limit"] == 50 and body["offset"] == 0
    assert len(body["items"]) == min(50, body["total"])


WALKS: list[tuple[str, dict[str, str]]] = [
    ("/timeline", {}),
    ("/timeline", {"type": "parade"}),
    ("/timeline", {"family": "historical"}),
    ("/timeline", {"family": "commemorative"}),
    ("/timeline", {"from": "1945", "to": "1945"}),
    ("/timeline", {"participant": "Putin"}),
    ("/timeline", {"place": "Moscow"}),
    ("/timeline", {"reported_after": "2020"}),
    ("/events", {}),
    ("/events", {"type": "parade"}),
    ("/events", {"family": "historical"}),
    ("/events", {"from": "1945", "to": "1945"}),
    ("/events", {"participant": "Putin"}),
    ("/events", {"reported_before": "2024"}),
    ("/leaders", {}),
    ("/leaders", {"country": "Russia"}),
    ("/leaders", {"role": "President"}),
    ("/casualties", {}),
    ("/casualties", {"measure": "deaths"}),
    ("/casualties", {"group": "Soviet Union"}),
    ("/casualties", {"independent": "true"}),
    ("/casualties", {"reported_after": "2020"}),
    ("/quotes", {}),
    ("/quotes", {"direct": "true"}),
    ("/quotes", {"speaker": "Putin"}),
    ("/quotes", {"independent": "true"}),
    ("/quotes", {"from": "2020"}),
    ("/articles", {}),
    ("/articles", {"from": "2020"}),
]


def walk(api: KGApi, path: str, params: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The list's one 500-item page, and its items again from small pages walked to the end (2 or 9
    items each: many page ends, some between items that sort alike), each page with the same total."""
    whole = get(api, path, **params, limit=500).json()
    assert 2 <= whole["total"] <= 500 and len(whole["items"]) == whole["total"], (path, params, whole["total"])
    size = 2 if whole["total"] <= 100 else 9
    walked: list[dict[str, Any]] = []
    for offset in range(0, whole["total"] + size, size):
        page = get(api, path, **params, limit=size, offset=offset).json()
        assert page["total"] == whole["total"] and page["offset"] == offset
        assert len(page["items"]) == max(0, min(size, whole["total"] - offset))
        walked += page["items"]
    return whole, walked


def once_each(whole: dict[str, Any], walked: list[dict[str, Any]], key: str = "iri") -> None:
    seen = [item[key] for item in walked]
    assert len(seen) == len(set(seen)), f"on two pages: {sorted({i for i in seen if seen.count(i) > 1})}"
    assert set(seen) == {item[key] for item in whole["items"]}, "on no page or not in the list"


@pytest.mark.parametrize(("path", "params"), WALKS, ids=[f"{p}?{urlencode(q)}" for p, q in WALKS])
def test_pages_partition_the_list(reads_api: KGApi, path: str, params: dict[str, str]) -> None:
    """Walking the pages of a list, filtered or not, yields every item of the unpaged list exactly once."""
    once_each(*walk(reads_api, path, params))


@pytest.mark.parametrize(
    "params", [q for p, q in WALKS if p == "/timeline"], ids=[urlencode(q) for p, q in WALKS if p == "/timeline"]
)
def test_timeline_pages_are_slices_of_one_total_order(reads_api: KGApi, params: dict[str, str]) -> None:
    """The timeline, filtered or not, is in date order and the events of one date in IRI order, so
    small pages laid end to end are the unpaged list, item for item, whichever page ends split a date."""
    whole, walked = walk(reads_api, "/timeline", params)
    order = [(item["date"], item["iri"]) for item in whole["items"]]
    assert order == sorted(order)
    assert [(item["date"], item["iri"]) for item in walked] == order


@pytest.mark.parametrize("params", [{"q": "war"}, {"q": "parade", "kind": "evidence"}], ids=["war", "parade-evidence"])
def test_search_pages_partition_the_hits(kg_api: KGApi, params: dict[str, str]) -> None:
    """Search hits (best first, ties by IRI) walked page by page are the unpaged hits, in their order."""
    whole, walked = walk(kg_api, "/search", params)
    assert [(h["iri"], h["kind"]) for h in walked] == [(h["iri"], h["kind"]) for h in whole["items"]]


def test_timeline_pages_continue_the_date_order(reads_api: KGApi) -> None:
    """Page 2 of the timeline starts where page 1 ended."""
    one = get(reads_api, "/timeline", limit=10).json()["items"]
    two = get(reads_api, "/timeline", limit=10, offset=10).json()["items"]
    assert one[-1]["date"] <= two[0]["date"]


def test_limit_500_is_allowed(reads_api: KGApi) -> None:
    """The largest page is 500 items."""
    assert get(reads_api, "/events", limit=500).json()["limit"] == 500


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 501}, {"limit": -1}, {"offset": -1}, {"limit": "ten"}, {"offset": "1.5"}],
    ids=["limit-0", "limit-501", "limit-negative", "offset-negative", "limit-text", "offset-float"],
)
@pytest.mark.parametrize("path", LISTS)
def test_bad_page_values_are_422(reads_api: KGApi, path: str, params: dict[str, Any]) -> None:
    """limit outside 1..500, a negative offset or a non-integer is 422 in the JSON error shape."""
    response = get(reads_api, path, **params)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"status", "title", "detail"}
    assert next(iter(params)) in response.json()["error"]["detail"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/events", {"type": "picnic"}),
        ("/events", {"family": "imaginary"}),
        ("/events", {"from": "May 1945"}),
        ("/timeline", {"to": "1945-13"}),
        ("/quotes", {"from": "2020-02-30x"}),
        ("/quotes", {"direct": "perhaps"}),
        ("/articles", {"to": "yesterday"}),
    ],
)
def test_bad_filter_values_are_422(reads_api: KGApi, path: str, params: dict[str, str]) -> None:
    """An unknown event type or family, a malformed date or boolean is 422."""
    response = get(reads_api, path, **params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["status"] == 422


INJECTIONS = [
    '" } DROP ALL #',
    "')) } ; DROP ALL ; #",
    '\\" } } INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    'Russia" . ?s ?p ?o } UNION { ?s ?p ?o',
    "\n} DROP ALL\n#",
]
FILTERS = [
    ("/leaders", "country"),
    ("/leaders", "role"),
    ("/leaders", "name"),
    ("/events", "place"),
    ("/events", "participant"),
    ("/events", "commemorates"),
    ("/timeline", "participant"),
    ("/casualties", "group"),
    ("/casualties", "event"),
    ("/casualties", "measure"),
    ("/quotes", "speaker"),
    ("/quotes", "q"),
    ("/articles", "outlet"),
    ("/articles", "q"),
]


@pytest.fixture(scope="module")
def before_injections(reads_api: KGApi) -> dict[str, int]:
    """The store's counts before the first injection attempt."""
    return counts(reads_api)


@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize(("path", "name"), FILTERS)
def test_injection_is_a_plain_value(
    reads_api: KGApi, before_injections: dict[str, int], path: str, name: str, value: str
) -> None:
    """A filter value written as SPARQL matches nothing and changes nothing: it is only ever a literal."""
    response = get(reads_api, path, **{name: value})
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 0


def test_injections_left_the_store_unchanged(reads_api: KGApi, before_injections: dict[str, int]) -> None:
    """After every injection attempt above the store holds the same articles and quads."""
    assert counts(reads_api) == before_injections
    assert before_injections["articles"] == reads_api.articles


@pytest.mark.parametrize("value", ["http://x> } DROP ALL #", "https://example.org/a b", 'https://x/"'])
def test_iri_shaped_injection_is_400(reads_api: KGApi, value: str) -> None:
    """A filter value that looks like an IRI but is not a safe one is refused with 400, not run."""
    before = counts(reads_api)
    response = get(reads_api, "/leaders", country=value)
    assert response.status_code == 400
    assert "IRI" in response.json()["error"]["detail"]
    assert counts(reads_api) == before


def test_unknown_filter_values_give_empty_pages(reads_api: KGApi) -> None:
    """A country nobody holds office in, an unknown Wikidata ID: 200 with total 0."""
    assert get(reads_api, "/leaders", country="Atlantis").json()["total"] == 0
    assert get(reads_api, "/events", participant="Q999999999").json() == {
        "total": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }


def test_offset_past_the_end_keeps_the_total(reads_api: KGApi) -> None:
    """A page past the last item is empty but still says how many there are."""
    total = get(reads_api, "/events").json()["total"]
    page = get(reads_api, "/events", offset=total + 100).json()
    assert page["items"] == [] and page["total"] == total
