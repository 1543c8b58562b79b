"""One JSON shape for every error the API returns, and the handlers that produce it.

Every error body is ``{"error": {"status": 404, "title": "Not Found", "detail": "..."}}``:

- library errors (``kg.errors.KGError`` and subclasses) go through ONE handler, which picks the
  status from ``STATUS_BY_ERROR`` by walking the exception's MRO (most specific class wins);
- HTTP-level refusals (404/405 from routing, and the 400/406/413/415 that the SPARQL protocol
  raises as ``HTTPException``) keep their status and headers (e.g. ``Allow``);
- request validation failures are 422 with one line per invalid field;
- anything else is a 500 whose body says nothing about the traceback (the server log has it).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.schemas import DATE_PATTERN
from kg.errors import (
    ArticleError,
    ClusterError,
    ConfigError,
    EmptyArticle,
    FeedError,
    FetchError,
    FetchRefused,
    FetchTimeout,
    InvalidText,
    KGError,
    NotFound,
    QueryError,
    QueryRefused,
    StoreError,
    StoreLocked,
    StoreUnwritable,
    UnstorableGraph,
    UnsupportedFormat,
    ValidationFailed,
    WarcError,
)

STATUS_BY_ERROR: dict[type[KGError], int] = {
    KGError: 500,
    ArticleError: 422,
    UnsupportedFormat: 415,
    EmptyArticle: 422,
    InvalidText: 422,
    FeedError: 422,
    WarcError: 422,
    FetchError: 502,
    FetchTimeout: 504,
    FetchRefused: 422,
    StoreError: 503,
    StoreLocked: 503,
    StoreUnwritable: 503,
    UnstorableGraph: 422,
    NotFound: 404,
    QueryError: 400,
    QueryRefused: 403,
    ValidationFailed: 422,
    ConfigError: 400,
    ClusterError: 503,  # the API never uses a cluster; mapped so that every library error has a status
}


PATTERN_HINTS = {DATE_PATTERN: "use YYYY, YYYY-MM or YYYY-MM-DD"}


def status_for(exc: KGError) -> int:
    """The HTTP status of a library error: that of its most specific class in ``STATUS_BY_ERROR``."""
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]  # type: ignore[index]
    return 500


def title_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, detail: str) -> dict[str, dict[str, object]]:
    return {"error": {"status": status, "title": title_for(status), "detail": detail}}


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, detail), status_code=status, headers=headers)


async def kg_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KGError)
    status = status_for(exc)
    return error_response(status, str(exc) or title_for(status))


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this path (Starlette's 405 names only the first route's)."""
    routes = request.app.router.routes
    return [
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else title_for(exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (methods := allowed_methods(request)):
        headers["Allow"] = ", ".join(methods)
    return error_response(exc.status_code, detail, headers=headers)


def _message(err: Mapping[str, Any]) -> str:
    """What was wrong with one field, in words: a pattern is named by the forms it accepts, never shown."""
    ctx = err.get("ctx") or {}
    if err.get("type") == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_HINTS:
        return f"{err.get('input')!r} is not a date: {PATTERN_HINTS[ctx['pattern']]}"
    return str(err.get("msg", "invalid"))


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lines = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err.get("loc", ()))
        lines.append(f"{where}: {_message(err)}" if where else _message(err))
    return error_response(422, "; ".join(lines) or "invalid request")


async def unhandled_error_handler(request: Request, exc: Exception) -> JSONResponse:
    # Starlette's ServerErrorMiddleware re-raises after this response, so the server logs the traceback.
    return error_response(500, "internal server error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KGError, kg_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(Exception, unhandled_error_handler)


__all__ = ["STATUS_BY_ERROR", "error_body", "error_response", "install_error_handlers", "status_for"]
