"""``/sparql``: the SPARQL 1.1 Protocol, query operation only (read-only endpoint).

- ``GET /sparql?query=...``; ``POST`` with ``application/x-www-form-urlencoded`` (``query=``) or
  ``application/sparql-query`` (the query is the body); optional ``default-graph-uri`` /
  ``named-graph-uri`` (repeatable; each must name a graph the store holds) and ``format=``.
- Results are content-negotiated (``api.negotiation``). On the Oxigraph backends the query runs on
  the native ``pyoxigraph.Store`` with the union of all graphs as default graph and is serialised by
  Oxigraph itself; on the ``sparql:`` backend it goes through ``Store.query`` and rdflib.
- Parsing, execution and serialisation run in a worker thread, abandoned (answer 503) after
  ``settings.query_timeout`` seconds. Updates are refused (403); SERVICE and LOAD (400) are
  refused before anything runs (``api.guard``).
- ``GET /sparql`` without a query answers a service description (RDF, e.g. ``Accept: text/turtle``)
  or a small query form (``Accept: text/html``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
import anyio.to_thread
import pyoxigraph
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.query import Result

from api.deps import SettingsDep, StoreDep
from api.guard import first_line, parse_failure, probe, vet
from api.negotiation import (
    ALL_FORMATS,
    GRAPH_FORMATS,
    HTML_PAGE,
    RESULT_FORMATS,
    Format,
    by_name,
    listing,
    negotiate,
)
from kg.config import Settings
from kg.errors import QueryError, StoreError
from kg.store import Store

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
UTF8_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
EXAMPLE_QUERY = """PREFIX wwii: <https://w3id.org/wwiikg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?label ?date WHERE {
  ?event a wwii:Event ; rdfs:label ?label .
  OPTIONAL { ?event wwii:date ?date }
}
ORDER BY ?date
LIMIT 25
"""

_PARAMS_DOC: list[dict[str, Any]] = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE).",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "description": "Graph(s) to use as the default graph (must exist); default: the union of all graphs.",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "description": "Graph(s) visible to GRAPH (must exist); default: every graph.",
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Overrides Accept: json, xml, csv, tsv, turtle, nt, rdfxml, jsonld, or a media type.",
    },
]
_RESPONSES_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "Query results in the negotiated format", "content": {f.media_type: {} for f in ALL_FORMATS}},
    400: {"description": "Missing, malformed, or refused (SERVICE, LOAD) query"},
    403: {"description": "SPARQL Update sent to the query endpoint"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query larger than KG_MAX_QUERY_BYTES"},
    415: {"description": "POST body neither form-encoded nor application/sparql-query"},
    503: {"description": "Store unavailable or query timed out"},
}


# --- request parsing ---------------------------------------------------------------------


def parse_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs, decoded as strict UTF-8 (400 otherwise)."""
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        try:
            pairs.append(
                (
                    unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8"),
                    unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
                )
            )
        except UnicodeDecodeError:
            raise HTTPException(400, f"the {where} is not valid UTF-8") from None
    return pairs


@dataclass
class ProtocolRequest:
    """The protocol parameters of one request, whichever way they came."""

    query: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]], *, query: str | None = None) -> ProtocolRequest:
        queries = [v for k, v in pairs if k == "query"]
        if query is None:
            if len(queries) > 1:
                raise HTTPException(400, "give exactly one query parameter")
            query = queries[0] if queries else None
        formats = [v for k, v in pairs if k == "format" and v.strip()]
        return cls(
            query=query,
            default_graphs=[v for k, v in pairs if k == "default-graph-uri"],
            named_graphs=[v for k, v in pairs if k == "named-graph-uri"],
            format=formats[0] if formats else None,
        )


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it exceeds ``limit`` bytes."""
    too_large = HTTPException(413, f"the request body is larger than {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def content_type(request: Request) -> tuple[str, str | None]:
    media, *params = (p.strip() for p in request.headers.get("content-type", "").split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


# --- negotiation -------------------------------------------------------------------------


def _form_name(kind: str) -> str:
    return "SELECT/ASK results" if kind == "results" else "CONSTRUCT/DESCRIBE graphs"


@dataclass(frozen=True)
class Chooser:
    """Picks the answer's format from ``format=`` or ``Accept`` once the query form is known."""

    accept: str | None
    format: str | None

    def precheck(self) -> None:
        """406 before running anything when no format at all would do."""
        if self.format is not None:
            if by_name(self.format, ALL_FORMATS) is None:
                raise HTTPException(406, f"unknown format={self.format!r}; use one of {listing(ALL_FORMATS)}")
        elif negotiate(self.accept, ALL_FORMATS) is None:
            available = listing(ALL_FORMATS)
            raise HTTPException(406, f"no result format matches Accept: {self.accept}; available: {available}")

    def choose(self, kind: str) -> Format:
        candidates = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
        if self.format is not None:
            fmt = by_name(self.format, candidates)
            if fmt is None:
                raise HTTPException(
                    406, f"format={self.format!r} cannot express {_form_name(kind)}; use one of {listing(candidates)}"
                )
            return fmt
        fmt = negotiate(self.accept, candidates)
        if fmt is None:
            raise HTTPException(
                406, f"Accept: {self.accept} matches no format for {_form_name(kind)}; available: {listing(candidates)}"
            )
        return fmt


# --- execution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str


def _check_dataset(store: Store, req: ProtocolRequest) -> None:
    """400 unless every default-graph-uri / named-graph-uri names a graph the store holds."""
    for iri in (*req.default_graphs, *req.named_graphs):
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError:
            raise QueryError(f"not an absolute IRI: {iri!r}") from None
        if not store.has_graph(URIRef(iri)):
            raise QueryError(f"no graph <{iri}> in this store")


def run_native(native: Any, text: str, req: ProtocolRequest, chooser: Chooser) -> Answer:
    """Oxigraph backends: native query over the union of all graphs, native serialisation."""
    vet(text)
    kwargs: dict[str, Any] = {}
    if req.default_graphs:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in req.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if req.named_graphs:
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in req.named_graphs]
    try:
        result = native.query(text, **kwargs)
    except SyntaxError as exc:
        raise parse_failure(text, exc) from exc
    except OSError as exc:
        raise StoreError(f"query failed: {first_line(exc)}") from exc
    kind = "graph" if isinstance(result, pyoxigraph.QueryTriples) else "results"
    fmt = chooser.choose(kind)
    target = pyoxigraph.RdfFormat if kind == "graph" else pyoxigraph.QueryResultsFormat
    try:
        body = result.serialize(format=getattr(target, fmt.oxigraph))  # evaluation happens here
    except OSError as exc:
        raise StoreError(f"query failed: {first_line(exc)}") from exc
    except (ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {first_line(exc)}") from exc
    return Answer(body, fmt.media_type)


def run_remote(store: Store, text: str, req: ProtocolRequest, chooser: Chooser) -> Answer:
    """``sparql:`` backend: vetted and classified locally, run by the server through ``Store.query``."""
    vet(text)
    try:
        probe(text)  # an update or bad syntax never reaches the server
    except SyntaxError as exc:
        raise parse_failure(text, exc) from exc
    result = store.query(text)
    kind = "graph" if result.type in ("CONSTRUCT", "DESCRIBE") else "results"
    fmt = chooser.choose(kind)
    return Answer(serialize_rdflib(result, fmt), fmt.media_type)


def serialize_rdflib(result: Result, fmt: Format) -> bytes:
    if fmt.kind == "graph":
        assert result.graph is not None
        return result.graph.serialize(format=fmt.rdflib, encoding="utf-8")
    if result.type == "ASK" and fmt.key in ("csv", "tsv"):
        return b"true" if result.askAnswer else b"false"
    if fmt.key == "tsv":
        return _tsv(result)
    out = result.serialize(format=fmt.rdflib, encoding="utf-8")
    assert out is not None
    return out


def _tsv(result: Result) -> bytes:
    """SPARQL 1.1 TSV results (rdflib has no TSV serializer)."""
    names = [str(v) for v in result.vars or []]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in result:
        lines.append("\t".join(_tsv_term(row[i]) for i in range(len(names))))  # type: ignore[index]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


async def _in_thread(fn: Callable[[], Answer], timeout: float) -> Answer:
    with anyio.move_on_after(timeout) as scope:
        return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    assert scope.cancelled_caught
    raise HTTPException(503, f"the query ran longer than {timeout:g} s and was abandoned; narrow it or add a LIMIT")


async def answer(store: Store, settings: Settings, req: ProtocolRequest, accept: str | None) -> Response:
    text = req.query or ""
    if len(text.encode("utf-8")) > settings.max_query_bytes:
        raise HTTPException(413, f"the query is larger than {settings.max_query_bytes} bytes")
    if not text.strip():
        raise HTTPException(400, "missing query: give a SPARQL query as query= or as an application/sparql-query body")
    chooser = Chooser(accept, req.format)
    chooser.precheck()
    native = store.native
    if native is None and (req.default_graphs or req.named_graphs):
        raise QueryError("default-graph-uri and named-graph-uri are not supported with a remote (sparql:) store yet")

    def work() -> Answer:
        _check_dataset(store, req)
        if native is not None:
            return run_native(native, text, req, chooser)
        return run_remote(store, text, req, chooser)

    result = await _in_thread(work, settings.query_timeout)
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


# --- service description and query page ---------------------------------------------------


def service_description(endpoint: str) -> Graph:
    """An ``sd:Service`` describing this endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("dcterms", DCTERMS)
    svc = BNode()
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, URIRef(endpoint)))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    g.add((svc, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for fmt in ALL_FORMATS:
        g.add((svc, SD.resultFormat, URIRef(fmt.iri)))
    g.add((svc, DCTERMS.title, Literal("WWII commemoration knowledge graph: SPARQL endpoint")))
    return g


def query_page(action: str) -> str:
    options = "".join(f'<option value="{html.escape(f.names[0])}">{html.escape(f.label)}</option>' for f in ALL_FORMATS)
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>SPARQL endpoint: WWII commemoration knowledge graph</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;font-family:monospace}}</style></head>
<body>
<h1>SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 queries over the WWII commemoration knowledge graph. The default graph is the
union of every article graph. API documentation: <a href="/docs">/docs</a>.</p>
<form method="post" action="{html.escape(action)}" enctype="{FORM}">
<textarea name="query" rows="16" spellcheck="false">{html.escape(EXAMPLE_QUERY)}</textarea>
<p><label>Results as <select name="format"><option value="">negotiated</option>{options}</select></label>
<button type="submit">Run query</button></p>
</form>
</body>
</html>
"""


def describe_or_refuse(request: Request, req: ProtocolRequest) -> Response:
    """No query: an HTML form or a service description if asked for by name, else 400."""
    accept = request.headers.get("accept")
    endpoint = str(request.url_for("sparql"))
    if req.format is not None:
        fmt = by_name(req.format, (HTML_PAGE, *GRAPH_FORMATS))
    else:
        # only canonical types: a JSON client that forgot the query gets a 400, not JSON-LD
        fmt = negotiate(accept, (HTML_PAGE, *GRAPH_FORMATS), explicit_only=True, aliases=False)
    if fmt is HTML_PAGE:
        return HTMLResponse(query_page(request.url_for("sparql").path), headers={"Vary": "Accept"})
    if fmt is not None:
        body = service_description(endpoint).serialize(format=fmt.rdflib, encoding="utf-8")
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
    raise HTTPException(400, "missing query: give a SPARQL query as query= or as an application/sparql-query body")


# --- routes ------------------------------------------------------------------------------


@router.get(
    "/sparql",
    name="sparql",
    summary="SPARQL query (GET)",
    response_class=Response,
    responses=_RESPONSES_DOC,
    openapi_extra={"parameters": _PARAMS_DOC},
)
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Run ``query``; without one, a service description (RDF Accept) or a query form (HTML)."""
    raw = request.scope.get("query_string", b"")
    if len(raw) > 3 * settings.max_query_bytes + 4096:
        raise HTTPException(413, f"the query is larger than {settings.max_query_bytes} bytes")
    req = ProtocolRequest.from_pairs(parse_pairs(raw, "query string"))
    if req.query is None:
        return describe_or_refuse(request, req)
    return await answer(store, settings, req, request.headers.get("accept"))


@router.post(
    "/sparql",
    summary="SPARQL query (POST form or application/sparql-query)",
    response_class=Response,
    responses=_RESPONSES_DOC,
    openapi_extra={
        "parameters": _PARAMS_DOC[1:],
        "requestBody": {
            "required": True,
            "content": {
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                SPARQL_QUERY: {"schema": {"type": "string"}},
            },
        },
    },
)
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Run the query in the form field ``query`` or in the ``application/sparql-query`` body."""
    media, charset = content_type(request)
    if media not in (FORM, SPARQL_QUERY):
        raise HTTPException(415, f"POST /sparql takes {FORM} or {SPARQL_QUERY}, not {media or 'no Content-Type'}")
    if charset is not None and charset not in UTF8_CHARSETS:
        raise HTTPException(415, f"queries must be UTF-8, not charset={charset}")
    url_pairs = parse_pairs(request.scope.get("query_string", b""), "query string")
    if media == FORM:
        body = await read_body(request, 3 * settings.max_query_bytes + 4096)
        form = parse_pairs(body, "request body")
        req = ProtocolRequest.from_pairs(form + [(k, v) for k, v in url_pairs if k != "query"])
    else:
        body = await read_body(request, settings.max_query_bytes)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(400, "the request body is not valid UTF-8") from None
        req = ProtocolRequest.from_pairs([(k, v) for k, v in url_pairs if k != "query"], query=text)
    return await answer(store, settings, req, request.headers.get("accept"))


__all__ = ["router"]
