"""Property values on the wire: protobuf ``Struct`` (camelCase, secrets, unknowns) <-> core dicts (snake_case).

The wire encodings are the engine's: a secret is ``{SIG: SECRET_SIG, "value": v}`` and a value unknown
at preview is the ``UNKNOWN`` string (which ``pulumi_aep.validation.is_unknown`` already recognizes).
Names, nesting, integer types and which values are secret all come from ``pulumi_aep.definition``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from google.protobuf import json_format, struct_pb2

from pulumi_aep.definition import AZURE_BLOB_CONNECTION, TYPES, Prop, camel
from pulumi_aep.model import UNKNOWN

#: The engine's special-value signature key and the secret signature (``pulumi.runtime.rpc``).
SIG: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105 - a type signature, not a password

_BY_CAMEL: Final = {p.camel: p for p in AZURE_BLOB_CONNECTION}


def _unwrap(value: Any) -> Any:
    """Drop secret wrappers (at any depth): the core sees plain values, the definition says what is secret."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG:
            return _unwrap(value.get("value"))
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


def _from_wire(prop: Prop | None, value: Any) -> Any:
    if prop is None or value is None or value == UNKNOWN:
        return value
    if prop.type == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if prop.type in TYPES and isinstance(value, dict):
        fields = {f.camel: f for f in TYPES[prop.type][1]}
        return {
            (fields[k].name if k in fields else k): _from_wire(fields.get(k), v) for k, v in value.items()
        }
    return value


def decode(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Wire properties -> core properties (snake_case; secrets unwrapped; unknowns kept as ``UNKNOWN``).

    Unknown names pass through unchanged, so ``check`` can name them.
    """
    raw = _unwrap(json_format.MessageToDict(struct))
    props: dict[str, Any] = {}
    for key, value in raw.items():
        prop = _BY_CAMEL.get(key)
        props[prop.name if prop else key] = _from_wire(prop, value)
    return props


def _secret(value: Any) -> Any:
    return value if value == UNKNOWN else {SIG: SECRET_SIG, "value": value}


def _to_wire(prop: Prop, value: Any, secrets: bool) -> Any:
    if prop.type in TYPES and isinstance(value, Mapping):
        fields = {f.name: f for f in TYPES[prop.type][1]}
        value = {
            camel(k): _to_wire(fields[k], v, secrets) if k in fields else v
            for k, v in value.items()
            if v is not None
        }
    return _secret(value) if prop.secret and secrets else value


def encode(props: Mapping[str, Any], secrets: bool, unknown: Iterable[str] = ()) -> struct_pb2.Struct:
    """Core properties -> wire properties; secret properties wrapped when the engine accepts secrets.

    ``unknown`` names properties to send as unknown (preview of a create or update). None values
    are left out.
    """
    wire: dict[str, Any] = {}
    by_name = {p.name: p for p in AZURE_BLOB_CONNECTION}
    for key, value in props.items():
        prop = by_name.get(key)
        if value is None or prop is None:
            continue
        wire[prop.camel] = _to_wire(prop, value, secrets)
    for key in unknown:
        wire[by_name[key].camel] = UNKNOWN
    struct = struct_pb2.Struct()
    struct.update(wire)
    return struct


def wire_path(path: str) -> str:
    """A core property path (``service_principal.service_endpoint``) in schema names."""
    return ".".join(camel(part) for part in path.split("."))
