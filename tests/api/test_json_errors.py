"""Every refusal of the JSON API has its status and the one JSON error shape, never a 500 or a traceback,
on every backend (``reads_api``: embedded Oxigraph, ``oxigraph serve``, Virtuoso); none of them writes."""

from __future__ import annotations

import itertools
import socket
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from conftest import KGApi


def assert_error(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The response has ``status`` and the body ``{"error": {"status", "title", "detail"}}``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status and body["error"]["title"]
    assert "Traceback" not in body["error"]["detail"]
    for word in words:
        assert word.lower() in body["error"]["detail"].lower()
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "path",
    ["/leaders/Q1", "/leaders/no-such-person-00000000", "/events/0000000000000000-e1-2", "/articles/0000000000000000",
     "/articles/abcd", "/articles/not-hex", "/entities/person/Q1", "/id/person/Q1", "/id/unicorn/Q7747",
     "/id/person/..", "/entities/article/0000000000000000"],
)  # fmt: skip
def test_unknown_resources_are_404(reads_api: KGApi, path: str) -> None:
    """An id no article has, or a kind of IRI we never mint, is 404."""
    assert_error(httpx.get(f"{reads_api.base}{path}"), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/leaders", {"GET"}),
        ("POST", "/events", {"GET"}),
        ("PUT", "/articles", {"GET", "POST"}),
        ("PATCH", "/articles/e3a38632994e89d9", {"GET", "DELETE"}),
        ("POST", "/id/person/Q7747", {"GET"}),
        ("DELETE", "/.well-known/void", {"GET"}),
    ],
)
def test_wrong_method_is_405_with_allow(reads_api: KGApi, method: str, path: str, allowed: set[str]) -> None:
    """A method the path does not take is 405, and Allow names the ones it does."""
    response = httpx.request(method, f"{reads_api.base}{path}", headers=reads_api.auth)
    assert_error(response, 405)
    assert set(response.headers["allow"].replace(" ", "").split(",")) == allowed


@pytest.mark.parametrize("path", ["/id/person/Q7747", "/entities/person/Q7747", "/.well-known/void"])
def test_unacceptable_accept_is_406(reads_api: KGApi, path: str) -> None:
    """An Accept that matches no representation, or an unknown format=, is 406 listing what is served."""
    assert_error(httpx.get(f"{reads_api.base}{path}", headers={"Accept": "image/png"}), 406, "text/turtle")
    assert_error(httpx.get(f"{reads_api.base}{path}", params={"format": "yaml"}), 406, "yaml")


def raw_post(api: KGApi, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST /articles declaring a 1 GB body but sending 2 bytes; the status and body of the answer."""
    url = httpx.URL(api.base)
    lines = [b"POST /articles HTTP/1.1", f"Host: {url.host}".encode(), b"Content-Type: application/json",
             f"Content-Length: {10**9}".encode(), b"Connection: close"]  # fmt: skip
    lines += [f"{k}: {v}".encode() for k, v in headers.items()]
    with socket.create_connection((url.host, url.port or 80), timeout=10) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n{}")
        data = b""
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 20:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_missing_token_is_401_and_oversize_413_before_reading(reads_api: KGApi) -> None:
    """The declared size is refused before the body is read: 401 without a token, 413 with one."""
    status, body = raw_post(reads_api, {})
    assert status == 401 and b'"status":401' in body
    status, body = raw_post(reads_api, reads_api.auth)
    assert status == 413 and b"KG_MAX_UPLOAD_BYTES" in body


def test_bad_iri_filter_is_400(reads_api: KGApi) -> None:
    """A filter value that starts like an IRI but is not a valid one is 400, in the error shape."""
    assert_error(httpx.get(f"{reads_api.base}/events", params={"participant": "https://x y"}), 400, "IRI")


def test_bad_media_type_is_415(reads_api: KGApi) -> None:
    """POST /articles with a body that is neither JSON nor multipart is 415."""
    response = httpx.post(
        f"{reads_api.base}/articles", headers={**reads_api.auth, "Content-Type": "text/csv"}, content=b"a"
    )
    assert_error(response, 415, "multipart")


def test_bad_query_parameter_is_422_naming_it(reads_api: KGApi) -> None:
    """A parameter of the wrong type is 422 and the detail names it."""
    assert_error(httpx.get(f"{reads_api.base}/leaders/Q7747", params={"limit": "many"}), 422, "limit")


ODD_VALUES = ["", " ", "%", "\\", "'", '"', "<>", "{}", "Q", "Q0", "http://", "\u202e", "😀" * 50, "x" * 5000]


def test_odd_values_never_cause_a_500(reads_api: KGApi) -> None:
    """Odd values in every filter and path segment get an answer below 500, always JSON or the asked type."""
    filters = {
        "/leaders": ["country", "role", "name"],
        "/events": ["place", "participant", "commemorates", "type", "from"],
        "/timeline": ["family", "to"],
        "/casualties": ["group", "event", "measure"],
        "/quotes": ["speaker", "q", "direct"],
        "/articles": ["outlet", "q"],
    }
    with httpx.Client(base_url=reads_api.base, timeout=30.0) as client:
        for (path, names), value in itertools.product(filters.items(), ODD_VALUES):
            for name in names:
                response = client.get(path, params={name: value})
                assert response.status_code < 500, (path, name, value, response.text)
        for prefix, value in itertools.product(
            ("/leaders/", "/events/", "/articles/", "/id/person/", "/entities/event/"), ODD_VALUES[2:]
        ):
            response = client.get(prefix + httpx.URL(value).raw_path.decode().lstrip("/"))
            assert response.status_code < 500, (prefix, value, response.text)


@pytest.mark.parametrize("query", ["from=2025-13-01", "to=May 2025", "from=25-05-09"])
def test_a_bad_date_says_which_forms_are_accepted(reads_api: KGApi, query: str) -> None:
    """/timeline?from=2025-13-01 answers 422 naming YYYY, YYYY-MM or YYYY-MM-DD, never a regular expression."""
    response = httpx.get(f"{reads_api.base}/timeline?{query}")
    assert response.status_code == 422
    detail = response.json()["error"]["detail"]
    assert "use YYYY, YYYY-MM or YYYY-MM-DD" in detail
    assert "\\d" not in detail and "^" not in detail
