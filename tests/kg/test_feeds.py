"""Reading RSS and Atom feeds: each item's page, its date, and refusals of what is not a feed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from websample import Route, Site, atom, rss

from kg.errors import FeedError
from kg.feeds import FeedItem, parse_feed, read_feed
from kg.fetch import Fetcher, FetchPolicy

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/"><title>News</title></channel>
  <item rdf:about="http://example.org/a"><title>A</title><link>http://example.org/a</link><dc:date>2024-06-06</dc:date></item>
</rdf:RDF>"""


def test_rss_items_with_links_titles_and_dates() -> None:
    """RSS 2.0: each item's link, title and RFC 822 pubDate."""
    items = parse_feed(
        rss([("D-Day at 80", "http://example.org/d-day", "Thu, 06 Jun 2024 08:00:00 GMT"), ("Undated", "/b", None)]),
        "http://example.org/feed.xml",
    )
    assert items == [
        FeedItem("http://example.org/d-day", "D-Day at 80", date(2024, 6, 6)),
        FeedItem("http://example.org/b", "Undated", None),
    ]


def test_atom_entries_with_relative_links() -> None:
    """Atom: the alternate link, resolved against the feed's URL, and the published date."""
    items = parse_feed(atom([("Parade", "2025/05/09/parade", "2025-05-09T10:00:00Z")]), "http://example.org/news/feed")
    assert items == [FeedItem("http://example.org/news/2025/05/09/parade", "Parade", date(2025, 5, 9))]


def test_rss_1_items() -> None:
    """RSS 1.0 (RDF): link and Dublin Core date."""
    assert parse_feed(RSS1) == [FeedItem("http://example.org/a", "A", date(2024, 6, 6))]


def test_each_page_is_listed_once() -> None:
    """Two items linking to one page give one item."""
    items = parse_feed(rss([("A", "http://example.org/a", None), ("A again", "http://example.org/a", None)]))
    assert [i.url for i in items] == ["http://example.org/a"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><body>Not a feed</body></html>", "root element is <html>"),
        (b"<rss><channel><item><title>cut", "malformed XML at line 1"),
        (b'{"items": []}', "malformed XML"),
        (b"", "malformed XML"),
    ],
    ids=["html", "truncated", "json", "empty"],
)
def test_what_is_not_a_feed_is_one_line_feed_error(data: bytes, words: str) -> None:
    """Not XML, or XML that is not RSS or Atom: FeedError with one line saying so."""
    with pytest.raises(FeedError, match=words) as info:
        parse_feed(data)
    assert "\n" not in str(info.value)


def test_a_feed_by_url_and_by_file(site: Site, tmp_path: Path) -> None:
    """The same feed read from the web site and from a file lists the same pages."""
    body = rss([("A", "/a.html", None)])
    site.routes["/feed.xml"] = Route(body, content_type="application/rss+xml")
    (tmp_path / "feed.xml").write_bytes(rss([("A", site.url("/a.html"), None)]))
    with Fetcher(FetchPolicy(allow_private=True, delay=0)) as fetcher:
        by_url = read_feed(site.url("/feed.xml"), fetcher)
        by_file = read_feed(str(tmp_path / "feed.xml"), fetcher)
    assert by_url == by_file == [FeedItem(site.url("/a.html"), "A", None)]


def test_a_missing_feed_file_is_a_feed_error(tmp_path: Path) -> None:
    """A feed file that does not exist is reported, not a traceback."""
    with Fetcher(FetchPolicy()) as fetcher, pytest.raises(FeedError, match="cannot read feed"):
        read_feed(str(tmp_path / "nope.xml"), fetcher)
