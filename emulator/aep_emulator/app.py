"""The ASGI application: FastAPI routers, error rendering, middleware and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

from aep_emulator import (
    defaults,
    routes_control,
    routes_flow,
    routes_ims,
    routes_pipeline,
    routes_siblings,
    routes_unemulated,
)
from aep_emulator.config import EmulatorConfig
from aep_emulator.core import Emulator
from aep_emulator.errors import EmulatorError, FlowError, new_request_id, not_emulated
from aep_emulator.middleware import RAW_SEND, EmulatorMiddleware, Receive, Scope, Send

DESCRIPTION = (
    "Offline emulator of Adobe Experience Platform's Flow Service for Azure Blob ingestion: base connections "
    "(`/connections`, with explore and test), `/connectionSpecs`, `/sourceConnections`, `/targetConnections` "
    "(the Data Lake), `/flowSpecs` (`CloudStorageToAEP`), dataflows (`/flows`, enable and disable) and `/runs` "
    "synthesized on the emulator's clock; every list takes `property` filters, `orderby`, `limit`, `count` and "
    "`continuationToken`. Also the sibling services a dataflow references (Catalog `/dataSets`, a seeded Schema "
    "Registry `/tenant/schemas`, Data Prep `/mappingSets`) and Adobe IMS client-credentials tokens "
    f"(`{defaults.IMS_TOKEN_PATH}`). Flow Service operations it does not emulate answer 501 `FLOW-9501-501`. "
    f"Control plane under `{defaults.CONTROL_PREFIX}` (not part of Adobe's API)."
)


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", None) or new_request_id())


def _render(request: Request, error: EmulatorError) -> Response:
    return JSONResponse(
        error.body(_request_id(request)), status_code=error.status, headers=error.headers or None
    )


async def _on_emulator_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EmulatorError)
    return _render(request, exc)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith(defaults.PLATFORM_PREFIX):
        return await request_validation_exception_handler(request, exc)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return _render(
        request, FlowError(1451, 400, f"Invalid query param {where}: {first.get('msg', 'invalid')}")
    )


def _route_table() -> list[BaseRoute]:
    """Every route with its full path (the app's own list nests the included routers)."""
    return [
        *routes_ims.router.routes,
        *routes_flow.router.routes,
        *routes_pipeline.router.routes,
        *routes_siblings.router.routes,
        *routes_unemulated.router.routes,
        *routes_control.router.routes,
    ]


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's own Allow names only the first route's)."""
    methods: set[str] = set()
    for route in _route_table():
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    if not request.url.path.startswith(defaults.PLATFORM_PREFIX):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers or None)
    if exc.status_code == 404:  # no route serves this path: not emulated, never a "resource not found"
        return _render(request, not_emulated(request.method, request.url.path))
    code = 1100
    message = f"{exc.detail}: {request.method} {request.url.path}"
    return _render(request, FlowError(code, exc.status_code, message, headers=headers))


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        _, defs = models_json_schema(
            [(m, "validation") for m in routes_flow.BODY_MODELS], ref_template="#/components/schemas/{model}"
        )
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs.get("$defs", {}))
        schema["components"]["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            "imsOrg": {"type": "apiKey", "in": "header", "name": "x-gw-ims-org-id"},
            "sandbox": {"type": "apiKey", "in": "header", "name": "x-sandbox-name"},
        }
        security: list[dict[str, list[str]]] = [{"bearer": [], "apiKey": [], "imsOrg": [], "sandbox": []}]
        for path, item in schema["paths"].items():
            if path.startswith(defaults.PLATFORM_PREFIX):
                for operation in item.values():
                    operation["security"] = security
        app.openapi_schema = schema
    return app.openapi_schema


class EmulatorApp(FastAPI):
    """FastAPI, keeping the server's own ``send`` in the scope so a fault can reset the TCP connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[RAW_SEND] = send
        await super().__call__(scope, receive, send)


def create_app(emulator: Emulator | None = None) -> FastAPI:
    """Build the emulator's ASGI app around ``emulator`` (a fresh default one when None)."""
    emu = emulator or Emulator(EmulatorConfig())
    app = EmulatorApp(
        title="AEP Flow Service + IMS emulator",
        version="1.0.0",
        description=DESCRIPTION,
        redirect_slashes=False,
    )
    app.state.emulator = emu
    app.include_router(routes_ims.router)
    app.include_router(routes_flow.router)
    app.include_router(routes_pipeline.router)
    app.include_router(routes_siblings.router)
    app.include_router(routes_unemulated.router)
    app.include_router(routes_control.router)
    app.add_exception_handler(EmulatorError, _on_emulator_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_middleware(EmulatorMiddleware, emulator=emu, routes=_route_table())
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
