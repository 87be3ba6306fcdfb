"""Flow Service routes: thin handlers named after Adobe's API operations, calling the backend.

The gateway middleware has already checked the headers and put the ``Caller`` in ``request.state``.
Handlers return ready-made responses (the models document the shapes; skipping re-validation keeps the hot
path lean).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from aep_emulator import defaults, explore, query, specs
from aep_emulator.backend import Caller
from aep_emulator.core import Emulator
from aep_emulator.errors import FlowError, bad_request, not_found
from aep_emulator.models import (
    ConnectionList,
    ConnectionListOrCount,
    ConnectionSpecList,
    ConnectionSpecListOrCount,
    CreateConnectionRequest,
    CreatedResponse,
    ErrorBody,
    ExploreResponse,
    GatewayErrorBody,
    PatchDocument,
    ProblemBody,
    TestConnectionResponse,
    references,
)

#: Largest request body accepted (the emulator's choice; Adobe documents none): 1 MiB.
MAX_BODY_BYTES = 1_048_576
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request: a Flow Service problem or a gateway header error"},
    401: {"model": GatewayErrorBody, "description": "The OAuth token is not valid"},
    403: {"model": GatewayErrorBody, "description": "The OAuth token or API key is missing or not valid"},
    404: {"model": ProblemBody, "description": "Resource or sandbox not found"},
    429: {"model": GatewayErrorBody, "description": "Too many requests"},
}
#: Answered by every operation that reads a request body.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "model": ProblemBody,
        "description": f"FLOW-1100-413: the body is larger than {MAX_BODY_BYTES} bytes",
    }
}
#: Answered by every PATCH under If-Match (entities.check_etag, backend.update_connection).
STALE_ETAG: dict[int | str, dict[str, Any]] = {
    412: {"model": ProblemBody, "description": "FLOW-1404-412: the If-Match etag is stale"}
}
#: Answered by a create naming a spec without a version under ``strict_version``.
NO_VERSION: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemBody, "description": "The spec's version is missing (strict_version)"}
}


#: Request body models, documented by reference (app.py adds them to the components). A handler reads the raw
#: body and checks it itself, so a bad body gets Flow Service's own error codes, never FastAPI's 422.
BODY_MODELS: list[type[Any]] = []


def _body_schema(model: type[Any]) -> dict[str, Any]:
    """The ``openapi_extra`` publishing ``model`` as an operation's JSON request body."""
    if model not in BODY_MODELS:
        BODY_MODELS.append(model)
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }


ConnectionId = Annotated[
    str, Path(description="A base connection id", json_schema_extra=references("connections"))
]
SpecId = Annotated[
    str, Path(description="A connection spec id", json_schema_extra=references("connectionSpecs"))
]

#: Spellings Adobe's OpenAPI spec uses for explore parameters, accepted beside the tutorials' spellings.
_QUERY_ALIASES = frozenset({"FileType", "CompressionType"})


async def _known_query_params(request: Request) -> None:
    """Reject a query parameter the operation does not know: FLOW-1451-400 "invalid query param".

    ``async`` so FastAPI runs it on the event loop (a plain ``def`` dependency costs a thread hop per request).
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    allowed = {p.alias for p in dependant.query_params} if dependant is not None else set()
    for key in request.query_params:
        if key not in allowed and key not in _QUERY_ALIASES:
            raise bad_request(f"Invalid query param {key}", 1451)


router = APIRouter(
    prefix=defaults.FLOW_SERVICE_PREFIX,
    responses=_ERRORS,
    tags=["Flow Service"],
    dependencies=[Depends(_known_query_params)],
)


def _emu(request: Request) -> Emulator:
    emulator: Emulator = request.app.state.emulator
    return emulator


def _caller(request: Request) -> Caller:
    caller: Caller = request.state.caller
    return caller


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise FlowError(1100, 413, f"The request body is larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("The request body is not valid JSON", 1100) from exc


def _json(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(content, separators=(",", ":")).encode()
    return Response(body, status_code=status, headers=headers, media_type="application/json")


#: The list parameters every Flow Service collection takes (connections, specs, the pipeline collections).
Filters = Annotated[list[str] | None, Query(description="Filter: path==value[,value], repeat = AND")]
Limit = Annotated[int | None, Query(ge=1, le=query.MAX_LIMIT)]
#: What a list route answers for the parsed query of one request.
Lister = Callable[[Request, query.ListQuery], dict[str, Any]]


def add_list_route(
    target: APIRouter, collection: str, operation_id: str, lister: Lister, doc: str, **route: Any
) -> None:
    """``GET /<collection>`` with ``property``, ``orderby``, ``limit``, ``continuationToken`` and ``count``."""

    async def handler(
        request: Request,
        property: Filters = None,
        orderby: Annotated[
            str | None, Query(description="Sort fields with + (ascending) or - prefixes")
        ] = None,
        limit: Limit = None,
        continuationToken: Annotated[  # noqa: N803
            str | None, Query(description="The token of the previous page's _links.next.href")
        ] = None,
        count: Annotated[bool | None, Query(description="true: answer only {count}")] = None,
    ) -> Response:
        return _json(lister(request, query.parse(list(request.query_params.multi_items()), collection)))

    handler.__doc__ = doc
    target.add_api_route(
        f"/{collection}", handler, methods=["GET"], operation_id=operation_id, name=operation_id, **route
    )


add_list_route(
    router,
    "connectionSpecs",
    "getConnectionSpecs",
    lambda request, parsed: query.run_query(list(specs.SPECS.values()), parsed, copy.deepcopy),
    "List the connection specs (the Azure Blob source): filters, sorting, pages of at most 100, or a count.",
    response_model=ConnectionSpecListOrCount,
)


@router.get("/connectionSpecs/{spec_id}", response_model=ConnectionSpecList, operation_id="getConnectionSpec")
async def get_connection_spec(spec_id: SpecId) -> Response:
    """Get one connection spec, in the ``{"items": [...]}`` envelope."""
    spec = specs.get_spec(spec_id)
    if spec is None:
        raise not_found(spec_id, "connectionSpecs")
    return _json({"items": [spec]})


@router.post(
    "/connections",
    status_code=201,
    response_model=CreatedResponse,
    operation_id="createConnection",
    openapi_extra=_body_schema(CreateConnectionRequest),
    responses={**BODY_ERRORS, **NO_VERSION},
)
async def create_connection(request: Request) -> Response:
    """Create a base connection; answers ``{"id", "etag"}`` and a ``Location`` header."""
    created = _emu(request).backend.create_connection(_caller(request), await _json_body(request))
    location = f"{defaults.FLOW_SERVICE_PREFIX}/connections/{created['id']}"
    return _json(created, 201, {"Location": location})


add_list_route(
    router,
    "connections",
    "getConnections",
    lambda request, parsed: _emu(request).backend.list_connections(_caller(request), parsed),
    "List the caller's connections: filters, sorting, pages of at most 100, or a count.",
    response_model=ConnectionListOrCount,
)


@router.get("/connections/{connection_id}", response_model=ConnectionList, operation_id="getConnection")
async def get_connection(request: Request, connection_id: ConnectionId) -> Response:
    """Get one connection, in the ``{"items": [...]}`` envelope, secret params masked."""
    return _json({"items": [_emu(request).backend.get_connection(_caller(request), connection_id)]})


@router.patch(
    "/connections/{connection_id}",
    response_model=CreatedResponse,
    operation_id="patchConnection",
    openapi_extra=_body_schema(PatchDocument),
    responses={**BODY_ERRORS, **STALE_ETAG},
)
async def patch_connection(
    request: Request,
    connection_id: ConnectionId,
    if_match: Annotated[str | None, Header(alias="If-Match", description="The current etag")] = None,
) -> Response:
    """Update a connection with an RFC 6902 JSON Patch under ``If-Match``."""
    body = await _json_body(request)
    updated = _emu(request).backend.update_connection(_caller(request), connection_id, if_match, body)
    return _json(updated)


@router.delete("/connections/{connection_id}", status_code=204, operation_id="deleteConnection")
async def delete_connection(request: Request, connection_id: ConnectionId) -> Response:
    """Delete a connection: 204, then 404; 1418-400 while flows use it."""
    _emu(request).backend.delete_connection(_caller(request), connection_id)
    return Response(status_code=204)


router.add_api_route(
    "/connections/{connection_id}/",
    patch_connection,
    methods=["PATCH"],
    include_in_schema=False,
)
router.add_api_route(
    "/connections/{connection_id}/",
    delete_connection,
    methods=["DELETE"],
    status_code=204,
    include_in_schema=False,
)


@router.get(
    "/connections/{connection_id}/explore", response_model=ExploreResponse, operation_id="exploreConnection"
)
def explore_connection(
    request: Request,
    connection_id: ConnectionId,
    objectType: Annotated[str | None, Query(description="root, folder or file")] = None,  # noqa: N803
    object: Annotated[str | None, Query(description="Folder or file path")] = None,
    preview: Annotated[bool | None, Query()] = None,
    fileType: Annotated[str | None, Query(description="delimited, json or parquet")] = None,  # noqa: N803
    columnDelimiter: Annotated[str | None, Query()] = None,  # noqa: N803
    compressionType: Annotated[str | None, Query()] = None,  # noqa: N803
    encoding: Annotated[str | None, Query()] = None,
) -> JSONResponse:
    """Explore the storage behind a connection: root, a folder, or a file preview (runs in a thread).

    Adobe's OpenAPI spec spells two parameters ``FileType`` and ``CompressionType``; both spellings work.
    """
    record = _emu(request).backend.raw_connection(_caller(request), connection_id)
    params = request.query_params
    spec = explore.ExploreQuery(
        objectType,
        object,
        bool(preview),
        fileType or params.get("FileType"),
        columnDelimiter or ",",
        compressionType or params.get("CompressionType"),
        encoding or "UTF-8",
    )
    return JSONResponse(_emu(request).explorer.explore(record["auth"]["params"], spec))


@router.get(
    "/connections/{connection_id}/test", response_model=TestConnectionResponse, operation_id="testConnection"
)
def test_connection(request: Request, connection_id: ConnectionId) -> JSONResponse:
    """Check that the connection's credentials work (runs in a thread)."""
    record = _emu(request).backend.raw_connection(_caller(request), connection_id)
    ok = _emu(request).explorer.test(record["auth"]["params"], record["auth"]["specName"])
    return JSONResponse({"result": ok})
