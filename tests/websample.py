"""A real web site for tests (``Site``, served by the ``site`` fixture on 127.0.0.1) and what it
serves: article pages, RSS and Atom feeds, robots.txt; and small WARC files written with warcio."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass(frozen=True)
class Route:
    """What the test site answers at one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer 503 to this many requests first


@dataclass
class Site:
    """A real HTTP server on 127.0.0.1 serving ``routes``; it records each request it gets."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, float]] = field(default_factory=list)  # path, user agent, arrival time

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p == path)


def handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.requests.append((path, self.headers.get("User-Agent", ""), time.monotonic()))
            route = site.routes.get(path)
            if route is None:
                route = Route(b"<html><body><h1>Not Found</h1></body></html>", status=404)
            elif route.fail_first and site.hits(path) <= route.fail_first:
                route = Route(b"busy", status=503, content_type="text/plain")
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@contextmanager
def serve_site(host: str = "127.0.0.1") -> Iterator[Site]:
    """A ``Site`` served on a free port of ``host`` (an IPv4 or IPv6 address) until the block ends."""
    server = (_Server6 if ":" in host else ThreadingHTTPServer)((host, 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    netloc = f"[{host}]" if ":" in host else host
    web = Site(f"http://{netloc}:{server.server_address[1]}")
    server.RequestHandlerClass = handler(web)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- what the site serves ------------------------------------------------------------------

WIRE = [
    "Russian President Vladimir Putin watched thousands of troops march across Red Square on Friday "
    "as Russia marked the 80th anniversary of the Soviet victory over Nazi Germany.",
    "Chinese President Xi Jinping sat beside Putin on the reviewing stand, along with leaders from more "
    "than twenty countries who had flown to Moscow for the celebrations.",
    "The Soviet Union lost an estimated 27 million people in the war.",
    "“We will never forget the sacrifice of our fathers and grandfathers,” Putin said in a speech "
    "before the parade began.",
    "More than 11,000 soldiers took part in the parade, which ended with a flypast of military aircraft "
    "trailing smoke in the colours of the Russian flag over the Kremlin towers.",
    "Veterans in their nineties were driven past the stands in open cars, and crowds carrying portraits "
    "of relatives who fought in the war lined the streets of central Moscow for the Immortal Regiment march.",
]
# The same wire story as another outlet ran it: one paragraph rewritten, one cut, one added.
WIRE_COPY = [
    WIRE[0],
    WIRE[1],
    WIRE[2],
    WIRE[3],
    "Troops from several allied countries also marched, and military aircraft flew over the Kremlin in a "
    "display that local television carried live.",
    WIRE[5],
    "Our correspondent in Moscow said security around Red Square had been tighter than in previous years.",
]
# An original report on the same day: another source, not a copy.
ORIGINAL = [
    "Berlin remembered the end of the Second World War in Europe on Thursday with a quiet ceremony at the "
    "Soviet memorial in Tiergarten, where German Chancellor Friedrich Merz laid a wreath.",
    "Historians put the Soviet death toll at about 26.6 million people, soldiers and civilians together.",
    "“Germany bears responsibility for the crimes of that war,” Merz said, standing before the memorial.",
]


def page(title: str, paragraphs: list[str], *, site_name: str | None = None, published: str | None = None) -> bytes:
    """An article page the way news sites mark it up: Open Graph site name, publication time, <article>."""
    meta = ""
    if site_name:
        meta += f'<meta property="og:site_name" content="{escape(site_name)}">'
    if published:
        meta += f'<meta property="article:published_time" content="{published}T09:30:00+00:00">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>{meta}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        f"<footer>© Example news. All rights reserved.</footer></body></html>"
    ).encode()


NO_ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Example news</title></head><body>"
    b"<nav><a href='/'>Home</a></nav><footer>Contact</footer></body></html>"
)


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of ``(title, link, pubDate)`` items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "")
        + "</item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>World news</title>'
        f"<link>http://example.org/</link><description>Test feed</description>{entries}</channel></rss>"
    ).encode()


def atom(items: list[tuple[str, str, str | None]]) -> bytes:
    """An Atom feed of ``(title, href, published)`` entries."""
    entries = "".join(
        f"<entry><title>{escape(t)}</title><link rel='alternate' href='{escape(href)}'/><id>{escape(href)}</id>"
        + (f"<published>{d}</published>" if d else "")
        + "</entry>"
        for t, href, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>World news</title><id>urn:test</id>{entries}</feed>"
    ).encode()


def write_warc(
    path: Path, records: list[tuple[str, bytes, str, str]], *, gzip: bool = True, truncated: set[str] = frozenset()
) -> Path:
    """A WARC file of ``(uri, body, content type, status line)`` responses, each after its request;
    URIs in ``truncated`` carry ``WARC-Truncated: length``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for uri, body, content_type, status in records:
            request = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            warc_headers = {"WARC-Truncated": "length"} if uri in truncated else None
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=warc_headers
            )
            writer.write_record(record)
    return path
