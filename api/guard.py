"""What /sparql refuses to run, decided before any SPARQL parser sees the text.

``screen(text)`` reads the query with regular expressions and a flat tokenizer (no parser, no
recursion), in this order:

- **nesting** deeper than ``MAX_DEPTH`` brackets, braces and parentheses -> ``QueryError`` (400).
  Oxigraph's parser recurses: a few KB of ``{{{...`` overflow its stack (the embedded Oxigraph 0.5.13
  segfaults at ~2,500 levels on an 8 MB stack, ``oxigraph serve`` at ~500 on its 2 MB threads), and
  nested ``[ ... ]`` take polynomial time (0.3 s at 64 levels, 21 s at 200). The depth is the larger
  of two counts that err in opposite directions (every bracket in the text, and brackets outside
  strings, IRIs and comments), so hiding brackets in a string fools only one of them. It stops
  honest deep nesting and the plain attacks, not every crafted text: no lexer agrees with the
  parser on every ``<`` (``?o<'x>'`` is an IRI and a string to a lexer, a comparison to Oxigraph).
  What a crafted text can crash is the engine process, which is restarted (``api.engine``).
- **SPARQL Update** (``INSERT DATA``, ``DROP ALL``...): the first keyword after ``BASE``/``PREFIX``
  is an update verb -> ``QueryRefused`` (403). Text whose first keyword is a query form is never an
  update, whatever its strings say; and the engine is only ever asked on its query endpoint.
- **LOAD** (an update that fetches a URL) -> ``QueryError`` (400).
- **SERVICE** (federated query; both engines would really fetch the URL): every ``service`` in the
  text (any case, in strings, IRIs, names or keywords) is renamed ``servicz``. Inside strings,
  IRIs, prefixed names, variables, blank-node labels and language tags the renaming changes nothing
  syntactically, but ``SERVICZ`` is no keyword, so the renamed text parses if and only if the query
  had no SERVICE clause. ``Screened.service_probe`` is that renamed text: the caller has it parsed
  (out of process when an engine runs the queries) and refuses the query unless it parses.
  ``\\uXXXX`` escapes that spell ``service`` are refused outright.
- **relative IRIs** with no ``BASE`` -> ``QueryError`` (400): there is no document to resolve them
  against (an engine would silently use its own private URL).
- **FROM / FROM NAMED**: their IRIs, resolved against the prologue, are returned in
  ``Screened.default_graphs`` / ``named_graphs``; the caller refuses graphs the store does not hold.

``vet`` and ``probe`` are the in-process variant (``memory:`` stores only): they parse with
Oxigraph in this process (``kg.backends.oxigraph``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from kg.backends import oxigraph
from kg.errors import KGError, QueryError, QueryRefused

MAX_DEPTH = 64
CACHE_TEXT_CHARS = 4096
UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

_SERVICE = re.compile("service", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRING = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
)
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
# strings (long and short), IRIs and comments, in the order a SPARQL lexer meets them
_OPAQUE = re.compile(rf"{_STRING}|{_IRI}|#[^\n\r]*", re.DOTALL)
_TOKEN = re.compile(
    rf"(?P<skip>{_STRING}|#[^\n\r]*)|(?P<iri>{_IRI})|(?P<word>[^\s{{}}()\[\]<>\"'#,;]+)|(?P<punct>\S)",
    re.DOTALL,
)
_BRACKET = re.compile(r"[\[\](){}]")
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>)", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z]+)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_EXPRESSION = re.compile(r"[?$()=!]|&&")


def _keyword(word: str) -> re.Pattern[str]:
    # a bare word: not part of a variable, prefixed name, blank-node label or language tag
    return re.compile(rf"(?<![\w?$:@-]){word}(?![\w:-])", re.IGNORECASE)


_SERVICE_KEYWORD = _keyword("service")
_LOAD_KEYWORD = _keyword("load")


@dataclass(frozen=True)
class Screened:
    """What ``screen`` learnt about a query it did not refuse."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the text starts otherwise
    service_probe: str | None = None  # text to parse before running the query (see the module doc)
    default_graphs: tuple[str, ...] = ()  # FROM
    named_graphs: tuple[str, ...] = ()  # FROM NAMED

    @property
    def kind(self) -> str:
        """``graph`` for CONSTRUCT/DESCRIBE, else ``results``."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "results"


def screen(text: str, *, max_depth: int = MAX_DEPTH) -> Screened:
    """Refuse ``text`` (``QueryError``/``QueryRefused``) or say what it is; see the module docstring.

    Answers for short texts are cached: clients repeat their queries, and the screen is pure.
    """
    if len(text) <= CACHE_TEXT_CHARS:
        return _screen_cached(text, max_depth)
    return _screen(text, max_depth)


@functools.lru_cache(maxsize=1024)
def _screen_cached(text: str, max_depth: int) -> Screened:
    return _screen(text, max_depth)


def _screen(text: str, max_depth: int) -> Screened:
    check_depth(text, max_depth)
    form = first_keyword(text)
    if form in UPDATE_VERBS:
        raise update_refused(text)
    header = _Header.read(text)
    if header.relative:
        iri = header.relative[0]
        raise QueryError(f"malformed SPARQL: relative IRI <{iri}> and no BASE to resolve it against")
    return Screened(form, service_probe(text), tuple(header.default_graphs), tuple(header.named_graphs))


def nesting_depth(text: str) -> int:
    """How deep brackets, braces and parentheses nest, by the larger of two lexical counts."""
    return max(_depth(text), _depth(scrub(text)))


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in _BRACKET.finditer(text):
        if m.group() in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    depth = nesting_depth(text)
    if depth > max_depth:
        raise QueryError(
            f"the query nests brackets, braces or parentheses {depth} deep; the limit is {max_depth}: "
            "flatten it (UNION of VALUES, fewer nested groups)"
        )


def service_probe(text: str) -> str | None:
    """None when ``text`` cannot hold a SERVICE clause, else the renamed text that must parse."""
    plain = _unescape(text)
    if not _SERVICE.search(plain):
        return None
    if len(_SERVICE.findall(plain)) != len(_SERVICE.findall(text)):
        raise service_refused()
    return _mangle(text)


def update_refused(text: str) -> KGError:
    if _LOAD_KEYWORD.search(scrub(text)):
        return QueryError("LOAD is not allowed: this endpoint does not fetch remote data")
    return QueryRefused("SPARQL Update is not allowed: /sparql is a read-only query endpoint")


@dataclass
class _Header:
    """Prologue, dataset clauses and relative IRIs, from one pass of a flat tokenizer."""

    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    relative: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, text: str) -> _Header:
        h = cls()
        depth, expect, name = 0, "", ""
        for m in _TOKEN.finditer(text):
            kind, token = m.lastgroup, m.group()
            if kind == "skip":
                continue
            if kind == "iri":
                h._check(token[1:-1])
            if token in "{}" and kind == "punct":
                depth = max(0, depth + (1 if token == "{" else -1))
            if expect == "prefix" and kind == "word" and token.endswith(":"):
                expect, name = "prefix-iri", token[:-1]
            elif expect == "prefix-iri" and kind == "iri":
                h.prefixes[name] = h._resolve(token[1:-1])
                expect = ""
            elif expect == "base" and kind == "iri":
                h.base = h._resolve(token[1:-1])
                expect = ""
            elif expect == "from" and kind == "word" and token.upper() == "NAMED":
                expect = "named"
            elif expect in ("from", "named") and kind in ("iri", "word"):
                iri = h._resolve(token[1:-1]) if kind == "iri" else h._expand(token)
                (h.named_graphs if expect == "named" else h.default_graphs).append(iri)
                expect = ""
            elif depth == 0 and kind == "word" and token.upper() in ("PREFIX", "BASE", "FROM"):
                expect = token.lower()
            else:
                expect = ""
        return h

    def _check(self, iri: str) -> None:
        # ``?a<3&&?b>4`` lexes as an IRI but is two comparisons: such text is no plausible relative IRI
        if self.base is None and not _SCHEME.match(iri) and not _EXPRESSION.search(iri):
            self.relative.append(iri)

    def _resolve(self, iri: str) -> str:
        if _SCHEME.match(iri) or self.base is None:
            return iri
        return resolve_iri(iri, self.base)

    def _expand(self, pname: str) -> str:
        prefix, colon, local = pname.partition(":")
        if not colon or prefix not in self.prefixes:
            raise QueryError(f"malformed SPARQL: {pname} in FROM is not an IRI with a declared prefix")
        return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


def resolve_iri(iri: str, base: str) -> str:
    """``iri`` resolved against ``base`` as Oxigraph resolves it (RFC 3986)."""
    try:
        return oxigraph.resolve_iri(iri, base)
    except ValueError:
        raise QueryError(f"malformed SPARQL: cannot resolve <{iri}> against BASE <{base}>") from None


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


def parse_failure(text: str, message: str, *, service_suspect: bool = False) -> KGError:
    """The error for text that the query parser rejected with ``message``: update, LOAD, SERVICE or syntax."""
    if first_keyword(text) in UPDATE_VERBS:
        return update_refused(text)
    if service_suspect and _SERVICE_KEYWORD.search(scrub(text)):
        return service_refused()
    return QueryError(f"malformed SPARQL: {message}")


def service_refused() -> QueryError:
    return QueryError("SERVICE is not allowed: this endpoint does not run federated queries")


def first_line(exc: BaseException | str) -> str:
    text = str(exc).strip() or (type(exc).__name__ if isinstance(exc, BaseException) else "error")
    return text.splitlines()[0][:300]


def probe(text: str) -> object:
    """Parse ``text`` as a query on an empty in-memory store; SyntaxError if it is not one.

    Only call it on text that ``screen`` let through, without SERVICE: ASK is evaluated eagerly.
    """
    return oxigraph.parse_query(text)


def vet(text: str) -> None:
    """In-process SERVICE check: ``QueryError`` if ``text`` holds a SERVICE clause (parses with Oxigraph)."""
    mangled = service_probe(text)
    if mangled is None:
        return
    try:
        probe(mangled)
    except Exception as exc:  # SyntaxError, or anything else: refuse what we cannot vouch for
        raise parse_failure(text, first_line(exc), service_suspect=True) from exc


__all__ = [
    "MAX_DEPTH",
    "QUERY_FORMS",
    "UPDATE_VERBS",
    "Screened",
    "check_depth",
    "first_keyword",
    "first_line",
    "nesting_depth",
    "parse_failure",
    "probe",
    "resolve_iri",
    "screen",
    "scrub",
    "service_probe",
    "vet",
]
