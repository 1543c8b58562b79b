"""SPARQL text: the ``kg/queries/*.rq`` files loaded by name, and the one way values are bound into them.

Client values never enter query text as text: they are serialised strictly as RDF terms (escaped
literals, checked IRIs) into a ``VALUES`` block. Three conventions let one ``.rq`` file serve every
combination of parameters:

- ``#@bind`` marks each group (subqueries included) where the ``VALUES`` block of the bound
  parameters goes; a query without the marker gets it as the first element of its outer ``WHERE``
  group. A parameter left out stays unbound, and ``FILTER(!BOUND(?arg) || ...)`` passes;
- a line ``#?argX <pattern>`` is a comment unless ``?argX`` is bound, and then becomes ``<pattern>``,
  so a given filter value drives the join from the index instead of filtering every row;
- ``LIMIT 50 OFFSET 0`` is replaced by the page's validated integers.

A parameter bound to a tuple of terms takes each of them (one ``VALUES`` row each, in that order,
none for an empty tuple); at most one parameter of a query can be bound so.

A one-line group ending in ``# lateral`` becomes a SEP-0006 ``LATERAL`` join on backends that
evaluate it (Oxigraph): evaluated once per row of what precedes it instead of being hash-joined
against the whole store, which is what Oxigraph does with a plain ``OPTIONAL``.

(Oxigraph 0.5 substitutes only projected variables, so rdflib's ``initBindings`` cannot be used.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import ConfigError, QueryError

QUERY_DIR = Path(__file__).parent / "queries"
Binding = Identifier | tuple[Identifier, ...]  # one value, or one VALUES row each


@functools.cache
def load_query(name: str) -> str:
    """The text of ``kg/queries/{name}.rq``."""
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def bind(
    text: str,
    bindings: Mapping[str, Binding | None] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
    lateral: bool = False,
    name: str = "query",
) -> str:
    """``text`` ready to run: parameters bound, ``#?arg`` lines switched, page set (see above)."""
    bound = {k: v for k, v in (bindings or {}).items() if v is not None}
    text = _OPTIONAL_LINE.sub(lambda m: m.group(1) + m.group(3) if m.group(2) in bound else m.group(0), text)
    if bound:
        block = values_clause(bound)
        if _BIND.search(text):
            text = _BIND.sub(lambda _: block, text)
        else:
            m = _WHERE_OPEN.search(text) or _FORM_OPEN.search(text)
            if m is None:
                raise QueryError("cannot bind values: the query has no WHERE group")
            text = f"{text[: m.end()]} {block}\n{text[m.end() :]}"
    if lateral:
        text = _LATERAL.sub(lambda m: f"{m.group(1)}LATERAL {{ {m.group(2) or ''}{m.group(3)} }}", text)
    if limit is not None:
        if type(limit) is not int or type(offset) is not int or limit < 0 or offset < 0:
            raise ConfigError("limit and offset must be non-negative integers")
        text, n = _PAGE.subn(f"LIMIT {limit} OFFSET {offset}", text)
        if not n:
            raise QueryError(f"query {name!r} has no LIMIT/OFFSET to page")
    return text


def prepare(
    name: str,
    bindings: Mapping[str, Binding | None] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
    lateral: bool = False,
) -> str:
    """The named query ``kg/queries/{name}.rq`` bound by ``bind``.

    Made once per name and bindings (``PREPARED`` kept): a list read's text took 30 to 55 us to
    bind, and reads repeat theirs (the JSON reads on the API's event loop make each one twice)."""
    items = tuple(bindings.items()) if bindings else ()
    try:
        key = tuple((k, _term_key(v)) for k, v in items)
    except TypeError:  # not a term: bind refuses it
        return bind(load_query(name), bindings, limit=limit, offset=offset, lateral=lateral, name=name)
    return _prepared(name, key, items, limit, offset, lateral)


PREPARED = 1024
_TermKey = tuple[str, str, str | None, str | None] | None


def _term_key(value: Binding | None) -> _TermKey | tuple[_TermKey, ...]:
    """What a bound value is written as: rdflib's equality is not enough (``"1"^^xsd:integer`` equals
    ``"01"^^xsd:integer``, and each must be written as it is)."""
    if isinstance(value, tuple):
        return tuple(_one_key(v) for v in value)
    return _one_key(value)


def _one_key(value: Identifier | None) -> _TermKey:
    if value is None:
        return None
    if not isinstance(value, Identifier):
        raise TypeError(type(value).__name__)
    datatype, language = getattr(value, "datatype", None), getattr(value, "language", None)
    return type(value).__name__, str(value), None if datatype is None else str(datatype), language


@functools.lru_cache(maxsize=PREPARED)
def _prepared(
    name: str,
    key: tuple[tuple[str, Any], ...],
    items: tuple[tuple[str, Binding | None], ...],
    limit: int | None,
    offset: int | None,
    lateral: bool,
) -> str:
    return bind(load_query(name), dict(items), limit=limit, offset=offset, lateral=lateral, name=name)


def bind_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with a ``VALUES`` block for ``bindings`` where ``bind`` puts it."""
    return bind(sparql, bindings)


def values_clause(bindings: Mapping[str, Binding]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for one row of bound values, or a row for each value of
    the one parameter bound to a tuple (``VALUES (?a ?b) { (term x) (term y) }``)."""
    names = list(bindings)
    for name in names:
        if not _VAR_NAME.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
    several = [n for n in names if isinstance(bindings[n], tuple)]
    if len(several) > 1:
        raise QueryError(f"only one parameter can take several values, not {', '.join(several)}")
    column = bindings[several[0]] if several else None
    rows = []
    for value in column if isinstance(column, tuple) else (None,):
        row = {**bindings, several[0]: value} if several else bindings
        rows.append("(" + " ".join(term(row[n], bnodes=False) for n in names) + ")")
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(rows)} }}"


def term(value: Any, *, bnodes: bool = True) -> str:
    """One RDF term as SPARQL text (N-Triples syntax); ``QueryError`` for anything that is not safe."""
    if isinstance(value, URIRef):
        if _IRI_BAD.search(value) or not _IRI_SCHEME.match(value):
            raise QueryError(f"not an absolute IRI: {str(value)[:200]!r}")
        return f"<{value}>"
    if isinstance(value, Literal):
        text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if value.language:
            if not _LANG_TAG.fullmatch(value.language):
                raise QueryError(f"not a language tag: {value.language!r}")
            return f'"{text}"@{value.language}'
        if value.datatype:
            return f'"{text}"^^{term(value.datatype)}'
        return f'"{text}"'
    if isinstance(value, BNode) and bnodes:
        if not _BNODE_LABEL.fullmatch(value):
            raise QueryError(f"not a usable blank node label: {str(value)[:200]!r}")
        return f"_:{value}"
    raise QueryError(f"cannot use {value!r} here: only IRIs and literals can be bound")


def is_graph_query(text: str) -> bool:
    """Whether ``text`` is a CONSTRUCT or DESCRIBE (answered with a graph, not solutions)."""
    return bool(_GRAPH_FORM.search(_PROLOGUE.sub("", text)))


_BIND = re.compile(r"#@bind\b[^\n]*")
_OPTIONAL_LINE = re.compile(r"^([ \t]*)#\?([A-Za-z_]\w*)[ \t]([^\n]*)$", re.M)
_LATERAL = re.compile(r"^([ \t]*)(OPTIONAL[ \t]*)?(\{[^\n]*\})[ \t]*#[ \t]*lateral[ \t]*$", re.M)
_PAGE = re.compile(r"\bLIMIT\s+\d+\s+OFFSET\s+\d+\b")
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANG_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_]+")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROLOGUE = re.compile(r"^(?:\s|#[^\n]*\n|(?:PREFIX|BASE)\s[^\n]*\n)*", re.I)
_GRAPH_FORM = re.compile(r"^\s*(?:CONSTRUCT|DESCRIBE)\b", re.I)
_WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.I)
_FORM_OPEN = re.compile(r"^\s*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*\{", re.I | re.M)

__all__ = [
    "QUERY_DIR",
    "Binding",
    "bind",
    "bind_values",
    "is_graph_query",
    "load_query",
    "prepare",
    "query_names",
    "term",
    "values_clause",
]
