"""Property values on the wire: protobuf ``Struct`` (camelCase, secrets, unknowns) <-> core dicts (snake_case).

The wire encodings are the engine's: a secret is ``{SIG: SECRET_SIG, "value": v}`` and a value unknown
at preview is the ``UNKNOWN`` string (which ``pulumi_aep.validation.is_unknown`` already recognizes).
Names, nesting, integer types and which values are secret come from the resource type's properties
(``pulumi_aep.registry.Field``): one codec for every resource type.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, Final

from google.protobuf import json_format, struct_pb2

from pulumi_aep.definition import camel
from pulumi_aep.model import UNKNOWN
from pulumi_aep.registry import Field, resource_type

#: The engine's special-value signature key and the secret signature (``pulumi.runtime.rpc``).
SIG: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105 - a type signature, not a password


def _unwrap(value: Any) -> Any:
    """Drop secret wrappers (at any depth): the core sees plain values, the definition says what is secret."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG:
            return _unwrap(value.get("value"))
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


def _secret(value: Any) -> Any:
    return value if value == UNKNOWN else {SIG: SECRET_SIG, "value": value}


class Codec:
    """Wire <-> core values of properties ``fields`` (a resource's, or an object property's fields)."""

    def __init__(self, fields: Iterable[Field]) -> None:
        self._by_name = {f.name: f for f in fields}
        self._by_camel = {f.camel: f for f in self._by_name.values()}
        self._nested = {f.name: Codec(f.fields) for f in self._by_name.values() if f.fields}

    def from_wire(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """camelCase -> snake_case, integers back from floats; unknown names pass through unchanged."""
        props: dict[str, Any] = {}
        for key, value in values.items():
            field = self._by_camel.get(key)
            props[field.name if field else key] = (
                value if field is None else self._value_from_wire(field, value)
            )
        return props

    def _value_from_wire(self, field: Field, value: Any) -> Any:
        if value is None or value == UNKNOWN:
            return value
        if field.type == "integer" and isinstance(value, float) and value.is_integer():
            return int(value)
        if field.name in self._nested and isinstance(value, dict):
            return self._nested[field.name].from_wire(value)
        return value

    def to_wire(self, props: Mapping[str, Any], secrets: bool, known_only: bool) -> dict[str, Any]:
        """snake_case -> camelCase, None left out, secret values wrapped when ``secrets``.

        ``known_only`` leaves out names that are not properties (else they pass through camelCased).
        """
        wire: dict[str, Any] = {}
        for key, value in props.items():
            field = self._by_name.get(key)
            if value is None or (field is None and known_only):
                continue
            wire[camel(key)] = value if field is None else self._value_to_wire(field, value, secrets)
        return wire

    def _value_to_wire(self, field: Field, value: Any, secrets: bool) -> Any:
        if field.name in self._nested and isinstance(value, Mapping):
            value = self._nested[field.name].to_wire(value, secrets, known_only=False)
        return _secret(value) if field.secret and secrets else value

    def decode(self, struct: struct_pb2.Struct) -> dict[str, Any]:
        """Wire properties -> core properties (secrets unwrapped; unknowns kept as ``UNKNOWN``).

        Unknown names pass through unchanged, so ``check`` can name them.
        """
        return self.from_wire(_unwrap(json_format.MessageToDict(struct)))

    def encode(
        self, props: Mapping[str, Any], secrets: bool, unknown: Iterable[str] = ()
    ) -> struct_pb2.Struct:
        """Core properties -> wire properties; secret properties wrapped when the engine accepts secrets.

        Only properties of the resource are sent; ``unknown`` names those to send as unknown (the
        preview of a create or update).
        """
        wire = self.to_wire(props, secrets, known_only=True)
        wire.update({self._by_name[k].camel: UNKNOWN for k in unknown})
        struct = struct_pb2.Struct()
        struct.update(wire)
        return struct


@functools.cache
def codec_of(token: str) -> Codec:
    """The codec of the resource type ``token`` (``registry.resource_type``'s error if unknown)."""
    return Codec(resource_type(token).props)


def wire_path(path: str) -> str:
    """A core property path (``service_principal.service_endpoint``) in schema names."""
    return ".".join(camel(part) for part in path.split("."))
