"""Embedded Oxigraph: ``oxigraph:PATH`` (RocksDB on disk) and ``memory:``, in this process.

Updates go straight to ``pyoxigraph``: one atomic transaction. (Through an rdflib ``Dataset``,
oxrdflib refuses a union-default-graph update and rdflib falls back to its own evaluator, which
applies DROP and INSERT DATA one triple at a time: not atomic, and slow.) SELECT rows are read from
``pyoxigraph`` directly, without rdflib's term conversion (about 20 µs a term, more than the query
itself on a page of facts); ``query`` goes through oxrdflib for callers that want rdflib terms.

This module is also the one home of the Oxigraph library for the API's /sparql screening and
format conversion (``parse_query``, ``check_iri``, ``convert_ntriples``, ``answer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Dataset
from rdflib.query import Result

from kg.backends import Backend, Capabilities, StoreSpec, first_line, plain_value, register
from kg.errors import ConfigError, QueryError, StoreError, StoreLocked, StoreUnwritable
from kg.textindex import TextIndex

RDF_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


@register
class OxigraphBackend(Backend):
    """A ``pyoxigraph.Store`` on disk or in memory."""

    kinds = ("oxigraph", "memory")

    def __init__(self, inner: pyoxigraph.Store, *, read_only: bool = False, path: Path | None = None) -> None:
        self._inner = inner
        self.read_only = read_only
        self.path = path  # None in memory
        self._dataset: Dataset | None = None

    @classmethod
    def parse_spec(cls, kind: str, rest: str) -> StoreSpec:
        if kind == "memory":
            return StoreSpec("memory")
        if not rest:
            raise ConfigError("store spec 'oxigraph:' needs a path, e.g. oxigraph:data/store")
        return StoreSpec("oxigraph", path=rest)

    @classmethod
    def open(cls, spec: StoreSpec, *, read_only: bool = False) -> OxigraphBackend:
        if spec.kind == "memory":
            return cls(pyoxigraph.Store())
        path = Path(spec.path or "")
        try:
            if read_only:
                if not path.exists():
                    raise StoreError(f"no store at {path}; run `kg ingest` first")
                inner = pyoxigraph.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                inner = pyoxigraph.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"the store at {path} is open in another process (a running `kg serve`?); "
                    "stop it or use its /sparql"
                ) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        return cls(inner, read_only=read_only, path=path)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(lateral=True, bulk_load=True, transactions=True, full_text=True)

    def text_index(self, *, read_only: bool = False) -> TextIndex:
        return TextIndex() if self.path is None else TextIndex.beside(self.path, read_only=read_only)

    @property
    def native(self) -> pyoxigraph.Store:
        return self._inner

    def _run(self, text: str) -> Any:
        try:
            return self._inner.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc
        except (ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {first_line(exc)}") from exc

    def select(self, text: str) -> list[dict[str, Any]]:
        solutions = self._run(text)
        names = [v.value for v in solutions.variables]
        return [{n: _value(row[n]) for n in names} for row in solutions]

    def query(self, text: str) -> Result:
        if self._dataset is None:
            from oxrdflib import OxigraphStore

            self._dataset = Dataset(store=OxigraphStore(store=self._inner), default_union=True)
        try:
            return self._dataset.query(text)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc

    def construct(self, text: str, media_type: str) -> bytes | None:
        fmt = RDF_FORMATS.get(media_type)
        if fmt is None:
            return None
        return bytes(self._run(text).serialize(format=fmt) or b"")

    def update(self, text: str) -> None:
        try:
            self._inner.update(text)
        except (SyntaxError, ValueError, RuntimeError) as exc:  # RuntimeError: evaluation errors
            raise StoreError(f"update rejected: {first_line(exc)}") from exc
        except OSError as exc:
            raise StoreUnwritable(f"write failed: {first_line(exc)}") from exc

    def flush(self) -> None:
        if self.read_only:
            return
        try:
            self._inner.flush()
        except OSError as exc:
            raise StoreUnwritable(f"cannot write the store to disk: {first_line(exc)}") from exc

    def close(self) -> None:
        """Drop every reference to the store: RocksDB releases its lock when the object goes."""
        if self._dataset is not None:
            self._dataset.close()
            self._dataset = None
        del self._inner

    def answer(
        self,
        text: str,
        *,
        results_format: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> tuple[str, bytes]:
        """A client's query answered as Oxigraph serialises it: ``("graph", N-Triples)``, or
        ``("boolean" | "solutions", bytes in results_format)`` (a ``QueryResultsFormat`` name)."""
        kwargs: dict[str, Any] = {}
        if default_graphs:
            kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
        try:
            result = self._inner.query(text, **kwargs)
            if isinstance(result, pyoxigraph.QueryTriples):
                return "graph", bytes(result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")
            kind = "boolean" if isinstance(result, pyoxigraph.QueryBoolean) else "solutions"
            return kind, bytes(result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, results_format)) or b"")
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {first_line(exc)}") from exc
        except (ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {first_line(exc)}") from exc


def _value(term: Any) -> Any:
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    return plain_value(term.value, None if datatype is None else datatype.value)


# --- Oxigraph's parsers and serialisers, for the API's /sparql screening and formats ----------


def parse_query(text: str) -> Any:
    """``text`` parsed (and evaluated on an empty store) by Oxigraph; ``SyntaxError`` if it does not parse."""
    return pyoxigraph.Store().query(text)


def absolute_iri(iri: str) -> str:
    """``iri`` if Oxigraph takes it as an absolute IRI; ``ValueError`` otherwise."""
    return str(pyoxigraph.NamedNode(iri).value)


def resolve_iri(iri: str, base: str) -> str:
    """``iri`` resolved against ``base`` as Oxigraph resolves it (RFC 3986); ``ValueError`` if it cannot."""
    try:
        quad = next(pyoxigraph.parse(f"<{iri}> <{iri}> <{iri}> .", format=pyoxigraph.RdfFormat.TURTLE, base_iri=base))
    except (SyntaxError, ValueError, StopIteration) as exc:
        raise ValueError(f"cannot resolve <{iri}> against <{base}>") from exc
    return str(quad.subject.value)


def convert_ntriples(ntriples: bytes, format_name: str) -> bytes:
    """N-Triples re-serialised by Oxigraph as ``format_name`` (an ``RdfFormat`` attribute: TURTLE...)."""
    triples = (q.triple for q in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    return bytes(pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, format_name)) or b"")


__all__ = ["RDF_FORMATS", "OxigraphBackend", "absolute_iri", "convert_ntriples", "parse_query", "resolve_iri"]
