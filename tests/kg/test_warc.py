"""Reading web archives written with warcio: every HTML response is an article; cut records are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from websample import NO_ARTICLE, ORIGINAL, WIRE, page, write_warc

from kg.articles import Article
from kg.errors import EmptyArticle, KGError, WarcError
from kg.warc import is_warc, read_warc

OK = "200 OK"
HTML = "text/html; charset=utf-8"


def records() -> list[tuple[str, bytes, str, str]]:
    return [
        ("http://example.org/2025/05/09/parade", page("Parade", WIRE, site_name="Example Wire"), HTML, OK),
        ("http://example.org/logo.png", b"\x89PNG\r\n", "image/png", OK),
        ("http://example.org/old", b"", HTML, "301 Moved Permanently"),
        ("http://other.example/2025/05/08/berlin", page("Berlin", ORIGINAL), HTML, OK),
    ]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_every_html_response_is_an_article(tmp_path: Path, gzip: bool) -> None:
    """Two HTML pages among an image, a redirect and the requests: two articles, with URL, outlet and date."""
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), records(), gzip=gzip)
    read = list(read_warc(path))
    assert [uri for uri, _ in read] == [
        "http://example.org/2025/05/09/parade",
        "http://other.example/2025/05/08/berlin",
    ]
    first, second = (a for _, a in read)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.url == "http://example.org/2025/05/09/parade" and first.outlet == "Example Wire"
    assert str(first.published) == "2025-05-09"
    assert second.outlet == "other.example" and "26.6 million" in second.text


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("cut", [40, 400, 900])
def test_a_file_cut_short_reports_the_cut_record_and_keeps_the_others(tmp_path: Path, gzip: bool, cut: int) -> None:
    """A WARC whose last record is cut: the first page is read, the cut one is a WarcError, never half an article."""
    path = write_warc(tmp_path / "crawl.warc.gz", records(), gzip=gzip)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])
    read = list(read_warc(path))
    assert isinstance(read[0][1], Article)
    errors = [r for _, r in read if isinstance(r, KGError)]
    articles = [r for _, r in read if isinstance(r, Article)]
    assert len(errors) == 1 and isinstance(errors[0], WarcError) and "truncated" in str(errors[0])
    assert len(articles) == 1


def test_a_record_the_crawler_truncated_is_refused(tmp_path: Path) -> None:
    """WARC-Truncated: length marks half a page: reported, not read."""
    path = write_warc(tmp_path / "crawl.warc.gz", records(), truncated={"http://example.org/2025/05/09/parade"})
    read = dict(read_warc(path))
    assert isinstance(read["http://example.org/2025/05/09/parade"], WarcError)
    assert isinstance(read["http://other.example/2025/05/08/berlin"], Article)


def test_a_page_with_no_article_is_reported(tmp_path: Path) -> None:
    """An archived page of navigation only is EmptyArticle, under its URI."""
    path = write_warc(tmp_path / "crawl.warc.gz", [("http://example.org/", NO_ARTICLE, HTML, OK)])
    [(uri, result)] = list(read_warc(path))
    assert uri == "http://example.org/" and isinstance(result, EmptyArticle)


@pytest.mark.parametrize("content", [b"this is not a WARC file at all\n" * 10, b"\x1f\x8b\x08\x00garbage"])
def test_a_file_that_is_not_a_warc_is_one_error(tmp_path: Path, content: bytes) -> None:
    """Not a WARC at all: one WarcError under the file's name."""
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(content)
    [(label, result)] = list(read_warc(path))
    assert label == str(path) and isinstance(result, WarcError)
    assert "\n" not in str(result)


def test_warc_names() -> None:
    """.warc and .warc.gz are web archives; other names are not."""
    assert is_warc("a.warc") and is_warc("b.WARC.GZ") and not is_warc("c.html") and not is_warc("d.gz")
