"""What /sparql refuses to run, decided before anything is executed.

- **SPARQL Update** (``INSERT DATA``, ``DROP ALL``...): text the query parser rejects whose first
  operation (after ``BASE``/``PREFIX``) is an update verb -> ``QueryRefused`` (403). Text that
  parses as a query is never treated as an update, whatever its strings say.
- **LOAD** (an update that fetches a URL) -> ``QueryError`` (400).
- **SERVICE** (federated query; pyoxigraph would really fetch the URL) -> ``QueryError`` (400).
  Found with Oxigraph's own parser, not a regex: every ``service`` in the text (case-insensitive,
  in strings, IRIs, names or keywords) is renamed ``servicz``, and the renamed text is parsed on an
  empty in-memory store. Inside strings, IRIs, prefixed names, variables, blank-node labels and
  language tags the renaming changes nothing syntactically, but ``SERVICZ`` is no keyword, so the
  renamed text parses if and only if the query had no SERVICE clause. Nothing remote can run: the
  probe text contains no SERVICE at all. ``\\uXXXX`` escapes that spell ``service`` are refused
  outright (some servers unescape them before parsing).
- anything else the parser rejects -> ``QueryError`` (400) with the parser's one-line message.
"""

from __future__ import annotations

import re

import pyoxigraph

from kg.errors import KGError, QueryError, QueryRefused

UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

_SERVICE = re.compile("service", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# strings (long and short), IRIs and comments, in the order a SPARQL lexer meets them
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>)", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z]+)")


def _keyword(word: str) -> re.Pattern[str]:
    # a bare word: not part of a variable, prefixed name, blank-node label or language tag
    return re.compile(rf"(?<![\w?$:@-]){word}(?![\w:-])", re.IGNORECASE)


_SERVICE_KEYWORD = _keyword("service")
_LOAD_KEYWORD = _keyword("load")


def scrub(text: str) -> str:
    """``text`` with strings as ``""``, IRIs as ``<>`` and comments as a space (for keyword lookups)."""

    def blank(m: re.Match[str]) -> str:
        token = m.group(0)
        return {"<": "<>", "#": " "}.get(token[0], '""')

    return _OPAQUE.sub(blank, text)


def first_keyword(text: str) -> str | None:
    """The first keyword after the prologue (``BASE``/``PREFIX``), upper-cased."""
    body = scrub(text)
    pos = 0
    while m := _PROLOGUE.match(body, pos):
        pos = m.end()
    m = _WORD.match(body, pos)
    return m.group(1).upper() if m else None


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def _mangle(text: str) -> str:
    return _SERVICE.sub(lambda m: m.group(0)[:-1] + ("z" if m.group(0)[-1] == "e" else "Z"), text)


def parse_failure(text: str, exc: BaseException, *, service_suspect: bool = False) -> KGError:
    """The error for text that the query parser rejected: an update, a LOAD, a SERVICE, or bad syntax."""
    if first_keyword(text) in UPDATE_VERBS:
        if _LOAD_KEYWORD.search(scrub(text)):
            return QueryError("LOAD is not allowed: this endpoint does not fetch remote data")
        return QueryRefused("SPARQL Update is not allowed: /sparql is a read-only query endpoint")
    if service_suspect and _SERVICE_KEYWORD.search(scrub(text)):
        return service_refused()
    return QueryError(f"malformed SPARQL: {first_line(exc)}")


def service_refused() -> QueryError:
    return QueryError("SERVICE is not allowed: this endpoint does not run federated queries")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def probe(text: str) -> object:
    """Parse ``text`` as a query on an empty in-memory store; SyntaxError if it is not one.

    Only call it on text without SERVICE (``vet`` first): ASK is evaluated eagerly.
    """
    return pyoxigraph.Store().query(text)


def vet(text: str) -> None:
    """Raise ``QueryError``/``QueryRefused`` if ``text`` holds a SERVICE clause (or is an update that does)."""
    plain = _unescape(text)
    if not _SERVICE.search(plain):
        return
    if len(_SERVICE.findall(plain)) != len(_SERVICE.findall(text)):
        raise service_refused()
    try:
        probe(_mangle(text))
    except Exception as exc:  # SyntaxError, or anything else: refuse what we cannot vouch for
        raise parse_failure(text, exc, service_suspect=True) from exc


__all__ = ["UPDATE_VERBS", "first_keyword", "first_line", "parse_failure", "probe", "scrub", "vet"]
