"""SPARQL results as pandas DataFrames, each column typed from the RDF datatypes of its values.

    frame(store, "api_events", type="parade")          # the named query kg/queries/api_events.rq
    sparql_frame(store, "SELECT ?s WHERE { ... }")      # any SELECT
    records_frame(facts.casualties(store).items)       # records of one fact kind (kg.facts)

| values in the column                         | dtype              |
|----------------------------------------------|--------------------|
| xsd:integer and its subtypes                 | ``Int64``          |
| xsd:decimal, xsd:double, xsd:float (or mixed with integers) | ``Float64`` |
| xsd:boolean                                  | ``boolean``        |
| xsd:date, xsd:dateTime                       | ``datetime64``     |
| IRIs, text, anything else or a mix of kinds  | ``string``         |

Unbound values are missing (``<NA>``, ``NaT``). A column that mixes datatypes stays text: a
``wwii:date`` column holds dates, year-months and years, and a year is not a day.

``records_frame`` types the columns of records the same way from their values, nested records
flattened to ``field_subfield`` columns (``evidence_text``, ``source_published``); a column of full
dates (``YYYY-MM-DD``) becomes ``datetime64``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import pandas as pd
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.store import Store

_INTEGER = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.nonPositiveInteger,
    XSD.negativeInteger,
    XSD.unsignedLong,
    XSD.unsignedInt,
    XSD.unsignedShort,
    XSD.unsignedByte,
}
_FLOAT = {XSD.decimal, XSD.double, XSD.float}
_DATETIME = {XSD.date, XSD.dateTime, XSD.dateTimeStamp}


def frame(store: Store, name: str, **bindings: Any) -> pd.DataFrame:
    """The named query ``kg/queries/{name}.rq`` as a DataFrame; Python values are bound as literals."""
    return result_frame(store.named(name, **_terms(bindings)))


def sparql_frame(store: Store, text: str, bindings: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A SPARQL SELECT as a DataFrame, with ``bindings`` bound as in ``Store.query``."""
    return result_frame(store.query(text, _terms(bindings or {})))


def result_frame(result: Result) -> pd.DataFrame:
    """An rdflib SELECT result as a typed DataFrame, one column per projected variable."""
    if result.type != "SELECT":
        raise QueryError(f"only SELECT queries make frames, not {result.type}")
    names = [str(v) for v in (result.vars or [])]
    rows = [tuple(cast(ResultRow, row)) for row in result]  # SELECT rows, not triples or a boolean
    columns = {name: _column([row[i] for row in rows]) for i, name in enumerate(names)}
    return pd.DataFrame(columns, columns=names, index=pd.RangeIndex(len(rows)))


def records_frame(records: Iterable[Any]) -> pd.DataFrame:
    """Records of one kind (``kg.facts.Casualty``, ``Quote``...) as a typed DataFrame, one row per
    record: nested records become ``field_subfield`` columns, tuples of records stay as objects."""
    rows = [_flat(dataclasses.asdict(r)) for r in records]
    names = list(dict.fromkeys(name for row in rows for name in row))
    # a record field that is None in some rows is flattened in the others: keep only its columns
    names = [
        n for n in names if not (any(m.startswith(n + "_") for m in names) and all(r.get(n) is None for r in rows))
    ]
    columns = {name: _values_column([row.get(name) for row in rows]) for name in names}
    return pd.DataFrame(columns, columns=names, index=pd.RangeIndex(len(rows)))


def _flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping) and value and all(isinstance(k, str) for k in value):
            out.update(_flat(value, f"{prefix}{key}_"))
        else:
            out[prefix + key] = value
    return out


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _values_column(values: list[Any]) -> pd.Series:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int}:
        return pd.Series(values, dtype="Int64")
    if kinds and kinds <= {int, float}:
        return pd.Series(values, dtype="Float64")
    if kinds == {bool}:
        return pd.Series(values, dtype="boolean")
    if kinds == {str}:
        if all(v is None or _FULL_DATE.fullmatch(v) for v in values):
            parsed = _datetimes(values)
            if parsed is not None:
                return parsed
        return pd.Series(values, dtype="string")
    return pd.Series(values, dtype="object")


def _terms(bindings: Mapping[str, Any]) -> dict[str, Identifier]:
    """Bindings as RDF terms: terms pass through, Python values become literals (str too: use URIRef for an IRI)."""
    out: dict[str, Identifier] = {}
    for key, value in bindings.items():
        if isinstance(value, Identifier):
            out[key] = value
        elif isinstance(value, str | bool | int | float | Decimal | date | datetime):
            out[key] = Literal(value)
        else:
            raise QueryError(f"cannot bind ?{key} to a {type(value).__name__}")
    return out


def _kind(term: Any) -> str:
    if term is None:
        return "none"
    if isinstance(term, URIRef | BNode) or not isinstance(term, Literal) or term.value is None:
        return "text"  # ill-typed literals (value None) too
    datatype = term.datatype
    if datatype in _INTEGER:
        return "int"
    if datatype in _FLOAT:
        return "float"
    if datatype == XSD.boolean:
        return "bool"
    if datatype in _DATETIME:
        return "datetime"
    return "text"


def _column(terms: list[Any]) -> pd.Series:
    kinds = {_kind(t) for t in terms} - {"none"}
    if kinds == {"int"}:
        return pd.Series([None if t is None else int(t.value) for t in terms], dtype="Int64")
    if kinds and kinds <= {"int", "float"}:
        return pd.Series([None if t is None else float(t.value) for t in terms], dtype="Float64")
    if kinds == {"bool"}:
        return pd.Series([None if t is None else bool(t.value) for t in terms], dtype="boolean")
    if kinds == {"datetime"}:
        parsed = _datetimes([None if t is None else str(t) for t in terms])
        if parsed is not None:
            return parsed
    return pd.Series([None if t is None else str(t) for t in terms], dtype="string")


def _datetimes(texts: list[str | None]) -> pd.Series | None:
    """ISO dates/date-times as datetime64 (UTC when any has a time zone); None when out of range."""
    series = pd.Series(texts, dtype="object")
    for utc in (False, True):
        try:
            return pd.to_datetime(series, format="ISO8601", utc=utc)
        except (ValueError, OverflowError):
            continue
    return None


__all__ = ["frame", "records_frame", "result_frame", "sparql_frame"]
