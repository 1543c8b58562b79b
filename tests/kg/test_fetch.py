"""Fetching pages politely from a real web site on 127.0.0.1: what is read, and what is refused."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from websample import NO_ARTICLE, WIRE, Route, Site, page

from kg.errors import EmptyArticle, FetchError, FetchRefused, FetchTimeout, UnsupportedFormat
from kg.fetch import USER_AGENT, Fetcher, FetchPolicy, fetch_article

FAST = FetchPolicy(allow_private=True, delay=0.0, backoff=0.01, timeout=5.0)


def fetcher(**changes: object) -> Fetcher:
    values = {**FAST.__dict__, **changes}
    return Fetcher(FetchPolicy(**values))  # type: ignore[arg-type]


def test_a_page_becomes_an_article_with_its_metadata(site: Site) -> None:
    """Text, title, outlet and publication date come from the page; the URL is kept as the article's."""
    site.routes["/2025/05/09/parade.html"] = Route(
        page("Putin watches Victory Day parade", WIRE, site_name="Example Wire", published="2025-05-09")
    )
    with fetcher() as f:
        article = fetch_article(f, site.url("/2025/05/09/parade.html"))
    assert article.title == "Putin watches Victory Day parade"
    assert article.outlet == "Example Wire"
    assert article.published == date(2025, 5, 9)
    assert article.published_basis == "metadata"
    assert article.url == site.url("/2025/05/09/parade.html")
    assert "27 million" in article.text and "All rights reserved" not in article.text
    assert not article.text.startswith("Putin watches")


def test_requests_carry_the_user_agent(site: Site) -> None:
    """Every request, robots.txt included, says who we are."""
    site.routes["/a.html"] = Route(page("A", WIRE))
    with fetcher() as f:
        fetch_article(f, site.url("/a.html"))
    assert {ua for _, ua, _ in site.requests} == {USER_AGENT}
    assert [p for p, _, _ in site.requests] == ["/robots.txt", "/a.html"]


@pytest.mark.parametrize("status", [404, 410, 403])
def test_an_http_error_is_one_line_naming_the_status(site: Site, status: int) -> None:
    """A page that answers with an error status raises FetchError with the status, once (no retry)."""
    site.routes["/gone.html"] = Route(b"no", status=status, content_type="text/plain")
    with fetcher() as f, pytest.raises(FetchError, match=f"HTTP {status}") as info:
        fetch_article(f, site.url("/gone.html"))
    assert "\n" not in str(info.value)
    assert site.hits("/gone.html") == 1


def test_timeouts_are_retried_then_reported(site: Site) -> None:
    """A server slower than the timeout is tried 1 + retries times, then FetchTimeout."""
    site.routes["/slow.html"] = Route(page("Slow", WIRE), delay=1.5)
    with fetcher(timeout=0.3, retries=1) as f, pytest.raises(FetchTimeout, match="after 2 tries"):
        fetch_article(f, site.url("/slow.html"))
    assert site.hits("/slow.html") == 2


def test_a_busy_server_is_retried_with_back_off(site: Site) -> None:
    """503 twice, then the page: fetched on the third try, after waiting longer each time."""
    site.routes["/busy.html"] = Route(page("Busy", WIRE), fail_first=2)
    waits: list[float] = []
    f = Fetcher(FetchPolicy(allow_private=True, delay=0.0, backoff=0.05, retries=2), sleep=waits.append)
    with f:
        article = fetch_article(f, site.url("/busy.html"))
    assert "27 million" in article.text
    assert site.hits("/busy.html") == 3
    assert waits == [0.05, 0.1]


def test_retry_after_is_honoured(site: Site) -> None:
    """A 503 with Retry-After: 2 waits 2 s, not the shorter back-off; the last 503 is the error."""
    site.routes["/later.html"] = Route(b"wait", status=503, headers=(("Retry-After", "2"),), content_type="text/plain")
    waits: list[float] = []
    f = Fetcher(FetchPolicy(allow_private=True, delay=0.0, backoff=0.05), sleep=waits.append)
    with f, pytest.raises(FetchError, match="503"):
        fetch_article(f, site.url("/later.html"))
    assert waits == [2.0, 2.0]
    assert site.hits("/later.html") == 3


def test_robots_txt_is_obeyed(site: Site) -> None:
    """A path robots.txt disallows for us is refused without being requested."""
    site.routes["/robots.txt"] = Route(b"User-agent: wwiikg\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/a.html"] = Route(page("Secret", WIRE))
    site.routes["/public/a.html"] = Route(page("Open", WIRE))
    with fetcher() as f:
        with pytest.raises(FetchRefused, match=r"robots\.txt"):
            fetch_article(f, site.url("/private/a.html"))
        assert fetch_article(f, site.url("/public/a.html")).title == "Open"
    assert site.hits("/private/a.html") == 0
    assert site.hits("/robots.txt") == 1  # read once per host


def test_a_failing_robots_txt_forbids_the_host(site: Site) -> None:
    """robots.txt answering 500 means: do not crawl (RFC 9309)."""
    site.routes["/robots.txt"] = Route(b"oops", status=500, content_type="text/plain")
    site.routes["/a.html"] = Route(page("A", WIRE))
    with fetcher(retries=0) as f, pytest.raises(FetchRefused, match=r"robots\.txt"):
        fetch_article(f, site.url("/a.html"))
    assert site.hits("/a.html") == 0


def test_requests_to_one_host_are_paced(site: Site) -> None:
    """With delay=0.3, consecutive requests to the host arrive at least 0.3 s apart."""
    for name in ("a", "b"):
        site.routes[f"/{name}.html"] = Route(page(name.upper(), WIRE))
    with fetcher(delay=0.3) as f:
        fetch_article(f, site.url("/a.html"))
        fetch_article(f, site.url("/b.html"))
    times = [t for _, _, t in site.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(times))


def test_crawl_delay_in_robots_txt_slows_us_down(site: Site) -> None:
    """Crawl-delay: 1 (longer than our delay of 0) spaces the requests."""
    site.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    site.routes["/a.html"] = Route(page("A", WIRE))
    with fetcher() as f:
        fetch_article(f, site.url("/a.html"))
    robots, first = (t for _, _, t in site.requests)
    assert first - robots >= 0.9  # arrival times: the client's pause is measured from before it sent


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/a.html", "http://localhost:9/a.html", "http://[::1]:9/"])
def test_private_and_loopback_addresses_are_refused(url: str) -> None:
    """Without allow_private, loopback hosts are refused before any connection is made."""
    with Fetcher(FetchPolicy()) as f, pytest.raises(FetchRefused, match="--allow-private"):
        f.get(url)


def test_every_redirect_hop_is_checked(site: Site) -> None:
    """A page may not bounce us to a URL we would refuse to fetch directly."""
    site.routes["/moved"] = Route(b"", status=302, headers=(("Location", "file:///etc/passwd"),))
    with fetcher() as f, pytest.raises(FetchRefused, match="only http"):
        f.get(site.url("/moved"))


def test_redirects_are_followed_and_the_final_url_kept(site: Site) -> None:
    """A 301 leads to the page; the article keeps the URL it was found at."""
    site.routes["/old"] = Route(b"", status=301, headers=(("Location", "/new.html"),))
    site.routes["/new.html"] = Route(page("Moved", WIRE))
    with fetcher() as f:
        article = fetch_article(f, site.url("/old"))
    assert article.url == site.url("/new.html")


@pytest.mark.parametrize("scheme_url", ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_urls_are_fetched(scheme_url: str) -> None:
    """Other schemes are refused."""
    with Fetcher(FetchPolicy()) as f, pytest.raises(FetchRefused, match="http"):
        f.get(scheme_url)


def test_bodies_over_the_size_cap_are_refused(site: Site) -> None:
    """A page larger than max_bytes is refused."""
    site.routes["/big.html"] = Route(page("Big", WIRE * 50))
    with fetcher(max_bytes=2_000) as f, pytest.raises(FetchError, match="larger than 2,000 bytes"):
        fetch_article(f, site.url("/big.html"))


def test_a_page_with_no_article_is_empty(site: Site) -> None:
    """A page of navigation and footer only raises EmptyArticle."""
    site.routes["/index.html"] = Route(NO_ARTICLE)
    with fetcher() as f, pytest.raises(EmptyArticle):
        fetch_article(f, site.url("/index.html"))


def test_a_page_that_is_not_html_is_refused(site: Site) -> None:
    """A PDF is not read as a web page."""
    site.routes["/report.pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    with fetcher() as f, pytest.raises(UnsupportedFormat, match="application/pdf"):
        fetch_article(f, site.url("/report.pdf"))


def test_an_unreachable_host_is_a_fetch_error() -> None:
    """Nothing listening: FetchError after the retries, not a traceback."""
    with fetcher(retries=1) as f, pytest.raises(FetchError, match=r"127\.0\.0\.1"):
        f.get("http://127.0.0.1:9/a.html")
