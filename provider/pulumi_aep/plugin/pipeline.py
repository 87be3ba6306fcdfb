"""The plugin face of the pipeline resources (``aep:index:<Name>``): the engine's calls on ``PipelineCore``.

``AepProvider`` hands a call here when its URN's type is a pipeline type. Values cross the wire in
schema (camelCase) names; the schedule's fields too. Integers arrive as floats and are turned back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2

from pulumi_aep.definition import camel
from pulumi_aep.model import UNKNOWN
from pulumi_aep.pipeline.definition import ResourceDefinition
from pulumi_aep.pipeline_core import DEFINITIONS, PipelineCore
from pulumi_aep.pipeline_schema import PIPELINE_TYPES
from pulumi_aep.plugin.values import _unwrap, wire_path

#: Output-only properties a write changes (unknown in the preview of an update).
_WRITTEN: Final = ("etag", "updated_at", "state")


def resource_of(urn: str) -> str | None:
    """The pipeline resource name of ``urn``'s type, or None for another type.

    The type segment lists the parents' types first (``my:Component$aep:index:Dataflow``).
    """
    parts = urn.split("::")
    return PIPELINE_TYPES.get(parts[-2].rsplit("$", 1)[-1]) if len(parts) >= 4 else None


def _types(definition: ResourceDefinition) -> dict[str, str]:
    types: dict[str, str] = {p.name: p.type for p in definition.inputs}
    types.update({o.name: o.type for o in definition.outputs})
    for prop in definition.inputs:
        types.update({f"{prop.name}.{f.name}": f.type for f in prop.fields})
    return types


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def _decode_value(types: Mapping[str, str], path: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): _decode_value(types, f"{path}.{_snake(k)}", v) for k, v in value.items()}
    if types.get(path) == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def decode(resource: str, struct: struct_pb2.Struct) -> dict[str, Any]:
    """Wire properties -> core properties (snake_case, integers as int, secrets unwrapped)."""
    types = _types(DEFINITIONS[resource])
    raw = _unwrap(json_format.MessageToDict(struct))
    return {_snake(k): _decode_value(types, _snake(k), v) for k, v in raw.items()}


def _encode_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {camel(k): _encode_value(v) for k, v in value.items() if v is not None}
    return value


def encode(resource: str, props: Mapping[str, Any], unknown: Iterable[str] = ()) -> struct_pb2.Struct:
    """Core properties of ``resource`` -> wire properties (None left out; ``unknown`` sent as unknown)."""
    known = set(_types(DEFINITIONS[resource]))
    wire = {camel(k): _encode_value(v) for k, v in props.items() if v is not None and k in known}
    wire.update({camel(k): UNKNOWN for k in unknown})
    struct = struct_pb2.Struct()
    struct.update(wire)
    return struct


def check(
    core: PipelineCore, resource: str, request: provider_pb2.CheckRequest
) -> provider_pb2.CheckResponse:
    news = decode(resource, request.news)
    if news.get("name") is None:
        news["name"] = request.urn.rsplit("::", 1)[-1]
    inputs, failures = core.check(resource, news)
    return provider_pb2.CheckResponse(
        inputs=encode(resource, inputs),
        failures=[
            provider_pb2.CheckFailure(property=wire_path(f.property), reason=f.reason) for f in failures
        ],
    )


def diff(core: PipelineCore, resource: str, request: provider_pb2.DiffRequest) -> provider_pb2.DiffResponse:
    olds, news = decode(resource, request.olds), decode(resource, request.news)
    change = core.diff(resource, olds, news)
    kinds = provider_pb2.PropertyDiff
    detailed = {
        camel(k): kinds(kind=kinds.UPDATE_REPLACE if k in change.replaces else kinds.UPDATE)
        for k in change.changed
    }
    return provider_pb2.DiffResponse(
        changes=provider_pb2.DiffResponse.DIFF_SOME
        if change.changed
        else provider_pb2.DiffResponse.DIFF_NONE,
        replaces=[camel(k) for k in change.replaces],
        diffs=list(detailed),
        detailedDiff=detailed,
        hasDetailedDiff=True,
        deleteBeforeReplace=False,
    )


def create(
    core: PipelineCore, resource: str, request: provider_pb2.CreateRequest
) -> provider_pb2.CreateResponse:
    props = decode(resource, request.properties)
    if request.preview:
        outputs = [o.name for o in DEFINITIONS[resource].outputs]
        return provider_pb2.CreateResponse(id="", properties=encode(resource, props, outputs))
    id_, outs = core.create(resource, props)
    return provider_pb2.CreateResponse(id=id_, properties=encode(resource, outs))


def read(core: PipelineCore, resource: str, request: provider_pb2.ReadRequest) -> provider_pb2.ReadResponse:
    props = {**decode(resource, request.inputs), **decode(resource, request.properties)}
    found = core.read(resource, request.id, props)
    if found is None:
        return provider_pb2.ReadResponse()
    return provider_pb2.ReadResponse(
        id=request.id, properties=encode(resource, found.outputs), inputs=encode(resource, found.inputs)
    )


def update(
    core: PipelineCore, resource: str, request: provider_pb2.UpdateRequest
) -> provider_pb2.UpdateResponse:
    olds, news = decode(resource, request.olds), decode(resource, request.news)
    if request.preview:
        written = [k for k in _WRITTEN if k in _types(DEFINITIONS[resource])]
        return provider_pb2.UpdateResponse(properties=encode(resource, {**olds, **news}, written))
    return provider_pb2.UpdateResponse(
        properties=encode(resource, core.update(resource, request.id, olds, news))
    )


def delete(core: PipelineCore, resource: str, request: provider_pb2.DeleteRequest) -> None:
    core.delete(resource, request.id, decode(resource, request.properties))
