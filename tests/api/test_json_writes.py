"""Adding and deleting articles: authentication, idempotency, concurrency, refusals that store nothing,
pages posted by URL, and copies of one story counted once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from websample import NO_ARTICLE, WIRE, WIRE_COPY, Route, Site, page

from kg.articles import make_article

if TYPE_CHECKING:
    from conftest import KGApi

TEXT = (
    "German Chancellor Olaf Scholz laid a wreath in Berlin on Wednesday to mark the end of the war in Europe. "
    "The Soviet Union lost an estimated 27 million people in the war, Scholz said. "
    "“We will never forget,” Scholz said."
)
ARTICLE = {
    "title": "Scholz marks the end of the war in Europe",
    "text": TEXT,
    "published": "2025-05-08",
    "url": "https://example.org/test/2025/05/08/scholz",
    "outlet": "Test Wire",
}
ARTICLE_ID = make_article(TEXT).id


def assert_error(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The response has ``status`` and the one JSON error shape, with no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status
    assert "Traceback" not in body["error"]["detail"]
    for word in words:
        assert word.lower() in body["error"]["detail"].lower()
    return body["error"]  # type: ignore[no-any-return]


def post(api: KGApi, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
    headers = {**(api.auth if auth else {}), **kwargs.pop("headers", {})}
    return httpx.post(f"{api.base}/articles", headers=headers, timeout=60.0, **kwargs)


def quads(api: KGApi, article_id: str) -> int:
    """The article's graph size, asked over /sparql."""
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://w3id.org/wwiikg/id/article/{article_id}> {{ ?s ?p ?o }} }}"
    )
    response = httpx.get(f"{api.base}/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def article_count(api: KGApi) -> int:
    return int(httpx.get(f"{api.base}/stats").json()["articles"])


@pytest.fixture
def cleanup(kg_api: KGApi) -> Iterator[list[str]]:
    """Ids to delete after the test, so the shared store keeps the sample articles only."""
    ids: list[str] = []
    yield ids
    for article_id in ids:
        httpx.delete(f"{kg_api.base}/articles/{article_id}", headers=kg_api.auth)
    assert article_count(kg_api) == kg_api.articles


def test_post_get_delete_round_trip(kg_api: KGApi, cleanup: list[str]) -> None:
    """POST returns the facts (201, Location); GET reads them back; DELETE removes the graph (204, then 404)."""
    cleanup.append(ARTICLE_ID)
    created = post(kg_api, json=ARTICLE)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/articles/{ARTICLE_ID}"
    report = created.json()
    assert report["article"]["id"] == ARTICLE_ID and report["article"]["outlet"] == "Test Wire"
    scholz = next(p for p in report["leaders"] if p["wikidata"] == "Q61053")
    assert scholz["offices"][0]["role"] == "Chancellor"
    assert report["casualties"][0]["low"] == 27_000_000
    assert any("never forget" in q["text"] for q in report["quotes"])
    assert httpx.get(f"{kg_api.base}/articles/{ARTICLE_ID}").json() == report
    listed = httpx.get(f"{kg_api.base}/leaders", params={"name": "scholz"}).json()
    assert listed["items"][0]["sources"] >= 2

    deleted = httpx.delete(f"{kg_api.base}/articles/{ARTICLE_ID}", headers=kg_api.auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(httpx.get(f"{kg_api.base}/articles/{ARTICLE_ID}"), 404)
    assert_error(httpx.delete(f"{kg_api.base}/articles/{ARTICLE_ID}", headers=kg_api.auth), 404)
    assert quads(kg_api, ARTICLE_ID) == 0


def _listed(api: KGApi, path: str) -> list[dict[str, Any]]:
    """The items of ``path`` (every page of 500) that come from the test article."""
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = httpx.get(f"{api.base}{path}", params={"limit": 500, "offset": offset}, timeout=60.0).json()
        items += [i for i in page["items"] if i["source"]["id"] == ARTICLE_ID]
        offset += 500
        if offset >= page["total"]:
            return items


def test_list_reads_follow_a_replacement_and_a_delete(kg_api: KGApi, cleanup: list[str]) -> None:
    """After an article is posted again with another outlet and title, every list read gives its facts
    with the new source, never the one read before; after it is deleted, none of them."""
    cleanup.append(ARTICLE_ID)
    paths = ("/events", "/casualties", "/quotes", "/timeline")
    assert post(kg_api, json=ARTICLE).status_code == 201
    first = {path: _listed(kg_api, path) for path in paths}
    assert all(first.values())
    assert {i["source"]["outlet"] for items in first.values() for i in items} == {"Test Wire"}
    renamed = {**ARTICLE, "outlet": "Other Wire", "title": "Scholz marks the end of the war"}
    assert post(kg_api, json=renamed).status_code == 200
    again = {path: _listed(kg_api, path) for path in paths}
    assert {p: len(i) for p, i in again.items()} == {p: len(i) for p, i in first.items()}
    assert {(i["source"]["outlet"], i["source"]["title"]) for items in again.values() for i in items} == {
        ("Other Wire", "Scholz marks the end of the war")
    }
    assert httpx.delete(f"{kg_api.base}/articles/{ARTICLE_ID}", headers=kg_api.auth).status_code == 204
    assert all(not _listed(kg_api, path) for path in paths)


def test_posting_twice_replaces_one_graph(kg_api: KGApi, cleanup: list[str]) -> None:
    """The same article twice: 201 then 200, one graph with the same number of quads; the id ignores
    white space, so a re-spaced copy replaces the graph too."""
    cleanup.append(ARTICLE_ID)
    assert post(kg_api, json=ARTICLE).status_code == 201
    size = quads(kg_api, ARTICLE_ID)
    again = post(kg_api, json=ARTICLE)
    assert again.status_code == 200, again.text
    assert quads(kg_api, ARTICLE_ID) == size > 0
    respaced = post(kg_api, json={**ARTICLE, "text": "  " + TEXT.replace(". ", ".\n\n") + "\n"})
    assert respaced.status_code == 200 and respaced.json()["article"]["id"] == ARTICLE_ID
    assert article_count(kg_api) == kg_api.articles + 1


def test_concurrent_posts_of_one_article_leave_one_graph(kg_api: KGApi, cleanup: list[str]) -> None:
    """Eight simultaneous POSTs of the same article: one 201, seven 200, one graph of the usual size."""
    cleanup.append(ARTICLE_ID)

    async def send_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=kg_api.base, headers=kg_api.auth, timeout=120.0) as client:
            return await asyncio.gather(*(client.post("/articles", json=ARTICLE) for _ in range(8)))

    responses = asyncio.run(send_all())
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert article_count(kg_api) == kg_api.articles + 1
    size = quads(kg_api, ARTICLE_ID)
    assert post(kg_api, json=ARTICLE).status_code == 200
    assert quads(kg_api, ARTICLE_ID) == size


def test_reads_answer_while_writes_run(kg_api: KGApi, cleanup: list[str]) -> None:
    """A GET sent while POSTs are extracting answers without waiting for them (no blocked event loop)."""
    cleanup.append(ARTICLE_ID)

    async def race() -> tuple[float, float]:
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(base_url=kg_api.base, headers=kg_api.auth, timeout=120.0) as client:
            writes = [asyncio.create_task(client.post("/articles", json=ARTICLE)) for _ in range(4)]
            await asyncio.sleep(0.02)
            started = loop.time()
            read = await client.get("/health")
            read_done = loop.time()
            await asyncio.gather(*writes)
            assert read.status_code == 200
            return read_done - started, loop.time() - started

    read_time, write_time = asyncio.run(race())
    assert read_time < write_time


def test_upload_a_file(kg_api: KGApi, cleanup: list[str]) -> None:
    """A .md file uploaded as multipart field 'file' is read with its front matter and stored."""
    body = "---\ntitle: Uploaded\npublished: 2025-05-08\noutlet: File Wire\n---\n\n" + TEXT
    article_id = make_article(TEXT).id
    cleanup.append(article_id)
    response = post(kg_api, files={"file": ("scholz.md", body.encode(), "text/markdown")})
    assert response.status_code == 201, response.text
    assert response.json()["article"] | {"iri": None} == {
        "iri": None,
        "id": article_id,
        "title": "Uploaded",
        "url": None,
        "outlet": "File Wire",
        "published": "2025-05-08",
        "published_basis": "metadata",
    }


def test_upload_without_suffix_uses_the_media_type(kg_api: KGApi, cleanup: list[str]) -> None:
    """A file with no suffix is read by its part's media type (here JSON)."""
    cleanup.append(ARTICLE_ID)
    files = {"file": ("article", json.dumps(ARTICLE).encode(), "application/json")}
    assert post(kg_api, files=files).status_code == 201


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"content": b'{"text": "x",', "headers": {"Content-Type": "application/json"}}, 400, ["malformed JSON"]),
        ({"content": b"\xff\xfe{}", "headers": {"Content-Type": "application/json"}}, 400, []),
        ({"content": b"", "headers": {"Content-Type": "application/json"}}, 400, ["empty"]),
        ({"json": [ARTICLE]}, 422, ["JSON object"]),
        ({"json": {"title": "no text"}}, 422, ["no 'text'"]),
        ({"json": {**ARTICLE, "text": "   \n  "}}, 422, ["no text"]),
        ({"json": {**ARTICLE, "text": 42}}, 422, ["string"]),
        ({"json": {**ARTICLE, "published": "the day after"}}, 422, ["date"]),
        ({"content": TEXT.encode(), "headers": {"Content-Type": "text/plain"}}, 415, ["multipart"]),
        ({"content": TEXT.encode()}, 415, []),
        ({"files": {"file": ("a.docx", b"PK\x03\x04 zip", "application/octet-stream")}}, 415, [".docx"]),
        ({"files": {"file": ("a.bin", b"x", "application/octet-stream")}}, 415, ["file type"]),
        ({"files": {"file": ("a.txt", b"Title\n\n\x00\x01\x02binary", "text/plain")}}, 415, ["binary"]),
        ({"files": {"file": ("a.txt", "Titre\n\ncafé".encode("latin-1"), "text/plain")}}, 400, ["UTF-8"]),
        ({"files": {"file": ("a.txt", b"   ", "text/plain")}}, 422, ["empty"]),
        ({"files": {"other": ("a.txt", TEXT.encode(), "text/plain")}}, 422, ["file"]),
        ({"files": {"file": ("a.json", b"{not json", "application/json")}}, 422, ["malformed JSON"]),
        (
            {"files": {"file": ("a.jsonl", (json.dumps(ARTICLE) + "\n" + json.dumps(ARTICLE)).encode(), "x")}},
            422,
            ["one"],
        ),
    ],
    ids=[
        "json-malformed",
        "json-not-utf8",
        "json-empty",
        "json-array",
        "json-no-text",
        "json-blank-text",
        "json-text-not-string",
        "json-bad-date",
        "text-plain-body",
        "no-content-type",
        "upload-docx",
        "upload-unknown-suffix",
        "upload-binary",
        "upload-latin1",
        "upload-empty",
        "upload-wrong-field",
        "upload-bad-json",
        "upload-two-articles",
    ],
)
def test_refused_posts_store_nothing(kg_api: KGApi, kwargs: dict[str, Any], status: int, words: list[str]) -> None:
    """Each malformed article is refused with its status in the JSON error shape, and nothing is stored."""
    before = httpx.get(f"{kg_api.base}/stats").json()
    assert_error(post(kg_api, **kwargs), status, *words)
    assert httpx.get(f"{kg_api.base}/stats").json() == before
    assert_error(httpx.get(f"{kg_api.base}/articles/{ARTICLE_ID}"), 404)


def test_oversized_bodies_are_413(kg_api: KGApi) -> None:
    """A JSON body or an upload larger than KG_MAX_UPLOAD_BYTES is 413; nothing is stored."""
    before = article_count(kg_api)
    big = TEXT + " More." * (kg_api.max_upload // 5)
    assert_error(post(kg_api, json={**ARTICLE, "text": big}), 413, "KG_MAX_UPLOAD_BYTES")
    assert_error(post(kg_api, files={"file": ("big.txt", ("Title\n\n" + big).encode(), "text/plain")}), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
        yield json.dumps({**ARTICLE, "text": big}).encode()

    streamed = post(kg_api, content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(streamed, 413)
    assert article_count(kg_api) == before


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "missing"),
        ({"Authorization": "Bearer nope"}, "wrong"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing"),
    ],
    ids=["no-token", "wrong-token", "basic-auth"],
)
def test_writes_need_the_bearer_token(kg_api: KGApi, headers: dict[str, str], detail: str) -> None:
    """POST and DELETE without the right bearer token are 401 with WWW-Authenticate: Bearer."""
    response = post(kg_api, auth=False, json=ARTICLE, headers=headers)
    assert_error(response, 401, detail)
    assert response.headers["www-authenticate"].startswith("Bearer")
    some_id = httpx.get(f"{kg_api.base}/articles", params={"limit": 1}).json()["items"][0]["id"]
    deleted = httpx.delete(f"{kg_api.base}/articles/{some_id}", headers=headers)
    assert_error(deleted, 401)
    assert deleted.headers["www-authenticate"].startswith("Bearer")
    assert article_count(kg_api) == kg_api.articles


def test_writes_are_disabled_without_a_configured_token(readonly_api: str) -> None:
    """With no KG_API_TOKEN the server refuses every write with 403, whatever token is sent."""
    for headers in ({}, {"Authorization": "Bearer anything"}):
        assert_error(httpx.post(f"{readonly_api}/articles", json=ARTICLE, headers=headers), 403, "KG_API_TOKEN")
        assert_error(httpx.delete(f"{readonly_api}/articles/a1b2c3d4e5f60718", headers=headers), 403)
    assert httpx.get(f"{readonly_api}/articles").json()["total"] == 2


def test_delete_unknown_or_malformed_id_is_404(kg_api: KGApi) -> None:
    """DELETE of an id no graph has, or of something that is no id, is 404."""
    for article_id in ("0000000000000000", "not-an-id", "e3a3"):
        assert_error(httpx.delete(f"{kg_api.base}/articles/{article_id}", headers=kg_api.auth), 404)


def test_html_in_a_posted_article_is_escaped_on_its_page(kg_api: KGApi, cleanup: list[str]) -> None:
    """Markup in a title or a javascript: URL never reaches the article's HTML page as markup or a link."""
    cleanup.append(ARTICLE_ID)
    hostile = {**ARTICLE, "title": "<script>alert(1)</script> & co", "url": "javascript:alert(1)"}
    assert post(kg_api, json=hostile).status_code == 201
    page = httpx.get(f"{kg_api.base}/id/article/{ARTICLE_ID}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page.text
    assert "javascript:" not in page.text.split("</style>", 1)[1].replace("&quot;", "")


def ours(items: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    return [i for i in items if i["source"]["id"] in ids]


def test_post_a_url_fetches_the_page(kg_api: KGApi, cleanup: list[str], site: Site) -> None:
    """{"url": ...} fetches the page: 201, and text, title, outlet, date and URL come from it."""
    site.routes["/2025/05/09/parade.html"] = Route(
        page("Putin watches Victory Day parade", WIRE, site_name="Example Wire", published="2025-05-09")
    )
    url = site.url("/2025/05/09/parade.html")
    article_id = make_article("\n\n".join(WIRE)).id
    cleanup.append(article_id)
    created = post(kg_api, json={"url": url})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/articles/{article_id}"
    stored = httpx.get(f"{kg_api.base}/articles/{article_id}").json()
    assert stored["article"]["title"] == "Putin watches Victory Day parade"
    assert stored["article"]["outlet"] == "Example Wire"
    assert stored["article"]["published"] == "2025-05-09"
    assert stored["article"]["url"] == url
    assert post(kg_api, json={"url": url}).status_code == 200  # the same text again: replaced, not added


def test_posted_urls_that_cannot_be_read_store_nothing(kg_api: KGApi, site: Site) -> None:
    """A 404 page is 502, a page with no article 422, a URL that is not http(s) 422; nothing is stored."""
    site.routes["/index.html"] = Route(NO_ARTICLE)
    before = httpx.get(f"{kg_api.base}/stats").json()
    assert_error(post(kg_api, json={"url": site.url("/gone.html")}), 502, "HTTP 404")
    assert_error(post(kg_api, json={"url": site.url("/index.html")}), 422, "no article text")
    assert_error(post(kg_api, json={"url": "file:///etc/passwd"}), 422, "only http")
    assert httpx.get(f"{kg_api.base}/stats").json() == before


def test_independent_counts_a_figure_once_per_story(kg_api: KGApi, cleanup: list[str]) -> None:
    """Two copies of one wire story: /casualties lists the 27 million twice, once with independent=true;
    /quotes likewise; each item names its story."""
    ids = []
    for title, paragraphs in (("Wire", WIRE), ("Copy", WIRE_COPY)):
        text = "\n\n".join(paragraphs)
        ids.append(make_article(text).id)
        cleanup.append(ids[-1])
        response = post(kg_api, json={"title": title, "text": text, "published": "2025-05-09", "outlet": title})
        assert response.status_code == 201, response.text
    params = {"group": "Soviet Union", "limit": 500}
    every = ours(httpx.get(f"{kg_api.base}/casualties", params=params).json()["items"], ids)
    assert [f["low"] for f in every] == [27_000_000, 27_000_000]
    assert len({f["story"] for f in every}) == 1
    body = httpx.get(f"{kg_api.base}/casualties", params={**params, "independent": "true"}).json()
    [once] = [f for f in body["items"] if f["copies"] and f["source"]["id"] in ids]
    assert once["low"] == 27_000_000 and len(once["copies"]) == 2
    [spread] = [s for s in body["spread"] if s["measure"] == "deaths"]
    assert spread["stories"] == spread["sources"] - 1
    quotes = {"speaker": "Putin", "q": "never forget the sacrifice", "limit": 500}
    assert len(ours(httpx.get(f"{kg_api.base}/quotes", params=quotes).json()["items"], ids)) == 2
    independent = httpx.get(f"{kg_api.base}/quotes", params={**quotes, "independent": "true"}).json()
    [quote] = ours(independent["items"], ids)
    assert len(quote["copies"]) == 2
