"""``/articles``: list, read, add (extract and store) and delete articles; and the read cache
that those writes invalidate.

Writes need ``Authorization: Bearer <KG_API_TOKEN>``; with no token configured they are disabled
(403). They are serialised by one lock per app, and every store call and the extraction run in
worker threads, so the event loop keeps serving reads. The spaCy pipeline is loaded, in a thread,
by the first write that needs it, then reused. A POST that fails stores nothing: the article's graph
is written in one atomic update only once extraction has succeeded.

The read endpoints keep their answers (the encoded bytes) in a ``ReadCache`` until the next write
through this API. It is on only when nothing else can write the store: an embedded Oxigraph store,
or the ``oxigraph serve`` child the app supervises; never in front of someone else's SPARQL server.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from api import reads
from api.bodies import read_body
from api.deps import SettingsDep, StoreDep
from api.encoded import model_json
from api.schemas import (
    ArticleIn,
    FromQuery,
    PageDep,
    ToQuery,
    error_responses,
)
from kg import facts
from kg.articles import SUFFIXES, Article, checked_text, from_json, load_json, parse_text
from kg.config import Settings
from kg.errors import ArticleError, NotFound
from kg.facts import ArticleSummary, Listing
from kg.mapping import article_iri
from kg.report import ArticleReport, article_report
from kg.store import Store

router = APIRouter(tags=["articles"])

JSON = "application/json"
MULTIPART = "multipart/form-data"
MEDIA_SUFFIXES = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}
_bearer = HTTPBearer(auto_error=False, description="The server's KG_API_TOKEN.")
_ID = r"^[0-9a-f]{4,16}$"


# --- the read cache ----------------------------------------------------------------------


@dataclass
class ReadCache:
    """Encoded answers of read endpoints, valid until the next write through this API."""

    enabled: bool
    maxsize: int = 1024
    max_body: int = 4 * 1024 * 1024
    generation: int = 0
    entries: OrderedDict[str, tuple[int, Response]] = field(default_factory=OrderedDict)

    def get(self, key: str) -> Response | None:
        entry = self.entries.get(key)
        if entry is None or entry[0] != self.generation:
            return None
        self.entries.move_to_end(key)
        cached = entry[1]
        return Response(cached.body, status_code=cached.status_code, headers=dict(cached.headers))

    def put(self, key: str, generation: int, response: Response) -> None:
        """Keep ``response``, computed from the store as it was at ``generation``."""
        if not self.enabled or generation != self.generation or len(response.body) > self.max_body:
            return
        self.entries[key] = (generation, response)
        self.entries.move_to_end(key)
        while len(self.entries) > self.maxsize:
            self.entries.popitem(last=False)

    def invalidate(self) -> None:
        self.generation += 1
        self.entries.clear()


def read_cache(request: Request) -> ReadCache:
    """The app's read cache (made on first use; on only if this app is the store's one writer)."""
    state = request.app.state
    cache = getattr(state, "read_cache", None)
    if cache is None:
        store = getattr(state, "store", None)
        backend = getattr(state, "queries", None)
        own = getattr(store, "native", None) is not None or getattr(backend, "remote", True) is False
        cache = state.read_cache = ReadCache(enabled=own)
    return cache  # type: ignore[no-any-return]


async def cached(
    request: Request, compute: Callable[[], Response], *, vary: str = "", on_loop: bool = False
) -> Response:
    """``compute()`` or its cached answer for this path, query and ``vary``. ``compute`` runs in a
    worker thread; with ``on_loop`` (a read of a few queries and little else) on the event loop if
    it can (``api.reads``)."""
    cache = read_cache(request)
    key = f"{request.url.path}?{request.url.query}#{vary}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    generation = cache.generation
    response = await reads.on_loop(request.app.state, compute) if on_loop else None
    if response is None:
        response = await anyio.to_thread.run_sync(compute)
    cache.put(key, generation, response)
    return response


def json_response(model: Any, data: Any, status: int = 200) -> Response:
    """``data`` (a ``kg.facts`` record or JSON-ready values) checked against the response model and
    encoded once (the bytes are what is cached; a list's items each once: ``api.encoded``)."""
    return Response(model_json(model, data), status_code=status, media_type="application/json")


async def cached_json(request: Request, model: Any, compute: Callable[[], Any], *, on_loop: bool = False) -> Response:
    """A read endpoint's JSON answer through the read cache (``on_loop``: as ``cached``)."""
    return await cached(request, lambda: json_response(model, compute()), on_loop=on_loop)


# --- writes: who, and one at a time ------------------------------------------------------


def require_token(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """403 when the server has no token (writes disabled), 401 when the request's is missing or wrong."""
    expected = settings.api_token
    if not expected:
        raise HTTPException(403, "writes are disabled: the server has no KG_API_TOKEN")
    given = credentials.credentials if credentials is not None else ""
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        detail = "missing bearer token" if not given else "wrong bearer token"
        raise HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="wwiikg"'})


WriteAccess = Depends(require_token)


def write_lock(request: Request) -> anyio.Lock:
    """The app's one write lock (made on first use: nothing awaits between the check and the set)."""
    state = request.app.state
    lock = getattr(state, "article_write_lock", None)
    if lock is None:
        lock = state.article_write_lock = anyio.Lock()
    return lock  # type: ignore[no-any-return]


WriteLock = Annotated[anyio.Lock, Depends(write_lock)]


def _warm_pipeline() -> None:
    from kg.gazetteer import load as load_gazetteer
    from kg.nlp import load_pipeline

    load_pipeline()
    load_gazetteer()


def _store_article(store: Store, article: Article) -> bool:
    """Extract and store ``article`` (replacing an earlier copy); True if it is new."""
    from kg.ingest import ingest_article

    existed = store.has_graph(article_iri(article))
    ingest_article(store, article)
    return not existed


def _fetch(url: str, settings: Settings) -> Article:
    from kg.fetch import Fetcher, fetch_article

    with Fetcher(settings.fetch_policy()) as fetcher:
        return fetch_article(fetcher, url)


# --- reading the request -----------------------------------------------------------------


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _from_json_body(body: bytes) -> Article | str:
    """The posted article, or the URL of the page to fetch it from (``{"url": ...}`` with no text)."""
    if not body.strip():
        raise HTTPException(400, "empty request body: send one article as a JSON object")
    try:
        obj = load_json(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not valid UTF-8") from None
    except ArticleError as exc:  # malformed, too deep, a number too long
        raise HTTPException(400, str(exc)) from None
    if not isinstance(obj, dict):
        raise ArticleError(f"expected one article as a JSON object, found {type(obj).__name__}")
    if "text" not in obj and isinstance(obj.get("url"), str):
        return checked_text(obj["url"], "url")
    return from_json(obj, source="request")


def _text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise HTTPException(415, "the uploaded file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the uploaded file is not valid UTF-8 (byte offset {exc.start})") from None


async def _from_upload(request: Request, body: bytes) -> Article:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=1, max_fields=20).parse()
    except MultiPartException as exc:
        raise HTTPException(400, f"malformed multipart body: {exc.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, "multipart body has no 'file' part: upload the article as file=@article.txt")
    suffix = PurePath(upload.filename or "").suffix.lower()
    if not suffix:
        media = (upload.content_type or "").split(";")[0].strip().lower()
        suffix = MEDIA_SUFFIXES.get(media, "")
    if suffix not in SUFFIXES:
        raise HTTPException(
            415, f"unsupported file type {suffix or upload.content_type or '(none)'!r}; use {', '.join(SUFFIXES)}"
        )
    data = await upload.read()
    if not data.strip():
        raise HTTPException(422, "the uploaded file is empty")
    articles = list(parse_text(_text(data), suffix, source=upload.filename))
    if len(articles) != 1:
        raise ArticleError(f"expected one article in the file, found {len(articles)}")
    return articles[0]


# --- routes ------------------------------------------------------------------------------


@router.get(
    "/articles",
    response_model=Listing[ArticleSummary],
    summary="Stored articles",
    responses=error_responses(422, 503),
)
async def list_articles(
    request: Request,
    store: StoreDep,
    page: PageDep,
    outlet: Annotated[str | None, Query(description="The outlet, whole, any case.")] = None,
    q: Annotated[str | None, Query(description="Part of the headline, any case.")] = None,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
) -> Any:
    """Each article's IRI, id, headline, URL, outlet and publication date."""
    call = partial(facts.articles, store, outlet=outlet, q=q, date_from=date_from, date_to=date_to, page=page)
    return await cached_json(request, Listing[ArticleSummary], call, on_loop=True)


def _resolve(store: Store, ref: str) -> Any:
    if len(ref) == 16:
        return article_iri(ref)
    return store.resolve_article(ref)


@router.get(
    "/articles/{id}",
    response_model=ArticleReport,
    summary="One article: metadata and every fact with its evidence",
    responses=error_responses(404, 503),
)
async def get_article(
    request: Request,
    store: StoreDep,
    id: Annotated[
        str,
        Path(
            description="The article id (16 hex digits, or a unique prefix of 4 or more).",
            examples=["e3a38632994e89d9"],
        ),
    ],
) -> Any:
    """The article's metadata, leaders (offices and mentions), events, casualty figures, quotations
    and indirect statements, read back from its graph."""
    if not re.fullmatch(_ID, id):
        raise NotFound(f"no article {id[:40]!r}")

    def work() -> ArticleReport:
        return article_report(store, _resolve(store, id))

    return await cached_json(request, ArticleReport, work)


ARTICLE_EXAMPLE = {
    "title": "Veterans march in Moscow",
    "text": "Russian President Vladimir Putin watched the Victory Day parade on Red Square on May 9.",
    "published": "2025-05-09",
    "url": "https://example.org/2025/05/09/veterans",
    "outlet": "Example Wire",
}
ARTICLE_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            JSON: {"schema": ArticleIn.model_json_schema(), "example": ARTICLE_EXAMPLE},
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": f"One article as {', '.join(SUFFIXES)} (UTF-8).",
                        }
                    },
                }
            },
        },
    }
}


@router.post(
    "/articles",
    response_model=ArticleReport,
    status_code=201,
    summary="Add one article: extract its facts and store them",
    dependencies=[WriteAccess],
    responses={
        200: {"model": ArticleReport, "description": "The same text was stored already; it was replaced."},
        201: {"description": "Stored as a new article (Location: /articles/{id})."},
        **error_responses(400, 401, 403, 413, 415, 422, 502, 503, 504),
    },
    openapi_extra=ARTICLE_BODY_DOC,
)
async def post_article(
    request: Request, response: Response, store: StoreDep, settings: SettingsDep, lock: WriteLock
) -> Any:
    """Send one article as JSON (``{"title", "text", "published", "url", "outlet"}``), or only
    ``{"url": ...}`` to fetch the page and read its article (text, title, outlet and date from the
    page), or upload a file as the multipart field ``file``. The answer is the article's facts as
    stored. The article id is a hash of its text, so posting the same text again replaces it (200)
    instead of adding (201). A page that cannot be fetched is 502 (504 on a timeout); a URL we will
    not fetch (robots.txt, a private address unless ``KG_ALLOW_PRIVATE``) is 422."""
    media = _media_type(request)
    if media not in (JSON, MULTIPART) and not media.endswith("+json"):
        raise HTTPException(415, f"POST /articles takes {JSON} or {MULTIPART} (field 'file'), not {media or 'none'}")
    body = await read_body(request, settings.max_upload_bytes, "KG_MAX_UPLOAD_BYTES")
    posted = await _from_upload(request, body) if media == MULTIPART else _from_json_body(body)
    # fetched before taking the write lock: a slow site must not hold up other writes
    article = posted if isinstance(posted, Article) else await anyio.to_thread.run_sync(_fetch, posted, settings)
    async with lock:
        await anyio.to_thread.run_sync(_warm_pipeline)
        try:
            created = await anyio.to_thread.run_sync(_store_article, store, article)
        finally:
            read_cache(request).invalidate()
        report = await anyio.to_thread.run_sync(article_report, store, article_iri(article))
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/articles/{article.id}"
    return report


@router.delete(
    "/articles/{id}",
    status_code=204,
    summary="Delete one article's graph",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 404, 503),
)
async def delete_article(
    request: Request,
    store: StoreDep,
    lock: WriteLock,
    id: Annotated[str, Path(description="The article id: all 16 hex digits.", examples=["e3a38632994e89d9"])],
) -> Response:
    """Remove the article's named graph and nothing else (shared entities stay described by other
    articles' graphs)."""
    if not re.fullmatch(r"[0-9a-f]{16}", id):
        raise NotFound(f"no article {id[:40]!r}")
    async with lock:
        try:
            await anyio.to_thread.run_sync(store.delete_graph, article_iri(id))
        finally:
            read_cache(request).invalidate()
    return Response(status_code=204)
