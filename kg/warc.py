"""Web archives: every HTML page a WARC file (``.warc`` or ``.warc.gz``) holds, read with ``warcio``.

Only ``response`` records with HTTP status 200 and an HTML media type are articles; requests,
metadata, revisits, redirects and other media are passed over. A record that is cut short (by the
crawler, ``WARC-Truncated``, or because the file ends inside it) is reported and never read as an
article: its text would be half a page.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.articles import MAX_FILE_BYTES, Article
from kg.errors import ArticleError, KGError, WarcError
from kg.fetch import HTML_TYPES, Page, page_article

SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIXES)


def read_warc(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Iterator[tuple[str, Article | KGError]]:
    """``(target URI, article or why it could not be read)`` for each HTML response in the file.

    A file that cannot be opened or parsed at all yields one ``WarcError`` under its own name.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    try:
        handle = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        yield str(path), WarcError(f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        if not _starts_as_warc(handle):
            # warcio would read it as an ARC file, or as text, with warnings on stderr
            yield str(path), WarcError("not a WARC file: it does not begin with a WARC/1.x record")
            return
        records = ArchiveIterator(handle)
        try:
            for record in records:
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path} (record without a URI)"
                http = record.http_headers
                media = (http.get_header("Content-Type") or "").split(";")[0].strip().lower() if http else ""
                if http is not None and http.get_statuscode() == "200" and media in HTML_TYPES:
                    yield uri, _article(record, uri, media, max_bytes)
                else:
                    record.raw_stream.read()  # passed over, but a record the file ends inside is still reported
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        yield uri, WarcError("truncated WARC record: the file ends inside it")
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield str(path), WarcError(f"malformed WARC: {str(exc).splitlines()[0][:200]}")
            return
        offset = getattr(records, "offset", size)
        if offset < size:
            # a gzip member cut inside its headers is dropped silently by warcio: the bytes left say so
            yield str(path), WarcError(f"truncated WARC: the record at byte {offset} is incomplete")


def _starts_as_warc(handle: BinaryIO) -> bool:
    head = handle.read(4096)
    handle.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _article(record: object, uri: str, media: str, max_bytes: int) -> Article | KGError:
    if record.rec_headers.get_header("WARC-Truncated"):  # type: ignore[attr-defined]
        return WarcError("truncated WARC record: the crawler cut it short")
    body = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > max_bytes:
        return WarcError(f"WARC record larger than {max_bytes:,} bytes")
    if getattr(record.raw_stream, "limit", 0) > 0:  # type: ignore[attr-defined]
        return WarcError("truncated WARC record: the file ends inside it")
    charset = None
    content_type = record.http_headers.get_header("Content-Type") or ""  # type: ignore[attr-defined]
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"'")
    try:
        return page_article(Page(uri, 200, media, charset, body), source=uri)
    except ArticleError as exc:
        return exc


__all__ = ["SUFFIXES", "is_warc", "read_warc"]
