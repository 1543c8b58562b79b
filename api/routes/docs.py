"""/docs (Swagger UI) and /redoc, whose scripts and styles come from this app, never from a CDN.

The assets are the Swagger UI and ReDoc bundles shipped in the pinned, hashed ``fastapi-offline``
wheel (only its static files are used), served at ``/static/docs``; the HTML is FastAPI's own, and a
Content-Security-Policy keeps the browser from loading anything from elsewhere.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_STATIC = "/static/docs"
DOCS_ASSETS = Path(str(files("fastapi_offline") / "static"))
# ReDoc's sidebar shows a logo from its maker's CDN: served without it (an empty picture instead)
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
NO_LOGO = "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"
# what the pages may load: this app only
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


def install_docs(app: FastAPI) -> None:
    """Serve /docs, /docs/oauth2-redirect and /redoc from local assets (the app is made with docs_url=None)."""
    router = APIRouter(include_in_schema=False)
    redoc_js = (DOCS_ASSETS / "redoc.standalone.js").read_text(encoding="utf-8").replace(REDOC_LOGO, NO_LOGO)

    @router.get(f"{DOCS_STATIC}/redoc.standalone.js")
    async def redoc_script() -> Response:
        return Response(redoc_js, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})

    def _root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    @router.get("/docs", response_class=HTMLResponse)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
            oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
            # no badge asking validator.swagger.io about our schema
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = DOCS_POLICY
        return page

    @router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc", response_class=HTMLResponse)
    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_STATIC}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = DOCS_POLICY
        return page

    app.include_router(router)
    app.mount(DOCS_STATIC, StaticFiles(directory=DOCS_ASSETS), name="docs-static")


__all__ = ["DOCS_ASSETS", "DOCS_POLICY", "DOCS_STATIC", "install_docs"]
