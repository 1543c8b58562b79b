"""Virtuoso Open Source over its SPARQL endpoint: ``virtuoso:URL`` (e.g. ``virtuoso:http://127.0.0.1:8890/sparql``).

The ``sparql:`` backend with the differences Virtuoso 7.2 needs:

- queries are POSTed as a form (``query=...``): a query POSTed as ``application/sparql-query`` is
  never answered;
- blank nodes are skolemised on write: Virtuoso refuses them in ``INSERT DATA`` (SP031), so
  ``_:b1`` in graph ``g`` is stored as ``<urn:bnode:H_b1>``, ``H`` a hash of ``g`` (labels stay apart
  across graphs), and read back as the blank node ``_:H_b1`` from ``query``, ``select`` and N-Triples
  ``construct``; a query cannot tell them from IRIs (``isBlank`` is false on Virtuoso);
- Virtuoso's own graphs (``SYSTEM_GRAPHS``, some 2,500 quads of its RDF views) are excluded from
  every query by ``define input:*-graph-exclude`` pragmas, so ``GRAPH ?g`` and the default graph
  (the union of all graphs, as ``stats.rq`` expects) see only ours; except in a query that names
  its graph (``GRAPH <g>``, ``FROM``), where Virtuoso 7.2 would then find nothing (see ``excluding``);
- ASK is answered as a SELECT of one ``__ASK_RETVAL`` column, read back as the boolean it is;
- ``DROP GRAPH g`` is sent as ``DROP SILENT GRAPH g``: Virtuoso refuses to drop a graph that only
  ``INSERT DATA`` made (``Store.delete_graph`` has checked that ``g`` holds something);
- ``DROP ALL`` is never needed and would drop those graphs: delete graphs by name.

The endpoint runs as Virtuoso's ``SPARQL`` user, which must hold the ``SPARQL_UPDATE`` role
(``GRANT SPARQL_UPDATE TO "SPARQL";`` in ``isql``). One update request is one transaction: the
``DROP SILENT GRAPH`` + ``INSERT DATA`` of ``Store.put_graph`` is applied whole or not at all.
Virtuoso has no LATERAL (the probe says so) and no loader or text index we use.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, ClassVar
from urllib.parse import urlencode

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.query import Result

from kg.backends import Capabilities, StoreSpec, first_line, register
from kg.backends.sparql import (
    NTRIPLES,
    TRANSPORT_ERRORS,
    Response,
    SparqlBackend,
    StoreUnreachable,
    _reason,
    _value,
)
from kg.errors import ConfigError, QueryError, StoreError
from kg.sparql import is_graph_query

SKOLEM = "urn:bnode:"
FORM = "application/x-www-form-urlencoded"
ASK_VAR = "__ASK_RETVAL"
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
EXCLUDE = "".join(
    f"define input:default-graph-exclude <{g}>\ndefine input:named-graph-exclude <{g}>\n" for g in SYSTEM_GRAPHS
)


@register
class VirtuosoBackend(SparqlBackend):
    """Virtuoso Open Source 7 reached over HTTP at its ``/sparql`` endpoint."""

    kinds: ClassVar[tuple[str, ...]] = ("virtuoso",)

    @classmethod
    def parse_spec(cls, kind: str, rest: str) -> StoreSpec:
        url = rest.strip()
        if not url.startswith(("http://", "https://")) or "," in url:
            raise ConfigError(f"store spec 'virtuoso:' needs the endpoint URL (http://HOST:8890/sparql), got {rest!r}")
        return StoreSpec("virtuoso", query_url=url, update_url=url)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(lateral=self.lateral_support(), graph_replace=True)

    def _post(self, text: str, accept: str, *, update: bool = False) -> Response:
        if update:
            return super()._post(text, accept, update=True)
        form = urlencode({"query": excluding(text)}).encode("ascii")
        try:
            response = self._client.post(self.query_url, form, {"Content-Type": FORM, "Accept": accept})
        except TimeoutError as exc:
            raise StoreError(f"Virtuoso did not answer within {self.timeout_s:g} s") from exc
        except TRANSPORT_ERRORS as exc:
            raise StoreUnreachable(f"Virtuoso unreachable: {first_line(exc)}") from exc
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL: {_reason(response)}")
        if response.status_code not in (200, 204):
            raise StoreError(f"Virtuoso error {response.status_code}: {_reason(response)}")
        return response

    # --- the write side: blank nodes become IRIs ----------------------------------------

    def update(self, text: str) -> None:
        if m := _DROP_ONE.fullmatch(text):  # Virtuoso's DROP GRAPH fails on a graph INSERT DATA made
            text = f"DROP SILENT GRAPH {m.group(1)}"
        super().update(skolemise(text))

    # --- the read side: those IRIs are blank nodes again --------------------------------

    def select(self, text: str) -> list[dict[str, Any]]:
        body = self._json(text)
        try:
            names = body["head"]["vars"]
            return [{n: _plain(row.get(n)) for n in names} for row in body["results"]["bindings"]]
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoreError(f"Virtuoso's answer is not SPARQL JSON results: {exc}") from exc

    def query(self, text: str) -> Result:
        if is_graph_query(text):
            response = self._post(text, NTRIPLES)
            graph = Graph()
            try:
                graph.parse(data=_unskolemise_nt(response.content).decode("utf-8"), format="nt")
            except Exception as exc:  # rdflib's parsers raise several unrelated types
                raise StoreError(f"Virtuoso's graph is not N-Triples: {first_line(exc)}") from exc
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        result = super().query(text)
        if [str(v) for v in result.vars or ()] == [ASK_VAR]:  # Virtuoso answers ASK as a one-column SELECT
            answer = Result("ASK")
            answer.askAnswer = any(
                str(row.get(Variable(ASK_VAR), "0")) not in ("0", "false") for row in result.bindings
            )
            return answer
        if result.type == "SELECT" and result.bindings:
            result.bindings = [{k: _term(v) for k, v in row.items()} for row in result.bindings]
        return result

    def construct(self, text: str, media_type: str) -> bytes | None:
        body = super().construct(text, media_type)
        if body is None or SKOLEM.encode() not in body:
            return body
        return _unskolemise_nt(body) if media_type == NTRIPLES else None  # rdflib writes the others


def excluding(query: str) -> str:
    """``query`` blind to Virtuoso's own graphs, unless it names a graph (``GRAPH <g>``, ``FROM``):
    Virtuoso 7.2 then finds nothing in that graph under the exclusion pragmas, and a query that
    names its graphs reads none of Virtuoso's."""
    return query if _NAMES_A_GRAPH.search(query) else EXCLUDE + query


def skolemise(update: str) -> str:
    """``update`` with every blank node ``_:x`` outside literals and IRIs as ``<urn:bnode:H_x>``,
    ``H`` a hash of the first graph it names (blank nodes are scoped to their graph)."""
    graph = _FIRST_GRAPH.search(update)
    scope = hashlib.sha1((graph.group(1) if graph else "").encode()).hexdigest()[:12]

    def swap(m: re.Match[str]) -> str:
        label = m.group(1)
        return m.group() if label is None else f"<{SKOLEM}{scope}_{label}>"

    return _TOKEN.sub(swap, update)


def _plain(binding: dict[str, Any] | None) -> Any:
    """A SPARQL JSON binding as ``Backend.select`` promises it; a skolem IRI as its blank node's label."""
    if binding is not None and binding["type"] == "uri" and binding["value"].startswith(SKOLEM):
        return binding["value"][len(SKOLEM) :]
    return _value(binding)


def _term(value: Any) -> Any:
    if isinstance(value, URIRef) and value.startswith(SKOLEM):
        return BNode(value[len(SKOLEM) :])
    return value


def _unskolemise_nt(body: bytes) -> bytes:
    return _SKOLEM_NT.sub(rb"_:\1", body)


# a literal, an IRI (kept as they are) or a blank node label (group 1)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|<[^<>"\s]*>|\b_:([A-Za-z0-9_]+)')
_DROP_ONE = re.compile(r"\s*DROP\s+GRAPH\s*(<[^<>\s]*>)\s*", re.I)
_NAMES_A_GRAPH = re.compile(r"\b(?:GRAPH|FROM(?:\s+NAMED)?)\s*(?:<|[A-Za-z_][\w.-]*:)", re.I)
_FIRST_GRAPH = re.compile(r"\bGRAPH\s*<([^<>\s]*)>", re.I)
_SKOLEM_NT = re.compile(rb"<" + re.escape(SKOLEM.encode()) + rb"([A-Za-z0-9_]+)>")

__all__ = [
    "EXCLUDE",
    "SKOLEM",
    "SYSTEM_GRAPHS",
    "VirtuosoBackend",
    "excluding",
    "skolemise",
]
