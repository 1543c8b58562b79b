"""``/sparql``: the SPARQL 1.1 Protocol, query operation only (read-only endpoint).

- ``GET /sparql?query=...``; ``POST`` with ``application/x-www-form-urlencoded`` (``query=``) or
  ``application/sparql-query`` (the query is the body); optional ``default-graph-uri`` /
  ``named-graph-uri`` (repeatable; each must name a graph the store holds), ``format=`` and
  ``timeout=`` (seconds; lowers the time limit, never raises it).
- Results are content-negotiated (``api.negotiation``) and serialised by Oxigraph itself.
- What is refused before anything runs, and why, is ``api.guard``: nesting deeper than
  ``MAX_DEPTH`` (400), updates (403), LOAD and SERVICE (400), text over ``KG_MAX_QUERY_BYTES`` (413),
  FROM / FROM NAMED / dataset parameters naming graphs the store does not hold (400).
- Where the query then runs is ``request.app.state.queries`` (``api.proxy``): on an ``oxigraph:``
  store a supervised ``oxigraph serve`` child. Limits, enforced there:
  - **time**: ``KG_QUERY_TIMEOUT`` (default 30 s) or a lower ``timeout=``; past it the answer is
    503 in the JSON error shape, and the engine is restarted to stop the query.
  - **rows**: at most ``KG_MAX_RESULTS`` (default 10,000) rows, or triples for CONSTRUCT/DESCRIBE.
    A longer answer is cut to its first N rows, still well-formed, and carries the header
    ``X-SPARQL-MaxRows: N`` (Virtuoso's convention); an answer without that header is complete.
  - an answer the engine could not finish is never sent as a 200 (503 instead).
- ``GET /sparql`` without a query answers a service description (RDF, e.g. ``Accept: text/turtle``)
  or, for a browser, the query page: YASGUI (vendored in ``api/static/yasgui``) pointed at this
  endpoint, with the example questions of ``api/static/examples/*.rq`` one click away.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.bodies import read_body
from api.errors import http_error_handler, kg_error_handler, unhandled_error_handler
from api.guard import QUERY_FORMS, parse_failure, screen, update_refused
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
from api.proxy import Job, QueryBackend
from kg.backends.oxigraph import absolute_iri
from kg.config import Settings
from kg.errors import KGError, QueryError

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
UTF8_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
CACHE_PAIRS_BYTES = 8192
PREPARED_JOBS = 256
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
EXAMPLES_DIR = STATIC_DIR / "examples"

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
    {
        "name": "timeout",
        "in": "query",
        "required": False,
        "schema": {"type": "number", "exclusiveMinimum": 0},
        "description": "Time limit in seconds for this query; lowers KG_QUERY_TIMEOUT, never raises it.",
    },
]
_RESPONSES_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results in the negotiated format; at most KG_MAX_RESULTS rows, and the header "
        f"{MAX_ROWS_HEADER}: N when they were cut to the first N",
        "content": {f.media_type: {} for f in ALL_FORMATS},
    },
    400: {"description": "Missing, malformed, too deeply nested, or refused (SERVICE, LOAD, unknown graph) query"},
    403: {"description": "SPARQL Update sent to the query endpoint"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query larger than KG_MAX_QUERY_BYTES"},
    415: {"description": "POST body neither form-encoded nor application/sparql-query"},
    503: {"description": "Query ran past its time limit, or the query engine failed or is restarting"},
}


# --- request parsing ---------------------------------------------------------------------


def parse_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs, decoded as strict UTF-8 (400 otherwise)."""
    if len(raw) <= CACHE_PAIRS_BYTES:
        return list(_cached_pairs(raw, where))
    return list(_pairs(raw, where))


@functools.lru_cache(maxsize=512)  # clients repeat their queries: decode each text once
def _cached_pairs(raw: bytes, where: str) -> tuple[tuple[str, str], ...]:
    return _pairs(raw, where)


def _pairs(raw: bytes, where: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        try:
            pairs.append((unquote_form(name).decode("utf-8"), unquote_form(value).decode("utf-8")))
        except UnicodeDecodeError:
            raise HTTPException(400, f"the {where} is not valid UTF-8") from None
    return tuple(pairs)


def unquote_form(raw: bytes) -> bytes:
    """Form decoding (``+`` and ``%XX``), as ``urllib.parse.unquote_to_bytes`` does, at C speed.

    ``%XX`` is rewritten ``\\xXX`` (after doubling every backslash) for ``codecs.escape_decode``:
    10 us instead of 80 us for a 1 KB query; text with a malformed ``%`` goes to urllib.
    """
    data = raw.replace(b"+", b" ")
    if b"%" not in data:
        return data
    try:
        return bytes(codecs.escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0])
    except ValueError:
        return unquote_to_bytes(data)


@dataclass
class ProtocolRequest:
    """The protocol parameters of one request, whichever way they came."""

    query: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None
    timeout: str | None = None

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]], *, query: str | None = None) -> ProtocolRequest:
        queries = [v for k, v in pairs if k == "query"]
        if query is None and not queries and any(k == "update" for k, _ in pairs):
            raise update_refused("")
        if query is None:
            if len(queries) > 1:
                raise HTTPException(400, "give exactly one query parameter")
            query = queries[0] if queries else None
        formats = [v for k, v in pairs if k == "format" and v.strip()]
        timeouts = [v for k, v in pairs if k == "timeout" and v.strip()]
        return cls(
            query=query,
            default_graphs=[v for k, v in pairs if k == "default-graph-uri"],
            named_graphs=[v for k, v in pairs if k == "named-graph-uri"],
            format=formats[0] if formats else None,
            timeout=timeouts[0] if timeouts else None,
        )


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


def time_limit(value: str | None, ceiling: float) -> float:
    """The time limit of one query: ``timeout=`` seconds if given and lower, else ``ceiling``."""
    if value is None:
        return ceiling
    try:
        seconds = float(value)
    except ValueError:
        raise HTTPException(400, f"timeout={value!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise HTTPException(400, "timeout must be a positive number of seconds")
    return min(seconds, ceiling)


def _absolute(iri: str) -> str:
    try:
        return absolute_iri(iri)
    except ValueError:
        raise QueryError(f"not an absolute IRI: {iri!r}") from None


async def prepare(
    request: Request, settings: Settings, req: ProtocolRequest, accept: str | None
) -> tuple[Job, float, bool]:
    """The job for one request, its deadline, and whether the job was made from the request alone
    (no graph or parser asked of the store), so the same request may reuse it."""
    text = req.query or ""
    if len(text.encode("utf-8")) > settings.max_query_bytes:
        raise HTTPException(413, f"the query is larger than {settings.max_query_bytes} bytes")
    if not text.strip():
        raise HTTPException(400, "missing query: give a SPARQL query as query= or as an application/sparql-query body")
    limit_s = time_limit(req.timeout, settings.query_timeout)
    deadline = asyncio.get_running_loop().time() + limit_s
    chooser = Chooser(accept, req.format)
    chooser.precheck()
    screened = screen(text)  # nesting, updates, LOAD, relative IRIs: before any parser sees the text
    backend: QueryBackend = request.app.state.queries
    if backend.remote and (req.default_graphs or req.named_graphs):
        raise QueryError("default-graph-uri and named-graph-uri are not supported with a remote (sparql:) store yet")
    if screened.service_probe is not None:
        message = await backend.parse_error(screened.service_probe, deadline, limit_s)
        if message is not None:
            raise parse_failure(text, message, service_suspect=True)
    if screened.form not in QUERY_FORMS:
        message = await backend.parse_error(text, deadline, limit_s)
        raise parse_failure(text, message or "expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")
    # the protocol's dataset replaces the query's FROM / FROM NAMED; either must name graphs we hold
    if req.default_graphs or req.named_graphs:
        default, named = tuple(req.default_graphs), tuple(req.named_graphs)
    else:
        default, named = screened.default_graphs, screened.named_graphs
    wanted = list(dict.fromkeys(_absolute(iri) for iri in (*default, *named)))
    if wanted:
        held = await backend.graphs_held(wanted, deadline)
        for iri in wanted:
            if iri not in held:
                raise QueryError(f"no graph <{iri}> in this store")
    job = Job(
        text,
        chooser.choose(screened.kind),
        boolean=screened.form == "ASK",
        default_graphs=() if backend.remote else tuple(default),
        named_graphs=() if backend.remote else tuple(named),
        max_rows=settings.max_results,
        limit_s=limit_s,
    )
    return job, deadline, screened.service_probe is None and not wanted


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


@dataclass(frozen=True)
class Example:
    """One example query of the query page: ``api/static/examples/<name>.rq``."""

    name: str
    title: str
    query: str


@functools.cache
def examples() -> tuple[Example, ...]:
    """The example queries, in file-name order; the title is the first comment line."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("# ").rstrip(".") if first.startswith("#") else path.stem
        found.append(Example(path.stem, title, text))
    return tuple(found)


def query_page(request: Request) -> str:
    """YASGUI pointed at this endpoint, the example questions beside it, a plain form without JavaScript."""
    action = request.url_for("sparql").path

    def static(path: str) -> str:
        return html.escape(request.url_for("static", path=path).path)

    items = "".join(
        f'<li><button type="button" data-example="{i}" title="Run this query">{html.escape(ex.title)}</button>'
        f'<a href="{static(f"examples/{ex.name}.rq")}" title="The query as a file">{html.escape(ex.name)}.rq</a></li>'
        for i, ex in enumerate(examples())
    )
    config = {
        "endpoint": action,
        "prefixes": request.url_for("static", path="prefixes.json").path,
        "examples": [{"title": ex.title, "query": ex.query} for ex in examples()],
    }
    # inside <script>, "</" would end the element: JSON escapes it as "<\/"
    config_json = json.dumps(config).replace("</", "<\\/")
    first = examples()[0].query if examples() else ""
    options = "".join(f'<option value="{html.escape(f.names[0])}">{html.escape(f.label)}</option>' for f in ALL_FORMATS)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL endpoint: WWII commemoration knowledge graph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static("yasgui/yasgui.min.css")}">
<link rel="stylesheet" href="{static("sparql.css")}">
</head>
<body>
<header>
<h1>SPARQL endpoint: WWII commemoration knowledge graph</h1>
<p>Read-only SPARQL 1.1 over news about the memory of World War II. The default graph is the union of
every article graph; <code>GRAPH ?article</code> tells which article said what.
Each query may run {request.app.state.settings.query_timeout:g} s (<code>timeout=</code> lowers it) and
returns at most {request.app.state.settings.max_results:,} rows (a cut answer carries
<code>{MAX_ROWS_HEADER}</code>). The JSON API is documented at <a href="/docs">/docs</a>.</p>
</header>
<div class="layout">
<nav class="examples" aria-label="Example questions">
<h2>Questions researchers ask</h2>
<ol>{items}</ol>
</nav>
<main id="yasgui"></main>
</div>
<noscript>
<form method="post" action="{html.escape(action)}" enctype="{FORM}">
<textarea name="query" rows="16" spellcheck="false">{html.escape(first)}</textarea>
<p><label>Results as <select name="format"><option value="">negotiated</option>{options}</select></label>
<button type="submit">Run query</button></p>
</form>
</noscript>
<script type="application/json" id="sparql-config">{config_json}</script>
<script src="{static("yasgui/yasgui.min.js")}"></script>
<script src="{static("sparql.js")}"></script>
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
        return HTMLResponse(query_page(request), headers={"Vary": "Accept"})
    if fmt is not None:
        body = service_description(endpoint).serialize(format=fmt.rdflib, encoding="utf-8")
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
    raise HTTPException(400, "missing query: give a SPARQL query as query= or as an application/sparql-query body")


# --- routes ------------------------------------------------------------------------------


async def request_job(request: Request) -> tuple[Job, float, bool] | None:
    """``prepare`` for a /sparql GET or POST; None for a GET without a query (page or service description)."""
    settings: Settings = request.app.state.settings
    if request.method == "GET":
        raw = request.scope.get("query_string", b"")
        if len(raw) > 3 * settings.max_query_bytes + 4096:
            raise HTTPException(413, f"the query is larger than {settings.max_query_bytes} bytes")
        req = ProtocolRequest.from_pairs(parse_pairs(raw, "query string"))
        if req.query is None:
            return None
        return await prepare(request, settings, req, request.headers.get("accept"))
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
    return await prepare(request, settings, req, request.headers.get("accept"))


async def query_response(request: Request) -> Response | None:
    """The answer to a /sparql GET or POST; None for a GET without a query (page or service description)."""
    planned = await request_job(request)
    if planned is None:
        return None
    job, deadline, _ = planned
    backend: QueryBackend = request.app.state.queries
    result = await backend.run(job, deadline)
    headers = {"Vary": "Accept"}
    if result.capped:
        headers[MAX_ROWS_HEADER] = str(request.app.state.settings.max_results)
    return Response(result.body, media_type=result.media_type, headers=headers)


@router.get(
    "/sparql",
    name="sparql",
    summary="SPARQL query (GET)",
    response_class=Response,
    responses=_RESPONSES_DOC,
    openapi_extra={"parameters": _PARAMS_DOC},
)
async def sparql_get(request: Request) -> Response:
    """Run ``query``; without one, a service description (RDF Accept) or a query form (HTML)."""
    response = await query_response(request)
    if response is None:
        return describe_or_refuse(
            request, ProtocolRequest.from_pairs(parse_pairs(request.scope["query_string"], "query string"))
        )
    return response


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
async def sparql_post(request: Request) -> Response:
    """Run the query in the form field ``query`` or in the ``application/sparql-query`` body."""
    response = await query_response(request)
    assert response is not None
    return response


@functools.cache
def _content_type(media_type: str) -> bytes:
    """The Content-Type Starlette's ``Response`` would send for ``media_type``."""
    charset = "; charset=utf-8" if media_type.startswith("text/") and "charset=" not in media_type.lower() else ""
    return f"{media_type}{charset}".encode("latin-1")


class SparqlFastPath:
    """ASGI middleware that answers /sparql queries itself, outside every other layer of the app.

    The routes above answer the same way (both run ``request_job``'s job) and document the
    endpoint; this is the outermost layer of the app (``api.main.App``), and ``api.protocol``
    calls it straight from the HTTP protocol (``handle``), so a query skips uvicorn's proxy-header
    middleware, FastAPI's telemetry check (while telemetry is off), the router's matching and
    dependency machinery and the middleware the JSON routes need (error pages, body limits, CORS).
    A GET whose query string and ``Accept`` it has answered before reuses that request's job (at
    most ``PREPARED_JOBS``, and only jobs made from the request alone: not when a graph had to be
    looked up or the parser asked), so a repeated query goes straight to the engine; the answer is
    sent as two ASGI messages, without a ``Response`` object. What the skipped layers would do to
    its answer it does itself: errors get the app's JSON shape from the same handlers
    (``api.errors``), an unexpected one the 500 after which it is raised again for the server's
    log, as Starlette's ``ServerErrorMiddleware`` does; CORS headers as ``CORSMiddleware`` with
    every origin allowed adds them (``cors``: ``Access-Control-Allow-Origin: *`` and the exposed
    headers when the request has an ``Origin``, and ``Origin`` in ``Vary``). A GET without a query
    (the page, the service description) and every other method (a CORS preflight) go on to the app.
    """

    def __init__(self, app: ASGIApp, path: str = "/sparql", cors: dict[str, str] | None = None) -> None:
        self.app = app
        self.path = path
        self.cors = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (cors or {}).items()]
        self._jobs: dict[tuple[bytes, bytes | None], tuple[QueryBackend, Job]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.handle(scope, receive, send, self.app)

    async def handle(self, scope: Scope, receive: Receive, send: Send, otherwise: ASGIApp) -> None:
        """Answer a /sparql query, or pass the request to ``otherwise``."""
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "POST")
            and scope["path"] == self.path
            and await self._answer(scope, receive, send)
        ):
            return
        await otherwise(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> bool:
        accept: bytes | None = None
        origin = False
        for name, value in scope["headers"]:
            if name == b"accept":
                if accept is None:
                    accept = value
            elif name == b"origin":
                origin = True
        request: Request | None = None
        try:
            state = scope["app"].state
            backend: QueryBackend = state.queries
            key = (scope["query_string"], accept) if scope["method"] == "GET" else None
            prepared = self._jobs.get(key) if key is not None else None
            if prepared is not None and prepared[0] is backend:
                job = prepared[1]
                deadline = asyncio.get_running_loop().time() + job.limit_s
            else:
                request = Request(scope, receive)
                planned = await request_job(request)
                if planned is None:
                    return False
                job, deadline, reusable = planned
                if reusable and key is not None and len(key[0]) <= CACHE_PAIRS_BYTES:
                    if len(self._jobs) >= PREPARED_JOBS:
                        del self._jobs[next(iter(self._jobs))]  # the oldest
                    self._jobs[key] = (backend, job)
            result = await backend.run(job, deadline)
        except StarletteHTTPException as exc:
            request = request or Request(scope, receive)
            await self._send(await http_error_handler(request, exc), scope, receive, send)
        except KGError as exc:
            request = request or Request(scope, receive)
            await self._send(await kg_error_handler(request, exc), scope, receive, send)
        except Exception as exc:  # what ServerErrorMiddleware would do: the JSON 500, then re-raise
            request = request or Request(scope, receive)
            await self._send(await unhandled_error_handler(request, exc), scope, receive, send)
            raise
        else:
            headers = [
                (b"content-type", _content_type(result.media_type)),
                (b"content-length", b"%d" % len(result.body)),
                (b"vary", b"Accept, Origin"),
            ]
            if result.capped:
                headers.append((MAX_ROWS_HEADER.lower().encode("latin-1"), b"%d" % state.settings.max_results))
            if origin:
                headers.extend(self.cors)
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": result.body})
        return True

    async def _send(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        vary = response.headers.get("vary")
        response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
        if self.cors and any(name == b"origin" for name, _ in scope["headers"]):
            response.raw_headers.extend(self.cors)
        await response(scope, receive, send)


__all__ = [
    "MAX_ROWS_HEADER",
    "STATIC_DIR",
    "SparqlFastPath",
    "examples",
    "query_response",
    "request_job",
    "router",
    "time_limit",
]
