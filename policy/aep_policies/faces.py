"""The two faces of a connection: the dynamic provider's snake_case resource and the plugin's camelCase one.

Every check reads snake_case keys (the dynamic face). A plugin resource is read through
:class:`SnakeCaseView`, one mapping for all policies, so each rule is written once and judges both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from pulumi_aep.definition import RESOURCE_TYPE, SERVICE_PRINCIPAL, inputs

#: ``pulumi_aep.AzureBlobConnection`` as a dynamic resource (``module="aep"``, ``name="AzureBlobConnection"``).
DYNAMIC_TYPE: Final = "pulumi-python:dynamic/aep:AzureBlobConnection"
#: The same resource served by the provider plugin (``pulumi-resource-aep``).
PLUGIN_TYPE: Final = RESOURCE_TYPE
CONNECTION_TYPES: Final = frozenset({DYNAMIC_TYPE, PLUGIN_TYPE})
#: How a program sets the ``protect`` resource option on each face: the dynamic resource is Python-only;
#: the plugin's is declared from YAML and from every SDK's resource options.
_PROTECT_HOW: Final[Mapping[str, str]] = {
    DYNAMIC_TYPE: "Add `opts=pulumi.ResourceOptions(protect=True)`",
    PLUGIN_TYPE: (
        "Set the resource option protect to true (YAML: `options:` then `protect: true`; "
        "Python: `opts=pulumi.ResourceOptions(protect=True)`; other SDKs: their resource options' `protect`)"
    ),
}


#: snake_case input -> the plugin's property name; and the same for the nested service principal
#: (both from the resource's one definition, ``pulumi_aep.definition``).
PLUGIN_NAMES: Final[Mapping[str, str]] = {p.name: p.camel for p in inputs()}
PLUGIN_PRINCIPAL_NAMES: Final[Mapping[str, str]] = {p.name: p.camel for p in SERVICE_PRINCIPAL}
_NESTED: Final[Mapping[str, Mapping[str, str]]] = {"service_principal": PLUGIN_PRINCIPAL_NAMES}
#: Property names as messages spell them on each face (only those that differ), nested paths included.
_PLUGIN_LABELS: Final[Mapping[str, str]] = {
    **{f"service_principal.{k}": f"servicePrincipal.{v}" for k, v in PLUGIN_PRINCIPAL_NAMES.items()},
    **{k: v for k, v in PLUGIN_NAMES.items() if k != v},
}
_LABEL: Final = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_PLUGIN_LABELS, key=len, reverse=True)) + r")\b"
)


class SnakeCaseView(Mapping[str, Any]):
    """A camelCase property map read with snake_case keys (nested service principal included).

    Keys are translated, values passed through untouched: the analyzer's proxy still raises
    ``UnknownValueError`` on reading an unknown value, and iterating keys never reads a value.
    """

    def __init__(self, props: Mapping[str, Any], names: Mapping[str, str] = PLUGIN_NAMES) -> None:
        self._props = props
        self._names = names
        self._snake = {camel: snake for snake, camel in names.items()}

    def __getitem__(self, key: str) -> Any:
        camel = self._names.get(key)
        if camel is None or not any(k == camel for k in self._props):
            raise KeyError(key)
        value = self._props[camel]
        nested = _NESTED.get(key) if self._names is PLUGIN_NAMES else None
        if nested is not None and isinstance(value, Mapping):
            return SnakeCaseView(value, nested)
        return value

    def __iter__(self) -> Iterator[str]:
        return (self._snake[k] for k in self._props if k in self._snake)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def connection_props(resource_type: str, props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A connection's properties with snake_case keys, whichever face declared it; ``None`` otherwise."""
    if resource_type == DYNAMIC_TYPE:
        return props
    if resource_type == PLUGIN_TYPE:
        return SnakeCaseView(props)
    return None


def how_to_protect(resource_type: str) -> str:
    """The fix for an unprotected connection of ``resource_type``, as a sentence start in that face's syntax."""
    return _PROTECT_HOW.get(resource_type, _PROTECT_HOW[DYNAMIC_TYPE])


def face_message(resource_type: str, message: str) -> str:
    """``message`` (written with snake_case property names) as the resource's own face names them."""
    if resource_type != PLUGIN_TYPE:
        return message
    return _LABEL.sub(lambda match: _PLUGIN_LABELS[match.group(0)], message)
