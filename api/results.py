"""Row caps and completeness checks on SPARQL answers as they stream, without parsing them.

``/sparql`` passes the engine's own serialisation through, so it never holds a parsed result. Two
things must still be known about the bytes:

- **more than ``max_rows`` rows?** Three steps, each only when the one before cannot rule it out.
  The size: a row takes at least ``MIN_ROW_BYTES`` bytes (``{},`` in JSON), so an answer under
  ``max_rows`` times that is within the cap whatever it holds (30 KB of JSON at the default cap:
  most answers stop here, at no cost). Then an upper bound from one byte count (``{`` for JSON,
  ``<result`` for XML, newlines for CSV, TSV and N-Triples; about 1 GB/s), for JSON tightened
  when needed by discounting binding objects (``":{``). Only when that bound passes the cap does
  an exact scan (string-aware for JSON,
  quote-aware for CSV) find the end of row ``max_rows``; the answer is cut there and closed
  (``]}}``, ``</results></sparql>``), and reading stops, so an engine streaming millions of rows
  is dropped after the cap.
- **did it end?** Oxigraph reports an error that happens after the first byte by appending the
  message to a 200 body that is well-formed up to there (measured with oxigraph 0.5.13:
  ``...{"s":{...}}The SPARQL operation has been cancelled``). A body that was not cut must end as
  its format ends (``}``, ``</sparql>``, a newline, ``true``/``false`` for ASK as CSV/TSV), else
  ``Incomplete``.

Graph answers (CONSTRUCT/DESCRIBE) are capped in N-Triples (one triple per line) and converted to
the client's format afterwards by ``to_graph_format``, with Oxigraph's serialisers.
"""

from __future__ import annotations

import re

from api.negotiation import Format
from kg.backends.oxigraph import convert_ntriples

CANCELLED = b"The SPARQL operation has been cancelled"
LINE_FORMATS = frozenset({"csv", "tsv", "ntriples"})

_JSON_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)(")?|[{}\[\]]', re.DOTALL)
_BOUNDS = {  # a byte string that occurs at least once per row: its count bounds the rows
    "json": b"{",  # each row opens an object, and one per binding: loose, but one cheap count
    "xml": b"<result",
    "csv": b"\n",
    "tsv": b"\n",
    "ntriples": b"\n",
}
_TRAILERS = {"json": b"]}}", "xml": b"</results></sparql>"}
# the fewest bytes a row (or triple) can take: {}, | <result/> | a newline | _:a <a:> "" .\n
MIN_ROW_BYTES = {"json": 3, "xml": 9, "csv": 1, "tsv": 1, "ntriples": 14}


class Incomplete(Exception):
    """The answer stopped before its format's end (the engine failed or was cancelled mid-stream)."""


class RowLimiter:
    """Collects one streamed answer in format ``key``, cutting it after ``max_rows`` rows.

    ``feed`` returns True once the answer is known to hold more rows (stop reading); ``finish``
    returns the body to send, and ``capped`` says whether it was cut.
    """

    def __init__(self, key: str, max_rows: int, *, boolean: bool = False) -> None:
        if key not in _BOUNDS:
            raise ValueError(f"no row counting for format {key!r}")
        self.key = key
        self.max_rows = max(0, max_rows)
        self.boolean = boolean
        self.capped = False
        self._chunks: list[bytes] = []  # while the size alone keeps the answer within the cap
        self._size = 0
        self._small = (self.max_rows + 1) * MIN_ROW_BYTES[key] - 1  # a body this size cannot exceed it
        self._buf = bytearray()
        self._bound = 0
        self._token = _BOUNDS[key]
        self._tight = False  # JSON: also discount binding objects ('":{')
        # exact scan state
        self._pos = 0
        self._rows = 0
        self._cut = 0
        self._quoted = False  # CSV: inside a quoted field
        self._stack = bytearray()  # JSON: open containers

    def feed(self, chunk: bytes) -> bool:
        if self.capped or not chunk:
            return self.capped
        if self._chunks is not None:
            self._chunks.append(chunk)
            self._size += len(chunk)
            if self._size <= self._small:
                return False
            chunk, self._chunks = b"".join(self._chunks), None  # type: ignore[assignment]
        start = len(self._buf)
        self._buf += chunk
        self._bound += self._count_from(start)
        if self._bound > self.max_rows and self.key == "json" and not self._tight:
            # a binding's object follows '":': discount those before paying for an exact scan
            self._tight = True
            self._bound = self._count_from(0)
        if self._bound > self.max_rows:
            self.capped = self._scan()
        return self.capped

    def _count_from(self, start: int) -> int:
        """Occurrences of the bounding token(s) that end after ``start`` (earlier ones were counted)."""
        buf, token = self._buf, self._token
        found = buf.count(token, max(0, start - len(token) + 1))
        if self._tight:
            found -= buf.count(b'":{', max(0, start - 2))
        return found

    def finish(self) -> bytes:
        """The answer to send: cut and closed if capped, else the whole body once it ends properly."""
        if self.capped:
            return bytes(self._buf[: self._cut]) + _TRAILERS.get(self.key, b"")
        body = b"".join(self._chunks) if self._chunks is not None else bytes(self._buf)
        if not self._complete(body):
            raise Incomplete(f"the {self.key} answer stops before its end ({len(body)} bytes)")
        return body

    def _complete(self, body: bytes) -> bool:
        if body.endswith(CANCELLED):
            return False
        tail = body[-64:].rstrip()  # not a copy of a long body: a bare ASK answer is shorter
        if self.boolean and self.key in ("csv", "tsv"):
            return tail in (b"true", b"false")
        if self.key == "json":
            return tail.endswith(b"}")
        if self.key == "xml":
            return tail.endswith(b"</sparql>")
        if self.key == "ntriples":
            return not body or body.endswith(b"\n")
        return body.endswith(b"\n")

    # --- exact scans: each resumes at self._pos and returns True once row max_rows + 1 has begun

    def _scan(self) -> bool:
        if self.key == "json":
            return self._scan_json()
        if self.key == "xml":
            return self._scan_xml()
        return self._scan_lines()

    def _scan_lines(self) -> bool:
        buf = self._buf
        header = 0 if self.key == "ntriples" else 1
        while True:
            if self._rows >= self.max_rows + header and buf[self._pos :].strip():
                self._cut = self._pos
                return True
            end = buf.find(b"\n", self._pos)
            if end < 0:
                return False
            if self.key == "csv" and buf.count(b'"', self._pos, end) % 2:
                self._quoted = not self._quoted
            self._pos = end + 1
            if not self._quoted:
                self._rows += 1

    def _scan_xml(self) -> bool:
        buf = self._buf
        while True:
            at = buf.find(b"<result", self._pos)
            if at < 0 or at + 7 >= len(buf):
                return False
            self._pos = at + 7
            if buf[at + 7] in b">/ \t\r\n":
                self._rows += 1
                if self._rows > self.max_rows:
                    self._cut = at
                    return True

    def _scan_json(self) -> bool:
        buf, stack = self._buf, self._stack
        for m in _JSON_TOKEN.finditer(buf, self._pos):
            token = m.group()
            if token[0] == 0x22:  # a string
                if m.group(2) is None:  # unterminated: wait for the rest
                    self._pos = m.start()
                    return False
                continue
            c = token[0]
            at_bindings = stack == b"{{["
            if c in b"{[":
                if c == 0x7B and at_bindings:
                    self._rows += 1
                    if self._rows > self.max_rows:
                        return True
                stack.append(c)
                if stack == b"{{[":
                    self._cut = m.end()  # no row yet: the cut keeps an empty list
            elif stack:
                stack.pop()
                if stack == b"{{[":
                    self._cut = m.end()  # the end of the last whole row
        self._pos = len(buf)
        return False


def to_graph_format(ntriples: bytes, fmt: Format) -> bytes:
    """N-Triples re-serialised by Oxigraph in ``fmt`` (Turtle, RDF/XML, JSON-LD)."""
    if fmt.key == "ntriples":
        return ntriples
    return convert_ntriples(ntriples, fmt.oxigraph)


__all__ = ["CANCELLED", "LINE_FORMATS", "MIN_ROW_BYTES", "Incomplete", "RowLimiter", "to_graph_format"]
