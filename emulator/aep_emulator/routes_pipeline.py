"""Flow Service pipeline routes: source/target connections, flow specs, dataflows and runs.

Thin handlers named with Adobe's ``operationId``s, calling :class:`aep_emulator.pipeline.Pipeline`. The three
writable collections share one route factory, so each operation has exactly one path through the code.

Annotations are evaluated at definition (no ``from __future__ import annotations``): the route factories'
parameters name their collection, a closure variable FastAPI could not resolve from a string.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from aep_emulator import defaults, flowspecs, query
from aep_emulator.backend import Caller
from aep_emulator.core import Emulator
from aep_emulator.errors import bad_request, not_found
from aep_emulator.models import (
    CreatedResponse,
    CreateFlowRequest,
    CreateSourceConnectionRequest,
    CreateTargetConnectionRequest,
    Flow,
    FlowSpec,
    Items,
    ItemsOrCount,
    PatchDocument,
    Run,
    SourceConnection,
    TargetConnection,
    references,
)
from aep_emulator.pipeline import ACTIONS, Pipeline
from aep_emulator.routes_flow import (
    _ERRORS,
    BODY_ERRORS,
    NO_VERSION,
    STALE_ETAG,
    Filters,
    Limit,
    _body_schema,
    _caller,
    _emu,
    _json,
    _json_body,
    _known_query_params,
    add_list_route,
)

router = APIRouter(
    prefix=defaults.FLOW_SERVICE_PREFIX,
    responses=_ERRORS,
    tags=["Flow Service pipeline"],
    dependencies=[Depends(_known_query_params)],
)

Mode = Annotated[
    str | None,
    Query(description="draft: create the entity in state draft", json_schema_extra={"enum": ["draft"]}),
]
#: The item model of each collection, for the documented answers.
ITEM_MODELS: dict[str, type[Any]] = {
    "sourceConnections": SourceConnection,
    "targetConnections": TargetConnection,
    "flows": Flow,
    "runs": Run,
}


def _entity_id(kind: str) -> Any:
    """The ``{entity_id}`` path parameter of ``kind``, documented as a reference to one of its entities."""
    return Path(description=f"The id of one of the caller's {kind}", json_schema_extra=references(kind))


def _draft(mode: str | None) -> bool:
    if mode not in (None, "draft"):
        raise bad_request(f"Invalid query param mode={mode}: the only mode is draft", 1451)
    return mode == "draft"


async def _synced(request: Request, kind: str) -> Pipeline:
    """The pipeline, its runs brought up to the emulator's clock first when ``kind`` is runs.

    Counting a run's files may read real storage (Azurite): that happens off the event loop.
    """
    pipeline = _emu(request).pipeline
    if kind == "runs":
        await run_in_threadpool(pipeline.sync_runs, _caller(request))
    return pipeline


def _list_route(kind: str, operation_id: str) -> None:
    async def handler(
        request: Request,
        property: Filters = None,
        orderby: str | None = None,
        limit: Limit = None,
        continuationToken: str | None = None,  # noqa: N803
        count: bool | None = None,
    ) -> Response:
        parsed = query.parse(list(request.query_params.multi_items()), kind)
        return _json((await _synced(request, kind)).list_of(kind, _caller(request), parsed))

    handler.__doc__ = f"List {kind}: filters on any path, orderby, keyset pages of at most 100, or a count."
    router.add_api_route(
        f"/{kind}",
        handler,
        methods=["GET"],
        response_model=ItemsOrCount[ITEM_MODELS[kind]],  # type: ignore[valid-type]
        operation_id=operation_id,
        name=operation_id,
    )


def _get_route(kind: str, operation_id: str) -> None:
    async def handler(request: Request, entity_id: Annotated[str, _entity_id(kind)]) -> Response:
        return _json((await _synced(request, kind)).get(kind, _caller(request), entity_id))

    handler.__doc__ = f'Get one of {kind}, in the ``{{"items": [...]}}`` envelope.'
    router.add_api_route(
        f"/{kind}/{{entity_id}}",
        handler,
        methods=["GET"],
        response_model=Items[ITEM_MODELS[kind]],  # type: ignore[valid-type]
        operation_id=operation_id,
        name=operation_id,
    )


Creator = Callable[[Emulator, Caller, Any, bool], dict[str, Any]]


def _create_route(kind: str, operation_id: str, create: Creator) -> None:
    async def handler(request: Request, mode: Mode = None) -> Response:
        created = create(_emu(request), _caller(request), await _json_body(request), _draft(mode))
        location = f"{defaults.FLOW_SERVICE_PREFIX}/{kind}/{created['id']}"
        return _json(created, 201, {"Location": location})

    handler.__doc__ = f"Create one of {kind} (``?mode=draft`` for a draft); 201 ``{{id, etag}}``."
    router.add_api_route(
        f"/{kind}",
        handler,
        methods=["POST"],
        status_code=201,
        response_model=CreatedResponse,
        openapi_extra=_body_schema(_BODY_MODELS[kind]),
        responses={**BODY_ERRORS, **(NO_VERSION if kind != "flows" else {})},
        operation_id=operation_id,
        name=operation_id,
    )


def _patch_route(kind: str, operation_id: str) -> None:
    async def handler(
        request: Request,
        entity_id: Annotated[str, _entity_id(kind)],
        if_match: Annotated[str | None, Header(alias="If-Match", description="The current etag")] = None,
    ) -> Response:
        body = await _json_body(request)
        return _json(_emu(request).pipeline.patch(kind, _caller(request), entity_id, if_match, body))

    handler.__doc__ = f"Update one of {kind} with an RFC 6902 JSON Patch under ``If-Match``."
    router.add_api_route(
        f"/{kind}/{{entity_id}}",
        handler,
        methods=["PATCH"],
        response_model=CreatedResponse,
        openapi_extra=_body_schema(PatchDocument),
        responses={**BODY_ERRORS, **STALE_ETAG},
        operation_id=operation_id,
        name=operation_id,
    )


def _delete_route(kind: str, operation_id: str) -> None:
    async def handler(request: Request, entity_id: Annotated[str, _entity_id(kind)]) -> Response:
        _emu(request).pipeline.delete(kind, _caller(request), entity_id)
        return Response(status_code=_emu(request).config.delete_status)

    handler.__doc__ = f"Delete one of {kind}: 204 (202 when configured), then 404; 1447 while a flow uses it."
    router.add_api_route(
        f"/{kind}/{{entity_id}}",
        handler,
        methods=["DELETE"],
        status_code=204,
        responses={202: {"description": "Marked for deletion (delete_status 202)"}},
        operation_id=operation_id,
        name=operation_id,
    )


def _action_route(kind: str, operation_id: str) -> None:
    ops = [*ACTIONS[kind], *(op.upper() for op in ACTIONS[kind])]

    async def handler(
        request: Request,
        entity_id: Annotated[str, _entity_id(kind)],
        op: Annotated[str, Query(description="The action (any case)", json_schema_extra={"enum": ops})],
        subOp: str | None = None,  # noqa: N803
    ) -> Response:
        return _json(_emu(request).pipeline.action(kind, _caller(request), entity_id, op))

    handler.__doc__ = f"Run an action on one of {kind}: ``op=enable|disable`` (flows) or ``op=publish``."
    router.add_api_route(
        f"/{kind}/{{entity_id}}/action",
        handler,
        methods=["POST"],
        response_model=CreatedResponse,
        operation_id=operation_id,
        name=operation_id,
    )


#: kind -> (list, create, get, patch, delete, action) operation ids of Adobe's OpenAPI document.
OPERATIONS = {
    "sourceConnections": ("getSourceConnections", "createSourceConnection", "retrieveSourceConnection",
                          "patchSourceConnection", "deleteSourceConnection", "performAction_1"),
    "targetConnections": ("getTargetConnections", "createTargetConnection", "retrieveTargetConnection",
                          "patchTargetConnection", "deleteTargetConnection", "performAction_2"),
    "flows": ("listFlows", "createFlow", "retrieveFlow", "patchFlow", "deleteByFlow", "postStateTransition"),
}  # fmt: skip
_CREATORS: dict[str, Creator] = {
    "sourceConnections": lambda emu, caller, body, draft: emu.pipeline.create_source(caller, body, draft),
    "targetConnections": lambda emu, caller, body, draft: emu.pipeline.create_target(caller, body, draft),
    "flows": lambda emu, caller, body, draft: emu.pipeline.create_flow(caller, body, draft),
}
_BODY_MODELS: dict[str, type[Any]] = {
    "sourceConnections": CreateSourceConnectionRequest,
    "targetConnections": CreateTargetConnectionRequest,
    "flows": CreateFlowRequest,
}


add_list_route(
    router,
    "flowSpecs",
    "listFlowSpecs",
    lambda request, parsed: query.run_query(flowspecs.all_flow_specs(), parsed, dict),
    "List the flow specs (``CloudStorageToAEP``): filters, sorting, pages of at most 100, or a count.",
    response_model=ItemsOrCount[FlowSpec],
)


@router.get("/flowSpecs/{spec_id}", response_model=Items[FlowSpec], operation_id="retrieveFlowSpec")
async def retrieve_flow_spec(
    spec_id: Annotated[str, Path(description="A flow spec id", json_schema_extra=references("flowSpecs"))],
) -> Response:
    """Get one flow spec, in the ``{"items": [...]}`` envelope."""
    spec = flowspecs.get_flow_spec(spec_id)
    if spec is None:
        raise not_found(spec_id, "flowSpecs")
    return _json({"items": [spec]})


for _kind, (_list_op, _create_op, _get_op, _patch_op, _delete_op, _action_op) in OPERATIONS.items():
    _list_route(_kind, _list_op)
    _create_route(_kind, _create_op, _CREATORS[_kind])
    _get_route(_kind, _get_op)
    _patch_route(_kind, _patch_op)
    _delete_route(_kind, _delete_op)
    _action_route(_kind, _action_op)
_list_route("runs", "listFlowRuns")
_get_route("runs", "retrieveFlowRun")
