"""Reading articles from txt, md, json, jsonl and html files, their identity, and clean refusals of bad input.

Pure: no spaCy, no store. Every input file is written to ``tmp_path`` by the test that reads it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from kg.articles import MAX_FILE_BYTES, MAX_JSON_DEPTH, Article, load_json, make_article, read_article, read_articles
from kg.errors import ArticleError, EmptyArticle, InvalidText, KGError, UnsupportedFormat

SEED = Path("/work/shared/seeds/000_bad6dafd3524e013.txt")

BODY = (
    "Veterans gathered in Moscow on Sunday to mark 65 years since the end of the war in Europe.\n\n"
    "President Dmitry Medvedev watched the parade from a stand beside Red Square."
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Veterans honoured at Normandy ceremony | Channel Memory Herald</title>
  <meta property="og:title" content="Veterans honoured at Normandy ceremony">
  <meta property="og:site_name" content="Channel Memory Herald">
  <meta property="article:published_time" content="2024-06-06T10:00:00+02:00">
  <link rel="canonical" href="https://example.org/herald/2024/06/06/normandy">
</head>
<body>
  <nav class="site-nav"><ul>
    <li><a href="/">Home</a></li><li><a href="/europe">Europe section</a></li>
    <li><a href="/subscribe">Subscribe today</a></li>
  </ul></nav>
  <header class="site-header">
    <a class="logo" href="/">Channel Memory Herald</a>
    <p class="tagline">Navigation tagline about remembrance news</p>
  </header>
  <div class="cookie-banner" id="cookie-consent">
    <p>We use cookies to improve your experience. Accept all cookies to continue.</p><button>Accept</button>
  </div>
  <main>
  <article>
    <h1>Veterans honoured at Normandy ceremony</h1>
    <p>Hundreds of veterans gathered on Omaha Beach on Thursday to mark the 80th anniversary of the D-Day
    landings, joined by leaders from across Europe and North America.</p>
    <p>King Charles III laid a wreath at the British Normandy Memorial near Ver-sur-Mer, where the names of
    more than 22,000 servicemen are inscribed in stone.</p>
    <p>French President Emmanuel Macron told the crowd that the sacrifice of the Allied soldiers must never
    be forgotten by the generations that followed.</p>
  </article>
  </main>
  <footer class="site-footer">
    <p>Copyright 2024 Channel Memory Herald. All rights reserved.</p><a href="/privacy">Privacy policy</a>
  </footer>
</body>
</html>
"""

BOILERPLATE_ONLY_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Channel Memory Herald</title></head>
<body>
  <nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/europe">Europe</a></li></ul></nav>
  <header class="site-header"><a class="logo" href="/">Channel Memory Herald</a></header>
  <div class="cookie-banner"><p>We use cookies to improve your experience.</p><button>Accept</button></div>
  <footer class="site-footer"><p>Copyright 2024 Channel Memory Herald. All rights reserved.</p></footer>
</body></html>
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def one_line_error(exc_info: pytest.ExceptionInfo[BaseException]) -> str:
    """The error message, checked to be a single non-empty line."""
    message = str(exc_info.value)
    assert message.strip(), "error message is empty"
    assert "\n" not in message, f"error message spans several lines: {message!r}"
    return message


# --- each format ------------------------------------------------------------------------------


def test_txt_reads_title_header_lines_and_body(tmp_path: Path) -> None:
    """A .txt article's first line is its title, Published/URL/Outlet lines are metadata, the rest is the body."""
    path = write(
        tmp_path,
        "a.txt",
        "Russia marks 65 years since victory\n"
        "Published: 2010-05-09\n"
        "URL: https://example.org/wire/2010/05/09/parade\n"
        "Outlet: Memory Wire\n"
        "\n" + BODY + "\n",
    )
    article = read_article(path)
    assert article.title == "Russia marks 65 years since victory"
    assert article.published == date(2010, 5, 9)
    assert article.published_basis == "metadata"
    assert article.url == "https://example.org/wire/2010/05/09/parade"
    assert article.outlet == "Memory Wire"
    assert article.text == BODY
    assert "Published:" not in article.text and "Outlet:" not in article.text


def test_txt_header_accepts_written_out_date(tmp_path: Path) -> None:
    """A 'Published: May 9, 2010' header is read as 9 May 2010."""
    path = write(tmp_path, "a.txt", "Title\nPublished: May 9, 2010\n\n" + BODY)
    assert read_article(path).published == date(2010, 5, 9)


def test_txt_without_headers_keeps_whole_body(tmp_path: Path) -> None:
    """A .txt without header lines (a real seed article) gives its title, full body and no date."""
    if not SEED.is_file():
        pytest.skip(f"seed article {SEED} not present")
    path = tmp_path / "seed.txt"
    shutil.copyfile(SEED, path)
    lines = SEED.read_text(encoding="utf-8").strip().split("\n")
    article = read_article(path)
    assert article.title == lines[0].strip()
    assert article.published is None and article.published_basis is None
    assert article.url is None and article.outlet is None
    first_paragraph = next(line for line in lines[1:] if line.strip()).strip()
    assert article.text.startswith(first_paragraph)
    assert lines[-1].strip() in article.text
    assert lines[0].strip() not in article.text


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    """A .md file's YAML front matter sets title, publication date, URL and outlet."""
    path = write(
        tmp_path,
        "a.md",
        "---\n"
        'title: "Xi takes the seat of honour: Victory Day"\n'
        "published: 2015-05-09\n"
        "url: https://example.org/review/2015/05/09/xi\n"
        "outlet: Eastern Front Review\n"
        "---\n\n" + BODY + "\n",
    )
    article = read_article(path)
    assert article.title == "Xi takes the seat of honour: Victory Day"
    assert article.published == date(2015, 5, 9)
    assert article.published_basis == "metadata"
    assert article.url == "https://example.org/review/2015/05/09/xi"
    assert article.outlet == "Eastern Front Review"
    assert article.text == BODY
    assert "---" not in article.text


def test_markdown_body_becomes_plain_text(tmp_path: Path) -> None:
    """Markdown headings, **bold**, *emphasis* and [links](url) become plain text without markup."""
    path = write(
        tmp_path,
        "a.md",
        "---\ntitle: Siege remembered\npublished: 2024-01-27\n---\n\n"
        "## The ceremony\n\n"
        "Survivors of the **Siege of Leningrad** gathered at the *Piskaryovskoye* cemetery, "
        "[reports say](https://example.org/report).\n",
    )
    article = read_article(path)
    assert article.text.startswith("The ceremony")
    assert "Survivors of the Siege of Leningrad gathered at the Piskaryovskoye cemetery, reports say." in article.text
    for markup in ("#", "**", "*", "[", "](", "https://example.org/report"):
        assert markup not in article.text


def test_markdown_without_front_matter_takes_title_from_heading(tmp_path: Path) -> None:
    """A .md file without front matter takes its title from the leading '# ' heading."""
    path = write(tmp_path, "a.md", "# Dresden remembers\n\n" + BODY + "\n")
    article = read_article(path)
    assert article.title == "Dresden remembers"
    assert article.text == BODY
    assert article.published is None


def test_json_reads_known_keys_and_ignores_unknown(tmp_path: Path) -> None:
    """A .json object's title/text/published/url/outlet are read; other keys are ignored."""
    path = write(
        tmp_path,
        "a.json",
        json.dumps(
            {
                "title": "Putin hosts Xi at 80th anniversary parade",
                "text": BODY,
                "published": "2025-05-09",
                "url": "https://example.org/a",
                "outlet": "Memory Wire",
                "tags": ["parade", "victory day"],
                "wordcount": 42,
            }
        ),
    )
    article = read_article(path)
    assert article.title == "Putin hosts Xi at 80th anniversary parade"
    assert article.text == BODY
    assert article.published == date(2025, 5, 9)
    assert article.published_basis == "metadata"
    assert article.url == "https://example.org/a"
    assert article.outlet == "Memory Wire"
    assert not hasattr(article, "tags")


def test_jsonl_reads_several_articles_in_order(tmp_path: Path) -> None:
    """A .jsonl file with one JSON object per line gives one article per line, in order; blank lines are skipped."""
    rows = [
        {"title": "Katyn remembered", "text": "Polish officials laid wreaths at Katyn.", "published": "2020-04-13"},
        {"title": "Babi Yar", "text": "Ukraine marked 80 years since Babi Yar.", "published": "2021-10-06"},
        {"title": "Third", "text": "A third article about the memory of the war."},
    ]
    path = write(tmp_path, "a.jsonl", json.dumps(rows[0]) + "\n\n" + "\n".join(json.dumps(r) for r in rows[1:]) + "\n")
    articles = read_articles(path)
    assert [a.title for a in articles] == ["Katyn remembered", "Babi Yar", "Third"]
    assert [a.published for a in articles] == [date(2020, 4, 13), date(2021, 10, 6), None]
    assert len({a.id for a in articles}) == 3


def test_jsonl_bad_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    """A malformed line in a .jsonl file is refused with its line number in the message."""
    path = write(
        tmp_path,
        "a.jsonl",
        '{"text": "Good article one."}\n{"text": \n{"text": "Good article three."}\n',
    )
    with pytest.raises(ArticleError) as exc_info:
        read_articles(path)
    message = one_line_error(exc_info)
    assert message.startswith("line 2:")
    assert "malformed JSON" in message


def test_jsonl_line_without_text_is_reported_with_its_line_number(tmp_path: Path) -> None:
    """A .jsonl line that is valid JSON but has no text is refused, naming that line."""
    path = write(tmp_path, "a.jsonl", '{"text": "Good article one."}\n{"text": "Two."}\n{"title": "no text"}\n')
    with pytest.raises(ArticleError) as exc_info:
        read_articles(path)
    assert one_line_error(exc_info).startswith("line 3:")


def test_read_article_refuses_jsonl_with_several_articles(tmp_path: Path) -> None:
    """read_article (one article) refuses a .jsonl holding two, saying how many it found."""
    path = write(tmp_path, "a.jsonl", '{"text": "One."}\n{"text": "Two."}\n')
    with pytest.raises(ArticleError, match="found 2"):
        read_article(path)


def test_html_keeps_article_and_drops_boilerplate(tmp_path: Path) -> None:
    """An .html page's <article> text is kept; nav, header, cookie banner and footer are dropped."""
    article = read_article(write(tmp_path, "page.html", HTML_PAGE))
    assert "Hundreds of veterans gathered on Omaha Beach" in article.text
    assert "King Charles III laid a wreath" in article.text
    assert "must never be forgotten by the generations that followed." in article.text
    boilerplate_texts = ("Subscribe today", "Europe section", "Navigation tagline", "cookies", "Copyright", "Privacy")
    for boilerplate in boilerplate_texts:
        assert boilerplate not in article.text
    assert "<" not in article.text and ">" not in article.text


def test_html_title_date_url_and_outlet_come_from_metadata(tmp_path: Path) -> None:
    """An .html page's title, publication date, canonical URL and site name come from its <head> metadata."""
    article = read_article(write(tmp_path, "page.htm", HTML_PAGE))
    assert article.title == "Veterans honoured at Normandy ceremony"
    assert article.published == date(2024, 6, 6)
    assert article.published_basis == "metadata"
    assert article.url == "https://example.org/herald/2024/06/06/normandy"
    assert article.outlet == "Channel Memory Herald"


def test_article_records_its_source_path(tmp_path: Path) -> None:
    """An article read from a file remembers the path it came from."""
    path = write(tmp_path, "a.txt", "Title\n\n" + BODY)
    assert read_article(path).source == str(path)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    """A file named ARTICLE.TXT is read like a .txt."""
    assert read_article(write(tmp_path, "ARTICLE.TXT", "Title\n\n" + BODY)).text == BODY


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    """A .txt saved with a UTF-8 BOM and Windows line ends reads the same as a plain one."""
    plain = read_article(write(tmp_path, "plain.txt", "Title\nPublished: 2020-05-08\n\n" + BODY))
    windows = read_article(
        write(tmp_path, "win.txt", ("\ufeffTitle\nPublished: 2020-05-08\n\n" + BODY).replace("\n", "\r\n").encode())
    )
    assert windows.title == plain.title == "Title"
    assert windows.text == plain.text
    assert windows.published == plain.published


# --- identity ---------------------------------------------------------------------------------


def test_same_text_in_different_formats_has_same_id(tmp_path: Path) -> None:
    """One article stored as .txt, .md and .json gets the same id."""
    txt = read_article(write(tmp_path, "a.txt", "A title\nPublished: 2020-05-08\n\n" + BODY))
    md = read_article(write(tmp_path, "a.md", "---\ntitle: Another title\n---\n\n" + BODY))
    js = read_article(write(tmp_path, "a.json", json.dumps({"text": BODY, "outlet": "Other outlet"})))
    assert txt.id == md.id == js.id
    assert len(txt.id) == 16
    assert all(c in "0123456789abcdef" for c in txt.id)


def test_whitespace_differences_do_not_change_id(tmp_path: Path) -> None:
    """Re-wrapped lines, doubled spaces and trailing blanks leave the id unchanged."""
    spaced = "  " + BODY.replace(" ", "  ").replace("\n\n", "\n\n\n\n") + "   \n\n"
    rewrapped = BODY.replace("on Sunday to", "on Sunday\nto")
    ids = {
        read_article(write(tmp_path, "a.json", json.dumps({"text": BODY}))).id,
        read_article(write(tmp_path, "b.json", json.dumps({"text": spaced}))).id,
        read_article(write(tmp_path, "c.json", json.dumps({"text": rewrapped}))).id,
    }
    assert len(ids) == 1


def test_different_text_has_different_id(tmp_path: Path) -> None:
    """Changing one word of the body changes the id."""
    a = read_article(write(tmp_path, "a.json", json.dumps({"text": BODY})))
    b = read_article(write(tmp_path, "b.json", json.dumps({"text": BODY.replace("Sunday", "Monday")})))
    assert a.id != b.id


def test_metadata_does_not_change_id(tmp_path: Path) -> None:
    """Title, date, URL and outlet are not part of the identity; only the body is."""
    a = read_article(write(tmp_path, "a.json", json.dumps({"text": BODY, "title": "One", "published": "2020-01-01"})))
    b = read_article(write(tmp_path, "b.json", json.dumps({"text": BODY, "title": "Two", "url": "https://x.org/"})))
    assert a.id == b.id


def test_article_is_immutable() -> None:
    """An Article cannot be changed after it is made."""
    article = Article(text=BODY)
    with pytest.raises(AttributeError):
        article.text = "other"  # type: ignore[misc]


# --- the publication date ---------------------------------------------------------------------


def test_published_argument_overrides_file_date(tmp_path: Path) -> None:
    """published= replaces the file's own date and marks the basis as 'given'."""
    path = write(tmp_path, "a.txt", "Title\nPublished: 2010-05-09\n\n" + BODY)
    article = read_article(path, published=date(2011, 1, 2))
    assert article.published == date(2011, 1, 2)
    assert article.published_basis == "given"


def test_published_argument_dates_undated_article(tmp_path: Path) -> None:
    """published= gives a date to an article that has none, with basis 'given'."""
    path = write(tmp_path, "a.json", json.dumps({"text": BODY}))
    assert read_article(path).published is None
    article = read_article(path, published=date(2020, 5, 8))
    assert (article.published, article.published_basis) == (date(2020, 5, 8), "given")


def test_published_argument_applies_to_every_jsonl_article(tmp_path: Path) -> None:
    """published= dates every article of a .jsonl file."""
    path = write(tmp_path, "a.jsonl", '{"text": "One.", "published": "2001-01-01"}\n{"text": "Two."}\n')
    articles = read_articles(path, published=date(2020, 5, 8))
    assert [(a.published, a.published_basis) for a in articles] == [(date(2020, 5, 8), "given")] * 2


def test_published_argument_does_not_change_id(tmp_path: Path) -> None:
    """Setting published= leaves the article id as it was."""
    path = write(tmp_path, "a.txt", "Title\n\n" + BODY)
    assert read_article(path).id == read_article(path, published=date(2020, 5, 8)).id


# --- bad input --------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty file raises EmptyArticle saying the file is empty."""
    with pytest.raises(EmptyArticle) as exc_info:
        read_article(write(tmp_path, "empty.txt", b""))
    assert "empty" in one_line_error(exc_info)


@pytest.mark.parametrize("name", ["blank.txt", "blank.md", "blank.json", "blank.html"])
def test_whitespace_only_file_is_refused(tmp_path: Path, name: str) -> None:
    """A file holding only spaces, tabs and newlines raises EmptyArticle, whatever its format."""
    with pytest.raises(EmptyArticle) as exc_info:
        read_article(write(tmp_path, name, "  \n\t \r\n   \n"))
    assert "empty" in one_line_error(exc_info)


def test_png_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    """PNG image bytes saved as .txt raise ArticleError saying the file is binary."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "image.txt", png))
    assert "binary" in one_line_error(exc_info)


def test_nul_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    """Text with NUL bytes raises ArticleError mentioning binary data."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "nul.json", b'{"text": "abc"}\x00\x00\x00'))
    assert "binary" in one_line_error(exc_info)


def test_nul_character_deep_in_text_is_refused(tmp_path: Path) -> None:
    """A NUL character beyond the binary sniffing window is still refused."""
    content = "Title\n\n" + "word " * 3000 + "\x00 tail"
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "late-nul.txt", content))
    assert "NUL" in one_line_error(exc_info)


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    """A file that is not UTF-8 raises ArticleError naming the offending byte and its offset."""
    content = "Title\n\nVeterans in Łódź gathered ".encode() + b"\xff\xfe" + b" on Sunday."
    offset = content.index(b"\xff")
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "latin.txt", content))
    message = one_line_error(exc_info)
    assert "UTF-8" in message
    assert f"offset {offset}" in message
    assert "0xff" in message


def test_latin1_file_is_refused(tmp_path: Path) -> None:
    """A Latin-1 encoded article (é as byte 0xe9) is refused rather than read with wrong characters."""
    with pytest.raises(ArticleError, match="UTF-8"):
        read_article(write(tmp_path, "latin1.md", "# Café de la Paix\n\nLes vétérans.".encode("latin-1")))


def test_file_over_size_limit_is_refused(tmp_path: Path) -> None:
    """A 50 MB file raises ArticleError giving its size and the limit, without being read."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"Title\n\nSome text.\n")
        f.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(ArticleError) as exc_info:
        read_article(path)
    message = one_line_error(exc_info)
    assert "too large" in message
    assert "52.4 MB" in message and "limit" in message


def test_malformed_json_gives_line_and_column(tmp_path: Path) -> None:
    """Malformed JSON raises ArticleError with the line and column of the problem."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "bad.json", '{"title": "x",\n "text": }'))
    message = one_line_error(exc_info)
    assert message.startswith("malformed JSON")
    assert "line 2 column 10" in message


def test_json_list_is_refused(tmp_path: Path) -> None:
    """A .json file holding a list instead of an object raises ArticleError naming what it found."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "list.json", json.dumps([{"text": BODY}])))
    message = one_line_error(exc_info)
    assert "JSON object" in message and "list" in message


def test_json_without_text_is_refused(tmp_path: Path) -> None:
    """A .json object with no 'text' key raises EmptyArticle naming the missing key."""
    with pytest.raises(EmptyArticle) as exc_info:
        read_article(write(tmp_path, "notext.json", json.dumps({"title": "A headline only"})))
    assert "'text'" in one_line_error(exc_info)


@pytest.mark.parametrize("value", [5, ["a", "b"], {"body": "x"}, True])
def test_json_text_not_a_string_is_refused(tmp_path: Path, value: object) -> None:
    """A .json 'text' that is a number, list, object or boolean raises ArticleError saying it must be a string."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "num.json", json.dumps({"text": value})))
    assert "must be a string" in one_line_error(exc_info)


def test_json_null_text_is_refused(tmp_path: Path) -> None:
    """A .json 'text' of null raises EmptyArticle."""
    with pytest.raises(EmptyArticle):
        read_article(write(tmp_path, "null.json", json.dumps({"text": None})))


def test_json_blank_text_is_refused(tmp_path: Path) -> None:
    """A .json 'text' of only spaces raises EmptyArticle: no text after parsing."""
    with pytest.raises(EmptyArticle) as exc_info:
        read_article(write(tmp_path, "blank.json", json.dumps({"title": "x", "text": "   \n\t "})))
    assert "no text" in one_line_error(exc_info)


def test_json_metadata_of_wrong_type_is_refused(tmp_path: Path) -> None:
    """A .json 'title' that is a list raises ArticleError naming the field."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "t.json", json.dumps({"text": BODY, "title": ["a", "b"]})))
    assert "'title'" in one_line_error(exc_info)


def test_malformed_front_matter_is_refused(tmp_path: Path) -> None:
    """Broken YAML front matter raises ArticleError pointing at the line."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "bad.md", "---\ntitle: [unclosed\npublished: 2020-01-01\n---\n\nBody text.\n"))
    message = one_line_error(exc_info)
    assert "malformed YAML front matter" in message
    assert "line" in message


def test_front_matter_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    """Front matter that is a YAML list rather than key: value pairs raises ArticleError."""
    with pytest.raises(ArticleError, match="mapping"):
        read_article(write(tmp_path, "list.md", "---\n- a\n- b\n---\n\nBody text.\n"))


def test_unclosed_front_matter_is_refused(tmp_path: Path) -> None:
    """Front matter opened with '---' and never closed raises ArticleError saying so."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "open.md", "---\ntitle: x\npublished: 2020-01-01\n\nBody text never closed.\n"))
    assert "no closing '---'" in one_line_error(exc_info)


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "noextension"])
def test_unknown_extension_is_refused(tmp_path: Path, name: str) -> None:
    """A .pdf, .docx or extension-less file raises UnsupportedFormat listing the formats read."""
    with pytest.raises(UnsupportedFormat) as exc_info:
        read_article(write(tmp_path, name, "Title\n\n" + BODY))
    message = one_line_error(exc_info)
    assert "unsupported file type" in message
    assert ".txt" in message and ".html" in message


def test_unreadable_date_is_refused(tmp_path: Path) -> None:
    """A 'Published:' header that is not a date raises ArticleError quoting it and the expected form."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(write(tmp_path, "a.txt", "Title\nPublished: last Tuesday-ish\n\n" + BODY))
    message = one_line_error(exc_info)
    assert "'last Tuesday-ish'" in message
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("d.json", json.dumps({"text": BODY, "published": "2020-13-45"})),
        ("d.md", "---\ntitle: x\npublished: not a date\n---\n\n" + BODY),
    ],
)
def test_unreadable_date_is_refused_in_json_and_front_matter(tmp_path: Path, name: str, content: str) -> None:
    """An impossible or non-date 'published' in JSON or front matter raises ArticleError."""
    with pytest.raises(ArticleError, match="unreadable publication date"):
        read_article(write(tmp_path, name, content))


def test_html_without_article_text_is_refused(tmp_path: Path) -> None:
    """An .html page of only navigation, header, cookie banner and footer raises EmptyArticle."""
    with pytest.raises(EmptyArticle) as exc_info:
        read_article(write(tmp_path, "boiler.html", BOILERPLATE_ONLY_HTML))
    assert "no article text" in one_line_error(exc_info)


def test_html_with_empty_article_element_is_refused(tmp_path: Path) -> None:
    """An .html page whose <article> is blank raises EmptyArticle."""
    page = "<html><head><title>Nothing</title></head><body><article>   </article></body></html>"
    with pytest.raises(EmptyArticle):
        read_article(write(tmp_path, "blank-article.html", page))


def test_markdown_with_front_matter_only_is_refused(tmp_path: Path) -> None:
    """A .md with front matter but no body raises EmptyArticle."""
    with pytest.raises(EmptyArticle):
        read_article(write(tmp_path, "meta-only.md", "---\ntitle: Just a title\npublished: 2020-01-01\n---\n\n"))


def test_txt_with_title_and_headers_only_is_refused(tmp_path: Path) -> None:
    """A .txt with a title and header lines but no body raises EmptyArticle."""
    with pytest.raises(EmptyArticle):
        read_article(write(tmp_path, "head-only.txt", "Title\nPublished: 2020-01-01\nOutlet: Wire\n"))


def test_jsonl_of_blank_lines_is_refused(tmp_path: Path) -> None:
    """A .jsonl file with no articles in it raises EmptyArticle."""
    with pytest.raises(EmptyArticle):
        read_articles(write(tmp_path, "none.jsonl", "\n \n\n"))


def test_directory_with_article_suffix_is_refused(tmp_path: Path) -> None:
    """A directory named like an article file raises ArticleError, not an OS error."""
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ArticleError, match="directory"):
        read_article(folder)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    """A path that does not exist raises ArticleError, not FileNotFoundError."""
    with pytest.raises(ArticleError) as exc_info:
        read_article(tmp_path / "missing.txt")
    assert "cannot read" in one_line_error(exc_info)


def test_every_refusal_is_a_library_error(tmp_path: Path) -> None:
    """Every kind of bad input raises a KGError subclass (what the CLI turns into one line)."""
    bad = {
        "e.txt": b"",
        "b.txt": b"\x00\x01\x02",
        "u.txt": b"T\n\n\xc3\x28",
        "j.json": b"{",
        "m.md": b"---\na: [\n---\nx",
        "x.pdf": b"%PDF-1.4",
    }
    for name, content in bad.items():
        with pytest.raises(KGError):
            read_articles(write(tmp_path, name, content))


# --- text at the door: lone surrogates and control characters refused, NFC --------------------


@pytest.mark.parametrize("field", ["text", "title", "url", "outlet", "published"])
@pytest.mark.parametrize("char", ["\udfff", "\ud800", "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x1f"])
def test_a_field_with_a_lone_surrogate_or_a_control_character_is_refused_by_name(field: str, char: str) -> None:
    """Each text field holding a lone surrogate or a C0 control (not tab, LF, CR) is InvalidText naming
    the field and the code point, in one line."""
    fields = {"text": BODY, "title": "Victory Day", "url": "https://example.org/a", "outlet": "Memory Wire"}
    fields["published"] = "2025-05-09"
    fields[field] = fields[field][:5] + char + fields[field][5:]
    text = fields.pop("text")
    with pytest.raises(InvalidText) as exc_info:
        make_article(text, **fields)
    message = one_line_error(exc_info)
    assert repr(field) in message and f"U+{ord(char):04X}" in message and "at character 5" in message


def test_tab_and_line_ends_pass_and_text_is_stored_in_nfc() -> None:
    """Tab, LF and CR are text; a decomposed 'é' in text and title is stored composed (NFC)."""
    article = make_article("Caf\u0065\u0301 on the\tsquare.\r\nVeterans met.", title="Cafe\u0301 talk")
    assert article.text == "Caf\u00e9 on the\tsquare.\nVeterans met."
    assert article.title == "Caf\u00e9 talk"


def test_a_json_file_with_an_escaped_lone_surrogate_is_one_clean_error(tmp_path: Path) -> None:
    """A JSON article whose text holds "\\udfff" (valid JSON, not Unicode text) is refused naming 'text'."""
    path = write(tmp_path, "bad.json", '{"title": "Parade", "text": "Putin watched the parade. \\udfff"}')
    with pytest.raises(InvalidText) as exc_info:
        read_article(path)
    assert "'text'" in one_line_error(exc_info) and "surrogate" in str(exc_info.value)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "nested deeper"),
        ('{"text": "a", "n": ' + "9" * 5000 + "}", "number"),
        ('{"text": "a", "n": 1' + "0" * 400 + ".5}", "number"),
        ('{"text": "a"', "malformed JSON"),
    ],
    ids=["400KB-deep", "one-too-deep", "huge-int", "huge-float", "truncated"],
)
def test_json_that_no_article_needs_is_refused_in_one_line(raw: str, words: str) -> None:
    """Deep nesting, numbers of hundreds of digits and malformed JSON are ArticleError, never a crash."""
    with pytest.raises(ArticleError) as exc_info:
        load_json(raw)
    assert words in one_line_error(exc_info)


def test_json_as_deep_as_the_limit_is_read() -> None:
    """Nesting of exactly MAX_JSON_DEPTH levels and ordinary numbers are read as JSON."""
    assert load_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert load_json('{"n": 12345678901234567890, "x": 1.5e300}') == {"n": 12345678901234567890, "x": 1.5e300}


WRAPPED = (
    "WARSAW, Poland - Hundreds of veterans gathered on Sunday at the\n"
    "monument to the fighters of the uprising, where the mayor, Anna\n"
    "Kowal, laid a wreath and spoke of the city's losses.\n"
    "The ceremony ended with a minute of silence at noon, and the crowd\n"
    "then walked to the old town, where a concert was held in the\n"
    "evening for the survivors and their families.\n"
    "Organisers said more than two thousand people attended the events\n"
    "across the city, the largest number in a decade.\n"
    "\n"
    "The uprising began on 1 August 1944.\n"
)


def test_a_hard_wrapped_text_is_joined_into_its_sentences() -> None:
    """Wire copy wrapped at a fixed width: a break inside a sentence is a space ("Anna" and "Kowal" are
    one name), a break after a sentence's end or a blank line stays."""
    body = make_article(WRAPPED).text
    assert "the mayor, Anna Kowal, laid a wreath" in body
    assert body.split("\n") == [
        "WARSAW, Poland - Hundreds of veterans gathered on Sunday at the monument to the fighters of the uprising, "
        "where the mayor, Anna Kowal, laid a wreath and spoke of the city's losses.",
        "The ceremony ended with a minute of silence at noon, and the crowd then walked to the old town, where a "
        "concert was held in the evening for the survivors and their families.",
        "Organisers said more than two thousand people attended the events across the city, the largest number in "
        "a decade.",
        "",
        "The uprising began on 1 August 1944.",
    ]
    assert make_article(WRAPPED).id == make_article(" ".join(WRAPPED.split())).id


def test_short_lines_that_end_their_sentences_are_no_wrapping() -> None:
    """A list of short lines, each a sentence or a heading of its own, keeps its lines."""
    text = "\n".join(["Programme:", "10:00 Wreaths at the memorial.", "11:00 Minute of silence."] * 4)
    assert make_article(text).text == text


def test_a_list_in_a_hard_wrapped_text_keeps_an_item_a_line() -> None:
    """A list's items start lines of their own, even when the item before ends without a full stop."""
    items = "\n".join(f"- wreaths laid by the delegation of the {n} district council" for n in range(1, 9))
    body = make_article(WRAPPED + "\nThe programme of the day, as the organisers published it:\n" + items).text
    assert body.endswith(items)


def test_a_txt_of_one_paragraph_is_text_not_a_title(tmp_path: Path) -> None:
    """A .txt's first line is its title only when text follows it: one paragraph alone is the text."""
    article = read_article(write(tmp_path, "a.txt", BODY.split("\n")[0] + "\n"))
    assert article.title is None
    assert article.text == BODY.split("\n")[0]


def test_a_txt_whose_first_line_is_a_paragraph_keeps_it_as_text(tmp_path: Path) -> None:
    """A first line too long for a headline opens the text: a file without a title loses no paragraph."""
    first = "Veterans and their families gathered in the rain on Sunday morning " * 6
    article = read_article(write(tmp_path, "a.txt", f"{first.strip()}\n\n{BODY}\n"))
    assert article.title is None
    assert article.text.startswith(first.strip()) and article.text.endswith(BODY.split("\n")[-1])
