"""Reading news articles from txt, md, json, jsonl and html into frozen ``Article`` records.

An article's identifier is a hash of its normalised text, so the same article read twice (or from
two formats) gets the same IRI and re-ingesting it changes nothing.

Every text field passes one door, ``make_article``: a field holding a lone surrogate (``"\\udfff"``
in JSON) or a control character other than tab, line feed and carriage return is refused with
``InvalidText`` naming the field and the position; what passes is NFC-normalised, and a text wrapped
at a fixed width has its lines joined into sentences (``clean_text``). Nothing else can
reach the store, so a bad article can never sit in a pending write. JSON is read by ``load_json``,
which refuses nesting deeper than ``MAX_JSON_DEPTH`` and numbers longer than ``MAX_NUMBER_DIGITS``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg.errors import ArticleError, EmptyArticle, InvalidText, UnsupportedFormat

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
MAX_JSON_DEPTH = 32
MAX_NUMBER_DIGITS = 64
SUFFIXES = (".txt", ".md", ".markdown", ".json", ".jsonl", ".html", ".htm")

_HEADER = re.compile(r"^(published|date|url|outlet|source|publisher)\s*:\s*(\S.*)$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
# not text: lone surrogates (UTF-8 cannot encode them, so no store can hold them) and C0 controls but \t \n \r
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


@dataclass(frozen=True)
class Article:
    """One news article: its text and what is known about its publication."""

    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    published_basis: str | None = None
    source: str | None = None

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(normalise(self.text).encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        return self.text_hash[:16]


def normalise(text: str) -> str:
    """The form an article's identity is computed from: NFC, white space folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_text(text: str) -> str:
    """The stored body: NFC, Unix line ends, no trailing blanks, hard-wrapped lines joined; offsets
    point into this."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    body = _unwrapped(lines) if _hard_wrapped(lines) else "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", body).strip()


_LINE_END = re.compile(r"[.!?:][\"”’')\]]*$")  # a line that ends a sentence
_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")  # a list's item starts a line of its own
WRAP_WIDTH = 100  # the widest line of a text wrapped at a fixed width (wire copy, e-mail: 60 to 80)


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a text was wrapped at a fixed width: no line is wider than ``WRAP_WIDTH`` and at
    least half the lines that run on into another end inside a sentence."""
    body = [line for line in lines if line.strip()]
    inner = [line for line, after in itertools.pairwise(lines) if line.strip() and after.strip()]
    if len(body) < 8 or len(inner) < 6 or max(len(line) for line in body) > WRAP_WIDTH:
        return False
    return sum(1 for line in inner if not _LINE_END.search(line)) >= len(inner) / 2


def _unwrapped(lines: list[str]) -> str:
    """A hard-wrapped text's lines joined: a break inside a sentence is a space (so "Alan" and
    "Lukens" on two lines are one name), a break after a sentence's end or before a blank stays."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and not _LINE_END.search(out[-1]) and not _ITEM.match(line):
            out[-1] = f"{out[-1]} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


def checked_text(value: str, field: str) -> str:
    """``value`` in NFC; ``InvalidText`` naming ``field`` if it holds a lone surrogate or a control
    character other than tab, line feed and carriage return."""
    if m := _NOT_TEXT.search(value):
        code = ord(m.group())
        if 0xD800 <= code <= 0xDFFF:
            what = f"a lone surrogate (U+{code:04X}), which is not Unicode text"
        elif code == 0:
            what = "a NUL character (U+0000): binary data?"
        else:
            what = f"the control character U+{code:04X}; only tab, line feed and carriage return may appear"
        raise InvalidText(f"article field {field!r} holds {what} (at character {m.start()})")
    return unicodedata.normalize("NFC", value)


def parse_date(value: object) -> date | None:
    """A publication date from ISO text (date or date-time) or a ``date``; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ArticleError(f"unreadable publication date {text!r} (use YYYY-MM-DD)")


def make_article(
    text: object,
    *,
    title: object = None,
    published: object = None,
    url: object = None,
    outlet: object = None,
    published_basis: object = None,
    source: str | None = None,
) -> Article:
    """Validate and clean the fields of one article."""
    if text is None:
        raise EmptyArticle("article has no text")
    if not isinstance(text, str):
        raise ArticleError(f"article text must be a string, not {type(text).__name__}")
    body = clean_text(checked_text(text, "text"))
    if not body:
        raise EmptyArticle("article has no text")
    if len(body) > MAX_TEXT_CHARS:
        raise ArticleError(f"article text is too long ({len(body):,} characters; the limit is {MAX_TEXT_CHARS:,})")
    if isinstance(published, str):
        published = checked_text(published, "published")
    return Article(
        text=body,
        title=_optional_str(title, "title"),
        published=parse_date(published),
        url=_optional_str(url, "url"),
        outlet=_optional_str(outlet, "outlet"),
        published_basis=_optional_str(published_basis, "published_basis"),
        source=source,
    )


def _optional_str(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise ArticleError(f"article field {field!r} must be a string")
    text = " ".join(checked_text(str(value), field).split())
    return text or None


def read_bytes(path: Path) -> str:
    """The UTF-8 text of a file, refusing binary, oversized and mis-encoded files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(f"file is too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read file: {exc.strerror or exc}") from exc
    return decode(data)


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 only (with or without a BOM); binary data is refused."""
    if not data.strip():
        raise EmptyArticle("file is empty")
    if b"\x00" in data[:8192]:
        raise ArticleError("file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc


def read_articles(path: str | Path, *, published: date | None = None) -> list[Article]:
    """Every article in one file (``.jsonl`` may hold several; other formats hold one).

    ``published`` sets the publication date relative dates resolve against, overriding the file's.
    """
    path, raw = _read(path)
    return [_dated(a, published) for a in parse_text(raw, path.suffix.lower(), source=str(path))]


def read_each(path: str | Path, *, published: date | None = None) -> list[Article | ArticleError]:
    """``read_articles``, but a line of a ``.jsonl`` file that cannot be read is its error in the list
    and the other lines are still read. A file that cannot be read at all raises."""
    path, raw = _read(path)
    if path.suffix.lower() != ".jsonl":
        return [_dated(a, published) for a in parse_text(raw, path.suffix.lower(), source=str(path))]
    items = list(_jsonl_items(raw, str(path)))
    if not items:
        raise EmptyArticle("file holds no articles")
    return [_dated(item, published) if isinstance(item, Article) else item for item in items]


def _read(path: str | Path) -> tuple[Path, str]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}")
    if path.is_dir():
        raise ArticleError("is a directory")
    return path, read_bytes(path)


def _dated(article: Article, published: date | None) -> Article:
    return article if published is None else replace(article, published=published, published_basis="given")


def read_article(path: str | Path, *, published: date | None = None) -> Article:
    """The one article in a file; a ``.jsonl`` file must hold exactly one."""
    articles = read_articles(path, published=published)
    if len(articles) != 1:
        raise ArticleError(f"expected one article, found {len(articles)}")
    return articles[0]


def parse_text(raw: str, suffix: str, *, source: str | None = None) -> Iterator[Article]:
    """Articles from the decoded contents of a file with the given suffix."""
    if suffix == ".txt":
        yield _from_txt(raw, source)
    elif suffix in (".md", ".markdown"):
        yield _from_markdown(raw, source)
    elif suffix == ".json":
        yield from_json(load_json(raw), source)
    elif suffix == ".jsonl":
        yield from _from_jsonl(raw, source)
    elif suffix in (".html", ".htm"):
        yield from_html(raw, source=source)
    else:
        raise UnsupportedFormat(f"unsupported file type {suffix!r}")


MAX_TITLE_CHARS = 300  # a first line longer than this is a paragraph: headlines run to 100 or so


def _from_txt(raw: str, source: str | None) -> Article:
    lines = clean_text(raw).split("\n")
    if not lines or not lines[0].strip():
        raise EmptyArticle("file is empty")
    title, rest = lines[0].strip(), lines[1:]
    if len(title) > MAX_TITLE_CHARS or not any(line.strip() for line in rest):
        # a paragraph, not a headline, or the only one: the file is all text ("a .txt is its title,
        # then its text" must not swallow the first paragraph of a file that has no title)
        return make_article("\n".join(lines), source=source)
    meta: dict[str, str] = {}
    i = 0
    while i < len(rest) and not rest[i].strip():
        i += 1
    while i < len(rest) and (m := _HEADER.match(rest[i].strip())):
        meta.setdefault(m.group(1).lower(), m.group(2).strip())
        i += 1
    body = "\n".join(rest[i:]) if meta else "\n".join(rest)
    return make_article(
        body,
        title=title,
        published=meta.get("published") or meta.get("date"),
        url=meta.get("url") or meta.get("source"),
        outlet=meta.get("outlet") or meta.get("publisher"),
        published_basis="metadata" if (meta.get("published") or meta.get("date")) else None,
        source=source,
    )


def _from_markdown(raw: str, source: str | None) -> Article:
    text = raw.replace("\r\n", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {}
    if m := _FRONT_MATTER.match(text):
        import yaml

        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            raise ArticleError(f"malformed YAML front matter{where}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ArticleError("YAML front matter must be a mapping of keys to values")
        meta = loaded or {}
        text = text[m.end() :]
    elif text.startswith("---\n"):
        raise ArticleError("malformed front matter: no closing '---' line")
    body, heading = _markdown_to_text(text)
    return make_article(
        body,
        title=meta.get("title") or heading,
        published=meta.get("published") or meta.get("date"),
        url=meta.get("url"),
        outlet=meta.get("outlet") or meta.get("publisher"),
        published_basis="metadata" if (meta.get("published") or meta.get("date")) else None,
        source=source,
    )


def _markdown_to_text(text: str) -> tuple[str, str | None]:
    """Plain text from light Markdown (headings, emphasis, links); the first ``#`` heading apart."""
    heading = None
    out: list[str] = []
    for line in text.split("\n"):
        m = re.match(r"^#\s+(.+?)\s*#*$", line)
        if m and heading is None and not any(x.strip() for x in out):
            heading = m.group(1)
            continue
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", line)
        out.append(line)
    return "\n".join(out), heading


def load_json(raw: str) -> Any:
    """JSON text as Python values; ``ArticleError`` for malformed JSON and for what no article needs:
    nesting deeper than ``MAX_JSON_DEPTH`` or a number longer than ``MAX_NUMBER_DIGITS`` characters."""
    try:
        value = json.loads(raw, parse_int=_json_int, parse_float=_json_float)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError:
        raise ArticleError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ArticleError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            todo.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return value


def _json_number(text: str) -> str:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ArticleError(f"JSON number with {len(text):,} characters; the limit is {MAX_NUMBER_DIGITS}")
    return text


def _json_int(text: str) -> int:
    return int(_json_number(text))


def _json_float(text: str) -> float:
    return float(_json_number(text))


def from_json(obj: Any, source: str | None = None) -> Article:
    """An article from a JSON object with ``text`` and optional metadata keys; others are ignored."""
    if not isinstance(obj, dict):
        raise ArticleError(f"expected a JSON object, found {type(obj).__name__}")
    if "text" not in obj:
        raise EmptyArticle("JSON article has no 'text'")
    return make_article(
        obj.get("text"),
        title=obj.get("title"),
        published=obj.get("published"),
        url=obj.get("url"),
        outlet=obj.get("outlet"),
        published_basis=obj.get("published_basis") or ("metadata" if obj.get("published") else None),
        source=source,
    )


def _from_jsonl(raw: str, source: str | None) -> Iterable[Article]:
    articles = []
    for item in _jsonl_items(raw, source):
        if isinstance(item, ArticleError):
            raise item
        articles.append(item)
    if not articles:
        raise EmptyArticle("file holds no articles")
    return articles


def _jsonl_items(raw: str, source: str | None) -> Iterator[Article | ArticleError]:
    """Each non-blank line's article, or its error (``line N: ...``)."""
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield from_json(load_json(line), source)
        except ArticleError as exc:
            yield type(exc)(f"line {n}: {exc}")


_HTML_BANNERS = (
    "//*[contains(@class, 'cookie') or contains(@id, 'cookie')"
    " or contains(@class, 'consent') or contains(@id, 'consent')]"
)


def from_html(raw: str | bytes, *, url: str | None = None, source: str | None = None) -> Article:
    """The article in an HTML page (bytes are decoded by trafilatura's charset detection).

    With ``url`` (a fetched or archived page) the URL is kept as the article's, dates in it count
    for the publication date, and the outlet falls back to the site's domain.
    """
    import trafilatura

    doc: Any = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # on a page with no article, trafilatura's fallbacks return a cookie banner as the body
        prune_xpath=_HTML_BANNERS,
        # extensive search dates a page from "Copyright 2024" (2024-01-01); trust only date markup
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not getattr(doc, "text", None):
        raise EmptyArticle("no article text found in the HTML page")
    text = re.sub(r"\n+", "\n\n", doc.text)
    first, _, rest = text.partition("\n\n")
    if doc.title and rest and " ".join(first.split()) == " ".join(doc.title.split()):
        text = rest  # the page's <h1> repeats the title; the body starts after it
    return make_article(
        text,
        title=doc.title,
        published=_html_date(doc.date),
        url=url or doc.url,
        outlet=doc.sitename or doc.author,
        published_basis="metadata" if doc.date else None,
        source=source,
    )


def _html_date(value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ArticleError:
        return None


__all__ = [
    "SUFFIXES",
    "Article",
    "checked_text",
    "from_html",
    "from_json",
    "load_json",
    "make_article",
    "normalise",
    "read_article",
    "read_articles",
    "read_each",
]
