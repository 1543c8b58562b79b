"""Query answers (a boolean, a table of solutions, or a graph), read from any format and compared.

Comparison follows the W3C test conventions: solutions are a multiset (a list where the query's
top-level ORDER BY fixes the order of its keys); blank nodes match up to a bijection; a literal
matches the same term, or a numeric literal of the same datatype and value (``"2.0"^^xsd:decimal``
and ``"2"^^xsd:decimal``); graphs match up to isomorphism. CSV carries neither types nor the IRI /
literal distinction, so both sides of a CSV comparison are plain strings, numbers compared by value.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

MEDIA_TYPES = {
    "srx": "application/sparql-results+xml",
    "srj": "application/sparql-results+json",
    "tsv": "text/tab-separated-values",
    "csv": "text/csv",
    "ttl": "text/turtle",
}
_PARSERS = {
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/tab-separated-values": "tsv",
    "text/csv": "csv",
}
_GRAPH_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
GRAPH_MEDIA_TYPES = frozenset(_GRAPH_PARSERS)
RESULT_MEDIA_TYPES = frozenset(_PARSERS)
NUMERIC = frozenset(
    XSD[name]
    for name in (
        "integer decimal float double nonPositiveInteger negativeInteger long int short byte "
        "nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger"
    ).split()
)
_CSV_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class AnswerError(ValueError):
    """An answer that cannot be read in the format it claims."""


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer: the projected variables and the solutions, in the order received."""

    variables: frozenset[str]
    rows: tuple[dict[str, Node], ...]
    plain: bool = False  # from CSV: every value a plain string
    ordered: bool = True  # False when read from RDF without rs:index


Answer = bool | Solutions | Graph


# --- reading -----------------------------------------------------------------------------------


def _from_result(result: Result) -> Answer:
    if result.type == "ASK":
        return bool(result.askAnswer)
    variables = frozenset(str(v) for v in result.vars or ())
    rows: tuple[dict[str, Node], ...] = tuple(
        {str(k): v for k, v in row.items() if v is not None} for row in result.bindings
    )
    return Solutions(variables, rows)


def _from_csv(text: str) -> Solutions:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AnswerError("empty CSV") from None
    rows = []
    for record in reader:
        if len(record) != len(header):
            raise AnswerError(f"CSV row {record!r} does not have {len(header)} columns")
        row: dict[str, Node] = {}
        for name, cell in zip(header, record, strict=True):
            if cell:
                row[name] = BNode(cell[2:]) if cell.startswith("_:") else Literal(cell)
        rows.append(row)
    return Solutions(frozenset(header), tuple(rows), plain=True)


def _from_result_set(graph: Graph) -> Answer | None:
    """The DAWG ``rs:ResultSet`` vocabulary (results written as RDF), or None for a plain graph."""
    result_set = graph.value(None, RDF.type, RS.ResultSet)
    if result_set is None:
        return None
    boolean = graph.value(result_set, RS.boolean)
    if isinstance(boolean, Literal):
        return bool(boolean.toPython())
    variables = frozenset(str(v) for v in graph.objects(result_set, RS.resultVariable))
    rows, indexes = [], []
    for solution in graph.objects(result_set, RS.solution):
        row = {}
        for binding in graph.objects(solution, RS.binding):
            value = graph.value(binding, RS.value)
            if value is not None:
                row[str(graph.value(binding, RS.variable))] = value
        rows.append(row)
        indexes.append(graph.value(solution, RS["index"]))  # RS.index is str.index
    if rows and all(isinstance(i, Literal) for i in indexes):
        rows = [row for _, row in sorted(zip(indexes, rows, strict=True), key=lambda pair: int(str(pair[0])))]
        return Solutions(variables, tuple(rows))
    return Solutions(variables, tuple(rows), ordered=False)


def read_answer(body: bytes, media_type: str, *, base: str | None = None) -> Answer:
    """An answer in any SPARQL results or RDF format, named by its media type."""
    media_type = media_type.split(";")[0].strip().lower()
    try:
        if media_type == "text/csv":
            return _from_csv(body.decode("utf-8"))
        if media_type in _PARSERS:
            return _from_result(Result.parse(io.BytesIO(body), format=_PARSERS[media_type]))
        if media_type in _GRAPH_PARSERS:
            graph = Graph().parse(data=body, format=_GRAPH_PARSERS[media_type], publicID=base)
            results = _from_result_set(graph)
            return graph if results is None else results
    except AnswerError:
        raise
    except Exception as exc:  # each parser has its own exceptions; all mean "not readable"
        raise AnswerError(f"cannot read the {media_type} answer: {exc}") from exc
    raise AnswerError(f"unexpected media type {media_type!r}")


def read_expected(path: Path) -> Answer:
    """The expected answer of a test, from its result file."""
    suffix = path.suffix.lstrip(".")
    media_type = {"rdf": "application/rdf+xml", "nt": "application/n-triples"}.get(suffix) or MEDIA_TYPES[suffix]
    return read_answer(path.read_bytes(), media_type, base=path.resolve().as_uri())


# --- comparing ---------------------------------------------------------------------------------


def _numeric_value(term: Literal) -> Any:
    try:
        return Decimal(str(term).strip()) if term.datatype != XSD.double and term.datatype != XSD.float else float(term)
    except (InvalidOperation, ValueError):
        return None


def _csv_number(text: str) -> Decimal | None:
    """A CSV cell's numeric value, if it is spelt like an xsd:integer, decimal or double."""
    if _CSV_NUMBER.fullmatch(text) is None:
        return None
    return Decimal(text)


def _plain(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _key(term: Node, plain: bool) -> object:
    """A hashable key, equal for terms that match (blank nodes all alike; the bijection is checked apart)."""
    if isinstance(term, BNode):
        return ("bnode",)
    term = _plain(term)
    if isinstance(term, Literal):
        if plain:
            number = _csv_number(str(term))
            return ("number", number) if number is not None else ("text", str(term))
        value = _numeric_value(term) if term.datatype in NUMERIC else None
        if value is not None and value == value:  # NaN equals nothing, itself included
            return ("number", term.datatype, value)
    return ("term", term)


def _row_key(row: dict[str, Node], plain: bool) -> frozenset[tuple[str, object]]:
    return frozenset((k, _key(v, plain)) for k, v in row.items())


def _extend(mapping: dict[BNode, BNode], used: set[BNode], exp: dict[str, Node], act: dict[str, Node]) -> bool:
    """Map the blank nodes of ``exp`` onto those of ``act`` keeping a bijection; False (and no change) if none."""
    added: list[BNode] = []
    for name, e in exp.items():
        a = act[name]
        if not (isinstance(e, BNode) and isinstance(a, BNode)):
            continue
        if mapping.get(e, a) != a or (e not in mapping and a in used):
            for node in added:
                used.discard(mapping.pop(node))
            return False
        if e not in mapping:
            mapping[e] = a
            used.add(a)
            added.append(e)
    return True


def _match(expected: Sequence[dict[str, Node]], actual: Sequence[dict[str, Node]], plain: bool) -> bool:
    """Whether each expected row has its own matching actual row, under one blank-node bijection."""
    keys = [_row_key(r, plain) for r in actual]
    candidates = [[i for i, k in enumerate(keys) if k == _row_key(e, plain)] for e in expected]
    order = sorted(range(len(expected)), key=lambda i: len(candidates[i]))
    mapping: dict[BNode, BNode] = {}
    used_nodes: set[BNode] = set()
    taken: set[int] = set()

    def search(pos: int) -> bool:
        if pos == len(order):
            return True
        i = order[pos]
        has_bnodes = any(isinstance(v, BNode) for v in expected[i].values())
        for j in candidates[i]:
            if j in taken:
                continue
            before = set(mapping)
            if not _extend(mapping, used_nodes, expected[i], actual[j]):
                continue
            taken.add(j)
            if search(pos + 1):
                return True
            taken.discard(j)
            for node in set(mapping) - before:
                used_nodes.discard(mapping.pop(node))
            if not has_bnodes:
                return False  # rows without blank nodes and equal keys are interchangeable
        return False

    return search(0)


def compare(expected: Answer, actual: Answer, *, order_by: Iterable[str] = ()) -> str | None:
    """Why ``actual`` is not ``expected`` (None when it is). ``order_by``: variables whose order counts."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if type(expected) is not type(actual):
            return f"expected {_kind(expected)}, got {_kind(actual)}"
        return None if expected == actual else f"expected {expected}, got {actual}"
    if isinstance(expected, Graph) or isinstance(actual, Graph):
        if not (isinstance(expected, Graph) and isinstance(actual, Graph)):
            return f"expected {_kind(expected)}, got {_kind(actual)}"
        return None if _isomorphic(expected, actual) else _graph_diff(expected, actual)
    if expected.variables != actual.variables:
        return f"expected variables {sorted(expected.variables)}, got {sorted(actual.variables)}"
    plain = expected.plain or actual.plain
    if len(expected.rows) != len(actual.rows):
        return f"expected {len(expected.rows)} solutions, got {len(actual.rows)}" + _rows_diff(expected, actual, plain)
    if not _match(expected.rows, actual.rows, plain):
        diff = _rows_diff(expected, actual, plain)
        return "solutions differ" + diff if diff else "solutions differ in which blank nodes are shared"
    keys = [v for v in order_by if v in expected.variables] if expected.ordered else []
    for i, (e, a) in enumerate(zip(expected.rows, actual.rows, strict=True)):
        for k in keys:
            if (k in e) != (k in a) or (k in e and _key(e[k], plain) != _key(a[k], plain)):
                return f"solution {i + 1} out of ORDER BY order: expected {_show(e)}, got {_show(a)}"
    return None


def _kind(answer: Answer) -> str:
    return "a boolean" if isinstance(answer, bool) else "a graph" if isinstance(answer, Graph) else "solutions"


def _show(row: dict[str, Node]) -> str:
    return "{" + ", ".join(f"{k}={v.n3()}" for k, v in sorted(row.items())) + "}"


def _rows_diff(expected: Solutions, actual: Solutions, plain: bool, limit: int = 3) -> str:
    exp = Counter(_row_key(r, plain) for r in expected.rows)
    act = Counter(_row_key(r, plain) for r in actual.rows)
    missing = [r for r in expected.rows if exp[_row_key(r, plain)] > act[_row_key(r, plain)]][:limit]
    extra = [r for r in actual.rows if act[_row_key(r, plain)] > exp[_row_key(r, plain)]][:limit]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(_show(r) for r in missing))
    if extra:
        parts.append("unexpected " + ", ".join(_show(r) for r in extra))
    return ": " + "; ".join(parts) if parts else ""


def _normalised(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, _plain(o)))
    return out


def _isomorphic(a: Graph, b: Graph) -> bool:
    return isomorphic(_normalised(a), _normalised(b))


def _graph_diff(expected: Graph, actual: Graph) -> str:
    return f"graphs not isomorphic: expected {len(expected)} triples, got {len(actual)}"


__all__ = [
    "GRAPH_MEDIA_TYPES",
    "MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "Answer",
    "AnswerError",
    "Solutions",
    "compare",
    "read_answer",
    "read_expected",
]
