"""`kg ingest` of web pages, feeds and web archives served from 127.0.0.1, run as a user runs it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_cli import Run, kg, require_gazetteer, stats
from websample import NO_ARTICLE, ORIGINAL, WIRE, WIRE_COPY, Route, atom, page, rss, serve_site, write_warc

from kg import facts
from kg.articles import make_article
from kg.mapping import article_iri
from kg.store import Store

WEB = ("--allow-private", "--delay", "0", "-q")
ARCHIVED = [*WIRE[:-1], "Reporting by the wire's Moscow bureau; editing by the news desk in London."]  # a third copy
HTML = "text/html; charset=utf-8"


def article_id(paragraphs: list[str]) -> str:
    return make_article("\n\n".join(paragraphs)).id


def meta(spec: str, paragraphs: list[str]) -> dict[str, Any]:
    """The stored metadata of one article (headline, outlet, date, URL)."""
    with Store(spec, read_only=True) as store:
        rows = store.rows("article_meta", article=article_iri(article_id(paragraphs)))
    assert len(rows) == 1, f"article {article_id(paragraphs)} is stored {len(rows)} times"
    return rows[0]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A news site on 127.0.0.1, a WARC of it, and one store filled by `kg ingest` of a URL, a feed and the
    WARC, then the URL again; each run's result and the quads after each."""
    require_gazetteer()
    root = tmp_path_factory.mktemp("web")
    spec = f"oxigraph:{root / 'store'}"
    with serve_site() as site:
        site.routes.update(
            {
                "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
                "/2025/05/09/parade.html": Route(
                    page("Putin watches Victory Day parade", WIRE, site_name="Example Wire", published="2025-05-09")
                ),
                "/world/copy.html": Route(page("Victory Day in Moscow", WIRE_COPY, site_name="Daily Example")),
                "/berlin.html": Route(page("Berlin remembers", ORIGINAL, site_name="Berlin Example")),
                "/index.html": Route(NO_ARTICLE),
                "/feed.xml": Route(
                    rss(
                        [
                            ("Copy", "/world/copy.html", "Fri, 09 May 2025 12:00:00 GMT"),
                            ("Berlin", "/berlin.html", "Thu, 08 May 2025 18:00:00 GMT"),
                            ("Gone", "/gone.html", None),
                            ("Front page", "/index.html", None),
                            ("Private", "/private/a.html", None),
                        ]
                    ),
                    content_type="application/rss+xml",
                ),
            }
        )
        url = site.url("/2025/05/09/parade.html")
        first = kg("ingest", url, "--store", spec, *WEB)
        quads_first = stats(spec)["quads"]
        feed = kg("ingest", "--feed", site.url("/feed.xml"), "--store", spec, *WEB)
        archive = write_warc(
            root / "crawl.warc.gz",
            [
                (
                    "http://archive.example/2025/05/09/parade",
                    page("Parade", ARCHIVED, site_name="Archive"),
                    HTML,
                    "200 OK",
                ),
                ("http://archive.example/style.css", b"body {}", "text/css", "200 OK"),
            ],
        )
        warc = kg("ingest", str(archive), "--store", spec, "-q")
        stats_before = stats(spec)
        again = kg("ingest", url, str(archive), "--feed", site.url("/feed.xml"), "--store", spec, *WEB)
        stats_again = stats(spec)
        yield {
            "site": site,
            "spec": spec,
            "first": first,
            "quads_first": quads_first,
            "feed": feed,
            "warc": warc,
            "again": again,
            "stats_before": stats_before,
            "stats_again": stats_again,
        }


def test_a_url_is_stored_with_date_and_outlet_from_the_page(web: dict[str, Any]) -> None:
    """`kg ingest URL`: one article, its headline, outlet, date and URL from the page."""
    first: Run = web["first"]
    assert first.code == 0, first.err
    assert first.out.startswith("1 articles from 1 sources:") and first.out.strip().endswith("0 failed")
    stored = meta(web["spec"], WIRE)
    assert stored["title"] == "Putin watches Victory Day parade"
    assert stored["outlet"] == "Example Wire"
    assert stored["published"] == date(2025, 5, 9)
    assert stored["url"] == web["site"].url("/2025/05/09/parade.html")


def test_a_feed_stores_every_item_page_and_reports_each_bad_one_on_one_line(web: dict[str, Any]) -> None:
    """`kg ingest --feed`: the copy and the original are stored; a 404, a page with no article and a page
    robots.txt forbids each get one line; the run exits 1."""
    feed: Run = web["feed"]
    assert feed.code == 1
    assert "Traceback" not in feed.err
    lines = feed.err.strip().splitlines()
    site = web["site"]
    assert lines == [
        f"failed: {site.url('/gone.html')}: HTTP 404 Not Found",
        f"failed: {site.url('/index.html')}: no article text found on the page "
        "(only 1 word outside the page furniture)",
        f"failed: {site.url('/private/a.html')}: robots.txt of 127.0.0.1 disallows it",
    ]
    assert feed.out.startswith("2 articles from 1 sources:")
    assert "1 near-duplicate copies grouped into stories" in feed.out
    assert site.hits("/private/a.html") == 0


def test_a_feed_item_without_a_date_on_its_page_takes_the_feeds(web: dict[str, Any]) -> None:
    """The Berlin page has no date markup: its date is the feed item's, and says so."""
    stored = meta(web["spec"], ORIGINAL)
    assert stored["published"] == date(2025, 5, 8) and stored["basis"] == "feed"
    assert stored["outlet"] == "Berlin Example"


def test_a_warc_stores_its_html_responses(web: dict[str, Any]) -> None:
    """`kg ingest crawl.warc.gz`: the archived page (a third copy of the wire story) is stored; the CSS is not."""
    warc: Run = web["warc"]
    assert warc.code == 0, warc.err
    assert warc.out.startswith("1 articles from 1 files:")
    assert "1 near-duplicate copies" in warc.out
    stored = meta(web["spec"], ARCHIVED)
    assert stored["url"] == "http://archive.example/2025/05/09/parade" and stored["outlet"] == "Archive"
    assert stored["published"] == date(2025, 5, 9)
    assert web["stats_before"]["articles"] == 4


def test_copies_of_the_wire_story_are_one_story(web: dict[str, Any]) -> None:
    """The wire story and its two edited copies are three articles in one story; /casualties' independent
    view lists the 27 million once, with the three copies."""
    with Store(web["spec"], read_only=True) as store:
        every = facts.as_json(facts.casualties(store, group="Soviet Union"))
        independent = facts.as_json(facts.casualties(store, group="Soviet Union", independent=True))
    assert sorted(f["low"] for f in every["items"]) == [26_600_000, 27_000_000, 27_000_000, 27_000_000]
    assert sorted(f["low"] for f in independent["items"]) == [26_600_000, 27_000_000]
    [wire] = [f for f in independent["items"] if f["low"] == 27_000_000]
    assert wire["copies"] == sorted(str(article_iri(article_id(p))) for p in (WIRE, WIRE_COPY, ARCHIVED))


def test_ingesting_again_changes_nothing(web: dict[str, Any]) -> None:
    """Re-ingesting the URL, the feed and the WARC in one run skips the 4 stored articles and changes nothing."""
    again: Run = web["again"]
    assert again.code == 1 and len(again.err.strip().splitlines()) == 3  # the feed's three bad items
    assert again.out.startswith("0 articles from 3 sources:")
    assert "4 already stored, skipped" in again.out  # fetched to learn their ids, not extracted again
    assert web["stats_again"] == web["stats_before"]


def test_private_addresses_need_allow_private(tmp_path: Path) -> None:
    """Without --allow-private a loopback URL is refused on one line and nothing is stored."""
    require_gazetteer()
    spec = f"oxigraph:{tmp_path / 'store'}"
    with serve_site() as site:
        site.routes["/a.html"] = Route(page("A", WIRE))
        run = kg("ingest", site.url("/a.html"), "--store", spec, "-q")
        assert site.requests == []
    assert run.code == 1
    [line] = run.err.strip().splitlines()
    assert line.startswith(f"failed: {site.url('/a.html')}: 127.0.0.1 is a private or loopback address")
    assert stats(spec)["articles"] == 0


def test_bad_input_is_one_line_each_and_nothing_is_stored(tmp_path: Path) -> None:
    """A 404, a timeout, a page with no article, a feed that is not XML and a truncated WARC: one line each,
    exit 1, no article stored."""
    require_gazetteer()
    spec = f"oxigraph:{tmp_path / 'store'}"
    cut = write_warc(tmp_path / "cut.warc.gz", [("http://archive.example/a", page("A", WIRE), HTML, "200 OK")])
    cut.write_bytes(cut.read_bytes()[:-300])
    with serve_site() as site:
        site.routes.update(
            {
                "/slow.html": Route(page("Slow", WIRE), delay=3.0),
                "/index.html": Route(NO_ARTICLE),
                "/feed.xml": Route(b"<html><body>Our feeds moved</body></html>", content_type="text/html"),
                "/atom.xml": Route(atom([]) + b"<trailing>", content_type="application/atom+xml"),
            }
        )
        run = kg(
            "ingest",
            site.url("/missing.html"),
            site.url("/slow.html"),
            site.url("/index.html"),
            str(cut),
            "--feed",
            site.url("/feed.xml"),
            "--feed",
            site.url("/atom.xml"),
            "--store",
            spec,
            "--timeout",
            "0.5",
            *WEB,
        )
    assert run.code == 1 and "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 6, lines
    assert all(line.startswith("failed: ") for line in lines)
    reasons = "\n".join(lines)
    for words in (
        "HTTP 404",
        "no answer within 0.5 s (after 3 tries)",
        "no article text",
        "truncated WARC record",
        "the root element is <html>",
        "malformed XML",
    ):
        assert words in reasons
    assert run.out.strip() == "0 articles from 6 sources: 0 facts, 0 quads; 6 failed"
    assert stats(spec)["articles"] == 0
