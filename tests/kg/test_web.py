"""``kg.web`` through a ``Fetcher``: what arrives on the wire from a real web site on 127.0.0.1 (or ::1),
compressed bodies, charsets, IPv6 literal hosts and UTF-8 redirects, read as a browser would read them."""

from __future__ import annotations

import gzip
import socket
import zlib
from collections.abc import Callable
from html import escape

import pytest
from websample import WIRE, Route, Site, page, serve_site

from kg.errors import FetchError, FetchRefused
from kg.fetch import Fetcher, FetchPolicy, fetch_article

FAST = FetchPolicy(allow_private=True, delay=0.0, backoff=0.01, timeout=5.0)


def fetcher(**changes: object) -> Fetcher:
    values = {**FAST.__dict__, **changes}
    return Fetcher(FetchPolicy(**values))  # type: ignore[arg-type]


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


CODINGS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "gzip": ("gzip", gzip.compress),
    "deflate (zlib)": ("deflate", zlib.compress),
    "deflate (raw)": ("deflate", raw_deflate),
    "gzip twice": ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
}


@pytest.mark.parametrize("name", CODINGS)
def test_a_compressed_page_is_decoded(site: Site, name: str) -> None:
    """A page sent gzip- or deflate-encoded (both deflate forms servers send) reads as the plain page."""
    coding, pack = CODINGS[name]
    site.routes["/a.html"] = Route(
        pack(page("Packed", WIRE)), headers=(("Content-Encoding", coding),), content_type="text/html; charset=utf-8"
    )
    with fetcher() as f:
        article = fetch_article(f, site.url("/a.html"))
    assert article.title == "Packed"
    assert "27 million" in article.text


def test_a_compression_bomb_is_refused_at_the_size_cap(site: Site) -> None:
    """A 10 KB gzip body that unpacks to 10 MB passes the Content-Length check but not the cap on
    the decoded bytes: the same "larger than" error as a plain body, and no retry."""
    bomb = gzip.compress(b" " * 10_000_000)
    assert len(bomb) < 20_000
    site.routes["/bomb.html"] = Route(bomb, headers=(("Content-Encoding", "gzip"),))
    with fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="larger than 100,000 bytes"):
        f.get(site.url("/bomb.html"))
    assert site.hits("/bomb.html") == 1


def test_a_corrupt_compressed_body_is_a_fetch_error(site: Site) -> None:
    """A body that says gzip but is not is one FetchError line, not a traceback."""
    site.routes["/bad.html"] = Route(b"this is not gzip at all", headers=(("Content-Encoding", "gzip"),))
    with fetcher() as f, pytest.raises(FetchError, match="cannot be decoded") as info:
        f.get(site.url("/bad.html"))
    assert "\n" not in str(info.value)


LATIN = [
    "Le président français a déposé une gerbe à l'Arc de Triomphe jeudi, quatre-vingts ans après la "
    "capitulation de l'Allemagne nazie, devant des anciens combattants et des élèves des lycées parisiens.",
    "« Nous n'oublierons jamais ceux qui sont tombés pour la libération », a-t-il déclaré après la cérémonie, "
    "où la garde républicaine a joué la Marseillaise sous un ciel gris et froid de mai.",
]


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=ISO-8859-1", 'text/html;charset="iso-8859-1"', "text/html; Charset=ISO-8859-1; x=y"],
)
def test_the_charset_of_the_content_type_is_used(site: Site, content_type: str) -> None:
    """A Latin-1 page with no charset of its own is read in the charset its Content-Type names."""
    body = "".join(f"<p>{escape(p)}</p>" for p in LATIN)
    html = f"<html><head><title>Cérémonie</title></head><body><article>{body}</article></body></html>"
    site.routes["/fr.html"] = Route(html.encode("latin-1"), content_type=content_type)
    with fetcher() as f:
        fetched = f.get(site.url("/fr.html"))
        article = fetch_article(f, site.url("/fr.html"))
    assert fetched.charset == "iso-8859-1"
    assert fetched.media_type == "text/html"
    assert "Le président français a déposé une gerbe" in article.text


@pytest.mark.parametrize("url", ["http://[::1]/", "http://[::1]:8080/a.html", "https://[::ffff:127.0.0.1]/"])
def test_an_ipv6_loopback_literal_is_refused(url: str) -> None:
    """An IPv6 loopback host (or IPv4 loopback written as IPv6) is refused without allow_private."""
    with Fetcher(FetchPolicy()) as f, pytest.raises(FetchRefused, match="--allow-private"):
        f.get(url)


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_a_page_on_an_ipv6_literal_host_is_fetched() -> None:
    """With allow_private, http://[::1]:PORT/ is reached (robots.txt too) and kept as the article's URL."""
    with serve_site("::1") as site:
        site.routes["/a.html"] = Route(page("Six", WIRE))
        with fetcher() as f:
            article = fetch_article(f, site.url("/a.html"))
    assert site.url("/a.html").startswith("http://[::1]:")
    assert article.url == site.url("/a.html")
    assert [p for p, _, _ in site.requests] == ["/robots.txt", "/a.html"]


def test_a_utf8_redirect_is_followed_percent_encoded(site: Site) -> None:
    """A Location in UTF-8 (as servers send it) leads to the percent-encoded path a browser asks for."""
    location = "/städte/köln.html"
    as_sent = location.encode("utf-8").decode("latin-1")  # the test server writes headers as Latin-1
    site.routes["/old"] = Route(b"", status=301, headers=(("Location", as_sent),))
    site.routes["/st%C3%A4dte/k%C3%B6ln.html"] = Route(page("Köln", WIRE))
    with fetcher() as f:
        article = fetch_article(f, site.url("/old"))
    assert article.url == site.url("/st%C3%A4dte/k%C3%B6ln.html")
