"""RSS and Atom feeds: the pages their items link to, with the dates the feed gives them.

RSS 2.0 (``<rss><channel><item>``), RSS 1.0 (RDF ``<item>``) and Atom (``<feed><entry>``) are read
with the standard library's XML parser (no DTDs or external entities are loaded). Links are resolved
against the feed's own URL and each page is listed once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

from kg.articles import MAX_FILE_BYTES, parse_date
from kg.errors import ArticleError, FeedError
from kg.fetch import Fetcher, is_url

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: the page it links to, and its title and date as the feed states them."""

    url: str
    title: str | None = None
    published: date | None = None


def parse_feed(data: bytes, base: str | None = None) -> list[FeedItem]:
    """The items of an RSS or Atom document, links made absolute against ``base``."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise FeedError(f"not an RSS or Atom feed: malformed XML at line {line}, column {column}") from None
    read: Callable[[ET.Element], FeedItem | None]
    if root.tag == "rss":
        entries, read = root.iter("item"), _rss_item
    elif root.tag == f"{RDF}RDF":
        entries, read = root.iter(f"{RSS1}item"), _rss1_item
    elif root.tag == f"{ATOM}feed":
        entries, read = root.iter(f"{ATOM}entry"), _atom_entry
    else:
        raise FeedError(f"not an RSS or Atom feed: the root element is <{_local(root.tag)}>")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        item = read(entry)
        if item is None:
            continue
        url = urljoin(base or "", item.url)
        if url not in seen and is_url(url):
            seen.add(url)
            items.append(FeedItem(url, item.title, item.published))
    return items


def read_feed(source: str, fetcher: Fetcher) -> list[FeedItem]:
    """The items of the feed at a URL (fetched politely) or in a local file."""
    if is_url(source):
        page = fetcher.get(source)
        return parse_feed(page.body, page.url)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FeedError(f"{source}: the feed is larger than {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(f"cannot read feed {source}: {exc.strerror or exc}") from None
    return parse_feed(data)


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


def _date(value: str | None) -> date | None:
    """An RFC 822 date (RSS) or an ISO date (Atom, Dublin Core); None when unreadable."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        pass
    try:
        return parse_date(value)
    except ArticleError:
        return None


def _rss_item(item: ET.Element) -> FeedItem | None:
    link = _text(item.find("link"))
    guid = item.find("guid")
    if link is None and guid is not None and guid.get("isPermaLink", "true") == "true":
        link = _text(guid)
    if link is None:
        return None
    published = _date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date")))
    return FeedItem(link, _text(item.find("title")), published)


def _rss1_item(item: ET.Element) -> FeedItem | None:
    link = _text(item.find(f"{RSS1}link")) or item.get(f"{RDF}about")
    if link is None:
        return None
    return FeedItem(link, _text(item.find(f"{RSS1}title")), _date(_text(item.find(f"{DC}date"))))


def _atom_entry(entry: ET.Element) -> FeedItem | None:
    links = entry.findall(f"{ATOM}link")
    href = next((x.get("href") for x in links if x.get("rel", "alternate") == "alternate" and x.get("href")), None)
    if href is None:
        return None
    published = _date(_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated")))
    return FeedItem(href, _text(entry.find(f"{ATOM}title")), published)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


__all__ = ["FeedItem", "parse_feed", "read_feed"]
